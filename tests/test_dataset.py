"""Results as a dataset: `Analysis.save` writes month-partitioned Parquet datasets that pandas, Dask and
DuckDB read directly; `toolkit.open` gives the analysis back without recomputing, in memory or lazy."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import toolkit
from tests.conftest import DATA
from toolkit.dataset import FRAMES, PARTITION, LazyAnalysis, months
from toolkit.explore import Explorer
from toolkit.problems import InputError
from toolkit.report import report_html

pytestmark = pytest.mark.filterwarnings("ignore:The inplace keyword")  # inside dask's Parquet reader

OPEN_NEWS = DATA / "open-news" / "wikinews_gum_meantime.jsonl.gz"
SORT = {"articles": ["article_id"], "sentences": ["article_id", "sentence_id"],
        "entities": ["article_id", "start", "end"], "dates": ["article_id", "sentence_id", "text"],
        "quotes": ["article_id", "quote_id"]}


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> tuple[toolkit.Analysis, Path]:
    """The open Wikinews corpus (163 articles over many years), analysed and saved."""
    analysis = toolkit.analyze(OPEN_NEWS)
    out = tmp_path_factory.mktemp("saved")
    analysis.save(out)
    return analysis, out


def _sorted(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    return frame.sort_values(SORT[name], kind="stable", ignore_index=True) if name in SORT else frame


def test_each_frame_is_a_dataset_with_one_folder_a_month(analysed: tuple[toolkit.Analysis, Path]) -> None:
    analysis, out = analysed
    expected = set(months(analysis.articles))
    assert len(expected) > 10  # the corpus spans years: a real partitioning, not one folder
    for name in ("articles", "sentences", "entities", "dates", "quotes"):
        folders = {path.name for path in (out / name).iterdir()}
        assert folders <= {f"{PARTITION}={month}" for month in expected}
        read = pd.read_parquet(out / name)
        assert len(read) == len(getattr(analysis, name))
    first = analysis.articles.iloc[0]
    month = first["published"].strftime("%Y-%m")
    in_folder = pd.read_parquet(out / "articles" / f"{PARTITION}={month}")
    assert first["article_id"] in set(in_folder["article_id"])
    assert in_folder["published"].dt.strftime("%Y-%m").eq(month).all()


def test_pandas_and_dask_read_the_same_rows(analysed: tuple[toolkit.Analysis, Path]) -> None:
    dd = pytest.importorskip("dask.dataframe")
    analysis, out = analysed
    for name in ("sentences", "entities", "quotes"):
        by_dask = dd.read_parquet(out / name).compute().drop(columns=PARTITION)
        expected = getattr(analysis, name)
        pd.testing.assert_frame_equal(_sorted(by_dask.reset_index(drop=True), name), _sorted(expected, name),
                                      check_dtype=False, obj=name)


def test_duckdb_counts_mentions_by_month_as_pandas_does(analysed: tuple[toolkit.Analysis, Path]) -> None:
    duckdb = pytest.importorskip("duckdb")
    analysis, out = analysed
    counted = duckdb.sql(
        f"SELECT month, count(*) AS n FROM read_parquet('{out}/entities/*/*.parquet', hive_partitioning=true) "
        "GROUP BY month").df().set_index("month")["n"].sort_index()
    by_pandas = analysis.entities["published"].dt.strftime("%Y-%m").value_counts().sort_index()
    assert counted.to_dict() == by_pandas.to_dict()


def test_open_gives_the_same_frames_without_recomputing(analysed: tuple[toolkit.Analysis, Path],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    analysis, out = analysed
    monkeypatch.setattr(toolkit.pipeline, "analyze_articles", lambda *a, **k: pytest.fail("recomputed"))
    opened = toolkit.open(out)
    assert isinstance(opened, toolkit.Analysis)
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(opened, name), getattr(analysis, name), obj=name)
    assert opened.summary() == analysis.summary()


def test_open_is_lazy_beyond_the_memory_limit(analysed: tuple[toolkit.Analysis, Path]) -> None:
    pytest.importorskip("dask.dataframe")
    analysis, out = analysed
    lazy = toolkit.open(out, limit=1000)  # 1 kB: this corpus is larger
    assert isinstance(lazy, LazyAnalysis) and not isinstance(toolkit.open(out), LazyAnalysis)
    assert lazy.entities.npartitions > 1
    june = lazy.entities[lazy.entities[PARTITION] == "2005-06"]["entity"].compute()
    assert len(june) == (analysis.entities["published"].dt.strftime("%Y-%m") == "2005-06").sum() > 0
    computed = lazy.compute()
    for name in ("articles", "sentences", "entities", "dates", "quotes"):
        pd.testing.assert_frame_equal(_sorted(getattr(computed, name), name), _sorted(getattr(analysis, name), name),
                                      check_dtype=False, check_categorical=False, obj=name)


def test_the_explorer_and_the_report_take_a_lazy_analysis(analysed: tuple[toolkit.Analysis, Path]) -> None:
    pytest.importorskip("dask.dataframe")
    analysis, out = analysed
    lazy, eager = Explorer(toolkit.open(out, lazy=True)), Explorer(toolkit.open(out))
    pd.testing.assert_series_equal(lazy.model.ranked(), eager.model.ranked())
    assert lazy.model.totals(lazy.model.mask()) == eager.model.totals(eager.model.mask())
    page = report_html(toolkit.open(out, lazy=True), title="Wikinews")
    assert f"{len(analysis.articles)} article(s)" in page and "Wikinews" in page


def test_the_cli_writes_the_datasets(tmp_path: Path) -> None:
    from toolkit.cli import main

    assert main(["analyze", str(DATA / "000_739a1000ab1b0261.txt"), "--published", "2025-07-04",
                 "--out", str(tmp_path)]) == 0
    assert (tmp_path / "entities" / f"{PARTITION}=2025-07").is_dir()
    assert len(pd.read_parquet(tmp_path / "entities")) == len(pd.read_parquet(tmp_path / "entities.parquet"))


def test_open_names_a_folder_that_holds_no_analysis(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not an analysis folder"):
        toolkit.open(tmp_path)

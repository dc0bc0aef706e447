"""Incremental runs: adding articles to an analysed corpus computes only the new ones, and the corpus
steps (near-copies, surnames and organisations across articles, quotes' speakers) update from the
stored state to exactly the frames of a run over everything."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import toolkit
import toolkit.engines
from tests.conftest import DATA, REUTERS, needs_corpus
from toolkit.cache import CORPUS_NAMES
from toolkit.engines import Frames, Settings
from toolkit.entities import NAME_COLUMNS, resolve_corpus_steps

FRAMES = ("articles", "sentences", "entities", "dates", "quotes", "problems")
OPEN_NEWS = DATA / "open-news" / "wikinews_gum_meantime.jsonl.gz"


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many articles were computed (not read from the cache) during a test."""
    counts: list[int] = []
    real = toolkit.engines.analyze_chunk

    def spy(chunk: pd.DataFrame, settings: Settings) -> Frames:
        counts.append(len(chunk))
        return real(chunk, settings)

    monkeypatch.setattr(toolkit.engines, "analyze_chunk", spy)
    return counts


def grown_and_cold(articles: pd.DataFrame, old: np.ndarray, cache: Path, computed: list[int]
                   ) -> tuple[toolkit.Analysis, toolkit.Analysis]:
    """Analyse the `old` articles, then all of them (the grown run); then all of them again with the
    corpus steps' stored state deleted (a cold run of the corpus steps; the per-article results come
    from the same cache, which test_cache shows equal to computing them)."""
    toolkit.analyze_articles(articles[old], cache=True, cache_dir=cache)
    computed.clear()
    grown = toolkit.analyze_articles(articles, cache=True, cache_dir=cache)
    assert sum(computed) == (~old).sum()  # only the new articles were computed
    stored = list(cache.glob(f"*/{CORPUS_NAMES}-*.parquet"))
    assert len(stored) == 2  # the state of the first run and of the grown one
    for path in [*stored, *cache.glob("*/corpus-duplicate_of-*.parquet")]:
        path.unlink()
    cold = toolkit.analyze_articles(articles, cache=True, cache_dir=cache)
    assert sum(computed) == (~old).sum()
    return grown, cold


def assert_same(left: toolkit.Analysis, right: toolkit.Analysis) -> None:
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(left, name), getattr(right, name), obj=name)


def test_adding_wikinews_articles_gives_the_frames_of_a_run_over_all(tmp_path: Path, computed: list[int]) -> None:
    articles, _ = toolkit.load_with_problems(OPEN_NEWS)
    old = np.random.default_rng(13).random(len(articles)) < 0.75  # the new ones spread through the corpus
    grown, cold = grown_and_cold(articles, old, tmp_path, computed)
    assert_same(grown, cold)


@needs_corpus
def test_adding_reuters_articles_renames_old_mentions_as_a_run_over_all_does(tmp_path: Path,
                                                                               computed: list[int]) -> None:
    articles, _ = toolkit.load_with_problems(REUTERS)
    articles = articles.iloc[:400].reset_index(drop=True)
    old = np.arange(len(articles)) % 4 != 3
    grown, cold = grown_and_cold(articles, old, tmp_path, computed)
    assert_same(grown, cold)
    assert cold.articles["duplicate_of"].notna().any()
    renamed = cold.entities["rule"].eq("surname of a full name in the corpus")
    assert renamed.sum() > 10  # the corpus step had work to do, in old articles too
    assert cold.entities.loc[renamed, "article_id"].isin(articles.loc[old, "article_id"]).any()


def test_new_articles_change_the_names_of_old_ones_as_a_full_run_does() -> None:
    """One new article naming a second "Hale" makes the surname ambiguous: the old article's "Hale",
    resolved before, goes back to "Hale"; a new full name resolves an old surname it never could."""
    def mention(article: str, entity: str, label: str = "PERSON", day: int = 1) -> dict[str, object]:
        return {"article_id": article, "sentence_id": 0, "start": 0, "end": 1, "text": entity, "label": label,
                "entity": entity, "rule": "", "country": pd.NA, "compound": 0.0,
                "published": pd.Timestamp(f"1987-03-0{day}")}

    old = [mention("a", "Hale"), mention("a", "Treasury", "ORG"), mention("b", "Anna Hale"),
           mention("b", "Treasury", "ORG"), mention("c", "Brandt"), mention("c", "Bonn", "GPE")]
    new = [mention("d", "Tom Hale", day=2), mention("e", "Willy Brandt"), mention("e", "Bonn", "GPE")]
    before = pd.DataFrame(old).astype({"article_id": "string", "entity": "string", "label": "string",
                                       "rule": "string", "country": "string"})
    every = pd.concat([before, pd.DataFrame(new).astype(before.dtypes.to_dict())], ignore_index=True)
    surnames, first = resolve_corpus_steps(before)
    assert first["entity"].tolist()[:1] == ["Anna Hale"] and first["entity"].tolist()[4] == "Brandt"
    previous = pd.DataFrame(index=every.index, columns=[f"surname_{c}" for c in NAME_COLUMNS] + NAME_COLUMNS,
                            dtype="string")
    for column in NAME_COLUMNS:
        previous.loc[: len(before) - 1, f"surname_{column}"] = surnames[column].to_numpy()
        previous.loc[: len(before) - 1, column] = first[column].to_numpy()
    grown_surnames, grown = resolve_corpus_steps(every, previous)
    full_surnames, full = resolve_corpus_steps(every)
    pd.testing.assert_frame_equal(grown, full)
    pd.testing.assert_frame_equal(grown_surnames, full_surnames)
    assert grown["entity"].tolist()[0] == "Hale" and grown["entity"].tolist()[4] == "Willy Brandt"

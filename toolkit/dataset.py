"""Results as a dataset: each frame of an analysis as a Parquet dataset partitioned by month, and back.

`Analysis.save(DIR)` writes, beside the one-file frames (`DIR/entities.parquet`, `.csv`), one folder a
frame, `DIR/entities/month=1987-03/part-0.parquet`, that Dask (`dask.dataframe.read_parquet`), pandas
(`pd.read_parquet`) and DuckDB (`read_parquet('DIR/entities/*/*.parquet', hive_partitioning=true)`) read
directly, each row carrying `month` (its article's month of publication, "undated" when unknown).

Partitioned by month of publication, not by chunk: a question about a period reads only its months
(Dask, pandas and DuckDB all skip the other folders on a `month` filter), and a growing feed adds rows to
its newest months; a month larger than `ROWS_PER_FILE` rows is cut into several files, so no Dask
partition grows without bound. `problems` is not about one article, so it is one unpartitioned file.

`toolkit.open(DIR)` gives the `Analysis` back without recomputing: in memory (the one-file frames, rows
in their analysed order) when it fits, else a `LazyAnalysis` of Dask frames read from the datasets.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from toolkit.load import PathArg
from toolkit.pipeline import Analysis
from toolkit.problems import InputError

PARTITION = "month"
UNDATED = "undated"
ROWS_PER_FILE = 500_000  # rows a file at most: bounded Dask partitions however big a month is
FRAMES = ("articles", "sentences", "entities", "dates", "quotes", "problems")
# In-memory pandas frames take about this many times their datasets' Parquet bytes (Reuters-21578's
# frames: 2.97; see benchmarks/README.md, "Results as a Parquet dataset").
MEMORY_PER_DISK_BYTE = 3
MEMORY_SHARE = 0.25  # open lazily when the frames would take more than this share of the machine's memory
# What the views (Explorer, report) read of a lazy analysis: every column they count or show.
VIEW_COLUMNS = {
    "articles": ["article_id", "title", "published", "text", "duplicate_of"],  # text: the quotes' passages
    "sentences": ["article_id", "sentence_id", "start", "end", "text", "compound", "position"],
    "entities": None,
    "dates": None,
    "quotes": None,
    "problems": None,
}


def months(articles: pd.DataFrame) -> pd.Series:
    """Each article's month of publication as "YYYY-MM" ("undated" when unknown), indexed by `article_id`."""
    published = pd.to_datetime(articles["published"])
    month = published.dt.strftime("%Y-%m").fillna(UNDATED) if len(articles) else pd.Series(dtype=str)
    ids = articles["article_id"].astype(str)
    return pd.Series(month.to_numpy(), index=ids.to_numpy(), dtype=str).groupby(level=0, sort=False).first()


def write_datasets(analysis: Analysis, out: PathArg) -> list[Path]:
    """Write each frame as a dataset folder in `out` (replacing an older one whole); returns the folders."""
    out = Path(out)
    of_article = months(analysis.articles)
    written = []
    for name in FRAMES:
        frame = getattr(analysis, name)
        target = out / name
        staging = Path(tempfile.mkdtemp(dir=out, prefix=f".{name}."))
        try:
            if name == "problems":
                frame.to_parquet(staging / "part-0.parquet", index=False)
            else:
                month = frame["article_id"].astype(str).map(of_article).fillna(UNDATED).to_numpy(dtype=str)
                _write_partitions(frame, month, staging)
            if target.exists():
                shutil.rmtree(target)
            os.replace(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        written.append(target)
    return written


def _write_partitions(frame: pd.DataFrame, month: np.ndarray, folder: Path) -> None:
    """Each month's rows as `month=M/part-N.parquet` (hive style), `ROWS_PER_FILE` rows a file at most.

    Written file by file with `pyarrow.parquet`, not `pyarrow.dataset.write_dataset`: the dataset writer's
    threads can abort the process as it exits right after writing ("terminate called without an active
    exception", apache/arrow#36980), which is just what `analyze --out` does.
    """
    for value in np.unique(month):
        rows = frame[month == value]
        (folder / f"{PARTITION}={value}").mkdir()
        for number, start in enumerate(range(0, len(rows), ROWS_PER_FILE)):
            part = pa.Table.from_pandas(rows.iloc[start:start + ROWS_PER_FILE], preserve_index=False)
            pq.write_table(part, folder / f"{PARTITION}={value}" / f"part-{number}.parquet",
                           row_group_size=min(ROWS_PER_FILE, 100_000))


@dataclass
class LazyAnalysis:
    """An analysis too large for memory: each frame a Dask DataFrame over its dataset (with `month`).

    `compute()` reads it all into an `Analysis`; `compute(VIEW_COLUMNS)` only what the views need.
    """

    folder: Path
    articles: Any
    sentences: Any
    entities: Any
    dates: Any
    quotes: Any
    problems: Any

    def compute(self, columns: dict[str, list[str] | None] | None = None) -> Analysis:
        """The frames in memory (all their columns, or those `columns` names a frame), `month` left out."""
        frames = {}
        for name in FRAMES:
            wanted = None if columns is None else columns.get(name)
            frame = getattr(self, name)
            frame = frame[wanted] if wanted is not None else frame.drop(columns=PARTITION, errors="ignore")
            frames[name] = frame.compute().reset_index(drop=True)
        return Analysis(**frames)


def in_memory(analysis: Analysis | LazyAnalysis) -> Analysis:
    """What a view needs in memory: an `Analysis` as is, or the view columns of a lazy one."""
    return analysis.compute(VIEW_COLUMNS) if isinstance(analysis, LazyAnalysis) else analysis


def memory_limit() -> int:
    """Bytes of frames `open` reads into memory before it turns lazy: a quarter of this machine's memory."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        total = 8 * 2**30
    return int(total * MEMORY_SHARE)


def estimated_memory(folder: PathArg) -> int:
    """Bytes the frames in `folder` would take in pandas: their datasets' size on disk, times a measured ratio."""
    size = sum(path.stat().st_size for name in FRAMES for path in (Path(folder) / name).rglob("*.parquet"))
    return size * MEMORY_PER_DISK_BYTE


def open_analysis(folder: PathArg, *, lazy: bool | None = None, limit: int | None = None) -> Analysis | LazyAnalysis:
    """The analysis `analyze --out DIR` (or `Analysis.save`) wrote in `folder`, without recomputing it.

    `lazy=None` (default) reads it into memory when its estimated size is at most `limit` bytes (default
    `memory_limit()`), else returns a `LazyAnalysis` of Dask frames; `lazy=True` or `False` decides.
    """
    folder = Path(folder)
    missing = [name for name in FRAMES if not (folder / f"{name}.parquet").is_file() and not (folder / name).is_dir()]
    if not folder.is_dir() or missing:
        raise InputError(folder, f"not an analysis folder: no {', '.join(missing or FRAMES)} "
                                 "(write one with python -m toolkit analyze PATH --out DIR)")
    if lazy is None:
        lazy = estimated_memory(folder) > (memory_limit() if limit is None else limit)
    if lazy:
        return _lazy(folder)
    frames = {}
    for name in FRAMES:
        single = folder / f"{name}.parquet"
        frames[name] = (pd.read_parquet(single) if single.is_file()
                        else pd.read_parquet(folder / name).drop(columns=PARTITION, errors="ignore"))
    return Analysis(**frames)


def _lazy(folder: Path) -> LazyAnalysis:
    try:
        import dask.dataframe as dd
    except ImportError:
        raise ImportError("a lazy analysis needs Dask: pip install 'newslens-toolkit[dask]'") from None
    for name in FRAMES:
        if not (folder / name).is_dir():
            raise InputError(folder / name, "no dataset folder to read lazily (written before datasets existed: "
                                            "analyse again with --out)")
    return LazyAnalysis(folder, **{name: dd.read_parquet(folder / name) for name in FRAMES})

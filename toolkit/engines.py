"""Per-article work as one pure function, and the engines that run it over chunks of a corpus.

`analyze_chunk` turns a chunk of articles into its frames (clean -> split -> score -> tag -> tone ->
attribute quotes -> dates),
using nothing but the articles and the `Settings`; every engine runs that same function, so the
local process pool, Dask and the cache all give the same rows. Corpus-level steps (surnames across
the corpus, near-duplicates) run later, on the combined frames (see `toolkit.pipeline`).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from toolkit.clean import DEFAULT_RULES, Rule, clean
from toolkit.dates import resolve_dates
from toolkit.dedup import signatures
from toolkit.entities import tag_articles
from toolkit.quotes import attribute
from toolkit.sentiment import score
from toolkit.text import split
from toolkit.tone import entity_tone

ENGINES = ("local", "dask")
CHUNK_SIZE = 200  # articles a task: big enough for spaCy's batching, small enough to resume after a stop


@dataclass(frozen=True)
class Settings:
    """Everything besides the article itself that decides its frames."""

    rules: tuple[Rule, ...] = DEFAULT_RULES
    sentiment: str = "vader"
    aliases: pd.DataFrame | None = field(default=None, hash=False, compare=False)
    demonyms: pd.DataFrame | None = field(default=None, hash=False, compare=False)
    model: str | None = None  # spaCy pipeline: package name or folder (None: the small English model)
    reporting_verbs: pd.DataFrame | None = field(default=None, hash=False, compare=False)


@dataclass
class Frames:
    """The per-article frames of some articles (`articles` holds `article_id, text, removed` and the
    text's `minhash` signature, for the near-duplicate step)."""

    articles: pd.DataFrame
    sentences: pd.DataFrame
    entities: pd.DataFrame
    dates: pd.DataFrame
    quotes: pd.DataFrame

    @classmethod
    def concat(cls, parts: Sequence[Frames]) -> Frames:
        return cls(*(pd.concat([getattr(p, name) for p in parts], ignore_index=True) for name in FRAME_NAMES))


FRAME_NAMES = ("articles", "sentences", "entities", "dates", "quotes")


def analyze_chunk(articles: pd.DataFrame, settings: Settings) -> Frames:
    """The per-article stages on a chunk of articles (`article_id`, `raw_text`, `published`): a pure function."""
    cleaned = clean(articles, rules=settings.rules)
    sentences = cleaned.pipe(split).pipe(score, sentiment=settings.sentiment)
    entities = entity_tone(tag_articles(cleaned, sentences, aliases=settings.aliases, demonyms=settings.demonyms,
                                        model=settings.model), sentences)
    return Frames(
        articles=cleaned[["article_id", "text", "removed"]].reset_index(drop=True).assign(
            minhash=signatures(cleaned["text"].tolist())),
        sentences=sentences,
        entities=entities,
        dates=resolve_dates(cleaned, sentences, entities),
        quotes=attribute(cleaned, sentences, entities, verbs=settings.reporting_verbs, sentiment=settings.sentiment),
    )


def chunked(articles: pd.DataFrame, size: int = CHUNK_SIZE) -> Iterator[pd.DataFrame]:
    """Consecutive slices of at most `size` articles."""
    for start in range(0, len(articles), size):
        yield articles.iloc[start:start + size]


OnResult = Callable[[Frames], None]


def _start_worker(model: str | None = None) -> None:
    """Pool initializer: leave Ctrl-C to the parent (which stops the pool), and load spaCy once in each
    worker, before its first chunk."""
    from toolkit.nlp import ner_pipeline

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    ner_pipeline(model)


def default_workers() -> int:
    """One worker a core the process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def run_local(chunks: Sequence[pd.DataFrame], settings: Settings, on_result: OnResult, *, workers: int) -> None:
    """Run every chunk, in this process (one worker or one chunk) or in a pool of `workers` processes.

    `on_result` gets each chunk's frames as soon as they are done, in completion order. On an error or
    Ctrl-C, chunks not started are cancelled and the pool shut down; chunks already handed over stay so.
    """
    if workers <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            on_result(analyze_chunk(chunk, settings))
        return
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    pool = ProcessPoolExecutor(max_workers=min(workers, len(chunks)), mp_context=multiprocessing.get_context(method),
                               initializer=_start_worker, initargs=(settings.model,))
    try:
        pending: set[Future[Frames]] = {pool.submit(analyze_chunk, chunk, settings) for chunk in chunks}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                on_result(future.result())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def run_dask(chunks: Sequence[pd.DataFrame], settings: Settings, on_result: OnResult, *, client: Any = None) -> None:
    """Run every chunk as a task on a Dask cluster, handing results over as they finish.

    `client=None` uses the current client, else the scheduler at `$DASK_SCHEDULER_ADDRESS`, else a
    local cluster of one single-threaded process a core, closed afterwards.
    """
    try:
        import dask
        from distributed import Client, as_completed, default_client
    except ImportError:
        raise ImportError("engine='dask' needs Dask: pip install 'newslens-toolkit[dask]'") from None

    own = None
    if client is None:
        try:
            client = default_client()
        except ValueError:
            address = dask.config.get("scheduler-address", None)  # also set by $DASK_SCHEDULER_ADDRESS
            own = client = Client(address) if address else Client(
                processes=True, n_workers=default_workers(), threads_per_worker=1)
    try:
        [remote_settings] = client.scatter([settings], broadcast=True)
        futures = [client.submit(analyze_chunk, chunk, remote_settings, pure=False) for chunk in chunks]
        try:
            for future in as_completed(futures):
                on_result(future.result())
        finally:
            client.cancel(futures)
    finally:
        if own is not None:
            own.close()

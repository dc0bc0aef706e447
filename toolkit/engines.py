"""Per-article work as one pure function, and the engines that run it over chunks of a corpus.

`analyze_chunk` turns a chunk of articles into its frames (clean -> split -> score -> tag -> tone ->
attribute quotes -> dates),
using nothing but the articles and the `Settings`; every engine runs that same function, so the
local process pool, Dask and the cache all give the same rows. Corpus-level steps (surnames across
the corpus, near-duplicates) run later, on the combined frames (see `toolkit.pipeline`).

The local pool outlives a call: a notebook's kernel analyses again and again, and each worker keeps
its spaCy model loaded (`shutdown_pool` frees them; interpreter exit does too). On Dask, each worker
process loads the model on its first chunk and keeps it (`toolkit.nlp.ner_pipeline` caches it).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import itertools
import logging
import multiprocessing
import os
import signal
import socket
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from toolkit.clean import DEFAULT_RULES, Rule, clean
from toolkit.dates import resolve_dates
from toolkit.dedup import signature_array, signatures
from toolkit.entities import tag_articles
from toolkit.nlp import one_blas_thread
from toolkit.problems import InputError, one_line
from toolkit.quotes import attribute
from toolkit.sentiment import score
from toolkit.text import split
from toolkit.tone import entity_tone

ENGINES = ("local", "dask")
CHUNK_SIZE = 200  # articles a task: big enough for spaCy's batching, small enough to resume after a stop
SCHEDULER_TIMEOUT = 10  # seconds a Dask scheduler has to answer before we say it cannot be reached


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
    text's `minhash` signature, Arrow binary, for the near-duplicate step)."""

    articles: pd.DataFrame
    sentences: pd.DataFrame
    entities: pd.DataFrame
    dates: pd.DataFrame
    quotes: pd.DataFrame

    @classmethod
    def concat(cls, parts: Sequence[Frames]) -> Frames:
        """The parts' frames one after another. The parts are spent: each of their frames is emptied once
        joined, so a corpus's frames are never all held twice (the chunks and the whole)."""
        joined = []
        for name in FRAME_NAMES:
            joined.append(pd.concat([getattr(part, name) for part in parts], ignore_index=True))
            for part in parts:
                setattr(part, name, getattr(part, name).iloc[:0])
        return cls(*joined)


FRAME_NAMES = ("articles", "sentences", "entities", "dates", "quotes")


def analyze_chunk(articles: pd.DataFrame, settings: Settings) -> Frames:
    """The per-article stages on a chunk of articles (`article_id`, `raw_text`, `published`): a pure function."""
    with one_blas_thread():
        cleaned = clean(articles, rules=settings.rules)
        sentences = cleaned.pipe(split).pipe(score, sentiment=settings.sentiment)
        entities = entity_tone(tag_articles(cleaned, sentences, aliases=settings.aliases, demonyms=settings.demonyms,
                                            model=settings.model), sentences)
        return Frames(
            articles=cleaned[["article_id", "text", "removed"]].reset_index(drop=True).assign(
                minhash=signature_array(signatures(cleaned["text"].tolist()))),
            sentences=sentences,
            entities=entities,
            dates=resolve_dates(cleaned, sentences, entities),
            quotes=attribute(cleaned, sentences, entities, verbs=settings.reporting_verbs,
                             sentiment=settings.sentiment),
        )


def chunked(articles: pd.DataFrame, size: int = CHUNK_SIZE) -> Iterator[pd.DataFrame]:
    """Consecutive slices of at most `size` articles."""
    for start in range(0, len(articles), size):
        yield articles.iloc[start:start + size]


OnResult = Callable[[Frames], None]


def _start_worker(model: str | None = None) -> None:
    """Pool initializer: leave Ctrl-C to the parent (which stops the pool), and load spaCy once in each
    worker, before its first chunk. What is loaded by then (modules, the model) stays for the worker's
    life, so it is moved out of the garbage collector's sight (`gc.freeze`): its full collections, which
    come every few chunks, no longer walk the model's objects (0.6 s of CPU less per 2,000 articles)."""
    from toolkit.nlp import ner_pipeline

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    ner_pipeline(model)
    gc.freeze()


def default_workers() -> int:
    """One worker a core the process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# Modules every worker imports, imported once in the fork server that forks the workers instead of once in
# each worker (about 1.8 s of CPU each, NLTK's 0.9 s the most).
WORKER_MODULES = ("toolkit.engines", "nltk.tokenize.punkt", "nltk.tokenize.destructive", "spacy",
                  "vaderSentiment.vaderSentiment")
# The kept pool, by what decides it (worker count, spaCy model): at most one entry.
_kept: dict[tuple[int, str | None], ProcessPoolExecutor] = {}
_kept_lock = threading.Lock()


def worker_pool(workers: int, model: str | None = None) -> ProcessPoolExecutor:
    """This process's pool of `workers` processes that load `model`, started on first use and kept for
    the next call; asking for another count or model replaces it."""
    key = (workers, model)
    with _kept_lock:
        if key not in _kept:
            _stop_kept()
            method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
            context = multiprocessing.get_context(method)
            if method == "forkserver":  # no effect on a fork server already running
                context.set_forkserver_preload(["__main__", *WORKER_MODULES])
            _kept[key] = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker,
                                             initargs=(model,))
        return _kept[key]


def kept_pool_size(model: str | None = None) -> int:
    """Workers in the kept pool for `model` (0 when there is none): a warm pool is worth using for any
    number of articles, since its models are loaded already."""
    with _kept_lock:
        return next((workers for workers, kept_model in _kept if kept_model == model), 0)


def shutdown_pool() -> None:
    """Stop the kept worker pool and free its models (done at interpreter exit, and after an error or Ctrl-C)."""
    with _kept_lock:
        _stop_kept()


def _stop_kept() -> None:
    while _kept:
        _, pool = _kept.popitem()
        pool.shutdown(wait=True, cancel_futures=True)


atexit.register(shutdown_pool)


def run_local(chunks: Sequence[pd.DataFrame], settings: Settings, on_result: OnResult, *, workers: int) -> None:
    """Run every chunk, in this process (one worker, or one chunk and no pool kept) or in the kept pool of
    `workers` processes.

    `on_result` gets each chunk's frames as soon as they are done, in completion order. On an error or
    Ctrl-C, chunks not started are cancelled and the pool shut down (the next call starts a fresh one);
    chunks already handed over stay so.
    """
    if workers <= 1 or (len(chunks) <= 1 and kept_pool_size(settings.model) != workers):
        for chunk in chunks:
            on_result(analyze_chunk(chunk, settings))
        return
    try:
        try:
            pending = _submit(worker_pool(workers, settings.model), chunks, settings)
        except BrokenProcessPool:  # a kept worker died while idle (out of memory, killed): start afresh
            shutdown_pool()
            pending = _submit(worker_pool(workers, settings.model), chunks, settings)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                on_result(future.result())
    except BaseException:
        shutdown_pool()
        raise


def _submit(pool: ProcessPoolExecutor, chunks: Sequence[pd.DataFrame], settings: Settings) -> set[Future[Frames]]:
    return {pool.submit(analyze_chunk, chunk, settings) for chunk in chunks}


def run_dask(chunks: Sequence[pd.DataFrame], settings: Settings, on_result: OnResult, *, client: Any = None,
             scheduler: str | None = None) -> None:
    """Run every chunk as a task on a Dask cluster, handing results over as they finish.

    On `client`, else on the scheduler at the address `scheduler` ("tcp://host:8786"), else the current
    client, else the scheduler at `$DASK_SCHEDULER_ADDRESS`, else a local cluster of one single-threaded
    process a core; a client made here is closed afterwards. Each task carries its chunk and the
    settings, so the scheduler can rerun it elsewhere when a worker dies (up to the scheduler's
    `distributed.scheduler.allowed-failures` times).
    """
    try:
        import dask
        from distributed import Client, as_completed, default_client
    except ImportError:
        raise ImportError("engine='dask' needs Dask: pip install 'newslens-toolkit[dask]'") from None

    own = None
    if client is None and scheduler is None:
        try:
            client = default_client()
        except ValueError:
            scheduler = dask.config.get("scheduler-address", None)  # also set by $DASK_SCHEDULER_ADDRESS
    if client is None:
        own = client = connect(scheduler) if scheduler else Client(
            processes=True, n_workers=default_workers(), threads_per_worker=1, silence_logs=logging.ERROR,
            dashboard_address=":0")  # any free port: a dashboard already on 8787 (a notebook's) is not a warning
    pending: set[Any] = set()
    try:
        waiting = iter(chunks)
        pending.update(client.submit(analyze_chunk, chunk, settings, pure=False)
                       for chunk in itertools.islice(waiting, _in_flight(client)))
        running = as_completed(list(pending))
        for future in running:
            on_result(future.result())
            pending.discard(future)
            future.release()  # a finished chunk lost with its worker is not recomputed
            for chunk in itertools.islice(waiting, 1):  # one more in, one out
                following = client.submit(analyze_chunk, chunk, settings, pure=False)
                pending.add(following)
                running.add(following)
    finally:
        with _quiet_logs("distributed") if own is not None else contextlib.nullcontext():
            client.cancel(list(pending))
            if own is not None:
                own.close()


@contextlib.contextmanager
def _quiet_logs(name: str) -> Iterator[None]:
    """Hold the logger `name` (and its children) to CRITICAL for the block. Stopping our own local cluster
    mid-run (Ctrl-C) can make its in-process scheduler log an error about the result being gathered as it
    is cancelled ("Couldn't gather keys ... forgotten"): noise under the one-line "interrupted" message."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _in_flight(client: Any) -> int:
    """Chunks handed to the cluster at a time: two a worker thread (one running, one queued), at least four.
    Submitting every chunk at once would hold every chunk's text in the client (and the scheduler) until
    its result came back: gigabytes at ten times Reuters."""
    return max(4, 2 * sum(client.nthreads().values()))


def connect(scheduler: str) -> Any:
    """A Dask client of the scheduler at `scheduler`; an `InputError` naming it when none answers.

    A TCP address is probed with a plain socket first: nothing listening (refused) fails at once rather
    than after Dask's retries, and a server that is not a scheduler within `SCHEDULER_TIMEOUT` rather
    than never (a scheduler greets every connection straight away; Dask waits for a web server's
    greeting, as at the dashboard's port, forever).
    """
    from distributed import Client
    from distributed.comm import parse_address
    from distributed.comm.addressing import parse_host_port

    try:
        scheme, location = parse_address(scheduler)
        if scheme in ("tcp", "tls"):
            host_port = parse_host_port(location, default_port=8786)
            with socket.create_connection(host_port, timeout=SCHEDULER_TIMEOUT) as probe:
                if scheme == "tcp" and not probe.recv(1):
                    raise ConnectionResetError("closed without a word")
    except (ValueError, TypeError) as error:
        raise InputError(scheduler, f"not a Dask scheduler address: {one_line(error)}") from None
    except OSError as error:  # refused, unknown host, silent (timed out), closed
        raise InputError(scheduler, f"no Dask scheduler answers here ({one_line(error.strerror or error)}); start "
                                    "one with `dask scheduler` and workers with `dask worker ADDRESS`") from None
    try:
        return Client(scheduler, timeout=SCHEDULER_TIMEOUT)
    except Exception as error:  # something listens and speaks, but not as Dask does
        raise InputError(scheduler,
                         f"no Dask scheduler answers here ({type(error).__name__}: {one_line(error)})") from None

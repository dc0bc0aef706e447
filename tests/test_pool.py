"""The local worker pool outlives a call: a second analysis in the same process (a notebook's kernel)
uses the same worker processes, with their models loaded, and gives the same frames; Ctrl-C drops it."""

from __future__ import annotations

import importlib
import multiprocessing

import pytest

import toolkit
from tests.test_cache import assert_same, corpus
from toolkit import engines
from toolkit.engines import Frames, Settings, chunked, kept_pool_size, run_local
from toolkit.nlp import _load_pipeline


def test_calls_reuse_the_same_workers_until_ctrl_c_and_agree_with_this_process():  # conftest stops the pool after
    articles = corpus(8)
    first, second = articles.iloc[:4].reset_index(drop=True), articles.iloc[4:].reset_index(drop=True)
    before = {child.pid for child in multiprocessing.active_children()}

    def children() -> set[int]:
        return {child.pid for child in multiprocessing.active_children()} - before

    one = toolkit.analyze_articles(first, workers=2, chunk_size=2)
    workers = children()
    assert len(workers) == 2 and kept_pool_size() == 2
    two = toolkit.analyze_articles(second, workers=2, chunk_size=2)
    here = _load_pipeline.cache_info()
    three = toolkit.analyze_articles(second.iloc[:1])  # one article, no count given: the warm pool takes it
    assert _load_pipeline.cache_info() == here  # spaCy was not asked for in this process
    assert children() == workers

    def stopped_by_the_user(frames: Frames) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_local(list(chunked(first, 1)), Settings(), stopped_by_the_user, workers=2)
    assert kept_pool_size() == 0 and not children()
    again = toolkit.analyze_articles(first, workers=2, chunk_size=2)
    assert len(children()) == 2 and not children() & workers

    assert_same(one, toolkit.analyze_articles(first))
    assert_same(again, one)
    assert_same(two, toolkit.analyze_articles(second))
    assert_same(three, toolkit.analyze_articles(second.iloc[:1]))


def test_the_modules_preloaded_for_workers_exist():
    """The fork server imports `WORKER_MODULES` before forking the workers and skips silently any it cannot
    import, which would cost each worker that import again: every name must be importable."""
    for name in engines.WORKER_MODULES:
        importlib.import_module(name)

"""The Dask engine runs the same per-article function and gives exactly the local engine's frames."""

from __future__ import annotations

import pandas as pd
import pytest

import toolkit
import toolkit.engines
from tests.conftest import REUTERS
from tests.test_cache import assert_same, corpus
from toolkit.load import load_with_problems

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def articles() -> pd.DataFrame:
    """200 Reuters articles, or synthetic ones when the corpus is not beside the project."""
    if not REUTERS.is_file():
        return corpus(60)
    return load_with_problems(REUTERS)[0].iloc[:200].reset_index(drop=True)


def test_dask_gives_the_local_engines_frames(client, articles):
    local = toolkit.analyze_articles(articles)
    remote = toolkit.analyze_articles(articles, engine="dask", client=client, chunk_size=40)
    assert_same(remote, local)
    assert len(remote.entities) > 0


def test_dask_fills_the_cache_that_a_local_run_then_reads(client, tmp_path, monkeypatch):
    sample = corpus(6)
    remote = toolkit.analyze_articles(sample, engine="dask", client=client, cache=True, cache_dir=tmp_path,
                                      chunk_size=3)
    monkeypatch.setattr(toolkit.engines, "analyze_chunk", lambda *_: pytest.fail("recomputed a cached article"))
    assert_same(toolkit.analyze_articles(sample, cache=True, cache_dir=tmp_path), remote)


def test_dask_hands_the_cluster_a_few_chunks_at_a_time(client):
    """The client keeps at most two chunks a worker thread on the cluster (four here), not every chunk's
    text at once: what bounds its memory on a corpus ten times Reuters."""
    submitted: list[object] = []

    class Watched:
        """The real client, counting what is handed to it."""

        def submit(self, *args, **kwargs):
            submitted.append(args[1])
            return client.submit(*args, **kwargs)

        def __getattr__(self, name):
            return getattr(client, name)

    outstanding: list[int] = []
    chunks = list(toolkit.engines.chunked(corpus(12), 1))
    toolkit.engines.run_dask(chunks, toolkit.engines.Settings(),
                             lambda frames: outstanding.append(len(submitted) - len(outstanding)), client=Watched())
    assert len(submitted) == len(outstanding) == 12
    assert max(outstanding) == 4

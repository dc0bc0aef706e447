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

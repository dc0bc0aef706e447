"""Shared fixtures: the sample article, its analysis, and the Reuters corpus when it is beside the project."""

from __future__ import annotations

import json
import gzip
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import toolkit

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SAMPLE = DATA / "000_739a1000ab1b0261.txt"
# REUTERS_CORPUS (as in benchmarks/) points elsewhere, e.g. from the mutants/ copy `make mutate` tests in.
REUTERS = Path(os.environ.get("REUTERS_CORPUS", ROOT.parent / "shared" / "corpora" / "reuters21578.jsonl.gz"))
GOLD = Path(__file__).resolve().parent / "data"

needs_corpus = pytest.mark.skipif(not REUTERS.is_file(), reason=f"Reuters corpus not found at {REUTERS}")


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every analysis in the suite (subprocesses included) caches in a temporary folder, not the user's."""
    folder = tmp_path_factory.mktemp("newslens-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSLENS_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(autouse=True)
def no_kept_pool() -> Iterator[None]:
    """Each test starts without a worker pool an earlier test left running (a kept pool takes any run)."""
    yield
    from toolkit.engines import shutdown_pool

    shutdown_pool()


@pytest.fixture(scope="session")
def sample_analysis() -> toolkit.Analysis:
    return toolkit.analyze(DATA)


@pytest.fixture(scope="session")
def sample_text(sample_analysis: toolkit.Analysis) -> str:
    return sample_analysis.articles["text"].iloc[0]


@pytest.fixture(scope="session")
def reuters_raw() -> dict[str, str]:
    """Raw `text` of every Reuters article, by id (the corpus stays in ../shared; nothing is copied)."""
    if not REUTERS.is_file():
        pytest.skip(f"Reuters corpus not found at {REUTERS}")
    with gzip.open(REUTERS, "rt", encoding="utf-8") as lines:
        return {item["id"]: item["text"] for item in map(json.loads, lines)}

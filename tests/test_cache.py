"""The per-article cache: warm runs read instead of computing, a changed article is recomputed alone,
and a run stopped part-way leaves only whole chunks, from which the next run resumes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import toolkit
import toolkit.engines
from tests.conftest import ROOT, SAMPLE
from toolkit.cache import ENV_VAR, ArticleCache, default_cache_dir
from toolkit.clean import DEFAULT_RULES, Rule
from toolkit.engines import Settings

FRAMES = ("articles", "sentences", "entities", "dates", "problems")


def assert_same(left: toolkit.Analysis, right: toolkit.Analysis) -> None:
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(left, name), getattr(right, name), obj=name)


def corpus(n: int) -> pd.DataFrame:
    """`n` distinct articles: the sample article, each with its own opening sentence."""
    body = SAMPLE.read_text(encoding="utf-8")
    texts = [f"Officials in Geneva met on Thursday for round {i} of talks.\n\n{body}" for i in range(n)]
    return toolkit.from_texts(texts, published="2025-05-16")


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Sizes of the chunks actually computed (in this process) during a test."""
    sizes: list[int] = []
    real = toolkit.engines.analyze_chunk

    def spy(chunk: pd.DataFrame, settings: Settings) -> toolkit.engines.Frames:
        sizes.append(len(chunk))
        return real(chunk, settings)

    monkeypatch.setattr(toolkit.engines, "analyze_chunk", spy)
    return sizes


def test_default_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "mine"))
    assert default_cache_dir() == tmp_path / "mine"
    monkeypatch.delenv(ENV_VAR)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "newslens"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == Path.home() / ".cache" / "newslens"


def test_the_suite_caches_in_a_temporary_folder(private_cache):
    assert default_cache_dir() == private_cache != Path.home() / ".cache" / "newslens"


def test_a_warm_run_reads_everything_and_equals_a_run_without_cache(tmp_path, computed):
    articles = corpus(6)
    fresh = toolkit.analyze_articles(articles)
    computed.clear()
    cold = toolkit.analyze_articles(articles, cache=True, cache_dir=tmp_path, chunk_size=4)
    assert computed == [4, 2]
    warm = toolkit.analyze_articles(articles, cache=True, cache_dir=tmp_path, chunk_size=4)
    assert computed == [4, 2]
    assert_same(cold, fresh)
    assert_same(warm, fresh)


def test_a_changed_article_is_recomputed_alone(tmp_path, computed):
    articles = corpus(5)
    toolkit.analyze_articles(articles, cache=True, cache_dir=tmp_path)
    changed = articles.copy()
    changed.loc[2, "raw_text"] = changed.loc[2, "raw_text"].replace("Geneva", "Vienna")
    computed.clear()
    analysis = toolkit.analyze_articles(changed, cache=True, cache_dir=tmp_path)
    assert computed == [1]
    assert_same(analysis, toolkit.analyze_articles(changed))
    assert "Vienna" in analysis.entities.loc[analysis.entities["article_id"] == "text-2", "entity"].tolist()


def test_the_same_text_under_another_id_or_date_is_handled(tmp_path, computed):
    articles = corpus(2)
    renamed = articles.assign(article_id=pd.array(["x", "y"], dtype="string"))
    later = articles.assign(published=pd.Timestamp("2025-06-20"))
    expected = [toolkit.analyze_articles(renamed), toolkit.analyze_articles(later)]
    toolkit.analyze_articles(articles, cache=True, cache_dir=tmp_path)
    computed.clear()
    assert_same(toolkit.analyze_articles(renamed, cache=True, cache_dir=tmp_path), expected[0])
    assert computed == []
    assert_same(toolkit.analyze_articles(later, cache=True, cache_dir=tmp_path), expected[1])
    assert computed == [2]


def test_other_settings_use_another_folder():
    base = ArticleCache("/c", Settings()).folder
    assert ArticleCache("/c", Settings(rules=(*DEFAULT_RULES, Rule("x", "x")))).folder != base
    assert ArticleCache("/c", Settings(sentiment="nltk")).folder != base
    aliases = pd.DataFrame({"alias": ["Acme"], "entity": ["Acme Corp"]}, dtype="string")
    assert ArticleCache("/c", Settings(aliases=aliases)).folder != base
    assert ArticleCache("/c", Settings()).folder == base


def test_cache_false_writes_nothing(private_cache, tmp_path):
    toolkit.analyze_articles(corpus(1), cache=False, cache_dir=tmp_path)
    assert not any(tmp_path.iterdir())


def test_an_error_mid_run_keeps_finished_chunks_and_the_rerun_resumes(tmp_path, monkeypatch, computed):
    articles = corpus(7)
    spy = toolkit.engines.analyze_chunk

    def fail_third(chunk: pd.DataFrame, settings: Settings) -> toolkit.engines.Frames:
        if len(computed) == 2:
            raise KeyboardInterrupt
        return spy(chunk, settings)

    monkeypatch.setattr(toolkit.engines, "analyze_chunk", fail_third)
    with pytest.raises(KeyboardInterrupt):
        toolkit.analyze_articles(articles, cache=True, cache_dir=tmp_path, chunk_size=2)
    monkeypatch.setattr(toolkit.engines, "analyze_chunk", spy)
    computed.clear()
    resumed = toolkit.analyze_articles(articles, cache=True, cache_dir=tmp_path, chunk_size=2)
    assert computed == [2, 1]
    assert_same(resumed, toolkit.analyze_articles(articles))


KILLED_RUN = """
import sys
import toolkit
from tests.test_cache import corpus
if __name__ == "__main__":
    toolkit.analyze_articles(corpus(40), cache=True, cache_dir=sys.argv[1], chunk_size=4, workers=2)
"""


def test_a_killed_run_leaves_whole_chunks_and_the_rerun_resumes(tmp_path, computed):
    script = tmp_path / "run.py"
    script.write_text(KILLED_RUN)
    cache = tmp_path / "cache"
    child = subprocess.Popen([sys.executable, str(script), str(cache)], cwd=ROOT, start_new_session=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 120
    while len(list(cache.glob("*/chunk-*.articles.parquet"))) < 2 and time.monotonic() < deadline:
        assert child.poll() is None, "the run ended before it could be stopped"
        time.sleep(0.05)
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    stored = list(cache.glob("*/chunk-*.parquet"))
    for path in stored:
        pd.read_parquet(path)  # every file in place is whole
    kept = {path.name: path.stat().st_ino for path in cache.glob("*/chunk-*.articles.parquet")}
    assert 2 <= len(kept) < 10
    resumed = toolkit.analyze_articles(corpus(40), cache=True, cache_dir=cache, chunk_size=4)
    assert sum(computed) == 40 - 4 * len(kept)
    assert all(path.stat().st_ino == kept[path.name] for path in cache.glob("*/chunk-*.articles.parquet")
               if path.name in kept)
    assert_same(resumed, toolkit.analyze_articles(corpus(40)))


def test_near_duplicate_flags_are_cached_for_the_same_corpus(tmp_path, monkeypatch):
    articles = corpus(3)  # the same article thrice, each with its own first sentence: near-copies
    first = toolkit.analyze_articles(articles, cache=True, cache_dir=tmp_path)
    assert first.articles["duplicate_of"].tolist() == [pd.NA, "text-0", "text-0"]
    assert len(list(tmp_path.rglob("corpus-duplicate_of-*.parquet"))) == 1

    def recompute(_: pd.DataFrame) -> pd.Series:
        raise AssertionError("near-duplicates recomputed for an unchanged corpus")

    monkeypatch.setattr("toolkit.pipeline.near_duplicates", recompute)
    assert_same(first, toolkit.analyze_articles(articles, cache=True, cache_dir=tmp_path))

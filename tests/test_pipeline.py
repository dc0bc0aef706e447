"""`analyze` chains the stages; chunked, pooled and cached runs give the same frames as the plain stages."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

import toolkit
from tests.conftest import DATA, ROOT
from tests.test_cache import assert_same, corpus


def test_analyze_articles_equals_the_stages_run_one_by_one():
    articles = corpus(3)
    analysis = toolkit.analyze_articles(articles, chunk_size=2)
    cleaned = toolkit.clean(articles)
    sentences = toolkit.score(toolkit.split(cleaned))
    pd.testing.assert_frame_equal(analysis.articles.drop(columns="duplicate_of"),
                                  cleaned.drop(columns="duplicate_of"))
    pd.testing.assert_frame_equal(analysis.sentences, sentences)
    pd.testing.assert_frame_equal(analysis.entities, toolkit.entity_tone(toolkit.tag(cleaned, sentences), sentences))
    pd.testing.assert_frame_equal(analysis.dates, toolkit.resolve_dates(cleaned, sentences))


def test_an_article_given_twice_gets_its_rows_under_each_id_in_the_articles_order():
    first, second = corpus(2).itertuples(index=False)
    articles = toolkit.from_texts([first.raw_text, second.raw_text, first.raw_text], published="2025-05-16")
    analysis = toolkit.analyze_articles(articles, chunk_size=1)
    ids = articles["article_id"].tolist()
    for name in ("sentences", "entities", "dates", "quotes"):
        frame = getattr(analysis, name)
        assert frame["article_id"].unique().tolist() == ids, name  # every article's rows, in the articles' order
        copy, original = (frame[frame["article_id"] == i].drop(columns="article_id").reset_index(drop=True)
                          for i in (ids[2], ids[0]))
        assert len(original) > 0, name
        pd.testing.assert_frame_equal(copy, original)


def test_a_process_pool_gives_the_same_frames_as_one_process():
    articles = corpus(8)
    assert_same(toolkit.analyze_articles(articles, workers=2, chunk_size=3), toolkit.analyze_articles(articles))


def test_no_articles_give_empty_frames():
    analysis = toolkit.analyze_articles(toolkit.from_texts([]))
    assert all(len(getattr(analysis, name)) == 0 for name in ("articles", "sentences", "entities", "dates"))


def test_an_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="unknown engine 'spark'"):
        toolkit.analyze_articles(corpus(1), engine="spark")


def test_analyze_caches_by_default_and_not_with_cache_false(tmp_path):
    first = toolkit.analyze(DATA, cache_dir=tmp_path)
    assert list(tmp_path.glob("*/chunk-*.articles.parquet"))
    assert_same(toolkit.analyze(DATA, cache_dir=tmp_path), first)
    assert_same(toolkit.analyze(DATA, cache=False, cache_dir=tmp_path / "unused"), first)
    assert not (tmp_path / "unused").exists()


def test_cli_no_cache_and_engine_flags(tmp_path):
    cache = tmp_path / "cache"
    env = {"NEWSLENS_CACHE_DIR": str(cache), "PATH": "", "HOME": str(tmp_path)}

    def run(*flags: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "toolkit", "analyze", str(DATA), "--out", str(tmp_path / "o"),
                               *flags], capture_output=True, text=True, cwd=ROOT, env=env)

    done = run("--no-cache")
    assert done.returncode == 0, done.stderr
    assert not cache.exists()
    done = run("--engine", "local")
    assert done.returncode == 0, done.stderr
    assert list(cache.glob("*/chunk-*.parquet"))
    assert run("--engine", "spark").returncode == 2

"""The per-article cache: warm runs read instead of computing, a changed article is recomputed alone,
and a run stopped part-way leaves only whole chunks, from which the next run resumes."""

from __future__ import annotations

import os
import shutil
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
from toolkit.cache import ENV_VAR, PACKAGE, ArticleCache, CacheWarning, code_files, default_cache_dir
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


# --- a cache that heals ---------------------------------------------------------------------------------

def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _garbage(path: Path) -> None:
    path.write_bytes(b"PAR1 this is not a parquet file" * 10)


DAMAGE = {
    "sentences file deleted": ("sentences", Path.unlink),
    "entities file truncated": ("entities", _truncate),
    "dates file garbage": ("dates", _garbage),
    "manifest truncated": ("articles", _truncate),
    "manifest garbage": ("articles", _garbage),
    "manifest holding another frame": ("articles", lambda path: path.write_bytes(
        path.with_name(path.name.replace("articles", "dates")).read_bytes())),
}


@pytest.mark.parametrize("case", DAMAGE)
def test_a_damaged_chunk_is_recorded_recomputed_and_stored_again(tmp_path, computed, case):
    frame, damage = DAMAGE[case]
    articles = corpus(5)
    fresh = toolkit.analyze_articles(articles)
    toolkit.analyze_articles(articles, cache=True, cache_dir=tmp_path, chunk_size=2)
    [victim] = [path for path in tmp_path.glob(f"*/chunk-*.{frame}.parquet")
                if len(pd.read_parquet(path.with_name(path.name.replace(frame, "articles")))) == 2][:1]
    damage(victim)
    computed.clear()
    healed = toolkit.analyze_articles(articles, cache=True, cache_dir=tmp_path, chunk_size=2)
    assert computed == [2]
    for name in FRAMES[:-1]:
        pd.testing.assert_frame_equal(getattr(healed, name), getattr(fresh, name), obj=name)
    [row] = healed.problems.to_dict("records")
    assert row["source"] == str(victim) and row["action"] == "repaired"
    assert row["problem"].startswith("cache file ") and "recomputed and stored again" in row["problem"]
    computed.clear()
    assert_same(toolkit.analyze_articles(articles, cache=True, cache_dir=tmp_path, chunk_size=2), fresh)
    assert computed == []


def test_damaged_near_duplicate_flags_are_recomputed(tmp_path):
    articles = corpus(3)
    fresh = toolkit.analyze_articles(articles)
    toolkit.analyze_articles(articles, cache=True, cache_dir=tmp_path)
    [flags] = tmp_path.rglob("corpus-duplicate_of-*.parquet")
    _truncate(flags)
    healed = toolkit.analyze_articles(articles, cache=True, cache_dir=tmp_path)
    pd.testing.assert_frame_equal(healed.articles, fresh.articles)
    assert healed.problems["source"].tolist() == [str(flags)]
    assert_same(toolkit.analyze_articles(articles, cache=True, cache_dir=tmp_path), fresh)


def test_an_unwritable_cache_location_means_a_run_without_it_and_one_warning(tmp_path):
    taken = tmp_path / "a-file"
    taken.write_text("not a folder")
    articles = corpus(2)
    with pytest.warns(CacheWarning) as caught:
        analysis = toolkit.analyze_articles(articles, cache=True, cache_dir=taken, chunk_size=1)
    assert len(caught) == 1 and "running without the cache" in str(caught[0].message)
    assert_same(analysis, toolkit.analyze_articles(articles))


UNWRITABLE = {
    "NEWSLENS_CACHE_DIR names a file": lambda tmp: {ENV_VAR: str(tmp / "a-file")},
    "XDG_CACHE_HOME below a file": lambda tmp: {"XDG_CACHE_HOME": str(tmp / "a-file" / "cache")},
    "home below a file": lambda tmp: {"HOME": str(tmp / "a-file" / "home")},
    "read-only home": lambda tmp: {"HOME": str(tmp / "read-only")},
}


@pytest.mark.parametrize("command", ["analyze", "report"])
@pytest.mark.parametrize("case", UNWRITABLE)
def test_commands_run_without_an_unwritable_cache_after_one_warning_line(tmp_path, command, case):
    (tmp_path / "a-file").write_text("not a folder")
    (tmp_path / "read-only").mkdir(mode=0o555)
    if case == "read-only home" and os.access(tmp_path / "read-only", os.W_OK):
        pytest.skip("running as root: a read-only folder is still writable")
    env = {key: value for key, value in os.environ.items() if key not in {ENV_VAR, "XDG_CACHE_HOME"}}
    env.update(UNWRITABLE[case](tmp_path), PYTHONPATH=str(ROOT))
    out = tmp_path / ("out" if command == "analyze" else "report.html")
    done = subprocess.run([sys.executable, "-m", "toolkit", command, str(SAMPLE), "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith("warning: cannot write the cache at ") and line.endswith("; running without the cache")
    assert out.exists()


def test_the_fingerprint_covers_every_module_the_per_article_work_imports(tmp_path):
    names = {path.relative_to(PACKAGE).as_posix() for path in code_files()}
    assert {"engines.py", "clean.py", "text.py", "sentiment.py", "entities.py", "gazetteer.py", "dates.py",
            "nlp.py", "data/aliases.csv", "tone.py", "data/tone_model.npz"} <= names
    assert not names & {"cli.py", "pipeline.py", "report.py", "plots.py", "explore.py", "cache.py"}
    copy = tmp_path / "toolkit"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    (copy / "stance.py").write_text("def stance(frame):\n    return frame\n")
    engines = copy / "engines.py"
    engines.write_text(engines.read_text().replace("def analyze_chunk(", "from toolkit.stance import stance\n\n\ndef analyze_chunk(", 1))
    (copy / "data" / "verbs.csv").write_text("verb\nsaid\n")
    added = {path.relative_to(copy).as_posix() for path in code_files(copy)} - names
    assert added == {"stance.py", "data/verbs.csv"}


def _cache_command(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "toolkit", "cache", *args], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, ENV_VAR: str(cache), "PYTHONPATH": str(ROOT)})


def test_cache_info_lists_folders_and_prune_removes_the_old_ones(tmp_path):
    toolkit.analyze_articles(corpus(3), cache=True, cache_dir=tmp_path, chunk_size=2)
    [current] = [path for path in tmp_path.iterdir()]
    old = tmp_path / "0123456789abcdef0123"
    shutil.copytree(current, old)
    (tmp_path / "notes").mkdir()  # not a cache folder: never listed, never removed
    info = _cache_command("info", cache=tmp_path)
    assert info.returncode == 0, info.stderr
    lines = info.stdout.splitlines()
    assert lines[0].startswith(f"cache at {tmp_path}: 2 folder(s), ")
    by_name = {line.split()[0]: line for line in lines[1:]}
    assert set(by_name) == {current.name, old.name}
    assert "3 articles" in by_name[current.name] and by_name[current.name].endswith("current")
    assert by_name[old.name].endswith("old (other version or settings)")
    pruned = _cache_command("prune", cache=tmp_path)
    assert pruned.returncode == 0 and pruned.stdout.startswith("removed 1 folder(s), ")
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([current.name, "notes"])
    assert _cache_command("prune", "--all", cache=tmp_path).stdout.startswith("removed 1 folder(s), ")
    assert [path.name for path in tmp_path.iterdir()] == ["notes"]

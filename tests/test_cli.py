import json
import os
import signal
import socket
import subprocess
import sys
import time

import pandas as pd
import pytest

from tests.conftest import DATA, ROOT, SAMPLE


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "toolkit", *args], capture_output=True, text=True, cwd=ROOT)


def test_analyze_writes_every_frame_and_a_summary(tmp_path):
    done = run("analyze", str(DATA), "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "1 article(s), 19 sentences" in done.stdout
    assert "'More Shorts'" in done.stdout
    for name in ("articles", "sentences", "entities", "dates", "problems"):
        assert (tmp_path / f"{name}.csv").is_file() and (tmp_path / f"{name}.parquet").is_file()
    sentences = pd.read_parquet(tmp_path / "sentences.parquet")
    assert len(sentences) == 19 and pd.read_csv(tmp_path / "sentences.csv")["text"].tolist() == sentences["text"].tolist()


def test_bad_input_exits_2_with_one_line(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    for path, message in ((tmp_path / "missing.txt", "no such file"), (empty, "empty file")):
        done = run("analyze", str(path), "--out", str(tmp_path / "out"))
        assert done.returncode == 2
        assert done.stderr.strip() == f"error: {path}: {message}" if message == "empty file" else message in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_bad_date_is_refused_by_argparse(tmp_path):
    done = run("analyze", str(DATA), "--out", str(tmp_path), "--published", "2025-02-30")
    assert done.returncode == 2 and "is not a date" in done.stderr


def test_doctor_lists_resources_and_needs_no_download():
    done = run("doctor")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "sha256          1ec9c6e9ee19aade328f8beb393a6afa71a5bb3acf7d3cc22d4ef568df374bf5" in done.stdout
    assert "no downloads needed" in done.stdout


def test_out_must_be_a_folder(tmp_path):
    taken = tmp_path / "taken.txt"
    taken.write_text("x")
    done = run("analyze", str(DATA), "--out", str(taken))
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: {taken}: --out must be a folder, and this is a file"


def test_an_article_that_is_all_boilerplate_is_reported(tmp_path):
    (tmp_path / "junk.txt").write_text("Impact Shorts\nMore Shorts\n)\n", encoding="utf-8")
    (tmp_path / "real.txt").write_text("The talks resumed in Istanbul.", encoding="utf-8")
    done = run("analyze", str(tmp_path), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert f"{tmp_path / 'junk.txt'}: nothing left after cleaning (all boilerplate); no sentences (kept)" in done.stdout


def ctrl_c_as_at_a_terminal() -> None:
    """In the child before it starts: SIGINT at its default, as a terminal gives it. A run started in the
    background by a shell without job control (CI scripts, `cmd &` in a subshell) inherits SIGINT ignored,
    and Python then never turns SIGINT into KeyboardInterrupt: the Ctrl-C tests would test nothing."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_mid_run_says_how_many_chunks_are_saved_in_one_line(tmp_path):
    """A real SIGINT to the command while it analyses 4 chunks of 200 articles, after the first is stored."""
    opening = SAMPLE.read_text(encoding="utf-8")[:600]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps({"id": f"a{i}", "text": f"Talks in Geneva, round {i}. {opening}"})
                                for i in range(800)), encoding="utf-8")
    cache = tmp_path / "cache"
    child = subprocess.Popen([sys.executable, "-m", "toolkit", "analyze", str(corpus), "--out", str(tmp_path / "out")],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=ctrl_c_as_at_a_terminal,
                             env={**os.environ, "NEWSLENS_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 300
    while not list(cache.glob("*/chunk-*.articles.parquet")) and time.monotonic() < deadline:
        assert child.poll() is None, child.communicate()
        time.sleep(0.05)
    child.send_signal(signal.SIGINT)
    stdout, stderr = child.communicate(timeout=120)
    saved = len(list(cache.glob("*/chunk-*.articles.parquet")))
    assert child.returncode == 130, stderr
    assert stderr.splitlines() == [f"interrupted; {saved} of 4 chunks saved; run again to resume"]
    assert 1 <= saved < 4 and stdout == ""


@pytest.mark.parametrize("engine", [["--workers", "2"], ["--engine", "dask"]], ids=["process pool", "dask"])
def test_ctrl_c_over_worker_processes_stops_them_all_and_a_rerun_resumes(tmp_path, engine):
    """SIGINT to the command while 2 worker processes (a local pool, or a local Dask cluster) analyse 4 chunks:
    exit 130 with the one line, no traceback, no process left behind, and the next run reads the saved chunks."""
    psutil = pytest.importorskip("psutil")
    if engine[-1] == "dask":
        pytest.importorskip("distributed")
    opening = SAMPLE.read_text(encoding="utf-8")[:600]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps({"id": f"a{i}", "text": f"Talks in Geneva, round {i}. {opening}"})
                                for i in range(800)), encoding="utf-8")
    cache = tmp_path / "cache"
    command = [sys.executable, "-m", "toolkit", "analyze", str(corpus), "--out", str(tmp_path / "out"), *engine]
    env = {**{name: value for name, value in os.environ.items() if name != "DASK_SCHEDULER_ADDRESS"},
           "NEWSLENS_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}  # a local cluster, not one named outside
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                             preexec_fn=ctrl_c_as_at_a_terminal)
    family: set = set()
    deadline = time.monotonic() + 300
    while not list(cache.glob("*/chunk-*.articles.parquet")) and time.monotonic() < deadline:
        assert child.poll() is None, child.communicate()
        family |= set(psutil.Process(child.pid).children(recursive=True))
        time.sleep(0.05)
    family |= set(psutil.Process(child.pid).children(recursive=True))
    assert len(family) >= 2, family  # the workers were separate processes
    child.send_signal(signal.SIGINT)
    stdout, stderr = child.communicate(timeout=120)
    saved = sorted(cache.glob("*/chunk-*.articles.parquet"))
    assert child.returncode == 130, stderr
    assert stderr.splitlines() == [f"interrupted; {len(saved)} of 4 chunks saved; run again to resume"]
    assert 1 <= len(saved) < 4 and stdout == ""
    _, alive = psutil.wait_procs(family, timeout=30)
    assert not alive, alive
    stamps = {path: path.stat().st_mtime_ns for path in saved}
    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    assert again.returncode == 0, again.stderr
    assert "800 article(s)" in again.stdout
    assert {path: path.stat().st_mtime_ns for path in saved} == stamps  # read back, not recomputed
    assert len(list(cache.glob("*/chunk-*.articles.parquet"))) > len(saved)


def test_report_out_must_be_a_writable_file_path(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    cases = {tmp_path: "--out must be an HTML file to write, and this is a folder",
             blocker / "report.html": "--out must be in a folder, and this is a file",
             blocker / "sub" / "report.html": f"cannot create this folder: {blocker} is a file"}
    for out, message in cases.items():
        done = run("report", str(DATA), "--out", str(out))
        assert done.returncode == 2
        assert done.stderr.splitlines() == [f"error: {out if out == tmp_path else out.parent}: {message}"]


def test_an_impossible_out_folder_fails_at_once_in_one_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    done = run("analyze", str(DATA), "--out", str(blocker / "sub" / "out"))
    assert done.returncode == 2
    assert done.stderr.splitlines() == [f"error: {blocker / 'sub' / 'out'}: cannot create this folder: {blocker} is a file"]


def test_report_no_cache_reads_and_writes_no_cache(tmp_path):
    cache = tmp_path / "cache"
    done = subprocess.run([sys.executable, "-m", "toolkit", "report", str(DATA), "--out", str(tmp_path / "r.html"),
                           "--no-cache"], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "NEWSLENS_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "r.html").is_file() and not cache.exists()


def test_thousands_of_problems_are_summarised_on_the_terminal_and_listed_in_full(tmp_path):
    lines = [json.dumps({"id": "good", "text": "Talks resumed in Geneva on Thursday."})]
    lines += ["{not json" for _ in range(5000)]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(lines), encoding="utf-8")
    done = run("analyze", str(corpus), "--out", str(tmp_path / "out"), "--no-cache")
    assert done.returncode == 0, done.stderr
    printed = done.stdout.splitlines()
    assert len(printed) < 25
    assert any(line.startswith("problems (5,000: 5,000 skipped), by kind:") for line in printed)
    assert "  ... 4,995 more in problems.csv" in printed
    assert len(pd.read_csv(tmp_path / "out" / "problems.csv")) == 5000


def test_the_dask_engine_says_nothing_when_the_usual_dashboard_port_is_taken(tmp_path):
    """A notebook's Dask dashboard often holds port 8787: our own local cluster must not warn about it."""
    pytest.importorskip("distributed")
    with socket.socket() as holder:
        try:
            holder.bind(("127.0.0.1", 8787))
            holder.listen()
        except OSError:
            pass  # already taken by someone else: the situation this test is about
        done = run("analyze", str(SAMPLE), "--engine", "dask", "--no-cache", "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "1 article(s), 19 sentences" in done.stdout

import subprocess
import sys

import pandas as pd

from tests.conftest import DATA, ROOT


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

"""Bad input, case by case: a one-line error naming the file (CLI exit 2), or a recorded repair or skip.

Every case runs through the Python API (`load_with_problems`, `analyze`) and through the CLI
(`toolkit.cli.main`, in-process; `tests/test_cli.py` runs the real subprocess).
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import toolkit
from toolkit.clean import clean
from toolkit.cli import main
from toolkit.load import load_with_problems
from toolkit.sentiment import score
from toolkit.text import split

NEWS = "The minister said talks would resume. Prices rose sharply on Tuesday, officials said.\n"
Maker = Callable[[Path], Path]


def _file(name: str, data: bytes) -> Maker:
    def make(root: Path) -> Path:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path
    return make


def _folder(files: dict[str, bytes]) -> Maker:
    def make(root: Path) -> Path:
        folder = root / "in"
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        return folder
    return make


def _jsonl(name: str, lines: list[str]) -> Maker:
    return _file(name, "\n".join(lines).encode())


def _missing(root: Path) -> Path:
    return root / "nowhere.txt"


def _gzipped(name: str, data: bytes) -> Maker:
    return _file(name, gzip.compress(data))


FATAL = {
    "missing path": (_missing, "no such file or folder"),
    "empty file": (_file("a.txt", b""), "empty file"),
    "whitespace only": (_file("a.txt", b" \n\t\r\n  \n"), "contains only whitespace"),
    "binary named .txt": (_file("a.txt", random.Random(1).randbytes(4096)),
                          "binary data"),
    # NULs on both sides of the byte pairs (UTF-32, or binary): no one byte order fits, so no guess.
    "NUL bytes on both sides": (_file("a.txt", NEWS.encode("utf-32-le")), "binary data (control bytes), not text"),
    "UTF-16 without a BOM, cut in a character": (_file("a.txt", (NEWS * 3).encode("utf-16-le") + b"\x00\xd8a\x00"),
                                                "but invalid UTF-16-LE at byte 516"),
    "neither UTF-8 nor cp1252": (_file("a.txt", b"\x81\x8d\x8f\x90\x9d" * 20), "undecodable bytes"),
    "invalid UTF-16 after a BOM": (_file("a.txt", codecs.BOM_UTF16_LE + b"a\x00\x00\xd8"), "invalid utf-16"),
    "CSV without a text column": (_file("a.csv", b"id,body\n1,Prices rose.\n"), "CSV has no 'text' column"),
    "empty CSV": (_file("a.csv", b""), "empty file"),
    "folder with no articles": (_folder({"notes.md": b"# notes"}), "folder holds no .txt articles"),
    "folder whose articles are all bad": (_folder({"a.txt": b"", "b.txt": b"  "}),
                                          "no articles found: 2 item(s) skipped"),
    "JSON lines all malformed": (_jsonl("c.jsonl", ["{", "[1, 2]"]), "no articles found: 2 item(s) skipped"),
    "corrupt gzip": (_file("c.jsonl.gz", gzip.compress(b'{"text": "A."}')[:-12]), "corrupt gzip data"),
    "not a regular file": (lambda root: Path(os.devnull), "not a regular file or folder"),
}


@pytest.mark.parametrize("case", FATAL)
def test_fatal_input_is_one_line_naming_the_file(tmp_path, case):
    make, message = FATAL[case]
    path = make(tmp_path)
    with pytest.raises(toolkit.InputError) as caught:
        load_with_problems(path)
    text = str(caught.value)
    assert text.startswith(f"{path}: ") and message in text and "\n" not in text


@pytest.mark.parametrize("case", FATAL)
def test_fatal_input_exits_2_on_the_command_line(tmp_path, capsys, case):
    make, message = FATAL[case]
    path = make(tmp_path)
    assert main(["analyze", str(path), "--out", str(tmp_path / "out"), "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}: ") and message in err and err.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_unusable_published_default_is_refused(tmp_path):
    path = _file("a.txt", NEWS.encode())(tmp_path)
    with pytest.raises(toolkit.InputError, match=r"^published: '9999-01-01' is not a usable date$"):
        load_with_problems(path, published="9999-01-01")


def _folder_with_subfolder(root: Path) -> Path:
    folder = _folder({"a.txt": NEWS.encode()})(root)
    (folder / "old").mkdir()
    return folder


def _metadata_folder(metadata: str) -> Maker:
    return _folder({"a.txt": NEWS.encode(), "metadata.csv": metadata.encode()})


# name -> (input, problem source relative to the input, words of the problem, action, check of the articles)
RECORDED: dict[str, tuple[Maker, str, str, str, Callable[[pd.DataFrame], bool]]] = {
    "invalid UTF-8 bytes": (
        _file("a.txt", "Café owners said prices rose. ".encode() * 3 + b"\xff\xfe They fell."),
        "", "2 invalid UTF-8 byte sequence(s), first at byte 93; replaced with U+FFFD", "repaired",
        lambda a: a["raw_text"].iloc[0].endswith("\ufffd\ufffd They fell.") and "Café" in a["raw_text"].iloc[0],
    ),
    "UTF-16-LE without a BOM": (
        _file("a.txt", ("\u201cCaf\u00e9 talks,\u201d " + NEWS).encode("utf-16-le")),
        "", "no byte-order mark; decoded as UTF-16-LE (NUL in every other byte)", "repaired",
        lambda a: a["raw_text"].iloc[0] == "\u201cCaf\u00e9 talks,\u201d " + NEWS,
    ),
    "UTF-16-BE without a BOM, in JSON lines": (
        _file("c.jsonl", ('{"text": "Caf\u00e9 owners said prices rose."}\n{"text": "' + NEWS.strip() + '"}\n'
                          ).encode("utf-16-be")),
        "", "no byte-order mark; decoded as UTF-16-BE (NUL in every other byte)", "repaired",
        lambda a: a["raw_text"].tolist() == ["Caf\u00e9 owners said prices rose.", NEWS.strip()],
    ),
    "cp1252 curly quotes": (
        _file("a.txt", "\u201cWe are done,\u201d the minister\u2019s aide said.".encode("cp1252")),
        "", "not valid UTF-8 (byte 0); decoded as cp1252", "repaired",
        lambda a: a["raw_text"].iloc[0] == "\u201cWe are done,\u201d the minister\u2019s aide said.",
    ),
    "JSON lines with one malformed line": (
        _jsonl("c.jsonl", ['{"id": "a", "text": "Alpha rose."}', '{"id": "b", "text": ', '{"id": "c", "text": "Gamma fell."}']),
        ":2", "malformed JSON (Expecting value at column 21)", "skipped",
        lambda a: a["article_id"].tolist() == ["a", "c"],
    ),
    "JSON line nested too deeply": (
        _jsonl("c.jsonl", ["[" * 100_000, '{"text": "Alpha rose."}']),
        ":1", "malformed JSON (nested too deeply)", "skipped", lambda a: len(a) == 1,
    ),
    "JSON line that is not an object": (
        _jsonl("c.jsonl", ['"just a string"', '{"text": "Alpha rose."}']),
        ":1", "line is not a JSON object", "skipped", lambda a: len(a) == 1,
    ),
    "JSON line without text": (
        _jsonl("c.jsonl", ['{"title": "No body"}', '{"text": "Alpha rose."}']),
        ":1", "no text (missing or empty 'text' field)", "skipped", lambda a: len(a) == 1,
    ),
    "CSV row with empty text": (
        _file("a.csv", b'article_id,text\nx,\ny,"Prices rose."\n'),
        ":2", "empty text", "skipped", lambda a: a["article_id"].tolist() == ["y"],
    ),
    "impossible metadata date": (
        _metadata_folder("article_id,published\na,2025-02-30\n"),
        "/metadata.csv:2", "published date '2025-02-30' is not a real date; left empty", "repaired",
        lambda a: pd.isna(a["published"].iloc[0]),
    ),
    "date outside pandas' range": (
        _jsonl("c.jsonl", ['{"text": "Alpha rose.", "published": "9999-12-31"}']),
        ":1", "published date '9999-12-31' is not a real date; left empty", "repaired",
        lambda a: pd.isna(a["published"].iloc[0]),
    ),
    "duplicate article ids": (
        _jsonl("c.jsonl", ['{"id": "a", "text": "Alpha rose."}', '{"id": "a", "text": "Beta fell."}',
                           '{"id": "a~2", "text": "Gamma held."}']),
        ":2", "duplicate article id 'a'; renamed to 'a~3'", "repaired",
        lambda a: a["article_id"].tolist() == ["a", "a~3", "a~2"],
    ),
    "duplicate metadata rows": (
        _metadata_folder("article_id,published\na,2020-01-01\na,2021-01-01\n"),
        "/metadata.csv:3", "duplicate metadata row for 'a'", "skipped",
        lambda a: a["published"].iloc[0] == pd.Timestamp("2020-01-01"),
    ),
    "metadata for a missing article": (
        _metadata_folder(" article_id , Published\na,2020-01-01\nghost,2020-01-02\n"),
        "/metadata.csv:3", "metadata for 'ghost' matches no .txt file", "skipped",
        lambda a: a["published"].iloc[0] == pd.Timestamp("2020-01-01"),
    ),
    "bad file in a folder": (
        _folder({"a.txt": NEWS.encode(), "b.txt": b"\x00\x01\x02\x03"}),
        "/b.txt", "binary data (control bytes), not text", "skipped",
        lambda a: a["article_id"].tolist() == ["a"],
    ),
    "file that is not an article in a folder": (
        _folder({"a.txt": NEWS.encode(), "notes.md": b"# notes"}),
        "/notes.md", "not a .txt article", "skipped", lambda a: len(a) == 1,
    ),
    "folder inside a folder": (
        _folder_with_subfolder,
        "/old", "a folder (folders inside are not searched)", "skipped", lambda a: len(a) == 1,
    ),
    "control characters": (
        _file("a.txt", b"Bell\x07 rang\x00 twice.\x1b Then\xe2\x80\x8b it stopped."),
        "", "4 control character(s), first U+0007 at character 4; removed by cleaning", "repaired",
        lambda a: clean(a)["text"].iloc[0] == "Bell rang twice. Then it stopped.",
    ),
}


def _problem_rows(problems: pd.DataFrame, path: Path, case: str) -> list[Any]:
    source, words, action = RECORDED[case][1:4]
    return [row for row in problems.itertuples(index=False)
            if row.source == f"{path}{source}" and words in row.problem and row.action == action]


@pytest.mark.parametrize("case", RECORDED)
def test_repaired_or_skipped_input_is_recorded(tmp_path, case):
    make, check = RECORDED[case][0], RECORDED[case][4]
    path = make(tmp_path)
    articles, problems = load_with_problems(path)
    assert len(_problem_rows(problems, path, case)) == 1, problems.to_dict("records")
    assert check(articles)


@pytest.mark.parametrize("case", RECORDED)
def test_recorded_problems_reach_the_analysis_and_the_cli_summary(tmp_path, capsys, case):
    path = RECORDED[case][0](tmp_path)
    analysis = toolkit.analyze(path, cache=False)
    assert len(_problem_rows(analysis.problems, path, case)) == 1
    assert main(["analyze", str(path), "--out", str(tmp_path / "out"), "--no-cache"]) == 0
    out = capsys.readouterr().out
    row = _problem_rows(analysis.problems, path, case)[0]
    assert f"  {row.source}: {row.problem} ({row.action})" in out
    assert pd.read_csv(tmp_path / "out" / "problems.csv").shape[0] == len(analysis.problems)


def test_utf16_with_bom_and_utf8_with_bom_decode_without_problems(tmp_path):
    text = "\u201cQuoted\u201d caf\u00e9 news.\n"
    (tmp_path / "u16le.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "u16be.txt").write_bytes(codecs.BOM_UTF16_BE + text.encode("utf-16-be"))
    (tmp_path / "u8.txt").write_bytes(codecs.BOM_UTF8 + text.encode())
    lines = tmp_path.parent / f"{tmp_path.name}.jsonl"
    lines.write_bytes(json.dumps({"text": text}, ensure_ascii=False).encode("utf-16"))
    articles, problems = load_with_problems(tmp_path, lines)
    assert articles["raw_text"].tolist() == [text] * 4 and problems.empty


def test_gzipped_csv_and_txt_are_read(tmp_path):
    _gzipped("a.csv.gz", b"text\nPrices rose.\n")(tmp_path)
    _gzipped("b.txt.gz", b"Prices fell.")(tmp_path)
    articles, problems = load_with_problems(tmp_path / "a.csv.gz", tmp_path / "b.txt.gz")
    assert articles["raw_text"].tolist() == ["Prices rose.", "Prices fell."] and problems.empty


def test_windows_line_endings_do_not_hide_boilerplate(tmp_path):
    path = _file("a.txt", b"Growth slowed.\r\nAdvertisement\r\n)\r\nPrices rose.\r\n")(tmp_path)
    articles = toolkit.analyze(path, cache=False).articles
    assert articles["text"].iloc[0] == "Growth slowed.\n\nPrices rose."
    assert articles["removed"].iloc[0] == ["Advertisement", ")"]


def _news(megabytes: float) -> str:
    """Realistic-looking news text of about this size, in paragraphs of five sentences."""
    rng = random.Random(6)
    words = ("the minister said on Tuesday that talks with officials in the U.S. would resume soon after "
             "prices rose sharply and Mr. Smith of Acme Inc. told reporters").split()
    paragraphs, size = [], 0
    while size < megabytes * 1e6:
        paragraph = " ".join(" ".join(rng.choice(words) for _ in range(18)).capitalize() + "." for _ in range(5))
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs)


def _stages(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Load, clean, split and score (the stages before spaCy), as the cleaned articles and the sentences."""
    cleaned = clean(load_with_problems(path)[0])
    return cleaned, score(split(cleaned))


@pytest.mark.parametrize("megabytes", [1, 50])
def test_one_huge_article_loads_cleans_splits_and_scores(tmp_path, megabytes):
    """Its timings are in benchmarks/README.md ("One huge article"); here, that it comes out whole."""
    path = tmp_path / "huge.txt"
    path.write_text(_news(megabytes), encoding="utf-8")
    articles, sentences = _stages(path)
    text = articles["text"].iloc[0]
    assert len(sentences) > megabytes * 5000
    assert all(text[row.start:row.end] == row.text for row in sentences.itertuples())


def test_a_20000_word_sentence_without_punctuation(tmp_path):
    rng = random.Random(20)
    body = " ".join(rng.choice(["prices", "rose", "while", "officials", "said", "talks"]) for _ in range(20_000))
    path = _file("a.txt", body.encode())(tmp_path)
    articles, sentences = _stages(path)
    assert articles["text"].iloc[0] == body
    assert sentences[["start", "end"]].values.tolist() == [[0, len(body)]]
    assert sentences["n_tokens"].iloc[0] == 20_000

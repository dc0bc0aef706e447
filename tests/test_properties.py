"""Invariants that hold for any input text, checked with hypothesis.

The `check_*` functions are the properties; `benchmarks/fuzz.py` runs the same ones with a much larger
budget. Each takes one generated value and raises AssertionError when the invariant fails.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import os
import re
import string
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pandas as pd
import pyarrow as pa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, SAMPLE
from toolkit.cli import main
from toolkit.clean import WIDGET_LABELS, clean, clean_text
from toolkit.load import from_texts, load_with_problems
from toolkit.problems import InputError
from toolkit.sentiment import score
from toolkit.text import split

# Realistic news material, and the things that trip cleaners and splitters.
WORDS = [
    "The", "minister", "said", "talks", "would", "resume", "on", "Tuesday", "prices", "rose", "in", "the",
    "U.S.", "U.K.", "Mr.", "Mrs.", "Dr.", "Gen.", "Inc.", "Corp.", "Co.", "Ltd.", "J.P.", "Morgan", "Jan.",
    "Feb.", "5.5", "pct", "$1.2", "mln", "p.m.", "a.m.", "No.", "vs.", "e.g.", "etc.", "St.", "Calif.",
    "Zelenskyy", "Putin", "café", "naïve", "Москва", "北京", "…", "—", "-", "(", ")", "\"", "“", "”", "‘", "’",
    "'s", "don’t", "I", "It", "He", "She", "They", "But", "However", "said.", "well...", "?", "!",
]
ENDINGS = [".", "?", "!", "...", "…", ".\"", ".”", "?”", "!'", ":", ";", "", ".)", " ."]
LABELS = [*WIDGET_LABELS, "more shorts", "With inputs from agencies", "(With inputs from Reuters)", "REUTER"]
CONTROLS = "".join(map(chr, [*range(9), 11, 12, *range(14, 32), 127])) + "\u200b\u200c\u200d\u2060\ufeff\x85\u2028"
SEPARATORS = ["\n", "\n", "\n\n", "\r\n", "\r", " ", "\n \n", "\n\t\n"]

word = st.one_of(st.sampled_from(WORDS), st.text(max_size=6), st.text(string.ascii_letters, min_size=1, max_size=8))
sentence = st.builds(
    lambda words, end: " ".join(words) + end,
    st.lists(word, min_size=1, max_size=14), st.sampled_from(ENDINGS),
)
line = st.one_of(
    st.builds(lambda indent, sentences: indent + " ".join(sentences),
              st.sampled_from(["", "", " ", "  ", "    ", "\t", "\u00a0"]), st.lists(sentence, min_size=1, max_size=4)),
    st.sampled_from(LABELS),
    st.builds(lambda label, rest: label + rest, st.sampled_from(WIDGET_LABELS), sentence),
    st.text(string.punctuation + "“”‘’…—", min_size=1, max_size=6),
    st.builds(lambda cells: "    " + "   ".join(cells), st.lists(st.sampled_from(["Shr", "Net", "1.20", "5.0 mln", "vs"]),
                                                               min_size=2, max_size=4)),
    st.text(CONTROLS, min_size=1, max_size=3),
    st.text(max_size=30),
    st.just(""),
)


def texts(max_lines: int = 12) -> st.SearchStrategy[str]:
    """Mostly news-like text of up to `max_lines` lines, sometimes any text at all."""
    news = st.builds(
        lambda parts: "".join(part for pair in parts for part in pair),
        st.lists(st.tuples(line, st.sampled_from(SEPARATORS)), max_size=max_lines),
    )
    return st.one_of(news, news, st.text(max_size=max_lines * 16))


def files(max_lines: int = 12) -> st.SearchStrategy[bytes]:
    """Bytes a file might hold: encoded text (unencodable characters dropped), text with noise, or any bytes."""
    return st.one_of(
        st.builds(lambda text, encoding: text.encode(encoding, errors="ignore"), texts(max_lines), st.sampled_from(ENCODINGS)),
        st.builds(lambda text, noise: text.encode() + noise, texts(max_lines), st.binary(max_size=8)),
        st.binary(max_size=max_lines * 24),
    )

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1"]
SUFFIXES = [".txt", ".jsonl", ".csv", ".txt.gz", ".jsonl.gz", ".html", ""]
# Any Unicode, lone surrogates included (st.text leaves them out).
ANY_CHAR = st.one_of(st.characters(codec=None), st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
                     st.sampled_from(CONTROLS))
any_text = st.one_of(st.text(ANY_CHAR, max_size=40), st.sampled_from(WORDS))
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), any_text),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3)),
    max_leaves=6,
)
FIELDS = ["id", "article_id", "text", "title", "source", "url", "published", "date"]
ROUND_TRIP_ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1252"]


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _non_space(text: str) -> Counter[str]:
    return Counter(ch for ch in text if not ch.isspace())


def stages(texts: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clean, split and score in-memory texts: the cleaned articles and the scored sentences."""
    articles = clean(from_texts(texts))
    return articles, score(split(articles))


def check_cleaning_accounts_for_every_character(raw: str) -> None:
    """Cleaning removes only whitespace and recorded matches: no non-whitespace character is lost or made up."""
    cleaned = clean_text(raw)
    kept = _non_space(cleaned.text)
    for item in cleaned.removed:
        kept.update(_non_space(item))
    assert kept == _non_space(raw), (raw, cleaned)
    assert len(cleaned.removed) == len(cleaned.rules)


def check_sentences(raw: str) -> None:
    """Sentences slice back to their text, are non-empty and trimmed, ordered and non-overlapping."""
    articles, sentences = stages([raw])
    text = articles["text"].iloc[0]
    assert sentences["sentence_id"].tolist() == list(range(len(sentences)))
    previous_end, previous_paragraph = 0, 0
    for row in sentences.itertuples():
        assert text[row.start:row.end] == row.text, (raw, row)
        assert row.text.strip() == row.text != "", (raw, row)
        assert previous_end <= row.start < row.end <= len(text), (raw, row)
        assert previous_paragraph <= row.paragraph_id, (raw, row)
        assert 0 <= row.position <= 1 and row.n_tokens >= 1
        previous_end, previous_paragraph = row.end, row.paragraph_id
    assert sentences["compound"].between(-1, 1).all()
    covered = "".join(sentences["text"])
    assert _non_space(covered) == _non_space(text), "every non-space character of the text is in a sentence"


def check_deterministic(texts: list[str]) -> None:
    """The same texts give the same frames on a second run in the same process."""
    first, second = stages(texts), stages(texts)
    for a, b in zip(first, second):
        pd.testing.assert_frame_equal(a, b)


def check_load_bytes(data: bytes, suffix: str) -> None:
    """Any file loads, or fails with a one-line InputError naming it; a text not read as plain UTF-8 is recorded."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        try:
            articles, problems = load_with_problems(path)
        except InputError as error:
            assert str(error).startswith(f"{path}") and "\n" not in str(error), error
            return
        assert len(articles) >= 1 and articles["article_id"].is_unique
        assert all(isinstance(text, str) and text.strip() for text in articles["raw_text"])
        assert set(problems["action"]) <= {"skipped", "repaired", "kept"}
        if suffix in (".txt", "") and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            utf16 = problems["problem"].str.extract(r"decoded as (UTF-16-[LB]E)")[0].dropna()
            if len(utf16):  # NUL bytes on one side of every pair: UTF-16 without its BOM, read and recorded
                assert articles["raw_text"].iloc[0] == data.decode(utf16.iloc[0].lower())
            elif _is_utf8(data):
                assert articles["raw_text"].iloc[0] == data.decode("utf-8")
            else:
                assert problems["problem"].str.contains("UTF-8").any(), "a repaired decoding is recorded"


def check_encoded_text_round_trips(text: str, encoding: str) -> None:
    """Text saved as UTF-8 (with or without BOM) or UTF-16 with BOM reads back as written; so does cp1252,
    unless the bytes fit another legacy encoding better (then the one used is recorded) or none at all
    (then the file is refused in one line). `tests/test_load.py` holds cp1252 news text to exact reading.

    (A U+FEFF that starts UTF-8 text is its byte-order mark, so it does not read back.)
    """
    data = text.encode(encoding, errors="ignore")
    text = data.decode(encoding)
    if encoding == "utf-8":
        text = text.removeprefix("\ufeff")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.txt"
        path.write_bytes(data)
        try:
            articles, problems = load_with_problems(path)
        except InputError as error:
            controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f\v")
            refused = encoding == "cp1252" and "no encoding fits" in str(error)
            assert refused or not text.strip() or controls > 0.1 * len(text), error
            return
    read = articles["raw_text"].iloc[0]
    notes = [note for note in problems["problem"] if "UTF-8" in note]  # how it was decoded (not control characters)
    if encoding != "cp1252":
        assert read == text and notes == [], (read, notes)
    elif _is_utf8(data):
        assert read == data.decode("utf-8") and notes == [], (read, notes)  # cp1252 bytes that are UTF-8 too
    else:
        # Exactly one recorded repair, and the text is what it says: damaged UTF-8 with U+FFFD for the bad
        # bytes, or the bytes decoded in the encoding named (cp1252 gives back the text as written).
        (note,) = notes
        decoded = re.search(r"decoded as (\S+)$", note)
        if decoded is None:
            assert "invalid UTF-8" in note and read == data.decode("utf-8", errors="replace"), (read, note)
        else:
            assert read == data.decode(decoded.group(1)), (read, note)
            assert decoded.group(1) != "cp1252" or read == text


def json_lines(max_lines: int = 12) -> st.SearchStrategy[bytes]:
    """A JSON-lines corpus whose every field may hold any JSON value (NaN, nesting, lone surrogates ...)."""
    field_value = st.one_of(texts(3), json_values)
    item = st.one_of(st.dictionaries(st.sampled_from(FIELDS), field_value, max_size=6),
                     st.builds(lambda text, rest: {**rest, "text": text}, texts(4),
                               st.dictionaries(st.sampled_from(FIELDS), field_value, max_size=5)),
                     json_values)
    line = st.builds(lambda value, ascii_only: json.dumps(value, ensure_ascii=ascii_only), item, st.booleans())
    return st.builds(lambda lines: "\n".join(lines).encode("utf-8", errors="surrogatepass"),
                     st.lists(line, min_size=1, max_size=max_lines))


def csv_files(max_rows: int = 12) -> st.SearchStrategy[tuple[bytes, int]]:
    """A CSV as Python's csv module writes it (any text, any quoting style), and its number of data rows."""
    cell = st.one_of(texts(3), st.text(max_size=20))

    def write(names: list[str], rows: list[list[str]], quoting: int) -> tuple[bytes, int]:
        out = io.StringIO(newline="")
        writer = csv.writer(out, quoting=quoting)
        writer.writerow(names)
        writer.writerows(row[:len(names)] + [""] * (len(names) - len(row)) for row in rows)
        return out.getvalue().encode("utf-8"), len(rows)

    names = st.builds(lambda other, at: other[:at] + ["text"] + other[at:],
                      st.lists(st.one_of(st.sampled_from(["id", "title", "published", "source"]), st.text(max_size=6)),
                               max_size=3), st.integers(0, 3))
    return st.builds(write, names, st.lists(st.lists(cell, min_size=1, max_size=4), max_size=max_rows),
                     st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]))


def _accounted(path: Path, articles: pd.DataFrame, problems: pd.DataFrame, rows: set[str]) -> None:
    """Every input row is an article or a skipped problem row, never both, never neither; the frame stores."""
    loaded = set(articles["path"])
    skipped = set(problems.loc[problems["action"] == "skipped", "source"])
    assert not loaded & skipped, (loaded & skipped, problems.to_dict("records"))
    assert loaded | skipped == rows, (sorted(rows - loaded - skipped), sorted((loaded | skipped) - rows))
    assert articles["article_id"].is_unique
    pa.Table.from_pandas(clean(articles).drop(columns="removed"))  # pyarrow can store every value


def check_json_lines(data: bytes) -> None:
    """Any JSON-lines corpus loads (each line an article or a skipped problem row) or fails with one InputError line."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "corpus.jsonl"
        path.write_bytes(data)
        rows = {f"{path}:{n}" for n, line in enumerate(data.splitlines(), start=1) if line.strip()}
        try:
            articles, problems = load_with_problems(path)
        except InputError as error:
            assert str(error).startswith(f"{path}: no articles found") and "\n" not in str(error), error
            return
        _accounted(path, articles, problems, rows)


def check_csv(written: tuple[bytes, int]) -> None:
    """Any CSV the csv module writes loads row for row (an article or a skipped row each), or fails in one line."""
    data, count = written
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "corpus.csv"
        path.write_bytes(data)
        try:
            articles, problems = load_with_problems(path)
        except InputError as error:
            assert str(error).startswith(f"{path}") and "\n" not in str(error), error
            return
        assert not problems["problem"].str.contains("malformed CSV|fields where the header").any(), problems
        loaded = set(articles["path"])
        skipped = set(problems.loc[problems["action"] == "skipped", "source"])
        assert not loaded & skipped and len(loaded | skipped) == count, (count, articles, problems)


def check_cli_exit(data: bytes, suffix: str) -> None:
    """The command line ends with exit 0 or 2 on any input, never with an exception."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
            code = main(["analyze", str(path), "--out", str(Path(folder) / "out"), "--no-cache"])
        assert code == 0 or (code == 2 and err.getvalue().count("\n") == 1), (code, err.getvalue())


PROFILE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROFILE
@given(texts())
def test_cleaning_accounts_for_every_character(raw):
    check_cleaning_accounts_for_every_character(raw)


@PROFILE
@given(texts())
def test_sentences_slice_back_and_are_ordered(raw):
    check_sentences(raw)


@settings(PROFILE, max_examples=30)
@given(st.lists(texts(), min_size=1, max_size=4))
def test_same_input_same_frames(many):
    check_deterministic(many)


@PROFILE
@given(files(), st.sampled_from(SUFFIXES))
def test_any_bytes_load_or_fail_cleanly(data, suffix):
    check_load_bytes(data, suffix)


@PROFILE
@given(texts(), st.sampled_from(ROUND_TRIP_ENCODINGS))
@example(text="00000\x00", encoding="utf-8")  # found by this test: one NUL was read as UTF-16's high byte
@example(text="00000\x00", encoding="cp1252")
@example(text="0000\x00\xa0", encoding="cp1252")
def test_encoded_text_round_trips(text, encoding):
    check_encoded_text_round_trips(text, encoding)


@settings(PROFILE, max_examples=60)
@given(json_lines())
def test_any_json_values_load_row_for_row(data):
    check_json_lines(data)


@settings(PROFILE, max_examples=60)
@given(csv_files())
def test_any_csv_the_csv_module_writes_loads_row_for_row(written):
    check_csv(written)


@settings(PROFILE, max_examples=8)
@given(st.one_of(json_lines(3), files(3)), st.sampled_from(SUFFIXES))
def test_the_command_line_exits_0_or_2(data, suffix):
    check_cli_exit(data, suffix)


_FRAMES_DIGEST = """
import hashlib, sys
import pandas as pd
from tests.test_properties import stages
texts = [sys.stdin.read()] * 2
digest = hashlib.sha256()
for frame in stages(texts):
    digest.update(pd.util.hash_pandas_object(frame.astype(str), index=True).values.tobytes())
print(digest.hexdigest())
"""


def test_same_frames_in_separate_runs():
    """Another process, with another string-hash seed, gives identical frames."""
    digests = {
        subprocess.run([sys.executable, "-c", _FRAMES_DIGEST], input=SAMPLE.read_text(encoding="utf-8"),
                       capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed},
                       check=True).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1

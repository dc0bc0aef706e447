"""Invariants that hold for any input text, checked with hypothesis.

The `check_*` functions are the properties; `benchmarks/fuzz.py` runs the same ones with a much larger
budget. Each takes one generated value and raises AssertionError when the invariant fails.
"""

from __future__ import annotations

import codecs
import os
import string
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, SAMPLE
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
SUFFIXES = [".txt", ".jsonl", ".csv", ".txt.gz", ".jsonl.gz", ""]
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
            if _is_utf8(data):
                assert articles["raw_text"].iloc[0] == data.decode("utf-8")
            else:
                assert problems["problem"].str.contains("UTF-8").any(), "a repaired decoding is recorded"


def check_encoded_text_round_trips(text: str, encoding: str) -> None:
    """Text saved as UTF-8 (with or without BOM), UTF-16 with BOM or cp1252 reads back as written.

    (A U+FEFF that starts UTF-8 text is its byte-order mark, so it does not read back.)
    """
    data = text.encode(encoding, errors="ignore")
    text = data.decode(encoding)
    if encoding == "utf-8":
        text = text.removeprefix("\ufeff")
    if encoding == "cp1252" and _is_utf8(data):
        return  # rightly read as UTF-8
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.txt"
        path.write_bytes(data)
        try:
            articles, problems = load_with_problems(path)
        except InputError as error:
            controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f\v")
            assert not text.strip() or controls > 0.1 * len(text), error
            return
    # cp1252 bytes that look like UTF-8 with a few bad ones are read so, as a recorded repair.
    if encoding == "cp1252" and problems["problem"].str.contains("invalid UTF-8").any():
        return
    assert articles["raw_text"].iloc[0] == text


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
def test_encoded_text_round_trips(text, encoding):
    check_encoded_text_round_trips(text, encoding)


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

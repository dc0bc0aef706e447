"""Load stage: read articles from disk into the `articles` frame. The only stage that touches files.

Accepted inputs: a `.txt` file, a saved web page (`.html`, `.htm`), a folder of them (with an optional
`metadata.csv` beside them), a JSON-lines file (plain or `.gz`) with a `text` field, or a CSV with a
`text` column. A web page, also one found inside a `.txt`, a JSON line or a CSV cell, gives its main
text, title, date and URL (trafilatura and htmldate). Encodings: UTF-8 (with or without BOM), UTF-16
(with BOM, or without one when its NUL bytes show the byte order: recorded), else detected by
charset-normalizer and recorded. Whatever is skipped or repaired, from a malformed CSV row to a JSON
value that is not text, is recorded as a problem row.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import gzip
import io
import json
import math
import re
import warnings
import zlib
from collections.abc import Iterable, Iterator
from os import PathLike
from pathlib import Path

import pandas as pd
from pandas.api.extensions import ExtensionArray

from toolkit.clean import CONTROL_CHARS, INVISIBLE_JOINERS
from toolkit.pages import extract_page, looks_like_html
from toolkit.problems import InputError, Problems

PathArg = str | PathLike[str]

ARTICLE_COLUMNS = [
    "article_id", "title", "source", "url", "published", "path",
    "text", "raw_text", "removed", "duplicate_of",
]
METADATA_COLUMNS = ["article_id", "title", "source", "url", "published"]
METADATA_FILE = "metadata.csv"
JSONL_SUFFIXES = {".jsonl", ".json", ".ndjson"}
PAGE_SUFFIXES = {".html", ".htm"}
ARTICLE_SUFFIXES = {".txt", *PAGE_SUFFIXES}
_CONTROL_SHARE_FOR_BINARY = 0.1
_BINARY_SAMPLE = 65536
_MAX_BAD_SHARE = 0.01
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_UTF16_STRAY_NULS = 0.01  # share of NUL low bytes (U+0000, U+0100, ...) UTF-16 text may hold
_UTF16_MIN_NULS = 4  # NUL high bytes needed at least: a short text with a NUL or two is no sign of UTF-16
_CONTROL = re.compile(CONTROL_CHARS)
_JOINERS = re.compile(INVISIBLE_JOINERS)
_SURROGATE = re.compile("[\ud800-\udfff]")
# Encodings charset-normalizer may name that are not legacy text encodings: a file in one of them has a BOM.
_NOT_LEGACY = ("utf_8", "ascii", "utf_16", "utf_32", "utf_7")
_DETECT_SAMPLE = 262_144  # bytes charset-normalizer looks at; the whole file when the sample's encoding fails it
_MAX_CHAOS = 0.2  # charset-normalizer's "mess" of the decoded text above which no encoding fits
_CSV_DEFAULT_FIELD_LIMIT = 131_072


class LoadWarning(UserWarning):
    """An input item was skipped or repaired while loading."""


def decode_bytes(data: bytes, source: object, problems: Problems | None = None) -> str:
    """Decode text: BOM first (UTF-8, UTF-16), then UTF-8, then the detected encoding; every repair is recorded.

    Bytes that are mostly control codes are refused as binary. UTF-8 with a few corrupt bytes (no more
    bad bytes than valid non-ASCII characters), or text no encoding fits with at most 1% bad bytes,
    keeps its text with the bad bytes as U+FFFD. Otherwise charset-normalizer names the encoding
    (cp1251, KOI8-R, GBK, cp1252, ...); when it cannot, the file is refused.
    """
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8):], "utf-8", source)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", source)
    order = _utf16_byte_order(data)
    if order is not None:
        try:
            text = data.decode(order)
        except UnicodeDecodeError as error:
            raise InputError(source, f"undecodable bytes: NUL bytes as in {order.upper()} without a byte-order mark, "
                                     f"but invalid {order.upper()} at byte {error.start}") from None
        if not _looks_binary(text):
            _note(problems, source, f"no byte-order mark; decoded as {order.upper()} (NUL in every other byte)")
            return text
    if _looks_binary(data[:_BINARY_SAMPLE].decode("latin-1")):
        raise InputError(source, "binary data (control bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        first_bad = error.start
    replaced, bad, legacy = _utf8_damage(data)
    if legacy:
        detected = _detect_and_decode(data)
        if detected is not None:
            _note(problems, source, f"not valid UTF-8 (byte {first_bad}); decoded as {detected[0]}")
            return detected[1]
        if bad > _MAX_BAD_SHARE * len(data):
            raise InputError(source, f"undecodable bytes: not UTF-8 (byte {first_bad}), and no encoding fits "
                                     "with confidence (save it as UTF-8)")
    _note(problems, source, f"{bad} invalid UTF-8 byte sequence(s), first at byte {first_bad}; replaced with U+FFFD")
    return replaced


def _utf16_byte_order(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" for bytes without a BOM that have UTF-16's pattern for text in the Latin
    range: a NUL high byte in at least a third of the byte pairs (and in `_UTF16_MIN_NULS` of them), on one
    side only (NULs on both sides, or an odd length, say something else). None otherwise."""
    sample = data[:_BINARY_SAMPLE]
    pairs = len(sample) // 2
    if not pairs or len(data) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= max(pairs / 3, _UTF16_MIN_NULS) and even <= pairs * _UTF16_STRAY_NULS:
        return "utf-16-le"
    if even >= max(pairs / 3, _UTF16_MIN_NULS) and odd <= pairs * _UTF16_STRAY_NULS:
        return "utf-16-be"
    return None


def _utf8_damage(data: bytes) -> tuple[str, int, bool]:
    """`data` read as UTF-8 with U+FFFD for bad bytes, how many bad sequences, and whether there are more of
    them than valid non-ASCII characters (then the text is not damaged UTF-8 but another encoding)."""
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd") - data.count("\ufffd".encode())
    valid_non_ascii = len(replaced) - len(replaced.encode("ascii", errors="ignore")) - bad
    return replaced, bad, bad > valid_non_ascii


def _detect_and_decode(data: bytes) -> tuple[str, str] | None:
    """The detected encoding and the text, or None; detection reads the first 256 KB (cut after a line
    break, so no character is cut in two), and the whole file only when that sample does not settle it."""
    cut = data.rfind(b"\n", 0, _DETECT_SAMPLE) + 1 if len(data) > _DETECT_SAMPLE else 0
    for sample in [data[:cut], data] if cut else [data]:
        encoding = detect_encoding(sample)
        if encoding is None:
            continue
        try:
            return encoding, data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def detect_encoding(data: bytes) -> str | None:
    """The legacy encoding charset-normalizer finds for `data`, or None when none fits with confidence.

    Among equally good fits cp1252 wins (the commonest legacy encoding of news text); a fit with no
    sign of any language is not trusted unless cp1252 is among the equals.
    """
    from charset_normalizer import from_bytes

    fits = [match for match in from_bytes(data) if not match.encoding.startswith(_NOT_LEGACY)
            and match.chaos <= _MAX_CHAOS]
    if not fits:
        return None
    best = fits[0]
    # A match stands for every encoding that gives the same text (`could_be_from_charset`).
    equals = {encoding for match in fits if match.chaos <= best.chaos + 0.01 and match.coherence >= best.coherence - 0.01
              for encoding in match.could_be_from_charset}
    if "cp1252" in equals:
        return "cp1252"
    return best.encoding if best.coherence > 0 else None


def _note(problems: Problems | None, source: object, problem: str) -> None:
    if problems is not None:
        problems.add(source, problem, "repaired")


def _strict(data: bytes, encoding: str, source: object) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(source, f"undecodable bytes: invalid {encoding} at byte {error.start}") from None


def _looks_binary(text: str) -> bool:
    sample = text[:_BINARY_SAMPLE]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    return controls > _CONTROL_SHARE_FOR_BINARY * len(sample)


def read_article_text(path: Path, problems: Problems | None = None) -> str:
    """Read one article file; refuse missing, empty and binary files with a one-line error."""
    data = _read_data(path)
    if not data:
        raise InputError(path, "empty file")
    text = decode_bytes(data, path, problems)
    if not text.strip():
        raise InputError(path, "contains only whitespace")
    if _looks_binary(text):
        raise InputError(path, "binary data (control characters), not text")
    return text


def _record(article_id: str, text: str, **fields: object) -> dict[str, object]:
    return {
        "article_id": article_id,
        "title": fields.get("title"),
        "source": fields.get("source"),
        "url": fields.get("url"),
        "published": fields.get("published"),
        "path": fields.get("path"),
        "raw_text": text,
        "metadata_source": fields.get("metadata_source"),
        "date_file": fields.get("date_file"),
    }


def _strings(values: list[object]) -> ExtensionArray:
    """A string column of metadata values: pandas writes any non-missing value as text (a JSON number too)."""
    # pandas-stubs accept only str/NA elements for a string dtype; pandas itself converts any object
    return pd.array(values, dtype="string")  # type: ignore[call-overload]


def _blank_to_none(value: object) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _without_surrogates(value: str, name: str, where: object, problems: Problems) -> str:
    """`value` with each lone surrogate (text no file can hold) replaced by U+FFFD, recorded."""
    count = len(_SURROGATE.findall(value))
    if not count:
        return value
    problems.add(where, f"'{name}' holds {count} lone surrogate(s), which no file can store; replaced with U+FFFD",
                 "repaired")
    return _SURROGATE.sub("\ufffd", value)


def _json_kind(value: object) -> str:
    if isinstance(value, float):
        return "NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity"
    kinds = {bool: "a JSON boolean", int: "a JSON number", float: "a JSON number", list: "a JSON array", dict: "a JSON object"}
    return kinds.get(type(value), f"a {type(value).__name__}")


def _text_value(value: object, name: str, where: object, problems: Problems) -> str | None:
    """A field's value as text: strings as given, whole numbers written out; anything else left empty, recorded."""
    if value is None or isinstance(value, str):
        return None if value is None else _without_surrogates(value, name, where, problems)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        problems.add(where, f"'{name}' is a JSON number ({value!r}); kept as the text {str(value)!r}", "repaired")
        return str(value)
    problems.add(where, f"'{name}' is {_json_kind(value)}, not text; left empty", "repaired")
    return None


@contextlib.contextmanager
def _csv_field_limit(limit: int) -> Iterator[None]:
    """Let the csv module read fields up to `limit` characters, and restore its process-wide limit after."""
    before = csv.field_size_limit(max(limit, _CSV_DEFAULT_FIELD_LIMIT))
    try:
        yield
    finally:
        csv.field_size_limit(before)


_PHYSICAL_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _quote_problem(error: csv.Error) -> str:
    message = str(error)
    if "expected after" in message or "end of data" in message:
        return f"malformed CSV row: unbalanced quote ({message}); row skipped, reading resumes on the next line"
    return f"malformed CSV row ({message}); row skipped, reading resumes on the next line"


def _csv_records(text: str, path: Path, problems: Problems) -> list[tuple[int, list[str]]]:
    """Every well-formed record of a CSV as (line number, fields), the header first.

    Read strictly: a quote that is never closed, or closed in the middle of a field, makes its row a
    problem row, and reading starts again on the line after the row's first line, so one stray quote
    costs one row instead of swallowing the rest of the file. A row whose field count differs from
    the header's is skipped and recorded.
    """
    lines = _PHYSICAL_LINE.findall(text)
    records: list[tuple[int, list[str]]] = []
    width: int | None = None
    start = 0
    with _csv_field_limit(len(text) + 1):
        while start < len(lines):
            reader = csv.reader((lines[at] for at in range(start, len(lines))), strict=True)
            consumed = 0
            try:
                for fields in reader:
                    first, consumed = start + consumed, reader.line_num
                    if not fields:
                        continue
                    if width is None:
                        width = len(fields)
                    elif len(fields) != width:
                        problems.add(f"{path}:{first + 1}", f"{len(fields)} fields where the header has {width}; "
                                                            "row skipped", "skipped")
                        if start + consumed - first > 1:  # a row over several lines: its quotes cannot be trusted
                            start = first + 1
                            break
                        continue
                    records.append((first + 1, fields))
                else:
                    start = len(lines)
            except csv.Error as error:
                first = start + consumed
                if width is None:
                    raise InputError(f"{path}:{first + 1}", f"malformed CSV header ({error})") from None
                problems.add(f"{path}:{first + 1}", _quote_problem(error), "skipped")
                start = first + 1
    return records


def _csv_table(text: str, path: Path, required: str, problems: Problems) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a CSV as (line number, row), header names stripped and lower-cased; refuse one without `required`."""
    records = _csv_records(text, path, problems)
    names = [name.strip().lower() for name in records[0][1]] if records else []
    if required not in names:
        raw = records[0][1] if records else []
        raise InputError(path, f"CSV has no '{required}' column (columns: {', '.join(raw)})")
    for line_no, fields in records[1:]:
        row: dict[str, str] = {}
        for name, value in zip(names, fields):
            row.setdefault(name, value)
        yield line_no, row


def _read_metadata(path: Path, problems: Problems) -> dict[str, dict[str, object]]:
    meta: dict[str, dict[str, object]] = {}
    for line_no, row in _csv_table(decode_bytes(_read_data(path), path, problems), path, "article_id", problems):
        where = f"{path}:{line_no}"
        article_id = (row.get("article_id") or "").strip()
        if not article_id:
            problems.add(where, "metadata row without article_id", "skipped")
        elif article_id in meta:
            problems.add(where, f"duplicate metadata row for {article_id!r} "
                                f"(the one at {meta[article_id]['metadata_source']} is used)", "skipped")
        else:
            meta[article_id] = {key: _blank_to_none(row.get(key)) for key in METADATA_COLUMNS[1:]}
            meta[article_id]["metadata_source"] = where
            meta[article_id]["date_file"] = str(path)
    return meta


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as error:
        raise InputError(path, f"cannot read: {error.strerror}") from None


def _read_data(path: Path) -> bytes:
    """A file's bytes, decompressed when they are gzip data (whatever the file is called)."""
    data = read_bytes(path)
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as error:
        raise InputError(path, f"corrupt gzip data ({error})") from None


def _metadata_in(folder: Path, problems: Problems) -> dict[str, dict[str, object]]:
    path = folder / METADATA_FILE
    return _read_metadata(path, problems) if path.is_file() else {}


def _article(article_id: str, text: str, where: object, problems: Problems, *, page: bool = False,
             **given: object) -> dict[str, object]:
    """One article record; a web page (or text that is one) gives its main text, and fills missing metadata from the page.

    Raises InputError when a page holds no main text.
    """
    if page or looks_like_html(text):
        try:
            found = extract_page(text)
        except ValueError as error:
            raise InputError(where, str(error)) from None
        problems.add(where, f"web page: main text extracted ({len(found.text):,} of {found.page_characters:,} "
                            f"characters of page text kept; navigation, scripts, styles and other page furniture "
                            f"dropped)", "repaired")
        if given.get("published") is None and found.published is not None:
            given = {**given, "published": found.published, "date_file": None}  # htmldate's ISO date
        from_page = {"title": found.title, "source": found.site, "url": found.url}
        given = {**given, **{key: value for key, value in from_page.items() if given.get(key) is None}}
        text = found.text
    return _record(article_id, text, path=str(where), **given)


def _folder(folder: Path, problems: Problems) -> Iterator[dict[str, object]]:
    """Every article file in the folder; a bad file, and anything that is not an article, is skipped and recorded."""
    try:
        entries = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    except OSError as error:
        raise InputError(folder, f"cannot read: {error.strerror}") from None
    files = [p for p in entries if p.suffix.lower() in ARTICLE_SUFFIXES and p.is_file()]
    if not files:
        raise InputError(folder, "folder holds no .txt articles (nor .html/.htm pages)")
    articles = set(files)
    for other in entries:
        if other.is_dir():
            problems.add(other, "a folder (folders inside are not searched)", "skipped")
        elif other not in articles and other.name != METADATA_FILE:
            problems.add(other, "not a regular file" if other.suffix.lower() in ARTICLE_SUFFIXES
                         else "not a .txt article or .html page", "skipped")
    meta = _metadata_in(folder, problems)
    for orphan in sorted(set(meta) - {p.stem for p in files}):
        problems.add(meta[orphan]["metadata_source"],
                     f"metadata for {orphan!r} matches no .txt file (nor .html/.htm page)", "skipped")
    for path in files:
        try:
            text = read_article_text(path, problems)
            yield _article(path.stem, text, path, problems, page=path.suffix.lower() in PAGE_SUFFIXES,
                           **meta.get(path.stem, {}))
        except InputError as error:
            problems.add(error.source, error.problem, "skipped")


def _open_lines(path: Path, problems: Problems) -> list[bytes]:
    """The lines of a JSON-lines file, as UTF-8.

    A file with a byte-order mark, or in a legacy encoding, is decoded whole (one encoding for the file,
    recorded once) and re-encoded; when no one encoding fits it, each line is decoded, or skipped, alone.
    """
    data = _read_data(path)
    if not data.strip():
        raise InputError(path, "empty file")
    if data.startswith(_BOMS) or _utf16_byte_order(data) is not None:
        data = decode_bytes(data, path, problems).encode("utf-8")
    elif _utf8_damage(data)[2]:
        with contextlib.suppress(InputError):
            data = decode_bytes(data, path, problems).encode("utf-8")
    return data.splitlines()


def _json_error(error: ValueError | RecursionError) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"malformed JSON ({error.msg} at column {error.colno})"
    if isinstance(error, RecursionError):
        return "malformed JSON (nested too deeply)"
    return f"malformed JSON ({error})"


def _json_lines(path: Path, problems: Problems) -> Iterator[dict[str, object]]:
    for line_no, raw in enumerate(_open_lines(path, problems), start=1):
        if not raw.strip():
            continue
        where = f"{path}:{line_no}"
        try:
            item = json.loads(decode_bytes(raw, where, problems))
        except InputError as error:
            problems.add(where, error.problem, "skipped")
            continue
        except (ValueError, RecursionError) as error:
            problems.add(where, _json_error(error), "skipped")
            continue
        if not isinstance(item, dict):
            problems.add(where, "line is not a JSON object", "skipped")
            continue
        text = item.get("text")
        if text is not None and not isinstance(text, str):
            problems.add(where, f"'text' is {_json_kind(text)}, not text", "skipped")
            continue
        if text is None or not text.strip():
            problems.add(where, "no text (missing or empty 'text' field)", "skipped")
            continue
        fields = {name: _text_value(item.get(name), name, where, problems)
                  for name in ("id", "article_id", "title", "source", "url", "published", "date")}
        article_id = fields["id"] or fields["article_id"] or f"{_stem(path)}-{line_no}"
        try:
            yield _article(
                article_id, _without_surrogates(text, "text", where, problems), where, problems,
                title=fields["title"], source=fields["source"], url=fields["url"],
                published=fields["published"] or fields["date"], date_file=str(path),
            )
        except InputError as error:
            problems.add(where, error.problem, "skipped")


def _csv_rows(path: Path, problems: Problems) -> Iterator[dict[str, object]]:
    text = decode_bytes(_read_data(path), path, problems)
    if not text.strip():
        raise InputError(path, "empty file")
    for line_no, row in _csv_table(text, path, "text", problems):
        where = f"{path}:{line_no}"
        body = row.get("text") or ""
        if not body.strip():
            problems.add(where, "empty text", "skipped")
            continue
        article_id = (row.get("article_id") or row.get("id") or "").strip() or f"{_stem(path)}-{line_no}"
        try:
            yield _article(
                article_id, body, where, problems, title=_blank_to_none(row.get("title")),
                source=_blank_to_none(row.get("source")), url=_blank_to_none(row.get("url")),
                published=_blank_to_none(row.get("published") or row.get("date")), date_file=str(path),
            )
        except InputError as error:
            problems.add(where, error.problem, "skipped")


def _stem(path: Path) -> str:
    name = path.name
    for suffix in (".gz", ".jsonl", ".json", ".ndjson", ".csv", ".txt"):
        name = name.removesuffix(suffix)
    return name


def _records(path: Path, problems: Problems) -> Iterator[dict[str, object]]:
    if not path.exists():
        raise InputError(path, "no such file or folder")
    if path.is_dir():
        yield from _folder(path, problems)
        return
    if not path.is_file():
        raise InputError(path, "not a regular file or folder")
    suffixes = [s.lower() for s in path.suffixes]
    kind = suffixes[-2] if suffixes[-1:] == [".gz"] and len(suffixes) > 1 else (suffixes or [""])[-1]
    if kind in JSONL_SUFFIXES:
        yield from _json_lines(path, problems)
    elif kind == ".csv":
        yield from _csv_rows(path, problems)
    else:
        text = read_article_text(path, problems)
        meta = _metadata_in(path.parent, problems)
        yield _article(path.stem, text, path, problems, page=kind in PAGE_SUFFIXES, **meta.get(path.stem, {}))


# Day and month in either order, then the year: 04/07/2025, 4.7.25, 13-07-2025 10:30.
_DAY_MONTH = re.compile(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?!\d)(.*)\Z", re.DOTALL)


def _to_stamp(value: object) -> pd.Timestamp | None:
    """A naive UTC timestamp, or None when `value` is no date or one outside pandas' range (1677-2262).

    Numeric day/month dates never come here (see `_day_month_date`), so pandas has no order to guess;
    its warnings are kept off the terminal all the same.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            stamp = pd.to_datetime(str(value), errors="coerce")
    except (ValueError, OverflowError):
        return None
    if not isinstance(stamp, pd.Timestamp) or pd.isna(stamp):
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    try:
        return stamp.as_unit("ns")
    except (ValueError, OverflowError):
        return None


def _day_month_date(found: re.Match[str], dayfirst: bool) -> pd.Timestamp | None:
    """The date of a numeric day/month match read in the given order, or None when it is no real date."""
    first, second, year = int(found[1]), int(found[2]), int(found[3])
    day, month = (first, second) if dayfirst else (second, first)
    if len(found[3]) == 2:
        year += 2000 if year < 69 else 1900  # the C library's %y rule
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return _to_stamp(f"{year:04d}-{month:02d}-{day:02d}{found[4]}")


def _ambiguous(found: re.Match[str]) -> bool:
    return int(found[1]) <= 12 and int(found[2]) <= 12 and found[1].lstrip("0") != found[2].lstrip("0")


def _evident_order(found: re.Match[str]) -> bool | None:
    """True when the date itself shows it is day/month (13/07/2025), False for month/day, None when it cannot."""
    if int(found[1]) > 12:
        return True
    return False if int(found[2]) > 12 else None


def _file_order(matches: list[re.Match[str]], dayfirst: bool | None) -> tuple[bool | None, str]:
    """The day/month order of one file's numeric dates, and, when there is none, why."""
    if dayfirst is not None:
        return dayfirst, ""
    evident = {order: found[0].strip() for found in matches if (order := _evident_order(found)) is not None}
    if len(evident) == 2:
        return None, f"the file writes dates both day/month ({evident[True]!r}) and month/day ({evident[False]!r})"
    if evident:
        return next(iter(evident)), ""
    return None, "no date in the file tells (pass --dayfirst or --monthfirst, or dayfirst=True/False)"


def _parse_published(records: list[dict[str, object]], problems: Problems, dayfirst: bool | None) -> pd.Series:
    """Publication dates as naive UTC: ISO dates in one vectorised pass, numeric day/month dates in one order a
    file (from `dayfirst`, else from the file's own unambiguous dates), any other value on its own."""
    given = [_blank_to_none(record.get("published")) for record in records]
    iso = pd.to_datetime(pd.Series([None if v is None else str(v) for v in given], dtype="object"),
                         format="ISO8601", errors="coerce", utc=True)
    in_range = iso.dt.year.between(1678, 2261)  # nanosecond timestamps end there; others parse one by one
    values = iso.where(in_range).dt.tz_localize(None).astype("datetime64[ns]")
    pending = [i for i, value in enumerate(given) if value is not None and pd.isna(values.iloc[i])]
    numeric = {i: found for i in pending if (found := _DAY_MONTH.match(str(given[i])))}
    by_file: dict[object, list[re.Match[str]]] = {}
    for i, found in numeric.items():
        by_file.setdefault(records[i].get("date_file"), []).append(found)
    orders = {file: _file_order(matches, dayfirst) for file, matches in by_file.items()}
    for at in pending:
        source = records[at].get("metadata_source") or records[at].get("path")
        found = numeric.get(at)
        if found is None:
            stamp = _to_stamp(given[at])
        else:
            order, why = orders[records[at].get("date_file")]
            order = _evident_order(found) if order is None else order
            if order is None and _ambiguous(found):
                problems.add(source, f"published date {given[at]!r} is ambiguous (day/month or month/day?) and "
                                     f"{why}; left empty", "repaired")
                continue
            stamp = _day_month_date(found, order is not False)
        if stamp is None:
            problems.add(source, f"published date {given[at]!r} is not a real date; left empty", "repaired")
        else:
            values.iloc[at] = stamp
    return values.reset_index(drop=True)


def _unique_ids(ids: list[str], paths: list[object], problems: Problems) -> list[str]:
    """Ids as given, except that a repeat becomes `id~2`, `id~3`, ... (never clashing with another id)."""
    taken = set(ids)
    seen: set[str] = set()
    unique = []
    for article_id, path in zip(ids, paths):
        if article_id in seen:
            count = 2
            while f"{article_id}~{count}" in taken:
                count += 1
            renamed = f"{article_id}~{count}"
            taken.add(renamed)
            problems.add(path, f"duplicate article id {article_id!r}; renamed to {renamed!r}", "repaired")
            article_id = renamed
        seen.add(article_id)
        unique.append(article_id)
    return unique


def _note_controls(records: list[dict[str, object]], problems: Problems) -> None:
    """Record each article holding control characters or invisible joiners (the clean stage removes them)."""
    for record in records:
        text = str(record["raw_text"])
        runs = list(_CONTROL.finditer(text))
        if runs:
            count = sum(len(run.group(0)) for run in runs)
            problems.add(record.get("path"), f"{count} control character(s), first U+{ord(runs[0].group(0)[0]):04X} "
                                             f"at character {runs[0].start()}; removed by cleaning", "repaired")
        joiners = list(_JOINERS.finditer(text))
        if joiners:
            count = sum(len(run.group(0)) for run in joiners)
            problems.add(record.get("path"), f"{count} invisible joiner(s) or soft hyphen(s), first "
                                             f"U+{ord(joiners[0].group(0)[0]):04X} at character {joiners[0].start()}; "
                                             "removed by cleaning, joining the word around them", "repaired")


def articles_frame(records: list[dict[str, object]], problems: Problems, *, dayfirst: bool | None = None) -> pd.DataFrame:
    """Build the `articles` frame (uncleaned: `text` equals `raw_text` until the clean stage)."""
    ids = _unique_ids([str(r["article_id"]) for r in records], [r.get("path") for r in records], problems)
    frame = pd.DataFrame({
        "article_id": pd.array(ids, dtype="string"),
        "title": _strings([_blank_to_none(r.get("title")) for r in records]),
        "source": _strings([_blank_to_none(r.get("source")) for r in records]),
        "url": _strings([_blank_to_none(r.get("url")) for r in records]),
        "published": _parse_published(records, problems, dayfirst),
        "path": _strings([r.get("path") for r in records]),
        "text": _strings([r["raw_text"] for r in records]),
        "raw_text": _strings([r["raw_text"] for r in records]),
        "removed": pd.Series([[] for _ in records], dtype="object"),
        "duplicate_of": pd.array([None] * len(records), dtype="string"),
    })
    return frame[ARTICLE_COLUMNS]


def _check_dayfirst(dayfirst: object) -> bool | None:
    if dayfirst is not None and not isinstance(dayfirst, bool):
        raise TypeError(f"dayfirst must be True, False or None, not {dayfirst!r}")
    return dayfirst


def _default_date(published: object, dayfirst: bool | None) -> pd.Timestamp:
    """The `published=` argument as a timestamp; an ambiguous day/month date needs `dayfirst`."""
    found = _DAY_MONTH.match(str(published))
    if found and dayfirst is None and _ambiguous(found):
        raise InputError("published", f"{published!r} is ambiguous: day/month or month/day (pass dayfirst=True/False)")
    default = _day_month_date(found, dayfirst is not False) if found else _to_stamp(published)
    if default is None:
        raise InputError("published", f"{published!r} is not a usable date")
    return default


def load_with_problems(
    *paths: PathArg, published: object = None, dayfirst: bool | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Load every path into one `articles` frame, and the `problems` frame of skipped or repaired items.

    `published` fills the date of articles that carry none of their own (a `.txt` has no date).
    `dayfirst` reads numeric dates such as 04/07/2025 as day/month (True) or month/day (False); by
    default a file's own unambiguous dates (13/07/2025) settle its order, and when none does its
    ambiguous dates are left empty and recorded, never guessed.
    """
    dayfirst = _check_dayfirst(dayfirst)
    if not paths:
        raise InputError("(no input)", "give at least one file or folder")
    problems = Problems()
    records: list[dict[str, object]] = []
    for path in map(Path, paths):
        before = len(problems.rows)
        found = list(_records(path, problems))
        if not found:
            skipped = problems.rows[before:]
            raise InputError(path, f"no articles found: {len(skipped)} item(s) skipped, the first "
                                   f"{skipped[0]['source']}: {skipped[0]['problem']}"
                             if skipped else "no articles found")
        records.extend(found)
    _note_controls(records, problems)
    if published is not None:
        default = _default_date(published, dayfirst)
        for record in records:
            if _blank_to_none(record.get("published")) is None:
                record["published"] = default
    return articles_frame(records, problems, dayfirst=dayfirst), problems.frame()


def load(*paths: PathArg, published: object = None, dayfirst: bool | None = None) -> pd.DataFrame:
    """Load articles into the `articles` frame; skipped or repaired items raise a `LoadWarning` each."""
    articles, problems = load_with_problems(*paths, published=published, dayfirst=dayfirst)
    _warn(problems)
    return articles


def _warn(problems: pd.DataFrame) -> None:
    for row in problems.itertuples():
        warnings.warn(f"{row.source}: {row.problem} ({row.action})", LoadWarning, stacklevel=3)


def _user_table(path: PathArg, columns: tuple[str, ...], what: str) -> pd.DataFrame:
    """A user's CSV table that must hold `columns`: one-line error naming the file and what is missing."""
    path = Path(path)
    text = decode_bytes(read_bytes(path), path)
    table = pd.read_csv(io.StringIO(text), dtype="string", keep_default_na=False)
    missing = set(columns) - set(table.columns)
    if missing:
        raise InputError(path, f"{what} table needs columns {', '.join(columns)} (missing: {', '.join(sorted(missing))})")
    return table


def load_aliases(path: PathArg) -> pd.DataFrame:
    """A user's alias table: a CSV with `alias` and `entity` columns and an optional `label`."""
    return _user_table(path, ("alias", "entity"), "alias")


def load_demonyms(path: PathArg) -> pd.DataFrame:
    """A user's demonym table: a CSV with `name` and `country` columns ("Catalan,Spain", "Kremlin,Russia")."""
    return _user_table(path, ("name", "country"), "demonym")


def from_texts(texts: Iterable[str], *, published: object = None) -> pd.DataFrame:
    """An `articles` frame from strings in memory (ids `text-0`, `text-1`, ...): for notebooks and tests.

    Lone surrogates (which no file can store) become U+FFFD, each repair raising a `LoadWarning`.
    """
    problems = Problems()
    records = [_record(f"text-{i}", _without_surrogates(text, "text", f"text-{i}", problems), published=published)
               for i, text in enumerate(texts)]
    articles = articles_frame(records, problems)
    _warn(problems.frame())
    return articles

"""Load stage: read articles from disk into the `articles` frame. The only stage that touches files.

Accepted inputs: a `.txt` file, a folder of `.txt` files (with an optional `metadata.csv` beside
them), a JSON-lines file (plain or `.gz`) with a `text` field, or a CSV with a `text` column.
Encodings: UTF-8 (with or without BOM), UTF-16 with BOM, and cp1252 as a last resort.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import re
import warnings
import zlib
from collections.abc import Iterable, Iterator
from os import PathLike
from pathlib import Path

import pandas as pd

from toolkit.clean import CONTROL_CHARS
from toolkit.problems import InputError, Problems

PathArg = str | PathLike[str]

ARTICLE_COLUMNS = [
    "article_id", "title", "source", "url", "published", "path",
    "text", "raw_text", "removed", "duplicate_of",
]
METADATA_COLUMNS = ["article_id", "title", "source", "url", "published"]
METADATA_FILE = "metadata.csv"
JSONL_SUFFIXES = {".jsonl", ".json", ".ndjson"}
_CONTROL_SHARE_FOR_BINARY = 0.1
_BINARY_SAMPLE = 65536
_MAX_BAD_SHARE = 0.01
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CONTROL = re.compile(CONTROL_CHARS)
# Wide enough for a 50 MB article in one CSV cell (the csv module's default stops at 128 KB).
_CSV_FIELD_LIMIT = 2**31 - 1


class LoadWarning(UserWarning):
    """An input item was skipped or repaired while loading."""


def decode_bytes(data: bytes, source: object, problems: Problems | None = None) -> str:
    """Decode text: BOM first (UTF-8, UTF-16), then UTF-8, then cp1252; every repair is recorded.

    Bytes that are mostly control codes are refused as binary. UTF-8 with a few corrupt bytes (no more
    bad bytes than valid non-ASCII characters), or text cp1252 cannot read either with at most 1% bad
    bytes, keeps its text with the bad bytes as U+FFFD.
    """
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8):], "utf-8", source)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", source)
    if _looks_binary(data[:_BINARY_SAMPLE].decode("latin-1")):
        sample = data[:_BINARY_SAMPLE]
        # UTF-16 text without its BOM: NUL in every other byte (ASCII letters' high halves).
        utf16 = max(sample[0::2].count(0), sample[1::2].count(0)) > len(sample) / 4
        hint = " (UTF-16 needs a byte-order mark)" if utf16 else ""
        raise InputError(source, f"binary data (control bytes), not text{hint}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        first_bad = error.start
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd") - data.count("\ufffd".encode())
    valid_non_ascii = len(replaced) - len(replaced.encode("ascii", errors="ignore")) - bad
    if bad > valid_non_ascii:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            if bad > _MAX_BAD_SHARE * len(data):
                raise InputError(source, f"undecodable bytes: not UTF-8 (byte {first_bad}) nor cp1252") from None
        else:
            _note(problems, source, f"not valid UTF-8 (byte {first_bad}); decoded as cp1252")
            return text
    _note(problems, source, f"{bad} invalid UTF-8 byte sequence(s), first at byte {first_bad}; replaced with U+FFFD")
    return replaced


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
    }


def _blank_to_none(value: object) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _csv_table(text: str, path: Path, required: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a CSV as (line number, row), header names stripped and lower-cased; refuse one without `required`."""
    csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_LIMIT))
    reader = csv.DictReader(io.StringIO(text))
    try:
        names = reader.fieldnames
        if names is None or required not in [name.strip().lower() for name in names]:
            raise InputError(path, f"CSV has no '{required}' column (columns: {', '.join(names or [])})")
        reader.fieldnames = [name.strip().lower() for name in names]
        for row in reader:
            yield reader.line_num, row
    except csv.Error as error:
        raise InputError(f"{path}:{reader.line_num}", f"malformed CSV ({error})") from None


def _read_metadata(path: Path, problems: Problems) -> dict[str, dict[str, object]]:
    meta: dict[str, dict[str, object]] = {}
    for line_no, row in _csv_table(decode_bytes(_read_data(path), path, problems), path, "article_id"):
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


def _folder(folder: Path, problems: Problems) -> Iterator[dict[str, object]]:
    """Every `.txt` in the folder; a bad file, and anything that is not an article, is skipped and recorded."""
    try:
        entries = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    except OSError as error:
        raise InputError(folder, f"cannot read: {error.strerror}") from None
    files = [p for p in entries if p.suffix.lower() == ".txt" and p.is_file()]
    if not files:
        raise InputError(folder, "folder holds no .txt articles")
    articles = set(files)
    for other in entries:
        if other.is_dir():
            problems.add(other, "a folder (folders inside are not searched)", "skipped")
        elif other not in articles and other.name != METADATA_FILE:
            problems.add(other, "not a regular file" if other.suffix.lower() == ".txt" else "not a .txt article",
                         "skipped")
    meta = _metadata_in(folder, problems)
    for orphan in sorted(set(meta) - {p.stem for p in files}):
        problems.add(meta[orphan]["metadata_source"], f"metadata for {orphan!r} matches no .txt file", "skipped")
    for path in files:
        try:
            text = read_article_text(path, problems)
        except InputError as error:
            problems.add(error.source, error.problem, "skipped")
            continue
        yield _record(path.stem, text, path=str(path), **meta.get(path.stem, {}))


def _open_lines(path: Path, problems: Problems) -> list[bytes]:
    """The lines of a JSON-lines file; one with a byte-order mark is decoded whole, then re-encoded as UTF-8."""
    data = _read_data(path)
    if not data.strip():
        raise InputError(path, "empty file")
    if data.startswith(_BOMS):
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
        if not isinstance(text, str) or not text.strip():
            problems.add(where, "no text (missing or empty 'text' field)", "skipped")
            continue
        article_id = str(item.get("id") or item.get("article_id") or f"{_stem(path)}-{line_no}")
        yield _record(
            article_id, text, path=where, title=item.get("title"), source=item.get("source"),
            url=item.get("url"), published=item.get("published") or item.get("date"),
        )


def _csv_rows(path: Path, problems: Problems) -> Iterator[dict[str, object]]:
    text = decode_bytes(_read_data(path), path, problems)
    if not text.strip():
        raise InputError(path, "empty file")
    for line_no, row in _csv_table(text, path, "text"):
        where = f"{path}:{line_no}"
        body = row.get("text") or ""
        if not body.strip():
            problems.add(where, "empty text", "skipped")
            continue
        article_id = (row.get("article_id") or row.get("id") or "").strip() or f"{_stem(path)}-{line_no}"
        yield _record(
            article_id, body, path=where, title=_blank_to_none(row.get("title")),
            source=_blank_to_none(row.get("source")), url=_blank_to_none(row.get("url")),
            published=_blank_to_none(row.get("published") or row.get("date")),
        )


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
        yield _record(path.stem, text, path=str(path), **meta.get(path.stem, {}))


def _to_stamp(value: object) -> pd.Timestamp | None:
    """A naive UTC timestamp, or None when `value` is no date or one outside pandas' range (1677-2262)."""
    try:
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


def _parse_published(records: list[dict[str, object]], problems: Problems) -> pd.Series:
    """Publication dates as naive UTC; ISO dates parse in one vectorised pass, any other value on its own."""
    given = [_blank_to_none(record.get("published")) for record in records]
    iso = pd.to_datetime(pd.Series([None if v is None else str(v) for v in given], dtype="object"),
                         format="ISO8601", errors="coerce", utc=True)
    in_range = iso.dt.year.between(1678, 2261)  # nanosecond timestamps end there; others parse one by one
    values = iso.where(in_range).dt.tz_localize(None).astype("datetime64[ns]")
    for at in [i for i, value in enumerate(given) if value is not None and pd.isna(values.iloc[i])]:
        stamp = _to_stamp(given[at])
        if stamp is None:
            source = records[at].get("metadata_source") or records[at].get("path")
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
    """Record each article holding control or invisible characters (the clean stage removes them)."""
    for record in records:
        runs = list(_CONTROL.finditer(str(record["raw_text"])))
        if runs:
            count = sum(len(run.group(0)) for run in runs)
            problems.add(record.get("path"), f"{count} control character(s), first U+{ord(runs[0].group(0)[0]):04X} "
                                             f"at character {runs[0].start()}; removed by cleaning", "repaired")


def articles_frame(records: list[dict[str, object]], problems: Problems) -> pd.DataFrame:
    """Build the `articles` frame (uncleaned: `text` equals `raw_text` until the clean stage)."""
    ids = _unique_ids([str(r["article_id"]) for r in records], [r.get("path") for r in records], problems)
    frame = pd.DataFrame({
        "article_id": pd.array(ids, dtype="string"),
        "title": pd.array([_blank_to_none(r.get("title")) for r in records], dtype="string"),
        "source": pd.array([_blank_to_none(r.get("source")) for r in records], dtype="string"),
        "url": pd.array([_blank_to_none(r.get("url")) for r in records], dtype="string"),
        "published": _parse_published(records, problems),
        "path": pd.array([r.get("path") for r in records], dtype="string"),
        "text": pd.array([r["raw_text"] for r in records], dtype="string"),
        "raw_text": pd.array([r["raw_text"] for r in records], dtype="string"),
        "removed": pd.Series([[] for _ in records], dtype="object"),
        "duplicate_of": pd.array([None] * len(records), dtype="string"),
    })
    return frame[ARTICLE_COLUMNS]


def load_with_problems(
    *paths: PathArg, published: object = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Load every path into one `articles` frame, and the `problems` frame of skipped or repaired items.

    `published` fills the date of articles that carry none of their own (a `.txt` has no date).
    """
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
        default = _to_stamp(published)
        if default is None:
            raise InputError("published", f"{published!r} is not a usable date")
        for record in records:
            if _blank_to_none(record.get("published")) is None:
                record["published"] = default
    return articles_frame(records, problems), problems.frame()


def load(*paths: PathArg, published: object = None) -> pd.DataFrame:
    """Load articles into the `articles` frame; skipped or repaired items raise a `LoadWarning` each."""
    articles, problems = load_with_problems(*paths, published=published)
    for row in problems.itertuples():
        warnings.warn(f"{row.source}: {row.problem} ({row.action})", LoadWarning, stacklevel=2)
    return articles


def load_aliases(path: PathArg) -> pd.DataFrame:
    """A user's alias table: a CSV with `alias` and `entity` columns and an optional `label`."""
    path = Path(path)
    text = decode_bytes(read_bytes(path), path)
    table = pd.read_csv(io.StringIO(text), dtype="string", keep_default_na=False)
    missing = {"alias", "entity"} - set(table.columns)
    if missing:
        raise InputError(path, f"alias table needs columns alias, entity (missing: {', '.join(sorted(missing))})")
    return table


def load_demonyms(path: PathArg) -> pd.DataFrame:
    """A user's demonym table: a CSV with `name` and `country` columns ("Catalan,Spain", "Kremlin,Russia")."""
    path = Path(path)
    text = decode_bytes(read_bytes(path), path)
    table = pd.read_csv(io.StringIO(text), dtype="string", keep_default_na=False)
    missing = {"name", "country"} - set(table.columns)
    if missing:
        raise InputError(path, f"demonym table needs columns name, country (missing: {', '.join(sorted(missing))})")
    return table


def from_texts(texts: Iterable[str], *, published: object = None) -> pd.DataFrame:
    """An `articles` frame from strings in memory (ids `text-0`, `text-1`, ...): for notebooks and tests."""
    records = [_record(f"text-{i}", text, published=published) for i, text in enumerate(texts)]
    return articles_frame(records, Problems())

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
import warnings
from collections.abc import Iterable, Iterator
from os import PathLike
from pathlib import Path

import pandas as pd

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


class LoadWarning(UserWarning):
    """An input item was skipped or repaired while loading."""


def decode_bytes(data: bytes, source: object, problems: Problems | None = None) -> str:
    """Decode text: BOM first (UTF-8, UTF-16), then strict UTF-8, then cp1252 as a recorded repair."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8):], "utf-8", source)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", source)
    if b"\x00" in data:
        raise InputError(source, "binary data (NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(
                source, f"undecodable bytes: not UTF-8 (byte {utf8_error.start}) nor cp1252"
            ) from None
        if problems is not None:
            problems.add(source, f"not valid UTF-8 (byte {utf8_error.start}); decoded as cp1252", "repaired")
        return text


def _strict(data: bytes, encoding: str, source: object) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(source, f"undecodable bytes: invalid {encoding} at byte {error.start}") from None


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    return controls > _CONTROL_SHARE_FOR_BINARY * min(len(text), 65536)


def read_article_text(path: Path, problems: Problems | None = None) -> str:
    """Read one article file; refuse missing, empty and binary files with a one-line error."""
    data = read_bytes(path)
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
    }


def _blank_to_none(value: object) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _read_metadata(path: Path, problems: Problems) -> dict[str, dict[str, object]]:
    text = decode_bytes(read_bytes(path), path, problems)
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or "article_id" not in reader.fieldnames:
        raise InputError(path, f"metadata needs an 'article_id' column (found: {reader.fieldnames})")
    meta: dict[str, dict[str, object]] = {}
    for line_no, row in enumerate(reader, start=2):
        article_id = (row.get("article_id") or "").strip()
        if not article_id:
            problems.add(f"{path}:{line_no}", "metadata row without article_id", "skipped")
            continue
        meta[article_id] = {key: _blank_to_none(row.get(key)) for key in METADATA_COLUMNS[1:]}
        meta[article_id]["metadata_source"] = f"{path}:{line_no}"
    return meta


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as error:
        raise InputError(path, f"cannot read: {error.strerror}") from None


def _metadata_in(folder: Path, problems: Problems) -> dict[str, dict[str, object]]:
    path = folder / METADATA_FILE
    return _read_metadata(path, problems) if path.is_file() else {}


def _folder(folder: Path, problems: Problems) -> Iterator[dict[str, object]]:
    """Every `.txt` in the folder; a bad file is skipped and recorded, not fatal."""
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".txt" and p.is_file())
    if not files:
        raise InputError(folder, "folder holds no .txt articles")
    meta = _metadata_in(folder, problems)
    for path in files:
        try:
            text = read_article_text(path, problems)
        except InputError as error:
            problems.add(error.source, error.problem, "skipped")
            continue
        yield _record(path.stem, text, path=str(path), **meta.get(path.stem, {}))


def _open_lines(path: Path) -> Iterator[bytes]:
    data = read_bytes(path)
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as error:
            raise InputError(path, f"corrupt gzip data: {error}") from None
    if not data.strip():
        raise InputError(path, "empty file")
    yield from data.splitlines()


def _json_lines(path: Path, problems: Problems) -> Iterator[dict[str, object]]:
    for line_no, raw in enumerate(_open_lines(path), start=1):
        if not raw.strip():
            continue
        where = f"{path}:{line_no}"
        try:
            item = json.loads(decode_bytes(raw, where, problems))
        except InputError as error:
            problems.add(where, error.problem, "skipped")
            continue
        except json.JSONDecodeError as error:
            problems.add(where, f"malformed JSON ({error.msg} at column {error.colno})", "skipped")
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
    text = decode_bytes(read_bytes(path), path, problems)
    if not text.strip():
        raise InputError(path, "empty file")
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or "text" not in reader.fieldnames:
        raise InputError(path, f"CSV has no 'text' column (columns: {', '.join(reader.fieldnames or [])})")
    for line_no, row in enumerate(reader, start=2):
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


def _parse_published(records: list[dict[str, object]], problems: Problems) -> pd.Series:
    values = []
    for record in records:
        value = _blank_to_none(record.get("published"))
        if value is None:
            values.append(pd.NaT)
            continue
        stamp = pd.to_datetime(str(value), errors="coerce")
        if pd.isna(stamp):
            source = record.get("metadata_source") or record.get("path")
            problems.add(source, f"published date {value!r} is not a real date; left empty", "repaired")
        elif stamp.tzinfo is not None:
            stamp = stamp.tz_convert("UTC").tz_localize(None)
        values.append(stamp)
    return pd.Series(values, dtype="datetime64[ns]")


def _unique_ids(ids: list[str], paths: list[object], problems: Problems) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for article_id, path in zip(ids, paths):
        count = seen.get(article_id, 0) + 1
        seen[article_id] = count
        if count > 1:
            renamed = f"{article_id}~{count}"
            problems.add(path, f"duplicate article id {article_id!r}; renamed to {renamed!r}", "repaired")
            article_id = renamed
        unique.append(article_id)
    return unique


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
        found = list(_records(path, problems))
        if not found:
            raise InputError(path, "no articles found (every item was skipped; see the problems above)"
                             if problems.rows else "no articles found")
        records.extend(found)
    if published is not None:
        default = pd.Timestamp(published)
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


def from_texts(texts: Iterable[str], *, published: object = None) -> pd.DataFrame:
    """An `articles` frame from strings in memory (ids `text-0`, `text-1`, ...): for notebooks and tests."""
    records = [_record(f"text-{i}", text, published=published) for i, text in enumerate(texts)]
    return articles_frame(records, Problems())

"""On-disk cache of per-article results, so re-analysing an unchanged corpus reads instead of recomputing.

An article's key hashes its raw text and publication date (the dates it names resolve against it).
The results depend on nothing else but the settings and the code, so those pick the cache's folder:
`<cache dir>/<fingerprint>/`, where the fingerprint hashes the toolkit's version, the source of every
toolkit module the per-article work imports (found by reading `toolkit.engines`' imports, so a new stage
module counts as soon as it is wired in) and every file in `toolkit/data`, the spaCy and model
versions, NLTK's version, the VADER lexicon, the cleaning rules, the sentiment engine and the alias
table. Change any of them and nothing stale is read.

Results are stored a chunk at a time (`chunk-<hash>.<frame>.parquet`, the article frame last, as the
chunk's manifest of keys), each file written to a temporary name and moved into place with
`os.replace`: a run stopped at any point leaves whole chunks or none, and the next run resumes from
them. Only articles whose key is missing are recomputed, so a changed article costs one article.

The cache heals: a chunk with a missing, truncated or unreadable file is deleted, recorded as a
repaired problem, and its articles recomputed and stored again. Where no folder can be written (a
read-only home, a cache path naming a file) the run goes on without the cache, after one warning.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import tempfile
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from toolkit.dedup import signature_array
from toolkit.engines import FRAME_NAMES, Frames, Settings
from toolkit.entities import NAME_COLUMNS
from toolkit.load import PathArg
from toolkit.problems import Problems

ENV_VAR = "NEWSLENS_CACHE_DIR"
KEY = "article_id"  # inside the cache, frames carry the article's key where the analysis has its id
MANIFEST = "articles"
PACKAGE = Path(__file__).resolve().parent
FOLDER_NAME = re.compile(r"[0-9a-f]{20}")  # a fingerprint: only such folders are ever listed or pruned
CORPUS_NAMES = "corpus-names"  # the corpus steps' names of a run's mentions, read by the next run
CORPUS_STATES = 4  # corpus-names files kept: the last few corpora analysed each grow without starting over
CORPUS_NAME_COLUMNS = [*(f"surname_{c}" for c in NAME_COLUMNS), *NAME_COLUMNS]
# What reading a damaged Parquet file raises: truncated or garbage bytes, a missing file or column.
UNREADABLE = (OSError, ValueError, KeyError, pa.ArrowException)


class CacheWarning(UserWarning):
    """The cache cannot be used or written: the run goes on without it."""


def default_cache_dir() -> Path:
    """`$NEWSLENS_CACHE_DIR`, else `$XDG_CACHE_HOME/newslens`, else `~/.cache/newslens`."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "newslens"


def article_keys(articles: pd.DataFrame) -> pd.Series:
    """One key an article: a hash of its raw text and its publication date."""
    published = articles["published"].astype("string").fillna("")
    return pd.Series(
        [hashlib.sha256(f"{when}\0{text}".encode()).hexdigest()[:32]
         for text, when in zip(articles["raw_text"], published)],
        index=articles.index, dtype="string",
    )


def _imported_modules(package: Path, path: Path) -> set[str]:
    """Names of the toolkit modules a module imports (at the top or inside functions)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, ast.ImportFrom) and node.level:  # from . import x, from .x import y
            found |= {node.module.split(".")[0]} if node.module else {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module == "toolkit":
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module is not None and node.module.startswith("toolkit."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {alias.name.split(".")[1] for alias in node.names if alias.name.startswith("toolkit.")}
    return {name for name in found if (package / f"{name}.py").is_file()}


@lru_cache(maxsize=4)
def code_files(package: Path = PACKAGE) -> tuple[Path, ...]:
    """The files whose content decides an article's frames: `engines.py`, every toolkit module it
    imports, directly or not, and everything in `toolkit/data`."""
    modules: set[str] = set()
    todo = ["engines"]
    while todo:
        name = todo.pop()
        if name not in modules:
            modules.add(name)
            todo += _imported_modules(package, package / f"{name}.py")
    data = [path for path in (package / "data").rglob("*") if path.is_file() and "__pycache__" not in path.parts]
    return tuple(sorted([package / f"{name}.py" for name in modules] + data))


def fingerprint(settings: Settings) -> str:
    """Hash of everything besides the article that decides its results."""
    import toolkit
    from toolkit.nlp import model_identity
    from toolkit.sentiment import lexicon_sha256

    digest = hashlib.sha256()
    for path in code_files():
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    versions = {
        "toolkit": toolkit.__version__,
        "spacy": importlib.metadata.version("spacy"),
        "model": model_identity(settings.model),
        "nltk": importlib.metadata.version("nltk"),
        "vader_lexicon": lexicon_sha256(),
        "sentiment": settings.sentiment,
        "rules": [(rule.name, rule.pattern, int(rule.flags)) for rule in settings.rules],
        "aliases": None if settings.aliases is None else settings.aliases.to_csv(index=False),
        "demonyms": None if settings.demonyms is None else settings.demonyms.to_csv(index=False),
        "reporting_verbs": None if settings.reporting_verbs is None else settings.reporting_verbs.to_csv(index=False),
    }
    digest.update(json.dumps(versions, sort_keys=True).encode())
    return digest.hexdigest()[:20]


class ArticleCache:
    """Per-article frames stored a chunk a file under one settings fingerprint.

    `problems` records the damaged files it found and replaced. Once a write fails, it warns once and
    stops writing (the run goes on)."""

    def __init__(self, root: PathArg, settings: Settings) -> None:
        self.folder = Path(root) / fingerprint(settings)
        self.problems = Problems()
        self.writable = True

    @classmethod
    def open(cls, root: PathArg, settings: Settings) -> ArticleCache | None:
        """The cache under `root`, or None, with one `CacheWarning`, when its folder cannot be written."""
        store = cls(root, settings)
        try:
            store.folder.mkdir(parents=True, exist_ok=True)
            handle, probe = tempfile.mkstemp(dir=store.folder, prefix=".probe.")
            os.close(handle)
            os.unlink(probe)
        except OSError as error:
            _warn_unusable(Path(root), error)
            return None
        return store

    def index(self) -> dict[str, str]:
        """Key -> chunk name for every article stored (from the chunks' manifests); damaged chunks go."""
        found: dict[str, str] = {}
        if not self.folder.is_dir():
            return found
        for path in sorted(self.folder.glob(f"chunk-*.{MANIFEST}.parquet")):
            chunk = path.name.split(".")[0]
            try:
                keys = pq.read_table(path, columns=[KEY]).column(KEY).to_pylist()
            except UNREADABLE as error:
                self._discard(chunk, path, error, None)
                continue
            for key in keys:
                found[key] = chunk
        return found

    def read(self, index: dict[str, str], keys: Iterable[str]) -> Frames | None:
        """The stored frames of `keys`, from the chunks that hold them; a chunk that cannot be read whole
        is deleted and recorded, and its articles left out (the caller recomputes them); None when none read."""
        wanted = set(keys)
        chunks: dict[str, list[str]] = {}
        for key in wanted:
            chunks.setdefault(index[key], []).append(key)
        parts = []
        for chunk, chunk_keys in sorted(chunks.items()):
            frames = []
            try:
                for name in FRAME_NAMES:
                    path = self.folder / f"{chunk}.{name}.parquet"
                    frames.append(_read_stored(path, name))
            except UNREADABLE as error:
                self._discard(chunk, path, error, len(chunk_keys))
                continue
            if len(chunk_keys) < len(frames[0]):
                frames = [frame[frame[KEY].isin(chunk_keys)] for frame in frames]
            parts.append(Frames(*frames))
        return Frames.concat(parts) if parts else None

    def _discard(self, chunk: str, path: Path, error: BaseException, articles: int | None) -> None:
        """Delete a damaged chunk's files and record the repair."""
        for stale in self.folder.glob(f"{chunk}.*.parquet"):
            stale.unlink(missing_ok=True)
        reason = "missing" if isinstance(error, FileNotFoundError) else f"unreadable ({_reason(error)})"
        what = f"its {articles} article(s)" if articles is not None else "its articles"
        self.problems.add(path, f"cache file {reason}; deleted, {what} recomputed and stored again", "repaired")

    def write(self, frames: Frames) -> bool:
        """Store one chunk's frames, each file atomically, the manifest last; False when not stored."""
        if not self.writable:
            return False
        chunk = "chunk-" + hashlib.sha256("\0".join(frames.articles[KEY]).encode()).hexdigest()[:20]
        stored = frames.articles.assign(removed=frames.articles["removed"].map(json.dumps))
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for name, frame in (*((n, getattr(frames, n)) for n in FRAME_NAMES if n != MANIFEST), (MANIFEST, stored)):
                _write_atomic(frame, self.folder / f"{chunk}.{name}.parquet")
        except OSError as error:
            self.writable = False
            _warn_unusable(self.folder.parent, error)
            return False
        return True

    def corpus_result(self, name: str, inputs: Iterable[str], compute: Callable[[], pd.Series]) -> pd.Series:
        """A corpus-level column (like near-duplicate flags), stored under a hash of its ordered inputs."""
        digest = hashlib.sha256("\0".join(inputs).encode()).hexdigest()[:20]
        path = self.folder / f"corpus-{name}-{digest}.parquet"
        if path.is_file():
            try:
                return pd.read_parquet(path)[name].astype("string")
            except UNREADABLE as error:
                path.unlink(missing_ok=True)
                self.problems.add(path, f"cache file unreadable ({_reason(error)}); deleted, recomputed and "
                                        "stored again", "repaired")
        result = compute()
        if self.writable:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                _write_atomic(pd.DataFrame({name: result.to_numpy()}), path)
            except OSError as error:
                self.writable = False
                _warn_unusable(self.folder.parent, error)
        return result

    def corpus_names(self, entities: pd.DataFrame, pairs: pd.Series) -> pd.DataFrame | None:
        """The names the corpus steps gave these mentions in the newest stored run over some of these
        articles (`pairs`: each mention's article as "key\0article_id"; mentions of an article in the order
        it gives them): `CORPUS_NAME_COLUMNS` aligned with `entities`, NA in the rows of articles that run
        did not hold; None when no stored run holds only articles of these."""
        stored = self._corpus_name_files()
        if not stored:  # a cold run: no set of every article's pair to build
            return None
        current = set(pairs.unique().tolist())
        for path in stored:
            try:
                state = pd.read_parquet(path)
                held = state["row"].lt(0)
                earlier = set(state.loc[held, "pair"].tolist())
            except UNREADABLE as error:
                path.unlink(missing_ok=True)
                self.problems.add(path, f"cache file unreadable ({_reason(error)}); deleted, its corpus names "
                                        "computed again", "repaired")
                continue
            if earlier <= current:
                return _previous_names(entities, pairs, earlier, state[~held])
        return None

    def write_corpus_names(self, entities: pd.DataFrame, pairs: pd.Series, after_surnames: pd.DataFrame,
                           after: pd.DataFrame) -> None:
        """Store, for the next run, the articles these mentions come from and the mentions the corpus steps
        renamed (the others keep their own names), the newest `CORPUS_STATES` runs kept."""
        held = sorted(set(pairs.unique().tolist()))
        path = self.folder / f"{CORPUS_NAMES}-{hashlib.sha256(repr(held).encode()).hexdigest()[:20]}.parquet"
        if path.is_file():
            os.utime(path)  # the newest again
            return
        if not self.writable:
            return
        changed = np.zeros(len(entities), dtype=bool)
        for column in NAME_COLUMNS:
            for names in (after_surnames, after):
                changed |= names[column].ne(entities[column]).fillna(True).to_numpy()
        at = np.flatnonzero(changed)
        renamed = pd.DataFrame({"pair": pairs.iloc[at].array, "row": _rows_within(pairs)[at],  # Arrow takes: no
                                **{f"surname_{c}": after_surnames[c].iloc[at].array for c in NAME_COLUMNS},  # string
                                **{c: after[c].iloc[at].array for c in NAME_COLUMNS}})  # a mention
        state = pd.concat([pd.DataFrame({"pair": held, "row": -1}), renamed], ignore_index=True)
        try:
            _write_atomic(state.astype({c: "string" for c in ("pair", *CORPUS_NAME_COLUMNS)}), path)
        except OSError as error:
            self.writable = False
            _warn_unusable(self.folder.parent, error)
            return
        for stale in self._corpus_name_files()[CORPUS_STATES:]:
            stale.unlink(missing_ok=True)

    def _corpus_name_files(self) -> list[Path]:
        """The stored corpus names, newest first."""
        found = [(path.stat().st_mtime, path) for path in self.folder.glob(f"{CORPUS_NAMES}-*.parquet")]
        return [path for _, path in sorted(found, reverse=True)]


def _article_starts(pairs: pd.Series) -> np.ndarray:
    """Where each article's mentions begin (an article's mentions come one after another), found on the pairs'
    codes, not on a Python string a mention."""
    codes = pd.factorize(pairs)[0]
    return np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if len(codes) else np.array([], dtype=int)


def _rows_within(pairs: pd.Series) -> np.ndarray:
    """Each mention's place among its article's mentions."""
    starts = _article_starts(pairs)
    lengths = np.diff(np.r_[starts, len(pairs)])
    return np.arange(len(pairs)) - np.repeat(starts, lengths)


def _previous_names(entities: pd.DataFrame, pairs: pd.Series, held: set[str], renamed: pd.DataFrame) -> pd.DataFrame:
    """The stored run's names aligned with `entities`: their own names in the articles it held, its renamed
    mentions' names where it renamed them, NA in the other articles."""
    known = pairs.isin(held).to_numpy()
    at = np.array([], dtype=int)
    if len(renamed):
        first = _article_starts(pairs)
        starts = pd.Series(first, index=pairs.iloc[first].array)
        starts = starts[~starts.index.duplicated()]
        at = starts.reindex(renamed["pair"].to_numpy()).to_numpy().astype(int) + renamed["row"].to_numpy()
    previous = {}
    replaced = np.zeros(len(entities), dtype=bool)
    replaced[at] = True
    for column in CORPUS_NAME_COLUMNS:  # Arrow-backed throughout: no Python string a mention
        names = entities[column.removeprefix("surname_")].astype("string").where(known)
        stored = pd.Series(renamed[column].astype("string").array, index=entities.index[at])
        previous[column] = names.mask(replaced, stored.reindex(entities.index)).array
    return pd.DataFrame(previous, index=entities.index)


def _read_stored(path: Path, name: str) -> pd.DataFrame:
    """One stored frame, checked: it carries the key (the manifest its removals, decoded; quotes their
    sentence ids as lists)."""
    frame = pd.read_parquet(path)
    if KEY not in frame.columns or (name == MANIFEST and "removed" not in frame.columns):
        raise ValueError("a stored frame without its columns")
    if name == MANIFEST:
        frame["removed"] = frame["removed"].map(json.loads)
        if "minhash" in frame.columns:  # as the workers send it: one Arrow buffer, no bytes object an article
            frame["minhash"] = signature_array(frame["minhash"])
    if name == "quotes":
        frame["sentence_ids"] = frame["sentence_ids"].map(lambda ids: [int(i) for i in ids])
    return frame


def _reason(error: BaseException) -> str:
    """What went wrong, in a few words: the first sentence of the message, without the file's path."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    lines = str(error).strip().splitlines()
    text = re.sub(r"\s*'[^']*/[^']*'", "", lines[0]) if lines else ""
    return text.split(". ")[0].rstrip(".") or type(error).__name__


def _warn_unusable(root: Path, error: OSError) -> None:
    warnings.warn(CacheWarning(f"cannot write the cache at {root} ({_reason(error)}); running without the cache"),
                  stacklevel=3)


# --- looking after the cache folder -----------------------------------------------------------------

@dataclass(frozen=True)
class CacheFolder:
    """One fingerprint's folder: its size on disk, the articles it holds, when it was last written."""

    path: Path
    size: int
    articles: int
    modified: float
    current: bool


def cache_folders(root: PathArg, current: str) -> list[CacheFolder]:
    """The cache folders under `root` (newest first); `current` is the fingerprint of today's settings."""
    root = Path(root)
    if not root.is_dir():
        return []
    folders = []
    for folder in root.iterdir():
        if not (folder.is_dir() and FOLDER_NAME.fullmatch(folder.name)):
            continue
        files = [path for path in folder.iterdir() if path.is_file()]
        articles = 0
        for path in files:
            if path.name.endswith(f".{MANIFEST}.parquet"):
                try:
                    articles += pq.read_metadata(path).num_rows
                except UNREADABLE:
                    continue  # a damaged chunk counts for nothing; the next run replaces it
        folders.append(CacheFolder(
            path=folder, size=sum(path.stat().st_size for path in files), articles=articles,
            modified=max((path.stat().st_mtime for path in files), default=folder.stat().st_mtime),
            current=folder.name == current,
        ))
    return sorted(folders, key=lambda entry: entry.modified, reverse=True)


def prune(root: PathArg, current: str, *, everything: bool = False) -> list[CacheFolder]:
    """Delete the cache folders of other settings or versions (and the current one with `everything`)."""
    removed = [entry for entry in cache_folders(root, current) if everything or not entry.current]
    for entry in removed:
        shutil.rmtree(entry.path)
    return removed


def age(seconds: float) -> str:
    """A duration as people say it: "40 s", "12 min", "5 h", "3 days"."""
    for unit, size in (("days", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f} {unit}"
    return f"{max(seconds, 0):.0f} s"


def _write_atomic(frame: pd.DataFrame, path: Path) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        frame.to_parquet(temporary, index=False)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

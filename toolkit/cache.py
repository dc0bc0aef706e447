"""On-disk cache of per-article results, so re-analysing an unchanged corpus reads instead of recomputing.

An article's key hashes its raw text and publication date (the dates it names resolve against it).
The results depend on nothing else but the settings and the code, so those pick the cache's folder:
`<cache dir>/<fingerprint>/`, where the fingerprint hashes the toolkit's version and per-article
source code, the spaCy and model versions, NLTK's version, the VADER lexicon, the cleaning rules, the
sentiment engine and the alias table. Change any of them and nothing stale is read.

Results are stored a chunk at a time (`chunk-<hash>.<frame>.parquet`, the article frame last, as the
chunk's manifest of keys), each file written to a temporary name and moved into place with
`os.replace`: a run stopped at any point leaves whole chunks or none, and the next run resumes from
them. Only articles whose key is missing are recomputed, so a changed article costs one article.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from toolkit.engines import FRAME_NAMES, Frames, Settings
from toolkit.load import PathArg

ENV_VAR = "NEWSLENS_CACHE_DIR"
KEY = "article_id"  # inside the cache, frames carry the article's key where the analysis has its id
MANIFEST = "articles"
# The modules and data whose code decides an article's frames.
SOURCES = ("clean.py", "text.py", "sentiment.py", "entities.py", "gazetteer.py", "dates.py", "nlp.py",
           "engines.py", "data/aliases.csv", "data/demonyms.csv", "tone.py", "data/tone_model.npz", "quotes.py",
           "data/reporting_verbs.csv", "data/speaker_nouns.csv")


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


def fingerprint(settings: Settings) -> str:
    """Hash of everything besides the article that decides its results."""
    import toolkit
    from toolkit.nlp import model_identity
    from toolkit.sentiment import lexicon_sha256

    digest = hashlib.sha256()
    package = Path(toolkit.__file__).parent
    for name in SOURCES:
        digest.update(name.encode() + b"\0" + (package / name).read_bytes())
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
    """Per-article frames stored a chunk a file under one settings fingerprint."""

    def __init__(self, root: PathArg, settings: Settings) -> None:
        self.folder = Path(root) / fingerprint(settings)

    def index(self) -> dict[str, str]:
        """Key -> chunk name for every article stored (from the chunks' manifests)."""
        found: dict[str, str] = {}
        if not self.folder.is_dir():
            return found
        for path in sorted(self.folder.glob(f"chunk-*.{MANIFEST}.parquet")):
            chunk = path.name.split(".")[0]
            for key in pq.read_table(path, columns=[KEY]).column(KEY).to_pylist():
                found[key] = chunk
        return found

    def read(self, index: dict[str, str], keys: Iterable[str]) -> Frames:
        """The stored frames of `keys`, from the chunks that hold them."""
        wanted = set(keys)
        chunks: dict[str, list[str]] = {}
        for key in wanted:
            chunks.setdefault(index[key], []).append(key)
        parts = []
        for chunk, chunk_keys in sorted(chunks.items()):
            frames = [pd.read_parquet(self.folder / f"{chunk}.{name}.parquet") for name in FRAME_NAMES]
            if len(chunk_keys) < len(frames[0]):
                frames = [frame[frame[KEY].isin(chunk_keys)] for frame in frames]
            parts.append(Frames(*frames))
        frames = Frames.concat(parts)
        frames.articles["removed"] = frames.articles["removed"].map(json.loads)
        frames.quotes["sentence_ids"] = frames.quotes["sentence_ids"].map(lambda ids: [int(i) for i in ids])
        return frames

    def write(self, frames: Frames) -> None:
        """Store one chunk's frames, each file atomically, the manifest last."""
        self.folder.mkdir(parents=True, exist_ok=True)
        chunk = "chunk-" + hashlib.sha256("\0".join(frames.articles[KEY]).encode()).hexdigest()[:20]
        stored = frames.articles.assign(removed=frames.articles["removed"].map(json.dumps))
        for name, frame in (*((n, getattr(frames, n)) for n in FRAME_NAMES if n != MANIFEST), (MANIFEST, stored)):
            _write_atomic(frame, self.folder / f"{chunk}.{name}.parquet")


    def corpus_result(self, name: str, inputs: Iterable[str], compute: Callable[[], pd.Series]) -> pd.Series:
        """A corpus-level column (like near-duplicate flags), stored under a hash of its ordered inputs."""
        digest = hashlib.sha256("\0".join(inputs).encode()).hexdigest()[:20]
        path = self.folder / f"corpus-{name}-{digest}.parquet"
        if path.is_file():
            return pd.read_parquet(path)[name].astype("string")
        result = compute()
        self.folder.mkdir(parents=True, exist_ok=True)
        _write_atomic(pd.DataFrame({name: result.to_numpy()}), path)
        return result


def _write_atomic(frame: pd.DataFrame, path: Path) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        frame.to_parquet(temporary, index=False)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


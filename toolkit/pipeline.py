"""The whole flow in one call: load -> clean -> split -> score -> tag -> attribute -> resolve dates, into an `Analysis`.

The per-article stages run as one pure function over chunks of articles (`toolkit.engines`): in this
process, in a pool of processes (one a core) or on a Dask cluster, reading finished articles from the
cache (`toolkit.cache`) instead of recomputing them. The corpus-level steps then run on the combined
frames: surnames resolved across the corpus, and near-duplicate articles flagged (`toolkit.dedup`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from tqdm.auto import tqdm

from toolkit.cache import ArticleCache, article_keys, default_cache_dir
from toolkit.clean import DEFAULT_RULES, Rule
from toolkit.csvfile import write_csv
from toolkit.dedup import near_duplicates
from toolkit.engines import (
    CHUNK_SIZE, ENGINES, FRAME_NAMES, Frames, Settings, analyze_chunk, chunked, default_workers, kept_pool_size,
    run_dask, run_local,
)
from toolkit.entities import resolve_corpus_steps
from toolkit.load import PathArg, load_aliases, load_demonyms, load_with_problems
from toolkit.memory import return_freed_memory, use_large_corpus_allocators
from toolkit.problems import Interrupted, check_frame, check_paths, empty_problems, problem_lines
from toolkit.quotes import quotes_frame

POOL_MIN = 1000  # articles to compute before a process pool pays for its start (spaCy loads in each worker)
PROGRESS_MIN = 1000  # articles to compute before a progress bar is worth showing


@dataclass
class Analysis:
    """The frames of one analysis (see DESIGN.md for their columns)."""

    articles: pd.DataFrame
    sentences: pd.DataFrame
    entities: pd.DataFrame = field(default_factory=pd.DataFrame)
    dates: pd.DataFrame = field(default_factory=pd.DataFrame)
    quotes: pd.DataFrame = field(default_factory=lambda: quotes_frame([]))
    problems: pd.DataFrame = field(default_factory=empty_problems)

    def save(self, out_dir: PathArg) -> list[Path]:
        """Write each frame as `.parquet` and `.csv` into `out_dir`, and as a Parquet dataset partitioned by
        month (`toolkit.dataset`); returns the files and dataset folders written."""
        from toolkit.dataset import write_datasets  # the dataset module builds on Analysis

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name in (*FRAME_NAMES, "problems"):
            frame = getattr(self, name)
            parquet, csv = out / f"{name}.parquet", out / f"{name}.csv"
            frame.to_parquet(parquet, index=False)
            write_csv(_csv_ready(frame), csv)  # a huge article's text a piece at a time
            written += [parquet, csv]
        return written + write_datasets(self, out)

    def summary(self) -> str:
        """A few lines for people: counts, the most negative and most positive sentence, what was removed."""
        lines = [f"{len(self.articles)} article(s), {len(self.sentences)} sentences"]
        if len(self.sentences):
            scored = self.sentences.sort_values(["compound", "article_id", "sentence_id"], kind="stable")
            lines.append(f"most negative ({scored.iloc[0].compound:+.3f}): {_quote(scored.iloc[0].text)}")
            lines.append(f"most positive ({scored.iloc[-1].compound:+.3f}): {_quote(scored.iloc[-1].text)}")
        removed = [item for items in self.articles["removed"] for item in items]
        if removed:
            counts = pd.Series(removed).value_counts()
            shown = ", ".join(f"{_quote(str(text), 40)} x{n}" if n > 1 else _quote(str(text), 40)
                              for text, n in counts.items())
            lines.append(f"boilerplate removed ({len(removed)}): {shown}")
        else:
            lines.append("boilerplate removed: none")
        undated = self._unresolved_without_publication()
        if undated:
            lines.append(undated)
        lines.append(self._quotes_line())
        return "\n".join(lines + problem_lines(self.problems))


    def _quotes_line(self) -> str:
        """"12 quotes, 9 with a named speaker; most quoted: A (5), B (3)"."""
        named = self.quotes["speaker"].dropna() if "speaker" in self.quotes else pd.Series(dtype="string")
        line = f"{len(self.quotes)} quotes, {len(named)} with a named speaker"
        if len(named):
            top = named.value_counts().head(3)
            line += "; most quoted: " + ", ".join(f"{name} ({count})" for name, count in top.items())
        return line

    def _unresolved_without_publication(self) -> str:
        """A line saying how many date expressions stayed unresolved for want of a publication date, and the fix."""
        if not len(self.dates) or "published" not in self.articles:
            return ""
        unknown = set(self.articles.loc[self.articles["published"].isna(), "article_id"])
        dates = self.dates[self.dates["article_id"].isin(unknown)]
        if not len(dates):
            return ""
        unresolved = int(dates["date"].isna().sum())
        return (f"dates: {unresolved} of {len(dates)} expression(s) could not be resolved: {len(unknown)} article(s) "
                f"have no publication date (give --published YYYY-MM-DD, or a metadata.csv with a published column)")


def _quote(text: str, width: int = 100) -> str:
    text = " ".join(str(text).split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def _csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists become JSON arrays so the CSV reads back unambiguously."""
    lists = [c for c in frame.columns if frame[c].dtype == object and frame[c].map(lambda v: isinstance(v, list)).any()]
    return frame.assign(**{c: frame[c].map(json.dumps) for c in lists})


def analyze_articles(
    articles: pd.DataFrame,
    *,
    rules: Sequence[Rule] = DEFAULT_RULES,
    sentiment: str = "vader",
    aliases: pd.DataFrame | None = None,
    demonyms: pd.DataFrame | None = None,
    model: str | None = None,
    reporting_verbs: pd.DataFrame | None = None,
    problems: pd.DataFrame | None = None,
    cache: bool = False,
    cache_dir: PathArg | None = None,
    engine: str = "local",
    client: Any = None,
    scheduler: str | None = None,
    workers: int | None = None,
    chunk_size: int = CHUNK_SIZE,
    progress: bool | None = None,
) -> Analysis:
    """Run every stage after loading on an `articles` frame.

    `aliases` and `demonyms` are your rows over the shipped tables (see `analyze`). `model` names the spaCy
    pipeline that tags entities: an installed package ("en_core_web_trf") or a saved pipeline's folder;
    default the small English model.
    `cache=True` reads unchanged articles from, and stores new ones in, `cache_dir` (default: see
    `toolkit.cache.default_cache_dir`). `engine="local"` runs here, in a pool of `workers` processes
    (default: the pool an earlier call kept, else one a core for 1,000 articles or more, else this
    process), kept for the next call;
    `engine="dask"` runs on the Dask `client`, or on the cluster whose scheduler is at the address
    `scheduler` ("tcp://host:8786"; default: the current client, else a local cluster). `progress`: a
    progress bar (default: when 1,000 articles or more need computing). `reporting_verbs`: rows `verb,
    forms` (forms space-separated) read over the shipped table (`toolkit.quotes.default_reporting_verbs()`). Worker
    processes start by importing the calling script, so a script that runs a pool needs the usual
    `if __name__ == "__main__":` guard.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine: unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if scheduler is not None and (engine != "dask" or client is not None):
        raise ValueError("scheduler: a Dask scheduler's address goes with engine='dask' and no client")
    check_frame(articles, "articles", ["article_id", "raw_text", "published"],
                "toolkit.load(paths) or toolkit.from_texts(texts) makes one")
    if aliases is not None:
        check_frame(aliases, "aliases", ["alias", "entity"], "see toolkit.default_aliases() for the shape")
    settings = Settings(tuple(rules), sentiment, aliases, demonyms, model, reporting_verbs)
    use_large_corpus_allocators(len(articles))  # the chunks' many small arrays, at their size (toolkit.memory)
    keys = article_keys(articles)
    store = ArticleCache.open(cache_dir if cache_dir is not None else default_cache_dir(), settings) if cache else None
    index = store.index() if store is not None else {}
    stored = store.read(index, keys[keys.isin(index)]) if store is not None and index else None
    parts = [stored] if stored is not None else []
    cached = keys.isin(set(stored.articles["article_id"])) if stored is not None else keys.isin(())
    wanted = ~cached & ~keys.duplicated()
    todo = articles[["raw_text", "published"]].assign(article_id=keys)
    todo = todo if wanted.all() else todo[wanted.to_numpy()]  # a cold run does not copy the corpus's text
    chunks = list(chunked(todo, chunk_size))
    saved = 0
    show = len(todo) >= PROGRESS_MIN if progress is None else progress
    with tqdm(total=len(todo), unit="article", desc="analysing", disable=not show) as bar:
        def collect(frames: Frames) -> None:
            nonlocal saved
            if store is not None and store.write(frames):
                saved += 1
            parts.append(frames)
            bar.update(len(frames.articles))

        try:
            if engine == "dask":
                run_dask(chunks, settings, collect, client=client, scheduler=scheduler)
            else:
                count = workers if workers is not None else kept_pool_size(model) or (
                    default_workers() if len(todo) >= POOL_MIN else 1)
                run_local(chunks, settings, collect, workers=count)
        except KeyboardInterrupt as stop:
            raise Interrupted(saved, len(chunks), cached=store is not None and store.writable) from stop
    combined = (parts[0] if len(parts) == 1 else Frames.concat(parts)) if parts else analyze_chunk(todo, settings)
    parts.clear()  # the chunks' frames, now in `combined`: freed before assembling (never held twice)
    return_freed_memory(len(articles))
    analysis = _assemble(articles, keys, combined, problems, store)
    return_freed_memory(len(articles))  # the corpus steps' copies, before the caller saves or explores
    if store is not None and store.problems.rows:  # damaged cache files, replaced
        analysis.problems = pd.concat([analysis.problems, store.problems.frame()], ignore_index=True)
    return analysis


def _assemble(articles: pd.DataFrame, keys: pd.Series, frames: Frames, problems: pd.DataFrame | None,
              store: ArticleCache | None) -> Analysis:
    """The analysis of `articles` from per-key frames, in the articles' order, after the corpus-level steps."""
    article_ids = articles["article_id"].astype("string").reset_index(drop=True)
    keys = keys.reset_index(drop=True)

    def attach(name: str, *, key: bool = False) -> pd.DataFrame:
        """Frame `name` of `frames` in the articles' order under their ids (and their `key`, when asked);
        the unattached one is let go."""
        frame = getattr(frames, name)
        setattr(frames, name, frame.iloc[:0])
        at, article_at = _rows_in_article_order(keys, frame["article_id"])
        ordered = frame if np.array_equal(at, np.arange(len(frame))) else frame.take(at)  # one copy at most
        attached = ordered.reset_index(drop=True).assign(article_id=article_ids.take(article_at).array)
        return attached.assign(key=keys.take(article_at).array) if key else attached

    cleaned = frames.articles.drop_duplicates("article_id").set_index("article_id").reindex(keys.to_numpy())
    frames.articles = frames.articles.iloc[:0]
    out = articles.reset_index(drop=True)
    out["text"] = cleaned["text"].astype("string").array  # Arrow-backed as stored: no Python string made
    out["removed"] = pd.Series(cleaned["removed"].to_list(), dtype="object")
    signed = cleaned.pop("minhash")
    del cleaned  # the texts live on in `out`

    def flags() -> pd.Series:
        return near_duplicates(out, signed=signed)

    if store is None:
        out["duplicate_of"] = flags()
    else:
        inputs = [f"{key}\0{article_id}" for key, article_id in zip(keys, out["article_id"])]
        out["duplicate_of"] = pd.array(store.corpus_result("duplicate_of", inputs, flags).to_numpy(), dtype="string")
    del signed
    return_freed_memory(len(out))  # the near-duplicate step's signatures and texts, before the mentions' steps
    article_entities = attach("entities", key=True)
    entities = _across_corpus(article_entities, article_entities.pop("key"), store)
    return_freed_memory(len(out))  # the corpus steps' working copies, before the other frames are put in order
    return Analysis(
        articles=out,
        sentences=attach("sentences"),
        entities=entities,
        dates=attach("dates"),
        quotes=_corpus_speakers(attach("quotes"), article_entities, entities),
        problems=_with_emptied(out, empty_problems() if problems is None else problems),
    )


def _rows_in_article_order(keys: pd.Series, row_keys: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Where a frame whose rows carry their article's key (`row_keys`) takes its rows from, to list them in
    the articles' order (each article's rows in their own order, again for each article of the same key;
    rows of no article left out), and the article of each. On Arrow codes: no Python string a row."""
    unique = pa.array(keys.drop_duplicates().array)
    row_code = pc.index_in(pa.array(row_keys.array), value_set=unique).fill_null(-1).to_numpy()
    article_code = pc.index_in(pa.array(keys.array), value_set=unique).to_numpy()
    held = np.flatnonzero(row_code >= 0)
    by_key = held[np.argsort(row_code[held], kind="stable")]  # rows grouped by key, each group in row order
    counts = np.bincount(row_code[held], minlength=len(unique))
    lengths = counts[article_code]
    starts = (np.cumsum(counts) - counts)[article_code] - (np.cumsum(lengths) - lengths)
    return by_key[np.repeat(starts, lengths) + np.arange(lengths.sum())], np.repeat(np.arange(len(keys)), lengths)


def _across_corpus(entities: pd.DataFrame, keys: pd.Series, store: ArticleCache | None) -> pd.DataFrame:
    """The mentions after the corpus steps (`resolve_corpus_steps`), updated from the stored names of an
    earlier run over some of these articles when there is one, and stored for the next run."""
    pairs = keys.astype("string") + "\0" + entities["article_id"].astype("string")
    previous = store.corpus_names(entities, pairs) if store is not None else None
    after_surnames, after = resolve_corpus_steps(entities, previous)
    if store is not None:
        store.write_corpus_names(entities, pairs, after_surnames, after)
    return after


def _corpus_speakers(quotes: pd.DataFrame, before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Speakers take the names the corpus step gave their entities ("Reagan" -> "Ronald Reagan"), as mentions do."""
    renamed = before["entity"].ne(after["entity"]).fillna(False)
    if not renamed.any() or quotes.empty:
        return quotes
    names = dict(zip(zip(before.loc[renamed, "article_id"], before.loc[renamed, "entity"]), after.loc[renamed, "entity"]))
    touched = quotes["article_id"].isin({article_id for article_id, _ in names}) & quotes["speaker"].notna()
    speakers = quotes.loc[touched, "speaker"]  # only these rows become Python strings
    renamed_speakers = pd.Series([names.get(pair, pair[1]) for pair in zip(quotes.loc[touched, "article_id"].tolist(),
                                                                          speakers.tolist())], index=speakers.index)
    return quotes.assign(speaker=quotes["speaker"].astype("string").mask(touched, renamed_speakers))


def _with_emptied(articles: pd.DataFrame, problems: pd.DataFrame) -> pd.DataFrame:
    """Record articles that cleaning left empty (all boilerplate): kept, but with no sentences."""
    text = articles["text"]
    emptied = articles[text.eq("") | text.str.isspace()]  # what strip() would empty, without a stripped copy
    if emptied.empty:
        return problems
    rows = pd.DataFrame({
        "source": emptied["path"].fillna(emptied["article_id"]).to_numpy(),
        "problem": "nothing left after cleaning (all boilerplate); no sentences",
        "action": "kept",
    })
    return pd.concat([problems, rows.astype("string")], ignore_index=True)


def analyze(
    *paths: PathArg,
    published: object = None,
    dayfirst: bool | None = None,
    rules: Sequence[Rule] = DEFAULT_RULES,
    sentiment: str = "vader",
    aliases: PathArg | pd.DataFrame | None = None,
    demonyms: PathArg | pd.DataFrame | None = None,
    model: str | None = None,
    reporting_verbs: pd.DataFrame | None = None,
    cache: bool = True,
    cache_dir: PathArg | None = None,
    engine: str = "local",
    client: Any = None,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: bool | None = None,
) -> Analysis:
    """Load the given files or folders (or a list of them) and run the whole pipeline on them.

    `aliases`: your alias table (CSV path or frame with `alias, entity[, label]`), read over the shipped one.
    `demonyms`: your demonym table (CSV path or frame with `name, country`: "Catalan,Spain"), read over the
    shipped one. `model`: the spaCy pipeline for entities (see `analyze_articles`).
    `reporting_verbs`: more reporting verbs (see `analyze_articles`).
    Results are cached by default (`cache=False` turns it off); `engine`, `client`, `scheduler`,
    `workers` and `progress` are as in `analyze_articles`. `published` and `dayfirst` are as in `load`.
    """
    paths = tuple(check_paths(paths))
    if aliases is not None and not isinstance(aliases, (str, os.PathLike, pd.DataFrame)):
        raise TypeError(f"aliases: expected a CSV path or a DataFrame with columns alias, entity[, label], "
                        f"got {type(aliases).__name__}")
    articles, problems = load_with_problems(*paths, published=published, dayfirst=dayfirst)
    return_freed_memory(len(articles))  # the parser's objects
    table = load_aliases(aliases) if aliases is not None and not isinstance(aliases, pd.DataFrame) else aliases
    nations = load_demonyms(demonyms) if demonyms is not None and not isinstance(demonyms, pd.DataFrame) else demonyms
    return analyze_articles(
        articles, rules=rules, sentiment=sentiment, aliases=table, demonyms=nations, model=model,
        reporting_verbs=reporting_verbs, problems=problems, cache=cache, cache_dir=cache_dir, engine=engine,
        client=client, scheduler=scheduler, workers=workers, progress=progress,
    )

"""Aggregate stage: the one mentions model that every view counts from (no widgets, no drawing).

`Mentions(analysis)` joins every entity mention, once, to its sentence (text, tone, place in the
article), its article (title, publication date, whether it nearly copies another) and the dates its
sentence names. A `MentionFilter` says which mentions to keep; `Mentions.count` buckets the kept ones
on a time axis and counts them per name. `toolkit.mentions_over_time`, the Explorer's chart, status
line and table, and the standalone report all read this model, so one filter gives one set of numbers.

Rules every view inherits from here:
- Near-copies (`articles.duplicate_of` set) are left out unless the filter asks for them, so a story
  re-sent on the wire counts once.
- Undated mentions are counted, not dropped: on `by="published"` a mention in an article with no
  publication date, on `by="event"` a mention whose sentence names no resolved date, falls in the
  undated bucket (`NaT` in the `bucket` column, written "undated").
- On `by="event"` a mention counts once in each bucket its sentence names a date in.
- `key="country"` counts mentions under `entities.country` (places, nationalities and national bodies
  under their country); mentions with no country are not counted then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa

from toolkit.viewrules import POSITION_BUCKETS, default_axis, default_freq

if TYPE_CHECKING:
    from toolkit.pipeline import Analysis

AXES = ("published", "event", "position")
KEYS = ("entity", "country")
MIN_SENTENCES = 30
TEXTS_KEPT = 8  # searched words whose sentence matches are kept: going back to one costs nothing
MASKS_KEPT = 4  # filters whose masks are kept: a redraw asks for the same mask from chart, table and status
DENSE_GROUPS = 1 << 22  # (bucket, name) groups counted in one array; beyond, only the groups present
Z_95 = 1.959963984540054
COUNT_COLUMNS = ["bucket", "mentions", "mention_sentences", "sentences", "share", "share_low", "share_high",
                 "small", "compound"]


@dataclass(frozen=True)
class MentionFilter:
    """Which mentions a view shows. Every field's default keeps everything (near-copies aside).

    `names` are entity names (or countries, with `key="country"`); `published_to` is inclusive;
    `text` is a word or phrase the sentence must contain (case ignored).
    """

    names: tuple[str, ...] | None = None
    labels: tuple[str, ...] | None = None
    tone: tuple[float, float] = (-1.0, 1.0)
    published_from: dt.date | None = None
    published_to: dt.date | None = None
    text: str = ""
    key: str = "entity"
    duplicates: bool = False


def wilson_interval(hits: np.ndarray, totals: np.ndarray, z: float = Z_95) -> tuple[np.ndarray, np.ndarray]:
    """95% Wilson score interval for a proportion: sound even for small counts and shares near 0 or 1."""
    hits, totals = np.asarray(hits, dtype=float), np.asarray(totals, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = hits / totals
        centre = (share + z**2 / (2 * totals)) / (1 + z**2 / totals)
        half = z * np.sqrt(share * (1 - share) / totals + z**2 / (4 * totals**2)) / (1 + z**2 / totals)
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def bucket_starts(values: pd.Series, by: str, freq: str) -> pd.Series:
    """The time bucket of each value: the start of its period (`freq` a pandas period alias) for dates
    (NaT stays NaT: undated), the tenth of the article (0.0 ... 0.9) for positions."""
    if by == "position":
        tenths = np.minimum(np.floor(values.to_numpy(dtype=float) * POSITION_BUCKETS), POSITION_BUCKETS - 1)
        return pd.Series(tenths / POSITION_BUCKETS, index=values.index)
    return pd.to_datetime(values).dt.to_period(freq).dt.start_time


def single_chunk(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with each Arrow-backed column in one chunk: frames concatenated from many (a chunk of
    articles each, or read from many Parquet files) otherwise take rows chunk by chunk, and taking ten
    rows from a column of a hundred chunks costs milliseconds."""
    for column in frame.columns:
        values = frame[column].array
        if isinstance(values, pd.arrays.ArrowExtensionArray):
            chunked = values.__arrow_array__()
            if isinstance(chunked, pa.ChunkedArray) and chunked.num_chunks > 1:
                frame[column] = pd.array(chunked.combine_chunks(), dtype=frame[column].dtype)
    return frame


def _member(codes: np.ndarray, categories: pd.Index, wanted: Sequence[str]) -> np.ndarray:
    """Which values (as `codes` into `categories`) are among `wanted`: one lookup a code (a missing
    value, code -1, never is)."""
    inside = np.zeros(len(categories) + 1, dtype=bool)  # the last place is code -1's
    found = categories.get_indexer(pd.Index(list(wanted)))
    inside[found[found >= 0]] = True
    return inside[codes]


def _check(by: str, key: str) -> None:
    if by not in AXES:
        raise ValueError(f"by: expected one of {', '.join(AXES)}, got {by!r}")
    if key not in KEYS:
        raise ValueError(f"key: expected one of {', '.join(KEYS)}, got {key!r}")


class Mentions:
    """Every mention of an analysis joined to its sentence and article, ready to filter, bucket and count.

    `frame` has one row a mention (sorted by article and sentence): `article_id, sentence_id, start, end,
    text, label, entity, country, compound` (the sentence's), `position`, `published`, `duplicate` and
    `srow`: the sentence's row in `sentences`, which holds its text and its article's title (once a
    sentence, not once a mention: at ten times Reuters, 2 million mentions in 1.3 million sentences).
    """

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        articles = analysis.articles.drop_duplicates("article_id").set_index(analysis.articles["article_id"].astype(str)
                                                                             .drop_duplicates())
        copies = articles["duplicate_of"].notna() if "duplicate_of" in articles else pd.Series(False, articles.index)
        titles = articles["title"] if "title" in articles else pd.Series(pd.NA, articles.index)
        published = pd.to_datetime(articles["published"]) if "published" in articles else pd.Series(pd.NaT, articles.index)
        sentences = analysis.sentences
        article_ids = sentences["article_id"].astype(str)
        self.sentences = pd.DataFrame({
            "article_id": article_ids.array,
            "sentence_id": sentences["sentence_id"].to_numpy(),
            "start": sentences["start"].to_numpy() if "start" in sentences else np.zeros(len(sentences), dtype=int),
            "text": sentences["text"].astype(str).array if "text" in sentences else np.full(len(sentences), ""),
            "compound": sentences["compound"].to_numpy(dtype=float),
            "position": sentences["position"].to_numpy(dtype=float),
            "published": article_ids.map(published).astype("datetime64[ns]").to_numpy(),
            "title": article_ids.map(titles).array,
            "duplicate": article_ids.map(copies).fillna(False).astype(bool).to_numpy(),
        })  # text columns stay in Arrow: no Python string a sentence (a million of them at ten times Reuters)
        single_chunk(self.sentences)
        self.has_country = "country" in analysis.entities.columns
        self.frame = single_chunk(self._joined(analysis.entities))
        self._srow = self.frame["srow"].to_numpy()
        self._names = {key: pd.Categorical(self.frame[key]) for key in KEYS}
        self._labels = pd.Categorical(self.frame["label"].astype(str))
        self._duplicate = self.frame["duplicate"].to_numpy()
        self._compound = self.frame["compound"].to_numpy()
        self._published = self.frame["published"].to_numpy()
        self.copies = int(self._duplicate.sum())  # mentions in near-copies
        self.several_articles = self.sentences["article_id"].nunique() > 1
        self._text_cache: dict[str, np.ndarray] = {}
        self._mask_cache: dict[MentionFilter, np.ndarray] = {}
        self._ranked_cache: dict[tuple[str, bool], pd.Series] = {}
        self._bucket_cache: dict[tuple[str, str], tuple[np.ndarray, pd.Series]] = {}
        self._code_cache: dict[tuple[str, str], tuple[np.ndarray, np.ndarray, pd.Index]] = {}
        self._sentence_cache: dict[tuple[str, str], tuple[np.ndarray, pd.Series]] = {}
        self._totals_cache: dict[tuple[str, str, bool], pd.Series] = {}
        self.sentence_bounds = np.searchsorted(self._srow, np.arange(len(self.sentences) + 1))

    def _joined(self, entities: pd.DataFrame) -> pd.DataFrame:
        if "entity" not in entities:  # an analysis with no mentions at all
            entities = pd.DataFrame({"article_id": pd.Series(dtype=str), "sentence_id": pd.Series(dtype="int64"),
                                     "start": pd.Series(dtype="int64"), "end": pd.Series(dtype="int64"),
                                     "text": pd.Series(dtype=str), "label": pd.Series(dtype=str),
                                     "entity": pd.Series(dtype=str)})
        row_of = pd.Series(np.arange(len(self.sentences)), index=pd.MultiIndex.from_arrays(
            [self.sentences["article_id"], self.sentences["sentence_id"]]))
        keys = pd.MultiIndex.from_arrays([entities["article_id"].astype(str), entities["sentence_id"]])
        srow = row_of.reindex(keys).to_numpy()
        known = ~pd.isna(srow)
        columns = [c for c in ("article_id", "sentence_id", "start", "end", "text", "label", "entity") if c in entities]
        frame = entities.loc[known, columns].assign(srow=srow[known].astype(np.int64))
        frame["article_id"] = frame["article_id"].astype(str)
        frame["entity"] = frame["entity"].astype(str)
        frame["label"] = frame["label"].astype(str) if "label" in frame else ""
        frame["country"] = (entities.loc[known, "country"].astype("string") if self.has_country
                            else pd.Series(pd.NA, index=frame.index, dtype="string"))
        frame = frame.sort_values(["srow", "start"] if "start" in frame else ["srow"], kind="stable")
        frame = frame.reset_index(drop=True)
        srows = frame["srow"].to_numpy()
        for column in ("compound", "position", "published", "duplicate"):
            frame[column] = self.sentences[column].array.take(srows)
        return frame

    # --- what there is ---------------------------------------------------------------------------

    def keys(self) -> tuple[str, ...]:
        """The keys this analysis can count by: always "entity", and "country" once entities carry it."""
        return KEYS if self.has_country else ("entity",)

    def ranked(self, key: str = "entity", *, duplicates: bool = False) -> pd.Series:
        """Mentions per name, most mentioned first (ties by name)."""
        _check("published", key)
        self._require(key)
        if (key, duplicates) not in self._ranked_cache:
            keep = duplicates | ~self._duplicate
            counts = self.frame.loc[keep, key].dropna().value_counts()
            self._ranked_cache[key, duplicates] = counts.sort_index().sort_values(ascending=False, kind="stable")
        return self._ranked_cache[key, duplicates]

    def top_names(self, keep: np.ndarray, key: str = "entity", n: int | None = None) -> tuple[str, ...]:
        """The `n` names (all, when None) most mentioned among the kept mentions, ties by name: `ranked`
        for any mask, counted on the names' codes instead of their strings."""
        names = self._names[key]
        counts = np.bincount(names.codes[keep & (names.codes >= 0)], minlength=len(names.categories))
        order = np.argsort(-counts, kind="stable")  # the categories are sorted: ties stay by name
        return tuple(str(name) for name in names.categories[order[:np.count_nonzero(counts)][:n]])

    def default_axis(self) -> str:
        return default_axis(self.frame["published"][~self.frame["duplicate"]])

    def default_freq(self, by: str) -> str:
        """The bucket size that suits the span of dates on the axis `by`."""
        if by == "event":
            return default_freq(self.analysis.dates["date"] if len(self.analysis.dates) else pd.Series(dtype="datetime64[ns]"))
        return default_freq(self.frame["published"])

    def _require(self, key: str) -> None:
        if key == "country" and not self.has_country:
            raise ValueError("this analysis has no entities.country column to count by country; "
                             "re-run toolkit.analyze with a toolkit that tags countries")

    # --- filtering -------------------------------------------------------------------------------

    def mask(self, query: MentionFilter = MentionFilter()) -> np.ndarray:
        """One bool a mention (rows of `frame`): which pass every part of `query`. Read-only: the last
        `MASKS_KEPT` masks are kept, so the chart, table and status line of one redraw share one."""
        _check("published", query.key)
        self._require(query.key)
        if query not in self._mask_cache:
            if len(self._mask_cache) >= MASKS_KEPT:  # the oldest filter goes
                del self._mask_cache[next(iter(self._mask_cache))]
            keep = self._computed_mask(query)
            keep.flags.writeable = False
            self._mask_cache[query] = keep
        return self._mask_cache[query]

    def _computed_mask(self, query: MentionFilter) -> np.ndarray:
        keep = np.ones(len(self.frame), dtype=bool) if query.duplicates else ~self._duplicate
        names = self._names[query.key]
        if query.key == "country":
            keep &= names.codes >= 0
        if query.names is not None:
            keep &= _member(names.codes, names.categories, query.names)
        if query.labels is not None:
            keep &= _member(self._labels.codes, self._labels.categories, query.labels)
        low, high = query.tone
        compound = self._compound
        keep &= (compound >= low - 1e-9) & (compound <= high + 1e-9)
        published = self._published
        if query.published_from is not None:
            keep &= published >= np.datetime64(query.published_from, "ns")
        if query.published_to is not None:
            keep &= published < np.datetime64(query.published_to + dt.timedelta(days=1), "ns")
        if query.text.strip():
            keep &= self._sentence_has(query.text.strip().lower())[self._srow]
        return keep

    def _sentence_has(self, text: str) -> np.ndarray:
        if text not in self._text_cache:
            if len(self._text_cache) >= TEXTS_KEPT:  # the oldest search goes
                del self._text_cache[next(iter(self._text_cache))]
            found = self.sentences["text"].str.contains(text, case=False, regex=False)  # no lower-cased copy kept
            self._text_cache[text] = found.to_numpy(dtype=bool)
        return self._text_cache[text]

    # --- buckets ---------------------------------------------------------------------------------

    def buckets(self, by: str, freq: str) -> tuple[np.ndarray, pd.Series]:
        """(mention row, bucket) pairs on an axis: one a mention, but one for each distinct bucket its
        sentence names on `by="event"`; NaT marks the undated bucket."""
        _check(by, "entity")
        key = (by, freq if by != "position" else "")
        if key not in self._bucket_cache:
            rows, buckets = self._pairs(by, freq, self._srow)
            self._bucket_cache[key] = (rows, buckets)
        return self._bucket_cache[key]

    def sentence_buckets(self, by: str, freq: str) -> tuple[np.ndarray, pd.Series]:
        """(sentence row, bucket) pairs on an axis, as `buckets` places mentions: the share's denominators."""
        _check(by, "entity")
        key = (by, freq if by != "position" else "")
        if key not in self._sentence_cache:
            self._sentence_cache[key] = self._pairs(by, freq, np.arange(len(self.sentences)))
        return self._sentence_cache[key]

    def _pairs(self, by: str, freq: str, srows: np.ndarray) -> tuple[np.ndarray, pd.Series]:
        """Bucket every item (a mention or a sentence) through its sentence row `srows[item]`."""
        items = np.arange(len(srows))
        if by == "position":
            return items, bucket_starts(pd.Series(self.sentences["position"].to_numpy()[srows]), by, freq)
        if by == "published":
            return items, bucket_starts(pd.Series(self.sentences["published"].to_numpy()[srows]), by, freq)
        dates = self.analysis.dates
        known = (dates.dropna(subset=["date"]) if len(dates) else
                 pd.DataFrame({"article_id": [], "sentence_id": [], "date": pd.Series(dtype="datetime64[ns]")}))
        sentence_of = pd.DataFrame({"article_id": self.sentences["article_id"], "sentence_id": self.sentences["sentence_id"],
                                    "srow": np.arange(len(self.sentences))})
        dated = known[["article_id", "sentence_id", "date"]].astype({"article_id": str}).merge(
            sentence_of, on=["article_id", "sentence_id"])
        dated = dated.assign(bucket=bucket_starts(dated["date"], by, freq))[["srow", "bucket"]].drop_duplicates()
        wanted = pd.DataFrame({"item": items, "srow": srows})
        pairs = wanted.merge(dated, on="srow", how="left").sort_values(["item", "bucket"], kind="stable")
        return pairs["item"].to_numpy(), pd.Series(pairs["bucket"].to_numpy(dtype="datetime64[ns]"))

    def bucket_codes(self, by: str, freq: str) -> tuple[np.ndarray, np.ndarray, pd.Index]:
        """`buckets` as (mention row, bucket code, buckets): each pair's bucket as its place in the sorted
        buckets of the axis, the undated bucket (NaT) last, so counting is integer arithmetic."""
        key = (by, freq if by != "position" else "")
        if key not in self._code_cache:
            rows, buckets = self.buckets(by, freq)
            codes, levels = pd.factorize(buckets, sort=True)  # the undated bucket has code -1
            if (codes < 0).any():
                codes = np.where(codes < 0, len(levels), codes)
                levels = levels.insert(len(levels), np.nan)
            self._code_cache[key] = (rows, codes, pd.Index(levels))
        return self._code_cache[key]

    def in_bucket(self, keep: np.ndarray, by: str, freq: str, bucket: Any) -> np.ndarray:
        """Sorted rows of the kept mentions that fall in `bucket` (NaT: the undated one)."""
        rows, codes, levels = self.bucket_codes(by, freq)
        if pd.isna(bucket):
            where = len(levels) - 1 if len(levels) and pd.isna(levels[-1]) else -1
        else:
            where = int(levels.get_indexer(pd.Index([bucket]))[0])
        chosen = rows[codes == where] if where >= 0 else rows[:0]
        return np.unique(chosen[keep[chosen]])

    # --- counting --------------------------------------------------------------------------------

    def count(
        self,
        query: MentionFilter = MentionFilter(),
        *,
        by: str = "published",
        freq: str = "M",
        normalize: bool = False,
        keep: np.ndarray | None = None,
    ) -> pd.DataFrame:
        """Tidy counts, one row a (bucket, name): mentions, sentences naming it, the bucket's sentences,
        share of them with a 95% Wilson interval (with `normalize`), `small` (< MIN_SENTENCES sentences)
        and the mean compound. The name column is called after `query.key`.

        With `query.names` given, every bucket gets a row for each of them (zero where unnamed);
        without, only buckets where a name is mentioned appear. `keep` (a precomputed `mask(query)`)
        saves recomputing the mask.
        """
        _check(by, query.key)
        keep = self.mask(query) if keep is None else keep
        name = query.key
        rows, codes, levels = self.bucket_codes(by, freq)
        picked = keep[rows]
        mentions = rows[picked]
        names = self._names[name]  # the names as codes: no conversion of every mention's string
        seen = np.flatnonzero(np.bincount(names.codes[mentions] + 1, minlength=len(names.categories) + 1))
        local = np.full(len(names.categories) + 1, -1)  # a name's code + 1 -> its place among the seen ones
        local[seen] = np.arange(len(seen))
        group = codes[picked] * len(seen) + local[names.codes[mentions] + 1]  # one a (bucket, name)
        present = np.arange(len(levels) * len(seen))
        if len(present) > DENSE_GROUPS:  # many buckets and names: count only the groups that occur
            present, group = np.unique(group, return_inverse=True)
        size = np.bincount(group, minlength=len(present))
        compound = np.bincount(group, weights=self._compound[mentions], minlength=len(present))
        groups = max(len(present), 1)
        pairs = np.sort(self._srow[mentions] * groups + group, kind="stable")  # (sentence, group): nearly sorted
        distinct = pairs[np.diff(pairs, prepend=-1) != 0] % groups
        sentences = np.bincount(distinct, minlength=len(present))
        occur = np.flatnonzero(size)
        width = max(len(seen), 1)
        labels = np.concatenate([names.categories.to_numpy(dtype=object), [None]])[seen - 1]  # code -1: no name
        with np.errstate(invalid="ignore", divide="ignore"):
            counts = pd.DataFrame(
                {"mentions": size[occur], "compound": compound[occur] / size[occur], "mention_sentences": sentences[occur]},
                index=pd.MultiIndex.from_arrays([levels[present[occur] // width], labels[present[occur] % width]],
                                                names=["bucket", name]))
        totals = self._sentence_totals(by, freq, duplicates=query.duplicates)
        if query.names is not None:
            grid = pd.MultiIndex.from_product([totals.index, list(dict.fromkeys(query.names))], names=["bucket", name])
            counts = counts.reindex(grid)
        frame = counts.reset_index()
        frame[["mentions", "mention_sentences"]] = frame[["mentions", "mention_sentences"]].fillna(0).astype("int64")
        frame["sentences"] = frame["bucket"].map(totals).fillna(0).astype("int64")
        frame["small"] = frame["sentences"] < MIN_SENTENCES
        if normalize:
            low, high = wilson_interval(frame["mention_sentences"].to_numpy(), frame["sentences"].to_numpy())
            frame["share"] = frame["mention_sentences"] / frame["sentences"].where(frame["sentences"] > 0)
            frame["share_low"], frame["share_high"] = low, high
        else:
            frame["share"] = frame["share_low"] = frame["share_high"] = np.nan
        frame[name] = frame[name].astype("string")
        if by != "position":
            frame["bucket"] = frame["bucket"].astype("datetime64[ns]")
        columns = ["bucket", name, *COUNT_COLUMNS[1:]]
        return frame[columns].sort_values(["bucket", name], ignore_index=True, na_position="last")

    def _sentence_totals(self, by: str, freq: str, *, duplicates: bool) -> pd.Series:
        """Sentences per bucket (near-copies out unless `duplicates`), the undated bucket included."""
        key = (by, freq if by != "position" else "", duplicates)
        if key not in self._totals_cache:
            self._totals_cache[key] = self._count_sentences(by, freq, duplicates=duplicates)
        return self._totals_cache[key]

    def _count_sentences(self, by: str, freq: str, *, duplicates: bool) -> pd.Series:
        rows, buckets = self.sentence_buckets(by, freq)
        keep = np.ones(len(rows), dtype=bool) if duplicates else ~self.sentences["duplicate"].to_numpy()[rows]
        totals = pd.Series(buckets[keep].to_numpy()).value_counts(dropna=False)
        order = totals.index.sort_values(na_position="last") if len(totals) else totals.index
        return totals.reindex(order).rename_axis("bucket")

    def totals(self, keep: np.ndarray) -> tuple[int, int]:
        """(mentions, sentences) among the kept mentions: the numbers a status line shows."""
        return int(keep.sum()), int(np.unique(self._srow[keep]).size)


def names_in(frame: pd.DataFrame) -> str:
    """The name column of a count frame: "entity" or "country"."""
    return "country" if "country" in frame.columns and "entity" not in frame.columns else "entity"

"""Aggregate stage: mentions over time, and which entities are named together.

Three time axes:
- `by="published"`: the article's publication date, in buckets of `freq` (a pandas period alias:
  "D", "W", "M", "Q", "Y");
- `by="event"`: the dates the text itself names: a mention counts at each resolved date in its sentence;
- `by="position"`: narrative time inside articles, in deciles of sentence `position` (`freq` unused).

A bucket's `sentences` is how many sentences fall in it; `share` is the fraction of them that name the
entity, with a 95% Wilson interval (`share_low`, `share_high`) and `small` set where the bucket holds
fewer than `MIN_SENTENCES` sentences, too few for the share to be trusted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from toolkit.pipeline import Analysis

AXES = ("published", "event", "position")
MIN_SENTENCES = 30
Z_95 = 1.959963984540054
TIMELINE_COLUMNS = [
    "bucket", "entity", "mentions", "mention_sentences", "sentences", "share", "share_low", "share_high",
    "small", "compound",
]


def wilson_interval(hits: np.ndarray, totals: np.ndarray, z: float = Z_95) -> tuple[np.ndarray, np.ndarray]:
    """95% Wilson score interval for a proportion: sound even for small counts and shares near 0 or 1."""
    hits, totals = np.asarray(hits, dtype=float), np.asarray(totals, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = hits / totals
        centre = (share + z**2 / (2 * totals)) / (1 + z**2 / totals)
        half = z * np.sqrt(share * (1 - share) / totals + z**2 / (4 * totals**2)) / (1 + z**2 / totals)
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def bucket_starts(values: pd.Series, by: str, freq: str) -> pd.Series:
    """The time bucket of each value: the start of its period (`freq` a pandas period alias) for dates,
    the decile (0.0 ... 0.9) for positions."""
    if by == "position":
        return pd.Series(np.minimum(np.floor(values.to_numpy(dtype=float) * 10), 9) / 10, index=values.index)
    return pd.to_datetime(values).dt.to_period(freq).dt.start_time


def _sentence_buckets(analysis: Analysis, by: str, freq: str) -> pd.DataFrame:
    """(article_id, sentence_id, bucket) for every sentence on the chosen axis (several per sentence for events)."""
    sentences = analysis.sentences[["article_id", "sentence_id", "position"]]
    if by == "position":
        return sentences.assign(bucket=bucket_starts(sentences["position"], by, freq))[
            ["article_id", "sentence_id", "bucket"]]
    if by == "published":
        published = analysis.articles.set_index("article_id")["published"]
        stamps = sentences["article_id"].map(published)
    elif by == "event":
        dated = analysis.dates.dropna(subset=["date"])[["article_id", "sentence_id", "date"]].drop_duplicates()
        sentences = sentences.merge(dated, on=["article_id", "sentence_id"])
        stamps = sentences["date"]
    else:
        raise ValueError(f"unknown time axis {by!r}; choose one of {', '.join(AXES)}")
    bucket = bucket_starts(stamps, by, freq)
    return sentences.assign(bucket=bucket).dropna(subset=["bucket"])[["article_id", "sentence_id", "bucket"]]


def mentions_over_time(
    analysis: Analysis,
    *,
    by: str = "published",
    freq: str = "M",
    entities: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    normalize: bool = False,
    exclude_duplicates: bool = True,
) -> pd.DataFrame:
    """Tidy frame, one row a (bucket, entity): mentions, sentences, share with its interval, mean compound.

    With `entities` given, every bucket gets a row for each of them (zero where unnamed), so lines drop
    to zero; without, only buckets where an entity is named appear. `normalize=False` leaves the share
    columns empty. `exclude_duplicates` leaves out articles that nearly copy an earlier one
    (`articles.duplicate_of`), so a story re-sent on the wire counts once.
    """
    buckets = _sentence_buckets(analysis, by, freq)
    mentions = analysis.entities
    if exclude_duplicates and "duplicate_of" in analysis.articles:
        copies = analysis.articles.loc[analysis.articles["duplicate_of"].notna(), "article_id"]
        buckets = buckets[~buckets["article_id"].isin(copies)]
        mentions = mentions[~mentions["article_id"].isin(copies)]
    if labels is not None:
        mentions = mentions[mentions["label"].isin(labels)]
    if entities is not None:
        mentions = mentions[mentions["entity"].isin(entities)]
    joined = mentions[["article_id", "sentence_id", "entity", "compound"]].merge(
        buckets, on=["article_id", "sentence_id"]
    )
    grouped = joined.groupby(["bucket", "entity"], observed=True)
    counts = grouped.agg(mentions=("compound", "size"), compound=("compound", "mean"))
    counts["mention_sentences"] = (
        joined.drop_duplicates(["bucket", "entity", "article_id", "sentence_id"]).groupby(["bucket", "entity"]).size()
    )
    if entities is not None:
        grid = pd.MultiIndex.from_product(
            [np.sort(buckets["bucket"].unique()), list(dict.fromkeys(entities))], names=["bucket", "entity"]
        )
        counts = counts.reindex(grid)
        counts[["mentions", "mention_sentences"]] = counts[["mentions", "mention_sentences"]].fillna(0)
    totals = buckets.drop_duplicates(["article_id", "sentence_id", "bucket"]).groupby("bucket").size()
    frame = counts.reset_index()
    frame["sentences"] = frame["bucket"].map(totals).fillna(0).astype("int64")
    frame[["mentions", "mention_sentences"]] = frame[["mentions", "mention_sentences"]].astype("int64")
    frame["small"] = frame["sentences"] < MIN_SENTENCES
    if normalize:
        low, high = wilson_interval(frame["mention_sentences"].to_numpy(), frame["sentences"].to_numpy())
        frame["share"] = frame["mention_sentences"] / frame["sentences"].where(frame["sentences"] > 0)
        frame["share_low"], frame["share_high"] = low, high
    else:
        frame["share"] = frame["share_low"] = frame["share_high"] = np.nan
    frame["entity"] = frame["entity"].astype("string")
    return frame[TIMELINE_COLUMNS].sort_values(["bucket", "entity"], ignore_index=True)


def cooccurrence(analysis: Analysis, *, labels: Sequence[str] | None = None, min_sentences: int = 1) -> pd.DataFrame:
    """Pairs of entities named in the same sentence, with how many sentences name both."""
    mentions = analysis.entities
    if labels is not None:
        mentions = mentions[mentions["label"].isin(labels)]
    named = mentions[["article_id", "sentence_id", "entity"]].drop_duplicates()
    pairs = named.merge(named, on=["article_id", "sentence_id"], suffixes=("_a", "_b"))
    pairs = pairs[pairs["entity_a"] < pairs["entity_b"]]
    counts = pairs.groupby(["entity_a", "entity_b"]).size().rename("sentences").reset_index()
    counts = counts[counts["sentences"] >= min_sentences]
    return counts.sort_values(["sentences", "entity_a", "entity_b"], ascending=[False, True, True], ignore_index=True)


QUOTE_SPEAKER_COLUMNS = ["bucket", "speaker", "quotes", "direct", "reported", "articles", "compound", "tone"]


def quotes_by_speaker(analysis: Analysis, *, freq: str | None = None) -> pd.DataFrame:
    """Who is quoted, how often, and in what tone: one row a speaker, or a speaker and time bucket.

    Counts the statements whose speaker is resolved (`quotes.speaker`): `direct` quotes and `reported`
    ones (indirect and mixed), the `articles` they come from, the mean VADER `compound` of what was said
    and its `tone` label. With `freq` (a pandas period alias: "D", "W", "M"...), one row per bucket of
    publication date and speaker, undated articles in bucket NaT; without, `bucket` is NaT throughout.
    Most quoted first (within each bucket, buckets in time order).
    """
    from toolkit.sentiment import label

    quotes = analysis.quotes.dropna(subset=["speaker"]) if len(analysis.quotes) else analysis.quotes
    if quotes.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(QUOTE_SPEAKER_COLUMNS, [
            "datetime64[ns]", "string", "int64", "int64", "int64", "int64", "float64", "string"])})
    published = quotes["article_id"].map(analysis.articles.set_index("article_id")["published"])
    bucket = bucket_starts(published, "published", freq) if freq else pd.Series(pd.NaT, index=quotes.index)
    grouped = quotes.assign(bucket=bucket.astype("datetime64[ns]"), direct=quotes["kind"].eq("direct")).groupby(
        ["bucket", "speaker"], dropna=False, observed=True)
    table = pd.DataFrame({
        "quotes": grouped.size(),
        "direct": grouped["direct"].sum(),
        "articles": grouped["article_id"].nunique(),
        "compound": grouped["compound"].mean(),
    }).reset_index()
    table["reported"] = table["quotes"] - table["direct"]
    table["tone"] = pd.array([label(c) for c in table["compound"]], dtype="string")
    table = table.sort_values(["bucket", "quotes", "speaker"], ascending=[True, False, True], kind="stable",
                              na_position="last", ignore_index=True)
    return table[QUOTE_SPEAKER_COLUMNS].astype({"speaker": "string", "quotes": "int64", "direct": "int64",
                                                "reported": "int64", "articles": "int64"})

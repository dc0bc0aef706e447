"""Aggregate stage: mentions over time, and which entities are named together.

Three time axes:
- `by="published"`: the article's publication date, in buckets of `freq` (a pandas period alias:
  "D", "W", "M", "Q", "Y");
- `by="event"`: the dates the text itself names: a mention counts at each resolved date in its sentence;
- `by="position"`: narrative time inside articles, in deciles of sentence `position` (`freq` unused).

A bucket's `sentences` is how many sentences fall in it; `share` is the fraction of them that name the
entity, with a 95% Wilson interval (`share_low`, `share_high`) and `small` set where the bucket holds
fewer than `MIN_SENTENCES` sentences, too few for the share to be trusted. Mentions with no date on
the axis are counted in the undated bucket (`bucket` NaT), not dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from toolkit.mentions import MentionFilter, Mentions, bucket_starts

if TYPE_CHECKING:
    from toolkit.pipeline import Analysis

def mentions_over_time(
    analysis: Analysis,
    *,
    by: str = "published",
    freq: str = "M",
    entities: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    normalize: bool = False,
    exclude_duplicates: bool = True,
    key: str = "entity",
) -> pd.DataFrame:
    """Tidy frame, one row a (bucket, name): mentions, sentences, share with its interval, mean compound.

    Counted by the shared mentions model (`toolkit.mentions`), so the Explorer and the report show the
    same numbers. `key="country"` counts under `entities.country` (the name column is then `country`,
    and `entities` lists countries). With `entities` given, every bucket gets a row for each of them
    (zero where unnamed); without, only buckets where a name is mentioned appear. Undated mentions
    are counted in the undated bucket (`bucket` NaT). `normalize=False` leaves the share columns
    empty. `exclude_duplicates` leaves out articles that nearly copy an earlier one
    (`articles.duplicate_of`), so a story re-sent on the wire counts once.
    """
    try:
        if not isinstance(freq, str):
            raise TypeError(freq)
        pd.Period("2000-01-01", freq=freq)
    except (ValueError, TypeError):
        raise ValueError(f"freq: expected a pandas period alias such as 'D', 'W', 'M', 'Q' or 'Y', got {freq!r}") from None
    query = MentionFilter(names=None if entities is None else tuple(entities),
                          labels=None if labels is None else tuple(labels), key=key,
                          duplicates=not exclude_duplicates)
    return Mentions(analysis).count(query, by=by, freq=freq, normalize=normalize)


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

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

from toolkit.mentions import MentionFilter, Mentions

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

"""Show stage: the rules every view follows, in one place (plots, the Explorer, the report, timeline labels).

Tone thresholds and colours, the series palette, which time axis and bucket size a view opens with,
how a bucket and a date are written, and the "tenths of the article" of narrative time. Dates are
written with portable formats only (no `%-d`, which Windows' strftime refuses).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from toolkit.sentiment import POSITIVE_THRESHOLD

# --- tone -----------------------------------------------------------------------------------------

TONE_THRESHOLD = POSITIVE_THRESHOLD  # VADER's convention: compound >= +0.05 positive, <= -0.05 negative
TONE_COLORS = {"negative": "#b2182b", "neutral": "#595959", "positive": "#1b7837"}  # >= 4.5:1 on white
TONE_LEGEND = (
    "Tone is VADER's compound score of the sentence, from −1 (very negative) to +1 (very positive); "
    f"between −{TONE_THRESHOLD:.2f} and +{TONE_THRESHOLD:.2f} it counts as neutral. It is the mood of the "
    "sentence's words, not the writer's stance toward the entity, and not whether the sentence is true."
)


def tone_of(compound: float) -> str:
    """"negative", "neutral" or "positive": the tone class of a compound score."""
    if compound >= TONE_THRESHOLD:
        return "positive"
    return "negative" if compound <= -TONE_THRESHOLD else "neutral"


def tone_color(compound: float) -> str:
    """The colour of a compound score's tone class."""
    return TONE_COLORS[tone_of(compound)]


# --- series: one colour and dash a name, distinct for 60 names -------------------------------------

PALETTE = (  # 20 colours that stay apart on white and for the commonest colour blindness (Tableau 10 first)
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    "#393b79", "#ad494a", "#637939", "#8c6d31", "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363",
)
DASHES = ("solid", "dashed", "dotted")  # the second and third round of the palette: equal lines stay visible
MATPLOTLIB_DASHES = {"solid": "-", "dashed": "--", "dotted": ":"}
ALL_COLOR = "#4d4d4d"  # the single series drawn when no name is picked
MAX_PLOTTED = 8  # lines drawn when no name is picked: the most mentioned


def series_style(rank: int) -> tuple[str, str]:
    """(colour, dash) of the series at `rank` (0 = most mentioned)."""
    return PALETTE[rank % len(PALETTE)], DASHES[(rank // len(PALETTE)) % len(DASHES)]


def series_styles(names: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Colour and dash of each name, in the order given (most mentioned first)."""
    return {name: series_style(rank) for rank, name in enumerate(names)}


# --- time axes and buckets --------------------------------------------------------------------------

TIME_AXES = (("Published", "published"), ("Dates in text", "event"), ("Place in article", "position"))
AXIS_TITLES = {"published": "publication date", "event": "date named in the sentence",
               "position": "place in the article (tenths)"}
BUCKET_SIZES = (("Day", "D"), ("Week", "W"), ("Month", "M"), ("Quarter", "Q"), ("Year", "Y"))
BUCKET_NAMES = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}
POSITION_BUCKETS = 10  # narrative time: tenths of the article
POSITION_HINT = "Place in article counts in tenths of the article instead of a bucket size."
UNDATED = "undated"
# Longest span (days) each bucket size is chosen for: about 10 to 100 buckets on the axis.
BUCKET_SPANS = (("D", 62), ("W", 731), ("M", 366 * 8), ("Q", 366 * 25))


def default_freq(stamps: pd.Series | Sequence[Any]) -> str:
    """The bucket size for a span of dates: days up to two months, weeks up to two years, then months,
    quarters and years (NaT ignored)."""
    known = pd.Series(pd.to_datetime(pd.Series(stamps), errors="coerce")).dropna()
    days = (known.max().to_pydatetime() - known.min().to_pydatetime()).days if len(known) else 0  # > 292 years
    return next((freq for freq, longest in BUCKET_SPANS if days <= longest), "Y")


def default_axis(published: pd.Series) -> str:
    """Publication date when the mentions span two or more dates, else the place in the article."""
    return "published" if pd.Series(pd.to_datetime(published)).dropna().dt.normalize().nunique() >= 2 else "position"


def day_text(stamp: Any, *, weekday: bool = False) -> str:
    """"5 May 2025" (or "Mon 5 May 2025"), with no platform-specific format codes."""
    stamp = pd.Timestamp(stamp)
    text = f"{stamp.day} {stamp:%b %Y}"
    return f"{stamp:%a} {text}" if weekday else text


# Resolved dates less precise than a day span a period: its pandas period code, for drawing that span.
GRANULARITY_PERIODS = {"week": "W", "month": "M", "quarter": "Q", "year": "Y"}


def date_text(stamp: Any, granularity: str = "day") -> str:
    """A date written only as precisely as it is known: "Mon 5 May 2025", "week of 5 May 2025",
    "Jul 2025", "Q3 2025", "2025"."""
    if pd.isna(stamp):
        return UNDATED
    stamp = pd.Timestamp(stamp)
    if granularity == "year":
        return f"{stamp:%Y}"
    if granularity == "quarter":
        return f"Q{stamp.quarter} {stamp.year}"
    if granularity == "month":
        return f"{stamp:%b %Y}"
    if granularity == "week":
        return f"week of {day_text(stamp.to_period('W').start_time)}"
    return day_text(stamp, weekday=True)


def position_text(start: float) -> str:
    """A tenth of the article as people read it: "40–50% into the article"."""
    low = round(float(start) * 100)
    return f"{low}–{low + 100 // POSITION_BUCKETS}% into the article"


def bucket_text(bucket: Any, by: str, freq: str) -> str:
    """A bucket as people read it: "week of 5 May 2025", "May 2025", "Q2 2025", "40–50% into the article",
    or "undated" for mentions with no date on this axis."""
    if by == "position":
        return position_text(bucket)
    if pd.isna(bucket):
        return UNDATED
    stamp = pd.Timestamp(bucket)
    if freq == "D":
        return day_text(stamp, weekday=True)
    if freq == "W":
        return f"week of {day_text(stamp)}"
    if freq == "Q":
        return f"Q{stamp.quarter} {stamp.year}"
    return f"{stamp:%Y}" if freq == "Y" else f"{stamp:%B %Y}"


def literal(text: str) -> str:
    """Text for a matplotlib label shown as written: `$` would otherwise start mathtext."""
    return str(text).replace("$", r"\$")

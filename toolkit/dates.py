"""Resolve-dates stage: temporal expressions in each sentence, resolved against the article's `published`.

Rules, each one readable pattern (`RULES`) and one resolver:
- a weekday ("Thursday") is the latest such day on or before publication; "last Friday" the one
  before that day, "next Monday" the first one after it;
- a month and day ("May 16") is its closest occurrence on or before publication, unless a year is given
  or the sentence speaks of the future ("due", "will", "next", ...): then its closest on or after;
- a month alone ("in January") is the first of that month, chosen the same way, at month granularity;
  a month with a year ("March 1986") is that month;
- a bare year ("2022") and a crop or fiscal year ("1986/87") are the year's first day, at year
  granularity;
- relative phrases: today, yesterday, tomorrow, this/last/next week, month or year, "earlier this
  year", "later this month"; a week cannot be expressed at day, month or year granularity, so week
  phrases are kept with NaT.
Durations ("40 minutes", "three years", "five-year plan") match no rule and are never dates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

DATE_COLUMNS = ["article_id", "sentence_id", "start", "end", "text", "date", "granularity"]

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}

_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# Fixed-date holidays resolve like a month and day.
HOLIDAYS = {"independence day": (7, 4), "christmas day": (12, 25), "christmas": (12, 25),
            "new year's day": (1, 1), "new year\u2019s day": (1, 1), "bastille day": (7, 14)}
_YEAR = r"(?P<year>(?:19|20)\d\d)"
# A month name alone is a date only after a word that introduces a time ("in May", "since March"):
# "May" is also a verb and "March" a noun.
_MONTH_CUE = r"(?:(?<=\bin )|(?<=\bsince )|(?<=\buntil )|(?<=\bby )|(?<=\bfrom )|(?<=\bthrough )|" \
             r"(?<=\bbefore )|(?<=\bafter )|(?<=\bduring )|(?<=\bearly )|(?<=\blate )|(?<=\bmid-)|(?<=\bof )|" \
             r"(?<=\bbetween )|(?<=\bfor )|(?<=\bto )|(?<=\band ))"
_NOT_NUMBER_AFTER = r"(?![\d,.]*\d)(?!\s*(?:pct|percent|%|dlrs|mln|billion|tonnes|bags|shares|stg))"


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]


RULES = (
    Rule("holiday", re.compile(r"\b(?P<holiday>" + "|".join(map(re.escape, HOLIDAYS)) + r")\b", re.IGNORECASE)),
    Rule("relative", re.compile(
        r"\b(?P<rel>today|yesterday|tomorrow|(?:(?P<when>earlier|later) )?(?P<which>this|last|next|past) "
        r"(?P<unit>week|weekend|month|year))\b", re.IGNORECASE)),
    Rule("month day", re.compile(
        rf"\b(?:{_WEEKDAY},? )?{_MONTH} (?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,? {_YEAR}\b)?(?![\d.,]*\d)(?!\s*(?:pct|percent|%))")),
    Rule("weekday", re.compile(
        rf"\b(?:(?P<which>last|next|this) )?{_WEEKDAY}(?:'s|\u2019s)?\b", re.IGNORECASE)),
    Rule("month year", re.compile(rf"\b{_MONTH},? {_YEAR}\b")),
    Rule("month", re.compile(rf"{_MONTH_CUE}{_MONTH}(?![\w-])")),
    Rule("split year", re.compile(rf"(?<![\d,.$])\b{_YEAR}/(?:\d\d)\b")),
    Rule("year", re.compile(rf"(?<![\d,.$/-])\b{_YEAR}\b(?![/-]\d){_NOT_NUMBER_AFTER}")),
)
# "May 16 and 26": a bare day joined to a month-day belongs to the same month.
_DAY_AFTER = re.compile(r"(?: and |-| to | or )(?P<day>[0-3]?\d)\b(?![\d.,]*\d)")


@dataclass(frozen=True)
class Expression:
    start: int
    end: int
    text: str
    date: pd.Timestamp | None
    granularity: str


def _month_number(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _safe_day(year: int, month: int, day: int) -> pd.Timestamp | None:
    try:
        return pd.Timestamp(year=year, month=month, day=day)
    except ValueError:
        return None


# Words that put a sentence's dates ahead of publication ("the meeting is due on April 9").
_FUTURE = re.compile(r"\b(?:will|shall|due|scheduled|expected|planned|next|ahead|upcoming|until|starting)\b",
                     re.IGNORECASE)


def _month_day(published: pd.Timestamp | None, month: int, day: int, year: str | None,
               future: bool = False) -> pd.Timestamp | None:
    """An explicit year wins; else the closest occurrence before publication, or after it in future context."""
    if year:
        return _safe_day(int(year), month, day)
    if published is None:
        return None
    candidate = _safe_day(published.year, month, day)
    if future:
        return candidate if candidate is not None and candidate >= published else _safe_day(published.year + 1, month, day)
    if candidate is None or candidate > published:
        return _safe_day(published.year - 1, month, day)
    return candidate


def _weekday(published: pd.Timestamp | None, weekday: int, which: str | None) -> pd.Timestamp | None:
    if published is None:
        return None
    back = (published.weekday() - weekday) % 7
    latest = published - pd.Timedelta(days=back)
    if which == "last":
        return latest - pd.Timedelta(days=7) if back == 0 else latest
    if which == "next":
        return latest + pd.Timedelta(days=7)
    return latest


def _relative(published: pd.Timestamp | None, match: re.Match[str]) -> tuple[pd.Timestamp | None, str]:
    phrase = match.group("rel").lower()
    if published is None:
        return None, "day"
    fixed = {"today": 0, "yesterday": -1, "tomorrow": 1}
    if phrase in fixed:
        return published + pd.Timedelta(days=fixed[phrase]), "day"
    unit, which = match.group("unit").lower(), match.group("which").lower()
    step = {"this": 0, "past": -1, "last": -1, "next": 1}[which]
    if unit == "year":
        return pd.Timestamp(year=published.year + step, month=1, day=1), "year"
    if unit == "month":
        first = published.to_period("M") + step
        return first.start_time, "month"
    return None, "day"  # weeks and weekends have no granularity of their own


def _resolve(rule: str, match: re.Match[str], published: pd.Timestamp | None,
             future: bool) -> tuple[pd.Timestamp | None, str]:
    groups = match.groupdict()
    if rule == "relative":
        return _relative(published, match)
    if rule == "holiday":
        month, day = HOLIDAYS[groups["holiday"].lower()]
        return _month_day(published, month, day, None, future), "day"
    if rule == "month day":
        return _month_day(published, _month_number(groups["month"]), int(groups["day"]), groups["year"], future), "day"
    if rule == "weekday":
        which = (groups["which"] or "").lower() or None
        return _weekday(published, WEEKDAYS[groups["weekday"].lower()], which), "day"
    if rule == "month year":
        return pd.Timestamp(year=int(groups["year"]), month=_month_number(groups["month"]), day=1), "month"
    if rule == "month":
        if published is None:
            return None, "month"
        month = _month_number(groups["month"])
        if future:
            year = published.year if month >= published.month else published.year + 1
        else:
            year = published.year if month <= published.month else published.year - 1
        return pd.Timestamp(year=year, month=month, day=1), "month"
    return pd.Timestamp(year=int(groups["year"]), month=1, day=1), "year"


def find_dates(text: str, published: pd.Timestamp | None = None) -> list[Expression]:
    """Every temporal expression in one sentence, earlier rules winning where two overlap.

    A month and day or a month alone resolves forward when the sentence speaks of the future.
    """
    published = None if published is None or pd.isna(published) else pd.Timestamp(published).normalize()
    future = bool(_FUTURE.search(text))
    taken: list[tuple[int, int]] = []
    found: list[Expression] = []

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in taken)

    for rule in RULES:
        for match in rule.pattern.finditer(text):
            if not free(*match.span()):
                continue
            date, granularity = _resolve(rule.name, match, published, future)
            taken.append(match.span())
            found.append(Expression(match.start(), match.end(), match.group(0), date, granularity))
            if rule.name == "month day":
                found += _joined_days(text, match, published, taken, future)
    return sorted(found, key=lambda e: e.start)


def _joined_days(text: str, match: re.Match[str], published: pd.Timestamp | None,
                 taken: list[tuple[int, int]], future: bool) -> Iterator[Expression]:
    joined = _DAY_AFTER.match(text, match.end())
    if joined and not match.group("year"):
        span = (joined.start("day"), joined.end("day"))
        taken.append(span)
        date = _month_day(published, _month_number(match.group("month")), int(joined.group("day")), None, future)
        yield Expression(*span, joined.group("day"), date, "day")


def resolve_dates(articles: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Resolve-dates stage: one row a temporal expression, with offsets into the article's cleaned text."""
    published = dict(zip(articles["article_id"], articles["published"]))
    rows = []
    for sentence in sentences.itertuples(index=False):
        for found in find_dates(sentence.text, published.get(sentence.article_id)):
            rows.append((sentence.article_id, sentence.sentence_id, sentence.start + found.start,
                         sentence.start + found.end, found.text, found.date, found.granularity))
    return pd.DataFrame(rows, columns=DATE_COLUMNS).astype({
        "article_id": "string", "sentence_id": "int64", "start": "int64", "end": "int64", "text": "string",
        "date": "datetime64[ns]", "granularity": "string",
    })

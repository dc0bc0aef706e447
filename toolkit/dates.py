"""Resolve-dates stage: temporal expressions in each sentence, resolved against the article's `published`.

Each kind of expression is one `DateRule` in `DEFAULT_RULES`: a name, a readable regular expression
and the function that dates its matches. Add your own like this:

    fortnight = DateRule("next fortnight", r"\\bnext fortnight\\b", lambda m, c: Resolved(
        None if c.published is None else c.published + pd.Timedelta(days=14), "week", "two weeks on"))
    dates = toolkit.resolve_dates(articles, sentences, rules=[fortnight, *DEFAULT_RULES])

Where two rules match overlapping text, the earlier rule wins. The `rule` column says which rule
fired and why it chose its date ("month day: forward, cue 'by'").

Direction. An expression without a year can point back or forward from publication; what decides,
in this order:
1. the expression's own word: "last Friday", "next week", "three years ago";
2. the nearest tense marker within `TENSE_WINDOW` words (`FUTURE_WORDS` such as "will", "would",
   "scheduled"; past-tense verbs: `PAST_WORDS` and words in -ed, bar passives such as "be reached"):
   "will meet on Tuesday" is the coming Tuesday, "met on Tuesday" the last one; words after a comma
   that follows the expression belong to another clause ("on Tuesday, officials said");
3. a future auxiliary earlier in its clause (`AUXILIARIES`: "will meet in Geneva on Thursday");
4. a cue just before it (`FORWARD_CUES`: "by March 15", "before Friday", "from Monday";
   `BACKWARD_CUES`: "since May");
5. else a default: a weekday is the latest on or before publication (news says "said on Tuesday"), a
   month and day or a month its nearest occurrence, a quarter the publication year's.
Granularity is what the text says: "day", "week" ("next week" is that week, dated by its Monday),
"month", "quarter" or "year". Durations and quantities ("40 minutes", "20 mln tonnes") are never
dates. A date that pandas cannot hold (before 1677 or after 2262) or a year outside 1000-2999 keeps
its row with NaT, and the rule says why.
Holidays are country-aware (the `holidays` package): "Independence Day" is 4 July for the United
States, 15 August for India; the country is the one the sentence names nearest the holiday, else the
article's, else the holiday stays unresolved.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import islice

import holidays
import pandas as pd
from holidays.registry import COUNTRIES

DATE_COLUMNS = ["article_id", "sentence_id", "start", "end", "text", "date", "granularity", "rule"]
GRANULARITIES = ("day", "week", "month", "quarter", "year")
YEAR_RANGE = (1000, 2999)

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": None, "few": None}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}

# Words right before an expression that point it forward or back from publication.
FORWARD_CUES = ("by", "before", "until", "till", "from", "starting", "beginning", "as of", "no later than")
BACKWARD_CUES = ("since", "as early as")
# Words that put a clause in the future; past tense is any word in PAST_WORDS or ending in -ed,
# bar NOT_PAST.
FUTURE_WORDS = ("will", "shall", "would", "could", "should", "must", "might", "won't", "won\u2019t", "due",
                "scheduled", "expected", "expects", "planned", "plans", "slated", "upcoming", "intends", "going",
                "set to", "is to", "are to")
# Future auxiliaries govern their whole clause: "will meet in Geneva on Thursday".
AUXILIARIES = ("will", "shall", "would", "could", "should", "must", "might", "'ll", "\u2019ll")
PAST_WORDS = ("was", "were", "had", "did", "said", "told", "met", "began", "came", "went", "took", "made", "gave",
              "left", "held", "rose", "fell", "won", "lost", "sold", "bought", "paid", "spoke", "wrote", "sent",
              "became", "saw", "thought", "knew", "found", "got", "brought", "kept", "led", "chose", "grew",
              "struck", "ran", "broke", "fought", "flew", "stood", "meant", "felt", "heard", "sought", "spent")
NOT_PAST = ("need", "feed", "seed", "speed", "indeed", "proceed", "exceed", "succeed", "hundred", "shed",
            "breed", "bleed", "deed", "creed", "red", "bed", "united", "limited", "based", "proposed")
TENSE_WINDOW = 4  # words either side of an expression in which a tense marker counts
# Words after a number that make it a quantity, not a day or a year ("March 20 mln tonnes", "1990 tonnes").
QUANTITY_WORDS = ("mln", "million", "bln", "billion", "trillion", "pct", "percent", "per", "%", "dlrs", "dollars",
                  "tonnes", "tons", "tonne", "ton", "barrels", "bags", "shares", "stg", "yen", "marks", "francs",
                  "cents", "points", "acres", "ounces", "kg", "km", "miles", "units", "bales", "lbs", "pounds")
# Holidays with one date everywhere; every other holiday needs a country (see `holiday_date`).
FIXED_HOLIDAYS = {"christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
                  "new year's day": (1, 1), "new year's eve": (12, 31), "bastille day": (7, 14)}
# Holiday names recognised in text and looked up in the country's calendar of the `holidays` package.
HOLIDAY_NAMES = ("Independence Day", "Thanksgiving Day", "Thanksgiving", "Labor Day", "Labour Day", "Memorial Day",
                 "Veterans Day", "Columbus Day", "Juneteenth", "Good Friday", "Easter Monday", "Easter Sunday",
                 "Easter", "Boxing Day", "Republic Day", "Constitution Day", "Revolution Day", "Victory Day",
                 "National Day", "Unity Day", "Diwali", "Ascension Day", "Whit Monday",
                 "Australia Day", "Canada Day", "Anzac Day", "Remembrance Day", "Martin Luther King Jr. Day")
# Any capitalised name followed by "holiday" is looked up the same way ("the Corpus Christi holiday").
_NAMED_HOLIDAY = r"(?:The )?(?P<named>(?:[A-Z][\w'\u2019.]* ){1,3})holiday\b"
# Ways of naming a country besides its name in the `holidays` registry ("US Independence Day").
COUNTRY_WORDS = {
    "US": "United States", "U.S.": "United States", "USA": "United States", "America": "United States",
    "American": "United States", "Americans": "United States", "UK": "United Kingdom", "U.K.": "United Kingdom",
    "Britain": "United Kingdom", "British": "United Kingdom", "Indian": "India", "Mexican": "Mexico",
    "French": "France", "German": "Germany", "Irish": "Ireland", "Canadian": "Canada", "Australian": "Australia",
    "Ukrainian": "Ukraine", "Russian": "Russia", "Chinese": "China", "Japanese": "Japan", "Brazilian": "Brazil",
    "Pakistani": "Pakistan", "Israeli": "Israel", "Italian": "Italy", "Spanish": "Spain", "Polish": "Poland",
}


@dataclass(frozen=True)
class Context:
    """What a rule may use to date its match: publication, the direction the sentence gives, the country."""

    published: pd.Timestamp | None
    direction: int  # +1 forward, -1 back, 0 unknown
    because: str  # what set the direction ("cue 'by'", "future tense 'will'"), "" when unknown
    countries: tuple[tuple[str, str], ...]  # (country, why) a holiday may belong to, the likeliest first
    sentence: str


@dataclass(frozen=True)
class Resolved:
    """A rule's answer: the date (None where it cannot be resolved), its granularity, and why."""

    date: pd.Timestamp | None
    granularity: str
    why: str


Resolver = Callable[[re.Match[str], Context], Resolved]


@dataclass(frozen=True)
class DateRule:
    """A named regular expression for one kind of temporal expression, and the function that dates it."""

    name: str
    pattern: str
    resolve: Resolver
    flags: re.RegexFlag = re.IGNORECASE
    # A cheap regular expression that every match of `pattern` holds (a digit, a month's name): a sentence
    # without it skips the rule. Searched in the lower-cased sentence when the rule ignores case (so
    # written in lower case), else in the sentence as it is. "" tries the pattern on every sentence.
    hint: str = ""

    def compiled(self) -> re.Pattern[str]:
        return _compile(self.pattern, self.flags)


@cache
def _compile(pattern: str, flags: re.RegexFlag) -> re.Pattern[str]:
    return re.compile(pattern, flags)


@dataclass(frozen=True)
class Expression:
    start: int
    end: int
    text: str
    date: pd.Timestamp | None
    granularity: str
    rule: str


# ---- building dates ---------------------------------------------------------------------------------

class Unholdable(ValueError):
    """A calendar date outside what the toolkit records: its reason becomes the rule's explanation."""


def _holdable(date: pd.Timestamp, year: int) -> pd.Timestamp:
    """`date` itself, or Unholdable when a datetime64[ns] column cannot hold it (before 1677-09-21, after 2262)."""
    if not pd.Timestamp.min <= date <= pd.Timestamp.max:
        raise Unholdable(f"{year} outside the dates pandas can hold")
    return date


def _day(year: int, month: int, day: int) -> pd.Timestamp | None:
    """The date, None when the day does not exist (30 February); Unholdable when out of range."""
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise Unholdable(f"year {year} outside {YEAR_RANGE[0]}-{YEAR_RANGE[1]}")
    try:
        return _holdable(pd.Timestamp(year=year, month=month, day=day), year)
    except ValueError as error:
        if isinstance(error, Unholdable):
            raise
        return None


def _first_of(year: int, month: int) -> pd.Timestamp:
    """The first day of the month; unlike other days it always exists, so it is never None."""
    first = _day(year, month, 1)
    assert first is not None, "every month has a first day"
    return first


def _shift(published: pd.Timestamp, unit: str, steps: int) -> pd.Timestamp:
    """The start of the `unit` (day, week, month, quarter, year) `steps` away from publication's."""
    if unit == "day":
        return _holdable(published.as_unit("s") + pd.Timedelta(days=steps), published.year)
    if unit == "week":
        monday = published.as_unit("s") - pd.Timedelta(days=published.weekday()) + pd.Timedelta(weeks=steps)
        return _holdable(monday, monday.year)
    period = {"month": "M", "quarter": "Q", "year": "Y"}[unit]
    shifted = published.to_period(period) + steps
    month = {"month": shifted.month, "quarter": 3 * shifted.quarter - 2, "year": 1}[unit]
    return _first_of(shifted.year, month)


def _around(published: pd.Timestamp, make: Callable[[int], pd.Timestamp | None]) -> list[pd.Timestamp | None]:
    """`make(year)` for the years before, of and after publication; None where a calendar cannot hold it."""
    candidates = []
    for y in range(published.year - 1, published.year + 2):
        try:
            candidates.append(make(y))
        except Unholdable:
            candidates.append(None)
    return candidates


def _month_number(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _count(word: str) -> int | None:
    return int(word) if word.isdigit() else NUMBERS.get(word.lower())


def _choose(published: pd.Timestamp, candidates: list[pd.Timestamp | None],
            context: Context) -> tuple[pd.Timestamp | None, str]:
    """Pick among one date in neighbouring years: on or after publication forward, on or before back,
    else the nearest (the earlier of two as near)."""
    known = [c for c in candidates if c is not None]
    if not known:
        return None, "no such day"
    if context.direction > 0:
        later = [c for c in known if c >= published]
        return (min(later) if later else None), f"forward, {context.because}"
    if context.direction < 0:
        earlier = [c for c in known if c <= published]
        return (max(earlier) if earlier else None), f"back, {context.because}"
    return min(known, key=lambda c: (abs(c - published), c > published)), "nearest to publication"


# ---- resolvers -----------------------------------------------------------------------------------------

def _year_of(match: re.Match[str]) -> int | None:
    year = match.groupdict().get("year")
    return int(year) if year else None


def month_day(match: re.Match[str], context: Context) -> Resolved:
    """"March 15", "15 March 2025", "Friday, December 19": a given year wins, else direction, else nearest."""
    month, day, year = _month_number(match["month"]), int(match["day"]), _year_of(match)
    if year is not None:
        return Resolved(_day(year, month, day), "day", "year given")
    if context.published is None:
        return Resolved(None, "day", "no publication date")
    date, why = _choose(context.published, _around(context.published, lambda y: _day(y, month, day)), context)
    return Resolved(date, "day", why)


def weekday(match: re.Match[str], context: Context) -> Resolved:
    """"Thursday", "last Friday", "next Monday": the word, else direction, else the latest on or before."""
    if context.published is None:
        return Resolved(None, "day", "no publication date")
    published = context.published
    back = (published.weekday() - WEEKDAYS[match["weekday"].lower()]) % 7
    latest = published - pd.Timedelta(days=back)
    which = (match["which"] or "").lower()
    if which == "last":
        return Resolved(latest - pd.Timedelta(days=7) if back == 0 else latest, "day", "back, 'last'")
    if which == "next":
        return Resolved(latest + pd.Timedelta(days=7), "day", "forward, 'next'")
    if which:  # "this Friday", "coming Friday": publication day itself or the next one
        return Resolved(latest if back == 0 else latest + pd.Timedelta(days=7), "day", f"forward, '{which}'")
    if context.direction > 0:  # "will file suit Tuesday" on a Tuesday is that day
        return Resolved(latest if back == 0 else latest + pd.Timedelta(days=7), "day", f"forward, {context.because}")
    why = f"back, {context.because}" if context.direction < 0 else "latest on or before publication"
    return Resolved(latest, "day", why)


def month_only(match: re.Match[str], context: Context) -> Resolved:
    """"in January", "last November", "mid-May": the first of the month, chosen like a month and day."""
    month = _month_number(match["month"])
    if context.published is None:
        return Resolved(None, "month", "no publication date")
    published = context.published.to_period("M").start_time
    which = (match["which"] or "").lower()
    candidates = _around(published, lambda y: _day(y, month, 1))
    if which == "last":
        return Resolved(max((c for c in candidates if c is not None and c < published), default=None), "month",
                        "back, 'last'")
    if which == "next":
        return Resolved(min((c for c in candidates if c is not None and c > published), default=None), "month",
                        "forward, 'next'")
    if which == "this":
        return Resolved(_day(published.year, month, 1), "month", "publication year, 'this'")
    date, why = _choose(published, candidates, context)
    return Resolved(date, "month", why)


def month_year(match: re.Match[str], context: Context) -> Resolved:
    """"March 1986", "October 1648": that month, when a calendar can hold it."""
    return Resolved(_day(int(match["year"]), _month_number(match["month"]), 1), "month", "year given")


def year(match: re.Match[str], context: Context) -> Resolved:
    """"2022", "in 1648", "the 1986/87 crop": the year's first day, at year granularity."""
    return Resolved(_day(int(match["year"]), 1, 1), "year", "year given")


def quarter(match: re.Match[str], context: Context) -> Resolved:
    """"the third quarter", "fourth-quarter", "the first quarter of 1990": a given year wins, else
    publication's year, moved by direction when that quarter lies the other way."""
    number = ORDINALS[match["ordinal"].lower()]
    given = match["year"] or match["year2"]
    if given:
        return Resolved(_day(int(given), 3 * number - 2, 1), "quarter", "year given")
    if context.published is None:
        return Resolved(None, "quarter", "no publication date")
    this_year = _first_of(context.published.year, 3 * number - 2)
    current = context.published.to_period("Q").start_time
    if context.direction > 0 and this_year < current:
        return Resolved(_day(context.published.year + 1, 3 * number - 2, 1), "quarter", f"forward, {context.because}")
    if context.direction < 0 and this_year > current:
        return Resolved(_day(context.published.year - 1, 3 * number - 2, 1), "quarter", f"back, {context.because}")
    return Resolved(this_year, "quarter", "publication year")


def relative(match: re.Match[str], context: Context) -> Resolved:
    """"today", "tomorrow", "this morning", "next week", "last month", "earlier this year", "the current quarter"."""
    phrase = match["rel"].lower()
    unit = (match["unit"] or "day").lower()
    granularity = "week" if unit == "weekend" else unit
    if context.published is None:
        return Resolved(None, granularity, "no publication date")
    fixed = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}
    if phrase in fixed:
        return Resolved(_shift(context.published, "day", fixed[phrase]), "day", f"'{phrase}'")
    if match["part"]:
        return Resolved(context.published, "day", "publication day")
    which = match["which"].lower()
    steps = {"this": 0, "current": 0, "coming": 1, "last": -1, "previous": -1, "next": 1}[which]
    if unit == "weekend":
        saturday = _shift(context.published, "week", steps) + pd.Timedelta(days=5)
        if which == "this" and context.direction < 0 and saturday > context.published:
            return Resolved(saturday - pd.Timedelta(days=7), "week", f"the weekend before, {context.because}")
        return Resolved(saturday, "week", f"'{which} weekend', dated by its Saturday")
    return Resolved(_shift(context.published, unit, steps), granularity, f"'{which} {unit}'")


def latest_quarter(match: re.Match[str], context: Context) -> Resolved:
    """"the latest quarter", "the most recent quarter": the last quarter ended before publication."""
    if context.published is None:
        return Resolved(None, "quarter", "no publication date")
    return Resolved(_shift(context.published, "quarter", -1), "quarter", "last quarter ended before publication")


def ago(match: re.Match[str], context: Context) -> Resolved:
    """"three years ago", "a week ago": publication moved back, at the unit's granularity."""
    unit = match["unit"].lower()
    count = _count(match["count"])
    if count is None:
        return Resolved(None, unit, "count not given")
    if context.published is None:
        return Resolved(None, unit, "no publication date")
    return Resolved(_shift(context.published, unit, -count), unit, "back, 'ago'")


def holiday(match: re.Match[str], context: Context) -> Resolved:
    """A named holiday: fixed ones anywhere, the others in the country tied to them."""
    name = match["holiday"] or match["named"].strip()
    if context.published is None:
        return Resolved(None, "day", "no publication date")
    fixed = FIXED_HOLIDAYS.get(_normal_name(name))
    if fixed is not None:
        candidates, why = _around(context.published, lambda y: _day(y, *fixed)), "same date everywhere"
    elif not context.countries:
        return Resolved(None, "day", "no country for this holiday")
    else:
        for country, why in context.countries:
            candidates = _around(context.published, lambda y: holiday_date(name, country, y))
            if any(candidates):
                break
        else:
            named = ", ".join(country for country, _why in context.countries)
            return Resolved(None, "day", f"not a holiday of {named}")
    date, direction = _choose(context.published, candidates, context)
    return Resolved(date, "day", f"{why}; {direction}")


def _normal_name(name: str) -> str:
    return " ".join(name.lower().replace("\u2019", "'").split())


@cache
def _country_codes() -> dict[str, str]:
    """Country name (as the `holidays` registry spells it, in words) -> its code."""
    names = {}
    for module, (class_name, code, *_rest) in COUNTRIES.items():
        names[re.sub(r"(?<=[a-z])(?=[A-Z])", " ", class_name)] = code
    return names


@cache
def holiday_date(name: str, country: str, year: int) -> pd.Timestamp | None:
    """The day of the holiday called `name` in `country` (a name the `holidays` registry knows) that year."""
    code = _country_codes().get(country)
    if code is None or not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        return None
    wanted = _normal_name(name)
    for day, names in sorted(holidays.country_holidays(code, years=year).items()):
        for listed in (_normal_name(n) for n in names.split("; ")):
            if listed == wanted or listed == wanted + " day" or listed.startswith(wanted + " ("):
                return pd.Timestamp(day)
    return None


# ---- the rules -----------------------------------------------------------------------------------------

_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_ANY_YEAR = r"(?P<year>\d{4})"
_NOT_QUANTITY = r"(?![\d,.]*\d)(?!\s*(?:" + "|".join(map(re.escape, QUANTITY_WORDS)) + r")(?!\w))"
# A month name alone is a date only after a word that introduces a time ("in May", "since March"):
# "May" is also a verb and "March" a noun.
_MONTH_CUE = r"(?:(?<=\bin )|(?<=\bsince )|(?<=\buntil )|(?<=\bby )|(?<=\bfrom )|(?<=\bthrough )|" \
             r"(?<=\bbefore )|(?<=\bafter )|(?<=\bduring )|" \
             r"(?<=\bof )|(?<=\bbetween )|(?<=\bfor )|(?<=\bto )|(?<=\band ))"
_HOLIDAY_NAMES = [*HOLIDAY_NAMES, *(n.title().replace("'S", "'s") for n in FIXED_HOLIDAYS)]
_HOLIDAYS = "|".join(re.escape(n).replace("'", "['\u2019]") for n in sorted(_HOLIDAY_NAMES, key=len, reverse=True))
# Hints (see `DateRule.hint`): a holiday's last word or "holiday"; the first three letters of a month's name
# (case matters: "May", not "may"); a weekday's name; four digits for a year.
_HOLIDAY_HINT = "|".join(["holiday", *sorted({re.escape(n.split()[-1]).replace("'", "['\u2019]") for n in _HOLIDAY_NAMES})])
_MONTH_HINT = "|".join(sorted({name[:3].title() for name in MONTHS}))
_WEEKDAY_HINT = "|".join(WEEKDAYS)
_YEAR_HINT = r"\d{4}"

DEFAULT_RULES: tuple[DateRule, ...] = (
    DateRule("holiday", rf"\b(?:(?P<holiday>{_HOLIDAYS})(?!\w)|{_NAMED_HOLIDAY})", holiday, re.NOFLAG,
             hint=_HOLIDAY_HINT),
    DateRule("ago", r"\b(?P<count>a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few|"
                    r"\d{1,3}) (?P<unit>day|week|month|quarter|year)s? ago\b", ago, hint="ago"),
    DateRule("relative", r"\b(?P<rel>today|tonight|yesterday|tomorrow|(?P<part>this (?:morning|afternoon|evening))|"
                         r"(?:(?:earlier|later) )?(?:the )?(?P<which>this|last|next|previous|coming|current) "
                         r"(?P<unit>week|weekend|month|quarter|year))\b(?!-)", relative,
             hint="today|tonight|yesterday|tomorrow|morning|afternoon|evening|week|month|quarter|year"),
    DateRule("latest quarter", r"\bthe (?:latest|most recent) (?:fiscal )?quarter\b", latest_quarter, hint="quarter"),
    DateRule("quarter", r"\b(?:(?P<year>\d{4})(?:'s)? )?(?:fiscal )?(?P<ordinal>first|second|third|fourth|1st|2nd|3rd|"
                        r"4th)[- ](?:fiscal[- ])?quarter\b(?: of (?:fiscal )?(?P<year2>\d{4})\b)?", quarter,
             hint="quarter"),
    DateRule("month day", rf"\b(?:{_WEEKDAY},? )?{_MONTH} (?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b"
                          rf"(?:,? {_ANY_YEAR}\b)?{_NOT_QUANTITY}", month_day, re.NOFLAG, hint=_MONTH_HINT),
    DateRule("day month", rf"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)? (?:of )?{_MONTH}(?!\w)(?:,? {_ANY_YEAR}\b)?",
             month_day, re.NOFLAG, hint=_MONTH_HINT),
    DateRule("weekday", rf"(?<!\bevery )(?<!\beach )(?<!\busual )(?<!\bfirst )(?<!\bsecond )(?<!\bthird )(?<!\bfourth )"
                        rf"\b(?:(?P<which>last|next|this|this coming|coming) )?{_WEEKDAY}"
                        r"(?:'s|\u2019s)?\b", weekday, hint=_WEEKDAY_HINT),
    DateRule("month year", rf"\b{_MONTH},? {_ANY_YEAR}\b{_NOT_QUANTITY}", month_year, re.NOFLAG, hint=_MONTH_HINT),
    DateRule("month", rf"(?:\b(?P<which>last|next|this) |\b(?:early|late|mid)[- ]|(?i:{_MONTH_CUE})){_MONTH}(?![\w-])",
             month_only, re.NOFLAG, hint=_MONTH_HINT),
    DateRule("split year", r"(?<![\d,.$])\b(?P<year>(?:19|20)\d\d)/(?:\d\d)\b", year, hint=_YEAR_HINT),
    DateRule("year", rf"(?<![\d,.$/-])\b(?P<year>(?:19|20)\d\d)\b(?![/-]\d){_NOT_QUANTITY}", year, hint=_YEAR_HINT),
    DateRule("year after a cue", rf"(?:(?<=\bin )|(?<=\bsince )|(?<=\buntil )|(?<=\byear ))(?P<year>[12]\d\d\d)\b(?![/-]\d)"
                                 rf"(?!\s+[a-z]+s\b){_NOT_QUANTITY}", year, hint=_YEAR_HINT),
)
# "May 16 and 26": a bare day joined to a month-day belongs to the same month.
_DAY_AFTER = re.compile(r"(?: and |-| to | or )(?P<day>[0-3]?\d)\b" + _NOT_QUANTITY)


# ---- direction and country -----------------------------------------------------------------------------

_WORD = re.compile(r"[\w'\u2019]+")
_CUE_BEFORE = re.compile(r"(?:^|\W)(?P<cue>" + "|".join(map(re.escape, FORWARD_CUES + BACKWARD_CUES))
                         + r")\s+(?:(?:the|on|at|around|about|early|late|mid)\s+)?(?:-)?$", re.IGNORECASE)
_FUTURE_PHRASES = tuple(w for w in FUTURE_WORDS if " " in w)


def _word_before(sentence: str, position: int) -> str:
    """The whitespace-separated word that ends before `position`, however much space follows it ("" at the
    start). Read backwards from `position`, so its cost does not grow with the sentence."""
    end = position
    while end and sentence[end - 1].isspace():
        end -= 1
    start = end
    while start and not sentence[start - 1].isspace():
        start -= 1
    return sentence[start:end]


def _marker(sentence: str, words: list[tuple[int, int, str, int]]) -> tuple[int, str]:
    """The first tense marker among (distance, side, word, offset), nearest first, the left side on a tie."""
    for _distance, _side, word, position in sorted(words):
        marker = _tense(word, sentence[position:position + 12].lower(), _word_before(sentence, position).lower())
        if marker:
            return marker, f"{'future' if marker > 0 else 'past'} tense '{word}'"
    return 0, ""


_CLAUSE_MARK = re.compile(r"[,;:]")


@lru_cache(maxsize=4)
def _clauses_and_auxiliaries(sentence: str) -> tuple[list[int], list[tuple[int, str]]]:
    """Offsets of the sentence's clause marks, and (offset, word) of its future auxiliaries, read once a sentence:
    `direction` looks them up for every expression, which would cost sentence length x expressions read afresh."""
    marks = [match.start() for match in _CLAUSE_MARK.finditer(sentence)]
    auxiliaries = [(match.start(), word) for match in _WORD.finditer(sentence)
                   if (word := match.group(0).lower()) in AUXILIARIES or word.endswith(("'ll", "\u2019ll"))]
    return marks, auxiliaries


def _words_before(sentence: str, start: int, count: int) -> list[tuple[str, int]]:
    """The last `count` words (lower case, offset) before `start`: read in a stretch that doubles until it holds
    one word more than needed (its first may be cut), so a long sentence is not read whole."""
    width = 64
    while True:
        low = max(0, start - width)
        words = [(m.group(0).lower(), m.start()) for m in _WORD.finditer(sentence, low, start)]
        if len(words) > count or low == 0:
            return words[max(0, len(words) - count):]
        width *= 2


def direction(sentence: str, start: int, end: int) -> tuple[int, str]:
    """+1 (forward) or -1 (back) and why: the nearest tense marker within `TENSE_WINDOW` words of an
    expression, else a future auxiliary earlier in its clause, else the cue just before it ("by",
    "since"); words after a comma that follows the expression ("on Tuesday, officials said") belong to
    another clause. 0 when nothing says."""
    marks, auxiliaries = _clauses_and_auxiliaries(sentence)
    following_mark = bisect_left(marks, end)
    stop = marks[following_mark] if following_mark < len(marks) else len(sentence)
    before = _words_before(sentence, start, TENSE_WINDOW)
    after = [(m.group(0).lower(), m.start()) for m in islice(_WORD.finditer(sentence, end, stop), TENSE_WINDOW)]
    words = [*((len(before) - i, 0, w, p) for i, (w, p) in enumerate(before)),
             *((i + 1, 1, w, p) for i, (w, p) in enumerate(after))]
    way, because = _marker(sentence, words)
    if way:
        return way, because
    preceding_mark = bisect_left(marks, start)
    clause_start = marks[preceding_mark - 1] + 1 if preceding_mark else 0
    last_auxiliary = bisect_left(auxiliaries, (start,)) - 1
    if last_auxiliary >= 0 and auxiliaries[last_auxiliary][0] >= clause_start:
        return 1, f"future tense '{auxiliaries[last_auxiliary][1]}'"
    cue = _CUE_BEFORE.search(sentence[max(0, start - 30):start])
    if cue:
        word = cue["cue"].lower()
        return (1 if word in FORWARD_CUES else -1), f"cue '{word}'"
    return 0, ""


def _tense(word: str, following: str, previous: str) -> int:
    """+1 for a future marker, -1 for a past-tense verb (not a passive participle: "be reached"), else 0."""
    if word in FUTURE_WORDS or word.endswith(("'ll", "\u2019ll")) or following.startswith(_FUTURE_PHRASES):
        return 1
    if previous in ("be", "being", "been"):
        return 0
    if word in PAST_WORDS or (len(word) > 4 and word.endswith("ed") and word not in NOT_PAST):
        return -1
    return 0


@cache
def _country_pattern() -> re.Pattern[str]:
    """Any country name or demonym, the longest first. Not preceded by a word character or a period either,
    which `countries_named` checks: a pattern that opens with that look-behind is tried at every
    character, one that opens with the names only where a name's first letter stands (four times faster)."""
    names = sorted({*_country_codes(), *COUNTRY_WORDS}, key=len, reverse=True)
    return re.compile(r"(?:" + "|".join(map(re.escape, names)) + r")(?![\w])")


_WORD_OR_PERIOD = re.compile(r"[\w.]")


def countries_named(text: str) -> list[tuple[int, str]]:
    """(offset, country) of every country name or demonym in `text` (`COUNTRY_WORDS` and the registry's names)
    that does not continue a word or an abbreviation ("U.S.A" names none)."""
    found = []
    at = 0
    while (match := _country_pattern().search(text, at)) is not None:
        if match.start() and _WORD_OR_PERIOD.match(text, match.start() - 1):
            at = match.start() + 1  # as a look-behind would: no name starts here, one may start at the next character
            continue
        found.append((match.start(), COUNTRY_WORDS.get(match.group(0), match.group(0))))
        at = match.end()
    return found


def _holiday_countries(named: list[tuple[int, str]], at: int, article_country: str | None) -> tuple[tuple[str, str], ...]:
    """Countries a holiday at offset `at` may belong to: those the sentence names, nearest first, then the article's."""
    ordered = [country for _offset, country in sorted(named, key=lambda item: (abs(item[0] - at), item[0] > at))]
    choices = [(country, f"country {country} named in the sentence") for country in dict.fromkeys(ordered)]
    if article_country and article_country not in ordered:
        choices.append((article_country, f"the article's country, {article_country}"))
    return tuple(choices)


# ---- the stage -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Prepared:
    """A rule as `find_dates` runs it: its pattern and hint compiled once for all sentences."""

    rule: DateRule
    pattern: re.Pattern[str]
    hint: re.Pattern[str] | None
    lowered: bool  # the hint is searched in the lower-cased sentence


def _prepare(rules: Sequence[DateRule]) -> list[_Prepared]:
    return [_Prepared(rule, rule.compiled(), _compile(rule.hint, re.NOFLAG) if rule.hint else None,
                      bool(rule.flags & re.IGNORECASE)) for rule in rules]


def _publication_day(published: pd.Timestamp | None) -> pd.Timestamp | None:
    return None if published is None or pd.isna(published) else pd.Timestamp(published).normalize()


def find_dates(text: str, published: pd.Timestamp | None = None, *, rules: Sequence[DateRule] = DEFAULT_RULES,
               countries: list[tuple[int, str]] | None = None, article_country: str | None = None) -> list[Expression]:
    """Every temporal expression in one sentence, earlier rules winning where two overlap.

    `countries`: (offset, country) mentions in the sentence (default: the names and demonyms it holds);
    `article_country`: the country a holiday takes when the sentence names none.
    """
    return _find(text, _publication_day(published), _prepare(rules),
                 countries_named(text) if countries is None else countries, article_country)


def _free(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether the span overlaps none of `taken`, which is sorted and whose spans never overlap: of the spans that
    start before `end`, the last ends last, so it is the only one to check (a sentence may hold thousands)."""
    starting_before = bisect_left(taken, (end,))
    return not starting_before or taken[starting_before - 1][1] <= start


def _find(text: str, published: pd.Timestamp | None, rules: Sequence[_Prepared], named: list[tuple[int, str]],
          article_country: str | None) -> list[Expression]:
    """`find_dates` with the publication day normalised and the rules prepared."""
    taken: list[tuple[int, int]] = []
    found: list[Expression] = []
    lowered = text.lower()
    hinted: dict[tuple[re.Pattern[str], bool], bool] = {}  # a hint's answer, shared by the rules that have it
    for prepared in rules:
        if prepared.hint is not None:
            key = (prepared.hint, prepared.lowered)
            if key not in hinted:
                hinted[key] = prepared.hint.search(lowered if prepared.lowered else text) is not None
            if not hinted[key]:
                continue
        rule = prepared.rule
        for match in prepared.pattern.finditer(text):
            if not _free(taken, *match.span()):
                continue
            way, because = direction(text, match.start(), match.end())
            context = Context(published, way, because, _holiday_countries(named, match.start(), article_country), text)
            insort(taken, match.span())
            found.append(_dated(rule, match, context, match.span()))
            if rule.resolve is month_day and not match.groupdict().get("year"):
                joined = _DAY_AFTER.match(text, match.end())
                if joined and _free(taken, *joined.span("day")):  # the bare day of "May 25 and 26" is "May 26"
                    insort(taken, joined.span("day"))
                    as_month_day = re.match(rf"{_MONTH} (?P<day>\d+)", f"{match['month']} {joined['day']}")
                    assert as_month_day is not None, "a month name and digits always match"
                    found.append(_dated(rule, as_month_day, context, joined.span("day")))
    return sorted(found, key=lambda e: e.start)


def _dated(rule: DateRule, match: re.Match[str], context: Context, span: tuple[int, int]) -> Expression:
    """Run a rule's resolver; a date no calendar here can hold keeps its row with NaT and the reason (also
    one a resolver returned without checking: "last Friday" a few days after pandas' first day)."""
    try:
        resolved = rule.resolve(match, context)
        if resolved.date is not None:
            _holdable(resolved.date, resolved.date.year)
    except Unholdable as reason:
        resolved = Resolved(None, _granularity_of(rule, match), str(reason))
    return Expression(*span, context.sentence[span[0]:span[1]], resolved.date, resolved.granularity,
                      f"{rule.name}: {resolved.why}")


def _granularity_of(rule: DateRule, match: re.Match[str]) -> str:
    """The granularity of a match whose date no calendar can hold: the unit it names ("three years ago",
    "next weekend" a week), else its resolver's."""
    unit = (match.groupdict().get("unit") or "").lower()
    unit = "week" if unit == "weekend" else unit
    if unit in GRANULARITIES:
        return unit
    by_resolver: dict[Resolver, str] = {month_year: "month", month_only: "month", year: "year", quarter: "quarter",
                                        latest_quarter: "quarter"}
    return by_resolver.get(rule.resolve, "day")


def _article_countries(sentences: pd.DataFrame, entities: pd.DataFrame | None) -> tuple[dict, dict]:
    """Country mentions by (article, sentence): the names and demonyms in the text, plus the entities'
    `country` column when present; and each article's country (its one most-mentioned)."""
    by_sentence: dict[tuple[str, int], list[tuple[int, str]]] = {}
    for aid, sid, text in zip(sentences["article_id"], sentences["sentence_id"], sentences["text"]):
        by_sentence[(aid, sid)] = countries_named(text)
    if entities is not None and "country" in entities.columns:
        starts = dict(zip(zip(sentences["article_id"], sentences["sentence_id"]), sentences["start"]))
        tied = entities.dropna(subset=["country"])
        for aid, sid, start, country in zip(tied["article_id"], tied["sentence_id"], tied["start"], tied["country"]):
            by_sentence.setdefault((aid, sid), []).append((int(start) - int(starts.get((aid, sid), 0)), country))
    per_article: dict[str, Counter] = {}
    for (aid, _sid), named in by_sentence.items():
        per_article.setdefault(aid, Counter()).update(country for _offset, country in named)
    article_country = {}
    for aid, counts in per_article.items():
        top = counts.most_common(2)
        if top and (len(top) == 1 or top[0][1] > top[1][1]):
            article_country[aid] = top[0][0]
    return by_sentence, article_country


def resolve_dates(articles: pd.DataFrame, sentences: pd.DataFrame, entities: pd.DataFrame | None = None, *,
                  rules: Sequence[DateRule] = DEFAULT_RULES) -> pd.DataFrame:
    """Resolve-dates stage: one row a temporal expression, with offsets into the article's cleaned text.

    Holidays take the country the sentence names (its country names and demonyms, and the `country`
    of its entities when `entities` has that column), else the article's.
    """
    published = {article_id: _publication_day(day) for article_id, day in zip(articles["article_id"], articles["published"])}
    by_sentence, article_country = _article_countries(sentences, entities)
    prepared = _prepare(rules)
    rows = []
    columns = (sentences[name].tolist() for name in ("article_id", "sentence_id", "start", "text"))
    for article_id, sentence_id, start, text in zip(*columns, strict=True):
        for found in _find(text, published.get(article_id), prepared, by_sentence.get((article_id, sentence_id), []),
                           article_country.get(article_id)):
            rows.append((article_id, sentence_id, start + found.start,
                         start + found.end, found.text, found.date, found.granularity, found.rule))
    return pd.DataFrame(rows, columns=DATE_COLUMNS).astype({
        "article_id": "string", "sentence_id": "int64", "start": "int64", "end": "int64", "text": "string",
        "date": "datetime64[ns]", "granularity": "string", "rule": "string",
    })

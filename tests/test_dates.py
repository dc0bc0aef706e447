import dataclasses
import re

import pandas as pd
import pytest

import toolkit
from tests.conftest import DATA, needs_corpus
from toolkit import dates
from toolkit.dates import DEFAULT_RULES, GRANULARITIES, DateRule, Resolved, find_dates, resolve_dates
from toolkit.load import from_texts
from toolkit.text import split

PUBLISHED = pd.Timestamp("2025-07-04")  # a Friday


def test_sample_dates_resolve_against_publication(sample_analysis):
    dates = sample_analysis.dates
    got = {(t, d.strftime("%Y-%m-%d"), g) for t, d, g in zip(dates["text"], dates["date"], dates["granularity"])}
    assert got == {
        ("Independence Day", "2025-07-04", "day"), ("Thursday", "2025-07-03", "day"),
        ("January", "2025-01-01", "month"), ("earlier this year", "2025-01-01", "year"),
        ("May 16", "2025-05-16", "day"), ("June 2", "2025-06-02", "day"),
        ("Friday", "2025-07-04", "day"), ("2022", "2022-01-01", "year"),
    }


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Talks were held on Thursday.", [("Thursday", "2025-07-03", "day")]),
        ("Russia on Friday said so.", [("Friday", "2025-07-04", "day")]),
        ("They met last Friday.", [("last Friday", "2025-06-27", "day")]),
        ("They meet next Monday.", [("next Monday", "2025-07-07", "day")]),
        ("Rounds on May 16 and June 2 failed.", [("May 16", "2025-05-16", "day"), ("June 2", "2025-06-02", "day")]),
        ("Talks on May 25 and 26 failed.", [("May 25", "2025-05-25", "day"), ("26", "2025-05-26", "day")]),
        ("It began on December 19.", [("December 19", "2024-12-19", "day")]),
        ("The vote is due on September 9.", [("September 9", "2025-09-09", "day")]),
        ("Sales fell in March 1986.", [("March 1986", "1986-03-01", "month")]),
        ("Sales fell in March.", [("March", "2025-03-01", "month")]),
        ("Invaded in 2022.", [("2022", "2022-01-01", "year")]),
        ("The 1986/87 crop.", [("1986/87", "1986-01-01", "year")]),
        ("Prices rose last month.", [("last month", "2025-06-01", "month")]),
        ("Output fell last year.", [("last year", "2024-01-01", "year")]),
        ("Talks resumed earlier this year.", [("earlier this year", "2025-01-01", "year")]),
        ("He left yesterday.", [("yesterday", "2025-07-03", "day")]),
        ("It happened last week.", [("last week", "2025-06-23", "week")]),
        ("Talks resume next week.", [("next week", "2025-07-07", "week")]),
        ("Output rose in the first quarter.", [("first quarter", "2025-01-01", "quarter")]),
        ("The plant closed three years ago.", [("three years ago", "2022-01-01", "year")]),
        ("Ties were cut between 1985 and 1987.", [("1985", "1985-01-01", "year"), ("1987", "1987-01-01", "year")]),
        ("The strike began in late April.", [("late April", "2025-04-01", "month")]),
    ],
)
def test_date_rules(sentence, expected):
    got = [(e.text, None if e.date is None else e.date.strftime("%Y-%m-%d"), e.granularity)
           for e in find_dates(sentence, PUBLISHED)]
    assert got == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The call lasted roughly 40 minutes.",
        "More than three years of conflict.",
        "A five-year plan.",
        "You may go. The march was long.",
        "Output was 1,987 tonnes, or 2000 dlrs.",
        "It rose 5.5 pct to 1990 tonnes.",
    ],
)
def test_durations_and_numbers_are_not_dates(sentence):
    assert find_dates(sentence, PUBLISHED) == []


def test_unknown_publication_keeps_expressions_with_nat_and_says_why():
    found = find_dates("They met on Thursday and on May 16, in 2022.", None)
    assert [(e.text, e.date, e.rule) for e in found] == [
        ("Thursday", None, "weekday: no publication date"), ("May 16", None, "month day: no publication date"),
        ("2022", pd.Timestamp("2022-01-01"), "year: year given"),
    ]


MARCH = pd.Timestamp("2025-03-04")  # a Tuesday


def resolved(sentence: str, published: pd.Timestamp = MARCH) -> list[tuple[str, str | None, str]]:
    return [(e.text, None if e.date is None else e.date.strftime("%Y-%m-%d"), e.granularity)
            for e in find_dates(sentence, published)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # forward: a cue ("by", "before", "from") or the future tense
        ("A deal could be reached by March 15, diplomats said.", [("March 15", "2025-03-15", "day")]),
        ("Negotiators must return to the table before Friday.", [("Friday", "2025-03-07", "day")]),
        ("The new tariffs apply from Monday.", [("Monday", "2025-03-10", "day")]),
        ("The board will vote on the merger on Thursday.", [("Thursday", "2025-03-06", "day")]),
        ("He said he would leave on Monday for Brussels.", [("Monday", "2025-03-10", "day")]),
        ("They'll sign it in Paris on Wednesday.", [("Wednesday", "2025-03-05", "day")]),
        ("The committee will meet in Geneva on Thursday, officials said.", [("Thursday", "2025-03-06", "day")]),
        ("The ministers are scheduled to meet on February 20.", [("February 20", "2026-02-20", "day")]),
        # back: "last", "ago", "since" and the past tense
        ("The minister resigned on Friday.", [("Friday", "2025-02-28", "day")]),
        ("Prices peaked last Thursday.", [("last Thursday", "2025-02-27", "day")]),
        ("The mine flooded two weeks ago.", [("two weeks ago", "2025-02-17", "week")]),
        ("Exports have fallen since March 10.", [("March 10", "2024-03-10", "day")]),
        ("The accord was signed on March 20.", [("March 20", "2024-03-20", "day")]),
        # no word either way: a month and day is its nearest occurrence
        ("The dividend is payable March 20.", [("March 20", "2025-03-20", "day")]),
    ],
)
def test_tense_and_cues_decide_direction(sentence, expected):
    assert resolved(sentence) == expected


def test_the_rule_column_names_what_decided():
    assert find_dates("A deal could be reached by March 15.", MARCH)[0].rule == \
        "month day: forward, future tense 'could'"
    assert find_dates("Talks resume before Friday.", MARCH)[0].rule == "weekday: forward, cue 'before'"
    assert find_dates("Talks resumed on Friday.", MARCH)[0].rule == "weekday: back, past tense 'resumed'"
    assert find_dates("Talks begin next week.", MARCH)[0].rule == "relative: 'next week'"


@pytest.mark.parametrize(
    "sentence",
    ["Wheat exports for March 20 mln tonnes, against 18 mln a year earlier.",
     "Stocks stood at 20 mln tonnes.", "The vote took 40 minutes.", "Sugar output rose to 1995 tonnes."],
)
def test_quantities_are_never_days_or_years(sentence):
    found = find_dates(sentence, MARCH)
    assert all(e.granularity != "day" and (e.date is None or e.date.year != 1995) for e in found)
    assert "March 20" not in [e.text for e in found]


def test_a_month_before_a_quantity_is_still_the_month():
    assert resolved("Exports in March 20 mln tonnes.") == [("March", "2025-03-01", "month")]


@pytest.mark.parametrize(
    ("sentence", "published", "text", "why"),
    [
        ("The treaty was signed in October 1648.", MARCH, "October 1648", "month year: 1648 outside the dates pandas can hold"),
        ("Peace came in 1648.", MARCH, "1648", "year after a cue: 1648 outside the dates pandas can hold"),
        ("The colony was founded on May 3, 0950.", MARCH, "May 3, 0950", "month day: year 950 outside 1000-2999"),
        ("The harvest failed last year.", pd.Timestamp("1678-05-01"), "last year",
         "relative: 1677 outside the dates pandas can hold"),
    ],
)
def test_dates_no_calendar_can_hold_are_recorded_not_guessed(sentence, published, text, why):
    [found] = find_dates(sentence, published)
    assert (found.text, found.date, found.rule) == (text, None, why)


@pytest.mark.parametrize(
    ("sentence", "published", "expected", "why"),
    [
        ("Marking US Independence Day, the Ukrainian president sent wishes.", PUBLISHED, "2025-07-04",
         "country United States named in the sentence"),
        ("India marked Independence Day with a speech from the Red Fort.", pd.Timestamp("2025-08-20"), "2025-08-15",
         "country India named in the sentence"),
        ("Mexican families gathered for Independence Day.", pd.Timestamp("2025-09-20"), "2025-09-16",
         "country Mexico named in the sentence"),
        ("Independence Day parades were cancelled.", PUBLISHED, None, "no country for this holiday"),
    ],
)
def test_holidays_take_the_country_the_text_ties_them_to(sentence, published, expected, why):
    [found] = find_dates(sentence, published)
    assert (None if found.date is None else found.date.strftime("%Y-%m-%d")) == expected
    assert why in found.rule


def _frames(text: str, published: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    articles = pd.DataFrame({"article_id": ["a"], "text": [text], "published": [pd.Timestamp(published)]})
    return articles, split(articles)


def test_a_holiday_without_a_country_in_its_sentence_takes_the_articles():
    articles, sentences = _frames("Crowds filled Mexico City.\n\nThe Independence Day parade went ahead.", "2025-09-20")
    dates = resolve_dates(articles, sentences)
    assert dates["date"].tolist() == [pd.Timestamp("2025-09-16")]
    assert dates["rule"].iloc[0] == "holiday: the article's country, Mexico; back, past tense 'went'"


def test_the_entities_country_column_ties_holidays_when_given():
    articles, sentences = _frames("Delhi celebrated Independence Day.", "2025-08-20")
    entities = pd.DataFrame({"article_id": ["a"], "sentence_id": [0], "start": [0], "country": ["India"]})
    assert resolve_dates(articles, sentences, entities)["date"].tolist() == [pd.Timestamp("2025-08-15")]
    assert resolve_dates(articles, sentences)["date"].isna().all()


def test_user_rules_extend_the_defaults():
    fortnight = DateRule("fortnight", r"\bnext fortnight\b", lambda m, c: Resolved(
        c.published + pd.Timedelta(days=14), "week", "two weeks on"))
    [found] = find_dates("Talks resume next fortnight.", MARCH, rules=[fortnight, *DEFAULT_RULES])
    assert (found.date, found.granularity, found.rule) == (pd.Timestamp("2025-03-18"), "week", "fortnight: two weeks on")


def test_summary_says_how_many_dates_need_a_publication_date(sample_analysis):
    undated = toolkit.analyze_articles(toolkit.from_texts(sample_analysis.articles["raw_text"]))
    assert "dates: 7 of 8 expression(s) could not be resolved: 1 article(s) have no publication date " \
           "(give --published YYYY-MM-DD, or a metadata.csv with a published column)" in undated.summary()
    assert "could not be resolved" not in sample_analysis.summary()


def test_sample_rules_say_why_each_date_was_chosen(sample_analysis):
    rules = dict(zip(sample_analysis.dates["text"], sample_analysis.dates["rule"]))
    assert rules["Independence Day"].startswith("holiday: country United States named in the sentence")
    assert rules["Friday"] == "weekday: back, past tense 'said'"
    assert rules["2022"] == "year: year given"
    assert set(sample_analysis.dates["granularity"]) <= set(GRANULARITIES)


@pytest.mark.parametrize(("sentence", "published", "expected"), [
    # A year given wins, before the quarter or after it.
    ("Output rose in the third quarter of 1990.", "2025-03-04", ("third quarter of 1990", "1990-07-01", "year given")),
    ("Its 1987 fourth quarter was weak.", "2025-03-04", ("1987 fourth quarter", "1987-10-01", "year given")),
    # Published in the first quarter of 2025: a fourth quarter told in the past tense is 2024's ...
    ("Profits fell in the fourth quarter.", "2025-03-04", ("fourth quarter", "2024-10-01", "back, past tense 'fell'")),
    # ... told in the future it is this year's, as a later quarter needs no moving.
    ("Profits will rise in the fourth quarter.", "2025-03-04", ("fourth quarter", "2025-10-01", "publication year")),
    # Published in August: a first quarter to come is next year's; the quarter we are in stays this year's.
    ("Profits will recover in the 1st quarter.", "2025-08-10", ("1st quarter", "2026-01-01", "forward, future tense 'will'")),
    ("Profits will rise in the third quarter.", "2025-08-10", ("third quarter", "2025-07-01", "publication year")),
    ("Profits recovered in the third quarter.", "2025-08-10", ("third quarter", "2025-07-01", "publication year")),
    ("Sales were flat in the second quarter.", "2025-08-10", ("second quarter", "2025-04-01", "publication year")),
    # With no tense or cue either way, a quarter is the publication year's, behind or ahead.
    ("The dividend for the second quarter is 10 cts a share.", "2025-08-10", ("second quarter", "2025-04-01", "publication year")),
    ("The dividend for the fourth quarter is 10 cts a share.", "2025-03-04", ("fourth quarter", "2025-10-01", "publication year")),
    # The latest quarter is the last one ended before publication, across a year end too.
    ("Sales rose in the latest quarter.", "2025-08-10", ("the latest quarter", "2025-04-01", "last quarter ended before publication")),
    ("Sales rose in the most recent quarter.", "2025-01-10", ("the most recent quarter", "2024-10-01", "last quarter ended before publication")),
])
def test_quarters_resolve_to_their_first_day(sentence, published, expected):
    (found,) = find_dates(sentence, pd.Timestamp(published))
    assert (found.text, found.date.strftime("%Y-%m-%d"), found.granularity) == (*expected[:2], "quarter")
    assert found.rule.split(": ", 1)[1] == expected[2]


@pytest.mark.parametrize("sentence", ["Output rose in the third quarter.", "Sales rose in the latest quarter."])
def test_quarters_without_a_publication_date_are_kept_unresolved(sentence):
    (found,) = find_dates(sentence, None)
    assert (found.date, found.granularity, found.rule.split(": ", 1)[1]) == (None, "quarter", "no publication date")


@pytest.mark.parametrize(("sentence", "text", "granularity", "rule"), [
    ("Sales fell in March.", "March", "month", "month"),
    ("Prices rose last month.", "last month", "month", "relative"),
    ("He left yesterday.", "yesterday", "day", "relative"),
    ("He spoke this morning.", "this morning", "day", "relative"),
    ("Talks resume next week.", "next week", "week", "relative"),
    ("It happened this weekend.", "this weekend", "week", "relative"),
    ("Talks resumed earlier this year.", "earlier this year", "year", "relative"),
    ("The plant closed three years ago.", "three years ago", "year", "ago"),
    ("The mine flooded two weeks ago.", "two weeks ago", "week", "ago"),
    ("Shops shut on Christmas Day.", "Christmas Day", "day", "holiday"),
    ("It began on December 19.", "December 19", "day", "month day"),
])
def test_each_kind_of_date_without_a_publication_date_keeps_its_granularity(sentence, text, granularity, rule):
    (found,) = find_dates(sentence, None)
    assert (found.text, found.date, found.granularity, found.rule) == (text, None, granularity, f"{rule}: no publication date")


# ---- hints: a rule is tried only on sentences that hold its hint --------------------------------------------

HINTLESS = [dataclasses.replace(rule, hint="") for rule in DEFAULT_RULES]


def _holds_hint(rule: DateRule, text: str) -> bool:
    return re.search(rule.hint, text.lower() if rule.flags & re.IGNORECASE else text) is not None


@pytest.fixture(scope="module")
def open_sentences() -> list[str]:
    """Every sentence of the sample article and the open-news corpus (163 Wikinews articles)."""
    articles, _ = toolkit.load_with_problems(DATA / "000_739a1000ab1b0261.txt",
                                             DATA / "open-news" / "wikinews_gum_meantime.jsonl.gz")
    return split(toolkit.clean(articles))["text"].tolist()


def _check_hints(sentences: list[str]) -> None:
    """Every match of a hinted rule holds the hint, so the sentences it skips have none; each hint skips
    some sentences and lets some through; and the dates found are those found without hints (the hard
    cases of each kind are in `test_a_hint_lets_through_every_kind_of_expression`)."""
    for rule in DEFAULT_RULES:
        assert rule.hint, f"{rule.name}: every default rule has a hint"
        matched = [m.group() for text in sentences for m in rule.compiled().finditer(text)]
        assert all(_holds_hint(rule, text) for text in matched), rule.name
        assert 0 < sum(_holds_hint(rule, text) for text in sentences) < len(sentences), rule.name
    for text in sentences:
        assert find_dates(text, PUBLISHED) == find_dates(text, PUBLISHED, rules=HINTLESS), text


def test_hints_skip_only_sentences_without_a_date(open_sentences):
    _check_hints(open_sentences)


@needs_corpus
def test_hints_skip_only_sentences_without_a_date_in_reuters(reuters_raw):
    ids = sorted(reuters_raw, key=lambda i: int(i.split("-")[1]))[:600]
    _check_hints(split(toolkit.clean(from_texts([reuters_raw[i] for i in ids])))["text"].tolist())


@pytest.mark.parametrize("sentence, text", [
    ("Banks close for Martin Luther King Jr. Day.", "Martin Luther King Jr. Day"),  # a holiday's last word
    ("Shops shut early on New Year\u2019s Eve.", "New Year\u2019s Eve"),  # a curly apostrophe
    ("Markets were shut for the Corpus Christi holiday.", "Corpus Christi holiday"),  # "holiday", lower case
    ("PROFITS PEAKED THREE YEARS AGO.", "THREE YEARS AGO"),  # a rule that ignores case: the hint in lower case
    ("TRADING RESUMES TOMORROW.", "TOMORROW"),
    ("Earnings fell in the latest fiscal quarter.", "the latest fiscal quarter"),
    ("Fourth-quarter sales rose.", "Fourth-quarter"),
    ("TALKS RESUME ON FRIDAY'S AGENDA.", "FRIDAY'S"),
    ("Prices peaked in mid-Sept. trading.", "mid-Sept."),  # a month's short name
    ("Exports reached a record in Dec. 1986.", "Dec. 1986"),
    ("The 1986/87 crop was large.", "1986/87"),
    ("The castle was built in 1648.", "1648"),
])
def test_a_hint_lets_through_every_kind_of_expression(sentence, text):
    found = find_dates(sentence, PUBLISHED)
    assert [e.text for e in found] == [text]
    assert found == find_dates(sentence, PUBLISHED, rules=HINTLESS)


def test_user_rules_without_a_hint_try_every_sentence():
    always = DateRule("always", r"\bpayday\b", lambda m, c: Resolved(c.published, "day", "publication day"))
    assert always.hint == ""
    [found] = find_dates("Workers wait for payday.", PUBLISHED, rules=[always])
    assert (found.text, found.rule) == ("payday", "always: publication day")


def _countries_by_look_behind(text: str) -> list[tuple[int, str]]:
    """The country names as one pattern with its look-behind finds them (what `countries_named` does faster)."""
    names = sorted({*dates._country_codes(), *dates.COUNTRY_WORDS}, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w.])(?:" + "|".join(map(re.escape, names)) + r")(?![\w])")
    return [(m.start(), dates.COUNTRY_WORDS.get(m.group(), m.group())) for m in pattern.finditer(text)]


@pytest.mark.parametrize("text, expected", [
    ("Talks between the U.S. and U.K. resumed.", [(18, "United States"), (27, "United Kingdom")]),
    ("Officials of Papua New Guinea met.", [(13, "Papua New Guinea")]),
    ("Officials of xPapua New Guinea met.", [(24, "Guinea")]),  # no name at a word's middle, one later in it
    ("The U.S.A. and .Chad, then Chad.", [(27, "Chad")]),  # after a period: an abbreviation's part
    ("South Sudan's capital", [(0, "South Sudan")]),
])
def test_country_names_start_at_a_word(text, expected):
    assert dates.countries_named(text) == expected == _countries_by_look_behind(text)


def test_country_names_as_the_look_behind_finds_them(open_sentences):
    found = [dates.countries_named(text) for text in open_sentences]
    assert sum(map(len, found)) > 100
    assert found == [_countries_by_look_behind(text) for text in open_sentences]

import dataclasses
import re

import pandas as pd
import pytest

import toolkit
from tests.conftest import DATA, needs_corpus
from toolkit import dates
from toolkit.dates import DEFAULT_RULES, GRANULARITIES, DateRule, Resolved, find_dates, holiday_date, resolve_dates
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
    ("sentence", "published", "text", "granularity", "why"),
    [
        ("The treaty was signed in October 1648.", MARCH, "October 1648", "month",
         "month year: 1648 outside the dates pandas can hold"),
        ("Peace came in 1648.", MARCH, "1648", "year", "year after a cue: 1648 outside the dates pandas can hold"),
        ("The colony was founded on May 3, 0950.", MARCH, "May 3, 0950", "day", "month day: year 950 outside 1000-2999"),
        ("The colony was founded on May 3, 0999.", MARCH, "May 3, 0999", "day", "month day: year 999 outside 1000-2999"),
        ("The colony was founded on May 3, 1000.", MARCH, "May 3, 1000", "day",
         "month day: 1000 outside the dates pandas can hold"),
        ("The colony will be founded on May 3, 2999.", MARCH, "May 3, 2999", "day",
         "month day: 2999 outside the dates pandas can hold"),
        ("The colony will be founded on May 3, 3000.", MARCH, "May 3, 3000", "day",
         "month day: year 3000 outside 1000-2999"),
        ("The harvest failed last year.", pd.Timestamp("1678-05-01"), "last year", "year",
         "relative: 1677 outside the dates pandas can hold"),
        # pandas holds 1677-09-22 to 2262-04-11: a publication day near either end moves a date past it,
        # and the date keeps the granularity its words give.
        ("Demand will double next year.", pd.Timestamp("2262-03-01"), "next year", "year",
         "relative: 2263 outside the dates pandas can hold"),
        ("Prices will settle next month.", pd.Timestamp("2262-04-05"), "next month", "month",
         "relative: 2262 outside the dates pandas can hold"),
        ("Profits will recover next quarter.", pd.Timestamp("2262-04-05"), "next quarter", "quarter",
         "relative: 2262 outside the dates pandas can hold"),
        ("Talks resume next week.", pd.Timestamp("2262-04-10"), "next week", "week",
         "relative: 2262 outside the dates pandas can hold"),
        ("Crowds are expected next weekend.", pd.Timestamp("2262-04-08"), "next weekend", "week",
         "relative: 2262 outside the dates pandas can hold"),
        ("He leaves tomorrow.", pd.Timestamp("2262-04-11"), "tomorrow", "day",
         "relative: 2262 outside the dates pandas can hold"),
        ("The plant closed three years ago.", pd.Timestamp("1678-05-01"), "three years ago", "year",
         "ago: 1675 outside the dates pandas can hold"),
        ("The mine flooded two months ago.", pd.Timestamp("1677-10-15"), "two months ago", "month",
         "ago: 1677 outside the dates pandas can hold"),
        ("Sales rose in the latest quarter.", pd.Timestamp("1677-10-15"), "the latest quarter", "quarter",
         "latest quarter: 1677 outside the dates pandas can hold"),
        ("The fair opened this January.", pd.Timestamp("1677-10-01"), "this January", "month",
         "month: 1677 outside the dates pandas can hold"),
        ("Output rose in the third quarter.", pd.Timestamp("1677-10-01"), "third quarter", "quarter",
         "quarter: 1677 outside the dates pandas can hold"),
        # A Wednesday: the Friday before is 1677-09-17, the Monday after 2262-04-14 (a Wednesday too).
        ("They met last Friday.", pd.Timestamp("1677-09-22"), "last Friday", "day",
         "weekday: 1677 outside the dates pandas can hold"),
        ("They meet next Monday.", pd.Timestamp("2262-04-09"), "next Monday", "day",
         "weekday: 2262 outside the dates pandas can hold"),
    ],
)
def test_dates_no_calendar_can_hold_are_recorded_not_guessed(sentence, published, text, granularity, why):
    [found] = find_dates(sentence, published)
    assert (found.text, found.date, found.granularity, found.rule) == (text, None, granularity, why)


def test_a_date_past_what_pandas_holds_leaves_nat_in_the_frame():
    articles, sentences = _frames("They met last Friday.\n\nThey meet again next Monday.", "1677-09-22")
    dates = resolve_dates(articles, sentences)
    assert dates["text"].tolist() == ["last Friday", "next Monday"]
    assert dates["date"].isna().tolist() == [True, False]
    assert dates["date"].iloc[1] == pd.Timestamp("1677-09-27")


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


def test_the_frame_gives_article_offsets_and_each_sentences_own_country():
    texts = {
        "a": "Crowds filled Mexico City on Monday.\n\nMexican bands played in Mexico City.\n\n"
             "India marked Independence Day too.\n\nThe Independence Day parade went ahead.",
        # one country each: the article has none, and a holiday its sentence does not tie stays unresolved
        "b": "Indian and Mexican envoys met.\n\nThe Independence Day parade went ahead.",
    }
    articles = pd.DataFrame({"article_id": list(texts), "text": list(texts.values()),
                             "published": [pd.Timestamp("2025-10-01")] * 2})  # a Wednesday
    dates = resolve_dates(articles, split(articles))
    assert [texts[a][s:e] for a, s, e in zip(dates["article_id"], dates["start"], dates["end"])] == \
        ["Monday", "Independence Day", "Independence Day", "Independence Day"]
    assert list(zip(dates["article_id"], dates["sentence_id"], dates["start"])) == [("a", 0, 29), ("a", 2, 89),
                                                                                      ("a", 3, 116), ("b", 1, 36)]
    assert dates["date"].tolist() == [pd.Timestamp("2025-09-29"), pd.Timestamp("2025-08-15"),
                                      pd.Timestamp("2025-09-16"), pd.NaT]
    assert dates["rule"].tolist() == [
        "weekday: back, past tense 'filled'",
        "holiday: country India named in the sentence; back, past tense 'marked'",  # India, not the article's Mexico
        "holiday: the article's country, Mexico; back, past tense 'went'",  # Mexico named 3 times, India once
        "holiday: no country for this holiday",  # India and Mexico once each
    ]


def test_entities_place_their_country_in_the_sentence_by_offset():
    """Entities' offsets are the article's; the country nearest the holiday in its sentence wins."""
    articles, sentences = _frames("Officials gathered in the capital early.\n\n"
                                  "Monterrey and Delhi marked Independence Day.", "2025-08-20")
    assert sentences["start"].tolist() == [0, 42]
    entities = pd.DataFrame({
        "article_id": ["a"] * 3, "sentence_id": [0, 1, 1], "start": [0, 42, 56],
        "text": ["Officials", "Monterrey", "Delhi"], "label": ["NORP", "GPE", "GPE"],
        "country": [None, "Mexico", "India"],
        "tone": ["neutral", "neutral", None],  # a column the stage does not read may be missing
    })
    [found] = resolve_dates(articles, sentences, entities).itertuples()
    assert (found.text, found.date) == ("Independence Day", pd.Timestamp("2025-08-15"))
    assert found.rule == "holiday: country India named in the sentence; back, past tense 'marked'"


def test_entities_of_sentences_left_out_still_give_the_articles_country():
    articles, sentences = _frames("Mexico City hosted the parade.\n\nThe Independence Day parade went ahead.",
                                  "2025-09-20")
    entities = pd.DataFrame({"article_id": ["a"], "sentence_id": [0], "start": [0], "country": ["Mexico"]})
    dates = resolve_dates(articles, sentences[sentences["sentence_id"] == 1], entities)
    assert dates[["sentence_id", "start", "date"]].values.tolist() == [[1, 36, pd.Timestamp("2025-09-16")]]
    assert dates["rule"].iloc[0] == "holiday: the article's country, Mexico; back, past tense 'went'"


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
    ("Talks resumed on Thursday.", "Thursday", "day", "weekday"),
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


def test_a_rule_skips_only_its_matches_that_overlap_an_earlier_rules():
    found = find_dates("The accord of June 2, 1986, ran until 1990.", PUBLISHED)
    assert [(e.text, e.rule) for e in found] == [("June 2, 1986", "month day: year given"), ("1990", "year: year given")]


@pytest.mark.parametrize("first", [0, 1])
def test_expressions_that_touch_without_overlapping_are_both_kept(first):
    dawn = DateRule("dawn", r"\bdawn\b", lambda m, c: Resolved(c.published, "day", "publication day"))
    dusk = DateRule("to dusk", r"-to-dusk\b", lambda m, c: Resolved(c.published, "day", "publication day"))
    rules = [dawn, dusk] if first == 0 else [dusk, dawn]
    found = find_dates("A dawn-to-dusk curfew.", PUBLISHED, rules=rules)
    assert [(e.text, e.start, e.end) for e in found] == [("dawn", 2, 6), ("-to-dusk", 6, 14)]


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


# ---- each resolver, phrase by phrase (published on Friday 4 July 2025 unless said) --------------------------------

@pytest.mark.parametrize(("sentence", "text", "date", "granularity", "why"), [
    # ago: publication moved back by the count, at the unit's granularity
    ("The strike began three days ago.", "three days ago", "2025-07-01", "day", "ago: back, 'ago'"),
    ("Prices peaked a month ago.", "a month ago", "2025-06-01", "month", "ago: back, 'ago'"),
    ("Margins were thinner two quarters ago.", "two quarters ago", "2025-01-01", "quarter", "ago: back, 'ago'"),
    ("The mill opened 12 years ago.", "12 years ago", "2013-01-01", "year", "ago: back, 'ago'"),
    ("Talks collapsed several weeks ago.", "several weeks ago", None, "week", "ago: count not given"),
    # relative: fixed days, parts of the day, and this / last / next unit
    ("Tomorrow the talks resume.", "Tomorrow", "2025-07-05", "day", "relative: 'tomorrow'"),
    ("The vote is today.", "today", "2025-07-04", "day", "relative: 'today'"),
    ("Crowds gathered tonight.", "tonight", "2025-07-04", "day", "relative: 'tonight'"),
    ("He spoke this evening.", "this evening", "2025-07-04", "day", "relative: publication day"),
    ("Trading was thin this week.", "this week", "2025-06-30", "week", "relative: 'this week'"),
    ("Trading was thin the previous week.", "the previous week", "2025-06-23", "week", "relative: 'previous week'"),
    ("Output will rise in the coming month.", "the coming month", "2025-08-01", "month", "relative: 'coming month'"),
    ("PRICES FELL LAST MONTH.", "LAST MONTH", "2025-06-01", "month", "relative: 'last month'"),
    ("Profits rose in the current quarter.", "the current quarter", "2025-07-01", "quarter",
     "relative: 'current quarter'"),
    ("Profits fell last quarter.", "last quarter", "2025-04-01", "quarter", "relative: 'last quarter'"),
    ("Profits will grow next quarter.", "next quarter", "2025-10-01", "quarter", "relative: 'next quarter'"),
    ("Elections are due next year.", "next year", "2026-01-01", "year", "relative: 'next year'"),
    ("Rents rose later this month.", "later this month", "2025-07-01", "month", "relative: 'this month'"),
    # a weekend is its week, dated by its Saturday; "this weekend" told in the past before it came is the one before
    ("Crowds are expected this weekend.", "this weekend", "2025-07-05", "week",
     "relative: 'this weekend', dated by its Saturday"),
    ("The fair opens this weekend.", "this weekend", "2025-07-05", "week",
     "relative: 'this weekend', dated by its Saturday"),
    ("Protesters marched this weekend.", "this weekend", "2025-06-28", "week",
     "relative: the weekend before, past tense 'marched'"),
    ("Protesters marched last weekend.", "last weekend", "2025-06-28", "week",
     "relative: 'last weekend', dated by its Saturday"),
    ("Crowds are expected next weekend.", "next weekend", "2025-07-12", "week",
     "relative: 'next weekend', dated by its Saturday"),
    # weekday: the word, else the tense or cue, else the latest on or before publication (a Friday)
    ("They met last Thursday.", "last Thursday", "2025-07-03", "day", "weekday: back, 'last'"),
    ("PRICES PEAKED LAST FRIDAY.", "LAST FRIDAY", "2025-06-27", "day", "weekday: back, 'last'"),
    ("They meet next Friday.", "next Friday", "2025-07-11", "day", "weekday: forward, 'next'"),
    ("They meet this Friday.", "this Friday", "2025-07-04", "day", "weekday: forward, 'this'"),
    ("They meet this Sunday.", "this Sunday", "2025-07-06", "day", "weekday: forward, 'this'"),
    ("They meet this coming Monday.", "this coming Monday", "2025-07-07", "day", "weekday: forward, 'this coming'"),
    ("They meet coming Thursday.", "coming Thursday", "2025-07-10", "day", "weekday: forward, 'coming'"),
    ("The board will vote on Friday.", "Friday", "2025-07-04", "day", "weekday: forward, future tense 'will'"),
    ("The board will vote on Thursday.", "Thursday", "2025-07-10", "day", "weekday: forward, future tense 'will'"),
    ("Talks resumed on Wednesday.", "Wednesday", "2025-07-02", "day", "weekday: back, past tense 'resumed'"),
    ("The dividend is payable Thursday.", "Thursday", "2025-07-03", "day", "weekday: latest on or before publication"),
    ("The dividend is payable Friday.", "Friday", "2025-07-04", "day", "weekday: latest on or before publication"),
    # month alone: its first day; "last" / "next" strictly before / after publication's month
    ("Sales peaked last November.", "last November", "2024-11-01", "month", "month: back, 'last'"),
    ("Sales peaked last July.", "last July", "2024-07-01", "month", "month: back, 'last'"),
    ("Sales will peak next July.", "next July", "2026-07-01", "month", "month: forward, 'next'"),
    ("Sales will peak next March.", "next March", "2026-03-01", "month", "month: forward, 'next'"),
    ("Sales will peak this December.", "this December", "2025-12-01", "month", "month: publication year, 'this'"),
    ("Sales peaked this January.", "this January", "2025-01-01", "month", "month: publication year, 'this'"),
    ("The law takes effect in July.", "July", "2025-07-01", "month", "month: nearest to publication"),
    ("The law takes effect in January.", "January", "2025-01-01", "month", "month: nearest to publication"),
    ("The law takes effect in December.", "December", "2025-12-01", "month", "month: nearest to publication"),
    ("The plant will reopen in July.", "July", "2025-07-01", "month", "month: forward, future tense 'will'"),
    ("The plant will reopen in June.", "June", "2026-06-01", "month", "month: forward, future tense 'will'"),
    ("Exports fell in August.", "August", "2024-08-01", "month", "month: back, past tense 'fell'"),
    ("Exports fell in July.", "July", "2025-07-01", "month", "month: back, past tense 'fell'"),
    ("The strike began in mid-May.", "mid-May", "2025-05-01", "month", "month: back, past tense 'began'"),
    ("Sales rose in early Dec.", "early Dec.", "2024-12-01", "month", "month: back, past tense 'rose'"),
    ("Exports reached a record in Dec. 1986.", "Dec. 1986", "1986-12-01", "month", "month year: year given"),
    ("The 1986/87 crop was large.", "1986/87", "1986-01-01", "year", "split year: year given"),
    # holidays: fixed ones anywhere, others in the nearest named country that keeps them
    ("Shops shut on Christmas Day.", "Christmas Day", "2025-12-25", "day",
     "holiday: same date everywhere; nearest to publication"),
    ("The parade is on Bastille Day.", "Bastille Day", "2025-07-14", "day",
     "holiday: same date everywhere; nearest to publication"),
    ("Crowds cheered on Bastille Day.", "Bastille Day", "2024-07-14", "day",
     "holiday: same date everywhere; back, past tense 'cheered'"),
    ("Americans in France marked Memorial Day.", "Memorial Day", "2025-05-26", "day",
     "holiday: country United States named in the sentence; back, past tense 'marked'"),
    ("French workers marked Thanksgiving.", "Thanksgiving", None, "day", "holiday: not a holiday of France"),
    ("Crowds marked Independence Day.", "Independence Day", None, "day", "holiday: no country for this holiday"),
    ("US shoppers will crowd the stores on Thanksgiving.", "Thanksgiving", "2025-11-27", "day",
     "holiday: country United States named in the sentence; forward, future tense 'will'"),
    ("Markets in Portugal were shut for the Corpus Christi holiday.", "Corpus Christi holiday", "2025-06-19", "day",
     "holiday: country Portugal named in the sentence; back, past tense 'were'"),
])
def test_each_resolver_dates_real_phrases(sentence, text, date, granularity, why):
    (found,) = find_dates(sentence, PUBLISHED)
    assert (found.text, None if found.date is None else found.date.strftime("%Y-%m-%d"), found.granularity,
            found.rule) == (text, date, granularity, why)


@pytest.mark.parametrize(("sentence", "expression", "expected"), [
    ("The talks will resume on Friday.", "Friday", (1, "future tense 'will'")),
    ("Talks resumed on Friday.", "Friday", (-1, "past tense 'resumed'")),
    ("Talks resumed in Geneva on Friday.", "Friday", (-1, "past tense 'resumed'")),  # 4 words away: still counts
    ("Prices fell sharply across the region on Friday.", "Friday", (0, "")),  # 6 words away: too far
    ("The rally held Friday will draw crowds.", "Friday", (-1, "past tense 'held'")),  # as near: the left wins
    ("The deal signed Friday could collapse.", "Friday", (-1, "past tense 'signed'")),  # whatever the words
    ("The summit on Friday in central Geneva was tense.", "Friday", (-1, "past tense 'was'")),  # 4 words after
    ("Talks on Friday ended, and new ones will start.", "Friday", (-1, "past tense 'ended'")),
    ("On Friday, officials said the talks failed.", "Friday", (0, "")),  # after a comma: another clause
    # a passive participle is no past tense; a future auxiliary before it is
    ("A deal could be reached by Friday.", "Friday", (1, "future tense 'could'")),
    ("A deal was reached on Friday.", "Friday", (-1, "past tense 'reached'")),
    ("A deal has been signed on Friday.", "Friday", (0, "")),
    ("Talks being held on Friday matter most.", "Friday", (0, "")),
    ("Being held on Friday, the vote drew crowds.", "Friday", (0, "")),  # "Being" opens the sentence
    ("A deal has been     reached on Friday.", "Friday", (0, "")),  # however much space follows "been"
    # "'ll" on any word, with either apostrophe
    ("We\u2019ll vote on Friday.", "Friday", (1, "future tense 'we\u2019ll'")),
    ("We'll vote on Friday.", "Friday", (1, "future tense 'we'll'")),
    ("Friday we'll vote on the bill.", "Friday", (1, "future tense 'we'll'")),  # after it, no auxiliary before
    ("Friday we\u2019ll vote on the bill.", "Friday", (1, "future tense 'we\u2019ll'")),
    # a colon or semicolon after it ends its clause too
    ("Payrolls data on Friday: expected to show gains.", "Friday", (0, "")),
    ("Payrolls data on Friday; expected to show gains.", "Friday", (0, "")),
    # words in -ed that are no verbs in the past, and short ones
    ("Talks proceed on Friday.", "Friday", (0, "")),
    ("Ambassador Fred Hill arrives on Friday.", "Friday", (0, "")),
    ("Shares added 2 pct on Friday.", "Friday", (-1, "past tense 'added'")),
    # "is to", "set to"
    ("The minister is to visit on Friday.", "Friday", (1, "future tense 'is'")),
    ("Prices are set to rise on Monday.", "Monday", (1, "future tense 'set'")),
    # a future auxiliary anywhere earlier in the clause, not in the clause before
    ("The committee will meet in the Swiss city of Geneva on Thursday.", "Thursday", (1, "future tense 'will'")),
    ("They\u2019ll sign it in the Paris office of the firm on Wednesday.", "Wednesday", (1, "future tense 'they\u2019ll'")),
    ("Asked whether they would stay, the delegates of both sides sat in the hall on Thursday.", "Thursday", (0, "")),
    ("The talks, which will resume, drew the envoys of both sides to a hall in Geneva on Thursday.", "Thursday",
     (0, "")),  # the clause after the last comma
    ("The leaders will meet President Xi at the summit in Beijing on Thursday.", "Thursday",
     (1, "future tense 'will'")),  # only punctuation ends a clause
    # a cue just before it, in any case
    ("The tariffs apply from Monday.", "Monday", (1, "cue 'from'")),
    ("Payments begin no later than Friday.", "Friday", (1, "cue 'no later than'")),
    ("Deliveries resume starting on Monday.", "Monday", (1, "cue 'starting'")),
    ("Send the forms BY FRIDAY.", "FRIDAY", (1, "cue 'by'")),
    ("The mills have run since March, the union said.", "March", (-1, "cue 'since'")),
    ("Since March, exports have fallen.", "March", (-1, "cue 'since'")),  # the cue opens the sentence
    # words of any length: the fourth word before still counts, however far back it starts
    (f"Talks ended {'x' * 40} {'y' * 40} on Friday.", "Friday", (-1, "past tense 'ended'")),
    (f"Talks ended in {'x' * 40} {'y' * 40} on Friday.", "Friday", (0, "")),
    # the word before a tense word is read back to the space before it, even at the sentence's start
    ("Been held on Friday, the vote drew crowds.", "Friday", (0, "")),
    ("It has \u201cbeen\u201d held on Friday.", "Friday", (-1, "past tense 'held'")),  # "been" in quotes: no passive
    ("Resumed on Friday, the talks drew crowds.", "Friday", (-1, "past tense 'resumed'")),  # the sentence's first word
    # the end of a longer word is no word: "goodwill" holds no "will", however the text around it is cut
    (f"Talks on goodwill {'x' * 29} {'y' * 25} on Friday.", "Friday", (0, "")),
    # the nearer marker wins from either side; one 5 words after is too far
    ("The deal signed on Friday will collapse.", "Friday", (1, "future tense 'will'")),
    ("Talks on Friday in the city of Geneva ended.", "Friday", (0, "")),
    # scraped text without a space after the mark: the clause still starts right after it
    ("Strike over;will reopen the plant in Turin on Monday.", "Monday", (1, "future tense 'will'")),
])
def test_direction_reads_tense_clause_and_cue(sentence, expression, expected):
    start = sentence.index(expression)
    assert dates.direction(sentence, start, start + len(expression)) == expected


@pytest.mark.parametrize(("sentence", "published", "expected"), [
    # the nearest occurrence; of two as near (2024 is a leap year: 183 days either way) the earlier
    ("The dividend is payable January 1.", "2024-07-02", ("January 1", "2024-01-01", "month day: nearest to publication")),
    ("The talks end Friday, December 19.", "2025-07-04",
     ("Friday, December 19", "2025-12-19", "month day: nearest to publication")),
    ("Fireworks light up the sky on the 4th of July.", "2025-07-04",
     ("4th of July", "2025-07-04", "day month: nearest to publication")),
    ("The plant opened on 15 March 1987.", "2025-07-04", ("15 March 1987", "1987-03-15", "day month: year given")),
    # forward and back both include the publication day itself
    ("Bids are due by March 4.", "2025-03-04", ("March 4", "2025-03-04", "month day: forward, future tense 'due'")),
    ("The accord was signed on March 4.", "2025-03-04", ("March 4", "2025-03-04", "month day: back, past tense 'signed'")),
    # 29 February: the leap year nearby, else no such day; none in the direction told, none at all
    ("The meeting is on February 29.", "2025-03-04", ("February 29", "2024-02-29", "month day: nearest to publication")),
    ("The meeting is on February 29.", "2022-03-01", ("February 29", None, "month day: no such day")),
    ("Bids are due by February 29.", "2024-03-04", ("February 29", None, "month day: forward, future tense 'due'")),
    ("Prices have risen since February 29.", "2024-02-01", ("February 29", None, "month day: back, cue 'since'")),
])
def test_month_and_day_choose_their_year(sentence, published, expected):
    (found,) = find_dates(sentence, pd.Timestamp(published))
    assert (found.text, None if found.date is None else found.date.strftime("%Y-%m-%d"), found.rule) == expected
    assert found.granularity == "day"


def test_a_date_deep_in_a_long_sentence_is_read_as_in_a_short_one():
    """Scraped text without full stops makes sentences of thousands of words: each date is still read from the
    words around it and its own clause, and the sentence is not read afresh for each of them."""
    clause = "the union said talks resumed on Friday and a deal will be signed by March 15 and "
    short = find_dates(clause.strip() + ".", PUBLISHED)
    long = find_dates((clause * 1000).strip() + ".", PUBLISHED)
    assert [(e.text, e.rule) for e in short] == [("Friday", "weekday: back, past tense 'resumed'"),
                                                 ("March 15", "month day: forward, future tense 'will'")]
    assert len(long) == 2000
    assert [(e.text, e.rule, e.date) for e in long[-2:]] == [(e.text, e.rule, e.date) for e in short]
    assert [e.start for e in long[-2:]] == [e.start + 999 * len(clause) for e in short]


def test_a_future_auxiliary_counts_however_far_back_its_clause_began():
    sentence = "The committee will " + "meet the envoys of both sides in the hall " * 200 + "on Thursday."
    start = sentence.index("Thursday")
    assert dates.direction(sentence, start, start + len("Thursday")) == (1, "future tense 'will'")
    cut = sentence.replace("hall meet", "hall; meet", 1)
    assert dates.direction(cut, start + 1, start + 1 + len("Thursday")) == (0, "")


def test_a_span_is_free_up_to_where_a_taken_one_ends():
    taken = [(3, 9), (12, 20)]
    assert [dates._free(taken, start, end) for start, end in [(0, 3), (9, 12), (20, 25), (8, 10), (0, 25), (19, 21)]] \
        == [True, True, True, False, False, False]
    assert dates._free([], 0, 5)


def test_a_bare_day_already_taken_by_an_earlier_rule_is_not_dated_twice():
    day_month_first = sorted(DEFAULT_RULES, key=lambda rule: rule.name != "day month")
    found = find_dates("The talks ran from May 16 and 26 June.", PUBLISHED, rules=day_month_first)
    assert [e.text for e in found] == ["May 16", "26 June"]


def test_a_bare_day_after_a_month_day_takes_its_month_and_offsets():
    found = find_dates("Talks ran May 16-18, and again on June 3 or 4.", PUBLISHED)
    assert [(e.text, e.start, e.end, e.date.strftime("%Y-%m-%d"), e.rule) for e in found] == [
        ("May 16", 10, 16, "2025-05-16", "month day: back, past tense 'ran'"),
        ("18", 17, 19, "2025-05-18", "month day: back, past tense 'ran'"),
        ("June 3", 34, 40, "2025-06-03", "month day: nearest to publication"),
        ("4", 44, 45, "2025-06-04", "month day: nearest to publication"),
    ]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Sales fell in May and 26 stores closed.", ["May"]),  # a month alone
    ("Shares fell on Monday and 12 of the 30 stocks closed lower.", ["Monday"]),
    ("The first plant opened on March 15, 1987 and 3 more opened in 1990.", ["March 15, 1987", "1990"]),  # a year given
])
def test_only_a_month_and_day_without_a_year_takes_the_bare_day_after_it(sentence, expected):
    assert [e.text for e in find_dates(sentence, PUBLISHED)] == expected


@pytest.mark.parametrize(("sentence", "published", "kwargs", "expected"), [
    # a name the calendar lists with a qualifier, or beside another holiday of the same day
    ("Indian banks were shut for the Janmashtami holiday.", "2025-08-20", {},
     ("Janmashtami holiday", "2025-08-16", "country India named in the sentence; back, past tense 'were'")),
    ("Indian markets will close for the Dussehra holiday.", "2025-09-20", {},
     ("Dussehra holiday", "2025-10-02", "country India named in the sentence; forward, future tense 'will'")),
    ("Indian families will celebrate Diwali.", "2025-10-01", {},
     ("Diwali", "2025-10-20", "country India named in the sentence; forward, future tense 'will'")),
    ("Shops close early on New Year\u2019s Eve.", "2025-07-04", {},
     ("New Year\u2019s Eve", "2025-12-31", "same date everywhere; nearest to publication")),
    # the nearer of two countries named
    ("Mexican and Indian envoys marked Independence Day.", "2025-09-20", {},
     ("Independence Day", "2025-08-15", "country India named in the sentence; back, past tense 'marked'")),
    # the article's country when the sentence names none; the countries given instead of those the text names
    ("Crowds marked Independence Day.", "2025-07-04", {"article_country": "India"},
     ("Independence Day", "2024-08-15", "the article's country, India; back, past tense 'marked'")),
    ("Crowds marked Independence Day.", "2025-07-04", {"article_country": "India", "countries": [(0, "Mexico")]},
     ("Independence Day", "2024-09-16", "country Mexico named in the sentence; back, past tense 'marked'")),
    # every country tried is named once in the reason
    ("French workers marked Thanksgiving.", "2025-07-04", {"article_country": "France"},
     ("Thanksgiving", None, "not a holiday of France")),
    ("French workers marked Thanksgiving.", "2025-07-04", {"article_country": "Germany"},
     ("Thanksgiving", None, "not a holiday of France, Germany")),
    ("Crowds in Narnia marked Independence Day.", "2025-09-20", {"countries": [(10, "Narnia")]},
     ("Independence Day", None, "not a holiday of Narnia")),
    ("French workers in France marked Thanksgiving.", "2025-07-04", {}, ("Thanksgiving", None, "not a holiday of France")),
    # two countries as near the holiday: the one before it
    ("Crowds at Independence Day parades cheered.", "2025-09-20", {"countries": [(20, "Mexico"), (0, "India")]},
     ("Independence Day", "2025-08-15", "country India named in the sentence; back, past tense 'cheered'")),
])
def test_holidays_by_country(sentence, published, kwargs, expected):
    (found,) = find_dates(sentence, pd.Timestamp(published), **kwargs)
    assert (found.text, None if found.date is None else found.date.strftime("%Y-%m-%d"),
            found.rule.removeprefix("holiday: ")) == expected


@pytest.mark.parametrize("limit", [pd.Timestamp.min, pd.Timestamp.max])
def test_a_user_rule_may_date_at_the_very_limits_pandas_holds(limit):
    edge = DateRule("edge", r"\bedge\b", lambda match, context: Resolved(limit, "day", "a limit"))
    [found] = find_dates("At the edge.", PUBLISHED, rules=[edge])
    assert (found.date, found.rule) == (limit, "edge: a limit")


def test_holiday_date_outside_the_calendar_is_none():
    assert holiday_date("Independence Day", "India", 2025) == pd.Timestamp("2025-08-15")
    assert holiday_date("Independence Day", "India", 3000) is None
    assert holiday_date("Independence Day", "India", 999) is None
    assert holiday_date("Independence Day", "Narnia", 2025) is None


def test_the_publication_day_is_the_day_without_its_time():
    [found] = find_dates("The vote is today.", pd.Timestamp("2025-07-04 18:30"))
    assert found.date == pd.Timestamp("2025-07-04")
    [found] = find_dates("The vote is today.", pd.NaT)
    assert (found.date, found.rule) == (None, "relative: no publication date")


@pytest.mark.parametrize(("sentence", "published", "expected"), [
    # published on the Saturday: "this weekend" told in the past is the one under way
    ("Protesters marched this weekend.", "2025-07-05", ("this weekend", "2025-07-05", "week")),
    # the month before or after publication's that a calendar here can hold: none
    ("Sales peaked last July.", "1677-10-01", ("last July", None, "month")),
    ("Sales will peak next March.", "2262-04-01", ("next March", None, "month")),
])
def test_relative_months_and_weekends_at_their_edges(sentence, published, expected):
    (found,) = find_dates(sentence, pd.Timestamp(published))
    assert (found.text, None if found.date is None else found.date.strftime("%Y-%m-%d"), found.granularity) == expected

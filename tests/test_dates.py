import pandas as pd
import pytest

from toolkit.dates import find_dates

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
        ("It happened last week.", [("last week", None, "day")]),
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


def test_unknown_publication_keeps_expressions_with_nat():
    found = find_dates("They met on Thursday and on May 16, in 2022.", None)
    assert [(e.text, e.date) for e in found] == [
        ("Thursday", None), ("May 16", None), ("2022", pd.Timestamp("2022-01-01")),
    ]

"""View rules: one place for tone, buckets and date formats, portable to every platform."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from toolkit import viewrules
from toolkit.viewrules import bucket_text, date_text, default_axis, default_freq, tone_of

PACKAGE = Path(viewrules.__file__).resolve().parent


@pytest.mark.parametrize("days, freq", [(0, "D"), (40, "D"), (62, "D"), (63, "W"), (731, "W"), (4 * 365, "M"),
                                        (20 * 365, "Q"), (40 * 365, "Y")])
def test_bucket_size_follows_the_span(days, freq):
    start = pd.Timestamp("2021-01-01")
    assert default_freq(pd.Series([start, start + pd.Timedelta(days=days), pd.NaT])) == freq


def test_dates_centuries_apart_get_years():
    """Reuters names "1700" and "2080": 380 years, longer than a nanosecond Timedelta holds (292 years)."""
    assert default_freq(pd.Series(pd.to_datetime(["1700-01-01", "1987-03-02", "2080-01-01"]))) == "Y"


@pytest.mark.parametrize("bucket, by, freq, text", [
    (pd.Timestamp("2025-05-05"), "published", "D", "Mon 5 May 2025"),
    (pd.Timestamp("2025-05-05"), "event", "W", "week of 5 May 2025"),
    (pd.Timestamp("2025-05-01"), "published", "M", "May 2025"),
    (pd.Timestamp("2025-04-01"), "published", "Q", "Q2 2025"),
    (pd.Timestamp("2025-01-01"), "published", "Y", "2025"),
    (pd.NaT, "event", "D", "undated"),
    (0.4, "position", "", "40–50% into the article"),
])
def test_buckets_as_people_read_them(bucket, by, freq, text):
    assert bucket_text(bucket, by, freq) == text


def test_dates_as_precise_as_known_and_tone_classes():
    assert date_text(pd.Timestamp("2025-07-04"), "day") == "Fri 4 Jul 2025"
    assert date_text(pd.Timestamp("2025-07-01"), "month") == "Jul 2025"
    assert [tone_of(c) for c in (0.05, 0.0499, -0.05)] == ["positive", "neutral", "negative"]
    assert default_axis(pd.Series(pd.to_datetime(["2025-07-04 09:00", "2025-07-04 18:00"]))) == "position"


def test_no_module_uses_platform_specific_date_formats():
    """`%-d` and friends are glibc extensions: Windows' strftime refuses them."""
    offenders = [f"{path.name}:{n}" for path in sorted(PACKAGE.glob("*.py"))
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if re.search(r"%-[a-zA-Z]", line) and "no `%-d`" not in line]
    assert offenders == []


def test_views_take_tone_colours_and_thresholds_from_the_view_rules():
    """No view writes its own tone colour or threshold: they read toolkit.viewrules."""
    for name in ("plots.py", "explore.py", "report.py", "sentence_table.py", "timeline.py"):
        source = (PACKAGE / name).read_text(encoding="utf-8")
        assert not re.search(r"#[0-9a-fA-F]{6}\"\s+if\s+compound", source), name
        assert "0.05 else" not in source and ">= 0.05" not in source and "<= -0.05" not in source, name
        assert "Category10" not in source and "%-d" not in source, name

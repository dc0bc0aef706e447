"""Near-duplicate articles: flagged against the earliest earlier copy, and left out of mentions over time."""

from __future__ import annotations

import random

import pandas as pd

import toolkit
from toolkit import dedup
from toolkit.dedup import near_duplicates
from tests.conftest import SAMPLE

WORDS = ("oil price bank rate shares company said percent market trade year government tonnes exports "
         "profit quarter dollar yen wheat coffee talks minister deal billion").split()


def story(seed: int, length: int = 300) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) + str(rng.randrange(50)) for _ in range(length)) + "."


def frame(texts: list[str], published: list[str | None] | None = None) -> pd.DataFrame:
    return pd.DataFrame({
        "article_id": pd.array([f"a{i}" for i in range(len(texts))], dtype="string"),
        "text": pd.array(texts, dtype="string"),
        "published": pd.to_datetime(published or [None] * len(texts)),
    })


def test_a_near_copy_points_to_the_earlier_article_and_others_stay_empty():
    original = story(1)
    words = original.split()
    words[150] = "changed"
    flags = near_duplicates(frame([original, story(2), " ".join(words), original, story(3)]))
    assert flags.tolist() == [pd.NA, pd.NA, "a0", "a0", pd.NA]
    assert flags.dtype == "string"


def test_a_story_sharing_half_its_text_is_not_a_duplicate():
    first, second = story(1).split(), story(2).split()
    half = " ".join(first[:150] + second[150:])
    assert near_duplicates(frame([story(1), half])).isna().all()


def test_earlier_means_published_earlier_not_listed_first():
    text = story(5)
    flags = near_duplicates(frame([text, text, story(6)], ["1987-03-02", "1987-03-01", None]))
    assert flags.tolist() == ["a1", pd.NA, pd.NA]


def test_short_and_empty_texts_are_compared_whole():
    flags = near_duplicates(frame(["Oil up.", "", "Oil up.", "Oil down."]))
    assert flags.tolist() == [pd.NA, pd.NA, "a0", pd.NA]


def test_the_pipeline_flags_copies_and_timelines_leave_them_out():
    text = "Acme Corp said on Monday it would buy Widget Inc. " + story(7, 120)
    articles = toolkit.from_texts([text, text, "Globex said on Tuesday it sold its stake in Initech."],
                                  published="1987-03-02")
    analysis = toolkit.analyze_articles(articles)
    assert analysis.articles["duplicate_of"].tolist() == [pd.NA, "text-0", pd.NA]
    kept = toolkit.mentions_over_time(analysis, freq="D")
    every = toolkit.mentions_over_time(analysis, freq="D", exclude_duplicates=False)
    assert every["mentions"].sum() > kept["mentions"].sum() > 0
    assert every["sentences"].iloc[0] > kept["sentences"].iloc[0]


def test_a_long_text_is_signed_a_block_at_a_time_with_the_same_signature(monkeypatch):
    """Huge articles are lower-cased and split a block at a time (bounded memory); blocks cut at any
    whitespace, mid-shingle, across Unicode spaces and case changes, give the signature of the whole."""
    texts = [SAMPLE.read_text(encoding="utf-8"), story(3) + "\u2028İstanbul\u00a0ＡＢＣ\x1cend  ", "a b", ""]
    whole = dedup.signatures(texts)
    assert whole[0] and whole[1] and whole[2] and whole[3] == b""
    for block in (1, 7, 40):
        monkeypatch.setattr(dedup, "_BLOCK", block)
        assert dedup.signatures(texts) == whole
    monkeypatch.setattr(dedup, "_BLOCK", 40)
    words = texts[0].lower().split()
    assert len(dedup._word_ids(texts[0], {})) == len(words)  # every word once, none split by a cut

import numpy as np
import pandas as pd
import pytest

from toolkit.pipeline import Analysis
from toolkit.mentions import bucket_starts, wilson_interval
from toolkit.timeline import cooccurrence, mentions_over_time, quotes_by_speaker


@pytest.fixture
def small() -> Analysis:
    """Two articles, hand-built so every expectation below can be computed by hand."""
    articles = pd.DataFrame({"article_id": ["a", "b"], "published": pd.to_datetime(["2025-01-06", "2025-01-20"])})
    sentences = pd.DataFrame({
        "article_id": ["a"] * 4 + ["b"] * 2, "sentence_id": [0, 1, 2, 3, 0, 1],
        "position": [0.0, 1 / 3, 2 / 3, 1.0, 0.0, 1.0], "compound": [0.5, -0.5, 0.0, 0.2, 0.4, -0.4],
    })
    entities = pd.DataFrame({
        "article_id": ["a", "a", "a", "b", "b"], "sentence_id": [0, 0, 3, 0, 1],
        "entity": ["Trump", "Putin", "Trump", "Trump", "Putin"], "label": ["PERSON"] * 5,
        "compound": [0.5, 0.5, 0.2, 0.4, -0.4],
    })
    dates = pd.DataFrame({
        "article_id": ["a", "b"], "sentence_id": [0, 1],
        "date": pd.to_datetime(["2024-12-25", pd.NaT]), "granularity": ["day", "day"],
    })
    return Analysis(articles=articles, sentences=sentences, entities=entities, dates=dates)


def test_by_published_month(small):
    frame = mentions_over_time(small, by="published", freq="M", normalize=True).set_index("entity")
    # One January bucket: 6 sentences; Trump named in 3 of them (a0, a3, b0), Putin in 2 (a0, b1).
    assert frame.loc["Trump", ["mentions", "mention_sentences", "sentences"]].tolist() == [3, 3, 6]
    assert frame.loc["Trump", "share"] == pytest.approx(0.5)
    assert frame.loc["Trump", "compound"] == pytest.approx((0.5 + 0.2 + 0.4) / 3)
    assert frame.loc["Putin", "share"] == pytest.approx(2 / 6)
    assert frame["small"].all()


def test_by_published_week_splits_articles(small):
    frame = mentions_over_time(small, by="published", freq="W", entities=["Trump"])
    assert frame["bucket"].dt.strftime("%Y-%m-%d").tolist() == ["2025-01-06", "2025-01-20"]
    assert frame["mentions"].tolist() == [2, 1] and frame["sentences"].tolist() == [4, 2]
    assert frame["share"].isna().all()


def test_by_event_counts_at_the_date_named_and_keeps_the_undated(small):
    frame = mentions_over_time(small, by="event", freq="D")
    dated, undated = frame[frame["bucket"].notna()], frame[frame["bucket"].isna()]
    assert dated[["entity", "mentions", "sentences"]].values.tolist() == [["Putin", 1, 1], ["Trump", 1, 1]]
    assert dated["bucket"].unique().tolist() == [pd.Timestamp("2024-12-25")]
    # The five sentences that name no resolved date hold Putin once (b1) and Trump twice (a3, b0).
    assert undated[["entity", "mentions", "sentences"]].values.tolist() == [["Putin", 1, 5], ["Trump", 2, 5]]
    assert frame["mentions"].sum() == len(small.entities)


def test_undated_articles_count_as_undated_on_the_published_axis(small):
    small.articles.loc[1, "published"] = pd.NaT
    frame = mentions_over_time(small, by="published", freq="M", entities=["Putin", "Trump"])
    assert frame["bucket"].isna().tolist() == [False, False, True, True]
    assert frame["mentions"].tolist() == [1, 2, 1, 1] and frame["sentences"].tolist() == [4, 4, 2, 2]


def test_a_mention_counts_once_per_bucket_its_sentence_names(small):
    extra = pd.DataFrame({"article_id": ["a"], "sentence_id": [0], "date": [pd.Timestamp("2024-12-31")],
                          "granularity": ["day"]})
    small.dates = pd.concat([small.dates, extra], ignore_index=True)
    by_month = mentions_over_time(small, by="event", freq="M", entities=["Trump"])
    assert by_month.loc[by_month["bucket"].notna(), "mentions"].tolist() == [1]
    by_day = mentions_over_time(small, by="event", freq="D", entities=["Trump"])
    assert by_day.loc[by_day["bucket"].notna(), "mentions"].tolist() == [1, 1]


def test_near_copies_are_left_out_unless_asked_for(small):
    small.articles["duplicate_of"] = [pd.NA, "a"]
    frame = mentions_over_time(small, by="position")
    assert frame["mentions"].sum() == 3
    assert mentions_over_time(small, by="position", exclude_duplicates=False)["mentions"].sum() == 5


def test_by_country_counts_places_and_nationalities_under_their_country(small):
    small.entities["country"] = pd.array(["United States", "Russia", pd.NA, "United States", "Russia"], dtype="string")
    frame = mentions_over_time(small, by="published", freq="M", key="country")
    assert frame[["country", "mentions"]].values.tolist() == [["Russia", 2], ["United States", 2]]
    only = mentions_over_time(small, by="position", key="country", entities=["Russia"])
    assert only["mentions"].sum() == 2 and set(only["country"]) == {"Russia"}


def test_by_country_needs_the_country_column(small):
    with pytest.raises(ValueError, match="no entities.country column"):
        mentions_over_time(small, key="country")


def test_by_position_deciles_and_zero_rows(small):
    frame = mentions_over_time(small, by="position", entities=["Putin"])
    assert frame["bucket"].tolist() == [0.0, 0.3, 0.6, 0.9]
    assert frame["mentions"].tolist() == [1, 0, 0, 1]
    assert frame["sentences"].tolist() == [2, 1, 1, 2]


def test_wilson_interval_matches_hand_computation():
    low, high = wilson_interval(np.array([3]), np.array([6]))
    assert (low[0], high[0]) == pytest.approx((0.18761, 0.81239), abs=1e-5)


def test_unknown_axis_is_refused(small):
    with pytest.raises(ValueError, match="by: expected one of published, event, position, got 'page'"):
        mentions_over_time(small, by="page")


def test_cooccurrence_counts_sentences_naming_both(small):
    pairs = cooccurrence(small)
    assert pairs.values.tolist() == [["Putin", "Trump", 1]]


def test_bucket_starts_for_dates_and_positions():
    dates = pd.Series(pd.to_datetime(["2025-05-07", "2025-05-31"]))
    assert list(bucket_starts(dates, "published", "M")) == [pd.Timestamp("2025-05-01")] * 2
    assert list(bucket_starts(pd.Series([0.0, 0.55, 1.0]), "position", "")) == [0.0, 0.5, 0.9]


@pytest.mark.parametrize("freq", ["fortnight", 7])
def test_a_frequency_that_is_no_period_alias_is_refused(small, freq):
    with pytest.raises(ValueError, match=rf"freq: expected a pandas period alias such as 'D', 'W', 'M', 'Q' or 'Y', got {freq!r}"):
        mentions_over_time(small, freq=freq)


def test_labels_pick_the_mentions_counted(small):
    small.entities.loc[small.entities["entity"] == "Putin", "label"] = "ORG"
    frame = mentions_over_time(small, labels=["ORG"])
    assert set(frame["entity"]) == {"Putin"} and frame["mentions"].sum() == 2
    assert mentions_over_time(small, labels=("PERSON",))["mentions"].sum() == 3


@pytest.fixture
def crowded() -> Analysis:
    """Three sentences: (Kyiv, Putin, Trump), (Kyiv, Trump), (Kyiv, Trump, Ukraine); Ukraine is a place."""
    entities = pd.DataFrame({
        "article_id": "a", "sentence_id": [0, 0, 0, 1, 1, 2, 2, 2, 2],
        "entity": ["Kyiv", "Putin", "Trump", "Kyiv", "Trump", "Kyiv", "Trump", "Ukraine", "Trump"],
        "label": ["GPE", "PERSON", "PERSON", "GPE", "PERSON", "GPE", "PERSON", "GPE", "PERSON"],
    })
    return Analysis(articles=pd.DataFrame({"article_id": ["a"]}), sentences=pd.DataFrame(), entities=entities)


def test_cooccurrence_ranks_pairs_by_shared_sentences_then_names(crowded):
    pairs = cooccurrence(crowded)
    assert pairs.values.tolist() == [
        ["Kyiv", "Trump", 3], ["Kyiv", "Putin", 1], ["Kyiv", "Ukraine", 1], ["Putin", "Trump", 1], ["Trump", "Ukraine", 1],
    ]
    assert pairs.index.tolist() == list(range(5))
    assert cooccurrence(crowded, labels=["GPE"]).values.tolist() == [["Kyiv", "Ukraine", 1]]
    assert cooccurrence(crowded, min_sentences=2).values.tolist() == [["Kyiv", "Trump", 3]]


@pytest.fixture
def quoted() -> Analysis:
    """Who said what, by hand: four articles (the last undated), one statement with no speaker."""
    articles = pd.DataFrame({"article_id": ["a", "b", "c", "d"],
                             "published": pd.to_datetime(["2025-01-06", "2025-01-20", "2025-02-03", None])})
    quotes = pd.DataFrame({
        "article_id": ["a", "a", "a", "a", "b", "b", "c", "c", "d"],
        "kind": ["direct", "indirect", "direct", "direct", "mixed", "indirect", "direct", "indirect", "direct"],
        "speaker": pd.array(["Trump", "Trump", "Putin", None, "Trump", "Putin", "Zelenskyy", "Ann Lee", "Trump"],
                            dtype="string"),
        "compound": [0.5, -0.3, -0.6, 0.9, 0.1, -0.2, 0.6, 0.02, 0.0],
        "published": pd.to_datetime(["2025-01-06"] * 4 + ["2025-01-20"] * 2 + ["2025-02-03"] * 2 + [None]),
    })
    return Analysis(articles=articles, sentences=pd.DataFrame(), quotes=quotes)


def test_quotes_by_speaker_counts_each_speakers_statements(quoted):
    table = quotes_by_speaker(quoted)
    assert table.columns.tolist() == ["bucket", "speaker", "quotes", "direct", "reported", "articles", "compound", "tone"]
    assert table["bucket"].isna().all()
    # Trump: 4 statements (2 direct) in 3 articles, mean (0.5 - 0.3 + 0.1 + 0.0) / 4; ties by name.
    assert table.drop(columns=["bucket", "compound"]).values.tolist() == [
        ["Trump", 4, 2, 2, 3, "positive"], ["Putin", 2, 1, 1, 2, "negative"],
        ["Ann Lee", 1, 0, 1, 1, "neutral"], ["Zelenskyy", 1, 1, 0, 1, "positive"],
    ]
    assert table["compound"].tolist() == pytest.approx([0.075, -0.4, 0.02, 0.6])
    assert table.index.tolist() == [0, 1, 2, 3]
    assert table.dtypes.astype(str).tolist() == ["datetime64[ns]", "string", "int64", "int64", "int64", "int64",
                                                 "float64", "string"]


def test_quotes_by_speaker_per_month_keeps_the_undated_last(quoted):
    table = quotes_by_speaker(quoted, freq="M")
    assert table["bucket"].tolist()[:4] == [pd.Timestamp("2025-01-01")] * 2 + [pd.Timestamp("2025-02-01")] * 2
    assert pd.isna(table["bucket"].iloc[4])
    assert table.drop(columns=["bucket", "compound"]).values.tolist() == [
        ["Trump", 3, 1, 2, 2, "positive"], ["Putin", 2, 1, 1, 2, "negative"],
        ["Ann Lee", 1, 0, 1, 1, "neutral"], ["Zelenskyy", 1, 1, 0, 1, "positive"],
        ["Trump", 1, 1, 0, 1, "neutral"],
    ]
    assert table["compound"].tolist() == pytest.approx([0.1, -0.4, 0.02, 0.6, 0.0])
    assert table.index.tolist() == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("speakers", [[], [None], "no columns"])
def test_quotes_by_speaker_with_no_resolved_speaker_is_an_empty_typed_table(quoted, speakers):
    if speakers == "no columns":  # an analysis made by hand, or saved before there were quotes
        quoted.quotes = pd.DataFrame()
    else:
        quoted.quotes = quoted.quotes.iloc[:len(speakers)].assign(speaker=pd.array(speakers, dtype="string"))
    table = quotes_by_speaker(quoted)
    assert table.empty and table.columns.tolist()[:3] == ["bucket", "speaker", "quotes"]
    assert table.dtypes.astype(str).tolist() == ["datetime64[ns]", "string", "int64", "int64", "int64", "int64",
                                                 "float64", "string"]

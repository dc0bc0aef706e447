"""Plots: each returns its Axes, draws what the frame holds, and leaves global rcParams alone."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from toolkit import plots

ENTITY_COLUMNS = ["article_id", "sentence_id", "start", "end", "text", "label", "entity", "compound", "published"]
TIMELINE_COLUMNS = [
    "bucket", "entity", "mentions", "mention_sentences", "sentences", "share", "share_low", "share_high", "small",
    "compound",
]


def make_sentences(n: int = 12, article_id: str = "a1") -> pd.DataFrame:
    """A `sentences` frame of `n` sentences whose tone falls then recovers."""
    compound = np.round(np.sin(np.linspace(0, 2 * np.pi, n)) * -0.8, 4)
    texts = [f"Sentence {i} about Kyiv and Washington." for i in range(n)]
    starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])
    return pd.DataFrame({
        "article_id": article_id, "sentence_id": range(n), "paragraph_id": range(n),
        "start": starts, "end": starts + np.array([len(t) for t in texts]), "text": texts,
        "n_tokens": 7, "neg": 0.0, "neu": 1.0, "pos": 0.0, "compound": compound,
        "sentiment": ["positive" if c >= 0.05 else "negative" if c <= -0.05 else "neutral" for c in compound],
        "position": np.linspace(0, 1, n),
    })


def make_entities(sentences: pd.DataFrame, published: str = "2025-07-04") -> pd.DataFrame:
    """Mentions of a few entities spread over `sentences`, with the contract's columns."""
    names = [("Volodymyr Zelenskyy", "PERSON"), ("Donald Trump", "PERSON"), ("Ukraine", "GPE"),
             ("Russia", "GPE"), ("Vladimir Putin", "PERSON"), ("The Guardian", "ORG")]
    rows = []
    for row in sentences.itertuples():
        for k, (entity, label) in enumerate(names):
            if (row.sentence_id + k) % 3 == 0:
                start = row.start + 2 * k
                rows.append((row.article_id, row.sentence_id, start, start + 5, entity.split()[-1], label,
                             entity, row.compound, pd.Timestamp(published)))
    return pd.DataFrame(rows, columns=ENTITY_COLUMNS)


def make_timeline(normalized: bool = True) -> pd.DataFrame:
    """A `mentions_over_time` frame: three entities over eight weeks, some buckets small."""
    rng = np.random.default_rng(4)
    rows = []
    for k, week in enumerate(pd.date_range("2025-05-05", periods=8, freq="W-MON")):
        sentences = 6 if k == 2 else int(rng.integers(20, 60))
        for entity in ("Donald Trump", "Ukraine", "Vladimir Putin"):
            mentions = int(rng.integers(0, sentences // 2 + 1))
            share = mentions / sentences
            half = 1.96 * np.sqrt(share * (1 - share) / sentences) + 0.02
            rows.append((week, entity, mentions, mentions, sentences, share if normalized else np.nan,
                         max(share - half, 0) if normalized else np.nan,
                         min(share + half, 1) if normalized else np.nan, sentences < 10, rng.uniform(-0.6, 0.4)))
    return pd.DataFrame(rows, columns=TIMELINE_COLUMNS)


def make_pairs() -> pd.DataFrame:
    return pd.DataFrame({
        "entity_a": ["Donald Trump", "Donald Trump", "Ukraine", "Russia", "Donald Trump"],
        "entity_b": ["Vladimir Putin", "Volodymyr Zelenskyy", "Russia", "Vladimir Putin", "Ukraine"],
        "sentences": [4, 3, 5, 2, 1],
    })


def make_dates() -> pd.DataFrame:
    return pd.DataFrame({
        "article_id": "a1", "sentence_id": [3, 7, 12, 13, 13, 16, 9],
        "text": ["Thursday", "Friday", "January", "May 16", "June 2", "2022", "someday"],
        "date": pd.to_datetime(["2025-07-03", "2025-07-04", "2025-01-01", "2025-05-16", "2025-06-02",
                                "2022-01-01", None]),
        "granularity": ["day", "day", "month", "day", "day", "year", "day"],
    })


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_plots_leave_global_rcparams_alone():
    before = dict(plt.rcParams)
    plots.plot_mentions_over_time(make_timeline())
    plots.plot_tone_by_entity(make_entities(make_sentences()))
    assert dict(plt.rcParams) == before


def test_mentions_over_time_draws_a_line_and_band_per_entity():
    timeline = make_timeline()
    ax = plots.plot_mentions_over_time(timeline, top=2)
    assert len(ax.get_legend().get_texts()) == 3  # two entities and the "few sentences" marker
    assert len(ax.collections) == 2  # one 95% band per line
    assert "%" in ax.get_yticklabels()[1].get_text()
    # The two most mentioned names, each line through its weekly shares, each band from its interval.
    totals = timeline.groupby("entity")["mentions"].sum().sort_values(ascending=False)
    lines = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert [line.get_label() for line in lines] == [f"{name} ({totals[name]})" for name in totals.index[:2]]
    for line, band, name in zip(lines, ax.collections, totals.index[:2], strict=True):
        rows = timeline[timeline["entity"] == name].sort_values("bucket")
        expected = rows["share"].where(rows["mentions"] > 0).to_numpy()
        np.testing.assert_allclose(np.asarray(line.get_ydata(), dtype=float), expected)
        assert list(line.get_xdata()) == list(rows["bucket"])
        drawn = band.get_paths()[0].vertices[:, 1]
        mentioned = rows[rows["mentions"] > 0]
        assert np.isclose(drawn.min(), mentioned["share_low"].min()) and np.isclose(drawn.max(), mentioned["share_high"].max())


def test_mentions_over_time_counts_without_bands_when_not_normalized():
    ax = plots.plot_mentions_over_time(make_timeline(normalized=False))
    assert ax.get_ylabel() == "mentions" and not ax.collections


def test_mentions_over_time_position_buckets_and_empty_frame():
    timeline = make_timeline().assign(bucket=lambda f: f["bucket"].rank(method="dense") / 10)
    assert plots.plot_mentions_over_time(timeline).get_xlabel().startswith("place in the article")
    empty = plots.plot_mentions_over_time(make_timeline().iloc[0:0])
    assert "No mentions" in empty.texts[0].get_text()


def test_sentiment_arc_names_each_sentences_entities():
    sentences = make_sentences()
    ax = plots.plot_sentiment_arc(sentences, entities=make_entities(sentences))
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert len(labels) == len(sentences)
    assert labels[0].startswith("Volodymyr Zelenskyy") and labels[0].endswith("· 0")
    assert len(ax.patches) == len(sentences)
    # One bar a sentence, as high (or deep) as its compound: the arc falls, then recovers.
    heights = [bar.get_height() for bar in sorted(ax.patches, key=lambda bar: bar.get_x())]
    np.testing.assert_allclose(heights, sentences["compound"])
    assert min(heights) < -0.7 and max(heights) > 0.7 and heights.index(min(heights)) < heights.index(max(heights))


def test_sentiment_arc_picks_the_article_and_refuses_unknown_ones():
    sentences = pd.concat([make_sentences(5, "a1"), make_sentences(9, "a2")])
    assert len(plots.plot_sentiment_arc(sentences, article_id="a2").patches) == 9
    with pytest.raises(ValueError, match="nope"):
        plots.plot_sentiment_arc(sentences, article_id="nope")


def test_tone_by_entity_orders_by_mean_and_sizes_by_mentions():
    entities = make_entities(make_sentences())
    table = plots.tone_by_entity(entities)
    assert table["mentions"].sum() == len(entities)
    assert ((table["low"] <= table["mean"]) & (table["mean"] <= table["high"])).all()
    ax = plots.plot_tone_by_entity(entities, top=3)
    assert len(ax.get_yticklabels()) == 3
    # The three most mentioned, from most negative to most positive, each dot at its mean.
    top = table.head(3).sort_values("mean")
    assert [t.get_text() for t in ax.get_yticklabels()] == [f"{name}  ({n})" for name, n in top["mentions"].items()]
    dots = ax.collections[-1].get_offsets()
    np.testing.assert_allclose(dots[:, 0], top["mean"])
    assert list(dots[:, 1]) == [0, 1, 2]


def test_cooccurrence_matrix_is_symmetric():
    table = plots.cooccurrence_matrix(make_pairs())
    assert (table.to_numpy() == table.to_numpy().T).all()
    assert table.loc["Ukraine", "Russia"] == 5 and table.loc["Russia", "Ukraine"] == 5
    ax = plots.plot_cooccurrence(make_pairs())
    assert {t.get_text() for t in ax.texts} >= {"5", "4", "1"}
    # The heatmap's cells are the table's counts (empty where a pair never meets), in the table's order.
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names == list(table.index) and names[0] == "Donald Trump"  # 8 shared sentences, the most
    cells = np.asarray(ax.images[0].get_array().filled(np.nan), dtype=float)
    np.testing.assert_array_equal(cells, table.where(table > 0).to_numpy(dtype=float))
    assert {(round(t.get_position()[1]), round(t.get_position()[0]), t.get_text()) for t in ax.texts} == {
        (i, j, str(n)) for (i, j), n in np.ndenumerate(table.to_numpy()) if n}


def test_event_timeline_skips_unresolved_dates_and_formats_dates():
    ax = plots.plot_event_timeline(make_dates(), published=pd.Timestamp("2025-07-04"))
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "“2022”  2022" and labels[-1] == "“Friday”  Fri 4 Jul 2025" and len(labels) == 6
    assert not any("someday" in label for label in labels)
    ax.figure.canvas.draw()
    assert any(t.get_text() in {"2023", "2024", "2025"} for t in ax.get_xticklabels())


def test_event_timeline_draws_weeks_and_quarters_as_the_span_they_name():
    # Published Tue 4 Mar 2025: "next week" is the week of Monday 10 March; "the second quarter" April-June.
    dates = pd.DataFrame({
        "article_id": "a1", "sentence_id": [1, 2], "text": ["next week", "the second quarter"],
        "date": pd.to_datetime(["2025-03-10", "2025-04-01"]), "granularity": ["week", "quarter"],
    })
    ax = plots.plot_event_timeline(dates, published=pd.Timestamp("2025-03-04"))
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["“next week”  week of 10 Mar 2025", "“the second quarter”  Q2 2025"]
    spans = sorted((round(bar.get_width()), matplotlib.dates.num2date(bar.get_x()).date().isoformat())
                   for bar in ax.patches)
    assert spans == [(7, "2025-03-10"), (91, "2025-04-01")]
    assert not [line for line in ax.lines if line.get_marker() == "o"]  # no day dots for a week or a quarter


@pytest.mark.parametrize("plot, frame, message", [
    (plots.plot_tone_by_entity, pd.DataFrame(columns=ENTITY_COLUMNS), "No entity mentions to show"),
    (plots.plot_cooccurrence, pd.DataFrame(columns=["entity_a", "entity_b", "sentences"]), "No two entities share a sentence"),
    (plots.plot_event_timeline, make_dates().iloc[0:0], "No resolved dates to show"),
])
def test_empty_frames_draw_a_message(plot, frame, message):
    ax = plot(frame)
    assert [t.get_text() for t in ax.texts] == [message]
    assert not (ax.lines or ax.patches or ax.collections or ax.images)  # no data drawn, no empty grid
    assert not ax.get_xticks().size and not ax.get_yticks().size


def test_plots_draw_on_a_given_axes():
    fig, axes = plt.subplots(1, 2)
    assert plots.plot_cooccurrence(make_pairs(), ax=axes[1]) is axes[1]


def monthly(months: int, names: tuple[str, ...] = ("Donald Trump", "Ukraine")) -> pd.DataFrame:
    """A count timeline over `months` month buckets, every name mentioned in every month."""
    rows = [(start, name, 3 + k % 4, 3, 40, np.nan, np.nan, np.nan, False, 0.0)
            for k, start in enumerate(pd.date_range("2024-01-01", periods=months, freq="MS")) for name in names]
    return pd.DataFrame(rows, columns=TIMELINE_COLUMNS)


def test_share_lines_break_where_the_name_is_not_mentioned():
    """Ukraine is named in the first and last tenth only: its share line has a gap between, not a bridge."""
    rows = []
    for tenth in (0.0, 0.1, 0.2, 0.3):
        for name, hits in (("Ukraine", 1 if tenth in (0.0, 0.3) else 0), ("Russia", 1)):
            if hits:
                rows.append((tenth, name, hits, hits, 2, hits / 2, 0.1, 0.9, True, 0.0))
    ax = plots.plot_mentions_over_time(pd.DataFrame(rows, columns=TIMELINE_COLUMNS), normalize=True)
    ukraine = next(line for line in ax.get_lines() if line.get_label().startswith("Ukraine"))
    assert list(ukraine.get_xdata()) == [0.0, 0.1, 0.2, 0.3]
    shares = np.asarray(ukraine.get_ydata(), dtype=float)
    assert shares[0] == shares[3] == 0.5 and np.isnan(shares[1:3]).all()


def test_count_lines_drop_to_zero_where_the_name_is_not_mentioned():
    frame = monthly(3).drop(index=[2])  # Trump not named in the second month
    ax = plots.plot_mentions_over_time(frame)
    trump = next(line for line in ax.get_lines() if line.get_label().startswith("Donald Trump"))
    assert list(trump.get_ydata()) == [3, 0, 5]


def test_tone_intervals_use_students_t_for_few_mentions():
    entities = pd.DataFrame({"entity": ["Kyiv"] * 5 + ["Paris"] * 2,
                             "compound": [0.1, 0.2, 0.3, 0.2, 0.2, 0.1, 0.3]})
    table = plots.tone_by_entity(entities)
    # n = 5: sd 0.0707, t(0.975, 4) = 2.7764, half-width 2.7764 * 0.0707 / sqrt(5) = 0.0878 (z would give 0.062).
    assert table.loc["Kyiv", "low"] == pytest.approx(0.2 - 0.08780, abs=1e-4)
    # n = 2: t(0.975, 1) = 12.706, half-width 12.706 * 0.1414 / sqrt(2) = 1.27, clipped to the scale.
    assert table.loc["Paris", ["low", "high"]].tolist() == [-1.0, 1.0]
    assert plots.t_quantile(np.array([4, 30, 31, 1000])) == pytest.approx([2.7764, 2.0423, 2.0395, 1.9623], abs=1e-4)


@pytest.mark.parametrize("months, size", [(12, (9, 4.5)), (15, (9, 4.5)), (24, (4.8, 3.6)), (48, (4.8, 3.6))])
def test_month_labels_never_overlap(months, size):
    ax = plots.plot_mentions_over_time(monthly(months), figsize=size, legend="below")
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    boxes = sorted((t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()), key=lambda b: b.x0)
    assert len(boxes) >= 3
    assert all(left.x1 < right.x0 for left, right in zip(boxes, boxes[1:]))


def test_no_mentions_say_so_instead_of_an_empty_axis():
    zeros = monthly(3).assign(mentions=0, mention_sentences=0)
    ax = plots.plot_mentions_over_time(zeros)
    assert [t.get_text() for t in ax.texts] == ["No mentions match these filters"]
    assert not ax.get_lines() and not ax.get_yticks().size


def test_dollar_signs_in_names_are_shown_as_written():
    frame = monthly(3, names=("$5 billion fund", "Ukraine $"))
    ax = plots.plot_mentions_over_time(frame)
    texts = ax.get_legend().get_texts()
    shown = [text._preprocess_math(text.get_text()) for text in texts]  # what matplotlib will draw
    assert ("$5 billion fund (12)", False) in shown and ("Ukraine $ (12)", False) in shown
    entities = pd.DataFrame({"entity": ["$PLTR", "$PLTR"], "compound": [0.1, 0.2]})
    label = plots.plot_tone_by_entity(entities).get_yticklabels()[0]
    assert label._preprocess_math(label.get_text()) == ("$PLTR  (2)", False)


def test_undated_mentions_are_counted_in_the_legend_and_noted():
    frame = pd.concat([monthly(2, ("Ukraine",)), monthly(1, ("Ukraine",)).assign(bucket=pd.NaT, mentions=4)])
    ax = plots.plot_mentions_over_time(frame)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Ukraine (11, 4 undated)"]
    assert "+ 4 undated mentions" in ax.texts[0].get_text()
    assert len(ax.get_lines()[0].get_xdata()) == 2

"""The Explorer's fast redraw: what the mentions model and the Explorer now keep or count on codes
(masks, bucket codes, bincount counts, the most mentioned names, the table's order, one-chunk columns,
the chart's fixed layout) gives what the direct pandas computation gives, on the open Wikinews corpus."""

from __future__ import annotations

import datetime as dt

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import toolkit
from tests.conftest import DATA
from toolkit.explore import SORT_KEYS, Explorer, shortened
from toolkit.mentions import COUNT_COLUMNS, MentionFilter, Mentions, single_chunk

OPEN_NEWS = DATA / "open-news" / "wikinews_gum_meantime.jsonl.gz"


@pytest.fixture(scope="module")
def analysis() -> toolkit.Analysis:
    """163 Wikinews articles over many years; entities in two concatenated halves, as frames assembled
    from chunks come (Arrow columns of several chunks)."""
    analysis = toolkit.analyze(OPEN_NEWS)
    half = len(analysis.entities) // 2
    analysis.entities = pd.concat([analysis.entities.iloc[:half], analysis.entities.iloc[half:]], ignore_index=True)
    return analysis


@pytest.fixture(scope="module")
def model(analysis: toolkit.Analysis) -> Mentions:
    return Mentions(analysis)


def direct_count(model: Mentions, query: MentionFilter, by: str, freq: str, normalize: bool) -> pd.DataFrame:
    """`Mentions.count` as a pandas group-by over the mentions' strings: the computation it replaces."""
    keep = model.mask(query)
    name = query.key
    rows, buckets = model.buckets(by, freq)
    picked = keep[rows]
    joined = pd.DataFrame({"row": rows[picked], "bucket": buckets[picked].to_numpy(),
                           name: model.frame[name].to_numpy(dtype=object)[rows[picked]],
                           "srow": model.frame["srow"].to_numpy()[rows[picked]],
                           "compound": model.frame["compound"].to_numpy()[rows[picked]]})
    grouped = joined.groupby(["bucket", name], dropna=False)
    counts = grouped.agg(mentions=("row", "size"), compound=("compound", "mean"))
    counts["mention_sentences"] = grouped["srow"].nunique()
    totals = pd.Series(model.sentence_buckets(by, freq)[1].to_numpy()[
        query.duplicates | ~model.sentences["duplicate"].to_numpy()[model.sentence_buckets(by, freq)[0]]]
    ).value_counts(dropna=False)
    totals = totals.reindex(totals.index.sort_values(na_position="last"))
    if query.names is not None:
        counts = counts.reindex(pd.MultiIndex.from_product([totals.index, list(dict.fromkeys(query.names))],
                                                           names=["bucket", name]))
    frame = counts.reset_index()
    frame[["mentions", "mention_sentences"]] = frame[["mentions", "mention_sentences"]].fillna(0).astype("int64")
    frame["sentences"] = frame["bucket"].map(totals).fillna(0).astype("int64")
    frame["small"] = frame["sentences"] < 30
    share = frame["mention_sentences"] / frame["sentences"].where(frame["sentences"] > 0)
    frame["share"] = share if normalize else np.nan
    frame["share_low"] = frame["share_high"] = np.nan
    frame[name] = frame[name].astype("string")
    if by != "position":
        frame["bucket"] = frame["bucket"].astype("datetime64[ns]")
    return frame[["bucket", name, *COUNT_COLUMNS[1:]]].sort_values(["bucket", name], ignore_index=True,
                                                                    na_position="last")


def queries(model: Mentions) -> list[MentionFilter]:
    top = model.ranked().index[:6].tolist()
    countries = model.ranked("country").index[:2].tolist()
    return [
        MentionFilter(),
        MentionFilter(names=tuple(top[:3])),
        MentionFilter(names=(top[0], "No Such Name", top[0]), tone=(-0.5, 1.0)),
        MentionFilter(names=tuple(top[3:6]), text="said", labels=("PERSON", "ORG", "GPE")),
        MentionFilter(tone=(0.05, 1.0), published_from=dt.date(2008, 1, 1)),
        MentionFilter(key="country", names=tuple(countries)),
        MentionFilter(key="country", duplicates=True),
        MentionFilter(names=("No Such Name",)),
    ]


@pytest.mark.parametrize("by", ["published", "event", "position"])
def test_counts_equal_the_direct_group_by(model: Mentions, by: str) -> None:
    freq = model.default_freq(by)
    for query in queries(model):
        for normalize in (False, True):
            counted = model.count(query, by=by, freq=freq, normalize=normalize)
            expected = direct_count(model, query, by, freq, normalize)
            shares = ["share_low", "share_high"]
            pd.testing.assert_frame_equal(counted.drop(columns=shares), expected.drop(columns=shares))
    assert model.count(queries(model)[1], by=by, freq=freq)["mentions"].sum() > 0  # real counts, not only zeros


def test_masks_are_kept_read_only_and_equal_the_direct_filter(model: Mentions) -> None:
    frame = model.frame
    for query in queries(model):
        keep = model.mask(query)
        assert model.mask(query) is keep and not keep.flags.writeable
        direct = ~frame["duplicate"].to_numpy() | query.duplicates
        if query.names is not None:
            direct &= frame[query.key].isin(query.names).fillna(False).to_numpy(dtype=bool)
        if query.key == "country":
            direct &= frame["country"].notna().to_numpy()
        if query.labels is not None:
            direct &= frame["label"].isin(query.labels).to_numpy()
        direct &= frame["compound"].between(query.tone[0] - 1e-9, query.tone[1] + 1e-9).to_numpy()
        if query.published_from is not None:
            direct &= (frame["published"] >= pd.Timestamp(query.published_from)).to_numpy()
        if query.text:
            sentences = model.sentences["text"].to_numpy(dtype=object)[frame["srow"].to_numpy()]
            direct &= np.array([query.text.lower() in sentence.lower() for sentence in sentences])
        np.testing.assert_array_equal(keep, direct)


def test_top_names_are_the_most_mentioned_among_the_kept(model: Mentions) -> None:
    for query in queries(model):
        keep = model.mask(query)
        counts = model.frame.loc[keep, query.key].value_counts()
        expected = counts.sort_index().sort_values(ascending=False, kind="stable").index[:8]
        assert model.top_names(keep, query.key, 8) == tuple(expected)
    assert model.top_names(model.mask(), "entity") == tuple(model.ranked().index)


def test_bucket_codes_and_in_bucket_match_the_buckets(model: Mentions) -> None:
    for by in ("published", "event", "position"):
        freq = model.default_freq(by)
        rows, buckets = model.buckets(by, freq)
        code_rows, codes, levels = model.bucket_codes(by, freq)
        np.testing.assert_array_equal(code_rows, rows)
        pd.testing.assert_series_equal(pd.Series(levels[codes]), buckets, check_names=False, check_index=False)
        keep = model.mask()
        for bucket in [*buckets.dropna().unique()[:3], pd.NaT]:
            hit = buckets.isna().to_numpy() if pd.isna(bucket) else (buckets == bucket).to_numpy()
            np.testing.assert_array_equal(model.in_bucket(keep, by, freq, bucket),
                                          np.unique(rows[hit][keep[rows[hit]]]))


def test_the_table_order_is_the_direct_sort_of_the_chosen_sentences(analysis: toolkit.Analysis) -> None:
    explorer = Explorer(analysis)
    explorer.entity_picker.value = tuple(explorer.model.ranked().index[:2])
    rows = np.unique(explorer.model.frame["srow"].to_numpy()[explorer.selected()])
    assert len(rows) > 20
    for sort, (columns, ascending) in SORT_KEYS.items():
        explorer.sort.value = sort
        direct = explorer.model.sentences.iloc[rows].reset_index(drop=True).sort_values(
            columns, ascending=ascending, kind="stable", na_position="last").index.to_numpy()
        np.testing.assert_array_equal(explorer._ordered(rows), rows[direct])


def test_arrow_columns_are_joined_into_one_chunk(analysis: toolkit.Analysis, model: Mentions) -> None:
    chunked = analysis.entities["entity"].array.__arrow_array__()
    assert isinstance(chunked, pa.ChunkedArray) and chunked.num_chunks > 1
    assert model.frame["entity"].array.__arrow_array__().num_chunks == 1
    parts = pd.concat([analysis.entities.iloc[:5], analysis.entities.iloc[5:9]], ignore_index=True)
    pd.testing.assert_frame_equal(single_chunk(parts.copy()), parts)


def test_the_chart_fits_its_figure_with_the_legend_under_the_axis(analysis: toolkit.Analysis) -> None:
    explorer = Explorer(analysis)
    explorer.time_axis.value = "event"
    explorer.share.value = True
    ax = explorer.chart()
    figure = ax.figure
    figure.canvas.draw()
    legend, axis_label = ax.get_legend().get_window_extent(), ax.xaxis.label.get_window_extent()
    assert 0 <= legend.x0 and legend.x1 <= figure.bbox.width and legend.y0 >= 0  # inside the figure
    assert legend.y1 <= axis_label.y0  # under the axis and its label, overlapping neither
    y_label = ax.yaxis.label.get_window_extent()
    assert "\n" in ax.yaxis.label.get_text() and y_label.y1 <= figure.bbox.height and y_label.x0 >= 0
    notes = [text for text in ax.texts if isinstance(text, matplotlib.text.Annotation)]
    assert notes and not notes[0].get_window_extent().overlaps(ax.title.get_window_extent())


def test_long_legend_names_are_cut_and_their_counts_kept() -> None:
    assert shortened("Securities and Exchange Commission (103, 65 undated)", 32) == "Securities an… (103, 65 undated)"
    assert shortened("Brazil (168, 110 undated)", 20) == "Brazil (168, 110 undated)"
    assert shortened("few sentences: unreliable", 20) == "few sentences: unreliable"

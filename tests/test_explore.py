"""Explorer: built in pytest, driven by setting `.value`s, checked on what its outputs hold."""

from __future__ import annotations

import base64
import datetime as dt
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.text

import pandas as pd
import pytest

from tests.test_plots import ENTITY_COLUMNS
from toolkit import Analysis
from toolkit.explore import ALL_BUCKETS, Explorer, bucket_text

ARTICLES = [
    ("a1", "2025-05-02", [
        "Donald Trump spoke with Volodymyr Zelenskyy about air defence.",
        "Zelenskyy thanked the American people warmly.",
        "Russia launched a terrible drone attack on Kyiv.",
    ]),
    ("a2", "2025-05-20", [
        "Vladimir Putin rejected a ceasefire on Friday.",
        "Trump said he was very disappointed with Putin.",
        "Reporters saw <script>alert('x')</script> on the Russia page.",
    ]),
    ("a3", "2025-06-11", [
        "Ukraine and Russia exchanged prisoners in Istanbul on June 2.",
        "Trump praised the exchange as a great success.",
    ]),
]
NAMES = {
    "Donald Trump": ("PERSON", ["Donald Trump", "Trump"]),
    "Volodymyr Zelenskyy": ("PERSON", ["Volodymyr Zelenskyy", "Zelenskyy"]),
    "Vladimir Putin": ("PERSON", ["Vladimir Putin", "Putin"]),
    "Russia": ("GPE", ["Russia"]),
    "Ukraine": ("GPE", ["Ukraine"]),
    "Kyiv": ("GPE", ["Kyiv"]),
    "Istanbul": ("GPE", ["Istanbul"]),
}


def make_analysis() -> Analysis:
    """Three short articles with hand-tagged entities and dates, in the contract's columns."""
    from toolkit.sentiment import score

    articles, sentences, entities, dates = [], [], [], []
    for article_id, published, texts in ARTICLES:
        text = " ".join(texts)
        articles.append((article_id, pd.Timestamp(published), text))
        at = 0
        for sentence_id, sentence in enumerate(texts):
            sentences.append((article_id, sentence_id, 0, at, at + len(sentence), sentence, len(sentence.split()),
                              sentence_id / max(len(texts) - 1, 1)))
            for entity, (label, forms) in NAMES.items():
                for form in forms:
                    for found in re.finditer(rf"\b{re.escape(form)}\b", sentence):
                        if not any(e[0] == article_id and e[1] == sentence_id and e[2] <= at + found.start() < e[3]
                                   for e in entities):
                            entities.append([article_id, sentence_id, at + found.start(), at + found.end(), form,
                                             label, entity, 0.0, pd.Timestamp(published)])
            for word, date, granularity in (("Friday", "2025-05-16", "day"), ("June 2", "2025-06-02", "day")):
                if word in sentence:
                    dates.append((article_id, sentence_id, word, pd.Timestamp(date), granularity))
            at += len(sentence) + 1
    sentence_frame = score(pd.DataFrame(sentences, columns=[
        "article_id", "sentence_id", "paragraph_id", "start", "end", "text", "n_tokens", "position"]))
    compound = sentence_frame.set_index(["article_id", "sentence_id"])["compound"]
    entity_frame = pd.DataFrame(entities, columns=ENTITY_COLUMNS)
    keys = zip(entity_frame.article_id, entity_frame.sentence_id, strict=True)
    entity_frame["compound"] = [compound[key] for key in keys]
    article_frame = pd.DataFrame(articles, columns=["article_id", "published", "text"])
    return Analysis(articles=article_frame, sentences=sentence_frame, entities=entity_frame,
                    dates=pd.DataFrame(dates, columns=["article_id", "sentence_id", "text", "date", "granularity"]))


@pytest.fixture()
def explorer() -> Explorer:
    return Explorer(make_analysis(), page_size=3)


def table_sentences(explorer: Explorer) -> list[str]:
    cells = re.findall(r"<td>([^<]*(?:<mark[^>]*>[^<]*</mark>[^<]*)*)</td></tr>", explorer.table.value)
    return [re.sub(r"<[^>]+>", "", cell) for cell in cells]


def test_starts_with_every_mention_and_a_chart(explorer):
    assert "of 13 mentions in 8 sentences" in explorer.status.value
    assert explorer.plot.outputs[0]["data"]["image/png"]
    # 2 May to 11 June: a 40-day span opens in day buckets (viewrules.default_freq).
    assert explorer.time_axis.value == "published" and explorer.bucket_size.value == "D"
    assert "page 1 of 3" in explorer.page_label.value and explorer.prev_button.disabled


def test_entity_pick_lists_only_its_sentences_with_the_entity_highlighted(explorer):
    explorer.entity_picker.value = ("Vladimir Putin",)
    shown = table_sentences(explorer)
    assert len(shown) == 2 and all("Putin" in s for s in shown)
    assert "<mark title=\"Vladimir Putin (PERSON)\">Putin</mark>" in explorer.table.value
    assert "<mark title=\"Donald Trump" not in explorer.table.value
    assert set(explorer.last_timeline["entity"]) == {"Vladimir Putin"}


def test_entity_search_box_narrows_the_list_but_keeps_the_picks(explorer):
    explorer.entity_picker.value = ("Russia",)
    drawn = explorer.last_timeline
    explorer.entity_search.value = "vlad"
    assert [value for _, value in explorer.entity_picker.options] == ["Russia", "Vladimir Putin"]
    assert explorer.entity_picker.value == ("Russia",)
    assert explorer.last_timeline is drawn  # relisting alone does not redraw


def test_article_text_is_escaped(explorer):
    explorer.text_search.value = "script"
    escaped = "Reporters saw &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; on the Russia page."
    assert table_sentences(explorer) == [escaped]
    assert "<script>" not in explorer.table.value


@pytest.mark.parametrize("setting, check", [
    (("tone", (0.3, 1.0)), lambda shown: "warmly" in " ".join(shown) and "terrible" not in " ".join(shown)),
    (("tone", (-1.0, -0.3)), lambda shown: all("warmly" not in s for s in shown) and shown),
    (("label_picker", ("GPE",)), lambda shown: all(any(p in s for p in ("Russia", "Ukraine", "Kyiv")) for s in shown)),
    (("date_from", dt.date(2025, 6, 1)), lambda shown: len(shown) == 2 and "Istanbul" in shown[0]),
    (("date_to", dt.date(2025, 5, 2)), lambda shown: len(shown) == 3),
])
def test_filters_restrict_the_sentences(explorer, setting, check):
    explorer.page_size = 20
    name, value = setting
    getattr(explorer, name).value = value
    assert check(table_sentences(explorer))


def test_no_match_says_so(explorer):
    explorer.text_search.value = "no such words here"
    assert "No sentence matches" in explorer.table.value and "<b>0</b> mentions" in explorer.status.value


def test_pages_turn_forward_and_back(explorer):
    first = table_sentences(explorer)
    explorer.next_button.click()
    second = table_sentences(explorer)
    assert "page 2 of 3" in explorer.page_label.value and not set(first) & set(second)
    explorer.prev_button.click()
    assert table_sentences(explorer) == first


def test_sorting_by_tone(explorer):
    explorer.page_size = 20
    explorer.sort.value = "negative"
    shown = table_sentences(explorer)
    assert "terrible" in shown[0]
    explorer.sort.value = "positive"
    assert "terrible" in table_sentences(explorer)[-1]


def test_picking_a_bucket_shows_the_sentences_behind_it(explorer):
    explorer.bucket_size.value = "W"
    labels = dict(explorer.bucket.options)
    assert set(labels) == {"every bucket", "week of 28 Apr 2025", "week of 19 May 2025", "week of 9 Jun 2025"}
    explorer.bucket.value = labels["week of 9 Jun 2025"]
    assert len(table_sentences(explorer)) == 2


def test_event_axis_buckets_by_the_dates_the_text_names(explorer):
    explorer.time_axis.value = "event"
    explorer.bucket_size.value = "D"
    labels = dict(explorer.bucket.options)
    assert set(labels) == {"every bucket", "Fri 16 May 2025", "Mon 2 Jun 2025", "undated"}
    explorer.bucket.value = labels["Mon 2 Jun 2025"]
    assert table_sentences(explorer) == ["Ukraine and Russia exchanged prisoners in Istanbul on June 2."]


def test_event_axis_counts_the_undated_mentions_everywhere(explorer):
    """Mentions whose sentence names no date are counted under "undated" by chart, status line and table."""
    explorer.entity_picker.value = ("Donald Trump",)
    explorer.time_axis.value = "event"
    drawn = explorer.last_timeline.set_index("bucket")["mentions"]
    assert drawn[pd.NaT] == 3 and drawn.sum() == 3  # none of Trump's three sentences names a date
    explorer.bucket.value = "undated"
    assert "<b>3</b> mentions in <b>3</b> sentences" in explorer.status.value
    assert all("Trump" in s for s in table_sentences(explorer)) and len(table_sentences(explorer)) == 3
    assert "+ 3 undated mentions" in " ".join(t.get_text() for t in explorer.chart().texts)


def test_dates_in_text_open_with_a_bucket_that_suits_their_span():
    analysis = make_analysis()
    analysis.dates.loc[0, "date"] = pd.Timestamp("2021-05-16")  # four years of named dates
    explorer = Explorer(analysis)
    explorer.time_axis.value = "event"
    assert explorer.bucket_size.value == "M"


def test_position_axis_and_share(explorer):
    explorer.time_axis.value = "position"
    explorer.share.value = True
    assert explorer.bucket_size.disabled
    assert "0–10% into the article" in dict(explorer.bucket.options)
    assert explorer.last_timeline["share"].notna().all()
    explorer.bucket.value = 0.0
    assert len(table_sentences(explorer)) == 3


def test_bucket_labels():
    assert bucket_text(pd.Timestamp("2025-05-01"), "published", "M") == "May 2025"
    assert bucket_text(pd.Timestamp("2025-04-01"), "published", "Q") == "Q2 2025"
    assert ALL_BUCKETS == "all"


def test_chart_text_stays_readable_at_1024_px(explorer):
    """The chart is shown at most CHART_WIDTH css px wide (it fits beside the 375 px controls in a
    1024 px window, so the browser never shrinks it) and its smallest text is at least 10 css px."""
    from toolkit.explore import CHART_DPI, CHART_WIDTH, png_width

    output = explorer.plot.outputs[0]
    shown = output["metadata"]["image/png"]["width"]
    assert shown <= CHART_WIDTH <= 1024 - 375 - 120  # window less controls, prompt and margins
    pixels = png_width(base64.b64decode(output["data"]["image/png"]))
    ax = explorer.chart()
    ax.figure.canvas.draw()
    sizes = [text.get_fontsize() for text in ax.figure.findobj(matplotlib.text.Text) if text.get_text().strip()]
    smallest_css_px = min(sizes) * CHART_DPI / 72 * shown / pixels
    assert smallest_css_px >= 10


def test_a_filter_that_matches_nothing_says_so_on_the_chart(explorer):
    explorer.entity_picker.value = ("Istanbul",)
    explorer.tone.value = (0.9, 1.0)
    assert explorer.last_timeline["mentions"].sum() == 0
    ax = explorer.chart()
    assert [t.get_text() for t in ax.texts] == ["No mentions match these filters"] and not ax.get_lines()

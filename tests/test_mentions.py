"""The one mentions model: every view (mentions_over_time, the Explorer's chart, status line and table,
the standalone report) gives the same numbers for the same filter, near-copies and undated mentions included."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

import toolkit
from toolkit.explore import Explorer
from toolkit.mentions import MentionFilter, Mentions
from toolkit.report import build_report

NAMES = {"Donald Trump": ("PERSON", None), "Vladimir Putin": ("PERSON", None), "Kyiv": ("GPE", "Ukraine"),
         "Ukrainian": ("NORP", "Ukraine"), "Moscow": ("GPE", "Russia")}
STORY = ("Donald Trump said on Monday that he had spoken with Vladimir Putin for two hours about the war. "
         "Officials in Kyiv said the call changed nothing on the ground and the shelling went on overnight. "
         "Vladimir Putin told Donald Trump that Moscow wanted guarantees before any ceasefire was agreed. "
         "A Ukrainian diplomat said Kyiv would not accept a deal made over its head by Moscow.")
TEXTS = [
    STORY,
    "Donald Trump met reporters in Washington. Kyiv was hit by drones. A Ukrainian mayor asked for help.",
    STORY + " It was late.",  # a wire re-send with a line added: a near-copy of the first article
    "Vladimir Putin spoke in Moscow. Nobody else was named in this short piece about the weather.",
]
PUBLISHED = ["2025-07-01", "2025-07-02", "2025-07-02", None]  # the last article is undated


def tagged(texts: list[str], published: list[str | None]) -> toolkit.Analysis:
    """A real analysis (split, scored, near-copies flagged) whose mentions are tagged by exact match on
    NAMES, with each place's country, so every count below is known by reading the texts."""
    articles = toolkit.from_texts(texts).assign(published=pd.to_datetime(published))
    analysis = toolkit.analyze_articles(articles, cache=False)
    rows = [
        {"article_id": s.article_id, "sentence_id": s.sentence_id, "start": s.start + m.start(),
         "end": s.start + m.end(), "text": m.group(), "label": label, "entity": name, "country": country,
         "compound": s.compound}
        for s in analysis.sentences.itertuples() for name, (label, country) in NAMES.items()
        for m in re.finditer(re.escape(name), s.text)
    ]
    published_by_id = analysis.articles.set_index("article_id")["published"]
    entities = pd.DataFrame(rows).assign(published=lambda f: f["article_id"].map(published_by_id))
    analysis.entities = entities.astype({"country": "string"})
    return analysis


@pytest.fixture(scope="module")
def analysis() -> toolkit.Analysis:
    return tagged(TEXTS, PUBLISHED)


def report_counts(analysis: toolkit.Analysis, names: list[str], key: str = "entity") -> pd.Series:
    """Mentions per (bucket label, name) in the data the report's page counts from."""
    doc = build_report(analysis, key=key, selected=names)
    data = pd.DataFrame(doc.get_model_by_name("mentions").data)
    labels = doc.get_model_by_name("update").args["buckets"]["label"]
    data = data[data["name"].isin(names)]
    when = data["bucket"].map(lambda b: labels[b] if b >= 0 else "undated")
    return data.groupby([when, "name"]).size()


def test_the_near_copy_is_flagged(analysis):
    assert analysis.articles["duplicate_of"].notna().tolist() == [False, False, True, False]


def test_same_filter_same_numbers_in_every_view(analysis):
    names = ["Donald Trump", "Vladimir Putin", "Kyiv"]
    # Read from the texts: the first article names Trump 2, Putin 2, Kyiv 2 times; the second Trump 1,
    # Kyiv 1; the near-copy is left out; the undated fourth names Putin once.
    timeline = toolkit.mentions_over_time(analysis, by="published", freq="D", entities=names)
    counts = timeline.assign(when=timeline["bucket"].map(
        lambda b: "undated" if pd.isna(b) else f"{b:%a} {b.day} {b:%b %Y}")).set_index(["when", "entity"])["mentions"]
    assert counts.to_dict() == {
        ("Tue 1 Jul 2025", "Donald Trump"): 2, ("Tue 1 Jul 2025", "Kyiv"): 2, ("Tue 1 Jul 2025", "Vladimir Putin"): 2,
        ("Wed 2 Jul 2025", "Donald Trump"): 1, ("Wed 2 Jul 2025", "Kyiv"): 1, ("Wed 2 Jul 2025", "Vladimir Putin"): 0,
        ("undated", "Donald Trump"): 0, ("undated", "Kyiv"): 0, ("undated", "Vladimir Putin"): 1,
    }

    explorer = Explorer(analysis, page_size=50)
    explorer.entity_picker.value = tuple(names)
    explorer.time_axis.value = "published"
    explorer.bucket_size.value = "D"
    drawn = explorer.last_timeline
    assert drawn[["bucket", "entity", "mentions"]].equals(timeline[["bucket", "entity", "mentions"]])
    assert f"<b>{counts.sum()}</b> mentions in " in explorer.status.value
    for label, bucket in explorer.bucket.options[1:]:
        explorer.bucket.value = bucket
        assert f"<b>{counts[label].sum()}</b> mentions in " in explorer.status.value, label
        assert explorer.table.value.count("<tr>") - 1 == explorer.model.totals(
            np.isin(np.arange(len(explorer.model.frame)), explorer.selected()))[1]

    from_report = report_counts(analysis, names)
    assert from_report.to_dict() == counts[counts > 0].to_dict()


def test_by_country_the_same_in_every_view(analysis):
    timeline = toolkit.mentions_over_time(analysis, by="published", freq="D", key="country")
    # Kyiv 2 + Ukrainian 1 in the first article, Kyiv 1 + Ukrainian 1 in the second; Moscow 2 + 1.
    assert timeline.groupby("country")["mentions"].sum().to_dict() == {"Russia": 3, "Ukraine": 5}
    explorer = Explorer(analysis)
    explorer.key.value = "country"
    explorer.time_axis.value = "published"
    explorer.bucket_size.value = "D"
    assert [v for _, v in explorer.entity_picker.options] == ["Ukraine", "Russia"]
    assert explorer.last_timeline.groupby("country")["mentions"].sum().to_dict() == {"Russia": 3, "Ukraine": 5}
    assert "<b>8</b> mentions in " in explorer.status.value
    assert report_counts(analysis, ["Ukraine", "Russia"], key="country").groupby(level=1).sum().to_dict() == {
        "Russia": 3, "Ukraine": 5}


def test_without_a_country_column_the_country_choice_is_hidden(analysis):
    plain = toolkit.Analysis(articles=analysis.articles, sentences=analysis.sentences,
                             entities=analysis.entities.drop(columns="country"), dates=analysis.dates)
    explorer = Explorer(plain)
    assert explorer.key.layout.display == "none" and [v for _, v in explorer.key.options] == ["entity"]
    with pytest.raises(ValueError, match="no entities.country column"):
        build_report(plain, key="country")


def test_near_copies_count_only_when_asked(analysis):
    model = Mentions(analysis)
    # 9 mentions in the first article, 3 in the second, 2 in the undated one; the near-copy repeats the 9.
    assert model.totals(model.mask())[0] == 14
    assert model.totals(model.mask(MentionFilter(duplicates=True)))[0] == 14 + 9

"""The standalone report, without a browser: what the page holds and how it is wired (see test_browser.py for behaviour)."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from collections import Counter
from typing import Any

import pandas as pd
import pytest
from bokeh.models import DateRangeSlider, Div, MultiChoice, RangeSlider

import toolkit
from tests.conftest import DATA, ROOT
from toolkit.report import build_report, mentions_frame, write_report

HOSTILE = "Volodymyr Zelenskyy wrote <script>window.__pwned=1</script> and <b>bold</b> twice.\n\nDonald Trump posted $x^2$ and **markdown** from Kyiv."
NAMES = {"Volodymyr Zelenskyy": "PERSON", "Donald Trump": "PERSON", "Kyiv": "GPE", "Ukraine": "GPE"}


def tagged(texts: list[str], published: list[str]) -> toolkit.Analysis:
    """An analysis of `texts` whose `entities` frame is tagged by exact match on NAMES (no model needed)."""
    articles = toolkit.from_texts(texts).assign(published=pd.to_datetime(published))
    analysis = toolkit.analyze_articles(articles)
    rows = [
        {"article_id": s.article_id, "sentence_id": s.sentence_id, "start": s.start + m.start(), "end": s.start + m.end(),
         "text": m.group(), "label": label, "entity": name, "compound": s.compound}
        for s in analysis.sentences.itertuples() for name, label in NAMES.items() for m in re.finditer(re.escape(name), s.text)
    ]
    published_by_id = analysis.articles.set_index("article_id")["published"]
    analysis.entities = pd.DataFrame(rows).assign(published=lambda f: f["article_id"].map(published_by_id))
    return analysis


def page_models(page: str) -> tuple[dict[str, dict[str, Any]], str]:
    """The named Bokeh models embedded in a written report (name -> attributes), and its header's text."""
    (embedded,) = re.findall(r'<script type="application/json" id="[^"]*">\s*(.*?)\s*</script>', page, re.S)
    named: dict[str, dict[str, Any]] = {}
    headers: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            attributes = value.get("attributes")
            if value.get("type") == "object" and isinstance(attributes, dict):
                if "name" in attributes:
                    named.setdefault(attributes["name"], attributes)
                if "<h1>" in str(attributes.get("text", "")):
                    headers.append(attributes["text"])
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(json.loads(html.unescape(embedded)))  # Bokeh escapes the JSON for the page
    (header,) = headers
    return named, header


def columns(source: dict[str, Any]) -> dict[str, list[Any]]:
    return dict(source["data"]["entries"])


@pytest.fixture(scope="module")
def two_days() -> toolkit.Analysis:
    texts = ["Donald Trump called Volodymyr Zelenskyy. Ukraine wants air defence. Kyiv was hit again.",
             "Ukraine and Donald Trump agreed. Kyiv thanked Donald Trump."]
    return tagged(texts, ["2025-07-01", "2025-07-04"])


def test_mentions_carry_sentence_text_and_position(two_days):
    mentions = mentions_frame(two_days)
    assert len(mentions) == len(two_days.entities) == 8
    assert mentions["sentence"].str.contains("Donald Trump").sum() == 6
    assert mentions["published"].dt.day.tolist() == [1] * 4 + [4] * 4
    assert mentions["position"].between(0, 1).all()


def test_two_dates_give_a_date_slider_and_one_date_a_position_slider(two_days):
    slider = build_report(two_days).get_model_by_name("time")
    assert isinstance(slider, DateRangeSlider)
    assert slider.value == (slider.start, slider.end) and slider.end - slider.start == 3 * 86_400_000
    single = tagged(["Donald Trump spoke. Kyiv listened."], ["2025-07-04"])
    assert isinstance(build_report(single).get_model_by_name("time"), RangeSlider)


def test_most_mentioned_entities_are_selected_first(two_days):
    choice = build_report(two_days).get_model_by_name("entities")
    assert isinstance(choice, MultiChoice)
    assert choice.value == ["Donald Trump", "Kyiv", "Ukraine", "Volodymyr Zelenskyy"]
    assert choice.options[0] == ("Donald Trump", "Donald Trump (3)")


def test_the_file_is_standalone(two_days, tmp_path):
    path = write_report(two_days, tmp_path / "deep" / "report.html", title="Two days")
    page = path.read_text(encoding="utf-8")
    assert "<title>Two days</title>" in page
    assert not re.search(r"""<(script|link|img|iframe)[^>]*(src|href)\s*=\s*["']?(https?:)?//""", page), "no network resources"
    assert "cdn.bokeh.org" not in page


def test_hostile_text_is_data_never_markup(tmp_path):
    analysis = tagged([HOSTILE], ["2025-07-04"])
    analysis.entities.loc[0, "entity"] = "<img src=x onerror=alert(1)> $$z$$"
    doc = build_report(analysis, title="<i>T</i> $$t$$")
    assert all(div.disable_math for div in doc.select({"type": Div}))
    header = doc.roots[0].children[0].text
    assert "&lt;i&gt;T&lt;/i&gt;" in header and "<i>" not in header
    labels = dict(doc.get_model_by_name("entities").options)
    assert labels["<img src=x onerror=alert(1)> $$z$$"] == "&lt;img src=x onerror=alert(1)&gt; $$z$$ (1)"
    page = write_report(analysis, tmp_path / "hostile.html").read_text(encoding="utf-8")
    for raw in ("<script>window.__pwned=1</script>", "<b>bold</b>", "<img src=x"):
        assert raw not in page


def test_the_page_holds_each_entity_its_count_and_its_sentences(two_days, tmp_path):
    """Read back from the written file: the picker's names and counts, every mention's sentence, the header's facts."""
    models, header = page_models(write_report(two_days, tmp_path / "report.html").read_text(encoding="utf-8"))
    assert dict(map(tuple, models["entities"]["options"])) == {
        "Donald Trump": "Donald Trump (3)", "Kyiv": "Kyiv (2)", "Ukraine": "Ukraine (2)",
        "Volodymyr Zelenskyy": "Volodymyr Zelenskyy (1)"}
    data = columns(models["mentions"])
    assert Counter(data["name"]) == {"Donald Trump": 3, "Kyiv": 2, "Ukraine": 2, "Volodymyr Zelenskyy": 1}
    assert sorted(set(zip(data["name"], data["sentence"]))) == [
        ("Donald Trump", "Donald Trump called Volodymyr Zelenskyy."), ("Donald Trump", "Kyiv thanked Donald Trump."),
        ("Donald Trump", "Ukraine and Donald Trump agreed."), ("Kyiv", "Kyiv thanked Donald Trump."),
        ("Kyiv", "Kyiv was hit again."), ("Ukraine", "Ukraine and Donald Trump agreed."),
        ("Ukraine", "Ukraine wants air defence."), ("Volodymyr Zelenskyy", "Donald Trump called Volodymyr Zelenskyy.")]
    assert data["when"] == ["1 Jul 2025"] * 4 + ["4 Jul 2025"] * 4
    assert "2 article(s) · 5 sentences · 8 mentions · 4 entities · published 1 Jul 2025 – 4 Jul 2025" in header


def test_no_entities_still_gives_a_report(tmp_path):
    analysis = toolkit.analyze_articles(toolkit.from_texts(["nothing here to tag."], published="2025-07-04"))
    analysis.entities = pd.DataFrame()
    models, header = page_models(write_report(analysis, tmp_path / "empty.html").read_text(encoding="utf-8"))
    assert "1 article(s) · 1 sentences · 0 mentions · 0 entities" in header
    assert columns(models["mentions"])["name"] == [] and models["entities"].get("options", []) == []  # defaults are left out
    assert models["time"]["disabled"] is True


def test_cli_writes_the_report(tmp_path, sample_analysis):
    out = tmp_path / "sample.html"
    done = subprocess.run([sys.executable, "-m", "toolkit", "report", str(DATA), "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert f"wrote {out}" in done.stdout and out.stat().st_size > 100_000
    # The sample's people, each with as many mentions as the analysis finds, on the sentences that name them.
    models, header = page_models(out.read_text(encoding="utf-8"))
    entities = sample_analysis.entities
    assert f"1 article(s) · 19 sentences · {len(entities)} mentions · {entities['entity'].nunique()} entities" in header
    options = dict(map(tuple, models["entities"]["options"]))
    for name in ("Volodymyr Zelenskyy", "Donald Trump", "Vladimir Putin"):
        assert options[name] == f"{name} ({(entities['entity'] == name).sum()})"
    data = columns(models["mentions"])
    sentences = sample_analysis.sentences.set_index("sentence_id")["text"]
    assert len(data["name"]) == len(entities)
    assert all(sentence == sentences[k] and name in entities.loc[entities["sentence_id"] == k, "entity"].tolist()
               for name, sentence, k in zip(data["name"], data["sentence"], data["sentence_id"], strict=True))


def test_cli_title_and_key(tmp_path):
    out = tmp_path / "titled.html"
    done = subprocess.run([sys.executable, "-m", "toolkit", "report", str(DATA), "--out", str(out),
                           "--title", "Ukraine call, 4 July"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert "<title>Ukraine call, 4 July</title>" in page and "Ukraine call, 4 July&lt;/h1&gt;" in page  # the heading, as data


def test_many_names_get_distinct_styles_and_a_tone_key(two_days):
    from toolkit.viewrules import series_styles

    styles = series_styles([f"name {k}" for k in range(60)])
    assert len(set(styles.values())) == 60
    header = build_report(two_days).roots[0].children[0].text
    assert "Tone (" in header and "not the writer" in header

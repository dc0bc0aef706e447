import pandas as pd
import pytest

import toolkit
from toolkit.entities import ENTITY_COLUMNS, _chunks, resolve_corpus
from toolkit.load import from_texts
from tests.conftest import needs_corpus

SAMPLE_COUNTS = {
    ("PERSON", "Donald Trump"): 7, ("PERSON", "Vladimir Putin"): 5, ("PERSON", "Volodymyr Zelenskyy"): 4,
    ("GPE", "Ukraine"): 8, ("GPE", "United States"): 8, ("GPE", "Russia"): 4,
    ("GPE", "Kyiv"): 1, ("GPE", "Moscow"): 1, ("GPE", "Istanbul"): 1,
    ("ORG", "The Guardian"): 2, ("ORG", "Telegram"): 1, ("ORG", "Defence Department"): 1,
}


def test_sample_leaders_countries_and_cities_under_one_name(sample_analysis):
    entities = sample_analysis.entities
    assert list(entities.columns) == ENTITY_COLUMNS
    named = entities[entities["label"].isin(["PERSON", "GPE", "LOC", "ORG"])]
    assert named.groupby(["label", "entity"]).size().to_dict() == SAMPLE_COUNTS


def test_sample_repairs_and_their_rules(sample_analysis):
    rules = {(r.text, r.sentence_id): (r.label, r.entity, r.rule) for r in sample_analysis.entities.itertuples()}
    assert rules[("Zelenskyy", 1)] == ("PERSON", "Volodymyr Zelenskyy", "surname of a full name in the article")
    assert rules[("Trump", 9)][:2] == ("PERSON", "Donald Trump")  # "Trump’s" as written, possessive stripped
    assert rules[("Kyiv", 11)] == ("GPE", "Kyiv", "gazetteer place")
    assert rules[("Patriot", 10)][0] == "PRODUCT"
    assert rules[("US", 10)] == ("GPE", "United States", "alias table")
    assert rules[("Defence Department", 10)][2] == "country split from body"
    assert rules[("Zelenskyy", 3)][2] == "untagged mention of a name in the article"


def test_entities_lie_inside_their_sentences(sample_analysis, sample_text):
    sentences = sample_analysis.sentences.set_index("sentence_id")
    for row in sample_analysis.entities.itertuples():
        assert sample_text[row.start:row.end] == row.text
        assert sentences.loc[row.sentence_id, "start"] <= row.start < row.end <= sentences.loc[row.sentence_id, "end"]
        assert row.compound == sentences.loc[row.sentence_id, "compound"]


def test_boilerplate_never_becomes_an_entity(sample_analysis):
    removed = " ".join(sample_analysis.articles["removed"].iloc[0])
    assert not any(text in removed for text in sample_analysis.entities["text"])
    assert not sample_analysis.entities["entity"].str.contains("Shorts|inputs").any()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Treasury Secretary James Baker spoke. Baker said the dollar was fine.", {"James Baker": 2}),
        ("Shares of Standard Oil Co rose. Standard Oil said profits doubled.", {"Standard Oil": 2}),
        ("The U.S. and America and the United States agreed with Britain and the UK.",
         {"United States": 3, "United Kingdom": 2}),
    ],
)
def test_canonical_names_within_an_article(text, expected):
    analysis = toolkit.analyze_articles(from_texts([text]))
    counts = analysis.entities.groupby("entity").size().to_dict()
    assert {name: counts.get(name, 0) for name in expected} == expected


def test_user_alias_table_overrides(tmp_path):
    table = tmp_path / "aliases.csv"
    table.write_text("alias,entity,label\nKremlin,Russia,GPE\n", encoding="utf-8")
    path = tmp_path / "a.txt"
    path.write_text("The Kremlin said Russia would respond.", encoding="utf-8")
    entities = toolkit.analyze(path, aliases=table).entities
    assert entities.groupby("entity").size().get("Russia") == 2
    assert "alias table" in entities["rule"].tolist()


def test_surname_resolves_across_the_corpus():
    frame = pd.DataFrame({
        "article_id": ["a", "b", "b"], "sentence_id": [0, 0, 1], "start": [0, 0, 10], "end": [5, 5, 15],
        "text": ["James Baker", "Baker", "Tokyo"], "label": ["PERSON", "PERSON", "GPE"],
        "entity": ["James Baker", "Baker", "Tokyo"], "rule": ["as written"] * 3, "compound": [0.0] * 3,
        "published": pd.to_datetime(["1987-03-01"] * 3),
    }).astype({"entity": "string", "rule": "string", "label": "string"})
    resolved = resolve_corpus(frame)
    assert resolved["entity"].tolist() == ["James Baker", "James Baker", "Tokyo"]
    assert resolved["rule"].iloc[1] == "surname of a full name in the corpus"


def test_long_texts_are_cut_at_paragraphs():
    text = ("word " * 30 + "\n\n") * 10
    pieces = list(_chunks(text, size=400))
    assert "".join(chunk for _, chunk in pieces) == text
    assert all(len(chunk) <= 400 for _, chunk in pieces)
    assert all(text[offset:].startswith(chunk) for offset, chunk in pieces)


@needs_corpus
def test_gold_entities_and_dates():
    """Hand-checked canonical names and dates on the sample and 30 Reuters articles (benchmarks/README.md)."""
    from benchmarks.entities_dates import evaluate

    scores = evaluate()
    assert scores["entities"].precision >= 0.70 and scores["entities"].recall >= 0.83
    assert scores["dates resolved"].precision >= 0.90 and scores["dates resolved"].recall >= 0.90


def test_wire_table_words_are_not_names():
    text = "Shr 1.20 dlrs vs 1.10 cts. Revs 5.0 mln vs 4.1 mln. Avg shrs 3.3 mln. Net profit went to John Smith."
    entities = toolkit.analyze_articles(from_texts([text])).entities
    assert entities["entity"].tolist() == ["John Smith"]

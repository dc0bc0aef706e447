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


def _tagged(text: str) -> dict[str, tuple[str, str]]:
    """text -> (label, entity) of every mention in one article."""
    entities = toolkit.analyze_articles(from_texts([text])).entities
    return {row.text: (row.label, row.entity) for row in entities.itertuples()}


def test_headline_in_capitals_is_recased_for_the_model_and_keeps_its_offsets():
    from toolkit.entities import recase_headlines

    text = "FLOODS HIT NORTHERN ITALY AS PO RIVER RISES\n\nROME 2024-05-02\n\nThe river rose in northern Italy on Monday."
    recased = recase_headlines(text)
    assert len(recased) == len(text)
    # "northern" and "river" are lower-case in the body, "Italy" capitalised; "as" is a common word;
    # "hit", "rises" and "Po" appear nowhere else, so they are capitalised.
    assert recased.splitlines()[0] == "Floods Hit northern Italy as Po river Rises"
    assert recased.endswith(text.split("\n\n", 2)[2])  # ordinary lines untouched
    assert _tagged(text)["ITALY"] == ("GPE", "Italy")


def test_alias_in_a_capital_headline_stays_an_acronym():
    from toolkit.entities import recase_headlines

    assert recase_headlines("US AND UK AGREE ON STEEL TARIFFS\n\nTalks ended.", frozenset({"US", "UK"})).startswith(
        "US and UK Agree")


@pytest.mark.parametrize(
    ("text", "teams"),
    [
        ("Results on Saturday:\n\nHalifax 2 Kingston Rovers 1\n\nPenrith 0 Oxley 3\n\nHalifax lead the table.",
         {"Halifax", "Kingston Rovers", "Penrith", "Oxley"}),
        ("Standings:\n\nDenver 10 7 2 1 20 9 23\n\nPortland 10 6 2 2 15 9 20", {"Denver", "Portland"}),
    ],
)
def test_names_on_results_lines_are_teams(text, teams):
    tagged = _tagged(text)
    assert {name for name, (label, _) in tagged.items() if label == "ORG"} >= teams


def test_trade_table_rows_with_large_figures_stay_places():
    tagged = _tagged("Exports to:\n\nJapan 12,400 11,900\n\nBrazil 3,100 2,800\n\nShipments to Japan rose.")
    assert tagged["Japan"][0] == "GPE"


def test_a_span_across_a_spaced_dash_or_comma_is_two_names():
    tagged = _tagged("TENNIS - AGASSI WINS IN TORONTO\n\nThe match was played at Rexall Centre , Toronto on Sunday.")
    assert "Rexall Centre , Toronto" not in tagged and tagged["Toronto"][0] == "GPE"
    assert not any(" - " in name for name in tagged)

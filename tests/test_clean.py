import re

import pytest

import toolkit
from toolkit.clean import DEFAULT_RULES, Rule, clean_text, paragraphs
from tests.conftest import needs_corpus

SAMPLE_BOILERPLATE = ["Impact Shorts", "More Shorts", "With inputs from agencies"]


def test_sample_boilerplate_is_removed_and_recorded(sample_analysis):
    article = sample_analysis.articles.iloc[0]
    assert article["removed"] == [*SAMPLE_BOILERPLATE, *[")"] * 9]
    for sentence in sample_analysis.sentences["text"]:
        assert not any(junk in sentence for junk in SAMPLE_BOILERPLATE)
        assert re.search(r"\w", sentence)
    assert "After the call with Putin, Trump told reporters" in sample_analysis.sentences["text"].tolist()[9]


def test_sample_keeps_every_real_line(sample_analysis):
    raw_lines = [line for line in sample_analysis.articles["raw_text"].iloc[0].splitlines() if line.strip()]
    kept = [line.removeprefix("More Shorts") for line in raw_lines
            if line not in ("Impact Shorts", "With inputs from agencies", ")")]
    assert len(kept) == 18
    assert all(line in sample_analysis.articles["text"].iloc[0] for line in kept)


@pytest.mark.parametrize(
    ("raw", "text", "removed"),
    [
        ("Impact Shorts\nMore ShortsThe call ended.", "The call ended.", ["Impact Shorts", "More Shorts"]),
        ("Growth slowed.\nAdvertisement\nPrices rose.", "Growth slowed.\n\nPrices rose.", ["Advertisement"]),
        # A label word inside real prose is content, not boilerplate.
        ("Advertisement revenue rose.\nRead More about it here.", "Advertisement revenue rose.\n\nRead More about it here.", []),
        # A label that merely begins a longer word is no label: "Advertisements", "Also Readers".
        ("Advertisements rose 5 pct.", "Advertisements rose 5 pct.", []),
        ("Also Readers wrote in.\nRead Moreover pages.", "Also Readers wrote in.\n\nRead Moreover pages.", []),
        # Glued onto a sentence that opens with a capital or a quote, the label is boilerplate.
        ("AdvertisementThe index fell.", "The index fell.", ["Advertisement"]),
        ("Read More\u201cWe will stay,\u201d he said.", "\u201cWe will stay,\u201d he said.", ["Read More"]),
        ("(With inputs from agencies)", "", ["(With inputs from agencies)"]),
        ("Rates fell 5 pct.\n)\n)\n...", "Rates fell 5 pct.", [")", ")", "..."]),
        ("Bell\x07 rang\x00 twice.", "Bell rang twice.", ["\x07", "\x00"]),
        ("The bank said\nit would pay.\n    Shares rose\nsharply today.\n REUTER", "The bank said it would pay.\n\nShares rose sharply today.", ["REUTER"]),
    ],
)
def test_rules(raw, text, removed):
    cleaned = clean_text(raw)
    assert (cleaned.text, cleaned.removed) == (text, removed)


def test_web_text_lines_stay_paragraphs():
    assert paragraphs("First line is a paragraph.\nSecond one too.") == ["First line is a paragraph.", "Second one too."]


def test_wire_table_rows_stay_rows():
    raw = "Results were as follows for the\nquarter ended March 31 -\n    Shr   1.20   1.10\n    Net   5.0 mln   4.1 mln\n"
    assert paragraphs(raw) == [
        "Results were as follows for the quarter ended March 31 -", "Shr 1.20 1.10", "Net 5.0 mln 4.1 mln",
    ]


def test_users_add_their_own_rules():
    rules = [*DEFAULT_RULES, Rule("newsletter", r"^Sign up for our newsletter.*$")]
    cleaned = clean_text("Stocks rose.\nSign up for our newsletter today!", rules=rules)
    assert (cleaned.text, cleaned.removed, cleaned.rules) == ("Stocks rose.", ["Sign up for our newsletter today!"], ["newsletter"])


@needs_corpus
def test_reuters_wrapped_lines_are_joined(reuters_raw):
    cleaned = clean_text(reuters_raw["reuters-1"])
    assert cleaned.text.startswith(
        "Showers continued throughout the week in the Bahia cocoa zone, alleviating the drought since early January"
    )
    indented = sum(line.startswith("    ") for line in reuters_raw["reuters-1"].splitlines())
    assert cleaned.text.count("\n\n") + 1 == indented + 1 == 17
    assert "\n" not in cleaned.text.replace("\n\n", "")


@needs_corpus
def test_reuters_cleaning_removes_only_signatures_and_junk(reuters_raw):
    removed = [item for raw in reuters_raw.values() for item in clean_text(raw).removed]
    assert removed.count("REUTER") > 4000
    assert all(re.fullmatch(r"(?i)reuter(?:\.{3}|\^M)*|[^\w\s]{1,5}|[a-z]", item) for item in removed), set(removed)


@pytest.mark.parametrize(("raw", "text", "removed"), [
    ("Ber\u200dlin and Par\u200cis", "Berlin and Paris", ["\u200d", "\u200c"]),
    ("co\u00adoper\u00adation with Mos\u2060cow", "cooperation with Moscow", ["\u00ad", "\u00ad", "\u2060"]),
    ("\ufeffThe talks\u200b resumed.", "The talks resumed.", ["\ufeff", "\u200b"]),
])
def test_invisible_joiners_are_removed_inside_words_not_turned_into_spaces(raw, text, removed):
    cleaned = clean_text(raw)
    assert (cleaned.text, cleaned.removed) == (text, removed)


def test_a_joined_city_is_tagged_whole(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("The minister flew to Ber\u200dlin on Tuesday to meet the chancellor.", encoding="utf-8")
    analysis = toolkit.analyze(path, cache=False)
    assert "Berlin" in analysis.entities["text"].tolist()
    assert analysis.problems["problem"].str.contains("invisible").any()


def test_a_bad_rule_is_refused_naming_it():
    with pytest.raises(ValueError, match=r"Rule 'broken': pattern must be a valid regular expression; '\(unclosed' is not"):
        Rule("broken", "(unclosed")
    with pytest.raises(ValueError, match="Rule 'flagged'"):
        Rule("flagged", "x", flags="i")  # type: ignore[arg-type]


def test_a_rule_compiles_multiline_with_its_own_flags():
    pattern = Rule("footer", r"^advert$", re.IGNORECASE).compiled()
    assert pattern.findall("Prices rose.\nADVERT\nShares fell.") == ["ADVERT"]


def test_user_rules_keep_their_flags_among_the_others():
    """A rule with IGNORECASE and DOTALL removes from its line to the end, whatever the case, across lines."""
    footer = Rule("footer", r"^-- footer --.*", re.IGNORECASE | re.DOTALL)
    cleaned = clean_text("Stocks rose.\n-- FOOTER --\nContact us\nAll rights reserved", rules=[*DEFAULT_RULES, footer])
    assert (cleaned.text, cleaned.removed, cleaned.rules) == (
        "Stocks rose.", ["-- FOOTER --\nContact us\nAll rights reserved"], ["footer"])


def test_the_frame_stage_uses_the_rules_given_and_keeps_the_index():
    articles = toolkit.from_texts(["Stocks rose.\nSign up now!", "Bonds fell."]).set_axis([10, 20])
    rules = [*DEFAULT_RULES, Rule("newsletter", r"^Sign up now!$")]
    cleaned = toolkit.clean(articles, rules=rules)
    assert cleaned["text"].tolist() == ["Stocks rose.", "Bonds fell."]
    assert cleaned["removed"].tolist() == [["Sign up now!"], []]
    empty = toolkit.clean(articles.iloc[0:0])
    assert empty.empty and empty["text"].dtype == "string"  # an empty corpus keeps the column types


def test_a_control_character_between_words_leaves_a_space():
    assert clean_text("two\x00words and\x1bmore").text == "two words and more"


@pytest.mark.parametrize(("raw", "expected"), [
    # Wire copy: three or more short lines, one ending in lower case and the next starting so, are one paragraph.
    ("The bank said\nit would pay\ndividends soon.", ["The bank said it would pay dividends soon."]),
    # ... whatever the line ends are (Windows, old Mac), and a blank line still parts two paragraphs.
    ("The bank said\r\nit would pay\r\ndividends soon.", ["The bank said it would pay dividends soon."]),
    ("The bank said\nit would pay.\n\nShares rose\nsharply today.", ["The bank said it would pay.", "Shares rose sharply today."]),
    ("First line.\rSecond line.", ["First line.", "Second line."]),
    # A line of exactly 100 characters can still be wire copy; one of 101 is web text, each line a paragraph.
    ("x" * 87 + " it said that\nthe bank\nwould pay.", ["x" * 87 + " it said that the bank would pay."]),
    ("x" * 88 + " it said that\nthe bank\nwould pay.", ["x" * 88 + " it said that", "the bank", "would pay."]),
    # Two lines are too few to tell wire copy; short lines that never break a sentence are not wrapped.
    ("The bank said\nit would pay.", ["The bank said", "it would pay."]),
    ("Oil prices rose\nShares fell\nThe dollar was steady", ["Oil prices rose", "Shares fell", "The dollar was steady"]),
])
def test_hard_wrapped_lines_are_told_from_web_lines(raw, expected):
    assert paragraphs(raw) == expected


def test_windows_line_ends_are_read_as_line_ends():
    assert clean_text("Growth slowed.\r\nAdvertisement\r\nPrices rose.").text == "Growth slowed.\n\nPrices rose."

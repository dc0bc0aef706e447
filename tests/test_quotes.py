"""The attribute stage: quotes and reported speech with resolved speakers, on the sample and hard cases."""

from __future__ import annotations

import pandas as pd
import pytest

import toolkit
from tests.conftest import needs_corpus
from tests.test_quotes_rules import shipped_simple_patterns
from benchmarks.quotes import OPEN_NEWS, gold_inputs, gold_spans, load_gold, score, toolkit_spans
from toolkit.load import from_texts
from toolkit.quotes import (
    QUOTE_COLUMNS, Mention, TitleIndex, _has_cue_word, _trigger,
    default_reporting_verbs, parse, quotation_verb_forms, quote_spans, resolve_speaker, sentence_cues, simple_cue,
    verb_forms,
)

SAMPLE_ID = "000_739a1000ab1b0261"
# Every statement of the sample article, checked by reading it: (kind, start of the content, cue,
# speaker as written, canonical speaker, rule).
SAMPLE_ROWS = [
    ("indirect", "he held a phone conversation", "said", "Ukrainian President Volodymyr Zelenskyy",
     "Volodymyr Zelenskyy", "named"),
    ("mixed", "President Trump was “very well informed”", "said", "Zelenskyy", "Volodymyr Zelenskyy", "named"),
    ("indirect", "The two also agreed to hold a separate meeting", "added", "the report", "The Guardian",
     "description: the article names it so"),
    ("indirect", "the conversation, which lasted roughly 40 minutes", "said", "Zelenskyy", "Volodymyr Zelenskyy",
     "named"),
    ("direct", "We are ready for direct projects with America", "was quoted as saying", "Zelenskyy",
     "Volodymyr Zelenskyy", "named"),
    ("direct", "We have done a lot together with America", "quoted him as saying", "him", "Volodymyr Zelenskyy",
     "pronoun: most recent person"),
    ("mixed", "he was “very disappointed,”", "told", "Trump", "Donald Trump", "named"),
    ("direct", "I don’t think he’s there…", "adding", "Trump", "Donald Trump", "named"),
    ("indirect", "the delay risks weakening its air defences", "has warned", "Kyiv", "Kyiv", "named"),
    ("indirect", "it sees no immediate diplomatic path", "said", "Russia", "Russia", "named"),
    ("indirect", "there had been no progress in talks with Putin", "acknowledged", "Trump", "Donald Trump", "named"),
]


@pytest.fixture(scope="module")
def quotes(sample_analysis: toolkit.Analysis) -> pd.DataFrame:
    return sample_analysis.quotes


def test_sample_statements_in_order(quotes: pd.DataFrame) -> None:
    assert list(quotes.columns) == QUOTE_COLUMNS
    found = [(r.kind, r.cue, r.speaker_text, r.speaker, r.rule) for r in quotes.itertuples()]
    assert found == [(kind, cue, text, speaker, rule) for kind, _, cue, text, speaker, rule in SAMPLE_ROWS]
    for row, (_, opening, *_) in zip(quotes.itertuples(), SAMPLE_ROWS):
        assert row.text.startswith(opening)
    assert quotes["quote_id"].tolist() == list(range(len(SAMPLE_ROWS)))


def test_offsets_point_into_the_cleaned_text(quotes: pd.DataFrame, sample_text: str) -> None:
    for row in quotes.itertuples():
        assert sample_text[row.start:row.end] == row.text
        assert sample_text[row.speaker_start:row.speaker_end] == row.speaker_text


def test_two_sentence_quote_the_guardian_quoted_him_as_saying(quotes: pd.DataFrame) -> None:
    row = quotes[quotes["cue"] == "quoted him as saying"].iloc[0]
    assert row.text.endswith("and Ukraine supports American proposals")
    assert row.sentence_ids == [6, 7]
    assert row.speaker == "Volodymyr Zelenskyy"


def test_partial_quote_is_mixed_and_scored(quotes: pd.DataFrame) -> None:
    row = quotes[quotes["text"].str.contains("very disappointed")].iloc[0]
    assert (row.kind, row.speaker, row.cue) == ("mixed", "Donald Trump", "told")
    assert row.compound < -0.5  # VADER on the content, quotes straightened: "very disappointed"


def test_summary_names_the_most_quoted(sample_analysis: toolkit.Analysis) -> None:
    assert "11 quotes, 11 with a named speaker; most quoted: Volodymyr Zelenskyy (5), Donald Trump (3)" in (
        sample_analysis.summary())


def test_saved_with_the_other_frames(sample_analysis: toolkit.Analysis, tmp_path) -> None:
    sample_analysis.save(tmp_path)
    back = pd.read_parquet(tmp_path / "quotes.parquet")
    assert back["speaker"].tolist() == sample_analysis.quotes["speaker"].tolist()
    assert pd.read_csv(tmp_path / "quotes.csv")["sentence_ids"].iloc[5] == "[6, 7]"


@pytest.mark.parametrize(("text", "spans"), [
    ("He said “no”, and left.", ["no"]),
    ('"One," she said. "Two."', ["One", "Two."]),
    # A paragraph that opens a quote without closing it continues into the next that opens one.
    ("“We cut costs.\n\n“We closed plants,” he said.", ["We cut costs.\n\n“We closed plants"]),
    # ...but not into a paragraph that does not open with a quotation mark.
    ("“We cut costs.\n\nHe left.", ["We cut costs."]),
])
def test_quote_spans(text: str, spans: list[str]) -> None:
    assert [text[start:end] for start, end in quote_spans(text)] == spans


HARD_CASES = [
    "Finance Minister Jane Doe spoke on Monday.\n\n“We will not raise taxes this year,” said the minister. "
    "“The budget is balanced.”",
    "Acme Corp reported a loss.\n\nChief executive John Smith said: “This was a hard year for all of us.”",
    "According to the Reuters news agency, the talks collapsed on Friday.",
    "A spokesman said the plan would be reviewed next month.",
    "They said the strike would go on until the end of the month.",
]


def quotes_of(*texts: str, reporting_verbs: pd.DataFrame | None = None) -> pd.DataFrame:
    """The quotes of some hand-written articles, analysed by the test itself: `make mutate` runs, for each planted
    bug, the tests that reached the mutated code, and a shared fixture would count only for its first test."""
    return toolkit.analyze_articles(from_texts(list(texts)), cache=False, reporting_verbs=reporting_verbs).quotes


def test_cue_after_with_inverted_speaker_and_a_continued_quote() -> None:
    rows = quotes_of(HARD_CASES[0])
    assert rows[["kind", "text", "cue", "speaker", "rule"]].values.tolist() == [
        ["direct", "We will not raise taxes this year", "said", "Jane Doe", "description: title the article gives"],
        ["direct", "The budget is balanced.", pd.NA, "Jane Doe", "continues the quote before"],
    ]


def test_cue_before_with_a_colon() -> None:
    row = quotes_of(HARD_CASES[1]).iloc[0]
    assert (row.kind, row.text, row.speaker) == ("direct", "This was a hard year for all of us.", "John Smith")


def test_according_to() -> None:
    row = quotes_of(HARD_CASES[2]).iloc[0]
    assert (row.kind, row.cue, row.text, row.speaker) == ("indirect", "According to", "the talks collapsed on Friday",
                                                          "Reuters")


def test_unresolvable_speakers_stay_na_with_their_text() -> None:
    rows = quotes_of(*HARD_CASES[3:])
    assert rows["speaker_text"].tolist() == ["A spokesman", "They"]
    assert rows["speaker"].isna().all() and (rows["rule"] == "not resolved").all()


# One class of wrong speaker each, as read in the tuning part of the gold set; written anew here.
SPEAKER_CASES = {
    "two subjects": ("The US car manufacturer General Motors said that it would cut 10,000 jobs in Europe.",
                     "General Motors", "named"),
    "portfolio before the name": (
        "The European Commission welcomed the announcement and in a reaction to the news European Commissioner for "
        "Competition Neelie Kroes said \u201cthe Commission is very much in favour of solutions for consumers.\u201d",
        "Neelie Kroes", "name as written (not tagged as an entity)"),
    "she is the woman": ("Mary Okafor, the bank's chairwoman, met Peter Lindqvist in Oslo on Monday. She said the "
                         "merger would be completed by June.", "Mary Okafor", "pronoun: most recent person"),
    "he is the man": ("Peter Lindqvist met Mary Okafor, the bank's chairwoman, in Oslo on Monday. He said the "
                      "merger would be completed by June.", "Peter Lindqvist", "pronoun: most recent person"),
    "a spokesman speaks for the body": ("A spokesman for Boeing said the delivery would be late by a month.", "Boeing",
                                        "named in the speaker's words"),
    "a professor does not": ("A university professor from the University of Michigan said the carmaker would fail.",
                             pd.NA, "not resolved: speaks for no one named"),
    "the person opening the sentence before an uncued quote": (
        "\u201cThe industry will be smaller next year,\u201d said Tony Clement. Daimler chairman Dieter Zetsche denied "
        "the allegations. \u201cWe do not exclude that mistakes were made by some people.\u201d",
        "Dieter Zetsche", "named in the sentence before"),
}
# Classes of wrong speaker read in the held-out part of the gold set (after its figures were first
# reported) and in open-news articles outside the gold, each written anew here; the fresh part was not
# read. Each fails on the code before the fix.
SPEAKER_CASES |= {
    "a participle says what the subject of its clause says": (
        "Skyways CEO, Michael O' Brien, justified his choice of the new jet by saying, \"It is the cheapest aircraft "
        "to run on our short routes.\"", "Michael O' Brien", "named in the speaker's words"),
    "a participle hung inside the content": (
        "Norske Bank chief executive Peter Lindqvist met investors in Oslo. Lindqvist stated that there was a chance "
        "of new routes elsewhere as well, saying, \"We will look at Asia and at Africa next year.\"",
        "Peter Lindqvist", "named"),
    "a surname after a sentence that ends in a name": (
        "Jusman Syafii Djamal, the transport minister, met the vice president in Jakarta. Djamal told reporters that "
        "he felt the best option was to lift the ban.", "Jusman Syafii Djamal", "named"),
    "the person before a verb in the sentence before an uncued quote": (
        "\u201cThe industry will be smaller next year,\u201d said Tony Clement. Following weeks of speculation about a "
        "merger of the two companies, chairman Dieter Zetsche denied the reports. \u201cWe do not exclude any option "
        "in order to find the best solution.\u201d", "Dieter Zetsche", "named in the sentence before"),
    "a participle after a statement says what its author says": (
        "Washington representative Norm Dicks said he too was \"shocked\", releasing a statement saying \"This "
        "decision is even more disappointing than the last one.\"", "Norm Dicks", "pronoun: most recent person"),
    "a capitalised quantifier names no one": ("Some say history tends to repeat itself.", pd.NA, "not resolved"),
    "a plural noun opening the sentence names no one": ("Reports say that the carmaker will cut 2,000 jobs in Ohio.",
                                                         pd.NA, "not resolved"),
    "who is the person it follows": (
        "A contrary view is offered by Charles Reilly, a management expert at Stanford University, who stated, "
        "\"Great companies rarely go from strength to strength.\"", "Charles Reilly",
        "relative pronoun: the name it follows"),
    "a nationality names no company": (
        "Fiat has told the US Treasury that it will buy the stake, giving the Italian company a majority. According to "
        "Fiat's announcement, the company has told the Treasury that it intends to use its option.", "Fiat",
        "description: most recent ORG"),
    "a role in lower case before the name": (
        "Stock indexes rose on Friday, after US bank chief Ben Bernanke said that the economy was starting to recover. "
        "Addressing a conference in Wyoming, the bank chief said that \"the prospects for a return to growth in the "
        "near term appear good.\"", "Ben Bernanke", "description: title the article gives"),
    "a body's name ends before the noun after it": (
        "Due to the company's current contract with the United Auto Workers union, workers at the idled plants will "
        "still be paid. The UAW said \"the plan is a disgrace for every worker in the plant.\"",
        "United Auto Workers", "named"),
}


@pytest.mark.parametrize("case", list(SPEAKER_CASES))
def test_speaker_classes(case: str) -> None:
    text, speaker, rule = SPEAKER_CASES[case]
    row = quotes_of(text).iloc[-1]
    assert (row.speaker, row.rule) == (speaker, rule)


def test_a_time_after_the_verb_is_no_speaker() -> None:
    text = "The 777-200LR will be the basis for an all-freight version of the 777, announced last November."
    assert quotes_of(text).empty


def test_a_sentence_inside_a_quotation_is_the_quotes_not_a_statement_of_its_own() -> None:
    text = '"We cut costs. We said no to the bank. We sold the plant," Jane Doe said.'
    assert quotes_of(text)[["kind", "text", "speaker"]].values.tolist() == [
        ["direct", "We cut costs. We said no to the bank. We sold the plant", "Jane Doe"]]


def test_a_name_the_tagger_missed_is_the_person_the_article_names_with_it() -> None:
    text = "Djamal told reporters that he felt the best option was to lift the ban, Jusman Syafii Djamal added."
    full = text.index("Jusman")
    people = [Mention(full, full + len("Jusman Syafii Djamal"), "PERSON", "Jusman Syafii Djamal")]
    for mentions, found in ((people, ("Jusman Syafii Djamal", "surname of a person the article names")),
                            ([], ("Djamal", "name as written (not tagged as an entity)"))):
        assert resolve_speaker(text, (0, 6), None, "Djamal", mentions, lambda: TitleIndex([]), [0], {}) == found


def test_a_name_before_a_title_is_where_the_person_works() -> None:
    """"Ryanair CEO, Michael O'Leary": the tagger may call both people; the appositive is the speaker."""
    text = "Ryanair CEO, Michael O'Leary, justified the order by saying the jet was the cheapest."
    speaker = "Ryanair CEO, Michael O'Leary"
    mentions = [Mention(0, 7, "PERSON", "Ryanair"), Mention(13, 28, "PERSON", "Michael O'Leary")]
    found = resolve_speaker(text, (0, len(speaker)), text.index("CEO"), None, mentions, lambda: TitleIndex([]), [0], {})
    assert found == ("Michael O'Leary", "named in the speaker's words")


# Classes of missed direct quote read in the tune, held-out and fresh parts of the gold set (third round), each
# written anew here; the fresh2 part was not read. Each fails on the code before its fix. Text -> the direct
# rows (content, cue, speaker as written, speaker).
DIRECT_CASES = {
    "speaker lines of a transcript": (
        "The messages were read into the record on Tuesday.\n\nRegional Director of Operations Maria Lopez: \"We cannot "
        "sign this lease before the audit is finished.\" : Chief Counsel Tom Baker: \"Agreed. Keep it on hold until "
        "May.\"",
        [("We cannot sign this lease before the audit is finished.", pd.NA, "Regional Director of Operations Maria Lopez",
          "Maria Lopez"),
         ("Agreed. Keep it on hold until May.", pd.NA, "Chief Counsel Tom Baker", "Tom Baker")]),
    "a label in lower case is no speaker line": (
        "The plan of the new owners, in short: \"Cut costs and sell the plant before the winter.\"", []),
    "a quote before a speaker whose verb is not the cue": (
        "\"Where will the money come from?\" Maria Lopez kept asking, \"and who will pay it back?\"",
        [("Where will the money come from?", "asking", "Maria Lopez", "Maria Lopez"),
         ("and who will pay it back?", "asking", "Maria Lopez", "Maria Lopez")]),
    "a quotation after citing": (
        "Citing \"serious safety concerns\", Deutsche Bank said on Monday that it would close the branch.",
        [("serious safety concerns", "Citing", "Deutsche Bank", "Deutsche Bank")]),
    "a quotation a sign reads": (
        "The banner outside the town hall of Springfield reads, \"No more cuts to our schools\", in red letters.",
        [("No more cuts to our schools", "reads", "The banner outside the town hall of Springfield", pd.NA)]),
    "a quotation they call for": (
        "Mary Okafor and Tom Baker wrote the report. They call for \"a fair deal for every worker in the sector.\"",
        [("a fair deal for every worker in the sector.", "call", "They", pd.NA)]),
    "a thing called so is no quotation": (
        "Mary Okafor joined a group called \"Friends of the Valley\" in 2001.", []),
    "a quotation as stated on a website": (
        "The new tablet is claimed to be \"the thinnest on the market\" as stated on the Deutsche Bank website.",
        [("the thinnest on the market", "stated", "the Deutsche Bank website", "Deutsche Bank")]),
    "no quote reaches across a paragraph to a verb": (
        "\u201cThe plan will save jobs,\u201d said Mary Okafor. \u201cWe have no other choice.\u201d\n\nThe new rules "
        "are intended to deny the company any subsidy.",
        [("The plan will save jobs", "said", "Mary Okafor", "Mary Okafor"),
         ("We have no other choice.", pd.NA, "Mary Okafor", "Mary Okafor")]),
    "a quote after the cue and a connective": (
        "Deutsche Bank said little on Monday. \"The talks have failed\", it added; and, later, \"We will not lend to "
        "the city again this year\".",
        [("The talks have failed", "added", "it", "Deutsche Bank"),
         ("We will not lend to the city again this year", "added", "it", "Deutsche Bank")]),
    # (issue 14: read from a surviving mutant, not from the gold set)
    "a quote after 'according to' and a colon": (
        "Deutsche Bank will close the branch. According to the bank:\n\n\"We will not lend to the city again this "
        "year.\"",
        [("We will not lend to the city again this year.", "According to", "the bank", "Deutsche Bank")]),
}


@pytest.mark.parametrize("case", list(DIRECT_CASES))
def test_direct_quote_classes(case: str) -> None:
    text, expected_rows = DIRECT_CASES[case]
    rows = quotes_of(text)
    direct = rows[rows["kind"] == "direct"][["text", "cue", "speaker_text", "speaker"]].astype(object)
    expected = [tuple(None if value is pd.NA else value for value in row) for row in expected_rows]
    assert [tuple(row) for row in direct.where(direct.notna(), None).itertuples(index=False)] == expected


def test_a_quote_after_a_sentence_that_opens_with_no_person_continues_the_one_before() -> None:
    text = ("\u201cThe industry will be smaller next year,\u201d said Tony Clement. Boeing hired Dieter Zetsche in 2001. "
            "\u201cWe do not exclude that mistakes were made by some people.\u201d")
    rows = quotes_of(text)
    assert rows[["speaker", "rule"]].values.tolist() == [["Tony Clement", "named"],
                                                         ["Tony Clement", "continues the quote before"]]


@pytest.mark.parametrize(("sentence", "speaker", "cue", "content"), [
    ("\"Nobody can tell the difference,\" one salesman said.", "one salesman", "said", "Nobody can tell the difference"),
    ("\"It is too early,\" said Paul Mlotok, oil analyst with Salomon Brothers Inc.",
     "Paul Mlotok, oil analyst with Salomon Brothers Inc.", "said", "It is too early"),
    ("Shearson, a unit of American Express Co <AXP>, said Robert Stearns has joined the company.",
     "Shearson, a unit of American Express Co <AXP>", "said", "Robert Stearns has joined the company"),
    ("Poland has said it will not be able to meet interest payments.", "Poland", "has said",
     "it will not be able to meet interest payments"),
    ("<Coloroll Group Plc> said it has entered into a conditional agreement.", "<Coloroll Group Plc>", "said",
     "it has entered into a conditional agreement"),
    ("Prices firmed again on the outlook for steady loadings, dealers said.", "dealers", "said",
     "Prices firmed again on the outlook for steady loadings"),
    ("Pacific Western said the new structure \"will facilitate our objective.\"", "Pacific Western", "said",
     "the new structure \"will facilitate our objective.\""),
])
def test_simple_shapes_read_without_the_parse(sentence: str, speaker: str, cue: str, content: str) -> None:
    patterns = shipped_simple_patterns()
    found = simple_cue(sentence, 0, patterns, quote_spans(sentence))
    assert found is not None
    assert [sentence[a:b] for a, b in (found.speaker, found.cue, found.content)] == [speaker, cue, content]


@pytest.mark.parametrize(("sentence", "parsed"), [
    ("The company reported net income of 3.7 mln dlrs.", False),
    ("The value of the contract was not disclosed.", False),
    ("Shultz declined to comment on the report.", False),
    ("Rates were quoted at six pct, with senior notes due in 1992.", False),
    ("He is saying that the plan will fail.", True),
    ("The report notes that exports fell.", True),
    ("Officials in Kyiv reported that the strikes had hit two power stations.", True),
    # A verb form right after a determiner or the like is an adjective or a noun: no parse for it.
    ("The reported loss was large.", False),
    ("Prices fell and the reported loss was large.", False),
    ("Its annual reported loss was large.", False),
    ("The firm reported a loss.", True),
])
def test_only_reporting_words_that_can_start_a_statement_are_worth_a_parse(sentence: str, parsed: bool) -> None:
    assert _has_cue_word(sentence, _trigger(tuple(sorted(verb_forms())))) is parsed


def test_reporting_verbs_are_user_extendable() -> None:
    text = "The ministry grumbled that the rules were unfair."
    assert quotes_of(text).empty
    extra = pd.DataFrame({"verb": ["grumble"], "forms": ["grumble grumbles grumbled grumbling"]})
    found = quotes_of(text, reporting_verbs=extra)
    assert found[["cue", "text"]].values.tolist() == [["grumbled", "the rules were unfair"]]
    assert "grumbled" in verb_forms(extra) and "grumbled" not in verb_forms()
    assert set(default_reporting_verbs().columns) == {"verb", "forms"}


OPEN_NEWS_PRESENT = pytest.mark.skipif(not OPEN_NEWS.is_file(), reason=f"open-news corpus not found at {OPEN_NEWS}")
# The figures of `python -m benchmarks.quotes` (benchmarks/README.md), as counts over the whole gold set
# (tune, held-out, fresh and fresh2 parts): group -> (gold statements found, predicted statements not in the
# gold, speakers right).
GOLD_FIGURES = {"direct": (141, 1, 129), "reported": (166, 13, 149)}
# The targets (span F1, speaker accuracy), met over the first 47 articles (tune, held-out and fresh
# parts; fresh2, the unseen part of the third round, is reported beside them, not held to them).
TARGETS = {"direct": (0.95, 0.90), "reported": (0.80, 0.80)}
TARGET_PARTS = {"tune", "heldout", "fresh"}


@pytest.mark.slow
@OPEN_NEWS_PRESENT
def test_gold_set_figures_hold() -> None:
    """Fails when more than one statement is lost, added wrongly or given a wrong speaker, in either group,
    or when a target of the issue is no longer met."""
    gold = load_gold()
    analysis = toolkit.analyze_articles(gold_inputs(gold), cache=False)
    predicted = toolkit_spans(analysis)
    scores = score(gold_spans(gold), predicted)
    first = {a["id"] for a in gold if a["split"] in TARGET_PARTS}
    first_scores = score([s for s in gold_spans(gold) if s.article in first], [s for s in predicted if s.article in first])
    for group, (found, extra, right) in GOLD_FIGURES.items():
        result = scores[group]
        assert result.matched >= found - 1, result.errors
        assert result.predicted - result.matched_predicted <= extra + 1, result.errors
        assert result.right_speaker >= right - 1, result.errors
        span_f1, speaker_accuracy = TARGETS[group]
        on_first = first_scores[group]
        assert on_first.f1 >= span_f1 and on_first.speaker_accuracy >= speaker_accuracy, (group, on_first.errors)


def test_gold_offsets_point_at_their_texts(sample_text: str) -> None:
    """Every gold span is the text it claims to be in the cleaned article (the sample here)."""
    [sample] = [a for a in load_gold() if a["id"] == SAMPLE_ID]
    for statement in sample["statements"]:
        assert sample_text[statement["start"]:statement["end"]] == statement["text"]
        assert sample_text[statement["speaker_start"]:statement["speaker_end"]] == statement["speaker_text"]


@OPEN_NEWS_PRESENT
def test_open_news_gold_offsets_point_at_their_texts() -> None:
    """Every gold span and speaker span of the open-news articles is the text it claims to be after cleaning."""
    gold = [a for a in load_gold() if a["id"] != SAMPLE_ID]
    cleaned = toolkit.clean(gold_inputs(gold)).set_index("article_id")["text"]
    assert {a["split"] for a in gold} == {"tune", "heldout", "fresh", "fresh2"}
    for article in gold:
        text = cleaned[article["id"]]
        for statement in article["statements"]:
            assert text[statement["start"]:statement["end"]] == statement["text"], article["id"]
            assert text[statement["speaker_start"]:statement["speaker_end"]] == statement["speaker_text"], article["id"]


@pytest.mark.slow
@needs_corpus
def test_simple_sentences_read_without_the_parse_as_with_it(reuters_raw: dict[str, str]) -> None:
    """Where the regular expressions read a Reuters sentence, the parse finds the same speaker and content.

    Measured on the 150 articles here: 317 of 332 agree (95%); on 400: 890 of 952 (93%). In the rest the
    parse errs as often (it cuts "Nexxus Technologies Inc" to "Technologies Inc", or a content clause short).
    """
    ids = sorted(reuters_raw)[:150]
    sentences = toolkit.split(toolkit.clean(from_texts([reuters_raw[i] for i in ids])))
    forms = verb_forms()
    patterns = shipped_simple_patterns()
    trigger = _trigger(tuple(sorted(forms)))
    simple = [(text, cue) for text in sentences["text"] if _has_cue_word(text, trigger)
              and (cue := simple_cue(text, 0, patterns, quote_spans(text))) is not None]
    assert len(simple) > 100
    agree = 0
    for (text, cue), doc in zip(simple, parse([text for text, _ in simple])):
        parsed = [c for c in sentence_cues(doc, 0, forms, quote_spans(text)) if c.cue == cue.cue]
        if parsed and parsed[0].speaker == cue.speaker and parsed[0].content is not None and _overlap(
                parsed[0].content, cue.content) >= 0.5:
            agree += 1
    assert agree / len(simple) >= 0.9


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared / max(a[1] - a[0], b[1] - b[0]) if shared > 0 else 0.0


def test_quotes_by_speaker_counts_the_sample(sample_analysis: toolkit.Analysis, quotes: pd.DataFrame) -> None:
    table = toolkit.quotes_by_speaker(sample_analysis)
    assert table[["speaker", "quotes", "direct", "reported"]].values.tolist() == [
        ["Volodymyr Zelenskyy", 5, 2, 3], ["Donald Trump", 3, 1, 2], ["Kyiv", 1, 0, 1], ["Russia", 1, 0, 1],
        ["The Guardian", 1, 0, 1],
    ]
    trump = quotes[quotes["speaker"] == "Donald Trump"]["compound"].mean()
    assert table.set_index("speaker").loc["Donald Trump", "compound"] == pytest.approx(trump)
    assert table.set_index("speaker").loc["Donald Trump", "tone"] == "negative"
    by_year = toolkit.quotes_by_speaker(sample_analysis, freq="Y")
    assert by_year["bucket"].unique().tolist() == [pd.Timestamp("2025-01-01")]


def test_plot_quotes_by_speaker(sample_analysis: toolkit.Analysis) -> None:
    import matplotlib.pyplot as plt

    before = dict(plt.rcParams)
    ax = toolkit.plot_quotes_by_speaker(toolkit.quotes_by_speaker(sample_analysis))
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Volodymyr Zelenskyy", "Donald Trump", "Kyiv", "Russia", "The Guardian"]
    widths = sorted(round(p.get_width()) for p in ax.patches)
    assert widths == [0, 0, 0, 1, 1, 1, 1, 2, 2, 3]  # direct and reported parts of five bars
    assert dict(plt.rcParams) == before
    plt.close(ax.figure)


def test_quotes_view_escapes_and_marks_speaker_cue_and_content(sample_analysis: toolkit.Analysis) -> None:
    from toolkit.explore import Explorer, QuoteReader
    from toolkit.quote_table import quotes_html

    page = quotes_html(sample_analysis, "Donald Trump")
    assert page.count("<li>") == 3  # Trump's three statements
    assert '<mark class="speaker">Trump</mark> <mark class="cue">told</mark> reporters <mark class="content">' in page
    assert '<mark class="cue">adding</mark>' in page
    hostile = toolkit.analyze_articles(from_texts([
        "Finance Minister Jane Doe spoke on Monday. \u201cThe <script>alert(1)</script> tag is not an answer,\u201d Doe said."
    ]), cache=False)
    escaped = quotes_html(hostile, "Jane Doe")
    assert "<script>" not in escaped and "&lt;script&gt;" in escaped
    reader = QuoteReader(sample_analysis)
    assert reader.speaker.value == "Volodymyr Zelenskyy"
    assert ('<mark class="cue">quoted </mark><mark class="speaker">him</mark><mark class="cue"> as saying</mark>'
            in reader.quotes.value)
    reader.speaker.value = "Kyiv"
    assert '<mark class="cue">has warned</mark>' in reader.quotes.value
    assert any(isinstance(child, QuoteReader) for child in Explorer(sample_analysis).children)


def test_report_has_the_quotes_view(sample_analysis: toolkit.Analysis) -> None:
    from toolkit.report import build_report

    doc = build_report(sample_analysis)
    picker, shown = doc.select_one({"name": "speaker"}), doc.select_one({"name": "quotes"})
    assert picker.value == "Volodymyr Zelenskyy" and ("Kyiv", "Kyiv (1)") in picker.options
    assert '<mark class="speaker">him</mark>' in shown.text and shown.disable_math


def test_a_quotation_verb_is_a_cue_wherever_its_quotation_stands() -> None:
    """Quotation verbs ("call", "cite", "read") take a quotation after them, before them, or opening the next
    paragraph; with none near they report nothing ("called the plan bold", "cited weak demand")."""
    rows = quotes_of('"We are ready," the statement reads.', '"Never again," reads the sign.',
                     '"Stop the war now," protesters called on Monday.', "Analysts called the plan bold on Monday.",
                     'The banner reads:\n\n"No more cuts to our schools."', 'Citing "serious safety concerns", the airline cut flights.',
                     "The company cited weak demand.")
    assert rows[["article_id", "kind", "text", "cue", "speaker_text"]].values.tolist() == [
        ["text-0", "direct", "We are ready", "reads", "the statement"],
        ["text-1", "direct", "Never again", "reads", "the sign"],
        ["text-2", "direct", "Stop the war now", "called", "protesters"],
        ["text-4", "direct", "No more cuts to our schools.", "reads", "The banner"],
        ["text-5", "direct", "serious safety concerns", "Citing", "the airline"]]

"""The attribute stage's rules on their own, read off hand-written news sentences: who the article says is a
man or a woman, which words it gives a person or a body as a title, the speaker lines of a transcript, and
the side of a sentence that is left once an attribution is cut out. No spaCy: each case names its people
where a reader finds them, and the expected values were worked out by reading the sentence."""

from __future__ import annotations

import pytest

from toolkit.quotes import Mention, TitleIndex, _genders, _span_without, _speaker_line, _titles, quote_spans
from toolkit.text import sentence_spans


def mentions(text: str, *names: str, label: str = "PERSON") -> list[Mention]:
    """The mentions of `names` in `text`, each found after the one before it (a name may come twice)."""
    found, at = [], 0
    for name in names:
        start = text.index(name, at)
        found.append(Mention(start, start + len(name), label, name))
        at = start + len(name)
    return found


def genders_of(text: str, *names: str) -> dict[str, str]:
    spans = sentence_spans(text)
    return _genders(text, mentions(text, *names), [start for start, _ in spans], [end for _, end in spans])


@pytest.mark.parametrize(("text", "names", "expected"), [
    # An honorific right before the name, at the very start of the text or of a sentence.
    ("Ms Ann Marsh chairs the board of the bank.", ["Ann Marsh"], {"Ann Marsh": "f"}),
    ("The vote was held on Monday. Ms Ann Marsh chairs the board.", ["Ann Marsh"], {"Ann Marsh": "f"}),
    # A gendered role word just before the name, after a comma.
    ("The plan was approved on Monday, spokesman Tom Baker told reporters.", ["Tom Baker"], {"Tom Baker": "m"}),
    # The appositive ("the company's chairwoman") and the words before the name both count.
    ("Ann Marsh, the company's chairwoman, thanked the staff.", ["Ann Marsh"], {"Ann Marsh": "f"}),
    ("Ms Ann Marsh, the company's chief executive, thanked the staff.", ["Ann Marsh"], {"Ann Marsh": "f"}),
    # Two votes to one: the majority.
    ("Ms Ann Marsh, the bank's chairwoman, said he had misled the board.", ["Ann Marsh"], {"Ann Marsh": "f"}),
    # One vote each way: the article does not say.
    ("Mr Sam Lee said she had resigned.", ["Sam Lee"], {}),
    # The first "he"/"she" after the name in its sentence, in any sentence of the text.
    ("The vote was held on Monday. The bank lost. Jafari said she would stay.", ["Jafari"], {"Jafari": "f"}),
    ("The vote was held on Monday. The bank lost. Jafari said he would stay.", ["Jafari"], {"Jafari": "m"}),
    # ...but not in the next sentence, and not past the next person named.
    ("Tom Baker arrived late. She was not told why.", ["Tom Baker"], {}),
    ("Ann Marsh met Tom Baker and he said the deal was off.", ["Ann Marsh", "Tom Baker"], {"Tom Baker": "m"}),
    ("Ann Marsh thanked Tom Baker, who said he would stay, and Joe Smith.", ["Ann Marsh", "Tom Baker", "Joe Smith"],
     {"Tom Baker": "m"}),
    # Words before a comma are another phrase ("his sister"), and only the two words right before the name count.
    ("Asked about his sister, Tom Baker said he had not seen her.", ["Tom Baker"], {"Tom Baker": "m"}),
    ("Critics praised the actress and director Ann Marsh at the festival.", ["Ann Marsh"], {}),
    ("Critics praised the director and actress Ann Marsh at the festival.", ["Ann Marsh"], {"Ann Marsh": "f"}),
    # Every mention of a person votes.
    ("Ms Ann Marsh left. Ann Marsh said he was wrong. Ann Marsh said she would return.",
     ["Ann Marsh", "Ann Marsh", "Ann Marsh"], {"Ann Marsh": "f"}),
])
def test_genders_as_the_article_gives_them(text: str, names: list[str], expected: dict[str, str]) -> None:
    assert genders_of(text, *names) == expected


TITLE_RULE = "description: title the article gives"


@pytest.mark.parametrize(("text", "name", "label", "words", "rule"), [
    # Capitalised words right before a person's name, at the start of the text or after other words.
    ("Senior Correspondent Ann Marsh reported from Kyiv.", "Ann Marsh", "PERSON", {"senior", "correspondent"},
     TITLE_RULE),
    ("On Monday, Former Deputy Prime Minister Ann Marsh left.", "Ann Marsh", "PERSON",
     {"former", "deputy", "prime", "minister"}, TITLE_RULE),
    # A role in lower case with up to two words before it ("the bank chief" can refer back to him).
    ("Stocks rose after US bank chief Ben Bernanke spoke.", "Ben Bernanke", "PERSON", {"us", "bank", "chief"},
     TITLE_RULE),
    ("US bank chief Ben Bernanke spoke on Friday.", "Ben Bernanke", "PERSON", {"us", "bank", "chief"}, TITLE_RULE),
    # An appositive, possessives stripped, added to the words before the name.
    ("Ann Marsh, the company's chief executive, said it would grow.", "Ann Marsh", "PERSON",
     {"company", "chief", "executive"}, TITLE_RULE),
    ("Ms Ann Marsh, the company's chief executive, said it would grow.", "Ann Marsh", "PERSON",
     {"ms", "company", "chief", "executive"}, TITLE_RULE),
    # A body: the word after its name ("The Guardian report").
    ("The Guardian report said the talks would resume.", "Guardian", "ORG", {"report"},
     "description: the article names it so"),
])
def test_titles_an_article_gives(text: str, name: str, label: str, words: set[str], rule: str) -> None:
    [mention] = mentions(text, name, label=label)
    assert _titles(text, [mention]) == [(mention.start, frozenset(words), name, rule)]


@pytest.mark.parametrize("text", [
    "The Italian company Fiat said it would buy the stake.",  # a nationality describes the company, names no title
    "Analysts said Ann Marsh would win.",  # no capitalised word, role or appositive around the name
])
def test_no_title(text: str) -> None:
    label, name = ("NORP", "Italian") if "Italian" in text else ("PERSON", "Ann Marsh")
    assert _titles(text, mentions(text, name, label=label)) == []


def test_a_description_refers_to_the_latest_title_before_it() -> None:
    """"Finance Minister Jane Doe ... The minister said ... Health Minister Tom Baker": the minister is Jane Doe."""
    text = ("Finance Minister Jane Doe spoke on Monday. The minister said taxes would not rise. Later, Health Minister "
            "Tom Baker opened a hospital.")
    index = TitleIndex(_titles(text, mentions(text, "Jane Doe", "Tom Baker")))
    before, after = text.index("The minister"), len(text)
    assert index.latest({"minister"}, before) == ("Jane Doe", TITLE_RULE)
    assert index.latest({"health", "minister"}, after) == ("Tom Baker", TITLE_RULE)
    assert index.latest({"health", "minister"}, before) is None
    assert index.latest({"finance", "minister"}, after) == ("Jane Doe", TITLE_RULE)


@pytest.mark.parametrize(("text", "label", "name"), [
    # A transcript that opens with a speaker line.
    ('Chief Counsel Tom Baker: "Agreed. Keep it on hold until May."', "Chief Counsel Tom Baker", "Tom Baker"),
    # An answer over two paragraphs, each opening with a quotation mark.
    ('The hearing resumed at noon.\n\nJudge Ann Marsh: "We will wait.\n\n"The audit comes first."',
     "Judge Ann Marsh", "Ann Marsh"),
    # A space after the opening mark, or none before it.
    ('The hearing resumed at noon.\n\nChief Counsel Tom Baker: " Agreed, on hold until May."',
     "Chief Counsel Tom Baker", "Tom Baker"),
    ('The hearing resumed at noon.\n\nMaria Lopez:"We cannot sign this lease yet."', "Maria Lopez", "Maria Lopez"),
])
def test_speaker_lines(text: str, label: str, name: str) -> None:
    start = text.index(label)
    head = text.index(name) + name.index(" ") + 1  # the name's last word
    assert _speaker_line(text, quote_spans(text)[0]) == (start, start + len(label), head, name)


@pytest.mark.parametrize("text", [
    "Chief Counsel Tom Baker said: \"Agreed. Keep it on hold until May.\"",  # a cue, no speaker line
    "The plan of the new owners, in short: \"Cut costs and sell the plant.\"",  # no name before the colon
])
def test_no_speaker_line(text: str) -> None:
    assert _speaker_line(text, quote_spans(text)[0]) is None


@pytest.mark.parametrize(("outer", "inner", "left"), [
    ((100, 160), (100, 130), (130, 160)),  # "According to X, the talks collapsed.": what follows
    ((100, 160), (130, 159), (100, 130)),  # "The talks collapsed, according to X.": what comes before
    ((100, 160), (120, 140), (100, 120)),  # as long on each side: the side before
    ((100, 160), (110, 130), (130, 160)),
    ((100, 160), (131, 150), (100, 131)),
])
def test_span_without_keeps_the_larger_side(outer: tuple[int, int], inner: tuple[int, int],
                                            left: tuple[int, int]) -> None:
    assert _span_without(outer, inner) == left

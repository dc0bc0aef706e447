"""The attribute stage's rules on their own, read off hand-written news sentences: who the article says is a
man or a woman, which words it gives a person or a body as a title, the speaker lines of a transcript, and
the side of a sentence that is left once an attribution is cut out, and the rest of the stage's parts one by
one. No spaCy but for `sentence_cues` (one parsed sentence a test): each case names its people where a reader finds
them, and the expected values were worked out by reading the sentence (the parse's, by reading the parse)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import pandas as pd
import pytest
from spacy.tokens import Doc, Token

from toolkit.nlp import ner_pipeline
from toolkit.quotes import (
    QUOTE_COLUMNS, SAY, SIMPLE_VERBS, Cue, Mention, TitleIndex, _adjacent_quotes, _after_portfolio_word, _as_source,
    _classify, _genders, _inside, _inverted_speaker, _opens_clause, _overlapping, _person_opening_sentence,
    _proper_name, _rows, _simple_pattern, _span_without, _speaker_line, _speaker_span, _speaker_token, _titles,
    _touching, _trigger, _trim, _union, _word, article_statements,
    attribute, default_speaker_nouns, parse, quotation_verb_forms, quote_spans, quotes_frame, resolve_speaker,
    sentence_cues, simple_cue, verb_forms,
)
from toolkit.sentiment import score_text
from toolkit.text import paragraph_spans, sentence_spans


def shipped_simple_patterns() -> tuple[re.Pattern[str], ...]:
    """The simple-sentence patterns `attribute` builds from the shipped reporting verbs."""
    forms = verb_forms()
    return _simple_pattern(tuple(sorted(f for f, v in forms.items() if v in SIMPLE_VERBS)),
                           tuple(sorted(f for f, v in forms.items() if v == SAY)))


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


# --- resolve_speaker ---------------------------------------------------------------------------------------
# Each case is an article written sentence by sentence (the sentence starts are where the sentences were
# joined, not what the splitter finds), its mentions as a reader tags them, and the speaker's words.

NOUNS = {"company": "ORG", "firm": "ORG", "agency": "ORG"}


def resolved(sentences: list[str], speaker: str, people: list[tuple[str, str]], *, head: str | None = None,
             name: str | None = None, genders: dict[str, str] | None = None, occurrence: int = -1,
             antecedents: list[str] | None = None) -> tuple[str | None, str]:
    """`resolve_speaker` on the article the sentences make: `speaker` is found in its last sentence (`occurrence`
    counts from the end of the text), `head` after it; `people` are (name, label) in text order, `antecedents`
    the names of those a pronoun may refer back to (default: all)."""
    text = " ".join(sentences)
    starts = [sum(len(s) + 1 for s in sentences[:i]) for i in range(len(sentences))]
    found = mentions_of(text, people)
    start = [i for i in range(len(text)) if text.startswith(speaker, i)][occurrence]
    at_head = None if head is None else text.index(head, start)
    back = None if antecedents is None else [m for m in found if m.entity in antecedents]
    return resolve_speaker(text, (start, start + len(speaker)), at_head, name, found,
                           lambda: TitleIndex(_titles(text, found)), starts, NOUNS, back,
                           lambda: dict(genders or {}))


def mentions_of(text: str, people: list[tuple[str, str]]) -> list[Mention]:
    found, at = [], 0
    for name, label in people:
        start = text.index(name, at)
        found.append(Mention(start, start + len(name), label, name))
        at = start + len(name)
    return found


@pytest.mark.parametrize(("sentences", "speaker", "people", "head", "expected"), [
    # A name at the speaker's head word is the speaker; so is a person's name anywhere in the speaker's words.
    (["Jane Doe said the plan would work."], "Jane Doe", [("Jane Doe", "PERSON")], "Jane", ("Jane Doe", "named")),
    (["Jane Doe said the plan would work."], "Jane Doe", [("Jane Doe", "PERSON")], "Doe", ("Jane Doe", "named")),
    (["Jane Doe said the plan would work."], "Jane Doe", [("Jane Doe", "PERSON")], None,
     ("Jane Doe", "named in the speaker's words")),
    (["Jane Doe's lawyer said the plan would work."], "Jane Doe's lawyer", [("Jane Doe", "PERSON")], "lawyer",
     ("Jane Doe", "named in the speaker's words")),
    # A name in the sentence but outside the speaker's words is not the speaker.
    (["Jane Doe met a lawyer who said the plan would work."], "a lawyer", [("Jane Doe", "PERSON")], "lawyer",
     (None, "not resolved")),
    (["Jane Doe met the lawyer, who said the plan would work."], "who", [("Jane Doe", "PERSON")], None,
     ("Jane Doe", "relative pronoun: the name it follows")),
    # Someone who speaks for a body names it: a representative word or a speaker noun; anyone else does not.
    (["A spokesman for Boeing said the jet was late."], "A spokesman for Boeing", [("Boeing", "ORG")], "spokesman",
     ("Boeing", "named in the speaker's words")),
    (["The firm Secunia said the flaw was fixed."], "The firm Secunia", [("Secunia", "ORG")], "firm",
     ("Secunia", "named in the speaker's words")),
    (["A professor at Harvard said the plan would fail."], "A professor at Harvard", [("Harvard", "ORG")], "professor",
     (None, "not resolved: speaks for no one named")),
    (["An official in Kyiv said the talks failed."], "An official in Kyiv", [("Kyiv", "GPE")], "official",
     ("Kyiv", "named in the speaker's words")),
    (["An official for Europe said the talks failed."], "An official for Europe", [("Europe", "LOC")], "official",
     ("Europe", "named in the speaker's words")),
    (["A spokesman for Heathrow Airport said the runway was shut."], "A spokesman for Heathrow Airport",
     [("Heathrow Airport", "FAC")], "spokesman", ("Heathrow Airport", "named in the speaker's words")),
    (["A farmer in Kyiv said the talks failed."], "A farmer in Kyiv", [("Kyiv", "GPE")], "farmer",
     (None, "not resolved: speaks for no one named")),
    # A person before a body before a place, whatever their order in the speaker's words.
    (["An official of Boeing in Seattle said the jet was late."], "An official of Boeing in Seattle",
     [("Boeing", "ORG"), ("Seattle", "GPE")], "official", ("Boeing", "named in the speaker's words")),
    (["An official in Seattle of Boeing said the jet was late."], "An official in Seattle of Boeing",
     [("Seattle", "GPE"), ("Boeing", "ORG")], "official", ("Boeing", "named in the speaker's words")),
    (["Boeing lawyer Jane Doe said the jet was late."], "Boeing lawyer Jane Doe",
     [("Boeing", "ORG"), ("Jane Doe", "PERSON")], "lawyer", ("Jane Doe", "named in the speaker's words")),
    # A name before the head is where the person works: the name after it is the speaker.
    (["Ryanair CEO, Michael Brown, said the jet was cheap."], "Ryanair CEO, Michael Brown",
     [("Ryanair", "PERSON"), ("Michael Brown", "PERSON")], "CEO", ("Michael Brown", "named in the speaker's words")),
    (["Ryanair CEO said the jet was cheap."], "Ryanair CEO", [("Ryanair", "PERSON")], "CEO",
     ("Ryanair", "named in the speaker's words")),
])
def test_resolve_speaker_by_the_speakers_own_words(sentences: list[str], speaker: str, people: list[tuple[str, str]],
                                                   head: str | None, expected: tuple[str | None, str]) -> None:
    assert resolved(sentences, speaker, people, head=head) == expected


FILLER = ["The market fell.", "Prices rose.", "Trade was thin.", "Bonds were flat.", "Oil slipped."]


@pytest.mark.parametrize(("sentences", "speaker", "people", "genders", "expected"), [
    # "he" and "she": the first person of the latest sentence naming one, never one of the other gender.
    (["Tom Baker met Ann Marsh on Monday.", "He said the deal was off."], "He",
     [("Tom Baker", "PERSON"), ("Ann Marsh", "PERSON")], {}, ("Tom Baker", "pronoun: most recent person")),
    (["Tom Baker met Ann Marsh on Monday.", "She said the deal was off."], "She",
     [("Tom Baker", "PERSON"), ("Ann Marsh", "PERSON")], {"Tom Baker": "m"}, ("Ann Marsh", "pronoun: most recent person")),
    (["Tom Baker met Ann Marsh on Monday.", "He said the deal was off."], "He",
     [("Tom Baker", "PERSON"), ("Ann Marsh", "PERSON")], {"Tom Baker": "f"}, ("Ann Marsh", "pronoun: most recent person")),
    (["Tom Baker met Ann Marsh on Monday.", "Ann Marsh left.", "He said the deal was off."], "He",
     [("Tom Baker", "PERSON"), ("Ann Marsh", "PERSON"), ("Ann Marsh", "PERSON")], {},
     ("Ann Marsh", "pronoun: most recent person")),
    (["Tom Baker met Ann Marsh on Monday.", "Ann Marsh left.", "He said the deal was off."], "He",
     [("Tom Baker", "PERSON"), ("Ann Marsh", "PERSON"), ("Ann Marsh", "PERSON")], {"Ann Marsh": "f"},
     ("Tom Baker", "pronoun: most recent person")),
    (["Tom Baker met Ann Marsh on Monday.", "He said the deal was off."], "He",
     [("Tom Baker", "PERSON"), ("Ann Marsh", "PERSON")], {"Tom Baker": "f", "Ann Marsh": "f"}, (None, "not resolved")),
    (["Boeing met Airbus on Monday.", "He said the deal was off."], "He", [("Boeing", "ORG"), ("Airbus", "ORG")], {},
     (None, "not resolved")),
    # ... up to five sentences back, not six.
    (["Tom Baker arrived.", *FILLER, "He said the deal was off."], "He", [("Tom Baker", "PERSON")], {},
     (None, "not resolved")),
    (["Tom Baker arrived.", *FILLER[1:], "He said the deal was off."], "He", [("Tom Baker", "PERSON")], {},
     ("Tom Baker", "pronoun: most recent person")),
    # "it": the latest body or place, five sentences back; "they" also a nationality, two sentences back.
    (["Boeing met Jane Doe in Seattle.", "It said the jet was late."], "It",
     [("Boeing", "ORG"), ("Jane Doe", "PERSON"), ("Seattle", "GPE")], {}, ("Seattle", "pronoun: most recent organisation or place")),
    (["Boeing met Jane Doe.", *FILLER[1:], "It said the jet was late."], "It",
     [("Boeing", "ORG"), ("Jane Doe", "PERSON")], {}, ("Boeing", "pronoun: most recent organisation or place")),
    (["Boeing met Jane Doe.", *FILLER, "It said the jet was late."], "It",
     [("Boeing", "ORG"), ("Jane Doe", "PERSON")], {}, (None, "not resolved")),
    (["The French met Jane Doe.", "It said the jet was late."], "It", [("French", "NORP"), ("Jane Doe", "PERSON")],
     {}, (None, "not resolved")),
    (["The French met Jane Doe.", "They said the jet was late."], "They",
     [("French", "NORP"), ("Jane Doe", "PERSON")], {}, ("French", "pronoun: most recent group")),
    (["Boeing met Jane Doe.", "Prices rose.", "They said the jet was late."], "They",
     [("Boeing", "ORG"), ("Jane Doe", "PERSON")], {}, ("Boeing", "pronoun: most recent group")),
    (["Boeing met Jane Doe.", "Prices rose.", "Trade was thin.", "They said the jet was late."], "They",
     [("Boeing", "ORG"), ("Jane Doe", "PERSON")], {}, (None, "not resolved")),
    (["France met Jane Doe.", "They said the jet was late."], "They", [("France", "GPE"), ("Jane Doe", "PERSON")], {},
     ("France", "pronoun: most recent group")),
    # "who": a person earlier in its own sentence only.
    (["Jane Doe arrived.", "The lawyer, who said the jet was late, left."], "who", [("Jane Doe", "PERSON")], {},
     (None, "not resolved")),
    (["Boeing hired a lawyer, who said the jet was late."], "who", [("Boeing", "ORG")], {}, (None, "not resolved")),
])
def test_resolve_speaker_pronouns(sentences: list[str], speaker: str, people: list[tuple[str, str]],
                                  genders: dict[str, str], expected: tuple[str | None, str]) -> None:
    assert resolved(sentences, speaker, people, genders=genders) == expected


def test_a_pronoun_refers_back_to_the_antecedents_given() -> None:
    """Names inside what was quoted are no antecedents: "he" skips them for the latest name outside."""
    sentences = ["Tom Baker met Joe Smith.", "He said the deal was off."]
    people = [("Tom Baker", "PERSON"), ("Joe Smith", "PERSON")]
    assert resolved(sentences, "He", people) == ("Tom Baker", "pronoun: most recent person")
    assert resolved(sentences, "He", people, antecedents=["Joe Smith"]) == ("Joe Smith", "pronoun: most recent person")
    assert resolved(["Boeing met Airbus.", "It said the deal was off."], "It", [("Boeing", "ORG"), ("Airbus", "ORG")],
                    antecedents=["Boeing"]) == ("Boeing", "pronoun: most recent organisation or place")


@pytest.mark.parametrize(("sentences", "speaker", "people", "expected"), [
    # A description: the latest title before it that holds its words, else a speaker noun's latest entity.
    (["Finance Minister Jane Doe spoke.", "The minister said taxes would not rise."], "The minister",
     [("Jane Doe", "PERSON")], ("Jane Doe", "description: title the article gives")),
    (["Finance Minister Jane Doe spoke.", "This minister said taxes would not rise."], "This minister",
     [("Jane Doe", "PERSON")], ("Jane Doe", "description: title the article gives")),
    (["Boeing met Jane Doe.", *FILLER, *FILLER, "The company said the jet was late."], "The company",
     [("Boeing", "ORG"), ("Jane Doe", "PERSON")], ("Boeing", "description: most recent ORG")),
    (["Boeing met Jane Doe.", "The new company said the jet was late."], "The new company",
     [("Boeing", "ORG"), ("Jane Doe", "PERSON")], ("Boeing", "description: most recent ORG")),
    (["Boeing met Jane Doe.", "The big new company said the jet was late."], "The big new company",
     [("Boeing", "ORG"), ("Jane Doe", "PERSON")], (None, "not resolved")),
    (["Jane Doe met France.", "The company said the jet was late."], "The company",
     [("Jane Doe", "PERSON"), ("France", "GPE")], (None, "not resolved")),
    (["Boeing met Jane Doe.", "The pilot said the jet was late."], "The pilot", [("Boeing", "ORG"), ("Jane Doe", "PERSON")],
     (None, "not resolved")),
    (["Boeing met Jane Doe.", "A company said the jet was late."], "A company", [("Boeing", "ORG"), ("Jane Doe", "PERSON")],
     (None, "not resolved")),
    (["Boeing met Jane Doe.", "The said the jet was late."], "The", [("Boeing", "ORG"), ("Jane Doe", "PERSON")],
     (None, "not resolved")),
    (["Boeing met Jane Doe.", "Officials said the jet was late."], "Officials",
     [("Boeing", "ORG"), ("Jane Doe", "PERSON")], (None, "not resolved")),
])
def test_resolve_speaker_descriptions(sentences: list[str], speaker: str, people: list[tuple[str, str]],
                                      expected: tuple[str | None, str]) -> None:
    assert resolved(sentences, speaker, people) == expected


@pytest.mark.parametrize(("people", "name", "expected"), [
    # A name the tagger missed: the one person of the article whose name ends in it, or the name as written.
    ([("Jane Ann Doe", "PERSON")], "Ann Doe", ("Jane Ann Doe", "surname of a person the article names")),
    ([("Jane Ann Doe", "PERSON"), ("Mary Ann Doe", "PERSON")], "Ann Doe", ("Ann Doe", "name as written (not tagged as an entity)")),
    ([("Jane Ann Doe", "ORG")], "Ann Doe", ("Ann Doe", "name as written (not tagged as an entity)")),
    ([("Jane Ann Doering", "PERSON")], "Ann Doe", ("Ann Doe", "name as written (not tagged as an entity)")),
    ([("Jane Ann Doe", "PERSON"), ("Jane Ann Doe", "PERSON")], "Ann Doe", ("Jane Ann Doe", "surname of a person the article names")),
])
def test_resolve_speaker_by_a_name_the_tagger_missed(people: list[tuple[str, str]], name: str,
                                                     expected: tuple[str | None, str]) -> None:
    names = " and ".join(person for person, _ in people)
    assert resolved([f"{names} arrived.", f"{name} said the deal was off."], name, people, name=name) == expected


def test_resolve_speaker_without_sentence_starts_looks_over_the_whole_text() -> None:
    text = "Jane Doe met Tom Baker. He said the plan would fail."
    people = mentions_of(text, [("Jane Doe", "PERSON"), ("Tom Baker", "PERSON")])
    he = text.index("He")
    assert resolve_speaker(text, (0, 8), None, None, people, lambda: TitleIndex([]), [], NOUNS) == (
        "Jane Doe", "named in the speaker's words")
    assert resolve_speaker(text, (he, he + 2), None, None, people, lambda: TitleIndex([]), [], NOUNS) == (
        "Jane Doe", "pronoun: most recent person")
    assert resolve_speaker(text, (he, he + 2), None, None, people[:1], lambda: TitleIndex([]), [], NOUNS,
                           genders=lambda: {}) == ("Jane Doe", "pronoun: most recent person")
    they = "They said the plan would fail."
    assert resolve_speaker(they, (0, 4), None, None, [], lambda: TitleIndex([]), [], NOUNS) == (None, "not resolved")


@pytest.mark.parametrize(("name", "expected"), [
    ("Reports", (None, "not resolved")),  # "Reports say ...": a plural noun, no name
    ("Sports Illustrated", ("Sports Illustrated", "name as written (not tagged as an entity)")),
])
def test_resolve_speaker_by_a_capitalised_word_that_is_no_name(name: str, expected: tuple[str | None, str]) -> None:
    text = f"{name} said the plan would fail."
    assert resolve_speaker(text, (0, len(name)), None, name, [], lambda: TitleIndex([]), [0], NOUNS) == expected


def test_resolve_speaker_with_no_words_resolves_nothing() -> None:
    text = "The deal was off, it was said."
    assert resolve_speaker(text, (4, 4), None, None, [], lambda: TitleIndex([]), [0], NOUNS) == (None, "not resolved")


# --- simple_cue: the shapes read without the parse --------------------------------------------------------

def simple_read(sentence: str, before: str = "Markets were quiet on Monday. ") -> dict[str, object] | None:
    """`simple_cue` on a sentence that follows `before` in its article (so offsets in the article are tested),
    with the quotations that overlap it, as the stage gives them; the cue's parts as text."""
    patterns = shipped_simple_patterns()
    text, offset = before + sentence, len(before)
    found = simple_cue(sentence, offset, patterns, _overlapping(quote_spans(text), offset, len(text)))
    if found is None:
        return None
    assert found.sentence == (offset, len(text)) and found.head is not None and found.content is not None
    assert found.speaker is not None and not found.according
    return {"speaker": text[slice(*found.speaker)], "head": text[found.head:].split()[0].strip(",.<>"),
            "name": found.name, "cue": text[slice(*found.cue)], "content": text[slice(*found.content)],
            "region": text[slice(*found.region)]}


@pytest.mark.parametrize(("sentence", "speaker", "head", "name", "cue", "content", "region"), [
    # "..., SPEAKER said." with a name, a plural, a pronoun, a description, "also", a ticker.
    ("Prices firmed again on the outlook, dealers said.", "dealers", "dealers", None, "said",
     "Prices firmed again on the outlook", "dealers said"),
    ("Prices firmed again, Jane Doe added.", "Jane Doe", "Doe", "Jane Doe", "added", "Prices firmed again",
     "Jane Doe added"),
    ("The plant would close, Finance Minister Jane Doe said.", "Finance Minister Jane Doe", "Doe", "Jane Doe", "said",
     "The plant would close", "Finance Minister Jane Doe said"),
    ("The plant would close, it said.", "it", "it", None, "said", "The plant would close", "it said"),
    ("The plant would close, the company said.", "the company", "company", None, "said", "The plant would close",
     "the company said"),
    ("The plant would close, Jane Doe also said.", "Jane Doe", "Doe", "Jane Doe", "said", "The plant would close",
     "Jane Doe also said"),
    ("The plant would close, Acme Inc <ACME.N> said.", "Acme Inc", "Inc", "Acme Inc", "said", "The plant would close",
     "Acme Inc <ACME.N> said"),
    ("The plant would close, lead manager Citicorp Ltd said.", "lead manager Citicorp Ltd", "Ltd", None, "said",
     "The plant would close", "lead manager Citicorp Ltd said"),
    # "SPEAKER said (that) ...": titles left out of the name, "of" naming the head, an opening "But".
    ("President Jane Doe said the plant would close.", "President Jane Doe", "Doe", "Jane Doe", "said",
     "the plant would close", "President Jane Doe said"),
    ("Mr. Jane Doe said that the plant would close.", "Mr. Jane Doe", "Doe", "Jane Doe", "said",
     "the plant would close", "Mr. Jane Doe said"),
    ("The vice president of Dacia said the plant would close.", "The vice president of Dacia", "president", None,
     "said", "the plant would close", "The vice president of Dacia said"),
    ("Bank of America said the plant would close.", "Bank of America", "Bank", None, "said", "the plant would close",
     "Bank of America said"),
    ("But Acme Inc said the plant would close.", "Acme Inc", "Inc", "Acme Inc", "said", "the plant would close",
     "Acme Inc said"),
    ("And he said the plant would close.", "he", "he", None, "said", "the plant would close", "he said"),
    ("ACME said the plant would close.", "ACME", "ACME", "ACME", "said", "the plant would close", "ACME said"),
    ("<Acme Inc> said the plant would close.", "<Acme Inc>", "Inc", "Acme Inc", "said", "the plant would close",
     "<Acme Inc> said"),
    ("Several analysts said the plant would close.", "Several analysts", "analysts", None, "said",
     "the plant would close", "Several analysts said"),
    ("Jane Doe has said the plant would close.", "Jane Doe", "Doe", "Jane Doe", "has said", "the plant would close",
     "Jane Doe has said"),
    ("Gov. Jane Doe said the plant would close.", "Gov. Jane Doe", "Doe", "Jane Doe", "said", "the plant would close",
     "Gov. Jane Doe said"),
    ("<Xerox Corp> said the plant would close.", "<Xerox Corp>", "Corp", "Xerox Corp", "said", "the plant would close",
     "<Xerox Corp> said"),
    ('Jane Doe said it was a "disaster".', "Jane Doe", "Doe", "Jane Doe", "said", 'it was a "disaster"',
     "Jane Doe said"),
    # When and where it was said is no part of the content.
    ("The company said on Monday in a statement that the plant would close.", "The company", "company", None, "said",
     "the plant would close", "The company said"),
    # An appositive is the speaker's, unless it opens a clause or an adjunct.
    ("Acme Inc, a unit of Beta Corp, said the plant would close.", "Acme Inc, a unit of Beta Corp", "Inc", "Acme Inc",
     "said", "the plant would close", "Acme Inc, a unit of Beta Corp, said"),
    ("Acme Inc, which makes cars, said the plant would close.", "Acme Inc", "Inc", "Acme Inc", "said",
     "the plant would close", "Acme Inc, which makes cars, said"),
    ("Acme Inc, in a statement, said the plant would close.", "Acme Inc", "Inc", "Acme Inc", "said",
     "the plant would close", "Acme Inc, in a statement, said"),
    # Quoted words inside the content, after a word: the content holds them.
    ('Jane Doe said the plant would "close soon".', "Jane Doe", "Doe", "Jane Doe", "said",
     'the plant would "close soon"', "Jane Doe said"),
    ('Jane Doe said "the plant" would close.', "Jane Doe", "Doe", "Jane Doe", "said", '"the plant" would close',
     "Jane Doe said"),
    # After a quotation that ends the sentence: '...," SPEAKER said.' and '...," said SPEAKER.'
    ('"The plant will close," Jane Doe said.', "Jane Doe", "Doe", "Jane Doe", "said", "The plant will close",
     "Jane Doe said"),
    ('"The plant will close," one salesman said.', "one salesman", "salesman", None, "said", "The plant will close",
     "one salesman said"),
    ('"The plant will close," said Jane Doe.', "Jane Doe", "Doe", "Jane Doe", "said", "The plant will close",
     "said Jane Doe"),
    ('"The plant will close," said President Jane Doe.', "President Jane Doe", "Doe", "Jane Doe", "said",
     "The plant will close", "said President Jane Doe"),
    ('"The plant will close," said Jane Doe, an analyst at Acme.', "Jane Doe, an analyst at Acme", "Doe", "Jane Doe",
     "said", "The plant will close", "said Jane Doe, an analyst at Acme"),
    ('"The plant will close," said the company, which makes cars.', "the company", "company", None, "said",
     "The plant will close", "said the company"),
    # A corporate suffix's period is the name's, not the sentence's.
    ('"The plant will close," said Acme Inc.', "Acme Inc.", "Inc", "Acme Inc", "said", "The plant will close",
     "said Acme Inc."),
    ('"The plant will close," said Jane Doe of Acme Inc.', "Jane Doe of Acme Inc.", "Doe", None, "said",
     "The plant will close", "said Jane Doe of Acme Inc."),
])
def test_simple_cue_reads_the_simple_shapes(sentence: str, speaker: str, head: str, name: str | None, cue: str,
                                            content: str, region: str) -> None:
    assert simple_read(sentence) == {"speaker": speaker, "head": head, "name": name, "cue": cue, "content": content,
                                     "region": region}


def test_simple_cue_a_suffixs_period_and_no_more() -> None:
    before, sentence = "Markets were quiet on Monday. ", '"The plant will close," said Acme Inc.'
    text = before + sentence + " Prices fell."
    patterns = shipped_simple_patterns()
    found = simple_cue(sentence, len(before), patterns, _overlapping(quote_spans(text), len(before), len(before + sentence)))
    assert found is not None and found.speaker is not None and text[slice(*found.speaker)] == "Acme Inc."


def test_simple_cue_of_a_quote_opened_in_a_sentence_before() -> None:
    """The content starts where the sentence does, not where the quotation opened."""
    before = '"Markets were quiet on Monday. '
    for sentence, region in (('The plant will close," Jane Doe said.', "Jane Doe said"),
                             ('The plant will close," said Jane Doe.', "said Jane Doe")):
        assert simple_read(sentence, before) == {"speaker": "Jane Doe", "head": "Doe", "name": "Jane Doe", "cue": "said",
                                                 "content": "The plant will close", "region": region}


@pytest.mark.parametrize("sentence", [
    "Prices firmed again, said Jane Doe.",  # the inverted shape only after a quotation
    "The company said after the vote the plant would close.",  # an adjunct after the verb
    "The dollar fell as traders said the plant would close.",  # a clause, not a subject
    "Japan yesterday said the plant would close.",  # a time inside the subject
    "Acme's unit said the plant would close.",
    'Jane Doe said the plant would close, calling it: "sad".',  # a quotation of its own after the content
    'Jane Doe said the plant would close, calling it "sad" and: "bad".',
    '"Sad," Jane Doe said the plant would close.',  # quoted words before the content
    '"The plant will close," Jane Doe said, "soon."',  # the quotation does not end the sentence
    '"The plant will close," the company also said.',
    "The plant would close, as analysts said.",  # a clause, not a speaker, after the comma
    "Analysts at banks said the plant would close.",
    'Jane Doe said the plant would close, calling it:"sad".',
])
def test_simple_cue_leaves_other_shapes_to_the_parse(sentence: str) -> None:
    assert simple_read(sentence) is None


def test_simple_cue_in_a_quotation_opened_before_it() -> None:
    """Quoted words before the content, and a sentence inside a quotation that it does not close: parsed."""
    assert simple_read('Jane Doe said it would close," he said, "and soon."', '"We cut costs. ') is None
    patterns = shipped_simple_patterns()
    assert simple_cue("Prices rose, the boss said.", 30, patterns, [(20, 70)]) is None
    assert simple_cue("Prices rose, the boss said.", 30, patterns, []) is not None


def test_simple_cue_reads_the_subject_when_the_trailing_speaker_is_no_subject() -> None:
    found = simple_read("Jane Doe said the plant would close, dealers in Tokyo said.")
    assert found is not None and (found["speaker"], found["cue"]) == ("Jane Doe", "said")


# --- article_statements: statements from cues and quotation marks -----------------------------------------

def simple_cues(text: str) -> list[Cue]:
    """The cues `simple_cue` reads in each sentence of a text (the shapes that need no parse)."""
    patterns = shipped_simple_patterns()
    quotes = quote_spans(text)
    return [cue for start, end in sentence_spans(text)
            if (cue := simple_cue(text[start:end], start, patterns, _overlapping(quotes, start, end))) is not None]


def statements(text: str, cues: list[Cue] | None = None) -> list[tuple[object, ...]]:
    """(kind, content, cue, speaker, head word, name, content of the quote continued) of each statement."""
    found = article_statements(text, simple_cues(text) if cues is None else cues, quote_spans(text))
    return [(s.kind, text[s.start:s.end], s.cue,
             None if s.speaker_start is None else text[s.speaker_start:s.speaker_end],
             None if s.head is None else text[s.head:].split()[0].strip(",.:"), s.name,
             None if s.continues is None else next(text[c.start:c.end] for c in found if c.end == s.continues))
            for s in found]


DOE = ("Jane Doe", "Doe", "Jane Doe")  # speaker, head, name


@pytest.mark.parametrize(("text", "expected"), [
    # Reported speech, a quote before its cue, and a quote with no cue after it that continues it.
    ('Jane Doe said the plant would close. "We have no choice," she said. "The costs are too high for us."', [
        ("indirect", "the plant would close", "said", *DOE, None),
        ("direct", "We have no choice", "said", "she", "she", None, None),
        ("direct", "The costs are too high for us.", None, "she", "she", None, "We have no choice")]),
    # ... in the next paragraph, or after a sentence between.
    ('"We have no choice," Jane Doe said.\n\n"The costs are high."', [
        ("direct", "We have no choice", "said", *DOE, None),
        ("direct", "The costs are high.", None, *DOE, "We have no choice")]),
    ('"We have no choice," Jane Doe said. She left early. "The costs are high."', [
        ("direct", "We have no choice", "said", *DOE, None),
        ("direct", "The costs are high.", None, *DOE, "We have no choice")]),
    # ... and a third quote continues the second (the same speaker).
    ('"We have no choice," Jane Doe said. "The costs are high." "The vote is on Friday."', [
        ("direct", "We have no choice", "said", *DOE, None),
        ("direct", "The costs are high.", None, *DOE, "We have no choice"),
        ("direct", "The vote is on Friday.", None, *DOE, "The costs are high.")]),
    # ... also when an uncued quote came before any statement.
    ('"We cut costs and sold the plants." Jane Doe arrived. "We have no choice," she said. "The costs are too high."', [
        ("direct", "We have no choice", "said", "she", "she", None, None),
        ("direct", "The costs are too high.", None, "she", "she", None, "We have no choice")]),
    # ... of a mixed statement too; of the latest quoted statement, never of reported speech.
    ('Jane Doe said the plant would "close soon". "The costs are too high for us."', [
        ("mixed", 'the plant would "close soon"', "said", *DOE, None),
        ("direct", "The costs are too high for us.", None, *DOE, 'the plant would "close soon"')]),
    ('"We have no choice," Jane Doe said. "It is late," Tom Baker said. "The costs are too high for us."', [
        ("direct", "We have no choice", "said", *DOE, None),
        ("direct", "It is late", "said", "Tom Baker", "Baker", "Tom Baker", None),
        ("direct", "The costs are too high for us.", None, "Tom Baker", "Baker", "Tom Baker", "It is late")]),
    ('"We have no choice," Jane Doe said. Tom Baker said the plant would close. "The costs are too high for us."', [
        ("direct", "We have no choice", "said", *DOE, None),
        ("indirect", "the plant would close", "said", "Tom Baker", "Baker", "Tom Baker", None),
        ("direct", "The costs are too high for us.", None, *DOE, "We have no choice")]),
    # No continuation past two paragraph breaks, of a quote under four words, or of reported speech.
    ('"We have no choice," Jane Doe said.\n\nThe vote is on Friday.\n\n"The costs are high."', [
        ("direct", "We have no choice", "said", *DOE, None)]),
    ('"We have no choice," Jane Doe said. "Costs are high."', [("direct", "We have no choice", "said", *DOE, None)]),
    ('"We have no choice," Jane Doe said. He called it "a very big mess for all of us".', [
        ("direct", "We have no choice", "said", *DOE, None)]),
    ('Jane Doe said the plant would close. "The costs are too high for us."', [
        ("indirect", "the plant would close", "said", *DOE, None)]),
    # Partly quoted content is mixed; quoted content is direct.
    ('Jane Doe said the plant would "close soon". "The costs are too high," she added.', [
        ("mixed", 'the plant would "close soon"', "said", *DOE, None),
        ("direct", "The costs are too high", "added", "she", "she", None, None)]),
    ('Jane Doe said "the plant will close". Then she left.', [("direct", "the plant will close", "said", *DOE, None)]),
    # A transcript's speaker line, before or after an attributed quote.
    ('Chief Counsel Tom Baker: "Agreed. Keep it on hold until May."', [
        ("direct", "Agreed. Keep it on hold until May.", None, "Chief Counsel Tom Baker", "Baker", "Tom Baker", None)]),
    ('"We have no choice," Jane Doe said. Chief Counsel Tom Baker: "Agreed. Keep it on hold until May."', [
        ("direct", "We have no choice", "said", *DOE, None),
        ("direct", "Agreed. Keep it on hold until May.", None, "Chief Counsel Tom Baker", "Baker", "Tom Baker", None)]),
    # No cue: no statement.
    ('"We have no choice at all in this matter."', []),
])
def test_article_statements(text: str, expected: list[tuple[object, ...]]) -> None:
    assert statements(text) == expected


def test_a_quotation_of_one_letter_inside_reported_speech_is_claimed_by_it() -> None:
    """The quotations a direct statement holds are found one character beyond its span, so a one-letter
    quotation at either edge ('"A"') is still its own."""
    for text in ('Jane Doe said on Monday that "A" was the grade.', 'Jane Doe said on Monday that "B" and "A" were fine.'):
        found = statements(text)
        assert [(kind, speaker) for kind, _, _, speaker, *_ in found] == [("direct", "Jane Doe")], text
        assert found[0][1].startswith(text[text.index('"') + 1]) and found[0][1].endswith(text[text.rindex('"') - 1])


def test_a_quote_continues_one_at_most_400_characters_before_it() -> None:
    for gap, continued in ((400, True), (401, False)):
        said = '"We have no choice," Jane Doe said. Then '
        text = f'{said}{"a" * (gap - len(said) + len("We have no choice") - 2)}. "The costs are high."'
        assert text.index("The costs") - text.index(",\"") == gap  # from the end of the quote to the next one
        assert len(statements(text)) == 1 + continued


def span_of(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def test_according_to_gives_way_to_the_speaker_it_reports() -> None:
    """"According to the agency, Jane Doe said ...": Jane Doe's statement, reported by the agency."""
    text = "According to the agency, Jane Doe said the plant would close."
    sentence = (0, len(text))
    according = Cue(span_of(text, "According to"), span_of(text, "the agency"), text.index("agency"), None,
                    span_of(text, "Jane Doe said the plant would close."), span_of(text, "According to the agency"),
                    sentence, according=True)
    said = Cue(span_of(text, "said"), span_of(text, "Jane Doe"), text.index("Doe"), "Jane Doe",
               span_of(text, "the plant would close"), span_of(text, "Jane Doe said"), sentence)
    jane = ("indirect", "the plant would close", "said", *DOE, None)
    agency = ("indirect", "Jane Doe said the plant would close", "According to", "the agency", "agency", None, None)
    assert statements(text, [according, said]) == [jane]
    assert statements(text, [said, according]) == [jane]
    assert statements(text, [according]) == [agency]
    assert statements(text, [according, replace(said, content=None)]) == [agency]


def test_a_quote_already_claimed_is_no_one_elses() -> None:
    """A second cue whose content is a quote another cue claimed adds nothing, and the cues after it still count;
    a speaker line before a claimed quote makes no second statement."""
    text = '"We have no choice," Jane Doe said. Tom Baker agreed with her. The plant would close, Tom Baker added.'
    said, added = simple_cues(text)
    agreed = Cue(span_of(text, "agreed"), span_of(text, "Tom Baker"), text.index("Baker"), "Tom Baker",
                 quote_spans(text)[0], span_of(text, "Tom Baker agreed"), span_of(text, "Tom Baker agreed with her."))
    assert statements(text, [said, agreed, added]) == [
        ("direct", "We have no choice", "said", *DOE, None),
        ("indirect", "The plant would close", "added", "Tom Baker", "Baker", "Tom Baker", None)]
    text = 'Chief Counsel Tom Baker: "We have no choice," he added.'
    he_added = Cue(span_of(text, "added"), span_of(text, "he"), text.index("he a"), None, None, span_of(text, "he added"),
                   (0, len(text)))
    assert statements(text, [he_added]) == [("direct", "We have no choice", "added", "he", "he", None, None)]
    assert statements(text, []) == [
        ("direct", "We have no choice", None, "Chief Counsel Tom Baker", "Baker", "Tom Baker", None)]


def test_a_statement_needs_a_speaker_unless_it_is_quoted() -> None:
    text = "People were encouraged to suggest what the plant should make."
    suggest = Cue(span_of(text, "suggest"), None, None, None, span_of(text, "what the plant should make"),
                  span_of(text, "suggest"), (0, len(text)))
    assert statements(text, [suggest]) == []
    text = '"We have no choice," people were told.'
    told = Cue(span_of(text, "told"), None, None, None, None, span_of(text, "people were told"), (0, len(text)))
    assert statements(text, [told]) == [("direct", "We have no choice", "told", None, None, None, None)]
    # A quote is claimed once, by the first cue next to it.
    by_people = replace(told, speaker=span_of(text, "people"), head=text.index("people"))
    assert statements(text, [by_people, told]) == [("direct", "We have no choice", "told", "people", "people", None,
                                                    None)]


# --- _rows: each statement's speaker, sentences and tone --------------------------------------------------

def rows(text: str, people: list[tuple[str, str]]) -> list[tuple[object, ...]]:
    """`_rows` of an article whose statements `simple_cue` reads, with its people tagged by hand: for each
    row, (kind, content, cue, speaker as written, speaker, rule, sentence ids); the sentences are numbered from 10."""
    spans = sentence_spans(text)
    quotes = quote_spans(text)
    found = _rows("a1", pd.Timestamp("2024-05-01"), text, article_statements(text, simple_cues(text), quotes),
                  mentions_of(text, people), quotes, [a for a, _ in spans], [b for _, b in spans],
                  [10 + i for i in range(len(spans))], NOUNS, "vader")
    for number, row in enumerate(found):
        assert (row[0], row[1], row[-1]) == ("a1", number, pd.Timestamp("2024-05-01"))
        assert row[5] == text[row[3]:row[4]]
        assert row[7] == (None if row[8] is None else text[row[8]:row[9]])
    return [(row[2], row[5], row[6], row[7], row[10], row[11], row[12]) for row in found]


@pytest.mark.parametrize(("text", "people", "expected"), [
    # A pronoun's person, and an uncued quote continuing the quote before (each sentence it spans).
    ('Tom Baker arrived. "We have no choice," he said. "The costs are high. We will close the plant soon."',
     [("Tom Baker", "PERSON")], [
         ("direct", "We have no choice", "said", "he", "Tom Baker", "pronoun: most recent person", [11]),
         ("direct", "The costs are high. We will close the plant soon.", None, "he", "Tom Baker",
          "continues the quote before", [12, 13])]),
    # ... unless a sentence between opens with another person: then the quote is theirs.
    ('"We have no choice," Tom Baker said. Boeing chairman Jane Doe denied the claims. "The costs are too high."',
     [("Tom Baker", "PERSON"), ("Boeing", "ORG"), ("Jane Doe", "PERSON")], [
         ("direct", "We have no choice", "said", "Tom Baker", "Tom Baker", "named", [10]),
         ("direct", "The costs are too high.", None, "Jane Doe", "Jane Doe", "named in the sentence before", [12])]),
    # "Mr MacFarlane" is a person, whatever the tagger said.
    ('Mr MacFarlane met Boeing. "We have no choice," he said.', [("MacFarlane", "ORG"), ("Boeing", "ORG")], [
        ("direct", "We have no choice", "said", "he", "MacFarlane", "pronoun: most recent person", [11])]),
    ('MacFarlane met Boeing. "We have no choice," he said.', [("MacFarlane", "ORG"), ("Boeing", "ORG")], [
        ("direct", "We have no choice", "said", "he", None, "not resolved", [11])]),
    # A name inside what is reported is no antecedent; the speaker is.
    ("Ann Marsh said Tom Baker would stay. He said the plant would close.",
     [("Ann Marsh", "PERSON"), ("Tom Baker", "PERSON")], [
         ("indirect", "Tom Baker would stay", "said", "Ann Marsh", "Ann Marsh", "named", [10]),
         ("indirect", "the plant would close", "said", "He", "Ann Marsh", "pronoun: most recent person", [11])]),
    ('"Tom Baker has gone," Ann Marsh said. He said the plant would close.',
     [("Tom Baker", "PERSON"), ("Ann Marsh", "PERSON")], [
         ("direct", "Tom Baker has gone", "said", "Ann Marsh", "Ann Marsh", "named", [10]),
         ("indirect", "the plant would close", "said", "He", "Ann Marsh", "pronoun: most recent person", [11])]),
    ('Ann Marsh arrived. "Tom Baker has gone." He said the plant would close.',
     [("Ann Marsh", "PERSON"), ("Tom Baker", "PERSON")], [
         ("indirect", "the plant would close", "said", "He", "Ann Marsh", "pronoun: most recent person", [12])]),
    # A described speaker stands where it is described: "he" after "the minister" is the minister.
    ("Finance Minister Jane Doe spoke. Tom Baker arrived. The minister said taxes would rise. He said the plan would "
     "fail.", [("Jane Doe", "PERSON"), ("Tom Baker", "PERSON")], [
         ("indirect", "taxes would rise", "said", "The minister", "Jane Doe", "description: title the article gives",
          [12]),
         ("indirect", "the plan would fail", "said", "He", "Jane Doe", "pronoun: most recent person", [13])]),
    # The names in a resolved speaker's words are that speaker: Boeing is no longer "it".
    ("Jane Doe of Boeing said the jet was late. It said the plant would close.",
     [("Jane Doe", "PERSON"), ("Boeing", "ORG")], [
         ("indirect", "the jet was late", "said", "Jane Doe of Boeing", "Jane Doe", "named", [10]),
         ("indirect", "the plant would close", "said", "It", None, "not resolved", [11])]),
    ("Boeing's Jane Doe said the jet was late. It said the plant would close.",
     [("Boeing", "ORG"), ("Jane Doe", "PERSON")], [
         ("indirect", "the jet was late", "said", "Boeing's Jane Doe", "Jane Doe", "named", [10]),
         ("indirect", "the plant would close", "said", "It", None, "not resolved", [11])]),
    ("Boeing met Jane Doe. Jane Doe said the jet was late. It said the plant would close.",
     [("Boeing", "ORG"), ("Jane Doe", "PERSON"), ("Jane Doe", "PERSON")], [
         ("indirect", "the jet was late", "said", "Jane Doe", "Jane Doe", "named", [11]),
         ("indirect", "the plant would close", "said", "It", "Boeing", "pronoun: most recent organisation or place",
          [12])]),
    # A speaker the article gives no name is no antecedent either.
    ('Tom Baker arrived. "We have no choice," a lawyer said. He said the plant would close.',
     [("Tom Baker", "PERSON")], [
         ("direct", "We have no choice", "said", "a lawyer", None, "not resolved", [11]),
         ("indirect", "the plant would close", "said", "He", "Tom Baker", "pronoun: most recent person", [12])]),
])
def test_rows_resolve_each_speaker_in_text_order(text: str, people: list[tuple[str, str]],
                                                 expected: list[tuple[object, ...]]) -> None:
    assert rows(text, people) == expected


def test_rows_score_the_content_and_keep_no_statement_twice() -> None:
    text = '"The plan is a great success," Tom Baker said. "It is a terrible, shameful failure," Jane Doe said.'
    spans = sentence_spans(text)
    quotes = quote_spans(text)
    found = article_statements(text, simple_cues(text), quotes)
    people = mentions_of(text, [("Tom Baker", "PERSON"), ("Jane Doe", "PERSON")])
    made = _rows("a1", None, text, [found[0], *found, found[0]], people, quotes, [a for a, _ in spans], [b for _, b in spans],
                 [0, 1], NOUNS, "vader")
    assert [(row[1], row[5], row[10], row[12], row[14]) for row in made] == [
        (0, "The plan is a great success", "Tom Baker", [0], None),
        (1, "It is a terrible, shameful failure", "Jane Doe", [1], None)]
    assert made[0][13] > 0.5 and made[1][13] < -0.5


def test_rows_of_a_quote_with_no_speaker() -> None:
    text = '"We have no choice," people were told.'
    told = Cue(span_of(text, "told"), None, None, None, None, span_of(text, "people were told"), (0, len(text)))
    statement = article_statements(text, [told], quote_spans(text))
    assert [row[5:13] for row in _rows("a1", None, text, statement, [], quote_spans(text), [0], [len(text)], [3],
                                       NOUNS, "vader")] == [
        ("We have no choice", "told", None, None, None, None, "no speaker in the sentence", [3])]


# --- _person_opening_sentence: whose is an uncued quote after a sentence about someone -------------------

def person_before_quote(sentence: str, people: list[tuple[str, str]], *, between: Sequence[str] = ()) -> str | None:
    """The person `_person_opening_sentence` finds in `sentence`, which stands between an attributed quote and an
    uncued one (after `between`, more sentences)."""
    sentences = ['"The industry will shrink," said Tony Clement.', sentence, *between,
                 '"We do not exclude that mistakes were made."']
    text = " ".join(sentences)
    starts = [sum(len(s) + 1 for s in sentences[:i]) for i in range(len(sentences))]
    ends = [start + len(s) for start, s in zip(starts, sentences)]
    found = _person_opening_sentence(text, text.index('," said'), starts[-1] + 1,
                                     mentions_of(text, [("Tony Clement", "PERSON"), *people]), starts, ends)
    return None if found is None else found.entity


ZETSCHE = [("Dieter Zetsche", "PERSON")]


@pytest.mark.parametrize(("sentence", "people", "expected"), [
    # A person among the first eight words, after capitalised words, determiners and titles only.
    ("Chairman Dieter Zetsche met the press.", ZETSCHE, "Dieter Zetsche"),
    ("The Daimler chairman Dieter Zetsche met the press.", ZETSCHE, "Dieter Zetsche"),
    ("Dieter Zetsche met the press and Jane Doe.", [*ZETSCHE, ("Jane Doe", "PERSON")], "Dieter Zetsche"),
    ("This Daimler Group Executive Board Member Dr Dieter Zetsche met the press.", ZETSCHE, "Dieter Zetsche"),
    ("This Daimler Group Executive Board Member Dr Prof Dieter Zetsche met the press.", ZETSCHE, None),  # the ninth word
    ("In Berlin the chairman of Daimler, Dieter Zetsche, met the press.", ZETSCHE, None),
    ("Daimler met the press.", [("Daimler", "ORG")], None),
    # Elsewhere in the sentence, the one person right before a verb in the past tense.
    ("Following weeks of speculation about a merger, chairman Dieter Zetsche denied the reports.", ZETSCHE,
     "Dieter Zetsche"),
    ("After the vote, Dieter Zetsche was angry.", ZETSCHE, "Dieter Zetsche"),
    ("After the vote, Dieter Zetsche had left.", ZETSCHE, "Dieter Zetsche"),
    ("After the vote, Dieter Zetsche left.", ZETSCHE, None),
    ("After the vote, Dieter Zetsche and Jane Doe denied the claims.", [*ZETSCHE, ("Jane Doe", "PERSON")], "Jane Doe"),
    ("After the vote, Dieter Zetsche was angry and Jane Doe had left.", [*ZETSCHE, ("Jane Doe", "PERSON")], None),
    ("Boeing hired Dieter Zetsche in 2001.", [("Boeing", "ORG"), *ZETSCHE], None),
    ("After the vote, Daimler denied the claims.", [("Daimler", "ORG")], None),
])
def test_the_person_a_sentence_before_an_uncued_quote_is_about(sentence: str, people: list[tuple[str, str]],
                                                               expected: str | None) -> None:
    assert person_before_quote(sentence, people) == expected


def test_only_the_sentence_right_before_the_uncued_quote_counts() -> None:
    assert person_before_quote("Chairman Dieter Zetsche met the press.", ZETSCHE, between=["Prices fell."]) is None
    assert person_before_quote("Prices fell.", ZETSCHE, between=["Chairman Dieter Zetsche met the press."]) == (
        "Dieter Zetsche")
    # no sentence between the quotes at all
    text = '"The industry will shrink," said Tony Clement. "We do not exclude that mistakes were made."'
    second = text.index(' "') + 1
    assert _person_opening_sentence(text, text.index('," said'), second + 1, mentions_of(text, [("Tony Clement", "PERSON")]),
                                    [0, second], [second - 1, len(text)]) is None


# --- the quotes next to a cue, and the small span helpers ---------------------------------------------------

def adjacent(text: str, sentence: str, region: str) -> list[str]:
    """The quotes `_adjacent_quotes` puts next to the attribution clause `region` of `sentence` in `text`."""
    start = text.index(sentence)
    at = text.index(region, start)
    cue = Cue((at, at + 1), None, None, None, None, (at, at + len(region)), (start, start + len(sentence)))
    return [text[a:b] for a, b in _adjacent_quotes(text, cue, quote_spans(text))]


@pytest.mark.parametrize(("text", "sentence", "region", "expected"), [
    # Right before the clause, in its sentence or closing a quote opened in the sentence before.
    ('"We have no choice," Jane Doe said.', None, "Jane Doe said", ["We have no choice"]),
    ('"We have no choice," Jane Doe said.', None, "Doe said", []),
    ('"We have no choice. The costs are high," Jane Doe said.', 'The costs are high," Jane Doe said.', "Jane Doe said",
     ["We have no choice. The costs are high"]),
    # ... or ending the sentence before (its closing mark and a space between).
    ('"We have no choice." Jane Doe added.', "Jane Doe added.", "Jane Doe added", ["We have no choice."]),
    ('"We have no choice,"\n\nJane Doe said.', "Jane Doe said.", "Jane Doe said", []),
    ('We met. "We have no choice." Jane Doe added.', "Jane Doe added.", "Jane Doe added", ["We have no choice."]),
    ('"We have no choice." Jane Doe met the staff and added.', "Jane Doe met the staff and added.", "added", []),
    # Not a phrase quoted inside a clause of its own.
    ('He called it "a mess," Jane Doe said.', None, "Jane Doe said", []),
    # Right after it, past punctuation and connectives, in the sentence.
    ('Jane Doe said: "We have no choice."', None, "Jane Doe said", ["We have no choice."]),
    ('Jane Doe said: "We have no choice." "The costs are high."', 'Jane Doe said: "We have no choice."', "Jane Doe said",
     ["We have no choice."]),
    ('Jane Doe said: "We cut costs. We sold it."', 'Jane Doe said: "We cut costs.', "Jane Doe said",
     ["We cut costs. We sold it."]),
    # Not a quote inside the clause.
    ('Jane Doe \u2014 "the boss" \u2014 said the plant would close.', None, 'Jane Doe \u2014 "the boss" \u2014 said', []),
    ('"We have no choice," it added; and, later, "We will not lend to the city."', None, "it added",
     ["We have no choice", "We will not lend to the city."]),
    ('"We have no choice," it added, calling it "a mess".', None, "it added", ["We have no choice"]),
    # In the next paragraph, after a sentence that ends in a colon.
    ('Jane Doe wrote on her account:\n\n"We have no choice."', "Jane Doe wrote on her account:", "Jane Doe wrote",
     ["We have no choice."]),
    ('Jane Doe wrote on her account.\n\n"We have no choice."', "Jane Doe wrote on her account.", "Jane Doe wrote", []),
    ('Jane Doe wrote on her account:\n\nThe vote. "We have no choice."', "Jane Doe wrote on her account:",
     "Jane Doe wrote", []),
])
def test_adjacent_quotes(text: str, sentence: str | None, region: str, expected: list[str]) -> None:
    assert adjacent(text, sentence or text, region) == expected


@pytest.mark.parametrize(("text", "opens"), [
    ('\u201cWe have no choice,\u201d she said.', True),
    ('  "We have no choice," she said.', True),
    ('She left. "We have no choice," she said.', True),
    ('She left:"We have no choice," she said.', True),
    ('She left \u2014 "We have no choice," she said.', True),
    ('She called it "no choice at all" and left.', False),
    ('She called it\n"no choice at all" and left.', False),
    ('She called the FOX "no choice at all" and left.', False),
])
def test_a_quote_opens_a_clause_after_a_clause_ends(text: str, opens: bool) -> None:
    [quote] = quote_spans(text)
    assert _opens_clause(text, quote) is opens


SPANS = [(0, 5), (5, 9), (12, 20)]


@pytest.mark.parametrize(("start", "end", "overlapping"), [
    (0, 30, SPANS), (5, 9, [(5, 9)]), (4, 6, [(0, 5), (5, 9)]), (9, 12, []), (8, 13, [(5, 9), (12, 20)]),
    (19, 40, [(12, 20)]), (20, 40, []), (0, 1, [(0, 5)]),
])
def test_overlapping_and_touching_spans(start: int, end: int, overlapping: list[tuple[int, int]]) -> None:
    assert _overlapping(SPANS, start, end) == overlapping
    assert list(_touching(SPANS, start, end)) == overlapping


@pytest.mark.parametrize(("at", "inside"), [(-1, False), (0, True), (4, True), (5, True), (9, False), (11, False),
                                            (12, True), (19, True), (20, False)])
def test_inside(at: int, inside: bool) -> None:
    assert _inside(at, SPANS) is inside


@pytest.mark.parametrize(("spans", "union"), [
    ([], []), ([(3, 3)], []), ([(5, 9), (0, 5)], [(0, 9)]), ([(0, 4), (5, 9)], [(0, 4), (5, 9)]),
    ([(0, 10), (2, 4), (3, 12), (14, 15)], [(0, 12), (14, 15)]), ([(2, 4), (0, 10)], [(0, 10)]),
])
def test_union(spans: list[tuple[int, int]], union: list[tuple[int, int]]) -> None:
    assert _union(spans) == union


@pytest.mark.parametrize(("text", "edge", "trimmed"), [
    (" , said: ", None, "said"), ("said", None, "said"), (" ,\t\n;: ", None, ""), ('"said."', '".', "said"),
])
def test_trim(text: str, edge: str | None, trimmed: str) -> None:
    start, end = _trim(text, 0, len(text)) if edge is None else _trim(text, 0, len(text), edge=edge)
    assert text[start:end] == trimmed and (start <= end)


@pytest.mark.parametrize(("word", "compared"), [
    ("Minister,", "minister"), ("Company's", "company"), ("banks\u2019", "banks"), ("(Chief)", "(chief)"),
    ("ex-CEO.", "ex-ceo"), ("x", "x"),
])
def test_words_as_titles_compare_them(word: str, compared: str) -> None:
    assert _word(word) == compared


@pytest.mark.parametrize(("text", "content", "expected"), [
    ('She said the plant would close.', "the plant would close.", ("indirect", "the plant would close")),
    ('She said Xerox fell.', "Xerox fell.", ("indirect", "Xerox fell")),
    ('She said, the plant would close;', ", the plant would close;", ("indirect", "the plant would close")),
    ('She said "the plant will close."', '"the plant will close."', ("direct", "the plant will close.")),
    ('She said: "The plant will close." "Soon."', ': "The plant will close." "Soon."',
     ("direct", 'The plant will close." "Soon.')),
    ('She said the plant "will close", and left', ' the plant "will close", ', ("mixed", 'the plant "will close"')),
    ('She said "."', '"."', None),
    ('She said ', ' ', None),
])
def test_classify(text: str, content: str, expected: tuple[str, str] | None) -> None:
    start = text.index(content)
    found = _classify(text, (start, start + len(content)), quote_spans(text))
    assert (None if found is None else (found[0], text[found[1][0]:found[1][1]])) == expected


@pytest.mark.parametrize(("text", "spans"), [
    # A curly opening mark inside an open quote closes it and opens another; a closing mark with none open is no quote.
    ("\u201cA deal \u201cnow\u201d or never\u201d, she said.", ["A deal", "now"]),
    ("She said \u201dno\u201d twice.", []),
    ('He said "yes" and "no".', ["yes", "no"]),
    # Quotes go on into paragraphs that open with a mark (one or more, either kind).
    ("\u201cWe cut costs.\n\n\u201cWe closed plants.\n\n\u201cWe sold it.\u201d",
     ["We cut costs.\n\n\u201cWe closed plants.\n\n\u201cWe sold it."]),
    ('\u201cWe cut costs.\n\n"We closed plants," he said.', ['We cut costs.\n\n"We closed plants']),
    ('"One,"\n\n"Two."', ["One", "Two."]),
    ('"We cut costs.\n\n  "We closed plants," he said.', ['We cut costs.\n\n  "We closed plants']),  # spaces before the mark
    ('He said: "We cut costs.\n\n  He left.', ["We cut costs."]),
    ('A "b" c.\n\n"D e."', ["b", "D e."]),
    # An unclosed quote ends with its paragraph, or with the text.
    ('He said: "We cut costs.\n\nHe left. "Not now," she said.', ["We cut costs.", "Not now"]),
    ('He said: "We cut costs.', ["We cut costs."]),
    # Spaces and commas at the edges are no part of a quote; an empty one is none.
    ('He said: ", we cut costs, " and left.', ["we cut costs"]),
    ('He said "" twice.', []),
])
def test_quote_spans_by_news_convention(text: str, spans: list[str]) -> None:
    assert [text[start:end] for start, end in quote_spans(text)] == spans


def test_quotes_frame_has_the_contracts_columns_and_types() -> None:
    rows = [("a1", 0, "direct", 3, 9, "We won", "said", "Jane Doe", 12, 20, "Jane Doe", "named", [1, 2], 0.57,
             pd.Timestamp("2024-05-01")),
            ("a1", 1, "indirect", 30, 40, "it is ok", None, None, None, None, None, "no speaker in the sentence", [3],
             0.0, None)]
    types = {"article_id": "string", "quote_id": "int64", "kind": "string", "start": "int64", "end": "int64",
             "text": "string", "cue": "string", "speaker_text": "string", "speaker_start": "Int64",
             "speaker_end": "Int64", "speaker": "string", "rule": "string", "sentence_ids": "object",
             "compound": "float64", "published": "datetime64[ns]"}
    for frame in (quotes_frame(rows), quotes_frame([])):
        assert {column: str(dtype) for column, dtype in frame.dtypes.items()} == types
        assert list(frame.columns) == QUOTE_COLUMNS
    frame = quotes_frame(rows)
    assert frame["sentence_ids"].tolist() == [[1, 2], [3]]
    assert frame[["speaker_start", "speaker"]].isna().values.tolist() == [[False, False], [True, True]]
    assert frame.loc[0, "speaker_end"] == 20 and frame.loc[0, "compound"] == 0.57
    assert frame["published"].tolist()[0] == pd.Timestamp("2024-05-01") and pd.isna(frame["published"].tolist()[1])


@pytest.mark.parametrize("sentence", [
    "Jane Doe said and Tom Baker added that the plan would fail.",
    'C\u0131ting "safety concerns", the airline cut flights.',  # a dotless i folds onto "citing"
    'CITING "safety concerns", the airline cut flights.',
    "M\u00fcller said the plan would fail.",
    "According to Jane Doe, prices fell, analysts said.",
    "He saidsaid it.",
])
def test_a_trigger_finds_what_its_expression_finds(sentence: str) -> None:
    quotation = quotation_verb_forms()
    trigger = _trigger(tuple(sorted(verb_forms() | quotation)), tuple(sorted(quotation)))
    assert trigger.first_words is not None
    assert list(trigger.starts(sentence)) == [match.start() for match in trigger.pattern.finditer(sentence)]


def test_where_a_trigger_starts() -> None:
    quotation = quotation_verb_forms()
    trigger = _trigger(tuple(sorted(verb_forms() | quotation)), tuple(sorted(quotation)))
    assert list(trigger.starts("Jane Doe said and Tom Baker added that the plan would fail.")) == [9, 28]
    assert list(trigger.starts('C\u0131ting "safety concerns", the airline cut flights.')) == [0]
    assert list(trigger.starts("According to Jane Doe, prices fell, analysts said.")) == [0, 45]
    assert list(trigger.starts("He saidsaid it.")) == []
    # a form that opens with a word outside ASCII: the expression scans the whole sentence
    scanning = _trigger(("d\u00e9clar\u00e9", "said"))
    assert scanning.first_words is None
    assert list(scanning.starts("Il a d\u00e9clar\u00e9 que Jane Doe said no.")) == [5, 26]


def test_reporting_verbs_and_their_forms() -> None:
    forms = verb_forms()
    assert {form: forms[form] for form in ("say", "says", "said", "saying", "told", "warns")} == {
        "say": "say", "says": "say", "said": "say", "saying": "say", "told": "tell", "warns": "warn"}
    extra = verb_forms(pd.DataFrame({"verb": ["Grumble"], "forms": ["Grumble  grumbled"]}))
    assert extra["grumble"] == "Grumble" and extra["grumbled"] == "Grumble" and extra["said"] == "say"
    assert quotation_verb_forms()["citing"] == "cite" and quotation_verb_forms()["reads"] == "read"
    nouns = default_speaker_nouns()
    assert list(nouns.columns) == ["noun", "label"] and ("company", "ORG") in set(zip(nouns["noun"], nouns["label"]))
    assert all(str(dtype) == "string" for dtype in nouns.dtypes)


# --- sentence_cues: the cues of a parsed sentence --------------------------------------------------------------
# Each sentence is parsed by its own test (mutmut credits a shared parse to the first test only); the sentence
# follows another in its article, so offsets are tested too. Expected values read off the parse of each sentence.

BEFORE = "Markets were quiet. "


def parsed_cues(sentence: str) -> list[dict[str, object]]:
    reporting = verb_forms()
    forms = reporting | {form: verb for form, verb in quotation_verb_forms().items() if form not in reporting}
    text, offset = BEFORE + sentence, len(BEFORE)
    [doc] = parse([sentence])
    found = []
    for cue in sentence_cues(doc, offset, forms, quote_spans(text)):
        assert cue.sentence == (offset, len(text))
        found.append({"cue": text[slice(*cue.cue)], "speaker": None if cue.speaker is None else text[slice(*cue.speaker)],
                      "head": None if cue.head is None else text[cue.head:].split()[0].strip(",."), "name": cue.name,
                      "content": None if cue.content is None else text[slice(*cue.content)],
                      "region": text[slice(*cue.region)], "according": cue.according})
    return found


def cue(cue: str, speaker: str | None, head: str | None, name: str | None, content: str | None, region: str,
        according: bool = False) -> dict[str, object]:
    return {"cue": cue, "speaker": speaker, "head": head, "name": name, "content": content, "region": region,
            "according": according}


@pytest.mark.parametrize(("sentence", "expected"), [
    # "according to": the side of the sentence the phrase leaves (trimmed later).
    ("According to the Reuters news agency, the talks collapsed on Friday.", [
        cue("According to", "the Reuters news agency", "agency", None, ", the talks collapsed on Friday.",
            "According to the Reuters news agency", according=True)]),
    ("The talks collapsed on Friday, according to the agency.", [
        cue("according to", "the agency", "agency", None, "The talks collapsed on Friday, ", "according to the agency",
            according=True)]),
    # The clause the verb takes, without "that"; the subject speaks.
    ("Jane Doe said that the plant would close.", [
        cue("said", "Jane Doe", "Doe", "Jane Doe", "the plant would close", "Jane Doe said")]),
    ("The report said prices rose.", [cue("said", "The report", "report", None, "prices rose", "The report said")]),
    # The attribution after what was said, the speaker after its verb or before it, or inside the sentence.
    ("Prices rose sharply, added the report.", [
        cue("added", "the report", "report", None, "Prices rose sharply", "added the report")]),
    ("Prices rose sharply last year, the report said.", [
        cue("said", "the report", "report", None, "Prices rose sharply last year", "the report said")]),
    ("The plant will close, Jane Doe told reporters on Monday.", [
        cue("told", "Jane Doe", "Doe", "Jane Doe", "The plant will close", "Jane Doe told reporters on Monday")]),
    ("The plan, Jane Doe said, would fail.", [cue("said", "Jane Doe", "Doe", "Jane Doe", " would fail.", "Jane Doe said")]),
    # "quoted as saying": the cue as written, the object of "quoted" speaking, the content left to the quote next to it.
    ("Jane Doe was quoted as saying that the plant would close.", [
        cue("was quoted as saying", "Jane Doe", "Doe", "Jane Doe", None,
            "Jane Doe was quoted as saying that the plant would close")]),
    ("The Guardian quoted him as saying that the plant would close.", [
        cue("quoted him as saying", "him", "him", None, None,
            "The Guardian quoted him as saying that the plant would close")]),
    # A participle says what the subject of its clause says.
    ("Jane Doe told reporters that the plant would close, saying it was too old.", [
        cue("told", "Jane Doe", "Doe", "Jane Doe", "the plant would close", "Jane Doe told reporters"),
        cue("saying", "Jane Doe", "Doe", "Jane Doe", "it was too old",
            "Jane Doe told reporters that the plant would close, saying")]),
    # A quotation verb: no content of its own, the clause ends at its quotation.
    ('Citing "serious safety concerns", Deutsche Bank said on Monday that it would close the branch.', [
        cue("Citing", "Deutsche Bank", "Bank", "Deutsche Bank", None, "Citing"),
        cue("said", "Deutsche Bank", "Bank", "Deutsche Bank", "it would close the branch", "Deutsche Bank said on Monday")]),
    ('The banner reads, "No more cuts to our schools", in red letters.', [
        cue("reads", "The banner", "banner", None, None, "The banner reads")]),
    # A source in an "as"-clause: the quotation before it.
    ('The tablet is claimed to be "the thinnest on the market" as stated on the Deutsche Bank website.', [
        cue("stated", "the Deutsche Bank website", "website", None, "the thinnest on the market",
            "as stated on the Deutsche Bank website")]),
    ('The tablet is claimed to be "the thinnest on the market" X as stated on the Deutsche Bank website.', [
        cue("stated", "the Deutsche Bank website", "website", None, None,
            "as stated on the Deutsche Bank website")]),  # a word between: the quotation is not the clause's
    # A speaker right before the clause, after a quote: all the name is in the clause.
    ('"Where is the money?" Maria Lopez kept asking.', [
        cue("asking", "Maria Lopez", "Lopez", "Maria Lopez", None, "Maria Lopez kept asking")]),
    # The speaker's name: a possessor's, none for a bare corporate suffix, titles left out.
    ("PC World's analysis said prices fell.", [
        cue("said", "PC World's analysis", "analysis", "PC World", "prices fell", "PC World's analysis said")]),
    ("The LLC said prices fell.", [cue("said", "The LLC", "LLC", None, "prices fell", "The LLC said")]),
    ("Prices will rise, the news Commissioner Neelie Kroes said.", [
        cue("said", "the news Commissioner Neelie Kroes", "Kroes", "Neelie Kroes", "Prices will rise",
            "the news Commissioner Neelie Kroes said")]),
    ("Prices will rise, warned Jane Doe.", [cue("warned", "Jane Doe", "Doe", "Jane Doe", "Prices will rise",
                                               "warned Jane Doe")]),
    ("Jane Doe has warned that prices will rise.", [
        cue("has warned", "Jane Doe", "Doe", "Jane Doe", "prices will rise", "Jane Doe has warned")]),
    # A participle after a statement says what its author says; no one notes what "it is interesting to note".
    ('Norm Dicks said he too was "shocked", releasing a statement saying "This decision is a disgrace."', [
        cue("said", "Norm Dicks", "Dicks", "Norm Dicks", 'he too was "shocked", releasing a statement saying "This '
            'decision is a disgrace', "Norm Dicks said"),
        cue("saying", "he", "he", None, "This decision is a disgrace", 'he too was "shocked", releasing a statement saying')]),
    ("It is interesting to note that prices fell.", [cue("to note", None, None, None, "prices fell", "to note")]),
    # A time after the verb is no speaker.
    ("The 777-200LR will be the basis for an all-freight version of the 777, announced last November.", [
        cue("announced", None, None, None, None, "announced last November")]),
    # Verbs inside quotation marks are the quote's; denials, passives and names are no cues.
    ('"We said no to them," Jane Doe said.', [
        cue("said", "Jane Doe", "Doe", "Jane Doe", "We said no to them", "Jane Doe said")]),
    ("The value of the deal was not disclosed.", []),
    ("Jane Doe did not say when the plant would close.", []),
    ('Jane Doe joined a group called "Friends of the Valley" in 2001.', []),
    ("The talks went well in the report.", []),
    ('Jane Doe joined the so-called "Friends of the Valley" in 2001.', []),  # "called" an adjective: a name
    # ... and the cues after them in the sentence still count.
    ('Jane Doe joined a group called "Friends of the Valley" and said it would grow.', [
        cue("said", "Jane Doe", "Doe", "Jane Doe", "it would grow",
            'Jane Doe joined a group called "Friends of the Valley" and said')]),
    ("Jane Doe was quoted as saying the plant would close, and Tom Baker said prices would rise.", [
        cue("was quoted as saying", "Jane Doe", "Doe", "Jane Doe", None,
            "Jane Doe was quoted as saying the plant would close"),
        cue("said", "Tom Baker", "Baker", "Tom Baker", "prices would rise", "Tom Baker said")]),
    # "according to" with no object (a slip), or cut off at the end of the text: no cue, and the verb after it counts.
    ("According to, Jane Doe said the plant would close.", [
        cue("said", "Jane Doe", "Doe", "Jane Doe", "the plant would close", "According to, Jane Doe said")]),
    ("Prices fell sharply, according", []),
    # A verb followed by "to" is no "according to".
    ("Jane Doe explained to reporters that the plant would close.", [
        cue("explained", "Jane Doe", "Doe", "Jane Doe", "the plant would close", "Jane Doe explained to reporters")]),
    # The source's name; what describes the source is no part of it, nor of what it reports.
    ("According to Jane Doe, who runs the plant, the plant will close.", [
        cue("According to", "Jane Doe", "Doe", "Jane Doe", ", the plant will close.",
            "According to Jane Doe, who runs the plant", according=True)]),
    ("Jane Doe, who runs the plant, said it would close.", [
        cue("said", "Jane Doe", "Doe", "Jane Doe", "it would close", "Jane Doe, who runs the plant, said")]),
    # Two subjects side by side are one speaker ("The carmaker, Acme Motors").
    ("The carmaker, Acme Motors said it would cut jobs.", [
        cue("said", "The carmaker, Acme Motors", "Motors", "Acme Motors", "it would cut jobs",
            "The carmaker, Acme Motors said")]),
    # A clause opened by "whether" keeps its word (only "that" is left out).
    ("Jane Doe asked whether the plant would close.", [
        cue("asked", "Jane Doe", "Doe", "Jane Doe", "whether the plant would close", "Jane Doe asked")]),
    # A quotation verb after its quotation; a participle before its subject, whose clause takes in the subject.
    ('"No more cuts to our schools," the banner reads.', [cue("reads", "the banner", "banner", None, None,
                                                              "the banner reads")]),
    ("Saying it was too old, Jane Doe closed the plant.", [
        cue("Saying", "Jane Doe", "Doe", "Jane Doe", "it was too old", "Saying it was too old, Jane Doe")]),
    # The subject of the verb a reporting verb is joined to by "and" speaks; not that of a verb its clause describes.
    ("According to the agency, Jane Doe said the plant would close.", [
        cue("According to", "the agency", "agency", None, ", Jane Doe said the plant would close.",
            "According to the agency", according=True),
        cue("said", "Jane Doe", "Doe", "Jane Doe", "the plant would close", "According to the agency, Jane Doe said")]),
    ("Jane Doe arrived on Monday and said the plant would close.", [
        cue("said", "Jane Doe", "Doe", "Jane Doe", "the plant would close", "Jane Doe arrived on Monday and said")]),
    ("Jane Doe welcomed the decision announced on Monday.", [
        cue("announced", None, None, None, None, "announced on Monday")]),
    ("Jane Doe sent a letter to Acme saying the plant would close.", [
        cue("saying", "Jane Doe", "Doe", "Jane Doe", "the plant would close", "Jane Doe sent a letter to Acme saying")]),
    # The speaker after the verb, after a quotation mark of either kind (no comma), or a one-word name.
    ('"The plant will close" said Jane Doe.', [
        cue("said", "Jane Doe", "Doe", "Jane Doe", '"The plant will close', "said Jane Doe")]),
    ("\u201cThe plant will close\u201d said Jane Doe.", [
        cue("said", "Jane Doe", "Doe", "Jane Doe", "\u201cThe plant will close", "said Jane Doe")]),
    ("Prices rose sharply, added Reuters.", [cue("added", "Reuters", "Reuters", "Reuters", "Prices rose sharply",
                                                "added Reuters")]),
    # The source of an "as"-clause: on, in, at or by it; not the ones it was stated to, and none at all.
    ('The tablet is claimed to be "the thinnest on the market" as stated by the company.', [
        cue("stated", "the company", "company", None, "the thinnest on the market", "as stated by the company")]),
    ('The tablet is claimed to be "the thinnest on the market" as stated in the company report.', [
        cue("stated", "the company report", "report", None, "the thinnest on the market",
            "as stated in the company report")]),
    ('The tablet is claimed to be "the thinnest on the market" as stated at the company website.', [
        cue("stated", "the company website", "website", None, "the thinnest on the market",
            "as stated at the company website")]),
    ('The tablet is claimed to be "the thinnest on the market" as stated to reporters.', [
        cue("stated", None, None, None, None, "as stated to reporters")]),
    ('The tablet is claimed to be "the thinnest on the market" as stated.', [
        cue("stated", None, None, None, None, "as stated")]),
    # ... and the quotation right before the clause, not an earlier one.
    ('Critics called it "a mess" on Monday, and the tablet is "the thinnest on the market" as stated on the website.', [
        cue("called", "Critics", "Critics", None, None, "Critics called it"),
        cue("stated", "the website", "website", None, "the thinnest on the market", "as stated on the website")]),
    # Names: of an owner in the plural, without the role before it or the title, none of a bare suffix with its period.
    ("The United States' report said prices fell.", [
        cue("said", "The United States' report", "report", "United States", "prices fell",
            "The United States' report said")]),
    ("Acme spokesman Tom Baker said prices fell.", [
        cue("said", "Acme spokesman Tom Baker", "Baker", "Tom Baker", "prices fell", "Acme spokesman Tom Baker said")]),
    ("Prices will rise, Gov. Jane Doe said.", [
        cue("said", "Gov. Jane Doe", "Doe", "Jane Doe", "Prices will rise", "Gov. Jane Doe said")]),
    ("The Corp. said prices fell.", [cue("said", "The Corp.", "Corp", None, "prices fell", "The Corp. said")]),
])
def test_sentence_cues(sentence: str, expected: list[dict[str, object]]) -> None:
    assert parsed_cues(sentence) == expected


@pytest.mark.parametrize(("text", "word", "portfolio"), [
    # "Title of / for Portfolio Name Surname": the word after "of" or "for" is the portfolio, not the name.
    ("Commissioner for Competition Neelie Kroes said so.", "Competition", True),
    ("Commissioner For Competition Neelie Kroes said so.", "Competition", True),
    ("Minister of Finance Jane Doe said so.", "Finance", True),
    ("Gov. of Texas Jane Doe said so.", "Texas", True),
    ("Said Minister of Finance Jane Doe.", "Finance", True),
    ("Bank of America said so.", "America", False),
    ("Minister with Finance Jane Doe said so.", "Finance", False),
    ("of Finance Minister Jane Doe said so.", "Finance", False),
    ("Finance Minister Jane Doe said so.", "Finance", False),
    ("for Finance spoke the Minister", "Finance", False),  # the second word of the text: no title before "for"
])
def test_a_name_after_a_title_and_of_opens_with_the_portfolio(text: str, word: str, portfolio: bool) -> None:
    doc = ner_pipeline().make_doc(text)  # words only: the rule reads no parse
    [token] = [t for t in doc if t.text == word]
    assert _after_portfolio_word(token) is portfolio


def test_an_empty_sentence_has_no_cues() -> None:
    [doc] = parse([""])
    assert sentence_cues(doc, 40, verb_forms(), [(10, 20)]) == []


# --- more of the parts, each at the edge a planted bug showed untested ------------------------------------------

def test_a_quote_that_holds_the_attribution_is_not_next_to_it() -> None:
    """'"We have no choice. Jane Doe said," Tom Baker added.': the words "Jane Doe said" are quoted, so the quote
    around them is not next to them (it is Tom Baker's)."""
    text = '"We have no choice. Jane Doe said," Tom Baker added.'
    sentence = 'Jane Doe said," Tom Baker added.'
    assert adjacent(text, sentence, "Jane Doe said") == []
    assert adjacent(text, sentence, "Doe said") == []
    assert adjacent(text, sentence, "Tom Baker added") == ["We have no choice. Jane Doe said"]


def test_the_sentence_right_before_an_uncued_quote_also_without_a_space() -> None:
    sentences = ['"The industry will shrink," said Tony Clement.', "Chairman Dieter Zetsche met the press.",
                 '"We do not exclude that mistakes were made."']
    text = f"{sentences[0]} {sentences[1]}{sentences[2]}"  # no space before the quotation mark
    starts = [0, len(sentences[0]) + 1, len(sentences[0]) + 1 + len(sentences[1])]
    ends = [start + len(s) for start, s in zip(starts, sentences)]
    people = mentions_of(text, [("Tony Clement", "PERSON"), *ZETSCHE])
    found = _person_opening_sentence(text, text.index('," said'), starts[2] + 1, people, starts, ends)
    assert found is not None and found.entity == "Dieter Zetsche"


def rows_of(text: str, cues: list[Cue], people: list[tuple[str, str]]) -> list[tuple[object, ...]]:
    """`_rows` of an article with the cues given: (kind, content, speaker as written, speaker, rule) of each row."""
    spans = sentence_spans(text)
    quotes = quote_spans(text)
    found = _rows("a1", None, text, article_statements(text, cues, quotes), mentions_of(text, people), quotes,
                  [a for a, _ in spans], [b for _, b in spans], list(range(len(spans))), NOUNS, "vader")
    return [(row[2], row[5], row[7], row[10], row[11]) for row in found]


def test_a_quote_after_its_speakers_own_sentence_continues_the_quote_before() -> None:
    """'Tom Baker told us: "..." "..."': the second quote continues the first; the sentence that opens with Tom Baker
    is the first quote's own, not a sentence between them."""
    text = 'Tom Baker told us: "We have no choice." "The costs are too high for us."'
    told = Cue(span_of(text, "told"), span_of(text, "Tom Baker"), text.index("Baker"), "Tom Baker", None,
               span_of(text, "Tom Baker told us"), span_of(text, 'Tom Baker told us: "We have no choice."'))
    assert rows_of(text, [told], [("Tom Baker", "PERSON")]) == [
        ("direct", "We have no choice.", "Tom Baker", "Tom Baker", "named"),
        ("direct", "The costs are too high for us.", "Tom Baker", "Tom Baker", "continues the quote before")]


def test_a_speaker_who_opens_the_sentence_before_an_uncued_quote_is_its_speaker_with_their_words() -> None:
    """The person the sentence between two quotes opens with may be a speaker already resolved: the new quote is
    theirs, and its speaker's words are the words that name them there ("Jane Doe"), not a piece of them."""
    text = '"We have no choice," Tom Baker said. Jane Doe said the plan would fail. "The costs are too high for us."'
    assert rows(text, [("Tom Baker", "PERSON"), ("Jane Doe", "PERSON")]) == [
        ("direct", "We have no choice", "said", "Tom Baker", "Tom Baker", "named", [10]),
        ("indirect", "the plan would fail", "said", "Jane Doe", "Jane Doe", "named", [11]),
        ("direct", "The costs are too high for us.", None, "Jane Doe", "Jane Doe", "named in the sentence before", [12])]


@pytest.mark.parametrize(("text", "people", "expected"), [
    # "she" skips the man the article calls "Mr" (the genders of the article's people).
    ('Mr Tom Baker met Ann Marsh. "We have no choice," she said.', [("Tom Baker", "PERSON"), ("Ann Marsh", "PERSON")],
     ("she", "Ann Marsh", "pronoun: most recent person")),
    ('Tom Baker met Ann Marsh. "We have no choice," she said.', [("Tom Baker", "PERSON"), ("Ann Marsh", "PERSON")],
     ("she", "Tom Baker", "pronoun: most recent person")),
    # A surname the tagger missed is the person the article names in full.
    ("Jusman Syafii Djamal arrived. Djamal said the plant would close.", [("Jusman Syafii Djamal", "PERSON")],
     ("Djamal", "Jusman Syafii Djamal", "surname of a person the article names")),
])
def test_rows_resolve_a_speaker_by_what_the_article_says_of_its_people(text: str, people: list[tuple[str, str]],
                                                                       expected: tuple[str, str, str]) -> None:
    assert [row[3:6] for row in rows(text, people)][-1] == expected


def test_rows_score_with_the_analyser_named() -> None:
    text = "Jane Doe said there was no progress toward a ceasefire."  # where NLTK's port and VADER differ
    spans = sentence_spans(text)
    quotes = quote_spans(text)
    statements_found = article_statements(text, simple_cues(text), quotes)
    for sentiment in ("nltk", "vader"):
        [row] = _rows("a1", None, text, statements_found, [], quotes, [a for a, _ in spans], [b for _, b in spans],
                      [0], NOUNS, sentiment)
        assert row[13] == score_text("there was no progress toward a ceasefire", sentiment=sentiment)["compound"]
    content = "there was no progress toward a ceasefire"
    assert score_text(content, sentiment="nltk")["compound"] > 0 > score_text(content)["compound"]  # 0.15 and -0.33


@pytest.mark.parametrize(("text", "expected"), [
    # Mixed content that opens the text, then a quote that continues it.
    ('Prices would "fall sharply", Jane Doe said. "The costs are too high for us."', [
        ("mixed", 'Prices would "fall sharply"', "said", *DOE, None),
        ("direct", "The costs are too high for us.", None, *DOE, 'Prices would "fall sharply"')]),
])
def test_a_statement_at_the_start_of_the_text_is_continued(text: str, expected: list[tuple[object, ...]]) -> None:
    said = Cue(span_of(text, "said"), span_of(text, "Jane Doe"), text.index("Doe"), "Jane Doe",
               (0, text.index(", Jane")), span_of(text, "Jane Doe said"), span_of(text, 'Prices would "fall sharply", '
                                                                                  "Jane Doe said."))
    assert statements(text, [said]) == expected


def test_a_quote_too_far_to_continue_one_leaves_the_next_quote_free_to() -> None:
    text = ('"We have no choice," Jane Doe said.\n\nThe vote is on Friday.\n\n"The costs are high for us." "It is late," '
            'Tom Baker said. "The plant will close soon."')
    assert statements(text) == [
        ("direct", "We have no choice", "said", *DOE, None),
        ("direct", "It is late", "said", "Tom Baker", "Baker", "Tom Baker", None),
        ("direct", "The plant will close soon.", None, "Tom Baker", "Baker", "Tom Baker", "It is late")]


def test_every_quote_of_a_direct_statement_is_claimed() -> None:
    """A direct statement over two quotes claims both: the first is not also a quote continuing Tom Baker's."""
    text = '"We won," Tom Baker said. Jane Doe told us: "We have no choice at all"; "We will close the plant."'
    said = simple_cues(text)[0]
    start = text.index('"We have')
    told = Cue(span_of(text, "told"), span_of(text, "Jane Doe"), text.index("Doe"), "Jane Doe", (start, len(text)),
               span_of(text, "Jane Doe told"), span_of(text, text[text.index("Jane"):]))  # "us": no quote next to it
    assert statements(text, [said, told]) == [
        ("direct", "We won", "said", "Tom Baker", "Baker", "Tom Baker", None),
        ("direct", 'We have no choice at all"; "We will close the plant.', "told", *DOE, None)]


def test_a_cue_with_nothing_to_report_leaves_the_next_cues_theirs() -> None:
    text = "Jane Doe welcomed the decision announced on Monday. Tom Baker said prices fell."
    announced = Cue(span_of(text, "announced"), None, None, None, None, span_of(text, "announced on Monday"),
                    span_of(text, "Jane Doe welcomed the decision announced on Monday."))
    assert statements(text, [announced, *simple_cues(text)]) == [
        ("indirect", "prices fell", "said", "Tom Baker", "Baker", "Tom Baker", None)]


def test_a_quote_keeps_its_own_colon_or_semicolon_and_letters() -> None:
    text = '"X-rays cost more;" he said, and "the plan is this:" we wait.'
    assert [text[start:end] for start, end in quote_spans(text)] == ["X-rays cost more;", "the plan is this:"]


def test_a_one_letter_quotation_is_a_statement() -> None:
    text = 'She answered "X".'
    start = text.index('"X"')
    assert _classify(text, (start, len(text)), quote_spans(text)) == ("direct", (start + 1, start + 2))


def test_the_word_after_a_body_is_its_title_anywhere_in_the_text() -> None:
    text = "Talks resumed on Monday in Geneva. The Guardian report said they would end."
    [mention] = mentions(text, "Guardian", label="ORG")
    assert _titles(text, [mention]) == [(mention.start, frozenset({"report"}), "Guardian",
                                         "description: the article names it so")]


def test_speaker_lines_of_a_one_letter_answer_and_not_of_a_sentence_opening() -> None:
    text = 'Which plan do you choose?\n\nJane Doe: "B"'
    start = text.index("Jane Doe")
    assert _speaker_line(text, quote_spans(text)[0]) == (start, start + 8, start + 5, "Jane Doe")
    text = 'They Asked Tom Baker: "Will the plant close?"'  # a question put to him, not his words
    assert _speaker_line(text, quote_spans(text)[0]) is None


def test_simple_cue_declines_a_sentence_inside_a_quotation() -> None:
    patterns = shipped_simple_patterns()
    assert simple_cue("Jane Doe said the plant would close.", 30, patterns, [(20, 70)]) is None
    assert simple_cue("Jane Doe said the plant would close.", 30, patterns, []) is not None


def test_the_stage_reads_simple_sentences_without_the_parse_and_parses_the_rest() -> None:
    """`attribute` on an article given as frames: the simple shapes are read as written ("<Acme Inc>" whole, a ticker
    after the name), a sentence with a quotation of its own goes to the parse (two statements, not one mixed); each
    row has its sentence, VADER's score of its content and the article's publication date."""
    text = ('<Acme Inc> said the plant would close.\n\nPrices fell sharply, Acme Inc <ACME.N> said.\n\n'
            'Jane Doe said the plant would close, and added: "We have no choice at all."')
    spans = [(p + a, p + b) for p, e in paragraph_spans(text) for a, b in sentence_spans(text[p:e])]
    articles = pd.DataFrame({"article_id": ["a1"], "text": [text], "published": [pd.Timestamp("1987-03-02")]})
    sentences = pd.DataFrame({"article_id": ["a1"] * 3, "start": [a for a, _ in spans], "end": [b for _, b in spans],
                              "sentence_id": [7, 8, 9], "text": [text[a:b] for a, b in spans]})
    people = mentions_of(text, [("Acme Inc", "ORG"), ("Acme Inc", "ORG"), ("Jane Doe", "PERSON")])
    entities = pd.DataFrame({"article_id": ["a1"] * 3, "start": [m.start for m in people], "end": [m.end for m in people],
                             "label": [m.label for m in people], "entity": [m.entity for m in people]})
    found = attribute(articles, sentences, entities)
    assert found[["kind", "text", "cue", "speaker_text", "speaker", "rule"]].values.tolist() == [
        ["indirect", "the plant would close", "said", "<Acme Inc>", "Acme Inc", "named"],
        ["indirect", "Prices fell sharply", "said", "Acme Inc", "Acme Inc", "named"],
        ["indirect", "the plant would close", "said", "Jane Doe", "Jane Doe", "named"],
        ["direct", "We have no choice at all.", "added", "Jane Doe", "Jane Doe", "named"]]
    assert found["sentence_ids"].tolist() == [[7], [8], [9], [9]]
    assert found["compound"].tolist() == [score_text(t)["compound"] for t in found["text"]]
    assert found["compound"].iat[3] < 0 and (found["published"] == pd.Timestamp("1987-03-02")).all()


# --- the parse's readers on sentences parsed by hand ------------------------------------------------------------
# Parses spaCy gives some of the time (a mark hung from the verb, a name misread before the verb, a rare relation),
# written out so that each rule is tested on the tree it reads: (word, tag, relation, index of the head).

def hand_parsed(*tokens: tuple[str, str, str, int], text: str | None = None) -> Doc:
    """A doc of the words parsed by hand, spaced as in `text` (by default: a space after each word but before a comma
    or a period)."""
    words = [word for word, *_ in tokens]
    spaces = [following not in {",", "."} for following in words[1:] + ["."]]
    if text is not None:
        at, spaces = 0, []
        for word in words:
            at = text.index(word, at) + len(word)
            spaces.append(text[at:at + 1] == " ")
    return Doc(ner_pipeline().vocab, words=words, spaces=spaces, tags=[tag for _, tag, _, _ in tokens],
               deps=[dep for _, _, dep, _ in tokens], heads=[head for *_, head in tokens])


def index(token: Token | None) -> int | None:
    return None if token is None else token.i


def test_inverted_speaker_after_a_comma_or_a_mark_of_either_kind_and_only_there() -> None:
    for mark in (",", '"', "\u201d"):
        doc = hand_parsed((mark, "''", "punct", 1), ("asked", "VBD", "ROOT", 1), ("Jane", "NNP", "compound", 3),
                          ("Doe", "NNP", "nsubj", 1), (".", ".", "punct", 1))
        assert index(_inverted_speaker(doc, doc[1])) == 3
    # a verb that opens the sentence, or follows a word, has no attribution after what was said
    doc = hand_parsed(("Added", "VBD", "ROOT", 0), ("the", "DT", "det", 2), ("report", "NN", "nsubj", 0),
                      (",", ",", "punct", 0), ('"', "''", "punct", 0))
    assert index(_inverted_speaker(doc, doc[0])) is None
    doc = hand_parsed(("Prices", "NNS", "nsubj", 1), ("rose", "VBD", "ccomp", 3), ("sharply", "RB", "advmod", 1),
                      ("added", "VBD", "ROOT", 3), ("the", "DT", "det", 5), ("report", "NN", "nsubj", 3),
                      (".", ".", "punct", 3))
    assert index(_inverted_speaker(doc, doc[3])) is None


@pytest.mark.parametrize(("relation", "speaks"), [("nsubj", True), ("dobj", True), ("attr", True), ("npadvmod", True),
                                                  ("advmod", False)])
def test_inverted_speaker_by_its_relation_to_the_verb(relation: str, speaks: bool) -> None:
    doc = hand_parsed(("Prices", "NNS", "nsubj", 1), ("rose", "VBD", "ccomp", 3), (",", ",", "punct", 3),
                      ("added", "VBD", "ROOT", 3), ("the", "DT", "det", 5), ("report", "NN", relation, 3),
                      (".", ".", "punct", 3))
    assert index(_inverted_speaker(doc, doc[3])) == (5 if speaks else None)


def test_as_source_only_in_an_as_clause() -> None:
    doc = hand_parsed(("The", "DT", "det", 1), ("plan", "NN", "nsubj", 2), ("fails", "VBZ", "ROOT", 2),
                      ("if", "IN", "mark", 4), ("stated", "VBN", "advcl", 2), ("in", "IN", "prep", 4),
                      ("the", "DT", "det", 7), ("report", "NN", "pobj", 5), (".", ".", "punct", 2))
    assert index(_as_source(doc[4])) is None
    doc = hand_parsed(*[(word, tag, "mark" if word == "as" else dep, head) for word, tag, dep, head in (
        ("The", "DT", "det", 1), ("plan", "NN", "nsubj", 2), ("fails", "VBZ", "ROOT", 2), ("as", "IN", "mark", 4),
        ("stated", "VBN", "advcl", 2), ("in", "IN", "prep", 4), ("the", "DT", "det", 7), ("report", "NN", "pobj", 5),
        (".", ".", "punct", 2))])
    assert index(_as_source(doc[4])) == 7


@pytest.mark.parametrize(("tag", "name"), [("VBD", True), ("VBZ", True), ("VBP", True), ("VBG", False)])
def test_a_name_right_before_a_verb_with_no_subject_speaks(tag: str, name: bool) -> None:
    """"Kroes said prices rose" with "Kroes" misread as no subject: the name right before the verb (a finite verb)."""
    doc = hand_parsed(("Kroes", "NNP", "npadvmod", 1), ("said", tag, "ROOT", 1), ("prices", "NNS", "nsubj", 3),
                      ("rose", "VBD", "ccomp", 1), (".", ".", "punct", 1))
    assert index(_speaker_token(doc[1], verb_forms())) == (0 if name else None)


def test_no_speaker_for_a_verb_that_opens_the_sentence_or_a_clause_it_completes() -> None:
    # "Announced on Monday in Paris": the sentence's last word is no name before the verb
    doc = hand_parsed(("Announced", "VBD", "ROOT", 0), ("on", "IN", "prep", 0), ("Monday", "NNP", "pobj", 1),
                      ("in", "IN", "prep", 0), ("Paris", "NNP", "pobj", 3))
    assert index(_speaker_token(doc[0], verb_forms())) is None
    # "Jane Doe denied reported cuts": the verb completing "denied" has no subject, and Jane Doe reports nothing
    doc = hand_parsed(("Jane", "NNP", "compound", 1), ("Doe", "NNP", "nsubj", 2), ("denied", "VBD", "ROOT", 2),
                      ("reported", "VBN", "ccomp", 2), ("cuts", "NNS", "dobj", 3), (".", ".", "punct", 2))
    assert index(_speaker_token(doc[3], verb_forms())) is None


def test_a_second_subject_beside_the_speaker_without_its_relative_clause() -> None:
    doc = hand_parsed(("Acme", "NNP", "compound", 1), ("Motors", "NNPS", "nsubj", 9), (",", ",", "punct", 9),
                      ("the", "DT", "det", 4), ("carmaker", "NN", "nsubj", 9), ("which", "WDT", "nsubj", 6),
                      ("makes", "VBZ", "relcl", 4), ("trucks", "NNS", "dobj", 6), (",", ",", "punct", 9),
                      ("said", "VBD", "ROOT", 9), ("so", "RB", "advmod", 9), (".", ".", "punct", 9))
    start, end = _speaker_span(doc[1], 0)
    assert doc.text[start:end] == "Acme Motors, the carmaker"


def test_a_name_written_in_pieces_is_no_name() -> None:
    doc = hand_parsed(("Jane", "NNP", "compound", 2), (",", ",", "punct", 2), ("Doe", "NNP", "nsubj", 3),
                      ("said", "VBD", "ROOT", 3), ("so", "RB", "advmod", 3))
    assert _proper_name(doc[2]) is None


def hand_cues(doc: Doc, text: str, quotes: Sequence[tuple[int, int]] = ()) -> list[tuple[str, str | None, str]]:
    """(cue, content, region) of the cues `sentence_cues` finds in a sentence parsed by hand, at offset 0."""
    assert doc.text == text
    return [(text[slice(*c.cue)], None if c.content is None else text[slice(*c.content)], text[slice(*c.region)])
            for c in sentence_cues(doc, 0, verb_forms() | quotation_verb_forms(), quotes)]


def test_sentence_cues_of_a_one_word_clause_and_of_a_verb_that_is_a_clause_itself() -> None:
    doc = hand_parsed(("Jane", "NNP", "compound", 1), ("Doe", "NNP", "nsubj", 2), ("said", "VBD", "ROOT", 2),
                      ("that", "IN", "mark", 4), ("yes", "UH", "ccomp", 2), (".", ".", "punct", 2))
    assert hand_cues(doc, "Jane Doe said that yes.") == [("said", "yes", "Jane Doe said")]
    doc = hand_parsed(("The", "DT", "det", 1), ("plan", "NN", "nsubj", 8), (",", ",", "punct", 5),
                      ("Jane", "NNP", "compound", 4), ("Doe", "NNP", "nsubj", 5), ("said", "VBD", "ccomp", 8),
                      (",", ",", "punct", 5), ("will", "MD", "aux", 8), ("fail", "VB", "ROOT", 8), (".", ".", "punct", 8))
    assert hand_cues(doc, "The plan, Jane Doe said, will fail.") == [("said", " will fail.", "Jane Doe said")]


def test_sentence_cues_leave_quoted_words_out_of_the_clause() -> None:
    text = 'Jane Doe said at the "Daily News" that prices rose.'
    doc = hand_parsed(("Jane", "NNP", "compound", 1), ("Doe", "NNP", "nsubj", 2), ("said", "VBD", "ROOT", 2),
                      ("at", "IN", "prep", 2), ("the", "DT", "det", 7), ('"', "``", "punct", 2),
                      ("Daily", "NNP", "compound", 7), ("News", "NNP", "pobj", 3), ('"', "''", "punct", 2),
                      ("that", "IN", "mark", 11), ("prices", "NNS", "nsubj", 11), ("rose", "VBD", "ccomp", 2),
                      (".", ".", "punct", 2), text=text)
    assert hand_cues(doc, text, quote_spans(text)) == [("said", "prices rose", "Jane Doe said at the")]


def test_a_quotation_verbs_clause_ends_at_its_quotation() -> None:
    text = '"Cuts", the sign reads "No entry" in red letters.'
    doc = hand_parsed(('"', "``", "punct", 1), ("Cuts", "NNS", "dep", 7), ('"', "''", "punct", 1),
                      (",", ",", "punct", 7), ("the", "DT", "det", 6), ("sign", "NN", "nsubj", 7),
                      ("reads", "VBZ", "ROOT", 7), ('"', "``", "punct", 7), ("No", "DT", "det", 9),
                      ("entry", "NN", "dobj", 7), ('"', "''", "punct", 7), ("in", "IN", "prep", 7),
                      ("red", "JJ", "amod", 13), ("letters", "NNS", "pobj", 11), (".", ".", "punct", 7), text=text)
    assert hand_cues(doc, text, quote_spans(text)) == [("reads", None, "the sign reads")]


def test_the_cue_of_quoted_as_saying_with_saying_as_the_object_of_as() -> None:
    text = "Jane Doe was quoted as saying so."
    doc = hand_parsed(("Jane", "NNP", "compound", 1), ("Doe", "NNP", "nsubjpass", 3), ("was", "VBD", "auxpass", 3),
                      ("quoted", "VBN", "ROOT", 3), ("as", "IN", "prep", 3), ("saying", "VBG", "pobj", 4),
                      ("so", "RB", "advmod", 5), (".", ".", "punct", 3))
    assert [cue for cue, *_ in hand_cues(doc, text)] == ["was quoted as saying"]


def test_according_to_with_nothing_else_in_its_sentence_takes_the_quote_after_it() -> None:
    """'According to the ministry:' and the quote in the next paragraph: the ministry's (the sentence has no clause
    of its own to report)."""
    text = 'According to the ministry:\n\n"The plant will close at the end of the year."'
    according = Cue(span_of(text, "According to"), span_of(text, "the ministry"), text.index("ministry"), None,
                    span_of(text, ":"), span_of(text, "According to the ministry"), span_of(text, "According to the ministry:"),
                    according=True)
    assert statements(text, [according]) == [
        ("direct", "The plant will close at the end of the year.", "According to", "the ministry", "ministry", None, None)]
    # with a clause of its own, that clause is what it reports, and the quote after it is not taken
    text = 'According to the ministry, prices fell.\n\n"The plant will close at the end of the year."'
    according = replace(according, content=span_of(text, ", prices fell."), sentence=span_of(text, text.split("\n")[0]))
    assert statements(text, [according]) == [("indirect", "prices fell", "According to", "the ministry", "ministry", None,
                                              None)]


def test_the_quotation_before_an_as_clause_deep_in_an_article() -> None:
    """Offsets in the article, not in the sentence: the quotation right before the clause, not an earlier one."""
    sentence = 'Critics called it "a mess", and the tablet is "the thinnest on the market" as stated on the website.'
    before = "Markets were quiet. " * 12
    text = before + sentence
    [doc] = parse([sentence])
    [_, stated] = sentence_cues(doc, len(before), verb_forms() | quotation_verb_forms(), quote_spans(text))
    assert stated.content is not None and text[slice(*stated.content)] == "the thinnest on the market"


def test_according_to_a_clause_of_two_quotations_is_one_direct_statement() -> None:
    text = 'According to the bank, "we will close the plant" and "we will sell it."'
    according = Cue(span_of(text, "According to"), span_of(text, "the bank"), text.index("bank"), None,
                    (text.index(","), len(text)), span_of(text, "According to the bank"), (0, len(text)), according=True)
    assert statements(text, [according]) == [
        ("direct", 'we will close the plant" and "we will sell it.', "According to", "the bank", "bank", None, None)]

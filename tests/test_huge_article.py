"""A huge article streams through entity tagging in bounded pieces, with the same mentions as before.

Wall time and peak memory for 5 MB and 50 MB articles are measured by `benchmarks/huge_article.py`
(figures in benchmarks/README.md); here, the properties that make them bounded and linear.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

import pandas as pd
import pytest

import toolkit.entities
import toolkit.tone
from tests.conftest import SAMPLE
from toolkit.clean import clean
from toolkit.entities import (
    _CHUNK, _WEAK_NAME, Mention, _inside_longer_name, _last_word, _matches, _untagged_people, _with_capital_the,
    _word_ends, spacy_mentions, tag_articles,
)
from toolkit.quotes import _inside, _touching, attribute
from toolkit.sentiment import score
from toolkit.text import split
from toolkit.tone import entity_tone


class CountingPipeline:
    """Stands in for spaCy: records how many characters each batch holds at once; finds no names."""

    def __init__(self, nlp):
        self.nlp, self.batches = nlp, []

    def pipe(self, texts: Iterable[str], *, batch_size: int):
        texts = list(texts)
        for start in range(0, len(texts), batch_size):
            self.batches.append([len(text) for text in texts[start:start + batch_size]])
        return (self.nlp.make_doc(text) for text in texts)


@pytest.fixture
def counting(monkeypatch):
    real = toolkit.entities.ner_pipeline()
    counter = CountingPipeline(real)
    monkeypatch.setattr(toolkit.entities, "ner_pipeline", lambda model=None: counter)
    return counter


def test_spacy_holds_one_bounded_batch_whatever_the_article_size(counting):
    huge = "\n\n".join(["Officials met in Geneva on Thursday to resume talks."] * 60_000)  # 3.2 MB
    texts = ["Short one.", huge, "Another short one."]
    found = list(spacy_mentions(texts))
    assert len(found) == 3
    assert sum(map(sum, counting.batches)) == sum(map(len, texts))
    assert max(map(sum, counting.batches)) <= _CHUNK
    assert max(map(len, counting.batches)) <= 64


def test_mentions_of_a_long_article_keep_their_offsets_across_pieces():
    sample = SAMPLE.read_text(encoding="utf-8")
    text = "\n\n".join([sample] * 120)  # about 3 pieces
    [short, long_, last] = spacy_mentions(["Angela Merkel spoke.", text, "Talks in Paris."])
    assert [m.text for m in short] == ["Angela Merkel"] and [m.text for m in last] == ["Paris"]
    assert len(text) > 2 * _CHUNK and long_[-1].start > 2 * _CHUNK
    assert all(text[m.start:m.end] == m.text for m in long_)
    assert [m.start for m in long_] == sorted(m.start for m in long_)


WORDS = ["Smith", "John", "John Smith", "Smithson", "O'Neill", "Ann", "Ann Lee", "Lee", "Lee Ann", "Jr.",
         "Al-Assad", "Bashar al-Assad", "Zoë", "Zoë Kravitz", "Kravitz"]
GLUE = [" ", ", ", "-", "_", ".", " and ", "'s ", "\n\n", "", "é"]


def _random_text(rng: random.Random, words: int) -> str:
    return "".join(rng.choice(WORDS) + rng.choice(GLUE) for _ in range(words))


@pytest.mark.parametrize("forms", [
    ["John Smith", "Smith"], ["Ann Lee", "Lee"], ["Lee Ann", "Ann"], ["Bashar al-Assad", "Assad"],
    ["Zoë Kravitz", "Kravitz"], ["Martin Luther King Jr."], ["O'Neill"], ["John Smith"],
])
def test_word_lookups_find_exactly_what_the_regular_expression_finds(forms):
    rng = random.Random(len(forms[0]))
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, forms)) + r")\b")
    for _ in range(200):
        text = _random_text(rng, 30)
        ends = _word_ends(text, {_last_word(form) for form in forms} - {""})
        assert _matches(text, forms, ends) == [match.span() for match in pattern.finditer(text)], text


def test_untagged_mentions_are_found_as_before_on_a_long_article():
    """The same mentions as the quadratic search it replaces (a scan of the text a name, a list of taken spans)."""
    def earlier(text, mentions, recased):
        people = {m.entity for m in mentions if m.label == "PERSON" and " " in m.entity}
        surnames = Counter(name.split()[-1] for name in people)
        taken, found = [(m.start, m.end) for m in mentions], []
        for name in sorted(people, key=len, reverse=True):
            surname = name.split()[-1]
            forms = [name] + ([surname] if surnames[surname] == 1 and not _WEAK_NAME.match(surname) else [])
            for match in re.finditer(r"\b(?:" + "|".join(map(re.escape, forms)) + r")\b", text):
                if any(start < match.end() and match.start() < end for start, end in taken):
                    continue
                in_capitals = any(a <= match.start() < b for a, b in recased)
                if match.group(0) != name and not in_capitals and _inside_longer_name(text, *match.span()):
                    continue
                taken.append(match.span())
                found.append((match.start(), match.end(), name))
        return found

    rng = random.Random(4)
    text = _random_text(rng, 3000)
    tagged = []
    for name in ("John Smith", "Ann Lee", "Zoë Kravitz", "Bashar al-Assad"):
        for match in list(re.finditer(re.escape(name), text))[::3]:
            tagged.append(toolkit.entities.Mention(match.start(), match.end(), name, "PERSON", name))
    tagged.sort(key=lambda m: m.start)
    recased = [(start, start + 400) for start in range(0, len(text), 2000)]
    expected = earlier(text, tagged, recased)
    assert len(expected) > 100
    assert [(m.start, m.end, m.entity) for m in _untagged_people(text, tagged, recased)] == expected


def test_quote_lookups_by_bisection_find_what_a_scan_finds():
    """`_touching` (quotes overlapping a span) and `_inside` against the scans they replace, empty quotes included."""
    rng = random.Random(10)
    for _ in range(300):
        spans, at = [], 0
        for _ in range(rng.randrange(0, 12)):
            start = at + rng.randrange(0, 6)
            at = start + rng.randrange(0, 6)
            spans.append((start, at))
        for _ in range(20):
            start = rng.randrange(-2, at + 3)
            end = start + rng.randrange(0, 8)
            assert list(_touching(spans, start, end)) == [q for q in spans if q[0] < end and start < q[1]], spans
            assert _inside(start, spans) == any(a <= start < b for a, b in spans)


def test_the_before_a_name_is_read_backwards_as_the_old_copy_of_the_text_read_it():
    def earlier(text: str, mention: Mention) -> Mention:
        if mention.label not in {"ORG", "WORK_OF_ART"} or text[max(0, mention.start - 4):mention.start] != "The ":
            return mention
        if mention.text.isupper():
            return mention
        opening = text[:mention.start - 4].rstrip()
        if opening.endswith(("\u201c", "\u2018", "(")) or re.search(r"(?:^|\s)[\"']$", opening):
            if mention.label == "ORG":
                return mention
        else:
            before = opening.rstrip("\"'\u201d\u2019")
            if not before or before[-1] in ".!?":
                return mention
        return replace(mention, start=mention.start - 4, text=text[mention.start - 4:mention.end])

    rng = random.Random(11)
    pieces = ["The ", "Guardian", " ", "\n", ". ", "said ", "\"", "'", "\u201c", "\u201d", "(", "? ", "\u2019", "x"]
    checked = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 10))) + "The Guardian"
        mention = Mention(len(text) - 8, len(text), "Guardian", rng.choice(["ORG", "WORK_OF_ART"]))
        assert _with_capital_the(text, mention) == earlier(text, mention), repr(text)
        checked += _with_capital_the(text, mention) != mention
    assert checked > 100  # both outcomes are exercised


@pytest.fixture(scope="module")
def repeated_sample() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, int]:
    """The sample's cleaned text 30 times over (about 120,000 characters) through split, score and tag."""
    one = clean(pd.DataFrame({"article_id": ["one"], "raw_text": [SAMPLE.read_text(encoding="utf-8")],
                              "published": [pd.Timestamp("2025-05-16")]}))["text"].iloc[0]
    articles = pd.DataFrame({"article_id": ["long"], "text": ["\n\n".join([one] * 30)],
                             "published": [pd.Timestamp("2025-05-16")]})
    sentences = score(split(articles))
    return articles, sentences, tag_articles(articles, sentences), len(one) + 2


def test_every_copy_of_a_repeated_article_gets_the_same_statements(repeated_sample):
    """Quotes, mentions and titles are looked up by position: a copy far into a long article is read like the second."""
    articles, sentences, entities, period = repeated_sample
    quotes = attribute(articles, sentences, entities)
    copies = [[(kind, start - k * period, end - k * period, cue)
               for kind, start, end, cue in zip(quotes["kind"], quotes["start"], quotes["end"], quotes["cue"])
               if k * period <= start < (k + 1) * period] for k in range(30)]
    assert len(copies[1]) >= 5
    assert all(copy == copies[1] for copy in copies[2:])


def test_tone_in_blocks_of_sentences_equals_tone_in_one(repeated_sample, monkeypatch):
    _, sentences, entities, _ = repeated_sample
    whole = entity_tone(entities, sentences)
    monkeypatch.setattr(toolkit.tone, "TONE_BLOCK", 7)
    pd.testing.assert_frame_equal(entity_tone(entities, sentences), whole)
    assert whole["tone"].nunique() == 3

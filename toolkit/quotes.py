"""Attribute stage: who said what. One row an attributed statement, direct or reported, with its speaker.

Direct quotes are found from quotation marks ("..." and “...”), following news convention across
paragraphs: a paragraph that opens a quote without closing it continues into the next paragraph when
that one opens with a quotation mark. Reporting verbs come from a table users can extend
(`toolkit/data/reporting_verbs.csv`); only sentences that hold one (or "according to") go through
spaCy's tagger and dependency parser, so the parse costs nothing on the rest. In a parsed sentence a
reporting verb gives the cue, its subject the speaker ("The Guardian quoted *him* as saying": the
object), and its clausal complement the content: all in quotation marks makes a direct quote, partly
a mixed one (he was “very disappointed”), none a reported (indirect) one. A quote next to the cue
("...," she said / He said: "...") belongs to it even when the parse misses the link, and a quote
with no cue of its own that follows a quote continues it (same speaker). Verbs that report only a
quotation (`toolkit/data/quotation_verbs.csv`: "Citing "...", the airline ...", "The sign reads, "...""),
a source in an "as"-clause ('"..." as stated on the company website') and the speaker lines of a
transcript ('Secretary of the Air Force Jane Doe: "..."') give direct quotes too.

Speakers resolve to the article's canonical entities (`entities.entity`): a name by its mention, a
pronoun to the most recent compatible mention nearby, a definite description ("the Ukrainian
president", "the report") to the entity the article gave that title or word ("Ukrainian President
Volodymyr Zelenskyy", "The Guardian report"), and a generic noun ("the company") to the most recent
mention of its kind (`toolkit/data/speaker_nouns.csv`). Anything else stays unresolved (NA), never a
guess; `rule` says which rule decided.
"""

from __future__ import annotations

import bisect
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, cast

import numpy as np
import pandas as pd

from toolkit.entities import BARE_SUFFIXES, TITLES, _is_plural_noun
from toolkit.nlp import ner_pipeline
from toolkit.sentiment import score_text
from toolkit.text import paragraph_spans

if TYPE_CHECKING:
    from spacy.pipeline import Pipe
    from spacy.tokens import Doc, Token

QUOTE_COLUMNS = [
    "article_id", "quote_id", "kind", "start", "end", "text", "cue", "speaker_text", "speaker_start",
    "speaker_end", "speaker", "rule", "sentence_ids", "compound", "published",
]
VERB_COLUMNS = ["verb", "forms"]
# The parser listens to the shared tok2vec; the tagger's tags tell a verb ("reports") from a noun.
PARSE_COMPONENTS = ("tok2vec", "tagger", "parser")
OPENING_MARKS = "\u201c\""
MARKS = "\u201c\u201d\""
MIN_QUOTE_WORDS = 4  # a shorter quote with no cue is a scare quote or a title, not a statement
PRONOUN_WINDOW = 5  # sentences back to look for a pronoun's antecedent
GROUP_PRONOUN_WINDOW = 2
PERSON_PRONOUNS = frozenset({"he", "him", "she", "her"})
# What the article itself says of a person's gender: an honorific or a gendered role word just before or
# beside the name ("Ms Angers", "spokeswoman Sandy Angers", "Smith, the company's chairwoman"), and the
# pronoun that follows the name in its sentence ("Jafari said she ..."). "he" then skips a woman, "she" a man.
MALE_WORDS = frozenset("""
he him his himself mr mr. sir lord king prince father brother son husband grandfather uncle nephew boy man
spokesman chairman congressman businessman sportsman actor
""".split())
FEMALE_WORDS = frozenset("""
she her hers herself mrs mrs. ms ms. miss dame lady queen princess mother sister daughter wife grandmother
aunt niece girl woman spokeswoman chairwoman congresswoman businesswoman sportswoman actress
""".split())
# Words for someone who speaks for a body named beside them ("a spokesman for Boeing", "Kremlin officials",
# "the premier of North Rhine-Westphalia"). Anyone else only names where they work ("a professor from the
# University of Michigan", "a Delhi auto parts supplier"): no nameable speaker. The speaker nouns
# (`speaker_nouns.csv`: "the firm Secunia") count too.
REPRESENTATIVE_WORDS = frozenset("""
spokesman spokeswoman spokesperson spokesmen spokeswomen spokespeople official officials representative
representatives statement statements release announcement leader leaders president vice-president chairman
chairwoman chair chief ceo cfo coo executive executives head director directors manager managers management
premier minister ministers secretary governor mayor administration envoy ambassador negotiator negotiators
lawyer lawyers attorney attorneys founder co-founder owner owners board website
""".split())
# Words for a role that can stand, in lower case, right before a person's name ("bank chief Ben Bernanke"),
# so that "the bank chief" can refer back to that person.
ROLE_WORDS = REPRESENTATIVE_WORDS | frozenset(w.lower() for w in TITLES) | frozenset(
    "analyst economist strategist trader commissioner congressman congresswoman senator".split())
# Nouns for what a body puts out in writing: the participle after one ("a statement saying") says what the
# one who put it out says.
DOCUMENT_WORDS = frozenset("statement statements release announcement letter email memo message".split())
# Words that name a time, never who speaks ("..., announced last November.": no speaker after the verb).
TIME_WORDS = frozenset("""
january february march april may june july august september october november december monday tuesday
wednesday thursday friday saturday sunday today yesterday tomorrow day week month year night morning
afternoon evening weekend
""".split())
# Capitalised words that open a sentence without naming anyone ("Some say ...", "Many said ...").
NOT_NAMES = frozenset("""
The A An Its His Her Their He She It They We I You This That These Those Some Many Most Several Others Both
All Few Each Another Such
""".split())
_PRONOUN_AFTER = re.compile(r"\b(?:he|him|his|himself|she|her|hers|herself)\b", re.IGNORECASE)
THING_PRONOUNS = frozenset({"it"})
# "who" refers to a name before it in its own sentence, of these labels ("which" may refer to any thing).
RELATIVE_PRONOUNS = {"who": {"PERSON"}}
GROUP_PRONOUNS = frozenset({"they", "them"})
DETERMINERS = frozenset({"the", "this", "that"})
SUBJECTS = ("nsubj", "nsubjpass")
PROPER = frozenset({"NNP", "NNPS"})
# Children that describe the speaker without naming them (an appositive or a second speaker does name them).
_NOT_SPEAKER = frozenset({"relcl", "acl", "punct", "advcl", "parataxis"})
_CUE_PARTS = frozenset({"aux", "auxpass", "neg", "prt"})
# Children of a reporting verb that are clauses of their own, not part of its attribution clause.
_NOT_AROUND = frozenset({"ccomp", "punct", "advcl", "conj", "parataxis", "xcomp", "cc"})
# Between a cue and its quote: punctuation, and connectives ("..., it added; and, later, \"...\"").
_GAP = re.compile(r"[\s,:;\u2014\u2013-]*(?:(?:and|but|then|later|also)\b[\s,:;\u2014\u2013-]*)*")
_BE = frozenset({"be", "is", "was", "are", "were", "been", "being", "'s"})
_POSSESSIVE = re.compile(r"['\u2019]s?$")
_EDGE = " \t\n,;:"


@dataclass(frozen=True)
class Statement:
    """One attributed statement inside an article, before it becomes a row."""

    kind: str
    start: int
    end: int
    cue: str | None
    speaker_start: int | None
    speaker_end: int | None
    head: int | None = None  # offset of the speaker's head word, to pick its mention
    name: str | None = None  # the speaker's proper name as the parse reads it, for a name the tagger missed
    continues: int | None = None  # a quote with no cue of its own: the end of the quote it continues


# --- tables a user can extend ------------------------------------------------------------------------

def default_reporting_verbs() -> pd.DataFrame:
    """The reporting verbs the toolkit ships (`toolkit/data/reporting_verbs.csv`: `verb, forms`)."""
    return _read_table("reporting_verbs.csv")


def default_speaker_nouns() -> pd.DataFrame:
    """Generic nouns ("the company") that resolve to the most recent entity of a label (`noun, label`)."""
    return _read_table("speaker_nouns.csv")


def _read_table(name: str) -> pd.DataFrame:
    with resources.files("toolkit").joinpath(f"data/{name}").open(encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype="string", keep_default_na=False)


@lru_cache(maxsize=1)
def quotation_verb_forms() -> dict[str, str]:
    """Form -> verb of the verbs that report a quotation, never a clause (`toolkit/data/quotation_verbs.csv`:
    "Citing \"safety concerns\", the airline ...", "The banner reads, \"...\"", "They call for \"...\""). Kept
    apart from the reporting verbs: they are worth a parse only when a quotation mark follows within a few
    words, and make a statement only of the quote next to them."""
    table = _read_table("quotation_verbs.csv")
    return {form.lower(): str(verb) for verb, forms in zip(table["verb"], table["forms"]) for form in str(forms).split()}


def verb_forms(verbs: pd.DataFrame | None = None) -> dict[str, str]:
    """Form -> verb, from the shipped table plus `verbs` (rows `verb, forms`, forms space-separated)."""
    table = default_reporting_verbs() if verbs is None else pd.concat([default_reporting_verbs(), verbs])
    return {form.lower(): str(verb) for verb, forms in zip(table["verb"], table["forms"]) for form in str(forms).split()}


# Which occurrences of a reporting word can start a statement, so are worth parsing a sentence for (the
# parse would find nothing in the rest; measured on 1,000 Reuters articles, a quarter of the parses were):
# - forms that are nouns as often ("senior notes", "member states", "a report"): only before "that";
# - "quote" forms: "quoted as saying" has its "saying", and the rest are prices ("rates were quoted at");
# - forms followed by a figure ("reported net income of", "announced record profits"): no statement;
# - after a passive or a refusal ("was not disclosed", "declined to comment"): no one says anything.
NOUN_FORMS = frozenset("report reports note notes state states comment comments".split())
UNTRIGGERED = frozenset("quote quotes quoted quoting".split())
_MARK_AHEAD = r"(?=[^.!?\"\u201c\u201d]{0,40}[\"\u201c])"
_OBJECT = r"(?! (?:net|record|\d)\b)"
_REFUSED = "".join(rf"(?<!\b{words} )" for words in (
    "not", "n't", "declined to", "refused to", "decline to", "refuse to", "unable to", "available to"))
_PASSIVE = "".join(rf"(?<!\b{word} )" for word in ("was", "were", "be", "been", "being", "is", "are"))


_RUN = re.compile(r"\w+")


@dataclass(frozen=True)
class Trigger:
    """The expression that finds a reporting word worth a parse, tried only where a word of the sentence can
    open a match: a set lookup a word, where a scan tries some 200 alternatives at every word boundary (5.2 s
    -> 1.4 s of CPU for the Reuters corpus's 125,270 sentences, the same matches). A word outside ASCII is always tried (its
    case may fold onto ASCII); `first_words` is None when some form opens with no ASCII word: then it scans."""

    pattern: re.Pattern[str]
    first_words: frozenset[str] | None

    def starts(self, sentence: str) -> Iterator[int]:
        """Where the expression's matches start in a sentence, as `pattern.finditer` finds them."""
        if self.first_words is None:
            yield from (match.start() for match in self.pattern.finditer(sentence))
            return
        end = 0
        for word in _RUN.finditer(sentence):
            if word.start() >= end and (word.group().lower() in self.first_words or not word.group().isascii()):
                match = self.pattern.match(sentence, word.start())  # the look-behinds still see what precedes
                if match is not None:
                    end = match.end()
                    yield match.start()


@lru_cache(maxsize=8)
def _trigger(forms: tuple[str, ...], quotation: tuple[str, ...] = ()) -> Trigger:
    """One regular expression that finds a sentence worth parsing: a reporting verb or "according to". A form in
    `quotation`, of a quotation verb (`quotation_verb_forms`), counts as the others do, its quotation before or
    after it or in the next paragraph ('"We are ready," the statement reads.', 'The banner reads:'), and in any
    case before a quotation mark ('Citing "safety concerns", ...')."""
    def alternatives(words: Iterable[str]) -> str:
        return "|".join(sorted(map(re.escape, words), key=len, reverse=True)) or "(?!)"

    verbs = [form for form in forms if form not in NOUN_FORMS | UNTRIGGERED]
    nouns = [form for form in forms if form in NOUN_FORMS]
    active = [form for form in verbs if form.endswith("ing")]  # "is saying" is no passive
    other = [form for form in verbs if not form.endswith("ing")]
    quoting = [form for form in quotation if form.endswith("ing")]
    quoted = [form for form in quotation if not form.endswith("ing")]
    pattern = re.compile(rf"\b{_REFUSED}(?:{_PASSIVE}(?:{alternatives(other)}){_OBJECT}|(?:{alternatives(active)})"
                         rf"|(?i:{_PASSIVE}(?:{alternatives(quoted)})|{alternatives(quoting)}){_MARK_AHEAD}"  # "Citing"
                         rf"|(?:{alternatives(nouns)})(?= that\b)|[Aa]ccording to)\b")
    # A match opens with a whole word (after \b): the first word of a form, in any case.
    firsts = [re.match(r"\w+", form) for form in (*forms, "according")]
    ascii_words = all(first is not None and first.group().isascii() for first in firsts)
    return Trigger(pattern, frozenset(first.group().lower() for first in firsts if first is not None)
                   if ascii_words else None)


# --- quotation marks --------------------------------------------------------------------------------

def quote_spans(text: str) -> list[tuple[int, int]]:
    """Content spans (inside the marks) of the quotations in a text, across paragraphs by news convention."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    previous_end = 0
    for p_start, p_end in paragraph_spans(text):
        first = p_start + len(text[p_start:p_end]) - len(text[p_start:p_end].lstrip())
        skip = None
        if open_at is not None:
            if text[first] in OPENING_MARKS:
                skip = first  # the quote goes on: this mark reopens it
            else:
                spans.append((open_at, previous_end))
                open_at = None
        for at in range(p_start, p_end):
            mark = text[at]
            if mark not in MARKS or at == skip:
                continue
            if mark == "\u201c":
                if open_at is not None:
                    spans.append((open_at, at))
                open_at = at + 1
            elif mark == "\u201d":
                if open_at is not None:
                    spans.append((open_at, at))
                    open_at = None
            elif open_at is None:
                open_at = at + 1
            else:
                spans.append((open_at, at))
                open_at = None
        previous_end = p_end
    if open_at is not None:
        spans.append((open_at, previous_end))
    return [trimmed for span in spans if (trimmed := _trim(text, *span, edge=" \t\n,"))[0] < trimmed[1]]


def _trim(text: str, start: int, end: int, *, edge: str = _EDGE) -> tuple[int, int]:
    while start < end and text[start] in edge:
        start += 1
    while end > start and text[end - 1] in edge:
        end -= 1
    return start, end


# --- the parse ----------------------------------------------------------------------------------------

def parse(texts: Sequence[str], *, batch_size: int = 64) -> Iterator[Doc]:
    """Tagged and dependency-parsed docs of some sentences (the NER pipeline's other components, run on demand),
    streamed: a batch at a time is held, however many sentences a huge article gives."""
    nlp = ner_pipeline()
    docs: Iterable[Doc] = (nlp.make_doc(text) for text in texts)
    for name in PARSE_COMPONENTS:
        # spaCy types get_pipe as a bare callable; the parse components are Pipes, which stream
        docs = cast("Pipe", nlp.get_pipe(name)).pipe(docs, batch_size=batch_size)
    return iter(docs)


def _subtree_span(token: Token, offset: int, *, skip: frozenset[str] = frozenset()) -> tuple[int, int]:
    """Character span of a token's subtree, leaving out children whose relation is in `skip`."""
    tokens = [token]
    stack = [token]
    while stack:
        for child in stack.pop().children:
            if child.dep_ not in skip:
                tokens.append(child)
                stack.append(child)
    return offset + min(t.idx for t in tokens), offset + max(t.idx + len(t) for t in tokens)


def _span_without(outer: tuple[int, int], inner: tuple[int, int]) -> tuple[int, int]:
    """The larger side of `outer` once `inner` is cut out."""
    before, after = (outer[0], inner[0]), (inner[1], outer[1])
    return before if before[1] - before[0] >= after[1] - after[0] else after


def _speaker_token(verb: Token, forms: dict[str, str]) -> Token | None:
    """The token that says it: the subject, the object of "quoted", or a subject up the clause."""
    if forms.get(verb.lower_) == "quote":
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        if objects:
            return objects[0]
    # A participle ("..., saying", "by saying", "releasing a statement saying") says what the subject of the
    # clause it hangs from says, also when the parse hangs it from a preposition or inside that clause's
    # content ("X stated that there was a chance, saying ...": the subject is X's).
    document = verb.dep_ == "acl" and verb.head.lower_ in DOCUMENT_WORDS  # "releasing a statement saying ..."
    participle = verb.tag_ == "VBG" and (verb.dep_ in {"advcl", "pcomp"} or document)
    climbs = {"advcl", "conj", "xcomp", "pcomp"} | ({"prep", "ccomp"} if participle else set()) | (
        {"acl", "dobj"} if document else set())
    token = verb
    for _ in range(4):
        subjects = [c for c in token.children if c.dep_ in SUBJECTS]
        if subjects:
            # "The US car manufacturer General Motors said": two subjects, the name is the speaker
            return ([s for s in subjects if s.tag_ in PROPER] or subjects)[0]
        before = verb.doc[verb.i - 1] if verb.i > 0 else None
        if token is verb and verb.tag_ in {"VBD", "VBZ", "VBP"} and before is not None and before.tag_ in PROPER:
            return before  # "... the news Commissioner Neelie Kroes said", misparsed
        if token.dep_ not in climbs or token.head.i == token.i or (token.head.lower_ in _BE and not participle):
            break  # "it is interesting to note that": no one notes
        token = token.head
    return None


def _speaker_span(token: Token, offset: int) -> tuple[int, int]:
    """The speaker's words: its subtree, with a subject beside it of the same verb ("The US car manufacturer
    General Motors said" parses as two subjects)."""
    spans = [_subtree_span(token, offset, skip=_NOT_SPEAKER)]
    if token.dep_ in SUBJECTS:
        spans += [_subtree_span(other, offset, skip=_NOT_SPEAKER) for other in token.head.children
                  if other.dep_ in SUBJECTS and other.i != token.i and abs(other.i - token.i) <= len(list(other.subtree))
                  + len(list(token.subtree))]
    return min(a for a, _ in spans), max(b for _, b in spans)


def _cue_span(verb: Token, offset: int, forms: dict[str, str]) -> tuple[int, int]:
    """The cue as written: the verb with its auxiliaries and particle ("has warned", "was quoted as saying")."""
    tokens = [verb] + [c for c in verb.children if c.dep_ in _CUE_PARTS]
    if forms.get(verb.lower_) == "quote":
        for prep in (c for c in verb.children if c.lower_ == "as"):
            tokens += [prep] + [c for c in prep.children if c.dep_ in {"pcomp", "pobj"}]
    return offset + min(t.idx for t in tokens), offset + max(t.idx + len(t) for t in tokens)


def _inverted_speaker(doc: Doc, verb: Token) -> Token | None:
    """The speaker after the verb in an attribution that closes a sentence: "..., added the report." """
    if verb.i == 0 or doc[verb.i - 1].text not in {",", "\u201d", "\""} or any(
            c.dep_ in SUBJECTS and c.i < verb.i for c in verb.children):
        return None
    rest = [t for t in doc[verb.i + 1:] if not t.is_punct]
    after = [c for c in verb.children if c.i > verb.i and c.dep_ in {"nsubj", "dobj", "attr", "npadvmod"}]
    if not rest or not after or any(t.i not in {s.i for s in verb.subtree} for t in rest):
        return None
    if after[0].lower_ in TIME_WORDS:
        return None  # "..., announced last November."
    return after[0]


@lru_cache(maxsize=1)
def _quotation_verbs() -> frozenset[str]:
    return frozenset(quotation_verb_forms().values())


def _as_source(verb: Token) -> Token | None:
    """The source in an "as"-clause with no subject, '"..." as stated on the company website': its object."""
    if not any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children) or any(
            c.dep_ in SUBJECTS for c in verb.children):
        return None
    sources = [g for p in verb.children if p.dep_ in {"prep", "agent"} and p.lower_ in {"on", "in", "by", "at"}
               for g in p.children if g.dep_ == "pobj"]
    return sources[0] if sources else None


def _quote_before(doc: Doc, verb: Token, offset: int, quotes: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """The quotation that closes right before an "as"-clause ('"a revolutionary phone" as stated on ...')."""
    opening = offset + min(t.idx for t in verb.subtree)
    for quote in quotes:
        if quote[1] <= opening and not doc.text[quote[1] - offset:opening - offset].strip(" ,." + MARKS):
            return quote
    return None


def _denied_or_passive(verb: Token, forms: dict[str, str]) -> bool:
    """"did not say", "It was not disclosed", "is said to be": no one is reported as saying anything."""
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    return forms.get(verb.lower_) != "quote" and any(c.dep_ == "auxpass" for c in verb.children)


def _proper_name(token: Token | None) -> str | None:
    """The proper name a speaker token heads, as written ("The Deseret News" -> "Deseret News"), if it is one."""
    if token is not None and token.tag_ not in {"NNP", "NNPS"}:
        owners = [c for c in token.children if c.dep_ == "poss" and c.tag_ in {"NNP", "NNPS"}]
        token = owners[0] if owners else None  # "PC World's analysis": PC World
    if token is None:
        return None
    words = [c for c in token.lefts if c.dep_ == "compound" and c.tag_ in PROPER] + [token]
    if len(words) > 1 and words[0].i + len(words) - 1 != token.i:
        return None
    while words and words[0].text.rstrip(".") in TITLES:
        words = words[1:]
    if len(words) > 2 and _after_portfolio_word(words[0]):
        words = words[-2:]  # "Commissioner for Competition Neelie Kroes": the portfolio is no part of the name
    if len(words) == 1 and words[0].text.rstrip(".,") in BARE_SUFFIXES:
        return None  # "the LLC" names no company
    return " ".join(t.text for t in words) or None


def _after_portfolio_word(token: Token) -> bool:
    """Whether a name opens right after "Title of" / "Title for" (then its first word is the portfolio)."""
    doc = token.doc
    return token.i > 1 and doc[token.i - 1].lower_ in {"of", "for"} and doc[token.i - 2].text.rstrip(".") in TITLES


@lru_cache(maxsize=8)
def _form_hashes(forms: tuple[str, ...]) -> list[int]:
    """spaCy's string ids of the reporting verb forms and "according" (ids as `Doc.to_array` gives them)."""
    from spacy.strings import get_string_id

    return [get_string_id(form) for form in (*forms, "according")]


@dataclass(frozen=True)
class Cue:
    """A reporting verb (or "according to") found in a parsed sentence, with its parts as offsets."""

    cue: tuple[int, int]
    speaker: tuple[int, int] | None
    head: int | None
    name: str | None
    content: tuple[int, int] | None
    region: tuple[int, int]  # the attribution clause, to find a quote right before or after it
    sentence: tuple[int, int]
    according: bool = False


def _inside(at: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether an offset lies inside one of some sorted, non-overlapping spans (quotations)."""
    index = bisect.bisect_right(spans, (at, sys.maxsize)) - 1
    return index >= 0 and at < spans[index][1]


def _overlapping(spans: Sequence[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The sorted, non-overlapping spans that overlap start:end."""
    first = max(bisect.bisect_right(spans, (start, sys.maxsize)) - 1, 0)
    return [span for span in spans[first:bisect.bisect_left(spans, (end, -1))] if span[1] > start]


def _touching(spans: Sequence[tuple[int, int]], start: int, end: int) -> Sequence[tuple[int, int]]:
    """The spans that overlap start:end, from spans in text order that do not overlap each other (as
    `quote_spans` gives them): found by bisection, so a long article's many quotes cost no scan each."""
    return spans[bisect.bisect_right(spans, start, key=_span_end):bisect.bisect_left(spans, end, key=_span_start)]


def _span_start(span: tuple[int, int]) -> int:
    return span[0]


def _span_end(span: tuple[int, int]) -> int:
    return span[1]


def sentence_cues(doc: Doc, offset: int, forms: dict[str, str], quotes: Sequence[tuple[int, int]]) -> list[Cue]:
    """The cues of one parsed sentence whose verb is not itself inside a quotation."""
    last = doc[-1] if len(doc) else None
    sentence = (offset, offset + (last.idx + len(last.text_with_ws) if last is not None else 0))
    quotes = _overlapping(quotes, *sentence)
    found = []
    # Only the reporting words are looked at: their positions from the lower-case column, without making a
    # Token of every word.
    for at in np.flatnonzero(np.isin(doc.to_array("LOWER"), _form_hashes(tuple(sorted(forms))))).tolist():
        token = doc[at]
        if _inside(offset + token.idx, quotes):
            continue
        if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            objects = [c for c in doc[token.i + 1].children if c.dep_ == "pobj"]
            if not objects:
                continue
            according_to = _subtree_span(objects[0], offset, skip=_NOT_SPEAKER)
            # the phrase ends after what describes the source ("according to Jane Doe, who runs the plant,")
            phrase = (offset + token.idx, _subtree_span(objects[0], offset)[1])
            found.append(Cue((phrase[0], offset + doc[token.i + 1].idx + 2), according_to, offset + objects[0].idx,
                             _proper_name(objects[0]), _span_without(sentence, phrase), phrase, sentence,
                             according=True))
            continue
        if token.lower_ not in forms or not token.tag_.startswith("VB"):
            continue
        if token.head.lower_ == "as" and token.head.head.i != token.i:
            continue  # "saying" in "was quoted as saying" belongs to "quoted"
        if _denied_or_passive(token, forms):
            continue
        quotation = forms[token.lower_] in _quotation_verbs()
        if quotation and token.dep_ in {"acl", "amod"}:
            continue  # "a group called \"Friends of the Valley\"": a name, not a quotation
        inverted = _inverted_speaker(doc, token)
        source = _as_source(token)
        speaker_token = inverted if inverted is not None else source if source is not None else _speaker_token(
            token, forms)
        speaker = _speaker_span(speaker_token, offset) if speaker_token is not None else None
        complements = [c for c in token.children if c.dep_ == "ccomp" and not (speaker_token and c.i == speaker_token.i)]
        content = None
        if quotation:
            pass  # only the quote next to it (see `article_statements`)
        elif source is not None:
            content = _quote_before(doc, token, offset, quotes)
        elif inverted is not None:
            content = (offset, offset + doc[token.i - 1].idx)
        elif complements:
            content = _subtree_span(complements[0], offset)
            words = [t for t in complements[0].subtree]
            if words and words[0].lower_ == "that" and words[0].dep_ == "mark":
                content = (offset + words[1].idx, content[1]) if len(words) > 1 else None
        elif token.dep_ in {"ccomp", "parataxis"} and token.head.i != token.i:
            content = _span_without(_subtree_span(token.head, offset), _subtree_span(token, offset))
        around = [c for c in token.children if c.dep_ not in _NOT_AROUND and not _inside(offset + c.idx, quotes)]
        region_tokens = [token] + [t for c in around for t in c.subtree if not _inside(offset + t.idx, quotes)]
        if quotation:  # 'reads, "One more thing ...", the tagline of ...': the clause ends at its quotation
            after = [q[0] for q in quotes if q[0] > offset + token.idx]
            region_tokens = [t for t in region_tokens if not after or offset + t.idx < after[0]]
        if speaker_token is not None and speaker_token.head.i != token.i and not (quotation and speaker_token.i > token.i):
            region_tokens.append(speaker_token)  # not the subject after it: 'Citing "...", the airline said'
        region = (offset + min(t.idx for t in region_tokens), offset + max(t.idx + len(t) for t in region_tokens))
        if speaker is not None and speaker[0] < region[0] <= speaker[1] + 1:
            region = (speaker[0], region[1])  # '"...?" Maria Lopez kept asking': all the name before the cue
        found.append(Cue(_cue_span(token, offset, forms), speaker, None if speaker_token is None
                         else offset + speaker_token.idx, _proper_name(speaker_token), content, region, sentence))
    return found


# --- sentences simple enough to need no parse -------------------------------------------------------------

# Most reporting sentences take a few shapes ("The company said it expects ...", "..., he said.", '"...,"
# said Jane Doe, an analyst at Acme.'), which regular expressions read as well as the parse does, at no
# cost: only the rest is parsed.
SIMPLE_VERBS = frozenset({"say", "add", "warn", "announce", "state", "report", "note"})
SAY = "say"  # the one verb whose next words are what was said ("reported a loss" is no statement)
# Words that open an adjunct, not the content ("said in a statement ..."): such sentences are parsed.
_ADJUNCT = re.compile(r"(?:in|on|at|for|with|after|before|during|earlier|later|last|late|yesterday|today|"
                      r"through|via|by|from|to|of)\b", re.IGNORECASE)
_NOUN_BEFORE = re.compile(r"\b(?:the|a|an|this|that|its|his|her|their|our|new|annual|latest)\s+$", re.IGNORECASE)
# Words that start a clause or say when, so cannot sit inside a simple subject ("The dollar fell *as*
# traders said", "Japan *yesterday* said").
_NOT_IN_SUBJECT = frozenset("""
after as when while because since if but that which who whom whose was were is are has have had would will
could can may might should did does do not also and or yesterday today tomorrow earlier later now then
in on at for with from by under during despite last
""".split())
_NAME = r"(?:[A-Z][\w.&'-]*(?: of)? ){0,5}[A-Z][\w.&'-]*"
_DESCRIBED = r"(?:[Tt]he|[Aa]n?|[Ii]ts|[Hh]is|[Tt]heir) [\w.&'-]+(?: [\w.&'-]+){0,3}"
# ... and a plural noun with a word or two before it ("Several analysts", "Oil traders", "Ministry officials")
_SPEAKER = rf"(?:[Hh]e|[Ss]he|[Ii]t|[Tt]hey|{_DESCRIBED}|{_NAME}|[A-Z][a-z]+(?: [a-z]+)? [a-z]+s)"
# "... said (lower-case words)." closing a sentence: "..., dealers said.", "..., lead manager Citicorp Ltd said."
_TRAILING_SPEAKER = (rf"(?:{_SPEAKER}|[a-z][\w-]*(?: [a-z][\w-]*){{0,2}}(?: [A-Z][\w.&'-]*(?: of)?){{1,5}}"
                     rf"|(?:[a-z][\w-]* ){{0,2}}[a-z][\w-]*s)")
_TICKER = r"(?: <[^<>\s]{1,15}>)?"  # "Montedison Spa <MONI.MI> said"
_APPOSITIVE = r"(?P<appositive>, [^,\"\u201c\u201d]{3,80}?,)?"  # "Shearson, a unit of Amex, said"
# When and where it was said, between the verb and what was said ("said on Monday in a statement that").
_WHEN = (r"(?: (?:on \w+|today|yesterday|earlier|later|last (?:week|month|year|night|\w+day)|this (?:week|month|year)"
         r"|in an? (?:statement|letter|report|interview|release))(?![\w'\u2019])){0,2}")
_CLOSING = r"[,.]?[\"\u201d],? "  # the end of a quotation, up to the attribution after it


@lru_cache(maxsize=8)
def _simple_pattern(forms: tuple[str, ...], say_forms: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """"..., SPEAKER added." (any of `forms`) and "SPEAKER said (that) ..." (`say_forms` only), then the
    attributions after a closing quotation mark: '," SPEAKER added.' and '," added SPEAKER, an analyst.'."""
    cue = "|".join(sorted(map(re.escape, forms), key=len, reverse=True))
    say = "|".join(sorted(map(re.escape, say_forms), key=len, reverse=True))
    trailing = re.compile(rf"^(?P<content>[^\"\u201c\u201d]+?), (?P<speaker>{_TRAILING_SPEAKER}){_TICKER} (?:also )?"
                          rf"(?P<cue>{cue}){_WHEN}\.$")
    leading = re.compile(rf"^(?:(?:But|And|Yet) )?(?P<speaker><?{_SPEAKER}>?){_TICKER}{_APPOSITIVE} (?:also )?"
                         rf"(?P<cue>(?:has |have |had )?(?:{say})){_WHEN},? (?:that )?(?P<content>.+?)\.?$")
    after_quote = re.compile(rf"{_CLOSING}(?P<speaker>{_TRAILING_SPEAKER}|(?:[a-z][\w-]* ){{0,2}}[a-z][\w-]*){_TICKER} "
                             rf"(?:also )?(?P<cue>{cue}){_WHEN}\.$")
    inverted = re.compile(rf"{_CLOSING}(?P<cue>{cue}) (?P<speaker>{_NAME}|{_DESCRIBED})"
                          rf"(?P<appositive>, [^\"\u201c\u201d]{{3,100}}?)?\.$")
    return trailing, leading, after_quote, inverted


def _has_cue_word(sentence: str, trigger: Trigger) -> bool:
    """Whether a reporting word occurs as a verb could ("the report" and "its statement" are nouns)."""
    return any(not _NOUN_BEFORE.search(sentence, max(0, at - 12), at) for at in trigger.starts(sentence))


def simple_cue(sentence: str, offset: int, patterns: tuple[re.Pattern[str], ...],
               quotes: Sequence[tuple[int, int]] = ()) -> Cue | None:
    """The cue of a sentence of one of the simple shapes, or None (then it is parsed).

    `quotes`: the quotations that overlap the sentence (offsets in the article, like `offset`). A sentence
    with none may be "SPEAKER said ..." or "..., SPEAKER said."; one that ends a single quotation may be
    '...," SPEAKER said.' or '...," said SPEAKER.'; any other sentence with quotation marks is parsed.
    """
    trailing, leading, after_quote, inverted = patterns
    end = offset + len(sentence)
    tried = [(trailing, 0), (leading, 0)] if not quotes else [(leading, 0)]
    if len(quotes) == 1 and quotes[0][0] <= offset + 1 and offset < quotes[0][1] < end:
        tried = [(after_quote, quotes[0][1] - offset), (inverted, quotes[0][1] - offset)]
    for pattern, at in tried:
        match = pattern.match(sentence, at)
        if match is None or match.group("speaker").split()[0].lower() in _NOT_IN_SUBJECT or (
                pattern is leading and _ADJUNCT.match(match.group("content"))):
            continue
        if pattern is leading and quotes and (min(a for a, _ in quotes) < offset + match.start("content") or any(
                not sentence[:a - offset - 1].rstrip()[-1:].isalnum() for a, _ in quotes)):
            continue  # quoted words before the content, or a quotation of its own after it: parse it
        speaker_words = match.group("speaker").split()
        if any(word in _NOT_IN_SUBJECT for word in speaker_words[1:]):
            continue
        speaker = (offset + match.start("speaker"), offset + match.end("speaker"))
        # the head is the last word, or the word before "of" ("The vice president of Dacia", "Bank of America")
        of = speaker_words.index("of") if "of" in speaker_words else len(speaker_words)
        head = speaker[0] + len(" ".join(speaker_words[:of])) - len(speaker_words[of - 1])
        appositive = match.group("appositive") if "appositive" in pattern.groupindex else None
        if appositive and appositive[2:].split()[0].lower() not in _NOT_IN_SUBJECT:  # not ", which ...", ", in ..."
            speaker = (speaker[0], offset + match.end("appositive") - appositive.endswith(","))
        if sentence[speaker[1] - offset:] == "." and sentence[:speaker[1] - offset].split()[-1] in BARE_SUFFIXES:
            speaker = (speaker[0], speaker[1] + 1)  # '..., said Jane Doe of Acme Inc.': the period is the name's
        name = None
        speaker_words = [word.strip("<>") for word in speaker_words]  # "<Jones International Ltd>"
        if all(word[:1].isupper() for word in speaker_words) and speaker_words[0] not in NOT_NAMES:
            while speaker_words and speaker_words[0].rstrip(".") in TITLES:
                speaker_words = speaker_words[1:]
            name = " ".join(speaker_words) or None
        cue = (offset + match.start("cue"), offset + match.end("cue"))
        if pattern is after_quote or pattern is inverted:
            content = (max(quotes[0][0], offset), quotes[0][1])
        else:
            content = (offset + match.start("content"), offset + match.end("content"))
        return Cue(cue, speaker, head, name, content, (min(speaker[0], cue[0]), max(speaker[1], cue[1])),
                   (offset, end))
    return None


# --- statements of one article ------------------------------------------------------------------------

def _opens_clause(text: str, quote: tuple[int, int]) -> bool:
    """Whether a quote begins its sentence or clause (not a phrase quoted inside one)."""
    at = max(0, quote[0] - 1)
    while at > 0 and text[at - 1].isspace():
        at -= 1
    return not at or text[at - 1] in ".!?:;\u2014\u2013-\u201d\"\u2026"


def _adjacent_quotes(text: str, cue: Cue, quotes: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Quotes right before the attribution clause ("...," he said) or right after it (he said: "...")."""
    found = []
    # Only quotes ending at most 3 characters before the sentence can qualify; past the sentence, only
    # those with nothing but marks and spaces between it and them.
    for at in range(bisect.bisect_left(quotes, cue.sentence[0] - 3, key=_span_end), len(quotes)):
        quote = quotes[at]
        if quote[0] > cue.sentence[1] + 1 and not _only_marks_between(text, cue.sentence[1], quote[0]):
            break
        if quote[1] <= cue.region[0] and quote[1] >= cue.sentence[0] - 1 or (
                quote[1] <= cue.region[0] and quote[0] < cue.sentence[0] <= quote[1] + 3):
            gap = text[quote[1]:cue.region[0]].translate({ord(m): None for m in MARKS})
            if _GAP.fullmatch(gap) and "\n\n" not in gap and _opens_clause(text, quote):
                found.append(quote)
        elif quote[0] >= cue.region[1] and quote[0] <= cue.sentence[1] + 1:
            gap = text[cue.region[1]:quote[0]].translate({ord(m): None for m in MARKS})
            if _GAP.fullmatch(gap):
                found.append(quote)
        elif (quote[0] > cue.sentence[1] and text[cue.sentence[1] - 1:cue.sentence[1]] == ":"
              and _only_marks_between(text, cue.sentence[1], quote[0])):
            found.append(quote)  # "Obama tweeted using his account:" and the quote in the next paragraph
    return found


_MARKS_AND_SPACES = re.compile(rf"[\s{MARKS}]*")


def _only_marks_between(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] holds nothing but quotation marks and white space (read no further than that)."""
    return _MARKS_AND_SPACES.match(text, start, end).end() == end  # type: ignore[union-attr]


def _classify(text: str, content: tuple[int, int], quotes: Sequence[tuple[int, int]]
              ) -> tuple[str, tuple[int, int]] | None:
    """direct (the quotes it starts in), mixed (words outside quotes, some inside) or indirect."""
    start, end = _trim(text, *content)
    start, end = _trim(text, start, end, edge=_EDGE + MARKS + ".")
    if start >= end:
        return None
    touching = _touching(quotes, start, end)
    if not touching:
        return "indirect", _trim(text, *content, edge=_EDGE + ".")
    if touching[0][0] <= start:
        return "direct", (touching[0][0], max(q[1] for q in touching))
    return "mixed", _trim(text, *content)


def article_statements(text: str, cues: Sequence[Cue], quotes: Sequence[tuple[int, int]]) -> list[Statement]:
    """The statements of one article, from its cues and quotation marks, in text order."""
    claimed: set[tuple[int, int]] = set()
    statements: list[Statement] = []
    by_sentence: dict[tuple[int, int], list[Cue]] = {}
    for cue in cues:
        by_sentence.setdefault(cue.sentence, []).append(cue)

    def add(kind: str, span: tuple[int, int], cue: Cue) -> None:
        if kind != "direct" and cue.speaker is None:
            return  # a clause with no one saying it ("People were encouraged to suggest what ...")
        speaker = cue.speaker or (None, None)
        statements.append(Statement(kind, span[0], span[1], text[cue.cue[0]:cue.cue[1]], speaker[0], speaker[1],
                                    cue.head, cue.name))

    for cue in cues:
        if cue.according and any(not other.according and other.content for other in by_sentence[cue.sentence]):
            continue  # "According to X, Y said ...": Y's statement, reported by X
        classified = _classify(text, cue.content, quotes) if cue.content is not None else None
        if classified is not None and classified[0] == "indirect":
            add(*classified, cue)  # its own clause, in no quotation marks: reported speech
            continue
        # "according to X" takes a quote next to it only when the rest of its sentence says nothing ("According to
        # the ministry:" and the quote in the next paragraph)
        adjacent = [q for q in _adjacent_quotes(text, cue, quotes) if q not in claimed] if (
            not cue.according or classified is None) else []
        if adjacent:
            for quote in adjacent:
                claimed.add(quote)
                add("direct", quote, cue)
            continue
        if classified is None:
            continue
        kind, span = classified
        if kind == "direct":
            inside = [q for q in _touching(quotes, span[0] - 1, span[1] + 1) if span[0] <= q[0] and q[1] <= span[1]]
            if all(q in claimed for q in inside):
                continue
            claimed.update(inside)
        add(kind, span, cue)
    for quote in quotes:
        line = None if quote in claimed else _speaker_line(text, quote)
        if line is not None:
            claimed.add(quote)
            statements.append(Statement("direct", quote[0], quote[1], None, *line))
    return _with_continued_quotes(text, statements, quotes, claimed)


# The speaker line of a transcript: 'Secretary of the Air Force Jane Doe: "..."', opening a paragraph or
# following a sentence or another line; capitalised words (and the small words of a title) that end in a name.
_NAME_WORD = r"[A-Z][a-z][\w'\u2019-]*"
_SPEAKER_LINE = re.compile(
    rf"(?:^|(?<=[.!?:;\n\"\u201d])[ \t]+|(?<=\n))(?P<label>(?:(?:[A-Z][\w.'\u2019-]*|of|the|for|to|and|on|in|de|van|von)"
    rf" ){{0,14}}(?P<name>{_NAME_WORD} {_NAME_WORD})):[ \t]*$")


def _speaker_line(text: str, quote: tuple[int, int]) -> tuple[int, int, int, str] | None:
    """(start, end, head, name) of the speaker line right before a quote ('Jane Doe: "..."'), if there is one."""
    mark = quote[0] - 1
    while mark > 0 and text[mark] not in MARKS:
        mark -= 1
    if text[max(0, mark - 3):mark].rstrip()[-1:] != ":":
        return None
    match = _SPEAKER_LINE.search(text, max(0, mark - 200), mark)
    if match is None or match.group("label").split()[0] in NOT_NAMES:
        return None
    return match.start("label"), match.end("label"), match.start("name") + match.group("name").index(" ") + 1, \
        match.group("name")


def _with_continued_quotes(text: str, statements: list[Statement], quotes: Sequence[tuple[int, int]],
                           claimed: set[tuple[int, int]]) -> list[Statement]:
    """A quote with no cue of its own, right after an attributed quote, continues it (same speaker)."""
    statements = sorted(statements, key=lambda s: s.start)
    # The quote continues the last statement in text order that ended before it: statements join the
    # candidates as the quotes pass their ends, so each is looked at once.
    by_end = sorted((s.end, rank) for rank, s in enumerate(statements) if s.kind in {"direct", "mixed"})
    joined, last = 0, (-1, -1)
    continued: list[Statement] = []
    for quote in quotes:
        if quote in claimed or len(text[quote[0]:quote[1]].split()) < MIN_QUOTE_WORDS or not _opens_clause(text, quote):
            continue
        while joined < len(by_end) and by_end[joined][0] <= quote[0]:
            last = max(last, (statements[by_end[joined][1]].start, by_end[joined][1]))
            joined += 1
        if last[1] < 0:
            continue
        previous = statements[last[1]] if last[1] < len(statements) else continued[last[1] - len(statements)]
        between = text[previous.end:quote[0]]
        if between.count("\n\n") > 1 or len(between) > 400:
            continue
        continued.append(Statement("direct", quote[0], quote[1], None, previous.speaker_start, previous.speaker_end,
                                   previous.head, previous.name, continues=previous.end))
        last = (quote[0], len(statements) + len(continued) - 1)  # after every statement that starts where it does
    return sorted(statements + continued, key=lambda s: s.start)


# --- speakers -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    label: str
    entity: str


Title = tuple[int, frozenset[str], str, str]


def _titles(text: str, mentions: Sequence[Mention]) -> list[Title]:
    """(position, title words, entity, rule): the words an article puts before or beside a name.

    "Ukrainian President Volodymyr Zelenskyy" gives {ukrainian, president}; "Smith, the chief
    executive," gives {chief, executive}; "The Guardian report" gives the ORG {report}.
    """
    found = []
    for m in mentions:
        words: list[str] = []
        rule = "description: title the article gives"
        if m.label == "PERSON":
            before = re.search(r"((?:[A-Z][\w.\u2019'-]*\s+){1,4})$", text[max(0, m.start - 80):m.start])
            if before:
                words += before.group(1).split()
            role = re.search(r"((?:[\w.\u2019'-]+ ){1,3})$", text[max(0, m.start - 60):m.start])
            if role and _word(role.group(1).split()[-1]) in ROLE_WORDS:
                words += role.group(1).split()  # "US bank chief Ben Bernanke": "the bank chief"
            appositive = re.match(r",\s+(?:the|a|an)\s+([^,.;]{3,60})[,.;]", text[m.end:m.end + 80])
            if appositive:
                words += appositive.group(1).split()
        elif m.label != "NORP":  # "an Italian company" describes the company, it is not Italy's name
            after = re.match(r"\s+([a-z]+)\b", text[m.end:m.end + 30])
            if after:
                words.append(after.group(1))
                rule = "description: the article names it so"
        if words:
            found.append((m.start, frozenset(_word(w) for w in words), m.entity, rule))
    return found


class TitleIndex:
    """An article's titles (see `_titles`, in text order) by word: the latest title holding some words
    is found among the titles of the rarest of them, not in a scan of the article's titles."""

    def __init__(self, titles: Sequence[Title]) -> None:
        self.titles = titles
        self.by_word: dict[str, list[int]] = defaultdict(list)
        for at, (_, words, _, _) in enumerate(titles):
            for word in words:
                self.by_word[word].append(at)

    def latest(self, words: set[str], before: int) -> tuple[str, str] | None:
        """(entity, rule) of the last title before offset `before` that holds all `words` (at least one)."""
        rarest = min((self.by_word.get(word, []) for word in words), key=len)
        for at in reversed(rarest[:bisect.bisect_left(rarest, before, key=lambda i: self.titles[i][0])]):
            _, title, entity, rule = self.titles[at]
            if words <= title:
                return entity, rule
        return None


def _mention_start(mention: Mention) -> int:
    return mention.start


def _genders(text: str, people: Sequence[Mention], starts: Sequence[int], ends: Sequence[int]) -> dict[str, str]:
    """Each person's gender ("m" or "f") as the article itself gives it (see `MALE_WORDS`), where it does.

    Votes: an honorific or gendered role word among the two words right before a mention (no punctuation
    between) or in its appositive,
    and the first "he"/"his"/"she"/"her" after it in its sentence when no other person is named between.
    """
    votes: dict[str, Counter[str]] = {}
    for index, m in enumerate(people):
        words = [_word(w) for w in re.split(r"[,;:.()]", text[max(0, m.start - 30):m.start])[-1].split()[-2:]]
        appositive = re.match(r",\s+(?:the|a|an)\s+([^,.;]{3,60})[,.;]", text[m.end:m.end + 80])
        if appositive:
            words += [_word(w) for w in appositive.group(1).split()]
        found = [("m" if w in MALE_WORDS else "f") for w in words
                 if (w in MALE_WORDS or w in FEMALE_WORDS) and not _PRONOUN_AFTER.fullmatch(w)]
        sentence = bisect.bisect_right(starts, m.start) - 1
        limit = min(ends[sentence] if sentence >= 0 else len(text), m.end + 150)
        if index + 1 < len(people):
            limit = min(limit, people[index + 1].start)
        pronoun = _PRONOUN_AFTER.search(text, m.end, limit)
        if pronoun:
            found.append("m" if pronoun.group(0).lower() in MALE_WORDS else "f")
        if found:
            votes.setdefault(m.entity, Counter()).update(found)
    return {entity: count.most_common(1)[0][0] for entity, count in votes.items()
            if len(count) == 1 or count["m"] != count["f"]}


def _word(word: str) -> str:
    """A word as titles compare it: lower case, without a possessive or edge punctuation."""
    return _POSSESSIVE.sub("", word.lower().strip(".,;:"))


def resolve_speaker(text: str, span: tuple[int, int], head: int | None, name: str | None,
                    mentions: Sequence[Mention], titles: Callable[[], TitleIndex], sentence_starts: Sequence[int],
                    nouns: dict[str, str], antecedents: Sequence[Mention] | None = None,
                    genders: Callable[[], dict[str, str]] = dict) -> tuple[str | None, str]:
    """The canonical entity a speaker refers to, and the rule that decided (NA when none is sure).

    `titles` gives the article's titles (see `_titles`), computed only when a description needs them;
    `antecedents`: the mentions a pronoun or a description may refer back to (default: `mentions`);
    `genders`: each person's gender where the article gives it (see `_genders`), for "he" and "she".
    Mentions come in text order, each inside its sentence (as the entities frame has them), so those
    near the speaker are found by bisection.
    """
    start, end = span
    sentence = bisect.bisect_right(sentence_starts, start) - 1
    first = bisect.bisect_left(mentions, sentence_starts[sentence] if sentence >= 0 else 0, key=_mention_start)
    inside = [m for m in mentions[first:bisect.bisect_left(mentions, end, key=_mention_start)] if start < m.end]
    at_head = [m for m in inside if head is not None and m.start <= head < m.end]
    if at_head:
        return at_head[0].entity, "named"
    own_words = {_word(w) for w in text[start:end].split()}
    speaks_for = bool(own_words & REPRESENTATIVE_WORDS or own_words & nouns.keys())
    for labels in ({"PERSON"}, {"ORG"}, {"GPE", "LOC", "FAC"}):  # "Alan Mulally", "a spokesman for Boeing"
        named = [m for m in inside if m.label in labels]
        if head is not None and labels == {"PERSON"} and any(m.start > head for m in named):
            named = [m for m in named if m.start > head]  # "Ryanair CEO, Michael O' Leary": the name before the title is where he works
        if named and (labels == {"PERSON"} or speaks_for):
            return named[0].entity, "named in the speaker's words"
        if named:
            return None, "not resolved: speaks for no one named"
    if name is not None:
        # "Djamal" where the tagger missed it, in an article that names "Jusman Syafii Djamal": that person
        owners = {m.entity for m in mentions if m.label == "PERSON" and m.entity.endswith(" " + name)}
        if len(owners) == 1:
            return owners.pop(), "surname of a person the article names"
        if " " not in name and _is_plural_noun(name.lower()):
            return None, "not resolved"  # "Reports say ...": a noun that opens the sentence, no name
        return name, "name as written (not tagged as an entity)"
    words = [_word(w) for w in text[start:end].split()]
    if not words:
        return None, "not resolved"

    def most_recent(labels: set[str], window: int, *, not_gender: str | None = None) -> Mention | None:
        earliest = sentence_starts[max(0, sentence - window)] if sentence_starts else 0
        candidates = mentions if antecedents is None else antecedents
        if not_gender is None:
            for at in range(bisect.bisect_left(candidates, start, key=_mention_start) - 1, -1, -1):
                if candidates[at].start < earliest:
                    break
                if candidates[at].label in labels:
                    return candidates[at]
            return None
        near = candidates[bisect.bisect_left(candidates, earliest, key=_mention_start):
                          bisect.bisect_left(candidates, start, key=_mention_start)]
        before = [m for m in near if m.label in labels]
        known = genders()  # never the other gender; then the first person of the latest sentence naming one
        before = [m for m in before if known.get(m.entity) != not_gender]
        if not before:
            return None
        latest = bisect.bisect_right(sentence_starts, before[-1].start) - 1
        return next(m for m in before if bisect.bisect_right(sentence_starts, m.start) - 1 == latest)

    if len(words) == 1 and words[0] in RELATIVE_PRONOUNS:  # "Charles O'Reilly, a management expert, who stated"
        found = most_recent(RELATIVE_PRONOUNS[words[0]], 0)
        return (found.entity, "relative pronoun: the name it follows") if found else (None, "not resolved")
    if len(words) == 1 and words[0] in PERSON_PRONOUNS | THING_PRONOUNS | GROUP_PRONOUNS:
        word = words[0]
        labels, window, kind = ({"PERSON"}, PRONOUN_WINDOW, "person") if word in PERSON_PRONOUNS else (
            ({"ORG", "GPE"}, PRONOUN_WINDOW, "organisation or place") if word in THING_PRONOUNS
            else ({"ORG", "GPE", "NORP"}, GROUP_PRONOUN_WINDOW, "group"))
        other = None if word not in PERSON_PRONOUNS else "f" if word in MALE_WORDS else "m"
        found = most_recent(labels, window, not_gender=other)
        return (found.entity, f"pronoun: most recent {kind}") if found else (None, "not resolved")
    if words[0] in DETERMINERS and len(words) > 1:
        described = words[1:]
        titled = titles().latest(set(described), start)
        if titled is not None:
            return titled
        if described[-1] in nouns and len(described) <= 2:
            found = most_recent({nouns[described[-1]]}, len(sentence_starts))
            if found:
                return found.entity, f"description: most recent {nouns[described[-1]]}"
    return None, "not resolved"


# --- the stage ------------------------------------------------------------------------------------------

def attribute(
    articles: pd.DataFrame, sentences: pd.DataFrame, entities: pd.DataFrame, *,
    verbs: pd.DataFrame | None = None, sentiment: str = "vader", batch_size: int = 64,
) -> pd.DataFrame:
    """Attribute stage: one row a statement (direct, mixed or indirect) with its cue and resolved speaker.

    `compound` scores the content with the same `sentiment` analyser as the sentences.
    """
    reporting = verb_forms(verbs)
    quotation = {form: verb for form, verb in quotation_verb_forms().items() if form not in reporting}
    forms = reporting | quotation
    trigger = _trigger(tuple(sorted(forms)), tuple(sorted(quotation)))
    nouns = {str(n): str(l) for n, l in zip(default_speaker_nouns()["noun"], default_speaker_nouns()["label"])}
    simple = _simple_pattern(tuple(sorted(form for form, verb in forms.items() if verb in SIMPLE_VERBS)),
                             tuple(sorted(form for form, verb in forms.items() if verb == SAY)))
    texts = dict(zip(articles["article_id"].tolist(), articles["text"].tolist()))
    published_of = dict(zip(articles["article_id"].tolist(), articles["published"].tolist()))
    quotes_of = {article_id: quote_spans(text) for article_id, text in texts.items()}
    cues_of: dict[str, list[Cue]] = {article_id: [] for article_id in texts}
    # Each article's sentences (start, end, id) and mentions as plain lists: a pandas groupby over string
    # columns costs more than the rest of this stage's bookkeeping.
    sentences_of: dict[str, list[tuple[int, int, int]]] = {}
    to_parse: list[tuple[str, int, str]] = []
    for article_id, start, end, sentence_id, sentence in zip(
            sentences["article_id"].tolist(), sentences["start"].tolist(), sentences["end"].tolist(),
            sentences["sentence_id"].tolist(), sentences["text"].tolist()):
        sentences_of.setdefault(article_id, []).append((start, end, sentence_id))
        if not _has_cue_word(sentence, trigger):
            continue
        quotes = _overlapping(quotes_of[article_id], start, end)
        if quotes and quotes[0][0] <= start and end <= quotes[0][1]:
            continue  # all of it quoted: a cue there is part of the quote
        cue = simple_cue(sentence, start, simple, quotes)
        if cue is not None:
            cues_of[article_id].append(cue)
        else:
            to_parse.append((article_id, start, sentence))
    for (article_id, start, _), doc in zip(to_parse, parse([s for _, _, s in to_parse], batch_size=batch_size)):
        cues_of[article_id] += sentence_cues(doc, start, forms, quotes_of[article_id])
    mentions_of: dict[str, list[Mention]] = {}
    for article_id, start, end, label, entity in zip(entities["article_id"].tolist(), entities["start"].tolist(),
                                                     entities["end"].tolist(), entities["label"].tolist(),
                                                     entities["entity"].tolist()):
        mentions_of.setdefault(article_id, []).append(Mention(start, end, label, entity))
    rows: list[tuple[object, ...]] = []
    for article_id, its_sentences in sentences_of.items():
        text = texts[article_id]
        quotes = quotes_of[article_id]
        cues = sorted(cues_of[article_id], key=lambda cue: cue.cue[0])
        starts, ends, ids = (list(column) for column in zip(*its_sentences))
        mentions = sorted(mentions_of.get(article_id, []), key=_mention_start)  # in text order, for bisection
        rows += _rows(article_id, published_of.get(article_id), text, article_statements(text, cues, quotes),
                      mentions, quotes, starts, ends, ids, nouns, sentiment)
    return quotes_frame(rows)


def _rows(article_id: str, published: object, text: str, statements: Sequence[Statement], mentions: Sequence[Mention],
          quotes: Sequence[tuple[int, int]], starts: list[int], ends: list[int], ids: list[int],
          nouns: dict[str, str], sentiment: str) -> list[tuple[object, ...]]:
    outside = [_as_person_after_honorific(text, m) for m in mentions if not _inside(m.start, quotes)]
    found_titles: list[TitleIndex] = []

    def titles() -> TitleIndex:
        if not found_titles:
            found_titles.append(TitleIndex(_titles(text, outside)))
        return found_titles[0]

    found_genders: list[dict[str, str]] = []

    def genders() -> dict[str, str]:
        if not found_genders:
            found_genders.append(_genders(text, [m for m in outside if m.label == "PERSON"], starts, ends))
        return found_genders[0]

    rows: list[tuple[object, ...]] = []
    seen: set[tuple[int, int]] = set()
    resolved: dict[tuple[int, int], tuple[str | None, str]] = {}
    labels = {m.entity: m.label for m in outside}
    # What a pronoun can refer back to: names outside what is quoted or reported, and earlier speakers
    # (each as one mention over its words, which hide the names inside them).
    contents = _union((s.start, s.end) for s in statements)
    antecedents = [m for m in outside if not _inside(m.start, contents)]
    for statement in statements:
        if (statement.start, statement.end) in seen:
            continue
        seen.add((statement.start, statement.end))
        speaker: str | None
        named_before = None if statement.continues is None else _person_opening_sentence(
            text, statement.continues, statement.start, antecedents, starts, ends)
        if named_before is not None:
            statement = replace(statement, speaker_start=named_before.start, speaker_end=named_before.end)
            speaker, rule = named_before.entity, "named in the sentence before"
        elif statement.speaker_start is None or statement.speaker_end is None:
            speaker, rule = None, "no speaker in the sentence"
        elif (span := (statement.speaker_start, statement.speaker_end)) in resolved:
            speaker, rule = resolved[span]
        else:
            speaker, rule = resolve_speaker(text, span, statement.head, statement.name, outside, titles, starts, nouns,
                                            antecedents, genders)
            resolved[span] = (speaker, rule)
            if speaker is not None:
                spoken = Mention(span[0], span[1], labels.get(speaker, ""), speaker)
                hidden = slice(bisect.bisect_left(antecedents, span[0], key=_mention_start),
                               bisect.bisect_left(antecedents, span[1], key=_mention_start))
                del antecedents[hidden]
                antecedents.insert(bisect.bisect_right(antecedents, spoken.start, key=_mention_start), spoken)
        if statement.continues is not None and named_before is None:
            rule = "continues the quote before"
        first = bisect.bisect_right(starts, statement.start) - 1
        last = bisect.bisect_left(starts, statement.end) - 1
        content = text[statement.start:statement.end]
        rows.append((
            article_id, len(rows), statement.kind, statement.start, statement.end, content, statement.cue,
            None if statement.speaker_start is None else text[statement.speaker_start:statement.speaker_end],
            statement.speaker_start, statement.speaker_end, speaker, rule,
            [ids[i] for i in range(max(first, 0), max(last, first, 0) + 1) if starts[i] < statement.end
             and ends[i] > statement.start],
            score_text(content, sentiment=sentiment)["compound"], published,
        ))
    return rows


def _union(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The same offsets as `spans`, as spans in text order that do not overlap (for `_inside`)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(span for span in spans if span[0] < span[1]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


OPENING_WORDS = 8  # a person named this early in a sentence is (near enough) what it is about


def _person_opening_sentence(text: str, after: int, before: int, people: Sequence[Mention], starts: Sequence[int],
                             ends: Sequence[int]) -> Mention | None:
    """The person a sentence opens with, when that sentence lies between a quote and an uncued quote after it.

    "Chairman Dieter Zetsche denied the allegations. “We do not exclude ...”": the new quote is his, not
    the previous speaker's, though no verb says so.
    """
    last = bisect.bisect_right(starts, before - 1) - 1
    while last >= 0 and ends[last] > before - 1:
        last -= 1  # the quote's own sentence (it may open with the quotation mark)
    if last < 0 or starts[last] < after:
        return None
    in_sentence = [m for m in people[bisect.bisect_left(people, starts[last], key=_mention_start):
                                     bisect.bisect_left(people, ends[last], key=_mention_start)]
                   if m.label == "PERSON"]  # people in text order
    opening = starts[last] + sum(len(w) + 1 for w in text[starts[last]:ends[last]].split()[:OPENING_WORDS])
    named = [m for m in in_sentence if m.start < opening]
    if named and all(word[:1].isupper() or _word(word) in DETERMINERS or _word(word).capitalize() in TITLES
                     for word in text[starts[last]:named[0].start].split()):
        return named[0]
    # "Following some speculation ..., chairman Dieter Zetsche denied the allegations.": a person right before
    # a verb in the past tense is what the sentence is about, wherever it stands.
    subjects = [m for m in in_sentence if _PAST_VERB_AFTER.match(text, m.end, ends[last])]
    return subjects[0] if len(subjects) == 1 else None  # "Boeing hired Jane Doe.": not about her saying anything


_PAST_VERB_AFTER = re.compile(r" (?:[a-z]+ed|was|had)\b")


_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|Sir|Dame)\.?\s+$")


def _as_person_after_honorific(text: str, mention: Mention) -> Mention:
    """"Mr MacFarlane" is a person whatever label the tagger gave, so "he" can refer to him."""
    if mention.label != "PERSON" and _HONORIFIC.search(text, max(0, mention.start - 6), mention.start):
        return Mention(mention.start, mention.end, "PERSON", mention.entity)
    return mention


def quotes_frame(rows: Sequence[tuple[object, ...]]) -> pd.DataFrame:
    """The `quotes` frame from rows in `QUOTE_COLUMNS` order, with the contract's types."""
    frame = pd.DataFrame(list(rows), columns=QUOTE_COLUMNS)
    frame["sentence_ids"] = frame["sentence_ids"].astype(object)
    return frame.astype({
        "article_id": "string", "quote_id": "int64", "kind": "string", "start": "int64", "end": "int64",
        "text": "string", "cue": "string", "speaker_text": "string", "speaker_start": "Int64",
        "speaker_end": "Int64", "speaker": "string", "rule": "string", "compound": "float64",
        "published": "datetime64[ns]",
    })

"""Split stage: articles into the `sentences` frame, with offsets, paragraph ids and NLTK token counts.

The splitter is NLTK's Punkt with news abbreviations given up front instead of a downloaded model,
chosen over pysbd and spaCy by measurement (`benchmarks/README.md`: F1 0.994 on 528 hand-checked Reuters sentences). Nothing is downloaded:
Punkt's parameters and NLTK's Treebank word tokenizer need no data files. NLTK (about a second to
import) loads on the first split: importing this module, or reading articles from the cache, does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from nltk.tokenize import NLTKWordTokenizer
    from nltk.tokenize.punkt import PunktSentenceTokenizer

SENTENCE_COLUMNS = [
    "article_id", "sentence_id", "paragraph_id", "start", "end", "text", "n_tokens", "position",
]

# Lower-case, without the final period; multi-part ones keep their inner periods ("u.s").
ABBREVIATIONS = frozenset("""
mr mrs ms dr prof gen col lt sgt capt cmdr adm gov sen rep rev hon st mt ft pres supt insp
jr sr messrs mmes
inc corp co ltd plc llc cos bros assn dept univ intl natl
jan feb mar apr jun jul aug sep sept oct nov dec
mon tue tues wed thu thur thurs fri sat sun
no nos vol vols fig pp para art sec ch est approx vs v etc al ca cf
u.s u.k u.n u.s.a u.s.s.r e.u e.c n.y d.c l.a s.a n.v a.g s.p.a
a.m p.m i.e e.g
ala ariz ark calif colo conn del fla ga ill ind kan ky la md mass mich minn miss mo mont neb nev
okla ore pa tenn tex va vt wash wis wyo
""".split())

# Abbreviations that also end sentences when a sentence opener follows ("... in the U.S. The").
# Wire copy capitalises any word after "U.S." ("U.S. Officials said"), so place abbreviations need a
# stricter list of openers (pronouns, determiners, sentence adverbs) than company suffixes do.
_PLACE_ENDS = {"u.s", "u.k", "d.c"}
_STRICT_OPENERS = frozenset("""
The A An He She It They We I You This That These Those There Its His Her Their Our However Meanwhile
Separately
""".split())
_CAN_END = {"inc", "corp", "co", "ltd", "plc", "llc", "jr", "sr", "etc", "a.m", "p.m"}
_OPENERS = _STRICT_OPENERS | frozenset("""
Here But So Yet In On At For From With Some Many Most Analysts Officials Shares Earlier Later
Last Next Also If When While After Before As Under Other Such No One Two
""".split())
_OPENING_QUOTE = "\"'\u201c\u2018"


@lru_cache(maxsize=1)
def _punkt() -> PunktSentenceTokenizer:
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


@lru_cache(maxsize=1)
def _word_tokenizer() -> NLTKWordTokenizer:
    from nltk.tokenize import NLTKWordTokenizer

    return NLTKWordTokenizer()


_ABBREV_END = re.compile(r"(?<!\S)([A-Za-z](?:\.[A-Za-z])+|[A-Za-z]+)\.[\"'\u201d\u2019)]*$")
_NEXT_WORD = re.compile(r"\s*([\"'\u201c\u2018(]*)([A-Z][a-z]*)\b")


def _closes_sentence(abbreviation: str, quote: str, word: str) -> bool:
    if abbreviation in _PLACE_ENDS:
        return not quote and word in _STRICT_OPENERS
    return abbreviation in _CAN_END and (word in _OPENERS or any(q in _OPENING_QUOTE for q in quote))


def _split_after_abbreviations(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Punkt never ends a sentence on a known abbreviation; split where one clearly closes a sentence."""
    piece_start = start
    for match in re.finditer(r"\.\s+", text[start:end]):
        stop = start + match.start() + 1
        abbrev = _ABBREV_END.search(text, max(piece_start, stop - _TAIL), stop)
        opener = _NEXT_WORD.match(text, stop)
        if abbrev and opener and _closes_sentence(abbrev.group(1).lower(), opener.group(1), opener.group(2)):
            yield piece_start, stop
            piece_start = start + match.end()
    yield piece_start, end


_INITIALS_END = re.compile(r"(?<![^\s(])(?:[A-Z]\.){2,3}$")
# Enough characters before a period to hold any abbreviation or run of initials that ends there.
_TAIL = 64


def _continues_previous(paragraph: str, previous_end: int, piece: str, piece_start: int) -> bool:
    """Whether a piece Punkt split off still belongs to the sentence before it.

    True before a lower-case word ('?" he asked'), for a piece with no letters or digits (the "?" of
    ".?"), and after unknown initials followed by a name rather than an opener ("J.P. Morgan").
    """
    if piece[0].islower() or not re.search(r"[^\W_]", piece):
        return True
    opener = _NEXT_WORD.match(paragraph, piece_start)
    return (
        bool(_INITIALS_END.search(paragraph, max(0, previous_end - _TAIL), previous_end))
        and opener is not None and opener.group(2) not in _OPENERS
    )


def sentence_spans(paragraph: str) -> list[tuple[int, int]]:
    """Sentence spans within one paragraph, trimmed of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    for start, end in _punkt().span_tokenize(paragraph):
        for piece_start, piece_end in _split_after_abbreviations(paragraph, start, end):
            raw = paragraph[piece_start:piece_end]
            piece = raw.strip()
            if not piece:
                continue
            left = piece_start + (len(raw) - len(raw.lstrip()))
            if spans and _continues_previous(paragraph, spans[-1][1], piece, left):
                spans[-1] = (spans[-1][0], left + len(piece))
            else:
                spans.append((left, left + len(piece)))
    return spans


_TYPOGRAPHIC = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def straight_quotes(text: str) -> str:
    """Typographic quotes and apostrophes as ASCII ones, which word tokenizers and VADER's lexicon expect."""
    return text.translate(_TYPOGRAPHIC)


# NLTK's word tokenizer makes some 25 regular-expression substitutions in every sentence, and most cannot
# change a given one. Each listed here is skipped when the text lacks every character its pattern needs
# (keyed by pattern, so a pattern a later NLTK changes is simply always applied); its case-insensitive
# contractions ("cannot", "gonna") are looked for in the lower-cased text when that text is ASCII, where
# lower-casing folds case as the pattern does. The others run as NLTK runs them, in its order.
_NEEDS = {
    "([«“‘„]|[`]+)": "«“‘„`", r"^\"": '"', r"(``)": "`", r"([ \(\[{<])(\"|\'{2})": "\"'",
    r"(?i)(?<!\w)(\')(?!(?:re|ve|ll|m|t|s|d|n)\b)(?=\w)": "'",
    r'([^\.])(\.)([\]\)}>"\'' "»”’ " r"]*+)\s*$": ".", r"([:,])([^\d])": ":,", r"([:,])$": ":,", r"\.{2,}": ".",
    r"[;@#$%&]": ";@#$%&", r"[\u2012-\u2015]": "\u2012\u2013\u2014\u2015", r'([^\.])(\.)([\]\)}>"\']*)\s*$': ".",
    r"[?!]": "?!", r"([^'])' ": "'", r"[*]": "*", r"[\]\[\(\)\{\}\<\>]": "[](){}<>", r"--": "-",
    "([»”’])": "»”’", r"''": "'", r'"': '"', r"([^' ])('[sS]|'[mM]|'[dD]|') ": "'",
    r"([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) ": "'",
    r"(?i) ('t)(?#X)(is)\b": "'", r"(?i) ('t)(?#X)(was)\b": "'",
}
_NEEDS_WORD = {
    r"(?i)\b(can)(?#X)(not)\b": "cannot", r"(?i)\b(d)(?#X)('ye)\b": "d'ye", r"(?i)\b(gim)(?#X)(me)\b": "gimme",
    r"(?i)\b(gon)(?#X)(na)\b": "gonna", r"(?i)\b(got)(?#X)(ta)\b": "gotta", r"(?i)\b(lem)(?#X)(me)\b": "lemme",
    r"(?i)\b(more)(?#X)('n)\b": "more'n", r"(?i)\b(wan)(?#X)(na)(?=\s)": "wanna",
}
Step = tuple[Any, str, str, str]  # a compiled pattern, its replacement, characters one of which it needs, a word it needs


@lru_cache(maxsize=1)
def _steps() -> tuple[tuple[Step, ...], tuple[Step, ...]]:
    """NLTK's substitutions before and after it pads the text with spaces (`NLTKWordTokenizer.tokenize`)."""
    t = _word_tokenizer()

    def step(pattern: Any, replacement: str) -> Step:
        return pattern, replacement, _NEEDS.get(pattern.pattern, ""), _NEEDS_WORD.get(pattern.pattern, "")

    contractions = [(pattern, r" \1 \2 ") for pattern in (*t.CONTRACTIONS2, *t.CONTRACTIONS3)]
    return (tuple(step(*s) for s in (*t.STARTING_QUOTES, *t.PUNCTUATION, t.PARENS_BRACKETS, t.DOUBLE_DASHES)),
            tuple(step(*s) for s in (*t.ENDING_QUOTES, *contractions)))


def _substituted(text: str, steps: tuple[Step, ...]) -> str:
    for pattern, replacement, characters, word in steps:
        if characters and not any(c in text for c in characters):
            continue
        if word and text.isascii() and word not in text.lower():
            continue
        text = pattern.sub(replacement, text)
    return text


def tokenize(sentence: str) -> list[str]:
    """NLTK's Treebank-style word tokens (`NLTKWordTokenizer`, skipping substitutions that cannot apply);
    curly quotes count like straight ones ("Trump’s" -> Trump, 's)."""
    before, after = _steps()
    return _substituted(" " + _substituted(straight_quotes(sentence), before) + " ", after).split()


def count_tokens(sentence: str) -> int:
    return len(tokenize(sentence))


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the paragraphs of a cleaned text (separated by blank lines)."""
    spans, start = [], 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


# Punkt reads a paragraph in windows of about this size, cut after a sentence end: NLTK abandons a
# regular-expression scan after 5 s (`nltk.redos`), which a paragraph of ~400,000 characters reaches.
_MAX_PUNKT = 100_000
# A window with no sentence end grows to this before it is cut at a space (one over-long "sentence"
# of 20,000 words still comes out whole).
_MAX_WINDOW = 300_000
# A safe place to cut: a stop after two lower-case letters or digits (not "Mr." or "U.S."), then a capital.
_SENTENCE_END = re.compile(r"(?<=[a-z0-9]{2})[.?!][\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]*[A-Z])")


def _windows(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Spans covering text[start:end], each cut after a sentence end near `_MAX_PUNKT` characters."""
    while end - start > _MAX_PUNKT:
        ends = [found.end() for found in _SENTENCE_END.finditer(text, start + _MAX_PUNKT // 2, start + _MAX_PUNKT)]
        if not ends:
            later = _SENTENCE_END.search(text, start + _MAX_PUNKT, min(end, start + _MAX_WINDOW))
            ends = [later.end()] if later else []
        if not ends and end - start <= _MAX_WINDOW:
            break
        cut = ends[-1] if ends else text.rfind(" ", start + 1, start + _MAX_WINDOW) + 1 or start + _MAX_WINDOW
        yield start, cut
        start = cut
    yield start, end


def split_text(text: str) -> list[tuple[int, int, int]]:
    """(paragraph_id, start, end) of every sentence in a cleaned article text."""
    found = []
    for paragraph_id, (p_start, p_end) in enumerate(paragraph_spans(text)):
        for w_start, w_end in _windows(text, p_start, p_end):
            for start, end in sentence_spans(text[w_start:w_end]):
                found.append((paragraph_id, w_start + start, w_start + end))
    return found


def split(articles: pd.DataFrame) -> pd.DataFrame:
    """Split stage: one row a sentence, with offsets such that `text[start:end] == sentence`."""
    rows: list[tuple[object, ...]] = []
    for article_id, text in zip(articles["article_id"], articles["text"]):
        spans = split_text(text)
        last = max(len(spans) - 1, 1)
        for sentence_id, (paragraph_id, start, end) in enumerate(spans):
            sentence = text[start:end]
            rows.append((article_id, sentence_id, paragraph_id, start, end, sentence,
                         count_tokens(sentence), sentence_id / last))
    return sentences_frame(rows)


def sentences_frame(rows: list[tuple[object, ...]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=SENTENCE_COLUMNS)
    return frame.astype({
        "article_id": "string", "sentence_id": "int64", "paragraph_id": "int64", "start": "int64",
        "end": "int64", "text": "string", "n_tokens": "int64", "position": "float64",
    })

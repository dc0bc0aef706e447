"""Tag stage: named-entity mentions from spaCy, with repaired labels and canonical names.

Analysts count people and places, not strings. Within an article a short form takes the full name the
article uses ("Zelenskyy" -> "Volodymyr Zelenskyy"), titles, a leading "the" and possessives are
stripped, and country forms merge through an alias table ("U.S.", "America" -> "United States") that
users can extend. Across a corpus a surname alone resolves to the one full name the corpus gives it.
The small model's typical mistakes are repaired with evidence rather than one-off patches: the article's
own full names (a surname tagged ORG), the gazetteer (a capital tagged PERSON), the part of speech of the
next word (a weapon system tagged PERSON in "Patriot missiles") and the article's majority label.
Every mention records in `rule` which rule gave it its name or label.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from toolkit.gazetteer import Gazetteer, gazetteer
from toolkit.nlp import ner_pipeline

NAME_LABELS = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)
TAG_COLUMNS = [
    "article_id", "sentence_id", "start", "end", "text", "label", "entity", "rule", "country", "compound", "published",
]
# The entities frame of an analysis: the tag stage's columns with the tone stage's (`toolkit.tone`).
ENTITY_COLUMNS = TAG_COLUMNS[:TAG_COLUMNS.index("compound") + 1] + ["tone", "tone_score", "published"]
ALIAS_COLUMNS = ["alias", "entity", "label"]
DEMONYM_COLUMNS = ["name", "country"]

TITLES = frozenset("""
President Vice Prime Minister Secretary Chancellor Premier King Queen Prince Princess Pope Mr Mrs Ms Dr
Sir Dame Lord Lady Judge Justice Sen Senator Rep Representative Gov Governor General Gen Adm Admiral Col
Colonel Lt Captain Capt Chairman Chairwoman Chair Chief Executive Director Ambassador Mayor Commissioner
Treasury Foreign Defence Defense Finance Trade State Energy Agriculture Commerce Labor Interior Deputy
Assistant Under Acting Former Spokesman Spokeswoman Professor Prof Father Rev Ayatollah Sheikh
Coach Manager Defender Striker Midfielder Forward Goalkeeper Keeper Winger Skipper Captain Referee Umpire
Batsman Bowler Pitcher Quarterback Champion Veteran Rookie Officer Inspector Sergeant Sgt Detective
Minister Ministers Leader Speaker Spokesperson Economist Analyst Lawyer Attorney Actor Actress Singer
Author Writer Novelist Congressman Congresswoman Dr. Mr. Mrs. Ms.
""".split())
# Titles that only ever stand before a person's name: an ORG span that opens with one ("Spokeswoman Sandy
# Angers") is a person named with their title. Words that also open names of bodies ("Foreign", "General",
# "Justice", "King") are not here.
PERSON_TITLES = frozenset("""
Mr Mrs Ms Dr Mr. Mrs. Ms. Dr. Sir Dame Spokesman Spokeswoman Spokesperson Senator Sen Rep Representative
Congressman Congresswoman President Chancellor Premier Mayor Ambassador Commissioner Professor Prof Chairman
Chairwoman Minister Secretary Governor Gov Coach Detective Sergeant Sgt Inspector Economist Analyst Lawyer
Attorney Actor Actress Singer Author Writer Novelist Pope Rev Ayatollah Sheikh Colonel Col Admiral Adm
""".split())
# Roman numerals and one-letter words are never a surname on their own ("I", "III").
_WEAK_NAME = re.compile(r"^(?:[A-Za-z]\.?|[IVXLC]+\.?)$")
GOVERNMENT_HEADS = frozenset("""
Department Ministry Office Agency Embassy Army Navy Force Forces Congress Senate House Treasury Government
Administration Commission Court Military Guard Customs Bureau Council Parliament Cabinet Marines
""".split())
CORPORATE_SUFFIXES = ("Inc", "Inc.", "Corp", "Corp.", "Co", "Co.", "Ltd", "Ltd.", "Plc", "PLC", "plc", "LLC")
_POSSESSIVE = re.compile(r"['\u2019]s$")  # "Jones'" ends in edge punctuation, stripped before
_EDGE_PUNCTUATION = " \t\n\"'\u201c\u201d\u2018\u2019,;:()[]<>-"
_LEADING_ARTICLE = re.compile(r"^(?:the|an?) ", re.IGNORECASE)
_UNCLOSED_BRACKET = re.compile(r"\s*\([^)]*$")
_POSSESSOR = re.compile(r"^[A-Z][\w.-]*['\u2019]s (?=[A-Z])")
# Wire-table and unit words the small model tags as names in results tables ("Shr", "Revs", "Avg",
# "cts", "U.S. Dlrs"): a mention made only of these is no name, and a trailing one is not part of it.
WIRE_TERMS = frozenset("""
shr shrs revs rev avg net oper qtr qtrly mths mth dlrs dlr cts ct vs pct mln billion bln stg yen
""".split())
# Last words that make a name an organisation whatever the model said ("Champlin Refining" as PERSON).
ORG_HEADS = frozenset("""
Bank Banks Petroleum Refining Oil Corp Corporation Inc Co Ltd Plc PLC LLC S.A. SA AG NV Group Holdings
Industries Motors Exchange Commission Association Airlines Airways Partners Trust Fund Securities Insurance
Steel Chemical Chemicals Electric Energy Mining Resources Investments Capital Financial Foods Systems
""".split())
# Words that make a company's full name out of its short one ("Apple Computer", "Arvin Industries"):
# a one-word name joins a longer one only through these, so "Boeing" never becomes the division
# "Boeing Commercial Airplanes".
COMPANY_WORDS = ORG_HEADS | frozenset("""
Computer Computers Corporation Company Companies Incorporated International Limited Communications
Technologies Technology Pharmaceuticals Entertainment Enterprises Brands Aerospace Automotive
""".split()) | frozenset(CORPORATE_SUFFIXES)
_CHUNK = 100_000  # spaCy needs about 1 GB per 100,000 characters: longer texts go in pieces


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    label: str
    entity: str = ""
    rule: str = "as written"
    country: str | None = None


# --- running spaCy ---------------------------------------------------------------------------------

def _chunks(text: str, size: int = _CHUNK) -> Iterator[tuple[int, str]]:
    """Pieces of at most `size` characters, cut at a paragraph break or else a space."""
    start = 0
    while len(text) - start > size:
        cut = text.rfind("\n\n", start, start + size)
        if cut <= start:
            cut = text.rfind(" ", start, start + size)
        if cut <= start:
            cut = start + size
        yield start, text[start:cut]
        start = cut
    yield start, text[start:]


def _pieces(texts: Sequence[str]) -> Iterator[tuple[int, int, str]]:
    """(text index, offset, piece) for every piece of every text, made as they are needed."""
    for index, text in enumerate(texts):
        for offset, piece in _chunks(text):
            yield index, offset, piece


def _batches(pieces: Iterator[tuple[int, int, str]], size: int) -> Iterator[list[tuple[int, int, str]]]:
    """Runs of at most `size` pieces and `_CHUNK` characters (a piece of a long text goes alone), so
    spaCy holds one batch of short texts or one piece of a long one at a time, whatever the article's size."""
    batch: list[tuple[int, int, str]] = []
    characters = 0
    for piece in pieces:
        if batch and (len(batch) == size or characters + len(piece[2]) > _CHUNK):
            yield batch
            batch, characters = [], 0
        batch.append(piece)
        characters += len(piece[2])
    if batch:
        yield batch


def spacy_mentions(texts: Sequence[str], *, batch_size: int = 64, model: str | None = None) -> Iterator[list[Mention]]:
    """Raw name mentions per text, as the pipeline's NER (the only component run) finds them.

    Texts stream through spaCy in bounded batches, and each text's mentions are handed over as soon as
    its last piece is done: memory follows the batch, not the corpus or the longest article.
    """
    nlp = ner_pipeline(model)
    current = 0
    found: list[Mention] = []
    for batch in _batches(_pieces(texts), batch_size):
        for (index, offset, _), doc in zip(batch, nlp.pipe([piece for _, _, piece in batch], batch_size=len(batch))):
            while current < index:
                yield found
                current, found = current + 1, []
            found += [
                Mention(offset + ent.start_char, offset + ent.end_char, ent.text, ent.label_)
                for ent in doc.ents if ent.label_ in NAME_LABELS
            ]
    while current < len(texts):
        yield found
        current, found = current + 1, []


# --- headlines in capitals -------------------------------------------------------------------------------

_CAPS_LINE = re.compile(r"^[^\S\n]*(?=[^\n]*[A-Z][^\n]*[A-Z])[^a-z\n]+$", re.MULTILINE)
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019]*")


def _body_casing(text: str, caps: list[tuple[int, int]]) -> dict[str, str]:
    """How the article writes each word outside its ALL-CAPS lines: lower-case where it ever does, else its
    most common capitalised form."""
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    position = 0
    for start, end in [*caps, (len(text), len(text))]:
        for word in _WORD.findall(text, position, start):
            forms[word.lower()][word] += 1
        position = end
    return {key: key if key in counts else counts.most_common(1)[0][0] for key, counts in forms.items()}


def caps_lines(text: str) -> list[tuple[int, int]]:
    """Spans of the lines written in capitals only (headlines, datelines, results tables)."""
    return [match.span() for match in _CAPS_LINE.finditer(text)]


def recase_headlines(text: str, keep: frozenset[str] = frozenset()) -> str:
    """ALL-CAPS lines (headlines, datelines, results tables) in the casing the model was trained on.

    Each word takes the casing the article itself gives it elsewhere; words it never writes otherwise are
    lower-case when they are common English words, as written when in `keep` (aliases such as "US"), and
    capitalised otherwise. Every word keeps its length, so offsets into the result are offsets into `text`.
    """
    caps = caps_lines(text)
    if not caps:
        return text
    from spacy.lang.en.stop_words import STOP_WORDS

    casing = _body_casing(text, caps)

    def recase(match: re.Match[str]) -> str:
        word = match.group(0)
        key = word.lower()
        if key in casing:
            new = casing[key]
        elif word in keep:
            new = word
        elif key in STOP_WORDS or key in WIRE_TERMS:
            new = key
        else:
            new = word[0] + word[1:].lower()
        return new  # `_WORD` is ASCII letters: every casing of a word has its length

    pieces, position = [], 0
    for start, end in caps:
        pieces += [text[position:start], _WORD.sub(recase, text[start:end])]
        position = end
    return "".join(pieces) + text[position:]


def _next_word_is_plural_noun(following: str) -> bool:
    """Whether the word after a name is a plural noun ("Patriot *missiles*"), by spaCy's tagger."""
    words = following.split(maxsplit=1)
    return bool(words) and words[0][:1].islower() and _is_plural_noun(words[0].strip(",.;:"))


@lru_cache(maxsize=65536)
def _is_plural_noun(word: str) -> bool:
    nlp = ner_pipeline()
    doc = nlp.make_doc(f"the new {word}")
    for name in ("tok2vec", "tagger"):
        doc = nlp.get_pipe(name)(doc)
    return doc[2].tag_ == "NNS"


# --- repairing and naming mentions within one article ------------------------------------------------

def _trim(text: str, mention: Mention) -> Mention:
    """Strip edge punctuation, an unclosed bracket, a leading article, a possessor and a possessive.

    Offsets stay true to the text: ("the US Defence Department's" -> "US Defence Department",
    "Tamura's Ministry of ..." -> "Ministry of ...", "Group of Seven (G-7" -> "Group of Seven").
    """
    start, end = mention.start, mention.end
    unclosed = _UNCLOSED_BRACKET.search(text[start:end])
    if unclosed and unclosed.start() > 0:
        end = start + unclosed.start()
    while start < end and text[start] in _EDGE_PUNCTUATION:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCTUATION:
        end -= 1
    if _POSSESSIVE.search(text, start, end):  # the span opens with no punctuation: a name is before "'s"
        end -= 2
        while end > start and text[end - 1] in _EDGE_PUNCTUATION:  # "Mandela 's" leaves no space behind
            end -= 1
    article = _LEADING_ARTICLE.match(text[start:end])
    keeps_article = text[start:start + 4] == "The " and text[start + 4:end] in gazetteer().with_article
    if article and end - start > article.end() and not keeps_article:
        start += article.end()
    possessor = _POSSESSOR.match(text[start:end]) if mention.label in {"ORG", "FAC"} else None
    if possessor:
        start += possessor.end()
    if start == mention.start and end == mention.end:
        return mention
    return replace(mention, start=start, end=end, text=text[start:end])


_NUMBER = re.compile(r"[\d.,/-]+")


def _without_wire_terms(text: str, mention: Mention) -> Mention:
    """Drop trailing wire-table words and numbers ("U.S. Dlrs" -> "U.S.", "Revs 5.0" -> nothing)."""
    words = mention.text.split()
    while words and (words[-1].lower().strip(".,") in WIRE_TERMS or _NUMBER.fullmatch(words[-1])):
        words.pop()
    if len(words) == len(mention.text.split()):
        return mention
    word_ends = [word.end() for word in re.finditer(r"\S+", mention.text)]  # "Walla Walla 5": the second "Walla"
    end = mention.start + (word_ends[len(words) - 1] if words else 0)
    return replace(mention, end=end, text=text[mention.start:end])


_LOWER_WORD = re.compile(r"[a-z]+")


def _without_common_nouns(text: str, mention: Mention) -> Mention:
    """Drop the lower-case words that close an organisation's span: the tagger often takes the noun after a
    name into it ("United Auto Workers union", "Yonhap news agency"), which no name ends with."""
    words = mention.text.split()
    if mention.label != "ORG" or len(words) < 2 or not _LOWER_WORD.fullmatch(words[-1]):
        return mention
    while len(words) > 1 and _LOWER_WORD.fullmatch(words[-1]):
        words.pop()
    end = mention.start + len(" ".join(words)) if mention.text.startswith(" ".join(words)) else mention.end
    return replace(mention, end=end, text=text[mention.start:end])


def _opening_quote_ends(text: str, end: int) -> bool:
    """Whether text[:end] ends with a straight quotation mark at its start or after white space."""
    return end > 0 and text[end - 1] in "\"'" and (end == 1 or text[end - 2].isspace())


def _with_capital_the(text: str, mention: Mention) -> Mention:
    """"The Guardian" mid-sentence: a capitalised "The" that does not open a sentence is part of the name, and a
    title's "The" at the start of a quotation is part of the title."""
    if mention.label not in {"ORG", "WORK_OF_ART"} or text[max(0, mention.start - 4):mention.start] != "The ":
        return mention
    if mention.text.isupper():
        return mention  # "The NYSE": an acronym does not take "The"
    at = mention.start - 4  # where "The" begins; the text before it is read backwards, never copied
    while at > 0 and text[at - 1].isspace():
        at -= 1
    if text[at - 1:at] in ("\u201c", "\u2018", "(") or _opening_quote_ends(text, at):
        if mention.label == "ORG":
            return mention  # 'saying, "The Boeing 737 ...': the quotation opens a sentence
        # a title keeps its "The" inside the quotation ('the film "The Crying Game"'), wherever it stands
    else:
        while at > 0 and text[at - 1] in "\"'\u201d\u2019":
            at -= 1
        if at == 0 or text[at - 1] in ".!?":
            return mention
    return replace(mention, start=mention.start - 4, text=text[mention.start - 4:mention.end])


def _is_title(word: str) -> bool:
    """A title or role word, capitalised or not ("Minister", "coach", "Defender")."""
    bare = word.rstrip(".,")
    return bare in TITLES or bare[:1].upper() + bare[1:] in TITLES


def _strip_titles(text: str, mention: Mention) -> Mention:
    """"Defender Hassan Abbas" -> "Hassan Abbas", "coach Ana Ruiz" -> "Ana Ruiz"."""
    words = mention.text.split()
    dropped = 0
    while len(words) - dropped > 1 and _is_title(words[dropped]):
        dropped += 1
    if not dropped:
        return mention
    start = mention.start + [word.start() for word in re.finditer(r"\S+", mention.text)][dropped]  # "Mayor May Lee"
    return replace(mention, start=start, text=text[start:mention.end], rule="title stripped")


# A first name and one or two more words ("Sandy Angers", "John F. Kennedy", "Ban Ki-moon", "Ed DesRoiser").
_PERSONAL_NAME = re.compile(r"^[A-Z][a-z][A-Za-z'\u2019-]*(?: [A-Z](?:[a-z][A-Za-z'\u2019-]*|\.)){1,2}$")


def _person_behind_title(text: str, mention: Mention) -> Mention:
    """An organisation span that opens with a person's title and goes on with a personal name is that person:
    "Spokeswoman Sandy Angers", "Foreign Minister Ewa Nowak" (ORG) -> "Sandy Angers", "Ewa Nowak" (PERSON); the
    title stays before the name for whoever reads it there (the quotes stage does)."""
    words = mention.text.split()
    titles = 0
    while titles < len(words) and _is_title(words[titles]) and words[titles][:1].isupper():
        titles += 1
    if mention.label != "ORG" or not set(words[:titles]) & PERSON_TITLES or len(words) - titles < 2:
        return mention
    rest = " ".join(words[titles:])
    if not mention.text.endswith(rest):
        return mention
    if not _PERSONAL_NAME.match(rest) or set(rest.split()) & (COMPANY_WORDS | GOVERNMENT_HEADS) or gazetteer().is_place(rest):
        return mention
    start = mention.end - len(rest)
    return replace(mention, start=start, text=text[start:mention.end], label="PERSON", rule="title stripped")


def _split_country_prefix(text: str, mention: Mention, places: Gazetteer, aliases: dict[str, tuple[str, str]]
                          ) -> list[Mention]:
    """"US Defence Department" -> the place "US" and the body "Defence Department"."""
    if mention.label not in {"ORG", "FAC"}:
        return [mention]
    words = mention.text.split()
    for size in (3, 2, 1):
        prefix = " ".join(words[:size])
        rest = words[size:]
        is_country = places.is_country(prefix) or aliases.get(prefix, ("", ""))[1] == "GPE"
        if is_country and rest and rest[0][:1].isupper() and (set(rest) & GOVERNMENT_HEADS):
            rest_start = mention.start + mention.text.index(rest[0], len(prefix))
            country = aliases.get(prefix, (prefix, ""))[0]
            return [
                Mention(mention.start, mention.start + len(prefix), prefix, "GPE", rule="country split from body"),
                Mention(rest_start, mention.end, text[rest_start:mention.end], mention.label,
                        rule="country split from body", country=country),
            ]
    return [mention]


_SEPARATOR = re.compile(r" (?:-|--|,|;) | ?\u2014 ?")
_LIST_COMMA = re.compile(r",? ")


def _split_at_separators(text: str, mention: Mention) -> list[Mention]:
    """A span across a spaced dash or a comma holds more than one name ("Cricket - Leicestershire",
    "Grace Road, Leicestershire"): its parts become mentions of their own (organisations keep their commas,
    as in "Smith, Barney")."""
    cuts = [match.span() for match in _SEPARATOR.finditer(mention.text)]
    if mention.label != "ORG":
        cuts += [(m.start(), m.end()) for m in re.finditer(r", ", mention.text)]
    if not cuts:
        return [mention]
    parts, position = [], 0
    for cut_start, cut_end in sorted(set(cuts)):
        parts.append((position, cut_start))
        position = max(position, cut_end)
    parts.append((position, len(mention.text)))
    return [
        replace(mention, start=mention.start + a, end=mention.start + b, text=text[mention.start + a:mention.start + b])
        for a, b in parts if b > a and any(ch.isupper() for ch in mention.text[a:b])
    ]


BARE_SUFFIXES = frozenset(suffix.rstrip(".") for suffix in CORPORATE_SUFFIXES)


def _with_corporate_suffixes(text: str, mentions: list[Mention]) -> list[Mention]:
    """A corporate suffix tagged on its own ("Chrysler" + "LLC") joins the name right before it; alone, it
    names nothing ("the LLC") and is dropped: a suffix is never an organisation's canonical name."""
    joined: list[Mention] = []
    for m in mentions:
        if m.text.rstrip(".,") not in BARE_SUFFIXES:
            joined.append(m)
            continue
        before = joined[-1] if joined else None
        if before is not None and re.fullmatch(r",? ", text[before.end:m.start]) and before.text[:1].isupper():
            joined[-1] = replace(before, end=m.end, text=text[before.start:m.end], label="ORG")
    return joined


_APOSTROPHE_SURNAME = re.compile(r"['\u2019] ?[A-Z][a-z]+")


def _with_apostrophe_surnames(text: str, mentions: list[Mention]) -> list[Mention]:
    """A name the tagger cut at a capital letter glued to an apostrophe ("Michael O" + "' Leary", "Cote D" +
    "'Ivoire") takes the word after it ("Michael O' Leary"), and a mention of that word alone is dropped. In
    news such a letter opens a name ("O'Neill", "D'Amato", "N'Djamena") whatever the model's label."""
    joined: list[Mention] = []
    for m in mentions:
        before = joined[-1] if joined else None
        if before is not None and before.end > m.start:
            continue  # the surname a name before took in
        rest = _APOSTROPHE_SURNAME.match(text, m.end)
        if rest is not None and re.fullmatch(r"[A-Z]", m.text.split()[-1]):
            m = replace(m, end=rest.end(), text=text[m.start:rest.end()])
        joined.append(m)
    return joined


def _person_at_the_end(text: str, mentions: list[Mention]) -> list[Mention]:
    """An organisation span that runs on into the full name of a person the article names elsewhere
    ("Assistant Secretary of the Air Force for Acquisition Marvin Sambur") is the body and the person.

    A name whose words the article also writes in lower case is no one's ("the Library and Music Store")."""
    people: dict[str, set[str]] = defaultdict(set)  # by last word
    for m in mentions:
        if m.label == "PERSON" and _PERSONAL_NAME.match(m.text):
            people[m.text.split()[-1]].add(m.text)
    lower_case: set[str] | None = None
    split: list[Mention] = []
    for m in mentions:
        ends_in = [name for name in people.get(m.text.split()[-1], ()) if m.label == "ORG" and m.text.endswith(" " + name)]
        if ends_in and lower_case is None:
            lower_case = set(re.findall(r"\b[a-z][a-z'-]*\b", text))
        person = next((name for name in ends_in if lower_case is not None
                       and not any(word.lower() in lower_case for word in name.split())), None)
        if person is None:
            split.append(m)
            continue
        body = m.text[:-len(person)].rstrip(" ,")
        if any(ch.isupper() for ch in body):
            split.append(replace(m, end=m.start + len(body), text=body))
        split.append(Mention(m.end - len(person), m.end, person, "PERSON", rule="person named at the end of a body"))
    return split


def _swapped(a: str, b: str) -> bool:
    """Whether two words differ only by two neighbouring letters swapped ("DesRoiser", "Calrsson"): a typing
    slip. A letter more or less is often another name ("Reagan" and "Regan", "Johnson" and "Johnston")."""
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


MIN_MISSPELT = 6  # in a shorter surname a swap as often makes another name


def _misspelt_surnames(surnames: dict[str, set[str]]) -> Callable[[str], str | None]:
    """A look-up: the one full name whose surname a word misspells (two neighbouring letters swapped), or None."""
    index: dict[str, set[str]] = defaultdict(set)  # by sorted letters: a swap keeps them
    for surname in surnames:
        index["".join(sorted(surname))].add(surname)

    def owner(word: str) -> str | None:
        if len(word) < MIN_MISSPELT or not word[:1].isupper():
            return None
        near = {s for s in index.get("".join(sorted(word)), ()) if _swapped(word, s)}
        owners = {name for surname in near for name in surnames[surname]}
        return next(iter(owners)) if len(owners) == 1 else None

    return owner


def _strip_corporate_suffix(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[-1].rstrip(",") in CORPORATE_SUFFIXES:
        words.pop()
    return " ".join(words).rstrip(",")


def resolve_article(text: str, mentions: list[Mention], aliases: dict[str, tuple[str, str]],
                    demonyms: dict[str, str] | None = None, *, recased: Sequence[tuple[int, int]] = ()
                    ) -> list[Mention]:
    """Repair labels and give every mention of one article its canonical name and, where it has one, country.

    `recased`: spans of lines that were in capitals (see `recase_headlines`), where capitals say nothing."""
    places = gazetteer()
    demonyms = _demonym_map(None) if demonyms is None else demonyms
    cleaned: list[Mention] = []
    for whole in mentions:
        for mention in _split_at_separators(text, whole):
            mention = _without_common_nouns(text, _without_wire_terms(text, mention))
            mention = _with_capital_the(text, _trim(text, mention))
            if mention.label == "PERSON":
                mention = _strip_titles(text, mention)
            mention = _person_behind_title(text, mention)
            if mention.text and any(ch.isupper() for ch in mention.text):
                cleaned += _split_country_prefix(text, mention, places, aliases)

    cleaned = _with_apostrophe_surnames(text, _with_corporate_suffixes(text, cleaned))
    cleaned = [m for m in _person_at_the_end(text, cleaned)
               if not (m.label == "PERSON" and _WEAK_NAME.match(m.text))]
    full_names = _full_names_by_tail(m.text for m in cleaned if m.label == "PERSON")
    # A word that is one person's first name and another's surname ("Andrew" beside "Rob Andrew" and
    # "Andrew Blades") is no evidence for either.
    full_by_first: dict[str, set[str]] = defaultdict(set)
    for m in cleaned:
        if m.label == "PERSON" and " " in m.text and not set(m.text.split()) & COMPANY_WORDS:
            full_by_first[m.text.split()[0].casefold()].add(m.text)
    first_names = {m.text.split()[0].casefold() for m in cleaned if m.label == "PERSON" and " " in m.text}
    surnames: dict[str, set[str]] = defaultdict(set)
    for name in {m.text for m in cleaned if m.label == "PERSON" and " " in m.text}:
        surnames[name.split()[-1]].add(name)
    misspelt_surname = _misspelt_surnames(surnames)

    repaired = []
    for m in cleaned:
        owners = full_names.get(m.text.casefold(), set()) - {m.text}
        if m.text.casefold() in first_names:
            owners = set()
        if m.text in aliases:
            entity, label = aliases[m.text]
            m = replace(m, entity=entity, label=label or m.label, rule="alias table")
        elif (m.label in {"PERSON", "ORG", "GPE", "NORP"} and len(owners) == 1 and not places.is_country(m.text)
              and m.text not in demonyms):
            m = replace(m, label="PERSON", entity=next(iter(owners)), rule="surname of a full name in the article")
        elif (m.label in {"PERSON", "ORG"} and " " not in m.text and not owners and m.text.casefold() not in first_names
              and not places.is_place(m.text) and m.text not in aliases
              and (misspelt := misspelt_surname(m.text)) is not None):
            m = replace(m, label="PERSON", entity=misspelt, rule="surname of a full name in the article, spelt otherwise")
        elif m.label == "PERSON" and m.text in demonyms:
            m = replace(m, label="NORP", rule="demonym table")
        elif m.label in {"PERSON", "ORG"} and places.is_place(m.text):
            m = replace(m, label="GPE", rule="gazetteer place")
        elif (m.label == "PERSON" and " " not in m.text and not full_names.get(m.text.casefold())
              and len(full_by_first.get(m.text.casefold(), ())) == 1 and not _WEAK_NAME.match(m.text)):
            # "Steve" beside "Steve Jobs", when no one else in the article has that first name or surname
            m = replace(m, entity=next(iter(full_by_first[m.text.casefold()])), rule="first name of a full name in the article")
        elif m.label == "PERSON" and len(m.text.split()) > 1 and m.text.split()[-1] in COMPANY_WORDS:
            m = replace(m, label="ORG", rule="organisation word in the name")
        elif (m.label == "PERSON" and len(m.text.split()) == 1
              and _next_word_is_plural_noun(text[m.end:m.end + 40])):
            m = replace(m, label="PRODUCT", rule="names a plural noun (not a person)")
        repaired.append(m)

    repaired = _teams_in_results(text, repaired)
    # The article's majority label for a string it labels inconsistently ("Ukrainian" NORP vs GPE).
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for m in repaired:
        labels[m.text][m.label] += 1
    named = []
    for m in repaired:
        (top, top_count), *rest = labels[m.text].most_common()
        if top != m.label and m.rule == "as written" and (not rest or top_count > rest[0][1]):
            m = replace(m, label=top, rule="majority label in the article")
        named.append(m if m.entity else replace(m, entity=_base_name(m, places)))
    merged = _merge_short_forms(text, named + _untagged_people(text, named, recased))
    return sorted((_with_country(m, places, aliases, demonyms) for m in merged), key=lambda m: m.start)


def _full_names_by_tail(people: Iterable[str]) -> dict[str, set[str]]:
    """Full names (two words or more) by each of their casefolded tails: "Marieke de Vries" under
    "vries" and "de vries"; never under a one-letter or roman-numeral word ("Henry III")."""
    by_tail: dict[str, set[str]] = defaultdict(set)
    for name in people:
        words = name.split()
        for size in range(1, len(words)):
            tail = words[-size:]
            if not _WEAK_NAME.match(tail[0]) and not _WEAK_NAME.match(tail[-1]):
                by_tail[" ".join(tail).casefold()].add(name)
    return by_tail


COUNTRY_LABELS = frozenset({"GPE", "LOC", "FAC", "NORP", "ORG"})


def _with_country(mention: Mention, places: Gazetteer, aliases: dict[str, tuple[str, str]],
                  demonyms: dict[str, str]) -> Mention:
    """The country of a place, nationality or national body: from the demonym table ("Russian",
    "Kremlin"), the gazetteer ("Kyiv"), or a body named after its country ("Japanese Finance Ministry")."""
    if mention.label not in COUNTRY_LABELS or mention.country:
        return mention
    country = demonyms.get(mention.text) or demonyms.get(mention.entity)
    if not country and mention.label != "ORG" and mention.label != "NORP":
        country = places.country_of(mention.entity) or places.country_of(mention.text)
    if not country and mention.label == "ORG" and set(mention.text.split()) & GOVERNMENT_HEADS:
        first = mention.text.split()[0]
        country = demonyms.get(first) or (aliases[first][0] if aliases.get(first, ("", ""))[1] == "GPE"
                                          else places.country_of(first) if places.is_country(first) else None)
    if not country:
        return mention
    return replace(mention, country=aliases.get(country, (country, ""))[0])


_NAME_RUN = r"[A-Z][\w.'&-]*(?: [A-Z][\w.'&-]*){0,3}"
# Match results ("Leeds 2 Hull City 1", "Leeds v Hull City") and league-table rows (a name, five or
# more small numbers): the names on such lines are teams.
_RESULT_LINES = (
    re.compile(rf"^({_NAME_RUN}) \d{{1,2}} ({_NAME_RUN}) \d{{1,2}}[ .]*$", re.MULTILINE),
    re.compile(rf"^({_NAME_RUN}) v ({_NAME_RUN})[ .]*$", re.MULTILINE),
    re.compile(rf"^({_NAME_RUN})(?: \d{{1,3}}){{5,}}[ .]*$", re.MULTILINE),
)


def _teams_in_results(text: str, mentions: list[Mention]) -> list[Mention]:
    """Names in match results and league tables are teams (organisations), even when named after a place;
    the article's other mentions of the same team follow them."""
    spans = [match.span(group) for pattern in _RESULT_LINES for match in pattern.finditer(text)
             for group in range(1, pattern.groups + 1)]
    if not spans:
        return mentions
    taken = [(m.start, m.end) for m in mentions]
    untagged = [Mention(a, b, text[a:b], "ORG", text[a:b], "team in a results line") for a, b in spans
                if not any(start < b and a < end for start, end in taken)]
    teams = {text[a:b] for a, b in spans}
    return [replace(m, label="ORG", rule="team in a results line")
            if m.text in teams and m.label != "ORG" and m.rule != "alias table" else m for m in mentions] + untagged


def _untagged_people(text: str, mentions: list[Mention], recased: Sequence[tuple[int, int]] = ()) -> list[Mention]:
    """Mentions the model missed of a person the article names in full (its full name or surname alone).

    A surname counts only as a whole word that is not part of a longer name: "Andrew" in "Andrew Blades"
    or "Carlos" in "Carlos Secretario" is someone else, so a capitalised word beside it (other than a
    title) rules it out. One-letter and roman-numeral words never count. Longer names claim their
    matches first; a match overlapping a mention already there is left out.
    """
    people = {m.entity for m in mentions if m.label == "PERSON" and " " in m.entity}
    surnames = Counter(name.split()[-1] for name in people)
    taken = bytearray(len(text))  # 1 where a mention already lies: an overlap test costs the match, not the mentions
    for m in mentions:
        taken[m.start:m.end] = b"\x01" * (m.end - m.start)
    forms: dict[str, list[str]] = {}
    for name in people:
        surname = name.split()[-1]
        forms[name] = [name] + ([surname] if surnames[surname] == 1 and not _WEAK_NAME.match(surname) else [])
    ends = _word_ends(text, {_last_word(form) for group in forms.values() for form in group} - {""})
    capitals = sorted(recased)
    found = []
    for name in sorted(people, key=len, reverse=True):
        for start, end in _matches(text, forms[name], ends):
            if taken.find(1, start, end) >= 0:
                continue
            if text[start:end] != name and not _inside(capitals, start) and _inside_longer_name(text, start, end):
                continue
            taken[start:end] = b"\x01" * (end - start)
            found.append(Mention(start, end, text[start:end], "PERSON", name,
                                 "untagged mention of a name in the article"))
    return found


def _inside(spans: list[tuple[int, int]], at: int) -> bool:
    """Whether `at` falls inside one of the sorted, disjoint `spans`."""
    index = bisect.bisect_right(spans, (at, float("inf"))) - 1
    return index >= 0 and at < spans[index][1]


_WORD_RUN = re.compile(r"\w+")


def _last_word(form: str) -> str:
    """The form's last run of word characters when it begins and ends with one, else "" (no shortcut)."""
    words = _WORD_RUN.findall(form)
    return words[-1] if words and _WORD_RUN.match(form) and _WORD_RUN.match(form[-1]) else ""


def _word_ends(text: str, words: set[str]) -> dict[str, list[int]]:
    """Where each of `words` ends as a whole run of word characters in the text, in one pass."""
    ends: dict[str, list[int]] = defaultdict(list)
    for match in _WORD_RUN.finditer(text):
        if match.group(0) in words:
            ends[match.group(0)].append(match.end())
    return ends


def _matches(text: str, forms: list[str], ends: dict[str, list[int]]) -> list[tuple[int, int]]:
    """The spans `re.finditer(r"\b(?:form|...)\b", text)` gives, from the forms' last-word positions.

    A form that starts and ends with a word character matches as a whole word exactly where its last
    word ends and the text before holds the rest of it after a non-word character: found with lookups
    instead of one scan of the text a name. Other forms fall back to the scan.
    """
    if not all(_last_word(form) for form in forms):
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, forms)) + r")\b")
        return [match.span() for match in pattern.finditer(text)]
    candidates = []
    for rank, form in enumerate(forms):
        for end in ends.get(_last_word(form), ()):
            start = end - len(form)
            if start >= 0 and text.startswith(form, start) and (start == 0 or not _WORD_RUN.match(text[start - 1])):
                candidates.append((start, rank, end))
    spans, reached = [], 0
    for start, _, end in sorted(candidates):
        if start >= reached:  # finditer resumes after each match: an overlapping later candidate is never tried
            spans.append((start, end))
            reached = end
    return spans


_WORD_BEFORE = re.compile(r"([A-Za-z][\w'.-]*)[ -]$")
_WORD_AFTER = re.compile(r"^[ -]([A-Za-z][\w'-]*)")


_SENTENCE_END = re.compile(r"[A-Za-z]*[a-z][A-Za-z]\.")  # "Union." or "Jakarta." (not "F." or "U.S.")


def _inside_longer_name(text: str, start: int, end: int) -> bool:
    """Whether the word(s) at start:end sit beside another capitalised word (not a title) on the same line.

    A word before that ends a sentence ("... in Jakarta. Djamal told reporters") is no part of the name;
    an initial or an abbreviation with no lower-case letter before its period ("John F. Kennedy") may be.
    """
    before = _WORD_BEFORE.search(text[max(0, start - 30):start])
    after = _WORD_AFTER.match(text[end:end + 30])
    capitalised_before = (before is not None and before.group(1)[0].isupper() and not _is_title(before.group(1))
                          and not _SENTENCE_END.fullmatch(before.group(1)))
    capitalised_after = after is not None and after.group(1)[0].isupper()
    return capitalised_before or capitalised_after


def _base_name(mention: Mention, places: Gazetteer) -> str:
    if mention.label == "ORG":
        return _strip_corporate_suffix(mention.text)
    if mention.label in {"GPE", "LOC", "FAC"}:
        return places.with_article.get(mention.text, mention.text)  # "Hague" -> "The Hague"
    return mention.text


def _is_company_long_form(name: str) -> bool:
    """A first word followed by company words only ("Apple Computer Inc")."""
    return all(word.rstrip(",.") in COMPANY_WORDS or word in COMPANY_WORDS for word in name.split()[1:])


def _initials(name: str) -> str:
    """"Central Intelligence Agency" -> "CIA"; "General Agreement on Tariffs and Trade" -> "GATT"."""
    return "".join(word[0] for word in name.split() if word[:1].isupper())


def _merge_short_forms(text: str, mentions: list[Mention]) -> list[Mention]:
    """An ORG's first word or bracketed acronym takes the full name used in the same article."""
    orgs = {m.entity for m in mentions if m.label == "ORG"}
    by_first_word: dict[str, set[str]] = defaultdict(set)
    for name in orgs:
        if len(name.split()) > 1 and _is_company_long_form(name):
            by_first_word[name.split()[0]].add(name)
    acronyms: dict[str, str] = {}
    initials: dict[str, set[str]] = defaultdict(set)
    for name in orgs:
        if len(name.split()) > 2 and len(_initials(name)) > 2:
            initials[_initials(name)].add(name)
    for m in mentions:
        follows = re.match(r"\s*\(([A-Z][A-Z0-9&.-]{1,9})\)", text[m.end:m.end + 14])
        if m.label == "ORG" and follows and len(m.entity.split()) > 1:
            acronyms[follows.group(1)] = m.entity
    merged = []
    for m in mentions:
        if m.label == "ORG" and m.entity in acronyms:
            m = replace(m, entity=acronyms[m.entity], rule="acronym given in brackets")
        elif m.label == "ORG" and m.entity.isupper() and len(initials.get(m.entity, ())) == 1:
            m = replace(m, entity=next(iter(initials[m.entity])), rule="initials of a name in the article")
        elif (m.label in {"ORG", "PERSON"} and m.entity == m.text and " " not in m.text
              and len(by_first_word.get(m.entity, ())) == 1):
            m = replace(m, label="ORG", entity=next(iter(by_first_word[m.entity])),
                        rule="short form of a name in the article")
        elif m.label == "ORG" and m.entity == _strip_corporate_suffix(m.text) != m.text:  # "Standard Oil Co"
            m = replace(m, rule="corporate suffix stripped")
        merged.append(m)
    return merged


# --- across a corpus ------------------------------------------------------------------------------------

RELATED_SHARED_ENTITIES = 2  # other entities two articles must share to be about the same story
RELATED_DAYS = 3  # ... or, with one shared entity, days apart at most


def resolve_corpus(entities: pd.DataFrame) -> pd.DataFrame:
    """Short names take the full name a related article gives them: surnames, then organisations."""
    return resolve_corpus_steps(entities)[1]


NAME_COLUMNS = ["entity", "label", "rule"]  # what the corpus steps change in a mention
CORPUS_STEP_COLUMNS = ["article_id", "published", *NAME_COLUMNS]  # ... and what they read


def resolve_corpus_steps(entities: pd.DataFrame, previous: pd.DataFrame | None = None
                         ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both corpus steps: the mentions after surnames, and after organisations too.

    `previous` (aligned with `entities`' rows) holds what a run over some of these articles gave:
    `surname_entity, surname_label, surname_rule` after the surnames, `entity, label, rule` at the end,
    NA in the rows of articles it did not hold (the new ones). Then only the short names that the new
    articles (and the articles whose names changed) touch are resolved again, over the whole corpus,
    and every other mention keeps its previous names: the same frames as a run over everything,
    at the cost of the new articles' names.

    The steps work on the columns they read (`CORPUS_STEP_COLUMNS`), so that the mentions of a large
    corpus are never copied whole; the mentions then take back the names they give.
    """
    after_surnames, after = _corpus_names(entities[CORPUS_STEP_COLUMNS], previous)
    return (entities.assign(**{c: after_surnames[c] for c in NAME_COLUMNS}),
            entities.assign(**{c: after[c] for c in NAME_COLUMNS}))


def _corpus_names(entities: pd.DataFrame, previous: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`resolve_corpus_steps` on the columns the steps read."""
    if previous is None:
        after_surnames = _surnames_across_articles(entities)
        return after_surnames, _organisations_across_articles(after_surnames)
    new = previous["entity"].isna().to_numpy()
    touched = _short_keys(entities[new], labels=None)
    redo = new | entities["entity"].isin(touched).to_numpy()
    before = previous[["surname_" + c for c in NAME_COLUMNS]].set_axis(NAME_COLUMNS, axis=1)
    after_surnames = _merged(entities, before, _surnames_across_articles(entities, only=touched), redo)
    differs = ~new & (after_surnames["entity"].ne(before["entity"]) | after_surnames["label"].ne(before["label"])
                      ).fillna(False).to_numpy()
    changed = set(entities.loc[new | differs, "article_id"])
    in_changed = entities["article_id"].isin(changed).to_numpy()
    keys = _short_keys(after_surnames[in_changed], labels={"ORG"})
    redo = in_changed | after_surnames["entity"].isin(keys).to_numpy()
    final = _merged(after_surnames, previous[NAME_COLUMNS],
                    _organisations_across_articles(after_surnames, only=keys), redo)
    return after_surnames, final


def _merged(entities: pd.DataFrame, previous: pd.DataFrame, redone: pd.DataFrame, redo: np.ndarray) -> pd.DataFrame:
    """`entities` with `redone`'s names in the rows to redo and `previous`' names in the others."""
    out = entities.copy()
    for column in NAME_COLUMNS:
        values = previous[column].astype(entities[column].dtype).to_numpy(copy=True)
        values[redo] = redone[column].to_numpy()[redo]
        out[column] = pd.Series(values, index=out.index).astype(entities[column].dtype)
    return out


def _short_keys(entities: pd.DataFrame, labels: set[str] | None) -> set[str]:
    """Every short name a corpus step could resolve in these mentions: one-word names, the surnames of
    full names, and the first word and initials of longer names (of `labels` only, when given)."""
    names = entities["entity"] if labels is None else entities.loc[entities["label"].isin(labels), "entity"]
    keys: set[str] = set()
    for name in names.dropna().unique().tolist():
        words = name.split()
        keys.update((words[0], words[-1], _initials(name)) if len(words) > 1 else (name,))
    return keys


def _surnames_across_articles(entities: pd.DataFrame, *, only: set[str] | None = None) -> pd.DataFrame:
    """A surname alone becomes the full name another article gives it, on two kinds of evidence.

    The corpus uses exactly one full name with that surname, and the surname's article is related to an
    article that names the person in full: they share two other entities, or one and were published
    within three days. Never for one-letter or roman-numeral words. A surname the model tagged ORG, GPE
    or NORP joins too (as PERSON) unless the gazetteer knows it as a place. `only`: resolve these
    surnames alone (the others stay as they are).
    """
    people = entities[entities["label"] == "PERSON"]
    full = people[people["entity"].str.contains(" ", regex=False)]
    if full.empty:
        return entities
    surname = full["entity"].str.split().str[-1]
    names_by_surname: dict[str, set[str]] = defaultdict(set)
    for last, name in zip(surname, full["entity"]):
        if only is None or last in only:
            names_by_surname[last].add(name)
    targets = {s: next(iter(n)) for s, n in names_by_surname.items() if len(n) == 1 and not _WEAK_NAME.match(s)}
    single = ~entities["entity"].str.contains(" ", regex=False)
    candidates = entities[single & entities["entity"].isin(list(targets))
                          & (entities["label"].eq("PERSON") | entities["label"].isin(["ORG", "GPE", "NORP"]))]
    if candidates.empty:
        return entities
    if not candidates["label"].eq("PERSON").all():  # the gazetteer takes most of a second to load: only when needed
        places = gazetteer()
        candidates = candidates[[label == "PERSON" or not places.is_place(name)
                                 for label, name in zip(candidates["label"], candidates["entity"])]]
    if candidates.empty:
        return entities
    # only the articles that matter: the candidates' (their first names) and those naming a target in full
    full = full[full["article_id"].isin(set(candidates["article_id"])) | full["entity"].isin(set(targets.values()))]
    names_in, published = _article_names_and_dates(entities, set(candidates["article_id"]) | set(full["article_id"]))
    articles_naming: dict[str, set[str]] = defaultdict(set)
    first_names: dict[str, set[str]] = defaultdict(set)  # per article: a surname that is also a first name is ambiguous
    for article_id, name in zip(full["article_id"].tolist(), full["entity"].tolist()):
        articles_naming[name].add(article_id)
        first_names[article_id].add(name.split()[0])
    resolved = {}
    for (article_id, short), rows in _rows_by_article_and_name(candidates).items():
        name = targets[short]
        if short in first_names[article_id]:
            continue
        if any(_related(article_id, other, {short, name}, names_in, published) for other in articles_naming[name]):
            resolved.update(dict.fromkeys(rows, name))
    del names_in, published, articles_naming, first_names  # a large corpus's sets, freed before the renamed copy
    return _renamed(entities, resolved, "surname of a full name in the corpus", label="PERSON")


def _rows_by_article_and_name(frame: pd.DataFrame) -> dict[tuple[str, str], list]:
    """Row labels of `frame` grouped by (article_id, entity), in plain Python (faster than groupby here)."""
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for index, article_id, name in zip(frame.index, frame["article_id"].tolist(), frame["entity"].tolist()):
        groups[(article_id, name)].append(index)
    return groups


def _article_names_and_dates(entities: pd.DataFrame, articles: set[str]) -> tuple[dict[str, set[str]], dict]:
    """Each of `articles`' set of entity names, and its publication date. Built on the columns' codes, so a
    large corpus makes one Python object a distinct name and article, not one a mention."""
    held = entities["article_id"].isin(articles).to_numpy()
    article_codes, article_ids = pd.factorize(entities["article_id"], use_na_sentinel=False)
    name_codes, names = pd.factorize(entities["entity"], use_na_sentinel=False)
    width = max(len(names), 1)
    pairs = np.unique(article_codes[held].astype(np.int64) * width + name_codes[held])  # each once, by article
    of_article, of_name = np.divmod(pairs, width)
    starts = np.flatnonzero(np.r_[True, of_article[1:] != of_article[:-1]]) if len(pairs) else pairs
    ends = np.r_[starts[1:], len(pairs)]
    ids = article_ids.tolist()
    held_ids = [ids[code] for code in of_article[starts].tolist()]
    name_objects = np.array(names.tolist(), dtype=object)
    names_in: dict[str, set[str]] = defaultdict(set, {
        article_id: set(name_objects[of_name[start:end]].tolist())
        for article_id, start, end in zip(held_ids, starts.tolist(), ends.tolist())})
    first_rows = np.unique(article_codes, return_index=True)[1][of_article[starts]]
    return names_in, dict(zip(held_ids, entities["published"].iloc[first_rows].tolist()))


def _renamed(entities: pd.DataFrame, names: dict, rule: str, *, label: str | None = None) -> pd.DataFrame:
    """`entities` with the rows of `names` (index -> new entity) renamed, in one assignment."""
    if not names:
        return entities
    entities = entities.copy()
    index = list(names)
    entities.loc[index, "entity"] = pd.Series(names, dtype=entities["entity"].dtype)
    entities.loc[index, "rule"] = rule
    if label is not None:
        entities.loc[index, "label"] = label
    return entities


def _organisations_across_articles(entities: pd.DataFrame, *, only: set[str] | None = None) -> pd.DataFrame:
    """A one-word organisation takes the one longer name the corpus gives it in a related article: its
    name plus company words ("Apple" -> "Apple Computer") or, for an acronym, the name it abbreviates
    ("CIA" -> "Central Intelligence Agency"). `only`: resolve these short names alone."""
    orgs = entities[entities["label"] == "ORG"]
    long_names = set(orgs.loc[orgs["entity"].str.contains(" ", regex=False), "entity"])
    expansions: dict[str, set[str]] = defaultdict(set)
    for name in long_names:
        if _is_company_long_form(name):
            expansions[name.split()[0]].add(name)
        if len(name.split()) > 2 and len(_initials(name)) > 2:
            expansions[_initials(name)].add(name)
    targets = {short: next(iter(names)) for short, names in expansions.items()
               if len(names) == 1 and (only is None or short in only)}
    candidates = orgs[orgs["entity"].isin(list(targets))]
    if candidates.empty:
        return entities
    orgs = orgs[orgs["entity"].isin(set(targets.values()))]  # the articles naming a target in full
    names_in, published = _article_names_and_dates(entities, set(candidates["article_id"]) | set(orgs["article_id"]))
    articles_naming: dict[str, set[str]] = defaultdict(set)
    for article_id, name in zip(orgs["article_id"].tolist(), orgs["entity"].tolist()):
        articles_naming[name].add(article_id)
    resolved = {}
    for (article_id, short), rows in _rows_by_article_and_name(candidates).items():
        name = targets[short]
        if any(_related(article_id, other, {short, name}, names_in, published) for other in articles_naming[name]):
            resolved.update(dict.fromkeys(rows, name))
    del names_in, published, articles_naming  # a large corpus's sets, freed before the renamed copy
    return _renamed(entities, resolved, "short name of an organisation in the corpus")


def _related(first: str, second: str, person: set[str], names_in: dict[str, set[str]], published: dict) -> bool:
    """Whether two articles tell the same story: other entities in common, or one in common and close in time."""
    if first == second:
        return True
    if names_in[first].isdisjoint(names_in[second]):
        return False
    shared = len((names_in[first] & names_in[second]) - person)
    days = abs((published[first] - published[second]).days) if pd.notna(published[first]) and pd.notna(
        published[second]) else None
    return shared >= RELATED_SHARED_ENTITIES or (shared >= 1 and days is not None and days <= RELATED_DAYS)


# --- the stage ----------------------------------------------------------------------------------------

def default_aliases() -> pd.DataFrame:
    """The alias table the toolkit ships (`toolkit/data/aliases.csv`): edit a copy and pass it as `aliases`."""
    with resources.files("toolkit").joinpath("data/aliases.csv").open(encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype="string", keep_default_na=False)


def _alias_map(aliases: pd.DataFrame | None) -> dict[str, tuple[str, str]]:
    table = default_aliases() if aliases is None else pd.concat([default_aliases(), aliases], ignore_index=True)
    table = table.drop_duplicates("alias", keep="last")
    labels = table["label"] if "label" in table else pd.Series("", index=table.index)
    return {str(a): (str(e), str(l or "")) for a, e, l in zip(table["alias"], table["entity"], labels.fillna(""))}


def default_demonyms() -> pd.DataFrame:
    """The demonym table the toolkit ships (`toolkit/data/demonyms.csv`: `name, country`): nationalities and
    national bodies with their country ("Russian", "Kremlin" -> Russia). Pass your own rows as `demonyms`."""
    with resources.files("toolkit").joinpath("data/demonyms.csv").open(encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype="string", keep_default_na=False)


def _demonym_map(demonyms: pd.DataFrame | None) -> dict[str, str]:
    table = default_demonyms() if demonyms is None else pd.concat([default_demonyms(), demonyms], ignore_index=True)
    table = table.drop_duplicates("name", keep="last")
    return {str(name): str(country) for name, country in zip(table["name"], table["country"]) if str(country)}


def tag_articles(
    articles: pd.DataFrame, sentences: pd.DataFrame, *, aliases: pd.DataFrame | None = None,
    demonyms: pd.DataFrame | None = None, model: str | None = None, batch_size: int = 64,
) -> pd.DataFrame:
    """Each article's mentions, which depend on that article alone (so any chunking gives the same rows).

    `model`: the spaCy pipeline to tag with (an installed package name or a saved pipeline's folder;
    default: the small English model)."""
    alias_map = _alias_map(aliases)
    demonym_map = _demonym_map(demonyms)
    # Each article's sentences (starts, ends, ids, compounds) as plain lists: a pandas groupby over the string
    # ids cost 0.24 s of CPU per 1,000 Reuters articles, as much as resolving their mentions.
    by_article: dict[str, tuple[list[int], list[int], list[int], list[float]]] = {}
    for aid, start, end, sentence_id, compound in zip(*(sentences[c].tolist() for c in (
            "article_id", "start", "end", "sentence_id", "compound"))):
        starts, ends, ids, compounds = by_article.setdefault(aid, ([], [], [], []))
        starts.append(start)
        ends.append(end)
        ids.append(sentence_id)
        compounds.append(compound)
    rows = []
    texts = articles["text"].tolist()
    keep = frozenset(alias_map)
    recased = [recase_headlines(text, keep) for text in texts]
    for (article_id, text, as_tagged, published), raw in zip(
        zip(articles["article_id"], texts, recased, articles["published"]),
        spacy_mentions(recased, batch_size=batch_size, model=model),
    ):
        if article_id not in by_article:
            continue
        starts, ends, ids, compounds = by_article[article_id]
        for m in resolve_article(as_tagged, raw, alias_map, demonym_map, recased=caps_lines(text)):
            at = bisect.bisect_right(starts, m.start) - 1
            if at < 0 or m.start >= ends[at]:
                continue  # between sentences: only whitespace can lie there
            end = min(m.end, ends[at])
            rows.append((article_id, ids[at], m.start, end, text[m.start:end], m.label, m.entity, m.rule,
                         m.country, compounds[at], published))
    return pd.DataFrame(rows, columns=TAG_COLUMNS).astype({
        "article_id": "string", "sentence_id": "int64", "start": "int64", "end": "int64", "text": "string",
        "label": "string", "entity": "string", "rule": "string", "country": "string", "compound": "float64",
        "published": "datetime64[ns]",
    })


def tag(
    articles: pd.DataFrame, sentences: pd.DataFrame, *, aliases: pd.DataFrame | None = None,
    demonyms: pd.DataFrame | None = None, model: str | None = None, batch_size: int = 64,
) -> pd.DataFrame:
    """Tag stage: one row a name mention, inside its sentence, with label, canonical `entity`, `rule` and `country`."""
    return resolve_corpus(tag_articles(articles, sentences, aliases=aliases, demonyms=demonyms, model=model,
                                       batch_size=batch_size))

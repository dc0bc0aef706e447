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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

import pandas as pd

from toolkit.gazetteer import Gazetteer, gazetteer
from toolkit.nlp import ner_pipeline

NAME_LABELS = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)
ENTITY_COLUMNS = [
    "article_id", "sentence_id", "start", "end", "text", "label", "entity", "rule", "compound", "published",
]
ALIAS_COLUMNS = ["alias", "entity", "label"]

TITLES = frozenset("""
President Vice Prime Minister Secretary Chancellor Premier King Queen Prince Princess Pope Mr Mrs Ms Dr
Sir Dame Lord Lady Judge Justice Sen Senator Rep Representative Gov Governor General Gen Adm Admiral Col
Colonel Lt Captain Capt Chairman Chairwoman Chair Chief Executive Director Ambassador Mayor Commissioner
Treasury Foreign Defence Defense Finance Trade State Energy Agriculture Commerce Labor Interior Deputy
Assistant Under Acting Former Spokesman Spokeswoman Professor Prof Father Rev Ayatollah Sheikh
""".split())
GOVERNMENT_HEADS = frozenset("""
Department Ministry Office Agency Embassy Army Navy Force Forces Congress Senate House Treasury Government
Administration Commission Court Military Guard Customs Bureau Council Parliament Cabinet Marines
""".split())
CORPORATE_SUFFIXES = ("Inc", "Inc.", "Corp", "Corp.", "Co", "Co.", "Ltd", "Ltd.", "Plc", "PLC", "plc", "LLC")
_POSSESSIVE = re.compile(r"(?:['\u2019]s|s['\u2019])$")
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
_CHUNK = 100_000  # spaCy needs about 1 GB per 100,000 characters: longer texts go in pieces


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    label: str
    entity: str = ""
    rule: str = "as written"


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


def spacy_mentions(texts: Sequence[str], *, batch_size: int = 64) -> Iterator[list[Mention]]:
    """Raw name mentions per text, as spaCy's NER (the only component run) finds them."""
    nlp = ner_pipeline()
    pieces: list[tuple[int, int, str]] = []
    for index, text in enumerate(texts):
        pieces += [(index, offset, chunk) for offset, chunk in _chunks(text)]
    found: dict[int, list[Mention]] = defaultdict(list)
    docs = nlp.pipe((chunk for _, _, chunk in pieces), batch_size=batch_size)
    for (index, offset, _), doc in zip(pieces, docs):
        found[index] += [
            Mention(offset + ent.start_char, offset + ent.end_char, ent.text, ent.label_)
            for ent in doc.ents if ent.label_ in NAME_LABELS
        ]
    for index in range(len(texts)):
        yield found.get(index, [])


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


def recase_headlines(text: str, keep: frozenset[str] = frozenset()) -> str:
    """ALL-CAPS lines (headlines, datelines, results tables) in the casing the model was trained on.

    Each word takes the casing the article itself gives it elsewhere; words it never writes otherwise are
    lower-case when they are common English words, as written when in `keep` (aliases such as "US"), and
    capitalised otherwise. Every word keeps its length, so offsets into the result are offsets into `text`.
    """
    caps = [match.span() for match in _CAPS_LINE.finditer(text)]
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
        return new if len(new) == len(word) else word

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
    possessive = _POSSESSIVE.search(text[start:end])
    if possessive and end - start > 2:
        end -= len(possessive.group(0)) - (1 if possessive.group(0).startswith("s") else 0)
    article = _LEADING_ARTICLE.match(text[start:end])
    if article and end - start > article.end():
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
    end = mention.start + (mention.text.index(words[-1]) + len(words[-1]) if words else 0)
    return replace(mention, end=end, text=text[mention.start:end])


def _with_capital_the(text: str, mention: Mention) -> Mention:
    """"The Guardian" mid-sentence: a capitalised "The" that does not open a sentence is part of the name."""
    if mention.label not in {"ORG", "WORK_OF_ART"} or text[max(0, mention.start - 4):mention.start] != "The ":
        return mention
    if mention.text.isupper():
        return mention  # "The NYSE": an acronym does not take "The"
    before = text[:mention.start - 4].rstrip().rstrip("\"'\u201d\u2019")
    if not before or before[-1] in ".!?":
        return mention
    return replace(mention, start=mention.start - 4, text=text[mention.start - 4:mention.end])


def _strip_titles(text: str, mention: Mention) -> Mention:
    words = mention.text.split()
    dropped = 0
    while len(words) - dropped > 1 and words[dropped].rstrip(".") in TITLES:
        dropped += 1
    if not dropped:
        return mention
    start = mention.start + mention.text.index(words[dropped])
    return replace(mention, start=start, text=text[start:mention.end], rule="title stripped")


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
            return [
                Mention(mention.start, mention.start + len(prefix), prefix, "GPE", rule="country split from body"),
                Mention(rest_start, mention.end, text[rest_start:mention.end], mention.label,
                        rule="country split from body"),
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


def _strip_corporate_suffix(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[-1].rstrip(",") in CORPORATE_SUFFIXES:
        words.pop()
    return " ".join(words).rstrip(",")


def resolve_article(text: str, mentions: list[Mention], aliases: dict[str, tuple[str, str]]) -> list[Mention]:
    """Repair labels and give every mention of one article its canonical name."""
    places = gazetteer()
    cleaned: list[Mention] = []
    for whole in mentions:
        for mention in _split_at_separators(text, whole):
            mention = _with_capital_the(text, _trim(text, _without_wire_terms(text, mention)))
            if mention.label == "PERSON":
                mention = _strip_titles(text, mention)
            if mention.text and any(ch.isupper() for ch in mention.text):
                cleaned += _split_country_prefix(text, mention, places, aliases)

    # Full names the article itself uses, by surname.
    full_names: dict[str, set[str]] = defaultdict(set)
    for m in cleaned:
        if m.label == "PERSON" and len(m.text.split()) >= 2:
            full_names[m.text.split()[-1]].add(m.text)

    repaired = []
    for m in cleaned:
        owners = full_names.get(m.text, set())
        if m.text in aliases:
            entity, label = aliases[m.text]
            m = replace(m, entity=entity, label=label or m.label, rule="alias table")
        elif m.label in {"PERSON", "ORG", "GPE", "NORP"} and len(owners) == 1 and not places.is_country(m.text):
            m = replace(m, label="PERSON", entity=next(iter(owners)), rule="surname of a full name in the article")
        elif m.label in {"PERSON", "ORG"} and places.is_place(m.text):
            m = replace(m, label="GPE", rule="gazetteer place")
        elif m.label == "PERSON" and len(m.text.split()) > 1 and m.text.split()[-1] in ORG_HEADS:
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
        named.append(m if m.entity else replace(m, entity=_base_name(m)))
    return sorted(_merge_short_forms(text, named + _untagged_people(text, named)), key=lambda m: m.start)


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


def _untagged_people(text: str, mentions: list[Mention]) -> list[Mention]:
    """Mentions the model missed of a person the article names in full (its full name or surname alone)."""
    people = {m.entity for m in mentions if m.label == "PERSON" and " " in m.entity}
    surnames = Counter(name.split()[-1] for name in people)
    taken = [(m.start, m.end) for m in mentions]
    found = []
    for name in sorted(people, key=len, reverse=True):
        surname = name.split()[-1]
        forms = [name] + ([surname] if surnames[surname] == 1 else [])
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, forms)) + r")\b")
        for match in pattern.finditer(text):
            if not any(start < match.end() and match.start() < end for start, end in taken):
                taken.append(match.span())
                found.append(Mention(match.start(), match.end(), match.group(0), "PERSON", name,
                                     "untagged mention of a name in the article"))
    return found


def _base_name(mention: Mention) -> str:
    return _strip_corporate_suffix(mention.text) if mention.label == "ORG" else mention.text


def _merge_short_forms(text: str, mentions: list[Mention]) -> list[Mention]:
    """An ORG's first word or bracketed acronym takes the full name used in the same article."""
    orgs = {m.entity for m in mentions if m.label == "ORG"}
    by_first_word: dict[str, set[str]] = defaultdict(set)
    for name in orgs:
        if len(name.split()) > 1:
            by_first_word[name.split()[0]].add(name)
    acronyms: dict[str, str] = {}
    for m in mentions:
        follows = re.match(r"\s*\(([A-Z][A-Z0-9&.-]{1,9})\)", text[m.end:m.end + 14])
        if m.label == "ORG" and follows and len(m.entity.split()) > 1:
            acronyms[follows.group(1)] = m.entity
    merged = []
    for m in mentions:
        if m.label == "ORG" and m.entity in acronyms:
            m = replace(m, entity=acronyms[m.entity], rule="acronym given in brackets")
        elif m.label == "ORG" and len(by_first_word.get(m.entity, ())) == 1:
            m = replace(m, entity=next(iter(by_first_word[m.entity])), rule="short form of a name in the article")
        elif m.label == "ORG" and m.entity != _strip_corporate_suffix(m.entity):
            m = replace(m, rule="corporate suffix stripped")
        merged.append(m)
    return merged


# --- across a corpus ------------------------------------------------------------------------------------

def resolve_corpus(entities: pd.DataFrame) -> pd.DataFrame:
    """A surname alone becomes the one full name the corpus uses for it (when one name dominates)."""
    people = entities[entities["label"] == "PERSON"]
    full = people[people["entity"].str.contains(" ", regex=False)]
    if full.empty:
        return entities
    counts = full.groupby(full["entity"].str.split().str[-1])["entity"].value_counts()
    targets = {}
    for surname, group in counts.groupby(level=0):
        top = group.droplevel(0)
        if top.iloc[0] >= 0.8 * top.sum():
            targets[surname] = top.index[0]
    alone = (entities["label"] == "PERSON") & ~entities["entity"].str.contains(" ", regex=False)
    mapped = entities.loc[alone, "entity"].map(targets)
    hit = mapped.notna()
    index = mapped.index[hit]
    entities = entities.copy()
    entities.loc[index, "entity"] = mapped[hit].astype("string")
    entities.loc[index, "rule"] = "surname of a full name in the corpus"
    return entities


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


def tag_articles(
    articles: pd.DataFrame, sentences: pd.DataFrame, *, aliases: pd.DataFrame | None = None, batch_size: int = 64
) -> pd.DataFrame:
    """Each article's mentions, which depend on that article alone (so any chunking gives the same rows)."""
    alias_map = _alias_map(aliases)
    by_article = {aid: group for aid, group in sentences.groupby("article_id", sort=False)}
    rows = []
    texts = articles["text"].tolist()
    keep = frozenset(alias_map)
    recased = [recase_headlines(text, keep) for text in texts]
    for (article_id, text, as_tagged, published), raw in zip(
        zip(articles["article_id"], texts, recased, articles["published"]),
        spacy_mentions(recased, batch_size=batch_size),
    ):
        group = by_article.get(article_id)
        if group is None:
            continue
        starts, ends = group["start"].tolist(), group["end"].tolist()
        ids, compounds = group["sentence_id"].tolist(), group["compound"].tolist()
        for m in resolve_article(as_tagged, raw, alias_map):
            at = bisect.bisect_right(starts, m.start) - 1
            if at < 0 or m.start >= ends[at]:
                continue  # between sentences: only whitespace can lie there
            end = min(m.end, ends[at])
            rows.append((article_id, ids[at], m.start, end, text[m.start:end], m.label, m.entity, m.rule,
                         compounds[at], published))
    return pd.DataFrame(rows, columns=ENTITY_COLUMNS).astype({
        "article_id": "string", "sentence_id": "int64", "start": "int64", "end": "int64", "text": "string",
        "label": "string", "entity": "string", "rule": "string", "compound": "float64",
        "published": "datetime64[ns]",
    })


def tag(
    articles: pd.DataFrame, sentences: pd.DataFrame, *, aliases: pd.DataFrame | None = None, batch_size: int = 64
) -> pd.DataFrame:
    """Tag stage: one row a name mention, inside its sentence, with label, canonical `entity` and `rule`."""
    return resolve_corpus(tag_articles(articles, sentences, aliases=aliases, batch_size=batch_size))

"""Tone stage: the sentiment toward each entity mention, which can differ from its sentence's.

In "Trump praised Zelenskyy but attacked Putin" the sentence is mixed, the tone toward Putin negative.
A linear model scores each mention from features that need no parse, so a corpus of 160,000 mentions
costs seconds: the words of its clause and of a window on either side with the mention masked (the
other names in the sentence masked too, so a name carries no prior), VADER lexicon hits in that clause
and window (negated when a negation precedes them, weighted by distance), the sentence's own VADER
scores, whether the mention sits in a quotation, whether a contrast word ("but", "while") parts it
from the other names, the words next to those other names, what kind of thing the mention names
(its entity label: a place or an organisation is more often neutral than a person), whether it is the
speaker of a reporting verb ("X said") or opens its clause (the lexicon hits on each side crossed with
that role). Features are hashed, so the model is one weight matrix. Beside them, what the words mean: the
mean word vector of the words on each side of the mention (its window and its clause) and of the sentence,
from a table of static word vectors distilled from the all-MiniLM-L6-v2 sentence encoder (Apache-2.0;
`benchmarks/distil_tone_vectors.py`), so "lauded" reads like "praised" though training never saw it.
Trained on NewsMTSC (Hamborg & Donnay, EACL 2021; MIT) by `benchmarks/train_tone.py` (two linear models
combined), shipped as `data/tone_model.npz` and `data/tone_vectors.npz`, each loaded once per process and
applied with numpy alone.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from itertools import chain

import numpy as np
import pandas as pd

from toolkit.sentiment import analyzer, score_text

MODEL_FILE = "data/tone_model.npz"
VECTORS_FILE = "data/tone_vectors.npz"
TONES = ("negative", "neutral", "positive")  # the model's class order
HASH_BITS = 18
WINDOW = 6  # words on each side of the mention that count as its near context
NEAR = 3  # words on each side whose exact distance is a feature
NEGATION_REACH = 3  # a negation this many words back turns a lexicon word round
NEGATION_SCALE = -0.74  # VADER's own factor for a negated word
# Words and marks that close the clause a mention sits in: its context ends there.
CLAUSE_BREAKS = frozenset(",;:()[]—–") | frozenset("""
but while although though whereas however yet despite unlike because since after before when whom who
which than instead rather
""".split())
# Words that turn the tone between the names they separate ("praised X but attacked Y").
CONTRASTS = frozenset("but while although though whereas however yet despite unlike instead".split())
NEGATIONS = frozenset("""
not no never none nothing nobody neither nor without cannot n't nt hardly barely rarely seldom
""".split())
QUOTE_MARKS = frozenset('"“”')
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’\-.][A-Za-z0-9]+)*|\S")
TARGET, OTHER = "<T>", "<E>"
# The kind of thing a mention names, from its entity label: places and organisations are more often neutral.
# A nationality ("Russian") stands for its country, as the tag stage reads it.
KINDS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place", "FAC": "place", "NORP": "place",
         "PRODUCT": "thing", "EVENT": "thing", "WORK_OF_ART": "thing", "LAW": "thing", "LANGUAGE": "thing"}
# First words that make a mention a pronoun or a common noun phrase rather than a name (training targets have them).
PRONOUNS = frozenset("he she it they him her them his hers its their theirs i we us our you your my me".split())
DETERMINERS = frozenset("the a an this that these those".split())
STEM = 5  # words longer than this also count by their first STEM letters ("criticised", "criticism")


@lru_cache(maxsize=1)
def _reporting_forms() -> frozenset[str]:
    """Forms of the shipped reporting verbs ("said", "told", "warns"): a mention just before one is its speaker."""
    from toolkit.quotes import verb_forms

    return frozenset(verb_forms())


@dataclass(frozen=True)
class ToneModel:
    """A multinomial linear model over hashed features, a few numeric ones (`NUMERIC` order) and the mean word
    vectors (`DENSE` order, each as wide as the vector table)."""

    hashed: np.ndarray  # (2 ** HASH_BITS, 3)
    numeric: np.ndarray  # (len(NUMERIC), 3)
    dense: np.ndarray  # (len(DENSE) * vector width, 3)
    bias: np.ndarray  # (3,)

    @cached_property
    def projected(self) -> np.ndarray:
        """Each word's vector times the weights of each `DENSE` span, (words + 1, len(DENSE), 3): a span's mean
        of these is its mean vector times its weights, 3 numbers a word to sum rather than the vector's 64."""
        table = word_vectors().table
        return np.einsum("vw,gwc->vgc", table, self.dense.reshape(len(DENSE), table.shape[1], len(TONES)))


NUMERIC = (
    "sentence compound", "sentence neg", "sentence pos",
    "clause pos", "clause neg", "left pos", "left neg", "right pos", "right neg", "outside pos", "outside neg",
)
# The word spans whose mean word vector is a feature: the window and the clause on each side, the sentence.
DENSE = ("left window", "right window", "clause left", "clause right", "sentence")


@lru_cache(maxsize=1)
def model() -> ToneModel:
    """The shipped model, read once per process."""
    with resources.files("toolkit").joinpath(MODEL_FILE).open("rb") as handle, np.load(handle) as stored:
        hashed = np.zeros((2 ** HASH_BITS, len(TONES)), dtype=np.float32)
        hashed[stored["rows"]] = stored["weights"].astype(np.float32)
        return ToneModel(hashed, stored["numeric"].astype(np.float32), stored["dense"].astype(np.float32),
                         stored["bias"].astype(np.float32))


@dataclass(frozen=True)
class WordVectors:
    """Word -> row of `table`; its last row, all zeros, stands for every word it lacks (and for the names)."""

    rows: dict[str, int]
    table: np.ndarray  # (words + 1, width) float32


@lru_cache(maxsize=1)
def word_vectors() -> WordVectors:
    """The shipped word vectors, read once per process."""
    with resources.files("toolkit").joinpath(VECTORS_FILE).open("rb") as handle, np.load(handle) as stored:
        words = str(stored["words"]).split("\n")
        vectors = stored["vectors"].astype(np.float32)
    return WordVectors({w: i for i, w in enumerate(words)}, np.vstack([vectors, np.zeros((1, vectors.shape[1]),
                                                                                        dtype=np.float32)]))


class _Rows(dict[str, int]):
    """Feature -> its row in the weight matrix (CRC-32, stable across processes), memoised as words recur:
    a plain dict lookup, hashing only a feature not seen before."""

    def __missing__(self, feature: str) -> int:
        row = self[feature] = zlib.crc32(feature.encode()) & ((1 << HASH_BITS) - 1)
        return row


_ROWS = _Rows()
ROWS_KEPT = 1 << 20  # features memoised at most: the memo is emptied past this, so a corpus never grows it unbounded


@dataclass(frozen=True)
class Featurised:
    """One sentence's features: hashed ids it gives every mention, each mention's own ids and numbers, the
    word-vector row of each of its words, and the (start, end) word positions of each mention's `DENSE` spans,
    flat (start, end, start, end...: `len(DENSE)` pairs a mention) to be averaged a block of sentences at once."""

    shared: list[int]
    mentions: list[tuple[list[int], list[float]]]
    vector_rows: list[int]
    dense_spans: list[int]


@lru_cache(maxsize=1)
def _valences() -> dict[str, float]:
    return dict(analyzer("vader").lexicon)


def _units(text: str, spans: Sequence[tuple[int, int]]) -> tuple[list[str], list[int]]:
    """The sentence's words, lower-cased, with each mention collapsed into one unit; and where each mention is.

    Units of mentions are their index as a string prefixed by a NUL, so they never equal a word.
    """
    units: list[str] = []
    where = [-1] * len(spans)
    order = sorted(range(len(spans)), key=lambda i: spans[i][0])
    pointer = 0
    lowered = text.lower().replace("’", "'")  # once for the sentence rather than once a word
    if len(lowered) != len(text):  # a letter whose lower case is longer ("İ") would shift the offsets
        lowered = "".join(c.lower()[:1] for c in text).replace("’", "'")
    for match in _TOKEN.finditer(lowered):
        start, end = match.span()
        while pointer < len(order) and spans[order[pointer]][1] <= start:
            pointer += 1
        if pointer < len(order) and spans[order[pointer]][0] < end:
            mention = order[pointer]
            if where[mention] < 0:
                where[mention] = len(units)
                units.append(f"\0{mention}")
            continue
        units.append(match.group())
    return units, where


def _lexicon(words: Sequence[str], valences: dict[str, float]) -> list[float]:
    """Each word's VADER valence, turned round when a negation stands up to `NEGATION_REACH` words before it."""
    out = []
    for at, word in enumerate(words):
        value = valences.get(word, 0.0)
        if value and any(w in NEGATIONS or w.endswith("n't") for w in words[max(0, at - NEGATION_REACH):at]):
            value *= NEGATION_SCALE
        out.append(value)
    return out


def sentence_features(text: str, spans: Sequence[tuple[int, int]], scores: Sequence[float],
                      labels: Sequence[str] | None = None) -> Featurised:
    """The features of each mention (`spans`, offsets into `text`); `scores`: the sentence's VADER compound, neg, pos;
    `labels`: each mention's entity label (PERSON, ORG, ...; "" or None for none).

    The sentence's own words (every mention masked alike) are shared by its mentions and hashed once.
    """
    valences = _valences()
    if len(_ROWS) > ROWS_KEPT:
        _ROWS.clear()
    rows = _ROWS
    reporting = _reporting_forms()
    units, where = _units(text, spans)
    words = [OTHER if u.startswith("\0") else u for u in units]
    values = _lexicon(words, valences)
    n = len(words)
    compound = scores[0]
    shared = [f"s|{w}" for w in words] + [f"s2|{a} {b}" for a, b in zip(words, words[1:])]
    shared.append(f"sc|{round(compound * 4)}")
    hits = [(i, value) for i, value in enumerate(values) if value]
    quote_marks = [i for i, w in enumerate(words) if w in QUOTE_MARKS]
    contrasts = [i for i, w in enumerate(words) if w in CONTRASTS]
    placed = sorted(i for i in where if i >= 0)
    out: list[tuple[list[int], list[float]]] = []
    dense_spans: list[int] = []
    for mention, at in enumerate(where):
        if at < 0:
            out.append(([], [compound, scores[1], scores[2]] + [0.0] * 8))
            dense_spans += [0] * (2 * len(DENSE))
            continue
        seq = words[:at] + [TARGET] + words[at + 1:]
        features = []
        for d in range(1, NEAR + 1):
            features.append(f"L{d}|{seq[at - d] if at - d >= 0 else '^'}")
            features.append(f"R{d}|{seq[at + d] if at + d < n else '$'}")
        features.append(f"LB|{seq[at - 2] if at >= 2 else '^'} {seq[at - 1] if at >= 1 else '^'}")
        features.append(f"RB|{seq[at + 1] if at + 1 < n else '$'} {seq[at + 2] if at + 2 < n else '$'}")
        features += [f"L|{w}" for w in seq[max(0, at - WINDOW):at]]
        features += [f"R|{w}" for w in seq[at + 1:at + 1 + WINDOW]]
        left = at
        while left > 0 and seq[left - 1] not in CLAUSE_BREAKS:
            left -= 1
        right = at + 1
        while right < n and seq[right] not in CLAUSE_BREAKS:
            right += 1
        clause = seq[left:right]
        features += [f"C|{w}" for w in clause]
        features += [f"CL|{w}" for w in seq[left:at]]
        features += [f"CR|{w}" for w in seq[at + 1:right]]
        features += [f"C2|{a} {b}" for a, b in zip(clause, clause[1:])]
        features.append(f"open|{seq[left - 1] if left > 0 else '^'}")
        if text.startswith(("'s", "’s"), spans[mention][1]):
            features.append("possessive")
        inside = sum(1 for q in quote_marks if q < at) % 2 == 1
        features.append(f"quote|{inside}")
        features.append(f"first|{at == placed[0]}")
        others = [p for p in placed if p != at]
        if others:
            parted = any(any(min(at, p) < c < max(at, p) for c in contrasts) for p in others)
            features.append(f"parted|{parted}|{'after' if any(c < at for c in contrasts) else 'before'}")
        near_pos = near_neg = left_pos = left_neg = right_pos = right_neg = out_pos = out_neg = 0.0
        for i, value in hits:
            if i == at:
                continue
            weight = 1.0 / (1.0 + abs(i - at) / WINDOW)
            if left <= i < right:
                if value > 0:
                    near_pos += value * weight
                    if i < at:
                        left_pos += value * weight
                    else:
                        right_pos += value * weight
                else:
                    near_neg -= value * weight
                    if i < at:
                        left_neg -= value * weight
                    else:
                        right_neg -= value * weight
            elif value > 0:
                out_pos += value * weight
            else:
                out_neg -= value * weight
        kind = KINDS.get(labels[mention], "none") if labels is not None else "none"
        words_of_mention = text[spans[mention][0]:spans[mention][1]].split()
        first_word = words_of_mention[0].lower() if words_of_mention else ""
        shape = ("pronoun" if first_word in PRONOUNS else "determiner" if first_word in DETERMINERS
                 else "lower" if first_word[:1].islower() else "name")
        lexicon_balance = round(max(-2.0, min(2.0, (near_pos - near_neg) / 2)))
        features += [f"kind|{kind}", f"kind sentence|{kind}|{round(compound * 2)}",
                     f"kind clause|{kind}|{lexicon_balance}", f"shape|{shape}",
                     f"shape sentence|{shape}|{round(compound * 2)}", f"words|{min(3, len(words_of_mention))}"]
        features += [f"C5|{w[:STEM]}" for w in clause if len(w) > STEM]
        features += [f"L5|{w[:STEM]}" for w in seq[max(0, at - WINDOW):at] if len(w) > STEM]
        features += [f"R5|{w[:STEM]}" for w in seq[at + 1:at + 1 + WINDOW] if len(w) > STEM]
        for other in others:
            side = "after" if other < at else "before"
            features += [f"other|{side}", f"other L1|{side}|{seq[other - 1] if other >= 1 else '^'}",
                         f"other R1|{side}|{seq[other + 1] if other + 1 < n else '$'}"]
        for i, value in hits:
            if i == at:
                continue
            side, distance = ("L" if i < at else "R"), abs(i - at)
            reach = 1 if distance <= 2 else 2 if distance <= WINDOW else 3
            features.append(f"LX|{side}|{'+' if value > 0 else '-'}|{reach}|{left <= i < right}")
            if distance <= WINDOW:
                features.append(f"LXW|{side}|{seq[i]}")
        left_balance = round(max(-2.0, min(2.0, (left_pos - left_neg) / 2)))
        right_balance = round(max(-2.0, min(2.0, (right_pos - right_neg) / 2)))
        # A speaker ("X said", "according to X") rarely takes on the tone of what they say.
        speaker = (any(w in reporting for w in seq[at + 1:at + 3])
                   or (at >= 2 and seq[at - 2] == "according" and seq[at - 1] == "to"))
        # A mention opening its clause is its subject: the words after it are what it does, those before it
        # (when it is the object) what is done to it.
        subject = all(w in DETERMINERS for w in seq[left:at])
        features += [f"speaker|{speaker}", f"speaker sentence|{speaker}|{round(compound * 2)}",
                     f"speaker clause|{speaker}|{lexicon_balance}",
                     f"role|{subject}", f"role left|{subject}|{left_balance}", f"role right|{subject}|{right_balance}",
                     f"quote clause|{inside}|{lexicon_balance}",
                     f"kind left|{kind}|{left_balance}", f"kind right|{kind}|{right_balance}"]
        features.append(f"cv|{round(max(-3.0, min(3.0, (near_pos - near_neg) / 2)))}")
        features.append(f"cvs|{round(compound * 2)}|{round(max(-2.0, min(2.0, (near_pos - near_neg) / 2)))}")
        numeric = [compound, scores[1], scores[2], near_pos / 4, near_neg / 4, left_pos / 4, left_neg / 4,
                   right_pos / 4, right_neg / 4, out_pos / 4, out_neg / 4]
        out.append(([rows[f] for f in features], numeric))
        dense_spans += [max(0, at - WINDOW), at, at + 1, min(n, at + 1 + WINDOW), left, at, at + 1, right, 0, n]
    vectors = word_vectors()
    unknown = len(vectors.table) - 1
    return Featurised([rows[f] for f in shared], out, [vectors.rows.get(w, unknown) for w in words], dense_spans)


def _span_means(sentences: Sequence[Featurised], values: np.ndarray) -> np.ndarray:
    """The mean of `values` (one row a word-vector row, then its columns) over the words of each `DENSE` span of
    every mention of `sentences` that the table has (zeros if none): (mentions, len(DENSE), columns). One
    running sum over all the sentences' words makes every span two subtractions, so a block of sentences costs
    a few numpy calls, not a few a sentence."""
    unknown = len(values) - 1
    rows = np.fromiter(chain.from_iterable(s.vector_rows for s in sentences), dtype=np.intp)
    summed = np.zeros((len(rows) + 1, *values.shape[1:]), dtype=np.float64)
    np.cumsum(values[rows], axis=0, out=summed[1:])
    known = np.zeros(len(rows) + 1, dtype=np.float64)
    np.cumsum(rows != unknown, out=known[1:])
    spans = np.fromiter(chain.from_iterable(s.dense_spans for s in sentences), dtype=np.intp).reshape(-1, 2)
    lengths = [len(s.vector_rows) for s in sentences]
    spans += np.repeat(np.cumsum([0] + lengths[:-1], dtype=np.intp),
                       [len(s.dense_spans) // 2 for s in sentences])[:, None]  # positions in the joined words
    starts, ends = spans[:, 0], spans[:, 1]
    means = (summed[ends] - summed[starts]) / np.maximum(known[ends] - known[starts], 1.0)[:, None]
    return means.reshape(-1, len(DENSE), values.shape[1])


def mean_vectors(sentences: Sequence[Featurised]) -> np.ndarray:
    """The mean word vector of each `DENSE` span of every mention (the model's dense features, for training):
    one row a mention, its spans side by side."""
    table = word_vectors().table
    return _span_means(sentences, table).astype(np.float32).reshape(-1, len(DENSE) * table.shape[1])


def dense_logits(sentences: Sequence[Featurised], tone_model: ToneModel) -> np.ndarray:
    """What the mean word vectors add to each mention's logits, `mean_vectors(sentences) @ tone_model.dense`,
    summed from the words' projections (`ToneModel.projected`): each span's own weights, 3 numbers a word."""
    projected = tone_model.projected
    means = _span_means(sentences, projected.reshape(len(projected), -1))  # (mentions, spans, spans * 3)
    spans = np.arange(len(DENSE))
    return means.reshape(len(means), len(DENSE), len(DENSE), len(TONES))[:, spans, spans].sum(axis=1)


def probabilities(sentences: Sequence[Featurised], tone_model: ToneModel | None = None) -> np.ndarray:
    """Class probabilities (negative, neutral, positive) of every mention of featurised sentences, in order."""
    m = tone_model or model()
    mentions = [mention for sentence in sentences for mention in sentence.mentions]
    if not mentions:
        return np.zeros((0, len(TONES)))

    def summed(lists: list[list[int]]) -> np.ndarray:
        owner = np.repeat(np.arange(len(lists)), [len(ids) for ids in lists])
        gathered = m.hashed[np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=len(owner))]
        return np.stack([np.bincount(owner, weights=gathered[:, c], minlength=len(lists))
                         for c in range(len(TONES))], axis=1)

    shared = summed([sentence.shared for sentence in sentences])
    logits = summed([ids for ids, _ in mentions])
    logits += np.repeat(shared, [len(sentence.mentions) for sentence in sentences], axis=0)
    logits += np.asarray([values for _, values in mentions], dtype=np.float32) @ m.numeric + m.bias
    logits += dense_logits(sentences, m)
    logits -= logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    return exp / exp.sum(axis=1, keepdims=True)


def span_labels(entities: Sequence[tuple[int, int, str]], spans: Sequence[tuple[int, int]]) -> list[str]:
    """The label of the entity (start, end, label) that overlaps each span most, "" where none does."""
    out = []
    for start, end in spans:
        overlap, best = 0, ""
        for entity_start, entity_end, entity_label in entities:
            shared = min(end, entity_end) - max(start, entity_start)
            if shared > overlap:
                overlap, best = shared, entity_label
        out.append(best)
    return out


def score_mentions(text: str, spans: Sequence[tuple[int, int]], labels: Sequence[str] | None = None) -> pd.DataFrame:
    """Tone toward each of `spans` (offsets into one sentence `text`): for trying the model on a sentence.

    `labels` (PERSON, ORG, ...) default to those spaCy's entity recogniser gives the spans, as in training.
    """
    if labels is None:
        from toolkit.nlp import ner_pipeline

        labels = span_labels([(e.start_char, e.end_char, e.label_) for e in ner_pipeline()(text).ents], spans)
    scores = score_text(text)
    probs = probabilities([sentence_features(text, spans, (scores["compound"], scores["neg"], scores["pos"]), labels)])
    return pd.DataFrame({
        "text": [text[a:b] for a, b in spans],
        "tone": [TONES[i] for i in probs.argmax(axis=1)] if len(spans) else [],
        "tone_score": probs[:, 2] - probs[:, 0],
    })


TONE_BLOCK = 2000  # sentences featurised at once: a huge article's features are never all held together


def entity_tone(entities: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Tone stage: add `tone` (negative | neutral | positive) and `tone_score` (P(positive) - P(negative), -1..1)."""
    lookup = {
        (a, s): (text, start, (compound, neg, pos))
        for a, s, start, text, compound, neg, pos in zip(*(sentences[c].tolist() for c in (
            "article_id", "sentence_id", "start", "text", "compound", "neg", "pos")))
    }
    members: dict[tuple[str, int], list[int]] = {}
    for at, key in enumerate(zip(entities["article_id"].tolist(), entities["sentence_id"].tolist())):
        members.setdefault(key, []).append(at)
    starts, ends, labels = entities["start"].tolist(), entities["end"].tolist(), entities["label"].tolist()
    probs = np.zeros((len(entities), len(TONES)))
    groups = list(members.items())
    for first in range(0, len(groups), TONE_BLOCK):  # features of a block of sentences at a time: bounded memory
        featurised: list[Featurised] = []
        order: list[int] = []
        for key, positions in groups[first:first + TONE_BLOCK]:
            text, offset, scores = lookup[key]
            featurised.append(sentence_features(text, [(starts[i] - offset, ends[i] - offset) for i in positions],
                                                scores, [labels[i] for i in positions]))
            order += positions
        probs[order] = probabilities(featurised)
    tones = [TONES[i] for i in probs.argmax(axis=1)]
    out = entities.copy()
    at = list(out.columns).index("compound") + 1 if "compound" in out.columns else len(out.columns)
    out.insert(at, "tone", pd.Series(tones, index=out.index, dtype="string"))
    out.insert(at + 1, "tone_score", pd.Series(probs[:, 2] - probs[:, 0], index=out.index, dtype="float64"))
    return out

"""Exact-span entity precision, recall and F1 on the CoNLL-2003 English development set.

    .venv/bin/python -m benchmarks.entities_conll            # prints the markdown tables for benchmarks/README.md
    .venv/bin/python -m benchmarks.entities_conll --errors   # also lists the toolkit's misses on the tuning half

The set (216 Reuters documents from 1996, research use only) is read from
`../shared/eval/conll2003-dev.jsonl.gz` at run time (override with `CONLL_DEV=...`); nothing of it is
stored in the project. The toolkit runs through `toolkit.analyze_articles` on the documents as texts;
its mentions are offsets into the cleaned text, which are mapped back to the document's own text
(cleaning leaves these texts unchanged but for removed lines; any difference is aligned with difflib).
The raw spaCy model runs on the same texts, with no repair at all. spaCy's labels map to CoNLL's types:
PERSON to PER; GPE, LOC, FAC to LOC; ORG to ORG; NORP, EVENT, PRODUCT, WORK_OF_ART, LAW, LANGUAGE to MISC.

Halves: documents at even positions in the file are the tuning half (read while improving the
toolkit), those at odd positions the held-out half (never read). "ALL-CAPS lines" scores only the
entities on paragraphs whose letters are all capitals (headlines and datelines).
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import toolkit
from toolkit.load import from_texts
from toolkit.nlp import ner_pipeline

ROOT = Path(__file__).resolve().parents[1]
CONLL = Path(os.environ.get("CONLL_DEV", ROOT.parent / "shared" / "eval" / "conll2003-dev.jsonl.gz"))
TYPE_OF = {
    "PERSON": "PER", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "ORG": "ORG",
    **dict.fromkeys(("NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"), "MISC"),
}
TYPES = ("PER", "LOC", "ORG", "MISC")
Span = tuple[int, int, str]  # start, end, CoNLL type


@dataclass
class Counts:
    correct: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, predicted: set[Span], gold: set[Span]) -> None:
        self.correct += len(predicted & gold)
        self.predicted += len(predicted)
        self.gold += len(gold)

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def documents() -> list[dict]:
    with gzip.open(CONLL, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def caps_lines(text: str) -> list[tuple[int, int]]:
    """Spans of the paragraphs whose letters are all capitals (at least three letters)."""
    spans, start = [], 0
    for paragraph in text.split("\n\n"):
        letters = [ch for ch in paragraph if ch.isalpha()]
        if len(letters) >= 3 and all(ch.isupper() for ch in letters):
            spans.append((start, start + len(paragraph)))
        start += len(paragraph) + 2
    return spans


def offset_map(cleaned: str, original: str) -> dict[int, int]:
    """Cleaned-text offsets -> original offsets, for every character boundary the two texts share."""
    if cleaned == original:
        return {i: i for i in range(len(cleaned) + 1)}
    mapping: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, cleaned, original, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        mapping.update({a + i: b + i for i in range(size + 1)})
    return mapping


def toolkit_spans(texts: list[str]) -> list[set[Span]]:
    """The toolkit's mentions of each text, in the text's own offsets, as CoNLL types."""
    analysis = toolkit.analyze_articles(from_texts(texts))
    cleaned = dict(zip(analysis.articles["article_id"], analysis.articles["text"]))
    found: list[set[Span]] = []
    for index, text in enumerate(texts):
        article_id = f"text-{index}"
        mapping = offset_map(cleaned[article_id], text)
        rows = analysis.entities[analysis.entities["article_id"] == article_id]
        spans = set()
        for start, end, label in zip(rows["start"], rows["end"], rows["label"]):
            if label in TYPE_OF and start in mapping and end in mapping:
                spans.add((mapping[start], mapping[end], TYPE_OF[label]))
        found.append(spans)
    return found


def spacy_spans(texts: list[str]) -> list[set[Span]]:
    """The raw spaCy model's entities of each text, as CoNLL types."""
    return [
        {(e.start_char, e.end_char, TYPE_OF[e.label_]) for e in doc.ents if e.label_ in TYPE_OF}
        for doc in ner_pipeline().pipe(texts)
    ]


def score(docs: Iterable[dict], predictions: Iterable[set[Span]], *, caps_only: bool = False) -> dict[str, Counts]:
    """Counts per type and overall ("micro"), optionally only inside ALL-CAPS lines."""
    counts = {name: Counts() for name in (*TYPES, "micro")}
    for doc, predicted in zip(docs, predictions):
        gold = {(e["start"], e["end"], e["type"]) for e in doc["entities"]}
        if caps_only:
            lines = caps_lines(doc["text"])
            inside = lambda span: any(s <= span[0] and span[1] <= e for s, e in lines)  # noqa: E731
            gold, predicted = set(filter(inside, gold)), set(filter(inside, predicted))
        for name in TYPES:
            counts[name].add({s for s in predicted if s[2] == name}, {s for s in gold if s[2] == name})
        counts["micro"].add(predicted, gold)
    return counts


def table(results: dict[str, dict[str, Counts]]) -> str:
    """One markdown row a system and subset: F1 per type, then micro P/R/F1."""
    lines = ["| system | documents | " + " | ".join(f"{t} F1" for t in TYPES) + " | micro P | micro R | micro F1 |",
             "|---|---|" + "---:|" * (len(TYPES) + 3)]
    for name, counts in results.items():
        system, subset = name.split(" / ")
        micro = counts["micro"]
        cells = " | ".join(f"{counts[t].f1:.3f}" for t in TYPES)
        lines.append(f"| {system} | {subset} | {cells} | {micro.precision:.3f} | {micro.recall:.3f} | **{micro.f1:.3f}** |")
    return "\n".join(lines)


def evaluate() -> dict[str, dict[str, Counts]]:
    docs = documents()
    texts = [doc["text"] for doc in docs]
    systems = {"toolkit": toolkit_spans(texts), "raw spaCy": spacy_spans(texts)}
    halves = {"tuning (even)": slice(0, None, 2), "held-out (odd)": slice(1, None, 2), "all": slice(None)}
    results = {}
    for system, predictions in systems.items():
        for half, part in halves.items():
            results[f"{system} / {half}"] = score(docs[part], predictions[part])
        results[f"{system} / all, ALL-CAPS lines"] = score(docs, predictions, caps_only=True)
    return results


def errors(limit: int = 400) -> list[str]:
    """The toolkit's misses and extras on the tuning half, with their text."""
    docs = documents()[::2]
    texts = [doc["text"] for doc in docs]
    lines = []
    for doc, predicted in zip(docs, toolkit_spans(texts)):
        gold = {(e["start"], e["end"], e["type"]) for e in doc["entities"]}
        text = doc["text"]
        for kind, spans in (("missed", gold - predicted), ("extra", predicted - gold)):
            lines += [f"{doc['id']}: {kind} {t} {text[s:e]!r}" for s, e, t in sorted(spans)]
    return lines[:limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list the toolkit's misses on the tuning half")
    args = parser.parse_args()
    print(table(evaluate()))
    if args.errors:
        print("\n".join(errors(limit=10_000)))


if __name__ == "__main__":
    main()

"""Precision and recall of canonical entity names and resolved dates against the hand-checked gold set.

    .venv/bin/python -m benchmarks.entities_dates            # prints the table for benchmarks/README.md
    .venv/bin/python -m benchmarks.entities_dates --errors   # also lists each article's misses

The gold (`tests/data/gold_entities_dates.json`) holds the sample article and 30 Reuters articles, read
from ../shared at run time; only ids, names, short date expressions and counts are stored.
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

import toolkit
from toolkit.load import Problems, articles_frame

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "gold_entities_dates.json"
SAMPLE = ROOT / "data" / "000_739a1000ab1b0261.txt"
REUTERS = ROOT.parent / "shared" / "corpora" / "reuters21578.jsonl.gz"
TYPES = {"PERSON": "PERSON", "GPE": "PLACE", "LOC": "PLACE", "ORG": "ORG"}


@dataclass
class Score:
    correct: float = 0
    predicted: float = 0
    expected: float = 0
    misses: list[str] = field(default_factory=list)

    def add(self, article: str, predicted: Counter, expected: Counter) -> None:
        both = predicted & expected
        self.correct += sum(both.values())
        self.predicted += sum(predicted.values())
        self.expected += sum(expected.values())
        self.misses += [f"{article}: missing {k} x{n}" for k, n in (expected - predicted).items()]
        self.misses += [f"{article}: extra {k} x{n}" for k, n in (predicted - expected).items()]

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def gold_articles() -> tuple[list[dict], pd.DataFrame]:
    """The gold records, and an `articles` frame of their raw texts with the gold's published dates."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["articles"]
    wanted = {g["id"] for g in gold}
    texts = {"000_739a1000ab1b0261": SAMPLE.read_text(encoding="utf-8")}
    with gzip.open(REUTERS, "rt", encoding="utf-8") as lines:
        for item in map(json.loads, lines):
            if item["id"] in wanted:
                texts[item["id"]] = item["text"]
    records = [{"article_id": g["id"], "raw_text": texts[g["id"]], "published": g["published"]} for g in gold]
    return gold, articles_frame(records, Problems())


def evaluate() -> dict[str, Score]:
    gold, articles = gold_articles()
    analysis = toolkit.analyze_articles(articles)
    entities = analysis.entities[analysis.entities["label"].isin(list(TYPES))]
    scores = {name: Score() for name in ("entities", "mentions", "dates found", "dates resolved")}
    for record in gold:
        aid = record["id"]
        mine = entities[entities["article_id"] == aid]
        predicted = Counter(zip(mine["label"].map(TYPES), mine["entity"].str.casefold()))
        expected = Counter({(e["type"], e["entity"].casefold()): e["mentions"] for e in record["entities"]})
        scores["entities"].add(aid, Counter(set(predicted)), Counter(set(expected)))
        scores["mentions"].add(aid, predicted, expected)
        dates = analysis.dates[analysis.dates["article_id"] == aid]
        found = Counter(t.strip(" .,") for t in dates["text"])
        scores["dates found"].add(aid, found, Counter(d["text"] for d in record["dates"]))
        resolved = Counter(
            (t.strip(" .,"), None if pd.isna(d) else d.strftime("%Y-%m-%d"), g)
            for t, d, g in zip(dates["text"], dates["date"], dates["granularity"])
        )
        scores["dates resolved"].add(aid, resolved, Counter((d["text"], d["date"], d["granularity"]) for d in record["dates"]))
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every miss and extra")
    args = parser.parse_args()
    scores = evaluate()
    print("| measure | precision | recall | F1 | correct | predicted | gold |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, s in scores.items():
        print(f"| {name} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.correct:.0f} | {s.predicted:.0f} | {s.expected:.0f} |")
    if args.errors:
        for name in ("entities", "dates resolved"):
            print(f"\n## {name}")
            print("\n".join(scores[name].misses))


if __name__ == "__main__":
    main()

"""Pairwise precision and recall of "same entity" over the mentions of the canonical-name gold set.

    .venv/bin/python -m benchmarks.entities_canonical            # prints the table for benchmarks/README.md
    .venv/bin/python -m benchmarks.entities_canonical --errors   # also lists the wrongly joined and split pairs

The gold (`tests/data/gold_canonical.json`, conventions in its `note`) gives every name mention of 40
articles (the sample, 20 Reuters-21578 articles, 19 Wikinews articles of the open-news corpus) the
entity it refers to, as offsets into the raw text; the Reuters texts are read from ../shared at run
time. The 40 articles are analysed together, so names are resolved across them as in a corpus.
Each gold mention takes the toolkit mention that overlaps it most; over every pair of matched
mentions (within and across articles), precision is the share of pairs the toolkit names alike that
the gold calls one entity, recall the share of the gold's same-entity pairs the toolkit names alike.
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import pandas as pd

import toolkit
from benchmarks.entities_conll import offset_map
from toolkit.load import Problems, articles_frame

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "gold_canonical.json"
SAMPLE = ROOT / "data" / "000_739a1000ab1b0261.txt"
CORPORA = (ROOT.parent / "shared" / "corpora" / "reuters21578.jsonl.gz",
           ROOT.parent / "shared" / "corpora" / "open-news" / "wikinews_gum_meantime.jsonl.gz")


@dataclass
class Pairwise:
    both: int = 0  # pairs named alike that the gold calls one entity
    predicted: int = 0  # pairs named alike
    gold: int = 0  # pairs the gold calls one entity
    matched: int = 0  # gold mentions the toolkit tagged
    mentions: int = 0  # gold mentions
    joined: Counter = field(default_factory=Counter)  # (predicted name, gold a, gold b): wrongly joined pairs
    split: Counter = field(default_factory=Counter)  # (gold name, predicted a, predicted b): wrongly split pairs

    @property
    def precision(self) -> float:
        return self.both / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.both / self.gold if self.gold else 1.0


def gold_articles() -> tuple[list[dict], pd.DataFrame]:
    """The gold records, and an `articles` frame of their raw texts with the corpora's dates."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["articles"]
    wanted = {g["id"] for g in gold}
    records = {"000_739a1000ab1b0261": {"text": SAMPLE.read_text(encoding="utf-8"), "published": None}}
    for path in CORPORA:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            records.update({item["id"]: item for item in map(json.loads, lines) if item["id"] in wanted})
    rows = [{"article_id": g["id"], "raw_text": records[g["id"]]["text"], "published": records[g["id"]]["published"]}
            for g in gold]
    return gold, articles_frame(rows, Problems())


def evaluate() -> Pairwise:
    gold, articles = gold_articles()
    analysis = toolkit.analyze_articles(articles)
    cleaned = dict(zip(analysis.articles["article_id"], analysis.articles["text"]))
    raw = dict(zip(articles["article_id"], articles["raw_text"]))
    result = Pairwise()
    pairs: list[tuple[str, str]] = []  # (gold entity, predicted entity) of each matched mention
    for record in gold:
        aid = record["id"]
        mapping = offset_map(cleaned[aid], raw[aid])
        rows = analysis.entities[analysis.entities["article_id"] == aid]
        predicted = [(mapping[s], mapping[e], name) for s, e, name in zip(rows["start"], rows["end"], rows["entity"])
                     if s in mapping and e in mapping]
        for start, end, name, *_ in record["mentions"]:
            result.mentions += 1
            overlaps = [(min(end, e) - max(start, s), guess) for s, e, guess in predicted if s < end and start < e]
            if overlaps:
                result.matched += 1
                pairs.append((name, max(overlaps)[1]))
    for (gold_a, guess_a), (gold_b, guess_b) in combinations(pairs, 2):
        same_gold, same_guess = gold_a == gold_b, guess_a == guess_b
        result.gold += same_gold
        result.predicted += same_guess
        result.both += same_gold and same_guess
        if same_guess and not same_gold:
            result.joined[(guess_a, *sorted((gold_a, gold_b)))] += 1
        if same_gold and not same_guess:
            result.split[(gold_a, *sorted((guess_a, guess_b)))] += 1
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list wrongly joined and wrongly split pairs")
    args = parser.parse_args()
    r = evaluate()
    print("| pairwise precision | pairwise recall | same-entity pairs (gold) | named alike (toolkit) | both | gold mentions tagged |")
    print("|---:|---:|---:|---:|---:|---:|")
    print(f"| **{r.precision:.3f}** | **{r.recall:.3f}** | {r.gold} | {r.predicted} | {r.both} | {r.matched} of {r.mentions} |")
    if args.errors:
        print("\nwrongly joined (toolkit name: gold a / gold b, pairs):")
        print("\n".join(f"  {k[0]}: {k[1]} / {k[2]}  x{n}" for k, n in r.joined.most_common()))
        print("\nwrongly split (gold name: toolkit a / toolkit b, pairs):")
        print("\n".join(f"  {k[0]}: {k[1]} / {k[2]}  x{n}" for k, n in r.split.most_common()))


if __name__ == "__main__":
    main()

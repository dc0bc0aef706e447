"""Time `toolkit.analyze_articles` on the first N Reuters articles, one process, no cache.

    PYTHONPATH=/path/to/checkout .venv/bin/python benchmarks/quotes_speed.py [N]

Run it from two checkouts (before and after a change) one after the other on the same machine: the
figure to compare is the ratio. The corpus is read from ../shared (override with REUTERS_CORPUS).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import toolkit
from toolkit.load import load_with_problems

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("REUTERS_CORPUS", ROOT.parent / "shared" / "corpora" / "reuters21578.jsonl.gz"))


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    articles, _ = load_with_problems(CORPUS)
    articles = articles.iloc[:count]
    toolkit.analyze_articles(articles.iloc[:5], cache=False, workers=1, progress=False)  # load the models
    started = time.perf_counter()
    analysis = toolkit.analyze_articles(articles, cache=False, workers=1, progress=False)
    seconds = time.perf_counter() - started
    quotes = len(analysis.quotes) if hasattr(analysis, "quotes") else 0
    print(f"{toolkit.__file__}: {count} articles in {seconds:.1f} s ({len(analysis.sentences)} sentences, "
          f"{quotes} quotes)")


if __name__ == "__main__":
    main()

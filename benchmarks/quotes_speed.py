"""What the attribute stage (quotes) costs: the first N Reuters articles analysed with and without it.

    .venv/bin/python benchmarks/quotes_speed.py [N]      # default 1,000 articles, one process, no cache

Runs the same analysis twice each way, alternately, in one process, and prints the CPU time of each
run (`time.process_time`: on a shared machine, wall time mostly measures the other users). "Without"
replaces `engines.attribute` by an empty quotes frame, so everything else is the same code. The corpus
is read from ../shared (override with REUTERS_CORPUS).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import toolkit
import toolkit.engines as engines
from toolkit.load import load_with_problems
from toolkit.quotes import quotes_frame

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("REUTERS_CORPUS", ROOT.parent / "shared" / "corpora" / "reuters21578.jsonl.gz"))


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    articles, _ = load_with_problems(CORPUS)
    articles = articles.iloc[:count]
    toolkit.analyze_articles(articles.iloc[:5], cache=False, workers=1, progress=False)  # load the models
    attribute = engines.attribute
    for label in ("without quotes", "with quotes") * 2:
        engines.attribute = attribute if label == "with quotes" else (lambda *_, **__: quotes_frame([]))
        started = time.process_time()
        analysis = toolkit.analyze_articles(articles, cache=False, workers=1, progress=False)
        print(f"{label}: {time.process_time() - started:.1f} s CPU ({len(analysis.quotes)} quotes)", flush=True)
    engines.attribute = attribute


if __name__ == "__main__":
    main()

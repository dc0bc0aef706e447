"""Per-article CPU of two source trees, chunk by chunk, over the whole Reuters corpus: where their ratio comes from.

    .venv/bin/python benchmarks/chunk_ratio.py --before /tmp/before [--after .] [--step 3]

Each tree runs in its own long-lived process (PYTHONPATH set to it, `nice -n 19`), its spaCy model loaded and,
as in a pool worker, the loaded state moved out of the garbage collector's sight when the tree does that. The
driver hands both the same chunk of 200 articles (every `--step`-th chunk of the corpus, in corpus order),
one after the other, alternating which goes first, and prints each one's CPU seconds in `analyze_chunk`
(`time.process_time`, collections included) and their ratio, then the ratio over all. The two processes
see the same load at nearly the same moment, so the ratio is steady on a busy machine even where each
figure is not. What the command line adds to this (starting the processes, loading, the corpus-level steps,
writing the files) is what `quotes_speed.py` measures in all.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("REUTERS_CORPUS", ROOT.parent / "shared" / "corpora" / "reuters21578.jsonl.gz"))


def serve() -> None:
    """Worker side: load the corpus and the model with this tree's toolkit, then time each chunk asked for on stdin."""
    import time

    from toolkit import engines
    from toolkit.load import load_with_problems

    articles, _ = load_with_problems(CORPUS)
    try:
        from toolkit.cache import article_keys  # the ids the pipeline gives chunks, where the tree has them

        keys = article_keys(articles).to_numpy()
    except ImportError:
        keys = articles["article_id"].to_numpy()
    chunks = list(engines.chunked(articles[["raw_text", "published"]].assign(article_id=keys)))
    settings = engines.Settings()
    start = getattr(engines, "_start_worker", None)  # a pool worker's start, where the tree has one
    if start is not None:
        start()
    else:
        from toolkit.nlp import ner_pipeline

        ner_pipeline()
    print(len(chunks), flush=True)
    for line in sys.stdin:
        started = time.process_time()
        engines.analyze_chunk(chunks[int(line)], settings)
        print(time.process_time() - started, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, required=True, help="source tree of the toolkit before the change")
    parser.add_argument("--after", type=Path, default=ROOT, help="source tree after it (default: this one)")
    parser.add_argument("--step", type=int, default=3, help="time every STEP-th chunk of 200 articles")
    args = parser.parse_args()
    if not CORPUS.is_file():
        raise SystemExit(f"Reuters corpus not found at {CORPUS}")
    workers = {
        name: subprocess.Popen(["nice", "-n", "19", sys.executable, str(Path(__file__).resolve()), "--serve"],
                               cwd=tree, env={**os.environ, "PYTHONPATH": str(tree.resolve())}, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        for name, tree in (("before", args.before), ("after", args.after))
    }
    count = min(int(worker.stdout.readline()) for worker in workers.values() if worker.stdout)
    totals = {"before": 0.0, "after": 0.0}
    for turn, chunk in enumerate(range(0, count, args.step)):
        seconds = {}
        for name in (("before", "after") if turn % 2 == 0 else ("after", "before")):
            worker = workers[name]
            assert worker.stdin is not None and worker.stdout is not None
            worker.stdin.write(f"{chunk}\n")
            worker.stdin.flush()
            seconds[name] = float(worker.stdout.readline())
            totals[name] += seconds[name]
        print(f"chunk {chunk:3d}: before {seconds['before']:5.2f} s, after {seconds['after']:5.2f} s, "
              f"ratio {seconds['after'] / seconds['before']:.2f}", flush=True)
    for worker in workers.values():
        if worker.stdin:
            worker.stdin.close()
        worker.wait()
    print(f"all timed chunks: before {totals['before']:.1f} s, after {totals['after']:.1f} s CPU, "
          f"ratio {totals['after'] / totals['before']:.3f}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        serve()
    else:
        main()

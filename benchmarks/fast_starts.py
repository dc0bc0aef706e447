"""Fast starts (issue 13, part 5): `import toolkit`, a fully cached run of the sample from the command line,
and a second `analyze` call in the same process (as in a notebook's kernel), each in fresh interpreters.

    python benchmarks/fast_starts.py                        # this checkout
    python benchmarks/fast_starts.py --toolkit /tmp/base    # another checkout's toolkit (to compare)

Prints one markdown row a figure: the median wall time and the median CPU time (user + system) of the
child processes, over `--repeat` runs. The second-call figure analyses 2 x `--articles` Reuters articles
(synthetic ones without the corpus) in a pool of 2 workers, without the cache, and times the second half.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "000_739a1000ab1b0261.txt"
REUTERS = Path(os.environ.get("REUTERS_CORPUS", ROOT.parent / "shared" / "corpora" / "reuters21578.jsonl.gz"))

SECOND_CALL = """
import json, sys, time
import toolkit
texts = json.loads(sys.stdin.read())
half = len(texts) // 2
first, second = (toolkit.from_texts(part, published="1987-03-02") for part in (texts[:half], texts[half:]))
started = time.perf_counter()
toolkit.analyze_articles(first, workers=2, chunk_size=50)
between = time.perf_counter()
toolkit.analyze_articles(second, workers=2, chunk_size=50)
print(json.dumps([between - started, time.perf_counter() - between]))
"""


def timed(command: list[str], toolkit: Path, stdin: str | None = None, **env: str) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds of the child (and its children) and stdout of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, input=stdin, capture_output=True, text=True, check=True, cwd=toolkit,
                          env={**os.environ, "PYTHONPATH": str(toolkit), **env})
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), done.stdout


def medians(runs: list[tuple[float, float, str]]) -> str:
    return f"{statistics.median(r[0] for r in runs):.2f} s | {statistics.median(r[1] for r in runs):.2f} s"


def texts(n: int) -> list[str]:
    if not REUTERS.is_file():
        body = SAMPLE.read_text(encoding="utf-8")
        return [f"Officials in Geneva met on Thursday for round {i} of talks.\n\n{body}" for i in range(n)]
    with gzip.open(REUTERS, "rt", encoding="utf-8") as lines:
        return [json.loads(line)["text"] for line in itertools.islice(lines, n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--toolkit", type=Path, default=ROOT, help="folder holding the `toolkit` package to time")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--articles", type=int, default=200, help="articles in each of the two calls")
    args = parser.parse_args()
    python = sys.executable
    print(f"toolkit from {args.toolkit}\n\n| figure | wall (median) | CPU (median) |\n|---|---:|---:|")
    bare = [timed([python, "-c", "pass"], args.toolkit) for _ in range(args.repeat)]
    print(f"| `python -c pass` (the interpreter alone) | {medians(bare)} |")
    imports = [timed([python, "-c", "import toolkit"], args.toolkit) for _ in range(args.repeat)]
    print(f"| `python -c 'import toolkit'` | {medians(imports)} |")
    with tempfile.TemporaryDirectory() as folder:
        command = [python, "-m", "toolkit", "analyze", str(SAMPLE), "--out", str(Path(folder) / "out")]
        timed(command, args.toolkit, NEWSLENS_CACHE_DIR=folder)  # fills the cache
        warm = [timed(command, args.toolkit, NEWSLENS_CACHE_DIR=folder) for _ in range(args.repeat)]
    print(f"| `python -m toolkit analyze {SAMPLE.relative_to(ROOT)}`, warm cache | {medians(warm)} |")
    wall, cpu, out = timed([python, "-c", SECOND_CALL], args.toolkit, stdin=json.dumps(texts(2 * args.articles)))
    first, second = json.loads(out.splitlines()[-1])
    print(f"| first `analyze_articles` call, {args.articles} articles, 2 workers | {first:.2f} s | |")
    print(f"| second call, {args.articles} new articles, same process | {second:.2f} s | |")


if __name__ == "__main__":
    main()

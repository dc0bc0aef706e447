"""Growing an analysed corpus: Reuters-21578 without its 200 newest articles analysed, then all of it.

    .venv/bin/python benchmarks/incremental.py [--work DIR] [--new 200]    # prints the markdown table
    .venv/bin/python benchmarks/incremental.py --limit 600 --new 50        # a quick check of the script

Phases, each in a fresh child process (as a user's next `python -m toolkit analyze` would be):
- `base`: `toolkit.analyze_articles` on the corpus without its `--new` newest articles, empty cache
  (the cold run a corpus-wide rerun would cost: the naive way to add articles);
- `warm`: the same again, everything read from the cache;
- `grow`: the whole corpus: the new articles computed, the corpus steps updated from the stored state.
Each phase also reports where its time goes: the seconds spent in each main step (`STEPS`).
The cache lives in `--work` (default: a temporary folder, deleted at the end; give a folder to keep
the cold cache between runs, then `--skip-base`); `grow` runs on a copy of it, so the base stays as it was.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("REUTERS_CORPUS", ROOT.parent / "shared" / "corpora" / "reuters21578.jsonl.gz"))
STEPS = (  # where the time goes: the main steps, in the order they run
    ("load the corpus", "pipeline", "load_with_problems"),
    ("hash the articles (cache keys)", "pipeline", "article_keys"),
    ("list the cache", "ArticleCache", "index"),
    ("read cached articles", "ArticleCache", "read"),
    ("compute new articles", "pipeline", "run_local"),
    ("concatenate frames", "Frames", "concat"),
    ("assemble the frames (the steps below included)", "pipeline", "_assemble"),
    ("  near-duplicates", "pipeline", "near_duplicates"),
    ("  surnames and organisations across the corpus", "pipeline", "_across_corpus"),
    ("    read the stored corpus names", "ArticleCache", "corpus_names"),
    ("    store the corpus names", "ArticleCache", "write_corpus_names"),
    ("  quotes' speakers", "pipeline", "_corpus_speakers"),
)


def timed(spent: dict[str, float]) -> None:
    """Wrap each step of `STEPS` so its seconds add up in `spent` (microseconds a call, unlike a profiler,
    which triples the time of the loader's Python loops)."""
    from toolkit import pipeline
    from toolkit.cache import ArticleCache
    from toolkit.engines import Frames

    owners = {"pipeline": pipeline, "ArticleCache": ArticleCache, "Frames": Frames}
    for step, owner, name in STEPS:
        real = getattr(owners[owner], name)

        def wrapper(*args: object, _real: Any = real, _step: str = step, **kwargs: object) -> Any:
            started = time.perf_counter()
            try:
                return _real(*args, **kwargs)
            finally:
                spent[_step] = spent.get(_step, 0.0) + time.perf_counter() - started

        setattr(owners[owner], name, staticmethod(wrapper) if owner == "Frames" else wrapper)


def corpus(new: int, phase: str, limit: int | None) -> pd.DataFrame:
    """The corpus (`grow`) or the corpus without its `new` newest articles (`base`, `warm`)."""
    from toolkit import pipeline

    articles, _ = pipeline.load_with_problems(CORPUS)
    articles = articles.iloc[:limit]
    if phase == "grow":
        return articles
    newest = articles.sort_values("published", kind="stable", na_position="first").index[-new:]
    return articles.drop(index=newest)


def run(phase: str, cache: Path, new: int, limit: int | None) -> dict[str, object]:
    import toolkit

    steps: dict[str, float] = {}
    timed(steps)
    started = time.perf_counter()
    articles = corpus(new, phase, limit)
    analysis = toolkit.analyze_articles(articles, cache=True, cache_dir=cache)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "articles": len(articles), "steps": steps,
            "duplicates": int(analysis.articles["duplicate_of"].notna().sum()),
            "renamed": int(analysis.entities["rule"].str.contains("in the corpus", regex=False).sum())}


def child(phase: str, cache: Path, new: int, limit: int | None) -> dict[str, object]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--phase", phase, "--work", str(cache), "--new", str(new),
                           *(["--limit", str(limit)] if limit else [])], stdout=subprocess.PIPE, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {**result, "wall_seconds": time.perf_counter() - started}


def table(results: dict[str, dict], new: int) -> str:
    base, warm, grow = results.get("base"), results["warm"], results["grow"]
    lines = ["| run | articles | seconds (in the process) | wall seconds (process start included) |",
             "|---|---:|---:|---:|"]
    if base:
        lines.append(f"| cold: the corpus without its {new} newest | {base['articles']:,} | {base['seconds']:.1f} | "
                     f"{base['wall_seconds']:.1f} |")
    lines.append(f"| warm rerun of it | {warm['articles']:,} | {warm['seconds']:.1f} | {warm['wall_seconds']:.1f} |")
    lines.append(f"| +{new} new articles | {grow['articles']:,} | {grow['seconds']:.1f} | {grow['wall_seconds']:.1f} |")
    lines += ["", "| step (cumulative seconds) | warm | +new |", "|---|---:|---:|"]
    for step, _, _ in STEPS:
        lines.append(f"| {step} | {warm['steps'].get(step, 0):.2f} | {grow['steps'].get(step, 0):.2f} |")
    if base:
        lines.append(f"\n- naive (analyse everything again, cold) vs. incremental: "
                     f"{base['seconds'] / grow['seconds']:.0f}x")
    lines.append(f"- load average (1, 5, 15 min) at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    lines.append(f"- near-copies flagged {grow['duplicates']:,}; mentions renamed across the corpus {grow['renamed']:,}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phase", choices=("base", "warm", "grow"), help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help="folder for the cache (default: a temporary one)")
    parser.add_argument("--new", type=int, default=200, help="articles added (the newest ones)")
    parser.add_argument("--skip-base", action="store_true", help="the cache in --work already holds the base run")
    parser.add_argument("--limit", type=int, help="the first LIMIT articles of the corpus only (to check the script)")
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(run(args.phase, args.work, args.new, args.limit)))
        return
    if not CORPUS.is_file():
        raise SystemExit(f"Reuters corpus not found at {CORPUS} (set REUTERS_CORPUS)")
    with tempfile.TemporaryDirectory(prefix="newslens-grow-") as folder:
        work = args.work or Path(folder)
        phases = ("warm", "grow") if args.skip_base else ("base", "warm", "grow")
        results = {}
        for phase in phases:
            cache = work / "cache"
            if phase == "grow":
                cache = Path(folder) / "grown"
                shutil.rmtree(cache, ignore_errors=True)
                shutil.copytree(work / "cache", cache)
            results[phase] = child(phase, cache, args.new, args.limit)
            print(f"{phase}: {json.dumps(results[phase])}", file=sys.stderr, flush=True)
        print(table(results, args.new))


if __name__ == "__main__":
    main()

"""Wall time, CPU time and peak memory of `python -m toolkit analyze` on one huge article (5 MB and 50 MB).

The article is the open-news corpus (163 Wikinews articles, CC BY 2.5, read at run time from
`../shared/corpora/open-news/`, override with `OPEN_NEWS=...`) joined into one text and repeated to
the size asked; without that corpus, generated news-like sentences. Each size runs in a fresh child
process, without the cache; its peak resident memory is the kernel's own figure for that child
(`os.wait4`), and a `psutil` sampler confirms it every 0.1 s. CPU seconds (user + system, of the child
and the processes it waited for, from the same `os.wait4`) are the figure for linearity on a shared
machine, where wall time depends on the others' load.

    .venv/bin/python benchmarks/huge_article.py                 # 5 and 50 MB, prints a markdown table
    .venv/bin/python benchmarks/huge_article.py --sizes 1 5      # other sizes (MB)
    .venv/bin/python benchmarks/huge_article.py --toolkit ../old  # another checkout's toolkit
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
import psutil

ROOT = Path(__file__).resolve().parents[1]
OPEN_NEWS = Path(os.environ.get("OPEN_NEWS", ROOT.parent / "shared" / "corpora" / "open-news"))


def base_text() -> tuple[str, str]:
    """The text to repeat, and where it comes from."""
    corpus = OPEN_NEWS / "wikinews_gum_meantime.jsonl.gz"
    if corpus.is_file():
        with gzip.open(corpus, "rt", encoding="utf-8") as lines:
            return "\n\n".join(json.loads(line)["text"] for line in lines), "open-news (Wikinews, CC BY 2.5)"
    rng = random.Random(6)
    words = ("the minister said on Tuesday that talks with officials in Geneva would resume soon after "
             "prices rose sharply and Maria Lopez of the central bank told reporters").split()
    paragraphs = [" ".join(" ".join(rng.choice(words) for _ in range(18)).capitalize() + "." for _ in range(5))
                  for _ in range(2000)]
    return "\n\n".join(paragraphs), "generated sentences"


def article(megabytes: float, base: str) -> str:
    """`base` repeated (paragraph breaks between copies) and cut at a paragraph break near the size."""
    size = int(megabytes * 1e6)
    text = "\n\n".join([base] * (size // (len(base) + 2) + 1))
    cut = text.rfind("\n\n", 0, size)
    return text[: cut if cut > 0 else size]


def run(path: Path, out: Path, toolkit_dir: Path) -> dict[str, float]:
    """Analyse one file in a child process: wall and CPU seconds, and peak RSS (kernel figure and sampled)."""
    env = {**os.environ, "PYTHONPATH": str(toolkit_dir)}
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "toolkit", "analyze", str(path), "--out", str(out), "--no-cache"],
                             cwd=toolkit_dir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampled = [0]

    def sample() -> None:
        process = psutil.Process(child.pid)
        while True:
            try:
                sampled[0] = max(sampled[0], process.memory_info().rss)
            except psutil.Error:
                return
            time.sleep(0.1)

    threading.Thread(target=sample, daemon=True).start()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"analysis of {path} failed: {child.stderr.read().decode()[-500:]}")
    return {"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime, "peak_gb": usage.ru_maxrss * 1024 / 1e9,
            "sampled_gb": sampled[0] / 1e9}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[5, 50], metavar="MB")
    parser.add_argument("--toolkit", type=Path, default=ROOT, help="folder holding the toolkit package to measure")
    args = parser.parse_args()
    base, source = base_text()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for megabytes in args.sizes:
            path = Path(folder) / f"huge-{megabytes:g}mb.txt"
            text = article(megabytes, base)
            path.write_text(text, encoding="utf-8")
            figures = run(path, Path(folder) / f"out-{megabytes:g}", args.toolkit.resolve())
            frames = {name: len(pd.read_parquet(Path(folder) / f"out-{megabytes:g}" / f"{name}.parquet"))
                      for name in ("sentences", "entities", "dates")}
            rows.append({"article": f"{len(text) / 1e6:.1f} MB ({len(text):,} characters)", **frames, **figures,
                         "characters/s": len(text) / figures["seconds"],
                         "cpu_per_mb": figures["cpu_seconds"] / (len(text) / 1e6)})
            print(f"{megabytes:g} MB done: {figures['seconds']:.0f} s, {figures['cpu_seconds']:.0f} CPU s, "
                  f"{figures['peak_gb']:.2f} GB ({figures['peak_gb'] * 1e9 / 2**30:.2f} GiB); "
                  f"{frames['sentences']:,} sentences, {frames['entities']:,} mentions", file=sys.stderr)
    print(f"Text: {source}; toolkit from {args.toolkit.resolve()}\n")
    print("| article | sentences | mentions | dates | seconds | characters/s | CPU seconds | CPU s/MB "
          "| peak RSS (GB) | peak RSS (GiB) | sampled peak (GB) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['article']} | {row['sentences']:,} | {row['entities']:,} | {row['dates']:,} | "
              f"{row['seconds']:.0f} | {row['characters/s']:,.0f} | {row['cpu_seconds']:.0f} | {row['cpu_per_mb']:.1f} | "
              f"{row['peak_gb']:.2f} | {row['peak_gb'] * 1e9 / 2**30:.2f} | {row['sampled_gb']:.2f} |")


if __name__ == "__main__":
    main()

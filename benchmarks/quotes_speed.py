"""Corpus cold time before and after a change: two source trees analyse the same Reuters sample, alternately.

    .venv/bin/python benchmarks/quotes_speed.py --before /tmp/before --limit 2000 [--after .] [--rounds 2]

`--before` and `--after` are source trees of the toolkit (a checkout of any commit, e.g. a temporary
`git worktree`; `--after` defaults to this one). Each run is the command line a user types, `python -m
toolkit analyze SAMPLE --out DIR --no-cache` (every core, no cache), started with `nice -n 10` and
PYTHONPATH set to its tree, so each tree runs its own code with the shared venv. The runs alternate
(before, after, before, after, ...) so both see the same load on a shared machine. Measured per run: wall
time, and CPU time (user + system of the run and its worker processes), which moves less with the other
users' load. The sample is the first `--limit` articles of the corpus (all with
`--limit 0`), written to a temporary folder that is deleted at the end; the corpus is read from
../shared (override with REUTERS_CORPUS).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import itertools
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("REUTERS_CORPUS", ROOT.parent / "shared" / "corpora" / "reuters21578.jsonl.gz"))


def write_sample(limit: int, folder: Path) -> Path:
    """The first `limit` lines (articles) of the corpus as a .jsonl.gz in `folder` (all of them when 0)."""
    path = folder / "sample.jsonl.gz"
    with gzip.open(CORPUS, "rt", encoding="utf-8") as source, gzip.open(path, "wt", encoding="utf-8") as target:
        target.writelines(itertools.islice(source, limit or None))
    return path


def run(tree: Path, sample: Path, out: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds in all and the command's own CPU seconds (the client: loading, combining the
    chunks' frames, the corpus-level steps, writing the files) of one cold analysis of `sample` by `tree`.

    CPU: the command's own (from `getrusage`, exact) plus its worker processes', sampled every 0.1 s
    (the pool's workers are children of multiprocessing's fork server, which nobody here waits for)."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    command = subprocess.Popen(["nice", "-n", "10", sys.executable, "-m", "toolkit", "analyze", str(sample), "--out",
                                str(out), "--no-cache"], cwd=tree, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    root = psutil.Process(command.pid)
    workers: dict[int, float] = {}
    while command.poll() is None:
        try:
            for process in root.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    times = process.cpu_times()
                    workers[process.pid] = times.user + times.system
        except psutil.Error:
            pass
        time.sleep(0.1)
    wall = time.perf_counter() - started
    if command.returncode:
        raise SystemExit(f"{tree}: the analysis failed (exit status {command.returncode})")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, own + sum(workers.values()), own


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, required=True, help="source tree of the toolkit before the change")
    parser.add_argument("--after", type=Path, default=ROOT, help="source tree after it (default: this one)")
    parser.add_argument("--limit", type=int, default=2000, help="first N Reuters articles (0: all)")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each tree, alternating")
    args = parser.parse_args()
    if not CORPUS.is_file():
        raise SystemExit(f"Reuters corpus not found at {CORPUS}")
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    times: dict[str, list[tuple[float, float]]] = {"before": [], "after": []}
    with tempfile.TemporaryDirectory() as folder:
        sample = write_sample(args.limit, Path(folder))
        for round_ in range(1, args.rounds + 1):
            for name, tree in trees.items():
                wall, cpu, client = run(tree, sample, Path(folder) / f"{name}-{round_}")
                times[name].append((wall, cpu))
                print(f"round {round_} {name} ({tree}): wall {wall:.1f} s, CPU {cpu:.1f} s "
                      f"(the command's own {client:.1f} s, its workers {cpu - client:.1f} s)", flush=True)
    print(f"\n{args.limit or 'all'} articles; before = {trees['before']}, after = {trees['after']}\n")
    print("| round | before wall | after wall | ratio | before CPU | after CPU | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for round_, ((bw, bc), (aw, ac)) in enumerate(zip(times["before"], times["after"]), start=1):
        print(f"| {round_} | {bw:.1f} s | {aw:.1f} s | {aw / bw:.2f} | {bc:.1f} s | {ac:.1f} s | {ac / bc:.2f} |")
    median = {name: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
              for name, runs in times.items()}
    (bw, bc), (aw, ac) = median["before"], median["after"]
    print(f"| median | {bw:.1f} s | {aw:.1f} s | **{aw / bw:.2f}** | {bc:.1f} s | {ac:.1f} s | **{ac / bc:.2f}** |")


if __name__ == "__main__":
    main()

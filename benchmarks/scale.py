"""Ten times the corpus: a scaled Reuters-21578 through the Dask engine on this machine's cores.

    .venv/bin/python benchmarks/scale.py --factor 10                 # 190,430 articles (the lead's run)
    .venv/bin/python benchmarks/scale.py --factor 1 --versions 1     # the real corpus: the 1x reference
    .venv/bin/python benchmarks/scale.py --factor 0.2                # 3,810 articles: checks the script
    .venv/bin/python benchmarks/scale.py --redraw-only DIR           # the Explorer alone, on a saved analysis
    .venv/bin/python benchmarks/scale.py --redraw-only DIR --copies 100   # ... on it repeated 100 times

The corpus is `factor` x 19,043 articles: `versions` versions of each of the first
round(19,043 x factor / versions) real articles: the article itself, then copies whose sentences, with
the first sentence of an earlier article (another for each copy), are shuffled (so their word 5-shingles differ and near-duplicate
detection keeps them apart) and whose publication date moves on by `SHIFT_DAYS` a version (so they
spread over the months, like a feed). It
is written to a `.jsonl.gz` one article at a time, never held in memory whole, and read by the loader.

Then `toolkit.analyze(..., engine="dask")` runs it on a local Dask cluster of one single-threaded
worker process a core (empty cache), and the script reports wall time, words per second, the peak
resident memory of this (the client's) process and of each worker (sampled every 0.2 s with psutil),
and the Explorer's redraw time on the result: the median of 20 changes of its filters (entities, tone,
time axis, search), each counted by the mentions model and drawn. `--save` also writes the analysis as
files and datasets (`Analysis.save`) and reports how long that takes.

`--redraw-only DIR` skips the NLP: it opens the analysis saved in DIR (`toolkit.open`, e.g. the `out`
folder of a `--save` run) and measures only the Explorer. With `--copies N` it first repeats that
analysis N times (article ids suffixed, publication and named dates moved on `--shift-days` a copy),
a synthetic large analysis whose Explorer can be measured without hours of NLP.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import psutil

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("REUTERS_CORPUS", ROOT.parent / "shared" / "corpora" / "reuters21578.jsonl.gz"))
REUTERS_ARTICLES = 19_043
SHIFT_DAYS = 61  # each version two months after the one before: ten versions span a year and a half
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(<])")


def sentences(text: str) -> list[str]:
    return SENTENCE_END.split(" ".join(text.split()))


def shuffled(parts: list[str], seed: str) -> str:
    """The sentences in another order, three a paragraph."""
    parts = list(parts)
    random.Random(seed).shuffle(parts)
    return "\n    ".join(" ".join(parts[at:at + 3]) for at in range(0, len(parts), 3))


def versions_of(item: dict[str, Any], versions: int, before: Sequence[list[str]]) -> Iterator[dict[str, Any]]:
    """The article, then its `versions - 1` copies: its sentences and the first sentence of an article
    `before` it (another for each copy), shuffled, the date moved on. The borrowed sentence keeps one-
    and two-sentence articles, which shuffling leaves as they were, apart from their copies."""
    yield item
    own = sentences(item["text"])
    published = pd.Timestamp(item["published"]) if item.get("published") else None
    for version in range(1, versions):
        borrowed = [before[-1 - (version - 1) % len(before)][0]] if before else []
        copy = dict(item, id=f"{item['id']}-v{version}", text=shuffled(own + borrowed, f"{item['id']}-{version}"))
        if published is not None:
            copy["published"] = (published + pd.Timedelta(days=SHIFT_DAYS * version)).isoformat()
        yield copy


def build(path: Path, factor: float, versions: int) -> tuple[int, int]:
    """Write the scaled corpus to `path`, streaming; returns (articles, words)."""
    originals = round(REUTERS_ARTICLES * factor / versions)
    articles = words = 0
    with gzip.open(CORPUS, "rt", encoding="utf-8") as source, gzip.open(path, "wt", encoding="utf-8") as out:
        before: deque[list[str]] = deque(maxlen=versions)
        for line, _ in zip(source, range(originals)):
            original = json.loads(line)
            for item in versions_of(original, versions, before):
                out.write(json.dumps(item) + "\n")
                articles += 1
                words += len(item["text"].split())
            before.append(sentences(original["text"]))
    return articles, words


class PeakMemory:
    """Peak resident memory of some processes, sampled in a thread, overall and in each phase of the run
    (`phase` names the one under way: the client's peak in each says where its memory goes)."""

    def __init__(self, pids: dict[str, int], every: float = 0.2) -> None:
        self.processes = {name: psutil.Process(pid) for name, pid in pids.items()}
        self.peaks = dict.fromkeys(pids, 0)
        self.phase = "analyze"
        self.client_by_phase: dict[str, int] = {}
        self._stop = threading.Event()
        self._every = every
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            for name, process in self.processes.items():
                try:
                    rss = process.memory_info().rss
                except psutil.Error:
                    continue
                self.peaks[name] = max(self.peaks[name], rss)
                if name == "client":
                    self.client_by_phase[self.phase] = max(self.client_by_phase.get(self.phase, 0), rss)
            self._stop.wait(self._every)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def explorer_redraws(analysis: Any) -> dict[str, float]:
    """Seconds to build the Explorer; the median and slowest of 20 filter changes of its widgets (the
    mentions model counts, the chart is drawn to PNG, the table filled); and of 20 counts of its model
    alone with other selections (entities, tone, search word, time axis). The medians also in CPU
    seconds of this process, which other users of a shared machine inflate less than wall time."""
    from toolkit.explore import Explorer
    from toolkit.mentions import MentionFilter

    started = time.perf_counter()
    explorer = Explorer(analysis)
    built = time.perf_counter() - started
    top = explorer.model.ranked().index[:12].tolist()
    changes = [
        lambda: setattr(explorer.entity_picker, "value", tuple(top[:3])),
        lambda: setattr(explorer.tone, "value", (-0.5, 1.0)),
        lambda: setattr(explorer.entity_picker, "value", tuple(top[3:6])),
        lambda: setattr(explorer.tone, "value", (-1.0, 1.0)),
        lambda: setattr(explorer.time_axis, "value", "event"),
        lambda: setattr(explorer.entity_picker, "value", tuple(top[6:9])),
        lambda: setattr(explorer.time_axis, "value", "published"),
        lambda: setattr(explorer.text_search, "value", "oil"),
        lambda: setattr(explorer.text_search, "value", ""),
        lambda: setattr(explorer.entity_picker, "value", tuple(top[9:12])),
    ]
    times, cpu = [], []
    for change in changes * 2:
        tick, cpu_tick = time.perf_counter(), time.process_time()
        change()
        times.append(time.perf_counter() - tick)
        cpu.append(time.process_time() - cpu_tick)
    queries = [(MentionFilter(names=tuple(top[at:at + 3]), tone=tone, text=text), by)
               for at, tone, text, by in zip(range(0, 12, 3), [(-1.0, 1.0), (-0.5, 1.0), (-1.0, 0.0), (0.0, 1.0)],
                                             ["", "oil", "", "said"], ["published", "event", "position", "published"])]
    counts, count_cpu = [], []
    for query, by in (queries * 5)[:20]:
        tick, cpu_tick = time.perf_counter(), time.process_time()
        explorer.model.count(query, by=by, freq=explorer.model.default_freq(by))
        counts.append(time.perf_counter() - tick)
        count_cpu.append(time.process_time() - cpu_tick)
    return {"build_seconds": built, "median_seconds": statistics.median(times), "max_seconds": max(times),
            "model_median_seconds": statistics.median(counts), "model_max_seconds": max(counts),
            "cpu_median_seconds": statistics.median(cpu), "model_cpu_median_seconds": statistics.median(count_cpu)}


def repeated(analysis: Any, copies: int, shift_days: int = SHIFT_DAYS) -> Any:
    """`analysis` `copies` times over: copy n has "-vn" after each article id (and `duplicate_of`) and
    its publication dates, and the dates its sentences name, moved on `shift_days` x n days."""
    from toolkit.pipeline import Analysis

    def repeat(frame: pd.DataFrame, ids: tuple[str, ...], dated: tuple[str, ...]) -> pd.DataFrame:
        parts = []
        for copy in range(copies):
            part = frame.copy(deep=False)
            for column in (c for c in ids if c in frame and copy):
                part[column] = frame[column].astype("string") + f"-v{copy}"
            for column in (c for c in dated if c in frame and copy):
                part[column] = frame[column] + pd.Timedelta(days=shift_days * copy)
            parts.append(part)
        return pd.concat(parts, ignore_index=True)

    return Analysis(
        articles=repeat(analysis.articles, ("article_id", "duplicate_of"), ("published",)),
        sentences=repeat(analysis.sentences, ("article_id",), ()),
        entities=repeat(analysis.entities, ("article_id",), ("published",)),
        dates=repeat(analysis.dates, ("article_id",), ("date",)),
        quotes=repeat(analysis.quotes, ("article_id",), ("published",)),
        problems=analysis.problems,
    )


def redraw_only(folder: Path, copies: int, shift_days: int) -> dict[str, Any]:
    """The Explorer's timings (`explorer_redraws`) on the analysis saved in `folder`, repeated `copies` times."""
    import resource

    import toolkit
    from toolkit.dataset import in_memory

    started = time.perf_counter()
    analysis = toolkit.open(folder)
    if copies > 1:
        analysis = repeated(in_memory(analysis), copies, shift_days)
    prepared = time.perf_counter() - started
    redraw = explorer_redraws(analysis)
    return {"folder": str(folder), "copies": copies, "shift_days": shift_days, "prepare_seconds": prepared,
            "articles": len(analysis.articles), "sentences": len(analysis.sentences),
            "mentions": len(analysis.entities), "explorer": redraw,
            "peak_rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9,
            "load_average": os.getloadavg()}


def redraw_table(result: dict[str, Any]) -> str:
    explorer = result["explorer"]
    return "\n".join([
        "| analysis | articles | sentences | mentions | Explorer build (s) | model count: median (slowest) ms "
        "| widget change: median (slowest) ms | medians in CPU ms: model / widgets | peak RSS (GB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {result['folder']} x {result['copies']} | {result['articles']:,} | {result['sentences']:,} "
        f"| {result['mentions']:,} | {explorer['build_seconds']:.1f} "
        f"| {explorer['model_median_seconds'] * 1000:.0f} ({explorer['model_max_seconds'] * 1000:.0f}) "
        f"| {explorer['median_seconds'] * 1000:.0f} ({explorer['max_seconds'] * 1000:.0f}) "
        f"| {explorer['model_cpu_median_seconds'] * 1000:.0f} / {explorer['cpu_median_seconds'] * 1000:.0f} "
        f"| {result['peak_rss_gb']:.2f} |",
        "",
        f"- load average (1, 5, 15 min) at the end: {', '.join(f'{x:.1f}' for x in result['load_average'])}",
    ])


def run(work: Path, factor: float, versions: int, workers: int, save: bool) -> dict[str, Any]:
    from distributed import Client, LocalCluster

    import toolkit

    corpus = work / "scaled.jsonl.gz"
    started = time.perf_counter()
    articles, words = build(corpus, factor, versions)
    print(f"built {articles:,} articles ({words:,} words) in {time.perf_counter() - started:.0f} s",
          file=sys.stderr, flush=True)
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True) as cluster, Client(cluster) as client:
        pids = {"client": os.getpid(), **{f"worker {n + 1}": pid for n, pid in enumerate(client.run(os.getpid).values())}}
        with PeakMemory(pids) as memory:
            started = time.perf_counter()
            analysis = toolkit.analyze(corpus, engine="dask", client=client, cache_dir=work / "cache")
            seconds = time.perf_counter() - started
            saved = None
            if save:
                memory.phase = "save"
                tick = time.perf_counter()
                analysis.save(work / "out")
                saved = time.perf_counter() - tick
            memory.phase = "Explorer"
            redraw = explorer_redraws(analysis)
    return {
        "factor": factor, "versions": versions, "articles": articles, "words": words, "seconds": seconds,
        "words_per_second": words / seconds, "peak_rss_gb": {name: peak / 1e9 for name, peak in memory.peaks.items()},
        "client_peak_by_phase_gb": {phase: peak / 1e9 for phase, peak in memory.client_by_phase.items()},
        "explorer": redraw, "save_seconds": saved, "sentences": len(analysis.sentences),
        "mentions": len(analysis.entities), "near_copies": int(analysis.articles["duplicate_of"].notna().sum()),
        "load_average": os.getloadavg(),
    }


def table(result: dict[str, Any]) -> str:
    peaks = result["peak_rss_gb"]
    workers = ", ".join(f"{peaks[name]:.2f}" for name in peaks if name != "client")
    explorer = result["explorer"]
    lines = [
        "| factor | articles | words | seconds | words/s | client peak RSS (GB) | workers' peak RSS (GB) "
        "| Explorer redraw median (ms): model / widgets |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {result['factor']:g} ({result['versions']} version(s)) | {result['articles']:,} | {result['words']:,} "
        f"| {result['seconds']:.1f} | {result['words_per_second']:,.0f} | {peaks['client']:.2f} | {workers} "
        f"| {explorer['model_median_seconds'] * 1000:.0f} / {explorer['median_seconds'] * 1000:.0f} |",
        "",
        f"- load average (1, 5, 15 min) at the end: {', '.join(f'{x:.1f}' for x in result['load_average'])}",
        f"- output: {result['sentences']:,} sentences, {result['mentions']:,} mentions, {result['near_copies']:,} "
        f"articles flagged as near-copies",
        "- client peak RSS by phase (GB): " + ", ".join(f"{phase} {peak:.2f}" for phase, peak
                                                      in result["client_peak_by_phase_gb"].items()),
        f"- Explorer built in {explorer['build_seconds']:.1f} s; slowest of 20 model counts "
        f"{explorer['model_max_seconds'] * 1000:.0f} ms, of 20 widget redraws (count, chart PNG, table) "
        f"{explorer['max_seconds'] * 1000:.0f} ms",
    ]
    if result["save_seconds"] is not None:
        lines.append(f"- saved as files and month datasets in {result['save_seconds']:.1f} s")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--factor", type=float, default=10.0, help="corpus size in Reuters corpora (default 10)")
    parser.add_argument("--versions", type=int, default=10, help="versions of each article used (default 10)")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)), help="Dask worker processes")
    parser.add_argument("--work", type=Path, help="folder for the corpus and cache (default: a temporary one)")
    parser.add_argument("--save", action="store_true", help="also time Analysis.save (files and datasets)")
    parser.add_argument("--redraw-only", type=Path, metavar="DIR",
                        help="no NLP: time only the Explorer on the analysis saved in DIR")
    parser.add_argument("--copies", type=int, default=1, help="with --redraw-only: repeat the analysis this many times")
    parser.add_argument("--shift-days", type=int, default=SHIFT_DAYS,
                        help=f"with --copies: days each copy's dates move on (default {SHIFT_DAYS})")
    args = parser.parse_args()
    if args.redraw_only is not None:
        result = redraw_only(args.redraw_only, max(args.copies, 1), args.shift_days)
        print(json.dumps(result), file=sys.stderr)
        print(redraw_table(result))
        return
    if not CORPUS.is_file():
        raise SystemExit(f"Reuters corpus not found at {CORPUS} (set REUTERS_CORPUS)")
    if not 1 <= args.versions <= math.ceil(args.factor * REUTERS_ARTICLES):
        raise SystemExit("--versions must be between 1 and the number of articles")
    with tempfile.TemporaryDirectory(prefix="newslens-scale-") as folder:
        work = args.work or Path(folder)
        work.mkdir(parents=True, exist_ok=True)
        result = run(work, args.factor, args.versions, args.workers, args.save)
        print(json.dumps(result), file=sys.stderr)
        print(table(result))


if __name__ == "__main__":
    main()

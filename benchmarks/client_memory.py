"""Where a cold Dask run's client memory goes, step by step, on a slice of the scaled corpus.

The 10x run (`scale.py`) takes 40 minutes; this runs the same kind of corpus (the real articles plus
shuffled, re-dated copies) at a size that takes minutes, through a local Dask cluster in this process
as `scale.py` does, and prints the client's peak resident memory in each step of the analysis (the
steps are marked by wrapping the pipeline's functions), glibc's own view of its heap at each step
(`mallinfo2`: heap, mapped blocks, bytes in use, bytes free but held), the frames' size, and the
Explorer's model built on the result.

    python benchmarks/client_memory.py --articles 50000 --work /tmp/cm   # ten minutes on two cores
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.scale import REUTERS_ARTICLES, build  # noqa: E402

STEPS = ("load_with_problems", "run_dask", "_assemble", "near_duplicates", "_across_corpus", "_corpus_speakers",
         "_with_emptied")


class MallInfo(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]


class Steps:
    """The client's peak RSS in each step, sampled every 0.05 s in a thread."""

    def __init__(self) -> None:
        self.process = psutil.Process()
        self.step = "start"
        self.peaks: dict[str, int] = {}
        self.heap: dict[str, str] = {}
        self._stop = threading.Event()
        self._libc = ctypes.CDLL("libc.so.6")
        self._libc.mallinfo2.restype = MallInfo
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            rss = self.process.memory_info().rss
            self.peaks[self.step] = max(self.peaks.get(self.step, 0), rss)
            time.sleep(0.05)

    def enter(self, step: str) -> None:
        info = self._libc.mallinfo2()
        self.heap[step] = (f"heap {info.arena / 1e9:.3f}, mapped {info.hblkhd / 1e9:.3f}, in use "
                           f"{info.uordblks / 1e9:.3f}, free but held {info.fordblks / 1e9:.3f}")
        self.step = step

    def wrap(self, module: Any, name: str) -> None:
        function: Callable[..., Any] = getattr(module, name)

        def marked(*args: Any, **kwargs: Any) -> Any:
            self.enter(name)
            return function(*args, **kwargs)

        setattr(module, name, marked)

    def stop(self) -> None:
        self._stop.set()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=50_000, help="articles in the scaled corpus (default 50,000)")
    parser.add_argument("--versions", type=int, default=10, help="versions of each article (default 10, as scale.py)")
    parser.add_argument("--work", type=Path, required=True, help="folder for the corpus and an empty cache")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    corpus = args.work / f"scaled-{args.articles}.jsonl.gz"
    if not corpus.exists():
        build(corpus, args.articles / REUTERS_ARTICLES, args.versions)

    import toolkit
    import toolkit.pipeline as pipeline
    from toolkit.memory import return_freed_memory
    from toolkit.mentions import Mentions

    steps = Steps()
    for name in STEPS:
        steps.wrap(pipeline, name)
    cache = args.work / f"cache-{time.strftime('%H%M%S')}"  # empty: a cold run
    started = time.perf_counter()
    analysis = toolkit.analyze(corpus, engine="dask", cache_dir=cache, progress=False)
    seconds = time.perf_counter() - started
    steps.enter("analysis returned")
    frames = sum(int(getattr(analysis, name).memory_usage(deep=True).sum())
                 for name in ("articles", "sentences", "entities", "dates", "quotes", "problems"))
    gc.collect()
    return_freed_memory(len(analysis.articles))
    steps.enter("Explorer's model")
    Mentions(analysis)
    steps.enter("end")
    time.sleep(0.2)
    steps.stop()
    print(f"{len(analysis.articles):,} articles in {seconds:.0f} s; frames {frames / 1e9:.3f} GB")
    print("| step | client peak RSS (GB) | glibc at the step's start (GB) |\n|---|---:|---|")
    for step, peak in steps.peaks.items():
        print(f"| {step} | {peak / 1e9:.3f} | {steps.heap.get(step, '')} |")


if __name__ == "__main__":
    main()

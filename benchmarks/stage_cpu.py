"""CPU time of each per-article stage, and a check that a change leaves every frame as it was.

    .venv/bin/python benchmarks/stage_cpu.py --limit 2000                 # CPU seconds per stage
    .venv/bin/python benchmarks/stage_cpu.py --limit 2000 --save DIR      # keep every frame of `analyze`
    .venv/bin/python benchmarks/stage_cpu.py --limit 2000 --compare DIR   # the same frames as DIR's, or a diff

The stages run as `toolkit.engines.analyze_chunk` runs them, chunk by chunk in this process, each timed
with `time.process_time` (so the first split and tag include loading NLTK; spaCy is loaded before).
`--save`/`--compare` run `toolkit.analyze` in one process without the cache and keep (or compare with
`pandas.testing.assert_frame_equal`) the articles, sentences, entities, dates, quotes and problems frames:
a speed change must leave them all equal. The sample is the first `--limit` Reuters articles, read from
../shared (override with REUTERS_CORPUS) into a temporary file.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("REUTERS_CORPUS", ROOT.parent / "shared" / "corpora" / "reuters21578.jsonl.gz"))
FRAMES = ("articles", "sentences", "entities", "dates", "quotes", "problems")


def write_sample(limit: int, folder: Path) -> Path:
    """The first `limit` articles of the corpus as a .jsonl.gz in `folder`."""
    path = folder / "sample.jsonl.gz"
    with gzip.open(CORPUS, "rt", encoding="utf-8") as source, gzip.open(path, "wt", encoding="utf-8") as target:
        target.writelines(itertools.islice(source, limit))
    return path


def stage_times(sample: Path) -> dict[str, float]:
    """CPU seconds of each stage of `analyze_chunk` over the sample, chunk by chunk, and their total."""
    from toolkit import engines
    from toolkit.load import load_with_problems
    from toolkit.nlp import ner_pipeline

    articles, _ = load_with_problems(sample)
    ner_pipeline()
    settings = engines.Settings()
    spent: dict[str, float] = defaultdict(float)

    def timed(stage: str, function: Callable[..., Any], *args: Any, **options: Any) -> Any:
        started = time.process_time()
        result = function(*args, **options)
        spent[stage] += time.process_time() - started
        return result

    started = time.process_time()
    for chunk in engines.chunked(articles):
        cleaned = timed("clean", engines.clean, chunk, rules=settings.rules)
        sentences = timed("split", engines.split, cleaned)
        sentences = timed("score", engines.score, sentences, sentiment=settings.sentiment)
        tagged = timed("tag", engines.tag_articles, cleaned, sentences, aliases=settings.aliases,
                       demonyms=settings.demonyms, model=settings.model)
        entities = timed("tone", engines.entity_tone, tagged, sentences)
        timed("signatures", engines.signatures, cleaned["text"].tolist())
        timed("dates", engines.resolve_dates, cleaned, sentences, entities)
        timed("attribute", engines.attribute, cleaned, sentences, entities, verbs=settings.reporting_verbs,
              sentiment=settings.sentiment)
    spent["total"] = time.process_time() - started
    return dict(spent)


def frames(sample: Path) -> dict[str, pd.DataFrame]:
    """Every frame of `toolkit.analyze` on the sample, in this process, without the cache."""
    import toolkit

    analysis = toolkit.analyze(sample, cache=False, workers=1, progress=False)
    found = {name: getattr(analysis, name) for name in FRAMES}
    found["articles"] = found["articles"].drop(columns="path")  # where this run wrote the sample
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=2000, help="first N Reuters articles")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--save", type=Path, help="folder to keep every frame in (pickles: exact dtypes)")
    what.add_argument("--compare", type=Path, help="folder of frames kept with --save to compare with")
    args = parser.parse_args()
    if not CORPUS.is_file():
        raise SystemExit(f"Reuters corpus not found at {CORPUS}")
    with tempfile.TemporaryDirectory() as folder:
        sample = write_sample(args.limit, Path(folder))
        if args.save is None and args.compare is None:
            for stage, seconds in stage_times(sample).items():
                print(f"{stage:<12}{seconds:7.2f} s")
            return
        found = frames(sample)
    if args.save is not None:
        args.save.mkdir(parents=True, exist_ok=True)
        for name, frame in found.items():
            frame.to_pickle(args.save / f"{name}.pkl")
        print(", ".join(f"{name} {len(frame)} rows" for name, frame in found.items()), f"kept in {args.save}")
        return
    different = 0
    for name, frame in found.items():
        try:
            kept = pd.read_pickle(args.compare / f"{name}.pkl")
            pd.testing.assert_frame_equal(frame, kept.drop(columns="path", errors="ignore"))
            print(f"{name}: equal ({len(frame)} rows)")
        except AssertionError as error:
            different += 1
            print(f"{name}: DIFFERENT\n{error}")
    sys.exit(1 if different else 0)


if __name__ == "__main__":
    main()

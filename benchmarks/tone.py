"""Entity tone: the shipped model against the sentence-VADER baseline on NewsMTSC, and its speed on Reuters.

    .venv/bin/python -m benchmarks.tone                 # prints the markdown tables for benchmarks/README.md
    .venv/bin/python -m benchmarks.tone --articles 300  # speed on fewer Reuters articles

Quality: macro-F1, accuracy and each class's F1 over the targets of NewsMTSC's `devtest_mt.jsonl`
(read from `../shared/eval/newsmtsc/`, override: `NEWSMTSC=...`), never used in training or choices.
Speed: the first `--articles` Reuters-21578 articles (`../shared/corpora/reuters21578.jsonl.gz`,
override: `REUTERS_CORPUS=...`) are analysed once without cache; then the tone stage alone is timed on
their mentions (model already loaded, best of 3), in this one process: wall time, and the process's
CPU time, which a busy shared machine inflates less.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from benchmarks.train_tone import featurise, figures, read
from toolkit import tone

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("REUTERS_CORPUS", ROOT.parent / "shared" / "corpora" / "reuters21578.jsonl.gz"))


def quality() -> list[tuple[str, dict[str, float]]]:
    features, gold, vader, _ = featurise(read("devtest_mt.jsonl"))
    return [("sentence VADER (each target gets its sentence's label)", figures(gold, vader)),
            ("toolkit tone model", figures(gold, tone.probabilities(features).argmax(axis=1)))]


def speed(articles: int) -> tuple[int, int, float, float, float]:
    """Articles, mentions, mentions a second (wall, CPU) of the tone stage alone, and its share of the
    CPU time of the whole per-article analysis."""
    import toolkit
    from toolkit.load import load_with_problems

    corpus, _ = load_with_problems(CORPUS)
    from toolkit.nlp import ner_pipeline

    ner_pipeline()
    tone.model()
    tone.word_vectors()
    started_cpu = time.process_time()
    analysis = toolkit.analyze_articles(corpus.head(articles), cache=False, workers=1, progress=False)
    total_cpu = time.process_time() - started_cpu
    entities = analysis.entities.drop(columns=["tone", "tone_score"])
    wall = cpu = float("inf")
    for _ in range(3):
        started, started_cpu = time.perf_counter(), time.process_time()
        tone.entity_tone(entities, analysis.sentences)
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - started_cpu)
    return articles, len(entities), len(entities) / wall, len(entities) / cpu, cpu / total_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000, help="Reuters articles whose mentions are timed")
    args = parser.parse_args()
    print("| scorer | macro-F1 | accuracy | F1 negative | F1 neutral | F1 positive |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, scored in quality():
        print(f"| {name} | **{scored['macro-F1']:.3f}** | {scored['accuracy']:.3f} | {scored['F1 negative']:.3f} "
              f"| {scored['F1 neutral']:.3f} | {scored['F1 positive']:.3f} |")
    articles, mentions, wall, cpu, share = speed(args.articles)
    size, vectors = ((ROOT / "toolkit" / name).stat().st_size for name in (tone.MODEL_FILE, tone.VECTORS_FILE))
    print(f"\nTone stage on {articles:,} Reuters articles: {mentions:,} mentions, {wall:,.0f} mentions/s wall, "
          f"{cpu:,.0f} a CPU-second (one process), {share:.1%} of the CPU time of the whole analysis of those "
          f"articles (model loading excluded); model file {size / 1e6:.2f} MB, word vectors {vectors / 1e6:.2f} MB.")


if __name__ == "__main__":
    main()

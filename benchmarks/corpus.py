"""Corpus scale: the toolkit (cold and warm cache) against a naive spaCy + VADER loop, on Reuters-21578.

    .venv/bin/python benchmarks/corpus.py            # prints the markdown table for benchmarks/README.md

Each measurement runs in a fresh child process (`--phase NAME`), so its peak memory is its own: the
parent samples the resident memory of the child's whole process tree (workers included) every 0.1 s.
Phases:
- `naive`: spaCy's full `en_core_web_sm` pipeline in one process over every (cleaned) article, and
  VADER (`vaderSentiment`) on every sentence of spaCy's parser;
- `cold`: `toolkit.analyze` with an empty cache (both cores, NER only);
- `warm`: the same again, reading the cache;
- `ner`: the toolkit's NER-only pipeline, to check it finds exactly the full pipeline's entities;
- `explorer`: median time of 20 filter changes in `toolkit.explore.Explorer` on the whole corpus.
The corpus is read from `../shared/corpora/reuters21578.jsonl.gz` (override: `REUTERS_CORPUS`); no
corpus text is written anywhere but a temporary folder, deleted at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
import psutil

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("REUTERS_CORPUS", ROOT.parent / "shared" / "corpora" / "reuters21578.jsonl.gz"))
PHASES = ("cold", "warm", "explorer", "ner", "naive")


def _cleaned() -> pd.DataFrame:
    from toolkit.clean import clean
    from toolkit.load import load_with_problems

    articles, _ = load_with_problems(CORPUS)
    return clean(articles)


def _save_entities(rows: list[tuple[str, int, int, str]], path: Path) -> None:
    pd.DataFrame(rows, columns=["article_id", "start", "end", "label"]).to_parquet(path, index=False)


def phase_naive(work: Path) -> dict[str, float]:
    """spaCy's full pipeline (tagger, parser, lemmatizer, NER...) and VADER per parsed sentence."""
    import spacy
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from toolkit.nlp import model_package

    articles = _cleaned()
    texts, ids = articles["text"].tolist(), articles["article_id"].tolist()
    started = time.perf_counter()
    nlp = spacy.load(model_package())
    vader = SentimentIntensityAnalyzer()
    rows = []
    for article_id, doc in zip(ids, nlp.pipe(texts, batch_size=64)):
        for sentence in doc.sents:
            vader.polarity_scores(sentence.text)
        rows += [(article_id, ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]
    seconds = time.perf_counter() - started
    _save_entities(rows, work / "naive.parquet")
    return {"seconds": seconds}


def phase_ner(work: Path) -> dict[str, float]:
    """The toolkit's NER-only pipeline over the same texts (two processes), raw entities kept."""
    from toolkit.nlp import ner_pipeline

    articles = _cleaned()
    texts, ids = articles["text"].tolist(), articles["article_id"].tolist()
    started = time.perf_counter()
    docs = ner_pipeline().pipe(texts, batch_size=64, n_process=2)
    rows = [(article_id, e.start_char, e.end_char, e.label_) for article_id, doc in zip(ids, docs) for e in doc.ents]
    _save_entities(rows, work / "ner.parquet")
    return {"seconds": time.perf_counter() - started}


def _toolkit_run(work: Path) -> dict[str, float]:
    import toolkit
    from toolkit.load import load_with_problems

    started = time.perf_counter()
    articles, problems = load_with_problems(CORPUS)
    loaded = time.perf_counter()
    analysis = toolkit.analyze_articles(articles, problems=problems, cache=True, cache_dir=work / "cache")
    done = time.perf_counter()
    return {"seconds": done - started, "load_seconds": loaded - started, "analysis_seconds": done - loaded,
            "entities": len(analysis.entities), "sentences": len(analysis.sentences),
            "duplicates": int(analysis.articles["duplicate_of"].notna().sum())}


def phase_explorer(work: Path) -> dict[str, float]:
    """Median seconds from setting a filter widget to the redrawn plot, over 20 changes."""
    import toolkit
    from toolkit.explore import Explorer

    analysis = toolkit.analyze(CORPUS, cache_dir=work / "cache")
    started = time.perf_counter()
    explorer = Explorer(analysis)
    built = time.perf_counter() - started
    top = analysis.entities["entity"].value_counts().index[:10].tolist()
    changes = [
        lambda: setattr(explorer.tone, "value", (-0.5, 1.0)),
        lambda: setattr(explorer.tone, "value", (-1.0, 1.0)),
        lambda: setattr(explorer.entity_picker, "value", tuple(top[:3])),
        lambda: setattr(explorer.entity_picker, "value", tuple(top[3:6])),
        lambda: setattr(explorer.time_axis, "value", "event"),
        lambda: setattr(explorer.time_axis, "value", "published"),
        lambda: setattr(explorer.text_search, "value", "oil"),
        lambda: setattr(explorer.text_search, "value", ""),
        lambda: setattr(explorer.share, "value", True),
        lambda: setattr(explorer.share, "value", False),
    ]
    times = []
    for change in changes * 2:
        tick = time.perf_counter()
        change()
        times.append(time.perf_counter() - tick)
    return {"seconds": statistics.median(times), "build_seconds": built, "max_seconds": max(times)}


def run_phase(name: str, work: Path) -> dict[str, float]:
    """Run one phase in a child process; add its wall time and its process tree's peak RSS."""
    child = psutil.Popen([sys.executable, __file__, "--phase", name, "--work", str(work)],
                         stdout=subprocess.PIPE, text=True)
    peak, stop = [0], threading.Event()

    def sample() -> None:
        while not stop.is_set():
            try:
                tree = [child, *child.children(recursive=True)]
                peak[0] = max(peak[0], sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    started = time.perf_counter()
    sampler.start()
    output, _ = child.communicate()
    stop.set()
    sampler.join()
    if child.returncode:
        raise SystemExit(f"phase {name} failed (exit {child.returncode})")
    result = json.loads(output.strip().splitlines()[-1])
    return {**result, "wall_seconds": time.perf_counter() - started, "peak_rss_gb": peak[0] / 1e9}


def compare_entities(work: Path) -> dict[str, int]:
    naive = pd.read_parquet(work / "naive.parquet")
    ner = pd.read_parquet(work / "ner.parquet")
    merged = naive.merge(ner, how="outer", indicator=True)
    counts = merged["_merge"].value_counts()
    return {"naive": len(naive), "ner_only": len(ner), "only_naive": int(counts.get("left_only", 0)),
            "only_ner": int(counts.get("right_only", 0))}


def table(results: dict[str, dict[str, float]], articles: int, words: int, entities: dict[str, int]) -> str:
    def rate(seconds: float) -> str:
        return f"{articles / seconds:,.0f} | {words / seconds:,.0f}"

    naive, cold, warm = results["naive"], results["cold"], results["warm"]
    lines = [
        "| run | seconds | articles/s | words/s | peak RSS (GB) |",
        "|---|---:|---:|---:|---:|",
        f"| (a) naive: full spaCy pipeline + VADER, 1 process | {naive['seconds']:.1f} | {rate(naive['seconds'])} "
        f"| {naive['peak_rss_gb']:.2f} |",
        f"| (b) toolkit, cold cache (load {cold['load_seconds']:.1f} s + analysis {cold['analysis_seconds']:.1f} s) "
        f"| {cold['seconds']:.1f} | {rate(cold['seconds'])} | {cold['peak_rss_gb']:.2f} |",
        f"| (c) toolkit, warm cache (load {warm['load_seconds']:.1f} s + analysis {warm['analysis_seconds']:.1f} s) "
        f"| {warm['seconds']:.1f} | {rate(warm['seconds'])} | {warm['peak_rss_gb']:.2f} |",
        "",
        f"- speed-up (a)/(b): **{naive['seconds'] / cold['seconds']:.1f}x** "
        f"(naive analysis alone vs. toolkit end to end, loading included)",
        f"- entities, spaCy's raw NER output as (article, start, end, label): full pipeline {entities['naive']:,}, "
        f"NER only {entities['ner_only']:,}; only in the full pipeline {entities['only_naive']:,}, only in NER-only "
        f"{entities['only_ner']:,}",
        f"- toolkit output: {cold['sentences']:,} sentences, {cold['entities']:,} entity mentions, "
        f"{cold['duplicates']:,} articles flagged as near-duplicates",
    ]
    if "explorer" in results:
        explorer = results["explorer"]
        lines.append(f"- explorer on the whole corpus: median update {explorer['seconds'] * 1000:.0f} ms over 20 "
                     f"filter changes (slowest {explorer['max_seconds'] * 1000:.0f} ms; built in "
                     f"{explorer['build_seconds']:.1f} s)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        run = {"naive": phase_naive, "ner": phase_ner, "explorer": phase_explorer}.get(args.phase, _toolkit_run)
        print(json.dumps(run(args.work)))
        return
    if not CORPUS.is_file():
        raise SystemExit(f"Reuters corpus not found at {CORPUS} (set REUTERS_CORPUS)")
    from toolkit.load import load_with_problems

    articles, _ = load_with_problems(CORPUS)
    words = int(articles["raw_text"].str.split().str.len().sum())
    with tempfile.TemporaryDirectory(prefix="newslens-bench-") as folder:
        work = Path(folder)
        results = {}
        for name in PHASES:
            if name == "explorer" and not (ROOT / "toolkit" / "explore.py").is_file():
                continue
            results[name] = run_phase(name, work)
            print(f"{name}: {json.dumps(results[name])}", file=sys.stderr, flush=True)
        print(table(results, len(articles), words, compare_entities(work)))


if __name__ == "__main__":
    main()

"""Train the entity-tone model (`toolkit/data/tone_model.npz`) on NewsMTSC and report its figures.

    .venv/bin/python -m benchmarks.train_tone            # train on train.jsonl, write the model, print figures
    .venv/bin/python -m benchmarks.train_tone --check    # score the shipped model on devtest_mt.jsonl only

NewsMTSC (Hamborg & Donnay, EACL 2021; MIT licence) is read from `../shared/eval/newsmtsc/` (override:
`NEWSMTSC=...`). Choices (regularisation, class weights) were made on a dev split of `train.jsonl`: the
articles whose id hashes into 15 of 100 buckets. The final model is trained on all of `train.jsonl`;
`devtest_mt.jsonl` is only ever scored. Deterministic: no random state is involved (lbfgs from zeros).
"""

from __future__ import annotations

import argparse
import json
import os
import zlib
from pathlib import Path

import numpy as np

from toolkit import tone
from toolkit.sentiment import label, score_text

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("NEWSMTSC", ROOT.parent / "shared" / "eval" / "newsmtsc"))
POLARITY = {2.0: 0, 4.0: 1, 6.0: 2}  # NewsMTSC's codes in `tone.TONES` order
DEV_BUCKETS = 15  # of 100: the share of train.jsonl's articles held out for choices
C = 0.1  # inverse L2 strength, chosen on the dev split
CLASS_WEIGHT: str | None = "balanced"


def read(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def featurise(rows: list[dict]) -> tuple[list[tone.Featurised], np.ndarray, np.ndarray, list[str]]:
    """Features and article of every sentence; gold class and sentence-VADER class of every target."""
    features, gold, vader, articles = [], [], [], []
    for row in rows:
        text = row["sentence_normalized"]
        scores = score_text(text)
        spans = [(t["from"], t["to"]) for t in row["targets"]]
        features.append(tone.sentence_features(text, spans, (scores["compound"], scores["neg"], scores["pos"])))
        gold += [POLARITY[t["polarity"]] for t in row["targets"]]
        vader += [tone.TONES.index(label(scores["compound"]))] * len(spans)
        articles.append("_".join(row["primary_gid"].split("_")[:3]))
    return features, np.array(gold), np.array(vader), articles


def matrix(features: list[tone.Featurised]):
    """Sparse design matrix, one row a mention: hashed feature counts, then the numeric features."""
    from scipy import sparse

    width = 2 ** tone.HASH_BITS
    rows, cols, vals = [], [], []
    mentions = [(sentence.shared + ids, numeric) for sentence in features for ids, numeric in sentence.mentions]
    for r, (ids, numeric) in enumerate(mentions):
        rows += [r] * (len(ids) + len(numeric))
        cols += ids + list(range(width, width + len(numeric)))
        vals += [1.0] * len(ids) + numeric
    shape = (len(mentions), width + len(tone.NUMERIC))
    return sparse.csr_matrix((vals, (rows, cols)), shape=shape, dtype=np.float64)


def fit(features, gold, *, c: float = C, class_weight: str | None = CLASS_WEIGHT) -> tone.ToneModel:
    from sklearn.linear_model import LogisticRegression

    classifier = LogisticRegression(C=c, class_weight=class_weight, max_iter=1000)
    classifier.fit(matrix(features), gold)
    weights = classifier.coef_.T.astype(np.float32)
    width = 2 ** tone.HASH_BITS
    return tone.ToneModel(weights[:width], weights[width:], classifier.intercept_.astype(np.float32))


def figures(gold: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    """Macro-F1, accuracy and each class's F1."""
    out = {"accuracy": float((gold == predicted).mean())}
    f1s = []
    for c, name in enumerate(tone.TONES):
        tp = np.sum((gold == c) & (predicted == c))
        precision = tp / max(1, np.sum(predicted == c))
        recall = tp / max(1, np.sum(gold == c))
        f1s.append(0.0 if tp == 0 else 2 * precision * recall / (precision + recall))
        out[f"F1 {name}"] = float(f1s[-1])
    out["macro-F1"] = float(np.mean(f1s))
    return out


def dev_split(articles: list[str]) -> np.ndarray:
    return np.array([zlib.crc32(a.encode()) % 100 < DEV_BUCKETS for a in articles])


def save(m: tone.ToneModel, path: Path) -> None:
    """Store the rows of hashed features that carry weight, in float16 (a few MB at most)."""
    rows = np.flatnonzero(np.abs(m.hashed).max(axis=1) > 0)
    np.savez_compressed(path, rows=rows.astype(np.int32), weights=m.hashed[rows].astype(np.float16),
                        numeric=m.numeric, bias=m.bias)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only score the shipped model on devtest_mt.jsonl")
    parser.add_argument("--search", action="store_true", help="score a grid of choices on the dev split")
    args = parser.parse_args()
    test_features, test_gold, test_vader, _ = featurise(read("devtest_mt.jsonl"))
    if not args.check:
        features, gold, _, articles = featurise(read("train.jsonl"))
        held_sentences = dev_split(articles)
        held = np.repeat(held_sentences, [len(sentence.mentions) for sentence in features])
        train_rows = [f for f, h in zip(features, held_sentences) if not h]
        dev_rows = [f for f, h in zip(features, held_sentences) if h]
        grid = [(c, w) for c in (0.03, 0.1, 0.3) for w in (None, "balanced")] if args.search else [(C, CLASS_WEIGHT)]
        for c, weight in grid:
            dev_model = fit(train_rows, gold[~held], c=c, class_weight=weight)
            predicted = tone.probabilities(dev_rows, dev_model).argmax(axis=1)
            dev = figures(gold[held], predicted)
            several = np.repeat([len(f.mentions) > 1 for f in dev_rows], [len(f.mentions) for f in dev_rows])
            dev["macro-F1 on sentences with several targets"] = figures(gold[held][several], predicted[several])["macro-F1"]
            print(f"dev split (C={c}, class_weight={weight}): " + ", ".join(f"{k} {v:.3f}" for k, v in dev.items()))
        if args.search:
            return
        save(fit(features, gold), ROOT / "toolkit" / tone.MODEL_FILE)
        tone.model.cache_clear()
    for name, predicted in (("sentence VADER", test_vader),
                            ("toolkit tone", tone.probabilities(test_features).argmax(axis=1))):
        scored = figures(test_gold, predicted)
        print(f"devtest_mt {name}: " + ", ".join(f"{k} {v:.3f}" for k, v in scored.items()))


if __name__ == "__main__":
    main()

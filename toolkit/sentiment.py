"""Score stage: VADER sentiment for every sentence, with the lexicon that `vaderSentiment` ships.

Two analysers share that one lexicon file (chosen with `sentiment=`, here as in `toolkit.analyze`;
`engine=` names the compute backend only):
- `"vader"` (default): the VADER authors' reference code from the `vaderSentiment` package.
- `"nltk"`: NLTK's `SentimentIntensityAnalyzer`. NLTK opens its lexicon through `nltk.data.load`, which
  (NLTK 3.10) refuses files outside NLTK's data path and would otherwise need `nltk.download`;
  `_nltk_analyzer` hands it the packaged lexicon text instead, leaving that check as it is.
NLTK's port drops one-letter words, scores a repeated word in the context of its first occurrence and
lacks the reference's "no" rule, so its neg/neu/pos differ from the reference on most sentences and its
compound on a few percent (measured in `benchmarks/README.md`); hence the reference is the default.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Protocol

import pandas as pd

from toolkit.text import straight_quotes

LEXICON_PACKAGE = "vaderSentiment"
LEXICON_FILE = "vader_lexicon.txt"
POSITIVE_THRESHOLD = 0.05  # VADER's own convention for compound scores
SCORE_COLUMNS = ["neg", "neu", "pos", "compound", "sentiment"]
ANALYSERS = ("vader", "nltk")


def lexicon_path() -> Path:
    """The VADER lexicon file inside the installed `vaderSentiment` package."""
    return Path(str(resources.files(LEXICON_PACKAGE).joinpath(LEXICON_FILE)))


def lexicon_sha256() -> str:
    return hashlib.sha256(lexicon_path().read_bytes()).hexdigest()


class Analyzer(Protocol):
    lexicon: dict[str, float]

    def polarity_scores(self, text: str) -> dict[str, float]: ...


def _nltk_analyzer(lexicon_text: str) -> Analyzer:
    """NLTK's VADER analyser, fed the lexicon text directly rather than through `nltk.data.load`.

    NLTK is imported here, not at the top: it costs about a second, and only this analyser needs it."""
    from nltk.sentiment.vader import SentimentIntensityAnalyzer, VaderConstants

    class PackagedLexiconAnalyzer(SentimentIntensityAnalyzer):
        def __init__(self) -> None:  # mirrors the parent's three attributes
            self.lexicon_file = lexicon_text
            self.lexicon = self.make_lex_dict()
            self.constants = VaderConstants()

        def make_lex_dict(self) -> dict[str, float]:
            # The packaged file ends with a newline, which NLTK's parser would read as an empty entry.
            return {
                word: float(measure)
                for word, measure, *_ in (line.split("\t") for line in self.lexicon_file.splitlines() if line.strip())
            }

    return PackagedLexiconAnalyzer()


@lru_cache(maxsize=len(ANALYSERS))
def analyzer(sentiment: str = "vader") -> Analyzer:
    """The shared VADER analyser of that name (built once per process)."""
    if sentiment == "vader":
        from vaderSentiment import vaderSentiment

        return vaderSentiment.SentimentIntensityAnalyzer(lexicon_file=str(lexicon_path()))
    if sentiment == "nltk":
        return _nltk_analyzer(lexicon_path().read_text(encoding="utf-8"))
    raise ValueError(f"unknown sentiment analyser {sentiment!r}; choose one of {', '.join(ANALYSERS)}")


def label(compound: float) -> str:
    if compound >= POSITIVE_THRESHOLD:
        return "positive"
    if compound <= -POSITIVE_THRESHOLD:
        return "negative"
    return "neutral"


def score_text(text: str, *, sentiment: str = "vader") -> dict[str, float]:
    """VADER scores of one sentence (`sentiment` names the analyser). Curly quotes are straightened first: VADER strips only ASCII
    punctuation from words, so `“very disappointed,”` would hide "very" from its lexicon (-0.296 instead
    of -0.816)."""
    return analyzer(sentiment).polarity_scores(straight_quotes(text))


def score_variants(*, sentiment: str = "vader", **variants: str) -> pd.DataFrame:
    """Scores of a sentence and variants of it, one row each: for seeing what moves VADER's score."""
    scores = pd.DataFrame({name: score_text(text, sentiment=sentiment) for name, text in variants.items()}).T
    return scores.assign(text=list(variants.values()))


def score(sentences: pd.DataFrame, *, sentiment: str = "vader") -> pd.DataFrame:
    """Score stage: add `neg, neu, pos, compound` (VADER, or the analyser `sentiment` names) and the
    `sentiment` label to each sentence."""
    scores = [score_text(text, sentiment=sentiment) for text in sentences["text"]]
    compound = [s["compound"] for s in scores]
    return sentences.assign(
        neg=pd.array([s["neg"] for s in scores], dtype="float64"),
        neu=pd.array([s["neu"] for s in scores], dtype="float64"),
        pos=pd.array([s["pos"] for s in scores], dtype="float64"),
        compound=pd.array(compound, dtype="float64"),
        sentiment=pd.array([label(c) for c in compound], dtype="string"),
    )

"""newslens-toolkit: news text into tidy pandas frames of sentences, sentiment, entities and dates.

    import toolkit
    analysis = toolkit.analyze("data/")
    analysis.sentences.head()

The light stages import eagerly; plotting and widgets load on first use and spaCy when entities are
first needed, so `import toolkit` stays well under a second.
"""

from __future__ import annotations

import os
from importlib import import_module
from typing import Any

from toolkit.clean import Rule, clean
from toolkit.dates import resolve_dates
from toolkit.entities import default_aliases, default_demonyms, tag
from toolkit.load import from_texts, load, load_with_problems
from toolkit.pipeline import Analysis, analyze, analyze_articles
from toolkit.problems import InputError
from toolkit.sentiment import score
from toolkit.text import split
from toolkit.timeline import cooccurrence, mentions_over_time, quotes_by_speaker
from toolkit.tone import entity_tone

__version__ = "0.1.0"

_LAZY: dict[str, str] = {
    "write_report": "toolkit.report",
    "Explorer": "toolkit.explore",
    "plot_mentions_over_time": "toolkit.plots",
    "plot_sentiment_arc": "toolkit.plots",
    "plot_tone_by_entity": "toolkit.plots",
    "plot_cooccurrence": "toolkit.plots",
    "plot_event_timeline": "toolkit.plots",
    "plot_quotes_by_speaker": "toolkit.plots",
}

__all__ = [
    "Analysis", "InputError", "Rule", "analyze", "analyze_articles", "clean", "cooccurrence", "default_aliases",
    "default_demonyms", "entity_tone", "from_texts", "load", "load_with_problems", "mentions_over_time", "open",
    "quotes_by_speaker", "resolve_dates", "score", "split", "tag", *_LAZY, "__version__",
]


def open(folder: str | os.PathLike[str], *, lazy: bool | None = None, limit: int | None = None) -> Any:
    """The analysis `analyze --out DIR` wrote, read back without recomputing: an `Analysis`, or a lazy one
    (Dask frames) when larger than `limit` bytes in memory (see `toolkit.dataset.open_analysis`)."""
    from toolkit.dataset import open_analysis

    return open_analysis(folder, lazy=lazy, limit=limit)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'toolkit' has no attribute {name!r}")

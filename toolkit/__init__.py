"""newslens-toolkit: news text into tidy pandas frames of sentences, sentiment, entities and dates.

    import toolkit
    analysis = toolkit.analyze("data/")
    analysis.sentences.head()

Every public name loads on first use (PEP 562): `import toolkit` imports no third-party package, so
it takes a few milliseconds; `toolkit.analyze` brings pandas, NLTK arrives with the first sentence
to split, spaCy with the first entities to tag, matplotlib, ipywidgets and Bokeh with the first plot,
Explorer or report. `tests/test_imports.py` holds that line.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what type checkers and editors see; at run time `__getattr__` imports on first use
    from toolkit.clean import Rule, clean
    from toolkit.dates import resolve_dates
    from toolkit.entities import default_aliases, default_demonyms, tag
    from toolkit.explore import Explorer
    from toolkit.load import from_texts, load, load_with_problems
    from toolkit.pipeline import Analysis, analyze, analyze_articles
    from toolkit.plots import (
        plot_cooccurrence, plot_event_timeline, plot_mentions_over_time, plot_quotes_by_speaker,
        plot_sentiment_arc, plot_tone_by_entity,
    )
    from toolkit.problems import InputError
    from toolkit.report import write_report
    from toolkit.sentiment import score
    from toolkit.text import split
    from toolkit.timeline import cooccurrence, mentions_over_time, quotes_by_speaker
    from toolkit.tone import entity_tone

__version__ = "0.1.0"

# Public name -> the module that defines it.
_HOMES: dict[str, str] = {
    "Rule": "toolkit.clean", "clean": "toolkit.clean",
    "resolve_dates": "toolkit.dates",
    "default_aliases": "toolkit.entities", "default_demonyms": "toolkit.entities", "tag": "toolkit.entities",
    "from_texts": "toolkit.load", "load": "toolkit.load", "load_with_problems": "toolkit.load",
    "Analysis": "toolkit.pipeline", "analyze": "toolkit.pipeline", "analyze_articles": "toolkit.pipeline",
    "InputError": "toolkit.problems",
    "score": "toolkit.sentiment",
    "split": "toolkit.text",
    "cooccurrence": "toolkit.timeline", "mentions_over_time": "toolkit.timeline",
    "quotes_by_speaker": "toolkit.timeline",
    "entity_tone": "toolkit.tone",
    "write_report": "toolkit.report",
    "Explorer": "toolkit.explore",
    "plot_mentions_over_time": "toolkit.plots",
    "plot_sentiment_arc": "toolkit.plots",
    "plot_tone_by_entity": "toolkit.plots",
    "plot_cooccurrence": "toolkit.plots",
    "plot_event_timeline": "toolkit.plots",
    "plot_quotes_by_speaker": "toolkit.plots",
}

__all__ = [*_HOMES, "open", "__version__"]


def open(folder: str | os.PathLike[str], *, lazy: bool | None = None, limit: int | None = None) -> Any:
    """The analysis `analyze --out DIR` wrote, read back without recomputing: an `Analysis`, or a lazy one
    (Dask frames) when larger than `limit` bytes in memory (see `toolkit.dataset.open_analysis`)."""
    from toolkit.dataset import open_analysis

    return open_analysis(folder, lazy=lazy, limit=limit)


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        value = getattr(import_module(_HOMES[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'toolkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


class _Package(ModuleType):
    """`toolkit.clean` and `toolkit.load` name functions, as when they were imported eagerly: loading the
    modules of the same name (which sets them as attributes of the package) binds their functions instead."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, ModuleType) and value.__name__ == _HOMES.get(name):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

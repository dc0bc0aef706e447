"""Share stage: execute notebooks headless and write them as HTML, plots and widget state included.

Each notebook runs top to bottom in a fresh kernel of the current environment, from its own folder
(so relative paths in it work as in JupyterLab). The widgets' state is stored in the notebook's
metadata, so the HTML shows the widgets as they were at the end of the run. The widgets' HTML manager
(vendored in `toolkit/static`) is inlined into the page, so it needs no network when opened; the plots
are plain images.

A page has no kernel, so a live widget would only pretend to work there. An output that carries a
static view beside its widget (`text/html`, as `toolkit.Explorer` gives: the standalone report,
which filters in the browser) is written as that static view. A page with no widget left and no math
asks the network for nothing (nbconvert's template would load require.js and MathJax from a CDN).
"""

from __future__ import annotations

import base64
import copy
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from os import PathLike
from pathlib import Path

import nbformat
from jinja2 import DictLoader
from jupyter_client.manager import KernelManager
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
    with tempfile.TemporaryDirectory(prefix="newslens-kernel-") as sockets:
        # Local sockets at an absolute path (the kernel runs in the notebook's folder): no TCP ports open.
        kernel = KernelManager(kernel_name=KERNEL, transport="ipc", ip=str(Path(sockets) / "kernel"))
        client = NotebookClient(notebook, km=kernel, timeout=timeout, store_widget_state=True,
                                resources={"metadata": {"path": str(path.parent.resolve())}})
        try:
            client.execute()
        finally:
            if kernel.has_kernel:
                kernel.shutdown_kernel(now=True)
    return notebook


WIDGET_RENDERER = "jupyter-widgets-html-manager-1.0.15-embed.js"


@lru_cache(maxsize=1)
def _inline_widget_renderer() -> str:
    """The widgets' HTML manager as a `data:` URL, so the page renders saved widgets offline."""
    script = resources.files("toolkit").joinpath("static", WIDGET_RENDERER).read_bytes()
    return "data:text/javascript;base64," + base64.b64encode(script).decode("ascii")


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def static_outputs(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy whose outputs that carry both a widget and a static HTML view keep only the static one;
    with no widget left to show, the saved widget state goes too (and with it the widgets' renderer)."""
    page = copy.deepcopy(notebook)
    widgets_left = False
    for cell in page.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data and "text/html" in data:
                del data[WIDGET_VIEW]
            widgets_left |= WIDGET_VIEW in data
    if not widgets_left:
        page.metadata.pop("widgets", None)
    return page


# JupyterLab's page, asking the network for require.js only when widgets are left to show (their
# renderer may load through it) and for MathJax only when a markdown cell holds `$` math.
PAGE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- if resources.newslens_widgets -%}{{ super() }}{%- endif -%}{%- endblock -%}
{%- block html_head_js_mathjax -%}{%- if resources.newslens_math -%}{{ super() }}{%- endif -%}{%- endblock -%}
"""


def to_html(notebook: nbformat.NotebookNode) -> str:
    """An executed notebook as one HTML page (JupyterLab's look, images and widget renderer embedded),
    widgets with a static view written as that view; with neither widgets nor math it needs no network."""
    page = static_outputs(notebook)
    exporter = HTMLExporter(template_name="lab", template_file="newslens.html.j2",
                            extra_loaders=[DictLoader({"newslens.html.j2": PAGE_TEMPLATE})],
                            widget_renderer_url=_inline_widget_renderer())
    resources = {"newslens_widgets": "widgets" in page.metadata,
                 "newslens_math": any("$" in cell.source for cell in page.cells if cell.cell_type == "markdown")}
    body, _ = exporter.from_notebook_node(page, resources=resources)
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

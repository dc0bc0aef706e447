"""Entry point: the newslens web app, for people who do not write code.

Upload your own articles (or take the sample), read the summary, explore who is mentioned in what
tone and when, read the quotes, and download every frame as CSV. `App()` is the widget (the app
notebook `app/newslens.ipynb` only displays it); `serve()` runs that notebook with Voila, with idle
kernels culled so that tabs left open or closed without notice do not keep ~350 MB kernels alive.
Voila also shuts a page's kernel down when its tab closes (a `beforeunload` beacon).

    python -m toolkit.app --port 8866        # what `make app` runs
"""

from __future__ import annotations

import argparse
import base64
import html
import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd

from toolkit.pipeline import Analysis, analyze
from toolkit.problems import InputError

ROOT = Path(__file__).resolve().parents[1]
APP_NOTEBOOK = ROOT / "app" / "newslens.ipynb"
SAMPLE = ROOT / "data" / "000_739a1000ab1b0261.txt"  # its date comes from data/metadata.csv
# The suffixes `toolkit.load` reads (a `.gz` is a compressed JSON-lines corpus); `metadata.csv` beside
# uploaded `.txt` files gives their titles and dates, as in a folder.
UPLOAD_SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".json", ".ndjson", ".csv", ".gz")
METADATA_FILE = "metadata.csv"
MAX_UPLOAD_MB = 50
TOP_ENTITIES = 8
# Kernel culling: a kernel with no activity for CULL_IDLE_SECONDS is shut down (also while a tab is
# still connected to it: a forgotten tab must not hold memory forever), checked every CULL_INTERVAL_SECONDS.
CULL_IDLE_SECONDS = 900
CULL_INTERVAL_SECONDS = 60

HEADER = """
<div style="line-height:1.45; max-width:980px">
<h1 style="margin:0 0 4px 0; font-size:1.7em">newslens</h1>
<div style="font-size:1.05em">Who is mentioned in your news articles, in what tone, and when.</div>
<div style="color:#555; margin-top:4px">Upload one or more articles: <b>.txt</b>, saved web pages
(<b>.html</b>), a JSON-lines corpus (<b>.jsonl</b>, one article a line with a <code>text</code> field)
or a <b>.csv</b> with a <code>text</code> column; a <code>metadata.csv</code> uploaded with <code>.txt</code>
files gives their titles and dates. Or try the sample article. Uploads are analysed in memory and not kept.</div>
</div>
"""
STYLE = """
<style>
.newslens-app pre.newslens-summary {white-space: pre-wrap; font-size: 13px; background: #f6f6f6;
  padding: 8px 10px; border-radius: 4px; margin: 0; line-height: 1.35;}
.newslens-app table.newslens-quotes {border-collapse: collapse; width: 100%; font-size: 13px;}
.newslens-app table.newslens-quotes th, .newslens-app table.newslens-quotes td {text-align: left;
  vertical-align: top; padding: 4px 8px; border-bottom: 1px solid #ddd;}
.newslens-app table.newslens-quotes th {border-bottom: 2px solid #999;}
.newslens-app a.newslens-download {display: inline-block; margin: 4px 10px 4px 0; padding: 5px 12px;
  border: 1px solid #1565c0; border-radius: 4px; color: #1565c0; text-decoration: none;}
.newslens-app a.newslens-download:hover, .newslens-app a.newslens-download:focus {background: #e3f2fd;
  outline: 2px solid #1565c0;}
</style>
"""


class App(widgets.VBox):
    """The app: inputs at the top; once articles are analysed, their summary, the Explorer, the quotes
    and the downloads below. `analysis` holds the current `Analysis` (None until one is loaded)."""

    def __init__(self, *, sample: Path | None = SAMPLE) -> None:
        self.analysis: Analysis | None = None
        self.sample = sample if sample is not None and sample.is_file() else None
        self.upload = widgets.FileUpload(accept=",".join(UPLOAD_SUFFIXES), multiple=True,
                                         description="Upload articles", button_style="primary",
                                         tooltip="choose .txt, .html, .jsonl or .csv files (several at once if you like)",
                                         layout=widgets.Layout(width="190px"))
        self.sample_button = widgets.Button(description="Try the sample article", disabled=self.sample is None,
                                            tooltip="a scraped article about a Trump–Putin call (July 2025)",
                                            layout=widgets.Layout(width="190px"))
        self.published = widgets.DatePicker(description="Published",
                                            tooltip="the date of articles that state none (a .txt has none)",
                                            style={"description_width": "70px"}, layout=widgets.Layout(width="260px"))
        self.status = widgets.HTML("<span style='color:#555'>Nothing loaded yet.</span>")
        self.results = widgets.VBox()
        self.upload.observe(self._on_upload, "value")
        self.sample_button.on_click(lambda _: self.load_sample())
        super().__init__([
            widgets.HTML(STYLE + HEADER),
            widgets.HBox([self.upload, self.sample_button, self.published],
                         layout=widgets.Layout(align_items="center", flex_flow="row wrap")),
            widgets.HTML("<small style='color:#666'>Dates: give <b>Published</b> before uploading .txt "
                         "files, so that “Thursday” or “last month” can be placed in time.</small>"),
            self.status,
            self.results,
        ])
        self.add_class("newslens-app")

    # --- loading ---------------------------------------------------------------------------------

    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if files:
            self.load_files([(item["name"], bytes(item["content"])) for item in files])
            self.upload.value = ()  # so that choosing the same file again is a new upload

    def load_files(self, files: Sequence[tuple[str, bytes]]) -> Analysis | None:
        """Analyse uploaded files, given as (name, content) pairs; a bad file shows one line and returns None.

        The files are written to a private temporary folder that is deleted once they are loaded.
        """
        with tempfile.TemporaryDirectory(prefix="newslens-upload-") as folder:
            try:
                paths = _write_uploads(files, Path(folder))
            except InputError as error:
                self._fail(str(error))
                return None
            return self._analyse(paths, folder=Path(folder), cache=False, what=_plural(len(paths), "file"))

    def load_sample(self) -> Analysis | None:
        """Analyse the sample article (cached: the second time is instant)."""
        if self.sample is None:
            self._fail("the sample article is not installed")
            return None
        return self._analyse([self.sample], folder=None, cache=True, what="the sample article")

    def _analyse(self, paths: Sequence[Path], *, folder: Path | None, cache: bool, what: str) -> Analysis | None:
        self._busy(True)
        self.status.value = f"<span style='color:#555'>Analysing {html.escape(what)}…</span>"
        started = time.perf_counter()
        try:
            analysis = analyze(*paths, published=self.published.value, cache=cache, progress=False)
        except InputError as error:
            self._fail(_without_folder(str(error), folder))
            return None
        finally:
            self._busy(False)
        if folder is not None:
            analysis = _relative_to(analysis, folder)
        self.analysis = analysis
        seconds = time.perf_counter() - started
        entities = analysis.entities
        self.status.value = (
            f"<span style='color:#2e7d32'>Analysed {html.escape(what)} in {seconds:.1f} s: "
            f"{_plural(len(analysis.articles), 'article')}, {_plural(len(analysis.sentences), 'sentence')}, "
            f"{_plural(len(entities), 'mention')} of "
            f"{_plural(entities['entity'].nunique() if len(entities) else 0, 'entity', 'entities')}.</span>")
        self.results.children = self._sections(analysis)
        return analysis

    def _fail(self, message: str) -> None:
        self.status.value = f"<span style='color:#c62828'><b>Could not analyse</b> {html.escape(message)}</span>"

    def _busy(self, busy: bool) -> None:
        self.upload.disabled = busy
        self.sample_button.disabled = busy or self.sample is None

    # --- results ---------------------------------------------------------------------------------

    def _sections(self, analysis: Analysis) -> list[widgets.Widget]:
        from toolkit.explore import Explorer

        explorer = Explorer(analysis)
        explorer.add_class("newslens-explorer")
        tabs = [("Explore mentions", explorer)]
        quotes = getattr(analysis, "quotes", None)
        if isinstance(quotes, pd.DataFrame):
            tabs.append((f"Quotes ({len(quotes)})", widgets.HTML(quotes_table(quotes))))
        tabs.append(("Download CSV", widgets.HTML(download_links(analysis))))
        tab = widgets.Tab(children=[widget for _, widget in tabs], titles=[title for title, _ in tabs])
        summary = widgets.HTML(f"<h3 style='margin:12px 0 4px 0'>Summary</h3>{summary_html(analysis)}")
        summary.add_class("newslens-summary-box")
        return [summary, tab]


def summary_html(analysis: Analysis) -> str:
    """The analysis summary, then the most mentioned entities, as escaped HTML."""
    counts = analysis.entities["entity"].value_counts() if len(analysis.entities) else pd.Series(dtype=int)
    top = ", ".join(f"{name} ({n})" for name, n in counts.head(TOP_ENTITIES).items()) or "none found"
    text = f"{analysis.summary()}\nmost mentioned: {top}"
    return f"<pre class='newslens-summary'>{html.escape(text)}</pre>"


def quotes_table(quotes: pd.DataFrame) -> str:
    """Quotes with their speakers as an escaped HTML table (speaker as written when unresolved)."""
    if quotes.empty:
        return "<p><i>No quotes found in these articles.</i></p>"
    speaker = quotes["speaker"].fillna(quotes["speaker_text"]) if "speaker" in quotes else quotes["speaker_text"]
    rows = "".join(
        f"<tr><td>{html.escape(str(who))}</td><td>{html.escape(str(cue))}</td><td>{html.escape(str(kind))}</td>"
        f"<td>{html.escape(str(text))}</td><td>{html.escape(str(article))}</td></tr>"
        for who, cue, kind, text, article in zip(speaker, quotes["cue"], quotes["kind"], quotes["text"],
                                                  quotes["article_id"]))
    head = "<tr><th>Speaker</th><th>Cue</th><th>Kind</th><th>Quote</th><th>Article</th></tr>"
    return f"<table class='newslens-quotes'>{head}{rows}</table>"


def download_links(analysis: Analysis) -> str:
    """One download link a frame, each CSV inside its `data:` URL (works in Voila with no file server)."""
    links = []
    with tempfile.TemporaryDirectory(prefix="newslens-csv-") as folder:
        for path in sorted(p for p in analysis.save(folder) if p.suffix == ".csv"):
            data = path.read_bytes()
            url = "data:text/csv;charset=utf-8;base64," + base64.b64encode(data).decode("ascii")
            links.append(f"<a class='newslens-download' download='{html.escape(path.name)}' href='{url}'>"
                         f"{html.escape(path.name)} <small>({_size(len(data))})</small></a>")
    return ("<p>Every frame as CSV (lists as JSON arrays; columns as in the README's data contract):</p>"
            + "".join(links))


def _write_uploads(files: Sequence[tuple[str, bytes]], folder: Path) -> list[Path]:
    """Write uploads into `folder` under their base names; the article files to load (not `metadata.csv`)."""
    paths = []
    for number, (name, content) in enumerate(files):
        base = Path(name).name
        if not base.lower().endswith(UPLOAD_SUFFIXES):
            raise InputError(base or "(unnamed upload)", f"not a {', '.join(UPLOAD_SUFFIXES)} file")
        if base.startswith("."):
            base = f"upload-{number}{base}"
        path = folder / base
        path.write_bytes(content)
        if base.lower() != METADATA_FILE:
            paths.append(path)
    if not paths:
        raise InputError(METADATA_FILE, "metadata alone: upload the articles it describes with it")
    return paths


def _relative_to(analysis: Analysis, folder: Path) -> Analysis:
    """The analysis with the temporary folder taken out of `articles.path` and `problems.source`."""
    articles = analysis.articles.assign(path=analysis.articles["path"].map(
        lambda value: value if pd.isna(value) else _without_folder(value, folder)).astype("string"))
    problems = analysis.problems.assign(source=analysis.problems["source"].map(
        lambda value: _without_folder(value, folder)).astype("string"))
    fields = {name: getattr(analysis, name) for name in analysis.__dataclass_fields__}
    return Analysis(**{**fields, "articles": articles, "problems": problems})


def _without_folder(text: str, folder: Path | None) -> str:
    return text if folder is None else text.replace(f"{folder}{os.sep}", "")


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


def _size(n_bytes: int) -> str:
    if n_bytes < 1024:
        return _plural(n_bytes, "byte")
    return f"{n_bytes / 1024:.0f} KB" if n_bytes < 1024**2 else f"{n_bytes / 1024**2:.1f} MB"


def voila_config(*, port: int, ip: str = "127.0.0.1", cull_idle_seconds: int = CULL_IDLE_SECONDS,
                 cull_interval_seconds: int = CULL_INTERVAL_SECONDS) -> Any:
    """Voila's settings for the app: culling of idle kernels, uploads up to MAX_UPLOAD_MB, no browser."""
    from traitlets.config import Config

    config = Config()
    config.Voila.port = port
    config.Voila.ip = ip
    config.Voila.open_browser = False
    config.Voila.tornado_settings = {"websocket_max_message_size": MAX_UPLOAD_MB * 1024**2}
    config.MappingKernelManager.cull_idle_timeout = cull_idle_seconds
    config.MappingKernelManager.cull_interval = cull_interval_seconds
    config.MappingKernelManager.cull_connected = True
    config.VoilaConfiguration.show_tracebacks = False
    config.VoilaConfiguration.prelaunch_hook = _set_xsrf_cookie
    return config


def _set_xsrf_cookie(request_handler: Any, notebook: Any = None, cwd: str | None = None) -> None:
    """Give the page its `_xsrf` cookie before the kernel starts (reading the token sets it).

    Voila's page sends the cookie's value with the shutdown beacon when the tab closes; without the
    cookie, the server refuses the beacon (403, voila-dashboards/voila#1458) and the kernel would
    stay until culled.
    """
    request_handler.xsrf_token


def serve(*, port: int = 8866, ip: str = "127.0.0.1", cull_idle_seconds: int = CULL_IDLE_SECONDS,
          cull_interval_seconds: int = CULL_INTERVAL_SECONDS) -> None:
    """Serve the app notebook with Voila on http://ip:port until interrupted."""
    try:
        from voila.app import Voila
    except ImportError:
        raise SystemExit("error: the app needs Voila: pip install 'newslens-toolkit[app]' "
                         "(make app installs it)") from None
    config = voila_config(port=port, ip=ip, cull_idle_seconds=cull_idle_seconds,
                          cull_interval_seconds=cull_interval_seconds)
    Voila.launch_instance(argv=[str(APP_NOTEBOOK)], config=config)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m toolkit.app", description="Serve the newslens app with Voila.")
    parser.add_argument("--port", type=int, default=8866)
    parser.add_argument("--ip", default="127.0.0.1", help="address to listen on (default: this machine only)")
    parser.add_argument("--cull-idle-seconds", type=int, default=CULL_IDLE_SECONDS,
                        help="shut a kernel down after this long without activity")
    parser.add_argument("--cull-interval-seconds", type=int, default=CULL_INTERVAL_SECONDS,
                        help="how often to look for idle kernels")
    args = parser.parse_args(argv)
    serve(port=args.port, ip=args.ip, cull_idle_seconds=args.cull_idle_seconds,
          cull_interval_seconds=args.cull_interval_seconds)


if __name__ == "__main__":
    main()

"""The newslens app: the widget driven from Python, then the served app in real headless Chromium.

The browser tests start the app (`python -m toolkit.app`, as `make app` does) on a free local port with
a short culling timeout, upload a hand-written article and look for its entities, and check that a
left page's kernel is shut down at once and a silently abandoned one is culled.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT
from toolkit.app import App, quotes_table

ARTICLE = ("Angela Merkel met Emmanuel Macron in Paris on Thursday. Merkel praised the French president.\n\n"
           "Macron said Germany and France would defend the euro. Christine Lagarde agreed.")
METADATA = "article_id,title,source,url,published\nsummit,Merkel meets Macron,,,2019-05-17\n"


def test_an_upload_is_analysed_and_its_temporary_folder_is_not_shown() -> None:
    app = App()
    analysis = app.load_files([("summit.txt", ARTICLE.encode()), ("metadata.csv", METADATA.encode())])
    assert analysis is app.analysis and analysis is not None
    assert analysis.articles["title"].tolist() == ["Merkel meets Macron"]
    assert analysis.articles["published"].tolist() == [pd.Timestamp("2019-05-17")]
    assert analysis.articles["path"].tolist() == ["summit.txt"]
    assert {"Angela Merkel", "Emmanuel Macron", "Christine Lagarde"} <= set(analysis.entities["entity"])
    assert "Analysed 1 file" in app.status.value and "1 article, 4 sentences, 9 mentions of 7 entities" in app.status.value
    summary, tabs = app.results.children
    assert "most mentioned: Angela Merkel (2), Emmanuel Macron (2)" in summary.value
    assert tabs.titles[0] == "Explore mentions" and tabs.titles[-1] == "Download CSV"


def test_each_download_link_holds_the_frame_as_saved(tmp_path: Path) -> None:
    app = App()
    analysis = app.load_files([("summit.txt", ARTICLE.encode())])
    links = dict(re.findall(r"download='([\w.]+)' href='data:text/csv;charset=utf-8;base64,([^']+)'",
                            app.results.children[1].children[-1].value))
    saved = {p.name: p for p in analysis.save(tmp_path) if p.suffix == ".csv"}
    assert set(links) == set(saved) >= {"articles.csv", "sentences.csv", "entities.csv", "dates.csv", "problems.csv"}
    for name, data in links.items():
        assert base64.b64decode(data) == saved[name].read_bytes()
    entities = pd.read_csv(io.BytesIO(base64.b64decode(links["entities.csv"])))
    assert entities["entity"].tolist() == analysis.entities["entity"].tolist()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("empty.txt", b"", "empty.txt: empty file"),
    ("scan.pdf", b"%PDF-1.4", "scan.pdf: not a .txt, .html, .htm, .jsonl, .json, .ndjson, .csv, .gz file"),
    ("image.txt", bytes(range(256)) * 8, "image.txt: binary data (control bytes), not text"),
    ("metadata.csv", METADATA.encode(), "metadata.csv: metadata alone: upload the articles it describes with it"),
])
def test_a_bad_upload_shows_one_line_naming_the_file(name: str, content: bytes, message: str) -> None:
    app = App()
    assert app.load_files([(name, content)]) is None and app.analysis is None
    assert app.status.value.endswith(f"<b>Could not analyse</b> {message}</span>")
    assert "newslens-upload-" not in app.status.value and "Traceback" not in app.status.value


def test_a_bad_upload_keeps_the_previous_results() -> None:
    app = App()
    app.load_files([("summit.txt", ARTICLE.encode())])
    shown = app.results.children
    app.load_files([("empty.txt", b"")])
    assert app.results.children == shown and "Could not analyse" in app.status.value


def test_quotes_are_a_table_of_escaped_text() -> None:
    quotes = pd.DataFrame({"article_id": ["a"], "kind": ["direct"], "cue": ["said"], "speaker_text": ["he"],
                           "speaker": [pd.NA], "text": ["<b>We will</b> defend the euro"]})
    table = quotes_table(quotes)
    assert "<td>he</td><td>said</td><td>direct</td><td>&lt;b&gt;We will&lt;/b&gt; defend the euro</td>" in table
    assert "No quotes found" in quotes_table(quotes.iloc[:0])


def test_the_app_notebook_only_displays_the_app() -> None:
    notebook = json.loads((ROOT / "app" / "newslens.ipynb").read_text(encoding="utf-8"))
    [cell] = notebook["cells"]
    assert "".join(cell["source"]) == "from toolkit.app import App\n\nApp()" and not cell["outputs"]


# --- the served app in Chromium ------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
CULL_SECONDS = 15
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).is_file(), reason=f"Chromium not found at {CHROMIUM}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The app served by Voila on a free port (culling after CULL_SECONDS idle); stopped afterwards."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    process = subprocess.Popen(
        [sys.executable, "-m", "toolkit.app", "--port", str(port), "--cull-idle-seconds", str(CULL_SECONDS),
         "--cull-interval-seconds", "1"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(120):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert process.poll() is None, process.stderr.read().decode()
                time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


def _open(browser: object, url: str) -> tuple[object, str]:
    """A new page with the app loaded; returns it and its kernel's id."""
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(url)
    page.wait_for_selector(".newslens-app .widget-upload", timeout=120_000)
    config = json.loads(page.locator("#jupyter-config-data").text_content())
    return page, config["kernelId"]


def _upload(page: object, path: Path) -> None:
    """Click the upload button and choose `path` in the file chooser, as a person would."""
    with page.expect_file_chooser() as chooser:
        page.locator(".newslens-app .widget-upload").click()
    chooser.value.set_files(str(path))


def _kernel_alive(url: str, kernel_id: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}api/kernels/{kernel_id}", timeout=10):
            return True
    except urllib.error.HTTPError as error:
        assert error.code == 404, error
        return False


@pytest.mark.browser
@needs_chromium
def test_upload_a_file_and_see_its_entities(server: str, browser: object, tmp_path: Path) -> None:
    page, kernel_id = _open(browser, server)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    assert "Nothing loaded yet." in page.inner_text(".newslens-app")
    assert page.locator(".newslens-explorer").count() == 0  # opens with nothing loaded, nothing selected

    article = tmp_path / "summit.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    _upload(page, article)
    page.wait_for_selector(".newslens-explorer", timeout=120_000)
    summary = page.inner_text(".newslens-summary-box")
    assert "1 article(s), 4 sentences" in summary and "Angela Merkel (2), Emmanuel Macron (2)" in summary
    listed = page.locator(".newslens-explorer select").first.inner_text().replace("\xa0", " ")
    for name in ("Angela Merkel", "Emmanuel Macron", "Christine Lagarde"):
        assert name in listed
    page.screenshot(path=str(tmp_path / "app-after-upload.png"), full_page=True)

    # Every link either downloads its CSV from a data: URL or opens a page that exists.
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)")
    assert sum(href.startswith("data:text/csv") for href in hrefs) >= 5
    for href in hrefs:
        if not href.startswith("data:"):
            with urllib.request.urlopen(href, timeout=10) as response:
                assert response.status == 200, href
    page.locator(".newslens-app .lm-TabBar-tab", has_text="Download CSV").click()
    with page.expect_download() as download:
        page.get_by_text("entities.csv").click()
    assert pd.read_csv(download.value.path())["entity"].str.contains("Angela Merkel").any()

    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    _upload(page, bad)
    page.get_by_text("Could not analyse").wait_for(timeout=60_000)
    assert "empty.txt: empty file" in page.inner_text(".newslens-app")
    assert errors == []

    assert _kernel_alive(server, kernel_id)
    # Leaving the page (as closing its tab does) sends Voila's shutdown beacon: the kernel goes at
    # once, well before the culler could take it (its last activity was moments ago).
    page.goto("about:blank")
    deadline = time.monotonic() + CULL_SECONDS - 5
    while _kernel_alive(server, kernel_id) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not _kernel_alive(server, kernel_id)
    page.close()


@pytest.mark.browser
@needs_chromium
def test_an_abandoned_kernel_is_culled(server: str, browser: object) -> None:
    page, kernel_id = _open(browser, server)
    page.close(run_before_unload=False)  # a crash or a lost connection: no beacon
    assert _kernel_alive(server, kernel_id)
    deadline = time.monotonic() + CULL_SECONDS + 20
    while _kernel_alive(server, kernel_id) and time.monotonic() < deadline:
        time.sleep(1)
    assert not _kernel_alive(server, kernel_id)


def test_the_sample_button_analyses_the_sample_article_with_its_date() -> None:
    app = App()
    analysis = app.load_sample()
    assert analysis is not None and analysis.problems.empty
    assert analysis.articles["published"].tolist() == [pd.Timestamp("2025-07-04")]
    assert {"Donald Trump", "Vladimir Putin", "Volodymyr Zelenskyy"} <= set(analysis.entities["entity"])


def test_skipped_lines_of_an_upload_are_listed_under_the_uploaded_name() -> None:
    corpus = ('{"text": "Angela Merkel spoke in Berlin.", "published": "2020-01-01"}\n{"headline": "no text"}\n')
    app = App()
    analysis = app.load_files([("corpus.jsonl", corpus.encode())])
    assert analysis is not None and len(analysis.articles) == 1
    assert analysis.problems["source"].tolist() == ["corpus.jsonl:2"]
    assert "corpus.jsonl:2: no text (missing or empty &#x27;text&#x27; field) (skipped)" in app.results.children[0].value

"""The standalone report in real headless Chromium, with the network blocked: filters work, text stays text.

Needs Debian's `chromium` (`make chromium` installs it when we are root); skipped with a reason otherwise.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import toolkit
from tests.conftest import DATA
from toolkit.report import write_report

playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
READY = "() => window.Bokeh && Bokeh.documents.length > 0 && Bokeh.documents[0].get_model_by_name('lines').data.name.length > 0"
HOSTILE = ("Volodymyr Zelenskyy spoke in Kyiv about <script>window.__pwned=1</script> and <b>bold</b> claims.\n\n"
           "Donald Trump wrote $x^2$ and **markdown** to Volodymyr Zelenskyy in Washington.")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).is_file(), reason=f"Chromium not found at {CHROMIUM} (`make chromium` installs it as root)"),
]


class Page:
    """One offline page: every request that is not file:// is aborted and recorded, as are script errors."""

    def __init__(self, page: playwright.Page) -> None:
        self.page, self.requests, self.errors = page, [], []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://") else route.abort())

    def open(self, path: Path) -> None:
        self.requests.clear()
        self.errors.clear()
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function(READY, timeout=20_000)

    def model(self, name: str, expression: str) -> object:
        return self.page.evaluate(f"() => {{ const model = Bokeh.documents[0].get_model_by_name({name!r}); return {expression}; }}")

    def table_text(self) -> list[str]:
        return self.page.locator("table tbody tr").all_inner_texts()

    def offline(self) -> list[str]:
        """Requests other than the report itself (and about:blank / data: URLs): should be none."""
        return [url for url in self.requests if not url.startswith(("file://", "about:blank", "data:"))]


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    with playwright.sync_playwright() as driver:
        context = driver.chromium.launch_persistent_context(
            tmp_path_factory.mktemp("chromium-profile"), executable_path=CHROMIUM, args=ARGS, headless=True,
            viewport={"width": 1280, "height": 1000},
        )
        try:
            yield Page(context.new_page())
        finally:
            context.close()


def test_selecting_an_entity_updates_chart_and_sentences(browser_page: Page, tmp_path: Path) -> None:
    analysis = toolkit.analyze(DATA)
    assert len(analysis.entities), "the sample article should have entity mentions"
    browser_page.open(write_report(analysis, tmp_path / "sample.html"))
    options = browser_page.model("entities", "model.options.map((option) => option[0])")
    before = {
        "lines": browser_page.model("lines", "model.data.name"),
        "counts": browser_page.model("lines", "model.data.ys.map((ys) => ys.reduce((a, b) => a + b, 0))"),
        "rows": browser_page.table_text(),
    }
    assert len(before["lines"]) > 1 and before["rows"]

    last = options[-1]  # the least mentioned entity: a real narrowing of the list
    browser_page.model("entities", f"model.value = [{last!r}]")
    browser_page.page.wait_for_function(
        "() => Bokeh.documents[0].get_model_by_name('lines').data.name.length == 1")
    lines = browser_page.model("lines", "model.data")
    assert lines["name"] == [last] and lines != before["lines"]
    assert sum(lines["ys"][0]) == (analysis.entities["entity"] == last).sum() < sum(before["counts"])
    rows = browser_page.table_text()
    assert rows and rows != before["rows"] and all(last in row for row in rows)
    mentions = int((analysis.entities["entity"] == last).sum())
    assert browser_page.model("summary", "model.text").startswith(f"{mentions} mention{'s' if mentions > 1 else ''} of 1 entity in ")
    assert browser_page.errors == [] and browser_page.offline() == []


def test_hostile_text_shows_literally_and_never_runs(browser_page: Page, tmp_path: Path) -> None:
    analysis = toolkit.analyze_articles(toolkit.from_texts([HOSTILE], published="2025-07-04"))
    assert len(analysis.entities), "the hostile article should have entity mentions"
    browser_page.open(write_report(analysis, tmp_path / "hostile.html", title="<i>$$t$$</i>"))
    browser_page.model("entities", "model.value = []")
    browser_page.page.wait_for_function("() => Bokeh.documents[0].get_model_by_name('lines').data.name[0] == 'all entities'")
    assert browser_page.page.evaluate("typeof window.__pwned") == "undefined"
    table = "\n".join(browser_page.table_text())
    for literal in ("<script>window.__pwned=1</script>", "<b>bold</b>", "$x^2$", "**markdown**"):
        assert literal in table
    assert browser_page.page.locator("h1").inner_text() == "<i>$$t$$</i>"
    assert browser_page.page.locator("td b, td script, mjx-container, .MathJax").count() == 0
    assert browser_page.errors == [] and browser_page.offline() == []


def test_narrowing_the_dates_keeps_only_those_days(browser_page: Page, tmp_path: Path) -> None:
    texts = ["Donald Trump called Volodymyr Zelenskyy on Thursday.", "Donald Trump met Vladimir Putin in Moscow."]
    articles = toolkit.from_texts(texts).assign(published=pd.to_datetime(["2025-07-01", "2025-07-04"]))
    browser_page.open(write_report(toolkit.analyze_articles(articles), tmp_path / "days.html"))
    assert {row.split("\t")[0] for row in browser_page.table_text()} == {"1 Jul 2025", "4 Jul 2025"}
    browser_page.model("time", "model.value = [model.start, model.start]")
    browser_page.page.wait_for_function("() => Bokeh.documents[0].get_model_by_name('lines').data.xs[0].length == 1")
    assert {row.split("\t")[0] for row in browser_page.table_text()} == {"1 Jul 2025"}
    assert browser_page.errors == [] and browser_page.offline() == []


def test_rendered_explorer_filters_with_no_kernel(browser_page: Page, tmp_path: Path) -> None:
    """The rendered 06 notebook shows the Explorer as the standalone report inline: a click on an entity
    changes the chart and the table, with no kernel and no network (the page asks for none); no dead
    widget is shown."""
    from toolkit.render import NOTEBOOKS, render

    [page_path] = render([NOTEBOOKS / "06-explorer.ipynb"], tmp_path)
    page = browser_page.page
    browser_page.requests.clear()
    browser_page.errors.clear()
    page.goto(page_path.resolve().as_uri())
    explorer = page.frame_locator("iframe.newslens-explorer")
    explorer.locator("table tbody tr").first.wait_for(timeout=20_000)
    assert page.locator(".jupyter-widgets, .widget-select-multiple, .widget-slider").count() == 0
    inner = next(frame for frame in page.frames if frame.parent_frame is not None)
    lines = "() => Bokeh.documents[0].get_model_by_name('lines').data.name"
    before = {"lines": inner.evaluate(lines), "rows": explorer.locator("table tbody tr").all_inner_texts()}
    assert "Volodymyr Zelenskyy" not in before["lines"]

    explorer.locator(".choices__inner").click()
    explorer.locator(".choices__list--dropdown .choices__item--choice", has_text="Volodymyr Zelenskyy").first.click()
    inner.wait_for_function(f"() => ({lines})().includes('Volodymyr Zelenskyy')")
    after = explorer.locator("table tbody tr").all_inner_texts()
    assert after != before["rows"] and len(after) > len(before["rows"])
    assert any("Volodymyr Zelenskyy" in row.split("\t")[1] for row in after)
    legend = explorer.locator("li").all_inner_texts()
    assert any(text.startswith("Volodymyr Zelenskyy (") for text in legend)
    assert browser_page.errors == [] and browser_page.offline() == []


AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
PLACES = ["Kyiv", "Moscow", "Warsaw", "Berlin", "Paris", "Madrid", "Rome", "Vienna", "Prague", "Budapest", "Sofia",
          "Athens", "Lisbon", "Dublin", "Oslo", "Helsinki", "Tallinn", "Riga", "Vilnius", "Ankara", "Tbilisi", "Minsk"]
TITLES = ["Talks resume in Istanbul", "Drone strikes hit the east", "A long day of diplomacy in many capitals"]
# The deep focus path: through every open shadow root down to the focused element.
FOCUSED = """() => { let e = document.activeElement; const path = [];
  while (e) { path.push(e); if (e.shadowRoot && e.shadowRoot.activeElement) e = e.shadowRoot.activeElement; else break; }
  const last = path[path.length - 1]; const style = getComputedStyle(last);
  return {tag: last.tagName, cls: String(last.className || ""), label: last.getAttribute("aria-label") || "",
          outline: style.outlineStyle == "none" ? 0 : parseFloat(style.outlineWidth)}; }"""
DROPDOWN_OPEN = """() => { let open = 0; const walk = (root) => root.querySelectorAll("*").forEach((el) => {
  if (el.classList.contains("choices__list--dropdown") && el.classList.contains("is-active")) open++;
  if (el.shadowRoot) walk(el.shadowRoot); }); walk(document); return open; }"""


@pytest.fixture(scope="module")
def many_entities(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three titled articles on three days naming 22 places, some in long sentences: the report at scale."""
    texts = []
    for k, title in enumerate(TITLES):
        named = PLACES[k::2] if k < 2 else PLACES
        long = "Officials from " + ", ".join(named) + " met for hours and argued about every clause of the text."
        texts.append(f"{title}.\n\n{long}\n\nKyiv said little. Moscow said less. {named[0]} closed the day.")
    articles = toolkit.from_texts(texts).assign(published=pd.to_datetime(["2025-07-01", "2025-07-03", "2025-07-08"]),
                                                title=TITLES)
    analysis = toolkit.analyze_articles(articles, cache=False)
    rows = [{"article_id": s.article_id, "sentence_id": s.sentence_id, "start": s.start + m.start(),
             "end": s.start + m.end(), "text": m.group(), "label": "GPE", "entity": name, "compound": s.compound}
            for s in analysis.sentences.itertuples() for name in PLACES for m in re.finditer(name, s.text)]
    analysis.entities = pd.DataFrame(rows).assign(published=lambda f: f["article_id"].map(
        analysis.articles.set_index("article_id")["published"]))
    out = tmp_path_factory.mktemp("many") / "many.html"
    from toolkit.report import build_report, report_html

    assert len(build_report(analysis).get_model_by_name("entities").options) == len(PLACES)
    out.write_text(report_html(analysis, title="Capitals, three days", selected=PLACES), encoding="utf-8")
    return out


def test_twenty_two_entities_at_1024_px(browser_page: Page, many_entities: Path, tmp_path: Path) -> None:
    """Every line has its own colour and dash, the legend scrolls, rows grow with their text, and a
    multi-article table names each sentence's article."""
    page = browser_page.page
    page.set_viewport_size({"width": 1024, "height": 1100})
    try:
        browser_page.open(many_entities)
        lines = browser_page.model("lines", "model.data")
        styles = set(zip(lines["color"], lines["dash"], strict=True))
        assert len(lines["name"]) == len(PLACES) == len(styles)
        # Equal counts stay visible: each line is drawn inside the wider one before it.
        assert lines["width"][:8] == sorted(lines["width"][:8], reverse=True) and lines["width"][0] > 2 * lines["width"][-1]
        legend = page.locator("[aria-label='Legend: the lines of the chart']")
        assert legend.evaluate("(el) => el.scrollHeight > el.clientHeight && getComputedStyle(el).overflowY == 'auto'")
        assert legend.locator("li").count() == len(PLACES)
        header = page.locator("table thead th").all_inner_texts()
        assert header == ["Published", "Article", "Entities", "Sentence", "Tone"]
        rows = page.locator("table tbody tr")
        assert set(rows.evaluate_all("(rows) => rows.map((r) => r.cells[1].innerText)")) == set(TITLES)
        heights = rows.evaluate_all("(rows) => rows.map((r) => r.getBoundingClientRect().height)")
        assert max(heights) > 1.5 * min(heights)  # the long sentence with every capital wraps onto more lines
        clipped = rows.evaluate_all("(rows) => rows.flatMap((r) => [...r.cells]).filter((c) => c.scrollHeight > c.clientHeight + 1).length")
        assert clipped == 0  # no cell cuts its text
        assert page.locator("h1").inner_text() == "Capitals, three days"
        assert "Tone (" in page.locator("p.tone-key").inner_text()
        page.screenshot(path=str(tmp_path / "report-22-entities-1024.png"), full_page=True)
        assert browser_page.errors == [] and browser_page.offline() == []
    finally:
        page.set_viewport_size({"width": 1280, "height": 1000})


def test_keyboard_reaches_every_control_with_visible_focus_and_no_trap(browser_page: Page, many_entities: Path) -> None:
    browser_page.open(many_entities)
    page = browser_page.page
    page.locator("[aria-label='Start of the time window']").wait_for()  # the keyboard fixes are in place
    page.locator("h1").click()
    seen = []
    for _ in range(len(PLACES) + 12):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUSED))
        assert page.evaluate(DROPDOWN_OPEN) == 0, f"tabbing into the entity box must not open its list: {seen}"
    removes = [f for f in seen if "choices__button" in f["cls"]]
    assert len(removes) == len(PLACES) and all(f["outline"] >= 2 for f in removes)
    labels = [f["label"] for f in seen]
    order = ["Start of the time window", "End of the time window", "Legend: the lines of the chart",
             "Sentences that match"]
    assert all(label in labels for label in order)
    assert [labels.index(label) for label in order] == sorted(labels.index(label) for label in order)
    table_at = labels.index("Sentences that match")
    assert seen[table_at]["outline"] >= 2 and table_at + 1 < len(seen)
    assert seen[table_at + 1]["label"] != "Sentences that match"  # the next Tab leaves the table
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(FOCUSED)["label"] == "Sentences that match"  # and Shift+Tab comes back to it


def test_typing_in_the_entity_box_still_opens_its_list(browser_page: Page, many_entities: Path) -> None:
    browser_page.open(many_entities)
    page = browser_page.page
    browser_page.model("entities", "model.value = []")
    page.locator("[aria-label='Start of the time window']").wait_for()
    page.locator("h1").click()
    for _ in range(8):
        page.keyboard.press("Tab")
        if "choices__input" in page.evaluate(FOCUSED)["cls"]:
            break
    page.keyboard.type("Rig")
    page.wait_for_function(DROPDOWN_OPEN)
    page.keyboard.press("Enter")
    page.wait_for_function("() => Bokeh.documents[0].get_model_by_name('entities').value.length == 1")
    assert browser_page.model("entities", "model.value") == ["Riga"]


@pytest.mark.parametrize("report", ["sample", "many"])
def test_axe_finds_no_serious_accessibility_violations(browser_page: Page, many_entities: Path, tmp_path: Path,
                                                      report: str) -> None:
    path = many_entities if report == "many" else write_report(toolkit.analyze(DATA), tmp_path / "sample.html")
    browser_page.open(path)
    browser_page.page.add_script_tag(path=str(AXE))
    result = browser_page.page.evaluate("""async () => { const r = await axe.run(document);
        return {passes: r.passes.length, violations: r.violations.map((v) => ({id: v.id, impact: v.impact}))}; }""")
    assert result["passes"] > 20  # axe did check the page (its widgets live in shadow roots)
    assert [v for v in result["violations"] if v["impact"] in ("serious", "critical")] == []

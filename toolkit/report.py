"""Standalone HTML report: filter entity mentions by name and time, in the browser, with no kernel.

`write_report(analysis, "report.html")` writes one self-contained file (Bokeh with inline resources,
no network). A multi-choice picks entities (or countries, with `key="country"`), a range slider picks
a time window, and a CustomJS callback recomputes the chart (mentions per time bucket, one line per
name), its legend and the sentence table client-side. The mentions, their buckets and the default
time axis and bucket size come from the shared mentions model (`toolkit.mentions`) and view rules
(`toolkit.viewrules`), so the report counts what `mentions_over_time` and the Explorer count:
near-copies left out, undated mentions counted (they show in the table and the summary while the
time window spans everything; they have no place on the chart's axis).

The legend and the table are plain HTML that grows with its content, in scrolling regions reachable
by keyboard. Article text reaches the page only as data: the legend and table escape it in the
browser, option labels are HTML-escaped (Bokeh's multi-choice renders labels as HTML), and every
`Div` has TeX processing disabled, so `<script>`, tags, `$$...$$` and markdown show literally.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from bokeh.document import Document
from bokeh.embed import file_html
from bokeh.events import DocumentReady
from bokeh.layouts import column, row
from bokeh.models import BasicTicker, ColumnDataSource, CustomJS, DataRange1d, HoverTool, InlineStyleSheet, Range1d
from bokeh.models.annotations import Title
from bokeh.models.widgets import DateRangeSlider, Div, MultiChoice, RangeSlider, Select
from bokeh.plotting import figure
from bokeh.resources import INLINE

from toolkit.dataset import LazyAnalysis, in_memory
from toolkit.mentions import MentionFilter, Mentions
from toolkit.pipeline import Analysis
from toolkit.quote_table import quotes_html, speakers
from toolkit.viewrules import (
    ALL_COLOR, BUCKET_NAMES, POSITION_BUCKETS, TONE_COLORS, TONE_LEGEND, UNDATED, bucket_text, day_text,
    series_styles, tone_color,
)

DEFAULT_ENTITIES = 5  # names selected when the report opens: the most mentioned ones
ALL_ENTITIES = "all entities"  # the single series drawn when nothing is selected
MAX_WIDTH = 1100
MAX_ROWS = 1000  # sentences listed at once; the summary says when there are more
TOOLS = "xpan,xwheel_zoom,reset,save"
DASH_PATTERNS = {"solid": "", "dashed": "6 4", "dotted": "2 3"}  # the legend's SVG swatches
# Lines are drawn most mentioned first, each thinner than the one before (widest, thinnest, step in px):
# where two names have equal counts the later line runs inside the earlier one and both stay visible.
LINE_WIDTHS = (6.0, 1.5, 0.6)

_STYLE = """
:host { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2933; }
h1 { font-size: 22px; font-weight: 600; margin: 0 0 4px 0; }
.meta { font-size: 13px; color: #52606d; margin: 0 0 2px 0; }
.tone-key span { font-weight: 600; }
"""
_REGION_STYLE = """
:host { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 13px; color: #1f2933; }
.scroll { overflow: auto; border: 1px solid #d9dee3; border-radius: 4px; }
.scroll:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: 600; padding: 6px 8px; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid #e4e7eb; }
th { position: sticky; top: 0; background: #f5f7fa; border-bottom: 2px solid #9aa5b1; }
td.when, td.tone { white-space: nowrap; }
td.tone { font-family: ui-monospace, monospace; font-weight: 600; text-align: right; }
td.title { color: #3e4c59; max-width: 16em; }
ul { list-style: none; margin: 0; padding: 6px 8px; }
li { display: flex; align-items: center; gap: 6px; padding: 2px 0; }
li svg { flex: none; }
.note { color: #52606d; padding: 4px 8px; }
"""
_CHOICE_STYLE = """
.choices__button:focus-visible, .choices__button:focus { outline: 3px solid #1a73e8; outline-offset: 1px; }
.choices__inner:focus-within { outline: 3px solid #1a73e8; outline-offset: 1px; }
"""

# Filter the mentions, rebuild the chart series, the legend and the table. Runs on load and on every change.
_UPDATE_JS = """
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})[c]);
const m = mentions.data;
const chosen = choice.value;
const wanted = new Set(chosen);
const all = wanted.size == 0;
const [lo, hi] = slider.value;
const whole = lo <= slider.start && hi >= slider.end;
const keep = [];
let undated = 0;
for (let i = 0; i < m.t.length; i++) {
    if (!(all || wanted.has(m.name[i]))) continue;
    const t = m.t[i];
    if (Number.isNaN(t) || t === null) { if (whole) { keep.push(i); undated++; } }
    else if (t >= lo && t <= hi) keep.push(i);
}
const visible = [];
for (let b = 0; b < buckets.x.length; b++) {
    if (buckets.hi[b] > lo && buckets.lo[b] <= hi) visible.push(b);
}
const names = all ? [all_name] : chosen;
const position = new Map(names.map((name, k) => [name, k]));
const counts = names.map(() => new Map(visible.map((b) => [b, 0])));
const totals = names.map(() => 0);
for (const i of keep) {
    const k = all ? 0 : position.get(m.name[i]);
    totals[k]++;
    const per = counts[k];
    if (per.has(m.bucket[i])) per.set(m.bucket[i], per.get(m.bucket[i]) + 1);
}
const lines = {xs: [], ys: [], name: [], color: [], dash: [], width: []};
const points = {x: [], y: [], name: [], color: [], label: []};
const legend = [];
names.forEach((name, k) => {
    const [color, dash] = all ? [all_color, "solid"] : styles[name];
    lines.xs.push(visible.map((b) => buckets.x[b]));
    lines.ys.push(visible.map((b) => counts[k].get(b)));
    lines.name.push(name);
    lines.color.push(color);
    lines.dash.push(dash);
    lines.width.push(Math.max(thinnest, widest - k * narrowing));
    for (const b of visible) {
        points.x.push(buckets.x[b]);
        points.y.push(counts[k].get(b));
        points.name.push(name);
        points.color.push(color);
        points.label.push(buckets.label[b]);
    }
    legend.push(`<li><svg width="30" height="10" aria-hidden="true"><line x1="0" y1="5" x2="30" y2="5" stroke="${color}" stroke-width="3" stroke-dasharray="${dashes[dash]}"/></svg><span>${esc(name)} (${totals[k]})</span></li>`);
});
line_source.data = lines;
point_source.data = points;
legend_div.text = `<div class="scroll" tabindex="0" role="region" aria-label="Legend: the lines of the chart" style="max-height:300px"><ul>${legend.join("")}</ul></div>`;

const rows = [];
const row_of = new Map();
for (const i of keep) {
    const key = m.article_id[i] + "\\u0000" + m.sentence_id[i];
    const r = row_of.get(key);
    if (r === undefined) {
        row_of.set(key, rows.length);
        rows.push({i: i, names: [m.name[i]]});
    } else if (!rows[r].names.includes(m.name[i])) {
        rows[r].names.push(m.name[i]);
    }
}
const head = [when_title, ...(titles ? ["Article"] : []), kind_title, "Sentence", "Tone"];
const body = rows.slice(0, max_rows).map(({i, names}) => "<tr>"
    + `<td class="when">${esc(m.when[i])}</td>`
    + (titles ? `<td class="title">${esc(m.title[i])}</td>` : "")
    + `<td>${esc(names.join(", "))}</td><td>${esc(m.sentence[i])}</td>`
    + `<td class="tone" style="color:${m.tone[i]}">${m.compound[i] >= 0 ? "+" : "−"}${Math.abs(m.compound[i]).toFixed(3)}</td></tr>`);
const more = rows.length > max_rows ? `<p class="note">Showing the first ${max_rows} of ${rows.length} sentences: narrow the filters to see the rest.</p>` : "";
const empty = rows.length == 0 ? `<p class="note">No mentions match these filters.</p>` : "";
table_div.text = `<div class="scroll" tabindex="0" role="region" aria-label="Sentences that match" style="max-height:70vh">`
    + `<table><caption>Sentences that match, in order of publication</caption><thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join("")}</tr></thead>`
    + `<tbody>${body.join("")}</tbody></table>${empty}</div>${more}`;
const n = rows.length;
const shown = all ? "all entities" : `${names.length} ${names.length == 1 ? kind_one : kind_many}`;
const away = undated ? ` (${undated} ${undated == 1 ? "is" : "are"} undated, not on the chart)` : "";
summary.text = `${keep.length} ${keep.length == 1 ? "mention" : "mentions"} of ${shown} in ${n} ${n == 1 ? "sentence" : "sentences"}${away}`;
"""

# Keyboard and screen readers, once the widgets are drawn:
# - Choices.js (Bokeh's multi-choice) opens its list whenever its box gets focus, and the next Tab then
#   leaves the page: a box reached by Tab stays closed (typing or the arrow keys open the list);
# - it marks picked names aria-selected without a role that allows it: the remove button already says
#   "Remove item: ...", so the attribute goes (again after every re-render);
# - the time slider's handles get names.
_ACCESS_JS = """
const attach = (tries) => {
    const picker = Bokeh.index.find_one(choice);
    const range = Bokeh.index.find_one(slider);
    if (picker == null || picker.choice_el == null || range == null) {
        if (tries > 0) setTimeout(() => attach(tries - 1), 50);
        return;
    }
    const choices = picker.choice_el;
    let tabbed = false;
    document.addEventListener("keydown", (event) => { tabbed = event.key == "Tab"; }, true);
    document.addEventListener("mousedown", () => { tabbed = false; }, true);
    const show = choices.showDropdown.bind(choices);
    choices.showDropdown = (...args) => {
        if (tabbed) { tabbed = false; return choices; }
        return show(...args);
    };
    const unselect = () => picker.shadow_el.querySelectorAll(".choices__list--multiple [aria-selected]")
        .forEach((item) => item.removeAttribute("aria-selected"));
    new MutationObserver(unselect).observe(picker.shadow_el, {subtree: true, childList: true, attributes: true,
                                                             attributeFilter: ["aria-selected"]});
    unselect();
    const names = ["Start of the time window", "End of the time window"];
    range.shadow_el.querySelectorAll(".noUi-handle").forEach((handle, k) => handle.setAttribute("aria-label", names[k]));
};
attach(100);
"""


@dataclass(frozen=True)
class _Timeline:
    """How mentions are placed in time: by publication date or by position in the article."""

    by: str  # "published" | "position"
    t: np.ndarray  # one value a mention: ms since the epoch (day) or percent of the article; NaN undated
    bucket: np.ndarray  # index of the mention's bucket, -1 undated
    buckets: dict[str, list[Any]]  # x, lo, hi, label: one entry a bucket
    when: list[str]  # the mention's time as shown in the table
    freq_label: str


def mentions_frame(analysis: Analysis, *, key: str = "entity") -> pd.DataFrame:
    """One row a mention the report shows (near-copies out): the name it counts under, its sentence's
    text, tone and position, and its article's title and publication date."""
    model = Mentions(analysis)
    kept = model.frame[model.mask(MentionFilter(key=key))]
    rows = kept["srow"].to_numpy()  # each mention's sentence in the model's sentences
    frame = kept.assign(name=kept[key].astype(str), sentence=model.sentences["text"].array.take(rows),
                        title=model.sentences["title"].array.take(rows))
    columns = ["article_id", "sentence_id", "name", "entity", "compound", "published", "sentence", "position", "title"]
    return frame[columns].sort_values(["published", "article_id", "sentence_id"], kind="stable",
                                      na_position="last").reset_index(drop=True)


def _timeline(mentions: pd.DataFrame, by: str, freq: str) -> _Timeline:
    if by == "published":
        return _published_timeline(pd.to_datetime(mentions["published"]).dt.normalize(), freq)
    return _position_timeline(mentions["position"])


def _position_timeline(position: pd.Series) -> _Timeline:
    """Narrative time: the sentence's position in its article, in percent, bucketed in tenths."""
    percent = (position.astype(float) * 100).round(1)
    width = 100 / POSITION_BUCKETS
    bucket = (percent // width).clip(upper=POSITION_BUCKETS - 1).astype(int)
    starts = [k * width for k in range(POSITION_BUCKETS)]
    buckets: dict[str, list[Any]] = {
        "x": [start + width / 2 for start in starts],
        "lo": starts,
        "hi": [start + width if k < POSITION_BUCKETS - 1 else 100.1 for k, start in enumerate(starts)],
        "label": [bucket_text(start / 100, "position", "") for start in starts],
    }
    return _Timeline("position", percent.to_numpy(), bucket.to_numpy(), buckets,
                     [f"{p:.0f}%" for p in percent], "tenth of the article")


def _published_timeline(published: pd.Series, freq: str) -> _Timeline:
    """Publication days in buckets of `freq`; undated mentions get NaN and bucket -1."""
    dated = published.dropna()
    periods = pd.period_range(dated.min(), dated.max(), freq=freq)
    starts, ends = periods.start_time, (periods + 1).start_time
    buckets: dict[str, list[Any]] = {
        "x": [_ms(start) for start in starts],
        "lo": [_ms(start) for start in starts],
        "hi": [_ms(end) for end in ends],
        "label": [bucket_text(start, "published", freq) for start in starts],
    }
    bucket = np.full(len(published), -1)
    known = published.notna().to_numpy()
    bucket[known] = [periods.get_loc(p) for p in published[known].dt.to_period(freq)]
    t = np.array([_ms(p) if k else np.nan for p, k in zip(published, known, strict=True)], dtype=float)
    when = [day_text(p) if k else UNDATED for p, k in zip(published, known, strict=True)]
    return _Timeline("published", t, bucket, buckets, when, BUCKET_NAMES[freq])


def _ms(stamp: pd.Timestamp) -> float:
    """Milliseconds since the epoch: how Bokeh's datetime axes and sliders count."""
    return float(pd.Timestamp(stamp).value // 1_000_000)


def _default_title(analysis: Analysis) -> str:
    """'Who is mentioned, and when' followed by the article's title (or id), or the article count."""
    articles = analysis.articles
    if len(articles) == 1:
        title = articles["title"].iloc[0] if "title" in articles else None
        name = str(title) if isinstance(title, str) and title.strip() else str(articles["article_id"].iloc[0])
    else:
        name = f"{len(articles)} articles"
    return f"Who is mentioned, and when: {name}"


def _header(title: str, analysis: Analysis, mentions: pd.DataFrame, timeline: _Timeline, *, copies: int,
            kind: str) -> Div:
    """Title, key counts, the help line and the tone key; every piece of text is escaped and TeX is off."""
    dates = pd.to_datetime(mentions["published"]).dropna()
    if dates.empty:
        when = "no publication date"
    elif dates.min().normalize() == dates.max().normalize():
        when = f"published {day_text(dates.min())}"
    else:
        when = f"published {day_text(dates.min())} – {day_text(dates.max())}"
    facts = [f"{len(analysis.articles)} article(s)", f"{len(analysis.sentences)} sentences",
             f"{len(mentions)} mentions", f"{mentions['name'].nunique()} {kind}", when]
    if copies:
        facts.append(f"{copies} mentions in near-copies of other articles left out")
    axis = ("Time is the publication date." if timeline.by == "published"
            else "Time runs from the start to the end of each article, as there are not two publication dates to span.")
    key = " · ".join(f"<span style='color:{TONE_COLORS[tone]}'>{tone}</span>" for tone in TONE_COLORS)
    return Div(
        text=f"<h1>{html.escape(title)}</h1><p class='meta'>{html.escape(' · '.join(facts))}</p>"
             f"<p class='meta'>Pick {kind} (leave the box empty for all of them) and drag the slider to narrow "
             f"the time; the chart and the sentence list follow. {html.escape(axis)}</p>"
             f"<p class='meta tone-key'>Tone ({key}): {html.escape(TONE_LEGEND)}</p>",
        disable_math=True, stylesheets=[InlineStyleSheet(css=_STYLE)], sizing_mode="stretch_width",
    )


def _slider(timeline: _Timeline) -> DateRangeSlider | RangeSlider:
    """The time filter: a date range over publication days, or a percent range over article position."""
    if timeline.by == "published":
        start, end = min(timeline.buckets["lo"]), float(np.nanmax(timeline.t))
        # bokeh's Datetime properties take epoch milliseconds too; its type hints list only dates and strings
        return DateRangeSlider(title="Published", name="time", step=1, format="%d %b %Y", width=360,
                               start=start, end=end, value=(start, end))  # type: ignore[arg-type]
    return RangeSlider(title="Position in the article (%)", name="time", start=0, end=100, value=(0, 100),
                       step=1, format="0", width=360)


def _chart(timeline: _Timeline, line_source: ColumnDataSource, point_source: ColumnDataSource) -> figure:
    """Mentions per bucket, one coloured (and, past 20 names, dashed) line with dots per name; hovering a
    time lists every name's count there, so lines that coincide are told apart."""
    by_date = timeline.by == "published"
    plot = figure(
        title=f"Mentions per {timeline.freq_label}", tools=TOOLS, height=340, sizing_mode="stretch_width",
        x_axis_type="datetime" if by_date else "linear", x_range=DataRange1d() if by_date else Range1d(start=0, end=100),
        y_range=DataRange1d(start=0), x_axis_label="Published" if by_date else "Position in the article (%)",
        y_axis_label="Mentions", min_border_left=50, toolbar_location="right",
    )
    plot.toolbar.logo = None
    assert isinstance(plot.title, Title), "figure() always makes a Title"
    plot.title.text_font_size = "14px"
    plot.axis.axis_label_text_font_size = "13px"
    plot.axis.major_label_text_font_size = "12px"
    plot.yaxis.ticker = BasicTicker(min_interval=1)
    plot.axis.minor_tick_line_color = None
    plot.xgrid.grid_line_color = None
    plot.multi_line("xs", "ys", line_color="color", line_dash="dash", line_width="width", source=line_source)
    dots = plot.scatter("x", "y", fill_color="color", line_color="white", size=8, source=point_source)
    plot.add_tools(HoverTool(renderers=[dots], mode="vline",
                             tooltips=[("name", "@name"), ("when", "@label"), ("mentions", "@y")]))
    return plot


def build_report(
    analysis: Analysis,
    *,
    title: str | None = None,
    key: str = "entity",
    selected: Sequence[str] | None = None,
) -> Document:
    """The report as a Bokeh `Document`: widgets, chart, legend and table wired by CustomJS (see module doc).

    `key="country"` counts places, nationalities and national bodies under their country; `selected`
    names the entities (or countries) picked when the page opens (default: the five most mentioned).
    """
    model = Mentions(analysis)
    query = MentionFilter(key=key)
    keep = model.mask(query)
    mentions = mentions_frame(analysis, key=key)
    by = model.default_axis()
    timeline = _timeline(mentions, by, model.default_freq(by))
    ranked = model.ranked(key)
    names = list(ranked.index)
    kind, one = ("countries", "country") if key == "country" else ("entities", "entity")
    several = mentions["article_id"].nunique() > 1

    data = {
        "article_id": mentions["article_id"].astype(str).tolist(),
        "sentence_id": mentions["sentence_id"].astype(int).tolist(),
        "name": mentions["name"].tolist(),
        "sentence": mentions["sentence"].fillna("").astype(str).tolist(),
        "title": [t if isinstance(t, str) and t.strip() else a for t, a in zip(mentions["title"], mentions["article_id"],
                                                                                strict=True)],
        "compound": mentions["compound"].astype(float).tolist(),
        "tone": mentions["compound"].astype(float).map(tone_color).tolist(),
        "when": timeline.when,
        "t": timeline.t.tolist(),
        "bucket": timeline.bucket.tolist(),
    }
    all_mentions = ColumnDataSource(data, name="mentions")
    line_source = ColumnDataSource({"xs": [], "ys": [], "name": [], "color": [], "dash": [], "width": []},
                                   name="lines")
    point_source = ColumnDataSource({"x": [], "y": [], "name": [], "color": [], "label": []}, name="points")
    picked = [n for n in (names[:DEFAULT_ENTITIES] if selected is None else selected) if n in ranked.index]
    choice = MultiChoice(
        title=kind.capitalize(), name="entities", value=picked,
        options=[(name, html.escape(f"{name} ({ranked[name]})")) for name in names],
        placeholder=f"all {kind}", sizing_mode="stretch_width", search_option_limit=20,
        stylesheets=[InlineStyleSheet(css=_CHOICE_STYLE)],
    )
    slider = _slider(timeline) if len(mentions) else RangeSlider(title="Time", name="time", start=0, end=100,
                                                                 value=(0, 100), step=1, width=360, disabled=True)
    plot = _chart(timeline, line_source, point_source) if len(mentions) else figure(height=60, toolbar_location=None)
    region = InlineStyleSheet(css=_REGION_STYLE)
    legend = Div(text="", name="legend", disable_math=True, stylesheets=[region], width=240)
    table = Div(text="", name="sentences", disable_math=True, stylesheets=[region], sizing_mode="stretch_width")
    summary = Div(text="", name="summary", render_as_text=True, disable_math=True,
                  styles={"font-size": "14px", "color": "#323f4b", "font-weight": "600"})
    update = CustomJS(name="update", code=_UPDATE_JS, args={
        "mentions": all_mentions, "line_source": line_source, "point_source": point_source, "choice": choice,
        "slider": slider, "summary": summary, "legend_div": legend, "table_div": table,
        "buckets": timeline.buckets if len(mentions) else {"x": [], "lo": [], "hi": [], "label": []},
        "styles": series_styles(names), "dashes": DASH_PATTERNS, "all_name": f"all {kind}", "all_color": ALL_COLOR,
        "titles": several, "max_rows": MAX_ROWS, "widest": LINE_WIDTHS[0], "thinnest": LINE_WIDTHS[1],
        "narrowing": LINE_WIDTHS[2], "kind_title": kind.capitalize(), "kind_one": one,
        "kind_many": kind, "when_title": "Published" if timeline.by == "published" else "Position",
    })
    choice.js_on_change("value", update)
    slider.js_on_change("value", update)

    copies = int((~keep & model.frame["duplicate"].to_numpy()).sum())
    layout = column(
        _header(title or _default_title(analysis), analysis, mentions, timeline, copies=copies, kind=kind),
        row(choice, slider, sizing_mode="stretch_width"),
        row(plot, legend, sizing_mode="stretch_width"),
        summary, table, *_quotes_view(analysis),
        sizing_mode="stretch_width", max_width=MAX_WIDTH, styles={"margin": "24px auto", "padding": "0 16px"},
    )
    doc = Document()
    doc.add_root(layout)
    doc.js_on_event(DocumentReady, update)
    doc.js_on_event(DocumentReady, CustomJS(code=_ACCESS_JS, args={"choice": choice, "slider": slider}))
    return doc


def _quotes_view(analysis: Analysis) -> list[Any]:
    """The Quotes view: a speaker picker and what they said, each speaker's table escaped and made here."""
    found = speakers(analysis.quotes)
    if not found:
        return []
    pages = {name: quotes_html(analysis, name) for name, _ in found}
    options: list[str | tuple[Any, str]] = [(name, html.escape(f"{name} ({count})")) for name, count in found]
    picker = Select(title="Quotes: who said what (speaker, cue, content underlined)", name="speaker",
                    value=found[0][0], options=options, width=420)
    shown = Div(text=pages[found[0][0]], name="quotes", disable_math=True, sizing_mode="stretch_width",
                styles={"font-family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "color": "#1f2933"})
    picker.js_on_change("value", CustomJS(args={"pages": pages, "shown": shown},
                                          code="shown.text = pages[cb_obj.value];"))
    return [picker, shown]


def report_html(
    analysis: Analysis | LazyAnalysis,
    *,
    title: str | None = None,
    key: str = "entity",
    selected: Sequence[str] | None = None,
) -> str:
    """The standalone report as one HTML page (all JavaScript inline, no network); a lazy analysis
    (`toolkit.open`) is read into memory first, only the columns the report shows."""
    analysis = in_memory(analysis)
    doc = build_report(analysis, title=title, key=key, selected=selected)
    return file_html(doc, INLINE, title=title or _default_title(analysis))


def write_report(
    analysis: Analysis | LazyAnalysis,
    path: str | PathLike[str],
    *,
    title: str | None = None,
    key: str = "entity",
) -> Path:
    """Write the standalone HTML report for `analysis` to `path` (folders created); returns the path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report_html(analysis, title=title, key=key), encoding="utf-8")
    return out

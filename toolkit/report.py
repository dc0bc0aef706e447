"""Standalone HTML report: filter entity mentions by entity and time, in the browser, with no kernel.

`write_report(analysis, "report.html")` writes one self-contained file (Bokeh with inline resources,
no network). A multi-choice picks entities, a range slider picks a time window, and CustomJS
callbacks recompute the chart (mentions per time bucket, one line per entity) and the sentence table
client-side. The time axis is the publication date when the mentions span two or more dates, and
the sentence's position in its article otherwise (one article, or no dates).

Article text reaches the page only as data: table cells and legend labels are set as text, option
labels are HTML-escaped (Bokeh's multi-choice renders labels as HTML), and every `Div` is escaped
and has TeX processing disabled, so `<script>`, tags, `$$...$$` and markdown show literally.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd
from bokeh.document import Document
from bokeh.embed import file_html
from bokeh.events import DocumentReady
from bokeh.layouts import column, row
from bokeh.models import (
    BasicTicker, ColumnDataSource, CustomJS, DataRange1d, DataTable, DateRangeSlider, Div, HoverTool,
    InlineStyleSheet, Legend, LegendItem, MultiChoice, NumberFormatter, Range1d, RangeSlider, StringFormatter,
    TableColumn,
)
from bokeh.palettes import Category10_10
from bokeh.plotting import figure
from bokeh.resources import INLINE

from toolkit.pipeline import Analysis
from toolkit.sentiment import POSITIVE_THRESHOLD

DEFAULT_ENTITIES = 5  # entities selected when the report opens: the most mentioned ones
POSITION_BUCKETS = 10  # deciles of narrative position
ALL_ENTITIES = "all entities"  # the single series drawn when nothing is selected
ALL_COLOR = "#4d4d4d"
TONE_COLORS = {"negative": "#b2182b", "neutral": "#555555", "positive": "#1b7837"}
MAX_WIDTH = 1100
TOOLS = "xpan,xwheel_zoom,reset,save"

_STYLE = """
:host { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 22px; font-weight: 600; margin: 0 0 4px 0; color: #1f2933; }
.meta { font-size: 13px; color: #616e7c; margin: 0; }
"""
_TABLE_STYLE = """
.slick-cell { white-space: normal; line-height: 1.35; padding-top: 4px; font-size: 13px; }
.slick-header-column { font-weight: 600; font-size: 13px; }
"""

# Filter the mentions, rebuild the chart series and the table rows. Runs on load and on every change.
_UPDATE_JS = """
const m = mentions.data;
const chosen = choice.value;
const wanted = new Set(chosen);
const all = wanted.size == 0;
const [lo, hi] = slider.value;
const keep = [];
for (let i = 0; i < m.t.length; i++) {
    if (m.t[i] >= lo && m.t[i] <= hi && (all || wanted.has(m.entity[i]))) keep.push(i);
}
const visible = [];
for (let b = 0; b < buckets.x.length; b++) {
    if (buckets.hi[b] > lo && buckets.lo[b] <= hi) visible.push(b);
}
const names = all ? [all_name] : chosen;
const position = new Map(names.map((name, k) => [name, k]));
const counts = names.map(() => new Map(visible.map((b) => [b, 0])));
for (const i of keep) {
    const k = all ? 0 : position.get(m.entity[i]);
    const per = counts[k];
    if (per.has(m.bucket[i])) per.set(m.bucket[i], per.get(m.bucket[i]) + 1);
}
const lines = {xs: [], ys: [], entity: [], color: []};
const points = {x: [], y: [], entity: [], color: [], label: []};
names.forEach((name, k) => {
    const color = all ? all_color : colors[name];
    lines.xs.push(visible.map((b) => buckets.x[b]));
    lines.ys.push(visible.map((b) => counts[k].get(b)));
    lines.entity.push(name);
    lines.color.push(color);
    for (const b of visible) {
        points.x.push(buckets.x[b]);
        points.y.push(counts[k].get(b));
        points.entity.push(name);
        points.color.push(color);
        points.label.push(buckets.label[b]);
    }
});
line_source.data = lines;
point_source.data = points;
const rows = {};
for (const column of Object.keys(table_source.data)) rows[column] = [];
const row_of = new Map();
for (const i of keep) {
    const key = m.article_id[i] + "\\u0000" + m.sentence_id[i];
    const r = row_of.get(key);
    if (r === undefined) {
        row_of.set(key, rows.entity.length);
        for (const column of Object.keys(rows)) rows[column].push(column == "entity" ? [m.entity[i]] : m[column][i]);
    } else if (!rows.entity[r].includes(m.entity[i])) {
        rows.entity[r].push(m.entity[i]);
    }
}
rows.entity = rows.entity.map((names) => names.join(", "));
table_source.data = rows;
const n = rows.sentence.length;
const shown = all ? "all entities" : `${names.length} ${names.length == 1 ? "entity" : "entities"}`;
summary.text = `${keep.length} ${keep.length == 1 ? "mention" : "mentions"} of ${shown} in ${n} ${n == 1 ? "sentence" : "sentences"}`;
"""


@dataclass(frozen=True)
class _Timeline:
    """How mentions are placed in time: by publication date or by position in the article."""

    by: str  # "published" | "position"
    t: pd.Series  # one value a mention: ms since the epoch (day) or percent of the article
    bucket: pd.Series  # index of the mention's bucket
    buckets: dict[str, list[Any]]  # x, lo, hi, label: one entry a bucket
    when: pd.Series  # the mention's time as shown in the table
    freq_label: str


def mentions_frame(analysis: Analysis) -> pd.DataFrame:
    """One row a mention, with its sentence text and position and the article's publication date."""
    columns = ["article_id", "sentence_id", "entity", "compound", "published", "sentence", "position"]
    entities = analysis.entities
    if entities.empty:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in columns})
    sentences = analysis.sentences[["article_id", "sentence_id", "text", "position"]].rename(columns={"text": "sentence"})
    mentions = entities.drop(columns=["published"], errors="ignore").merge(
        analysis.articles[["article_id", "published"]], on="article_id", how="left"
    ).merge(sentences, on=["article_id", "sentence_id"], how="left")
    mentions["published"] = pd.to_datetime(mentions["published"]).dt.normalize()
    return mentions[columns].sort_values(["published", "article_id", "sentence_id"], kind="stable").reset_index(drop=True)


def _timeline(mentions: pd.DataFrame) -> tuple[pd.DataFrame, _Timeline]:
    """Publication dates when there are at least two of them (undated mentions left out), else position."""
    if mentions["published"].dropna().nunique() >= 2:
        dated = mentions.dropna(subset=["published"]).reset_index(drop=True)
        return dated, _published_timeline(dated["published"])
    return mentions, _position_timeline(mentions["position"])


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
        "label": [f"{start:.0f}–{start + width:.0f}% of the article" for start in starts],
    }
    return _Timeline("position", percent, bucket, buckets, percent.map(lambda p: f"{p:.0f}%"), "tenth of the article")


def _published_timeline(published: pd.Series) -> _Timeline:
    """Day buckets for up to two months, weeks up to two years, months beyond."""
    span = published.max() - published.min()
    freq, freq_label = ("D", "day") if span <= pd.Timedelta(days=62) else (
        ("W-SUN", "week") if span <= pd.Timedelta(days=731) else ("M", "month"))
    periods = pd.period_range(published.min(), published.max(), freq=freq)
    starts, ends = periods.start_time, (periods + 1).start_time
    buckets: dict[str, list[Any]] = {
        "x": [_ms(start) for start in starts],
        "lo": [_ms(start) for start in starts],
        "hi": [_ms(end) for end in ends],
        "label": [p.strftime("%d %b %Y") if freq == "D" else f"{freq_label} of {p.start_time:%d %b %Y}" for p in periods],
    }
    bucket = published.dt.to_period(freq).map(periods.get_loc).astype(int)
    return _Timeline("published", published.map(_ms), bucket, buckets, published.dt.strftime("%Y-%m-%d"), freq_label)


def _ms(stamp: pd.Timestamp) -> float:
    """Milliseconds since the epoch: how Bokeh's datetime axes and sliders count."""
    return float(pd.Timestamp(stamp).value // 1_000_000)


def _tone(compound: float) -> str:
    """The table colour of a compound score, with VADER's own thresholds."""
    if compound >= POSITIVE_THRESHOLD:
        return TONE_COLORS["positive"]
    return TONE_COLORS["negative"] if compound <= -POSITIVE_THRESHOLD else TONE_COLORS["neutral"]


def _default_title(analysis: Analysis) -> str:
    """'Who is mentioned, and when' followed by the article's title (or id), or the article count."""
    articles = analysis.articles
    if len(articles) == 1:
        title = articles["title"].iloc[0]
        name = str(title) if isinstance(title, str) and title.strip() else str(articles["article_id"].iloc[0])
    else:
        name = f"{len(articles)} articles"
    return f"Who is mentioned, and when: {name}"


def _header(title: str, analysis: Analysis, mentions: pd.DataFrame, timeline: _Timeline, *, left_out: int) -> Div:
    """Title, key counts and the help line; every piece of text is escaped and TeX is off."""
    dates = mentions["published"].dropna()
    if dates.empty:
        when = "no publication date"
    elif dates.min() == dates.max():
        when = f"published {dates.min():%d %B %Y}"
    else:
        when = f"published {dates.min():%d %b %Y} – {dates.max():%d %b %Y}"
    facts = [f"{len(analysis.articles)} article(s)", f"{len(analysis.sentences)} sentences",
             f"{len(mentions)} entity mentions", f"{mentions['entity'].nunique()} entities", when]
    if left_out:
        facts.append(f"{left_out} mentions in undated articles left out")
    axis = ("Time is the publication date." if timeline.by == "published"
            else "Time runs from the start to the end of each article, as there are not two publication dates to span.")
    return Div(
        text=f"<h1>{html.escape(title)}</h1><p class='meta'>{html.escape(' · '.join(facts))}</p>"
             f"<p class='meta'>Pick entities (leave the box empty for all of them) and drag the slider to narrow "
             f"the time; the chart and the sentence list follow. {html.escape(axis)}</p>",
        disable_math=True, stylesheets=[InlineStyleSheet(css=_STYLE)], sizing_mode="stretch_width",
    )


def _slider(timeline: _Timeline) -> DateRangeSlider | RangeSlider:
    """The time filter: a date range over publication days, or a percent range over article position."""
    if timeline.by == "published":
        start, end = min(timeline.buckets["lo"]), max(timeline.t)
        return DateRangeSlider(title="Published", name="time", start=start, end=end, value=(start, end),
                               step=1, format="%d %b %Y", width=360)
    return RangeSlider(title="Position in the article (%)", name="time", start=0, end=100, value=(0, 100),
                       step=1, format="0", width=360)


def _chart(timeline: _Timeline, line_source: ColumnDataSource, point_source: ColumnDataSource) -> figure:
    """Mentions per bucket, one coloured line with dots per entity; the legend reads names from the data."""
    by_date = timeline.by == "published"
    plot = figure(
        title=f"Mentions per {timeline.freq_label}", tools=TOOLS, height=320, sizing_mode="stretch_width",
        x_axis_type="datetime" if by_date else "linear", x_range=DataRange1d() if by_date else Range1d(start=0, end=100),
        y_range=DataRange1d(start=0), x_axis_label="Published" if by_date else "Position in the article (%)",
        y_axis_label="Mentions", min_border_left=50, toolbar_location="right",
    )
    plot.toolbar.logo = None
    plot.yaxis.ticker = BasicTicker(min_interval=1)
    plot.axis.minor_tick_line_color = None
    plot.xgrid.grid_line_color = None
    lines = plot.multi_line("xs", "ys", line_color="color", line_width=2.5, source=line_source)
    dots = plot.scatter("x", "y", fill_color="color", line_color="white", size=9, source=point_source)
    plot.add_tools(HoverTool(renderers=[dots], tooltips=[("entity", "@entity"), ("when", "@label"), ("mentions", "@y")]))
    plot.add_layout(Legend(items=[LegendItem(label={"field": "entity"}, renderers=[lines])],
                           location="top_left", background_fill_alpha=0.8), "right")
    return plot


def build_report(analysis: Analysis, *, title: str | None = None) -> Document:
    """The report as a Bokeh `Document`: widgets, chart and table wired by CustomJS (see module doc)."""
    every = mentions_frame(analysis)
    mentions, timeline = _timeline(every)
    counts = mentions["entity"].value_counts()
    ranked = sorted(counts.index, key=lambda name: (-counts[name], name))
    colors = {name: Category10_10[k % len(Category10_10)] for k, name in enumerate(ranked)}

    data = {
        "article_id": mentions["article_id"].astype(str).tolist(),
        "sentence_id": mentions["sentence_id"].astype(int).tolist(),
        "entity": mentions["entity"].astype(str).tolist(),
        "sentence": mentions["sentence"].fillna("").astype(str).tolist(),
        "compound": mentions["compound"].astype(float).tolist(),
        "tone": mentions["compound"].astype(float).map(_tone).tolist(),
        "when": timeline.when.tolist(),
        "t": timeline.t.astype(float).tolist(),
        "bucket": timeline.bucket.tolist(),
    }
    all_mentions = ColumnDataSource(data, name="mentions")
    table_source = ColumnDataSource({key: [] for key in ("article_id", "sentence_id", "entity", "sentence", "compound", "tone", "when")}, name="rows")
    line_source = ColumnDataSource({"xs": [], "ys": [], "entity": [], "color": []}, name="lines")
    point_source = ColumnDataSource({"x": [], "y": [], "entity": [], "color": [], "label": []}, name="points")

    choice = MultiChoice(
        title="Entities", name="entities", value=ranked[:DEFAULT_ENTITIES],
        options=[(name, html.escape(f"{name} ({counts[name]})")) for name in ranked],
        placeholder="all entities", sizing_mode="stretch_width", search_option_limit=20,
    )
    slider = _slider(timeline)
    plot = _chart(timeline, line_source, point_source)

    text = StringFormatter()
    table = DataTable(
        source=table_source, name="sentences", index_position=None, row_height=64, height=440, reorderable=False,
        sizing_mode="stretch_width", stylesheets=[InlineStyleSheet(css=_TABLE_STYLE)],
        columns=[
            TableColumn(field="when", title="Published" if timeline.by == "published" else "Position", width=90, formatter=text),
            TableColumn(field="entity", title="Entities", width=170, formatter=text),
            TableColumn(field="sentence", title="Sentence", width=700, formatter=text),
            TableColumn(field="compound", title="Tone", width=70,
                        formatter=NumberFormatter(format="+0.000", text_color="tone", text_align="right")),
        ],
    )
    summary = Div(text="", name="summary", render_as_text=True, disable_math=True,
                  styles={"font-size": "14px", "color": "#323f4b", "font-weight": "600"})
    update = CustomJS(code=_UPDATE_JS, args={
        "mentions": all_mentions, "table_source": table_source, "line_source": line_source,
        "point_source": point_source, "choice": choice, "slider": slider, "summary": summary,
        "buckets": timeline.buckets, "colors": colors, "all_name": ALL_ENTITIES, "all_color": ALL_COLOR,
    })
    choice.js_on_change("value", update)
    slider.js_on_change("value", update)

    layout = column(
        _header(title or _default_title(analysis), analysis, mentions, timeline, left_out=len(every) - len(mentions)),
        row(choice, slider, sizing_mode="stretch_width"),
        plot, summary, table,
        sizing_mode="stretch_width", max_width=MAX_WIDTH, styles={"margin": "24px auto", "padding": "0 16px"},
    )
    doc = Document()
    doc.add_root(layout)
    doc.js_on_event(DocumentReady, update)
    return doc


def write_report(analysis: Analysis, path: str | PathLike[str], *, title: str | None = None) -> Path:
    """Write the standalone HTML report for `analysis` to `path` (folders created); returns the path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    page_title = title or _default_title(analysis)
    out.write_text(file_html(build_report(analysis, title=title), INLINE, title=page_title), encoding="utf-8")
    return out

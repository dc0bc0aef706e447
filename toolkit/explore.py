"""Show stage: `Explorer(analysis)`, the widgets to filter entity mentions, see them over time and read them.

A composite ipywidget over the shared mentions model (`toolkit.mentions`): the inputs on the left are
observed, every change turns their `.value`s into a `MentionFilter`, and the chart, the status line
and the sentence table (`toolkit.sentence_table`) all count from the same filtered mentions. The
chart is `toolkit.plots.plot_mentions_over_time`, sized so its text stays readable at 1024 px.

Without a kernel (a rendered notebook, a shared HTML page) the widgets cannot run; the Explorer's
static output is then the standalone report (`toolkit.report`) with the same choices, which filters
in the browser.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import io
import struct
from typing import Any, cast

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Annotation

from toolkit.dataset import LazyAnalysis, in_memory
from toolkit.mentions import MentionFilter, Mentions
from toolkit.pipeline import Analysis
from toolkit.plots import STYLE, plot_mentions_over_time
from toolkit.quote_table import quotes_html, speakers
from toolkit.sentence_table import table_html
from toolkit.viewrules import (
    AXIS_TITLES, BUCKET_SIZES, MAX_PLOTTED, POSITION_HINT, TIME_AXES, TONE_LEGEND, UNDATED, bucket_text,
)

PAGE_SIZE = 10
MAX_LISTED = 300
CHART_WIDTH = 480  # CSS px the chart is shown at: fits beside the controls at 1024 px, text >= 12 px
CHART_INCHES = (4.8, 3.6)
CHART_DPI = 200  # twice the shown size: sharp on high-density screens
# Inches around the chart's axes: y tick labels and label, right edge, title, x tick labels and label. Fixed
# margins instead of a layout engine, whose extra pass over every text cost a third of each redraw.
CHART_MARGINS = {"left": 0.8, "right": 0.15, "top": 0.36, "axis": 0.62}
LABEL_CHARS = 20  # a longer y label ("share of sentences mentioning it") goes on two lines, to fit the axes' height
LABEL_LINE = 0.17  # inches its second line takes
NOTE_LINE = 0.24  # inches the undated note is lifted, above the title
LEGEND_CHARS = (32, 28, 24, 20)  # names in the legend are cut to fit these lengths in turn until it fits the width
KEYS = [("Entities", "entity"), ("Countries", "country")]
SORTS = [
    ("Newest first", "newest"),
    ("Oldest first", "oldest"),
    ("Most negative first", "negative"),
    ("Most positive first", "positive"),
]
SORT_KEYS = {  # columns of the sentences and their directions; article and sentence id make the order total
    "newest": (["published", "article_id", "sentence_id"], [False, True, True]),
    "oldest": (["published", "article_id", "sentence_id"], [True, True, True]),
    "negative": (["compound", "article_id", "sentence_id"], [True, True, True]),
    "positive": (["compound", "article_id", "sentence_id"], [False, True, True]),
}
ALL_BUCKETS = "all"
LABEL_HELP = {
    "PERSON": "people", "ORG": "organisations", "GPE": "countries, cities, states", "LOC": "places",
    "NORP": "nationalities, groups", "EVENT": "events", "FAC": "buildings, airports", "PRODUCT": "products",
    "LAW": "laws", "WORK_OF_ART": "titles", "LANGUAGE": "languages",
}
HELP = f"""
<div style="line-height:1.45">
<b style="font-size:1.15em">Who is mentioned, in what tone, and when</b><br>
Pick one or more <b>entities</b> (type in the search box to find them; Ctrl/Cmd-click selects several,
none selected shows the most mentioned). Narrow the mentions by <b>kind</b>, <b>tone</b>, <b>publication
date</b> or a <b>word</b> the sentence must contain. The chart counts mentions per time bucket; the table
below it lists the sentences. Near-copies of an article are counted once.<br>
<small style="color:#555">{html.escape(TONE_LEGEND)}</small>
</div>
"""


class QuoteReader(widgets.VBox):
    """The Quotes view: pick a speaker, read what they said, with speaker, cue and content marked."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        options = [(f"{name} ({count})", name) for name, count in speakers(analysis.quotes)]
        self.speaker = widgets.Dropdown(options=options, value=options[0][1] if options else None,
                                        description="Speaker", layout=widgets.Layout(width="420px"))
        self.quotes = widgets.HTML()
        self.speaker.observe(self._show, "value")
        super().__init__([widgets.HTML("<hr style='margin:6px 0'><b>Quotes</b>: who said what (speaker, "
                                       "<span style='background:#ffe08a'>cue</span>, content underlined)"),
                          self.speaker, self.quotes])
        self._show()

    def _show(self, _: Any = None) -> None:
        self.quotes.value = (quotes_html(self.analysis, self.speaker.value) if self.speaker.value is not None
                             else "<p>No statement with a resolved speaker.</p>")


def shortened(label: str, chars: int) -> str:
    """A legend label "name (counts)" of about `chars` characters: the name (at least 8 of its characters)
    cut short with "…", the counts kept; a label without counts is left as it is."""
    name, bracket, counts = label.rpartition(" (")
    keep = max(chars - len(counts) - 2, 8)
    if not bracket or len(label) <= chars or len(name) <= keep:
        return label
    return f"{name[:keep - 1].rstrip()}… ({counts}"


def lay_out(ax: Axes) -> None:
    """Place the chart's axes at fixed margins (`CHART_MARGINS`) with the legend under them in two
    columns, names shortened until it fits the width; a long y label goes on two lines and the undated
    note above the title, where it cannot run into it."""
    figure = ax.get_figure(root=True)
    assert figure is not None, "a chart's axes belong to a figure"
    width, height = figure.get_size_inches()
    left, top, below = CHART_MARGINS["left"], CHART_MARGINS["top"], CHART_MARGINS["axis"]
    legend = ax.get_legend()
    if legend is not None:
        legend.set_loc("lower left")
        legend.set_bbox_to_anchor((0.02, 0.01), transform=figure.transFigure)
        labels = [text.get_text() for text in legend.get_texts()]
        for chars in LEGEND_CHARS:
            if legend.get_window_extent().width <= 0.98 * figure.bbox.width:
                break
            for text, label in zip(legend.get_texts(), labels, strict=True):
                text.set_text(shortened(label, chars))
        below += legend.get_window_extent().height / figure.dpi
    label = ax.yaxis.label.get_text()
    if len(label) > LABEL_CHARS and " " in label:  # two lines, cut at the space nearest the middle
        cut = min((at for at, char in enumerate(label) if char == " "), key=lambda at: abs(2 * at - len(label)))
        ax.yaxis.label.set_text(f"{label[:cut]}\n{label[cut + 1:]}")
        left += LABEL_LINE
    notes = [text for text in ax.texts if isinstance(text, Annotation)]
    top += NOTE_LINE if notes else 0.0
    for note in notes:
        note.xyann = (1.0, 1.0 + NOTE_LINE / (height - top - below))
    ax.set_position((left / width, below / height, 1 - (left + CHART_MARGINS["right"]) / width,
                     1 - (top + below) / height))


def png_width(png: bytes) -> int:
    """The pixel width of a PNG, read from its header."""
    return int(struct.unpack(">I", png[16:20])[0])


class Explorer(widgets.VBox):
    """Filter entity mentions and see them over time and in their sentences, without writing code.

    `Explorer(analysis)` displays as a widget in Jupyter (and in Voila). Its inputs are public
    attributes (`entity_picker`, `tone`, `time_axis`, ...), so code and tests can set `.value`.
    """

    def __init__(self, analysis: Analysis | LazyAnalysis, *, page_size: int = PAGE_SIZE) -> None:
        analysis = in_memory(analysis)  # a lazy analysis (toolkit.open): the columns the views show
        self.analysis = analysis
        self.model = Mentions(analysis)
        self.page_size = page_size
        self.page = 0
        self._relisting = False
        self._orders: dict[str, np.ndarray] = {}
        self.last_timeline = pd.DataFrame()
        self._build_inputs()
        self._build_outputs()
        super().__init__([
            widgets.HTML(HELP),
            widgets.HBox([self._controls(), widgets.VBox([self.status, self.plot],
                                                         layout=widgets.Layout(flex="1 1 0%", min_width="0"))]),
            widgets.HTML("<hr style='margin:6px 0'>"),
            widgets.HBox([self.bucket, self.sort]),
            self.table,
            widgets.HBox([self.prev_button, self.page_label, self.next_button]),
            QuoteReader(analysis),
        ])
        for control in (self.entity_picker, self.label_picker, self.tone, self.date_from, self.date_to,
                        self.text_search, self.bucket_size, self.share):
            control.observe(self._on_filter, "value")
        self.time_axis.observe(self._on_axis, "value")
        self.key.observe(self._on_key, "value")
        self.entity_search.observe(self._on_entity_search, "value")
        self.bucket.observe(self._on_bucket, "value")
        self.sort.observe(self._on_bucket, "value")
        self.prev_button.on_click(lambda _: self._turn(-1))
        self.next_button.on_click(lambda _: self._turn(+1))
        self.update()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The live widget for a kernel, and for a page with no kernel (a rendered notebook) the
        standalone report with the same choices, inline: it filters in the browser, so nothing pretends."""
        bundle = cast(dict[str, Any], super()._repr_mimebundle_(**kwargs))
        bundle["text/html"] = self.static_html()
        return bundle

    def static_html(self) -> str:
        """The standalone report (`toolkit.report`) of this analysis and choices, in an iframe of its own."""
        from toolkit.report import report_html

        page = report_html(self.analysis, key=self.key.value, selected=list(self.entity_picker.value) or None)
        return (f'<iframe class="newslens-explorer" title="Explorer: who is mentioned, and when" '
                f'srcdoc="{html.escape(page, quote=True)}" style="width:100%;height:1250px;border:0"></iframe>')

    # --- widgets --------------------------------------------------------------------------------

    def _build_inputs(self) -> None:
        wide = widgets.Layout(width="345px")
        style = {"description_width": "105px"}
        self.key = widgets.ToggleButtons(options=[k for k in KEYS if k[1] in self.model.keys()], value="entity",
                                         description="Count", style={"button_width": "110px", "description_width": "105px"},
                                         tooltips=["each entity by its name", "places, nationalities and national "
                                                   "bodies under their country"][:len(self.model.keys())],
                                         layout=widgets.Layout(display="flex" if self.model.has_country else "none"))
        self.entity_search = widgets.Text(description="Find entity", placeholder="type part of a name",
                                          layout=wide, style=style)
        self.entity_picker = widgets.SelectMultiple(options=self._listed(""), rows=8, description="Entities",
                                                    layout=wide, style=style,
                                                    tooltip="Ctrl/Cmd-click to pick several; none = most mentioned")
        labels = sorted(self.model.frame["label"].unique())
        self.label_picker = widgets.SelectMultiple(
            options=[(f"{label} ({LABEL_HELP.get(label, 'other')})", label) for label in labels],
            value=tuple(labels), rows=min(max(len(labels), 2), 6), description="Kinds", layout=wide, style=style)
        self.tone = widgets.FloatRangeSlider(value=(-1.0, 1.0), min=-1.0, max=1.0, step=0.05, description="Tone",
                                             readout_format="+.1f", layout=widgets.Layout(width="368px"), style=style,
                                             continuous_update=False)
        self.date_from = widgets.DatePicker(description="Published from", layout=wide, style=style)
        self.date_to = widgets.DatePicker(description="Published to", layout=wide, style=style)
        self.text_search = widgets.Text(description="Sentence has", placeholder="a word, e.g. ceasefire",
                                        layout=wide, style=style, continuous_update=False)
        axis = self.model.default_axis()
        self.time_axis = widgets.ToggleButtons(
            options=list(TIME_AXES), value=axis, style={"button_width": "110px"},
            tooltips=["when the article was published", "the dates the sentence itself names",
                      "how far into its article the sentence is"])
        self.bucket_size = widgets.Dropdown(options=list(BUCKET_SIZES), value=self.model.default_freq(axis),
                                            description="Bucket", layout=wide, style=style)
        self.share = widgets.Checkbox(value=False, description="Show as share of sentences (with 95% band)",
                                      indent=False, layout=wide)

    def _build_outputs(self) -> None:
        self.status = widgets.HTML()
        self.plot = widgets.Output(layout=widgets.Layout(min_height="320px"))
        self.bucket = widgets.Dropdown(description="Show sentences from", options=[("every bucket", ALL_BUCKETS)],
                                       value=ALL_BUCKETS, style={"description_width": "140px"},
                                       layout=widgets.Layout(width="420px"))
        self.sort = widgets.Dropdown(description="Sort", options=SORTS, value="newest",
                                     style={"description_width": "40px"}, layout=widgets.Layout(width="240px"))
        self.table = widgets.HTML()
        self.prev_button = widgets.Button(description="◀ Previous", tooltip="previous page of sentences")
        self.next_button = widgets.Button(description="Next ▶", tooltip="next page of sentences")
        self.page_label = widgets.HTML()

    def _controls(self) -> widgets.VBox:
        hint = widgets.HTML(f"<small style='color:#555'>{POSITION_HINT}</small>", layout=widgets.Layout(width="345px"))
        axis_title = widgets.HTML("<b>Time axis</b>: what the chart counts mentions on")
        return widgets.VBox([self.key, self.entity_search, self.entity_picker, self.label_picker, self.tone,
                             self.date_from, self.date_to, self.text_search, axis_title, self.time_axis,
                             self.bucket_size, hint, self.share],
                            layout=widgets.Layout(flex="0 0 375px"))

    def _listed(self, query: str) -> list[tuple[str, str]]:
        """The names to list: picked ones, then the most mentioned that contain `query` (at most
        `MAX_LISTED`, so the list stays quick with thousands of names)."""
        key = self.key.value if hasattr(self, "key") else "entity"
        query = query.strip().lower()
        chosen = set(self.entity_picker.value) if hasattr(self, "entity_picker") else set()
        ranked = self.model.ranked(key)
        options = [(f"{name}  ·  {n}", str(name)) for name, n in ranked.items()]
        found = [o for o in options if o[1] in chosen]
        for option in options:
            if len(found) >= MAX_LISTED + len(chosen):
                break
            if query in option[1].lower() and option[1] not in chosen:
                found.append(option)
        return found

    # --- callbacks ------------------------------------------------------------------------------

    def _on_entity_search(self, _: Any = None) -> None:
        """Relist the names; new options reset the picks, which are put back without a redraw."""
        chosen = self.entity_picker.value
        self._relisting = True
        try:
            self.entity_picker.options = self._listed(self.entity_search.value)
            self.entity_picker.value = chosen
        finally:
            self._relisting = False

    def _on_key(self, _: Any = None) -> None:
        """Entities or countries: relist the names, drop the picks, redraw once."""
        self._relisting = True
        try:
            self.entity_picker.value = ()
            self.entity_search.value = ""
            self.entity_picker.options = self._listed("")
            self.entity_picker.description = "Countries" if self.key.value == "country" else "Entities"
        finally:
            self._relisting = False
        self.update()

    def _on_axis(self, _: Any = None) -> None:
        """A new time axis opens with the bucket size that suits its span of dates."""
        self._relisting = True
        try:
            if self.time_axis.value != "position":
                self.bucket_size.value = self.model.default_freq(self.time_axis.value)
        finally:
            self._relisting = False
        self.update()

    def _on_filter(self, _: Any = None) -> None:
        if not self._relisting:
            self.update()

    def _on_bucket(self, _: Any = None) -> None:
        self.page = 0
        self._show_table()

    def _turn(self, step: int) -> None:
        self.page += step
        self._show_table()

    # --- the filter and what it selects -----------------------------------------------------------

    def query(self) -> MentionFilter:
        """The current choices as a `MentionFilter` (no names picked: every name)."""
        return MentionFilter(
            names=tuple(self.entity_picker.value) or None, labels=tuple(self.label_picker.value),
            tone=cast(tuple[float, float], tuple(self.tone.value)), published_from=self.date_from.value,
            published_to=self.date_to.value, text=self.text_search.value, key=self.key.value,
        )

    def mask(self) -> np.ndarray:
        """Which mentions pass every filter but the bucket: one bool a row of `model.frame`."""
        return self.model.mask(self.query())

    def selected(self) -> np.ndarray:
        """Rows of the mentions behind the table and status line: every filter, and the chosen bucket if any."""
        keep = self.mask()
        if self.bucket.value == ALL_BUCKETS:
            return np.flatnonzero(keep)
        bucket = pd.NaT if self.bucket.value == UNDATED else self.bucket.value
        return self.model.in_bucket(keep, self.time_axis.value, self.bucket_size.value, bucket)

    def plotted(self) -> MentionFilter:
        """The filter the chart draws: the picked names, or the `MAX_PLOTTED` most mentioned that match."""
        query = self.query()
        if query.names:
            return query
        return dataclasses.replace(query, names=self.model.top_names(self.mask(), query.key, MAX_PLOTTED))

    def timeline(self) -> pd.DataFrame:
        """What the chart draws: `Mentions.count` of the plotted filter, as `toolkit.mentions_over_time` gives it."""
        return self.model.count(self.plotted(), by=self.time_axis.value, freq=self.bucket_size.value,
                                normalize=self.share.value)

    # --- output ---------------------------------------------------------------------------------

    def update(self) -> None:
        """Redraw the chart and the bucket list, and go back to the first page of sentences."""
        timeline = self.timeline()
        self._draw(timeline)
        by, freq = self.time_axis.value, self.bucket_size.value
        self.bucket_size.disabled = by == "position"
        named = timeline.loc[timeline["mentions"] > 0, "bucket"]
        dated = sorted(named.dropna().unique())
        options = [("every bucket", ALL_BUCKETS)] + [(bucket_text(b, by, freq), b) for b in dated]
        if named.isna().any():
            options.append((UNDATED, UNDATED))
        previous = self.bucket.value
        with self.bucket.hold_trait_notifications():
            self.bucket.options = options
            self.bucket.value = previous if any(previous == value for _, value in options) else ALL_BUCKETS
        self.page = 0
        self._show_table()

    def chart(self, timeline: pd.DataFrame | None = None) -> Axes:
        """The chart of `timeline` (default: the current one) on a new figure, titled for the time axis."""
        timeline = self.timeline() if timeline is None else timeline
        figure = plt.figure(figsize=CHART_INCHES, dpi=CHART_DPI)
        with plt.rc_context(STYLE):
            ax = figure.add_subplot()
        plot_mentions_over_time(timeline, normalize=self.share.value, legend="below",
                                xlabel=AXIS_TITLES[self.time_axis.value], ax=ax)
        lay_out(ax)
        return ax

    def _draw(self, timeline: pd.DataFrame) -> None:
        """Render the chart to PNG and make it the Output's only content (also saved with widget state)."""
        fig = cast(Figure, self.chart(timeline).figure)
        try:
            png = io.BytesIO()
            fig.savefig(png, format="png", dpi=CHART_DPI, pil_kwargs={"compress_level": 1})
        finally:
            plt.close(fig)
        self.last_timeline = timeline
        data = png.getvalue()
        shown = min(CHART_WIDTH, png_width(data) * 100 // CHART_DPI)
        name = "countries" if self.key.value == "country" else "entities"
        self.plot.outputs = ({
            "output_type": "display_data",
            "data": {"image/png": base64.b64encode(data).decode("ascii"),
                     "text/plain": f"<chart: {timeline.iloc[:, 1].nunique() if len(timeline) else 0} {name}>"},
            "metadata": {"image/png": {"width": shown}},
        },)

    def _ordered(self, rows: np.ndarray) -> np.ndarray:
        """Sentence `rows` in the chosen order: every sentence is sorted once a sort and the order kept,
        so a redraw only picks its rows out of it."""
        if self.sort.value not in self._orders:
            columns, ascending = SORT_KEYS[self.sort.value]
            self._orders[self.sort.value] = self.model.sentences.reset_index(drop=True).sort_values(
                columns, ascending=ascending, kind="stable", na_position="last").index.to_numpy()
        order = self._orders[self.sort.value]
        member = np.zeros(len(order), dtype=bool)
        member[rows] = True
        return order[member[order]]

    def _show_table(self) -> None:
        chosen = self.selected()
        srows = self.model.frame["srow"].to_numpy()[chosen]  # sorted: the mentions are in sentence order
        rows = self._ordered(srows[np.r_[True, srows[1:] != srows[:-1]]] if len(srows) else srows)
        pages = max(-(-len(rows) // self.page_size), 1)
        self.page = min(max(self.page, 0), pages - 1)
        shown = rows[self.page * self.page_size:(self.page + 1) * self.page_size]
        self.table.value = table_html(self.model, shown, chosen)
        every = len(self.model.frame)
        copies = self.model.copies
        note = f"; {copies} mentions in near-copies left out" if copies else ""
        plotted = self.plotted().names or ()
        drawn = "" if self.query().names else (
            f" The chart draws the {len(plotted)} most mentioned." if plotted else "")
        self.status.value = (f"<b>{chosen.size}</b> mentions in <b>{len(rows)}</b> sentences match "
                             f"(of {every} mentions in {len(self.model.sentences)} sentences{note}).{drawn}")
        self.page_label.value = f"&nbsp;page {self.page + 1} of {pages}&nbsp;"
        self.prev_button.disabled = self.page == 0
        self.next_button.disabled = self.page >= pages - 1

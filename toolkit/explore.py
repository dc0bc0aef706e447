"""Show stage: `Explorer(analysis)`, a widget to filter entity mentions, plot them over time and read them.

A composite ipywidget: the inputs on the left are observed, every change reads their `.value`s,
filters the mentions with precomputed arrays (fast enough for hundreds of thousands of mentions),
redraws `toolkit.plots.plot_mentions_over_time` from `toolkit.mentions_over_time` and lists the
matching sentences, entity highlighted, in pages. Every piece of article text is HTML-escaped.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import html
import io
from typing import Any, cast

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from toolkit.pipeline import Analysis
from toolkit.plots import plot_mentions_over_time
from toolkit.timeline import bucket_starts

PAGE_SIZE = 10
MAX_PLOTTED = 8
MAX_LISTED = 300
TIME_AXES = [
    ("Published", "published"),
    ("Dates in text", "event"),
    ("Place in article", "position"),
]
AXIS_TITLES = {"published": "publication date", "event": "date named in the sentence",
               "position": "place in the article"}
BUCKET_SIZES = [("Day", "D"), ("Week", "W"), ("Month", "M"), ("Quarter", "Q"), ("Year", "Y")]
SORTS = [
    ("Newest first", "newest"),
    ("Oldest first", "oldest"),
    ("Most negative first", "negative"),
    ("Most positive first", "positive"),
]
ALL_BUCKETS = "all"
LABEL_HELP = {
    "PERSON": "people", "ORG": "organisations", "GPE": "countries, cities, states", "LOC": "places",
    "NORP": "nationalities, groups", "EVENT": "events", "FAC": "buildings, airports", "PRODUCT": "products",
    "LAW": "laws", "WORK_OF_ART": "titles", "LANGUAGE": "languages",
}
HELP = """
<div style="line-height:1.45">
<b style="font-size:1.15em">Who is mentioned, in what tone, and when</b><br>
Pick one or more <b>entities</b> (type in the search box to find them; Ctrl/Cmd-click selects several,
none selected shows the most mentioned). Narrow the mentions by <b>kind</b>, <b>tone</b> of the
sentence (−1 very negative … +1 very positive), <b>publication date</b> or a <b>word</b> the sentence
must contain. The chart counts mentions per time bucket; the table below it lists the sentences.
</div>
"""
TABLE_STYLE = """
<style>
table.newslens-table {border-collapse: collapse; width: 100%; font-size: 13px; table-layout: auto;}
table.newslens-table th, table.newslens-table td {text-align: left !important; vertical-align: top; padding: 4px 8px;}
table.newslens-table th {border-bottom: 2px solid #999;}
table.newslens-table td {border-bottom: 1px solid #ddd; white-space: normal;}
table.newslens-table td.newslens-meta {white-space: nowrap; color: #555;}
table.newslens-table mark {background: #ffe08a; padding: 0 2px; border-radius: 2px;}
table.newslens-table .newslens-tone {font-weight: bold; font-family: monospace; white-space: nowrap;}
</style>
"""


def _tone_color(compound: float) -> str:
    return "#2e7d32" if compound >= 0.05 else "#c62828" if compound <= -0.05 else "#666666"


def _highlight(text: str, spans: list[tuple[int, int, str]]) -> str:
    """`text` HTML-escaped, with each (start, end, title) span wrapped in <mark>; overlaps are skipped."""
    pieces, at = [], 0
    for start, end, title in sorted(spans):
        start, end = max(start, at), min(end, len(text))
        if start >= end:
            continue
        pieces.append(html.escape(text[at:start]))
        pieces.append(f'<mark title="{html.escape(title)}">{html.escape(text[start:end])}</mark>')
        at = end
    pieces.append(html.escape(text[at:]))
    return "".join(pieces)


def bucket_text(bucket: Any, by: str, freq: str) -> str:
    """A bucket as people read it: "week of 5 May 2025", "May 2025", "40–50% into the article"."""
    if by == "position":
        low = round(float(bucket) * 100)
        return f"{low}–{low + 10}% into the article"
    stamp = pd.Timestamp(bucket)
    formats = {"D": "%a %-d %b %Y", "W": "week of %-d %b %Y", "M": "%B %Y", "Y": "%Y"}
    if freq == "Q":
        return f"Q{stamp.quarter} {stamp.year}"
    return stamp.strftime(formats.get(freq, "%-d %b %Y"))


class Explorer(widgets.VBox):
    """Filter entity mentions and see them over time and in their sentences, without writing code.

    `Explorer(analysis)` displays as a widget in Jupyter (and in Voila). Its inputs are public
    attributes (`entity_picker`, `tone`, `time_axis`, ...), so code and tests can set `.value`.
    """

    def __init__(self, analysis: Analysis, *, page_size: int = PAGE_SIZE) -> None:
        self.analysis = analysis
        self.page_size = page_size
        self.page = 0
        self._relisting = False
        self.last_timeline = pd.DataFrame()
        self._prepare(analysis)
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
        ])
        for control in (self.entity_picker, self.label_picker, self.tone, self.date_from, self.date_to,
                        self.text_search, self.time_axis, self.bucket_size, self.share):
            control.observe(self._on_filter, "value")
        self.entity_search.observe(self._on_entity_search, "value")
        self.bucket.observe(self._on_bucket, "value")
        self.sort.observe(self._on_bucket, "value")
        self.prev_button.on_click(lambda _: self._turn(-1))
        self.next_button.on_click(lambda _: self._turn(+1))
        self.update()

    # --- precomputation -------------------------------------------------------------------------

    def _prepare(self, analysis: Analysis) -> None:
        """Arrays the filters index into, built once: one row a mention, sorted by sentence."""
        sentences = analysis.sentences.reset_index(drop=True)
        published = analysis.articles.set_index("article_id")["published"]
        self._sentences = pd.DataFrame({
            "article_id": sentences["article_id"].astype(str),
            "sentence_id": sentences["sentence_id"].to_numpy(),
            "start": sentences["start"].to_numpy(),
            "text": sentences["text"].astype(str),
            "compound": sentences["compound"].to_numpy(dtype=float),
            "position": sentences["position"].to_numpy(dtype=float),
            "published": sentences["article_id"].map(published).astype("datetime64[ns]").to_numpy(),
        })
        self._lower_text = self._sentences["text"].str.lower()
        row_of = pd.Series(np.arange(len(sentences)),
                           index=pd.MultiIndex.from_arrays([self._sentences["article_id"], sentences["sentence_id"]]))
        entities = analysis.entities
        keys = pd.MultiIndex.from_arrays([entities["article_id"].astype(str), entities["sentence_id"]])
        srow = row_of.reindex(keys).to_numpy()
        known = ~pd.isna(srow)
        mentions = entities.loc[known].assign(srow=srow[known].astype(np.int64))
        self._mentions = mentions.sort_values(["srow", "start"], kind="stable").reset_index(drop=True)
        self._srow = self._mentions["srow"].to_numpy()
        self._entity = pd.Categorical(self._mentions["entity"].astype(str))
        self._label = pd.Categorical(self._mentions["label"].astype(str))
        self._compound = self._sentences["compound"].to_numpy()[self._srow]
        self._published = self._sentences["published"].to_numpy()[self._srow]
        self._sentence_bounds = np.searchsorted(self._srow, np.arange(len(sentences) + 1))
        counts = pd.Series(self._entity).value_counts(sort=True)
        labels_of = self._mentions.groupby("entity", observed=True)["label"].agg(lambda s: s.mode().iat[0])
        self._entity_options = [(f"{name}  ·  {labels_of[name]}  ·  {n}", name) for name, n in counts.items()]
        self._event_dates = self._dates_by_mention(analysis.dates)
        self._search_cache: tuple[str, np.ndarray] = ("", np.ones(len(sentences), dtype=bool))
        self._bucket_cache: dict[tuple[str, str], tuple[np.ndarray, pd.Series]] = {}

    def _dates_by_mention(self, dates: pd.DataFrame) -> pd.DataFrame:
        """(mention index, date) for every resolved date named in a mention's sentence."""
        if dates.empty:
            return pd.DataFrame({"mention": pd.Series(dtype=np.int64), "date": pd.Series(dtype="datetime64[ns]")})
        known = dates.dropna(subset=["date"]).drop_duplicates(["article_id", "sentence_id", "date"])
        keyed = self._mentions[["article_id", "sentence_id"]].astype({"article_id": str}).reset_index(names="mention")
        pairs = keyed.merge(known[["article_id", "sentence_id", "date"]].astype({"article_id": str}),
                            on=["article_id", "sentence_id"])
        return pairs[["mention", "date"]].astype({"date": "datetime64[ns]"})

    # --- widgets --------------------------------------------------------------------------------

    def _build_inputs(self) -> None:
        wide = widgets.Layout(width="345px")
        style = {"description_width": "105px"}
        self.entity_search = widgets.Text(description="Find entity", placeholder="type part of a name",
                                          layout=wide, style=style)
        self.entity_picker = widgets.SelectMultiple(options=self._listed_entities(""), rows=8, description="Entities",
                                                    layout=wide, style=style,
                                                    tooltip="Ctrl/Cmd-click to pick several; none = most mentioned")
        labels = sorted(self._label.categories)
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
        self.time_axis = widgets.ToggleButtons(
            options=TIME_AXES, value=self._default_axis(), style={"button_width": "110px"},
            tooltips=["when the article was published", "the dates the sentence itself names",
                      "how far into its article the sentence is"])
        self.bucket_size = widgets.Dropdown(options=BUCKET_SIZES, value=self._default_freq(), description="Bucket",
                                            layout=wide, style=style)
        self.share = widgets.Checkbox(value=False, description="Show as share of sentences (with 95% band)",
                                      indent=False, layout=wide)

    def _default_axis(self) -> str:
        return "published" if pd.Series(self._published).dropna().nunique() > 1 else "position"

    def _default_freq(self) -> str:
        span = pd.Series(self._published).dropna()
        days = (span.max() - span.min()).days if len(span) else 0
        return "D" if days <= 31 else "W" if days <= 180 else "M" if days <= 3 * 365 else "Y"

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
        hint = widgets.HTML("<small style='color:#666'>Place in article uses tenths of the article "
                            "instead of a bucket size.</small>", layout=widgets.Layout(width="345px"))
        axis_title = widgets.HTML("<b>Time axis</b>: what the chart counts mentions on")
        return widgets.VBox([self.entity_search, self.entity_picker, self.label_picker, self.tone, self.date_from,
                             self.date_to, self.text_search, axis_title, self.time_axis, self.bucket_size, hint,
                             self.share],
                            layout=widgets.Layout(flex="0 0 375px"))

    # --- callbacks ------------------------------------------------------------------------------

    def _on_entity_search(self, _: Any = None) -> None:
        """Relist the entities; new options reset the picks, which are put back without a redraw."""
        chosen = self.entity_picker.value
        self._relisting = True
        try:
            self.entity_picker.options = self._listed_entities(self.entity_search.value)
            self.entity_picker.value = chosen
        finally:
            self._relisting = False

    def _listed_entities(self, query: str) -> list[tuple[str, str]]:
        """The entities to list: picked ones, then the most mentioned that contain `query` (at most
        `MAX_LISTED`, so the list stays quick with thousands of names)."""
        query = query.strip().lower()
        chosen = set(self.entity_picker.value) if hasattr(self, "entity_picker") else set()
        found = [o for o in self._entity_options if o[1] in chosen]
        for option in self._entity_options:
            if len(found) >= MAX_LISTED + len(chosen):
                break
            if query in option[1].lower() and option[1] not in chosen:
                found.append(option)
        return found

    def _on_filter(self, _: Any = None) -> None:
        if not self._relisting:
            self.update()

    def _on_bucket(self, _: Any = None) -> None:
        self.page = 0
        self._show_table()

    def _turn(self, step: int) -> None:
        self.page += step
        self._show_table()

    # --- filtering ------------------------------------------------------------------------------

    def _text_mask(self) -> np.ndarray:
        query = self.text_search.value.strip().lower()
        if query != self._search_cache[0]:
            found = self._lower_text.str.contains(query, regex=False).to_numpy(dtype=bool)
            self._search_cache = (query, found)
        return self._search_cache[1]

    def mask(self) -> np.ndarray:
        """Which mentions pass every filter but the bucket: one bool a mention, in sentence order."""
        keep = np.ones(len(self._mentions), dtype=bool)
        if self.entity_picker.value:
            keep &= np.isin(self._entity.codes, self._entity.categories.get_indexer(self.entity_picker.value))
        keep &= np.isin(self._label.codes, self._label.categories.get_indexer(self.label_picker.value))
        low, high = self.tone.value
        keep &= (self._compound >= low - 1e-9) & (self._compound <= high + 1e-9)
        if self.date_from.value is not None:
            keep &= self._published >= np.datetime64(self.date_from.value, "ns")
        if self.date_to.value is not None:
            keep &= self._published < np.datetime64(self.date_to.value + dt.timedelta(days=1), "ns")
        if self.text_search.value.strip():
            keep &= self._text_mask()[self._srow]
        return keep

    def _buckets(self) -> tuple[np.ndarray, pd.Series]:
        """(mention index, bucket) pairs of the current time axis and bucket size, cached."""
        by, freq = self.time_axis.value, self.bucket_size.value
        key = (by, freq if by != "position" else "")
        if key not in self._bucket_cache:
            if by == "event":
                index = self._event_dates["mention"].to_numpy()
                values = bucket_starts(self._event_dates["date"], by, freq)
            elif by == "position":
                index = np.arange(len(self._mentions))
                values = bucket_starts(pd.Series(self._sentences["position"].to_numpy()[self._srow]), by, freq)
            else:
                index = np.flatnonzero(~pd.isna(self._published))
                values = bucket_starts(pd.Series(self._published[index]), by, freq)
            self._bucket_cache[key] = (index, values.reset_index(drop=True))
        return self._bucket_cache[key]

    def selected(self) -> np.ndarray:
        """Indices of the mentions behind the table: every filter, and the chosen bucket if any."""
        keep = self.mask()
        if self.bucket.value == ALL_BUCKETS:
            return np.flatnonzero(keep)
        index, values = self._buckets()
        in_bucket = index[(values == self.bucket.value).to_numpy()]
        return np.unique(in_bucket[keep[in_bucket]])

    # --- output ---------------------------------------------------------------------------------

    def timeline(self) -> pd.DataFrame:
        """`toolkit.mentions_over_time` of the filtered mentions, as currently plotted."""
        from toolkit.timeline import mentions_over_time

        keep = self.mask()
        counts = np.bincount(self._entity.codes[keep], minlength=len(self._entity.categories))
        if self.entity_picker.value:
            chosen = list(self.entity_picker.value)
        else:
            top = np.argsort(-counts, kind="stable")[:MAX_PLOTTED]
            chosen = [self._entity.categories[i] for i in top if counts[i] > 0]
            keep &= np.isin(self._entity.codes, top)
        kept = self._mentions.loc[keep, list(self.analysis.entities.columns)]
        filtered = dataclasses.replace(self.analysis, entities=kept)
        by = self.time_axis.value
        freq = self.bucket_size.value
        return mentions_over_time(filtered, by=by, freq=freq, entities=chosen or None, normalize=self.share.value)

    def update(self) -> None:
        """Redraw the chart and the bucket list, and go back to the first page of sentences."""
        timeline = self.timeline()
        self._draw(timeline)
        by, freq = self.time_axis.value, self.bucket_size.value
        self.bucket_size.disabled = by == "position"
        buckets = sorted(timeline.loc[timeline["mentions"] > 0, "bucket"].unique()) if len(timeline) else []
        options = [("every bucket", ALL_BUCKETS)] + [(bucket_text(b, by, freq), b) for b in buckets]
        previous = self.bucket.value
        with self.bucket.hold_trait_notifications():
            self.bucket.options = options
            self.bucket.value = previous if any(previous is v or previous == v for _, v in options) else ALL_BUCKETS
        self.page = 0
        self._show_table()

    def _draw(self, timeline: pd.DataFrame) -> None:
        """Render the chart to PNG and make it the Output's only content (also saved with widget state)."""
        ax = plot_mentions_over_time(timeline, normalize=self.share.value)
        fig = cast(Figure, ax.figure)
        try:
            fig.set_size_inches(7.6, 3.8)
            ax.set_xlabel(AXIS_TITLES[self.time_axis.value])
            png = io.BytesIO()
            fig.savefig(png, format="png", dpi=100, pil_kwargs={"compress_level": 1})
        finally:
            plt.close(fig)
        self.last_timeline = timeline
        self.plot.outputs = ({
            "output_type": "display_data",
            "data": {"image/png": base64.b64encode(png.getvalue()).decode("ascii"),
                     "text/plain": f"<chart: {timeline['entity'].nunique() if len(timeline) else 0} entities>"},
            "metadata": {},
        },)

    def _ordered(self, rows: np.ndarray) -> np.ndarray:
        frame = self._sentences.iloc[rows]
        by = {"newest": (["published", "article_id", "sentence_id"], [False, True, True]),
              "oldest": (["published", "article_id", "sentence_id"], [True, True, True]),
              "negative": (["compound", "article_id", "sentence_id"], [True, True, True]),
              "positive": (["compound", "article_id", "sentence_id"], [False, True, True])}[self.sort.value]
        return rows[frame.reset_index(drop=True).sort_values(by[0], ascending=by[1], kind="stable",
                                                              na_position="last").index.to_numpy()]

    def _show_table(self) -> None:
        chosen = self.selected()
        rows = self._ordered(np.unique(self._srow[chosen]))
        pages = max(-(-len(rows) // self.page_size), 1)
        self.page = min(max(self.page, 0), pages - 1)
        shown = rows[self.page * self.page_size:(self.page + 1) * self.page_size]
        body = [self._row_html(row, chosen) for row in shown]
        head = "<tr><th>Published</th><th>Article · sentence</th><th>Tone</th><th>Sentence</th></tr>"
        empty = "<tr><td colspan='4'><i>No sentence matches these filters.</i></td></tr>"
        self.table.value = f"{TABLE_STYLE}<table class='newslens-table'>{head}{''.join(body) or empty}</table>"
        self.status.value = (f"<b>{chosen.size}</b> mentions in <b>{len(rows)}</b> sentences match "
                             f"(of {len(self._mentions)} mentions in {len(self._sentences)} sentences)")
        self.page_label.value = f"&nbsp;page {self.page + 1} of {pages}&nbsp;"
        self.prev_button.disabled = self.page == 0
        self.next_button.disabled = self.page >= pages - 1

    def _row_html(self, row: int, chosen: np.ndarray) -> str:
        """One table row; only the sentence's mentions among `chosen` (sorted indices) are highlighted."""
        sentence = self._sentences.iloc[row]
        mine = np.arange(self._sentence_bounds[row], self._sentence_bounds[row + 1])
        at = np.minimum(np.searchsorted(chosen, mine), max(len(chosen) - 1, 0))
        marked = mine[chosen[at] == mine] if len(chosen) else mine[:0]
        spans = [(int(m.start) - int(sentence.start), int(m.end) - int(sentence.start), f"{m.entity} ({m.label})")
                 for m in self._mentions.iloc[marked].itertuples()]
        published = "" if pd.isna(sentence.published) else pd.Timestamp(sentence.published).strftime("%-d %b %Y")
        color = _tone_color(sentence.compound)
        tone = f"<span class='newslens-tone' style='color:{color}'>{sentence.compound:+.2f}</span>"
        return (f"<tr><td class='newslens-meta'>{published}</td>"
                f"<td class='newslens-meta'>{html.escape(sentence.article_id)} · {sentence.sentence_id}</td>"
                f"<td>{tone}</td><td>{_highlight(sentence.text, spans)}</td></tr>")


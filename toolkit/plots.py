"""Show stage: matplotlib plots of the toolkit's frames, one function a question.

Every `plot_*` takes a frame (data first, options keyword-only), draws on `ax` (a new figure when
None) and returns the `Axes`. The house look is applied inside `plt.rc_context`, so global
`rcParams` stay untouched, and nothing calls `plt.show()`: notebooks display the figure themselves.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.colors import TwoSlopeNorm
from matplotlib.patches import Patch
from matplotlib.typing import RcKeyType

from toolkit.mentions import names_in
from toolkit.viewrules import (
    GRANULARITY_PERIODS, MATPLOTLIB_DASHES, PALETTE, TONE_COLORS, UNDATED, date_text, literal, series_style,
    tone_of,
)

STYLE: dict[RcKeyType, Any] = {
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#e6e6e6",
    "grid.linewidth": 0.8,
    "axes.axisbelow": True,
    "axes.prop_cycle": plt.cycler(color=PALETTE),
    "legend.frameon": False,
    "figure.dpi": 100,
    "savefig.dpi": 120,
    "savefig.bbox": "tight",
}
SENTIMENT_CMAP = "RdYlGn"
# Student's t quantile of a two-sided 95% interval for 1..30 degrees of freedom; beyond, the
# Cornish-Fisher expansion around the normal quantile (error below 1e-5 from 31 on).
T975 = (12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.306, 2.2622, 2.2281, 2.201, 2.1788, 2.1604,
        2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.093, 2.086, 2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555,
        2.0518, 2.0484, 2.0452, 2.0423)
Z975 = 1.959963984540054


@contextmanager
def _styled(ax: Axes | None, figsize: tuple[float, float]) -> Iterator[Axes]:
    """The house style for the duration of one plot, and an Axes to draw on.

    A new figure is made before entering the context: the first figure loads the backend, and
    IPython's inline backend switches interactive mode on as it loads, which the context's exit
    would undo (later figures would then not show in notebooks).
    """
    if ax is not None:
        with plt.rc_context(STYLE):
            yield ax
        return
    figure = plt.figure(figsize=figsize, layout="constrained")
    with plt.rc_context(STYLE):
        yield figure.add_subplot()


def _short(text: str, width: int) -> str:
    return textwrap.shorten(" ".join(str(text).split()), width=width, placeholder="…")


def _sentiment_colors(values: np.ndarray) -> list[str]:
    return [TONE_COLORS[tone_of(v)] for v in values]


def t_quantile(df: np.ndarray) -> np.ndarray:
    """Student's t quantile for a two-sided 95% interval at `df` degrees of freedom (NaN below 1)."""
    df = np.asarray(df, dtype=float)
    z = Z975
    expansion = (z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
                 + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3))
    table = np.asarray(T975)[np.clip(df, 1, len(T975)).astype(int) - 1]
    return np.where(df < 1, np.nan, np.where(df <= len(T975), table, expansion))


def _empty(ax: Axes, message: str) -> Axes:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="#666666")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    return ax


def _bucket_axis(buckets: pd.Series) -> tuple[pd.Series, list[str] | None]:
    """Plot positions for time buckets: dates and numbers as they are, anything else by rank."""
    if pd.api.types.is_datetime64_any_dtype(buckets) or pd.api.types.is_numeric_dtype(buckets):
        return buckets, None
    order = list(dict.fromkeys(sorted(buckets.unique(), key=str)))
    return buckets.map({b: i for i, b in enumerate(order)}), [str(b) for b in order]


def _on_grid(frame: pd.DataFrame, name: str, *, normalize: bool) -> pd.DataFrame:
    """Every (bucket, name) on the axis: counts drop to zero where a name is not mentioned; shares break
    (NaN) there, so a line never bridges buckets where the name has no mention. A bucket is `small`
    when any row says so."""
    grid = pd.MultiIndex.from_product([np.sort(frame["_x"].unique()), frame[name].unique()], names=["_x", name])
    small = frame.groupby("_x")["small"].any()
    filled = frame.set_index(["_x", name]).reindex(grid).reset_index()
    filled["mentions"] = filled["mentions"].fillna(0)
    if normalize:
        filled["share"] = filled["share"].where(filled["mentions"] > 0)
    filled["small"] = filled["_x"].map(small).astype(bool)
    return filled


def plot_mentions_over_time(
    timeline: pd.DataFrame,
    *,
    normalize: bool | None = None,
    top: int = 8,
    legend: str = "right",
    xlabel: str | None = None,
    figsize: tuple[float, float] = (9, 4.5),
    ax: Axes | None = None,
) -> Axes:
    """How often each entity (or country) is mentioned per time bucket: one line per name.

    `timeline` is `toolkit.mentions_over_time(...)`. With `normalize` (default: True when the frame
    has any `share`), the y axis is the share of the bucket's sentences that mention the name and a
    band shows its 95% interval; a share line breaks where the name is not mentioned, and buckets with
    too few sentences for a reliable share (`small`) are drawn as hollow markers. Undated mentions
    (`bucket` NaT) cannot sit on a time axis: the legend counts them and a note says how many there
    are. Only the `top` most mentioned names are drawn; `legend` is "right" or "below" the axes.
    """
    with _styled(ax, figsize) as ax:
        if timeline.empty or timeline["mentions"].sum() == 0:
            return _empty(ax, "No mentions match these filters")
        name = names_in(timeline)
        if normalize is None:
            normalize = bool(timeline["share"].notna().any())
        totals = timeline.groupby(name, observed=True)["mentions"].sum().sort_values(ascending=False, kind="stable")
        undated = timeline[timeline["bucket"].isna()].groupby(name, observed=True)["mentions"].sum()
        shown = totals.index[:top]
        dated = timeline[timeline["bucket"].notna()]
        positions, labels = _bucket_axis(dated["bucket"])
        frame = _on_grid(dated.assign(_x=positions), name, normalize=normalize) if len(dated) else dated.assign(_x=[])
        value = "share" if normalize else "mentions"
        for rank, entity in enumerate(shown):
            color, dash = series_style(rank)
            rows = frame[frame[name] == entity].sort_values("_x")
            away = int(undated.get(entity, 0))
            label = f"{entity} ({int(totals[entity])}" + (f", {away} {UNDATED})" if away else ")")
            ax.plot(rows["_x"], rows[value], marker="o", markersize=5, linewidth=2, color=color,
                    linestyle=MATPLOTLIB_DASHES[dash], label=literal(label))
            if normalize:
                band = rows["mentions"] > 0
                ax.fill_between(rows["_x"], rows["share_low"].where(band), rows["share_high"].where(band),
                                color=color, alpha=0.12, linewidth=0)
            small = rows[rows["small"].astype(bool) & rows[value].notna()]
            if len(small):
                ax.plot(small["_x"], small[value], linestyle="none", marker="o", markersize=7,
                        markerfacecolor="white", markeredgecolor=color, markeredgewidth=1.5)
        ax.set_ylabel("share of sentences mentioning it" if normalize else "mentions")
        ax.set_ylim(bottom=0)
        if normalize:
            ax.yaxis.set_major_formatter(ticker.PercentFormatter(1.0, decimals=0))
        else:
            ax.yaxis.set_major_locator(ticker.MaxNLocator(integer=True))
        _time_ticks(ax, positions, labels)
        if xlabel is not None:
            ax.set_xlabel(xlabel)
        if int(undated.sum()):
            ax.annotate(f"+ {int(undated.sum())} {UNDATED} mentions (no date on this axis)", (1, 1.0),
                        xycoords="axes fraction", ha="right", va="bottom", fontsize=9, color="#555555")
        ax.set_title("Share of sentences mentioning it" if normalize else "Mentions per time bucket")
        _mentions_legend(ax, frame, name, legend)
        return ax


def _time_ticks(ax: Axes, positions: pd.Series, labels: list[str] | None) -> None:
    """Ticks the reader can read: ranks named, tenths of the article in percent, dates in the concise
    style (the year or month written once, not on every tick) so labels never overlap."""
    ax.set_xlabel("time bucket")
    if labels is not None:
        ax.set_xticks(range(len(labels)), [literal(label) for label in labels], rotation=30, ha="right")
    elif pd.api.types.is_numeric_dtype(positions):
        ax.xaxis.set_major_formatter(ticker.PercentFormatter(1.0, decimals=0))
        ax.set_xlabel("place in the article (start of each tenth)")
    elif pd.api.types.is_datetime64_any_dtype(positions):
        figure = ax.get_figure(root=True)
        assert figure is not None, "a plotted axes belongs to a figure"
        width = figure.get_figwidth() * ax.get_position().width
        locator = mdates.AutoDateLocator(minticks=2, maxticks=max(3, int(width * 1.4)))
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        if positions.nunique() == 1:
            only = pd.Timestamp(positions.iloc[0])
            # matplotlib's stubs type limits as floats; a date axis takes Timestamps through its unit converter
            ax.set_xlim(only - pd.Timedelta(days=1), only + pd.Timedelta(days=1))  # type: ignore[arg-type]


def _mentions_legend(ax: Axes, frame: pd.DataFrame, name: str, where: str) -> None:
    handles, names = ax.get_legend_handles_labels()
    if len(frame) and frame["small"].astype(bool).any():
        handles.append(plt.Line2D([], [], linestyle="none", marker="o", markerfacecolor="white",
                                  markeredgecolor="#555555", markersize=7))
        names.append("few sentences: unreliable")
    title = f"{name} (mentions)"
    if where == "below":
        ax.legend(handles, names, loc="upper left", bbox_to_anchor=(0, -0.2), ncols=2, fontsize=9,
                  title=title, title_fontsize=9, alignment="left")
    else:
        ax.legend(handles, names, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=9,
                  title=title, title_fontsize=9, alignment="left")


def _article_sentences(sentences: pd.DataFrame, article_id: str | None) -> tuple[pd.DataFrame, str]:
    if article_id is None:
        article_id = str(sentences["article_id"].iloc[0])
    chosen = sentences[sentences["article_id"] == article_id].sort_values("sentence_id")
    if chosen.empty:
        raise ValueError(f"no sentences for article_id {article_id!r}")
    return chosen, article_id


def _entity_names(entities: pd.DataFrame | None, article_id: str, width: int) -> dict[int, str]:
    """Per sentence, its entities' canonical names in order of appearance, shortened to `width`."""
    if entities is None or entities.empty:
        return {}
    mine = entities[entities["article_id"] == article_id].sort_values(["sentence_id", "start"])
    names: dict[int, str] = {}
    for sentence_id, group in mine.groupby("sentence_id", sort=True):
        unique = list(dict.fromkeys(group["entity"].astype(str)))
        names[int(cast(int, sentence_id))] = _short(", ".join(unique), width)
    return names


def plot_sentiment_arc(
    sentences: pd.DataFrame,
    *,
    entities: pd.DataFrame | None = None,
    article_id: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """The tone of one article sentence by sentence (VADER compound), with who each sentence names.

    Bars above zero are positive sentences, below zero negative; the line is a 3-sentence rolling
    mean that shows the arc. When `entities` is given, each tick names the sentence's entities. The
    first article is drawn unless `article_id` picks another.
    """
    chosen, article_id = _article_sentences(sentences, article_id)
    names = _entity_names(entities, article_id, width=42)
    width = max(7.0, min(0.42 * len(chosen) + 2, 24))
    with _styled(ax, (width, 5.5 if names else 4)) as ax:
        x = chosen["sentence_id"].to_numpy()
        y = chosen["compound"].to_numpy(dtype=float)
        ax.bar(x, y, color=_sentiment_colors(y), width=0.75, alpha=0.85)
        smooth = pd.Series(y).rolling(3, center=True, min_periods=1).mean()
        ax.plot(x, smooth, color="#333333", linewidth=1.8, label="rolling mean of 3 sentences")
        ax.axhline(0, color="#555555", linewidth=0.8)
        ax.set_ylim(-1.05, 1.05)
        ax.set_xlim(x.min() - 0.6, x.max() + 0.6)
        ax.set_ylabel("VADER compound (−1 … +1)")
        ax.grid(axis="x", visible=False)
        if names:
            labels = [literal(f"{names[i]}  · {i}") if i in names else f"{i}" for i in x]
            ax.set_xticks(x, labels, rotation=90, fontsize=8.5)
            ax.set_xlabel("sentence (entities it names · sentence number)")
        else:
            step = max(1, len(x) // 25)
            ax.set_xticks(x[::step])
            ax.set_xlabel("sentence number")
        ax.set_title(f"Sentiment arc of article {article_id}")
        ax.legend(loc="upper right", fontsize=9)
        return ax


def tone_by_entity(entities: pd.DataFrame, *, min_mentions: int = 1) -> pd.DataFrame:
    """Mean compound per entity with a 95% interval from Student's t (right for 2 mentions as for 2,000),
    most mentioned first; one mention has no spread, so no interval."""
    grouped = entities.groupby("entity", observed=True)["compound"]
    table = pd.DataFrame({"mentions": grouped.size(), "mean": grouped.mean(), "sd": grouped.std(ddof=1)})
    half = t_quantile(table["mentions"].to_numpy() - 1) * table["sd"].fillna(0) / np.sqrt(table["mentions"])
    half = pd.Series(np.nan_to_num(half), index=table.index)
    table = table.assign(low=(table["mean"] - half).clip(lower=-1), high=(table["mean"] + half).clip(upper=1))
    table = table[table["mentions"] >= min_mentions]
    return table.sort_values(["mentions", "mean"], ascending=[False, True], kind="stable").drop(columns="sd")


def plot_tone_by_entity(
    entities: pd.DataFrame,
    *,
    top: int = 15,
    min_mentions: int = 1,
    ax: Axes | None = None,
) -> Axes:
    """In what tone each entity is mentioned: mean compound of its sentences, with a 95% interval.

    The `top` most mentioned entities are listed from most negative to most positive; the marker's
    area grows with the number of mentions, and one mention gets no interval (there is no spread).
    """
    table = tone_by_entity(entities, min_mentions=min_mentions).head(top).sort_values("mean", kind="stable")
    with _styled(ax, (8, 0.38 * max(len(table), 4) + 1.4)) as ax:
        if table.empty:
            return _empty(ax, "No entity mentions to show")
        y = np.arange(len(table))
        spread = table["mentions"] > 1
        ax.hlines(y[spread], table["low"][spread], table["high"][spread], color="#9a9a9a", linewidth=2.2)
        sizes = 30 + 220 * table["mentions"] / table["mentions"].max()
        norm = TwoSlopeNorm(vmin=-1, vcenter=0, vmax=1)
        ax.scatter(table["mean"], y, s=sizes, c=table["mean"], cmap=SENTIMENT_CMAP, norm=norm,
                   edgecolors="#333333", linewidths=0.6, zorder=3)
        ax.axvline(0, color="#555555", linewidth=0.8)
        ax.set_yticks(y, [literal(f"{_short(name, 32)}  ({n})")
                          for name, n in zip(table.index, table["mentions"], strict=True)])
        ax.set_xlim(-1.05, 1.05)
        ax.set_ylim(-0.7, len(table) - 0.3)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("mean VADER compound of the sentences that mention it (bar: 95% interval)")
        ax.set_title("Tone by entity (mentions in brackets)")
        return ax


def cooccurrence_matrix(pairs: pd.DataFrame, *, top: int = 15) -> pd.DataFrame:
    """A symmetric entity-by-entity table of shared sentences, for the `top` best connected entities."""
    both = pd.concat([
        pairs.rename(columns={"entity_a": "row", "entity_b": "col"}),
        pairs.rename(columns={"entity_b": "row", "entity_a": "col"}),
    ])
    keep = both.groupby("row")["sentences"].sum().sort_values(ascending=False, kind="stable").index[:top]
    both = both[both["row"].isin(keep) & both["col"].isin(keep)]
    table = both.pivot_table(index="row", columns="col", values="sentences", aggfunc="sum", fill_value=0)
    return table.reindex(index=keep, columns=keep, fill_value=0).rename_axis(index=None, columns=None)


def plot_cooccurrence(pairs: pd.DataFrame, *, top: int = 15, ax: Axes | None = None) -> Axes:
    """Which entities are named together: a heatmap of sentences shared by each pair.

    `pairs` is `toolkit.cooccurrence(...)` (entity_a, entity_b, sentences). The `top` entities with
    the most shared sentences are shown, best connected first; each cell prints its count.
    """
    table = cooccurrence_matrix(pairs, top=top) if len(pairs) else pd.DataFrame()
    size = 2.2 + 0.45 * max(len(table), 4)
    with _styled(ax, (size + 1.5, size)) as ax:
        if table.empty:
            return _empty(ax, "No two entities share a sentence")
        values = table.to_numpy(dtype=float)
        shown = np.where(values > 0, values, np.nan)
        image = ax.imshow(shown, cmap="Blues", vmin=0, vmax=max(values.max(), 1), aspect="equal")
        ax.set_facecolor("#f7f7f7")
        labels = [literal(_short(name, 26)) for name in table.index]
        ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right", rotation_mode="anchor")
        ax.set_yticks(range(len(labels)), labels)
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_xticks(np.arange(len(labels) + 1) - 0.5, minor=True)
        ax.set_yticks(np.arange(len(labels) + 1) - 0.5, minor=True)
        ax.grid(which="minor", color="white", linewidth=1.5)
        ax.tick_params(which="both", length=0)
        limit = values.max() * 0.6
        for (i, j), count in np.ndenumerate(values):
            if count > 0:
                ax.text(j, i, f"{int(count)}", ha="center", va="center", fontsize=8.5,
                        color="white" if count > limit else "#222222")
        colorbar = ax.figure.colorbar(image, ax=ax, shrink=0.7, pad=0.02)
        colorbar.set_label("sentences naming both")
        colorbar.ax.yaxis.set_major_locator(ticker.MaxNLocator(integer=True))
        colorbar.outline.set_visible(False)
        ax.set_title("Named in the same sentence")
        return ax


_GRANULARITY_COLORS = {"day": "#4C72B0", "week": "#55A868", "month": "#DD8452", "quarter": "#C44E52",
                       "year": "#8172B3"}


def event_table(dates: pd.DataFrame, *, max_events: int = 25) -> pd.DataFrame:
    """Resolved dates grouped by (date, granularity): how each is written and how often it is named."""
    known = dates.dropna(subset=["date"])
    if known.empty:
        return pd.DataFrame(columns=["date", "granularity", "label", "mentions"])
    grouped = known.groupby(["date", "granularity"], observed=True)
    table = grouped.agg(
        label=("text", lambda texts: ", ".join(dict.fromkeys(map(str, texts)))),
        mentions=("text", "size"),
    ).reset_index()
    table = table.sort_values("mentions", ascending=False, kind="stable").head(max_events)
    return table.sort_values(["date", "granularity"], kind="stable").reset_index(drop=True)


def plot_event_timeline(
    dates: pd.DataFrame,
    *,
    published: pd.Timestamp | None = None,
    max_events: int = 25,
    ax: Axes | None = None,
) -> Axes:
    """When the things the text talks about happened: each resolved date expression on a time axis.

    A day is a dot; a week, month, quarter or year is a bar spanning it. Each row is labelled with the words the
    text used ("Thursday", "May 16"), and a dashed line marks `published` when given. Expressions
    that could not be resolved (NaT) are left out; with many, the `max_events` most named are kept.
    """
    table = event_table(dates, max_events=max_events)
    with _styled(ax, (9, 0.42 * max(len(table), 3) + 1.6)) as ax:
        if table.empty:
            return _empty(ax, "No resolved dates to show")
        y = np.arange(len(table))
        granularities, when = table["granularity"].tolist(), table["date"].tolist()
        # Below, matplotlib's stubs type positions as floats; a date axis takes Timestamps through its unit converter.
        for row_y, granularity, date in zip(y, granularities, when, strict=True):
            color = _GRANULARITY_COLORS.get(granularity, "#555555")
            start = pd.Timestamp(date)
            if granularity in GRANULARITY_PERIODS:
                period = start.to_period(GRANULARITY_PERIODS[granularity])
                start, end = period.start_time, (period + 1).start_time
                ax.barh(row_y, end - start, left=start, height=0.5, color=color, alpha=0.55)  # type: ignore[arg-type]
            else:
                ax.plot(start, row_y, marker="o", markersize=8, color=color, linestyle="none")  # type: ignore[arg-type]
        labels = [literal(f"“{_short(label, 30)}”" + (f" ×{mentions}" if mentions > 1 else "")
                          + f"  {date_text(date, granularity)}")
                  for label, mentions, date, granularity
                  in zip(table["label"].tolist(), table["mentions"].tolist(), when, granularities, strict=True)]
        ax.set_yticks(y, labels)
        ax.set_ylim(len(table) - 0.4, -0.6)
        ax.margins(x=0.04)
        ax.grid(axis="y", visible=False)
        if published is not None and not pd.isna(published):
            ax.axvline(pd.Timestamp(published), color="#333333", linestyle="--", linewidth=1)  # type: ignore[arg-type]
            ax.annotate("published", (pd.Timestamp(published), 1.0), xycoords=("data", "axes fraction"),
                        xytext=(-3, -2), textcoords="offset points", fontsize=8.5, va="top", ha="right",
                        color="#333333")
        locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        day = plt.Line2D([], [], marker="o", linestyle="none", color=_GRANULARITY_COLORS["day"], label="day")
        handles: list[Artist] = [day]
        handles += [Patch(color=_GRANULARITY_COLORS[g], alpha=0.55, label=g)
                    for g in GRANULARITY_PERIODS if (table["granularity"] == g).any()]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=9, title="precision")
        ax.set_title("Dates the text talks about")
        return ax


def plot_quotes_by_speaker(frame: pd.DataFrame, *, top: int = 12, ax: Axes | None = None) -> Axes:
    """Who is quoted, how often and in what tone, from `toolkit.quotes_by_speaker`.

    One row a speaker: a bar for each of the `top` most quoted, as long as their statements (the solid
    part direct quotes, the light part reported speech), coloured by the mean tone of what they said.
    With time buckets (`quotes_by_speaker(..., freq=...)`): a dot per speaker and bucket, its area the
    number of statements, its colour their mean tone.
    """
    totals = frame.groupby("speaker", observed=True)["quotes"].sum().sort_values(ascending=False, kind="stable")
    speakers = list(totals.index[:top])
    over_time = frame["bucket"].notna().any() and frame["bucket"].nunique() > 1
    with _styled(ax, (9 if over_time else 8, 0.42 * max(len(speakers), 4) + 1.4)) as ax:
        if not speakers:
            return _empty(ax, "No quotes with a resolved speaker")
        norm = TwoSlopeNorm(vmin=-1, vcenter=0, vmax=1)
        cmap = plt.get_cmap(SENTIMENT_CMAP)
        rows = {name: len(speakers) - 1 - i for i, name in enumerate(speakers)}
        shown = frame[frame["speaker"].isin(speakers)]
        if over_time:
            shown = shown.dropna(subset=["bucket"])
            ax.scatter(shown["bucket"], shown["speaker"].map(rows), s=40 + 260 * shown["quotes"] / shown["quotes"].max(),
                       c=shown["compound"], cmap=cmap, norm=norm, edgecolors="#333333", linewidths=0.6, zorder=3)
            ax.set_xlabel("publication date")
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
            ax.set_title("Who is quoted, when (dot area: statements; colour: tone)")
        else:
            table = shown.groupby("speaker", observed=True).agg(
                quotes=("quotes", "sum"), direct=("direct", "sum"),
                compound=("compound", lambda c: np.average(c, weights=shown.loc[c.index, "quotes"])))
            y = table.index.map(rows).to_numpy()
            colors = cmap(norm(table["compound"].to_numpy()))
            ax.barh(y, table["direct"], color=colors, edgecolor="#333333", linewidth=0.6, label="direct quotes")
            ax.barh(y, table["quotes"] - table["direct"], left=table["direct"], color=colors, alpha=0.45,
                    edgecolor="#333333", linewidth=0.6, label="reported speech")
            ax.xaxis.set_major_locator(ticker.MaxNLocator(integer=True))
            ax.set_xlabel("statements (solid: direct quotes, light: reported speech)")
            ax.grid(axis="y", visible=False)
            ax.set_title("Who is quoted, and in what tone")
        ax.set_yticks(list(rows.values()), [_short(name, 32) for name in rows])
        ax.set_ylim(-0.7, len(speakers) - 0.3)
        colorbar = ax.figure.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.8, pad=0.02)
        colorbar.set_label("mean VADER compound of what they said")
        return ax

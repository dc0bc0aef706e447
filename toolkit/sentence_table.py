"""Show stage: the Explorer's sentence table as HTML (one row a sentence, its mentions highlighted).

Every piece of article text is HTML-escaped; tone is written as a signed number in its tone colour
(`toolkit.viewrules`), dates with portable formats. With several articles the table names each
sentence's article by its title.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from toolkit.mentions import Mentions
from toolkit.viewrules import day_text, tone_color

TABLE_STYLE = """
<style>
table.newslens-table {border-collapse: collapse; width: 100%; font-size: 13px; table-layout: auto;}
table.newslens-table th, table.newslens-table td {text-align: left !important; vertical-align: top; padding: 4px 8px;}
table.newslens-table th {border-bottom: 2px solid #999;}
table.newslens-table td {border-bottom: 1px solid #ddd; white-space: normal;}
table.newslens-table td.newslens-meta {white-space: nowrap; color: #555;}
table.newslens-table td.newslens-title {color: #555; min-width: 8em; max-width: 16em;}
table.newslens-table mark {background: #ffe08a; padding: 0 2px; border-radius: 2px;}
table.newslens-table .newslens-tone {font-weight: bold; font-family: monospace; white-space: nowrap;}
</style>
"""
EMPTY = "No sentence matches these filters."


def highlight(text: str, spans: list[tuple[int, int, str]]) -> str:
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


def _row(model: Mentions, row: int, chosen: np.ndarray, *, titles: bool) -> str:
    """One sentence row; only its mentions among `chosen` (sorted mention rows) are highlighted."""
    sentence = model.sentences.iloc[row]
    mine = np.arange(model.sentence_bounds[row], model.sentence_bounds[row + 1])
    at = np.minimum(np.searchsorted(chosen, mine), max(len(chosen) - 1, 0))
    marked = mine[chosen[at] == mine] if len(chosen) else mine[:0]
    offset = int(sentence.start)
    spans = [(int(start) - offset, int(end) - offset, f"{entity} ({label})") for start, end, entity, label
             in model.frame[["start", "end", "entity", "label"]].iloc[marked].itertuples(index=False, name=None)]
    published = "" if pd.isna(sentence.published) else day_text(sentence.published)
    tone = (f"<span class='newslens-tone' style='color:{tone_color(sentence.compound)}'>"
            f"{sentence.compound:+.2f}</span>")
    title = ""
    if titles:
        name = sentence.title if isinstance(sentence.title, str) and sentence.title.strip() else sentence.article_id
        title = f"<td class='newslens-title'>{html.escape(str(name))}</td>"
    return (f"<tr><td class='newslens-meta'>{published}</td>{title}"
            f"<td class='newslens-meta'>{html.escape(str(sentence.article_id))} · {sentence.sentence_id}</td>"
            f"<td>{tone}</td><td>{highlight(str(sentence.text), spans)}</td></tr>")


def table_html(model: Mentions, rows: np.ndarray, chosen: np.ndarray) -> str:
    """The table of sentence `rows` (rows of `model.sentences`, in display order), highlighting the
    mentions among `chosen`; an article title column when the model holds several articles."""
    titles = model.several_articles
    head = ("<tr><th>Published</th>" + ("<th>Article</th>" if titles else "")
            + "<th>Article id · sentence</th><th>Tone</th><th>Sentence</th></tr>")
    body = "".join(_row(model, int(row), chosen, titles=titles) for row in rows)
    empty = f"<tr><td colspan='{5 if titles else 4}'><i>{EMPTY}</i></td></tr>"
    return f"{TABLE_STYLE}<table class='newslens-table'>{head}{body or empty}</table>"

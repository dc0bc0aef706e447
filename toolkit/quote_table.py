"""Show stage: what a speaker said, as an HTML list: each statement in its sentences, speaker, cue and content marked.

Shared by the Explorer's Quotes view and the standalone report. Every piece of article text is
HTML-escaped; the speaker, the cue and the content are wrapped in `<mark>` elements of their own class.
"""

from __future__ import annotations

import html

import pandas as pd

from toolkit.pipeline import Analysis
from toolkit.viewrules import day_text, tone_color

QUOTE_STYLE = """
<style>
ol.newslens-quotes {font-size: 13px; padding-left: 1.6em; margin: 4px 0;}
ol.newslens-quotes li {padding: 4px 0; border-bottom: 1px solid #ddd;}
ol.newslens-quotes .newslens-meta {color: #52606d; font-size: 12px;}
ol.newslens-quotes mark.speaker {background: #cfe3ff; font-weight: 600;}
ol.newslens-quotes mark.cue {background: #ffe08a;}
ol.newslens-quotes mark.content {background: none; border-bottom: 2px solid #7b8794;}
ol.newslens-quotes .newslens-tone {font-weight: bold; font-family: monospace;}
</style>
"""
EMPTY = "No statement has this speaker."


def speakers(quotes: pd.DataFrame) -> list[tuple[str, int]]:
    """(speaker, statements) for every resolved speaker, most quoted first."""
    counts = quotes["speaker"].dropna().value_counts()
    return [(str(name), int(count)) for name, count in counts.items()]


def _marked(text: str, spans: list[tuple[int, int, str]]) -> str:
    """`text` escaped, each non-overlapping (start, end, class) span in a <mark class=...>."""
    pieces, at = [], 0
    for start, end, kind in sorted(spans):
        start, end = max(start, at), min(end, len(text))
        if start >= end:
            continue
        pieces += [html.escape(text[at:start]), f'<mark class="{kind}">{html.escape(text[start:end])}</mark>']
        at = end
    return "".join(pieces) + html.escape(text[at:])


def passage(text: str, sentences: pd.DataFrame, row: pd.Series) -> tuple[int, str]:
    """(offset, HTML) of the sentences that hold a statement and its speaker, speaker, cue and content marked."""
    ids = list(row["sentence_ids"])
    if pd.notna(row["speaker_start"]):
        ids += sentences.index[(sentences["start"] <= row["speaker_start"])
                               & (sentences["end"] > row["speaker_start"])].tolist()
    chosen = sentences.loc[sentences.index.isin(ids)]
    start = int(min(chosen["start"].min(), row["start"])) if len(chosen) else int(row["start"])
    end = int(max(chosen["end"].max(), row["end"])) if len(chosen) else int(row["end"])
    spans = [(int(row["start"]) - start, int(row["end"]) - start, "content")]
    if pd.notna(row["speaker_start"]):
        spans.append((int(row["speaker_start"]) - start, int(row["speaker_end"]) - start, "speaker"))
    if pd.notna(row["cue"]):
        near = int(row["speaker_start"]) - start if pd.notna(row["speaker_start"]) else 0
        found = [i for i in _occurrences(text[start:end], str(row["cue"]))
                 if not int(row["start"]) - start <= i < int(row["end"]) - start]
        if found:
            at = min(found, key=lambda i: abs(i - near))
            cue = (at, at + len(str(row["cue"])))
            speaker = spans[1][:2] if len(spans) > 1 else (cue[1], cue[1])
            if cue[0] <= speaker[0] and speaker[1] <= cue[1]:  # "quoted him as saying": the cue around its speaker
                spans += [(cue[0], speaker[0], "cue"), (speaker[1], cue[1], "cue")]
            else:
                spans.append((*cue, "cue"))
    return start, _marked(text[start:end], spans)


def _occurrences(text: str, word: str) -> list[int]:
    found, at = [], text.find(word)
    while at >= 0:
        found.append(at)
        at = text.find(word, at + 1)
    return found


def quotes_html(analysis: Analysis, speaker: str) -> str:
    """A list of everything `speaker` said in the analysis, in the order of the quotes frame."""
    quotes = analysis.quotes[analysis.quotes["speaker"] == speaker]
    if quotes.empty:
        return f"{QUOTE_STYLE}<p>{html.escape(EMPTY)}</p>"
    articles = analysis.articles.set_index("article_id")
    sentences = analysis.sentences[analysis.sentences["article_id"].isin(set(quotes["article_id"]))]  # theirs only
    by_article = {aid: group.set_index("sentence_id") for aid, group in sentences.groupby("article_id")}
    rows = []
    for _, row in quotes.iterrows():
        article = articles.loc[row["article_id"]]
        _, shown = passage(str(article["text"]), by_article[row["article_id"]], row)
        title = article.get("title")
        source = html.escape(str(title) if isinstance(title, str) and title.strip() else str(row["article_id"]))
        when = "" if pd.isna(row["published"]) else day_text(row["published"])
        tone = (f"<span class='newslens-tone' style='color:{tone_color(row['compound'])}'>"
                f"{row['compound']:+.2f}</span>")
        rows.append(f"<li>{shown}<br><span class='newslens-meta'>{html.escape(str(row['kind']))} · tone {tone} · "
                    f"{source} {html.escape(when)}</span></li>")
    return f"{QUOTE_STYLE}<ol class='newslens-quotes'>{''.join(rows)}</ol>"

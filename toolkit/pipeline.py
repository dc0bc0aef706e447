"""The whole flow in one call: load -> clean -> split -> score -> tag -> resolve dates, into an `Analysis`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from toolkit.clean import DEFAULT_RULES, Rule, clean
from toolkit.dates import resolve_dates
from toolkit.entities import tag
from toolkit.load import PathArg, load_aliases, load_with_problems
from toolkit.problems import empty_problems
from toolkit.sentiment import score
from toolkit.text import split

FRAMES = ("articles", "sentences", "entities", "dates")


@dataclass
class Analysis:
    """The frames of one analysis (see DESIGN.md for their columns)."""

    articles: pd.DataFrame
    sentences: pd.DataFrame
    entities: pd.DataFrame = field(default_factory=pd.DataFrame)
    dates: pd.DataFrame = field(default_factory=pd.DataFrame)
    problems: pd.DataFrame = field(default_factory=empty_problems)

    def save(self, out_dir: PathArg) -> list[Path]:
        """Write each frame as `.parquet` and `.csv` into `out_dir`; returns the files written."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name in (*FRAMES, "problems"):
            frame = getattr(self, name)
            parquet, csv = out / f"{name}.parquet", out / f"{name}.csv"
            frame.to_parquet(parquet, index=False)
            _csv_ready(frame).to_csv(csv, index=False)
            written += [parquet, csv]
        return written

    def summary(self) -> str:
        """A few lines for people: counts, the most negative and most positive sentence, what was removed."""
        lines = [f"{len(self.articles)} article(s), {len(self.sentences)} sentences"]
        if len(self.sentences):
            scored = self.sentences.sort_values(["compound", "article_id", "sentence_id"], kind="stable")
            lines.append(f"most negative ({scored.iloc[0].compound:+.3f}): {_quote(scored.iloc[0].text)}")
            lines.append(f"most positive ({scored.iloc[-1].compound:+.3f}): {_quote(scored.iloc[-1].text)}")
        removed = [item for items in self.articles["removed"] for item in items]
        if removed:
            counts = pd.Series(removed).value_counts()
            shown = ", ".join(f"{_quote(text, 40)} x{n}" if n > 1 else _quote(text, 40) for text, n in counts.items())
            lines.append(f"boilerplate removed ({len(removed)}): {shown}")
        else:
            lines.append("boilerplate removed: none")
        if len(self.problems):
            lines.append(f"problems ({len(self.problems)}):")
            lines += [f"  {row.source}: {row.problem} ({row.action})" for row in self.problems.itertuples()]
        return "\n".join(lines)


def _quote(text: str, width: int = 100) -> str:
    text = " ".join(str(text).split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def _csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists become JSON arrays so the CSV reads back unambiguously."""
    lists = [c for c in frame.columns if frame[c].dtype == object and frame[c].map(lambda v: isinstance(v, list)).any()]
    return frame.assign(**{c: frame[c].map(json.dumps) for c in lists})


def analyze_articles(
    articles: pd.DataFrame,
    *,
    rules: Sequence[Rule] = DEFAULT_RULES,
    sentiment: str = "vader",
    aliases: pd.DataFrame | None = None,
    problems: pd.DataFrame | None = None,
) -> Analysis:
    """Run every stage after loading on an `articles` frame."""
    cleaned = clean(articles, rules=rules)
    sentences = cleaned.pipe(split).pipe(score, engine=sentiment)
    return Analysis(
        articles=cleaned,
        sentences=sentences,
        entities=tag(cleaned, sentences, aliases=aliases),
        dates=resolve_dates(cleaned, sentences),
        problems=empty_problems() if problems is None else problems,
    )


def analyze(
    *paths: PathArg,
    published: object = None,
    rules: Sequence[Rule] = DEFAULT_RULES,
    sentiment: str = "vader",
    aliases: PathArg | pd.DataFrame | None = None,
) -> Analysis:
    """Load the given files or folders and run the whole pipeline on them.

    `aliases`: your alias table (CSV path or frame with `alias, entity[, label]`), read over the shipped one.
    """
    articles, problems = load_with_problems(*paths, published=published)
    table = load_aliases(aliases) if aliases is not None and not isinstance(aliases, pd.DataFrame) else aliases
    return analyze_articles(articles, rules=rules, sentiment=sentiment, aliases=table, problems=problems)

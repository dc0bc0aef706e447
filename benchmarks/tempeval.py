"""Dates against TempEval-3 (TBAQ-cleaned): span and value scores on TIMEX3 expressions of type DATE.

    .venv/bin/python -m benchmarks.tempeval                  # prints the table for benchmarks/README.md
    .venv/bin/python -m benchmarks.tempeval --errors tune    # also lists the misses of one part

Each TimeML document's `TEXT` (tags removed) is split into sentences and its dates resolved against
the document creation time, as `toolkit.analyze` would; the text is not cleaned, so offsets stay those
of the gold. Gold: TIMEX3 of type DATE, plus those typed TIME whose value starts with a calendar day
(the corpus README warns that AQUAINT types about 40 plain dates as TIME).
- span: a prediction is correct when it overlaps a gold DATE (relaxed match); precision, recall, F1;
- value: a prediction is correct when it overlaps a gold DATE and its `date`, written at the gold's
  granularity (year, quarter, month, week, day), equals the gold `value`; a coarser granularity than
  the gold's is wrong, and a week is right for a month or year only when all of it lies inside. Value accuracy is over span matches, value precision and recall over all
  predictions and all gold DATEs. Gold values that name no calendar period (`PRESENT_REF`,
  `PAST_REF`, `FUTURE_REF`, seasons, values with `X`) can never be matched: the "calendar" rows leave
  them out, the "all" rows keep them.
Documents are split by a hash of their id: a quarter is held out (`heldout`), the rest was used to
tune the rules (`tune`). The corpus is read from ../shared at run time; nothing of it is stored here.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from toolkit.dates import resolve_dates
from toolkit.text import split

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "eval" / "tempeval3-train"
PARTS = ("tune", "heldout", "all")
_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_CALENDAR = re.compile(r"^\d{4}(?:-(?:Q[1-4]|W\d\d|\d\d(?:-\d\d)?))?$")


@dataclass
class Timex:
    start: int
    end: int
    text: str
    value: str


@dataclass
class Document:
    doc_id: str
    created: pd.Timestamp
    text: str
    dates: list[Timex]


def part_of(doc_id: str) -> str:
    """`heldout` for a fixed quarter of the documents (by a hash of the id), `tune` for the rest."""
    return "heldout" if int(hashlib.sha256(doc_id.encode()).hexdigest()[:8], 16) % 4 == 0 else "tune"


def parse(path: Path) -> Document:
    """Plain text of the `TEXT` element, its DATE timexes with offsets, and the creation time."""
    markup = path.read_text(encoding="utf-8")
    created = re.search(r'<TIMEX3[^>]*functionInDocument="CREATION_TIME"[^>]*value="(\d{4}-\d\d-\d\d)', markup)
    if created is None:
        created = re.search(r'<TIMEX3[^>]*value="(\d{4}-\d\d-\d\d)[^"]*"[^>]*functionInDocument="CREATION_TIME"', markup)
    body = markup[markup.index("<TEXT>") + len("<TEXT>"): markup.index("</TEXT>")]
    pieces: list[str] = []
    length, opened, dates = 0, None, []
    position = 0
    for tag in _TAG.finditer(body):
        piece = html.unescape(body[position:tag.start()])
        pieces.append(piece)
        length += len(piece)
        position = tag.end()
        if tag.group(2) != "TIMEX3":
            continue
        if not tag.group(1):
            opened = (length, dict(_ATTR.findall(tag.group(3))))
        elif opened is not None:
            start, attrs = opened
            value = attrs.get("value", "")
            if attrs.get("type") == "DATE" or (attrs.get("type") == "TIME" and re.match(r"\d{4}-\d\d-\d\d", value)):
                dates.append(Timex(start, length, "".join(pieces)[start:length], value))
            opened = None
    pieces.append(html.unescape(body[position:]))
    return Document(path.stem, pd.Timestamp(created.group(1)), "".join(pieces), dates)


def granularity_of(value: str) -> str | None:
    """The granularity a calendar TIMEX3 value is written at; None for references, seasons and `X` values."""
    value = value[:10]
    if not _CALENDAR.match(value):
        return None
    if "-Q" in value:
        return "quarter"
    if "-W" in value:
        return "week"
    return {4: "year", 7: "month", 10: "day"}[len(value)]


FINENESS = {"year": 0, "quarter": 1, "month": 2, "week": 3, "day": 4}


def written_at(date: pd.Timestamp, granularity: str) -> str:
    """A resolved date as a TIMEX3 value at `granularity`."""
    if granularity == "year":
        return f"{date.year:04d}"
    if granularity == "quarter":
        return f"{date.year:04d}-Q{date.quarter}"
    if granularity == "month":
        return f"{date.year:04d}-{date.month:02d}"
    if granularity == "week":
        year, week, _ = date.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return date.strftime("%Y-%m-%d")


def value_matches(date: pd.Timestamp, granularity: str, gold: str) -> bool:
    wanted = granularity_of(gold)
    if wanted is None or pd.isna(date) or granularity not in FINENESS or FINENESS[granularity] < FINENESS[wanted]:
        return False
    if granularity == "week" and wanted != "week":  # right only when the whole week lies in the gold's period
        return written_at(date, wanted) == written_at(date + pd.Timedelta(days=6), wanted) == gold[:10]
    return written_at(date, wanted) == gold[:10]


@dataclass
class Counts:
    predicted: int = 0
    gold: int = 0
    span_found: int = 0  # gold DATEs overlapped by a prediction
    span_right: int = 0  # predictions overlapping a gold DATE
    value_right: int = 0
    errors: list[str] = field(default_factory=list)

    def scores(self) -> dict[str, float]:
        def f1(p: float, r: float) -> float:
            return 2 * p * r / (p + r) if p + r else 0.0

        span_p = self.span_right / self.predicted if self.predicted else 0.0
        span_r = self.span_found / self.gold if self.gold else 0.0
        value_p = self.value_right / self.predicted if self.predicted else 0.0
        value_r = self.value_right / self.gold if self.gold else 0.0
        return {"span P": span_p, "span R": span_r, "span F1": f1(span_p, span_r),
                "value acc": self.value_right / self.span_right if self.span_right else 0.0,
                "value P": value_p, "value R": value_r, "value F1": f1(value_p, value_r)}


def documents(corpus: Path = CORPUS) -> list[Document]:
    return [parse(path) for path in sorted(corpus.glob("*/*.tml"))]


def predict(docs: list[Document]) -> pd.DataFrame:
    """The toolkit's dates frame for the documents, each anchored at its creation time."""
    articles = pd.DataFrame({"article_id": [d.doc_id for d in docs], "text": [d.text for d in docs],
                             "published": [d.created for d in docs]})
    return resolve_dates(articles, split(articles))


def score(docs: list[Document], dates: pd.DataFrame, calendar_only: bool) -> dict[str, Counts]:
    counts = {name: Counts() for name in PARTS}
    by_doc = dict(iter(dates.groupby("article_id")))
    for doc in docs:
        gold = [g for g in doc.dates if not calendar_only or granularity_of(g.value)]
        mine = by_doc.get(doc.doc_id, dates.iloc[:0])
        predictions = list(zip(mine["start"], mine["end"], mine["text"], mine["date"], mine["granularity"], mine["rule"]))
        for name in (part_of(doc.doc_id), "all"):
            tally = counts[name]
            tally.gold += len(gold)
            tally.span_found += sum(any(s < g.end and g.start < e for s, e, *_ in predictions) for g in gold)
            for start, end, text, date, granularity, rule in predictions:
                overlapping = [g for g in gold if start < g.end and g.start < end]
                if calendar_only and not overlapping and any(start < g.end and g.start < end for g in doc.dates):
                    continue  # it found a date whose gold value no calendar can hold: not counted either way
                tally.predicted += 1
                tally.span_right += bool(overlapping)
                right = any(value_matches(date, granularity, g.value) for g in overlapping)
                tally.value_right += right
                if not right and name != "all":
                    said = "NaT" if pd.isna(date) else written_at(date, granularity)
                    gold_said = ", ".join(f"{g.text!r}={g.value}" for g in overlapping) or "not a gold DATE"
                    tally.errors.append(f"{doc.doc_id} ({doc.created:%Y-%m-%d}): {text!r} -> {said} "
                                        f"[{granularity}, {rule}]; gold {gold_said}")
            if name != "all":
                for g in gold:
                    if not any(s < g.end and g.start < e for s, e, *_ in predictions):
                        tally.errors.append(f"{doc.doc_id} ({doc.created:%Y-%m-%d}): missed {g.text!r}={g.value}")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", choices=("tune", "heldout"), help="list the misses of one part")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of TimeML files (default: %(default)s)")
    args = parser.parse_args()
    docs = documents(args.corpus)
    dates = predict(docs)
    columns = ("span P", "span R", "span F1", "value acc", "value P", "value R", "value F1")
    print("| gold | part | documents | gold DATEs | predicted | " + " | ".join(columns) + " |")
    print("|---|---|---:|---:|---:|" + "---:|" * len(columns))
    for label, calendar_only in (("calendar", True), ("all", False)):
        counts = score(docs, dates, calendar_only)
        for name in PARTS:
            n_docs = sum(name in ("all", part_of(d.doc_id)) for d in docs)
            s = counts[name].scores()
            print(f"| {label} | {name} | {n_docs} | {counts[name].gold} | {counts[name].predicted} | "
                  + " | ".join(f"{s[c]:.3f}" for c in columns) + " |")
        if args.errors and calendar_only:
            errors = counts[args.errors].errors
    if args.errors:
        print(f"\n## misses ({args.errors}, calendar gold)")
        print("\n".join(errors))


if __name__ == "__main__":
    main()

"""Bad input: the one-line error for what stops a run, the record of what was skipped or repaired,
the checks of the API's arguments, and what a stopped run says."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

PROBLEM_COLUMNS = ["source", "problem", "action"]
# Line breaks and other control characters, which input (a file name, a CSV header) can smuggle into a message.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(value: object) -> str:
    """`str(value)` with line breaks and control characters written as escapes, so it prints as one line."""
    return _UNPRINTABLE.sub(lambda found: repr(found.group(0))[1:-1], str(value))


class InputError(ValueError):
    """An input the toolkit cannot use; its message is one line that names the file."""

    def __init__(self, source: object, problem: str) -> None:
        self.source = one_line(source)
        self.problem = one_line(problem)
        super().__init__(f"{self.source}: {self.problem}")


@dataclass
class Problems:
    """Collects input items that were skipped, repaired or kept with a caveat, so nothing goes silently."""

    rows: list[dict[str, str]] = field(default_factory=list)

    def add(self, source: object, problem: str, action: str) -> None:
        if action not in {"skipped", "repaired", "kept"}:
            raise ValueError(f"unknown action {action!r}")
        self.rows.append({"source": one_line(source), "problem": one_line(problem), "action": action})

    def frame(self) -> pd.DataFrame:
        """The `problems` frame: one row an item, columns `source`, `problem`, `action`."""
        return pd.DataFrame(self.rows, columns=PROBLEM_COLUMNS).astype("string")


def empty_problems() -> pd.DataFrame:
    """A `problems` frame with no rows."""
    return Problems().frame()


ALL_SHOWN = 10  # up to this many problems, a summary lists them all
FEW_SHOWN = 5  # beyond, it counts them and lists the first few kinds and rows
# What varies between problems of one kind: the numbers in them ("line 12", "column 3").
_SPECIFICS = r"\d+"


def problem_lines(problems: pd.DataFrame) -> list[str]:
    """The problems for a terminal: every row when few; else counts by action and by kind (the problem
    with its numbers blanked), the first rows, and how many more `problems.csv` holds."""
    if problems.empty:
        return []
    if len(problems) <= ALL_SHOWN:
        return [f"problems ({len(problems)}):", *_rows(problems)]
    actions = ", ".join(f"{n:,} {action}" for action, n in problems["action"].value_counts().items())
    kinds = problems["problem"].str.replace(_SPECIFICS, "…", regex=True).value_counts()
    lines = [f"problems ({len(problems):,}: {actions}), by kind:"]
    lines += [f"  {n:,} x {kind}" for kind, n in kinds.head(FEW_SHOWN).items()]
    if len(kinds) > FEW_SHOWN:
        lines.append(f"  ... {len(kinds) - FEW_SHOWN:,} other kinds")
    lines += [f"the first {FEW_SHOWN}:", *_rows(problems.head(FEW_SHOWN)),
              f"  ... {len(problems) - FEW_SHOWN:,} more in problems.csv"]
    return lines


def _rows(problems: pd.DataFrame) -> list[str]:
    return [f"  {row.source}: {row.problem} ({row.action})" for row in problems.itertuples()]


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during a run, with how far it got: finished chunks are in the cache for the next run."""

    def __init__(self, saved: int, total: int, *, cached: bool) -> None:
        self.saved, self.total, self.cached = saved, total, cached
        super().__init__(str(self))

    def __str__(self) -> str:
        if not self.cached:
            return f"interrupted; {self.saved} of {self.total} chunks done, none saved (no cache)"
        return f"interrupted; {self.saved} of {self.total} chunks saved; run again to resume"


PATH_TYPES = "a file or folder path (str or os.PathLike)"


def check_paths(paths: Sequence[object]) -> list[str | os.PathLike[str]]:
    """The paths given to `analyze`, checked: each a non-empty str or os.PathLike; a list of them is
    taken as its items. Raises TypeError or ValueError naming `paths` and what it accepts."""
    flat = [item for path in paths for item in (path if isinstance(path, (list, tuple)) else [path])]
    if not flat:
        raise ValueError(f"paths: no file or folder given; pass at least one, as {PATH_TYPES}")
    checked: list[str | os.PathLike[str]] = []
    for path in flat:
        if isinstance(path, pd.DataFrame):
            raise TypeError(f"paths: expected {PATH_TYPES}, got a DataFrame; analyse a frame of articles with "
                            "toolkit.analyze_articles(frame) (toolkit.from_texts(texts) builds one from strings)")
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"paths: expected {PATH_TYPES}, got {type(path).__name__} {one_line(repr(path))[:60]}")
        if not os.fspath(path).strip():
            raise ValueError(f"paths: a blank string is not {PATH_TYPES}")
        checked.append(path)
    return checked


def check_frame(frame: object, name: str, columns: Sequence[str], hint: str) -> None:
    """Raise TypeError unless `frame` is a DataFrame, ValueError unless it has `columns`; `hint` says how to make one."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name}: expected a DataFrame with columns {', '.join(columns)}, got "
                        f"{type(frame).__name__}; {hint}")
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{name}: the frame needs columns {', '.join(columns)}; missing {', '.join(missing)} "
                         f"(it has: {', '.join(map(str, frame.columns)) or 'no columns'}); {hint}")

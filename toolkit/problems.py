"""Bad input: the one-line error for what stops a run, and the record of what was skipped or repaired."""

from __future__ import annotations

import re
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

"""Bad input: the one-line error for what stops a run, and the record of what was skipped or repaired."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

PROBLEM_COLUMNS = ["source", "problem", "action"]


class InputError(ValueError):
    """An input the toolkit cannot use; its message is one line that names the file."""

    def __init__(self, source: object, problem: str) -> None:
        self.source = str(source)
        self.problem = problem
        super().__init__(f"{self.source}: {problem}")


@dataclass
class Problems:
    """Collects input items that were skipped, repaired or kept with a caveat, so nothing goes silently."""

    rows: list[dict[str, str]] = field(default_factory=list)

    def add(self, source: object, problem: str, action: str) -> None:
        if action not in {"skipped", "repaired", "kept"}:
            raise ValueError(f"unknown action {action!r}")
        self.rows.append({"source": str(source), "problem": problem, "action": action})

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=PROBLEM_COLUMNS).astype("string")


def empty_problems() -> pd.DataFrame:
    return Problems().frame()

"""Frames as CSV files in memory bounded by a piece of a cell: the bytes of `frame.to_csv(path, index=False)`.

pandas hands each row to Python's `csv` writer, which builds the whole row at 4 bytes a character (and
then a string and its UTF-8 bytes) before writing it: the one row of a 50 MB article, its text and raw
text, took 0.8 GB to write. Here pandas still formats every chunk of rows it formats itself, but a cell
longer than `LONG_CELL` characters stands in its chunk as a placeholder word, and its text is written in
the placeholder's place a piece at a time, quoted and escaped by the `csv` writer's own rules.
"""

from __future__ import annotations

import csv
import io
import os
import uuid
from pathlib import Path
from typing import TextIO

import numpy as np
import pandas as pd

LONG_CELL = 1_000_000  # characters: a longer text cell is written a piece of this size at a time
CHUNK_CELLS = 100_000  # cells pandas formats at a time in `to_csv` (its default chunk size is this many cells)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write `frame` as `frame.to_csv(path, index=False)` does, its long text cells a piece at a time."""
    long = _long_cells(frame)
    if not long:
        frame.to_csv(path, index=False)
        return
    rows = max(CHUNK_CELLS // len(frame.columns), 1)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        frame.iloc[:0].to_csv(handle, index=False)
        for start in range(0, len(frame), rows):
            chunk = frame.iloc[start:start + rows]
            _write_chunk(chunk, {column: flags[start:start + rows] for column, flags in long.items()}, handle)


def _long_cells(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """For each column holding a text longer than `LONG_CELL`, which of its cells do."""
    long = {}
    for column in frame.columns:
        values = frame[column]
        if isinstance(values.dtype, pd.StringDtype):
            flags = values.str.len().gt(LONG_CELL).fillna(False).to_numpy(dtype=bool)
        elif values.dtype == object:
            flags = np.fromiter((isinstance(v, str) and len(v) > LONG_CELL for v in values), dtype=bool,
                                count=len(values))
        else:
            continue
        if flags.any():
            long[str(column)] = flags
    return long


def _write_chunk(chunk: pd.DataFrame, long: dict[str, np.ndarray], handle: TextIO) -> None:
    """One chunk of rows as pandas writes it, its long cells streamed where their placeholders stand."""
    if not any(flags.any() for flags in long.values()):
        chunk.to_csv(handle, header=False, index=False)
        return
    rows = np.flatnonzero(np.logical_or.reduce(list(long.values())))
    places = [(row, column) for row in rows.tolist() for column in chunk.columns
              if str(column) in long and long[str(column)][row]]  # in the order the CSV holds them
    while True:  # a random word of letters and digits, which pandas writes unquoted; drawn again if it is in the text
        word = f"longcell{uuid.uuid4().hex}"
        stand_in = chunk.assign(**{column: chunk[column].mask(flags, word) for column, flags in long.items()})
        text = stand_in.to_csv(None, header=False, index=False)
        parts = text.split(word)
        if len(parts) == len(places) + 1:
            break
    for part, (row, column) in zip(parts, places):
        handle.write(part)
        _write_cell(str(chunk[column].iat[row]), handle)
    handle.write(parts[-1])


def _write_cell(value: str, handle: TextIO) -> None:
    """A long text as one CSV field, a piece at a time: quoted when `csv` would quote any piece of it."""
    starts = range(0, len(value), LONG_CELL)
    quoted = any(_formatted(value[start:start + LONG_CELL]) != value[start:start + LONG_CELL] for start in starts)
    if quoted:
        handle.write('"')
    for start in starts:
        piece = value[start:start + LONG_CELL]
        formatted = _formatted(piece)
        handle.write(formatted[1:-1] if formatted != piece else piece)  # the piece's quotes doubled, not its own
    if quoted:
        handle.write('"')


def _formatted(piece: str) -> str:
    """`piece` as pandas' `csv` writer writes a field (quoted and its quotes doubled only when needed)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=os.linesep).writerow([piece])
    return buffer.getvalue()[:-len(os.linesep)]

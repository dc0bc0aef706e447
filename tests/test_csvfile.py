"""CSV files of frames with huge cells: the bytes pandas writes, without handing pandas' `csv` writer a huge cell."""

from __future__ import annotations

import pandas as pd
import pandas.io.formats.csvs
import pytest

import toolkit.csvfile
from tests.conftest import SAMPLE
from toolkit.csvfile import LONG_CELL, write_csv
from toolkit.pipeline import _csv_ready

# A hand-written line with everything a CSV field must quote or escape: commas, straight quotes, CR LF.
HARD_LINE = 'The minister said, "we will not sign", and left.\r\n'


@pytest.fixture
def widest_field(monkeypatch) -> list[int]:
    """Records the longest field pandas' `csv` writer is handed."""
    widest = [0]
    writer = pandas.io.formats.csvs.csvlib.writer

    class Recording:
        def __init__(self, *args, **kwargs):
            self.inner = writer(*args, **kwargs)

        def writerow(self, row):
            widest[0] = max([widest[0], *(len(str(value)) for value in row)])
            return self.inner.writerow(row)

        def writerows(self, rows):
            for row in rows:
                self.writerow(row)

    monkeypatch.setattr(pandas.io.formats.csvs.csvlib, "writer", Recording)
    return widest


def articles_with_a_huge_one(sample_analysis, copies: int) -> pd.DataFrame:
    """The sample's articles row, a second article whose texts are the sample (and a hard line) `copies`
    times over, and a third with empty and missing values."""
    raw = SAMPLE.read_text(encoding="utf-8").replace("\n", "\r\n") + HARD_LINE
    sample = sample_analysis.articles
    huge = sample.assign(article_id="huge", raw_text=raw * copies, text=(raw * copies).replace("\r\n", "\n"),
                         removed=[["Advertisement", 'say "hi"']], published=pd.Timestamp("2025-07-04 09:30"))
    empty = sample.assign(article_id="empty", raw_text="", text=pd.NA, removed=[[]], published=pd.NaT)
    return _csv_ready(pd.concat([sample, huge, empty], ignore_index=True))


def test_a_huge_article_is_written_as_pandas_writes_it_without_its_huge_cells(tmp_path, sample_analysis,
                                                                             widest_field):
    frame = articles_with_a_huge_one(sample_analysis, copies=1_000)  # a 3.2 MB text, and its raw text
    assert frame["raw_text"].str.len().max() > 3 * LONG_CELL
    expected = frame.to_csv(index=False).encode()  # what `Analysis.save` wrote before
    widest_field[0] = 0
    write_csv(frame, tmp_path / "articles.csv")
    assert (tmp_path / "articles.csv").read_bytes() == expected
    assert 0 < widest_field[0] <= LONG_CELL
    assert pd.read_csv(tmp_path / "articles.csv")["raw_text"].str.len().max() == frame["raw_text"].str.len().max()


@pytest.mark.parametrize("long_cell", [7, 50, 3185])
def test_pieces_and_chunks_of_any_size_give_the_same_bytes(tmp_path, sample_analysis, monkeypatch, long_cell):
    """Piece boundaries anywhere (inside a doubled quote, a CR LF, a word), quotes needed in one piece only,
    and chunks of rows with and without long cells."""
    monkeypatch.setattr(toolkit.csvfile, "LONG_CELL", long_cell)
    monkeypatch.setattr(toolkit.csvfile, "CHUNK_CELLS", 2 * len(sample_analysis.sentences.columns))
    sentences = sample_analysis.sentences.copy()
    sentences.loc[3, "text"] = "x" * (4 * long_cell) + ", then a comma at the very end"
    sentences.loc[5, "text"] = HARD_LINE * (1 + 2 * long_cell // len(HARD_LINE))
    frames = [sentences, articles_with_a_huge_one(sample_analysis, copies=3)]
    for number, frame in enumerate(frames):
        write_csv(frame, tmp_path / f"{number}.csv")
        assert (tmp_path / f"{number}.csv").read_bytes() == frame.to_csv(index=False).encode()


def test_frames_without_long_cells_go_to_pandas_whole(tmp_path, sample_analysis, widest_field):
    for name in ("articles", "sentences", "entities", "dates", "quotes", "problems"):
        frame = _csv_ready(getattr(sample_analysis, name))
        write_csv(frame, tmp_path / f"{name}.csv")
        assert (tmp_path / f"{name}.csv").read_bytes() == frame.to_csv(index=False).encode()
    assert widest_field[0] == len(SAMPLE.read_text(encoding="utf-8"))  # the sample's raw text, whole

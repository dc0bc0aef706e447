"""The teaching notebooks teach by doing: each ends with exercises whose answers are collapsed and run."""

from __future__ import annotations

import nbformat
import pytest

from toolkit.render import NOTEBOOKS

WITH_EXERCISES = [path.stem for path in sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))]


@pytest.mark.parametrize("name", WITH_EXERCISES)
def test_notebook_ends_with_exercises_and_collapsible_answers(name: str) -> None:
    cells = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4).cells
    start = next(i for i, cell in enumerate(cells) if "## Exercises" in cell.source)
    exercises = [i for i, cell in enumerate(cells) if "### Exercise " in cell.source]
    assert 2 <= len(exercises) <= 4 and exercises[0] >= start
    for first, after in zip(exercises, [*exercises[1:], len(cells)]):
        block = cells[first + 1:after]
        assert block[0].cell_type == "markdown" and block[0].source.startswith("<details><summary>Answer</summary>")
        answers = [cell for cell in block if cell.cell_type == "code"]
        assert answers and all("answer" in cell.metadata.get("tags", []) for cell in answers)
        assert all(cell.metadata["jupyter"]["source_hidden"] for cell in answers)


def test_sentiment_says_what_tone_is_not() -> None:
    text = "\n".join(cell.source for cell in nbformat.read(NOTEBOOKS / "03-sentiment.ipynb", as_version=4).cells)
    assert "## What tone is not" in text and "**stance**" in text and "**true**" in text


def test_the_corpus_notebook_uses_the_shipped_open_corpus() -> None:
    cells = nbformat.read(NOTEBOOKS / "07-corpus.ipynb", as_version=4).cells
    setup = next(cell.source for cell in cells if "CORPUS =" in cell.source)
    assert 'CORPUS = Path("../data/open-news/wikinews_gum_meantime.jsonl.gz")' in setup
    assert (NOTEBOOKS / "../data/open-news/wikinews_gum_meantime.jsonl.gz").is_file()
    assert not any("falls back" in cell.source for cell in cells)

"""The open Wikinews corpus shipped in data/open-news: complete, credited, and readable by the toolkit."""

from __future__ import annotations

import toolkit
from tests.conftest import DATA

OPEN_NEWS = DATA / "open-news"
CORPUS = OPEN_NEWS / "wikinews_gum_meantime.jsonl.gz"


def test_the_licence_and_attribution_files_sit_beside_the_corpus() -> None:
    names = {path.name for path in OPEN_NEWS.iterdir()}
    assert names == {"wikinews_gum_meantime.jsonl.gz", "ATTRIBUTION.md", "LICENSE-GUM.txt",
                     "LICENSE-MEANTIME-CC-BY-4.0.txt", "README-MEANTIME.txt"}
    attribution = (OPEN_NEWS / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "Creative Commons Attribution 2.5" in attribution and "Wikinews contributors" in attribution


def test_every_article_loads_with_its_wikinews_url_and_date() -> None:
    articles, problems = toolkit.load_with_problems(CORPUS)
    assert len(articles) == 163 and problems.empty
    assert articles["url"].str.match(r"https?://en\.wikinews\.org/wiki/.").all()
    assert articles["source"].eq("Wikinews").all() and articles["published"].notna().all()
    assert articles["published"].dt.year.nunique() > 10  # spread over years: notebook 7 charts them by year

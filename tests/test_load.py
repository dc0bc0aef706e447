import gzip
import json

import pandas as pd
import pytest

import toolkit
from toolkit.load import ARTICLE_COLUMNS, load_with_problems
from tests.conftest import DATA, REUTERS, SAMPLE, needs_corpus


def test_sample_folder_loads_with_its_metadata():
    articles = toolkit.load(DATA)
    assert list(articles.columns) == ARTICLE_COLUMNS
    assert articles["article_id"].tolist() == ["000_739a1000ab1b0261"]
    assert articles["published"].iloc[0] == pd.Timestamp("2025-07-04")
    # Unknown metadata stays empty rather than invented.
    assert articles[["title", "source", "url"]].isna().all(axis=None)
    assert articles["raw_text"].iloc[0] == SAMPLE.read_text(encoding="utf-8")


def test_single_txt_picks_up_metadata_beside_it():
    assert toolkit.load(SAMPLE)["published"].iloc[0] == pd.Timestamp("2025-07-04")


def test_published_fills_only_missing_dates(tmp_path):
    (tmp_path / "a.txt").write_text("One sentence here.", encoding="utf-8")
    articles = toolkit.load(tmp_path / "a.txt", published="2024-01-02")
    assert articles["published"].iloc[0] == pd.Timestamp("2024-01-02")


@pytest.mark.parametrize("opener", [open, gzip.open])
def test_json_lines_plain_and_gzipped(tmp_path, opener):
    path = tmp_path / ("c.jsonl.gz" if opener is gzip.open else "c.jsonl")
    items = [{"id": "x1", "text": "Alpha rose.", "published": "1987-02-26T15:01:01", "title": "T"},
             {"text": "Beta fell."}]
    with opener(path, "wt", encoding="utf-8") as out:
        out.write("\n".join(json.dumps(i) for i in items))
    articles = toolkit.load(path)
    assert articles["article_id"].tolist() == ["x1", "c-2"]
    assert articles["published"].tolist()[0] == pd.Timestamp("1987-02-26 15:01:01")
    assert pd.isna(articles["published"].iloc[1])


def test_csv_with_text_column(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text('article_id,text,published\na,"Hello, world.",2020-05-01\nb,Second one.,\n', encoding="utf-8")
    articles = toolkit.load(path)
    assert articles["article_id"].tolist() == ["a", "b"]
    assert articles["text"].tolist() == ["Hello, world.", "Second one."]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file or folder"),
        (b"", "empty file"),
        (b"\x81\x8d\x8f\x90\x9d", "undecodable bytes"),
        (b"\x00\x01\x02binary\x00", "binary data"),
    ],
)
def test_bad_input_is_one_line_naming_the_file(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(toolkit.InputError) as caught:
        toolkit.load(path)
    text = str(caught.value)
    assert text.startswith(str(path)) and message in text and "\n" not in text


def test_utf16_and_cp1252_decode(tmp_path):
    (tmp_path / "u16.txt").write_bytes("“Quoted” text.".encode("utf-16"))
    (tmp_path / "win.txt").write_bytes("“Quoted” text.".encode("cp1252"))
    articles, problems = load_with_problems(tmp_path)
    assert articles["raw_text"].tolist() == ["“Quoted” text.", "“Quoted” text."]
    assert problems["problem"].str.contains("decoded as cp1252").tolist() == [True]


@needs_corpus
def test_reuters_corpus_loads_whole():
    articles, problems = load_with_problems(REUTERS)
    assert len(articles) == 19043 and problems.empty
    assert articles["article_id"].is_unique
    assert articles["published"].notna().all()
    assert articles["published"].min() >= pd.Timestamp("1987-01-01")

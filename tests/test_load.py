import gzip
import json

import pandas as pd
import pytest

import toolkit
from toolkit.load import ARTICLE_COLUMNS, LoadWarning, load_with_problems
from tests.conftest import DATA, REUTERS, SAMPLE, needs_corpus


def test_sample_folder_loads_with_its_metadata():
    # data/ also holds the open corpus in a sub-folder: load does not recurse, and says so.
    with pytest.warns(LoadWarning, match=r"open-news: a folder \(folders inside are not searched\)"):
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


# --- Strict CSV: a malformed row is a problem row naming its line, and the rows after it still load.

def _problems_at(problems: pd.DataFrame, source: str, words: str, action: str = "skipped") -> list[str]:
    return [p for s, p, a in problems.itertuples(index=False) if s == source and words in p and a == action]


def test_unterminated_quote_in_csv_costs_one_row_not_the_rest(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text('id,text\na,"Alpha rose.\nb,Beta fell.\nc,"Gamma held, they said."\nd,Delta.\n', encoding="utf-8")
    articles, problems = load_with_problems(path)
    assert articles["article_id"].tolist() == ["b", "c", "d"]
    assert articles["raw_text"].tolist() == ["Beta fell.", "Gamma held, they said.", "Delta."]
    assert _problems_at(problems, f"{path}:2", "unbalanced quote")


def test_quote_open_to_the_end_of_the_csv_is_found(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text('id,text\na,Alpha rose.\nb,"Beta fell.\nc,Gamma held.\nd,Delta.\n', encoding="utf-8")
    articles, problems = load_with_problems(path)
    assert articles["article_id"].tolist() == ["a", "c", "d"]
    assert _problems_at(problems, f"{path}:3", "unbalanced quote")


def test_csv_row_with_the_wrong_number_of_fields_is_recorded(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text("id,title,text\na,Alpha,Alpha rose.,extra\nb,Beta\nc,Gamma,Gamma held.\n", encoding="utf-8")
    articles, problems = load_with_problems(path)
    assert articles["article_id"].tolist() == ["c"]
    assert _problems_at(problems, f"{path}:2", "4 fields where the header has 3")
    assert _problems_at(problems, f"{path}:3", "2 fields where the header has 3")


def test_multi_line_quoted_text_is_one_row(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text('id,text\na,"First paragraph, with a comma.\n\nSecond, with ""quotes""."\nb,Beta.\n', encoding="utf-8")
    articles, problems = load_with_problems(path)
    assert articles["raw_text"].tolist() == ['First paragraph, with a comma.\n\nSecond, with "quotes".', "Beta."]
    assert problems.empty


def test_unterminated_quote_in_metadata_keeps_the_other_rows(tmp_path):
    for name in "abc":
        (tmp_path / f"{name}.txt").write_text("Prices rose.", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text(
        'article_id,title,published\na,"Unclosed title,2020-01-01\nb,Bee,2020-02-02\nc,Sea,2020-03-03\n', encoding="utf-8")
    articles, problems = load_with_problems(tmp_path)
    assert articles["title"].fillna("").tolist() == ["", "Bee", "Sea"]
    assert articles["published"].tolist()[1:] == [pd.Timestamp("2020-02-02"), pd.Timestamp("2020-03-03")]
    assert _problems_at(problems, f"{tmp_path / 'metadata.csv'}:2", "unbalanced quote")


def test_loading_leaves_the_csv_field_size_limit_alone(tmp_path):
    import csv
    before = csv.field_size_limit(131_072)  # the csv module's default, whatever ran before
    try:
        path = tmp_path / "big.csv"
        path.write_text("text\n" + "word " * 60_000 + "\n", encoding="utf-8")
        assert len(load_with_problems(path)[0]["raw_text"].iloc[0]) == 300_000
        assert csv.field_size_limit() == 131_072
    finally:
        csv.field_size_limit(before)


# --- Day/month order: one order for a file, never a guess.

def _dated_csv(tmp_path, *dates):
    path = tmp_path / "dated.csv"
    path.write_text("text,published\n" + "".join(f"Article {i}.,{d}\n" for i, d in enumerate(dates)), encoding="utf-8")
    return path


def test_ambiguous_day_month_dates_are_not_guessed(tmp_path, recwarn):
    path = _dated_csv(tmp_path, "04/07/2025", "05/06/2025")
    articles, problems = load_with_problems(path)
    assert articles["published"].isna().all()
    assert len(_problems_at(problems, f"{path}:2", "ambiguous", "repaired")) == 1
    assert not recwarn.list


@pytest.mark.parametrize(("dayfirst", "expected"), [(True, ["2025-07-04", "2025-06-05"]), (False, ["2025-04-07", "2025-05-06"])])
def test_dayfirst_reads_ambiguous_dates(tmp_path, dayfirst, expected):
    articles, problems = load_with_problems(_dated_csv(tmp_path, "04/07/2025", "05/06/2025"), dayfirst=dayfirst)
    assert articles["published"].tolist() == [pd.Timestamp(d) for d in expected] and problems.empty


def test_one_day_first_date_settles_the_order_for_the_whole_file(tmp_path, recwarn):
    articles, problems = load_with_problems(_dated_csv(tmp_path, "04/07/2025", "13/07/2025 10:30"))
    assert articles["published"].tolist() == [pd.Timestamp("2025-07-04"), pd.Timestamp("2025-07-13 10:30")]
    assert problems.empty and not recwarn.list


def test_a_file_mixing_both_orders_reads_only_the_dates_that_tell(tmp_path):
    path = _dated_csv(tmp_path, "13/07/2025", "07/14/2025", "04/07/2025")
    articles, problems = load_with_problems(path)
    assert articles["published"].tolist()[:2] == [pd.Timestamp("2025-07-13"), pd.Timestamp("2025-07-14")]
    assert pd.isna(articles["published"].iloc[2])
    assert _problems_at(problems, f"{path}:4", "ambiguous (day/month or month/day?) and the file writes dates both "
                                               "day/month ('13/07/2025') and month/day ('07/14/2025')", "repaired")
    assert len(problems) == 1


def test_dayfirst_on_the_command_line(tmp_path, capsys):
    from toolkit.cli import main
    path = _dated_csv(tmp_path, "04/07/2025")
    assert main(["analyze", str(path), "--out", str(tmp_path / "out"), "--no-cache", "--dayfirst"]) == 0
    assert pd.read_csv(tmp_path / "out" / "articles.csv")["published"].tolist() == ["2025-07-04"]
    assert "Parsing dates" not in capsys.readouterr().err


# --- Values that are not what they should be: converted with a recorded repair or skipped with a problem.

ODD_VALUES = [
    '{"id": {"a": 1}, "text": "Alpha rose.", "title": ["T", 1]}',
    '{"id": 7, "text": "Beta fell.", "title": NaN, "source": true, "url": {"href": "x"}}',
    '{"id": "c", "text": "Gamma \\ud800 held.", "title": "Lone \\udfff surrogate"}',
    '{"id": "d", "text": 42}',
    '{"id": "e", "text": ["not", "text"]}',
    '{"id": 1.5, "text": "Epsilon.", "published": [2020, 1, 1]}',
    '{"id": Infinity, "text": "Zeta.", "published": 1700000000}',
]


def test_odd_json_values_never_break_the_run(tmp_path):
    path = tmp_path / "odd.jsonl"
    path.write_text("\n".join(ODD_VALUES), encoding="utf-8")
    articles, problems = load_with_problems(path)
    assert articles["article_id"].tolist() == ["odd-1", "7", "c", "1.5", "odd-7"]
    assert articles["title"].isna().tolist() == [True, True, False, True, True]
    assert articles["raw_text"].iloc[2] == "Gamma \ufffd held." and articles["title"].iloc[2] == "Lone \ufffd surrogate"
    for line, words, action in [(1, "'id' is a JSON object", "repaired"), (1, "'title' is a JSON array", "repaired"),
                                (2, "'source' is a JSON boolean", "repaired"), (2, "'title' is NaN", "repaired"),
                                (3, "lone surrogate", "repaired"), (4, "'text' is a JSON number", "skipped"),
                                (5, "'text' is a JSON array", "skipped"), (6, "'published' is a JSON array", "repaired"),
                                (7, "'id' is Infinity", "repaired")]:
        assert _problems_at(problems, f"{path}:{line}", words, action), (line, words, problems.to_dict("records"))
    analysis = toolkit.analyze(path, cache=True)
    assert len(analysis.articles) == 5
    analysis.save(tmp_path / "out")
    assert len(pd.read_parquet(tmp_path / "out" / "articles.parquet")) == 5


# --- Legacy encodings: detected, recorded, and refused when no encoding fits.

RUSSIAN = ("Министр иностранных дел заявил во вторник, что переговоры возобновятся в Берлине на следующей неделе. "
           "По словам чиновников, цены выросли на пять процентов.")
CHINESE = "外交部长周二表示，谈判将于下周在柏林恢复。据官员称，物价在上一季度上涨了百分之五，市场对此反应平静。"
WESTERN = "Le ministre a déclaré mardi que les négociations reprendraient à Berlin — « très bientôt », selon l’agence."


@pytest.mark.parametrize(("text", "encoding", "detected"), [
    (RUSSIAN, "cp1251", "cp1251"), (RUSSIAN, "koi8-r", "koi8_r"), (CHINESE, "gbk", "gb18030"),
    (WESTERN, "cp1252", "cp1252"), ("Zürich: “Wir sind fertig”, sagte die Ministerin.", "cp1252", "cp1252"),
])
def test_legacy_encodings_are_detected_and_recorded(tmp_path, text, encoding, detected):
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode(encoding))
    articles, problems = load_with_problems(path)
    assert articles["raw_text"].iloc[0] == text
    assert problems["problem"].tolist() == [f"not valid UTF-8 (byte {_first_non_ascii(text)}); decoded as {detected}"]


def _first_non_ascii(text: str) -> int:
    return next(i for i, ch in enumerate(text) if ord(ch) > 127)


def test_bytes_no_encoding_fits_are_refused_in_one_line(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(bytes(range(128, 256)) * 4)
    with pytest.raises(toolkit.InputError, match="undecodable bytes: not UTF-8 .*no encoding fits") as caught:
        load_with_problems(path)
    assert "\n" not in str(caught.value)


# --- Saved web pages: main text, title, date and URL from the page; what was dropped is recorded.

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Talks to resume in Berlin | Daily Planet</title>
<link rel="canonical" href="https://news.example.org/world/talks-resume">
<meta property="article:published_time" content="2024-03-05T09:30:00+00:00">
<style>body { font-family: sans-serif; } .nav { color: red; }</style>
<script>window.dataLayer = [{"page": "article"}]; function track() { return 1; }</script>
</head><body>
<nav class="nav"><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav>
<div id="cookie-banner">We use cookies to improve your experience. <button>Accept all</button></div>
<article><h1>Talks to resume in Berlin</h1>
<p>The foreign minister said on Tuesday that talks with the delegation would resume in Berlin next week.</p>
<p>"We are ready to listen," she told reporters after a meeting with the chancellor, adding that prices had risen.</p>
<p>Officials said the agenda would cover energy, trade and the border dispute that stalled the last round.</p>
</article>
<aside><h3>Related</h3><ul><li><a href="/a">Markets fall</a></li><li><a href="/b">Storm hits coast</a></li></ul></aside>
<footer>© 2024 Daily Planet. All rights reserved. <a href="/privacy">Privacy</a></footer>
<script>track();</script></body></html>"""
BODY = ["The foreign minister said on Tuesday that talks with the delegation would resume in Berlin next week.",
        "officials said the agenda would cover energy"]
JUNK = ["window.dataLayer", "font-family", "cookies", "Accept all", "Markets fall", "All rights reserved", "Sport", "<p>"]


def _assert_page_read(articles: pd.DataFrame, problems: pd.DataFrame, source: str) -> None:
    text = articles["raw_text"].iloc[0]
    assert all(part.lower() in text.lower() for part in BODY), text
    assert not [junk for junk in JUNK if junk in text], text
    assert articles["title"].iloc[0] == "Talks to resume in Berlin"
    assert articles["published"].iloc[0] == pd.Timestamp("2024-03-05 09:30")
    assert articles["url"].iloc[0] == "https://news.example.org/world/talks-resume"
    assert _problems_at(problems, source, "web page: main text extracted", "repaired"), problems.to_dict("records")


@pytest.mark.parametrize("name", ["page.html", "page.htm", "page.txt"])
def test_saved_web_page_gives_its_main_text_and_metadata(tmp_path, name):
    path = tmp_path / name
    path.write_text(PAGE, encoding="utf-8")
    _assert_page_read(*load_with_problems(path), str(path))


def test_html_inside_json_lines_and_csv_is_extracted(tmp_path):
    lines = tmp_path / "pages.jsonl"
    lines.write_text(json.dumps({"id": "p", "text": PAGE}) + "\n", encoding="utf-8")
    _assert_page_read(*load_with_problems(lines), f"{lines}:1")
    table = tmp_path / "pages.csv"
    pd.DataFrame({"id": ["p"], "text": [PAGE]}).to_csv(table, index=False)
    _assert_page_read(*load_with_problems(table), f"{table}:2")


def test_metadata_given_beside_a_page_wins_over_the_page(tmp_path):
    (tmp_path / "p.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("article_id,title\np,Our own title\n", encoding="utf-8")
    articles = load_with_problems(tmp_path)[0]
    assert articles["title"].iloc[0] == "Our own title"
    assert articles["published"].iloc[0] == pd.Timestamp("2024-03-05 09:30")


def test_text_that_mentions_a_tag_is_not_a_web_page(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Developers argued over whether <p> or <div> should wrap the story.", encoding="utf-8")
    articles, problems = load_with_problems(path)
    assert articles["raw_text"].iloc[0].startswith("Developers argued") and problems.empty


def test_web_page_analysis_has_no_tags_in_its_entities(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    analysis = toolkit.analyze(path, cache=False)
    assert not analysis.entities["text"].str.contains("<|>").any()
    assert "Berlin" in analysis.entities["text"].tolist()


def test_a_json_lines_corpus_in_a_legacy_encoding_is_decoded_whole(tmp_path):
    lines = [{"id": "a", "text": "Цены выросли."}, {"id": "b", "text": "Министр заявил во вторник."},
             {"id": "c", "text": "Переговоры возобновятся в Берлине на следующей неделе."}]
    path = tmp_path / "ru.jsonl"
    path.write_bytes("\n".join(json.dumps(line, ensure_ascii=False) for line in lines).encode("cp1251"))
    articles, problems = load_with_problems(path)
    assert articles["raw_text"].tolist() == [line["text"] for line in lines]
    assert problems.to_dict("records") == [
        {"source": str(path), "problem": "not valid UTF-8 (byte 21); decoded as cp1251", "action": "repaired"}]


@pytest.mark.parametrize(("text", "encoding"), [(CHINESE, "gbk"), (RUSSIAN, "koi8-r")])
def test_a_long_legacy_file_is_detected_from_a_sample_that_cuts_no_character(tmp_path, text, encoding):
    body = (text + "\n") * 3000  # longer than the 256 KB sample
    path = tmp_path / "long.txt"
    path.write_bytes(body.encode(encoding))
    assert path.stat().st_size > 262_144
    articles, problems = load_with_problems(path)
    assert articles["raw_text"].iloc[0] == body and len(problems) == 1

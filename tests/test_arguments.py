"""The API refuses arguments it cannot use with a TypeError or ValueError that names the argument and
what it accepts, instead of a deep traceback or a silent no-op."""

from __future__ import annotations

import pandas as pd
import pytest

import toolkit
from tests.conftest import DATA, SAMPLE

ACCEPTS = "a file or folder path (str or os.PathLike)"


@pytest.mark.parametrize(("paths", "error", "message"), [
    ((None,), TypeError, f"paths: expected {ACCEPTS}, got NoneType None"),
    ((42,), TypeError, f"paths: expected {ACCEPTS}, got int 42"),
    ((pd.DataFrame({"text": ["Talks resumed."]}),), TypeError,
     f"paths: expected {ACCEPTS}, got a DataFrame; analyse a frame of articles with toolkit.analyze_articles(frame)"),
    (([],), ValueError, f"paths: no file or folder given; pass at least one, as {ACCEPTS}"),
    ((), ValueError, f"paths: no file or folder given; pass at least one, as {ACCEPTS}"),
    (("",), ValueError, f"paths: a blank string is not {ACCEPTS}"),
    (([SAMPLE, 3.5],), TypeError, f"paths: expected {ACCEPTS}, got float 3.5"),
])
def test_analyze_names_the_paths_it_cannot_use(paths, error, message):
    with pytest.raises(error) as raised:
        toolkit.analyze(*paths, cache=False)
    assert str(raised.value).startswith(message)


def test_analyze_takes_a_list_of_paths():
    analysis = toolkit.analyze([SAMPLE], cache=False)
    assert analysis.articles["article_id"].tolist() == [SAMPLE.stem]


def test_analyze_articles_wants_an_articles_frame():
    with pytest.raises(TypeError, match=r"^articles: expected a DataFrame with columns article_id, raw_text, published, got str"):
        toolkit.analyze_articles("data/")
    with pytest.raises(ValueError, match=r"^articles: the frame needs columns .* missing raw_text, published"):
        toolkit.analyze_articles(pd.DataFrame({"article_id": ["a"], "text": ["Talks resumed."]}))


@pytest.mark.parametrize("aliases", [
    pd.DataFrame({"name": ["Acme"], "canonical": ["Acme Corp"]}),
    pd.DataFrame({"alias": ["Acme"]}),
])
def test_an_alias_frame_without_alias_and_entity_columns_is_refused(aliases):
    with pytest.raises(ValueError, match=r"^aliases: the frame needs columns alias, entity; missing "):
        toolkit.analyze(DATA, aliases=aliases, cache=False)
    with pytest.raises(ValueError, match=r"^aliases: "):
        toolkit.analyze_articles(toolkit.from_texts(["Talks resumed."]), aliases=aliases)


def test_aliases_of_another_type_are_refused():
    with pytest.raises(TypeError, match=r"^aliases: expected a CSV path or a DataFrame"):
        toolkit.analyze(DATA, aliases={"Acme": "Acme Corp"}, cache=False)


def test_a_rule_with_a_bad_regular_expression_is_refused_when_made():
    with pytest.raises(ValueError) as raised:
        toolkit.Rule("newsletter", r"^Sign up (for")
    assert str(raised.value) == ("Rule 'newsletter': pattern must be a valid regular expression; '^Sign up (for' "
                                 "is not (missing ), unterminated subpattern at position 9)")


@pytest.mark.parametrize(("option", "value", "message"), [
    ("freq", "fortnight", "freq: expected a pandas period alias such as 'D', 'W', 'M', 'Q' or 'Y', got 'fortnight'"),
    ("freq", 7, "freq: expected a pandas period alias such as 'D', 'W', 'M', 'Q' or 'Y', got 7"),
    ("by", "when", "by: expected one of published, event, position, got 'when'"),
])
def test_mentions_over_time_names_a_bad_freq_or_by(sample_analysis, option, value, message):
    with pytest.raises(ValueError) as raised:
        toolkit.mentions_over_time(sample_analysis, **{option: value})
    assert str(raised.value) == message

import nltk
import pandas as pd
import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer as ReferenceVader

from toolkit.sentiment import analyzer, label, lexicon_path, score, score_text
from toolkit.text import straight_quotes


def test_scores_equal_vader_reference_on_every_sample_sentence(sample_analysis):
    reference = ReferenceVader()  # the package's own default files
    for row in sample_analysis.sentences.itertuples():
        expected = reference.polarity_scores(straight_quotes(row.text))
        assert {k: getattr(row, k) for k in ("neg", "neu", "pos", "compound")} == expected


def test_curly_quotes_do_not_hide_words_from_vader():
    curly = "Trump told reporters he was “very disappointed,” adding more."
    assert score_text(curly)["compound"] == score_text(curly.replace("“", '"').replace("”", '"'))["compound"]
    assert ReferenceVader().polarity_scores(curly)["compound"] > score_text(curly)["compound"]


def test_sample_extremes_read_right(sample_analysis):
    ranked = sample_analysis.sentences.sort_values("compound")
    assert ranked["text"].iloc[0].startswith("Meanwhile, just hours after launching the largest drone")
    assert ranked["sentiment"].iloc[0] == "negative"
    assert ranked["text"].iloc[-1].startswith("Marking the occasion of US Independence Day")
    assert set(sample_analysis.sentences["sentiment"]) == {"negative", "neutral", "positive"}


@pytest.mark.parametrize(("compound", "expected"), [(0.05, "positive"), (0.0499, "neutral"), (-0.05, "negative")])
def test_labels_use_vader_thresholds(compound, expected):
    assert label(compound) == expected


def test_nltk_analyser_uses_packaged_lexicon_without_nltk_data(tmp_path, monkeypatch):
    monkeypatch.setattr(nltk.data, "path", [str(tmp_path)])
    analyzer.cache_clear()
    scores = score_text("The talks were a great success.", sentiment="nltk")
    assert scores["compound"] == score_text("The talks were a great success.")["compound"] > 0.5
    words = {line.split("\t")[0] for line in lexicon_path().read_text(encoding="utf-8").splitlines()}
    assert set(analyzer("nltk").lexicon) == words


def test_nltk_port_differs_from_reference_where_documented():
    # NLTK's port lacks the reference's rule for "no" before a sentiment word.
    sentence = "There was no progress toward a ceasefire."
    assert score_text(sentence, sentiment="nltk")["compound"] != score_text(sentence)["compound"]


def test_unknown_analyser_is_refused():
    with pytest.raises(ValueError, match="unknown sentiment analyser"):
        analyzer("textblob")


def test_sentiment_names_the_analyser():
    sentence = "There was no progress toward a ceasefire."
    frame = pd.DataFrame({"text": [sentence]})
    assert score(frame, sentiment="nltk")["compound"].iat[0] == score_text(sentence, sentiment="nltk")["compound"]
    # NLTK's port lacks the reference's rule for "no": the two analysers really differ here.
    assert score(frame, sentiment="nltk")["compound"].iat[0] != score(frame)["compound"].iat[0]
    with pytest.raises(TypeError):
        score(frame, engine="nltk")

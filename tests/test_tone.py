"""Tone toward each entity: differs between names of one sentence, reads sensibly on the sample, always present."""

from __future__ import annotations

import socket

import numpy as np
import pandas as pd
import pytest

import toolkit
from toolkit import tone
from toolkit.entities import ENTITY_COLUMNS
from tests.conftest import ROOT, needs_corpus

NEWSMTSC = ROOT.parent / "shared" / "eval" / "newsmtsc"
needs_newsmtsc = pytest.mark.skipif(not (NEWSMTSC / "devtest_mt.jsonl").is_file(),
                                    reason=f"NewsMTSC not found at {NEWSMTSC}")
DEVTEST_MACRO_F1 = 0.661  # benchmarks/README.md, "Entity tone" (the target: 0.65)
BEFORE_MACRO_F1 = 0.638  # the model this one replaced (without word vectors)


def scored_mentions(sentence: str, *names: str) -> pd.DataFrame:
    """`tone.score_mentions` over the first occurrence of each name in the sentence."""
    return tone.score_mentions(sentence, [(sentence.index(name), sentence.index(name) + len(name)) for name in names])


def tones(sentence: str, *names: str) -> dict[str, float]:
    return dict(zip(names, scored_mentions(sentence, *names)["tone_score"]))


@pytest.mark.parametrize("sentence, warmer, colder", [
    ("Trump praised Zelenskyy but attacked Putin.", "Zelenskyy", "Putin"),
    ("Merkel thanked Macron for his support and condemned Orban.", "Macron", "Orban"),
    ("Critics accused Johnson of lying, while they applauded Starmer for his honesty.", "Starmer", "Johnson"),
    ("Obama hailed the courage of Malala, but blasted Assad for the massacre.", "Malala", "Assad"),
    ("Smith was arrested for fraud, and Jones was honoured for bravery.", "Jones", "Smith"),
    ("Voters love Sanders, but they distrust Clinton.", "Sanders", "Clinton"),
])
def test_two_names_in_one_sentence_get_different_tones(sentence, warmer, colder):
    scores = tones(sentence, warmer, colder)
    assert scores[warmer] > scores[colder]  # the sentence alone would give both the same score


@pytest.mark.parametrize("sentence", [
    "Trump praised Zelenskyy but attacked Putin.",
    "Trump attacked Putin but praised Zelenskyy.",
    "Zelenskyy was praised by Trump, who attacked Putin.",
])
def test_the_attacked_name_is_negative_and_the_praised_one_positive_whatever_the_order(sentence):
    scores = tones(sentence, "Trump", "Zelenskyy", "Putin")
    assert scores["Putin"] < -0.3 < scores["Zelenskyy"] - scores["Putin"]
    assert scores["Zelenskyy"] > 0  # the model before this one put him below zero in the first sentence


@pytest.mark.parametrize("sentence, subject, setting", [
    ("Johnson was convicted of fraud in a court in London on Friday.", "Johnson", "London"),
    ("Mrs Brown, a brilliant and generous teacher, was honoured in Leeds.", "Mrs Brown", "Leeds"),
    ("The corrupt regime of Assad murdered thousands, Amnesty International said.", "Assad", "Amnesty International"),
    ("The scandal engulfed Smith, the New York Times reported.", "Smith", "the New York Times"),
])
def test_the_place_or_the_source_of_a_story_stays_neutral(sentence, subject, setting):
    scored = scored_mentions(sentence, subject, setting)
    assert scored["tone"].iloc[1] == "neutral"
    assert scored["tone"].iloc[0] == ("positive" if "honoured" in sentence else "negative")


@pytest.mark.parametrize("sentence, speaker, subject", [
    ("Jones is a liar and a fraud, Smith said.", "Smith", "Jones"),
    ("Smith said Jones is a liar and a fraud.", "Smith", "Jones"),
    ("Smith told reporters that Jones had betrayed the party.", "Smith", "Jones"),
])
def test_the_speaker_does_not_take_on_the_tone_of_what_they_say(sentence, speaker, subject):
    scored = scored_mentions(sentence, speaker, subject)
    assert scored["tone"].tolist() == ["neutral", "negative"]


def test_the_model_loads_offline(monkeypatch):
    def no_network(*args, **kwargs):
        raise OSError("network used")

    monkeypatch.setattr(socket, "socket", no_network)
    tone.model.cache_clear()
    tone.word_vectors.cache_clear()
    loaded, vectors = tone.model(), tone.word_vectors()
    assert loaded.hashed.shape == (2 ** tone.HASH_BITS, len(tone.TONES))
    assert loaded.numeric.shape == (len(tone.NUMERIC), len(tone.TONES))
    assert loaded.dense.shape == (len(tone.DENSE) * vectors.table.shape[1], len(tone.TONES))
    assert np.count_nonzero(loaded.hashed.any(axis=1)) > 10_000
    assert len(vectors.rows) > 20_000 and not vectors.table[-1].any()  # the last row: a word the table lacks
    assert (ROOT / "toolkit" / tone.MODEL_FILE).stat().st_size < 5_000_000
    assert (ROOT / "toolkit" / tone.VECTORS_FILE).stat().st_size < 5_000_000


def test_the_model_and_the_word_vectors_are_read_once_per_process():
    tone.model.cache_clear()
    tone.word_vectors.cache_clear()
    for _ in range(2):
        toolkit.analyze_articles(toolkit.from_texts(["Smith praised Jones at a rally in Leeds on Monday."]), workers=1)
    assert tone.model.cache_info().misses == 1 and tone.word_vectors.cache_info().misses == 1


def test_the_distillation_script_splits_words_as_the_tone_stage_does():
    """`benchmarks/distil_tone_vectors.py` runs in a venv without the toolkit, so it keeps its own copy of the
    stage's word expression: the table's vocabulary is made of the words the stage looks up only while they agree."""
    from benchmarks import distil_tone_vectors

    assert distil_tone_vectors._TOKEN.pattern == tone._TOKEN.pattern


def test_word_vectors_carry_meaning_the_training_words_lack():
    """The distilled vectors put a word near its synonyms: what lets the model read words training never saw."""
    vectors = tone.word_vectors()

    def similarity(a: str, b: str) -> float:
        u, v = vectors.table[vectors.rows[a]], vectors.table[vectors.rows[b]]
        return float(u @ v / np.linalg.norm(u) / np.linalg.norm(v))

    assert similarity("praised", "lauded") > 0.5 > similarity("praised", "attacked")
    assert similarity("corrupt", "fraudulent") > similarity("corrupt", "generous")
    assert "<e>" not in vectors.rows and "<t>" not in vectors.rows  # the masked names get no meaning


def assert_tone_columns(entities: pd.DataFrame) -> None:
    assert list(entities.columns) == ENTITY_COLUMNS
    assert entities["tone"].isin(tone.TONES).all()
    assert entities["tone_score"].between(-1, 1).all()
    assert (entities.loc[entities["tone"] == "positive", "tone_score"] > 0).all()
    assert (entities.loc[entities["tone"] == "negative", "tone_score"] < 0).all()


def test_sample_tone_reads_sensibly(sample_analysis):
    entities = sample_analysis.entities
    assert_tone_columns(entities)
    by = {(r.sentence_id, r.text): r for r in entities.itertuples()}
    # "Despite repeated frustrations over Russia’s aggression, the Trump administration has not imposed new
    # sanctions...": VADER calls the sentence positive (+0.51); toward Russia the tone is negative.
    assert by[(12, "Russia")].compound > 0.5 and by[(12, "Russia")].tone == "negative"
    # "...with US President Donald Trump to discuss strengthening Ukraine’s air defences, as Russian missile and drone
    # attacks continue to escalate": a near-neutral sentence; "Russian" scores below Zelenskyy and Trump, though
    # not below zero (a known miss, benchmarks/README.md: +0.79 now against their +0.86; +0.44 with the model
    # before the word vectors, +0.28 with the one before that).
    assert abs(by[(0, "Russian")].compound) < 0.05
    assert by[(0, "Russian")].tone_score < min(by[(0, "Volodymyr Zelenskyy")].tone_score,
                                               by[(0, "Donald Trump")].tone_score)
    # "...just hours after launching the largest drone and missile assault since the start of the invasio, Russia on
    # Friday said it sees no immediate diplomatic path to end the war in Ukraine.": Russia launched the assault; it
    # is also the speaker, and its score leans negative though the label is neutral (a known miss,
    # benchmarks/README.md: the model before the word vectors called it negative); Ukraine, where the war is,
    # stays neutral.
    assert by[(15, "Russia")].tone_score < 0 and by[(15, "Ukraine")].tone == "neutral"
    # "...expressed gratitude for US support": positive toward the US.
    assert by[(5, "US")].tone == "positive"
    # "Kyiv has warned that the delay risks weakening its air defences and emboldening Moscow.": toward Moscow the
    # score leans negative, though the label is neutral (a known miss, benchmarks/README.md).
    assert by[(11, "Moscow")].tone_score < 0


def test_every_analysis_has_the_columns_even_without_mentions():
    assert_tone_columns(toolkit.analyze_articles(toolkit.from_texts([])).entities)
    assert_tone_columns(toolkit.analyze_articles(toolkit.from_texts(["no names in here at all."])).entities)


@needs_corpus
def test_reuters_mentions_all_get_a_tone(reuters_raw):
    texts = [reuters_raw[key] for key in sorted(reuters_raw)[:40]]
    entities = toolkit.analyze_articles(toolkit.from_texts(texts)).entities
    assert len(entities) > 100
    assert_tone_columns(entities)
    assert entities["tone"].nunique() == 3


def one_item_worse(gold: np.ndarray, predicted: np.ndarray) -> float:
    """The lowest macro-F1 the predictions fall to when one right prediction turns wrong."""
    from benchmarks.train_tone import figures

    worst = 1.0
    for c in range(len(tone.TONES)):
        right = np.flatnonzero((gold == c) & (predicted == c))
        for wrong in (c + 1) % len(tone.TONES), (c + 2) % len(tone.TONES):
            changed = predicted.copy()
            changed[right[0]] = wrong
            worst = min(worst, figures(gold, changed)["macro-F1"])
    return worst


@needs_newsmtsc
def test_the_shipped_model_scores_the_reported_devtest_figure():
    from benchmarks.train_tone import featurise, figures, read

    features, gold, _, _ = featurise(read("devtest_mt.jsonl"))
    predicted = tone.probabilities(features).argmax(axis=1)
    scored = figures(gold, predicted)
    # As benchmarks/README.md reports it, less one target's worth (one right prediction turned wrong).
    tolerance = scored["macro-F1"] - one_item_worse(gold, predicted)
    assert 0 < tolerance < 0.002
    assert scored["macro-F1"] >= DEVTEST_MACRO_F1 - 0.0005 - tolerance
    assert DEVTEST_MACRO_F1 > BEFORE_MACRO_F1


def test_the_run_time_sum_of_projections_equals_the_trained_features_times_their_weights():
    """`tone.dense_logits` (the toolkit's fast path) gives what the model was trained on: the span means times the
    weights, over sentences of different lengths, a mention with no words on one side, and one never placed."""
    texts = ["Trump praised Zelenskyy but attacked Putin.", "Smith resigned.", "Lauded by all, Jones smiled at Brown."]
    spans = [[(0, 5), (14, 23), (38, 43)], [(0, 5)], [(15, 20), (31, 36), (100, 105)]]
    featurised = [tone.sentence_features(text, where, (0.0, 0.0, 0.0)) for text, where in zip(texts, spans)]
    m = tone.model()
    means = tone.mean_vectors(featurised)
    assert means.shape == (7, len(tone.DENSE) * tone.word_vectors().table.shape[1])
    assert not means[6].any() and means[3].any()  # the unplaced mention has no vectors; "Smith resigned." has
    np.testing.assert_allclose(tone.dense_logits(featurised, m), means @ m.dense, atol=1e-4)

"""Any spaCy pipeline: a pipeline the test builds itself (blank English + an entity ruler) tags the entities."""

import subprocess
import sys

import pytest

import toolkit
from toolkit.cache import fingerprint
from toolkit.engines import Settings
from toolkit.load import from_texts
from toolkit.nlp import installed_pipelines, model_identity


@pytest.fixture(scope="module")
def ruler_pipeline(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A saved pipeline that knows two names only, by rule: whatever it tags came from it, not the small model."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([
        {"label": "ORG", "pattern": "Zorblax Works"}, {"label": "PERSON", "pattern": [{"LOWER": "quintus"}]},
    ])
    folder = tmp_path_factory.mktemp("pipelines") / "ruler"
    nlp.to_disk(folder)
    return str(folder)


def test_a_saved_pipeline_tags_the_entities(ruler_pipeline):
    text = "Quintus joined Zorblax Works in Paris last year."
    entities = toolkit.analyze_articles(from_texts([text]), model=ruler_pipeline).entities
    assert sorted(zip(entities["text"], entities["label"])) == [("Quintus", "PERSON"), ("Zorblax Works", "ORG")]
    default = toolkit.analyze_articles(from_texts([text])).entities
    assert "Paris" in set(default["text"])  # the default model finds the city the ruler does not know


def test_the_cache_keys_on_the_model(ruler_pipeline):
    assert fingerprint(Settings()) != fingerprint(Settings(model=ruler_pipeline))
    assert fingerprint(Settings(model=ruler_pipeline)) == fingerprint(Settings(model=ruler_pipeline))


def test_installed_english_pipelines_are_listed():
    assert any(name.startswith("en_core_web_sm") for name in installed_pipelines())
    assert model_identity().split()[0].startswith("en_core_web_sm")


def test_cli_model_flag(ruler_pipeline, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Quintus joined Zorblax Works.", encoding="utf-8")
    run = [sys.executable, "-m", "toolkit", "analyze", str(article), "--out", str(tmp_path / "out"), "--no-cache"]
    done = subprocess.run([*run, "--model", ruler_pipeline], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Zorblax Works" in (tmp_path / "out" / "entities.csv").read_text(encoding="utf-8")
    missing = subprocess.run([*run, "--model", "en_core_web_nonesuch"], capture_output=True, text=True)
    assert missing.returncode == 2
    assert missing.stderr.strip().count("\n") == 0 and "en_core_web_nonesuch" in missing.stderr


def test_doctor_lists_the_english_pipelines():
    from toolkit.doctor import report

    lines, ok = report()
    listed = [line for line in lines if line.strip().startswith("pipelines")]
    assert ok and len(listed) == 1 and "en_core_web_sm" in listed[0]

"""The shipped reader models: present, small, fresh (trained from the repository's data and
code), reproducible, and quick to load."""

import json
import time

import numpy as np
import pytest

from benchmarks.train_reader import fingerprint, read_table, train_booster
from qa.reader.features import ANSWER_FEATURES, SENTENCE_FEATURES, SPAN_FEATURES
from qa.reader.models import NAMES, WEIGHTS, Models
from qa.settings import Settings

MANIFEST = json.loads((WEIGHTS / "manifest.json").read_text())


def test_every_model_is_shipped_small_and_not_a_pickle():
    for name in NAMES:
        path = WEIGHTS / f"{name}.txt"
        assert path.stat().st_size < 5_000_000, path
        assert path.read_text()[:4] == "tree", f"{path} is not a LightGBM text model"


def test_models_are_not_stale():
    """Retrain (python -m benchmarks.train_reader) after changing the data, the features or the settings."""
    assert MANIFEST["trained_from"] == fingerprint(), (
        "qa/reader/weights/ was trained from other data, code or settings: run python -m benchmarks.train_reader")


def test_models_expect_the_features_the_code_computes():
    models = Models()
    for name, feats in (("sentence", SENTENCE_FEATURES), ("span", SPAN_FEATURES), ("answer", ANSWER_FEATURES)):
        assert models.booster(name).feature_name() == list(feats), name


def test_the_threshold_in_settings_is_the_one_training_chose():
    assert Settings().min_confidence == MANIFEST["threshold"]


def test_answer_model_retrains_to_the_same_predictions():
    """The answer model trains in seconds from its table: retrain it and compare."""
    X, y = read_table(WEIGHTS / "answer_table.csv")
    assert len(y) >= 1500 and 0.2 < y.mean() < 0.8
    retrained = train_booster("answer", X, y).predict(X)
    shipped = Models().booster("answer").predict(X)
    assert np.abs(retrained - shipped).max() < 1e-9


def test_models_load_in_milliseconds():
    import lightgbm  # noqa: F401  (the import itself is paid once per process, not per model)

    t = time.perf_counter()
    m = Models()
    for name in NAMES:
        m.booster(name)
    assert time.perf_counter() - t < 2.0  # generous: a loaded CI machine; typically ~30 ms


@pytest.mark.parametrize("flip", [0, 1])
def test_staleness_check_can_fail(tmp_path, monkeypatch, flip):
    """The fingerprint does change when the training data changes."""
    import benchmarks.train_reader as tr

    data = tmp_path / "train.jsonl"
    data.write_bytes(tr.TRAIN.read_bytes() + (b"\n" if flip else b""))
    monkeypatch.setattr(tr, "TRAIN", data)
    assert (fingerprint() == MANIFEST["trained_from"]) == (not flip)

"""JSON models: round trips predict identically; bad files raise ModelFormatError."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from vnlink.classify import (
    FellegiSunter,
    SimulatedVectors,
    SupervisedLinkClassifier,
    load_model,
    save_model,
    simulate_comparisons,
)
from vnlink.classify._input import read_vectors
from vnlink.classify.io import SCHEMA_VERSION, dumps_model, loads_model
from vnlink.exceptions import ModelFormatError, NotFittedError

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def labelled(known_model):
    return simulate_comparisons(**known_model, n_pairs=3000, seed=11, missing=0.05,
                                names=["họ tên", "ngày sinh", "giới tính", "xã"])


def _resign(doc: dict) -> str:
    body = {k: v for k, v in doc.items() if k != "sha256"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    doc["sha256"] = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return json.dumps(doc, ensure_ascii=False)


def test_fellegi_sunter_round_trip_predicts_identically(simulated, tmp_path) -> None:
    X, _ = simulated
    X.spec = [{"class": "NameComparison", "params": {"column": "name"}}, {}, {}, {}]
    model = FellegiSunter(fixed_m={2: [0.03, 0.97]}, tf_adjustment=["họ tên"]).fit(X)
    path = tmp_path / "fs.json"
    text = model.to_json(path)
    again = FellegiSunter.from_json(path)
    assert np.array_equal(again.match_weight(X), model.match_weight(X))
    assert np.array_equal(again.predict_proba(X), model.predict_proba(X))
    assert again.get_params() == {**model.get_params(), "fixed_m": {2: [0.03, 0.97]}}
    assert again.comparison_names_ == model.comparison_names_
    assert again.level_labels_ == model.level_labels_
    assert again.spec_ == X.spec
    assert again.training_ == model.training_
    assert (again.n_iter_, again.converged_, again.lambda_) == \
        (model.n_iter_, model.converged_, model.lambda_)
    # text in, same model out; and the generic loader
    assert np.array_equal(FellegiSunter.from_json(text).match_weight(X), model.match_weight(X))
    assert isinstance(load_model(path), FellegiSunter)
    doc = json.loads(text)
    assert doc["format"] == "vnlink-model" and doc["schema_version"] == SCHEMA_VERSION
    assert doc["class"] == "FellegiSunter" and doc["vnlink_version"]
    assert doc["payload"]["params"]["tf_adjustment"] == ["họ tên"]
    assert "họ tên" in text  # UTF-8, not escaped


@pytest.mark.parametrize("calibration", ["none", "sigmoid"])
def test_supervised_round_trip_predicts_identically(labelled, tmp_path, calibration) -> None:
    X, y = labelled
    model = SupervisedLinkClassifier(calibration=calibration).fit(X, y)
    assert model.calibration_ == calibration
    path = save_model(model, tmp_path / "sup.json")
    again = SupervisedLinkClassifier.from_json(path)
    assert np.array_equal(again.predict_proba(X), model.predict_proba(X))
    assert np.array_equal(again.predict(X), model.predict(X))
    assert again.feature_names_ == model.feature_names_


def test_in_memory_prediction_matches_sklearn(labelled) -> None:
    X, y = labelled
    for calibration in ("none", "sigmoid"):
        model = SupervisedLinkClassifier(calibration=calibration).fit(X, y)
        features = model._features(read_vectors(model, X, reset=False))
        np.testing.assert_allclose(model.predict_proba(X),
                                   model.estimator_.predict_proba(features), atol=1e-12)


def test_unfitted_model_is_not_saved() -> None:
    with pytest.raises(NotFittedError):
        FellegiSunter().to_json()


def test_tampered_file_raises(simulated, tmp_path) -> None:
    X, _ = simulated
    model = FellegiSunter().fit(X.take(slice(0, 20_000)))
    text = dumps_model(model)
    doc = json.loads(text)
    doc["payload"]["lambda"] = 0.5
    with pytest.raises(ModelFormatError, match="checksum"):
        loads_model(json.dumps(doc))
    path = tmp_path / "tampered.json"
    path.write_text(text.replace('"converged": true', '"converged": false'), encoding="utf-8")
    with pytest.raises(ModelFormatError, match="checksum"):
        FellegiSunter.from_json(path)


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (lambda d: d.pop("sha256"), "checksum"),
        (lambda d: d.update(format="splink"), "not a vnlink model"),
        (lambda d: d.update(schema_version=SCHEMA_VERSION + 1), "upgrade vnlink"),
        (lambda d: d.update(schema_version="1"), "schema_version"),
        (lambda d: d.update({"class": "os.system"}), "unknown class"),
        (lambda d: d["payload"]["m"].pop(), "m and u"),
        (lambda d: d["payload"].update(m=[[0.5, 0.6]] * 4), "m and u"),
        (lambda d: d["payload"].update({"lambda": 1.5}), "lambda"),
        (lambda d: d["payload"].pop("u"), "bad content"),
        (lambda d: d["payload"]["params"].update(bogus=1), "bad content"),
        (lambda d: d.update(payload=[]), "payload"),
    ],
)
def test_malformed_files_say_why(simulated, edit, match) -> None:
    X, _ = simulated
    doc = json.loads(dumps_model(FellegiSunter().fit(X.take(slice(0, 20_000)))))
    edit(doc)
    text = json.dumps(doc) if "sha256" not in doc else _resign(doc)
    with pytest.raises(ModelFormatError, match=match):
        loads_model(text)


@pytest.mark.parametrize("text", ["", "{", "[1, 2]", '{"format": "vnlink-model"}', "\x00"])
def test_not_a_model(text) -> None:
    with pytest.raises(ModelFormatError):
        loads_model(text)


def test_wrong_class_is_refused(labelled) -> None:
    X, y = labelled
    text = SupervisedLinkClassifier().fit(X, y).to_json()
    with pytest.raises(ModelFormatError, match=r"SupervisedLinkClassifier\.from_json"):
        FellegiSunter.from_json(text)


def test_saved_model_of_version_1_still_loads_and_predicts_the_same() -> None:
    """tests/classify/data/fellegi_sunter_v1.json was written by vnlink 0.1.0 (schema 1).

    Later code must keep loading it and predicting the weights stored beside it.
    Regenerate neither file: add a new one for a new schema version instead.
    """
    model = FellegiSunter.from_json(DATA / "fellegi_sunter_v1.json")
    expected = json.loads((DATA / "fellegi_sunter_v1_expected.json").read_text("utf-8"))
    levels = np.array(expected["levels"], dtype=np.int8)
    tf = np.array([[np.nan if v is None else v for v in row] for row in expected["tf"]])
    X = SimulatedVectors(levels, np.zeros(levels.shape, np.float32), tf,
                         model.comparison_names_, model.level_labels_, model.n_levels_)
    np.testing.assert_allclose(model.match_weight(X), expected["match_weight"],
                               rtol=0, atol=1e-9)
    np.testing.assert_allclose(model.predict_proba(X)[:, 1], expected["probability"],
                               rtol=0, atol=1e-12)


def test_saved_supervised_model_of_version_1_still_loads_and_predicts_the_same() -> None:
    model = SupervisedLinkClassifier.from_json(DATA / "supervised_v1.json")
    assert model.calibration_ == "sigmoid" and len(model.linear_) == 5
    expected = json.loads((DATA / "supervised_v1_expected.json").read_text("utf-8"))
    levels = np.array(expected["levels"], dtype=np.int8)
    X = SimulatedVectors(levels, np.array(expected["scores"], dtype=np.float32),
                         np.full(levels.shape, np.nan), model.comparison_names_,
                         model.level_labels_, model.n_levels_)
    np.testing.assert_allclose(model.predict_proba(X)[:, 1], expected["probability"],
                               rtol=0, atol=1e-12)

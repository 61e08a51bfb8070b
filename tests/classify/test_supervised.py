"""SupervisedLinkClassifier: features, calibration, small label sets, errors."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from vnlink.classify import FellegiSunter, SupervisedLinkClassifier, simulate_comparisons
from vnlink.exceptions import ModelFormatError, NotFittedError


@pytest.fixture(scope="module")
def data(known_model):
    train = simulate_comparisons(**{**known_model, "lambda_": 0.3}, n_pairs=400, seed=21,
                                 missing=0.1)
    test = simulate_comparisons(**known_model, n_pairs=20_000, seed=22, missing=0.1)
    return train, test


def test_learns_from_a_few_hundred_pairs(data) -> None:
    (X, y), (X_test, y_test) = data
    clf = SupervisedLinkClassifier().fit(X, y)
    assert clf.calibration_ == "none"  # fewer than min_calibration_pairs
    assert roc_auc_score(y_test, clf.predict_proba(X_test)[:, 1]) > 0.97
    fs = FellegiSunter().fit(X, y)
    assert roc_auc_score(y_test, fs.predict_proba(X_test)[:, 1]) > 0.97


def test_auto_calibration_with_enough_pairs(known_model) -> None:
    X, y = simulate_comparisons(**known_model, n_pairs=4000, seed=3, missing=0.1)
    clf = SupervisedLinkClassifier().fit(X, y)
    assert clf.calibration_ == "sigmoid"
    assert len(clf.linear_) == 5
    p = clf.predict_proba(X)[:, 1]
    # calibrated: the mean probability is close to the match rate
    assert p.mean() == pytest.approx(y.mean(), abs=0.01)


def test_features_one_hot_plus_scores(data) -> None:
    (X, y), _ = data
    clf = SupervisedLinkClassifier().fit(X, y)
    assert clf.uses_scores_
    assert clf.feature_names_[:5] == ["x0=missing", "x0=level 0", "x0=level 1", "x0=level 2",
                                      "x0=level 3"]
    assert clf.feature_names_[-4:] == ["x0:score", "x1:score", "x2:score", "x3:score"]
    no_scores = SupervisedLinkClassifier(use_scores=False).fit(X, y)
    assert not no_scores.uses_scores_ and len(no_scores.feature_names_) == 4 + 3 + 2 + 2 + 4
    # a plain level matrix: levels only; a scores model refuses a plain matrix
    plain = SupervisedLinkClassifier().fit(X.levels, y)
    assert not plain.uses_scores_
    with pytest.raises(ValueError, match="scores"):
        clf.predict(X.levels)


def test_gradient_boosting_in_memory(data) -> None:
    (X, y), (X_test, y_test) = data
    clf = SupervisedLinkClassifier(model="gradient_boosting").fit(X, y)
    assert roc_auc_score(y_test, clf.predict_proba(X_test)[:, 1]) > 0.95
    assert np.isfinite(clf.match_weight(X_test)).all()
    with pytest.raises(ModelFormatError, match="model='logistic'"):
        clf.to_json()


def test_errors(data) -> None:
    (X, y), _ = data
    with pytest.raises(NotFittedError, match="fit"):
        SupervisedLinkClassifier().predict(X)
    with pytest.raises(ValueError, match="requires y"):
        SupervisedLinkClassifier().fit(X, None)
    with pytest.raises(ValueError, match="one class"):
        SupervisedLinkClassifier().fit(X, np.ones(len(X)))
    with pytest.raises(ValueError, match="model must be"):
        SupervisedLinkClassifier(model="svm").fit(X, y)
    with pytest.raises(ValueError, match="calibration with cv=5"):
        SupervisedLinkClassifier(calibration="sigmoid").fit(X.take(slice(0, 12)), y[:12])
    clf = SupervisedLinkClassifier().fit(X.levels, y)
    with pytest.raises(ValueError, match=r"only levels 0\.\.3"):
        clf.predict(np.array([[4, 0, 0, 0]], dtype=np.int8))
    with pytest.raises(ValueError, match="whole numbers"):
        clf.predict(np.array([[0.5, 0, 0, 0]]))

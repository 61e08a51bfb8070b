"""A supervised match classifier on comparison vectors: one-hot levels plus raw scores.

When a few hundred pairs have been labelled (same person or not), a
discriminative model usually beats unsupervised Fellegi–Sunter because it
learns how the comparisons interact. :class:`SupervisedLinkClassifier`
turns each pair into features — one indicator per level of each comparison
(including "missing") and, when the vectors carry them, the raw similarity
scores — and fits a scikit-learn model with calibrated probabilities.

Model choice (and why logistic regression is the default):

- ``model="logistic"`` — ``LogisticRegression``; probabilities are
  calibrated by construction, and with enough pairs (``calibration="auto"``:
  at least ``min_calibration_pairs``) it is wrapped in a ``CalibratedClassifierCV``
  with Platt (sigmoid) scaling. Every such model is a handful of numbers
  (coefficients, intercept, sigmoid a and b per fold), so it saves to JSON
  exactly, and the saved model predicts bit-for-bit what the trained one did.
- ``model="gradient_boosting"`` — ``HistGradientBoostingClassifier`` (isotonic
  or sigmoid calibration when enough pairs). Often a little more accurate on
  large labelled sets, but its trees are not saved: ``to_json`` refuses it
  (rebuilding scikit-learn's private tree structures from JSON would break
  with scikit-learn upgrades), so keep it for in-session work.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> y = rng.random(400) < 0.3
>>> X = np.where(y[:, None], rng.random((400, 3)) < 0.85, rng.random((400, 3)) < 0.15)
>>> clf = SupervisedLinkClassifier().fit(X.astype(np.int8), y)
>>> clf.calibration_
'none'
>>> clf.predict(np.array([[1, 1, 1], [0, 0, 0]], dtype=np.int8)).tolist()
[True, False]
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any, Self

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from vnlink import plugins
from vnlink.classify._errors import EstimatorNotFittedError as VnlinkNotFittedError
from vnlink.classify._input import (
    Vectors,
    comparison_names,
    level_labels,
    read_labels,
    read_trained,
    read_vectors,
    resolve_n_levels,
)
from vnlink.exceptions import ConfigurationError, ModelFormatError

__all__ = ["SupervisedLinkClassifier"]

FloatArray = NDArray[np.float64]

_MODELS = ("logistic", "gradient_boosting")
_CALIBRATIONS = ("auto", "none", "sigmoid", "isotonic")
_CHUNK = 1 << 18


def _expit(z: FloatArray) -> FloatArray:
    out: FloatArray = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out


@plugins.register("classifier", "SupervisedLinkClassifier")
class SupervisedLinkClassifier(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """A calibrated scikit-learn classifier over comparison vectors.

    Parameters
    ----------
    model
        ``"logistic"`` (default; saves to JSON) or ``"gradient_boosting"``
        (in memory only).
    C
        Inverse regularisation strength of the logistic model.
    calibration
        ``"auto"`` (sigmoid for logistic / isotonic for gradient boosting when
        there are at least ``min_calibration_pairs`` labelled pairs and ``cv``
        of each class, else none), ``"none"``, ``"sigmoid"`` or ``"isotonic"``.
    cv
        Folds of the calibration.
    min_calibration_pairs
        Labelled pairs needed before ``"auto"`` calibrates.
    use_scores
        Add the raw similarity scores of ``ComparisonVectors`` as features.
    n_levels
        Levels per comparison for a plain level matrix (default: max + 1).
    random_state
        Seed for the calibration folds and gradient boosting.

    Attributes
    ----------
    estimator_
        The fitted scikit-learn model.
    calibration_ : str
        The calibration actually used.
    feature_names_ : list of str
        Names of the model's input features (``"name=exact"``, ``"name:score"``).
    n_levels_, comparison_names_, level_labels_, spec_, classes_, n_features_in_
        As in :class:`FellegiSunter`.
    """

    def __init__(
        self,
        *,
        model: str = "logistic",
        C: float = 1.0,
        calibration: str = "auto",
        cv: int = 5,
        min_calibration_pairs: int = 1000,
        use_scores: bool = True,
        n_levels: Sequence[int] | None = None,
        random_state: int | None = 0,
    ) -> None:
        self.model = model
        self.C = C
        self.calibration = calibration
        self.cv = cv
        self.min_calibration_pairs = min_calibration_pairs
        self.use_scores = use_scores
        self.n_levels = n_levels
        self.random_state = random_state

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.categorical = True
        tags.classifier_tags.multi_class = False
        return tags

    def _check_params(self) -> None:
        if self.model not in _MODELS:
            raise ConfigurationError(f"model must be one of {_MODELS}, got {self.model!r}")
        if self.calibration not in _CALIBRATIONS:
            raise ConfigurationError(
                f"calibration must be one of {_CALIBRATIONS}, got {self.calibration!r}"
            )
        if not isinstance(self.cv, (int, np.integer)) or self.cv < 2:
            raise ConfigurationError(f"cv must be an integer >= 2, got {self.cv}")
        if not (isinstance(self.C, (int, float)) and self.C > 0):
            raise ConfigurationError(f"C must be > 0, got {self.C}")

    # ------------------------------------------------------------- features
    def _features(self, vectors: Vectors, start: int = 0, stop: int | None = None) -> FloatArray:
        levels = vectors.levels[start:stop]
        n = levels.shape[0]
        width = sum(n + 1 for n in self.n_levels_) + (len(self.n_levels_) if self.uses_scores_
                                                      else 0)
        out = np.zeros((n, width))
        rows = np.arange(n)
        offset = 0
        for j, n_j in enumerate(self.n_levels_):
            out[rows, offset + levels[:, j].astype(np.intp) + 1] = 1.0
            offset += n_j + 1
        if self.uses_scores_:
            if vectors.scores is None:
                raise ConfigurationError(
                    "this model was trained with similarity scores; pass ComparisonVectors "
                    "(with scores), not a plain level matrix"
                )
            scores = np.asarray(vectors.scores[start:stop], dtype=np.float64)
            scores = np.where(np.isfinite(scores) & (levels >= 0), scores, 0.0)
            out[:, offset:] = scores
        return out

    def _feature_names(self) -> list[str]:
        names = []
        for j, name in enumerate(self.comparison_names_):
            names.append(f"{name}=missing")
            names += [f"{name}={label}" for label in self.level_labels_[j]]
        if self.uses_scores_:
            names += [f"{name}:score" for name in self.comparison_names_]
        return names

    # ------------------------------------------------------------------ fit
    def fit(self, X: Any, y: ArrayLike | None = None) -> Self:
        """Fit on labelled pairs (``y``: the larger of two labels = match)."""
        self._check_params()
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None; "
                "for unlabelled pairs use FellegiSunter"
            )
        labels, classes = read_labels(y)
        vectors = read_vectors(self, X, reset=True)
        levels = vectors.levels
        if labels.shape[0] != levels.shape[0]:
            raise ConfigurationError(
                f"X has {levels.shape[0]} pairs but y has {labels.shape[0]} labels"
            )
        k = levels.shape[1]
        self.n_levels_ = resolve_n_levels(vectors, self.n_levels, k)
        self.comparison_names_ = comparison_names(vectors, k)
        self.level_labels_ = level_labels(vectors, self.n_levels_)
        self.spec_ = vectors.spec
        self.uses_scores_ = bool(self.use_scores and vectors.scores is not None)
        self.classes_ = classes
        target = (labels == classes[1]).astype(np.int64)
        features = self._features(vectors)
        smallest = int(min(target.sum(), target.shape[0] - target.sum()))
        calibration = self.calibration
        if calibration == "auto":
            enough = (target.shape[0] >= self.min_calibration_pairs and smallest >= 2 * self.cv)
            calibration = ("sigmoid" if self.model == "logistic" else "isotonic") if enough \
                else "none"
        elif calibration != "none" and smallest < self.cv:
            raise ConfigurationError(
                f"calibration with cv={self.cv} needs at least {self.cv} pairs of each class, "
                f"got {smallest}; label more pairs or use calibration='none'"
            )
        base = self._base_estimator()
        if calibration == "none":
            estimator = base.fit(features, target)
        else:
            from sklearn.calibration import CalibratedClassifierCV
            from sklearn.model_selection import StratifiedKFold

            folds = StratifiedKFold(n_splits=int(self.cv), shuffle=True,
                                    random_state=self.random_state)
            estimator = CalibratedClassifierCV(base, method=calibration, cv=folds)
            estimator.fit(features, target)
        self.estimator_ = estimator
        self.calibration_ = calibration
        self.feature_names_ = self._feature_names()
        self.linear_ = self._extract_linear(estimator, calibration)
        self.training_ = {"n_pairs": int(target.shape[0]), "n_matches": int(target.sum()),
                          "calibration": calibration, "model": self.model}
        return self

    def _base_estimator(self) -> Any:
        if self.model == "logistic":
            from sklearn.linear_model import LogisticRegression

            return LogisticRegression(C=float(self.C), max_iter=1000)
        from sklearn.ensemble import HistGradientBoostingClassifier

        return HistGradientBoostingClassifier(random_state=self.random_state)

    @staticmethod
    def _extract_linear(estimator: Any, calibration: str) -> list[dict[str, Any]] | None:
        """Coefficients, intercept and sigmoid (a, b) per member: p = expit(-(a*d + b))."""
        if calibration == "none":
            if not hasattr(estimator, "coef_"):
                return None
            return [{"coef": np.asarray(estimator.coef_[0], dtype=np.float64),
                     "intercept": float(estimator.intercept_[0]), "a": -1.0, "b": 0.0}]
        if calibration != "sigmoid":
            return None
        members = []
        for member in estimator.calibrated_classifiers_:
            inner = member.estimator
            if not hasattr(inner, "coef_"):
                return None
            cal = member.calibrators[0]
            members.append({"coef": np.asarray(inner.coef_[0], dtype=np.float64),
                            "intercept": float(inner.intercept_[0]),
                            "a": float(cal.a_), "b": float(cal.b_)})
        return members

    # -------------------------------------------------------------- predict
    def _check_fitted(self) -> None:
        try:
            check_is_fitted(self, ["n_levels_", "classes_"])
        except Exception as error:
            raise VnlinkNotFittedError(
                f"this {type(self).__name__} is not fitted yet: call fit(X, y) first "
                "(or load a trained model with from_json)"
            ) from error

    def _match_probability(self, X: Any) -> FloatArray:
        self._check_fitted()
        vectors = read_trained(self, X, self.n_levels_)
        n = vectors.levels.shape[0]
        out = np.empty(n)
        for start in range(0, n, _CHUNK):
            stop = min(start + _CHUNK, n)
            features = self._features(vectors, start, stop)
            if self.linear_ is not None:
                acc = np.zeros(stop - start)
                for member in self.linear_:
                    d = features @ member["coef"] + member["intercept"]
                    acc += _expit(-(member["a"] * d + member["b"]))
                out[start:stop] = acc / len(self.linear_)
            else:
                out[start:stop] = self.estimator_.predict_proba(features)[:, 1]
        return out

    def predict_proba(self, X: Any) -> FloatArray:
        """``(n, 2)`` probabilities of [non-match, match] per pair."""
        p = self._match_probability(X)
        return np.column_stack([1.0 - p, p])

    def predict(self, X: Any) -> NDArray[Any]:
        """The class of each pair (``classes_[1]`` = match when its probability > 0.5)."""
        p = self._match_probability(X)
        out: NDArray[Any] = self.classes_[(p > 0.5).astype(np.intp)]
        return out

    def match_weight(self, X: Any) -> FloatArray:
        """The log2 odds of a match (comparable to :meth:`FellegiSunter.match_weight`)."""
        p = np.clip(self._match_probability(X), 1e-300, 1.0)
        q = np.clip(1.0 - p, 1e-300, 1.0)
        out: FloatArray = np.log2(p) - np.log2(q)
        return out

    # -------------------------------------------------------------- persist
    def to_json(self, path: str | os.PathLike[str] | None = None) -> str:
        """Save the trained model as JSON at ``path``; returns the JSON text.

        Only logistic models (uncalibrated or sigmoid-calibrated) can be saved.
        """
        from vnlink.classify._persist import write_model_json

        return write_model_json(self, path)

    @classmethod
    def from_json(cls, source: str | os.PathLike[str]) -> SupervisedLinkClassifier:
        """Load a model saved by :meth:`to_json` (a path, or the JSON text)."""
        from vnlink.classify.io import load_model

        model: SupervisedLinkClassifier = load_model(source, expected_class=cls.__name__)
        return model

    def to_dict(self) -> dict[str, Any]:
        """The fitted model as JSON-ready data (the ``payload`` of its model file).

        :meth:`from_dict` rebuilds it; :meth:`to_json` wraps it with the format,
        version and checksum.
        """
        self._check_fitted()
        if self.linear_ is None:
            raise ModelFormatError(
                f"a {self.model} model with {self.calibration_} calibration cannot be saved "
                "to JSON; use model='logistic' with calibration 'auto', 'none' or 'sigmoid'"
            )
        params = {
            "model": self.model,
            "C": float(self.C),
            "calibration": self.calibration,
            "cv": int(self.cv),
            "min_calibration_pairs": int(self.min_calibration_pairs),
            "use_scores": bool(self.use_scores),
            "n_levels": None if self.n_levels is None else [int(v) for v in self.n_levels],
            "random_state": None if self.random_state is None else int(self.random_state),
        }
        from vnlink.classify._persist import model_payload

        return model_payload(self, params, {
            "uses_scores": self.uses_scores_,
            "calibration": self.calibration_,
            "members": [
                {"coef": m["coef"].tolist(), "intercept": m["intercept"], "a": m["a"],
                 "b": m["b"]}
                for m in self.linear_
            ],
        })

    @classmethod
    def from_dict(cls, payload: Mapping[str, Any]) -> SupervisedLinkClassifier:
        """Rebuild a fitted model from :meth:`to_dict` output.

        Raises
        ------
        ModelFormatError
            The data is inconsistent (shapes, probabilities, names).
        """
        model = cls(**payload["params"])
        comparisons = payload["comparisons"]
        model.n_levels_ = [int(n) for n in comparisons["n_levels"]]
        k = len(model.n_levels_)
        model.comparison_names_ = [str(s) for s in comparisons["names"]]
        model.level_labels_ = [tuple(str(s) for s in t) for t in comparisons["level_labels"]]
        model.spec_ = comparisons.get("spec")
        model.uses_scores_ = bool(payload["uses_scores"])
        model.calibration_ = str(payload["calibration"])
        width = sum(n + 1 for n in model.n_levels_) + (k if model.uses_scores_ else 0)
        members = []
        for m in payload["members"]:
            coef = np.asarray(m["coef"], dtype=np.float64)
            if coef.shape != (width,) or not np.all(np.isfinite(coef)):
                raise ModelFormatError("the model file's coefficients do not match its features")
            members.append({"coef": coef, "intercept": float(m["intercept"]),
                            "a": float(m["a"]), "b": float(m["b"])})
        if not members:
            raise ModelFormatError("the model file has no fitted model")
        model.linear_ = members
        model.estimator_ = None
        model.classes_ = np.asarray(payload["classes"])
        model.n_features_in_ = int(payload["n_features_in"])
        if model.n_features_in_ != k or model.classes_.shape != (2,) or \
                len(model.comparison_names_) != k or len(model.level_labels_) != k:
            raise ModelFormatError("the model file's comparisons, classes or features disagree")
        if "feature_names_in" in payload:
            model.feature_names_in_ = np.asarray(payload["feature_names_in"], dtype=object)
        model.feature_names_ = model._feature_names()
        model.training_ = dict(payload.get("training", {}))
        return model

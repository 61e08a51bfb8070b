"""Read what the classifiers accept: a ComparisonVectors or a plain integer level matrix."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.utils.validation import validate_data

from vnlink.exceptions import ConfigurationError

MAX_LEVEL = 127


@dataclass
class Vectors:
    """The parts of the classifier input that the classifiers use."""

    levels: NDArray[np.int8]
    scores: NDArray[np.float32] | None
    tf: NDArray[np.float64] | None
    names: list[str] | None
    level_labels: list[tuple[str, ...]] | None
    n_levels: list[int] | None
    spec: list[dict[str, Any]] | None


def is_comparison_vectors(X: Any) -> bool:
    """Whether ``X`` looks like a ``ComparisonVectors`` (duck-typed on ``levels``)."""
    return hasattr(X, "levels") and not isinstance(X, np.ndarray)


def read_vectors(estimator: Any, X: Any, *, reset: bool) -> Vectors:
    """Validate ``X`` the scikit-learn way and return its levels (int8) and extras."""
    if is_comparison_vectors(X):
        raw = np.asarray(X.levels)
        levels = _as_levels(validate_data(estimator, raw, reset=reset, dtype="numeric"))
        n = levels.shape[0]
        scores = getattr(X, "scores", None)
        tf = getattr(X, "tf", None)
        names = getattr(X, "names", None)
        labels = getattr(X, "level_labels", None)
        n_levels = getattr(X, "n_levels", None)
        spec = getattr(X, "spec", None)
        return Vectors(
            levels=levels,
            scores=None if scores is None else _shaped(scores, np.float32, n, levels, "scores"),
            tf=None if tf is None else _shaped(tf, np.float64, n, levels, "tf"),
            names=None if names is None else [str(s) for s in names],
            level_labels=None if labels is None else [tuple(map(str, t)) for t in labels],
            n_levels=None if n_levels is None else [int(v) for v in n_levels],
            spec=None if spec is None else [dict(d) for d in spec],
        )
    checked = validate_data(estimator, X, reset=reset, dtype="numeric")
    return Vectors(_as_levels(checked), None, None, None, None, None, None)


def _shaped(
    values: Any, dtype: type[np.generic], n: int, levels: NDArray[np.int8], what: str
) -> NDArray[Any]:
    array = np.asarray(values, dtype=dtype)
    if array.shape != levels.shape:
        raise ConfigurationError(
            f"ComparisonVectors.{what} has shape {array.shape} but levels has shape "
            f"{levels.shape}; pass vectors made by ComparisonSet.compute"
        )
    return array


def _as_levels(X: NDArray[Any]) -> NDArray[np.int8]:
    if X.dtype.kind == "f" and X.size and not np.all(np.floor(X) == X):
        raise ConfigurationError(
            "comparison levels must be whole numbers (-1 = missing, 0 = else, higher = closer); "
            "pass the level matrix of ComparisonVectors, not similarity scores"
        )
    if X.size and (X.min() < -1 or X.max() > MAX_LEVEL):
        raise ConfigurationError(
            f"comparison levels must lie in -1..{MAX_LEVEL} (-1 = missing); "
            f"got values from {X.min()} to {X.max()}"
        )
    return np.ascontiguousarray(X, dtype=np.int8)


def resolve_n_levels(
    vectors: Vectors, param: Sequence[int] | None, k: int
) -> list[int]:
    """The number of levels per comparison: from the vectors, the parameter, or the data."""
    if vectors.n_levels is not None:
        n_levels = list(vectors.n_levels)
    elif param is not None:
        n_levels = [int(v) for v in param]
    else:
        top = vectors.levels.max(axis=0, initial=0) if vectors.levels.size else np.zeros(k)
        n_levels = [max(int(t) + 1, 1) for t in np.broadcast_to(top, (k,))]
    if len(n_levels) != k:
        raise ConfigurationError(
            f"n_levels has {len(n_levels)} entries but X has {k} comparisons; "
            "give one level count per column"
        )
    if any(n < 1 for n in n_levels):
        raise ConfigurationError("every comparison needs at least one level; check n_levels")
    check_levels_in_range(vectors.levels, n_levels)
    return n_levels


def check_levels_in_range(levels: NDArray[np.int8], n_levels: Sequence[int]) -> None:
    """Raise when a level is beyond the levels the model knows."""
    if not levels.size or int(levels.max()) < min(n_levels):
        return  # one contiguous pass settles the usual case
    top = levels.max(axis=0)
    for j, (t, n) in enumerate(zip(top.tolist(), n_levels, strict=True)):
        if t >= n:
            raise ConfigurationError(
                f"comparison {j} has level {t} but the model knows only levels 0..{n - 1}; "
                "use the comparisons the model was trained with (or pass n_levels)"
            )


def read_trained(estimator: Any, X: Any, n_levels: Sequence[int]) -> Vectors:
    """Read ``X`` for a fitted model whose comparisons have ``n_levels`` levels."""
    vectors = read_vectors(estimator, X, reset=False)
    if vectors.n_levels is not None and list(vectors.n_levels) != list(n_levels):
        raise ConfigurationError(
            f"X has {vectors.n_levels} levels per comparison but the model was trained with "
            f"{n_levels}; use the comparisons the model was trained with"
        )
    check_levels_in_range(vectors.levels, n_levels)
    return vectors


def comparison_names(vectors: Vectors, k: int) -> list[str]:
    """Names of the comparisons: from the vectors, else ``x0, x1, ...``."""
    if vectors.names is not None and len(vectors.names) == k:
        return list(vectors.names)
    return [f"x{j}" for j in range(k)]


def level_labels(vectors: Vectors, n_levels: Sequence[int]) -> list[tuple[str, ...]]:
    """Labels of each level: from the vectors, else ``level 0``, ``level 1``, ..."""
    if vectors.level_labels is not None and len(vectors.level_labels) == len(n_levels):
        return [tuple(t) for t in vectors.level_labels]
    return [tuple(f"level {i}" for i in range(n)) for n in n_levels]


def read_labels(y: Any) -> tuple[NDArray[Any], NDArray[Any]]:
    """Validate binary labels; returns ``(labels, classes)`` (``classes[1]`` = match)."""
    from sklearn.utils.multiclass import check_classification_targets
    from sklearn.utils.validation import column_or_1d

    labels = column_or_1d(y, warn=True)
    if labels.dtype.kind in "fc" and not np.all(np.isfinite(labels)):
        raise ConfigurationError("Input y contains NaN or infinity: give every pair a label")
    check_classification_targets(labels)
    classes = np.unique(labels)
    if classes.shape[0] > 2:
        raise ConfigurationError(
            f"Only binary classification is supported. y has {classes.shape[0]} classes; "
            "label each pair as match or non-match"
        )
    if classes.shape[0] < 2:
        raise ConfigurationError(
            "y has only one class: label both matching and non-matching pairs "
            "(or fit FellegiSunter without labels)"
        )
    return labels, classes

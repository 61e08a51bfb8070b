"""The Fellegi–Sunter match model: m and u per comparison level, a prior, EM or labels.

For each comparison ``j`` and level ``l``:

- ``m[j][l]`` = P(level l | the pair is the same person),
- ``u[j][l]`` = P(level l | the pair is two different people),
- ``λ`` (``lambda_``) = P(a candidate pair is a match).

The match weight of a pair is ``log2(λ / (1 - λ)) + Σ_j log2(m[j][l_j] / u[j][l_j])``
in bits; a missing level (``-1``) adds nothing. With term-frequency
adjustment, an agreeing level on a value of relative frequency ``tf`` weighs
``log2(m / tf)`` instead of ``log2(m / u)`` (a match on a rare name is
stronger evidence than a match on "Nguyễn Văn Anh").

Training, as in Splink:

1. ``u`` from random pairs of the two tables (:func:`estimate_u`): almost all
   random pairs are non-matches.
2. ``λ`` from a deterministic rule with an assumed recall
   (:func:`estimate_prior`), or left to EM.
3. ``m`` by EM on the candidate pairs, run on the counts of distinct level
   patterns (fast on tens of millions of pairs), u kept fixed.

With labelled pairs, ``fit(X, y)`` counts m and u directly.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> match = rng.random(20_000) < 0.1
>>> X = np.where(match[:, None], rng.random((20_000, 3)) < 0.9,
...              rng.random((20_000, 3)) < 0.1).astype(np.int8)
>>> model = FellegiSunter().fit(X)
>>> model.converged_, round(model.lambda_, 2)
(True, 0.1)
>>> [round(float(m[1]), 1) for m in model.m_]
[0.9, 0.9, 0.9]
>>> model.predict(np.array([[1, 1, 1], [0, 0, 1]], dtype=np.int8)).tolist()
[1, 0]
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Self

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.validation import check_is_fitted

from vnlink import plugins
from vnlink.classify._display import render
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
from vnlink.classify.em import level_totals, pattern_counts, run_em
from vnlink.classify.explain import Explanation, probability_from_weight
from vnlink.exceptions import ConfigurationError, ModelFormatError
from vnlink.table import Table

__all__ = [
    "ClassifierWarning",
    "EMCollapseWarning",
    "EMConvergenceWarning",
    "FellegiSunter",
    "ParameterTable",
    "estimate_prior",
    "estimate_u",
    "u_from_vectors",
]

FloatArray = NDArray[np.float64]

_PROB_FLOOR = 1e-12
_COLLAPSE = 1e-6


class ClassifierWarning(UserWarning):
    """Base of the warnings of :mod:`vnlink.classify` (filter them with this class)."""


class EMCollapseWarning(ClassifierWarning):
    """EM ended with (almost) every pair, or no pair, a match: the model is not usable."""


class EMConvergenceWarning(ClassifierWarning, ConvergenceWarning):  # type: ignore[misc]
    """EM stopped at ``max_iter`` before its parameters settled (also sklearn's warning)."""


class ParameterTable(Table):
    """m, u and the match weight of every level, one row per (comparison, level)."""

    def __repr__(self) -> str:
        return render(self.columns, self.n_rows, title="ParameterTable", limit=60)


def _normalise(counts: FloatArray) -> FloatArray:
    total = counts.sum()
    p = counts / total if total > 0 else np.full(counts.shape[0], 1.0 / counts.shape[0])
    p = np.maximum(p, _PROB_FLOOR)
    out: FloatArray = p / p.sum()
    return out


def _probabilities(values: Any, n: int, what: str) -> FloatArray:
    p = np.asarray(values, dtype=np.float64).ravel()
    if p.shape[0] != n:
        raise ConfigurationError(
            f"{what} has {p.shape[0]} values but the comparison has {n} levels"
        )
    if not np.all(np.isfinite(p)) or np.any(p < 0) or p.sum() <= 0:
        raise ConfigurationError(f"{what} must be non-negative probabilities, one per level")
    return _normalise(p)


def _level_counts(
    levels: NDArray[np.int8], n_levels: Sequence[int], smoothing: float
) -> list[FloatArray]:
    return [_normalise(t + float(smoothing)) for t in level_totals(levels, n_levels)]


def _pattern_marginals(
    patterns: NDArray[np.int8], counts: NDArray[np.int64], n_levels: Sequence[int]
) -> list[FloatArray]:
    """Level frequencies of each comparison from the pattern counts (+1 smoothing)."""
    totals = level_totals(patterns, n_levels, counts.astype(np.float64))
    return [_normalise(t + 1.0) for t in totals]


def u_from_vectors(X: Any, *, n_levels: Sequence[int] | None = None,
                   smoothing: float = 1.0) -> list[FloatArray]:
    """u probabilities from comparison vectors of (random, so almost all non-matching) pairs.

    >>> import numpy as np
    >>> [u.round(3).tolist() for u in u_from_vectors(np.array([[0], [0], [0], [1]]),
    ...                                               smoothing=0)]
    [[0.75, 0.25]]
    """
    levels = np.asarray(X.levels if hasattr(X, "levels") else X)
    if levels.ndim != 2:
        raise ConfigurationError("pass a ComparisonVectors or a 2-D level matrix")
    levels = levels.astype(np.int8)
    if n_levels is None:
        n_levels = getattr(X, "n_levels", None)
    if n_levels is None:
        n_levels = [max(int(t) + 1, 1) for t in levels.max(axis=0, initial=0)]
    return _level_counts(levels, [int(n) for n in n_levels], smoothing)


def estimate_u(
    comparisons: Any,
    left: Any,
    right: Any = None,
    *,
    n_pairs: int = 1_000_000,
    seed: int = 0,
    smoothing: float = 1.0,
    chunk_size: int = 1_000_000,
) -> list[FloatArray]:
    """Estimate u by comparing uniformly random pairs of records.

    Parameters
    ----------
    comparisons
        An object with ``compute(pairs, left, right) -> ComparisonVectors``
        (a ``ComparisonSet``); ``pairs`` is passed as ``(left_idx, right_idx)``.
    left, right
        The prepared tables (anything with ``len``); ``right=None`` samples
        pairs within ``left`` (deduplication, ``i < j``).
    n_pairs
        How many random pairs to compare (more gives smaller u for rare levels).
    seed
        Seed of the random generator (same seed, same pairs).
    smoothing
        Pseudo-count added to every level.
    chunk_size
        Pairs compared at a time (bounds memory).

    Returns
    -------
    list of ndarray
        One array of u probabilities per comparison; pass it as ``FellegiSunter(u=...)``.
    """
    if n_pairs < 1:
        raise ConfigurationError("n_pairs must be at least 1")
    n_left = len(left)
    n_right = len(right) if right is not None else n_left
    if n_left < 1 or n_right < 1 or (right is None and n_left < 2):
        raise ConfigurationError("the tables are too small to sample pairs from")
    rng = np.random.default_rng(seed)
    totals: list[FloatArray] | None = None
    n_levels: list[int] | None = None
    done = 0
    while done < n_pairs:
        size = min(chunk_size, n_pairs - done)
        li = rng.integers(0, n_left, size=size, dtype=np.int64)
        if right is None:
            ri = rng.integers(0, n_left - 1, size=size, dtype=np.int64)
            ri = ri + (ri >= li)  # uniform over j != i
            li, ri = np.minimum(li, ri), np.maximum(li, ri)
        else:
            ri = rng.integers(0, n_right, size=size, dtype=np.int64)
        vectors = comparisons.compute((li, ri), left, right if right is not None else left)
        levels = np.asarray(vectors.levels).astype(np.int8)
        if n_levels is None:
            given = getattr(vectors, "n_levels", None)
            n_levels = (
                [int(n) for n in given] if given is not None
                else [max(int(t) + 1, 1) for t in levels.max(axis=0, initial=0)]
            )
        chunk = level_totals(levels, n_levels)
        totals = chunk if totals is None else [a + b for a, b in zip(totals, chunk, strict=True)]
        done += size
    assert totals is not None
    return [_normalise(t + float(smoothing)) for t in totals]


def estimate_prior(
    X: Any,
    rule: Mapping[str | int, int],
    *,
    recall: float = 1.0,
    n_comparisons: int | None = None,
) -> float:
    """λ from a deterministic rule: the share of pairs it calls matches, divided by its recall.

    Parameters
    ----------
    X
        Comparison vectors (or a level matrix) of the candidate pairs.
    rule
        Comparison (name or column index) -> the lowest level that counts as
        agreement; a pair satisfies the rule when all of them agree.
    recall
        The share of true matches you believe the rule finds (0 < recall <= 1).
    n_comparisons
        The number of pairs λ refers to; by default the rows of ``X`` (so λ
        is the match rate among candidate pairs, which is what the model scores).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[2, 1], [2, 0], [0, 1], [0, 0]] * 25, dtype=np.int8)
    >>> estimate_prior(X, {0: 2, 1: 1}, recall=0.5)
    0.5
    """
    levels = np.asarray(X.levels if hasattr(X, "levels") else X)
    names = list(getattr(X, "names", None) or [])
    if not 0.0 < float(recall) <= 1.0:
        raise ConfigurationError(f"recall must be in (0, 1], got {recall}")
    if not rule:
        raise ConfigurationError("rule is empty: name at least one comparison and its level")
    mask = np.ones(levels.shape[0], dtype=bool)
    for key, level in rule.items():
        j = _column_index(key, names, levels.shape[1])
        mask &= levels[:, j] >= int(level)
    total = levels.shape[0] if n_comparisons is None else int(n_comparisons)
    if total < 1:
        raise ConfigurationError("there are no pairs to estimate the prior from")
    prior = float(mask.sum()) / float(recall) / total
    if not 0.0 < prior < 1.0:
        raise ConfigurationError(
            f"the rule gives a prior of {prior:.4g}, outside (0, 1); use a stricter rule, a "
            "higher recall, or a larger n_comparisons"
        )
    return prior


def _column_index(key: str | int, names: Sequence[str], k: int) -> int:
    if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
        if not 0 <= int(key) < k:
            raise ConfigurationError(f"comparison index {key} is out of range 0..{k - 1}")
        return int(key)
    if isinstance(key, str) and key in names:
        return names.index(key)
    raise ConfigurationError(
        f"unknown comparison {key!r}; use a column index or one of: {', '.join(names) or '-'}"
    )


def _default_m(n: int) -> FloatArray:
    # matches mostly agree: weights 4**level, top level ~0.75
    return _normalise(np.power(4.0, np.arange(n, dtype=np.float64)))


@plugins.register("classifier", "FellegiSunter")
class FellegiSunter(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Fellegi–Sunter record-linkage model (scikit-learn estimator).

    Parameters
    ----------
    n_levels
        Levels per comparison when ``X`` is a plain level matrix (by default
        the largest level seen + 1); ``ComparisonVectors`` carry their own.
    prior
        Fixed λ (e.g. from :func:`estimate_prior`); ``None`` lets EM (or the
        labels) estimate it.
    u
        u probabilities, one array per comparison (e.g. from
        :func:`estimate_u`): EM starts from them, and keeps them when
        ``fix_u`` is true. ``None``: EM starts from the level frequencies.
    fix_u
        Keep ``u`` fixed during EM (Splink's default). Off by default: u from
        random pairs describes *all* pairs, but candidate pairs that passed
        blocking agree more often on the blocked fields, and with u fixed EM
        explains that extra agreement by calling too many pairs matches.
        With labels, a given ``u`` is always kept.
    fixed_m
        Comparison (name or index) -> m probabilities kept fixed.
    smoothing
        Pseudo-count added to every level when m and u are estimated, so no
        probability is 0 (no ``log(0)``).
    tol
        EM stops when no parameter moves more than this.
    max_iter
        EM iteration cap.
    tf_adjustment
        Apply term-frequency adjustment where ``X.tf`` has values: ``True``
        (all comparisons), ``False``, or a list of comparison names.
    tf_floor
        Lowest term frequency used, so a value seen once in a huge registry
        does not give an unbounded weight.

    Attributes
    ----------
    m_, u_ : list of ndarray
        m and u probabilities per level of each comparison.
    lambda_ : float
        The prior match probability of a candidate pair.
    n_iter_ : int
        EM iterations run (0 when trained from labels).
    converged_ : bool
        Whether EM converged (True when trained from labels).
    log_likelihood_ : float
        The final log-likelihood (nats) of the EM fit; NaN with labels.
    n_levels_ : list of int
    comparison_names_ : list of str
    level_labels_ : list of tuple of str
    spec_ : list of dict or None
        The comparison spec of the training vectors (``to_dict()`` of each comparison).
    classes_ : ndarray
        ``[0, 1]`` without labels, else the two label values (the second = match).
    training_ : dict
        How the model was trained (method, pairs, distinct patterns, ...).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[2, 1], [2, 1], [0, 0], [1, 0]] * 10, dtype=np.int8)
    >>> y = np.array([1, 1, 0, 0] * 10)
    >>> model = FellegiSunter().fit(X, y)
    >>> model.predict_proba(X[:2]).round(3).tolist()
    [[0.002, 0.998], [0.002, 0.998]]
    >>> print(model.explain(X[:1]).to_text(0))
    pair 0: match weight +8.78 (probability 0.9977)
      prior                +0.00
      x0     level 2       +4.39
      x1     level 1       +4.39
      total                +8.78
    """

    def __init__(
        self,
        *,
        n_levels: Sequence[int] | None = None,
        prior: float | None = None,
        u: Sequence[ArrayLike] | None = None,
        fix_u: bool = False,
        fixed_m: Mapping[str | int, ArrayLike] | None = None,
        smoothing: float = 1.0,
        tol: float = 1e-6,
        max_iter: int = 500,
        tf_adjustment: bool | Sequence[str] = True,
        tf_floor: float = 1e-6,
    ) -> None:
        self.n_levels = n_levels
        self.prior = prior
        self.u = u
        self.fix_u = fix_u
        self.fixed_m = fixed_m
        self.smoothing = smoothing
        self.tol = tol
        self.max_iter = max_iter
        self.tf_adjustment = tf_adjustment
        self.tf_floor = tf_floor

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.categorical = True
        tags.classifier_tags.multi_class = False
        return tags

    # ------------------------------------------------------------------ fit
    def _check_params(self) -> None:
        if self.prior is not None and not 0.0 < float(self.prior) < 1.0:
            raise ConfigurationError(f"prior must be in (0, 1) or None, got {self.prior}")
        if not (isinstance(self.smoothing, (int, float)) and self.smoothing >= 0):
            raise ConfigurationError(f"smoothing must be a number >= 0, got {self.smoothing}")
        if not (isinstance(self.tol, (int, float)) and self.tol > 0):
            raise ConfigurationError(f"tol must be > 0, got {self.tol}")
        if not isinstance(self.max_iter, (int, np.integer)) or self.max_iter < 1:
            raise ConfigurationError(f"max_iter must be an integer >= 1, got {self.max_iter}")
        if not (isinstance(self.tf_floor, (int, float)) and 0 < self.tf_floor <= 1):
            raise ConfigurationError(f"tf_floor must be in (0, 1], got {self.tf_floor}")

    def fit(self, X: Any, y: ArrayLike | None = None) -> Self:
        """Estimate m, u and λ: by EM without ``y``, by counting with ``y``.

        Parameters
        ----------
        X
            ``ComparisonVectors`` or an integer level matrix ``(n_pairs, k)``.
        y
            Optional labels, one per pair (the larger of two labels = match).

        Returns
        -------
        self
        """
        self._check_params()
        labelled = None if y is None else read_labels(y)
        vectors = read_vectors(self, X, reset=True)
        levels = vectors.levels
        k = levels.shape[1]
        n_levels = resolve_n_levels(vectors, self.n_levels, k)
        names = comparison_names(vectors, k)
        fixed_u = self._fixed_u(n_levels)
        fixed_m = self._fixed_m(n_levels, names)
        if labelled is None:
            self._fit_em(levels, n_levels, fixed_u, fixed_m)
        else:
            self._fit_labels(levels, *labelled, n_levels, fixed_u, fixed_m)
        self.n_levels_ = n_levels
        self.comparison_names_ = names
        self.level_labels_ = level_labels(vectors, n_levels)
        self.spec_ = vectors.spec
        return self

    def _fixed_u(self, n_levels: list[int]) -> list[FloatArray] | None:
        if self.u is None:
            return None
        u = list(self.u)
        if len(u) != len(n_levels):
            raise ConfigurationError(
                f"u has {len(u)} arrays but X has {len(n_levels)} comparisons; "
                "estimate u with the same comparisons"
            )
        return [_probabilities(a, n, f"u[{j}]") for j, (a, n) in enumerate(zip(u, n_levels,
                                                                                strict=True))]

    def _fixed_m(self, n_levels: list[int], names: list[str]) -> dict[int, FloatArray]:
        out: dict[int, FloatArray] = {}
        for key, values in (self.fixed_m or {}).items():
            j = _column_index(key, names, len(n_levels))
            out[j] = _probabilities(values, n_levels[j], f"fixed_m[{key!r}]")
        return out

    def _fit_em(
        self,
        levels: NDArray[np.int8],
        n_levels: list[int],
        fixed_u: list[FloatArray] | None,
        fixed_m: dict[int, FloatArray],
    ) -> None:
        k = len(n_levels)
        patterns, counts = pattern_counts(levels, n_levels)
        given_u = fixed_u
        fixed_u = given_u if self.fix_u else None
        u0 = given_u if given_u is not None else _pattern_marginals(patterns, counts, n_levels)
        m0 = [fixed_m.get(j, _default_m(n)) for j, n in enumerate(n_levels)]
        lam0 = float(self.prior) if self.prior is not None else 0.1
        result = run_em(
            patterns,
            counts,
            n_levels,
            m=m0,
            u=u0,
            lambda_=lam0,
            fix_m=[j in fixed_m for j in range(k)],
            fix_u=[fixed_u is not None] * k,
            fix_lambda=self.prior is not None,
            smoothing=float(self.smoothing),
            tol=float(self.tol),
            max_iter=int(self.max_iter),
        )
        m = [_normalise(a) for a in result.m]
        u = [_normalise(a) for a in result.u]
        lam = result.lambda_
        swapped = False
        if given_u is None and not fixed_m and self.prior is None:
            # EM is symmetric in the two classes: make "match" the class that agrees more
            evidence = sum(float(np.log(m[j][-1]) - np.log(u[j][-1])) for j in range(k))
            if evidence < 0:
                m, u, lam, swapped = u, m, 1.0 - lam, True
        n = int(levels.shape[0])
        expected = result.expected_matches if not swapped else n - result.expected_matches
        if lam < _COLLAPSE or lam > 1 - _COLLAPSE or expected < 1.0 or n - expected < 1.0:
            warnings.warn(
                f"EM collapsed: it estimates that {expected:.1f} of {n} pairs match "
                f"(lambda={lam:.3g}), so it cannot tell matches from non-matches. Fix u with "
                "estimate_u, fix the prior with estimate_prior, or check that the candidate "
                "pairs contain matches",
                EMCollapseWarning,
                stacklevel=3,
            )
        if not result.converged:
            warnings.warn(
                f"EM did not converge in max_iter={self.max_iter} iterations (tol={self.tol}); "
                "raise max_iter or tol",
                EMConvergenceWarning,
                stacklevel=3,
            )
        self.m_ = m
        self.u_ = u
        self.lambda_ = float(min(max(lam, _PROB_FLOOR), 1 - _PROB_FLOOR))
        self.n_iter_ = int(result.n_iter)
        self.converged_ = bool(result.converged)
        self.log_likelihood_ = float(result.log_likelihood)
        self.classes_ = np.array([0, 1])
        self.training_ = {
            "method": "em",
            "n_pairs": n,
            "n_patterns": int(patterns.shape[0]),
            "expected_matches": float(expected),
            "u_given": given_u is not None,
            "fixed_u": fixed_u is not None,
            "fixed_m": sorted(fixed_m),
            "fixed_prior": self.prior is not None,
        }

    def _fit_labels(
        self,
        levels: NDArray[np.int8],
        labels: NDArray[Any],
        classes: NDArray[Any],
        n_levels: list[int],
        fixed_u: list[FloatArray] | None,
        fixed_m: dict[int, FloatArray],
    ) -> None:
        if labels.shape[0] != levels.shape[0]:
            raise ConfigurationError(
                f"X has {levels.shape[0]} pairs but y has {labels.shape[0]} labels"
            )
        is_match = labels == classes[1]
        m = _level_counts(levels[is_match], n_levels, float(self.smoothing))
        u = _level_counts(levels[~is_match], n_levels, float(self.smoothing))
        m = [fixed_m.get(j, m[j]) for j in range(len(n_levels))]
        if fixed_u is not None:
            u = fixed_u
        lam = float(self.prior) if self.prior is not None else float(is_match.mean())
        self.m_ = m
        self.u_ = u
        self.lambda_ = lam
        self.n_iter_ = 0
        self.converged_ = True
        self.log_likelihood_ = float("nan")
        self.classes_ = classes
        self.training_ = {
            "method": "labels",
            "n_pairs": int(levels.shape[0]),
            "n_matches": int(is_match.sum()),
            "fixed_u": fixed_u is not None,
            "fixed_m": sorted(fixed_m),
            "fixed_prior": self.prior is not None,
        }

    # -------------------------------------------------------------- predict
    def _check_fitted(self) -> None:
        try:
            check_is_fitted(self, ["m_", "u_", "lambda_"])
        except Exception as error:  # sklearn's NotFittedError
            raise VnlinkNotFittedError(
                f"this {type(self).__name__} is not fitted yet: call fit(X) first "
                "(or load a trained model with from_json)"
            ) from error

    @property
    def prior_weight_(self) -> float:
        """``log2(λ / (1 - λ))``: the match weight of a pair before any comparison."""
        self._check_fitted()
        return math.log2(self.lambda_) - math.log2(1.0 - self.lambda_)

    @property
    def match_weights_(self) -> list[FloatArray]:
        """``log2(m / u)`` per level of each comparison."""
        self._check_fitted()
        return [np.log2(m) - np.log2(u) for m, u in zip(self.m_, self.u_, strict=True)]

    def _tf_columns(self, names: list[str]) -> list[bool]:
        setting = self.tf_adjustment
        if setting is True:
            return [True] * len(names)
        if setting is False or setting is None:
            return [False] * len(names)
        if isinstance(setting, str):
            setting = [setting]
        wanted = set(setting)
        unknown = wanted - set(self.comparison_names_)
        if unknown:
            raise ConfigurationError(
                f"tf_adjustment names unknown comparisons {sorted(unknown)}; "
                f"known: {', '.join(self.comparison_names_)}"
            )
        return [n in wanted for n in self.comparison_names_]

    def _read(self, X: Any) -> Vectors:
        self._check_fitted()
        return read_trained(self, X, self.n_levels_)

    def _columns(self, vectors: Vectors) -> Iterator[tuple[int, FloatArray, FloatArray | None]]:
        """Per comparison: the level weights and the TF parts (None when there are none)."""
        levels = vectors.levels
        use_tf = self._tf_columns(self.comparison_names_)
        for j in range(levels.shape[1]):
            # index -1 (missing) picks the trailing 0.0
            table = np.append(np.log2(self.m_[j]) - np.log2(self.u_[j]), 0.0)
            col = levels[:, j]
            weights: FloatArray = table[col]
            tf_part: FloatArray | None = None
            if vectors.tf is not None and use_tf[j]:
                tf = vectors.tf[:, j]
                hit = ~np.isnan(tf) & (col >= 0)
                if hit.any():
                    tf_part = np.zeros(levels.shape[0])
                    u_level = self.u_[j][col[hit]]
                    floor = float(self.tf_floor)
                    tf_part[hit] = np.log2(u_level) - np.log2(np.maximum(tf[hit], floor))
            yield j, weights, tf_part

    def match_weight(self, X: Any) -> FloatArray:
        """The match weight of each pair: log2 Bayes factor plus the prior, in bits.

        Summed in the order of :func:`~vnlink.classify.explain.total_weight`
        (prior, then each comparison's level weight and TF part), so that it
        equals ``explain(X).total`` exactly.
        """
        vectors = self._read(X)
        total = np.full(vectors.levels.shape[0], self.prior_weight_)
        for _, weights, tf_part in self._columns(vectors):
            total += weights
            if tf_part is not None:
                total += tf_part
        return total

    def decision_function(self, X: Any) -> FloatArray:
        """Same as :meth:`match_weight` (larger = more likely a match)."""
        return self.match_weight(X)

    def predict_proba(self, X: Any) -> FloatArray:
        """``(n, 2)`` probabilities of [non-match, match] per pair."""
        p = probability_from_weight(self.match_weight(X))
        return np.column_stack([1.0 - p, p])

    def predict(self, X: Any) -> NDArray[Any]:
        """The class of each pair (``classes_[1]`` = match when its probability > 0.5)."""
        weight = self.match_weight(X)
        out: NDArray[Any] = self.classes_[(weight > 0).astype(np.intp)]
        return out

    def explain(self, X: Any) -> Explanation:
        """Prior and per-comparison partial weights (with their TF part) of each pair.

        ``explain(X).total`` equals ``match_weight(X)``; see :class:`Explanation`.
        """
        vectors = self._read(X)
        shape = vectors.levels.shape
        weights = np.zeros(shape, order="F")
        tf_weights = np.zeros(shape, order="F")
        for j, w, t in self._columns(vectors):
            weights[:, j] = w
            if t is not None:
                tf_weights[:, j] = t
        return Explanation(
            names=self.comparison_names_,
            level_labels=self.level_labels_,
            levels=vectors.levels,
            prior_weight=self.prior_weight_,
            weights=weights,
            tf_weights=tf_weights,
        )

    def parameters(self) -> ParameterTable:
        """m, u and ``log2(m / u)`` of every level as a table (for notebooks)."""
        self._check_fitted()
        rows: dict[str, list[Any]] = {k: [] for k in
                                      ("comparison", "level", "label", "m", "u", "weight")}
        for j, name in enumerate(self.comparison_names_):
            for level in range(self.n_levels_[j]):
                rows["comparison"].append(name)
                rows["level"].append(level)
                rows["label"].append(self.level_labels_[j][level])
                rows["m"].append(float(self.m_[j][level]))
                rows["u"].append(float(self.u_[j][level]))
                rows["weight"].append(float(np.log2(self.m_[j][level] / self.u_[j][level])))
        return ParameterTable({
            "comparison": np.asarray(rows["comparison"], dtype=object),
            "level": np.asarray(rows["level"], dtype=np.int64),
            "label": np.asarray(rows["label"], dtype=object),
            "m": np.asarray(rows["m"], dtype=np.float64),
            "u": np.asarray(rows["u"], dtype=np.float64),
            "weight": np.asarray(rows["weight"], dtype=np.float64),
        })

    # -------------------------------------------------------------- persist
    def to_json(self, path: str | os.PathLike[str] | None = None) -> str:
        """Save the trained model as JSON at ``path``; returns the JSON text."""
        from vnlink.classify._persist import write_model_json

        return write_model_json(self, path)

    @classmethod
    def from_json(cls, source: str | os.PathLike[str]) -> FellegiSunter:
        """Load a model saved by :meth:`to_json` (a path, or the JSON text)."""
        from vnlink.classify.io import load_model

        model: FellegiSunter = load_model(source, expected_class=cls.__name__)
        return model

    def to_dict(self) -> dict[str, Any]:
        """The fitted model as JSON-ready data (the ``payload`` of its model file).

        :meth:`from_dict` rebuilds it; :meth:`to_json` wraps it with the format,
        version and checksum.
        """
        self._check_fitted()
        tf = self.tf_adjustment
        params = {
            "n_levels": None if self.n_levels is None else [int(v) for v in self.n_levels],
            "prior": None if self.prior is None else float(self.prior),
            "u": None if self.u is None else [np.asarray(a, float).tolist() for a in self.u],
            "fix_u": bool(self.fix_u),
            "fixed_m": None if self.fixed_m is None else [
                [key if isinstance(key, str) else int(key), np.asarray(v, float).tolist()]
                for key, v in self.fixed_m.items()
            ],
            "smoothing": float(self.smoothing),
            "tol": float(self.tol),
            "max_iter": int(self.max_iter),
            "tf_adjustment": tf if isinstance(tf, bool) else [str(s) for s in tf],
            "tf_floor": float(self.tf_floor),
        }
        from vnlink.classify._persist import model_payload

        return model_payload(self, params, {
            "m": [a.tolist() for a in self.m_],
            "u": [a.tolist() for a in self.u_],
            "lambda": float(self.lambda_),
            "n_iter": int(self.n_iter_),
            "converged": bool(self.converged_),
            "log_likelihood": None if math.isnan(self.log_likelihood_)
            else float(self.log_likelihood_),
        })

    @classmethod
    def from_dict(cls, payload: Mapping[str, Any]) -> FellegiSunter:
        """Rebuild a fitted model from :meth:`to_dict` output.

        Raises
        ------
        ModelFormatError
            The data is inconsistent (shapes, probabilities, names).
        """
        params = dict(payload["params"])
        if params.get("fixed_m") is not None:
            params["fixed_m"] = {key: values for key, values in params["fixed_m"]}
        model = cls(**params)
        comparisons = payload["comparisons"]
        n_levels = [int(n) for n in comparisons["n_levels"]]
        m = [np.asarray(a, dtype=np.float64) for a in payload["m"]]
        u = [np.asarray(a, dtype=np.float64) for a in payload["u"]]
        k = len(n_levels)
        if len(m) != k or len(u) != k or any(
            a.shape != (n,) or b.shape != (n,) for a, b, n in zip(m, u, n_levels, strict=True)
        ):
            raise ModelFormatError("the model file's m and u do not match its n_levels")
        for a in (*m, *u):
            if not np.all(np.isfinite(a)) or np.any(a <= 0) or abs(a.sum() - 1.0) > 1e-6:
                raise ModelFormatError("the model file's m or u are not probabilities per level")
        lam = float(payload["lambda"])
        if not 0.0 < lam < 1.0:
            raise ModelFormatError(f"the model file's lambda {lam} is outside (0, 1)")
        names = [str(s) for s in comparisons["names"]]
        labels = [tuple(str(s) for s in t) for t in comparisons["level_labels"]]
        if len(names) != k or len(labels) != k:
            raise ModelFormatError("the model file's comparison names do not match its levels")
        model.m_ = m
        model.u_ = u
        model.lambda_ = lam
        model.n_levels_ = n_levels
        model.comparison_names_ = names
        model.level_labels_ = labels
        model.spec_ = comparisons.get("spec")
        model.n_iter_ = int(payload["n_iter"])
        model.converged_ = bool(payload["converged"])
        ll = payload.get("log_likelihood")
        model.log_likelihood_ = float("nan") if ll is None else float(ll)
        model.classes_ = np.asarray(payload["classes"])
        model.n_features_in_ = int(payload["n_features_in"])
        if model.n_features_in_ != k or model.classes_.shape != (2,):
            raise ModelFormatError("the model file's classes or feature count are inconsistent")
        if "feature_names_in" in payload:
            model.feature_names_in_ = np.asarray(payload["feature_names_in"], dtype=object)
        model.training_ = dict(payload.get("training", {}))
        return model

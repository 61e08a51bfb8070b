"""Comparison vectors simulated from a known Fellegi–Sunter model (tests, benchmarks, docs).

Each pair is a match with probability λ; its level on comparison ``j`` is
drawn from ``m[j]`` (match) or ``u[j]`` (non-match), and is missing (``-1``)
with probability ``missing``. Optionally a comparison gets term frequencies:
given value frequencies ``f`` in the population, a matching pair that agrees
exactly shares a value drawn with probability ``f_v``, and a non-matching pair
that agrees by chance shares it with probability ``f_v**2 / Σ f**2`` — common
names agree by chance far more often, which is what TF adjustment corrects.

Examples
--------
>>> import numpy as np
>>> X, y = simulate_comparisons(
...     m=[[0.05, 0.15, 0.8], [0.1, 0.9]], u=[[0.9, 0.08, 0.02], [0.8, 0.2]],
...     lambda_=0.1, n_pairs=1000, seed=1, names=["họ tên", "ngày sinh"])
>>> X.levels.shape, X.levels.dtype, int(y.sum())
((1000, 2), dtype('int8'), 92)
>>> X.names, X.n_levels
(['họ tên', 'ngày sinh'], [3, 2])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from vnlink.exceptions import ConfigurationError

__all__ = ["SimulatedVectors", "simulate_comparisons"]


@dataclass
class SimulatedVectors:
    """A stand-in for ``ComparisonVectors`` with the same attributes."""

    levels: NDArray[np.int8]
    scores: NDArray[np.float32]
    tf: NDArray[np.float64]
    names: list[str]
    level_labels: list[tuple[str, ...]]
    n_levels: list[int]
    spec: list[dict[str, Any]] = field(default_factory=list)

    def __len__(self) -> int:
        return int(self.levels.shape[0])

    def take(self, rows: NDArray[np.integer[Any]] | slice) -> SimulatedVectors:
        """The vectors of some pairs only."""
        return SimulatedVectors(self.levels[rows], self.scores[rows], self.tf[rows],
                                self.names, self.level_labels, self.n_levels, self.spec)


def _draw(probs: NDArray[np.float64], r: NDArray[np.float64]) -> NDArray[np.int8]:
    cdf = np.cumsum(probs)
    cdf[-1] = 1.0
    out: NDArray[np.int8] = np.searchsorted(cdf, r, side="right").astype(np.int8)
    return out


def simulate_comparisons(
    *,
    m: Sequence[ArrayLike],
    u: Sequence[ArrayLike],
    lambda_: float,
    n_pairs: int,
    seed: int = 0,
    missing: float | Sequence[float] = 0.0,
    names: Sequence[str] | None = None,
    level_labels: Sequence[Sequence[str]] | None = None,
    value_frequencies: Mapping[int, ArrayLike] | None = None,
) -> tuple[SimulatedVectors, NDArray[np.bool_]]:
    """Simulate comparison vectors and the truth from m, u and λ.

    Parameters
    ----------
    m, u
        Level probabilities of each comparison for matches and non-matches.
    lambda_
        Share of matching pairs.
    n_pairs
        Number of pairs.
    seed
        Random seed.
    missing
        Probability that a level is missing (one value, or one per comparison).
    names, level_labels
        Names of the comparisons and of their levels.
    value_frequencies
        Comparison index -> population frequencies of its values; the top level
        of that comparison then gets term frequencies in ``tf``.

    Returns
    -------
    vectors, is_match
    """
    k = len(m)
    if len(u) != k:
        raise ConfigurationError("m and u must have one array per comparison")
    if not 0.0 <= lambda_ <= 1.0:
        raise ConfigurationError("lambda_ must be in [0, 1]")
    rng = np.random.default_rng(seed)
    is_match = rng.random(n_pairs) < lambda_
    ms = [np.asarray(a, dtype=np.float64) / np.sum(a) for a in m]
    us = [np.asarray(a, dtype=np.float64) / np.sum(a) for a in u]
    n_levels = [len(a) for a in ms]
    miss = np.broadcast_to(np.asarray(missing, dtype=np.float64), (k,))
    levels = np.empty((n_pairs, k), dtype=np.int8)
    tf = np.full((n_pairs, k), np.nan)
    for j in range(k):
        r = rng.random(n_pairs)
        col = np.where(is_match, _draw(ms[j], r), _draw(us[j], r))
        if miss[j] > 0:
            col[rng.random(n_pairs) < miss[j]] = -1
        levels[:, j] = col
        if value_frequencies is not None and j in value_frequencies:
            f = np.asarray(value_frequencies[j], dtype=np.float64)
            f = f / f.sum()
            top = col == n_levels[j] - 1
            match_top = top & is_match
            other_top = top & ~is_match
            tf[match_top, j] = f[_draw(f, rng.random(int(match_top.sum())))]
            f2 = f * f / np.sum(f * f)
            tf[other_top, j] = f[_draw(f2, rng.random(int(other_top.sum())))]
    noise = rng.random((n_pairs, k))
    scores = ((np.maximum(levels, 0) + noise) / np.asarray(n_levels)).astype(np.float32)
    scores[levels < 0] = 0.0
    return (
        SimulatedVectors(
            levels=levels,
            scores=scores,
            tf=tf,
            names=list(names) if names is not None else [f"x{j}" for j in range(k)],
            level_labels=(
                [tuple(t) for t in level_labels] if level_labels is not None
                else [tuple(f"level {i}" for i in range(n)) for n in n_levels]
            ),
            n_levels=n_levels,
        ),
        is_match,
    )

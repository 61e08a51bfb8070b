"""The one place the review desk reaches into a fitted :class:`~vnlink.Linker`.

Everything in :mod:`vnlink.review` that needs pair-level detail — a record's
candidates, each comparison's level and weight, the waterfall of a pair,
scores of candidate pairs for active learning — gets it from
:func:`scored_pairs`, which returns a :class:`ScoredPairs`: the prepared
tables plus, for each candidate pair kept, the level vector and the partial
weight of every comparison. :func:`refingerprint` updates a linker after its
model changed.

It goes through the public pipeline (``linker.prepare``, ``linker.pipeline``:
``block``, ``score_pairs``, ``compare``) and the classifier's ``explain`` for
the per-comparison weights (with their term-frequency parts).

>>> from vnlink import Linker
>>> from vnlink.datasets import synthetic_linkage
>>> registry, records, _ = synthetic_linkage(200, seed=2)
>>> linker = Linker(progress=False).fit(registry, records)
>>> sp = scored_pairs(linker, registry, records, top_k=2)
>>> sp.levels.shape[1] == len(sp.names)
True
>>> bool((np.bincount(sp.right, minlength=sp.n_records) <= 2).all())
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink.exceptions import NotFittedError

__all__ = ["ScoredPairs", "prepared_tables", "refingerprint", "scored_pairs", "top_k_mask"]

_CHUNK = 500_000


@dataclass
class ScoredPairs:
    """Candidate pairs with their comparison levels and weights.

    Attributes
    ----------
    left_table, right_table
        The prepared registry and records (``PreparedTable``).
    left, right
        ``int64`` row indices of each pair into the two tables.
    rule
        Name of the blocking rule that found each pair (object array).
    levels
        ``int8`` (n, k) level per comparison (``-1`` = missing).
    names, level_labels
        Comparison names and the label of each level.
    partial
        ``float64`` (n, k) weight (bits) each comparison adds, TF part included
        (NaN when the classifier has no per-comparison weights).
    prior
        The prior weight in bits (NaN without one).
    weight, probability
        Match weight (bits) and probability of each pair.
    """

    left_table: Any
    right_table: Any
    left: NDArray[np.int64]
    right: NDArray[np.int64]
    rule: NDArray[np.object_]
    levels: NDArray[np.int8]
    names: list[str]
    level_labels: list[tuple[str, ...]]
    partial: NDArray[np.float64]
    prior: float
    weight: NDArray[np.float64]
    probability: NDArray[np.float64]

    @property
    def n_records(self) -> int:
        """Rows of the records table."""
        return int(self.right_table.n_rows)

    def __len__(self) -> int:
        return int(self.left.size)

    def label(self, j: int, level: int) -> str:
        """The label of ``level`` of comparison ``j`` (``"(thiếu)"`` when missing)."""
        if level < 0:
            return "(thiếu)"
        labels = self.level_labels[j]
        return labels[level] if level < len(labels) else f"level {level}"


def _check(linker: Any) -> None:
    if not hasattr(linker, "classifier_"):
        raise NotFittedError("the Linker is not fitted: call fit(registry, records) or "
                             "Linker.load(path) first")


def prepared_tables(linker: Any, registry: Any, records: Any) -> tuple[Any, Any]:
    """The registry and records prepared with the linker's schemas (cached by the linker)."""
    _check(linker)
    return linker.prepare(registry, "registry"), linker.prepare(records, "records")


def refingerprint(linker: Any) -> None:
    """Recompute ``linker.fingerprint_`` after its classifier was replaced."""
    from vnlink.model import fingerprint

    linker.fingerprint_ = fingerprint(linker.to_dict())


def top_k_mask(right: NDArray[np.int64], weight: NDArray[np.float64],
               left: NDArray[np.int64], k: int) -> NDArray[np.bool_]:
    """Pairs among the ``k`` heaviest of their record (ties: lower left index first).

    >>> top_k_mask(np.array([0, 0, 0, 1]), np.array([1.0, 3.0, 2.0, 0.0]),
    ...            np.array([0, 1, 2, 0]), 2).tolist()
    [False, True, True, True]
    """
    n = right.size
    if n == 0:
        return np.zeros(0, dtype=bool)
    order = np.lexsort((left, -weight, right))
    sorted_right = right[order]
    starts = np.r_[0, np.flatnonzero(sorted_right[1:] != sorted_right[:-1]) + 1]
    group_start = np.repeat(starts, np.diff(np.r_[starts, n]))
    keep = np.zeros(n, dtype=bool)
    keep[order] = (np.arange(n) - group_start) < k
    return keep


def scored_pairs(linker: Any, registry: Any, records: Any, *,
                 rows: NDArray[np.int64] | None = None, top_k: int | None = None,
                 tables: tuple[Any, Any] | None = None, partial: bool = True) -> ScoredPairs:
    """Score the candidate pairs of ``records`` (or of its ``rows`` only) with ``linker``.

    Parameters
    ----------
    linker
        A fitted Linker.
    registry, records
        The tables the result was made from (any table form).
    rows
        Record rows to keep (default all).
    top_k
        Keep only each record's ``top_k`` heaviest candidates (default all).
    tables
        Already prepared ``(registry, records)`` from :func:`prepared_tables`.
    partial
        Compute the per-comparison weights (``False``: NaN, faster for large pools).
    """
    from types import SimpleNamespace

    left_t, right_t = tables if tables is not None else prepared_tables(linker, registry, records)
    pipe = linker.pipeline
    pairs = pipe.block(left_t, right_t)
    pl = np.asarray(pairs.left, dtype=np.int64)
    pr = np.asarray(pairs.right, dtype=np.int64)
    rule_all = np.asarray(pairs.rule, dtype=np.int8)
    if rows is not None:
        wanted = np.zeros(right_t.n_rows, dtype=bool)
        wanted[np.asarray(rows, dtype=np.int64)] = True
        keep = wanted[pr]
        pl, pr, rule_all = pl[keep], pr[keep], rule_all[keep]
    sub = SimpleNamespace(left=pl, right=pr, rule=rule_all, rule_names=tuple(pairs.rule_names))
    scored = pipe.score_pairs(sub, left_t, right_t)
    if top_k is not None:
        scored = scored.take(np.flatnonzero(top_k_mask(scored.right, scored.weight,
                                                       scored.left, top_k)))
    comps = list(pipe.comparisons.comparisons)
    names = [c.name for c in comps]
    labels = [tuple(c.level_labels) for c in comps]
    weights = np.full(scored.levels.shape, np.nan)
    prior = float("nan")
    explain = getattr(pipe.classifier, "explain", None)
    if partial and explain is not None:
        for start in range(0, len(scored), _CHUNK):
            sl = slice(start, min(len(scored), start + _CHUNK))
            e = explain(pipe.compare((scored.left[sl], scored.right[sl]), left_t, right_t))
            weights[sl] = e.weights + e.tf_weights
            prior = e.prior_weight
    rule_names = np.asarray([*scored.rule_names, ""], dtype=object)
    rule = rule_names[np.asarray(scored.rule, dtype=np.int64)]
    return ScoredPairs(left_t, right_t, scored.left, scored.right, rule, scored.levels, names,
                       labels, weights, prior, scored.weight, scored.prob)


def _take(sp: ScoredPairs, idx: NDArray[np.int64]) -> ScoredPairs:
    return ScoredPairs(sp.left_table, sp.right_table, sp.left[idx], sp.right[idx], sp.rule[idx],
                       sp.levels[idx], sp.names, sp.level_labels, sp.partial[idx], sp.prior,
                       sp.weight[idx], sp.probability[idx])

"""The one place the review desk reaches into a fitted :class:`~vnlink.Linker`.

Everything in :mod:`vnlink.review` that needs pair-level detail — a record's
candidates, each comparison's level and weight, the waterfall of a pair,
scores of candidate pairs for active learning — gets it from
:func:`scored_pairs`, which returns a :class:`ScoredPairs`: the prepared
tables plus, for each candidate pair kept, the level vector and the partial
weight of every comparison.

It is written against today's ``Linker`` internals (``_prepare``,
``_candidate_pairs``, ``_vectors``, ``_weight_and_probability``,
``classifier_``); when the pipeline gets a public "scored candidate table"
(top-k pairs per record with the level vector and weight per comparison),
only this module changes.

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

__all__ = ["ScoredPairs", "prepared_tables", "scored_pairs", "top_k_mask"]

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
    """The registry and records prepared with the linker's schemas."""
    from vnlink._table import as_table

    _check(linker)
    left = linker._prepare(as_table(registry), linker.registry_schema_)
    right = linker._prepare(as_table(records), linker.records_schema_)
    return left, right


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
                 tables: tuple[Any, Any] | None = None) -> ScoredPairs:
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
    """
    left_t, right_t = tables if tables is not None else prepared_tables(linker, registry, records)
    pairs = linker._candidate_pairs(left_t, right_t)
    pl = np.asarray(pairs.left, dtype=np.int64)
    pr = np.asarray(pairs.right, dtype=np.int64)
    keep = np.ones(pl.size, dtype=bool)
    if rows is not None:
        wanted = np.zeros(right_t.n_rows, dtype=bool)
        wanted[np.asarray(rows, dtype=np.int64)] = True
        keep &= wanted[pr]
    from vnlink.link import _subset_pairs

    idx = np.flatnonzero(keep)
    comps = linker.comparisons_
    names = list(comps.names) if hasattr(comps, "names") else [c.name for c in comps.comparisons]
    k = len(names)
    levels = np.empty((idx.size, k), dtype=np.int8)
    partial = np.full((idx.size, k), np.nan)
    weight = np.empty(idx.size)
    prob = np.empty(idx.size)
    labels: list[tuple[str, ...]] = [()] * k
    prior = float("nan")
    model = linker.classifier_
    explain = getattr(model, "explain", None)
    for start in range(0, idx.size, _CHUNK):
        sl = slice(start, min(idx.size, start + _CHUNK))
        X = linker._vectors(_subset_pairs(pairs, idx[sl]), left_t, right_t)
        levels[sl] = X.levels
        labels = [tuple(t) for t in X.level_labels]
        weight[sl], prob[sl] = linker._weight_and_probability(X)
        if explain is not None:
            e = explain(X)
            partial[sl] = e.weights + e.tf_weights
            prior = e.prior_weight
    rule_names = np.asarray([*pairs.rule_names, ""], dtype=object)
    rule = rule_names[np.asarray(pairs.rule, dtype=np.int64)[idx]]
    out = ScoredPairs(left_t, right_t, pl[idx], pr[idx], rule, levels, names, labels,
                      partial, prior, weight, prob)
    if top_k is not None:
        mask = top_k_mask(out.right, out.weight, out.left, top_k)
        out = _take(out, np.flatnonzero(mask))
    return out


def _take(sp: ScoredPairs, idx: NDArray[np.int64]) -> ScoredPairs:
    return ScoredPairs(sp.left_table, sp.right_table, sp.left[idx], sp.right[idx], sp.rule[idx],
                       sp.levels[idx], sp.names, sp.level_labels, sp.partial[idx], sp.prior,
                       sp.weight[idx], sp.probability[idx])

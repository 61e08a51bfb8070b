"""Measure a linkage against the truth: precision, recall, F1, per status, per error type.

The unit is the *record*: a record counts as correctly linked when the person
the linker chose is the person in the truth table. The truth table has
``record_id`` and ``person_id`` (``""`` when the record's person is not in
the registry).

- :func:`evaluate` gives a :class:`Evaluation`: precision, recall and F1 of
  the links (``verified`` and ``review`` records, taking the best candidate)
  and of the automatic links alone (``verified``), accuracy per status, and
  a breakdown by error type when the truth table says which errors a record
  carries.
- :func:`threshold_sweep` shows what each probability threshold would give.
- :func:`pair_metrics`, :func:`cluster_metrics` and :func:`blocking_metrics`
  (from :mod:`vnlink.metrics`) score pairs and clusters against FEBRL-style truth.
- :func:`plot_pr_curve` and :func:`plot_match_weights` draw with matplotlib
  (the optional ``plot`` extra).

Examples
--------
>>> result = {"record_id": ["r1", "r2", "r3", "r4"],
...           "person_id": ["p1", "p2", "p9", ""],
...           "status": ["verified", "verified", "review", "unmatched"],
...           "match_probability": [0.999, 0.995, 0.7, 0.0]}
>>> truth = {"record_id": ["r1", "r2", "r3", "r4"], "person_id": ["p1", "p2", "p3", ""]}
>>> ev = evaluate(result, truth)
>>> round(ev.precision, 3), round(ev.recall, 3), ev.precision_verified
(0.667, 0.667, 1.0)
>>> ev.per_status["verified"]
{'n': 2, 'correct': 2, 'accuracy': 1.0}
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink.exceptions import ConfigurationError, SchemaError
from vnlink.metrics import (
    BlockingMetrics,
    ClusterMetrics,
    Clusters,
    PairMetrics,
    Pairs,
    blocking_metrics,
    cluster_metrics,
    pair_metrics,
)
from vnlink.table import Table, as_table

__all__ = [
    "BlockingMetrics",
    "ClusterMetrics",
    "Clusters",
    "Evaluation",
    "PairMetrics",
    "Pairs",
    "blocking_metrics",
    "cluster_metrics",
    "evaluate",
    "link_metrics",
    "pair_metrics",
    "plot_match_weights",
    "plot_pr_curve",
    "threshold_sweep",
]

_ERROR_COLUMNS = ("errors", "error_types", "error_type", "corruptions", "noise")
_LINK_STATUSES = ("verified", "review")


def _result_table(result: Any) -> Table:
    table = getattr(result, "table", None)
    if isinstance(table, Table):
        return table
    return as_table(result)


def _strings(values: Any) -> NDArray[np.object_]:
    out = np.empty(len(values), dtype=object)
    out[:] = ["" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
              for v in np.asarray(values, dtype=object).tolist()]
    return out


@dataclass
class _Aligned:
    predicted: NDArray[np.object_]  # best candidate person_id ("" none)
    status: NDArray[np.object_]
    probability: NDArray[np.float64]
    weight: NDArray[np.float64]
    true: NDArray[np.object_]  # truth person_id ("" not in registry)
    errors: NDArray[np.object_] | None


def _align(result: Any, truth: Any, error_column: str | None) -> _Aligned:
    res = _result_table(result)
    tru = as_table(truth)
    for name, table, needed in (("result", res, ("record_id", "person_id")),
                                ("truth", tru, ("record_id", "person_id"))):
        missing = [c for c in needed if c not in table]
        if missing:
            raise SchemaError(f"the {name} table has no column {missing[0]!r}; it needs "
                              f"{', '.join(needed)}")
    res_ids = _strings(res["record_id"])
    tru_ids = _strings(tru["record_id"])
    position = {rid: i for i, rid in enumerate(res_ids.tolist())}
    if len(position) != len(res_ids):
        raise SchemaError("the result has repeated record_id values; pass one row per record")
    index = np.fromiter((position.get(r, -1) for r in tru_ids.tolist()), dtype=np.int64,
                        count=len(tru_ids))
    found = index >= 0
    if not found.all():
        raise SchemaError(
            f"{int((~found).sum())} truth records are missing from the result; "
            "evaluate the result of linking the same records"
        )
    n = len(index)
    status = (_strings(res["status"])[index] if "status" in res
              else np.full(n, "verified", dtype=object))
    predicted = _strings(res["person_id"])[index]

    def numeric(name: str) -> NDArray[np.float64]:
        if name not in res:
            return np.full(n, np.nan)
        return np.asarray(res[name], dtype=np.float64)[index]

    errors = None
    column = error_column or next((c for c in _ERROR_COLUMNS if c in tru), None)
    if column is not None:
        if column not in tru:
            raise SchemaError(f"the truth table has no column {column!r}")
        errors = _strings(tru[column])
    return _Aligned(predicted, status, numeric("match_probability"), numeric("match_weight"),
                    _strings(tru["person_id"]), errors)


def _prf(linked: NDArray[np.bool_], correct: NDArray[np.bool_], n_true: int) -> dict[str, Any]:
    tp = int((linked & correct).sum())
    fp = int((linked & ~correct).sum())
    fn = n_true - tp
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / n_true if n_true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def link_metrics(
    result: Any, truth: Any, *, statuses: tuple[str, ...] = _LINK_STATUSES
) -> dict[str, Any]:
    """Record-level precision, recall and F1 of the links whose status is in ``statuses``.

    A link is a true positive when its person is the truth's person; every
    record whose person is in the registry and is not linked to them is a
    false negative.

    >>> m = link_metrics({"record_id": ["a", "b"], "person_id": ["p", "q"],
    ...                   "status": ["verified", "review"]},
    ...                  {"record_id": ["a", "b"], "person_id": ["p", "x"]},
    ...                  statuses=("verified",))
    >>> m["precision"], m["recall"], m["tp"], m["fn"]
    (1.0, 0.5, 1, 1)
    """
    a = _align(result, truth, None)
    linked = np.isin(a.status, list(statuses)) & (a.predicted != "")
    correct = a.predicted == a.true
    return _prf(linked, correct, int((a.true != "").sum()))


@dataclass
class Evaluation:
    """Accuracy of a linkage, record by record.

    Attributes
    ----------
    precision, recall, f1
        Of the links (``verified`` and ``review``, best candidate).
    precision_verified, recall_verified, f1_verified
        Of the automatic links alone.
    n_records, n_in_registry
        Records evaluated; records whose person is in the registry.
    per_status
        ``status -> {"n", "correct", "accuracy"}``; a ``verified``/``review``
        record is correct when its best candidate is the right person, an
        ``unmatched`` one when its person is not in the registry.
    by_error_type
        ``error type -> {"n", "verified", "review", "unmatched", "correct"}``
        when the truth table lists the errors of each record (empty otherwise).
    counts
        ``{"tp", "fp", "fn"}`` of the links.
    """

    precision: float
    recall: float
    f1: float
    precision_verified: float
    recall_verified: float
    f1_verified: float
    n_records: int
    n_in_registry: int
    per_status: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_error_type: dict[str, dict[str, Any]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """All figures as plain Python values (JSON-ready)."""
        return asdict(self)

    def __str__(self) -> str:
        lines = [
            f"records evaluated      {self.n_records:,} ({self.n_in_registry:,} in the registry)",
            f"links (verified+review) precision {self.precision:.4f}  recall {self.recall:.4f}"
            f"  F1 {self.f1:.4f}",
            f"verified only          precision {self.precision_verified:.4f}  recall "
            f"{self.recall_verified:.4f}  F1 {self.f1_verified:.4f}",
        ]
        for status, s in self.per_status.items():
            lines.append(f"  {status:<10} {s['n']:>9,} records, {s['accuracy']:.2%} correct")
        return "\n".join(lines)


def evaluate(result: Any, truth: Any, *, error_column: str | None = None) -> Evaluation:
    """Compare a link result with the truth.

    Parameters
    ----------
    result
        A :class:`~vnlink.link.LinkResult` or any table with ``record_id``,
        ``person_id``, ``status`` (and ``match_probability``).
    truth
        A table with ``record_id`` and ``person_id`` (``""`` = not in the
        registry); optionally a column listing each record's error types
        (``;``-joined), found by name (``errors``, ``error_types`` ...) or
        given as ``error_column``.

    Returns
    -------
    Evaluation

    Examples
    --------
    >>> result = {"record_id": ["r1", "r2", "r3"], "person_id": ["p1", "p9", ""],
    ...           "status": ["verified", "verified", "unmatched"]}
    >>> truth = {"record_id": ["r1", "r2", "r3"], "person_id": ["p1", "p2", ""]}
    >>> report = evaluate(result, truth)
    >>> report.precision, report.recall
    (0.5, 0.5)
    """
    a = _align(result, truth, error_column)
    n_true = int((a.true != "").sum())
    correct = a.predicted == a.true
    linked = np.isin(a.status, list(_LINK_STATUSES)) & (a.predicted != "")
    verified = (a.status == "verified") & (a.predicted != "")
    links = _prf(linked, correct, n_true)
    auto = _prf(verified, correct, n_true)
    per_status: dict[str, dict[str, Any]] = {}
    for status in ("verified", "review", "unmatched"):
        mask = a.status == status
        n = int(mask.sum())
        right = correct[mask] if status != "unmatched" else (a.true[mask] == "")
        k = int(right.sum())
        per_status[status] = {"n": n, "correct": k, "accuracy": k / n if n else 1.0}
    by_error: dict[str, dict[str, Any]] = {}
    if a.errors is not None:
        ok = np.where(linked, correct, a.true == "")
        for i, codes in enumerate(a.errors.tolist()):
            for code in (codes.split(";") if codes else ["none"]):
                entry = by_error.setdefault(code.strip() or "none", {
                    "n": 0, "verified": 0, "review": 0, "unmatched": 0, "correct": 0})
                entry["n"] += 1
                entry[str(a.status[i])] = entry.get(str(a.status[i]), 0) + 1
                entry["correct"] += int(ok[i])
        for entry in by_error.values():
            entry["accuracy"] = entry["correct"] / entry["n"]
        by_error = dict(sorted(by_error.items(), key=lambda kv: kv[1]["accuracy"]))
    return Evaluation(
        precision=links["precision"], recall=links["recall"], f1=links["f1"],
        precision_verified=auto["precision"], recall_verified=auto["recall"],
        f1_verified=auto["f1"], n_records=len(a.true), n_in_registry=n_true,
        per_status=per_status, by_error_type=by_error,
        counts={"tp": links["tp"], "fp": links["fp"], "fn": links["fn"]},
    )


def threshold_sweep(
    result: Any, truth: Any, thresholds: Any = None
) -> dict[str, NDArray[np.float64]]:
    """Precision, recall and F1 if every best candidate with probability >= t were linked.

    Parameters
    ----------
    result, truth
        As for :func:`evaluate` (``result`` needs ``match_probability``).
    thresholds
        Probabilities to try; default 0.01 .. 0.99 and 0.999, 0.9999.

    Returns
    -------
    dict
        ``threshold``, ``precision``, ``recall``, ``f1``, ``n_links`` arrays.

    Examples
    --------
    >>> sweep = threshold_sweep(
    ...     {"record_id": ["a", "b"], "person_id": ["p", "q"], "match_probability": [0.9, 0.4]},
    ...     {"record_id": ["a", "b"], "person_id": ["p", "x"]}, thresholds=[0.3, 0.5])
    >>> sweep["precision"].tolist(), sweep["recall"].tolist()
    ([0.5, 1.0], [0.5, 0.5])
    """
    a = _align(result, truth, None)
    if np.isnan(a.probability).all() and len(a.probability):
        raise SchemaError("the result has no match_probability column to sweep")
    grid = (np.r_[np.linspace(0.01, 0.99, 99), 0.999, 0.9999] if thresholds is None
            else np.asarray(thresholds, dtype=np.float64))
    if grid.ndim != 1 or grid.size == 0:
        raise ConfigurationError("thresholds must be a non-empty list of probabilities")
    has = a.predicted != ""
    prob = np.where(has, np.nan_to_num(a.probability, nan=-1.0), -1.0)
    correct = (a.predicted == a.true) & has
    n_true = int((a.true != "").sum())
    order = np.argsort(-prob, kind="stable")
    sorted_prob = prob[order]
    cum_tp = np.r_[0, np.cumsum(correct[order])]
    # number of records with prob >= t: searchsorted on the ascending negated probabilities
    n_links = np.searchsorted(-sorted_prob, -grid, side="right")
    tp = cum_tp[n_links].astype(np.float64)
    precision = np.divide(tp, n_links, out=np.ones_like(tp), where=n_links > 0)
    recall = tp / n_true if n_true else np.ones_like(tp)
    denom = precision + recall
    f1 = np.divide(2 * precision * recall, denom, out=np.zeros_like(tp), where=denom > 0)
    return {"threshold": grid, "precision": precision, "recall": recall, "f1": f1,
            "n_links": n_links.astype(np.float64)}


def plot_pr_curve(result: Any, truth: Any, *, ax: Any = None) -> Any:
    """Draw precision against recall over probability thresholds; return the axes.

    Needs matplotlib. :func:`vnlink.plot.plot_pr_curve` also marks the thresholds and
    speaks Vietnamese.
    """
    from vnlink._plotting import new_axes

    sweep = threshold_sweep(result, truth)
    ax = new_axes(ax, (5.2, 4.4))
    ax.plot(sweep["recall"], sweep["precision"], marker=".")
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_title("Precision-recall over match-probability thresholds")
    return ax


def plot_match_weights(result: Any, truth: Any = None, *, ax: Any = None, bins: int = 60) -> Any:
    """Histogram of the best candidates' match weights, split by truth when given.

    Needs matplotlib. :func:`vnlink.plot.plot_weight_histogram` also marks the thresholds
    and speaks Vietnamese.
    """
    from vnlink._plotting import new_axes

    ax = new_axes(ax, (6.4, 4.2))
    if truth is None:
        weight = np.asarray(_result_table(result)["match_weight"], dtype=np.float64)
        ax.hist(weight[np.isfinite(weight)], bins=bins)
    else:
        a = _align(result, truth, None)
        ok = np.isfinite(a.weight)
        right = (a.predicted == a.true) & ok
        ax.hist([a.weight[right], a.weight[ok & ~right]], bins=bins, stacked=True,
                label=["right person", "wrong person / not in registry"])
        ax.legend()
    ax.set_xlabel("match weight (bits)")
    ax.set_ylabel("records")
    return ax

"""Choose match thresholds from labelled pairs: precision targets, best F1, sweeps, review bands.

Every function takes the true labels ``y`` (1/True = same person) and a
score per pair ``scores`` — a match probability (``predict_proba(X)[:, 1]``,
or the ``(n, 2)`` array itself) or a match weight. A pair is a link when
``score >= threshold``.

Examples
--------
>>> y = [1, 1, 1, 0, 1, 0, 0, 0]
>>> p = [0.99, 0.95, 0.90, 0.80, 0.60, 0.40, 0.20, 0.10]
>>> best_f1_threshold(y, p)
0.6
>>> threshold_for_precision(y, p, 1.0)
0.9
>>> choice = choose_thresholds(y, p, target_precision=1.0, max_review=2)
>>> choice.verify, choice.review
(0.9, 0.6)
>>> choice.decide([0.97, 0.7, 0.3]).tolist()
['verified', 'review', 'unmatched']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from vnlink.classify._display import render
from vnlink.exceptions import ConfigurationError
from vnlink.table import Table

__all__ = [
    "ThresholdChoice",
    "ThresholdTable",
    "best_f1_threshold",
    "choose_thresholds",
    "threshold_for_precision",
    "threshold_sweep",
]


class ThresholdTable(Table):
    """A threshold sweep: one row per threshold, shown as a text table in notebooks.

    Columns: ``threshold``, ``n_links`` (pairs at or above it), ``tp``, ``fp``,
    ``fn``, ``tn``, ``precision`` (NaN when nothing is linked), ``recall``, ``f1``.
    ``to_dicts()``, ``to_pandas()`` and ``t["precision"]`` work as on any table.
    """

    def __repr__(self) -> str:
        return render(self.columns, self.n_rows, title=f"ThresholdTable ({self.n_rows} rows)")


@dataclass(frozen=True)
class ThresholdChoice:
    """Two thresholds: auto-link (``verify``) at or above one, human ``review`` between them.

    Scores below ``review`` are rejected (``unmatched``). The other fields
    describe what the choice does on the labelled pairs it was chosen from.
    """

    verify: float
    review: float
    n_verified: int
    n_review: int
    n_unmatched: int
    precision_verified: float
    recall_verified: float
    recall_with_review: float

    def summary(self) -> str:
        """What the two thresholds do on the labelled pairs, in a few lines.

        >>> print(ThresholdChoice(0.9, 0.5, 80, 15, 905, 0.99, 0.8, 0.95).summary())
        verified   score >= 0.9         80 pairs ( 8.0%)  precision 0.9900  recall 0.8000
        review     0.5 <= score < 0.9   15 pairs ( 1.5%)  recall with review 0.9500
        unmatched  score < 0.5         905 pairs (90.5%)
        """
        total = max(self.n_verified + self.n_review + self.n_unmatched, 1)
        rows = [
            ("verified", f"score >= {self.verify:.4g}", self.n_verified,
             f"precision {self.precision_verified:.4f}  recall {self.recall_verified:.4f}"),
            ("review", f"{self.review:.4g} <= score < {self.verify:.4g}", self.n_review,
             f"recall with review {self.recall_with_review:.4f}"),
            ("unmatched", f"score < {self.review:.4g}", self.n_unmatched, ""),
        ]
        width = max(len(r[1]) for r in rows)
        count_w = max(len(str(r[2])) for r in rows)
        lines = [
            f"{name:<10} {rule:<{width}} {count:>{count_w}} pairs ({100 * count / total:4.1f}%)"
            + (f"  {note}" if note else "")
            for name, rule, count, note in rows
        ]
        return "\n".join(lines)

    def decide(self, scores: ArrayLike) -> NDArray[np.object_]:
        """Status per score: ``"verified"``, ``"review"`` or ``"unmatched"``.

        >>> ThresholdChoice(0.9, 0.5, 0, 0, 0, 1.0, 1.0, 1.0).decide([0.95, 0.5, 0.1]).tolist()
        ['verified', 'review', 'unmatched']
        """
        s = _scores(scores)
        out = np.full(s.shape[0], "unmatched", dtype=object)
        out[s >= self.review] = "review"
        out[s >= self.verify] = "verified"
        return out


def _scores(scores: ArrayLike) -> NDArray[np.float64]:
    s = np.asarray(scores, dtype=np.float64)
    if s.ndim == 2 and s.shape[1] == 2:
        s = s[:, 1]
    if s.ndim != 1:
        raise ConfigurationError(
            f"scores must be one score per pair (or predict_proba's (n, 2) array), "
            f"got shape {s.shape}"
        )
    if np.isnan(s).any():
        raise ConfigurationError("scores contain NaN; pass a probability or weight for every pair")
    return s


def _labels_scores(
    y_true: ArrayLike, scores: ArrayLike, pos_label: Any
) -> tuple[NDArray[np.bool_], NDArray[np.float64]]:
    s = _scores(scores)
    y = np.asarray(y_true)
    if y.ndim != 1 or y.shape[0] != s.shape[0]:
        raise ConfigurationError(
            f"y_true has shape {y.shape} but there are {s.shape[0]} scores; pass one label per pair"
        )
    if s.shape[0] == 0:
        raise ConfigurationError("no pairs given; pass at least one labelled pair")
    return y == pos_label, s


def _sweep_arrays(
    y: NDArray[np.bool_], s: NDArray[np.float64], thresholds: NDArray[np.float64]
) -> dict[str, NDArray[Any]]:
    order = np.argsort(s, kind="stable")
    s_sorted = s[order]
    pos_before = np.concatenate([[0], np.cumsum(y[order], dtype=np.int64)])
    n = s.shape[0]
    total_pos = int(pos_before[-1])
    lo = np.searchsorted(s_sorted, thresholds, side="left")
    n_links = (n - lo).astype(np.int64)
    tp = (total_pos - pos_before[lo]).astype(np.int64)
    fp = n_links - tp
    fn = total_pos - tp
    tn = (n - total_pos) - fp
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(n_links > 0, tp / np.maximum(n_links, 1), np.nan)
        recall = tp / total_pos if total_pos else np.zeros(thresholds.shape[0])
        denom = 2 * tp + fp + fn
        f1 = np.where(denom > 0, 2 * tp / np.maximum(denom, 1), 0.0)
    return {
        "threshold": thresholds,
        "n_links": n_links,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": precision.astype(np.float64),
        "recall": np.asarray(recall, dtype=np.float64),
        "f1": f1.astype(np.float64),
    }


def threshold_sweep(
    y_true: ArrayLike,
    scores: ArrayLike,
    *,
    thresholds: int | ArrayLike | None = None,
    pos_label: Any = 1,
) -> ThresholdTable:
    """Precision, recall, F1 and counts at each threshold.

    Parameters
    ----------
    y_true
        True label per pair (``pos_label`` = same person).
    scores
        Match probability or weight per pair (or ``predict_proba``'s ``(n, 2)``).
    thresholds
        ``None``: every distinct score; an int ``n``: ``n`` evenly spaced
        values from the lowest to the highest score; or the thresholds themselves.
    pos_label
        The label of a true match.

    Returns
    -------
    ThresholdTable
        Sorted by threshold, ascending.

    Examples
    --------
    >>> table = threshold_sweep([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1], thresholds=[0.5, 0.85])
    >>> table.to_dicts()[0]["precision"], table["recall"].tolist()
    (0.6666666666666666, [1.0, 0.5])
    >>> table
    ThresholdTable (2 rows)
    threshold  n_links  tp  fp  fn  tn  precision  recall      f1
       0.5000        3   2   1   0   1     0.6667  1.0000  0.8000
       0.8500        1   1   0   1   2     1.0000  0.5000  0.6667
    """
    y, s = _labels_scores(y_true, scores, pos_label)
    if thresholds is None:
        grid = np.unique(s)
    elif isinstance(thresholds, (int, np.integer)) and not isinstance(thresholds, bool):
        if thresholds < 1:
            raise ConfigurationError("thresholds must be a positive count or a list of values")
        grid = np.linspace(float(s.min()), float(s.max()), int(thresholds))
    else:
        grid = np.sort(np.asarray(thresholds, dtype=np.float64).ravel())
    return ThresholdTable(_sweep_arrays(y, s, grid.astype(np.float64)))


def threshold_for_precision(
    y_true: ArrayLike, scores: ArrayLike, target: float, *, pos_label: Any = 1
) -> float:
    """The lowest threshold whose links reach ``target`` precision (so the highest recall).

    Raises
    ------
    ConfigurationError
        When no threshold reaches the target (the message gives the best precision).

    Examples
    --------
    >>> threshold_for_precision([1, 0, 1, 1], [0.9, 0.8, 0.7, 0.2], 0.75)
    0.2
    """
    if not 0.0 < float(target) <= 1.0:
        raise ConfigurationError(f"target precision must be in (0, 1], got {target}")
    y, s = _labels_scores(y_true, scores, pos_label)
    table = _sweep_arrays(y, s, np.unique(s))
    precision = np.nan_to_num(table["precision"], nan=0.0)
    ok = np.flatnonzero(precision >= float(target) - 1e-12)
    if ok.size == 0:
        best = float(precision.max())
        raise ConfigurationError(
            f"no threshold reaches precision {target}; the best is {best:.4f} — lower the "
            "target, or improve the model (more comparisons, labels)"
        )
    return float(table["threshold"][ok[0]])


def best_f1_threshold(y_true: ArrayLike, scores: ArrayLike, *, pos_label: Any = 1) -> float:
    """The threshold with the highest F1 (the highest such threshold on ties).

    Examples
    --------
    >>> best_f1_threshold([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1])
    0.7
    """
    y, s = _labels_scores(y_true, scores, pos_label)
    table = _sweep_arrays(y, s, np.unique(s))
    f1 = table["f1"]
    best = len(f1) - 1 - int(np.argmax(f1[::-1]))
    return float(table["threshold"][best])


def choose_thresholds(
    y_true: ArrayLike,
    scores: ArrayLike,
    *,
    target_precision: float,
    max_review: int | float,
    pos_label: Any = 1,
) -> ThresholdChoice:
    """Verify / review / reject thresholds from a precision target and a review budget.

    ``verify`` is :func:`threshold_for_precision` at ``target_precision``:
    auto-links reach that precision with the most recall. ``review`` is then
    the lowest threshold that puts at most ``max_review`` pairs between the
    two, so that people review the most pairs they have time for.

    Parameters
    ----------
    y_true, scores
        Labels and scores of a labelled sample. Pass one row per *record*
        (its best candidate) to count the review load in records.
    target_precision
        Precision required of auto-links, e.g. ``0.995``.
    max_review
        Review budget: a count of pairs (int), or a fraction of all pairs
        (float below 1).
    pos_label
        The label of a true match.

    Examples
    --------
    >>> c = choose_thresholds([1, 1, 0, 1, 0, 0], [0.9, 0.8, 0.7, 0.6, 0.3, 0.1],
    ...                       target_precision=1.0, max_review=0.5)
    >>> (c.verify, c.review, c.n_verified, c.n_review, c.n_unmatched)
    (0.8, 0.3, 2, 3, 1)
    >>> c.recall_verified, c.recall_with_review
    (0.6666666666666666, 1.0)
    """
    y, s = _labels_scores(y_true, scores, pos_label)
    n = s.shape[0]
    if isinstance(max_review, bool) or max_review < 0:
        raise ConfigurationError(f"max_review must be a count or a fraction >= 0, got {max_review}")
    if isinstance(max_review, (int, np.integer)) or max_review >= 1:
        budget = int(max_review)
    else:
        budget = int(np.floor(float(max_review) * n))
    verify = threshold_for_precision(y, s, target_precision, pos_label=True)
    s_sorted = np.sort(s)
    idx_verify = int(np.searchsorted(s_sorted, verify, side="left"))
    uniq = np.unique(s)
    lo = np.searchsorted(s_sorted, uniq, side="left")
    ok = np.flatnonzero((uniq <= verify) & (lo >= idx_verify - budget))
    review = float(uniq[ok[0]]) if ok.size else verify
    idx_review = int(np.searchsorted(s_sorted, review, side="left"))
    total_pos = int(y.sum())
    tp_verified = int(y[s >= verify].sum())
    tp_review = int(y[s >= review].sum())
    n_verified = n - idx_verify
    return ThresholdChoice(
        verify=verify,
        review=review,
        n_verified=n_verified,
        n_review=idx_verify - idx_review,
        n_unmatched=idx_review,
        precision_verified=tp_verified / n_verified if n_verified else float("nan"),
        recall_verified=tp_verified / total_pos if total_pos else 0.0,
        recall_with_review=tp_review / total_pos if total_pos else 0.0,
    )

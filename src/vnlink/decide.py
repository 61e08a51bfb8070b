"""The decide step: per record, the best registry candidate, the runner-up, and a status.

Pairs arrive as aligned arrays (registry row, record row, match weight,
match probability). The best candidate of every record is found without a
Python loop: the pairs are sorted by ``(record, -weight)`` with
:func:`numpy.lexsort` and the first two pairs of each record's group are the
best and the runner-up. Every record gets exactly one decision, whether it
has candidates or not.

Statuses:

``verified``
    match probability at least ``verified_threshold`` *and* the runner-up is
    at least ``min_margin`` match-weight units (bits) behind: safe to link
    automatically.
``review``
    a candidate with probability at least ``review_threshold``, or a
    confident candidate with a nearly tied runner-up (twins, a parent and a
    child with the same name): a person must decide.
``unmatched``
    no candidate, or only weak ones.

Examples
--------
>>> import numpy as np
>>> record = np.array([0, 0, 2, 1])        # record row of each pair
>>> weight = np.array([3.0, 12.0, 9.0, -4.0])
>>> best, second = best_and_runner_up(record, weight, n_records=4)
>>> best.tolist(), second.tolist()
([1, 3, 2, -1], [0, -1, -1, -1])
>>> status = assign_status(
...     np.array([0.999, 0.01, 0.9, 0.0]), np.array([9.0, np.inf, np.inf, np.inf]),
...     np.array([True, True, True, False]),
... )
>>> status.tolist()
['verified', 'unmatched', 'review', 'unmatched']
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink.exceptions import ConfigurationError

__all__ = [
    "DEFAULT_MIN_MARGIN",
    "DEFAULT_REVIEW_THRESHOLD",
    "DEFAULT_VERIFIED_THRESHOLD",
    "REVIEW",
    "STATUSES",
    "UNMATCHED",
    "VERIFIED",
    "assign_status",
    "best_and_runner_up",
    "check_thresholds",
]

VERIFIED = "verified"
REVIEW = "review"
UNMATCHED = "unmatched"
STATUSES = (VERIFIED, REVIEW, UNMATCHED)

DEFAULT_VERIFIED_THRESHOLD = 0.99
DEFAULT_REVIEW_THRESHOLD = 0.2
DEFAULT_MIN_MARGIN = 5.0


def best_and_runner_up(
    record: NDArray[np.integer[Any]],
    weight: NDArray[np.floating[Any]],
    n_records: int,
    *,
    tie_break: NDArray[np.integer[Any]] | None = None,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The pair index of each record's best and second-best candidate (``-1`` if none).

    Parameters
    ----------
    record
        The record row (``0 .. n_records-1``) of each pair.
    weight
        The match weight of each pair (higher is better). NaN counts as the lowest.
    n_records
        The number of records; the outputs have this length.
    tie_break
        Optional key (e.g. the registry row) that orders equal weights, lowest first,
        so that the result does not depend on the order of the pairs.

    Returns
    -------
    best, second
        Two ``int64`` arrays of length ``n_records`` holding pair indices.

    Examples
    --------
    >>> import numpy as np
    >>> best_and_runner_up(np.array([1, 1]), np.array([2.0, 2.0]), 2,
    ...                    tie_break=np.array([7, 5]))
    (array([-1,  1]), array([-1,  0]))
    """
    record = np.asarray(record, dtype=np.int64)
    weight = np.asarray(weight, dtype=np.float64)
    if record.shape != weight.shape:
        raise ConfigurationError(
            f"record and weight must have the same length, got {record.shape} and {weight.shape}"
        )
    best = np.full(n_records, -1, dtype=np.int64)
    second = np.full(n_records, -1, dtype=np.int64)
    if record.size == 0:
        return best, second
    if record.min() < 0 or record.max() >= n_records:
        raise ConfigurationError(f"record rows must lie in 0..{n_records - 1}")
    key = np.where(np.isnan(weight), -np.inf, weight)
    tie = np.arange(len(record)) if tie_break is None else np.asarray(tie_break)
    if n_records == 1:  # a desk lookup: one sort of its few pairs, the same order
        order = np.lexsort((np.arange(len(record)), tie, -key))
        best[0] = order[0]
        if len(order) > 1:
            second[0] = order[1]
        return best, second
    # two passes of group maxima (no sort): the best pair, then the best of the others;
    # equal weights go to the lowest tie_break, then to the earliest pair
    first = _group_best(record, key, tie, n_records, np.ones(len(record), dtype=bool))
    has = first >= 0
    best[has] = first[has]
    rest = np.ones(len(record), dtype=bool)
    rest[first[has]] = False
    other = _group_best(record, key, tie, n_records, rest)
    has = other >= 0
    second[has] = other[has]
    return best, second


def _group_best(record: NDArray[np.integer[Any]], key: NDArray[np.float64], tie: NDArray[Any],
                n_records: int, mask: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Per record, the pair of ``mask`` with the highest key.

    Ties go to the lowest ``tie``, then to the earliest pair.
    """
    out = np.full(n_records, -1, dtype=np.int64)
    idx = np.flatnonzero(mask)
    if not len(idx):
        return out
    rec = record[idx]
    top = np.full(n_records, -np.inf)
    np.maximum.at(top, rec, key[idx])
    idx = idx[key[idx] == top[rec]]  # every pair at its record's highest key
    rec = record[idx]
    if len(idx) > np.count_nonzero(np.bincount(rec, minlength=n_records)):  # ties
        low = np.full(n_records, np.iinfo(np.int64).max, dtype=np.int64)
        t = tie[idx].astype(np.int64)
        np.minimum.at(low, rec, t)
        idx = idx[t == low[rec]]
        rec = record[idx]
    first = np.full(n_records, len(record), dtype=np.int64)
    np.minimum.at(first, rec, idx)  # still tied: the earliest pair
    found = first < len(record)
    out[found] = first[found]
    return out


def check_thresholds(verified_threshold: float, review_threshold: float, min_margin: float) -> None:
    """Raise :class:`~vnlink.exceptions.ConfigurationError` unless the thresholds make sense.

    >>> check_thresholds(0.5, 0.9, 5.0)
    Traceback (most recent call last):
    ...
    vnlink.exceptions.ConfigurationError: review_threshold (0.9) must not exceed ...
    """
    for name, value in (("verified_threshold", verified_threshold),
                        ("review_threshold", review_threshold)):
        if not 0.0 <= float(value) <= 1.0:
            raise ConfigurationError(f"{name} must be a probability in [0, 1], got {value}")
    if review_threshold > verified_threshold:
        raise ConfigurationError(
            f"review_threshold ({review_threshold}) must not exceed verified_threshold "
            f"({verified_threshold}); lower it or raise verified_threshold"
        )
    if not float(min_margin) >= 0.0:
        raise ConfigurationError(f"min_margin must be >= 0 (match-weight bits), got {min_margin}")


def assign_status(
    probability: NDArray[np.floating[Any]],
    margin: NDArray[np.floating[Any]],
    has_candidate: NDArray[np.bool_],
    *,
    verified_threshold: float = DEFAULT_VERIFIED_THRESHOLD,
    review_threshold: float = DEFAULT_REVIEW_THRESHOLD,
    min_margin: float = DEFAULT_MIN_MARGIN,
) -> NDArray[np.object_]:
    """The status of each record from its best candidate's probability and margin.

    Parameters
    ----------
    probability
        Match probability of the best candidate (ignored where ``has_candidate`` is False).
    margin
        Best match weight minus the runner-up's (``inf`` without a runner-up).
    has_candidate
        Whether the record has any candidate.
    verified_threshold, review_threshold, min_margin
        See the module docstring.

    Examples
    --------
    >>> import numpy as np
    >>> assign_status(np.array([0.9999]), np.array([0.5]), np.array([True])).tolist()
    ['review']
    """
    check_thresholds(verified_threshold, review_threshold, min_margin)
    probability = np.asarray(probability, dtype=np.float64)
    probability = np.where(np.isnan(probability), 0.0, probability)
    margin = np.asarray(margin, dtype=np.float64)
    margin = np.where(np.isnan(margin), np.inf, margin)
    has_candidate = np.asarray(has_candidate, dtype=bool)
    status = np.empty(len(probability), dtype=object)
    status[:] = UNMATCHED  # one shared string (np.full would copy it per row)
    reviewable = has_candidate & (probability >= review_threshold)
    status[reviewable] = REVIEW
    status[reviewable & (probability >= verified_threshold) & (margin >= min_margin)] = VERIFIED
    return status

"""Digit-string numbers compared in bulk: exact, one digit off, two neighbours swapped.

Shared by the ID number and phone comparisons, which map the outcomes onto
their own levels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink.compare import _encode, _kernels
from vnlink.compare.base import Index, pair_codes
from vnlink.table import Table

#: Outcomes of :func:`number_levels`, ordered from worst to best (``-1`` = missing).
DIFFERENT, SWAPPED, ONE_DIGIT, EXACT = 0, 1, 2, 3

_WIDTH = {"id_cccd": 12, "id_cmnd9": 9}  # other columns: 16 (BHYT has 15 characters)


def _digits(table: Table, column: str) -> tuple[NDArray[np.uint8], NDArray[np.int32]]:
    return _encode.vocab_feature(
        table, column, "digits", lambda v: _kernels.digit_matrix(v, _WIDTH.get(column, 16))
    )


def _packed(table: Table, column: str) -> tuple[NDArray[np.uint64], NDArray[np.int32]]:
    return _encode.vocab_feature(
        table, column, "packed", lambda v: _kernels.packed_digits(_kernels.digit_matrix(v, 16))
    )


def _lengths(table: Table, column: str) -> tuple[NDArray[np.int32], NDArray[np.int32]]:
    return _encode.vocab_feature(table, column, "lengths", _kernels.string_lengths)


def number_levels(
    left: Table,
    right: Table,
    column: str,
    left_idx: Index,
    right_idx: Index,
    comparable: NDArray[np.bool_] | None = None,
) -> tuple[NDArray[np.int8], NDArray[np.float32]]:
    """Outcome per pair (:data:`DIFFERENT` ... :data:`EXACT`, ``-1`` missing) and scores."""
    a, b = pair_codes(left, right, column, left_idx, right_idx)
    ok = (a != 0) & (b != 0)
    if comparable is not None:
        ok &= comparable
    levels = np.full(len(a), -1, dtype=np.int8)
    scores = np.full(len(a), np.nan, dtype=np.float32)
    exact = ok & (a == b)
    levels[ok] = DIFFERENT
    scores[ok] = 0.0
    todo = np.flatnonzero(ok & ~exact)
    if len(todo):
        pa, ca = _packed(left, column)
        pb, cb = _packed(right, column)
        la, _ = _lengths(left, column)
        lb, _ = _lengths(right, column)
        ra, rb = ca[left_idx[todo]], cb[right_idx[todo]]
        length_a = la[ra]
        same_length = length_a == lb[rb]
        diff = _kernels.nibble_differences(pa[ra], pb[rb])
        sub = np.full(len(todo), DIFFERENT, dtype=np.int8)
        two = np.flatnonzero(same_length & (diff == 2))
        if len(two):
            da, _ = _digits(left, column)
            db, _ = _digits(right, column)
            swapped = _kernels.adjacent_transposition(da[ra[two]], db[rb[two]])
            sub[two[swapped]] = SWAPPED
        sub[same_length & (diff == 1)] = ONE_DIGIT
        levels[todo] = sub
        length = np.maximum(length_a, 1).astype(np.float32)
        scores[todo] = np.where(same_length, 1.0 - np.minimum(diff, length) / length, 0.0)
    levels[exact] = EXACT
    scores[exact] = 1.0
    return levels, scores


#: Optional bool column of a table compared with itself that marks the registry rows
#: (the rows that hold numbers for :func:`household_number`); without it, every row.
REGISTRY_ROW = "registry_row"


def _houses(column: str) -> Callable[[Table], tuple[NDArray[Any], ...]]:
    def houses(table: Table) -> tuple[NDArray[Any], ...]:
        """Per row its household (commune and street; 0 unknown), and the sorted keys
        ``number code * (households + 1) + household`` of the registry rows with the
        number of each key."""
        ward = _encode.encode(table, "ward").codes.astype(np.int64)
        street = _encode.encode(table, "street").codes.astype(np.int64)
        known = (ward > 0) & (street > 0)
        pair = np.where(known, ward * (int(street.max(initial=0)) + 1) + street, -1)
        _, dense = np.unique(pair, return_inverse=True)
        house = np.where(known, dense.reshape(-1) + (0 if (~known).any() else 1), 0)
        size = np.int64(int(house.max(initial=0)) + 1)
        code = _encode.encode(table, column).codes.astype(np.int64)
        if REGISTRY_ROW in table:  # the households are the registry's only
            house = np.where(np.asarray(table[REGISTRY_ROW], dtype=bool), house, 0)
        holds = (code > 0) & (house > 0)
        keys, counts = np.unique(code[holds] * size + house[holds], return_counts=True)
        return house, holds, keys, counts.astype(np.int64), np.array([size])

    return houses


def _held(a: Table, b: Table, column: str, a_idx: Index, b_idx: Index) -> NDArray[np.bool_]:
    out = np.zeros(len(a_idx), dtype=bool)
    if "ward" not in a or "street" not in a:  # no address: no household
        return out
    columns = (column, "ward", "street", REGISTRY_ROW)
    house, holds, keys, counts, size = _encode.table_feature(
        a, f"house:{column}", columns, _houses(column)
    )
    ca, cb = pair_codes(a, b, column, a_idx, b_idx)
    own = house[a_idx]
    rows = np.flatnonzero((cb > 0) & (cb != ca) & (own > 0))
    if not len(rows) or not len(keys):
        return out
    query = cb[rows].astype(np.int64) * size[0] + own[rows]
    pos = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    held = np.where(keys[pos] == query, counts[pos], 0)
    if b is a:  # the other row holds its own number: it is not a household member's
        other = b_idx[rows]
        held -= holds[other] & (house[other] == own[rows])
    out[rows] = held > 0
    return out
def household_number(
    a: Table, b: Table, column: str, a_idx: Index, b_idx: Index
) -> NDArray[np.bool_]:
    """Pairs whose ``b`` number is not ``a``'s but another ``a`` row's of the same household.

    A household is a commune and street (``ward``, ``street``) of table ``a``
    (the registry); a table without them has no households. When ``a`` is
    ``b`` (deduplication, or a registry index comparing candidates and queries
    in one table) either side may carry the other household member's number,
    and only the rows marked in the column :data:`REGISTRY_ROW`, when there is
    one, belong to households.

    >>> t = Table({"phone": ["0912", "", "0988", "0912"], "ward": ["w", "w", "v", "w"],
    ...            "street": ["s", "s", "s", "s"]})
    >>> household_number(t, t, "phone", np.array([1, 2, 0]), np.array([3, 3, 3])).tolist()
    [True, False, False]
    """
    out = _held(a, b, column, a_idx, b_idx)
    if b is a:
        out |= _held(b, a, column, b_idx, a_idx)
    return out

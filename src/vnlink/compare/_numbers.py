"""Digit-string numbers compared in bulk: exact, one digit off, two neighbours swapped.

Shared by the ID number and phone comparisons, which map the outcomes onto
their own levels.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from vnlink.compare import _encode, _kernels, households
from vnlink.compare.base import Index, current_households, pair_codes
from vnlink.compare.households import HouseholdNumbers
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


def _local_holders(table: Table, column: str) -> HouseholdNumbers:
    """The holders counted in ``table`` itself (cached until its columns change)."""
    columns = (column, *households.HOUSEHOLD_COLUMNS, households.REGISTRY_ROW)
    holders: HouseholdNumbers = _encode.table_feature(
        table, f"holders:{column}", columns,
        lambda t: HouseholdNumbers.from_table(t, [column]))
    return holders


def _houses(table: Table, other: Table, rows: Index, *, left: bool) -> NDArray[np.uint64]:
    """Per row of ``rows`` its registry household's hash (0: none or not a registry row).

    The left table's rows are registry rows, and so are the right table's when it is
    the left one (deduplication); another right table (records) has none, unless it
    marks its registry rows in :data:`~vnlink.compare.households.REGISTRY_ROW`.
    """
    if not left and table is not other and households.REGISTRY_ROW not in table:
        return np.zeros(len(rows), dtype=np.uint64)
    houses = households.house_hashes(table)[rows]
    if households.REGISTRY_ROW in table:
        houses[~households.registry_rows(table)[rows]] = 0
    return houses


def household_number(
    a: Table, b: Table, column: str, a_idx: Index, b_idx: Index
) -> NDArray[np.bool_]:
    """Pairs where one side's number is not the other's but another registry person's of
    the other side's household.

    A household is a commune and street (``ward``, ``street``) of a registry row.
    The holders are those given to :meth:`ComparisonSet.compute
    <vnlink.compare.ComparisonSet.compute>` (``households=``, the whole
    registry's), else those counted in ``a``. ``a``'s rows are registry rows;
    ``b``'s are too when ``b`` is ``a`` (deduplication) or when ``b`` marks them
    in the column :data:`~vnlink.compare.households.REGISTRY_ROW` (which also
    restricts ``a``'s). A row that holds its own number is not a household
    member holding it.

    >>> t = Table({"phone": ["0912", "", "0988", "0912"], "ward": ["w", "w", "v", "w"],
    ...            "street": ["s", "s", "s", "s"]})
    >>> household_number(t, t, "phone", np.array([1, 2, 0]), np.array([3, 3, 3])).tolist()
    [True, False, False]
    """
    out = np.zeros(len(a_idx), dtype=bool)
    if not len(a_idx):
        return out
    given = current_households()
    holders = given if given is not None and column in given else _local_holders(a, column)
    na = households.number_hashes(a, column, a_idx)
    nb = households.number_hashes(b, column, b_idx)
    ha = _houses(a, b, a_idx, left=True)
    hb = _houses(b, a, b_idx, left=False)
    differ = na != nb
    for number, house, other_house in ((nb, ha, hb), (na, hb, ha)):
        rows = np.flatnonzero(differ & (number != 0) & (house != 0))
        if not len(rows):
            continue
        held = holders.count(column, number[rows], house[rows])
        # the other row, a registry row of the same household, holds its own number
        held -= other_house[rows] == house[rows]
        out[rows] |= held > 0
    return out

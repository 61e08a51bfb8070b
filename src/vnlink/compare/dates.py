"""Comparison of partial dates of birth, with the errors Vietnamese records really carry.

Births registered before 2016 may have only a year, 01/01 is a common
placeholder for "year only", day and month get swapped on entry, and
impossible dates (30/02, 31/04) are corrected to a day or two later on
re-registration. :class:`DateOfBirthComparison` has a level for each.

Examples
--------
>>> import numpy as np
>>> from vnlink.table import Table
>>> t = Table({
...     "dob_year": np.array([1980, 1980, 1980, 1980, 1980, 1980, 1981, 1990, 0], dtype=np.int16),
...     "dob_month": np.array([5, 5, 7, 5, 0, 5, 5, 5, 0], dtype=np.int8),
...     "dob_day": np.array([7, 7, 5, 9, 0, 30, 7, 7, 0], dtype=np.int8),
... })
>>> c = DateOfBirthComparison()
>>> levels, _ = c.compute(np.zeros(9, dtype=np.int64), np.arange(9), t, t)
>>> [c.level_labels[v] if v >= 0 else "missing" for v in levels]
['exact', 'exact', 'day/month swapped', 'within 2 days', 'compatible with year only',
 'same year and month', 'year ±1', 'else', 'missing']
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink.compare import _encode, _kernels
from vnlink.compare.base import Comparison, Index, Levels, Scores, mark_missing, new_levels
from vnlink.compare.levels import Ladder, Level
from vnlink.exceptions import ConfigurationError
from vnlink.table import Table

__all__ = ["DateOfBirthComparison"]

_YEAR_ONLY_FLAG = "possibly_year_only"


def _flag_feature(vocab: NDArray[np.object_]) -> NDArray[np.bool_]:
    return np.array([_YEAR_ONLY_FLAG in str(v).split(";") for v in vocab.tolist()], dtype=bool)


def _precision_feature(vocab: NDArray[np.object_]) -> NDArray[np.bool_]:
    return np.array([v == "year" for v in vocab.tolist()], dtype=bool)


_MISSING = Level("missing", "the year of birth is unknown on either side", reason="dob_missing")
_DATE_COLUMNS = ("dob_year", "dob_month", "dob_day", "dob_flags", "dob_precision")


def _table_dates(table: Table) -> tuple[NDArray[Any], ...]:
    """Per row: year, month, day (0 = unknown), may-be-year-only, day number."""
    year = _encode.numeric_column(table, "dob_year").astype(np.int32)
    month = _encode.numeric_column(table, "dob_month").astype(np.int32)
    day = _encode.numeric_column(table, "dob_day").astype(np.int32)
    year = np.where((year > 0) & (year < 10000), year, 0)
    month = np.where((month >= 1) & (month <= 12), month, 0)
    day = np.where((day >= 1) & (day <= 31) & (month > 0), day, 0)
    year_only = (month == 0) | ((month == 1) & (day == 1))
    for column, key, func in (
        ("dob_flags", "year_only_flag", _flag_feature),
        ("dob_precision", "year_precision", _precision_feature),
    ):
        if column in table and table[column].dtype == object:
            feature, codes = _encode.vocab_feature(table, column, key, func)
            year_only |= feature[codes]
    days = _days(year, month, day).astype(np.int32)
    return (
        year.astype(np.int16),
        month.astype(np.int8),
        day.astype(np.int8),
        year_only,
        days,
    )


def _date_parts(table: Table, idx: Index) -> tuple[NDArray[Any], ...]:
    """Year, month, day, may-be-year-only and day number of the rows ``idx``."""
    parts = _encode.table_feature(table, "dob", _DATE_COLUMNS, _table_dates)
    return tuple(part[idx] for part in parts)


@dataclass(frozen=True)
class DateOfBirthComparison(Comparison):
    """Partial dates of birth (``dob_year``, ``dob_month``, ``dob_day``; 0 = unknown).

    Levels (``-1`` when either year is unknown):

    ===  ==========================  ===================================================
    6    exact                       same year, month and day
    5    day/month swapped           07/05 against 05/07 of the same year
    4    within 2 days               a corrected impossible date, a slip of a day
    3    compatible with year only   same year, and one side has only a year, or
                                     01/01 (a common placeholder), or the flag
                                     ``possibly_year_only`` in ``dob_flags``
    2    same year and month         the day differs by more than 2, or is unknown
    1    year ±1                     the years differ by one, with the same day and
                                     month or a year-only side (a slip in the year,
                                     lunar years, age counting)
    0    else
    ===  ==========================  ===================================================

    With ``one_digit=True`` (the default comparison set, :func:`default_comparisons`)
    a level ``one digit different`` sits between ``else`` and ``year ±1`` (the others
    move up one): two full dates whose ``DDMMYYYY`` forms differ in exactly one digit,
    a typing slip such as 14/03 against 19/03 or 1985 against 1935. It is off by
    default so that models saved without it keep their levels.

    Scores are ``1 - |difference in days| / 3652`` (0 beyond ten years), with
    an unknown month read as July and an unknown day as the 15th.

    Parameters
    ----------
    max_days
        Largest difference in days for level 4 (default 2).
    one_digit
        Add the level ``one digit different`` (see above).
    tf_column
        Term-frequency column for the exact level: ``"dob"``, the full date.

    Examples
    --------
    >>> DateOfBirthComparison().tf_levels
    (6,)
    >>> DateOfBirthComparison(one_digit=True).level_labels[:3]
    ('else', 'one digit different', 'year ±1')
    """

    max_days: int = 2
    one_digit: bool = False
    tf_column: str | None = field(default="dob", kw_only=True)

    def __post_init__(self) -> None:
        if not isinstance(self.max_days, int) or isinstance(self.max_days, bool) or not (
            1 <= self.max_days <= 31
        ):
            raise ConfigurationError("max_days must be a whole number of days in 1..31")
        if not isinstance(self.one_digit, bool):
            raise ConfigurationError("one_digit must be True or False")
        super().__post_init__()

    def default_name(self) -> str:
        return "dob"

    @property
    def levels(self) -> tuple[Level, ...]:
        return self._ladder().levels

    @property
    def missing_level(self) -> Level:
        return _MISSING

    def _ladder(self) -> Ladder:
        return _dob_ladder(self.max_days, self.one_digit)

    def compute(
        self, left_idx: Index, right_idx: Index, left: Table, right: Table
    ) -> tuple[Levels, Scores]:
        ya, ma, da, oa, xa = _date_parts(left, left_idx)
        yb, mb, db, ob, xb = _date_parts(right, right_idx)
        missing = (ya == 0) | (yb == 0)
        at = self._ladder()
        levels = new_levels(len(ya))
        same_year = ya == yb
        full = (da > 0) & (db > 0)
        same_day_month = (ma == mb) & (da == db)
        if self.one_digit:
            levels[full & (_digits_off(ya, ma, da, yb, mb, db) == 1)] = at.one_digit
        levels[(np.abs(ya.astype(np.int32) - yb) == 1) & (same_day_month | oa | ob)] = at.year_near
        same_month = same_year & (ma == mb) & (ma > 0)
        levels[same_month] = at.same_month
        levels[same_year & (oa | ob)] = at.year_only
        days = np.abs(xa - xb)
        levels[full & (days <= self.max_days)] = at.days_off
        swapped = same_year & full & (da == mb) & (ma == db) & (da != ma)
        levels[swapped] = at.swapped
        levels[full & same_year & same_day_month] = at.exact
        scores = (1.0 - np.minimum(days, 3652) / 3652.0).astype(np.float32)
        return mark_missing(levels, scores, missing)


@functools.lru_cache(maxsize=16)
def _dob_ladder(max_days: int, one_digit: bool) -> Ladder:
    """The levels of a date comparison with these parameters (built once, shared)."""
    slip = {"one_digit": Level(
        "one digit different", "full dates whose DDMMYYYY forms differ in one digit",
        reason="dob_one_digit",
    )} if one_digit else {}
    return Ladder(
        other=Level("else", "none of the below", reason="dob_different"),
        **slip,
        year_near=Level(
            "year ±1", "the years differ by one, with the same day and month or a "
            "year-only side", reason="dob_year_different",
        ),
        same_month=Level(
            "same year and month", "the day differs by more than "
            f"{max_days} or is unknown", reason="dob_day_different",
        ),
        year_only=Level(
            "compatible with year only", "same year; one side has only a year, 01/01 "
            "or the flag possibly_year_only", reason="dob_year_only",
        ),
        days_off=Level(
            f"within {max_days} days", "full dates at most "
            f"{max_days} days apart", reason="dob_days_off",
        ),
        swapped=Level(
            "day/month swapped", "07/05 against 05/07 of the same year",
            reason="dob_day_month_swapped",
        ),
        exact=Level("exact", "same year, month and day", tf=True, exact=True),
    )


def _digits_off(ya: NDArray[Any], ma: NDArray[Any], da: NDArray[Any], yb: NDArray[Any],
                mb: NDArray[Any], db: NDArray[Any]) -> NDArray[np.int8]:
    """How many of the eight digits of ``DDMMYYYY`` differ between two dates.

    >>> a = np.array([1985, 1985, 1985]), np.array([3, 3, 3]), np.array([14, 14, 14])
    >>> b = np.array([1985, 1935, 1986]), np.array([3, 8, 3]), np.array([19, 14, 14])
    >>> _digits_off(*a, *b).tolist()
    [1, 2, 1]
    """
    return _kernels.nibble_differences(_kernels.decimal_digits((da, 2), (ma, 2), (ya, 4)),
                                       _kernels.decimal_digits((db, 2), (mb, 2), (yb, 4)))


def _days(year: NDArray[Any], month: NDArray[Any], day: NDArray[Any]) -> NDArray[np.int64]:
    safe_month = np.where(month > 0, month, 7)
    safe_day = np.where(day > 0, day, np.where(month > 0, 15, 1))
    return _kernels.day_number(np.maximum(year, 1), safe_month, safe_day)

"""Comparison of phone numbers and sex.

Phones arrive normalized by ``vnlink.prepare`` (10-digit national form, old
11-digit prefixes converted), so agreement is exact equality, with one level
for a single mistyped or swapped digit. Sex is ``M``/``F``.

Examples
--------
>>> import numpy as np
>>> from vnlink.table import Table
>>> t = Table({"phone": ["0912345678", "0912345678", "0912345679", "0913245678", "0987654321", ""],
...            "sex": ["M", "M", "F", "", "M", "F"]})
>>> p = PhoneComparison()
>>> [p.level_labels[v] if v >= 0 else "missing"
...  for v in p.compute(np.zeros(6, dtype=np.int64), np.arange(6), t, t)[0]]
['exact', 'exact', 'one digit different or swapped', 'one digit different or swapped',
 'different', 'missing']
>>> SexComparison().compute(np.zeros(4, dtype=np.int64), np.arange(4), t, t)[0].tolist()
[1, 1, 0, -1]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from vnlink.compare import _encode, _numbers
from vnlink.compare.base import Comparison, Index, Levels, Scores, mark_missing
from vnlink.compare.levels import Ladder, Level
from vnlink.exceptions import ConfigurationError
from vnlink.table import Table

__all__ = ["PhoneComparison", "SexComparison"]


@dataclass(frozen=True)
class PhoneComparison(Comparison):
    """Normalized phone numbers (``phone``).

    Levels: ``2`` exact; ``1`` one digit different or two adjacent digits
    swapped (when ``near_miss``); ``0`` different; ``-1`` missing. Scores are
    the share of equal digits.

    Parameters
    ----------
    column
        The phone column (default ``phone``).
    near_miss
        Keep level 1; with ``False`` the levels are just different / exact.
    tf_column
        Term-frequency column for the exact level (default ``phone``): a
        household phone given for several people weighs less than a phone of
        one person; ``None`` for no adjustment.
    household_numbers
        Add a level ``a household member's number`` above ``different``: the
        other record's phone is another person's of the same household in this
        table (same ``ward`` and ``street``), as children and old people often
        give a relative's phone. Off by default so that models saved without it
        keep their levels; the default comparison set turns it on (see
        :class:`~vnlink.compare.IdComparison`).

    Examples
    --------
    >>> PhoneComparison().tf_levels
    (2,)
    """

    column: str = "phone"
    near_miss: bool = True
    household_numbers: bool = False
    tf_column: str | None = field(default="phone", kw_only=True)

    def __post_init__(self) -> None:
        if not isinstance(self.near_miss, bool):
            raise ConfigurationError("near_miss must be True or False")
        if not isinstance(self.household_numbers, bool):
            raise ConfigurationError("household_numbers must be True or False")
        super().__post_init__()

    @property
    def levels(self) -> tuple[Level, ...]:
        return self._ladder().levels

    @property
    def household_column(self) -> str | None:
        """The number column whose household holders the comparison looks up (or ``None``)."""
        return self.column if self.household_numbers else None

    def _ladder(self) -> Ladder:
        other = Level("different", "another number", reason="phone_different")
        exact = Level("exact", "the same number", tf=True, exact=True)
        house = {"household": Level(
            "a household member's number", "another person's number of the same household "
            "(same commune and street)", reason="phone_household_member",
        )} if self.household_numbers else {}
        if not self.near_miss:
            return Ladder(other=other, **house, exact=exact)
        near = Level(
            "one digit different or swapped", "one digit mistyped or two neighbouring "
            "digits swapped", reason="phone_one_digit",
        )
        return Ladder(other=other, **house, near=near, exact=exact)

    def compute(
        self, left_idx: Index, right_idx: Index, left: Table, right: Table
    ) -> tuple[Levels, Scores]:
        outcome, scores = _numbers.number_levels(left, right, self.column, left_idx, right_idx)
        at = self._ladder()
        out = np.where(outcome < 0, -1, at.other).astype(np.int8)
        out[outcome == _numbers.EXACT] = at.exact
        if self.near_miss:
            out[(outcome == _numbers.SWAPPED) | (outcome == _numbers.ONE_DIGIT)] = at.near
        if self.household_numbers:
            loose = np.flatnonzero(out == at.other)
            if len(loose):
                member = _numbers.household_number(
                    left, right, self.column, left_idx[loose], right_idx[loose]
                )
                out[loose[member]] = at.household
        return out, scores


_SEX = Ladder(
    other=Level("different", "M against F", reason="sex_different"),
    same=Level("same", "the same sex", tf=True, exact=True),
)


@dataclass(frozen=True)
class SexComparison(Comparison):
    """Sex (``M``/``F``): ``1`` same, ``0`` different, ``-1`` missing.

    ``sex`` may come from the name (the middle name "Thị"), see ``sex_source``.
    """

    column: str = "sex"

    @property
    def levels(self) -> tuple[Level, ...]:
        return _SEX.levels

    def compute(
        self, left_idx: Index, right_idx: Index, left: Table, right: Table
    ) -> tuple[Levels, Scores]:
        a = _encode.sex_codes(left, self.column, left_idx)
        b = _encode.sex_codes(right, self.column, right_idx)
        levels = np.where(a == b, _SEX.same, _SEX.other).astype(np.int8)
        return mark_missing(levels, levels.astype(np.float32), (a == 0) | (b == 0))

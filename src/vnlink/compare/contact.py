"""Comparison of phone numbers and sex.

Phones arrive normalized by ``vnlink.prepare`` (10-digit national form, old
11-digit prefixes converted), so agreement is exact equality, with one level
for a single mistyped or swapped digit. Sex is ``M``/``F``.

Examples
--------
>>> import numpy as np
>>> from vnlink._table import Table
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

from vnlink._table import Table
from vnlink.compare import _encode
from vnlink.compare.base import Comparison, Index, Levels, Scores, mark_missing
from vnlink.compare.ids import _number_levels
from vnlink.exceptions import ConfigurationError

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

    Examples
    --------
    >>> PhoneComparison().tf_levels
    (2,)
    """

    column: str = "phone"
    near_miss: bool = True
    tf_column: str | None = field(default="phone", kw_only=True)

    def __post_init__(self) -> None:
        if not isinstance(self.near_miss, bool):
            raise ConfigurationError("near_miss must be True or False")
        super().__post_init__()

    @property
    def level_labels(self) -> tuple[str, ...]:
        if self.near_miss:
            return ("different", "one digit different or swapped", "exact")
        return ("different", "exact")

    def compute(
        self, left_idx: Index, right_idx: Index, left: Table, right: Table
    ) -> tuple[Levels, Scores]:
        levels, scores = _number_levels(left, right, self.column, left_idx, right_idx)
        out = np.where(levels == 4, self.n_levels - 1, np.minimum(levels, 0)).astype(np.int8)
        if self.near_miss:
            out[(levels == 2) | (levels == 3)] = 1
        return out, scores


@dataclass(frozen=True)
class SexComparison(Comparison):
    """Sex (``M``/``F``): ``1`` same, ``0`` different, ``-1`` missing.

    ``sex`` may come from the name (the middle name "Thị"), see ``sex_source``.
    """

    column: str = "sex"

    @property
    def level_labels(self) -> tuple[str, ...]:
        return ("different", "same")

    def compute(
        self, left_idx: Index, right_idx: Index, left: Table, right: Table
    ) -> tuple[Levels, Scores]:
        a = _encode.sex_codes(left, self.column, left_idx)
        b = _encode.sex_codes(right, self.column, right_idx)
        levels = (a == b).astype(np.int8)
        return mark_missing(levels, levels.astype(np.float32), (a == 0) | (b == 0))

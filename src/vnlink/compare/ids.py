"""Comparison of identity numbers: CCCD (12 digits), old CMND (9 digits), BHXH/BHYT.

Numbers of different kinds cannot be compared: a 9-digit CMND says nothing
about a CCCD, so such a pair is *missing* (``-1``), not a disagreement. A CCCD
encodes the birth year and sex of its holder, so it can contradict the other
record's date of birth or sex even when the other record has no comparable
number; that gets its own level.

Examples
--------
>>> import numpy as np
>>> from vnlink.table import Table
>>> t = Table({
...     "id_kind": ["cccd", "cccd", "cccd", "cccd", "cmnd9", "cccd"],
...     "id": ["001080012345", "001080012346", "001080012354", "079080000001",
...            "012345678", "001080012345"],
...     "id_cccd": ["001080012345", "001080012346", "001080012354", "079080000001",
...                 "", "001080012345"],
...     "id_cmnd9": ["", "", "", "", "012345678", ""],
...     "id_birth_year": np.array([1980, 1980, 1980, 1980, 0, 1980], dtype=np.int16),
...     "id_sex": ["M", "M", "M", "M", "", "M"],
...     "dob_year": np.array([1980, 1980, 1980, 1980, 1975, 1980], dtype=np.int16),
...     "sex": ["M", "M", "M", "M", "M", "M"],
... })
>>> c = IdComparison()
>>> levels, _ = c.compute(np.zeros(6, dtype=np.int64), np.arange(6), t, t)
>>> [c.level_labels[v] if v >= 0 else "missing" for v in levels]
['exact', 'one digit different', 'adjacent digits swapped', 'different',
 'CCCD contradicts birth year or sex', 'exact']
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from vnlink.compare import _encode, _kernels, _numbers
from vnlink.compare.base import Comparison, Index, Levels, Scores, pair_codes
from vnlink.compare.levels import Ladder, Level
from vnlink.exceptions import ConfigurationError
from vnlink.table import Table

__all__ = ["IdComparison"]

_DIRECT_KINDS = ("cccd", "cmnd9", "cmnd12")


_DIFFERENT = Level("different", "numbers of a common kind that differ", reason="id_different")
_CONTRADICTS = Level(
    "CCCD contradicts birth year or sex",
    "a CCCD's encoded birth year or sex disagrees with the other record's (the numbers "
    "differ or cannot be compared), or equal numbers whose birth year clearly "
    "disagrees (a relative's number)",
    reason="id_cccd_conflict",
)
_NEAR = {
    "swapped": Level(
        "adjacent digits swapped", "two neighbouring digits swapped", reason="id_transposed"
    ),
    "one_digit": Level("one digit different", "a typing slip", reason="id_one_digit"),
    "exact": Level("exact", "the same number", exact=True),
}
_LADDER = Ladder(other=_DIFFERENT, contradicts=_CONTRADICTS, **_NEAR)
_LADDER_RELATIVES = Ladder(
    other=_DIFFERENT,
    contradicts=_CONTRADICTS,
    relative=Level(
        "a household member's number",
        "the record's CCCD differs from the registry person's but is the CCCD of another "
        "registry person of the same household (same commune and street)",
        reason="id_household_member",
    ),
    **_NEAR,
)


def _outcome_levels(ladder: Ladder) -> NDArray[np.int8]:
    """The level of each outcome of ``_numbers.number_levels`` (-1 missing, different ... exact)."""
    return np.array([-1, ladder.other, ladder.swapped, ladder.one_digit, ladder.exact],
                    dtype=np.int8)


_MISSING = Level(
    "missing", "no number of a common kind (a CMND against a CCCD), no contradiction",
    reason="id_missing",
)


@dataclass(frozen=True)
class IdComparison(Comparison):
    """Identity numbers, compared only within the same kind.

    A CCCD is compared with a CCCD (``id_cccd``, which also holds 12-digit
    CMNDs), a 9-digit CMND with a 9-digit CMND (``id_cmnd9``, which also holds
    the registry's old number), and any other kind (BHXH, BHYT) with a number
    of the same ``id_kind``. When two records share several kinds the best
    agreement counts.

    Levels:

    ===  =====================================  ==========================================
    4    exact                                  the same number
    3    one digit different                    a typing slip
    2    adjacent digits swapped                ``...12345`` against ``...12354``
    1    CCCD contradicts birth year or sex     a CCCD's encoded birth year or sex disagrees
                                                with the other record's, and the numbers
                                                differ or cannot be compared; or the numbers
                                                are equal but the birth year differs in two
                                                or more digits, or in one digit and the sex
                                                differs too (a relative's number)
    0    different
    -1   missing                                no number of a common kind (a CMND against
                                                a CCCD), and no contradiction
    ===  =====================================  ==========================================

    Scores are the share of equal digits (NaN when missing; 0 for a contradiction
    without comparable numbers).

    Parameters
    ----------
    check_cccd
        Use level 1 (the CCCD's encoded birth year and sex, ``id_birth_year``
        and ``id_sex``, against ``dob_year`` and ``sex`` of the other record).
    tolerate_slips
        For level 1 with numbers that differ or cannot be compared, read a birth
        year one digit or one year off, or a different sex alone, as a slip of the
        other record's date or sex (which the date and sex comparisons already
        count), not as a contradiction; both together still contradict. Off by
        default so that models saved without it keep their levels; the default
        comparison set (:func:`default_comparisons`) turns it on.
    household_numbers
        Add a level ``a household member's number`` above level 1: the other
        record's CCCD is not this person's but that of another person of the same
        household in this table (same ``ward`` and ``street``), as children and old
        people often give a parent's or child's. Such a number says "this
        household", not "another person". The holders are the whole registry's
        (:class:`~vnlink.compare.households.HouseholdNumbers`), the same in
        ``Linker.link``, a ``RegistryIndex`` and ``vnlink.spark``. Off by default
        so that models saved without it keep their levels; the default
        comparison set (:func:`default_comparisons`) turns it on.

    Examples
    --------
    >>> IdComparison().level_labels[1]
    'CCCD contradicts birth year or sex'
    """

    check_cccd: bool = True
    tolerate_slips: bool = False
    household_numbers: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.check_cccd, bool):
            raise ConfigurationError("check_cccd must be True or False")
        if not isinstance(self.tolerate_slips, bool):
            raise ConfigurationError("tolerate_slips must be True or False")
        if not isinstance(self.household_numbers, bool):
            raise ConfigurationError("household_numbers must be True or False")
        super().__post_init__()

    def default_name(self) -> str:
        return "id"

    @property
    def levels(self) -> tuple[Level, ...]:
        return self._ladder().levels

    def _ladder(self) -> Ladder:
        return _LADDER_RELATIVES if self.household_numbers else _LADDER

    @property
    def household_column(self) -> str | None:
        """The number column whose household holders the comparison looks up (or ``None``)."""
        return "id_cccd" if self.household_numbers else None

    @property
    def missing_level(self) -> Level:
        return _MISSING

    def compute(
        self, left_idx: Index, right_idx: Index, left: Table, right: Table
    ) -> tuple[Levels, Scores]:
        outcome, scores = _numbers.number_levels(left, right, "id_cccd", left_idx, right_idx)
        for column, comparable in (("id_cmnd9", None), ("id", self._other_kinds)):
            if comparable is not None:
                mask = comparable(left, right, left_idx, right_idx)
                if not mask.any():
                    continue
            else:
                mask = None
            lv, sc = _numbers.number_levels(left, right, column, left_idx, right_idx, mask)
            better = lv > outcome
            outcome[better] = lv[better]
            scores[better] = sc[better]
            tie = (lv == outcome) & (lv >= 0)
            scores[tie] = np.fmax(scores[tie], sc[tie])
        at = self._ladder()
        levels = _outcome_levels(at)[outcome.astype(np.int64) + 1]
        if self.check_cccd:
            slips = self.tolerate_slips
            contradicts = _contradicts(left, right, left_idx, right_idx, slips=slips) | (
                _contradicts(right, left, right_idx, left_idx, slips=slips)
            )
            # Equal numbers whose encoded birth year clearly contradicts the other record
            # are a relative's number (a parent's CCCD typed for a child), not an exact
            # agreement. "Clearly": a birth year differing in two or more digits, or in
            # any digit together with the sex (one mistyped digit of the date, or a wrong
            # sex alone, stays exact). Near misses keep their level.
            hit = contradicts & (levels <= at.other)
            exact = np.flatnonzero(levels == at.exact)
            if len(exact):
                li, ri = left_idx[exact], right_idx[exact]
                relative = _relative_number(left, right, li, ri) | _relative_number(
                    right, left, ri, li
                )
                hit[exact[relative]] = True
            levels[hit] = at.contradicts
            scores[hit] = np.where(np.isnan(scores[hit]), 0.0, scores[hit])
        if self.household_numbers:
            loose = np.flatnonzero(levels <= at.contradicts)
            if len(loose):
                li, ri = left_idx[loose], right_idx[loose]
                member = _numbers.household_number(left, right, "id_cccd", li, ri)
                levels[loose[member]] = at.relative
                scores[loose[member]] = 0.0
        return levels, scores

    @staticmethod
    def _other_kinds(
        left: Table, right: Table, left_idx: Index, right_idx: Index
    ) -> NDArray[np.bool_]:
        kinds_left = set(_encode.encode(left, "id_kind").vocab.tolist())
        kinds_right = set(_encode.encode(right, "id_kind").vocab.tolist())
        if not (kinds_left & kinds_right) - {"", *_DIRECT_KINDS}:
            return np.zeros(len(left_idx), dtype=bool)  # no other kind on both sides
        ka, kb = pair_codes(left, right, "id_kind", left_idx, right_idx)
        vocab = _encode.joint_vocab(left, right, "id_kind")
        direct = np.isin(vocab, np.array(_DIRECT_KINDS, dtype=object))
        direct[0] = True
        out: NDArray[np.bool_] = (ka == kb) & ~direct[ka]
        return out


def _contradicts(
    a: Table, b: Table, a_idx: Index, b_idx: Index, *, slips: bool = False
) -> NDArray[np.bool_]:
    """``a``'s CCCD encodes a birth year or sex that ``b``'s record contradicts.

    With ``slips``, a birth year one digit or one year off counts only together
    with a different sex, and a different sex alone does not count.
    """
    year = _encode.numeric_column(a, "id_birth_year")[a_idx].astype(np.int64)
    other_year = _encode.numeric_column(b, "dob_year")[b_idx].astype(np.int64)
    year_differs = (year > 0) & (other_year > 0) & (year != other_year)
    sex = _encode.sex_codes(a, "id_sex", a_idx)
    other_sex = _encode.sex_codes(b, "sex", b_idx)
    sex_differs = (sex > 0) & (other_sex > 0) & (sex != other_sex)
    if not slips:
        out: NDArray[np.bool_] = year_differs | sex_differs
        return out
    slip = (_year_digits_off(year, other_year) <= 1) | (np.abs(year - other_year) <= 1)
    out = year_differs & (~slip | sex_differs)
    return out


def _year_digits_off(year: NDArray[np.int64], other: NDArray[np.int64]) -> NDArray[np.int8]:
    """How many of the four digits of two years differ.

    >>> _year_digits_off(np.array([1985, 1985, 1989]), np.array([1935, 1985, 1990])).tolist()
    [1, 0, 2]
    """
    return _kernels.nibble_differences(_kernels.decimal_digits((year, 4)),
                                       _kernels.decimal_digits((other, 4)))


def _relative_number(a: Table, b: Table, a_idx: Index, b_idx: Index) -> NDArray[np.bool_]:
    """``a``'s CCCD encodes a birth year that ``b``'s date of birth clearly contradicts.

    Clearly: two or more of the four digits differ, or one differs and the sex differs too.
    """
    year = _encode.numeric_column(a, "id_birth_year")[a_idx].astype(np.int64)
    other_year = _encode.numeric_column(b, "dob_year")[b_idx].astype(np.int64)
    known = (year > 0) & (other_year > 0)
    digits = _year_digits_off(year, other_year)
    sex = _encode.sex_codes(a, "id_sex", a_idx)
    other_sex = _encode.sex_codes(b, "sex", b_idx)
    sex_differs = (sex > 0) & (other_sex > 0) & (sex != other_sex)
    out: NDArray[np.bool_] = known & ((digits >= 2) | ((digits == 1) & sex_differs))
    return out

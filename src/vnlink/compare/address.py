"""Comparison of addresses across the 2025 administrative reform.

On 1 July 2025 Vietnam went from 63 provinces, ~700 districts and ~10,600
communes to 34 provinces and 3,321 communes, with no districts. A 2021
vaccination record carries a pre-reform address, a registry extract from 2025
a post-reform one. ``vnlink.prepare`` gives both eras' codes where it can
(``province``, ``district``, ``ward`` before; ``province_2025``, ``ward_2025``
after), and :class:`AddressComparison` compares each level within one era, so
two addresses of the same place agree whichever era they were written in.
:class:`StreetComparison` compares the street text (house number, alley,
street, hamlet) separately.

Examples
--------
>>> import numpy as np
>>> from vnlink.table import Table
>>> t = Table({
...     "province": ["01", "01", "01", "01", "", "79", ""],
...     "district": ["001", "001", "001", "002", "", "760", ""],
...     "ward": ["00004", "00004", "00007", "00040", "", "26734", ""],
...     "province_2025": ["01", "01", "01", "01", "01", "79", ""],
...     "ward_2025": ["00004", "00004", "00004", "00043", "00004", "26734", ""],
... })
>>> c = AddressComparison()
>>> levels, _ = c.compute(np.zeros(7, dtype=np.int64), np.arange(7), t, t)
>>> [c.level_labels[v] if v >= 0 else "missing" for v in levels]
['same commune', 'same commune', 'same district', 'same province', 'same commune', 'else',
 'missing']
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from rapidfuzz.distance import Indel

from vnlink.compare import _encode, _kernels
from vnlink.compare.base import (
    Comparison,
    Index,
    Levels,
    Scores,
    current_workers,
    mark_missing,
    new_levels,
    pair_codes,
)
from vnlink.compare.levels import Ladder, Level
from vnlink.exceptions import ConfigurationError
from vnlink.table import Table

__all__ = ["AddressComparison", "StreetComparison"]


_ADDRESS = Ladder(
    other=Level("else", "no unit in common", reason="address_different"),
    province=Level(
        "same province", "same province (either era), another district and commune",
        reason="address_same_province",
    ),
    district=Level(
        "same district", "same district, or same 2025 commune (merged communes)",
        reason="address_same_district",
    ),
    commune=Level("same commune", "same commune in a common era", tf=True),
)


@dataclass(frozen=True)
class AddressComparison(Comparison):
    """Administrative units, era-aware.

    Levels (``-1`` when no unit is known on both sides in a common era):

    ===  ==============  ===================================================================
    3    same commune    same ``ward`` (2021 era) when both have one, else same
                         ``ward_2025``
    2    same district   same ``district``, or same ``ward_2025`` (merged communes)
    1    same province   same ``province`` or same ``province_2025``
    0    else
    ===  ==============  ===================================================================

    Scores are ``level / 3``.
    """

    def default_name(self) -> str:
        return "address"

    @property
    def levels(self) -> tuple[Level, ...]:
        return _ADDRESS.levels

    def compute(
        self, left_idx: Index, right_idx: Index, left: Table, right: Table
    ) -> tuple[Levels, Scores]:
        def same(column: str) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
            a, b = pair_codes(left, right, column, left_idx, right_idx)
            both = (a != 0) & (b != 0)
            return both, both & (a == b)

        both_p, same_p = same("province")
        both_p25, same_p25 = same("province_2025")
        both_d, same_d = same("district")
        both_w, same_w = same("ward")
        both_w25, same_w25 = same("ward_2025")
        levels = new_levels(len(left_idx))
        levels[same_p | same_p25] = _ADDRESS.province
        levels[same_d | same_w25] = _ADDRESS.district
        levels[same_w | (~both_w & same_w25)] = _ADDRESS.commune
        missing = ~(both_p | both_p25 | both_d | both_w | both_w25)
        return mark_missing(levels, levels.astype(np.float32) / 3.0, missing)


@dataclass(frozen=True)
class StreetComparison(Comparison):
    """Street text (``street``: folded house number, alley, street, hamlet).

    Levels: the top level is exact; below it one level per threshold of the
    token-sort similarity (``rapidfuzz.fuzz.token_sort_ratio`` / 100, which
    ignores word order: "pho hue so 12" against "so 12 pho hue"); ``0`` else;
    ``-1`` missing. Scores are that similarity.

    The default keeps one threshold, 0.9: on the synthetic data a level at 0.8
    held as many false pairs as the else level, because two houses of one
    street differ by a digit or two.

    Examples
    --------
    >>> import numpy as np
    >>> from vnlink.table import Table
    >>> t = Table({"street": ["so 12 ngo 5 pho hue", "pho hue so 12 ngo 5", "12 ngo 5 pho hue",
    ...                       "45 le loi", ""]})
    >>> StreetComparison().compute(np.zeros(5, dtype=np.int64), np.arange(5), t, t)[0].tolist()
    [2, 1, 1, 0, -1]
    >>> StreetComparison(thresholds=(0.95, 0.8)).level_labels
    ('else', 'similar >= 0.8', 'similar >= 0.95', 'exact')
    """

    column: str = "street"
    thresholds: tuple[float, ...] = (0.9,)

    def __post_init__(self) -> None:
        values = self.thresholds
        if isinstance(values, (int, float)):
            values = (values,)
        if (
            not isinstance(values, (tuple, list))
            or not values
            or not all(isinstance(v, (int, float)) and 0 < v <= 1 for v in values)
            or len(set(values)) != len(values)
        ):
            raise ConfigurationError(
                "thresholds must be one or more distinct similarities in (0, 1], e.g. (0.9,)"
            )
        object.__setattr__(self, "thresholds", tuple(sorted(float(v) for v in values)))
        super().__post_init__()

    @property
    def levels(self) -> tuple[Level, ...]:
        similar = (
            Level(f"similar >= {t:g}", f"token-sort similarity at or above {t:g}",
                  reason="street_similar")
            for t in self.thresholds
        )
        other = Level("else", "below every threshold", reason="street_different")
        return (other, *similar, Level("exact", "the same street text", tf=True, exact=True))

    def compute(
        self, left_idx: Index, right_idx: Index, left: Table, right: Table
    ) -> tuple[Levels, Scores]:
        a, b = pair_codes(left, right, self.column, left_idx, right_idx)
        missing = (a == 0) | (b == 0)
        exact = (a == b) & ~missing
        levels = new_levels(len(a))
        scores = np.ones(len(a), dtype=np.float32)
        todo = np.flatnonzero(~missing & ~exact)
        if len(todo):
            # token_sort_ratio = Indel similarity of the words in sorted order
            sa, sb = pair_codes(left, right, self.column, left_idx, right_idx, _encode.SORTED)
            vocab = _encode.joint_vocab(left, right, self.column, _encode.SORTED)
            sim = _kernels.pair_scores(
                vocab, sa[todo], sb[todo], Indel.normalized_similarity, workers=current_workers()
            )
            levels[todo] = _kernels.threshold_levels(sim, self.thresholds)
            scores[todo] = sim
        levels[exact] = self.n_levels - 1
        return mark_missing(levels, scores, missing)

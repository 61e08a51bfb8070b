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
>>> from vnlink._table import Table
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
from typing import Any

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz

from vnlink._table import Table
from vnlink.compare import _encode, _kernels
from vnlink.compare.base import (
    Comparison,
    Index,
    Levels,
    Scores,
    current_workers,
    new_levels,
    pair_codes,
)
from vnlink.exceptions import ConfigurationError

__all__ = ["AddressComparison", "StreetComparison"]


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
    def level_labels(self) -> tuple[str, ...]:
        return ("else", "same province", "same district", "same commune")

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
        levels[same_p | same_p25] = 1
        levels[same_d | same_w25] = 2
        levels[same_w | (~both_w & same_w25)] = 3
        missing = ~(both_p | both_p25 | both_d | both_w | both_w25)
        scores = levels.astype(np.float32) / 3.0
        levels[missing] = -1
        scores[missing] = np.nan
        return levels, scores


def _token_sort(a: Any, b: Any, **kwargs: Any) -> float:
    return float(fuzz.token_sort_ratio(a, b, **kwargs)) / 100.0


@dataclass(frozen=True)
class StreetComparison(Comparison):
    """Street text (``street``: folded house number, alley, street, hamlet).

    Levels: ``3`` exact; ``2`` token-sort similarity >= ``thresholds[0]``; ``1``
    >= ``thresholds[1]``; ``0`` else; ``-1`` missing. Token-sort similarity
    (``rapidfuzz.fuzz.token_sort_ratio``) ignores word order ("pho hue so 12"
    against "so 12 pho hue"). Scores are that similarity.

    Examples
    --------
    >>> import numpy as np
    >>> from vnlink._table import Table
    >>> t = Table({"street": ["so 12 ngo 5 pho hue", "12 ngo 5 pho hue", "ngo 5 pho hue",
    ...                       "45 le loi", ""]})
    >>> StreetComparison().compute(np.zeros(5, dtype=np.int64), np.arange(5), t, t)[0].tolist()
    [3, 2, 1, 0, -1]
    """

    column: str = "street"
    thresholds: tuple[float, ...] = (0.9, 0.8)

    def __post_init__(self) -> None:
        values = tuple(self.thresholds) if isinstance(self.thresholds, (tuple, list)) else ()
        if len(values) != 2 or not all(
            isinstance(v, (int, float)) and 0 < v <= 1 for v in values
        ) or values[0] <= values[1]:
            raise ConfigurationError(
                "thresholds must be two similarities in (0, 1], higher first, e.g. (0.9, 0.8)"
            )
        object.__setattr__(self, "thresholds", tuple(float(v) for v in values))
        super().__post_init__()

    @property
    def level_labels(self) -> tuple[str, ...]:
        high, low = self.thresholds
        return ("else", f"similar >= {low:g}", f"similar >= {high:g}", "exact")

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
            vocab = _encode.joint_vocab(left, right, self.column)
            sim = _kernels.pair_scores(
                vocab, a[todo], b[todo], _token_sort, workers=current_workers()
            )
            sub = np.zeros(len(todo), dtype=np.int8)
            sub[sim >= self.thresholds[1]] = 1
            sub[sim >= self.thresholds[0]] = 2
            levels[todo] = sub
            scores[todo] = sim
        levels[exact] = 3
        levels[missing] = -1
        scores[missing] = np.nan
        return levels, scores

"""Comparison of addresses across the 2025 administrative reform.

On 1 July 2025 Vietnam went from 63 provinces, ~700 districts and ~10,600
communes to 34 provinces and 3,321 communes, with no districts. A 2021
vaccination record carries a pre-reform address, a registry extract from 2025
a post-reform one. ``vnlink.prepare`` gives both eras' codes where it can
(``province``, ``district``, ``ward`` before; ``province_2025``, ``ward_2025``
after), and :class:`AddressComparison` compares each level within one era, so
two addresses of the same place agree whichever era they were written in. A
side with only 2021 codes is carried into 2025 through the commune-level map
(:func:`vnlink.normalize.gazetteer.ward_2025_of`); a 2021 commune split between
several 2025 communes agrees partly (level 2) with each of them.
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

Across eras: Phường Cống Vị (00007) was split between Ngọc Hà (00008) and Giảng Võ
(00025) in 2025; Phường Trúc Bạch (00004) went whole into Ba Đình (00004).

>>> old = Table({"province": ["01", "01"], "district": ["001", "001"],
...              "ward": ["00007", "00004"], "province_2025": ["01", "01"], "ward_2025": ["", ""]})
>>> new = Table({"province": ["", ""], "district": ["", ""], "ward": ["", ""],
...              "province_2025": ["01", "01"], "ward_2025": ["00025", "00004"]})
>>> c.compute(np.arange(2), np.arange(2), old, new)[0].tolist()  # partial, then same commune
[2, 3]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

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
from vnlink.normalize import gazetteer
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
    3    same commune    same ``ward`` (2021 era) when both have one, else same 2025
                         commune (``ward_2025``, or the 2021 ``ward`` carried through the
                         map when it went whole into one 2025 commune)
    2    same district   same ``district``; same 2025 commune from two 2021 communes
                         (merged); or a 2021 commune split in 2025 against one of its
                         parts (a partial agreement, not a disagreement)
    1    same province   same ``province`` or same 2025 province
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
        both_d, same_d = same("district")
        both_w, same_w = same("ward")
        lw, lc, lp = _era_2025(left)
        rw, rc, rp = _era_2025(right)
        lc, rc = lc[left_idx], rc[right_idx]  # row in the split table, -1 if not split
        lw, lp, rw, rp = lw[left_idx], lp[left_idx], rw[right_idx], rp[right_idx]
        both_w25 = (lw != 0) & (rw != 0)
        same_w25 = both_w25 & (lw == rw)
        same_p25 = (lp != 0) & (lp == rp)
        # a split 2021 commune against one of the 2025 communes it went into: partial
        l_split, r_split = lc >= 0, rc >= 0
        split = (l_split & ((rw != 0) | r_split)) | (r_split & (lw != 0))
        part = np.zeros(len(lw), dtype=bool)
        todo = np.flatnonzero(split)
        if len(todo):
            lt, rt = _split_table(left), _split_table(right)
            a = np.where(l_split[todo, None], lt[np.maximum(lc[todo], 0)], lw[todo, None])
            b = np.where(r_split[todo, None], rt[np.maximum(rc[todo], 0)], rw[todo, None])
            part[todo] = ((a[:, :, None] == b[:, None, :]) & (a[:, :, None] != 0)).any(axis=(1, 2))
        levels = new_levels(len(left_idx))
        levels[same_p | same_p25] = _ADDRESS.province
        levels[same_d | same_w25 | part] = _ADDRESS.district
        levels[same_w | (~both_w & same_w25)] = _ADDRESS.commune
        missing = ~(both_p | ((lp != 0) & (rp != 0)) | both_d | both_w | both_w25 | split)
        return mark_missing(levels, levels.astype(np.float32) / 3.0, missing)


def _era_2025(
    table: Table,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Per row: the 2025 commune (``ward_2025``, else the 2021 ``ward`` carried through the
    map when it went whole into one), the row of a split 2021 commune in
    :func:`_split_table` (``-1`` if none) and the 2025 province, as integers (0 unknown);
    cached per table."""
    return _encode.table_feature(  # type: ignore[no-any-return]
        table,
        "address_2025",
        ("ward", "ward_2025", "province", "province_2025"),
        _derive_2025,
    )


def _number(code: object) -> int:
    return int(code) if isinstance(code, str) and code.isdigit() else 0


def _derive_2025(
    table: Table,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    def feature(column: str, func: Any) -> NDArray[Any]:
        values, codes = _encode.vocab_feature(table, column, f"2025:{column}", func)
        return values[codes]

    def numbers(vocab: NDArray[np.object_]) -> NDArray[np.int64]:
        return np.array([_number(v) for v in vocab.tolist()], dtype=np.int64)

    def wards(vocab: NDArray[np.object_]) -> NDArray[np.int64]:
        out = np.zeros((len(vocab), 2), dtype=np.int64)
        out[:, 1] = -1
        rows = _split_rows()
        for i, code in enumerate(vocab.tolist()):
            new = gazetteer.ward_2025_of(code) if isinstance(code, str) else ()
            if len(new) == 1:
                out[i, 0] = _number(new[0])
            elif new:
                out[i, 1] = rows[code]
        return out

    def provinces(vocab: NDArray[np.object_]) -> NDArray[np.int64]:
        return np.array(
            [_number(gazetteer.province_2025_of(v)) if isinstance(v, str) else 0 for v in vocab],
            dtype=np.int64,
        )

    given_w = feature("ward_2025", numbers)
    old_w = feature("ward", wards)
    ward = np.where(given_w != 0, given_w, old_w[:, 0])
    split = np.where(given_w == 0, old_w[:, 1], -1)
    given_p = feature("province_2025", numbers)
    province = np.where(given_p != 0, given_p, feature("province", provinces))
    return ward, split, province


def _split_table(_table: Table) -> NDArray[np.int64]:
    """The 2025 candidates of every split 2021 commune, one row each, zero-padded."""
    return _split_matrix()


@cache
def _split_rows() -> dict[str, int]:
    codes = [w.code for w in gazetteer.wards("2021") if len(gazetteer.ward_2025_of(w.code)) > 1]
    return {code: i for i, code in enumerate(codes)}


@cache
def _split_matrix() -> NDArray[np.int64]:
    rows = _split_rows()
    out = np.zeros((max(len(rows), 1), _SPLIT_WIDTH), dtype=np.int64)
    for code, i in rows.items():
        new = gazetteer.ward_2025_of(code)[:_SPLIT_WIDTH]
        out[i, : len(new)] = [_number(c) for c in new]
    return out


_SPLIT_WIDTH = 5
"""Candidates kept per split commune (the map has at most 5)."""


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

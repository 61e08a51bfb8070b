"""Comparison of Vietnamese full names (họ, tên đệm, tên).

A generic Jaro-Winkler on "nguyen van an" against "nguyen van anh" says 0.98
and means little: 38% of people are Nguyễn, and the given name (tên) is what
tells people apart. :class:`NameComparison` therefore grades a pair by *which
parts* agree, using the derived name columns of ``vnlink.prepare``.

Examples
--------
>>> import numpy as np
>>> from vnlink.table import Table
>>> def person(name, fold, family, middle, given, key):
...     return dict(name=name, name_fold=fold, family=family, middle=middle, given=given,
...                 name_key=key, given_key=key.split()[-1] if key else "")
>>> rows = [
...     person("Nguyễn Văn An", "nguyen van an", "nguyen", "van", "an", "nguyen van an"),
...     person("Nguyen Van An", "nguyen van an", "nguyen", "van", "an", "nguyen van an"),
...     person("Nguyễn An", "nguyen an", "nguyen", "", "an", "nguyen an"),
...     person("Trần Thị An", "tran thi an", "tran", "thi", "an", "tran thi an"),
... ]
>>> t = Table({k: [r[k] for r in rows] for k in rows[0]})
>>> c = NameComparison()
>>> levels, scores = c.compute(np.zeros(4, dtype=np.int64), np.arange(4), t, t)
>>> [c.level_labels[v] for v in levels]
['exact', 'same folded', 'same family and given, middle missing or close',
 'same given only']
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from rapidfuzz.distance import Levenshtein

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

__all__ = ["NameComparison"]


def _middles_close(a: str, b: str) -> bool:
    """Middle names that do not tell two people apart: one missing, or one letter off.

    A middle name that is part of the other ("Thị Ngọc" / "Ngọc") is *not* close:
    on the synthetic data such pairs were ten times more often two people.

    >>> [_middles_close(*m) for m in [("", "van"), ("thi", "thj"), ("thi ngoc", "ngoc")]]
    [True, True, False]
    """
    if not a or not b:
        return True
    return Levenshtein.distance(a, b, score_cutoff=1) <= 1


def _close_middles(
    vocab: NDArray[np.object_], a: NDArray[np.int32], b: NDArray[np.int32]
) -> NDArray[np.bool_]:
    """:func:`_middles_close` for code pairs, evaluated once per distinct pair."""
    size = np.int64(len(vocab))
    keys = np.minimum(a, b).astype(np.int64) * size + np.maximum(a, b)
    uniq, inverse = np.unique(keys, return_inverse=True)
    words = vocab.tolist()
    close = np.fromiter(
        (_middles_close(words[k // size], words[k % size]) for k in uniq.tolist()),
        dtype=bool,
        count=len(uniq),
    )
    out: NDArray[np.bool_] = close[inverse.reshape(-1)]
    return out


_LADDER = Ladder(
    other=Level("else", "none of the below", reason="name_different"),
    given_only=Level(
        "same given only", "same tên (given name), another họ (family name)",
        reason="name_given_only",
    ),
    similar=Level(
        "similar", "Jaro-Winkler of the folded names at or above the threshold",
        reason="name_typo",
    ),
    middle_different=Level(
        "same family and given, middle different",
        "same họ and tên, another tên đệm (middle name): mostly two people",
        reason="middle_name_different",
    ),
    reordered=Level(
        "parts reordered", "the same words in another order", reason="name_reordered"
    ),
    middle_close=Level(
        "same family and given, middle missing or close",
        "same họ and tên; the tên đệm missing on one side or one letter off",
        reason="middle_name_missing",
    ),
    phonetic=Level(
        "same phonetic key", "same name_key (d/gi/r, tr/ch, s/x, n/ng ... merged)",
        reason="name_typo",
    ),
    folded=Level(
        "same folded", "same after folding diacritics and case (typed without or with "
        "other diacritics)", tf=True, reason="name_no_diacritics",
    ),
    exact=Level("exact", "same display form", tf=True, exact=True),
)
_MISSING = Level("missing", "the folded name is missing on either side", reason="name_missing")


@dataclass(frozen=True)
class NameComparison(Comparison):
    """Vietnamese full names, graded by which parts agree.

    Levels (``-1`` when either folded name is missing):

    ===  ==============================  ==================================================
    8    exact                           same display form (``name``)
    7    same folded                     same after folding diacritics and case
                                         (``name_fold``)
    6    same phonetic key               same ``name_key`` (d/gi/r, tr/ch, s/x, n/ng, ...
                                         merged)
    5    same family and given,          same họ and tên; the tên đệm is missing on one
         middle missing or close         side, or the two differ by one letter
    4    parts reordered                 the same words in another order ("Văn An Nguyễn")
    3    same family and given,          same họ and tên, another tên đệm ("Nguyễn Văn An"
         middle different                / "Nguyễn Hữu An", "Thị Lan" / "Thị Ngọc Lan"):
                                         mostly two people
    2    similar                         Jaro-Winkler of the folded names >= ``similarity``
    1    same given only                 same tên, different họ
    0    else
    ===  ==============================  ==================================================

    Scores are the Jaro-Winkler similarity of the folded names.

    Parameters
    ----------
    similarity
        Jaro-Winkler threshold of level 2 ("similar"); 0.95 was chosen on the
        synthetic data (0.92 let in four times more false pairs for 5% more true ones).
    tf_column
        Term-frequency column for the exact levels (default ``name_fold``).

    Examples
    --------
    >>> NameComparison().tf_levels
    (7, 8)
    """

    similarity: float = 0.95
    tf_column: str | None = field(default="name_fold", kw_only=True)

    def __post_init__(self) -> None:
        if not isinstance(self.similarity, (int, float)) or not 0.0 < self.similarity <= 1.0:
            raise ConfigurationError("similarity must be a number in (0, 1], e.g. 0.92")
        super().__post_init__()

    def default_name(self) -> str:
        return "name"

    @property
    def levels(self) -> tuple[Level, ...]:
        return _LADDER.levels

    @property
    def missing_level(self) -> Level:
        return _MISSING

    def compute(
        self, left_idx: Index, right_idx: Index, left: Table, right: Table
    ) -> tuple[Levels, Scores]:
        def codes(column: str) -> tuple[NDArray[np.int32], NDArray[np.int32]]:
            return pair_codes(left, right, column, left_idx, right_idx)

        fa, fb = codes("name_fold")
        missing = (fa == 0) | (fb == 0)
        same_fold = (fa == fb) & ~missing
        levels = new_levels(len(fa))

        ga, gb = codes("given")
        same_given = (ga == gb) & (ga != 0)
        levels[same_given] = _LADDER.given_only

        scores = np.ones(len(fa), dtype=np.float32)
        todo = np.flatnonzero(~missing & ~same_fold)
        if len(todo):
            vocab = _encode.joint_vocab(left, right, "name_fold")
            jw = _kernels.jaro_winkler(vocab, fa[todo], fb[todo], workers=current_workers())
            scores[todo] = jw
            similar = todo[jw >= self.similarity]
            levels[similar] = _LADDER.similar

        ya, yb = codes("family")
        same_family_given = np.flatnonzero(same_given & (ya == yb) & (ya != 0))
        levels[same_family_given] = _LADDER.middle_different
        sa, sb = pair_codes(left, right, "name_fold", left_idx, right_idx, _encode.SORTED)
        levels[(sa == sb) & (sa != 0)] = _LADDER.reordered
        if len(same_family_given):
            ma, mb = pair_codes(
                left, right, "middle", left_idx[same_family_given], right_idx[same_family_given]
            )
            vocab = _encode.joint_vocab(left, right, "middle")
            close = _close_middles(vocab, ma, mb)
            levels[same_family_given[close]] = _LADDER.middle_close
        ka, kb = codes("name_key")
        levels[(ka == kb) & (ka != 0)] = _LADDER.phonetic
        folded = np.flatnonzero(same_fold)
        levels[folded] = _LADDER.folded
        if len(folded):  # the display form matters only where the folded names agree
            na, nb = pair_codes(left, right, "name", left_idx[folded], right_idx[folded])
            levels[folded[na == nb]] = _LADDER.exact
        return mark_missing(levels, scores, missing)

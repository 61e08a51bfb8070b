"""Generic comparisons: exact match, string similarity and numeric difference at thresholds.

Named for what they do, as in Splink's comparison library. Each is a ladder
of levels: ``-1`` missing, ``0`` else, then closer and closer agreement up to
the exact match. String scores come from ``rapidfuzz`` in bulk.

To write your own comparison over two arrays, subclass :class:`CustomComparison`
(see its docstring); for several columns, subclass
:class:`~vnlink.compare.Comparison` and implement ``compute``.

Examples
--------
>>> from vnlink.table import Table
>>> import numpy as np
>>> left = Table({"given": ["hùng", "hùng", "hùng", ""]})
>>> right = Table({"given": ["hùng", "hung", "hưng", "an"]})
>>> idx = np.arange(4)
>>> JaroWinklerAtThresholds("given", (0.9, 0.7)).compute(idx, idx, left, right)[0].tolist()
[3, 1, 1, -1]
>>> LevenshteinAtThresholds("given", (1,)).compute(idx, idx, left, right)[0].tolist()
[2, 1, 1, -1]
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray
from rapidfuzz.distance import Jaro

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
from vnlink.compare.levels import Level, levels_from_labels
from vnlink.exceptions import ConfigurationError
from vnlink.table import Table

__all__ = [
    "AbsoluteDifferenceAtThresholds",
    "CustomComparison",
    "DamerauLevenshteinAtThresholds",
    "ExactMatch",
    "JaroAtThresholds",
    "JaroWinklerAtThresholds",
    "LevenshteinAtThresholds",
]


def _is_string_column(table: Table, column: str) -> bool:
    if column not in table:
        _encode.encode(table, column)  # raises the SchemaError with the message
    return bool(table[column].dtype == object)


def _check_column(column: Any) -> None:
    if not isinstance(column, str) or not column:
        raise ConfigurationError("column must be a non-empty column name")


def _column_pairs(
    column: str, left_idx: Index, right_idx: Index, left: Table, right: Table
) -> tuple[NDArray[Any], NDArray[Any], NDArray[np.bool_], bool]:
    """``(a, b, missing, is_string)``: codes (strings) or values (numbers) per pair."""
    if _is_string_column(left, column) or _is_string_column(right, column):
        a, b = pair_codes(left, right, column, left_idx, right_idx)
        return a, b, (a == 0) | (b == 0), True
    a = _encode.numeric_column(left, column)[left_idx]
    b = _encode.numeric_column(right, column)[right_idx]
    missing = (a == 0) | (b == 0)
    if a.dtype.kind == "f" or b.dtype.kind == "f":
        missing |= np.isnan(a) | np.isnan(b)
    return a, b, missing, False


@dataclass(frozen=True)
class ExactMatch(Comparison):
    """Two levels: the values are equal, or not.

    Parameters
    ----------
    column
        Column compared (any derived column; ``""``/``0`` = missing).

    Examples
    --------
    >>> from vnlink.table import Table
    >>> import numpy as np
    >>> t = Table({"phone": ["0912345678", "0912345678", ""]})
    >>> ExactMatch("phone").compute(np.array([0, 0]), np.array([1, 2]), t, t)[0].tolist()
    [1, -1]
    """

    column: str = "name_fold"

    def __post_init__(self) -> None:
        _check_column(self.column)
        super().__post_init__()

    @property
    def levels(self) -> tuple[Level, ...]:
        return (
            Level("different", "the values differ", reason=f"{self.name}_different"),
            Level("exact", "the same value", tf=True, exact=True),
        )

    def compute(
        self, left_idx: Index, right_idx: Index, left: Table, right: Table
    ) -> tuple[Levels, Scores]:
        a, b, missing, _ = _column_pairs(self.column, left_idx, right_idx, left, right)
        levels = (a == b).astype(np.int8)
        return mark_missing(levels, levels.astype(np.float32), missing)


def _check_thresholds(thresholds: Any, low: float, high: float, what: str) -> tuple[float, ...]:
    if isinstance(thresholds, (int, float)):
        thresholds = (thresholds,)
    try:
        values = tuple(float(t) for t in thresholds)
    except (TypeError, ValueError):
        raise ConfigurationError(f"thresholds must be a sequence of {what}") from None
    if not values or any(not low <= v <= high for v in values):
        raise ConfigurationError(f"thresholds must be one or more {what} in [{low}, {high}]")
    if len(set(values)) != len(values):
        raise ConfigurationError("thresholds must be distinct")
    return values


@dataclass(frozen=True)
class _StringAtThresholds(Comparison):
    """Exact, then one level per threshold of a string measure, then else."""

    column: str = "name_fold"
    thresholds: tuple[float, ...] = ()

    _abstract: ClassVar[bool] = True
    _measure: ClassVar[str] = ""
    _similarity: ClassVar[bool] = True  # True: score >= t; False: distance <= t

    def __post_init__(self) -> None:
        _check_column(self.column)
        if self._similarity:
            values = _check_thresholds(self.thresholds, 0.0, 1.0, "similarities")
            ordered = tuple(sorted(values))  # level 1 = the lowest similarity
        else:
            values = _check_thresholds(self.thresholds, 0.0, 1e9, "distances")
            if any(v != int(v) for v in values):
                raise ConfigurationError("distance thresholds must be whole numbers")
            ordered = tuple(sorted((int(v) for v in values), reverse=True))
        object.__setattr__(self, "thresholds", ordered)
        super().__post_init__()

    @property
    def levels(self) -> tuple[Level, ...]:
        op = ">=" if self._similarity else "<="
        middle = (
            Level(f"{self._measure} {op} {t:g}", f"{self._measure} {op} {t:g}",
                  reason=f"{self.name}_similar")
            for t in self.thresholds
        )
        other = Level("else", "beyond every threshold", reason=f"{self.name}_different")
        return (other, *middle, Level("exact", "the same value", tf=True, exact=True))

    def _raw(
        self, vocab: NDArray[np.object_], a: NDArray[Any], b: NDArray[Any]
    ) -> NDArray[Any]:
        raise NotImplementedError  # pragma: no cover

    def compute(
        self, left_idx: Index, right_idx: Index, left: Table, right: Table
    ) -> tuple[Levels, Scores]:
        a, b = pair_codes(left, right, self.column, left_idx, right_idx)
        missing = (a == 0) | (b == 0)
        exact = (a == b) & ~missing
        levels = new_levels(len(a))
        scores = np.zeros(len(a), dtype=np.float32)
        todo = np.flatnonzero(~missing & ~exact)
        if len(todo):
            vocab = _encode.joint_vocab(left, right, self.column)
            raw = self._raw(vocab, a[todo], b[todo])
            levels[todo] = _kernels.threshold_levels(
                raw, self.thresholds, similarity=self._similarity
            )
            scores[todo] = self._score(vocab, a[todo], b[todo], raw)
        levels[exact] = self.n_levels - 1
        scores[exact] = 1.0
        return mark_missing(levels, scores, missing)

    def _score(
        self, vocab: NDArray[np.object_], a: NDArray[Any], b: NDArray[Any], raw: NDArray[Any]
    ) -> NDArray[np.float32]:
        if self._similarity:
            out: NDArray[np.float32] = raw.astype(np.float32)
            return out
        lengths = _kernels.string_lengths(vocab)
        longest = np.maximum(lengths[a], lengths[b]).astype(np.float32)
        scores: NDArray[np.float32] = (1.0 - raw / np.maximum(longest, 1)).astype(np.float32)
        return scores


@dataclass(frozen=True)
class JaroWinklerAtThresholds(_StringAtThresholds):
    """Exact; Jaro-Winkler similarity at or above each threshold; else.

    Scores are the Jaro-Winkler similarity.

    Parameters
    ----------
    column
        String column (default ``name_fold``).
    thresholds
        Similarities in [0, 1]; one level each.

    Examples
    --------
    >>> JaroWinklerAtThresholds("given", (0.9, 0.7)).level_labels
    ('else', 'jaro_winkler >= 0.7', 'jaro_winkler >= 0.9', 'exact')
    """

    thresholds: tuple[float, ...] = (0.92, 0.8)
    _measure: ClassVar[str] = "jaro_winkler"

    def _raw(
        self, vocab: NDArray[np.object_], a: NDArray[Any], b: NDArray[Any]
    ) -> NDArray[Any]:
        return _kernels.jaro_winkler(vocab, a, b, workers=current_workers())


@dataclass(frozen=True)
class JaroAtThresholds(_StringAtThresholds):
    """Exact; Jaro similarity (no bonus for a common prefix) at or above each threshold; else.

    Examples
    --------
    >>> JaroAtThresholds("given", (0.9,)).level_labels
    ('else', 'jaro >= 0.9', 'exact')
    """

    thresholds: tuple[float, ...] = (0.9, 0.7)
    _measure: ClassVar[str] = "jaro"

    def _raw(
        self, vocab: NDArray[np.object_], a: NDArray[Any], b: NDArray[Any]
    ) -> NDArray[Any]:
        return _kernels.pair_scores(
            vocab, a, b, Jaro.normalized_similarity, workers=current_workers()
        )


@dataclass(frozen=True)
class LevenshteinAtThresholds(_StringAtThresholds):
    """Exact; Levenshtein distance at or below each threshold; else.

    Scores are ``1 - distance / length of the longer string``.

    Examples
    --------
    >>> LevenshteinAtThresholds().level_labels
    ('else', 'levenshtein <= 2', 'levenshtein <= 1', 'exact')
    """

    thresholds: tuple[float, ...] = (1, 2)
    _measure: ClassVar[str] = "levenshtein"
    _similarity: ClassVar[bool] = False

    def _raw(
        self, vocab: NDArray[np.object_], a: NDArray[Any], b: NDArray[Any]
    ) -> NDArray[Any]:
        return _kernels.levenshtein(vocab, a, b, workers=current_workers())


@dataclass(frozen=True)
class DamerauLevenshteinAtThresholds(_StringAtThresholds):
    """Exact; Damerau-Levenshtein distance at or below each threshold; else.

    A swap of two neighbouring characters costs 1 (Levenshtein counts 2).

    Examples
    --------
    >>> from vnlink.table import Table
    >>> import numpy as np
    >>> t = Table({"id": ["001080012345", "001080012354", "001080099999"]})
    >>> c = DamerauLevenshteinAtThresholds("id", (1,))
    >>> c.compute(np.array([0, 0, 0]), np.array([0, 1, 2]), t, t)[0].tolist()
    [2, 1, 0]
    """

    column: str = "id"
    thresholds: tuple[float, ...] = (1, 2)
    _measure: ClassVar[str] = "damerau_levenshtein"
    _similarity: ClassVar[bool] = False

    def _raw(
        self, vocab: NDArray[np.object_], a: NDArray[Any], b: NDArray[Any]
    ) -> NDArray[Any]:
        return _kernels.damerau_levenshtein(vocab, a, b, workers=current_workers())


@dataclass(frozen=True)
class AbsoluteDifferenceAtThresholds(Comparison):
    """Numbers: equal; absolute difference at or below each threshold; else.

    ``0`` (and NaN) count as missing, as in the derived columns. Scores are
    ``1 / (1 + |difference|)``.

    Examples
    --------
    >>> from vnlink.table import Table
    >>> import numpy as np
    >>> t = Table({"dob_year": np.array([1980, 1981, 1983, 0], dtype=np.int16)})
    >>> c = AbsoluteDifferenceAtThresholds("dob_year", (1, 3))
    >>> c.level_labels
    ('else', 'difference <= 3', 'difference <= 1', 'exact')
    >>> c.compute(np.zeros(4, dtype=np.int64), np.arange(4), t, t)[0].tolist()
    [3, 2, 1, -1]
    """

    column: str = "dob_year"
    thresholds: tuple[float, ...] = (1, 2)

    def __post_init__(self) -> None:
        _check_column(self.column)
        values = _check_thresholds(self.thresholds, 0.0, float("inf"), "non-negative numbers")
        object.__setattr__(self, "thresholds", tuple(sorted(values, reverse=True)))
        super().__post_init__()

    @property
    def levels(self) -> tuple[Level, ...]:
        middle = (
            Level(f"difference <= {t:g}", f"absolute difference at most {t:g}",
                  reason=f"{self.name}_similar")
            for t in self.thresholds
        )
        other = Level("else", "beyond every threshold", reason=f"{self.name}_different")
        return (other, *middle, Level("exact", "the same number", tf=True, exact=True))

    def compute(
        self, left_idx: Index, right_idx: Index, left: Table, right: Table
    ) -> tuple[Levels, Scores]:
        a = _encode.numeric_column(left, self.column)[left_idx].astype(np.float64)
        b = _encode.numeric_column(right, self.column)[right_idx].astype(np.float64)
        missing = (a == 0) | (b == 0) | np.isnan(a) | np.isnan(b)
        diff = np.abs(a - b)
        levels = new_levels(len(a))
        for level, threshold in enumerate(self.thresholds, start=1):
            levels[diff <= threshold] = level
        levels[diff == 0] = self.n_levels - 1
        with np.errstate(invalid="ignore"):
            scores = (1.0 / (1.0 + diff)).astype(np.float32)
        return mark_missing(levels, scores, missing)


@dataclass(frozen=True)
class CustomComparison(Comparison):
    """Base for your own comparison of one column: implement ``compare(a, b)``.

    ``a`` and ``b`` are the column's values for the left and right record of
    each pair (numpy arrays; strings as ``object`` arrays), already stripped
    of pairs where either value is missing (those get level ``-1``).
    ``compare`` returns the levels (0 .. len(labels) - 1) or a tuple
    ``(levels, scores)``; without scores, the score is ``level / top``.

    Set ``labels`` (index = level: label strings, or
    :class:`~vnlink.compare.levels.Level` objects to give conditions and
    reason codes) and ``default_column`` as class attributes. A subclass
    needs no decorator; decorate it with ``@dataclass(frozen=True)`` only to
    add parameters of its own. Subclasses
    register themselves, so :func:`~vnlink.compare.comparison_from_dict`
    rebuilds them once the defining module is imported.

    Examples
    --------
    >>> import numpy as np
    >>> from vnlink.table import Table
    >>> class DecadeOfBirth(CustomComparison):
    ...     default_column = "dob_year"
    ...     labels = ("different decade", "same decade")
    ...
    ...     def compare(self, a, b):
    ...         return (a // 10 == b // 10).astype(np.int8)
    >>> t = Table({"dob_year": [1983, 1987, 1991, 0]})
    >>> DecadeOfBirth().compute(np.array([0, 0, 0]), np.array([1, 2, 3]), t, t)[0].tolist()
    [1, 0, -1]
    >>> DecadeOfBirth()
    DecadeOfBirth(name='dob_year', tf_column=None, column='dob_year')
    """

    column: str = ""
    labels: ClassVar[tuple[str | Level, ...]] = ("different", "same")
    default_column: ClassVar[str] = ""
    _abstract: ClassVar[bool] = True

    def __post_init__(self) -> None:
        if self.column == "" and self.default_column:
            object.__setattr__(self, "column", self.default_column)
        _check_column(self.column)
        if len(self.labels) < 2:
            raise ConfigurationError("a comparison needs at least two level labels")
        super().__post_init__()

    @property
    def levels(self) -> tuple[Level, ...]:
        top = len(self.labels) - 1
        defaults = levels_from_labels(
            tuple(item.label if isinstance(item, Level) else str(item) for item in self.labels),
            (top,),
            else_reason=f"{self.name}_different",
        )
        return tuple(
            item if isinstance(item, Level) else default
            for item, default in zip(self.labels, defaults, strict=True)
        )

    @abstractmethod
    def compare(self, a: NDArray[Any], b: NDArray[Any]) -> Any:
        """Levels (or ``(levels, scores)``) for value arrays ``a`` and ``b``."""

    def compute(
        self, left_idx: Index, right_idx: Index, left: Table, right: Table
    ) -> tuple[Levels, Scores]:
        a, b, missing, is_string = _column_pairs(self.column, left_idx, right_idx, left, right)
        keep = np.flatnonzero(~missing)
        if is_string:
            vocab = _encode.joint_vocab(left, right, self.column)
            va, vb = vocab[a[keep]], vocab[b[keep]]
        else:
            va, vb = a[keep], b[keep]
        result = self.compare(va, vb)
        if isinstance(result, tuple):
            sub_levels, sub_scores = result
        else:
            sub_levels, sub_scores = result, None
        sub_levels = np.asarray(sub_levels)
        if sub_levels.shape != (len(keep),):
            raise ConfigurationError(
                f"{type(self).__name__}.compare must return one level per pair"
            )
        levels = np.full(len(a), -1, dtype=np.int8)
        levels[keep] = sub_levels
        scores = np.full(len(a), np.nan, dtype=np.float32)
        if sub_scores is None:
            scores[keep] = sub_levels / max(1, self.n_levels - 1)
        else:
            scores[keep] = np.asarray(sub_scores, dtype=np.float32)
        return levels, scores

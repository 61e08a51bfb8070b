"""The comparison protocol, the set of comparisons and the level matrix they produce.

A *comparison* maps candidate pairs to an integer agreement *level*: ``-1``
when a value is missing on either side, ``0`` for "else" (disagreement), and
higher levels for closer agreement, the last one being the exact match. It is a
small frozen dataclass that holds its parameters, rebuilds from
:meth:`Comparison.to_dict` with :func:`comparison_from_dict`, and computes a
whole array of pairs at once (no loop over pairs).

:class:`ComparisonSet` runs several comparisons over the same pairs and returns
:class:`ComparisonVectors`: an ``int8`` level matrix (pairs × comparisons), the
raw similarity scores, the level labels and the term frequencies the
classifier uses to weigh agreement on common values less.

Examples
--------
>>> from vnlink.table import Table
>>> from vnlink.compare import ComparisonSet, ExactMatch, comparison_from_dict
>>> left = Table({"given": ["an", "bình", ""], "sex": ["M", "F", "M"]})
>>> right = Table({"given": ["an", "an", "bình"], "sex": ["M", "M", ""]})
>>> cset = ComparisonSet([ExactMatch("given"), ExactMatch("sex")])
>>> vectors = cset.compute(([0, 1, 2], [0, 1, 2]), left, right)
>>> vectors.names
['given', 'sex']
>>> vectors.levels.tolist()
[[1, 1], [0, 0], [-1, -1]]
>>> comparison_from_dict(ExactMatch("given").to_dict())
ExactMatch(name='given', tf_column=None, column='given')
"""

from __future__ import annotations

import contextvars
import dataclasses
import itertools
import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from vnlink import plugins
from vnlink.compare import _encode
from vnlink.compare.households import HouseholdNumbers
from vnlink.compare.levels import MISSING, Level, levels_from_labels
from vnlink.compare.tf import TermFrequencies
from vnlink.exceptions import ConfigurationError, ModelFormatError
from vnlink.table import Table, as_table

__all__ = [
    "Comparison",
    "ComparisonSet",
    "ComparisonVectors",
    "comparison_classes",
    "comparison_from_dict",
    "current_households",
    "current_workers",
    "mark_missing",
    "new_levels",
    "pair_arrays",
    "pair_codes",
]

Levels = NDArray[np.int8]
Scores = NDArray[np.float32]
Index = NDArray[np.int64]

_WORKERS: contextvars.ContextVar[int] = contextvars.ContextVar("vnlink_compare_workers", default=1)
_HOUSEHOLDS: contextvars.ContextVar[HouseholdNumbers | None] = contextvars.ContextVar(
    "vnlink_compare_households", default=None)


def current_workers() -> int:
    """The ``workers`` value that :meth:`ComparisonSet.compute` set for string scoring."""
    return _WORKERS.get()


def current_households() -> HouseholdNumbers | None:
    """The registry-wide holders given to :meth:`ComparisonSet.compute` (``None``: count
    them in the compared table), for comparisons that look up a household member's number."""
    return _HOUSEHOLDS.get()


@dataclass(frozen=True)
class Comparison(ABC):
    """Base class of every comparison: a frozen dataclass that maps pairs to levels.

    Subclasses are frozen dataclasses whose fields all have defaults (every
    comparison works with no arguments on a prepared table) and implement
    :attr:`levels` (or just :attr:`level_labels`) and :meth:`compute`.
    Defining a subclass registers it by class name, so
    :func:`comparison_from_dict` can rebuild it.

    Parameters
    ----------
    name
        Output name (a column of :class:`ComparisonVectors`); defaults to a
        name derived from the parameters.
    tf_column
        Column whose value frequency (in the left table) is reported in
        :attr:`ComparisonVectors.tf` for pairs at :attr:`tf_levels`; ``None``
        for no term-frequency adjustment.
    """

    name: str = field(default="", kw_only=True)
    tf_column: str | None = field(default=None, kw_only=True)

    _abstract: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__name__.startswith("_") or cls.__dict__.get("_abstract", False):
            return
        plugins.register("comparison", cls.__name__)(cls)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str):
            raise ConfigurationError(f"name must be a str, got {type(self.name).__name__}")
        if not self.name:
            object.__setattr__(self, "name", self.default_name())
        if self.tf_column is not None and not isinstance(self.tf_column, str):
            raise ConfigurationError(
                f"tf_column must be a column name or None, got {type(self.tf_column).__name__}"
            )

    def default_name(self) -> str:
        """The name used when none is given (the column for one-column comparisons)."""
        column = getattr(self, "column", None)
        return column if isinstance(column, str) else type(self).__name__

    @property
    def levels(self) -> tuple[Level, ...]:
        """The levels in order: index = level number, ``0`` = else, the last = top.

        vnlink's comparisons declare them with a :class:`~vnlink.compare.levels.Ladder`.
        A subclass that only defines :attr:`level_labels` gets levels built from
        its labels (the top one exact and, unless it overrides :attr:`tf_levels`,
        term-frequency adjusted; the else level's reason ``<name>_different``).
        """
        cls = type(self)
        if cls.level_labels is Comparison.level_labels:
            raise ConfigurationError(
                f"{cls.__name__} must define its levels: a 'levels' property returning "
                "Level objects (or, for short, 'level_labels')"
            )
        labels = tuple(self.level_labels)
        tf = tuple(self.tf_levels) if cls.tf_levels is not Comparison.tf_levels else (
            len(labels) - 1,
        )
        return levels_from_labels(labels, tf, else_reason=f"{self.name}_different")

    @property
    def missing_level(self) -> Level:
        """The ``-1`` level: a value missing on either side (its reason, if any)."""
        return MISSING

    @property
    def level_labels(self) -> tuple[str, ...]:
        """One label per level; index = level, ``0`` = else, the last = top."""
        return tuple(level.label for level in self.levels)

    @property
    def n_levels(self) -> int:
        """Number of levels, not counting ``-1`` (missing)."""
        return len(self.levels)

    @property
    def tf_levels(self) -> tuple[int, ...]:
        """Levels whose term frequency adjusts the weight (those with ``tf``), if ``tf_column``."""
        if not self.tf_column:
            return ()
        return tuple(i for i, level in enumerate(self.levels) if level.tf)

    @abstractmethod
    def compute(
        self, left_idx: Index, right_idx: Index, left: Table, right: Table
    ) -> tuple[Levels, Scores]:
        """Levels (``int8``, ``-1`` = missing) and scores (``float32``) of the pairs.

        Pair ``i`` is row ``left_idx[i]`` of ``left`` against row
        ``right_idx[i]`` of ``right``. Scores are similarities in [0, 1]
        (NaN where a value is missing).
        """

    def to_dict(self) -> dict[str, Any]:
        """``{"class": <class name>, "params": {...}}``, JSON-ready."""
        params = {f.name: _jsonable(getattr(self, f.name)) for f in fields(self) if f.init}
        return {"class": type(self).__name__, "params": params}

    def configure(self, *, term_frequency_adjustments: bool | None = None) -> Comparison:
        """A copy with term-frequency adjustment on (its own column) or off, as in Splink.

        >>> from vnlink.compare import ExactMatch
        >>> ExactMatch("given").configure(term_frequency_adjustments=True).tf_column
        'given'
        """
        if term_frequency_adjustments is None:
            return self
        column = getattr(self, "column", None) if term_frequency_adjustments else None
        if term_frequency_adjustments and not isinstance(column, str):
            raise ConfigurationError(
                f"{type(self).__name__} has no single column: set tf_column= instead")
        return dataclasses.replace(self, tf_column=column)


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    return value


def comparison_classes() -> dict[str, type[Comparison]]:
    """The registered comparison classes by name (vnlink's and every user subclass).

    The same as ``vnlink.plugins.registered("comparison")``.

    >>> from vnlink.compare import comparison_classes
    >>> "NameComparison" in comparison_classes()
    True
    """
    return dict(plugins.registered("comparison"))


def comparison_from_dict(data: Mapping[str, Any]) -> Comparison:
    """Rebuild a comparison from :meth:`Comparison.to_dict` output.

    >>> from vnlink.compare import JaroWinklerAtThresholds, comparison_from_dict
    >>> c = JaroWinklerAtThresholds("given", (0.9, 0.8))
    >>> comparison_from_dict(c.to_dict()) == c
    True
    """
    if not isinstance(data, Mapping) or "class" not in data:
        raise ModelFormatError(
            'a comparison must be a mapping {"class": ..., "params": {...}}; '
            "pass the output of Comparison.to_dict()"
        )
    name = data["class"]
    try:
        cls: type[Comparison] = plugins.lookup("comparison", str(name))
    except ConfigurationError:
        raise ModelFormatError(
            f"unknown comparison class {name!r}: import the module that defines it "
            "before loading, or use one of " + ", ".join(sorted(comparison_classes()))
        ) from None
    params = data.get("params", {})
    if not isinstance(params, Mapping):
        raise ModelFormatError(f"the params of {name} must be a mapping")
    kwargs: dict[str, Any] = {
        str(k): tuple(v) if isinstance(v, list) else v for k, v in params.items()
    }
    try:
        return cls(**kwargs)
    except TypeError as error:
        raise ModelFormatError(f"bad parameters for {name}: {error}") from None


# ---------------------------------------------------------------------------
# helpers for writing a comparison of several columns (subclass Comparison, use these)


def pair_codes(
    left: Table,
    right: Table,
    column: str,
    left_idx: Index,
    right_idx: Index,
    derive: _encode.Derive | None = None,
) -> tuple[NDArray[np.int32], NDArray[np.int32]]:
    """Codes of ``column`` for each pair in one code space (0 = missing, equal = same).

    The column is factorized once per table (cached), so comparing two string
    values is comparing two integers.

    >>> import numpy as np
    >>> from vnlink.table import Table
    >>> a, b = pair_codes(Table({"g": ["an", "bá"]}), Table({"g": ["bá", ""]}), "g",
    ...                   np.array([0, 1, 1]), np.array([0, 0, 1]))
    >>> (a == b).tolist(), (b == 0).tolist()
    ([False, True, False], [False, False, True])
    """
    lc, rc = _encode.joint_codes(left, right, column, derive)
    return lc[left_idx], rc[right_idx]


def new_levels(n: int) -> Levels:
    """An all-zero (``else``) level array."""
    return np.zeros(n, dtype=np.int8)


def mark_missing(
    levels: Levels, scores: Scores, missing: NDArray[np.bool_]
) -> tuple[Levels, Scores]:
    """Set the ``missing`` pairs to level ``-1`` and score NaN, in place; returns both.

    >>> import numpy as np
    >>> levels, scores = mark_missing(np.array([1, 0], dtype=np.int8),
    ...                               np.array([1.0, 0.0], dtype=np.float32),
    ...                               np.array([False, True]))
    >>> levels.tolist(), scores.tolist()
    ([1, -1], [1.0, nan])
    """
    levels[missing] = -1
    scores[missing] = np.nan
    return levels, scores


# ---------------------------------------------------------------------------
# the set and its output


@dataclass(eq=False)
class ComparisonVectors:
    """The comparison of every candidate pair: levels, scores, term frequencies.

    Attributes
    ----------
    levels
        ``int8`` (n_pairs, k): level per pair and comparison, ``-1`` = missing.
    scores
        ``float32`` (n_pairs, k): similarity in [0, 1], NaN where missing.
    names
        The k comparison names.
    level_labels
        Per comparison, the label of each level.
    n_levels
        Per comparison, the number of levels (without ``-1``).
    tf
        ``float64`` (n_pairs, k): relative frequency in the left table of the
        value the pair agreed on, where the level is one of the comparison's
        ``tf_levels``; NaN elsewhere.
    spec
        ``to_dict()`` of each comparison.
    left, right
        The pair indices (``int64``).
    """

    levels: NDArray[np.int8]
    scores: NDArray[np.float32]
    names: list[str]
    level_labels: list[tuple[str, ...]]
    n_levels: list[int]
    tf: NDArray[np.float64]
    spec: list[dict[str, Any]]
    left: NDArray[np.int64]
    right: NDArray[np.int64]

    def __len__(self) -> int:
        return int(self.levels.shape[0])

    @property
    def n_pairs(self) -> int:
        """Number of pairs."""
        return len(self)

    def __repr__(self) -> str:
        return f"ComparisonVectors({len(self)} pairs × {len(self.names)}: {', '.join(self.names)})"

    def take(self, index: NDArray[Any] | Sequence[int]) -> ComparisonVectors:
        """The vectors of a subset of pairs (an index array or a boolean mask)."""
        idx = np.asarray(index)
        return ComparisonVectors(
            self.levels[idx],
            self.scores[idx],
            list(self.names),
            list(self.level_labels),
            list(self.n_levels),
            self.tf[idx],
            list(self.spec),
            self.left[idx],
            self.right[idx],
        )

    def level_counts(self, mask: NDArray[np.bool_] | None = None) -> dict[str, dict[str, int]]:
        """Per comparison, how many pairs (of ``mask``) are at each level (``"missing"`` = -1).

        >>> from vnlink.table import Table
        >>> from vnlink.compare import ComparisonSet, SexComparison
        >>> t = Table({"sex": ["M", "F", ""]})
        >>> v = ComparisonSet([SexComparison()]).compute(([0, 0, 2], [0, 1, 1]), t, t)
        >>> v.level_counts()
        {'sex': {'missing': 1, 'different': 1, 'same': 1}}
        """
        levels = self.levels if mask is None else self.levels[np.asarray(mask, dtype=bool)]
        out: dict[str, dict[str, int]] = {}
        for j, name in enumerate(self.names):
            counts = np.bincount(levels[:, j].astype(np.int64) + 1, minlength=self.n_levels[j] + 1)
            labels = ("missing", *self.level_labels[j])
            out[name] = {label: int(c) for label, c in zip(labels, counts, strict=True)}
        return out

    def to_table(self) -> Table:
        """A :class:`~vnlink.table.Table`: ``left``, ``right``, then one level column per name."""
        columns: dict[str, NDArray[Any]] = {"left": self.left, "right": self.right}
        for j, name in enumerate(self.names):
            columns[name] = self.levels[:, j]
        return Table(columns, n_rows=len(self))


class ComparisonSet:
    """Several comparisons run together over the same candidate pairs.

    Parameters
    ----------
    comparisons
        The comparisons (names must be distinct), usually
        :func:`vnlink.compare.default_comparisons`.
    term_frequencies
        Optional frequency tables by column name (for example a
        population-wide :class:`~vnlink.compare.TermFrequencies`) used instead
        of the frequencies counted in the left table.

    Examples
    --------
    >>> from vnlink.table import Table
    >>> from vnlink.compare import ComparisonSet, ExactMatch
    >>> registry = Table({"given": ["an", "an", "an", "nguyệt"]})
    >>> cset = ComparisonSet([ExactMatch("given", tf_column="given")])
    >>> v = cset.compute(([0, 3], [0, 3]), registry, registry)
    >>> v.tf[:, 0].tolist()
    [0.75, 0.25]
    """

    def __init__(
        self,
        comparisons: Iterable[Comparison],
        *,
        term_frequencies: Mapping[str, TermFrequencies] | None = None,
    ) -> None:
        items = list(comparisons)
        if not items:
            raise ConfigurationError("ComparisonSet needs at least one comparison")
        for item in items:
            if not isinstance(item, Comparison):
                raise ConfigurationError(
                    f"expected Comparison objects, got {type(item).__name__}; "
                    "build comparisons from vnlink.compare (e.g. NameComparison())"
                )
        names = [c.name for c in items]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ConfigurationError(
                f"comparison names must be distinct, repeated: {duplicates}; "
                "pass name=... to tell them apart"
            )
        tfs = dict(term_frequencies or {})
        for key, value in tfs.items():
            if not isinstance(value, TermFrequencies):
                raise ConfigurationError(
                    f"term_frequencies[{key!r}] must be a TermFrequencies, "
                    f"got {type(value).__name__}"
                )
        self.comparisons: tuple[Comparison, ...] = tuple(items)
        self.term_frequencies = tfs

    def __len__(self) -> int:
        return len(self.comparisons)

    def __iter__(self) -> Iterator[Comparison]:
        return iter(self.comparisons)

    def __repr__(self) -> str:
        return f"ComparisonSet([{', '.join(repr(c) for c in self.comparisons)}])"

    @property
    def names(self) -> list[str]:
        """The comparison names, in order."""
        return [c.name for c in self.comparisons]

    def to_dict(self) -> list[dict[str, Any]]:
        """The comparisons as a JSON-ready list (see :meth:`from_dict`)."""
        return [c.to_dict() for c in self.comparisons]

    @classmethod
    def from_dict(cls, spec: Sequence[Mapping[str, Any]]) -> ComparisonSet:
        """Rebuild from :meth:`to_dict` output (or from :attr:`ComparisonVectors.spec`).

        >>> import json
        >>> from vnlink.compare import ComparisonSet, default_comparisons
        >>> cset = ComparisonSet(default_comparisons())
        >>> spec = json.loads(json.dumps(cset.to_dict()))
        >>> ComparisonSet.from_dict(spec).comparisons == cset.comparisons
        True
        """
        if isinstance(spec, (str, bytes)) or not isinstance(spec, Sequence):
            raise ModelFormatError("a comparison spec is a list of Comparison.to_dict() mappings")
        return cls([comparison_from_dict(item) for item in spec])

    def compute(
        self,
        pairs: Any,
        left: Any,
        right: Any = None,
        *,
        workers: int = 1,
        chunk_size: int = 2_000_000,
        households: HouseholdNumbers | None = None,
    ) -> ComparisonVectors:
        """Compare every pair and return the :class:`ComparisonVectors`.

        Parameters
        ----------
        pairs
            Anything with ``int64`` arrays ``.left`` and ``.right`` (the
            blocking stage's ``CandidatePairs``) or a ``(left, right)`` tuple
            of index sequences.
        left, right
            The two prepared tables (``right=None``: deduplication within ``left``).
        workers
            Threads (``-1`` = one per core). With more than one, the pairs are
            split into that many parts computed in parallel (numpy and
            ``rapidfuzz`` release the GIL).
        chunk_size
            Pairs processed at a time, to bound memory.
        households
            The registry's holders of numbers by household
            (:class:`~vnlink.compare.households.HouseholdNumbers`), for the
            level "a household member's number", when ``left`` holds only some
            registry rows (an index's candidates, a Spark batch); by default
            they are counted in ``left``.
        """
        left_idx, right_idx = pair_arrays(pairs)
        left_t = as_table(left)
        right_t = left_t if right is None else as_table(right)
        _check_bounds(left_idx, left_t.n_rows, "left")
        _check_bounds(right_idx, right_t.n_rows, "right")
        if not isinstance(workers, int) or workers == 0 or workers < -1:
            raise ConfigurationError("workers must be a positive int or -1 (all cores)")
        if not isinstance(chunk_size, int) or chunk_size < 1:
            raise ConfigurationError("chunk_size must be a positive int")
        if households is not None and not isinstance(households, HouseholdNumbers):
            raise ConfigurationError(
                f"households must be a HouseholdNumbers, got {type(households).__name__}; "
                "build it with HouseholdNumbers.from_table(registry, columns)")
        n, k = len(left_idx), len(self.comparisons)
        levels = np.empty((n, k), dtype=np.int8)
        scores = np.empty((n, k), dtype=np.float32)
        threads = (os.cpu_count() or 1) if workers == -1 else workers
        bounds = _chunks(n, chunk_size, threads)

        n_levels = self._described()[2]

        def run(start: int, stop: int) -> None:
            li, ri = left_idx[start:stop], right_idx[start:stop]
            token = _HOUSEHOLDS.set(households)  # in this thread (pool threads too)
            try:
                for j, comparison in enumerate(self.comparisons):
                    lv, sc = comparison.compute(li, ri, left_t, right_t)
                    _check_output(comparison, lv, sc, stop - start, n_levels[j])
                    levels[start:stop, j] = lv
                    scores[start:stop, j] = sc
            finally:
                _HOUSEHOLDS.reset(token)

        if threads <= 1 or len(bounds) <= 2:
            token = _WORKERS.set(workers)
            try:
                for start, stop in bounds:
                    run(start, stop)
            finally:
                _WORKERS.reset(token)
        else:
            # the first, small chunk fills the per-table caches; then one chunk per thread
            # (numpy and rapidfuzz release the GIL, so the threads run in parallel)
            run(*bounds[0])
            with ThreadPoolExecutor(max_workers=threads) as pool:
                list(pool.map(lambda b: run(*b), bounds[1:]))
        tf = np.full((n, k), np.nan, dtype=np.float64)
        for j, comparison in enumerate(self.comparisons):
            column, tf_levels = comparison.tf_column, comparison.tf_levels
            if column is None or not tf_levels:
                continue
            mask = np.isin(levels[:, j], np.asarray(tf_levels, dtype=np.int8))
            if mask.any():
                freq = self.row_frequencies(left_t, column)
                tf[mask, j] = freq[left_idx[mask]]
        names, labels, n_levels, spec = self._described()
        return ComparisonVectors(
            levels=levels,
            scores=scores,
            names=list(names),
            level_labels=list(labels),
            n_levels=list(n_levels),
            tf=tf,
            spec=list(spec),
            left=left_idx,
            right=right_idx,
        )

    def _described(self) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...],
                                  tuple[int, ...], tuple[dict[str, Any], ...]]:
        """Names, level labels, level counts and ``to_dict`` of the comparisons, made once.

        (The comparisons are frozen; a lookup of one record would otherwise rebuild
        these for every few pairs it compares.)
        """
        cached = self.__dict__.get("_description")
        if cached is not None and cached[0] is self.comparisons:
            return cached[1]  # type: ignore[no-any-return]
        items = self.comparisons
        description = (tuple(c.name for c in items), tuple(c.level_labels for c in items),
                       tuple(c.n_levels for c in items), tuple(c.to_dict() for c in items))
        self.__dict__["_description"] = (items, description)
        return description

    def levels_of(self, comparison: int | str) -> tuple[Level, ...]:
        """The levels of one comparison (by position or name), index = level number.

        >>> from vnlink.compare import ComparisonSet, SexComparison
        >>> [level.label for level in ComparisonSet([SexComparison()]).levels_of("sex")]
        ['different', 'same']
        """
        return self._get(comparison).levels

    def missing_level_of(self, comparison: int | str) -> Level:
        """The ``-1`` level of one comparison (by position or name)."""
        return self._get(comparison).missing_level

    def _get(self, comparison: int | str) -> Comparison:
        if isinstance(comparison, str):
            names = self.names
            if comparison not in names:
                raise ConfigurationError(
                    f"no comparison named {comparison!r}; the set has {', '.join(names)}"
                )
            return self.comparisons[names.index(comparison)]
        if isinstance(comparison, (int, np.integer)) and -len(self) <= comparison < len(self):
            return self.comparisons[int(comparison)]
        raise ConfigurationError(
            f"comparison must be a name or a position below {len(self)}, got {comparison!r}"
        )

    def reason_codes(self, levels: NDArray[np.integer[Any]]) -> NDArray[np.object_]:
        """The reason code of each pair's level, per comparison (``""`` for none).

        ``levels`` is the level matrix (pairs × comparisons) of
        :attr:`ComparisonVectors.levels`; the codes come from the levels the
        comparisons declare (:attr:`Comparison.levels`, :attr:`Comparison.missing_level`).

        >>> import numpy as np
        >>> from vnlink.compare import ComparisonSet, DateOfBirthComparison, SexComparison
        >>> cset = ComparisonSet([DateOfBirthComparison(), SexComparison()])
        >>> cset.reason_codes(np.array([[5, 0], [-1, 1]], dtype=np.int8)).tolist()
        [['dob_day_month_swapped', 'sex_different'], ['dob_missing', '']]
        """
        matrix = np.asarray(levels)
        if matrix.ndim != 2 or matrix.shape[1] != len(self):
            raise ConfigurationError(
                f"levels must be a (pairs, {len(self)}) matrix, got shape {matrix.shape}"
            )
        out = np.empty(matrix.shape, dtype=object)
        for j, comparison in enumerate(self.comparisons):
            table = np.array(
                [comparison.missing_level.reason or ""]
                + [level.reason or "" for level in comparison.levels],
                dtype=object,
            )
            out[:, j] = table[matrix[:, j].astype(np.int64) + 1]
        return out

    def row_frequencies(self, table: Table, column: str) -> NDArray[np.float64]:
        """Relative frequency of each row's ``column`` value (NaN where missing).

        In order: the table's precomputed column ``tf__<column>`` (registry-wide
        frequencies carried with the rows, as on a Spark executor or in an
        index query), else ``term_frequencies[column]`` when given, else counted
        in ``table``.

        >>> import numpy as np
        >>> from vnlink.table import Table
        >>> from vnlink.compare import ComparisonSet, ExactMatch
        >>> t = Table({"given": ["an", "an"], "tf__given": np.array([0.01, 0.01])})
        >>> ComparisonSet([ExactMatch("given")]).row_frequencies(t, "given").tolist()
        [0.01, 0.01]
        """
        precomputed = f"tf__{column}"
        if precomputed in table:
            values = np.asarray(table[precomputed])
            if values.dtype.kind not in "fiu":
                raise ConfigurationError(
                    f"column {precomputed!r} must hold relative frequencies (numbers, NaN "
                    f"where missing), got dtype {values.dtype}"
                )
            return values.astype(np.float64, copy=False)
        override = self.term_frequencies.get(column)
        if override is not None:
            return override.row_frequencies(table)
        return TermFrequencies.row_frequencies_in(table, column)


def _chunks(n: int, chunk_size: int, threads: int) -> list[tuple[int, int]]:
    """Chunk bounds: a small first chunk when threads > 1, then pieces of at most chunk_size.

    >>> _chunks(10, 4, 1)
    [(0, 4), (4, 8), (8, 10)]
    >>> _chunks(10_000, 4_000, 2)
    [(0, 1000), (1000, 4000), (4000, 7000), (7000, 10000)]
    """
    if threads <= 1 or n < 2_000:
        return [(start, min(n, start + chunk_size)) for start in range(0, n, chunk_size)]
    first = min(1_000, n)
    rest = n - first
    pieces = max(threads, -(-rest // chunk_size))
    edges = np.linspace(first, n, pieces + 1).astype(np.int64).tolist()
    return [(0, first), *itertools.pairwise(edges)]


def pair_arrays(pairs: Any) -> tuple[Index, Index]:
    """``(left, right)`` int64 arrays from ``CandidatePairs``-like objects or a tuple.

    >>> [a.tolist() for a in pair_arrays(([0, 1], [2, 3]))]
    [[0, 1], [2, 3]]
    """
    if hasattr(pairs, "left") and hasattr(pairs, "right"):
        a, b = pairs.left, pairs.right
    elif isinstance(pairs, np.ndarray) and pairs.ndim == 2 and pairs.shape[1] == 2:
        a, b = pairs[:, 0], pairs[:, 1]
    elif isinstance(pairs, (tuple, list)) and len(pairs) == 2:
        a, b = pairs
    else:
        raise ConfigurationError(
            "pairs must have .left and .right index arrays (CandidatePairs) "
            "or be a (left_indices, right_indices) tuple"
        )
    left = np.asarray(a)
    right = np.asarray(b)
    if left.ndim != 1 or right.ndim != 1 or len(left) != len(right):
        raise ConfigurationError("pair index arrays must be one-dimensional and of equal length")
    for arr in (left, right):
        if len(arr) and arr.dtype.kind not in "iu":
            raise ConfigurationError(f"pair indices must be integers, got dtype {arr.dtype}")
    return left.astype(np.int64, copy=False), right.astype(np.int64, copy=False)


def _check_bounds(idx: Index, n_rows: int, side: str) -> None:
    if len(idx) and (int(idx.min()) < 0 or int(idx.max()) >= n_rows):
        raise ConfigurationError(
            f"{side} pair indices must lie in [0, {n_rows}); the pairs do not belong to "
            "these tables"
        )


def _check_output(comparison: Comparison, levels: Any, scores: Any, n: int,
                  n_levels: int) -> None:
    if not isinstance(levels, np.ndarray) or levels.shape != (n,):
        raise ConfigurationError(
            f"comparison {comparison.name!r} returned levels of the wrong shape; "
            f"compute() must return one level per pair ({n})"
        )
    if not isinstance(scores, np.ndarray) or scores.shape != (n,):
        raise ConfigurationError(
            f"comparison {comparison.name!r} returned scores of the wrong shape"
        )
    if n and (int(levels.min()) < -1 or int(levels.max()) >= n_levels):
        raise ConfigurationError(
            f"comparison {comparison.name!r} returned levels outside -1..{n_levels - 1}"
        )


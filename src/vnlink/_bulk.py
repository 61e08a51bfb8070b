"""Apply a scalar normalizer to a column, once per distinct value.

Vietnamese names, dates and places repeat heavily, so every bulk function in
vnlink factorizes its input first and calls the scalar function only on the
distinct values. This module holds that one mechanism.

Examples
--------
>>> import numpy as np
>>> map_unique(lambda v: v and v.upper(), ["an", "bình", "an", None])
array(['AN', 'BÌNH', 'AN', None], dtype=object)
>>> values, inverse = factorize(["b", "a", "b"])
>>> values, inverse.tolist()
(['b', 'a'], [0, 1, 0])
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any, TypeVar

import numpy as np
from numpy.typing import DTypeLike, NDArray

__all__ = [
    "FEW_ROWS",
    "FEW_VALUES",
    "LARGE_COLUMN",
    "as_object_array",
    "blank_text",
    "combine_codes",
    "factorize",
    "factorize_column",
    "map_unique",
    "per_column",
    "remember_factors",
    "spread",
    "text_column",
    "text_rows",
    "unique_columns",
]

T = TypeVar("T")


def as_object_array(values: Iterable[Any]) -> NDArray[np.object_]:
    """Return ``values`` as a one-dimensional numpy object array (no copy if it already is one).

    >>> as_object_array(("a", None)).dtype
    dtype('O')
    """
    if isinstance(values, np.ndarray) and values.dtype == object and values.ndim == 1:
        return values
    if isinstance(values, np.ndarray):
        out = np.empty(values.shape[0] if values.ndim else 1, dtype=object)
        out[:] = values.reshape(-1).tolist()
        return out
    items = list(values)
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def _key(value: Any) -> Any:
    """A hashable stand-in for ``value`` (unhashable objects are keyed by type and repr)."""
    try:
        hash(value)
    except TypeError:
        return (type(value).__name__, repr(value))
    return value


def _typed_key(value: Any) -> Any:
    """A key that keeps values of different types apart (``1``, ``1.0``, ``True``)."""
    return (type(value), _key(value))


FEW_ROWS = 16
"""Rows up to which the stages take their row-by-row paths (a desk lookup's record and
its handful of candidates: array set-up would cost more than the work)."""
FEW_VALUES = 32
"""Values up to which a column is factorized or encoded with a dict alone."""


def factorize(values: Iterable[Any]) -> tuple[list[Any], NDArray[np.intp]]:
    """Split ``values`` into its distinct values (first-seen order) and an index per element.

    ``values[i] == distinct[inverse[i]]`` for every ``i``. ``None``, NaN and
    unhashable objects are allowed; equal values of different types stay apart.

    >>> factorize([None, "x", None])
    ([None, 'x'], array([0, 1, 0]))
    >>> factorize([1, True, 1.0, "1", 1])
    ([1, True, 1.0, '1'], array([0, 1, 2, 3, 0]))
    """
    items = values.tolist() if isinstance(values, np.ndarray) else list(values)
    n = len(items)
    # One pass: each value is mapped to the position where it was first seen.
    first: dict[Any, int] = {}
    kinds = set(map(type, items))
    kinds.discard(type(None))
    if len(kinds) > 1:
        # 1, 1.0 and True are equal as dict keys: key mixed types by type as well
        seen = list(map(first.setdefault, map(_typed_key, items), range(n)))
        distinct = [items[at] for at in first.values()]
    elif n <= FEW_VALUES:
        # a few values (a desk lookup's one record, its candidates): codes directly,
        # without the numpy renumbering below, whose fixed cost dominates here
        try:
            codes = [first.setdefault(v, len(first)) for v in items]
        except TypeError:
            first = {}
            codes = [first.setdefault(_key(v), len(first)) for v in items]
            distinct = [items[codes.index(c)] for c in range(len(first))]
        else:
            distinct = list(first)
        return distinct, np.array(codes, dtype=np.intp)
    else:
        try:
            seen = list(map(first.setdefault, items, range(n)))
        except TypeError:
            first = {}
            seen = list(map(first.setdefault, map(_key, items), range(n)))
            distinct = [items[at] for at in first.values()]
        else:
            distinct = list(first)
    positions = np.array(seen, dtype=np.intp)
    # First-seen positions -> 0, 1, 2 ... in order of appearance.
    code = np.cumsum(positions == np.arange(n), dtype=np.intp)
    code -= 1
    return distinct, code[positions]


_PER_COLUMN: dict[int, tuple[weakref.ref[NDArray[Any]], dict[Hashable, Any]]] = {}
LARGE_COLUMN = 4096
"""Rows from which a column is worked on by its distinct values and what depends on it
alone is remembered (:func:`per_column`): below, redoing is cheaper than remembering."""


def per_column(values: NDArray[Any], what: Hashable, make: Callable[[], T]) -> T:
    """``make()``, remembered for this very array object (by identity) while it lives.

    A prepared table's columns are read by blocking (for every rule), by the
    comparisons and by the reasons; what depends on a column alone (its
    factorization, the hashes of its distinct values) is worked out once. The
    arrays of a table are never changed in place, which this relies on.

    >>> column = np.array(["an"] * 5000, dtype=object)
    >>> calls = []
    >>> per_column(column, "len", lambda: calls.append(1) or len(column))
    5000
    >>> per_column(column, "len", lambda: calls.append(1) or 0), len(calls)
    (5000, 1)
    """
    if not isinstance(values, np.ndarray) or len(values) < LARGE_COLUMN:
        return make()
    key = id(values)
    entry = _PER_COLUMN.get(key)
    if entry is None or entry[0]() is not values:

        def forget(ref: weakref.ref[NDArray[Any]], key: int = key,
                   cache: dict[int, Any] = _PER_COLUMN) -> None:  # bound: safe at exit
            kept = cache.get(key)
            if kept is not None and kept[0] is ref:
                del cache[key]

        entry = _PER_COLUMN[key] = (weakref.ref(values, forget), {})
    found = entry[1]
    if what not in found:
        found[what] = make()
    return found[what]  # type: ignore[no-any-return]


def factorize_column(values: NDArray[Any]) -> tuple[list[Any], NDArray[np.int32]]:
    """:func:`factorize` of a column array with int32 codes, done once per array object.

    >>> factorize_column(np.array(["b", "a", "b"], dtype=object))
    (['b', 'a'], array([0, 1, 0], dtype=int32))
    """

    def make() -> tuple[list[Any], NDArray[np.int32]]:
        distinct, inverse = factorize(values)
        return distinct, inverse.astype(np.int32)

    return per_column(values, factorize_column, make)


def remember_factors(values: NDArray[Any], distinct: list[Any], codes: NDArray[Any]) -> None:
    """Tell :func:`factorize_column` the answer for ``values`` (made as ``distinct[codes]``).

    ``distinct`` must hold each value once, in order of first appearance in ``values``.
    """
    per_column(values, factorize_column, lambda: (distinct, np.asarray(codes, dtype=np.int32)))


def text_column(values: NDArray[Any]) -> NDArray[np.object_]:
    """The column as text: ``None`` as ``""``, other values as ``str`` (itself when all text).

    Worked out once per array object (:func:`per_column`), from its distinct values.

    >>> text_column(np.array(["a", None, 5], dtype=object)).tolist()
    ['a', '', '5']
    """
    array = as_object_array(values)

    def make() -> NDArray[np.object_]:
        distinct, codes = factorize_column(array)
        if all(type(v) is str for v in distinct):
            return array
        fixed = np.empty(len(distinct), dtype=object)
        fixed[:] = ["" if v is None else str(v) for v in distinct]
        out: NDArray[np.object_] = fixed[codes]
        return out

    return per_column(array, text_column, make)


def text_rows(values: NDArray[Any], rows: NDArray[np.integer[Any]]) -> NDArray[np.object_]:
    """``text_column(values)[rows]``, making text of the rows asked for only, unless the
    column's text form is known already (a lookup reads a few ids of a large registry).

    >>> text_rows(np.array(["a", None, 5], dtype=object), np.array([2, 1])).tolist()
    ['5', '']
    """
    array = as_object_array(values)
    entry = _PER_COLUMN.get(id(array))
    if entry is not None and entry[0]() is array and text_column in entry[1]:
        known: NDArray[np.object_] = entry[1][text_column][rows]
        return known
    picked: NDArray[np.object_] = array[rows]
    if all(type(v) is str for v in picked.tolist()):
        return picked
    out = np.empty(len(picked), dtype=object)
    out[:] = ["" if v is None else str(v) for v in picked.tolist()]
    return out


def blank_text(values: NDArray[Any]) -> NDArray[np.bool_]:
    """Per row of a text column: is it ``""`` or ``None`` (worked out once per array object).

    >>> blank_text(np.array(["a", None, ""], dtype=object)).tolist()
    [False, True, True]
    """
    array = as_object_array(values)

    def make() -> NDArray[np.bool_]:
        distinct, codes = factorize_column(array)
        blank = np.fromiter((v is None or v == "" for v in distinct), dtype=bool,
                            count=len(distinct))
        out: NDArray[np.bool_] = blank[codes]
        return out

    return per_column(array, blank_text, make)


def spread(per_distinct: NDArray[Any], inverse: NDArray[Any]) -> NDArray[Any]:
    """``per_distinct[inverse]``; for text, its factorization is remembered on the way.

    ``inverse`` indexes the distinct values of an input in order of first
    appearance (:func:`factorize`), so the result's own distinct values come in
    the order :func:`factorize` would find them.

    >>> spread(np.array(["x", "y", "x"], dtype=object), np.array([2, 1, 0, 1])).tolist()
    ['x', 'y', 'x', 'y']
    """
    out: NDArray[Any] = per_distinct[inverse]
    if out.dtype == object and len(out) >= LARGE_COLUMN:
        distinct, codes = factorize(per_distinct)
        remember_factors(out, distinct, codes[inverse])
    return out


def map_unique(
    func: Callable[[Any], Any], values: Iterable[Any], *, dtype: DTypeLike = object
) -> NDArray[Any]:
    """``[func(v) for v in values]`` as a numpy array, calling ``func`` once per distinct value.

    >>> map_unique(len, ["ab", "c", "ab"], dtype=np.int64)
    array([2, 1, 2])
    """
    distinct, inverse = factorize(values)
    if np.dtype(dtype) == object:
        return spread(_object_list(func, distinct), inverse)
    results = np.empty(len(distinct), dtype=dtype)
    results[:] = [func(v) for v in distinct]
    return results[inverse]


def _object_list(func: Callable[[Any], Any], distinct: list[Any]) -> NDArray[np.object_]:
    out = np.empty(len(distinct), dtype=object)
    for i, value in enumerate(distinct):
        out[i] = func(value)
    return out


def unique_columns(
    func: Callable[[Any], Any],
    values: Iterable[Any],
    fields: Mapping[str, tuple[Callable[[Any], Any], DTypeLike]],
) -> dict[str, NDArray[Any]]:
    """Run ``func`` once per distinct value and spread the result into columns.

    ``fields`` maps an output column name to ``(getter, dtype)``; ``getter``
    takes the result of ``func`` and returns the column's value.

    >>> cols = unique_columns(
    ...     str.split, ["Lê Văn Tám", "Lê Văn Tám"],
    ...     {"family": (lambda p: p[0], object), "n_words": (len, np.int8)},
    ... )
    >>> cols["family"].tolist(), cols["n_words"].tolist()
    (['Lê', 'Lê'], [3, 3])
    """
    distinct, inverse = factorize(values)
    parsed = [func(v) for v in distinct]
    columns: dict[str, NDArray[Any]] = {}
    for name, (getter, dtype) in fields.items():
        column = np.empty(len(parsed), dtype=dtype)
        if np.dtype(dtype) == object:
            for i, result in enumerate(parsed):
                column[i] = getter(result)
        else:
            column[:] = [getter(result) for result in parsed]
        columns[name] = spread(column, inverse)
    return columns


def combine_codes(
    factorized: list[tuple[list[Any], NDArray[np.intp]]], n: int
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """A row of each distinct combination of factorized columns, and each row's combination.

    ``factorized`` holds ``(distinct, inverse)`` per column (:func:`factorize`).

    The codes are packed into one integer (re-numbered only when the product of
    the numbers of distinct values would overflow), then sorted once.
    """
    combined = np.zeros(n, dtype=np.int64)
    size = 1
    for distinct, inverse in factorized:
        if size * len(distinct) >= 1 << 62:
            combined = np.unique(combined, return_inverse=True)[1].reshape(-1).astype(np.int64)
            size = int(combined.max()) + 1 if n else 1
        combined = combined * len(distinct) + inverse
        size *= max(len(distinct), 1)
    _, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    return first.astype(np.intp), inverse.reshape(-1).astype(np.intp)

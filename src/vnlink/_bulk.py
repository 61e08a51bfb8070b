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

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
from numpy.typing import DTypeLike, NDArray

__all__ = ["as_object_array", "combine_codes", "factorize", "map_unique", "unique_columns"]


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


_SMALL = 32  # up to this many values, factorize maps them with a dict alone


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
    elif n <= _SMALL:
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


def map_unique(
    func: Callable[[Any], Any], values: Iterable[Any], *, dtype: DTypeLike = object
) -> NDArray[Any]:
    """``[func(v) for v in values]`` as a numpy array, calling ``func`` once per distinct value.

    >>> map_unique(len, ["ab", "c", "ab"], dtype=np.int64)
    array([2, 1, 2])
    """
    distinct, inverse = factorize(values)
    if np.dtype(dtype) == object:
        return _object_list(func, distinct)[inverse]
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
        columns[name] = column[inverse]
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

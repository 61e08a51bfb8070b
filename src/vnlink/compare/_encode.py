"""Integer codes for string columns, cached per table (private to the comparison stage).

A comparison never compares Python strings pair by pair: each string column of a
table is factorized once into ``codes`` (int32, one per row) over a vocabulary
whose entry 0 is the missing value ``""``. Two tables are then brought into one
code space by looking up the right table's *distinct* values in the left
table's vocabulary, so equality of two values is equality of two integers.
Everything is cached per table (weakly, and checked against the identity of the
column array), so a registry encoded once serves every later call.

>>> from vnlink.table import Table
>>> left = Table({"given": ["an", "bình", "", "an"]})
>>> right = Table({"given": ["bình", "châu", None]})
>>> enc = encode(left, "given")
>>> enc.vocab.tolist(), enc.codes.tolist()
(['', 'an', 'bình'], [1, 2, 0, 1])
>>> lc, rc = joint_codes(left, right, "given")
>>> lc.tolist(), rc.tolist()
([1, 2, 0, 1], [2, 3, 0])
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink._bulk import FEW_VALUES as _SMALL
from vnlink._bulk import factorize, factorize_column
from vnlink.exceptions import SchemaError
from vnlink.table import Table

__all__ = [
    "Encoding",
    "encode",
    "forget",
    "is_missing_value",
    "joint_codes",
    "joint_vocab",
    "numeric_column",
    "sex_codes",
    "sorted_tokens",
    "table_feature",
    "vocab_feature",
]

Derive = tuple[str, Callable[[str], str]]

_CACHE: weakref.WeakKeyDictionary[Table, dict[Any, Any]] = weakref.WeakKeyDictionary()
_JOINT_KEEP = 4  # joint code maps kept per left table (different right tables)


@dataclass(frozen=True)
class Encoding:
    """A factorized string column: ``vocab[codes[i]]`` is row ``i``; ``vocab[0] == ""``.

    >>> Encoding(np.array(["", "an"], dtype=object), np.array([1, 0], np.int32)).index
    {'': 0, 'an': 1}
    """

    vocab: NDArray[np.object_]
    codes: NDArray[np.int32]

    @functools.cached_property
    def index(self) -> dict[Any, int]:
        """Value -> code (built on first use: only a left table's is ever looked up)."""
        return dict(zip(self.vocab.tolist(), range(len(self.vocab)), strict=True))


def sorted_tokens(value: str) -> str:
    """The words of ``value`` in sorted order (for order-insensitive comparison).

    >>> sorted_tokens("hung nguyen van")
    'hung nguyen van'
    >>> sorted_tokens("van hung nguyen")
    'hung nguyen van'
    """
    return " ".join(sorted(value.split()))


SORTED: Derive = ("sorted_tokens", sorted_tokens)


def is_missing_value(value: Any) -> bool:
    """``True`` for the values a derived column uses for "missing": ``""``, ``None``, NaN.

    >>> [is_missing_value(v) for v in ("", None, float("nan"), "x", 0)]
    [True, True, True, False, False]
    """
    if value is None:
        return True
    if isinstance(value, str):
        return value == ""
    return isinstance(value, float) and value != value


def encode_array(values: NDArray[Any]) -> Encoding:
    """Factorize an object array with the missing value at code 0 (not cached)."""
    if len(values) <= _SMALL:
        items = values.tolist() if isinstance(values, np.ndarray) else list(values)
        if all(type(v) is str for v in items):
            # a small table of text (a desk lookup's candidates): one dict, no numpy renumbering
            index = {"": 0}
            small = [index.setdefault(v, len(index)) for v in items]
            vocab_small = np.empty(len(index), dtype=object)
            vocab_small[:] = list(index)
            return Encoding(vocab_small, np.array(small, dtype=np.int32))
    distinct, inverse = (factorize_column(values) if isinstance(values, np.ndarray)
                         else factorize(values))
    n = len(distinct)
    if set(map(type, distinct)) <= {str}:  # the usual case: str only, "" = missing
        remap = np.arange(1, n + 1, dtype=np.int32)
        try:
            at = distinct.index("")
        except ValueError:
            vocab: list[Any] = ["", *distinct]
        else:
            remap[at] = 0
            remap[at + 1 :] -= 1
            vocab = ["", *distinct[:at], *distinct[at + 1 :]]
    else:
        remap = np.empty(n, dtype=np.int32)
        vocab = [""]
        index = {"": 0}
        for i, value in enumerate(distinct):
            if is_missing_value(value):
                remap[i] = 0
                continue
            key = value if isinstance(value, str) else str(value)
            code = index.get(key)
            if code is None:
                code = index[key] = len(vocab)
                vocab.append(key)
            remap[i] = code
    out = np.empty(len(vocab), dtype=object)
    out[:] = vocab
    codes = remap[inverse] if len(inverse) else np.zeros(0, dtype=np.int32)
    return Encoding(out, codes.astype(np.int32, copy=False))


def _table_cache(table: Table) -> dict[Any, Any]:
    try:
        cache = _CACHE.get(table)
        if cache is None:
            cache = _CACHE[table] = {}
        return cache
    except TypeError:  # pragma: no cover - a table type that refuses weak references
        return {}


def forget(table: Table) -> None:
    """Drop everything cached for ``table`` (the memory of a large registry's encodings).

    >>> t = Table({"g": ["an", "bình"]})
    >>> _ = encode(t, "g")
    >>> forget(t)
    >>> t in _CACHE
    False
    """
    with contextlib.suppress(TypeError):  # a table type that refuses weak references
        _CACHE.pop(table, None)


def _column(table: Table, column: str) -> NDArray[Any]:
    if column not in table:
        raise SchemaError(
            f"the comparison needs column {column!r}, which the table lacks; "
            "pass a table made by vnlink.prepare() or name an existing column"
        )
    return table[column]


def encode(table: Table, column: str, derive: Derive | None = None) -> Encoding:
    """The cached :class:`Encoding` of ``table[column]`` (or of ``derive`` applied to it).

    ``derive`` is ``(key, func)``: a virtual column whose value per row is
    ``func(value)``, computed once per distinct value; ``func("")`` is not called.
    """
    array = _column(table, column)
    cache = _table_cache(table)
    key = ("enc", column, derive[0] if derive else None)
    hit = cache.get(key)
    if hit is not None and hit[0] is array:
        return hit[1]  # type: ignore[no-any-return]
    if derive is None:
        result = encode_array(array)
    else:
        base = encode(table, column)
        func = derive[1]
        values = np.empty(len(base.vocab), dtype=object)
        values[0] = ""
        values[1:] = [func(v) for v in base.vocab[1:].tolist()]
        sub = encode_array(values)
        result = Encoding(sub.vocab, sub.codes[base.codes])
    cache[key] = (array, result)
    return result


def joint_codes(
    left: Table, right: Table, column: str, derive: Derive | None = None
) -> tuple[NDArray[np.int32], NDArray[np.int32]]:
    """Row codes of ``left[column]`` and ``right[column]`` in one code space (0 = missing).

    Equal codes mean equal values. Only the distinct values of ``right`` are
    looked up in the vocabulary of ``left``.
    """
    lc, rc, _ = _joint(left, right, column, derive)
    return lc, rc


def joint_vocab(
    left: Table, right: Table, column: str, derive: Derive | None = None
) -> NDArray[np.object_]:
    """The values of the joint code space: ``joint_vocab(...)[code]`` is the string.

    >>> from vnlink.table import Table
    >>> joint_vocab(Table({"g": ["an"]}), Table({"g": ["bá", "an"]}), "g").tolist()
    ['', 'an', 'bá']
    """
    return _joint(left, right, column, derive)[2]


def _joint(
    left: Table, right: Table, column: str, derive: Derive | None
) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.object_]]:
    le = encode(left, column, derive)
    if right is left:
        return le.codes, le.codes, le.vocab
    re_ = encode(right, column, derive)
    joints = _joint_cache(left, right)
    key = (column, derive[0] if derive else None)
    hit = joints.get(key)
    if hit is not None and hit[0] is le and hit[1] is re_:
        return le.codes, hit[2], hit[3]
    mapping = np.fromiter(
        map(le.index.get, re_.vocab.tolist(), itertools.repeat(-1)), np.int64, len(re_.vocab)
    )
    new = mapping < 0
    mapping[new] = len(le.vocab) + np.arange(int(new.sum()))
    right_codes = mapping.astype(np.int32)[re_.codes]
    vocab = _grown_vocab(left, right, key, le, re_.vocab[new]) if new.any() else le.vocab
    joints[key] = (le, re_, right_codes, vocab)
    return le.codes, right_codes, vocab


_GROW_LOCK = threading.Lock()


def _grown_vocab(
    left: Table, right: Table, key: Any, le: Encoding, extra: NDArray[np.object_]
) -> NDArray[np.object_]:
    """``le.vocab`` followed by ``extra``, in time proportional to ``len(extra)``.

    The left vocabulary (a registry's: a million names) is copied once into a
    buffer with spare room; each new right table (a batch) writes its new
    values after it and gets a view. The room belongs to one right table at a
    time: while that table is alive, another one gets a plain copy (the old
    way), so a view handed out is never overwritten.
    """
    n_left, k = len(le.vocab), len(extra)
    cache = _table_cache(left)
    with _GROW_LOCK:
        state = cache.get(("grown", key))
        if state is not None and state[0] is le:
            _, buffer, owner = state
            busy = owner is not None and owner() is not None and owner() is not right
            if not busy and len(buffer) >= n_left + k:
                buffer[n_left : n_left + k] = extra
                cache[("grown", key)] = (le, buffer, weakref.ref(right))
                view: NDArray[np.object_] = buffer[: n_left + k]
                return view
            if busy:
                return np.concatenate([le.vocab, extra])
        buffer = np.empty(n_left + max(2 * k, 4096), dtype=object)
        buffer[:n_left] = le.vocab
        buffer[n_left : n_left + k] = extra
        cache[("grown", key)] = (le, buffer, weakref.ref(right))
        grown: NDArray[np.object_] = buffer[: n_left + k]
        return grown


def _joint_cache(left: Table, right: Table) -> dict[Any, Any]:
    """The joint-code cache of ``left`` against ``right`` (a few right tables are kept)."""
    cache = _table_cache(left)
    per_right: dict[int, Any] = cache.setdefault("joint", {})
    entry = per_right.get(id(right))
    if entry is not None and entry[0]() is right:
        return entry[1]  # type: ignore[no-any-return]
    try:
        ref = weakref.ref(right)
    except TypeError:  # pragma: no cover
        return {}
    while len(per_right) >= _JOINT_KEEP:
        del per_right[next(iter(per_right))]
    joints: dict[Any, Any] = {}
    per_right[id(right)] = (ref, joints)
    return joints


def vocab_feature(
    table: Table,
    column: str,
    key: str,
    func: Callable[[NDArray[np.object_]], NDArray[Any]],
) -> tuple[NDArray[Any], NDArray[np.int32]]:
    """``(feature, codes)``: ``func`` applied once to the column's vocabulary, cached.

    ``feature[codes[i]]`` is the feature of row ``i``.
    """
    enc = encode(table, column)
    cache = _table_cache(table)
    ckey = ("feat", column, key)
    hit = cache.get(ckey)
    if hit is not None and hit[0] is enc:
        return hit[1], enc.codes
    feature = func(enc.vocab)
    cache[ckey] = (enc, feature)
    return feature, enc.codes


def table_feature(
    table: Table, key: str, columns: tuple[str, ...], func: Callable[[Table], Any]
) -> Any:
    """``func(table)``, cached until one of ``columns`` is replaced in the table."""
    arrays = tuple(table.columns.get(c) for c in columns)
    cache = _table_cache(table)
    hit = cache.get(("table", key))
    if hit is not None and all(a is b for a, b in zip(hit[0], arrays, strict=True)):
        return hit[1]
    value = func(table)
    cache[("table", key)] = (arrays, value)
    return value


def numeric_column(table: Table, column: str) -> NDArray[Any]:
    """An integer or float column as a numpy array (object columns converted, None -> 0)."""
    array = _column(table, column)
    if array.dtype.kind in "iufb":
        return array
    cache = _table_cache(table)
    key = ("num", column)
    hit = cache.get(key)
    if hit is not None and hit[0] is array:
        return hit[1]  # type: ignore[no-any-return]

    def to_number(value: Any) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            return 0.0
        return 0.0 if number != number else number

    distinct, inverse = factorize_column(array)
    values = np.array([to_number(v) for v in distinct], dtype=np.float64)
    out = values[inverse] if len(inverse) else np.zeros(0)
    if len(out) and np.all(out == np.round(out)):
        out = out.astype(np.int64)
    cache[key] = (array, out)
    return out


def sex_codes(table: Table, column: str, idx: NDArray[np.integer[Any]]) -> NDArray[np.int8]:
    """``1`` for ``M``, ``2`` for ``F``, ``0`` for anything else, at rows ``idx``.

    >>> sex_codes(Table({"sex": ["F", "", "M"]}), "sex", np.array([0, 1, 2])).tolist()
    [2, 0, 1]
    """
    feature, codes = vocab_feature(table, column, "sex", _sex_feature)
    out: NDArray[np.int8] = feature[codes[idx]]
    return out


def _sex_feature(vocab: NDArray[np.object_]) -> NDArray[np.int8]:
    lookup = {"M": 1, "F": 2}
    return np.array([lookup.get(str(v).upper(), 0) for v in vocab.tolist()], dtype=np.int8)

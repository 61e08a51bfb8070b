"""Blocking rules: which pairs of rows are worth comparing.

A rule turns each row of the two tables into a *key*; rows whose keys agree
(and are not missing) form a block, and every left/right pair inside a block
becomes a candidate pair.

- :func:`block_on` — exact agreement on one or more derived columns, each
  optionally cut to a substring (``"given_key[:3]"`` or ``substr("name_fold", 3)``).
- :class:`SortedNeighbourhood` — rows whose sorting key is within a window of
  distinct values of each other (catches typos at the end of a key).

Missing values (``""``, ``None``, NaN, ``0``) never block together: a row
missing any column of a rule takes no part in that rule.

Examples
--------
>>> rule = block_on("dob_year", "given_key[:3]")
>>> rule.name
'dob_year & given_key[:3]'
>>> substr("name_fold", 3).name
'name_fold[:3]'
>>> SortedNeighbourhood("name_fold", window=5).name
'sorted_neighbourhood(name_fold, window=5)'
>>> rule_from_dict(rule.to_dict()) == rule
True
"""

from __future__ import annotations

import hashlib
import math
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from vnlink import plugins
from vnlink._bulk import FEW_ROWS as _FEW_ROWS
from vnlink._bulk import LARGE_COLUMN as _LARGE_COLUMN
from vnlink._bulk import (
    as_object_array,
    factorize,
    factorize_column,
    per_column,
)
from vnlink.exceptions import ConfigurationError, SchemaError
from vnlink.table import Table, as_table

__all__ = [
    "BlockOn",
    "BlockingRule",
    "Key",
    "KeyCodes",
    "RowKeys",
    "SortedNeighbourhood",
    "as_rules",
    "block_on",
    "default_rules",
    "rule_from_dict",
    "substr",
]

Codes = NDArray[np.int64]
_Hashed = tuple[NDArray[np.uint64], NDArray[np.bool_]]

_SLICE = re.compile(r"^(?P<column>.+?)\[(?P<start>-?\d*):(?P<stop>-?\d*)\]$")


@dataclass(frozen=True)
class Key:
    """One column of a blocking key, optionally cut to ``value[start:stop]``.

    Parameters
    ----------
    column
        A column of the (prepared) tables.
    start, stop
        Python slice bounds applied to the text of each value; ``None`` keeps
        the whole value. ``Key("phone", -4)`` is the last four digits.

    Examples
    --------
    >>> Key.parse("given_key[:3]")
    Key(column='given_key', start=None, stop=3)
    >>> Key.parse("phone[-4:]").name
    'phone[-4:]'
    """

    column: str
    start: int | None = None
    stop: int | None = None

    @classmethod
    def parse(cls, spec: str | Key) -> Key:
        """A key from ``"column"`` or ``"column[start:stop]"`` (or a :class:`Key`)."""
        if isinstance(spec, Key):
            return spec
        if not isinstance(spec, str) or not spec:
            raise ConfigurationError(
                f"a blocking key must be a column name such as 'given_key' or 'given_key[:3]', "
                f"got {type(spec).__name__}"
            )
        match = _SLICE.match(spec)
        if match is None:
            return cls(spec)
        start, stop = match.group("start"), match.group("stop")
        return cls(
            match.group("column"), int(start) if start else None, int(stop) if stop else None
        )

    @property
    def sliced(self) -> bool:
        """Whether the key cuts the value."""
        return self.start is not None or self.stop is not None

    @property
    def name(self) -> str:
        """The key as written in a rule (``"given_key[:3]"``)."""
        if not self.sliced:
            return self.column
        start = "" if self.start is None else str(self.start)
        stop = "" if self.stop is None else str(self.stop)
        return f"{self.column}[{start}:{stop}]"


def substr(column: str, length: int, start: int = 0) -> Key:
    """The key ``length`` characters of ``column`` from ``start`` (first characters by default).

    >>> substr("family", 2).name, substr("phone", 4, start=-4).name
    ('family[:2]', 'phone[-4:]')
    """
    if length < 1:
        raise ConfigurationError(f"substr length must be at least 1, got {length}")
    stop: int | None = start + length
    if start < 0 and stop is not None and stop >= 0:
        stop = None
    return Key(column, start if start else None, stop)


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value == ""
    if isinstance(value, (bool, int, np.integer)):
        return bool(value == 0)
    if isinstance(value, (float, np.floating)):
        return bool(value == 0 or math.isnan(value))
    return False


class KeyCodes:
    """Jointly factorized key codes of the two tables, cached per key.

    What a rule's blocking methods (:meth:`BlockingRule.block_codes`,
    ``components``, ``count``) receive; a rule that only implements
    :meth:`BlockingRule.row_keys` never needs it. Each code array is
    ``int64`` over the *joint* rows: the ``n_target`` rows of the left
    table, then the ``n_probe`` rows of the right table (in dedupe mode the
    one table twice). Equal codes mean equal keys; ``-1`` is missing.

    Keys are hashed per row (Python's ``hash`` for text, the value for numbers),
    several columns are mixed into one 64-bit hash, and one sort per rule turns
    the hashes into compact codes. Two different keys share a code only on a
    64-bit hash collision (about one chance in 10^7 for a million distinct
    keys), which at worst adds a harmless candidate pair.
    """

    def pair_counts(self, codes: Codes) -> NDArray[np.int64]:
        """Pairs per block code (index = code) of joint ``codes``, in this link or dedupe mode."""
        return _block_pair_counts(codes, self.n_target, self.dedupe)

    def __init__(self, left: Table, right: Table | None) -> None:
        self.left = left
        self.right = right
        self.dedupe = right is None
        self.n_target = left.n_rows
        self.n_probe = left.n_rows if right is None else right.n_rows
        self._cache: dict[Any, Any] = {}

    def _tables(self) -> list[Table]:
        return [self.left] if self.right is None else [self.left, self.right]

    def _check(self, name: str) -> None:
        for table in self._tables():
            if name not in table:
                raise SchemaError(
                    f"blocking needs the column {name!r}; the table has: "
                    f"{', '.join(table.column_names) or '(none)'}"
                )

    def _values_at(self, name: str, rows: NDArray[np.intp]) -> list[Any]:
        """The column's values at joint rows (left rows first, then right rows)."""
        left = self.left[name]
        if self.right is None:
            return list(left[rows % max(len(left), 1)].tolist())
        right = self.right[name]
        is_left = rows < self.n_target
        out = np.empty(len(rows), dtype=object)
        out[is_left] = as_object_array(left[rows[is_left]])
        out[~is_left] = as_object_array(right[rows[~is_left] - self.n_target])
        return list(out.tolist())

    def hashed(self, key: Key) -> tuple[NDArray[np.uint64], NDArray[np.bool_]]:
        """64-bit hashes of the key over the joint rows, and where it is missing."""
        cache_key = ("hash", key)
        if cache_key in self._cache:
            return self._cache[cache_key]  # type: ignore[no-any-return]
        self._check(key.column)
        if key.sliced:
            codes, representatives = self.groups(Key(key.column))
            distinct = self._values_at(key.column, representatives)
            cut = as_object_array([_cut(v, key) for v in distinct])
            cut_hash, cut_missing = _hash_values(cut)
            base_missing = codes < 0
            safe = np.maximum(codes, 0)
            result = (cut_hash[safe], base_missing | cut_missing[safe])
        else:
            parts = [_table_hashes(t, key.column) for t in self._tables()]
            if self.right is None:
                parts = parts * 2
            result = (
                np.concatenate([h for h, _ in parts]),
                np.concatenate([m for _, m in parts]),
            )
        self._cache[cache_key] = result
        return result

    def groups(self, key: Key) -> tuple[Codes, NDArray[np.intp]]:
        """Compact codes of one key (-1 missing) and a joint row holding each code."""
        cache_key = ("groups", key)
        if cache_key in self._cache:
            return self._cache[cache_key]  # type: ignore[no-any-return]
        hashes, missing = self.hashed(key)
        codes, representatives = _group(hashes)
        codes[missing] = -1
        self._cache[cache_key] = (codes, representatives)
        return codes, representatives

    def single(self, key: Key) -> Codes:
        """Codes of one key over the joint rows."""
        return self.groups(key)[0]

    def combined(self, keys: Sequence[Key]) -> Codes:
        """Compact codes of several keys together (missing if any part is missing)."""
        if not keys:
            raise ConfigurationError("a blocking rule needs at least one column")
        if len(keys) == 1:
            return self.single(keys[0])
        cache_key = ("combined", tuple(keys))
        if cache_key in self._cache:
            return self._cache[cache_key]  # type: ignore[no-any-return]
        hashes, missing = self.hashed(keys[0])
        missing = missing.copy()
        for key in keys[1:]:
            more, more_missing = self.hashed(key)
            hashes = _mix(hashes + _GOLDEN) ^ more
            missing |= more_missing
        codes, _ = _group(_mix(hashes))
        codes[missing] = -1
        self._cache[cache_key] = codes
        return codes

    def side_hashes(self, keys: Sequence[Key], only: int | None = None) -> list[_Hashed]:
        """Per table (left, then right) the hashes of ``keys`` together and where any is missing.

        The same hashes as :meth:`combined` groups (the raw hash for one key, the
        mixed one for several), so equal hashes are equal codes there. ``only``
        (0 or 1) computes that table's alone; the other entry is then empty.
        """
        if not keys:
            raise ConfigurationError("a blocking rule needs at least one column")
        tables = self._tables()
        wanted = range(len(tables)) if only is None else [only]
        sides: list[list[_Hashed]] = [[] for _ in tables]
        for key in keys:
            self._check(key.column)
            if key.sliced:
                joint, missing = self.hashed(key)
                cut = [slice(0, self.n_target), slice(self.n_target, None)]
                for i in wanted:
                    sides[i].append((joint[cut[i]], missing[cut[i]]))
            else:
                for i in wanted:
                    sides[i].append(_table_hashes(tables[i], key.column))
        empty = (np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=bool))
        return [_combine(parts) if parts else empty for parts in sides]

    def group_index(self, keys: Sequence[Key]) -> list[_GroupIndex]:
        """Per table the rows grouped by the hash of ``keys`` (see :class:`_GroupIndex`).

        Without cut keys the index is cached on the table while its key columns
        are unchanged, so blocking the same registry again skips the sort.
        """
        keys = tuple(keys)
        cache_key = ("index", keys)
        if cache_key in self._cache:
            return self._cache[cache_key]  # type: ignore[no-any-return]
        tables = self._tables()
        cacheable = not any(k.sliced for k in keys)
        found: list[_GroupIndex | None] = [None] * len(tables)
        for key in keys:
            self._check(key.column)
        if cacheable:
            for i, table in enumerate(tables):
                found[i] = _cached_index(table, keys)
        for i, table in enumerate(tables):
            if found[i] is None:  # e.g. a new batch of records against a cached registry
                index = _group_index(*self.side_hashes(keys, only=i)[i])
                if cacheable:
                    _store_index(table, keys, index)
                found[i] = index
        result = [f for f in found if f is not None]
        self._cache[cache_key] = result
        return result

    def ranks(self, key: Key) -> Codes:
        """Codes that are the rank of the key's value among the sorted distinct values."""
        cache_key = ("ranks", key)
        if cache_key in self._cache:
            return self._cache[cache_key]  # type: ignore[no-any-return]
        codes, representatives = self.groups(key)
        values = self._values_at(key.column, representatives)
        if key.sliced:
            values = [_cut(v, key) for v in values]
        present = np.zeros(len(values), dtype=bool)
        present[codes[codes >= 0]] = True
        order = sorted(np.flatnonzero(present).tolist(), key=lambda c: _sort_text(values[c]))
        lookup = np.full(max(len(values), 1), -1, dtype=np.int64)
        lookup[np.asarray(order, dtype=np.int64)] = np.arange(len(order), dtype=np.int64)
        ranked = np.where(codes >= 0, lookup[np.maximum(codes, 0)], -1)
        self._cache[cache_key] = ranked
        return ranked


_NONE_HASH = hash(None)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_GOLDEN_INT, _MIX1_INT, _MIX2_INT = int(_GOLDEN), int(_MIX1), int(_MIX2)
_SHIFT30, _SHIFT27, _SHIFT31 = np.uint64(30), np.uint64(27), np.uint64(31)


def _mix(h: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """The splitmix64 finaliser, elementwise (wrapping arithmetic)."""
    out = h >> _SHIFT30
    out ^= h
    out *= _MIX1
    scratch = out >> _SHIFT27
    out ^= scratch
    out *= _MIX2
    np.right_shift(out, _SHIFT31, out=scratch)
    out ^= scratch
    return out


def _table_hashes(table: Table, name: str) -> tuple[NDArray[np.uint64], NDArray[np.bool_]]:
    """:func:`_hash_values` of a table's column.

    A registry blocked several times (count, pairs, analysis, a linker's fit
    and link) hashes each distinct text once: a text column's distinct values
    and their hashes are kept per column array (:func:`vnlink._bulk.per_column`),
    the per-row arrays are taken from them again (no per-row copy kept).
    """
    return _hash_values(table[name])


def _combine(parts: Sequence[_Hashed]) -> _Hashed:
    """The hashes of several keys mixed into one, as :meth:`KeyCodes.combined` does."""
    hashes, missing = parts[0]
    if len(parts) == 1:
        return hashes, missing
    missing = missing.copy()
    for more, more_missing in parts[1:]:
        hashes = _mix(hashes + _GOLDEN)
        hashes ^= more
        missing |= more_missing
    return _mix(hashes), missing


class _GroupIndex:
    """The present rows of one table grouped by key hash (internal).

    ``hashes`` are the distinct hashes, ascending; group ``g`` is
    ``rows[offsets[g]:offsets[g + 1]]``, rows ascending within a group.
    Offsets and rows are ``int32`` when the table allows it (the index is kept
    on the table; half the memory).
    """

    def __init__(
        self,
        hashes: NDArray[np.uint64],
        offsets: NDArray[np.integer[Any]],
        rows: NDArray[np.integer[Any]],
        n_rows: int,
    ) -> None:
        self.hashes = hashes
        self.offsets = offsets
        self.rows = rows
        self.n_rows = n_rows
        self._row_group: NDArray[np.integer[Any]] | None = None
        # the latest join of this (right-hand) index: left index, cap, counts, first, count
        self.last_join: (
            tuple[
                _GroupIndex,
                int | None,
                tuple[int, int, int, int, int, int],
                NDArray[np.int64],
                NDArray[np.int64],
            ]
            | None
        ) = None

    def sizes(self) -> NDArray[np.int64]:
        """Rows per group."""
        return np.diff(self.offsets).astype(np.int64, copy=False)

    def row_group(self) -> NDArray[np.integer[Any]]:
        """Per row of the table its group, ``len(hashes)`` where the key is missing (cached)."""
        if self._row_group is None:
            groups = np.full(self.n_rows, len(self.hashes), dtype=self.rows.dtype)
            groups[self.rows] = np.repeat(np.arange(len(self.hashes)), self.sizes())
            self._row_group = groups
        return self._row_group


def _group_index(hashes: NDArray[np.uint64], missing: NDArray[np.bool_]) -> _GroupIndex:
    """Group the rows not missing by hash, in one plain sort.

    The row number is packed into the low bits of the hash, so sorting the
    packed values (much faster than an argsort) orders the rows by the hash's
    high bits, then by row. Two distinct hashes sharing the high bits would
    interleave; that is checked, and sorted exactly when it happens.
    """
    rows = np.flatnonzero(~missing)
    if len(rows) == 0:
        return _GroupIndex(np.zeros(0, np.uint64), np.zeros(1, np.int64), rows, len(hashes))
    bits = max(int(len(hashes) - 1).bit_length(), 1)
    low = np.uint64((1 << bits) - 1)
    packed = (hashes if len(rows) == len(hashes) else hashes[rows]) & ~low
    packed |= rows.view(np.uint64)
    packed.sort()
    ordered_rows = (packed & low).view(np.int64)
    full = hashes[ordered_rows]
    change = np.empty(len(full), dtype=bool)
    change[0] = True
    np.not_equal(full[1:], full[:-1], out=change[1:])
    packed >>= np.uint64(bits)
    if np.count_nonzero(packed[1:] != packed[:-1]) != np.count_nonzero(change) - 1:
        # two keys share the high bits: order by the whole hash, then the row
        order = np.lexsort((rows, hashes[rows]))
        ordered_rows = rows[order]
        full = hashes[ordered_rows]
        np.not_equal(full[1:], full[:-1], out=change[1:])
    starts = np.flatnonzero(change)
    small = np.dtype(np.int32 if len(hashes) < 2**31 else np.int64)
    offsets: NDArray[np.integer[Any]] = np.append(starts, len(full)).astype(small)
    return _GroupIndex(full[starts], offsets, ordered_rows.astype(small), len(hashes))


def _cached_index(table: Table, keys: tuple[Key, ...]) -> _GroupIndex | None:
    cache: dict[tuple[Key, ...], Any] | None = getattr(table, "_vnlink_key_index", None)
    entry = None if cache is None else cache.get(keys)
    if entry is None:
        return None
    columns, index = entry
    if all(table[k.column] is c for k, c in zip(keys, columns, strict=True)):
        return index  # type: ignore[no-any-return]
    return None


def _store_index(table: Table, keys: tuple[Key, ...], index: _GroupIndex) -> None:
    cache: dict[tuple[Key, ...], Any] | None = getattr(table, "_vnlink_key_index", None)
    if cache is None:
        cache = {}
        table._vnlink_key_index = cache  # type: ignore[attr-defined]
    cache[keys] = (tuple(table[k.column] for k in keys), index)




def _hash_values(values: NDArray[Any]) -> tuple[NDArray[np.uint64], NDArray[np.bool_]]:
    """Per value a 64-bit hash and the missing mask.

    Python's ``hash`` for text and other objects; integers are their own hash
    as in Python (``hash(-1) == -2``), so an integer column and an object
    column of the same numbers agree.
    """
    if values.dtype.kind in "iub":
        hashes = values.astype(np.int64)
        hashes[hashes == -1] = -2
        return hashes.view(np.uint64), values == 0
    if values.dtype.kind == "f":
        missing = (values == 0) | np.isnan(values)
        items = values.tolist()
        hashed = np.fromiter(map(hash, items), dtype=np.int64, count=len(items))
        return hashed.view(np.uint64), missing
    if values.dtype != object:
        values = as_object_array(values)
    if len(values) >= _LARGE_COLUMN:  # a table's column: hash its distinct values once
        distinct, codes = factorize_column(values)
        d_hashes, d_missing = per_column(
            values, _hash_objects, lambda: _hash_objects(as_object_array(distinct)))
        return d_hashes[codes], d_missing[codes]
    return _hash_objects(values)


def _hash_objects(values: NDArray[np.object_]) -> tuple[NDArray[np.uint64], NDArray[np.bool_]]:
    """:func:`_hash_values` of an object array, value by value."""
    try:
        # iterating the object array yields its items without building a list
        hashes = np.fromiter(map(hash, values), dtype=np.int64, count=len(values))
    except TypeError:
        _, inverse = factorize(values.tolist())
        hashes = np.asarray(inverse, dtype=np.int64)
    # "", 0 and False hash to 0 and None to a constant: check those rows exactly
    suspects = np.flatnonzero((hashes == 0) | (hashes == _NONE_HASH))
    missing = np.zeros(len(values), dtype=bool)
    sub = values[suspects]
    missing[suspects] = (sub == "") | (sub == None) | (sub == 0)  # noqa: E711
    missing |= _nan_objects(values)
    return hashes.view(np.uint64), missing


def _nan_objects(values: NDArray[np.object_]) -> NDArray[np.bool_]:
    """Where an object array holds a NaN (a missing value of a raw column, e.g. from pandas)."""
    try:
        unequal = np.asarray(values != values, dtype=bool)
    except (TypeError, ValueError):
        unequal = np.fromiter((_is_missing(v) for v in values.tolist()), dtype=bool,
                              count=len(values))
    if unequal.shape != values.shape:
        return np.zeros(len(values), dtype=bool)
    return unequal


def _group(values: NDArray[Any]) -> tuple[Codes, NDArray[np.intp]]:
    """Codes of equal values (0..k-1 in sorted order) and one position holding each code."""
    n = len(values)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.intp)
    order = np.argsort(values)
    ordered = values[order]
    starts = np.empty(n, dtype=bool)
    starts[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    codes = np.empty(n, dtype=np.int64)
    codes[order] = np.cumsum(starts) - 1
    return codes, order[starts]


_INT_OFFSET = 2**63


def _sort_text(value: Any) -> str:
    """Text whose order is the sorted-neighbourhood order of key values.

    Text sorts as itself; an integer as its 20 digits offset by 2**63 and a
    float as the 16 hex digits of its order-preserving bit pattern, so numbers
    sort by value.

    >>> sorted([_sort_text(v) for v in (10, -3, 2)]) == [_sort_text(v) for v in (-3, 2, 10)]
    True
    >>> _sort_text(-1.5) < _sort_text(0.25) < _sort_text(3.0)
    True
    """
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, int, np.integer)):
        shifted = int(value) + _INT_OFFSET
        return f"{shifted:020d}" if 0 <= shifted < 2**64 else str(value)
    if isinstance(value, (float, np.floating)):
        bits = int(np.array(value, dtype=np.float64).view(np.uint64))
        bits = bits ^ 0xFFFFFFFFFFFFFFFF if bits >> 63 else bits | (1 << 63)
        return f"{bits:016x}"
    return repr(value)


def _cut(value: Any, key: Key) -> Any:
    if _is_missing(value):
        return ""
    return str(value)[key.start : key.stop]


@dataclass(frozen=True, eq=False)
class RowKeys:
    """The blocking key of every row of one table, as one rule cuts it.

    Two rows of a rule's tables are paired by an exact rule when both keys
    are present and equal (and, for a sorted-neighbourhood rule, when their
    ``text`` values are within the window of each other among the sorted
    distinct texts of both tables). The keys are the same in every process
    (text is hashed with BLAKE2b, integers are their own value), so a saved
    index or a Spark executor can compute them apart from the other table.

    Attributes
    ----------
    keys
        ``uint64`` per row: a 64-bit hash of the row's key (0 where absent).
        Different keys share a hash only on a 64-bit collision, which at worst
        adds a candidate pair.
    present
        ``bool`` per row: the row has every part of the key.
    text
        Sorted-neighbourhood rules: the key as text whose order is the rule's
        sort order (``""`` where absent); ``None`` for exact rules.

    Examples
    --------
    >>> rk = block_on("given_key[:2]").row_keys({"given_key": ["anh", "an", ""]})
    >>> rk.present.tolist(), bool(rk.keys[0] == rk.keys[1])
    ([True, True, False], True)
    """

    keys: NDArray[np.uint64]
    present: NDArray[np.bool_]
    text: NDArray[np.object_] | None = None

    def __len__(self) -> int:
        return len(self.keys)


def _stable_hash(value: Any) -> int:
    """A 64-bit hash of one present value that is the same in every process.

    Text hashes with BLAKE2b; numbers as Python hashes them (deterministic, and
    ``hash(1) == hash(1.0)`` as in the in-memory blocking); other objects by repr.
    """
    if isinstance(value, str):
        data = value.encode("utf-8")
    elif isinstance(value, (bool, int, float, np.integer, np.floating)):
        return hash(value) & 0xFFFFFFFFFFFFFFFF
    else:
        data = b"\x00" + repr(value).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def _distinct(values: NDArray[Any]) -> tuple[list[Any], NDArray[np.integer[Any]]]:
    """The distinct values of a column (Python objects) and each row's index into them."""
    if values.dtype.kind in "iubf":
        distinct_arr, inverse = np.unique(values, return_inverse=True)
        return list(distinct_arr.tolist()), np.asarray(inverse).reshape(-1)
    return factorize_column(values)


def _stable_hashes(
    values: NDArray[Any], key: Key,
    distinct: tuple[list[Any], NDArray[np.integer[Any]]] | None = None,
) -> _Hashed:
    """Stable 64-bit hashes of one key part per row and where it is missing.

    The same missing values and cuts as the in-memory blocking: ``""``,
    ``None``, ``0`` and NaN are missing, and so is a cut that leaves ``""``.
    """
    if values.dtype.kind in "iub" and not key.sliced:
        return _hash_values(values)  # integers are their own hash: stable already
    items, inverse = _distinct(values) if distinct is None else distinct

    def hash_distinct() -> tuple[NDArray[np.uint64], NDArray[np.bool_]]:
        cut = [_cut(v, key) for v in items] if key.sliced else items
        part_missing = np.fromiter(map(_is_missing, cut), dtype=bool, count=len(cut))
        part_hash = np.fromiter(map(_stable_hash, cut), dtype=np.uint64, count=len(cut))
        return part_hash, part_missing

    # each column's distinct values hashed once, whichever rules read it
    part_hash, part_missing = per_column(values, ("stable_hash", key.name), hash_distinct)
    return part_hash[inverse], part_missing[inverse]


_U64 = 0xFFFFFFFFFFFFFFFF


def _few_row_keys(columns: Sequence[NDArray[Any]], keys: Sequence[Key]) -> RowKeys:
    """:meth:`BlockOn.row_keys` of a few rows with Python integers: the same keys as
    :func:`_stable_hashes` and :func:`_combine` make (tested), without dozens of
    array operations per rule for a one-record lookup."""
    n = len(columns[0]) if columns else 0
    hashes = [0] * n
    present = [True] * n
    for i, (values, key) in enumerate(zip(columns, keys, strict=True)):
        whole_numbers = values.dtype.kind in "iub" and not key.sliced
        for row, value in enumerate(values.tolist()):
            if whole_numbers:  # integers are their own hash, as in _hash_values
                h = int(value) & _U64
                h = (-2) & _U64 if h == _U64 else h
                missing = value == 0
            else:
                item = _cut(value, key) if key.sliced else value
                h, missing = _stable_hash(item), _is_missing(item)
            if missing:
                present[row] = False
            hashes[row] = h if i == 0 else _mix_int((hashes[row] + _GOLDEN_INT) & _U64) ^ h
    if len(keys) > 1:
        hashes = [_mix_int(h) for h in hashes]
    out = np.array([h if p else 0 for h, p in zip(hashes, present, strict=True)],
                   dtype=np.uint64)
    return RowKeys(out, np.array(present, dtype=bool))


def _mix_int(h: int) -> int:
    """:func:`_mix` of one Python integer (splitmix64's finaliser, modulo 2**64)."""
    h ^= h >> 30
    h = (h * _MIX1_INT) & _U64
    h ^= h >> 27
    h = (h * _MIX2_INT) & _U64
    return h ^ (h >> 31)


def _column(table: Any, column: str) -> NDArray[Any]:
    if column not in table:
        raise SchemaError(
            f"blocking needs the column {column!r}; the table has: "
            f"{', '.join(table.column_names) or '(none)'}"
        )
    return np.asarray(table[column])


def _sort_texts(
    key: Key, distinct: tuple[list[Any], NDArray[np.integer[Any]]]
) -> NDArray[np.object_]:
    """:func:`_sort_text` of each row's (cut) value, ``""`` where missing."""
    items, inverse = distinct
    texts = []
    for value in items:
        cut = _cut(value, key) if key.sliced else value
        texts.append("" if _is_missing(cut) else _sort_text(cut))
    out = np.empty(len(items), dtype=object)
    out[:] = texts
    rows: NDArray[np.object_] = out[inverse]
    return rows


class BlockingRule(ABC):
    """A blocking rule: which left/right rows are candidate pairs.

    Subclasses give ``name``, ``block_codes``, ``components`` and ``count``
    (the rule's pairs as disjoint equi-joins over jointly factorized key
    codes). Defining a subclass registers it in :mod:`vnlink.plugins` under its
    ``rule_name`` (by default the class name), so :func:`rule_from_dict`
    rebuilds it; a frozen dataclass gets :meth:`to_dict` and :meth:`from_dict`
    for free.
    """

    name: str
    rule_name: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__name__.startswith("_"):
            return
        plugins.register("blocking_rule", cls.__dict__.get("rule_name") or cls.__name__)(cls)

    def to_dict(self) -> dict[str, Any]:
        """The rule as plain JSON-ready data: ``{"rule": <registered name>, <fields>...}``."""
        if not is_dataclass(self):
            raise ConfigurationError(
                f"{type(self).__name__} is not a dataclass: implement to_dict() and from_dict()"
            )
        out: dict[str, Any] = {"rule": plugins.name_of("blocking_rule", self)}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BlockingRule:
        """Rebuild the rule from :meth:`to_dict` output."""
        params = {
            str(k): tuple(v) if isinstance(v, list) else v for k, v in data.items() if k != "rule"
        }
        return cls(**params)

    @abstractmethod
    def row_keys(self, table: Any) -> RowKeys:
        """The key of every row of ``table`` (see :class:`RowKeys`).

        Rows of two tables with equal present keys are the pairs an exact rule
        makes. A rule of your own implements this (and ``name``); the default
        blocking methods below pair rows on it.
        """

    @property
    def symmetric(self) -> bool:
        """Whether both tables are keyed alike (no :meth:`probe_keys` of its own).

        Deduplication (one table against itself) runs the symmetric rules only.
        """
        return type(self).probe_keys is BlockingRule.probe_keys

    def probe_keys(self, table: Any) -> RowKeys:
        """The key of every row of the *probe* (records, right) table; by default :meth:`row_keys`.

        A rule whose two sides are cut differently (:class:`SwappedName`: the
        registry's family and given name against a record typed family-last)
        gives the records' keys here. The index and the Spark runner key the
        records with this method and the registry with :meth:`row_keys`.
        """
        return self.row_keys(table)

    def block_codes(self, keys: KeyCodes) -> Codes:
        """Joint codes whose equal values form this rule's blocks (the unit of the size cap).

        By default the rows' :meth:`row_keys` over the left rows, then the
        :meth:`probe_keys` of the right rows (of the left ones again in dedupe
        mode), grouped by equal key.
        """
        left = self.row_keys(keys.left)
        symmetric = type(self).probe_keys is BlockingRule.probe_keys
        if keys.right is None and symmetric:
            right = left
        else:
            right = self.probe_keys(keys.left if keys.right is None else keys.right)
        for side, n in ((left, keys.n_target), (right, keys.n_probe)):
            if len(side.keys) != n or len(side.present) != n:
                raise ConfigurationError(
                    f"{type(self).__name__}.row_keys must give one key per row ({n})"
                )
        codes, _ = _group(np.concatenate([left.keys, right.keys]).astype(np.uint64))
        codes[~np.concatenate([left.present, right.present])] = -1
        return codes

    def components(self, keys: KeyCodes, block_codes: Codes) -> list[Codes]:
        """Disjoint joins making up the rule, from its (possibly capped) block codes.

        Each is a joint code array: a target row ``t`` and a probe row ``p`` form a
        pair when ``codes[t] == codes[n_target + p] >= 0`` (and ``t > p`` in dedupe mode).
        By default the blocks themselves.
        """
        return [block_codes]

    def count(self, keys: KeyCodes, block_codes: Codes) -> int:
        """How many pairs the rule makes from these block codes, without making them."""
        return int(keys.pair_counts(block_codes).sum())


def _block_pair_counts(codes: Codes, n_target: int, dedupe: bool) -> NDArray[np.int64]:
    """Pairs per block code (index = code)."""
    target, probe = codes[:n_target], codes[n_target:]
    size = int(codes.max()) + 1 if len(codes) and codes.max() >= 0 else 0
    nt = np.bincount(target[target >= 0], minlength=size).astype(np.int64)
    if dedupe:
        return nt * (nt - 1) // 2
    npr = np.bincount(probe[probe >= 0], minlength=size).astype(np.int64)
    return nt * npr


@dataclass(frozen=True)
class BlockOn(BlockingRule):
    """Exact agreement on every key (see :func:`block_on`)."""

    keys: tuple[Key, ...]
    label: str | None = None
    rule_name: ClassVar[str] = "block_on"

    @property
    def name(self) -> str:  # type: ignore[override]
        """The rule's name: its label, or its keys joined with ``&``."""
        return self.label or " & ".join(k.name for k in self.keys)

    def to_dict(self) -> dict[str, Any]:
        """``{"rule": "block_on", "keys": [...], "name": ...}``."""
        return {"rule": "block_on", "keys": [k.name for k in self.keys], "name": self.label}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BlockOn:
        """Rebuild from :meth:`to_dict` output."""
        return block_on(*data["keys"], name=data.get("name"))

    def row_keys(self, table: Any) -> RowKeys:
        """Each row's key: the parts hashed stably and mixed as the in-memory blocking mixes them.

        >>> rule = block_on("given_key", "dob_year")
        >>> rk = rule.row_keys({"given_key": ["an", "an", "an"], "dob_year": [1980, 1980, 0]})
        >>> bool(rk.keys[0] == rk.keys[1]), rk.present.tolist()
        (True, [True, True, False])
        """
        t = as_table(table)
        if t.n_rows <= _FEW_ROWS:  # a lookup's record: per value, without array overhead
            return _few_row_keys([_column(t, k.column) for k in self.keys], self.keys)
        parts = [_stable_hashes(_column(t, k.column), k) for k in self.keys]
        hashes, missing = _combine(parts)
        keys = np.where(missing, np.uint64(0), hashes).astype(np.uint64)
        return RowKeys(keys, ~missing)

    def crowded_keys(self, table: Any, limit: int) -> list[int]:
        """The stable keys (:meth:`row_keys`) that more than ``limit`` rows of ``table`` share.

        Rows are counted by the in-memory key hashes (cached on the table);
        only one row of each crowded key is then hashed stably.

        >>> rule = block_on("dob")
        >>> rk = rule.row_keys({"dob": ["1/1/1950"]})
        >>> rule.crowded_keys({"dob": ["1/1/1950"] * 3 + ["2/3/1960"]}, 2) == [int(rk.keys[0])]
        True
        """
        t = as_table(table)
        if any(k.sliced for k in self.keys):
            rk = self.row_keys(t)
            values, counts = np.unique(np.asarray(rk.keys, dtype=np.uint64)[rk.present],
                                       return_counts=True)
            return sorted(int(v) for v in values[counts > limit].tolist())
        for k in self.keys:
            _column(t, k.column)  # a missing column is a SchemaError naming it
        hashes, missing = _combine([_table_hashes(t, k.column) for k in self.keys])
        present = np.flatnonzero(~missing)
        _, first, counts = np.unique(hashes[present], return_index=True, return_counts=True)
        rows = present[first[counts > limit]]
        if not len(rows):
            return []
        sample = Table({k.column: np.asarray(t[k.column])[rows] for k in self.keys},
                       n_rows=len(rows))
        return sorted(int(v) for v in self.row_keys(sample).keys.tolist())

    def block_codes(self, keys: KeyCodes) -> Codes:
        return keys.combined(self.keys)

    def components(self, keys: KeyCodes, block_codes: Codes) -> list[Codes]:
        return [block_codes]

    def count(self, keys: KeyCodes, block_codes: Codes) -> int:
        return int(keys.pair_counts(block_codes).sum())


def block_on(*columns: str | Key, name: str | None = None) -> BlockOn:
    """A rule: rows agreeing exactly on every column are candidate pairs.

    Parameters
    ----------
    *columns
        Derived columns (``"dob_year"``), cut ones (``"given_key[:3]"``,
        ``substr("name_fold", 3)``) or :class:`Key` objects.
    name
        A label for reports; by default the columns joined with ``&``.

    Examples
    --------
    >>> from vnlink.blocking import SortedNeighbourhood, block_on, candidate_pairs
    >>> registry = {"given_key": ["an", "binh", "an"], "dob_year": [1980, 1990, 1981]}
    >>> records = {"given_key": ["an", "binh"], "dob_year": [1980, 0]}
    >>> pairs = candidate_pairs(block_on("given_key", "dob_year"), registry, records)
    >>> pairs.left.tolist(), pairs.right.tolist()
    ([0], [0])
    >>> pairs = candidate_pairs(block_on("given_key[:1]"), registry, records)
    >>> list(zip(pairs.left.tolist(), pairs.right.tolist()))
    [(0, 0), (2, 0), (1, 1)]
    """
    if not columns:
        raise ConfigurationError("block_on needs at least one column, e.g. block_on('dob_year')")
    return BlockOn(tuple(Key.parse(c) for c in columns), name)


@dataclass(frozen=True)
class SortedNeighbourhood(BlockingRule):
    """Rows whose sorting key is within ``window`` distinct values of each other.

    The distinct values of ``column`` (both tables together) are sorted; two
    rows are a candidate pair when the ranks of their values differ by at most
    ``(window - 1) // 2`` — the same value always pairs, neighbours in sort
    order pair too, so a typo in the last letters still finds its match.
    This is the rank-based variant of recordlinkage's ``SortedNeighbourhood``.

    Parameters
    ----------
    column
        The sorting key: a column name, a cut one (``"name_fold[:8]"``) or a :class:`Key`.
    window
        An odd number >= 1; 1 is plain blocking on the key.
    name
        A label for reports.

    Examples
    --------
    >>> from vnlink.blocking import SortedNeighbourhood, block_on, candidate_pairs
    >>> left = {"name_fold": ["nguyen van an", "nguyen van anh", "tran thi binh"]}
    >>> right = {"name_fold": ["nguyen van ah"]}
    >>> pairs = candidate_pairs(SortedNeighbourhood("name_fold", window=3), left, right)
    >>> pairs.left.tolist()
    [0]
    """

    column: str | Key
    window: int = 3
    label: str | None = None
    rule_name: ClassVar[str] = "sorted_neighbourhood"

    def __post_init__(self) -> None:
        if (
            not isinstance(self.window, int)
            or isinstance(self.window, bool)
            or self.window < 1
            or self.window % 2 == 0
        ):
            raise ConfigurationError(
                f"SortedNeighbourhood window must be an odd integer >= 1, got {self.window!r}"
            )
        object.__setattr__(self, "column", Key.parse(self.column))

    @property
    def key(self) -> Key:
        """The sorting key."""
        return Key.parse(self.column)

    @property
    def half(self) -> int:
        """How many distinct values on each side are neighbours: ``(window - 1) // 2``."""
        return (self.window - 1) // 2

    @property
    def name(self) -> str:  # type: ignore[override]
        """The rule's name."""
        return self.label or f"sorted_neighbourhood({self.key.name}, window={self.window})"

    def to_dict(self) -> dict[str, Any]:
        """``{"rule": "sorted_neighbourhood", "column": ..., "window": ..., "name": ...}``."""
        return {
            "rule": "sorted_neighbourhood",
            "column": self.key.name,
            "window": self.window,
            "name": self.label,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SortedNeighbourhood:
        """Rebuild from :meth:`to_dict` output."""
        return cls(data["column"], int(data["window"]), data.get("name"))

    def row_keys(self, table: Any) -> RowKeys:
        """Each row's key and its sortable ``text``: rank the distinct texts of both tables.

        Two rows pair when the ranks of their texts among the sorted distinct
        present texts of both tables differ by at most :attr:`half`.

        >>> rk = SortedNeighbourhood("dob_year").row_keys({"dob_year": [1990, 985, 0]})
        >>> rk.present.tolist(), bool(rk.text[1] < rk.text[0]), rk.text[2]
        ([True, True, False], True, '')
        """
        t = as_table(table)
        values = _column(t, self.key.column)
        distinct = _distinct(values)
        hashes, missing = _stable_hashes(values, self.key, distinct)
        keys = np.where(missing, np.uint64(0), hashes).astype(np.uint64)
        return RowKeys(keys, ~missing, _sort_texts(self.key, distinct))

    def block_codes(self, keys: KeyCodes) -> Codes:
        return keys.ranks(self.key)

    def components(self, keys: KeyCodes, block_codes: Codes) -> list[Codes]:
        n_target = keys.n_target
        out = [block_codes]
        for shift in range(1, self.half + 1):
            for signed in (shift, -shift):
                shifted = block_codes.copy()
                probe = shifted[n_target:]
                valid = probe >= 0
                probe[valid] += signed
                probe[probe < 0] = -1
                out.append(shifted)
        return out

    def count(self, keys: KeyCodes, block_codes: Codes) -> int:
        n_target = keys.n_target
        target, probe = block_codes[:n_target], block_codes[n_target:]
        size = int(block_codes.max()) + 1 if len(block_codes) and block_codes.max() >= 0 else 0
        nt = np.bincount(target[target >= 0], minlength=size).astype(np.int64)
        if keys.dedupe:
            total = int((nt * (nt - 1) // 2).sum())
            for shift in range(1, self.half + 1):
                total += int((nt[:-shift] * nt[shift:]).sum()) if size > shift else 0
            return total
        npr = np.bincount(probe[probe >= 0], minlength=size).astype(np.int64)
        total = int((nt * npr).sum())
        for shift in range(1, self.half + 1):
            if size > shift:
                total += int((nt[shift:] * npr[:-shift]).sum())
                total += int((nt[:-shift] * npr[shift:]).sum())
        return total


def as_rules(rules: BlockingRule | str | Iterable[Any] | None) -> list[BlockingRule]:
    """Normalise the ``rules`` argument of the blocking functions to a list of rules.

    A rule, a column name (``block_on(name)``), a tuple of column names
    (``block_on(*names)``: one rule), or a list of those (several rules);
    ``None`` means :func:`default_rules`.
    """
    if rules is None:
        return default_rules()
    if isinstance(rules, (BlockingRule, str, Key)) or (
        isinstance(rules, tuple) and rules and all(isinstance(c, (str, Key)) for c in rules)
    ):
        rules = [rules]
    out: list[BlockingRule] = []
    for rule in rules:
        if isinstance(rule, BlockingRule):
            out.append(rule)
        elif isinstance(rule, (str, Key)):
            out.append(block_on(rule))
        elif isinstance(rule, tuple) and rule and all(isinstance(c, (str, Key)) for c in rule):
            out.append(block_on(*rule))
        else:
            raise ConfigurationError(
                f"a blocking rule must be block_on(...), SortedNeighbourhood(...), a column name "
                f"or a tuple of column names, got {type(rule).__name__}"
            )
    if not out:
        raise ConfigurationError("pass at least one blocking rule (or None for the defaults)")
    if len(out) > 127:
        raise ConfigurationError(f"at most 127 blocking rules are supported, got {len(out)}")
    return out


def rule_from_dict(data: Mapping[str, Any]) -> BlockingRule:
    """Rebuild a rule from :meth:`BlockingRule.to_dict`, by its registered name.

    Any registered rule works (see :mod:`vnlink.plugins`): vnlink's
    ``block_on`` and ``sorted_neighbourhood`` and every ``BlockingRule``
    subclass whose module is imported.

    >>> rule_from_dict({"rule": "block_on", "keys": ["phone"]}).name
    'phone'
    """
    kind = data.get("rule") if isinstance(data, Mapping) else None
    if not isinstance(kind, str):
        raise ConfigurationError(
            'a blocking rule must be a mapping {"rule": <name>, ...}; '
            "pass the output of BlockingRule.to_dict()"
        )
    cls = plugins.lookup("blocking_rule", kind)
    try:
        rule = cls.from_dict(data)
    except (KeyError, TypeError) as error:
        raise ConfigurationError(f"bad parameters for blocking rule {kind!r}: {error}") from None
    if not isinstance(rule, BlockingRule):
        raise ConfigurationError(f"{kind!r} did not rebuild a BlockingRule")
    return rule


def default_rules() -> list[BlockingRule]:
    """The Vietnamese default rules, chosen by measurement on the synthetic data.

    In order (a pair is tagged with the first rule that finds it):

    1. ``id_cccd`` — the 12-digit CCCD (or 12-digit CMND);
    2. ``id_cmnd9`` — the old 9-digit CMND (the registry keeps it beside the CCCD);
    3. ``phone`` — the phone number (old 11-digit mobile prefixes converted);
    4. ``dob & given_key`` — the full date of birth and the phonetic given name (tên);
    5. ``given_key & dob_year & district`` — for a wrong day or month of birth;
    6. ``dob & province`` — for a name typed in another order or badly misspelt;
    7. ``name_key & dob_year`` — the phonetic full name and birth year;
    8. ``name_key & district`` — the phonetic full name where the date is wrong.

    On 205,075 synthetic vaccination records against a synthetic registry of
    1,000,000 people these find 99.997% of the true pairs with 8.4
    candidates per record (docs/blocking.md, benchmarks/bench_blocking.py).

    >>> [r.name for r in default_rules()][:4]
    ['id_cccd', 'id_cmnd9', 'phone', 'dob & given_key']
    """
    dob = ("dob_year", "dob_month", "dob_day")
    return [
        block_on("id_cccd"),
        block_on("id_cmnd9"),
        block_on("phone"),
        block_on(*dob, "given_key", name="dob & given_key"),
        block_on("given_key", "dob_year", "district"),
        block_on(*dob, "province", name="dob & province"),
        block_on("name_key", "dob_year"),
        block_on("name_key", "district"),
    ]

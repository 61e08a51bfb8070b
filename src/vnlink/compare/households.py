"""Which registry household holds which number: the table behind "a household member's number".

Children and old people often give a parent's or a child's CCCD or phone. The
comparisons ``IdComparison(household_numbers=True)`` and
``PhoneComparison(household_numbers=True)`` recognise such a number: it is
not the candidate's, but another registry person of the candidate's household
(same ``ward`` and ``street``) holds it. :class:`HouseholdNumbers` holds, per
number column, the registry's *holders*: a sorted array of 64-bit keys of
``(number, household)`` with the number of registry people holding each.

The keys are stable hashes (the same in every process and on every machine),
so the table is computed once from the whole registry and carried to every
engine: ``Linker.link`` computes it from the registry it compares, a
:class:`~vnlink.RegistryIndex` keeps it (``add`` updates it, ``save`` stores
it), and ``vnlink.spark`` counts it once and hands it to every task, which
compares only a batch of pairs. A lookup is one :func:`numpy.searchsorted`
per pair batch. Give it to :meth:`ComparisonSet.compute
<vnlink.compare.ComparisonSet.compute>` as ``households=``; without it the
holders are counted in the compared table itself.

Examples
--------
>>> import numpy as np
>>> from vnlink.table import Table
>>> registry = Table({"phone": ["0912", "0988", "0912", ""],
...                   "ward": ["w", "w", "v", "w"], "street": ["s", "s", "s", "s"]})
>>> holders = HouseholdNumbers.from_table(registry, ["phone"])
>>> holders
HouseholdNumbers(phone: 3 keys)
>>> # "0912" is held in the household (w, s) by one person, "0988" in (v, s) by none
>>> numbers = number_hashes(Table({"phone": ["0912", "0988"]}), "phone")
>>> holders.count("phone", numbers, house_hashes(registry)[[0, 2]]).tolist()
[1, 0]
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink._bulk import FEW_ROWS as _FEW_ROWS
from vnlink.compare import _encode
from vnlink.exceptions import ConfigurationError, ModelFormatError
from vnlink.table import Table

__all__ = [
    "HOUSEHOLD_COLUMNS",
    "HOUSE_KEY",
    "REGISTRY_ROW",
    "HouseholdNumbers",
    "holder_key",
    "holder_keys",
    "house_hashes",
    "household_columns",
    "number_hashes",
    "registry_rows",
    "stable_hashes",
]

#: The columns that make a household: commune (``ward``) and street.
HOUSEHOLD_COLUMNS = ("ward", "street")

#: Optional ``uint64`` column of a compared table with each row's household hash
#: precomputed (as :func:`house_hashes` gives it): a registry index carries it with
#: its candidate rows, so that a query hashes no address.
HOUSE_KEY = "house_key"

#: Optional bool column of a compared table that marks the registry rows (those that
#: belong to households); without it, every row of the left table (and of the right
#: table too when it is the left one, as in deduplication), and no row of another
#: right table (records).
REGISTRY_ROW = "registry_row"

_U64 = np.uint64
_GOLDEN = _U64(0x9E3779B97F4A7C15)
_MIX1 = _U64(0xBF58476D1CE4E5B9)
_MIX2 = _U64(0x94D049BB133111EB)
_HOUSE_SALT = _U64(0x2545F4914F6CDD1D)
_BASE = 0x100000001B3  # the 64-bit FNV prime, odd: powers of it are distinct mod 2**64
_CHUNK = 100_000  # strings hashed at a time (bounds the code point matrix)


def _mix(h: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """The splitmix64 finaliser, elementwise (wrapping arithmetic)."""
    out = h ^ (h >> _U64(30))
    out *= _MIX1
    out ^= out >> _U64(27)
    out *= _MIX2
    out ^= out >> _U64(31)
    return out


@functools.lru_cache(maxsize=64)
def _powers(width: int) -> NDArray[np.uint64]:
    powers = np.empty(width, dtype=np.uint64)
    value = 1
    for i in range(width):
        powers[i] = value
        value = (value * _BASE) & 0xFFFFFFFFFFFFFFFF
    powers.flags.writeable = False
    return powers


_M64 = 0xFFFFFFFFFFFFFFFF


def _mix_int(h: int) -> int:
    """:func:`_mix` of one Python integer (modulo 2**64)."""
    h ^= h >> 30
    h = (h * int(_MIX1)) & _M64
    h ^= h >> 27
    h = (h * int(_MIX2)) & _M64
    return h ^ (h >> 31)


def _stable_hash_one(text: str) -> int:
    """:func:`stable_hashes` of one string, with Python integers (the same value)."""
    summed, power, length = 0, 1, 0
    for char in text.rstrip("\x00"):
        point = ord(char)
        summed = (summed + point * power) & _M64
        power = (power * _BASE) & _M64
        length += point != 0
    if not length:
        return 0
    return _mix_int((summed + length * int(_GOLDEN)) & _M64) or 1


def stable_hashes(values: Iterable[Any]) -> NDArray[np.uint64]:
    """A 64-bit hash per string, the same in every process; ``0`` for ``""``.

    The code points are summed with powers of an odd constant (modulo 2**64),
    mixed with the length and finalised with splitmix64: a few array
    operations, whatever the number of strings (a handful are hashed with
    Python integers, to the same values). Other values hash as their ``str``.

    >>> h = stable_hashes(["0912345678", "", "0912345678", "0912345687"])
    >>> int(h[1]), bool(h[0] == h[2]), bool(h[0] == h[3])
    (0, True, False)
    >>> int(stable_hashes(["phường 1"])[0]) == int(stable_hashes(["x", "phường 1"])[1])
    True
    """
    items = [v if isinstance(v, str) else str(v) for v in values]
    if len(items) <= _FEW_ROWS:
        return np.array([_stable_hash_one(v) for v in items], dtype=np.uint64)
    out = np.zeros(len(items), dtype=np.uint64)
    for start in range(0, len(items), _CHUNK):
        part = items[start:start + _CHUNK]
        text = np.array(part, dtype=str)
        width = text.dtype.itemsize // 4
        if width == 0:
            continue
        points = text.view(np.uint32).reshape(len(part), width).astype(np.uint64)
        summed = (points * _powers(width)).sum(axis=1, dtype=np.uint64)
        lengths = np.count_nonzero(points, axis=1).astype(np.uint64)
        hashed = _mix(summed + lengths * _GOLDEN)
        hashed[(hashed == 0) & (lengths > 0)] = 1  # 0 means "no value"
        hashed[lengths == 0] = 0
        out[start:start + len(part)] = hashed
    return out


def _vocab_hashes(table: Table, column: str, rows: NDArray[np.int64] | None = None
                  ) -> NDArray[np.uint64]:
    """Per row (of ``rows``, else all) the stable hash of ``column`` (0 where missing);
    each distinct value hashed once per table."""
    hashes, codes = _encode.vocab_feature(table, column, "stable_hash", stable_hashes)
    out: NDArray[np.uint64] = hashes[codes if rows is None else codes[rows]]
    return out


def number_hashes(table: Table, column: str, rows: NDArray[np.int64] | None = None
                  ) -> NDArray[np.uint64]:
    """Per row (of ``rows``, else all) the stable hash of the number in ``column``
    (0 where missing).

    >>> number_hashes(Table({"phone": ["0912", ""]}), "phone")[1].item()
    0
    """
    return _vocab_hashes(table, column, rows)


def house_hashes(table: Table) -> NDArray[np.uint64]:
    """Per row a stable hash of its household, ``ward`` and ``street`` (0 when either is missing).

    Every row is hashed, registry row or not (see :data:`REGISTRY_ROW`); a table
    without ``ward`` or ``street`` has no households (all 0). A table with the
    column :data:`HOUSE_KEY` gives it as it is.

    >>> t = Table({"ward": ["w", "w", ""], "street": ["s", "s", "s"]})
    >>> h = house_hashes(t)
    >>> bool(h[0] == h[1] != 0), int(h[2])
    (True, 0)
    """
    if HOUSE_KEY in table:
        given: NDArray[np.uint64] = np.asarray(table[HOUSE_KEY], dtype=np.uint64)
        return given
    if any(c not in table for c in HOUSEHOLD_COLUMNS):
        return np.zeros(table.n_rows, dtype=np.uint64)
    houses: NDArray[np.uint64] = _encode.table_feature(
        table, "house_hashes", HOUSEHOLD_COLUMNS, _house_hashes)
    return houses


def _house_hashes(table: Table) -> NDArray[np.uint64]:
    ward = _vocab_hashes(table, "ward")
    street = _vocab_hashes(table, "street")
    house = _mix(_mix(ward + _HOUSE_SALT) ^ street)
    house[house == 0] = 1
    house[(ward == 0) | (street == 0)] = 0
    return house


def holder_key(numbers: NDArray[np.uint64], houses: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """The key of ``(number, household)`` for aligned arrays of their hashes."""
    out: NDArray[np.uint64] = _mix(_mix(houses + _GOLDEN) ^ numbers)
    return out


def registry_rows(table: Table) -> NDArray[np.bool_]:
    """The rows of ``table`` that belong to registry households (:data:`REGISTRY_ROW`, else all)."""
    if REGISTRY_ROW in table:
        return np.asarray(table[REGISTRY_ROW], dtype=bool)
    return np.ones(table.n_rows, dtype=bool)


def holder_keys(table: Table, column: str) -> tuple[NDArray[np.uint64], NDArray[np.bool_]]:
    """Per row of a registry table the key of its ``(number, household)`` and whether it
    holds one (a number, a known household and, with :data:`REGISTRY_ROW`, a registry row).

    >>> t = Table({"phone": ["0912", ""], "ward": ["w", "w"], "street": ["s", "s"]})
    >>> holder_keys(t, "phone")[1].tolist()
    [True, False]
    """
    numbers = number_hashes(table, column)
    houses = house_hashes(table)
    holds = (numbers != 0) & (houses != 0) & registry_rows(table)
    return np.where(holds, holder_key(numbers, houses), _U64(0)), holds


@dataclass(frozen=True, eq=False)
class HouseholdNumbers:
    """The registry's holders of numbers by household, per number column.

    Attributes
    ----------
    keys
        Per column, the sorted distinct keys of ``(number, household)`` held by
        registry people (``uint64``; see :func:`holder_keys`).
    counts
        Per column, how many registry people hold each key (``int64``).
    """

    keys: Mapping[str, NDArray[np.uint64]]
    counts: Mapping[str, NDArray[np.int64]]

    def __post_init__(self) -> None:
        if set(self.keys) != set(self.counts):
            raise ConfigurationError("HouseholdNumbers needs keys and counts for the same columns")
        for column in self.keys:
            keys, counts = self.keys[column], self.counts[column]
            if keys.dtype != np.uint64 or keys.ndim != 1 or counts.shape != keys.shape:
                raise ConfigurationError(
                    f"HouseholdNumbers[{column!r}]: keys must be a uint64 array with one "
                    "count each; build it with HouseholdNumbers.from_table")
            if len(keys) > 1 and not bool(np.all(keys[1:] > keys[:-1])):
                raise ConfigurationError(
                    f"HouseholdNumbers[{column!r}]: keys must be sorted and distinct")

    @classmethod
    def from_table(cls, table: Table, columns: Iterable[str]) -> HouseholdNumbers:
        """Count the holders of the registry ``table`` for each number column in ``columns``."""
        keys: dict[str, NDArray[np.uint64]] = {}
        counts: dict[str, NDArray[np.int64]] = {}
        for column in dict.fromkeys(columns):
            found, holds = holder_keys(table, column)
            keys[column], counted = np.unique(found[holds], return_counts=True)
            counts[column] = counted.astype(np.int64)
        return cls(keys, counts)

    @classmethod
    def from_counts(cls, column_keys: Mapping[str, tuple[NDArray[Any], NDArray[Any]]]
                    ) -> HouseholdNumbers:
        """From per-column ``(keys, counts)`` counted elsewhere (keys in any order, repeated
        keys added up), as a Spark aggregation or a saved file gives them."""
        keys: dict[str, NDArray[np.uint64]] = {}
        counts: dict[str, NDArray[np.int64]] = {}
        for column, (k, c) in column_keys.items():
            raw = np.asarray(k)
            found = raw.view(np.uint64) if raw.dtype == np.int64 else raw.astype(np.uint64)
            keys[column], inverse = np.unique(found, return_inverse=True)
            counts[column] = np.bincount(inverse.reshape(-1), weights=np.asarray(c),
                                         minlength=len(keys[column])).astype(np.int64)
        return cls(keys, counts)

    @property
    def columns(self) -> list[str]:
        """The number columns held."""
        return list(self.keys)

    def __contains__(self, column: object) -> bool:
        return column in self.keys

    def __repr__(self) -> str:
        parts = ", ".join(f"{c}: {len(k):,} keys" for c, k in self.keys.items())
        return f"HouseholdNumbers({parts})"

    def count(self, column: str, numbers: NDArray[np.uint64], houses: NDArray[np.uint64]
              ) -> NDArray[np.int64]:
        """How many registry people of each household ``houses`` hold the number ``numbers``
        (aligned hashes; 0 where either is 0)."""
        keys, counts = self.keys[column], self.counts[column]
        out = np.zeros(len(numbers), dtype=np.int64)
        if not len(keys) or not len(numbers):
            return out
        query = holder_key(numbers, houses)
        pos = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
        found = (keys[pos] == query) & (numbers != 0) & (houses != 0)
        out[found] = counts[pos[found]]
        return out

    def added(self, table: Table) -> HouseholdNumbers:
        """The holders with those of the registry rows ``table`` added (``self`` unchanged)."""
        more = HouseholdNumbers.from_table(table, self.columns)
        return HouseholdNumbers.from_counts({
            c: (np.concatenate([self.keys[c], more.keys[c]]),
                np.concatenate([self.counts[c], more.counts[c]])) for c in self.columns})

    def to_arrays(self, prefix: str = "households:") -> dict[str, NDArray[Any]]:
        """The arrays to store (``<prefix><column>:keys`` and ``:counts``), no pickle needed."""
        out: dict[str, NDArray[Any]] = {}
        for column in self.columns:
            out[f"{prefix}{column}:keys"] = self.keys[column]
            out[f"{prefix}{column}:counts"] = self.counts[column]
        return out

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, Any], columns: Iterable[str],
                    prefix: str = "households:") -> HouseholdNumbers:
        """Rebuild from :meth:`to_arrays` output (a ``ModelFormatError`` when damaged)."""
        keys: dict[str, NDArray[np.uint64]] = {}
        counts: dict[str, NDArray[np.int64]] = {}
        for column in columns:
            try:
                keys[column] = np.asarray(arrays[f"{prefix}{column}:keys"])
                counts[column] = np.asarray(arrays[f"{prefix}{column}:counts"], dtype=np.int64)
            except KeyError:
                raise ModelFormatError(
                    f"the household numbers of {column!r} are missing from the file; "
                    "save it again") from None
        try:
            return cls(keys, counts)
        except ConfigurationError as error:
            raise ModelFormatError(f"damaged household numbers: {error}") from None


def household_columns(comparisons: Iterable[Any]) -> list[str]:
    """The number columns whose household holders the comparisons look up (in order).

    >>> from vnlink.compare import IdComparison, PhoneComparison
    >>> household_columns([IdComparison(household_numbers=True), PhoneComparison()])
    ['id_cccd']
    """
    out: list[str] = []
    for comparison in comparisons:
        column = getattr(comparison, "household_column", None)
        if isinstance(column, str) and column not in out:
            out.append(column)
    return out

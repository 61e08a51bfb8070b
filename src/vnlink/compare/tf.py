"""Term frequencies: how common a value is, so agreeing on a rare one counts for more.

38% of Vietnamese people are called Nguyễn, so two records that agree on
"Nguyễn Văn An, 1980" are weaker evidence than two that agree on
"Khổng Thị Nguyệt, 1980". :class:`TermFrequencies` holds the relative
frequency of each value of one column, counted in a table (usually the
registry) or taken from a population table; :class:`~vnlink.compare.ComparisonSet`
reports, per pair at an exact level, the frequency of the agreed value in
:attr:`~vnlink.compare.ComparisonVectors.tf` for the classifier's term-frequency
adjustment.

The virtual column ``"dob"`` is the full date of birth
(``year * 10000 + month * 100 + day``), built from ``dob_year``, ``dob_month``
and ``dob_day``.

Examples
--------
>>> from vnlink.table import Table
>>> registry = Table({"family": ["nguyen", "nguyen", "nguyen", "khong"]})
>>> tf = TermFrequencies.from_table(registry, "family")
>>> tf["nguyen"], tf["khong"], len(tf)
(0.75, 0.25, 2)
>>> tf.frequency(["khong", "le", ""]).tolist()
[0.25, 0.25, nan]
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink._bulk import as_object_array, factorize_column
from vnlink.compare import _encode
from vnlink.exceptions import ConfigurationError, ModelFormatError, SchemaError
from vnlink.table import Table, as_table

__all__ = ["TermFrequencies", "row_values"]

_FORMAT = "vnlink.term_frequencies"
_VERSION = 1

# Shares of the most common family names (họ), per cent. Source: the list on
# Vietnamese Wikipedia "Họ người Việt Nam" after Lê Trung Hoa (2005), as collected in
# vnlink's reference notes. Hoàng/Huỳnh (5.1%) and Vũ/Võ (3.9%) are given there as
# one share each; here each is split evenly between the two spellings (an assumption).
_FAMILY_SHARES: dict[str, float] = {
    "nguyen": 38.4,
    "tran": 11.0,
    "le": 9.5,
    "pham": 7.1,
    "hoang": 2.55,
    "huynh": 2.55,
    "phan": 4.5,
    "vu": 1.95,
    "vo": 1.95,
    "dang": 2.1,
    "bui": 2.0,
    "do": 1.4,
    "ho": 1.3,
    "ngo": 1.3,
    "duong": 1.0,
    "ly": 0.5,
}


def row_values(table: Table, column: str) -> NDArray[Any]:
    """The values of ``column`` per row; ``"dob"`` is built from the date columns.

    >>> t = Table({"dob_year": [1980, 0], "dob_month": [5, 0], "dob_day": [17, 0]})
    >>> row_values(t, "dob").tolist()
    [19800517, 0]
    """
    if column == "dob" and "dob" not in table:
        year = _encode.numeric_column(table, "dob_year").astype(np.int64)
        month = _encode.numeric_column(table, "dob_month").astype(np.int64)
        day = _encode.numeric_column(table, "dob_day").astype(np.int64)
        return np.where(year > 0, year * 10000 + month * 100 + day, 0)
    if column not in table:
        raise SchemaError(
            f"no column {column!r} for term frequencies; the table has: "
            f"{', '.join(table.column_names) or '(none)'}"
        )
    return table[column]


class TermFrequencies:
    """Relative frequencies of the values of one column.

    Parameters
    ----------
    counts
        Value -> count (or any non-negative weight). Missing values (``""``,
        ``None``, ``0``) are ignored.
    column
        The column these values belong to (``"dob"`` for the full date).
    total
        The total the counts are relative to (default: their sum). A larger
        total says the counts cover only part of the population.
    source
        Where the counts come from (kept in the JSON file).

    Notes
    -----
    A value never seen gets the frequency ``1 / total`` (as if seen once).
    """

    def __init__(
        self,
        counts: Mapping[Any, float],
        *,
        column: str,
        total: float | None = None,
        source: str = "",
    ) -> None:
        if not isinstance(column, str) or not column:
            raise ConfigurationError("column must be a non-empty column name")
        clean: dict[Any, float] = {}
        for value, count in counts.items():
            if _encode.is_missing_value(value) or (isinstance(value, int) and value == 0):
                continue
            number = float(count)
            if not number >= 0:
                raise ConfigurationError("counts must be non-negative numbers")
            if number > 0:
                clean[value] = clean.get(value, 0.0) + number
        summed = float(sum(clean.values()))
        if total is None:
            total = summed
        if total < summed or (clean and total <= 0):
            raise ConfigurationError("total must be at least the sum of the counts")
        self.counts = clean
        self.column = column
        self.total = float(total)
        self.source = source

    # -- construction -----------------------------------------------------------------

    @classmethod
    def from_table(cls, table: Any, column: str) -> TermFrequencies:
        """Count the values of ``column`` in ``table`` (usually the prepared registry).

        >>> from vnlink.table import Table
        >>> t = Table({"dob_year": [1980, 1980], "dob_month": [1, 1], "dob_day": [2, 2]})
        >>> TermFrequencies.from_table(t, "dob").counts
        {19800102: 2.0}
        """
        values = row_values(as_table(table), column)
        if values.dtype == object:
            distinct, inverse = factorize_column(values)
            counts = np.bincount(inverse, minlength=len(distinct))
            pairs = zip(distinct, counts.tolist(), strict=True)
        else:
            uniq, counts = np.unique(values, return_counts=True)
            pairs = zip(uniq.tolist(), counts.tolist(), strict=True)
        return cls(dict(pairs), column=column, source="table")

    @classmethod
    def from_values(cls, values: Iterable[Any], column: str) -> TermFrequencies:
        """Count the values of any sequence.

        >>> TermFrequencies.from_values(["an", "an", "bình"], "given")["bình"]
        0.333...
        """
        return cls.from_table(Table({column: as_object_array(values)}), column)

    @classmethod
    def vietnamese_family_names(cls) -> TermFrequencies:
        """Population shares of the 14 most common family names (folded: ``nguyen``...).

        From the list of Lê Trung Hoa (2005) as given on Vietnamese Wikipedia
        ("Họ người Việt Nam"); they cover about 90% of people. Hoàng/Huỳnh and
        Vũ/Võ share one figure each there, split evenly here. Any other family
        name gets 0.1%.

        >>> tf = TermFrequencies.vietnamese_family_names()
        >>> round(tf["nguyen"], 3), round(tf["khong"], 3)
        (0.384, 0.001)
        """
        return cls(
            {k: v * 10 for k, v in _FAMILY_SHARES.items()},
            column="family",
            total=1000.0,
            source="Lê Trung Hoa (2005) via vi.wikipedia.org 'Họ người Việt Nam'",
        )

    # -- lookup -------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.counts)

    def __contains__(self, value: object) -> bool:
        return value in self.counts

    def __getitem__(self, value: Any) -> float:
        return float(self.frequency([value])[0])

    def __repr__(self) -> str:
        return f"TermFrequencies(column={self.column!r}, {len(self)} values, total={self.total:g})"

    @property
    def unseen_frequency(self) -> float:
        """Frequency given to a value that was never counted (``1 / total``)."""
        return 1.0 / self.total if self.total > 0 else float("nan")

    def frequency(self, values: Iterable[Any]) -> NDArray[np.float64]:
        """Relative frequency of each value (NaN for a missing value)."""
        items = values.tolist() if isinstance(values, np.ndarray) else list(values)
        unseen = self.unseen_frequency
        total = self.total
        get = self.counts.get
        out = np.empty(len(items), dtype=np.float64)
        for i, value in enumerate(items):
            if _encode.is_missing_value(value) or (isinstance(value, int) and value == 0):
                out[i] = np.nan
            else:
                count = get(value)
                out[i] = unseen if count is None else count / total
        return out

    def most_common(self, n: int = 10) -> list[tuple[Any, float]]:
        """The ``n`` most frequent values with their relative frequency."""
        ranked = sorted(self.counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
        return [(value, count / self.total) for value, count in ranked[:n]]

    def row_frequencies(self, table: Table) -> NDArray[np.float64]:
        """The frequency of each row's value of :attr:`column` in ``table`` (NaN = missing)."""
        values = row_values(table, self.column)
        if values.dtype == object:
            enc = _encode.encode(table, self.column)
            return self.frequency(enc.vocab)[enc.codes]
        uniq, inverse = np.unique(values, return_inverse=True)
        return self.frequency(uniq.tolist())[inverse.reshape(-1)]

    @staticmethod
    def row_frequencies_in(table: Table, column: str) -> NDArray[np.float64]:
        """Frequency of each row's value of ``column`` counted in ``table`` itself.

        >>> from vnlink.table import Table
        >>> TermFrequencies.row_frequencies_in(Table({"g": ["an", "an", "", "bá"]}), "g").tolist()
        [0.666..., 0.666..., nan, 0.333...]
        """
        values = row_values(table, column)
        if values.dtype == object:
            enc = _encode.encode(table, column)
            codes: NDArray[np.integer[Any]] = enc.codes
            counts = np.bincount(codes, minlength=len(enc.vocab)).astype(np.float64)
            missing = np.zeros(len(enc.vocab), dtype=bool)
            missing[0] = True
        else:
            uniq, inverse = np.unique(values, return_inverse=True)
            codes = inverse.reshape(-1)
            counts = np.bincount(codes, minlength=len(uniq)).astype(np.float64)
            missing = uniq == 0
        counts[missing] = 0
        total = counts.sum()
        freq = counts / total if total > 0 else counts
        freq[missing] = np.nan
        out: NDArray[np.float64] = freq[codes]
        return out

    # -- persistence ----------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping (see :meth:`from_dict`)."""
        return {
            "format": _FORMAT,
            "version": _VERSION,
            "column": self.column,
            "total": self.total,
            "source": self.source,
            "values": [[value, count] for value, count in self.counts.items()],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TermFrequencies:
        """Rebuild from :meth:`to_dict` output.

        >>> tf = TermFrequencies.from_values(["an", "an", "bình"], "given")
        >>> TermFrequencies.from_dict(tf.to_dict()).counts == tf.counts
        True
        """
        if not isinstance(data, Mapping) or data.get("format") != _FORMAT:
            raise ModelFormatError(f"not a term-frequency table (expected format {_FORMAT!r})")
        if not isinstance(data.get("version"), int) or data["version"] > _VERSION:
            raise ModelFormatError(
                "this term-frequency table was written by a newer vnlink; upgrade vnlink"
            )
        try:
            counts = {_hashable(v): float(c) for v, c in data["values"]}
            return cls(
                counts,
                column=str(data["column"]),
                total=float(data["total"]),
                source=str(data.get("source", "")),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ModelFormatError(f"malformed term-frequency table: {error}") from None

    def to_json(self, path: str | PathLike[str]) -> None:
        """Write the table to a JSON file."""
        Path(path).write_text(json.dumps(self.to_dict(), ensure_ascii=False), encoding="utf-8")

    @classmethod
    def from_json(cls, path: str | PathLike[str]) -> TermFrequencies:
        """Read a table written by :meth:`to_json`."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise ModelFormatError(f"the term-frequency file is not valid JSON: {error}") from None
        return cls.from_dict(data)


def _hashable(value: Any) -> Any:
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return value
    raise TypeError("values must be strings or integers")

"""The table vnlink works on inside: column name -> one-dimensional numpy array.

Users pass whatever they have (see :func:`as_table`); every stage receives a
:class:`Table`. String columns are numpy ``object`` arrays of ``str`` (``""``
means missing in derived columns), numeric columns are numpy integer arrays.

Examples
--------
>>> t = as_table({"name": ["An", "Bình"], "year": [1980, 1990]})
>>> t.n_rows, t.column_names
(2, ['name', 'year'])
>>> t["name"].tolist()
['An', 'Bình']
>>> t.to_dicts()[1]
{'name': 'Bình', 'year': 1990}
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import math
import os
import re
import sys
import warnings
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink._bulk import as_object_array, factorize
from vnlink.exceptions import ConfigurationError, FileFormatError, SchemaError

__all__ = [
    "MAX_FIELD_CHARS",
    "MAX_XLSX_BYTES",
    "Table",
    "as_table",
    "clean_cells",
    "record_ids",
    "typed_cells",
]

#: The longest CSV field read (characters); a longer one is a FileFormatError.
MAX_FIELD_CHARS = 1_048_576

#: The most an .xlsx workbook may expand to when unzipped (bytes), checked before reading.
MAX_XLSX_BYTES = 1 << 30

_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1


class Table:
    """Columns of equal length, each a one-dimensional numpy array.

    Parameters
    ----------
    columns
        Column name -> array (or any sequence, converted to an array).
    n_rows
        The row count; needed only when there are no columns.
    origin
        The form the user gave (``"pandas"``, ``"polars"``, ``"arrow"``,
        ``"dicts"``, ``"mapping"``, ``"csv"``, ``"parquet"`` or ``"table"``), so that
        results can be handed back in that form with :meth:`to_origin`.
    """

    def __init__(
        self, columns: Mapping[str, Any], n_rows: int | None = None, *, origin: str = "table"
    ) -> None:
        arrays: dict[str, NDArray[Any]] = {}
        for name, values in columns.items():
            arrays[str(name)] = _as_array(values)
        lengths = {len(a) for a in arrays.values()}
        if len(lengths) > 1:
            sizes = ", ".join(f"{k}={len(v)}" for k, v in arrays.items())
            raise SchemaError(
                f"columns have different lengths ({sizes}); pass columns of equal length"
            )
        if n_rows is None:
            n_rows = lengths.pop() if lengths else 0
        elif lengths and lengths != {n_rows}:
            raise SchemaError(f"n_rows={n_rows} but the columns have {lengths.pop()} rows")
        self.columns = arrays
        self.n_rows = int(n_rows)
        self.origin = origin

    @property
    def column_names(self) -> list[str]:
        """The column names, in order."""
        return list(self.columns)

    def __getitem__(self, name: str) -> NDArray[Any]:
        try:
            return self.columns[name]
        except KeyError:
            raise SchemaError(
                f"no column {name!r}; the table has: {', '.join(self.columns) or '(none)'}"
            ) from None

    def __contains__(self, name: object) -> bool:
        return name in self.columns

    def __len__(self) -> int:
        return self.n_rows

    def __iter__(self) -> Iterator[str]:
        return iter(self.columns)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.n_rows} rows: {', '.join(self.columns)})"

    def take(self, indices: NDArray[np.integer[Any]]) -> Table:
        """A new table with the rows at ``indices`` (in that order)."""
        return Table(
            {k: v[indices] for k, v in self.columns.items()},
            n_rows=len(indices),
            origin=self.origin,
        )

    def to_dicts(self) -> list[dict[str, Any]]:
        """The rows as a list of plain dicts (numpy scalars turned into Python values)."""
        lists = {k: v.tolist() for k, v in self.columns.items()}
        return [{k: lists[k][i] for k in lists} for i in range(self.n_rows)]

    def to_pandas(self) -> Any:
        """The table as a pandas DataFrame (needs pandas)."""
        try:
            import pandas as pd
        except ImportError as error:  # pragma: no cover - depends on the environment
            raise ImportError("to_pandas needs pandas: pip install pandas") from error
        return pd.DataFrame({k: v for k, v in self.columns.items()})

    def to_arrow(self) -> Any:
        """The table as a pyarrow Table (needs pyarrow: ``pip install vnlink[parquet]``)."""
        try:
            import pyarrow as pa
        except ImportError as error:  # pragma: no cover - depends on the environment
            raise ImportError("to_arrow needs pyarrow: pip install 'vnlink[parquet]'") from error
        return pa.table(
            {k: v.tolist() if v.dtype == object else v for k, v in self.columns.items()}
        )

    def to_polars(self) -> Any:
        """The table as a polars DataFrame (needs polars)."""
        try:
            import polars as pl
        except ImportError as error:  # pragma: no cover - depends on the environment
            raise ImportError("to_polars needs polars: pip install polars") from error
        return pl.DataFrame(
            {k: v.tolist() if v.dtype == object else v for k, v in self.columns.items()}
        )

    def to_origin(self) -> Any:
        """The table in the form the user originally gave (see ``origin``).

        pandas and polars DataFrames and pyarrow Tables come back as such; a
        list of dicts as a list of dicts; anything else (a mapping, a CSV or
        Parquet path) as this :class:`Table`.

        >>> as_table([{"tên": "Lan"}]).to_origin()
        [{'tên': 'Lan'}]
        """
        if self.origin == "pandas":
            return self.to_pandas()
        if self.origin == "polars":
            return self.to_polars()
        if self.origin == "arrow":
            return self.to_arrow()
        if self.origin == "dicts":
            return self.to_dicts()
        return self


def _as_array(values: Any) -> NDArray[Any]:
    if isinstance(values, np.ndarray):
        if values.ndim != 1:
            raise SchemaError(f"a column must be one-dimensional, got shape {values.shape}")
        if values.dtype.kind in "USO":
            return as_object_array(values)
        return values
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise SchemaError(f"a column must be a sequence of values, got {type(values).__name__}")
    items = list(values)
    if items and all(isinstance(v, bool) for v in items):
        return np.asarray(items, dtype=bool)
    if items and all(type(v) is int for v in items) and min(items) >= _INT64_MIN \
            and max(items) <= _INT64_MAX:
        return np.asarray(items, dtype=np.int64)
    return as_object_array(items)


_CSV_SUFFIXES = (".csv", ".tsv", ".txt", ".csv.gz")
_PARQUET_SUFFIXES = (".parquet", ".pq", ".parq")
_XLSX_SUFFIXES = (".xlsx", ".xlsm")


def as_table(
    data: Any,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    header: bool = True,
    sheet: str | None = None,
) -> Table:
    """Turn user input into a :class:`Table`.

    Accepts a :class:`Table` (used as it is), a mapping of column -> sequence,
    a list of dicts (missing keys become ``None``), a pandas or polars
    DataFrame, a pyarrow Table, or the path (``str`` or
    :class:`~pathlib.Path`) of a CSV, Parquet or Excel (``.xlsx``) file.
    pandas, polars and pyarrow are never imported unless the user passed one
    of their objects (or a Parquet path, which needs pyarrow); ``.xlsx``
    needs openpyxl (``pip install 'vnlink[excel]'``).

    Cells are made plain (:func:`clean_cells`): missing markers (``None``,
    NaN, pandas ``NA`` and ``NaT``, numpy ``NaT``, polars/arrow nulls, empty
    CSV cells) become ``None``; numpy scalars become Python values; bytes are
    decoded as UTF-8; integers too large for int64 are kept as Python ints.

    CSV files are read with the standard :mod:`csv` module, every cell as
    text. The encoding is UTF-8 unless given; a UTF-8 or UTF-16 byte-order mark
    is detected. The delimiter (``,``, ``;``, tab or ``|``) is detected unless
    given. A field may hold up to :data:`MAX_FIELD_CHARS` characters.

    Parameters
    ----------
    data
        The table, in any of the forms above.
    delimiter
        The CSV delimiter; ``None`` detects it (``.tsv`` files use a tab).
    encoding
        The text encoding of a CSV file (``"cp1258"`` for files saved by older
        Vietnamese Windows programs); ``None``: UTF-8, or what the byte-order
        mark says.
    header
        Whether the first row of a CSV or ``.xlsx`` file names the columns.
        With ``header=False`` the columns are named ``column_1``, ``column_2`` …
    sheet
        The worksheet of an ``.xlsx`` file (the first one when ``None``).

    Returns
    -------
    Table
        With ``origin`` set to the form given (see :meth:`Table.to_origin`).

    Raises
    ------
    SchemaError
        When ``data`` is none of the accepted forms.
    FileFormatError
        When a file cannot be read: bytes not valid in the encoding, malformed
        CSV, a field over the limit, a first row that looks like data. The
        message names the file, the row and the column, never a value.
    FileNotFoundError
        When a path does not exist.

    Examples
    --------
    >>> as_table([{"a": 1}, {"a": 2, "b": "x"}]).to_dicts()
    [{'a': 1, 'b': None}, {'a': 2, 'b': 'x'}]
    >>> t = as_table({"họ_tên": ["Nguyễn Văn An", None]})
    >>> t.origin, t["họ_tên"].tolist()
    ('mapping', ['Nguyễn Văn An', None])
    >>> import numpy as np
    >>> as_table({"x": [np.int64(5), float("nan"), b"L\\xc3\\xaa", 2**70]})["x"].tolist()
    [5, None, 'Lê', 1180591620717411303424]
    """
    if isinstance(data, Table) or (
        # a Table from a second copy of this module (pytest's importlib mode)
        type(data).__name__ in ("Table", "PreparedTable")
        and isinstance(getattr(data, "columns", None), dict)
        and isinstance(getattr(data, "n_rows", None), int)
    ):
        return data  # type: ignore[no-any-return]
    if isinstance(data, (str, os.PathLike)):
        return _read_path(Path(data), delimiter, encoding=encoding, header=header, sheet=sheet)
    module = type(data).__module__.split(".")[0]
    if module == "pandas" and hasattr(data, "columns") and hasattr(data, "dtypes"):
        return _cleaned(_from_pandas(data))
    if module == "polars" and hasattr(data, "columns") and hasattr(data, "get_column"):
        return _cleaned(_from_polars(data))
    if module == "pyarrow" and hasattr(data, "column_names") and hasattr(data, "column"):
        return _cleaned(_from_arrow(data, origin="arrow"))
    if isinstance(data, Mapping):
        return _cleaned(Table({k: _column(v) for k, v in data.items()}, origin="mapping"))
    if isinstance(data, Sequence) and not isinstance(data, bytes):
        rows = list(data)
        if all(isinstance(row, Mapping) for row in rows):
            names: dict[str, None] = {}
            for row in rows:
                names.update(dict.fromkeys(map(str, row)))
            keyed = [{str(k): v for k, v in row.items()} for row in rows]
            return _cleaned(Table(
                {n: _column([row.get(n) for row in keyed]) for n in names},
                n_rows=len(rows), origin="dicts",
            ))
    raise SchemaError(
        f"cannot read a table from {type(data).__name__}: pass a mapping of column -> values, "
        "a list of dicts, a pandas/polars DataFrame, a pyarrow Table, or a CSV, Parquet or "
        ".xlsx path"
    )


# ---------------------------------------------------------------------------
# cells


def _column(values: Any) -> Any:
    """A mapping's column, as a list when it is not a numpy array (so odd ints are caught)."""
    if isinstance(values, (np.ndarray, str, bytes)) or not hasattr(values, "__iter__"):
        return values
    if type(values).__module__.split(".")[0] in ("pandas", "polars", "pyarrow"):
        to_list = getattr(values, "tolist", None) or getattr(values, "to_list", None) \
            or values.to_pylist
        return to_list()
    return list(values)


def _plain_cell(value: Any) -> Any:
    """One cell as vnlink keeps it (see :func:`clean_cells`)."""
    if value is None or type(value) is str:
        return value
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return None
        return value.astype("datetime64[us]").item()
    if isinstance(value, np.generic):  # before float: np.float64 is a float
        return _plain_cell(value.item())
    if isinstance(value, float):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", errors="replace")
    if type(value).__name__ in ("NAType", "NaTType"):  # pandas markers
        return None
    if isinstance(value, str):  # a str subclass (np.str_ is handled above)
        return str(value)
    return value


def clean_cells(values: NDArray[Any]) -> NDArray[Any]:
    """An object column with every cell plain, each distinct value converted once.

    ``None``, NaN, pandas ``NA``/``NaT`` and numpy ``NaT`` become ``None``;
    numpy scalars become Python values (``np.int64(5)`` → ``5``,
    ``np.datetime64`` → ``datetime``); bytes are decoded as UTF-8 (an
    undecodable byte becomes ``"�"``). Text, ints, floats, bools, dates and
    other objects are kept; the field normalizers flag what they cannot read.
    Columns of another dtype are returned as they are.

    >>> clean_cells(np.array(["a", None, float("nan"), np.float64(2.5)], dtype=object)).tolist()
    ['a', None, None, 2.5]
    """
    if values.dtype != object:
        return values
    items = values.tolist()
    if set(map(type, items)) <= {str, type(None)}:
        return values
    distinct, inverse = factorize(items)
    plain = np.empty(len(distinct), dtype=object)
    plain[:] = [_plain_cell(v) for v in distinct]
    return as_object_array(plain[inverse])


def _cleaned(table: Table) -> Table:
    for name, values in table.columns.items():
        table.columns[name] = clean_cells(values)
    return table


def _id_text(value: Any) -> str | None:
    """A record id's exact text (None when missing); ValueError for a value that is no id."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return None if math.isnan(value) else repr(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    value = _plain_cell(value)
    if value is None or isinstance(value, (str, int, float, datetime.date)):
        return _id_text(value)
    import decimal

    if isinstance(value, decimal.Decimal):
        return None if value.is_nan() else str(value)
    raise ValueError(type(value).__name__)


def record_ids(
    values: Any, *, what: str = "the table"
) -> tuple[NDArray[np.object_], NDArray[np.bool_]]:
    """Record ids as their exact text, and which are missing; repeated ids raise.

    Each id keeps the text it was given: ``1``, ``True``, ``1.0`` and ``"1"``
    are the ids ``"1"``, ``"True"``, ``"1.0"`` and ``"1"`` — and since the first
    and last have the same text, they are a repeat. Missing ids (``None``,
    NaN, blank text) are ``""`` with ``missing`` set; they never count as
    repeats.

    Raises
    ------
    SchemaError
        When two rows have the same id (the message names the rows, counted
        from 1, never the id: an id may be a CCCD), or an id is neither text,
        a number nor a date.

    Examples
    --------
    >>> ids, missing = record_ids([1, True, 1.0, None, "a"])
    >>> ids.tolist(), missing.tolist()
    (['1', 'True', '1.0', '', 'a'], [False, False, False, True, False])
    >>> record_ids(["001", "002", "001"])
    Traceback (most recent call last):
    ...
    vnlink.exceptions.SchemaError: the table: rows 1 and 3 have the same record id; ...
    """
    array = values if isinstance(values, np.ndarray) else as_object_array(list(values))
    if array.dtype.kind in "iub":
        texts = as_object_array([str(v) for v in array.tolist()])
        missing = np.zeros(len(texts), dtype=bool)
    else:
        items = array.tolist()
        distinct, inverse = factorize(items)
        out = np.empty(len(distinct), dtype=object)
        for i, value in enumerate(distinct):
            try:
                out[i] = _id_text(value)
            except ValueError:
                row = int(np.flatnonzero(inverse == i)[0]) + 1
                raise SchemaError(
                    f"{what}: the record id in row {row} is a {type(value).__name__}; record "
                    "ids must be text or numbers"
                ) from None
        texts = out[inverse] if len(items) else np.empty(0, dtype=object)
        missing = np.asarray([t is None for t in texts.tolist()], dtype=bool)
        texts = as_object_array(["" if t is None else t for t in texts.tolist()])
    _check_unique(texts, missing, what)
    return texts, missing


def _check_unique(texts: NDArray[np.object_], missing: NDArray[np.bool_], what: str) -> None:
    present = texts[~missing]
    if len(set(present.tolist())) == len(present):
        return
    rows = np.flatnonzero(~missing)
    distinct, inverse = factorize(present)
    counts = np.bincount(inverse, minlength=len(distinct))
    repeated = counts[inverse] > 1
    first_code = inverse[repeated][0]
    pair = rows[inverse == first_code][:2] + 1
    others = int(repeated.sum()) - 2
    more = f" (and {others:,} more rows repeat an id)" if others > 0 else ""
    raise SchemaError(
        f"{what}: rows {pair[0]} and {pair[1]} have the same record id{more}; give each "
        "row its own id, or leave the record id column out of the schema"
    )


#: Problem-code prefix of each schema field (as prepare names its codes).
_FIELD_PREFIX = {"name": "name", "dob": "dob", "sex": "sex", "id_number": "id",
                 "old_id_number": "old_id", "phone": "phone", "address": "address"}
_NUMBER_FIELDS = frozenset({"id_number", "old_id_number", "phone"})


def _cell_fits(value: Any, field: str) -> bool:
    """Whether a (plain) cell is of a type ``field`` can hold (missing values always can)."""
    if value is None or isinstance(value, str):
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value >= 0 if field in _NUMBER_FIELDS else True
    if isinstance(value, float):
        if field in _NUMBER_FIELDS:
            return math.isfinite(value) and value >= 0 and value.is_integer()
        return math.isfinite(value) and field in ("dob", "sex")
    if isinstance(value, (datetime.date, datetime.datetime)):
        return field == "dob"
    return False


def typed_cells(
    table: Table, columns: Sequence[str], field: str
) -> tuple[Table, NDArray[np.object_] | None]:
    """The ``columns`` of ``table`` with cells ``field`` cannot hold made missing, and flagged.

    A bool anywhere, a date outside the date of birth, a negative, fractional
    or infinite number in an ID or phone column, a list or any other object
    becomes ``None``, and its row gets the problem code ``<field>:wrong_type``
    (``id:wrong_type``, ``phone:wrong_type`` …). Returns the table (only
    ``columns``) and the problem column, ``None`` when no cell was flagged.

    >>> t, problems = typed_cells(as_table({"cccd": ["001", -5, True]}), ["cccd"], "id_number")
    >>> t["cccd"].tolist(), problems.tolist()
    (['001', None, None], ['', 'id:wrong_type', 'id:wrong_type'])
    """
    out: dict[str, NDArray[Any]] = {}
    bad_rows = np.zeros(table.n_rows, dtype=bool)
    for column in columns:
        values = table[column]
        if values.dtype == object:
            items = values.tolist()
            if set(map(type, items)) <= {str, type(None)}:  # the common case: text only
                out[column] = values
                continue
            values = clean_cells(values)
        if values.dtype != object:
            if values.dtype.kind in "iu" and field in _NUMBER_FIELDS:
                bad = values < 0
            elif values.dtype.kind == "f":
                bad = ~np.array([_cell_fits(v, field) for v in values.tolist()], dtype=bool)
            else:
                bad = np.full(len(values), values.dtype.kind == "b")
            if bad.any():
                values = as_object_array(values.tolist())
        else:
            items = values.tolist()
            distinct, inverse = factorize(items)
            fits = np.array([_cell_fits(v, field) for v in distinct], dtype=bool)
            bad = ~fits[inverse] if len(items) else np.zeros(0, dtype=bool)
        if bad.any():
            values = values.copy()
            values[bad] = None
            bad_rows |= bad
        out[column] = values
    typed = Table(out, n_rows=table.n_rows, origin=table.origin)
    if not bad_rows.any():
        return typed, None
    problems = np.full(table.n_rows, "", dtype=object)
    problems[bad_rows] = f"{_FIELD_PREFIX.get(field, field)}:wrong_type"
    return typed, problems


# ---------------------------------------------------------------------------
# pandas, polars, arrow


def _none_for_missing(values: NDArray[Any], missing: NDArray[np.bool_]) -> NDArray[Any]:
    """An object array of ``values`` with ``None`` where ``missing``."""
    out = as_object_array(values)
    if missing.any():
        out = out.copy()
        out[missing] = None
    return out


def _from_pandas(frame: Any) -> Table:
    columns: dict[str, NDArray[Any]] = {}
    for name in frame.columns:
        series = frame[name]
        kind = series.dtype.kind if isinstance(series.dtype, np.dtype) else ""
        if kind == "f" and bool(series.isna().any()):
            columns[str(name)] = _column_from_list(series.tolist())
        elif kind in "biuf" and kind != "":
            columns[str(name)] = series.to_numpy()
        elif kind == "M":
            columns[str(name)] = _datetimes_to_objects(series.to_numpy())
        else:
            missing = series.isna().to_numpy(dtype=bool)
            values = series.to_numpy(dtype=object, na_value=None)
            if not missing.any() and _all_ints(values):
                columns[str(name)] = np.asarray(values.tolist(), dtype=np.int64)
            else:
                columns[str(name)] = _none_for_missing(values, missing)
    return Table(columns, n_rows=len(frame), origin="pandas")


def _all_ints(values: NDArray[Any]) -> bool:
    items = values.tolist()
    return bool(items) and all(type(v) is int for v in items) \
        and min(items) >= _INT64_MIN and max(items) <= _INT64_MAX


def _datetimes_to_objects(values: NDArray[Any]) -> NDArray[np.object_]:
    """datetime64 values as ``datetime.date`` objects (``None`` for NaT)."""
    days = values.astype("datetime64[D]")
    out = as_object_array(days.astype(object))
    out[np.isnat(days)] = None
    return out


def _from_polars(frame: Any) -> Table:
    columns: dict[str, NDArray[Any]] = {}
    for name in frame.columns:
        series = frame.get_column(name)
        numeric = series.dtype.is_numeric() if hasattr(series.dtype, "is_numeric") else False
        if numeric and series.null_count() == 0:
            columns[str(name)] = series.to_numpy()
        else:
            columns[str(name)] = _column_from_list(series.to_list())
    return Table(columns, n_rows=frame.height, origin="polars")


def _from_arrow(table: Any, *, origin: str) -> Table:
    columns: dict[str, NDArray[Any]] = {}
    for name in table.column_names:
        column = table.column(name)
        kind = str(column.type)
        if column.null_count == 0 and (kind.startswith(("int", "uint", "float", "double", "bool"))):
            columns[str(name)] = column.to_numpy()
        else:
            columns[str(name)] = _column_from_list(column.to_pylist())
    return Table(columns, n_rows=table.num_rows, origin=origin)


def _column_from_list(items: list[Any]) -> NDArray[Any]:
    """A column from a list of Python values (``None`` for nulls), as the mapping form makes it."""
    return _as_array([None if isinstance(v, float) and math.isnan(v) else v for v in items])


# ---------------------------------------------------------------------------
# files


def _read_path(
    path: Path, delimiter: str | None, *, encoding: str | None = None, header: bool = True,
    sheet: str | None = None,
) -> Table:
    name = path.name.lower()
    if name.endswith(_PARQUET_SUFFIXES):
        return _cleaned(_read_parquet(path))
    if str(path) == "-":
        return _read_csv(path, delimiter, encoding, header)
    if name.endswith(_CSV_SUFFIXES) or name.endswith(_XLSX_SUFFIXES):
        if not path.exists():
            raise FileNotFoundError(f"no such file: {path}")
        if name.endswith(_XLSX_SUFFIXES):
            return _cleaned(_read_xlsx(path, sheet, header))
        if delimiter is None and name.endswith(".tsv"):
            delimiter = "\t"
        return _read_csv(path, delimiter, encoding, header)
    raise ConfigurationError(
        f"cannot tell the format of {path.name!r}: pass a path ending in .csv, .tsv, .txt, "
        ".xlsx or .parquet, or read the file yourself and pass the table"
    )


def _read_parquet(path: Path) -> Table:
    try:
        import pyarrow.parquet as pq
    except ImportError as error:
        raise ImportError(
            "reading Parquet files needs pyarrow: pip install 'vnlink[parquet]' "
            "(or pass a pandas/polars DataFrame, or a CSV file)"
        ) from error
    if not path.exists():
        raise FileNotFoundError(f"no such file: {path}")
    try:
        return _from_arrow(pq.read_table(path), origin="parquet")
    except (OSError, ValueError) as error:
        raise FileFormatError(
            f"{path.name} cannot be read as Parquet ({type(error).__name__}): check the file"
        ) from None


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def _binary(path: Path) -> Any:
    """The file opened for reading bytes (standard input for ``-``, gzip for ``.gz``)."""
    if str(path) == "-":
        return sys.stdin.buffer
    if path.name.lower().endswith(".gz"):
        import gzip

        return gzip.open(path, "rb")
    return path.open("rb")


def _encoding_of(path: Path, encoding: str | None, head: bytes) -> str:
    """The codec to read ``path`` with: the one given, or what the byte-order mark says."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            if encoding is None or encoding.lower().replace("_", "-") in ("utf-8", "utf8",
                                                                           codec):
                return codec
            break
    if encoding is None:
        return "utf-8"
    import codecs

    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ConfigurationError(
            f"unknown encoding {encoding!r}: use a Python codec name such as utf-8, cp1258 "
            "or utf-16"
        ) from None
    return encoding


def _read_csv(path: Path, delimiter: str | None, encoding: str | None = None,
              header: bool = True) -> Table:
    import io

    label = "standard input" if str(path) == "-" else path.name
    with _binary(path) as raw:
        buffered = raw if hasattr(raw, "peek") else io.BufferedReader(raw)
        head = buffered.peek(4096)[:4096]
        codec = _encoding_of(path, encoding, head[:4])
        if codec == "utf-8" and b"\x00" in head:
            raise FileFormatError(
                f"{label} holds NUL bytes near its start: it may be UTF-16 without a byte-order "
                "mark (pass --encoding utf-16-le, encoding='utf-16-le'), or not a text file"
            )
        handle = io.TextIOWrapper(buffered, encoding=codec, newline="")
        try:
            rows, names = _parse_csv(handle, delimiter, label, header)
        except UnicodeDecodeError as error:
            raise _decode_error(path, label, codec, error) from None
        finally:
            with contextlib.suppress(ValueError):
                handle.detach()
    width = len(names)
    for number, row in enumerate(rows):
        if len(row) != width:
            if len(row) > width:
                raise FileFormatError(
                    f"{label}: data row {number + 1} has {len(row)} fields but the header "
                    f"has {width}: check the delimiter and the quoting"
                )
            rows[number] = row + [""] * (width - len(row))
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    return Table(
        {
            n: as_object_array([v if v != "" else None for v in c])
            for n, c in zip(names, columns, strict=True)
        },
        n_rows=len(rows),
        origin="csv",
    )


def _parse_csv(handle: Any, delimiter: str | None, label: str,
               header: bool) -> tuple[list[list[str]], list[str]]:
    if delimiter is None:
        sample = handle.read(65536)
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
        handle = _Replay(sample, handle)
    previous = csv.field_size_limit()
    csv.field_size_limit(MAX_FIELD_CHARS)
    reader = csv.reader(handle, delimiter=delimiter)
    try:
        rows = [row for row in reader if row]
    except csv.Error as error:
        line = reader.line_num
        if "field larger than field limit" in str(error):
            raise FileFormatError(
                f"{label}: line {line} has a field longer than {MAX_FIELD_CHARS:,} characters "
                "(the limit); check the quoting: an unclosed quote makes the rest of the file "
                "one field"
            ) from None
        if "NUL" in str(error):
            raise FileFormatError(
                f"{label}: line {line} holds NUL bytes: the file may be UTF-16 without a "
                "byte-order mark (pass --encoding utf-16) or not a text file"
            ) from None
        raise FileFormatError(f"{label}: line {line} is not valid CSV ({error})") from None
    finally:
        csv.field_size_limit(previous)
    if not rows:
        return [], []
    if not header:
        width = max(len(r) for r in rows)
        return rows, [f"column_{j + 1}" for j in range(width)]
    names = [h.strip() for h in rows[0]]
    _check_header(names, label)
    names = [n or f"column_{j + 1}" for j, n in enumerate(names)]
    return rows[1:], names


class _Replay:
    """Lines of ``sample`` (already read) and then of ``rest``: the sniffed text is not re-read."""

    def __init__(self, sample: str, rest: Any) -> None:
        import io

        self._parts = iter((io.StringIO(sample), rest))
        self._current = next(self._parts)

    def __iter__(self) -> _Replay:
        return self

    def __next__(self) -> str:
        while True:
            line = self._current.readline()
            if line:
                if not line.endswith(("\n", "\r")) and self._current is not None:
                    tail = self._advance()
                    if tail is not None:
                        return line + tail
                return line
            if self._advance_part() is None:
                raise StopIteration

    def _advance(self) -> str | None:
        """The rest of a line cut by the end of the sample (from the next part)."""
        nxt = self._advance_part()
        if nxt is None:
            return None
        return nxt.readline()  # type: ignore[no-any-return]

    def _advance_part(self) -> Any:
        try:
            self._current = next(self._parts)
        except StopIteration:
            return None
        return self._current


_DATA_LIKE = re.compile(r"\d{5}|\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}|@")


def _check_header(names: list[str], label: str) -> None:
    """Refuse a first row that looks like data (several cells of digits, dates) or repeats a name.

    Messages give column numbers, never the cells: in a file without a header,
    the first row is a person.
    """
    data_like = [j for j, name in enumerate(names) if _DATA_LIKE.search(name)]
    # one such header can be genuine ("Mũi 1 (01/06/2021)"); a person's row has several
    if len(data_like) >= 2 or (data_like and len(names) <= 2):
        raise FileFormatError(
            f"{label}: row 1 looks like data, not column names (column {data_like[0] + 1} "
            "holds a number, a date or an e-mail address); add a header row, or read the "
            "file with header=False (--no-header) and name the columns column_1, column_2 … "
            "in the schema"
        )
    seen: dict[str, int] = {}
    for j, name in enumerate(names):
        if name and name in seen:
            raise FileFormatError(
                f"{label}: columns {seen[name] + 1} and {j + 1} of the header have the same "
                "name: give each column its own name"
            )
        seen.setdefault(name, j)


def _decode_error(path: Path, label: str, codec: str, error: UnicodeDecodeError) -> Exception:
    line = _first_bad_line(path, codec) if str(path) != "-" else None
    where = f" (line {line})" if line else ""
    if codec.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig"):
        return FileFormatError(
            f"{label} is not UTF-8 text{where}; if it was saved by Excel or an older Vietnamese "
            "program, pass --encoding cp1258 (encoding='cp1258'), or save it as 'CSV UTF-8'"
        )
    return FileFormatError(
        f"{label} cannot be read as {codec}{where}; pass the file's encoding with --encoding "
        "(encoding=...)"
    )


def _first_bad_line(path: Path, codec: str) -> int | None:
    if codec.lower().startswith(("utf-16", "utf-32")):
        return None
    with contextlib.suppress(OSError), _binary(path) as raw:
        for number, line in enumerate(raw, start=1):
            try:
                line.decode(codec)
            except UnicodeDecodeError:
                return number
    return None


def _read_xlsx(path: Path, sheet: str | None, header: bool) -> Table:
    """The first (or named) sheet of a workbook; cells keep their types (needs openpyxl)."""
    from vnlink._files import load_openpyxl

    openpyxl = load_openpyxl()
    _check_workbook_size(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                if sheet is not None and sheet not in book.sheetnames:
                    raise FileFormatError(
                        f"{path.name} has no sheet {sheet!r}; its sheets: "
                        f"{', '.join(book.sheetnames)}"
                    )
                ws = book[sheet] if sheet is not None else book.worksheets[0]
                rows = [list(r) for r in ws.iter_rows(values_only=True)]
            finally:
                book.close()
    except FileFormatError:
        raise
    except Exception as error:  # openpyxl raises many kinds for a bad workbook
        raise FileFormatError(
            f"{path.name} cannot be read as an Excel workbook ({type(error).__name__}); "
            "open it in Excel and save it again as .xlsx, or as CSV UTF-8"
        ) from None
    rows = [r for r in rows if any(v is not None and v != "" for v in r)]
    if not rows:
        return Table({}, n_rows=0, origin="xlsx")
    width = max(len(r) for r in rows)
    if header:
        names = ["" if v is None else str(v).strip() for v in rows[0]]
        _check_header(names, path.name)
        rows = rows[1:]
        names += [""] * (width - len(names))
        names = [n or f"column_{j + 1}" for j, n in enumerate(names)]
    else:
        names = [f"column_{j + 1}" for j in range(width)]
    # drop trailing columns that are empty in every row and unnamed
    while names and names[-1].startswith("column_") and all(
            len(r) < len(names) or r[len(names) - 1] in (None, "") for r in rows):
        names.pop()
    width = len(names)
    padded = [list(r[:width]) + [None] * (width - len(r)) for r in rows]
    columns = list(zip(*padded, strict=True)) if padded else [() for _ in names]
    return Table(
        {n: as_object_array([None if v == "" else v for v in c])
         for n, c in zip(names, columns, strict=True)},
        n_rows=len(padded),
        origin="xlsx",
    )


def _check_workbook_size(path: Path) -> None:
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            total = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, OSError):
        raise FileFormatError(
            f"{path.name} is not an .xlsx workbook (not a zip file); an old .xls must be saved "
            "again as .xlsx or as CSV UTF-8"
        ) from None
    if total > MAX_XLSX_BYTES:
        raise FileFormatError(
            f"{path.name} expands to {total:,} bytes when unzipped; the limit is "
            f"{MAX_XLSX_BYTES:,}: save the sheet as CSV UTF-8"
        )

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

import csv
import math
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink._bulk import as_object_array
from vnlink.exceptions import ConfigurationError, SchemaError

__all__ = ["Table", "as_table"]


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
    if items and all(isinstance(v, int) and not isinstance(v, bool) for v in items):
        return np.asarray(items, dtype=np.int64)
    return as_object_array(items)


_CSV_SUFFIXES = (".csv", ".tsv", ".txt", ".csv.gz")
_PARQUET_SUFFIXES = (".parquet", ".pq", ".parq")


def as_table(data: Any, *, delimiter: str | None = None) -> Table:
    """Turn user input into a :class:`Table`.

    Accepts a :class:`Table`, a mapping of column -> sequence, a list of dicts
    (missing keys become ``None``), a pandas or polars DataFrame, a pyarrow
    Table, or the path (``str`` or :class:`~pathlib.Path`) of a CSV or Parquet
    file. pandas, polars and pyarrow are never imported unless the user passed
    one of their objects (or a Parquet path, which needs pyarrow).

    Missing values (``None``, NaN, pandas ``NA``, polars/arrow nulls, empty CSV
    cells) all become ``None`` in text columns. CSV files are read with the
    standard :mod:`csv` module, every cell as text, UTF-8 with or without a
    byte-order mark; the delimiter (``,``, ``;``, tab or ``|``) is detected
    unless given.

    Parameters
    ----------
    data
        The table, in any of the forms above.
    delimiter
        The CSV delimiter; ``None`` detects it (``.tsv`` files use a tab).

    Returns
    -------
    Table
        With ``origin`` set to the form given (see :meth:`Table.to_origin`).

    Raises
    ------
    SchemaError
        When ``data`` is none of the accepted forms, or a CSV file is malformed.
    FileNotFoundError
        When a path does not exist.

    Examples
    --------
    >>> as_table([{"a": 1}, {"a": 2, "b": "x"}]).to_dicts()
    [{'a': 1, 'b': None}, {'a': 2, 'b': 'x'}]
    >>> t = as_table({"họ_tên": ["Nguyễn Văn An", None]})
    >>> t.origin, t["họ_tên"].tolist()
    ('mapping', ['Nguyễn Văn An', None])
    """
    if isinstance(data, Table) or (
        # a Table from a second copy of this module (pytest's importlib mode)
        type(data).__name__ in ("Table", "PreparedTable")
        and isinstance(getattr(data, "columns", None), dict)
        and isinstance(getattr(data, "n_rows", None), int)
    ):
        return data  # type: ignore[no-any-return]
    if isinstance(data, (str, os.PathLike)):
        return _read_path(Path(data), delimiter)
    module = type(data).__module__.split(".")[0]
    if module == "pandas" and hasattr(data, "columns") and hasattr(data, "dtypes"):
        return _from_pandas(data)
    if module == "polars" and hasattr(data, "columns") and hasattr(data, "get_column"):
        return _from_polars(data)
    if module == "pyarrow" and hasattr(data, "column_names") and hasattr(data, "column"):
        return _from_arrow(data, origin="arrow")
    if isinstance(data, Mapping):
        return Table(data, origin="mapping")
    if isinstance(data, Sequence) and not isinstance(data, bytes):
        rows = list(data)
        if all(isinstance(row, Mapping) for row in rows):
            names: dict[str, None] = {}
            for row in rows:
                names.update(dict.fromkeys(map(str, row)))
            return Table(
                {n: [row.get(n) for row in rows] for n in names}, n_rows=len(rows), origin="dicts"
            )
    raise SchemaError(
        f"cannot read a table from {type(data).__name__}: pass a mapping of column -> values, "
        "a list of dicts, a pandas/polars DataFrame, a pyarrow Table, or a CSV or Parquet path"
    )


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
    return bool(items) and all(type(v) is int for v in items)


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


def _read_path(path: Path, delimiter: str | None) -> Table:
    name = path.name.lower()
    if name.endswith(_PARQUET_SUFFIXES):
        return _read_parquet(path)
    if name.endswith(_CSV_SUFFIXES):
        if not path.exists():
            raise FileNotFoundError(f"no such file: {path}")
        if delimiter is None and name.endswith(".tsv"):
            delimiter = "\t"
        return _read_csv(path, delimiter)
    raise ConfigurationError(
        f"cannot tell the format of {path.name!r}: pass a path ending in .csv, .tsv, .txt "
        "or .parquet, or read the file yourself and pass the table"
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
    return _from_arrow(pq.read_table(path), origin="parquet")


def _open_text(path: Path) -> Any:
    """Open a (possibly gzipped) UTF-8 text file; a byte-order mark is skipped."""
    if path.name.lower().endswith(".gz"):
        import gzip

        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def _read_csv(path: Path, delimiter: str | None) -> Table:
    with _open_text(path) as handle:
        if delimiter is None:
            sample = handle.read(65536)
            handle.seek(0)
            try:
                delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
            except csv.Error:
                delimiter = ","
        reader = csv.reader(handle, delimiter=delimiter)
        header = next(reader, None)
        rows = [row for row in reader if row]
    if header is None:
        return Table({}, n_rows=0, origin="csv")
    names = [h.strip() for h in header]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise SchemaError(
            f"the CSV header repeats column names {duplicates}: give each column its own name"
        )
    width = len(names)
    for number, row in enumerate(rows):
        if len(row) != width:
            if len(row) > width:
                raise SchemaError(
                    f"data row {number + 1} of the CSV file has {len(row)} fields but the "
                    f"header has {width}: check the delimiter and the quoting"
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

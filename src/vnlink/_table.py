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

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink._bulk import as_object_array
from vnlink.exceptions import SchemaError

__all__ = ["Table", "as_table"]


class Table:
    """Columns of equal length, each a one-dimensional numpy array.

    Parameters
    ----------
    columns
        Column name -> array (or any sequence, converted to an array).
    n_rows
        The row count; needed only when there are no columns.
    """

    def __init__(self, columns: Mapping[str, Any], n_rows: int | None = None) -> None:
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
        return Table({k: v[indices] for k, v in self.columns.items()}, n_rows=len(indices))

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


def as_table(data: Any) -> Table:
    """Turn user input into a :class:`Table`.

    Accepts a :class:`Table`, a mapping of column -> sequence, or a list of
    dicts (missing keys become ``None``).

    >>> as_table([{"a": 1}, {"a": 2, "b": "x"}]).to_dicts()
    [{'a': 1, 'b': None}, {'a': 2, 'b': 'x'}]
    """
    if isinstance(data, Table):
        return data
    if isinstance(data, Mapping):
        return Table(data)
    if isinstance(data, Sequence) and not isinstance(data, (str, bytes)):
        rows = list(data)
        if all(isinstance(row, Mapping) for row in rows):
            names: dict[str, None] = {}
            for row in rows:
                names.update(dict.fromkeys(map(str, row)))
            return Table({n: [row.get(n) for row in rows] for n in names}, n_rows=len(rows))
    raise SchemaError(
        f"cannot read a table from {type(data).__name__}: pass a mapping of column -> values, "
        "a list of dicts, or a pandas/polars DataFrame, pyarrow Table, CSV or Parquet path"
    )

"""Columns of numpy arrays to and from Arrow record batches and Spark types (internal).

A column's *kind* is one of ``str``, ``strlist`` (a tuple of strings per row,
the ``problems`` column), ``bool``, ``i8``, ``i16``, ``i32``, ``i64``, ``f32``,
``f64``.

>>> import numpy as np
>>> kinds = {"a": "str", "n": "i16", "p": "strlist"}
>>> batch = to_batch({"a": np.array(["x", "y"], dtype=object), "n": np.array([1, 2]),
...                   "p": np.array([(), ("dob:bad",)], dtype=object)}, kinds)
>>> cols = from_batch(batch, kinds)
>>> cols["a"].tolist(), cols["n"].dtype.name, cols["p"].tolist()
(['x', 'y'], 'int16', [(), ('dob:bad',)])
>>> ddl(kinds)
'`a` string, `n` smallint, `p` array<string>'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

__all__ = ["batches_of", "blank_to_none", "ddl", "from_batch", "kind_of", "to_batch"]

_ARROW: dict[str, Any] = {
    "str": pa.string(),
    "strlist": pa.list_(pa.string()),
    "bool": pa.bool_(),
    "i8": pa.int8(),
    "i16": pa.int16(),
    "i32": pa.int32(),
    "i64": pa.int64(),
    "f32": pa.float32(),
    "f64": pa.float64(),
}
_SPARK = {"str": "string", "strlist": "array<string>", "bool": "boolean", "i8": "tinyint",
          "i16": "smallint", "i32": "int", "i64": "bigint", "f32": "float", "f64": "double"}
_NUMPY = {"bool": np.bool_, "i8": np.int8, "i16": np.int16, "i32": np.int32, "i64": np.int64,
          "f32": np.float32, "f64": np.float64}


def kind_of(name: str, values: NDArray[Any]) -> str:
    """The kind of a numpy column (``problems`` is a list of strings)."""
    if name == "problems":
        return "strlist"
    kind = values.dtype.kind
    if kind in "OUS":
        return "str"
    if kind == "b":
        return "bool"
    if kind == "f":
        return "f32" if values.dtype.itemsize == 4 else "f64"
    size = {1: "i8", 2: "i16", 4: "i32"}.get(values.dtype.itemsize, "i64")
    return size


def ddl(kinds: Mapping[str, str]) -> str:
    """A Spark DDL schema string for the columns."""
    return ", ".join(f"`{name}` {_SPARK[kind]}" for name, kind in kinds.items())


def arrow_schema(kinds: Mapping[str, str]) -> pa.Schema:
    """The Arrow schema of the columns."""
    return pa.schema([(name, _ARROW[kind]) for name, kind in kinds.items()])


def to_batch(columns: Mapping[str, NDArray[Any]], kinds: Mapping[str, str]) -> pa.RecordBatch:
    """A record batch of the named columns, in the order of ``kinds``."""
    arrays = []
    for name, kind in kinds.items():
        values = columns[name]
        if kind == "str":
            arrays.append(pa.array(values.tolist(), type=pa.string()))
        elif kind == "strlist":
            arrays.append(pa.array([list(v) if v is not None else [] for v in values.tolist()],
                                   type=pa.list_(pa.string())))
        else:
            arr = np.asarray(values)
            if arr.dtype == object:  # Nones for nulls
                arrays.append(pa.array(arr.tolist(), type=_ARROW[kind]))
            else:
                arrays.append(pa.array(arr.astype(_NUMPY[kind], copy=False), type=_ARROW[kind]))
    return pa.RecordBatch.from_arrays(arrays, schema=arrow_schema(kinds))


def from_batch(batch: pa.RecordBatch | pa.Table, kinds: Mapping[str, str],
               prefix: str = "") -> dict[str, NDArray[Any]]:
    """numpy columns (``prefix`` + name read, name returned); nulls become ``""`` or 0."""
    out: dict[str, NDArray[Any]] = {}
    for name, kind in kinds.items():
        column = batch.column(batch.schema.get_field_index(prefix + name))
        if kind == "str":
            values = np.empty(len(column), dtype=object)
            values[:] = ["" if v is None else v for v in column.to_pylist()]
        elif kind == "strlist":
            values = np.empty(len(column), dtype=object)
            values[:] = [() if v is None else tuple(v) for v in column.to_pylist()]
        else:
            if column.null_count:
                fill = np.nan if kind in ("f32", "f64") else 0
                column = column.fill_null(fill)
            values = np.asarray(column.to_numpy(zero_copy_only=False)).astype(
                _NUMPY[kind], copy=False)
        out[name] = values
    return out


def blank_to_none(values: NDArray[Any]) -> NDArray[np.object_]:
    """Text values with ``""`` turned back into ``None`` (as typed input had them).

    >>> blank_to_none(np.array(["a", ""], dtype=object)).tolist()
    ['a', None]
    """
    out = np.empty(len(values), dtype=object)
    out[:] = [None if v == "" else v for v in values.tolist()]
    return out


def batches_of(batches: Iterable[pa.RecordBatch], rows: int) -> Iterator[pa.Table]:
    """Concatenate incoming batches into tables of at least ``rows`` rows (the last may be less).

    Bulk kernels (rapidfuzz, the normalizers' distinct-value caches) pay off on
    large batches; Spark hands Arrow batches of ``maxRecordsPerBatch`` rows.
    """
    held: list[pa.RecordBatch] = []
    count = 0
    for batch in batches:
        if batch.num_rows == 0:
            continue
        held.append(batch)
        count += batch.num_rows
        if count >= rows:
            yield pa.Table.from_batches(held)
            held, count = [], 0
    if held:
        yield pa.Table.from_batches(held)


def table_batches(table: pa.Table) -> list[pa.RecordBatch]:
    """The table as record batches (combined chunks)."""
    return list(table.combine_chunks().to_batches())

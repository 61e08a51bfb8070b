"""Columns to and from plain arrays that numpy's ``.npz`` and Parquet hold without pickle.

Text columns are stored as their distinct values plus int32 codes (a smaller
file, and on loading each distinct string is one object); tuple columns (the
``problems`` of a prepared table) as ``;``-joined text; numeric and boolean
columns as they are. :func:`store` returns a *kind* that :func:`restore`
needs, so the metadata of a file records it per column.

>>> import numpy as np
>>> arrays = {}
>>> kind = store(arrays, "c:name", np.array(["An", "Bình", "An", None], dtype=object))
>>> kind, sorted(arrays)
('codes', ['c:name', 'c:name:vocab'])
>>> restore(arrays, "c:name", kind).tolist()
['An', 'Bình', 'An', '']
>>> kind = store(arrays, "c:p", np.array([("dob:x", "id:y"), ()], dtype=object))
>>> restore(arrays, "c:p", kind).tolist()
[('dob:x', 'id:y'), ()]
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink._bulk import factorize, remember_factors

__all__ = ["from_codes", "restore", "store"]


def from_codes(vocab: NDArray[np.object_], codes: NDArray[Any]) -> NDArray[np.object_]:
    """The column whose row ``i`` is ``vocab[codes[i]]``: one object per distinct value."""
    out: NDArray[np.object_] = vocab[np.asarray(codes, dtype=np.intp)]
    return out


def _text_array(items: list[str]) -> NDArray[Any]:
    return np.asarray(items, dtype=str) if items else np.zeros(0, "U1")


def store(arrays: dict[str, NDArray[Any]], key: str, values: NDArray[Any]) -> str:
    """Put ``values`` into ``arrays`` under ``key`` (and ``key + ":vocab"``); return its kind."""
    if values.dtype == object and len(values) and isinstance(values[0], tuple):
        arrays[key] = _text_array([";".join(map(str, v)) for v in values.tolist()])
        return "tuple"
    if values.dtype == object:
        distinct, inverse = factorize(values)
        arrays[key] = inverse.astype(np.int32)
        arrays[key + ":vocab"] = _text_array(["" if v is None else str(v) for v in distinct])
        return "codes"
    arrays[key] = values
    return "array"


def restore(data: Any, key: str, kind: str) -> NDArray[Any]:
    """The column :func:`store` put under ``key`` with ``kind``."""
    if kind == "codes":
        vocab = np.asarray(data[key + ":vocab"]).astype(object)
        codes = np.asarray(data[key])
        out = from_codes(vocab, codes)
        distinct = vocab.tolist()
        if len(set(distinct)) == len(distinct):  # what factorize(out) would find
            remember_factors(out, distinct, codes)
        return out
    if kind == "str":
        return np.asarray(data[key]).astype(object)
    if kind == "tuple":
        out = np.empty(len(data[key]), dtype=object)
        out[:] = [tuple(v.split(";")) if v else () for v in np.asarray(data[key]).tolist()]
        return out
    if kind == "array":
        return np.asarray(data[key])
    raise ValueError(f"unknown column kind {kind!r}")

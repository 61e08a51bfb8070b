"""The slow path the bulk ID and phone parsers share for rows their fast path left."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink._bulk import FEW_ROWS, factorize

__all__ = ["FEW_ROWS", "fill_parsed"]  # FEW_ROWS: the bulk parsers parse value by value up to it


def fill_parsed(
    parse: Callable[[Any], Sequence[Any]],
    items: Sequence[Any],
    rows: NDArray[np.intp],
    columns: Sequence[NDArray[Any]],
    problems: NDArray[np.object_],
) -> None:
    """Write ``parse`` of ``items`` at ``rows`` into ``columns`` and ``problems``, in place.

    ``parse`` runs once per distinct value and returns a tuple whose fields
    are, in order, one value per column and last the tuple of problem codes,
    stored ``;``-joined.

    >>> import numpy as np
    >>> size = np.zeros(3, dtype=np.int64)
    >>> notes = np.full(3, "", dtype=object)
    >>> fill_parsed(lambda v: (len(v), ("long",) if len(v) > 2 else ()),
    ...             ["ab", "abc", "abc"], np.array([1, 2]), [size], notes)
    >>> size.tolist(), notes.tolist()
    ([0, 3, 3], ['', 'long', 'long'])
    """
    if not len(rows):
        return
    if len(rows) <= FEW_ROWS:  # a lookup's record: each value parsed, nothing factorized
        distinct = [items[i] for i in rows.tolist()]
        inverse: Any = slice(None)
    else:
        distinct, inverse = factorize([items[i] for i in rows.tolist()])
    parsed = [parse(value) for value in distinct]
    fields = list(zip(*parsed, strict=True))
    for column, field in zip(columns, fields[:-1], strict=True):
        unique = np.empty(len(parsed), dtype=column.dtype)
        unique[:] = field
        column[rows] = unique[inverse]
    unique = np.empty(len(parsed), dtype=object)
    unique[:] = [";".join(p) for p in fields[-1]]
    problems[rows] = unique[inverse]

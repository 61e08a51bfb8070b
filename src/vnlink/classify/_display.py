"""Plain-text rendering of small result tables (threshold sweeps, parameters)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray


def _cell(value: Any) -> str:
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if np.isnan(v):
            return "nan"
        if v != 0 and (abs(v) >= 1e6 or abs(v) < 1e-3):
            return f"{v:.3g}"
        return f"{v:.4f}"
    return str(value)


def render(columns: dict[str, NDArray[Any]], n_rows: int, *, title: str, limit: int = 20) -> str:
    """A fixed-width text table; long tables show their head and tail."""
    if n_rows > limit:
        half = limit // 2
        rows = [*range(half), -1, *range(n_rows - half, n_rows)]
    else:
        rows = list(range(n_rows))
    names = list(columns)
    cells = [[("..." if r < 0 else _cell(columns[c][r])) for c in names] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(names)]
    lines = [title, "  ".join(c.rjust(w) for c, w in zip(names, widths, strict=True))]
    lines += ["  ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)

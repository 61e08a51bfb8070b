"""Bounded HTML tables for notebooks: a few rows and truncated cells, never the whole table."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

from vnlink.table import Table

__all__ = ["bounded_table_html"]


def _cell(value: Any, width: int) -> str:
    text = str(value)
    if isinstance(value, float):
        text = "" if math.isnan(value) else f"{value:.4g}"
    if len(text) > width:
        text = text[: width - 1] + "…"
    return html.escape(text)


def bounded_table_html(table: Table, columns: Sequence[str], *, title: str = "",
                       max_rows: int = 20, width: int = 60) -> str:
    """The first ``max_rows`` rows of ``columns``, cells cut at ``width`` characters.

    >>> t = Table({"a": [1, 2, 3], "b": ["<x>", "y" * 99, ""]})
    >>> out = bounded_table_html(t, ["a", "b"], max_rows=2, width=5)
    >>> "&lt;x&gt;" in out and "yyyy…" in out and "1 more row" in out
    True
    """
    n = table.n_rows
    shown = min(n, max_rows)
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    lists = {c: table[c][:shown].tolist() for c in columns}
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(lists[c][i], width)}</td>" for c in columns) + "</tr>"
        for i in range(shown)
    )
    more = n - shown
    foot = (f"<p>… {more:,} more row{'s' if more != 1 else ''} "
            f"(use .to_pandas() or .to_dicts() to see them)</p>" if more > 0 else "")
    caption = f"<p>{html.escape(title)}</p>" if title else ""
    return f"{caption}<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{foot}"

"""matplotlib on demand, with one install hint that works from an index and from source."""

from __future__ import annotations

from typing import Any

__all__ = ["INSTALL_HINT", "new_axes", "pyplot"]

#: What to run when matplotlib is missing (works for an install from an index and from source).
INSTALL_HINT = ("pip install 'matplotlib>=3.8' (the 'plot' extra: pip install 'vnlink[plot]' "
                "from a package index, or pip install -e '.[plot]' in a source checkout)")


def pyplot() -> Any:
    """``matplotlib.pyplot``, or an ImportError that says how to install it."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError(f"charts need matplotlib: {INSTALL_HINT}") from error
    return plt


def new_axes(ax: Any, size: tuple[float, float]) -> Any:
    """``ax``, or the axes of a new figure laid out so that no label is clipped."""
    if ax is not None:
        return ax
    _, new = pyplot().subplots(figsize=size, layout="constrained")
    return new

"""Stage timings and optional progress bars for the Linker.

A :class:`Stages` object times each named stage and, when asked and when
``tqdm`` is installed, shows one progress bar over the stages (``tqdm.auto``,
so notebooks get a widget). Progress output carries stage names and counts
only, never data values.

Examples
--------
>>> stages = Stages(["prepare", "block"], progress=False)
>>> with stages.stage("prepare"):
...     pass
>>> with stages.stage("block"):
...     pass
>>> sorted(stages.timings)
['block', 'prepare']
>>> stages.close()
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from vnlink._parallel import jobs

__all__ = ["Stages"]


def _make_bar(total: int, desc: str) -> Any:
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is optional
        return None
    return tqdm(total=total, desc=desc, unit="stage", leave=False)


class Stages:
    """Time named stages; show a progress bar over them if ``progress`` and tqdm is installed.

    Parameters
    ----------
    names
        The stages expected, in order (sets the bar's length).
    progress
        Show a bar (``tqdm.auto``) on standard error.
    desc
        The bar's label.
    n_jobs
        Processes (or threads) the work inside each stage may use
        (:func:`vnlink._parallel.jobs`; ``None``: this process only).
    """

    def __init__(
        self, names: Sequence[str], *, progress: bool = True, desc: str = "vnlink",
        n_jobs: int | None = None,
    ) -> None:
        self.names = list(names)
        self._n_jobs = n_jobs
        self.timings: dict[str, float] = {}
        self._desc = desc
        self._bar = _make_bar(len(self.names), desc) if progress and self.names else None

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the block as stage ``name`` (times add up if a stage runs twice)."""
        if self._bar is not None:
            self._bar.set_description(f"{self._desc}: {name}")
        start = time.perf_counter()
        try:
            with jobs(self._n_jobs):
                yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start
            if self._bar is not None:
                self._bar.update(1)

    def close(self) -> None:
        """Close the progress bar (if any)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None

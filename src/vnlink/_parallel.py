"""Work spread over processes: how many, and a pool of forked workers.

vnlink runs in one process unless asked (``n_jobs``, as in scikit-learn). Where it
is asked, the heaviest per-value work (parsing addresses) is split by a key that
keeps equal work together, and each part runs in a forked child that starts with
the parent's memory (reference data, memos). Without ``fork`` (Windows), or when
the calling process runs other threads (forking them is unsafe), the parts run
one after the other in this process: the result is the same, only slower.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from vnlink.exceptions import ConfigurationError

__all__ = ["check_jobs", "jobs", "map_parts", "requested_jobs"]

T = TypeVar("T")
R = TypeVar("R")

_JOBS: ContextVar[int] = ContextVar("vnlink_jobs", default=1)


def check_jobs(n_jobs: object) -> int:
    """The number of processes ``n_jobs`` asks for (scikit-learn's convention).

    ``None`` or ``1``: this process only; ``-1``: one per CPU; ``-2``: all but one...

    >>> check_jobs(None), check_jobs(2), check_jobs(-1) == (os.cpu_count() or 1)
    (1, 2, True)
    >>> check_jobs(0)
    Traceback (most recent call last):
    ...
    vnlink.exceptions.ConfigurationError: n_jobs must be None, a positive number ...
    """
    if n_jobs is None:
        return 1
    if not isinstance(n_jobs, int) or isinstance(n_jobs, bool) or n_jobs == 0:
        raise ConfigurationError(
            "n_jobs must be None, a positive number of processes or -1 (one per CPU), "
            "-2 (all but one)..."
        )
    if n_jobs > 0:
        return n_jobs
    return max(1, (os.cpu_count() or 1) + 1 + n_jobs)


@contextmanager
def jobs(n_jobs: int | None) -> Iterator[None]:
    """Within this block, work that can be spread uses ``n_jobs`` processes."""
    token = _JOBS.set(check_jobs(n_jobs))
    try:
        yield
    finally:
        _JOBS.reset(token)


def requested_jobs() -> int:
    """The number of processes the enclosing :func:`jobs` block asks for (default 1)."""
    return _JOBS.get()


def map_parts(func: Callable[[T], R], parts: Sequence[T], n_jobs: int) -> list[R]:
    """``[func(p) for p in parts]``, in up to ``n_jobs`` forked processes when possible.

    ``func`` must be a module-level function (the children find it by name).

    >>> map_parts(abs, [-1, 2, -3], 2)
    [1, 2, 3]
    """
    workers = min(n_jobs, len(parts))
    if workers <= 1 or not _can_fork():
        return [func(part) for part in parts]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return pool.map(func, parts, chunksize=1)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1

"""Shared helpers for the benchmarks: argument parsing, timing, peak memory, results files."""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def parse_args(description: str) -> argparse.Namespace:
    """Parse the common ``--quick`` flag (small sizes, seconds) of every benchmark."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="small sizes for CI (seconds)")
    return parser.parse_args()


@contextmanager
def timer() -> Iterator[dict[str, float]]:
    """``with timer() as t: ...`` then ``t["seconds"]``."""
    out: dict[str, float] = {}
    start = time.perf_counter()
    try:
        yield out
    finally:
        out["seconds"] = time.perf_counter() - start


def peak_memory_mb(*, children: bool = False) -> float:
    """Peak resident memory of this process so far (``children``: of its largest
    finished child process), in MiB (Linux reports KiB)."""
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    peak = resource.getrusage(who).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 1024 / 1024


def write_results(name: str, quick: bool, figures: dict[str, Any]) -> Path:
    """Write ``results/<name>.json`` (``<name>-quick.json`` for --quick); print a table."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / (f"{name}-quick.json" if quick else f"{name}.json")
    payload = {
        "benchmark": name,
        "quick": quick,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "figures": figures,
    }
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    width = max(len(k) for k in figures) if figures else 0
    print(f"{name}{' (quick)' if quick else ''}")
    for key, value in figures.items():
        shown = f"{value:,.3f}" if isinstance(value, float) else f"{value}"
        print(f"  {key:<{width}}  {shown}")
    print(f"  -> {path.relative_to(path.parents[2])}")
    return path

"""Bounded work on an adversarial registry: shared phone, shared CCCD, identical name + dob.

A synthetic registry (``--quick``: 8,000 people; else 100,000) is overwritten so
that 20,000 people share one phone, 20,000 others share one CCCD and 5,000
others have the same name and date of birth (``--quick``: 2,000 / 2,000 /
1,200), as placeholders typed at a desk do. A third of the records carry the
shared phone or CCCD or the name + dob.

Measured: ``Linker.fit``, ``Linker.link`` (``--quick``: 3,000 records, else
20,000) and ``RegistryIndex.query_many`` of 2,000 records, each with its time,
the step's peak RSS and its growth over the RSS before the step, the
candidate pairs and what blocking cut (pairs per rule, records carrying
``blocking_capped``). Twice: with the placeholders found at fit time, and with
them forgotten (``pipeline.placeholders = {}``), where only the one block cap
``max_block_pairs`` bounds the work. A clean registry of the same size gives the
normal ``query_many`` time for comparison.

The bound (written into the results): no block, i.e. one key value of one rule
times the records of one run holding it, makes more than ``max_block_pairs``
pairs; so a record has at most ``rules × max_block_pairs`` candidates, and
``query_many`` links ``QUERY_CHUNK`` records at a time.

    python benchmarks/bench_adversarial.py --quick
"""

from __future__ import annotations

import gc
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import parse_args, peak_memory_mb, write_results


def _overwrite(table: Any, rows: Any, values: dict[str, Any]) -> Any:
    from vnlink.table import Table

    columns = dict(table.columns)
    for name, value in values.items():
        column = np.asarray(columns[name], dtype=object).copy()
        column[rows] = value
        columns[name] = column
    return Table(columns, n_rows=table.n_rows)


def _adversarial(n: int, shared: tuple[int, int, int], seed: int = 7) -> tuple[Any, Any, Any, Any]:
    """(adversarial registry, records, clean registry, clean records)."""
    from vnlink.datasets import synthetic_linkage
    from vnlink.datasets.records import CorruptionProfile

    registry, records, _ = synthetic_linkage(n, seed=seed, profile=CorruptionProfile.clean())
    n_phone, n_id, n_name = shared
    rows = np.random.default_rng(seed).permutation(registry.n_rows)
    phone_rows = rows[:n_phone]
    id_rows = rows[n_phone:n_phone + n_id]
    name_rows = rows[n_phone + n_id:n_phone + n_id + n_name]
    bad = _overwrite(registry, phone_rows, {"phone": "0912000000"})
    bad = _overwrite(bad, id_rows, {"cccd": "001090000001"})
    bad = _overwrite(bad, name_rows, {"full_name": "Nguyễn Văn An", "dob": "1990-01-01"})
    r = np.arange(records.n_rows)
    bad_records = _overwrite(records, r[r % 9 == 0], {"phone": "0912000000"})
    bad_records = _overwrite(bad_records, r[r % 9 == 3], {"id_number": "001090000001"})
    bad_records = _overwrite(bad_records, r[r % 9 == 6],
                             {"full_name": "Nguyễn Văn An", "dob": "01/01/1990"})
    return bad, bad_records, registry, records


def _status_mb(field: str) -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:  # pragma: no cover - not Linux
        pass
    return float("nan")


def _reset_peak() -> bool:
    """Reset the peak RSS (Linux: ``5`` to ``/proc/self/clear_refs``); False if it cannot."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
        return True
    except OSError:  # pragma: no cover - not Linux, or not allowed
        return False


def _step(figures: dict[str, Any], name: str, run: Any) -> Any:
    """Run ``run()``; record its seconds, its peak RSS, its RSS growth and its warnings.

    The peak is the step's own (the kernel's high-water mark reset before it) when
    Linux allows; else the process's peak so far.
    """
    gc.collect()
    before = _status_mb("VmRSS")
    own_peak = _reset_peak()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        start = time.perf_counter()
        out = run()
        figures[f"{name}_seconds"] = round(time.perf_counter() - start, 3)
    peak = _status_mb("VmHWM") if own_peak else peak_memory_mb()
    figures[f"{name}_peak_rss_mb"] = round(peak, 1)
    figures[f"{name}_peak_growth_mb"] = round(peak - before, 1)
    figures[f"{name}_warnings"] = len([w for w in caught if "blocking cut" in str(w.message)])
    return out


def _cuts(figures: dict[str, Any], name: str, result: Any) -> None:
    blocking = result.summary()["blocking"]
    figures[f"{name}_pairs"] = int(result.n_pairs)
    figures[f"{name}_pairs_cut"] = blocking["pairs_cut"]
    figures[f"{name}_records_capped"] = blocking["records_capped"]


def main() -> None:
    args = parse_args(__doc__.splitlines()[0])
    from vnlink.blocking.pairs import PLACEHOLDER_MIN_ROWS, PLACEHOLDER_SHARE
    from vnlink.index import RegistryIndex
    from vnlink.link import Linker

    n = 8_000 if args.quick else 100_000
    shared = (2_000, 2_000, 1_200) if args.quick else (20_000, 20_000, 5_000)
    n_link = 3_000 if args.quick else 20_000
    n_query = 2_000
    registry, records, clean_registry, clean_records = _adversarial(n, shared)
    link_records = records.take(np.arange(min(n_link, records.n_rows)))
    query_records = records.take(np.arange(min(n_query, records.n_rows)))
    figures: dict[str, Any] = {
        "registry_rows": registry.n_rows,
        "shared_phone_rows": shared[0],
        "shared_cccd_rows": shared[1],
        "same_name_dob_rows": shared[2],
        "link_records": link_records.n_rows,
        "query_many_records": query_records.n_rows,
    }

    clean = Linker(progress=False).fit(clean_registry, clean_records)
    clean_index = clean.index(clean_registry)
    clean_query = clean_records.take(np.arange(n_query))
    start = time.perf_counter()
    clean_index.query_many(clean_query)
    figures["normal_query_many_seconds"] = round(time.perf_counter() - start, 3)
    del clean, clean_index

    linker = _step(figures, "fit", lambda: Linker(progress=False).fit(registry, records))
    pipe = linker.pipeline
    figures["bound"] = {
        "max_block_pairs": pipe.max_block_pairs,
        "max_pairs_per_record": len(pipe.rules) * pipe.max_block_pairs,
        "query_chunk_records": RegistryIndex.QUERY_CHUNK,
        "placeholder_rows_over": max(PLACEHOLDER_MIN_ROWS, int(PLACEHOLDER_SHARE * n)),
    }
    figures["placeholder_keys"] = {k: len(v) for k, v in pipe.placeholders.items()}
    result = _step(figures, "link", lambda: linker.link(registry, link_records))
    _cuts(figures, "link", result)
    index = _step(figures, "index_build", lambda: linker.index(registry))
    many = _step(figures, "query_many", lambda: index.query_many(query_records))
    _cuts(figures, "query_many", many)
    one = query_records.to_dicts()[0]
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(20):
            index.query(one)
    figures["query_ms"] = round((time.perf_counter() - start) / 20 * 1000, 2)
    del index

    # the cap alone: placeholders forgotten
    linker.placeholders_ = {}
    result = _step(figures, "cap_only_link", lambda: linker.link(registry, link_records))
    _cuts(figures, "cap_only_link", result)
    index = _step(figures, "cap_only_index_build", lambda: linker.index(registry))
    many = _step(figures, "cap_only_query_many", lambda: index.query_many(query_records))
    _cuts(figures, "cap_only_query_many", many)
    write_results("adversarial", args.quick, figures)


if __name__ == "__main__":
    main()

"""End to end: synthetic registry + records -> fit -> link -> evaluate, at growing sizes.

Registry sizes 10,000 / 100,000 / 1,000,000 (``--quick``: 5,000). At each size
the records linked are capped at ``--max-records`` (default 100,000: the
target is 100,000 records against a 1,000,000 registry in under 2 minutes on
2 cores). Reports record-level precision, recall and F1 (of all links and of
``verified`` links alone), records per status, seconds per stage, peak memory.

    python benchmarks/bench_end_to_end.py --quick
    python benchmarks/bench_end_to_end.py --sizes 10000 100000
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import peak_memory_mb, write_results


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes for CI (seconds)")
    parser.add_argument("--sizes", type=int, nargs="*", help="registry sizes to run")
    parser.add_argument("--max-records", type=int, default=100_000,
                        help="records linked at most per size (default 100,000)")
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


def _cap(records: Any, truth: Any, limit: int) -> tuple[Any, Any]:
    if records.n_rows <= limit:
        return records, truth
    keep = np.arange(limit)
    wanted = set(np.asarray(records["record_id"], dtype=object)[keep].tolist())
    mask = np.fromiter((str(r) in wanted for r in truth["record_id"].tolist()), dtype=bool)
    return records.take(keep), truth.take(np.flatnonzero(mask))


def run_size(n: int, max_records: int, seed: int) -> dict[str, Any]:
    from vnlink.datasets import synthetic_linkage
    from vnlink.evaluate import evaluate
    from vnlink.link import Linker

    out: dict[str, Any] = {}
    t0 = time.perf_counter()
    registry, records, truth = synthetic_linkage(n, seed=seed)
    out["generate_s"] = time.perf_counter() - t0
    records, truth = _cap(records, truth, max_records)
    out["registry_rows"] = registry.n_rows
    out["records"] = records.n_rows
    t0, c0 = time.perf_counter(), time.process_time()
    linker = Linker(progress=False)
    result = linker.fit_link(registry, records)  # fit (EM) and link in one pass
    out["fit_plus_link_s"] = time.perf_counter() - t0
    # CPU seconds of this process: the figure to compare when the machine is shared
    out["fit_plus_link_cpu_s"] = time.process_time() - c0
    for stage, seconds in result.timings.items():
        out[f"stage_{stage.replace(' ', '_')}_s"] = seconds
    out["pairs"] = result.n_pairs
    ev = evaluate(result, truth)
    out.update({
        "precision": ev.precision, "recall": ev.recall, "f1": ev.f1,
        "precision_verified": ev.precision_verified, "recall_verified": ev.recall_verified,
        "f1_verified": ev.f1_verified,
    })
    for status, s in ev.per_status.items():
        out[f"n_{status}"] = s["n"]
    worst = list(ev.by_error_type.items())[:5]
    for code, entry in worst:
        out[f"error_{code}_accuracy"] = round(entry["accuracy"], 4)
    out["peak_memory_mb"] = peak_memory_mb()
    if n <= 10_000:  # a results file a person can open
        result.to_csv(Path(__file__).resolve().parent / "results" / f"end_to_end_links_{n}.csv")
    del registry, records, truth, result, linker
    gc.collect()
    return out


def main() -> None:
    args = _args()
    sizes = args.sizes or ([5_000] if args.quick else [10_000, 100_000, 1_000_000])
    figures: dict[str, Any] = {}
    (Path(__file__).resolve().parent / "results").mkdir(exist_ok=True)
    for n in sizes:
        try:
            got = run_size(n, args.max_records, args.seed)
        except MemoryError:
            figures[f"n{n}_error"] = "out of memory"
            break
        for key, value in got.items():
            figures[f"n{n}_{key}"] = value
        print(f"registry {n:,}: F1 {got['f1']:.4f}, verified precision "
              f"{got['precision_verified']:.4f}, fit+link {got['fit_plus_link_s']:.1f} s",
              flush=True)
    figures["peak_memory_mb"] = peak_memory_mb()
    write_results("end_to_end", args.quick, figures)


if __name__ == "__main__":
    main()

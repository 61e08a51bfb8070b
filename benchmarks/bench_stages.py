"""The link stages after prepare: block, compare + score, decide (with explain), timed alone.

A linker is fitted on the hard synthetic profile (``synthetic_linkage(n, seed=16,
profile="hard")``); the prepared tables it kept are reused, so the figures are
the stages of ``Pipeline`` only, as ``Linker.link`` runs them:

- ``block_s``: candidate pairs (the tables' blocking keys are cached by the fit);
- ``encode_s``: the comparisons' per-table encodings (cached by the fit too, so ~0);
- ``compare_score_s``: levels, match weight and probability of every pair;
- ``decide_s``: best candidate and runner-up, status, reasons and corrections.

Each stage is given in wall and CPU seconds, with the peak resident memory
after it. Default registry: 200,000 people (``--size`` to change it; ``--quick``: 5,000).

    python benchmarks/bench_stages.py --quick
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import peak_memory_mb, write_results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes for CI (seconds)")
    parser.add_argument("--size", type=int, default=None, help="registry size (default 200000)")
    args = parser.parse_args()
    n = args.size or (5_000 if args.quick else 200_000)

    from vnlink import Linker
    from vnlink.datasets import synthetic_linkage

    registry, records, _ = synthetic_linkage(n, seed=16, profile="hard")
    linker = Linker(progress=False).fit(registry, records)
    left, right = linker.prepare(registry, "registry"), linker.prepare(records, "records")
    pipe = linker.pipeline
    gc.collect()
    figures: dict[str, Any] = {"registry": left.n_rows, "records": right.n_rows,
                               "memory_before_stages_mb": round(peak_memory_mb())}

    def stage(name: str, run: Any) -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        out = run()
        figures[f"{name}_s"] = round(time.perf_counter() - wall, 3)
        figures[f"{name}_cpu_s"] = round(time.process_time() - cpu, 3)
        figures[f"{name}_peak_mb"] = round(peak_memory_mb())
        return out

    pairs = stage("block", lambda: pipe.block(left, right))
    figures["pairs"] = len(pairs.left)
    stage("encode", lambda: pipe.compare((pairs.left[:1000], pairs.right[:1000]), left, right))
    scored = stage("compare_score", lambda: pipe.score_pairs(pairs, left, right))
    table = stage("decide", lambda: pipe.decide(left, right, scored))
    figures["stages_s"] = round(sum(figures[f"{s}_s"] for s in
                                    ("block", "encode", "compare_score", "decide")), 3)
    figures["pairs_per_s"] = round(len(scored) / max(figures["compare_score_s"], 1e-9))
    figures["records_decided_per_s"] = round(table.n_rows / max(figures["decide_s"], 1e-9))
    write_results("stages", args.quick, figures)


if __name__ == "__main__":
    main()

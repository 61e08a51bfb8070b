"""Real-time lookup: query latency of a RegistryIndex over a large registry, and its memory.

A linker is fitted on a small synthetic sample, then indexes a registry of
1,000,000 people (``--quick``: 5,000); single records are queried one by one
(``index.query``). Target: p99 latency < 5 ms on one core, memory < 1.5 GB.

Memory is given two ways: ``index_memory_mb``, the RSS growth of this process
(which also keeps what the allocator retains after generating and freeing the
synthetic tables), and ``loaded_index_memory_mb``, the RSS growth of a fresh
process that loads the saved index (``RegistryIndex.load``), as a lookup
service started from a built index would; that process also times queries
(``loaded_cpu_p50_ms``, ``loaded_cpu_p99_ms``). ``index_held_mb`` is what the built
index itself holds, counted object by object (array buffers, and each distinct object
of its object columns once, by ``sys.getsizeof``): unlike the RSS growth, it does not
count what the allocator keeps after preparing. (A tracemalloc figure would need
tracing during the build, which slows it several times over at 1M rows.)

    python benchmarks/bench_index.py --quick
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import peak_memory_mb, write_results


def _rss_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:  # pragma: no cover - not Linux
        pass
    return float("nan")


def _held_bytes(index: Any) -> int:
    """Bytes the index holds: its arrays, and each distinct object of an object column once."""
    seen: set[int] = set()
    total = index.nbytes + sum(a.nbytes for a in index._tf.values())
    prepared = index.prepared
    columns = [prepared[name] for name in prepared.column_names]
    columns += [np.asarray(prepared.source[name]) for name in prepared.source.column_names]
    if all(index._ids is not column for column in columns):
        columns.append(index._ids)
    for column in columns:
        total += column.nbytes
        if column.dtype == object:
            for value in column.tolist():
                if id(value) not in seen:
                    seen.add(id(value))
                    total += sys.getsizeof(value)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes for CI (seconds)")
    parser.add_argument("--persons", type=int, help="registry size (default 1,000,000)")
    parser.add_argument("--queries", type=int, default=2_000)
    args = parser.parse_args()
    n = args.persons or (5_000 if args.quick else 1_000_000)
    n_queries = min(args.queries, 300) if args.quick else args.queries

    from vnlink.datasets import synthetic_linkage
    from vnlink.link import Linker

    figures: dict[str, float | int] = {"registry_persons": n}
    t0 = time.perf_counter()
    sample_reg, sample_rec, _ = synthetic_linkage(min(n, 20_000), seed=1)
    linker = Linker(progress=False).fit(sample_reg, sample_rec)
    figures["fit_sample_s"] = time.perf_counter() - t0
    del sample_reg, sample_rec
    gc.collect()

    rss_baseline = _rss_mb()  # the fitted linker, before the big registry exists
    t0 = time.perf_counter()
    registry, records, _ = synthetic_linkage(n, seed=0)
    figures["generate_s"] = time.perf_counter() - t0
    rows = records.take(np.arange(min(records.n_rows, n_queries))).to_dicts()
    del records
    gc.collect()
    rss_before = _rss_mb()
    t0 = time.perf_counter()
    index = linker.index(registry)
    figures["index_build_s"] = time.perf_counter() - t0
    del registry
    gc.collect()
    # memory held because of the index: the process now holds the fitted linker and the
    # index (the generated tables are gone), so this is RSS minus the baseline before them
    figures["index_memory_mb"] = _rss_mb() - rss_baseline
    del rss_before
    figures["key_index_mb"] = index.nbytes / 2**20

    # A lookup service builds its index once: moving everything built so far out of the
    # cyclic garbage collector's reach (gc.freeze) removes collection pauses from queries.
    gc.freeze()
    for row in rows[:20]:  # warm caches
        index.query(row)
    latencies = []
    cpu = []
    for row in rows:
        t0, c0 = time.perf_counter(), time.thread_time()
        index.query(row, top_k=5)
        latencies.append(time.perf_counter() - t0)
        cpu.append(time.thread_time() - c0)
    ms = np.asarray(latencies) * 1000
    cpu_ms = np.asarray(cpu) * 1000
    figures["queries"] = len(rows)
    figures["p50_ms"] = float(np.percentile(ms, 50))
    figures["p95_ms"] = float(np.percentile(ms, 95))
    figures["p99_ms"] = float(np.percentile(ms, 99))
    figures["max_ms"] = float(ms.max())
    # CPU time of the querying thread: what one dedicated core would take (the machine is shared)
    figures["cpu_p50_ms"] = float(np.percentile(cpu_ms, 50))
    figures["cpu_p99_ms"] = float(np.percentile(cpu_ms, 99))
    t0 = time.perf_counter()
    index.query_many(rows)
    figures["query_many_per_record_ms"] = (time.perf_counter() - t0) * 1000 / len(rows)
    figures["peak_memory_mb"] = peak_memory_mb()
    figures["index_held_mb"] = _held_bytes(index) / 2**20  # after the peak: it allocates
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "index.npz"
        t0 = time.perf_counter()
        index.save(path)
        figures["save_s"] = time.perf_counter() - t0
        figures["index_file_mb"] = path.stat().st_size / 2**20
        queries = Path(tmp) / "queries.json"
        queries.write_text(json.dumps(rows[:500], ensure_ascii=False, default=str))
        del index
        gc.collect()
        out = subprocess.run([sys.executable, __file__, "--load", str(path), str(queries)],
                             check=True, capture_output=True, text=True).stdout
        figures.update(json.loads(out.strip().splitlines()[-1]))
    write_results("index", args.quick, figures)


def load_and_query(path: str, queries: str) -> None:
    """In a fresh process: RSS growth of loading the index, then CPU time per query."""
    from vnlink.link import Linker, RegistryIndex
    from vnlink.table import as_table

    rows = json.loads(Path(queries).read_text())
    # what any linker process holds without a registry (modules, reference data): the
    # model alone, preparing the query records once
    with np.load(path, allow_pickle=False) as data:
        model = json.loads(bytes(data["meta"]).decode())["model"]
    bare = Linker.from_dict(model, progress=False)
    bare.prepare(as_table(rows), "records")
    del bare, model
    gc.collect()
    before = _rss_mb()
    t0 = time.perf_counter()
    index = RegistryIndex.load(path)
    load_s = time.perf_counter() - t0
    gc.collect()
    grown = _rss_mb() - before
    gc.freeze()
    for row in rows[:20]:
        index.query(row)
    cpu = []
    for row in rows:
        c0 = time.thread_time()
        index.query(row, top_k=5)
        cpu.append(time.thread_time() - c0)
    cpu_ms = np.asarray(cpu) * 1000
    print(json.dumps({"loaded_index_memory_mb": grown, "load_s": load_s,
                      "loaded_cpu_p50_ms": float(np.percentile(cpu_ms, 50)),
                      "loaded_cpu_p99_ms": float(np.percentile(cpu_ms, 99))}))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--load":
        load_and_query(sys.argv[2], sys.argv[3])
    else:
        main()

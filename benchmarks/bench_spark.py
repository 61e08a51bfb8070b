"""vnlink on Spark (``local[2]``) against the in-memory Linker, on the same data and model.

A linker is fitted in memory on a synthetic registry of 200,000 people and
their vaccination records (``--quick``: 2,000 people), then links them twice:
``Linker.link`` in this process and :func:`vnlink.spark.link` on Spark
DataFrames. Reported:

- seconds per Spark stage (prepare registry, prepare records, blocking counts,
  candidate pairs, compare+score, best+decide) and in total, against the
  in-memory link in the same run (``overhead_ratio``, target <= 2);
- per-record and per-pair costs (for the sizing table in docs/scale.md);
- shuffle bytes written and read (Spark's REST status API, served by the
  driver on localhost: no network);
- peak executor memory: JVM heap and the Python workers' RSS (executor
  process-tree metrics, also from the REST API);
- the share of records with the same status and person on both paths.

Run one at a time (``flock /tmp/vnlink-bench.lock``):

    python benchmarks/bench_spark.py --quick
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import urllib.request
import warnings
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import peak_memory_mb, write_results


def _session(partitions: int) -> Any:
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("vnlink-bench")
        .config("spark.ui.enabled", "true")              # serves the REST status API
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", str(partitions))
        .config("spark.default.parallelism", str(partitions))
        .config("spark.driver.memory", "4g")
        .config("spark.executor.processTreeMetrics.enabled", "true")
        .config("spark.executor.metrics.pollingInterval", "500ms")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "20000")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _rest(spark: Any, path: str) -> Any:
    base = spark.sparkContext.uiWebUrl
    app = spark.sparkContext.applicationId
    if not base:
        return None
    try:
        with urllib.request.urlopen(f"{base}/api/v1/applications/{app}/{path}",
                                    timeout=30) as response:
            return json.loads(response.read())
    except OSError:
        return None


def _spark_metrics(spark: Any) -> dict[str, Any]:
    stages = _rest(spark, "stages?status=complete") or []
    executors = _rest(spark, "allexecutors") or []
    peak: dict[str, int] = {}
    for executor in executors:
        for key, value in (executor.get("peakMemoryMetrics") or {}).items():
            peak[key] = max(peak.get(key, 0), int(value))
    mb = 1024 * 1024
    return {
        "shuffle_write_mb": round(sum(s.get("shuffleWriteBytes", 0) for s in stages) / mb, 1),
        "shuffle_read_mb": round(sum(s.get("shuffleReadBytes", 0) for s in stages) / mb, 1),
        "peak_jvm_heap_mb": round(peak.get("JVMHeapMemory", 0) / mb, 1),
        "peak_python_workers_rss_mb": round(peak.get("ProcessTreePythonRSSMemory", 0) / mb, 1),
        "peak_jvm_rss_mb": round(peak.get("ProcessTreeJVMRSSMemory", 0) / mb, 1),
        "spark_stages": len(stages),
    }


def sizing(sizes: list[int]) -> dict[str, Any]:
    """Candidate pairs per record (``count_pairs``, no pair made) on growing registries.

    Extrapolated linearly in the registry size (blocks grow with it: a date of
    birth and a province hold more people in a bigger registry), for the
    sizing table of docs/scale.md.
    """
    from vnlink import Linker
    from vnlink.blocking import count_pairs
    from vnlink.datasets import synthetic_linkage

    out: dict[str, Any] = {}
    points: list[tuple[int, float]] = []
    linker = None
    for n in sizes:
        registry, records, _ = synthetic_linkage(n, seed=9)
        if linker is None:
            linker = Linker(progress=False).fit(registry, records)
        pipe = linker.pipeline
        report = count_pairs(pipe.rules, pipe.prepare(registry, "registry"),
                             pipe.prepare(records, "records"))
        per_record = report.total_pairs / records.n_rows
        points.append((registry.n_rows, per_record))
        out[f"pairs_per_record_at_{n}"] = round(per_record, 3)
    xs = [float(x) for x, _ in points]
    ys = [y for _, y in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / max(
        sum((x - mean_x) ** 2 for x in xs), 1e-9)
    out["pairs_per_record_per_million_registry_rows"] = round(slope * 1e6, 3)
    out["pairs_per_record_intercept"] = round(mean_y - slope * mean_x, 3)
    out["pairs_per_record_at_100M_extrapolated"] = round(mean_y + slope * (1e8 - mean_x), 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 people (a minute or two)")
    parser.add_argument("--persons", type=int, default=None, help="registry size")
    parser.add_argument("--sizing", action="store_true",
                        help="only count pairs per record on growing registries (no Spark)")
    args = parser.parse_args()
    if args.sizing:
        sizes = [5_000, 10_000, 20_000] if args.quick else [50_000, 100_000, 200_000, 400_000]
        write_results("spark-sizing", args.quick, sizing(sizes))
        return
    persons = args.persons or (2_000 if args.quick else 200_000)
    warnings.filterwarnings("ignore", category=FutureWarning)

    from vnlink import Linker
    from vnlink.datasets import synthetic_linkage
    from vnlink.table import Table

    registry, records, _ = synthetic_linkage(persons, seed=5)
    linker = Linker(progress=False).fit(registry, records)
    # a fresh linker from the model and fresh tables: nothing prepared or indexed by fit is reused
    fresh = Linker.from_dict(linker.to_dict(), progress=False)
    reg_copy = Table({k: v.copy() for k, v in registry.columns.items()})
    rec_copy = Table({k: v.copy() for k, v in records.columns.items()})
    start = time.perf_counter()
    memory = fresh.link(reg_copy, rec_copy)
    memory_seconds = time.perf_counter() - start
    del reg_copy, rec_copy
    memory_rows = memory.to_pandas()[["record_id", "status", "person_id"]]

    spark = _session(4 if args.quick else 16)
    from pyspark.sql import functions as F

    import vnlink.spark as vs
    from vnlink.spark import _bridge
    from vnlink.spark._blocking import candidate_pairs_df
    from vnlink.spark._link import decide_df
    from vnlink.spark._prepare import prepare_df
    from vnlink.spark._score import best_candidates, score_pairs

    registry_df = spark.createDataFrame(registry.to_arrow()).persist()
    records_df = spark.createDataFrame(records.to_arrow()).persist()
    registry_df.count()
    records_df.count()
    stages: dict[str, float] = {}
    total = time.perf_counter()
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        stages[name] = round(now - clock, 2)
        clock = now

    pipe = _bridge.fitted_pipeline(linker)
    left = prepare_df(pipe, registry_df, "registry", registry_tf=True)
    lap("prepare_registry_s")
    right = prepare_df(pipe, records_df, "records", registry_tf=False)
    lap("prepare_records_s")
    pairs, report = candidate_pairs_df(left, right, [r.name for r in pipe.rules],
                                       max_block_pairs=_bridge.MAX_BLOCK_PAIRS)
    lap("block_counts_s")
    pairs = pairs.persist()
    n_pairs = pairs.count()
    lap("block_pairs_s")
    scored = score_pairs(pipe, pairs, left, right, left_side="registry",
                         right_side="records").persist()
    scored.count()
    lap("compare_score_s")
    best = best_candidates(scored, len(pipe.comparisons.comparisons))
    result = decide_df(pipe, best, left, right)
    with tempfile.TemporaryDirectory() as folder:
        result.write.parquet(str(Path(folder) / "result"))
        lap("best_decide_write_s")
        spark_seconds = time.perf_counter() - total
        got = spark.read.parquet(str(Path(folder) / "result")).select(
            "record_id", F.col("status").alias("status_s"),
            F.col("person_id").alias("person_id_s")).toPandas()
    both = memory_rows.merge(got, on="record_id")
    same = float(((both["status"] == both["status_s"])
                  & (both["person_id"] == both["person_id_s"])).mean())
    metrics = _spark_metrics(spark)
    public_seconds = float("nan")
    if not args.quick:  # the public entry point, end to end, for the record
        start = time.perf_counter()
        vs.link(linker, registry_df, records_df).write.format("noop").mode("overwrite").save()
        public_seconds = time.perf_counter() - start
    spark.stop()

    figures: dict[str, Any] = {
        "persons": persons,
        "registry_rows": registry.n_rows,
        "records": records.n_rows,
        "candidate_pairs": int(n_pairs),
        "pairs_cut": report.pairs_cut,
        "blocks_salted": sum(r.blocks_salted for r in report.rules),
        "memory_link_s": round(memory_seconds, 2),
        "spark_link_s": round(spark_seconds, 2),
        "spark_link_public_s": round(public_seconds, 2),
        "overhead_ratio": round(spark_seconds / memory_seconds, 2),
        **stages,
        "us_per_registry_row_prepare": round(
            1e6 * stages["prepare_registry_s"] / registry.n_rows, 1),
        "us_per_record_prepare": round(1e6 * stages["prepare_records_s"] / records.n_rows, 1),
        "us_per_pair_score": round(1e6 * stages["compare_score_s"] / max(n_pairs, 1), 2),
        "same_status_and_person": round(same, 6),
        **metrics,
        "driver_peak_rss_mb": round(peak_memory_mb(), 1),
    }
    write_results("spark", args.quick, figures)


if __name__ == "__main__":
    main()

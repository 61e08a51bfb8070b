"""Recall, pair counts, speed and memory of blocking on synthetic Vietnamese data.

The registry and the records come from ``synthetic_linkage(n_registry,
profile="hard")`` (people outside the registry, twins, 01/01 placeholders;
docs/datasets.md); the records of a random tenth of them are blocked against
the whole registry (about 0.22 records per registry person; 10% are people
outside it). Registry is the left table, records the right.

Figures:

- pairs completeness (recall) of :func:`vnlink.blocking.default_rules` and of
  the proposed :func:`vnlink.blocking.extra_rules.hard_default_rules`, the
  candidates per record and the reduction ratio, per rule and cumulative
  (``rules`` and ``hard_rules``), and how many true pairs that share a
  reliable key (CCCD, CMND, phone) are missed (must be 0);
- seconds and pairs per second of ``candidate_pairs`` (end to end: key
  hashing, joins, union) and of ``count_pairs``. Blocking caches each key
  column's hashes and each rule's row grouping on the table, so the figures
  are given cold (``*_cold``: new tables, hashing and grouping included) and
  warm (the tables already blocked once, by ``count_pairs``, as a linker's
  fit and link do), in wall-clock and CPU seconds (the CPU figure is the
  steadier one on a busy machine), and for a new records table against the
  registry blocked before (``*_new_records``: the records hashed and grouped);
- a stress run: a deliberately loose rule (birth year and province) streamed
  with ``iter_candidate_pairs`` in chunks of 5 million pairs;
- peak resident memory of the process (it includes prepare()).

Run: ``python benchmarks/bench_blocking.py [--quick]`` (full: 1,000,000 people
in the registry, about 200,000 records; quick: 10,000 and about 2,000).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import parse_args, peak_memory_mb, timer, write_results

from vnlink import Table
from vnlink.blocking import (
    analyse_blocking,
    block_on,
    candidate_pairs,
    count_pairs,
    default_rules,
    iter_candidate_pairs,
)
from vnlink.blocking.extra_rules import hard_default_rules
from vnlink.datasets import synthetic_linkage
from vnlink.datasets.records import records_schema, registry_schema, true_pairs
from vnlink.prepare import prepare


def main() -> None:
    args = parse_args(__doc__.splitlines()[0])
    n_registry = 10_000 if args.quick else 1_000_000
    figures: dict[str, object] = {"n_registry": n_registry}

    with timer() as t:
        registry, records, truth = synthetic_linkage(n_registry, seed=7, profile="hard")
        rng = np.random.default_rng(7)
        sampled = np.sort(rng.choice(records.n_rows, records.n_rows // 10, replace=False))
        records, truth = records.take(sampled), truth.take(sampled)
    figures["generate_seconds"] = round(t["seconds"], 2)
    figures["n_records"] = records.n_rows

    with timer() as t:
        left = prepare(registry, registry_schema())
    figures["prepare_registry_seconds"] = round(t["seconds"], 2)
    with timer() as t:
        right = prepare(records, records_schema())
    figures["prepare_records_seconds"] = round(t["seconds"], 2)
    left_rows, right_rows = true_pairs(registry, truth)
    figures["n_true_pairs"] = len(left_rows)

    rules = default_rules()
    # new Table objects over the same columns carry none of the blocking caches
    cold_left, cold_right = Table(dict(left.columns)), Table(dict(right.columns))
    cpu = time.process_time()
    with timer() as t:
        cold = candidate_pairs(rules, cold_left, cold_right)
    cpu = time.process_time() - cpu
    del cold_left, cold_right
    figures["candidate_pairs_cold_seconds"] = round(t["seconds"], 3)
    figures["candidate_pairs_cold_cpu_seconds"] = round(cpu, 3)
    figures["pairs_per_second_cold"] = round(len(cold) / t["seconds"])

    with timer() as t:
        report = count_pairs(rules, left, right)
    figures["count_pairs_seconds"] = round(t["seconds"], 3)

    cpu = time.process_time()
    with timer() as t:
        pairs = candidate_pairs(rules, left, right)
    cpu = time.process_time() - cpu
    figures["candidate_pairs_seconds"] = round(t["seconds"], 3)
    figures["candidate_pairs_cpu_seconds"] = round(cpu, 3)
    figures["candidate_pairs"] = len(pairs)
    figures["pairs_per_second"] = round(len(pairs) / t["seconds"])
    figures["pairs_per_second_cpu"] = round(len(pairs) / cpu)
    assert np.array_equal(cold.left, pairs.left) and np.array_equal(cold.rule, pairs.rule)
    del cold

    # a new batch of records against the registry blocked before (the production case)
    new_right = Table(dict(right.columns))
    cpu = time.process_time()
    with timer() as t:
        batch = candidate_pairs(rules, left, new_right)
    cpu = time.process_time() - cpu
    figures["candidate_pairs_new_records_seconds"] = round(t["seconds"], 3)
    figures["candidate_pairs_new_records_cpu_seconds"] = round(cpu, 3)
    figures["pairs_per_second_new_records"] = round(len(batch) / t["seconds"])
    del batch, new_right
    figures["pairs_cut_by_block_cap"] = report.pairs_cut
    assert report.total_pairs == len(pairs), "count_pairs disagrees with candidate_pairs"

    with timer() as t:
        analysis = analyse_blocking(rules, left, right, (left_rows, right_rows))
    figures["analyse_seconds"] = round(t["seconds"], 3)
    figures["pairs_completeness"] = round(analysis.pairs_completeness, 5)
    figures["candidates_per_record"] = round(analysis.pairs_per_record, 2)
    figures["reduction_ratio"] = analysis.reduction_ratio
    figures["rules"] = _per_rule(analysis)
    figures["reliable_key_missed"] = _reliable_missed(analysis, left, right, left_rows, right_rows)

    hard_rules = hard_default_rules()
    with timer() as t:
        hard = analyse_blocking(hard_rules, left, right, (left_rows, right_rows))
    figures["hard_analyse_seconds"] = round(t["seconds"], 3)
    figures["hard_pairs_completeness"] = round(hard.pairs_completeness, 5)
    figures["hard_candidates_per_record"] = round(hard.pairs_per_record, 2)
    figures["hard_reduction_ratio"] = hard.reduction_ratio
    figures["hard_pairs_cut_by_block_cap"] = hard.report.pairs_cut
    figures["hard_reliable_key_missed"] = _reliable_missed(
        hard, left, right, left_rows, right_rows
    )
    cpu = time.process_time()
    with timer() as t:
        hard_pairs = candidate_pairs(hard_rules, left, right)
    figures["hard_candidate_pairs_seconds"] = round(t["seconds"], 3)
    figures["hard_candidate_pairs_cpu_seconds"] = round(time.process_time() - cpu, 3)
    per_record = np.bincount(hard_pairs.right, minlength=right.n_rows)
    figures["hard_records_without_candidates"] = int((per_record == 0).sum())
    figures["hard_true_records_without_candidates"] = int((per_record[right_rows] == 0).sum())
    figures["hard_candidates_p99"] = float(np.percentile(per_record, 99))
    del hard_pairs
    figures["hard_rules"] = _per_rule(hard)

    loose = block_on("dob_year", "province")
    with timer() as t:
        streamed = 0
        chunks = 0
        for chunk in iter_candidate_pairs(
            loose, left, right, chunk_pairs=5_000_000, max_block_pairs=None
        ):
            streamed += len(chunk)
            chunks += 1
    figures["stress_rule"] = loose.name
    figures["stress_pairs"] = streamed
    figures["stress_chunks"] = chunks
    figures["stress_pairs_per_second"] = round(streamed / t["seconds"])
    figures["peak_memory_mb"] = round(peak_memory_mb(), 1)

    print(analysis)
    print(hard)
    write_results("blocking", args.quick, figures)


def _per_rule(analysis: Any) -> list[dict[str, Any]]:
    """Each rule's pairs, the true pairs it alone adds, and the recall so far."""
    return [
        {
            "rule": r.rule,
            "pairs": r.pairs,
            "cumulative_pairs": r.cumulative_pairs,
            "true_pairs": r.true_pairs,
            "new_true_pairs": r.new_true_pairs,
            "cumulative_recall": round(r.cumulative_recall, 5),
        }
        for r in analysis.rules
    ]


def _reliable_missed(
    analysis: Any, left: Any, right: Any, left_rows: Any, right_rows: Any
) -> int:
    """Missed true pairs whose two rows share a CCCD, a CMND or a phone (should be 0)."""
    missed = analysis.missed
    shared = np.zeros(len(missed), dtype=bool)
    for column in ("id_cccd", "id_cmnd9", "phone"):
        a = left[column][left_rows[missed]]
        b = right[column][right_rows[missed]]
        shared |= (a == b) & (a != "")
    return int(shared.sum())


if __name__ == "__main__":
    main()

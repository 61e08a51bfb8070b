"""Compare and score candidate pairs per Arrow batch; best and runner-up by aggregation (internal).

A batch of pairs arrives joined to both sides' prepared columns (``l_*`` and
``r_*``); the bridge rebuilds the two prepared tables row for row and runs the
in-memory comparisons and classifier on them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pyarrow as pa
from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from vnlink.compare.households import REGISTRY_ROW, HouseholdNumbers
from vnlink.spark import _bridge
from vnlink.spark._arrow import batches_of, ddl, to_batch
from vnlink.spark._prepare import ROW, Prepared, batch_table, side_columns

__all__ = ["PAIR_BATCH", "best_candidates", "score_pairs"]

PAIR_BATCH = 100_000
"""Pairs compared per call of the in-memory comparisons."""


def score_pairs(pipe: Any, pairs: DataFrame, left: Prepared, right: Prepared, *,
                left_side: str, right_side: str) -> DataFrame:
    """``pairs`` (l, r, rule) with ``weight``, ``prob`` and the levels ``lv<j>``.

    The registry's holders of numbers by household (``left.households``) go to
    every task with the broadcast arrays; when ``right`` is ``left``
    (deduplication) the right rows are registry rows too, as in memory.
    """
    k = len(pipe.comparisons.comparisons)
    lay_l, lay_r = left.layout, right.layout
    lsel = left.df.select(F.col(ROW).alias("l"), *side_columns(lay_l, "l_", with_tf=True))
    rsel = right.df.select(F.col(ROW).alias("r"), *side_columns(lay_r, "r_", with_tf=False))
    joined = pairs.join(lsel, "l").join(rsel, "r")
    kinds = {"l": "i64", "r": "i64", "rule": "i8", "weight": "f64", "prob": "f64"}
    kinds.update({f"lv{j}": "i8" for j in range(k)})

    shipped = _bridge.ship(pipe)
    dedupe = right is left
    held = _broadcast(pairs, left.households)

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        task_pipe = shipped.get()
        left_schema, right_schema = task_pipe.schema(left_side), task_pipe.schema(right_side)
        households = _households(held)
        for chunk in batches_of(batches, PAIR_BATCH):
            lt = batch_table(chunk, lay_l, left_schema, "l_", with_tf=True)
            rt = batch_table(chunk, lay_r, right_schema, "r_", with_tf=False)
            if dedupe:
                rt.columns[REGISTRY_ROW] = np.ones(rt.n_rows, dtype=bool)
            weight, prob, lv = _bridge.score_batch(task_pipe, lt, rt, households)
            cols = {
                "l": chunk.column("l").to_numpy(),
                "r": chunk.column("r").to_numpy(),
                "rule": chunk.column("rule").to_numpy(),
                "weight": weight,
                "prob": prob,
            }
            for j in range(k):
                cols[f"lv{j}"] = lv[:, j]
            yield to_batch(cols, kinds)

    return joined.mapInArrow(run, ddl(kinds))


def _broadcast(pairs: DataFrame, households: HouseholdNumbers | None) -> Any:
    """The holders as a Spark broadcast of plain arrays (``None`` when there are none)."""
    if households is None:
        return None
    arrays = {c: (households.keys[c], households.counts[c]) for c in households.columns}
    return pairs.sparkSession.sparkContext.broadcast(arrays)


def _households(held: Any) -> HouseholdNumbers | None:
    """The broadcast holders (sorted already: rebuilt in linear time, once per task)."""
    if held is None:
        return None
    arrays = held.value
    return HouseholdNumbers({c: k for c, (k, _) in arrays.items()},
                            {c: n for c, (_, n) in arrays.items()})


def best_candidates(scored: DataFrame, k: int) -> DataFrame:
    """Per record ``r``: best and runner-up candidate, their weights, the best pair's levels
    ``lv<j>`` and the candidate count.

    Equal weights are ordered by registry row, lowest first, and NaN weighs
    least, as ``best_and_runner_up`` orders them in memory.
    """
    wkey = F.when(F.isnan("weight") | F.col("weight").isNull(), F.lit(float("-inf"))).otherwise(
        F.col("weight"))
    order = Window.partitionBy("r").orderBy(wkey.desc(), F.col("l").asc())
    ranked = scored.select(
        "r", "l", "rule", "weight", "prob", *[f"lv{j}" for j in range(k)],
        F.row_number().over(order).alias("rn"),
        F.count(F.lit(1)).over(Window.partitionBy("r")).alias("n"),
    ).where(F.col("rn") <= 2)
    first = F.col("rn") == 1
    second = F.col("rn") == 2
    return ranked.groupBy("r").agg(
        F.max(F.when(first, F.col("l"))).alias("best_l"),
        F.max(F.when(first, F.col("weight"))).alias("best_w"),
        F.max(F.when(first, F.col("prob"))).alias("best_p"),
        F.max(F.when(first, F.col("rule"))).alias("best_rule"),
        F.max(F.when(second, F.col("l"))).alias("second_l"),
        F.max(F.when(second, F.col("weight"))).alias("second_w"),
        F.max("n").alias("n_cand"),
        *[F.max(F.when(first, F.col(f"lv{j}"))).alias(f"lv{j}") for j in range(k)],
    )


def level_patterns(scored: DataFrame, k: int) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Distinct level patterns of scored pairs and their counts (collected: they are few)."""
    names = [f"lv{j}" for j in range(k)]
    rows = scored.groupBy(*names).agg(F.count(F.lit(1)).alias("n")).collect()
    patterns = np.asarray([[int(r[c]) for c in names] for r in rows], dtype=np.int8).reshape(-1, k)
    counts = np.asarray([int(r["n"]) for r in rows], dtype=np.int64)
    return patterns, counts

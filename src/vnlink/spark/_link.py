"""``vnlink.spark.link``: every record of a Spark DataFrame linked to the registry (internal)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from vnlink._table import Table
from vnlink.spark import _bridge
from vnlink.spark._arrow import batches_of, ddl, from_batch, kind_of, to_batch
from vnlink.spark._blocking import SALT_PAIRS, SparkBlockingReport, candidate_pairs_df
from vnlink.spark._prepare import ROW, Prepared, batch_table, prepare_df, side_columns
from vnlink.spark._score import best_candidates, score_pairs

__all__ = ["SparkLinkResult", "link", "link_with_report"]

DECIDE_BATCH = 50_000


@dataclass
class SparkLinkResult:
    """What :func:`vnlink.spark.link` returns.

    Attributes
    ----------
    df
        The LinkResult columns, one row per record (unordered, as Spark keeps rows).
    report
        The blocking report (per rule: pairs, blocks cut by the cap, blocks salted).
    scored
        The scored candidate pairs ``(l, r, rule, weight, prob)`` by ``_row``
        (persisted; call :meth:`unpersist` when done).
    """

    df: DataFrame
    report: SparkBlockingReport
    scored: DataFrame
    _held: list[DataFrame] = field(default_factory=list, repr=False)

    def unpersist(self) -> None:
        """Release the cached intermediate DataFrames."""
        for held in self._held:
            held.unpersist()


def result_kinds(linker: Any) -> dict[str, str]:
    """Kinds of the LinkResult columns (from a decision on no rows)."""
    reg_schema, rec_schema = linker.registry_schema_, linker.records_schema_
    empty_l = _bridge.prepare_batch(reg_schema, Table(
        {c: np.zeros(0, dtype=object) for c in reg_schema.columns()}, n_rows=0))
    empty_r = _bridge.prepare_batch(rec_schema, Table(
        {c: np.zeros(0, dtype=object) for c in rec_schema.columns()}, n_rows=0))
    none = _bridge.Best(
        has=np.zeros(0, dtype=bool), weight=np.zeros(0), prob=np.zeros(0),
        rule=np.zeros(0, dtype=np.int64), runner_id=np.zeros(0, dtype=object),
        runner_weight=np.zeros(0), n_candidates=np.zeros(0, dtype=np.int64))
    table = _bridge.decide_best(linker, empty_l, empty_r, none)
    return {c: kind_of(c, table[c]) for c in table.column_names}


def decide_df(linker: Any, best: DataFrame, left: Prepared, right: Prepared) -> DataFrame:
    """Join each record to its best and runner-up registry rows and decide per batch."""
    reg_schema, rec_schema = linker.registry_schema_, linker.records_schema_
    lay_l, lay_r = left.layout, right.layout
    rec = right.df.select(F.col(ROW).alias("r"), *side_columns(lay_r, "r_", with_tf=False))
    best_rows = left.df.select(F.col(ROW).alias("best_l"),
                               *side_columns(lay_l, "b_", with_tf=False))
    runner = left.df.select(F.col(ROW).alias("second_l"), F.col("record_id").alias("runner_id"))
    # records without a candidate get distinct negative keys (a null key would pile them
    # into one task of the join)
    joined = (rec.join(best, "r", "left")
              .withColumn("has", F.col("best_l").isNotNull())
              .withColumn("best_l", F.coalesce(F.col("best_l"), -1 - F.col("r")))
              .withColumn("second_l", F.coalesce(F.col("second_l"), -1 - F.col("r")))
              .join(best_rows, "best_l", "left")
              .join(runner, "second_l", "left"))
    kinds = result_kinds(linker)
    best_kinds = {"best_w": "f64", "best_p": "f64", "best_rule": "i64", "second_w": "f64",
                  "n_cand": "i64"}

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for chunk in batches_of(batches, DECIDE_BATCH):
            has = np.asarray(chunk.column("has").to_numpy(zero_copy_only=False), dtype=bool)
            right_t = batch_table(chunk, lay_r, rec_schema, "r_", with_tf=False)
            left_t = batch_table(chunk.filter(pa.array(has)), lay_l, reg_schema, "b_",
                                 with_tf=False)
            cols = from_batch(chunk, best_kinds)
            runner_ids = np.empty(chunk.num_rows, dtype=object)
            runner_ids[:] = chunk.column("runner_id").to_pylist()
            info = _bridge.Best(
                has=has, weight=cols["best_w"], prob=cols["best_p"],
                rule=cols["best_rule"], runner_id=runner_ids,
                runner_weight=cols["second_w"], n_candidates=cols["n_cand"])
            table = _bridge.decide_best(linker, left_t, right_t, info)
            yield to_batch(table.columns, kinds)

    return joined.mapInArrow(run, ddl(kinds))


def link(linker: Any, registry_df: DataFrame, records_df: DataFrame, *,
         salt_pairs: int = SALT_PAIRS) -> DataFrame:
    """The LinkResult of every record of ``records_df`` as a DataFrame (see :func:`link_with_report`).
    """
    return link_with_report(linker, registry_df, records_df, salt_pairs=salt_pairs).df


def link_with_report(linker: Any, registry_df: DataFrame, records_df: DataFrame, *,
                     salt_pairs: int = SALT_PAIRS) -> SparkLinkResult:
    """Link every record of ``records_df`` to ``registry_df`` with a fitted ``linker``.

    Returns the result DataFrame with the blocking report and the scored pairs.
    """
    reg_schema, rec_schema = _bridge.fitted_schemas(linker)
    _bridge.check_columns(reg_schema, list(registry_df.columns), "registry")
    _bridge.check_columns(rec_schema, list(records_df.columns), "records")
    rules = _bridge.rules_of(linker)
    left = prepare_df(linker, registry_df, "registry", registry_tf=True)
    right = prepare_df(linker, records_df, "records", registry_tf=False)
    pairs, report = candidate_pairs_df(left, right, [r.name for r in rules],
                                       max_block_pairs=_bridge.MAX_BLOCK_PAIRS,
                                       salt_pairs=salt_pairs)
    scored = score_pairs(linker, pairs, left, right, left_schema=reg_schema,
                         right_schema=rec_schema).persist()
    for row in scored.groupBy("rule").agg(F.count(F.lit(1)).alias("n")).collect():
        report.rules[int(row["rule"])].new_pairs = int(row["n"])
    for rule_report in report.rules:
        rule_report.new_pairs = max(rule_report.new_pairs, 0)
    best = best_candidates(scored)
    result = decide_df(linker, best, left, right)
    return SparkLinkResult(result, report, scored, [left.df, right.df, scored])

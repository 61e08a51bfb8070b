"""``vnlink.spark.link``: every record of a Spark DataFrame linked to the registry (internal)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from vnlink.pipeline import BestCandidates
from vnlink.spark import _bridge
from vnlink.spark._arrow import batches_of, ddl, from_batch, kind_of, to_batch
from vnlink.spark._blocking import SALT_PAIRS, SparkBlockingReport, candidate_pairs_df
from vnlink.spark._prepare import ROW, Prepared, batch_table, prepare_df, side_columns
from vnlink.spark._score import best_candidates, score_pairs
from vnlink.table import Table

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


def result_kinds(pipe: Any) -> dict[str, str]:
    """Kinds of the LinkResult columns (from a decision on no rows)."""
    empty_l = _bridge.prepare_batch(pipe.registry_schema, Table(
        {c: np.zeros(0, dtype=object) for c in pipe.registry_schema.columns()}, n_rows=0))
    empty_r = _bridge.prepare_batch(pipe.records_schema, Table(
        {c: np.zeros(0, dtype=object) for c in pipe.records_schema.columns()}, n_rows=0))
    none = BestCandidates(
        left_row=np.zeros(0, dtype=np.int64), weight=np.zeros(0), prob=np.zeros(0),
        rule=np.zeros(0, dtype=object), runner_up_left_row=np.zeros(0, dtype=np.int64),
        runner_up_weight=np.zeros(0), n_candidates=np.zeros(0, dtype=np.int64))
    table = _bridge.decide_best(pipe, empty_l, empty_r, none, np.zeros(0, dtype=object))
    return {c: kind_of(c, table[c]) for c in table.column_names}


def decide_df(pipe: Any, best: DataFrame, left: Prepared, right: Prepared) -> DataFrame:
    """Join each record to its best and runner-up registry rows and decide per batch."""
    lay_l, lay_r = left.layout, right.layout
    k = len(pipe.comparisons.comparisons)
    shipped = _bridge.ship(pipe)
    rule_names = np.asarray([r.name for r in pipe.rules], dtype=object)
    rec = right.df.select(F.col(ROW).alias("r"), *side_columns(lay_r, "r_", with_tf=False))
    best_rows = left.df.select(F.col(ROW).alias("best_l"),
                               *side_columns(lay_l, "b_", with_tf=False))
    runner = left.df.select(F.col(ROW).alias("second_l"), F.col("record_id").alias("runner_id"))
    # records without a candidate get distinct negative keys (a null key would pile them
    # into one task of the join)
    joined = (rec.join(best, "r", "left")
              .withColumn("has", F.col("best_l").isNotNull())
              .withColumn("has2", F.col("second_l").isNotNull())
              .withColumn("best_l", F.coalesce(F.col("best_l"), -1 - F.col("r")))
              .withColumn("second_l", F.coalesce(F.col("second_l"), -1 - F.col("r")))
              .join(best_rows, "best_l", "left")
              .join(runner, "second_l", "left"))
    kinds = result_kinds(pipe)
    best_kinds = {"best_w": "f64", "best_p": "f64", "best_rule": "i64", "second_w": "f64",
                  "n_cand": "i64", **{f"lv{j}": "i8" for j in range(k)}}

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        task_pipe = shipped.get()
        reg_schema, rec_schema = task_pipe.registry_schema, task_pipe.records_schema
        for chunk in batches_of(batches, DECIDE_BATCH):
            n = chunk.num_rows
            has = np.asarray(chunk.column("has").to_numpy(), dtype=bool)
            has2 = np.asarray(chunk.column("has2").to_numpy(), dtype=bool)
            right_t = batch_table(chunk, lay_r, rec_schema, "r_", with_tf=False)
            left_t = batch_table(chunk.filter(pa.array(has)), lay_l, reg_schema, "b_",
                                 with_tf=False)
            cols = from_batch(chunk, best_kinds)
            position = np.full(n, -1, dtype=np.int64)
            position[has] = np.arange(int(has.sum()))
            runner_ids = np.empty(n, dtype=object)
            runner_ids[:] = chunk.column("runner_id").to_pylist()
            rule = np.where(has, rule_names[np.clip(cols["best_rule"], 0, None)]
                            if len(rule_names) else "", "").astype(object)
            found = BestCandidates(
                left_row=position,
                weight=np.where(has, cols["best_w"], np.nan),
                prob=np.where(has, cols["best_p"], np.nan),
                rule=rule,
                runner_up_left_row=np.where(has2, 0, -1).astype(np.int64),
                runner_up_weight=np.where(has2, cols["second_w"], np.nan),
                n_candidates=np.where(has, cols["n_cand"], 0).astype(np.int64),
                levels=np.stack([cols[f"lv{j}"] for j in range(k)], axis=1).astype(np.int8)
                if k else None,
            )
            table = _bridge.decide_best(task_pipe, left_t, right_t, found, runner_ids)
            yield to_batch(table.columns, kinds)

    return joined.mapInArrow(run, ddl(kinds))


def link(linker: Any, registry_df: DataFrame, records_df: DataFrame, *,
         salt_pairs: int = SALT_PAIRS) -> DataFrame:
    """Link every record of ``records_df`` to ``registry_df``: the LinkResult as a DataFrame.

    Parameters
    ----------
    linker
        A fitted :class:`vnlink.Linker` (``fit`` in memory, :func:`vnlink.spark.fit`,
        or ``Linker.load``): its schemas, rules, comparisons and model are used as they are.
    registry_df, records_df
        Spark DataFrames with the columns the linker's schemas name.
    salt_pairs
        Blocks making more pairs than this are spread over several tasks.

    Returns
    -------
    DataFrame
        The columns of :class:`vnlink.LinkResult`, exactly one row per record
        (in no particular order). Use :func:`link_with_report` for the blocking report.

    Raises
    ------
    SchemaError
        Before any Spark job, when a column the schema names is missing.
    """
    return link_with_report(linker, registry_df, records_df, salt_pairs=salt_pairs).df


def link_with_report(linker: Any, registry_df: DataFrame, records_df: DataFrame, *,
                     salt_pairs: int = SALT_PAIRS) -> SparkLinkResult:
    """Link every record of ``records_df`` to ``registry_df`` with a fitted ``linker``.

    Returns the result DataFrame with the blocking report and the scored pairs.
    """
    pipe = _bridge.fitted_pipeline(linker)
    _bridge.check_columns(pipe.registry_schema, list(registry_df.columns), "registry")
    _bridge.check_columns(pipe.records_schema, list(records_df.columns), "records")
    left = prepare_df(pipe, registry_df, "registry", registry_tf=True)
    right = prepare_df(pipe, records_df, "records", registry_tf=False)
    pairs, report = candidate_pairs_df(left, right, [r.name for r in pipe.rules],
                                       max_block_pairs=_bridge.MAX_BLOCK_PAIRS,
                                       salt_pairs=salt_pairs)
    scored = score_pairs(pipe, pairs, left, right, left_side="registry",
                         right_side="records").persist()
    for row in scored.groupBy("rule").agg(F.count(F.lit(1)).alias("n")).collect():
        report.rules[int(row["rule"])].new_pairs = int(row["n"])
    for rule_report in report.rules:
        rule_report.new_pairs = max(rule_report.new_pairs, 0)
    best = best_candidates(scored, len(pipe.comparisons.comparisons))
    result = decide_df(pipe, best, left, right)
    return SparkLinkResult(result, report, scored, [left.df, right.df, scored])

"""Blocking as Spark joins on the rules' keys (internal).

Each rule is an equi-join of the two prepared DataFrames on its key column
``_k<i>`` (the same 64-bit key in-memory blocking groups on). Before joining,
the rows are counted per key, so that

- a block making more than ``max_block_pairs`` pairs is cut (left out and
  reported), as ``candidate_pairs`` does;
- a block making more than ``salt_pairs`` pairs (Nguyễn with a common date of
  birth) is split over several tasks: its right-hand rows get a salt
  ``0 .. s-1`` and its left-hand rows are copied once per salt, so no single
  task makes all of its pairs;
- a pair found by an earlier rule (same key there, block not cut) is dropped,
  so each pair belongs to the first rule that makes it.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from vnlink.spark._prepare import ROW, Prepared

__all__ = ["SALT_PAIRS", "SparkBlockingReport", "SparkRuleReport", "candidate_pairs_df"]

SALT_PAIRS = 50_000
"""Blocks making more pairs than this are split over several tasks."""

_MAX_SALT = 512


@dataclass
class SparkRuleReport:
    """What one rule did on Spark (counts only)."""

    rule: str
    pairs: int            # pairs of the rule's blocks after the cap (before the union)
    new_pairs: int        # pairs this rule added to the union (-1 until counted)
    blocks: int
    largest_block: int
    blocks_cut: int
    pairs_cut: int
    rows_cut: int
    blocks_salted: int


@dataclass
class SparkBlockingReport:
    """Per rule: pairs, blocks, what the cap cut and what was salted."""

    rules: list[SparkRuleReport]
    max_block_pairs: int | None
    salt_pairs: int

    @property
    def pairs_cut(self) -> int:
        """Pairs left out by the block-size cap, over all rules."""
        return sum(r.pairs_cut for r in self.rules)

    @property
    def total_pairs(self) -> int:
        """Candidate pairs after the union (once new pairs are counted)."""
        return sum(max(r.new_pairs, 0) for r in self.rules)

    def to_dicts(self) -> list[dict[str, Any]]:
        """One dict per rule."""
        return [asdict(r) for r in self.rules]


def _earlier_agree(i: int, cut: list[list[int]]) -> Column | None:
    """True where a pair agrees on the key of an earlier rule whose block was not cut."""
    cond: Column | None = None
    for j in range(i):
        same = F.col(f"lk{j}").isNotNull() & (F.col(f"lk{j}") == F.col(f"rk{j}"))
        if cut[j]:
            same = same & ~F.col(f"lk{j}").isin(cut[j])
        same = F.coalesce(same, F.lit(False))
        cond = same if cond is None else (cond | same)
    return cond


def _key_counts(df: DataFrame, n_rules: int, name: str) -> DataFrame:
    """Rows per ``(rule, key)`` of every rule's key column, in one pass over ``df``."""
    keys = F.array(*[F.struct(F.lit(i).alias("rule"), F.col(f"_k{i}").alias("key"))
                     for i in range(n_rules)])
    exploded = df.select(F.explode(keys).alias("x")).select("x.rule", "x.key")
    return (exploded.where(F.col("key").isNotNull()).groupBy("rule", "key")
            .agg(F.count(F.lit(1)).alias(name)))


def candidate_pairs_df(
    left: Prepared,
    right: Prepared | None,
    rule_names: list[str],
    *,
    max_block_pairs: int | None,
    salt_pairs: int = SALT_PAIRS,
) -> tuple[DataFrame, SparkBlockingReport]:
    """Candidate pairs ``(l, r, rule)`` of the union of the rules; ``right=None``: dedupe.

    Rows are ``_row`` numbers; in dedupe mode each pair once with ``l < r``.
    Collects only per-rule counts and the keys of oversized blocks.
    """
    dedupe = right is None
    spark = left.df.sparkSession
    source = left if dedupe else right
    assert source is not None
    n_rules = len(rule_names)
    cap = max_block_pairs if max_block_pairs is not None else (1 << 62)
    # rows per (rule, key) on each side: every rule's keys in one pass and one shuffle
    nl = _key_counts(left.df, n_rules, "nl")
    if dedupe:
        blocks = nl.withColumn("nr", F.col("nl")).withColumn(
            "np", F.col("nl") * (F.col("nl") - 1) / 2)
    else:
        nr = _key_counts(source.df, n_rules, "nr")
        blocks = nl.join(nr, ["rule", "key"]).withColumn("np", F.col("nl") * F.col("nr"))
    blocks = blocks.withColumn("np", F.col("np").cast("long")).where(F.col("np") > 0).persist()
    is_cut = F.col("np") > F.lit(cap)
    rows = F.col("nl") if dedupe else F.col("nl") + F.col("nr")
    stats = {int(r["rule"]): r for r in blocks.groupBy("rule").agg(
        F.sum(F.when(~is_cut, F.col("np")).otherwise(0)).alias("pairs"),
        F.sum(F.when(~is_cut, 1).otherwise(0)).alias("blocks"),
        F.max("np").alias("largest"),
        F.sum(F.when(is_cut, 1).otherwise(0)).alias("blocks_cut"),
        F.sum(F.when(is_cut, F.col("np")).otherwise(0)).alias("pairs_cut"),
        F.sum(F.when(is_cut, rows).otherwise(0)).alias("rows_cut"),
    ).collect()}
    heavy_rows = blocks.where(F.col("np") > F.lit(min(salt_pairs, cap))).select(
        "rule", "key", "np").collect()
    blocks.unpersist()
    parts: list[DataFrame] = []
    reports: list[SparkRuleReport] = []
    cut_keys: list[list[int]] = []
    for i, name in enumerate(rule_names):
        key = F.col(f"_k{i}")
        earlier_l = [F.col(f"_k{j}").alias(f"lk{j}") for j in range(i)]
        earlier_r = [F.col(f"_k{j}").alias(f"rk{j}") for j in range(i)]
        lsel = left.df.where(key.isNotNull()).select(F.col(ROW).alias("l"), key.alias("key"),
                                                     *earlier_l)
        rsel = source.df.where(key.isNotNull()).select(F.col(ROW).alias("r"), key.alias("key"),
                                                       *earlier_r)
        heavy = [r for r in heavy_rows if int(r["rule"]) == i]
        cut = sorted(int(r["key"]) for r in heavy if int(r["np"]) > cap)
        salted = [(int(r["key"]), min(_MAX_SALT, math.ceil(int(r["np"]) / salt_pairs)))
                  for r in heavy if int(r["np"]) <= cap]
        salted = [(k, s) for k, s in salted if s > 1]
        cut_keys.append(cut)
        got = stats.get(i)
        reports.append(SparkRuleReport(
            rule=name, pairs=int(got["pairs"] or 0) if got else 0, new_pairs=-1,
            blocks=int(got["blocks"] or 0) if got else 0,
            largest_block=int(got["largest"] or 0) if got else 0,
            blocks_cut=int(got["blocks_cut"] or 0) if got else 0,
            pairs_cut=int(got["pairs_cut"] or 0) if got else 0,
            rows_cut=int(got["rows_cut"] or 0) if got else 0, blocks_salted=len(salted),
        ))
        if cut:
            lsel = lsel.where(~F.col("key").isin(cut))
            rsel = rsel.where(~F.col("key").isin(cut))
        if salted:
            salts = F.broadcast(spark.createDataFrame(salted, "key long, s int"))
            lsel = (lsel.join(salts, "key", "left")
                    .withColumn("salt", F.explode(F.sequence(F.lit(0),
                                                             F.coalesce(F.col("s"), F.lit(1)) - 1)))
                    .drop("s"))
            rsel = (rsel.join(salts, "key", "left")
                    .withColumn("salt", F.pmod(F.col("r"), F.coalesce(F.col("s"), F.lit(1))))
                    .drop("s"))
            joined = lsel.join(rsel, ["key", "salt"])
        else:
            joined = lsel.join(rsel, "key")
        if dedupe:
            joined = joined.where(F.col("l") < F.col("r"))
        drop = _earlier_agree(i, cut_keys)
        if drop is not None:
            joined = joined.where(~drop)
        parts.append(joined.select("l", "r", F.lit(i).cast("tinyint").alias("rule")))
    pairs = parts[0]
    for part in parts[1:]:
        pairs = pairs.unionByName(part)
    report = SparkBlockingReport(reports, max_block_pairs, salt_pairs)
    return pairs, report

"""``vnlink.spark.dedupe``: clusters of records of the same person, in Spark (internal).

Edges are the scored pairs at or above ``threshold``; clusters are their
connected components, found by label propagation in Spark (each row takes the
smallest row number it is connected to, with pointer jumping), never by
collecting the pairs. Components above ``max_cluster_size`` are split again on
stricter edges, as ``Linker.dedupe`` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from vnlink.exceptions import ConfigurationError
from vnlink.spark import _bridge
from vnlink.spark._blocking import SALT_PAIRS, candidate_pairs_df
from vnlink.spark._prepare import ROW, prepare_df
from vnlink.spark._score import score_pairs

__all__ = ["connected_components", "dedupe"]

_MAX_ROUNDS = 100


def connected_components(edges: DataFrame) -> DataFrame:
    """``(v, c)``: each vertex of the edges ``(a, b)`` and the smallest vertex of its component.

    Edges ``(1, 2), (2, 3), (7, 8)`` give ``(1, 1), (2, 1), (3, 1), (7, 7), (8, 7)``.
    """
    both = edges.select("a", "b").unionByName(edges.select(F.col("b").alias("a"),
                                                           F.col("a").alias("b")))
    both = both.distinct().localCheckpoint(eager=True)
    labels = both.groupBy(F.col("a").alias("v")).agg(
        F.least(F.col("a"), F.min("b")).alias("c")).localCheckpoint(eager=True)
    for _ in range(_MAX_ROUNDS):
        # each vertex takes the smallest label among its neighbours' labels
        proposed = (both.join(labels.select(F.col("v").alias("b"), F.col("c").alias("cb")), "b")
                    .groupBy(F.col("a").alias("v")).agg(F.min("cb").alias("m")))
        stepped = labels.join(proposed, "v").select("v", F.least("c", "m").alias("c"))
        # pointer jumping: a label's own label
        jumped = (stepped.join(stepped.select(F.col("v").alias("c"), F.col("c").alias("cc")),
                               "c", "left")
                  .select("v", F.least(F.col("c"), F.coalesce(F.col("cc"), F.col("c")))
                          .alias("c")))
        jumped = jumped.localCheckpoint(eager=True)
        changed = (jumped.join(labels.select("v", F.col("c").alias("old")), "v")
                   .where(F.col("c") != F.col("old")).limit(1).count())
        labels = jumped
        if changed == 0:
            break
    return labels


def dedupe(linker: Any, df: DataFrame, *, threshold: float = 0.99, max_cluster_size: int = 8,
           strict_thresholds: Sequence[float] = (0.999, 0.9999, 0.99999),
           salt_pairs: int = SALT_PAIRS) -> DataFrame:
    """``record_id, cluster_id, cluster_size, max_match_probability`` per row of ``df``."""
    pipe = _bridge.fitted_pipeline(linker)
    rec_schema = pipe.records_schema
    if not 0.0 <= threshold <= 1.0:
        raise ConfigurationError(f"threshold must be a probability, got {threshold}")
    if max_cluster_size < 2:
        raise ConfigurationError(f"max_cluster_size must be >= 2, got {max_cluster_size}")
    _bridge.check_columns(rec_schema, list(df.columns), "records")
    rules = _bridge.rules_of(pipe)
    prepared = prepare_df(pipe, df, "records", registry_tf=True)
    pairs, _ = candidate_pairs_df(prepared, None, [r.name for r in rules],
                                  max_block_pairs=_bridge.MAX_BLOCK_PAIRS, salt_pairs=salt_pairs)
    scored = score_pairs(pipe, pairs, prepared, prepared, left_side="records",
                         right_side="records")
    edges = scored.select(F.col("l").alias("a"), F.col("r").alias("b"), "prob").localCheckpoint(
        eager=True)
    labels = connected_components(edges.where(F.col("prob") >= threshold))
    rows = prepared.df.select(F.col(ROW).alias("v"), "record_id")
    for strict in strict_thresholds:
        current = rows.join(labels, "v", "left").select(
            "v", F.coalesce(F.col("c"), F.col("v")).alias("c"))
        sizes = current.groupBy("c").agg(F.count(F.lit(1)).alias("size"))
        big = current.join(sizes, "c").where(F.col("size") > max_cluster_size).select("v")
        big = big.localCheckpoint(eager=True)
        if big.limit(1).count() == 0:
            break
        keep = (edges.where(F.col("prob") >= strict)
                .join(big.select(F.col("v").alias("a")), "a")
                .join(big.select(F.col("v").alias("b")), "b"))
        sub = connected_components(keep)
        in_big = (big.join(sub, "v", "left")
                  .select("v", F.coalesce(F.col("c"), F.col("v")).alias("c_new")))
        labels = (current.join(in_big, "v", "left")
                  .select("v", F.coalesce(F.col("c_new"), F.col("c")).alias("c"))
                  .localCheckpoint(eager=True))
    final = rows.join(labels, "v", "left").select(
        "v", "record_id", F.coalesce(F.col("c"), F.col("v")).alias("cluster_id"))
    sizes = final.groupBy("cluster_id").agg(F.count(F.lit(1)).alias("cluster_size"))
    touching = edges.select(F.col("a").alias("v"), "prob").unionByName(
        edges.select(F.col("b").alias("v"), "prob"))
    best = touching.groupBy("v").agg(F.max("prob").alias("max_match_probability"))
    return (final.join(sizes, "cluster_id")
            .join(best, "v", "left")
            .select("record_id", F.col("cluster_id").cast("long"),
                    F.col("cluster_size").cast("long"),
                    F.coalesce(F.col("max_match_probability"), F.lit(float("nan")))
                    .alias("max_match_probability")))

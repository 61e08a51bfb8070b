"""``vnlink.spark.fit``: train a Linker on Spark DataFrames (internal).

The maths of ``Linker.fit`` without truth:

- m and the prior by EM on the *level-pattern counts* of the candidate pairs
  (aggregated by Spark; the patterns are few, so EM runs on the driver);
- u from random registry x record pairs: the same pairs ``estimate_u`` draws
  (row numbers from the linker's seed), compared by Spark;
- term frequencies are counted by Spark when linking (``tf__<column>``).

Only counts, patterns and the random row numbers travel to or from the driver.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from vnlink.exceptions import ConfigurationError
from vnlink.spark import _bridge
from vnlink.spark._blocking import SALT_PAIRS, candidate_pairs_df
from vnlink.spark._prepare import prepare_df
from vnlink.spark._score import level_patterns, score_pairs

__all__ = ["fit"]

_U_CHUNK = 1_000_000  # estimate_u's chunk_size: the draws come in this order


def random_pairs(n_left: int, n_right: int, n_pairs: int, seed: int) -> tuple[
    np.ndarray[Any, np.dtype[np.int64]], np.ndarray[Any, np.dtype[np.int64]]
]:
    """The row numbers ``estimate_u`` draws for ``n_pairs`` random pairs.

    >>> li, ri = random_pairs(10, 5, 3, 0)
    >>> li.tolist(), ri.tolist()
    ([8, 6, 5], [1, 1, 0])
    """
    rng = np.random.default_rng(seed)
    lefts, rights = [], []
    done = 0
    while done < n_pairs:
        size = min(_U_CHUNK, n_pairs - done)
        lefts.append(rng.integers(0, n_left, size=size, dtype=np.int64))
        rights.append(rng.integers(0, n_right, size=size, dtype=np.int64))
        done += size
    return np.concatenate(lefts), np.concatenate(rights)


def fit(linker: Any, registry_df: DataFrame, records_df: DataFrame, *,
        salt_pairs: int = SALT_PAIRS) -> Any:
    """Fit ``linker`` (unsupervised) on the two DataFrames and return it."""
    _bridge.unfitted_setup(linker, list(registry_df.columns), list(records_df.columns))
    reg_schema, rec_schema = linker.registry_schema_, linker.records_schema_
    _bridge.check_columns(reg_schema, list(registry_df.columns), "registry")
    _bridge.check_columns(rec_schema, list(records_df.columns), "records")
    spark = registry_df.sparkSession
    pipe = _bridge.training_pipeline(linker)
    rules = _bridge.rules_of(pipe)
    k = len(pipe.comparisons.comparisons)
    left = prepare_df(pipe, registry_df, "registry", registry_tf=False)
    right = prepare_df(pipe, records_df, "records", registry_tf=False)
    try:
        pairs, _ = candidate_pairs_df(left, right, [r.name for r in rules],
                                      max_block_pairs=_bridge.MAX_BLOCK_PAIRS,
                                      salt_pairs=salt_pairs)
        pairs = pairs.persist()
        n_pairs = pairs.count()
        if n_pairs == 0:
            raise ConfigurationError(
                "blocking found no candidate pairs to learn from: check the schema "
                "(which columns hold name, date of birth, ID) and the blocking rules"
            )
        sample = pairs
        if n_pairs > linker.max_fit_pairs:
            sample = pairs.sample(fraction=min(1.0, 1.05 * linker.max_fit_pairs / n_pairs),
                                  seed=linker.random_state).limit(linker.max_fit_pairs)
        scored = score_pairs(pipe, sample, left, right, left_side="registry",
                             right_side="records")
        patterns, counts = level_patterns(scored, k)
        pairs.unpersist()
        u = None
        n_all = left.n_rows * right.n_rows
        if linker.u_pairs > 0:
            n_u = max(1, min(linker.u_pairs, n_all))
            li, ri = random_pairs(left.n_rows, right.n_rows, n_u, linker.random_state)
            drawn = pa.table({"l": li, "r": ri, "rule": np.zeros(n_u, dtype=np.int8)})
            random_df = spark.createDataFrame(drawn)
            random_df = random_df.select(F.col("l").cast("long"), F.col("r").cast("long"),
                                         F.col("rule").cast("tinyint"))
            u_scored = score_pairs(pipe, random_df, left, right, left_side="registry",
                                   right_side="records")
            u_patterns, u_counts = level_patterns(u_scored, k)
            u = _bridge.u_from_patterns(linker, u_patterns, u_counts)
        _bridge.fit_em(linker, patterns, counts, n_pairs, n_all, u)
        _bridge.set_fitted(linker)
    finally:
        left.df.unpersist()
        right.df.unpersist()
    return linker

"""Prepare a Spark DataFrame with vnlink's own ``prepare``, one Arrow batch at a time (internal).

The prepared DataFrame holds, per input row:

- ``_row``: the row's position in the DataFrame (0, 1, 2 ... in partition order),
  the row index the in-memory pipeline would give it;
- every derived column of :func:`vnlink.prepare.prepare` (``name_fold``,
  ``dob_year`` ...), ``record_id`` and ``problems``;
- ``_src_<i>``: the address as typed (corrections quote it);
- ``_k<i>``: the 64-bit key of blocking rule ``i`` (null where missing), cut by
  the same code as in-memory blocking;
- on the registry, ``tf__<column>``: the registry-wide relative frequency of the
  row's value for each term-frequency comparison (counted by Spark).

On the registry, Spark also counts the holders of numbers by household
(:class:`~vnlink.compare.households.HouseholdNumbers`) once; the tasks that
compare pairs look them up there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
from pyspark import StorageLevel
from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from vnlink.compare.households import HouseholdNumbers
from vnlink.spark import _bridge
from vnlink.spark._arrow import batches_of, blank_to_none, ddl, from_batch, kind_of, to_batch
from vnlink.table import Table, as_table

__all__ = ["Layout", "Prepared", "batch_table", "prepare_df", "side_columns", "with_row_index"]

ROW = "_row"
BATCH_ROWS = 50_000


@dataclass(frozen=True)
class Layout:
    """What the columns of a prepared DataFrame are (plain data, shipped to the tasks)."""

    kinds: dict[str, str]        # derived columns (+ record_id, problems) -> kind
    source_columns: list[str]    # input address columns, stored as _src_<i>
    tf_columns: list[str]        # term-frequency columns, stored as tf__<column>


@dataclass
class Prepared:
    """A prepared DataFrame (persisted), its layout and row count; on the registry, its
    holders of numbers by household (when a comparison looks them up)."""

    df: DataFrame
    layout: Layout
    n_rows: int
    households: HouseholdNumbers | None = None


def with_row_index(df: DataFrame) -> DataFrame:
    """``df`` with ``_row``: 0, 1, 2 ... in partition order (one small counting job)."""
    mid = df.withColumn("_mid", F.monotonically_increasing_id())
    part = F.shiftright(F.col("_mid"), 33)
    counts = sorted(
        (int(r["p"]), int(r["n"]))
        for r in mid.groupBy(part.alias("p")).agg(F.count(F.lit(1)).alias("n")).collect()
    )
    offsets: list[tuple[int, int]] = []
    total = 0
    for p, n in counts:
        offsets.append((p, total))
        total += n
    spark = df.sparkSession
    table = spark.createDataFrame(offsets or [(0, 0)], "p long, offset long")
    out = (mid.withColumn("p", part)
           .join(F.broadcast(table), "p", "left")
           .withColumn(ROW, F.col("offset") + F.col("_mid") - F.shiftleft(F.col("p"), 33))
           .drop("_mid", "p", "offset"))
    return out


def _address_columns(schema: Any) -> list[str]:
    spec = getattr(schema, "address", None)
    if not spec:
        return []
    return [spec] if isinstance(spec, str) else list(spec)


def derived_kinds(schema: Any) -> dict[str, str]:
    """Kinds of the columns ``prepare`` makes under ``schema`` (from a prepare of no rows)."""
    empty = Table({c: np.zeros(0, dtype=object) for c in schema.columns()}, n_rows=0)
    prepared = _bridge.prepare_batch(schema, empty)
    return {c: kind_of(c, prepared[c]) for c in prepared.column_names}


def prepare_df(pipe: Any, df: DataFrame, side: str, *, registry_tf: bool,
               holders: bool | None = None) -> Prepared:
    """Prepare ``df`` (the registry or the records side of the pipeline), persisted.

    ``registry_tf``: count the term frequencies of ``df`` (the registry, or the
    table deduplicated). ``holders``: count its holders of numbers by household
    (by default with the term frequencies, and always on the registry side).

    Raises the in-memory ``SchemaError`` before any job when a column is missing.
    """
    schema = pipe.schema(side)
    _bridge.check_columns(schema, list(df.columns), side)
    rules = _bridge.rules_of(pipe)
    tf_columns = _bridge.tf_columns(pipe) if registry_tf else []
    if holders is None:
        holders = registry_tf or side == "registry"
    holder_columns = _bridge.holder_columns(pipe) if holders else []
    kinds = derived_kinds(schema)
    inputs = list(dict.fromkeys(schema.columns()))
    shipped = _bridge.ship(pipe)
    sources = _address_columns(schema)
    has_ids = "record_id" in schema.fields_used()
    out_kinds: dict[str, str] = {ROW: "i64", **kinds}
    out_kinds.update({f"_src_{i}": "str" for i in range(len(sources))})
    out_kinds.update({f"_k{i}": "i64" for i in range(len(rules))})
    out_kinds.update({f"_tfv_{c}": "str" for c in tf_columns})
    out_kinds.update({f"_hh_{i}": "i64" for i in range(len(holder_columns))})

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        task_pipe = shipped.get()
        task_schema = task_pipe.schema(side)
        task_rules = _bridge.rules_of(task_pipe)
        for chunk in batches_of(batches, BATCH_ROWS):
            rows = chunk.column(ROW).to_numpy()
            source = as_table(chunk.select(inputs))
            prepared = _bridge.prepare_batch(task_schema, source)
            cols = dict(prepared.columns)
            if not has_ids:  # the in-memory default id is the row number
                ids = np.empty(len(rows), dtype=object)
                ids[:] = [str(r) for r in rows.tolist()]
                cols["record_id"] = ids
            cols[ROW] = rows
            for i, c in enumerate(sources):
                text = np.empty(source.n_rows, dtype=object)
                text[:] = [None if v is None else str(v) for v in source[c].tolist()]
                cols[f"_src_{i}"] = text
            for i, rule in enumerate(task_rules):
                hashes, present = _bridge.rule_keys(rule, prepared, probe=side == "records")
                keys = np.empty(len(rows), dtype=object)
                keys[:] = hashes.view(np.int64).tolist()
                keys[~present] = None
                cols[f"_k{i}"] = keys
            for c in tf_columns:
                cols[f"_tfv_{c}"] = _bridge.tf_values(prepared, c)
            for i, c in enumerate(holder_columns):
                cols[f"_hh_{i}"] = _bridge.holder_key_values(prepared, c)
            yield to_batch(cols, out_kinds)

    indexed = with_row_index(df.select(*[df[c] for c in inputs]))
    prepared_df = indexed.mapInArrow(run, ddl(out_kinds))
    base = None
    if tf_columns or holder_columns:  # the counts read the prepared rows once more: keep them
        base = prepared_df.persist(StorageLevel.MEMORY_AND_DISK)
        prepared_df = base
    households = _holders(base, holder_columns) if base is not None and holder_columns else None
    if holder_columns:
        prepared_df = prepared_df.drop(*[f"_hh_{i}" for i in range(len(holder_columns))])
    if tf_columns and base is not None:
        totals = base.agg(*[F.count(F.col(f"_tfv_{c}")).alias(c) for c in tf_columns]).collect()[0]
    for c in tf_columns:
        # frequency = rows with this value / rows with any value; one shuffle, no join.
        # Missing values get spread-out partition keys (NaN anyway) so they do not pile up.
        value = F.col(f"_tfv_{c}")
        spread = F.coalesce(value, F.concat(F.lit("\u0000"), (F.col(ROW) % 997).cast("string")))
        count = F.count(F.lit(1)).over(Window.partitionBy(spread))
        total = max(int(totals[c]), 1)
        prepared_df = prepared_df.withColumn(
            _bridge.TF_PREFIX + c,
            F.when(value.isNull(), F.lit(float("nan"))).otherwise(count / F.lit(total)),
        ).drop(f"_tfv_{c}")
    prepared_df = prepared_df.persist(StorageLevel.MEMORY_AND_DISK)
    n_rows = prepared_df.count()
    if base is not None:
        base.unpersist()
    return Prepared(prepared_df, Layout(kinds, sources, tf_columns), n_rows, households)


def _holders(base: DataFrame, columns: list[str]) -> HouseholdNumbers:
    """The registry's holders of numbers by household, counted by Spark and collected
    (one row per distinct key: at most one per registry row and column)."""
    parts = [base.where(F.col(f"_hh_{i}").isNotNull())
             .groupBy(F.col(f"_hh_{i}").alias("key")).agg(F.count(F.lit(1)).alias("n"))
             .select(F.lit(i).alias("column"), "key", "n") for i in range(len(columns))]
    union = parts[0]
    for part in parts[1:]:
        union = union.unionByName(part)
    table = union.toArrow()
    which = np.asarray(table.column("column").to_numpy(), dtype=np.int64)
    keys = np.asarray(table.column("key").to_numpy(), dtype=np.int64)
    counts = np.asarray(table.column("n").to_numpy(), dtype=np.int64)
    return HouseholdNumbers.from_counts({
        c: (keys[which == i], counts[which == i]) for i, c in enumerate(columns)})


def batch_table(chunk: pa.Table, prepared: Layout, schema: Any, prefix: str,
                with_tf: bool) -> Any:
    """A PreparedTable of one side of a batch of joined rows (columns ``prefix`` + name)."""
    from vnlink.prepare import PreparedTable

    cols = from_batch(chunk, prepared.kinds, prefix)
    if with_tf:
        for c in prepared.tf_columns:
            name = _bridge.TF_PREFIX + c
            cols[name] = from_batch(chunk, {name: "f64"}, prefix)[name]
    src = {}
    for i, c in enumerate(prepared.source_columns):
        src[c] = blank_to_none(from_batch(chunk, {f"_src_{i}": "str"}, prefix)[f"_src_{i}"])
    n = chunk.num_rows
    return PreparedTable(cols, source=Table(src, n_rows=n), schema=schema, n_rows=n)


def side_columns(prepared: Layout, prefix: str, *, with_tf: bool) -> list[Any]:
    """The columns a batch needs from one side, renamed with ``prefix``."""
    names = list(prepared.kinds) + [f"_src_{i}" for i in range(len(prepared.source_columns))]
    if with_tf:
        names += [_bridge.TF_PREFIX + c for c in prepared.tf_columns]
    return [F.col(n).alias(prefix + n) for n in names]

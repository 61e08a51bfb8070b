"""A ``RegistryIndex`` from a registry prepared by Spark and saved as Parquet files (internal).

The national registry is prepared once on the cluster
(:func:`write_prepared_registry`); a service at a vaccination desk loads the
files and builds its index without preparing again
(:func:`registry_index_from_files`), then may ``save`` the index itself.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pyspark.sql import DataFrame

from vnlink.exceptions import ConfigurationError
from vnlink.spark import _bridge
from vnlink.spark._arrow import blank_to_none, from_batch
from vnlink.spark._prepare import ROW, derived_kinds, prepare_df
from vnlink.table import Table

__all__ = ["registry_index_from_files", "write_prepared_registry"]


def write_prepared_registry(linker: Any, registry_df: DataFrame,
                            path: str | os.PathLike[str]) -> str:
    """Prepare the registry with Spark and write it as Parquet at ``path`` (a new directory)."""
    pipe = _bridge.fitted_pipeline(linker)
    _bridge.check_columns(pipe.registry_schema, list(registry_df.columns), "registry")
    prepared = prepare_df(pipe, registry_df, "registry", registry_tf=False, holders=False)
    try:
        layout = prepared.layout
        columns = [ROW, *layout.kinds,
                   *(f"_src_{i}" for i in range(len(layout.source_columns)))]
        prepared.df.select(*columns).write.mode("errorifexists").parquet(str(path))
    finally:
        prepared.df.unpersist()
    return str(path)


def registry_index_from_files(linker: Any, path: str | os.PathLike[str]) -> Any:
    """The ``RegistryIndex`` of a registry written by :func:`write_prepared_registry`.

    Reads the Parquet files with pyarrow alone (no Spark needed on the service).
    """
    import pyarrow.parquet as pq

    from vnlink.index import RegistryIndex
    from vnlink.prepare import PreparedTable

    reg_schema = _bridge.fitted_pipeline(linker).registry_schema
    folder = Path(path)
    if not folder.exists():
        raise ConfigurationError(f"no prepared registry at {folder}: write it with "
                                 "vnlink.spark.write_prepared_registry first")
    table = pq.read_table(str(folder))
    table = table.sort_by(ROW)
    kinds = derived_kinds(reg_schema)
    cols = from_batch(table, kinds)
    sources = reg_schema.address
    names = [] if not sources else ([sources] if isinstance(sources, str) else list(sources))
    src: dict[str, Any] = {}
    for i, c in enumerate(names):
        src[c] = blank_to_none(from_batch(table, {f"_src_{i}": "str"})[f"_src_{i}"])
    n = table.num_rows
    prepared = PreparedTable(cols, source=Table(src, n_rows=n), schema=reg_schema, n_rows=n)
    return RegistryIndex(linker, prepared)




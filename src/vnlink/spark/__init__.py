"""vnlink on Apache Spark: link, deduplicate and train on DataFrames of any size.

The same :class:`~vnlink.Linker` model (schemas, blocking rules, comparisons,
JSON file) runs on Spark DataFrames, with the in-memory pipeline's own code on
every batch of rows:

- prepare: vnlink's ``prepare`` per Arrow batch (``mapInArrow``);
- block: one Spark equi-join per rule on the rule's key, cut by the same code
  as in memory; the union keeps each pair under the first rule that makes it;
  oversized blocks are cut and reported, large ones salted over several tasks;
- compare, score, decide, explain: the in-memory comparisons, classifier and
  decision per batch of pairs; best and runner-up per record by aggregation;
- dedupe: connected components by label propagation in Spark;
- fit: EM on level-pattern counts aggregated by Spark, u from random pairs.

Install with ``pip install "vnlink[spark]"``. See docs/scale.md.

Examples
--------
With a SparkSession and two DataFrames (see docs/scale.md)::

    from vnlink import Linker
    import vnlink.spark as vs

    linker = vs.fit(Linker(), registry_df, records_df)   # or Linker.load("model.json")
    result = vs.link(linker, registry_df, records_df)    # a Spark DataFrame
    result.groupBy("status").count().show()
    clusters = vs.dedupe(linker, records_df)

>>> sorted(__all__)[:3]
['SparkBlockingReport', 'SparkLinkResult', 'SparkRuleReport']
"""

from __future__ import annotations

try:
    import pyarrow  # noqa: F401
    import pyspark  # noqa: F401
except ImportError as error:  # pragma: no cover - exercised without the extra
    raise ImportError(
        "vnlink.spark needs pyspark and pyarrow: pip install \"vnlink[spark]\""
    ) from error

from vnlink.spark._blocking import SparkBlockingReport, SparkRuleReport
from vnlink.spark._dedupe import dedupe
from vnlink.spark._fit import fit
from vnlink.spark._link import SparkLinkResult, link, link_with_report
from vnlink.spark._serve import registry_index_from_files, write_prepared_registry

__all__ = [
    "SparkBlockingReport",
    "SparkLinkResult",
    "SparkRuleReport",
    "dedupe",
    "fit",
    "link",
    "link_with_report",
    "registry_index_from_files",
    "write_prepared_registry",
]

"""Blocking (cap, salting, union), dedupe, fit, bad input and the index, each against memory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from vnlink import Linker
from vnlink.blocking import candidate_pairs
from vnlink.datasets import synthetic_linkage
from vnlink.exceptions import SchemaError
from vnlink.prepare import prepare


@pytest.fixture(scope="module")
def small() -> dict[str, Any]:
    registry, records, _ = synthetic_linkage(3_000, seed=11)
    linker = Linker(progress=False).fit(registry, records)
    return {"registry": registry, "records": records, "linker": linker}


def _pairs(df: Any) -> set[tuple[int, int, int]]:
    return {(int(r["l"]), int(r["r"]), int(r["rule"])) for r in df.collect()}


@pytest.mark.parametrize(("cap", "salt"), [(None, 50_000), (40, 3)])
def test_blocking_is_the_in_memory_union_with_cap_and_salting(
    spark: Any, to_spark: Any, small: dict[str, Any], cap: int | None, salt: int
) -> None:
    from vnlink.spark._blocking import candidate_pairs_df
    from vnlink.spark._prepare import prepare_df

    linker = small["linker"]
    pipe = linker.pipeline
    left = prepare_df(pipe, to_spark(small["registry"]), "registry", registry_tf=False)
    right = prepare_df(pipe, to_spark(small["records"]), "records", registry_tf=False)
    names = [r.name for r in linker.rules_]
    pairs, report = candidate_pairs_df(left, right, names, max_block_pairs=cap, salt_pairs=salt)
    got = _pairs(pairs)
    expected = candidate_pairs(linker.rules_, prepare(small["registry"], linker.registry_schema_),
                               prepare(small["records"], linker.records_schema_),
                               max_block_pairs=cap)
    want = set(zip(expected.left.tolist(), expected.right.tolist(), expected.rule.tolist(),
                   strict=True))
    assert got == want
    assert [r.pairs_cut for r in report.rules] == [r.pairs_cut for r in expected.report.rules]
    assert [r.blocks_cut for r in report.rules] == [r.blocks_cut for r in expected.report.rules]
    assert [r.rows_cut for r in report.rules] == [r.rows_cut for r in expected.report.rules]
    if cap is not None:
        assert report.pairs_cut > 0
        assert sum(r.blocks_salted for r in report.rules) > 0
    left.df.unpersist()
    right.df.unpersist()


def test_dedupe_gives_the_in_memory_clusters(spark: Any, to_spark: Any,
                                             small: dict[str, Any]) -> None:
    import vnlink.spark as vs

    linker, records = small["linker"], small["records"]
    memory = linker.dedupe(records).to_pandas()
    got = vs.dedupe(linker, to_spark(records)).toPandas()
    assert len(got) == records.n_rows and got["record_id"].is_unique
    both = memory.merge(got, on="record_id", suffixes=("_m", "_s"))
    assert (both["cluster_id_m"] == both["cluster_id_s"]).all()
    assert (both["cluster_size_m"] == both["cluster_size_s"]).all()
    a = both["max_match_probability_m"].to_numpy(float)
    b = both["max_match_probability_s"].to_numpy(float)
    assert (np.isclose(a, b, rtol=1e-9) | (np.isnan(a) & np.isnan(b))).all()
    assert (both["cluster_size_s"] > 1).sum() > 100  # there are real clusters to find


def test_model_trained_on_spark_matches_the_in_memory_one(
    spark: Any, to_spark: Any, small: dict[str, Any]
) -> None:
    import vnlink.spark as vs

    memory = small["linker"].classifier_
    trained = vs.fit(Linker(progress=False), to_spark(small["registry"]),
                     to_spark(small["records"]))
    model = trained.classifier_
    tol = memory.tol  # EM's own convergence tolerance
    for m_mem, m_spark in zip(memory.m_, model.m_, strict=True):
        assert np.allclose(m_mem, m_spark, atol=tol)
    for u_mem, u_spark in zip(memory.u_, model.u_, strict=True):
        assert np.allclose(u_mem, u_spark, atol=tol)
    assert model.lambda_ == pytest.approx(memory.lambda_, rel=1e-6)
    assert trained.thresholds_ == small["linker"].thresholds_
    # the model travels as JSON both ways
    again = Linker.from_dict(trained.to_dict(), progress=False)
    assert again.fingerprint_ == trained.fingerprint_


def test_missing_column_raises_before_any_job(spark: Any, to_spark: Any,
                                              small: dict[str, Any]) -> None:
    import vnlink.spark as vs

    registry = to_spark(small["registry"])
    records = to_spark(small["records"]).drop("dob")
    context = spark.sparkContext
    context.setJobGroup("vnlink-bad-input", "missing column")
    try:
        with pytest.raises(SchemaError, match=r"records: .*'dob'"):
            vs.link(small["linker"], registry, records)
        with pytest.raises(SchemaError, match="'dob'"):
            vs.dedupe(small["linker"], records)
    finally:
        context.setLocalProperty("spark.jobGroup.id", None)  # type: ignore[arg-type]
    assert list(context.statusTracker().getJobIdsForGroup("vnlink-bad-input")) == []


def test_index_from_files_prepared_by_spark(spark: Any, to_spark: Any, small: dict[str, Any],
                                            tmp_path: Path) -> None:
    import vnlink.spark as vs

    linker, registry, records = small["linker"], small["registry"], small["records"]
    path = vs.write_prepared_registry(linker, to_spark(registry), tmp_path / "registry")
    index = vs.registry_index_from_files(linker, path)
    memory = linker.index(registry)
    assert len(index) == registry.n_rows
    some = records.take(np.arange(200))
    got = index.query_many(some).to_pandas()
    want = memory.query_many(some).to_pandas()
    assert (got["person_id"] == want["person_id"]).all()
    assert (got["status"] == want["status"]).all()

"""Spark gives the household-member levels of Linker.link (and of dedupe), pair for pair.

The registry's holders of numbers by household are counted by Spark once and
broadcast; a task compares a batch of aligned pairs, which alone holds only a
few of them. The in-memory side of the check is in tests/test_household_numbers.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from vnlink import Linker
from vnlink.datasets import synthetic_linkage


@pytest.fixture(scope="module")
def hard() -> dict[str, Any]:
    registry, records, _ = synthetic_linkage(3_000, seed=5, profile="hard")
    linker = Linker(progress=False).fit(registry, records)
    return {"registry": registry, "records": records, "linker": linker}


def _levels_by_pair(scored: Any, k: int) -> dict[tuple[int, int], tuple[int, ...]]:
    rows = scored.select("l", "r", *[f"lv{j}" for j in range(k)]).collect()
    return {(int(r["l"]), int(r["r"])): tuple(int(r[f"lv{j}"]) for j in range(k)) for r in rows}


def _household_level(cset: Any, name: str) -> tuple[int, int]:
    j = cset.names.index(name)
    return j, cset.comparisons[j].level_labels.index("a household member's number")


def test_spark_link_levels_are_link_levels(spark: Any, to_spark: Any,
                                           hard: dict[str, Any]) -> None:
    from vnlink.spark._blocking import candidate_pairs_df
    from vnlink.spark._prepare import prepare_df
    from vnlink.spark._score import score_pairs

    linker = hard["linker"]
    pipe = linker.pipeline
    left = prepare_df(pipe, to_spark(hard["registry"]), "registry", registry_tf=True)
    right = prepare_df(pipe, to_spark(hard["records"]), "records", registry_tf=False)
    assert left.households is not None
    pairs, _ = candidate_pairs_df(left, right, [r.name for r in pipe.rules],
                                  max_block_pairs=pipe.max_block_pairs, salt_pairs=50_000)
    k = len(pipe.comparisons.comparisons)
    got = _levels_by_pair(score_pairs(pipe, pairs, left, right, left_side="registry",
                                      right_side="records"), k)
    mem_left = pipe.prepare(hard["registry"], "registry")
    mem_right = pipe.prepare(hard["records"], "records")
    blocked = pipe.block(mem_left, mem_right)
    levels = pipe.score_pairs(blocked, mem_left, mem_right).levels
    want = {(int(a), int(b)): tuple(int(v) for v in row)
            for a, b, row in zip(blocked.left, blocked.right, levels, strict=True)}
    assert got == want
    for name in ("id", "phone"):
        j, level = _household_level(pipe.comparisons, name)
        assert int((levels[:, j] == level).sum()) >= 5
    left.df.unpersist()
    right.df.unpersist()


def test_spark_dedupe_levels_are_in_memory_levels(spark: Any, to_spark: Any,
                                                  hard: dict[str, Any]) -> None:
    from vnlink.spark._blocking import candidate_pairs_df
    from vnlink.spark._prepare import prepare_df
    from vnlink.spark._score import score_pairs

    pipe = hard["linker"].pipeline.for_dedupe()
    records = hard["records"]
    prepared = prepare_df(pipe, to_spark(records), "records", registry_tf=True)
    pairs, _ = candidate_pairs_df(prepared, None, [r.name for r in pipe.rules],
                                  max_block_pairs=pipe.max_block_pairs, salt_pairs=50_000)
    k = len(pipe.comparisons.comparisons)
    got = _levels_by_pair(score_pairs(pipe, pairs, prepared, prepared, left_side="records",
                                      right_side="records"), k)
    table = pipe.prepare(records, "records")
    blocked = pipe.block(table, None)
    levels = pipe.score_pairs(blocked, table, table).levels
    want = {(int(a), int(b)): tuple(int(v) for v in row)
            for a, b, row in zip(blocked.left, blocked.right, levels, strict=True)}
    assert got == want
    j, level = _household_level(pipe.comparisons, "phone")
    assert int((levels[:, j] == level).sum()) >= 5
    prepared.df.unpersist()


def test_spark_fit_learns_the_household_levels_of_memory(spark: Any, to_spark: Any,
                                                         hard: dict[str, Any]) -> None:
    """Training compares pairs in batches too: the holders are counted for it as well."""
    import numpy as np

    import vnlink.spark as vs

    memory = hard["linker"].classifier_
    trained = vs.fit(Linker(progress=False), to_spark(hard["registry"]),
                     to_spark(hard["records"])).classifier_
    names = hard["linker"].comparisons_.names
    for name in ("id", "phone"):
        j = names.index(name)
        assert np.allclose(memory.m_[j], trained.m_[j], atol=memory.tol)
        assert np.allclose(memory.u_[j], trained.u_[j], atol=memory.tol)

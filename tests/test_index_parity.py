"""A desk lookup (RegistryIndex.query, one record) gives what the batch pipeline gives.

Hundreds of synthetic records of the hard profile are looked up one at a time
and compared, candidate by candidate, with the batch path (Pipeline.block,
score_pairs, decide and explain over the whole table): the same candidates in
the same order, the same weights and probabilities to the bit, the same
decision and reasons, the same corrections.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from vnlink.datasets import synthetic_linkage
from vnlink.link import Linker
from vnlink.reasons import join_codes


@pytest.fixture(scope="module")
def batch() -> dict[str, Any]:
    registry, records, _ = synthetic_linkage(400, seed=11, profile="hard")
    linker = Linker(progress=False).fit(registry, records)
    pipe = linker.pipeline
    left, right = pipe.prepare(registry, "registry"), pipe.prepare(records, "records")
    scored = pipe.score_pairs(pipe.block(left, right), left, right)
    return {"pipe": pipe, "left": left, "right": right, "scored": scored,
            "decided": pipe.decide(left, right, scored), "rows": records.to_dicts(),
            "ids": np.asarray(registry["person_id"], dtype=object),
            "index": linker.index(registry)}


def test_lookups_of_one_record_equal_the_batch_path(batch: dict[str, Any]) -> None:
    pipe, left, right, scored = batch["pipe"], batch["left"], batch["right"], batch["scored"]
    decided, index = batch["decided"], batch["index"]
    n = min(len(batch["rows"]), 360)
    with_candidates = statuses = 0
    for i in range(n):
        got = index.query(batch["rows"][i], top_k=1_000)
        mine = scored.take(np.flatnonzero(scored.right == i))
        order = np.lexsort((mine.left, -mine.weight))
        k = len(order)
        assert got["person_id"].tolist() == batch["ids"][mine.left[order]].tolist(), i
        assert got["match_weight"].tolist() == mine.weight[order].tolist(), i
        assert got["match_probability"].tolist() == mine.prob[order].tolist(), i
        if not k:
            assert got.n_rows == 0 and decided["person_id"][i] == ""
            continue
        with_candidates += 1
        assert got["person_id"][0] == decided["person_id"][i]
        assert got["status"][0] == decided["status"][i], i
        assert got["reason_codes"][0] == decided["reason_codes"][i], i
        assert got["reasons"][0] == decided["reasons"][i], i
        assert set(got["status"][1:].tolist()) <= {"candidate"}
        statuses += decided["status"][i] != "verified"
        flags, fixes = pipe.explain(left, right, mine.left[order], np.full(k, i, dtype=np.int64),
                                    levels=mine.levels[order])
        codes, texts = join_codes(flags, k, locale=pipe.locale)
        assert got["reason_codes"][1:].tolist() == codes[1:].tolist(), i
        assert got["reasons"][1:].tolist() == texts[1:].tolist(), i
        assert got["corrections"].tolist() == fixes["corrections"].tolist(), i
    # the records tried cover the cases: candidates or none, verified and not
    assert 0.5 * n < with_candidates < n
    assert statuses > 0

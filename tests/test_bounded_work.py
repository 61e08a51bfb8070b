"""Bounded work: one block cap shared by link and index, placeholder keys, cuts reported."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vnlink.blocking import block_on
from vnlink.blocking.pairs import (
    PLACEHOLDER_MIN_ROWS,
    candidate_pairs,
    check_max_block_pairs,
    find_placeholders,
)
from vnlink.datasets import synthetic_linkage
from vnlink.exceptions import ConfigurationError, ModelFormatError, VnlinkWarning
from vnlink.link import Linker
from vnlink.model import pipeline_from_dict, pipeline_to_dict
from vnlink.reason_texts import REASON_TEXTS
from vnlink.table import Table

PLACEHOLDER = "0912000000"  # one valid phone typed for everybody (a clerk's own)
N_SHARED = PLACEHOLDER_MIN_ROWS + 200  # registry rows typed with the placeholder phone


def _with_column(table: Table, name: str, rows: Any, value: Any) -> Table:
    columns = dict(table.columns)
    column = np.asarray(columns[name], dtype=object).copy()
    column[rows] = value
    columns[name] = column
    return Table(columns, n_rows=table.n_rows)


@pytest.fixture(scope="module")
def shared_phone() -> tuple[Linker, Table, Table]:
    """A registry where N_SHARED people share one phone, and records carrying it too."""
    registry, records, _ = synthetic_linkage(1500, seed=11)
    registry = _with_column(registry, "phone", np.arange(N_SHARED), PLACEHOLDER)
    records = _with_column(records, "phone", np.arange(0, 60, 2), PLACEHOLDER)
    with pytest.warns(VnlinkWarning, match="blocking cut"):
        linker = Linker(progress=False).fit(registry, records)
    return linker, registry, records


def test_placeholder_found_at_fit_and_kept_in_the_model(shared_phone: Any) -> None:
    linker, registry, _ = shared_phone
    found = linker.pipeline.placeholders
    assert list(found) == ["phone"] and len(found["phone"]) == 1
    assert find_placeholders(linker.rules_, linker.prepare(registry, "registry")) == found
    again = pipeline_from_dict(pipeline_to_dict(linker.pipeline))
    assert again.placeholders == found
    assert PLACEHOLDER not in str(pipeline_to_dict(linker.pipeline))  # hashes, not values


def test_link_reports_every_cut(shared_phone: Any) -> None:
    linker, registry, records = shared_phone
    with pytest.warns(VnlinkWarning) as caught:
        result = linker.link(registry, records)
    message = str(caught[0].message)
    assert "phone" in message and PLACEHOLDER not in message
    capped = np.array(["blocking_capped" in c for c in result["reason_codes"].tolist()])
    assert capped[np.arange(0, 60, 2)].all()  # every record typed with the placeholder
    assert capped.sum() == 30
    blocking = result.summary()["blocking"]
    assert blocking["records_capped"] == 30
    assert blocking["pairs_cut"] == {"phone": 30 * N_SHARED}
    assert blocking["max_block_pairs"] == linker.max_block_pairs
    assert len(result) == records.n_rows  # nobody lost


def test_index_skips_placeholders_like_link(shared_phone: Any) -> None:
    linker, registry, records = shared_phone
    with pytest.warns(VnlinkWarning):
        batch = linker.link(registry, records)
    index = linker.index(registry)
    with pytest.warns(VnlinkWarning) as caught:
        many = index.query_many(records)
    assert PLACEHOLDER not in str(caught[0].message)
    for column in ("person_id", "status", "reason_codes", "n_candidates"):
        assert many[column].tolist() == batch[column].tolist(), column
    assert many.summary()["blocking"]["pairs_cut"] == {"phone": 30 * N_SHARED}
    with pytest.warns(VnlinkWarning):
        one = index.query(records.to_dicts()[0], top_k=2)
    if one.n_rows:
        assert "blocking_capped" in one["reason_codes"][0]


def test_old_model_files_load_with_the_default_cap(shared_phone: Any) -> None:
    linker = shared_phone[0]
    doc = linker.to_dict()
    doc.pop("blocking_limits")
    pipe = pipeline_from_dict(doc)
    assert pipe.max_block_pairs == 1_000_000 and pipe.placeholders == {}


def test_cap_round_trips_and_bad_limits_are_model_format_errors(shared_phone: Any) -> None:
    linker = shared_phone[0]
    doc = linker.to_dict()
    doc["blocking_limits"]["max_block_pairs"] = None
    assert pipeline_from_dict(doc).max_block_pairs is None
    for bad in (0, "10", 1.5, {"x": 1}):
        doc["blocking_limits"]["max_block_pairs"] = bad
        with pytest.raises(ModelFormatError):
            pipeline_from_dict(doc)
    doc["blocking_limits"] = {"placeholders": {"phone": ["zz"]}}
    with pytest.raises(ModelFormatError):
        pipeline_from_dict(doc)


@pytest.fixture(scope="module")
def small_cap() -> tuple[Linker, Table, Table]:
    registry, records, _ = synthetic_linkage(400, seed=3)
    linker = Linker(progress=False, max_block_pairs=5, blocking=[
        block_on("id_cccd"), block_on("dob_year", name="year")])
    with pytest.warns(VnlinkWarning):
        linker.fit(registry, records)
    return linker, registry, records


def test_the_one_cap_cuts_the_same_blocks_in_link_and_index(small_cap: Any) -> None:
    linker, registry, records = small_cap
    with pytest.warns(VnlinkWarning):
        batch = linker.link(registry, records)
    cuts = batch.summary()["blocking"]["pairs_cut"]
    assert set(cuts) == {"year"} and cuts["year"] > 0
    index = linker.index(registry)
    with pytest.warns(VnlinkWarning):
        many = index.query_many(records)
    for column in ("person_id", "status", "reason_codes", "n_candidates"):
        assert many[column].tolist() == batch[column].tolist(), column
    assert many.summary()["blocking"] == batch.summary()["blocking"]
    # the cut is exactly the blocks over the cap: count them independently
    left = linker.prepare(registry, "registry")
    right = linker.prepare(records, "records")
    plain = candidate_pairs(block_on("dob_year"), left, right, max_block_pairs=None)
    per_block: dict[Any, int] = {}
    years_l, years_r = left["dob_year"].tolist(), right["dob_year"].tolist()
    for a, b in zip(plain.left.tolist(), plain.right.tolist(), strict=True):
        assert years_l[a] == years_r[b]
        per_block[years_l[a]] = per_block.get(years_l[a], 0) + 1
    assert cuts["year"] == sum(n for n in per_block.values() if n > 5)


def test_query_many_chunks_give_the_same_table_as_one_chunk() -> None:
    registry, records, _ = synthetic_linkage(300, seed=4)
    linker = Linker(progress=False).fit(registry, records)
    index = linker.index(registry)
    whole = index.query_many(records)
    index.QUERY_CHUNK = 37
    chunked = index.query_many(records)
    assert chunked.table.column_names == whole.table.column_names
    for column in whole.table.column_names:
        a, b = chunked[column], whole[column]
        if a.dtype.kind == "f":
            assert np.array_equal(a, b, equal_nan=True), column
        else:
            assert a.tolist() == b.tolist(), column
    assert chunked.n_pairs == whole.n_pairs


def test_no_cut_no_warning_no_reason() -> None:
    registry, records, _ = synthetic_linkage(200, seed=2)
    linker = Linker(progress=False).fit(registry, records)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = linker.link(registry, records)
    assert result.summary()["blocking"]["pairs_cut"] == {}
    assert result.summary()["blocking"]["records_capped"] == 0
    assert "blocking_capped" not in result.reason_counts()


def test_cap_arguments_are_checked() -> None:
    for bad in (0, -1, 2.5, "big"):
        with pytest.raises(ConfigurationError):
            Linker(max_block_pairs=bad)
        with pytest.raises(ConfigurationError):
            check_max_block_pairs(bad)
    with pytest.raises(ConfigurationError):
        find_placeholders("phone", {"phone": ["1"]}, min_rows=0)
    with pytest.raises(ConfigurationError):
        find_placeholders("phone", {"phone": ["1"]}, share=2.0)


def test_reason_text_exists_in_every_locale() -> None:
    assert set(REASON_TEXTS["blocking_capped"]) == {"vi", "en"}


def test_placeholder_needs_both_the_count_and_the_share() -> None:
    phones = ["0000000000"] * 6 + [f"09{i:08d}" for i in range(94)]
    assert find_placeholders("phone", {"phone": phones}, min_rows=5, share=0.0) != {}
    assert find_placeholders("phone", {"phone": phones}, min_rows=6, share=0.0) == {}
    assert find_placeholders("phone", {"phone": phones}, min_rows=1, share=0.06) == {}


@given(
    st.lists(st.sampled_from(["", "an", "bình", "an ", "0912", "7", "nan"]), min_size=1,
             max_size=60),
    st.lists(st.sampled_from([0, 1980, 1990, 2001]), min_size=60, max_size=60),
    st.integers(0, 8),
)
@settings(max_examples=60, deadline=None)
def test_crowded_keys_are_the_stable_keys_counted(
    names: list[str], years: list[int], limit: int
) -> None:
    """Counted by the in-memory hashes, the crowded keys are those of counting row_keys."""
    n = len(names)
    small = Table({"given": np.array(names, dtype=object),
                   "year": np.array(years[:n], dtype=np.int64)}, n_rows=n)
    times = -(-4200 // n)  # and a table large enough to be hashed by distinct values
    large = Table({c: np.tile(small[c], times) for c in ("given", "year")}, n_rows=n * times)
    for table, at_least in ((small, limit), (large, limit * times)):
        for rule in (block_on("given"), block_on("given", "year"),
                     block_on("given[:1]", "year")):
            rk = rule.row_keys(table)
            values, counts = np.unique(rk.keys[rk.present], return_counts=True)
            expected = sorted(int(v) for v in values[counts > at_least].tolist())
            assert rule.crowded_keys(table, at_least) == expected

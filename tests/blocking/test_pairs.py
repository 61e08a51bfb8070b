"""Candidate pairs: exact small examples, union, dedupe mode, chunks, and brute-force properties."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import vnlink.blocking.analysis as analysis
from vnlink import Table
from vnlink.blocking import (
    SortedNeighbourhood,
    block_on,
    candidate_pairs,
    count_pairs,
    iter_candidate_pairs,
    substr,
)
from vnlink.exceptions import ConfigurationError, SchemaError

REGISTRY = {
    "id_cccd": ["001080001234", "", "079190005678", "001080001234"],
    "phone": ["0912345678", "0912345678", "", "0988888888"],
    "given_key": ["an", "binh", "an", "hoa"],
    "family": ["nguyen", "tran", "nguyen", "le"],
    "dob_year": [1980, 1990, 1980, 0],
}
RECORDS = {
    "id_cccd": ["001080001234", "", ""],
    "phone": ["", "0912345678", ""],
    "given_key": ["an", "binh", "anh"],
    "family": ["nguyen", "tran", "nguyen"],
    "dob_year": [1980, 1991, 0],
}


def pairs_of(result: Any) -> list[tuple[int, int]]:
    return list(zip(result.left.tolist(), result.right.tolist(), strict=True))


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (block_on("id_cccd"), [(0, 0), (3, 0)]),
        (block_on("phone"), [(0, 1), (1, 1)]),
        (block_on("family", "given_key"), [(0, 0), (2, 0), (1, 1)]),
        (block_on("dob_year"), [(0, 0), (2, 0)]),  # 0 is missing: never blocks
        (block_on("given_key[:2]"), [(0, 0), (2, 0), (1, 1), (0, 2), (2, 2)]),
        (block_on(substr("given_key", 1), "family"), [(0, 0), (2, 0), (1, 1), (0, 2), (2, 2)]),
        (block_on("phone[-4:]"), [(0, 1), (1, 1)]),
        (SortedNeighbourhood("given_key", window=1), [(0, 0), (2, 0), (1, 1)]),
        # distinct sorted values: an < anh < binh < hoa ; window 3 = one rank either side
        (
            SortedNeighbourhood("given_key", window=3),
            [(0, 0), (2, 0), (1, 1), (3, 1), (0, 2), (1, 2), (2, 2)],
        ),
    ],
    ids=lambda v: getattr(v, "name", None),
)
def test_each_rule_exact_pairs(rule: Any, expected: list[tuple[int, int]]) -> None:
    result = candidate_pairs(rule, REGISTRY, RECORDS, max_block_pairs=None)
    assert pairs_of(result) == expected
    assert result.left.dtype == np.int64 and result.right.dtype == np.int64
    assert result.rule.dtype == np.int8


def test_union_removes_duplicates_and_tags_first_rule() -> None:
    rules = [block_on("id_cccd"), block_on("family", "given_key"), block_on("phone")]
    result = candidate_pairs(rules, REGISTRY, RECORDS)
    tagged = list(zip(pairs_of(result), result.rule.tolist(), strict=True))
    assert tagged == [((0, 0), 0), ((2, 0), 1), ((3, 0), 0), ((0, 1), 2), ((1, 1), 1)]
    assert result.counts_by_rule() == {"id_cccd": 2, "family & given_key": 2, "phone": 1}
    report = result.report
    assert report is not None
    assert [r.pairs for r in report.rules] == [2, 3, 2]
    assert [r.new_pairs for r in report.rules] == [2, 2, 1]
    assert [r.cumulative_pairs for r in report.rules] == [2, 4, 5]
    assert report.reduction_ratio == pytest.approx(1 - 5 / 12)


def test_dedupe_mode_pairs_each_unordered_pair_once_and_never_self() -> None:
    result = candidate_pairs([block_on("phone"), block_on("family"), block_on("id_cccd")], REGISTRY)
    assert pairs_of(result) == [(0, 1), (0, 2), (0, 3)]
    assert result.rule.tolist() == [0, 1, 2]
    assert result.dedupe and result.n_left == result.n_right == 4


def test_block_size_cap_skips_and_reports() -> None:
    left = {"k": ["x"] * 4 + ["y"]}
    right = {"k": ["x"] * 3 + ["y"]}
    result = candidate_pairs(block_on("k"), left, right, max_block_pairs=5)
    assert pairs_of(result) == [(4, 3)]
    report = result.report
    assert report is not None
    (rule,) = report.rules
    assert (rule.blocks_cut, rule.pairs_cut, rule.rows_cut, rule.largest_block) == (1, 12, 7, 12)
    counted = count_pairs(block_on("k"), left, right, max_block_pairs=5)
    assert counted.total_pairs == 1 and counted.rules[0].pairs_cut == 12
    assert "cut" in str(report)


def test_chunks_together_equal_the_whole() -> None:
    rng = np.random.default_rng(1)
    left = {"a": rng.integers(0, 5, 200), "b": rng.integers(0, 9, 200)}
    right = {"a": rng.integers(0, 5, 150), "b": rng.integers(0, 9, 150)}
    rules = [block_on("a"), block_on("b")]
    whole = candidate_pairs(rules, left, right)
    chunks = list(iter_candidate_pairs(rules, left, right, chunk_pairs=500))
    assert len(chunks) > 5
    assert max(len(c) for c in chunks) <= 500 + 200
    joined = type(whole).concatenate(chunks)
    assert pairs_of(joined) == pairs_of(whole)
    assert joined.rule.tolist() == whole.rule.tolist()
    dedupe_chunks = list(iter_candidate_pairs(rules, left, chunk_pairs=300))
    assert pairs_of(type(whole).concatenate(dedupe_chunks)) == pairs_of(
        candidate_pairs(rules, left)
    )


def test_bad_arguments() -> None:
    with pytest.raises(SchemaError, match="the table has: id_cccd, phone"):
        candidate_pairs(block_on("nope"), REGISTRY, RECORDS)
    with pytest.raises(ConfigurationError, match="odd"):
        SortedNeighbourhood("given_key", window=4)
    with pytest.raises(ConfigurationError):
        block_on()
    with pytest.raises(ConfigurationError):
        candidate_pairs([42], REGISTRY, RECORDS)
    with pytest.raises(ConfigurationError):
        candidate_pairs("phone", REGISTRY, RECORDS, max_block_pairs=0)


def test_rule_shortcuts_and_empty_tables() -> None:
    assert pairs_of(candidate_pairs(["phone"], REGISTRY, RECORDS)) == [(0, 1), (1, 1)]
    assert pairs_of(candidate_pairs(("family", "given_key"), REGISTRY, RECORDS)) == [
        (0, 0),
        (2, 0),
        (1, 1),
    ]
    empty = Table({"phone": np.zeros(0, dtype=object)})
    assert len(candidate_pairs("phone", empty, RECORDS)) == 0
    assert len(candidate_pairs("phone", empty)) == 0
    assert count_pairs("phone", REGISTRY, empty).total_pairs == 0


# ---- properties against a brute-force reference -------------------------------------------

values = st.sampled_from(["", "a", "ab", "abc", "b", "ba", "c"])
columns = st.integers(min_value=0, max_value=8).flatmap(
    lambda n: st.fixed_dictionaries(
        {
            "x": st.lists(values, min_size=n, max_size=n),
            "y": st.lists(st.integers(0, 3), min_size=n, max_size=n),
        }
    )
)
rule_choices = st.lists(
    st.sampled_from(
        [
            block_on("x"),
            block_on("y"),
            block_on("x", "y"),
            block_on("x[:1]"),
            block_on("x[-1:]", "y"),
            SortedNeighbourhood("x", window=3),
            SortedNeighbourhood("y", window=5),
        ]
    ),
    min_size=1,
    max_size=4,
)


def _missing(v: Any) -> bool:
    return v in ("", 0, None)


def _brute_rule(
    rule: Any, left: dict[str, list[Any]], right: dict[str, list[Any]]
) -> set[tuple[int, int]]:
    n_left, n_right = len(left["x"]), len(right["x"])
    out = set()
    if isinstance(rule, SortedNeighbourhood):
        column = rule.key.column
        cut = lambda v: v if isinstance(v, int) else v[rule.key.start : rule.key.stop]  # noqa: E731
        distinct = sorted({cut(v) for v in left[column] + right[column] if not _missing(cut(v))})
        rank = {v: i for i, v in enumerate(distinct)}
        for i, j in itertools.product(range(n_left), range(n_right)):
            a, b = cut(left[column][i]), cut(right[column][j])
            if not _missing(a) and not _missing(b) and abs(rank[a] - rank[b]) <= rule.half:
                out.add((i, j))
        return out
    for i, j in itertools.product(range(n_left), range(n_right)):
        ok = True
        for key in rule.keys:
            a, b = left[key.column][i], right[key.column][j]
            if isinstance(a, str):
                a, b = a[key.start : key.stop], b[key.start : key.stop]
            if _missing(a) or _missing(b) or a != b:
                ok = False
        if ok:
            out.add((i, j))
    return out


def _count_both_ways(rules: Any, left: Any, right: Any) -> Any:
    """count_pairs by streaming and by inclusion-exclusion must agree exactly."""
    streamed = count_pairs(rules, left, right, max_block_pairs=None)
    saved = analysis._STREAM_LIMIT
    analysis._STREAM_LIMIT = -1
    try:
        exact = count_pairs(rules, left, right, max_block_pairs=None)
    finally:
        analysis._STREAM_LIMIT = saved
    assert streamed.to_dicts() == exact.to_dicts()
    return exact


@given(columns, columns, rule_choices)
def test_link_pairs_equal_brute_force_union(left: Any, right: Any, rules: Any) -> None:
    result = candidate_pairs(rules, left, right, max_block_pairs=None)
    got = pairs_of(result)
    assert len(got) == len(set(got)), "duplicate pairs"
    per_rule = [_brute_rule(rule, left, right) for rule in rules]
    assert set(got) == set().union(*per_rule)
    for pair, tag in zip(got, result.rule.tolist(), strict=True):
        assert pair in per_rule[tag], "a pair disagrees on its rule's key"
        assert all(pair not in per_rule[k] for k in range(tag)), "not tagged with the first rule"
    report = _count_both_ways(rules, left, right)
    assert [r.pairs for r in report.rules] == [len(p) for p in per_rule]
    assert report.total_pairs == len(got)
    assert [r.new_pairs for r in report.rules] == np.bincount(
        result.rule.astype(int), minlength=len(rules)
    ).tolist()


@given(columns, rule_choices)
def test_dedupe_pairs_equal_brute_force_union(table: Any, rules: Any) -> None:
    result = candidate_pairs(rules, table, max_block_pairs=None)
    got = pairs_of(result)
    assert all(i < j for i, j in got), "dedupe pairs must be i < j, never (i, i)"
    assert len(got) == len(set(got))
    per_rule = [{(i, j) for i, j in _brute_rule(rule, table, table) if i < j} for rule in rules]
    assert set(got) == set().union(*per_rule)
    for pair, tag in zip(got, result.rule.tolist(), strict=True):
        assert pair in per_rule[tag]
        assert all(pair not in per_rule[k] for k in range(tag))
    report = _count_both_ways(rules, table, None)
    assert [r.pairs for r in report.rules] == [len(p) for p in per_rule]
    assert [r.cumulative_pairs for r in report.rules] == np.cumsum(
        np.bincount(result.rule.astype(int), minlength=len(rules))
    ).tolist()


def test_mixed_dtypes_agree_and_cached_hashes_follow_column_changes() -> None:
    left = Table({"y": np.array([1980, 1990, -1], dtype=np.int16)})
    right = {"y": [1980, -1, None, 1990.0]}
    assert pairs_of(candidate_pairs("y", left, right)) == [(0, 0), (2, 1), (1, 3)]
    left.columns["y"] = np.array([1990, 1990, 0], dtype=np.int16)  # a new column object
    assert pairs_of(candidate_pairs("y", left, right)) == [(0, 3), (1, 3)]


# ---- the link-mode join on cached group indexes --------------------------------------------


def test_group_index_sorts_exactly_when_two_hashes_share_the_high_bits() -> None:
    from vnlink.blocking.rules import _group_index

    # 3 rows: 2 low bits hold the row; 5 and 6 share the high bits and would interleave
    hashes = np.array([5, 6, 5, 9], dtype=np.uint64)
    index = _group_index(hashes, np.array([False, False, False, True]))
    assert index.hashes.tolist() == [5, 6]
    assert index.offsets.tolist() == [0, 2, 3]
    assert index.rows.tolist() == [0, 2, 1]
    plain = _group_index(np.array([7, 1, 7, 1], dtype=np.uint64), np.zeros(4, dtype=bool))
    assert plain.hashes.tolist() == [1, 7]
    assert plain.rows.tolist() == [1, 3, 0, 2]
    empty = _group_index(np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=bool))
    assert empty.hashes.tolist() == [] and empty.offsets.tolist() == [0]


exact_rules = st.lists(
    st.sampled_from([block_on("x"), block_on("y"), block_on("x", "y"), block_on("x[:1]", "y")]),
    min_size=1,
    max_size=4,
)


@given(columns, columns, exact_rules, st.sampled_from([None, 1, 2, 3, 5]))
def test_link_join_equals_joint_code_join_with_cap(
    left: Any, right: Any, rules: Any, cap: int | None
) -> None:
    """The indexes' join gives the same pairs, order and counts as the joint codes."""
    from vnlink.blocking._engine import Join, capped, plan_blocking

    result = candidate_pairs(rules, left, right, max_block_pairs=cap)
    got = pairs_of(result)
    assert got == sorted(got, key=lambda p: (p[1], p[0])), "sorted by right, then left"
    keys, plans = plan_blocking(rules, left, right, cap)
    for plan in plans:
        codes, counts = capped(plan.rule, keys, cap)
        assert counts == (
            plan.pairs,
            plan.blocks,
            plan.largest_block,
            plan.blocks_cut,
            plan.pairs_cut,
            plan.rows_cut,
        )
        assert np.array_equal(plan.codes, codes)
        reference = Join(codes, keys.n_target, False)
        assert plan.join is not None
        fast = plan.join.pairs(0, keys.n_probe)
        slow = reference.pairs(0, keys.n_probe)
        assert np.array_equal(fast[0], slow[0]) and np.array_equal(fast[1], slow[1])


def test_group_index_is_cached_on_the_table_until_a_key_column_changes() -> None:
    left = Table({"x": np.array(["a", "b", "a"], dtype=object), "y": np.array([1, 2, 1])})
    right = Table({"x": np.array(["a", "b"], dtype=object), "y": np.array([1, 1])})
    first = candidate_pairs(block_on("x", "y"), left, right)
    cached = left._vnlink_key_index  # type: ignore[attr-defined]
    (entry,) = cached.values()
    assert pairs_of(candidate_pairs(block_on("x", "y"), left, right)) == pairs_of(first)
    assert next(iter(cached.values()))[1] is entry[1], "the cached index was reused"
    left.columns["y"] = np.array([2, 2, 1])
    assert pairs_of(candidate_pairs(block_on("x", "y"), left, right)) == [(2, 0)]


@given(columns, exact_rules, st.sampled_from([None, 1, 2, 3, 5]))
def test_dedupe_join_equals_joint_code_join_with_cap(
    table: Any, rules: Any, cap: int | None
) -> None:
    from vnlink.blocking._engine import Join, capped, plan_blocking

    result = candidate_pairs(rules, table, max_block_pairs=cap)
    got = pairs_of(result)
    assert got == sorted(got) and all(i < j for i, j in got)
    keys, plans = plan_blocking(rules, table, None, cap)
    for plan in plans:
        codes, counts = capped(plan.rule, keys, cap)
        assert counts == (
            plan.pairs,
            plan.blocks,
            plan.largest_block,
            plan.blocks_cut,
            plan.pairs_cut,
            plan.rows_cut,
        )
        assert plan.join is not None
        fast = plan.join.pairs(0, keys.n_probe)
        slow = Join(codes, keys.n_target, True).pairs(0, keys.n_probe)
        assert np.array_equal(fast[0], slow[0]) and np.array_equal(fast[1], slow[1])


def test_new_records_against_a_cached_registry_index_only_the_records() -> None:
    registry = Table({"x": np.array(["a", "b", "a", ""], dtype=object), "y": np.arange(4)})
    first = Table({"x": np.array(["a"], dtype=object), "y": np.array([2])})
    second = Table({"x": np.array(["b", "a", "c"], dtype=object), "y": np.array([1, 0, 3])})
    rules = [block_on("x"), block_on("x", "y")]
    assert pairs_of(candidate_pairs(rules, registry, first)) == [(0, 0), (2, 0)]
    cached = dict(registry._vnlink_key_index)  # type: ignore[attr-defined]
    got = candidate_pairs(rules, registry, second)
    assert list(zip(pairs_of(got), got.rule.tolist(), strict=True)) == [
        ((1, 0), 0),
        ((0, 1), 0),
        ((2, 1), 0),
    ]
    # the registry's indexes were reused, not rebuilt
    for key, (_, index) in registry._vnlink_key_index.items():  # type: ignore[attr-defined]
        assert cached[key][1] is index
    assert set(second._vnlink_key_index) == set(cached)  # type: ignore[attr-defined]


def test_repeated_joins_follow_the_other_table_and_the_cap() -> None:
    records = Table({"x": np.array(["a", "b", "a"], dtype=object)})
    one = Table({"x": np.array(["a", "a", "b"], dtype=object)})
    two = Table({"x": np.array(["b", "c"], dtype=object)})
    every = [(0, 0), (1, 0), (2, 1), (0, 2), (1, 2)]
    for _ in range(2):
        assert pairs_of(candidate_pairs("x", one, records)) == every
        capped = candidate_pairs("x", one, records, max_block_pairs=3)
        assert pairs_of(capped) == [(2, 1)]
        assert capped.report is not None and capped.report.pairs_cut == 4
        assert pairs_of(candidate_pairs("x", two, records)) == [(0, 1)]
        assert count_pairs("x", one, records).total_pairs == 5

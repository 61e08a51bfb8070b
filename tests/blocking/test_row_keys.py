"""BlockingRule.row_keys: the key cutting of the in-memory blocking, stable across processes."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vnlink.blocking import (
    BlockingRule,
    RowKeys,
    SortedNeighbourhood,
    block_on,
    candidate_pairs,
    rule_from_dict,
)
from vnlink.exceptions import SchemaError
from vnlink.table import Table

TEXT = st.one_of(st.sampled_from(["", "an", "anh", "ann", "binh", "bình", "b", "0"]), st.none())
YEAR = st.sampled_from([0, 1980, 1981, 1990, -1])
SCORE = st.sampled_from([0.0, 1.5, 2.0, float("nan"), -0.5])

RULES = [
    block_on("g"),
    block_on("g[:2]"),
    block_on("g[1:]", "y"),
    block_on("y"),
    block_on("f"),
    block_on("g", "f", "y[-2:]"),
    SortedNeighbourhood("g", window=3),
    SortedNeighbourhood("y", window=5),
    SortedNeighbourhood("g[:1]", window=1),
    SortedNeighbourhood("f", window=3),
]


def _table(rows: list[tuple[Any, int, float]]) -> Table:
    g = np.empty(len(rows), dtype=object)
    g[:] = [r[0] for r in rows]
    return Table({
        "g": g,
        "y": np.array([r[1] for r in rows], dtype=np.int64),
        "f": np.array([r[2] for r in rows], dtype=np.float64),
    }, n_rows=len(rows))


def _pairs_from_keys(rule: BlockingRule, left: Table, right: Table | None) -> set[tuple[int, int]]:
    lk = rule.row_keys(left)
    rk = lk if right is None else rule.row_keys(right)
    assert isinstance(lk, RowKeys) and lk.keys.dtype == np.uint64 and lk.present.dtype == bool
    assert len(lk) == left.n_rows
    if isinstance(rule, SortedNeighbourhood):
        assert lk.text is not None and rk.text is not None
        texts = sorted({t for t, p in zip([*lk.text, *rk.text], [*lk.present, *rk.present],
                                          strict=True) if p})
        rank = {t: i for i, t in enumerate(texts)}
        out = set()
        for i in np.flatnonzero(lk.present).tolist():
            for j in np.flatnonzero(rk.present).tolist():
                if abs(rank[lk.text[i]] - rank[rk.text[j]]) <= rule.half:
                    out.add((i, j))
    else:
        assert lk.text is None
        out = {
            (i, j)
            for i in np.flatnonzero(lk.present).tolist()
            for j in np.flatnonzero(rk.present).tolist()
            if lk.keys[i] == rk.keys[j]
        }
    if right is None:
        out = {(max(i, j), min(i, j)) for i, j in out if i != j}
    return out


ROWS = st.lists(st.tuples(TEXT, YEAR, SCORE), min_size=0, max_size=12)


@settings(max_examples=60, deadline=None)
@given(left=ROWS, right=ROWS, which=st.integers(0, len(RULES) - 1))
def test_row_keys_make_exactly_the_rule_pairs(
    left: list[tuple[Any, int, float]], right: list[tuple[Any, int, float]], which: int
) -> None:
    rule = RULES[which]
    lt, rt = _table(left), _table(right)
    pairs = candidate_pairs(rule, lt, rt, max_block_pairs=None)
    made = set(zip(pairs.left.tolist(), pairs.right.tolist(), strict=True))
    assert made == _pairs_from_keys(rule, lt, rt)


@settings(max_examples=40, deadline=None)
@given(rows=ROWS, which=st.integers(0, len(RULES) - 1))
def test_row_keys_make_exactly_the_dedupe_pairs(
    rows: list[tuple[Any, int, float]], which: int
) -> None:
    rule = RULES[which]
    table = _table(rows)
    pairs = candidate_pairs(rule, table, max_block_pairs=None)
    made = {(max(a, b), min(a, b)) for a, b in zip(pairs.left.tolist(), pairs.right.tolist(),
                                                   strict=True)}
    assert made == _pairs_from_keys(rule, table, None)


def test_nan_in_a_raw_object_column_is_missing() -> None:
    nan = float("nan")
    raw = Table({"g": np.array(["an", nan, nan, None], dtype=object)})
    pairs = candidate_pairs(block_on("g"), raw, max_block_pairs=None)
    assert len(pairs) == 0
    assert block_on("g").row_keys(raw).present.tolist() == [True, False, False, False]


def test_row_keys_are_the_same_in_another_process() -> None:
    code = (
        "from vnlink.blocking import block_on, SortedNeighbourhood;"
        "t = {'g': ['nguyen van an', 'tran', ''], 'y': [1980, 0, 1990]};"
        "print(block_on('g[:3]', 'y').row_keys(t).keys.tolist(),"
        " SortedNeighbourhood('g').row_keys(t).keys.tolist())"
    )
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                              text=True, check=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1
    t = {"g": ["nguyen van an", "tran", ""], "y": [1980, 0, 1990]}
    here = (block_on("g[:3]", "y").row_keys(t).keys.tolist(),
            SortedNeighbourhood("g").row_keys(t).keys.tolist())
    assert outputs.pop().strip() == f"{here[0]} {here[1]}"


def test_sort_text_orders_numbers_by_value() -> None:
    rk = SortedNeighbourhood("y").row_keys({"y": np.array([10, -3, 2, 0], dtype=np.int64)})
    assert rk.text is not None
    assert sorted(range(3), key=lambda i: rk.text[i]) == [1, 2, 0]
    assert rk.text[3] == "" and not rk.present[3]


def test_missing_column_is_a_schema_error() -> None:
    with pytest.raises(SchemaError, match="blocking needs the column 'phone'"):
        block_on("phone").row_keys({"g": ["an"]})


@dataclass(frozen=True)
class FirstLetter(BlockingRule):
    """A rule of one's own: only ``row_keys`` (and ``name``) are written."""

    column: str = "g"

    @property
    def name(self) -> str:  # type: ignore[override]
        return f"first_letter({self.column})"

    def row_keys(self, table: Any) -> RowKeys:
        values = [str(v or "")[:1] for v in np.asarray(table[self.column]).tolist()]
        present = np.array([v != "" for v in values], dtype=bool)
        keys = np.array([ord(v) if v else 0 for v in values], dtype=np.uint64)
        return RowKeys(keys, present)


def test_a_rule_with_only_row_keys_blocks_and_saves() -> None:
    left = Table({"g": np.array(["an", "bình", "", "anh"], dtype=object)})
    right = Table({"g": np.array(["ánh", "an", "b"], dtype=object)})
    pairs = candidate_pairs([FirstLetter()], left, right, max_block_pairs=None)
    assert sorted(zip(pairs.left.tolist(), pairs.right.tolist(), strict=True)) == [
        (0, 1), (1, 2), (3, 1)
    ]
    assert pairs.rule_names == ("first_letter(g)",)
    dedupe = candidate_pairs(FirstLetter(), left, max_block_pairs=None)
    assert sorted(zip(dedupe.left.tolist(), dedupe.right.tolist(), strict=True)) == [(0, 3)]
    assert FirstLetter().to_dict() == {"rule": "FirstLetter", "column": "g"}
    assert rule_from_dict({"rule": "FirstLetter", "column": "h"}) == FirstLetter("h")

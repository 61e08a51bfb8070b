"""The few-row paths of a desk lookup (one record, a handful of candidates) equal the
general paths: each few-row input is compared with the same rows inside a larger input."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from vnlink.datasets import synthetic_linkage
from vnlink.decide import best_and_runner_up
from vnlink.fields.person import (
    AddressField,
    DateOfBirthField,
    IdNumberField,
    NameField,
    PhoneField,
    SexField,
)
from vnlink.normalize.dates import parse_dates
from vnlink.normalize.ids import parse_ids
from vnlink.normalize.phone import parse_phones
from vnlink.prepare import prepare
from vnlink.table import Table

# beyond the few-row limit (16): the general path runs
_PADDING = 40

_PHONES = ["0912345678", "0912 345 678", "+84912345678", "84912345678", "912345678",
           "01689123456", "024 3912 3456", "0999999999", "0000000000", "12", "", None,
           "+84 (0) 912.345.678", "0912-345-678 / 0987654321"]
_IDS = ["001099012345", "012 345 678", "1099012345", "000000000", "123456789",
        "079185001234", "0791850012345", "abc", "", None, "025917364", "99999999999"]
_DATES = ["05/03/1990", "1958", "31/04/1990", "13/25/1980", "1990-03-05", "5.3.90",
          "00/00/1975", "", None, "29/02/2001", "03/1988", "12-31-1999"]


def _cells(values: list[Any]) -> st.SearchStrategy[list[Any]]:
    """Lists of 1 to 16 cells: known tricky values, digit strings and stray text."""
    return st.lists(st.one_of(st.sampled_from(values),
                              st.text(alphabet="0123456789 +.-/", max_size=14),
                              st.text(max_size=6)), min_size=1, max_size=16)


def _padded(values: list[Any], pool: list[Any]) -> Any:
    column = np.empty(len(values) + _PADDING, dtype=object)
    column[:] = list(values) + [pool[i % len(pool)] for i in range(_PADDING)]
    return column


def _assert_head_equal(few: dict[str, Any], many: dict[str, Any], n: int) -> None:
    assert few.keys() == many.keys()
    for key, values in few.items():
        assert values.dtype == many[key].dtype, key
        assert values.tolist() == many[key][:n].tolist(), key


def _column(values: list[Any]) -> Any:
    column = np.empty(len(values), dtype=object)
    column[:] = values
    return column


@settings(max_examples=150, deadline=None)
@given(_cells(_PHONES))
def test_parse_phones_of_a_few_rows_equals_the_bulk_path(values: list[Any]) -> None:
    _assert_head_equal(parse_phones(_column(values)),
                       parse_phones(_padded(values, _PHONES)), len(values))


@settings(max_examples=150, deadline=None)
@given(_cells(_IDS))
def test_parse_ids_of_a_few_rows_equals_the_bulk_path(values: list[Any]) -> None:
    _assert_head_equal(parse_ids(_column(values)), parse_ids(_padded(values, _IDS)),
                       len(values))


@settings(max_examples=150, deadline=None)
@given(_cells(_DATES))
def test_parse_dates_of_a_few_rows_equals_the_bulk_path(values: list[Any]) -> None:
    _assert_head_equal(parse_dates(_column(values)), parse_dates(_padded(values, _DATES)),
                       len(values))


def test_prepare_of_a_few_rows_equals_those_rows_of_a_larger_table() -> None:
    _, records, _ = synthetic_linkage(300, seed=5)
    many = prepare(records)
    for start in (0, 7, 100):
        rows = np.arange(start, start + 3)
        few = prepare(records.take(rows))
        assert few.column_names == many.column_names
        for name in few.column_names:
            assert few[name].tolist() == many[name][rows].tolist(), name
    assert any(many["problems"][:40].tolist())  # the problems column was exercised


def test_display_of_a_few_rows_equals_the_general_path() -> None:
    _, records, _ = synthetic_linkage(200, seed=6)
    prepared = prepare(records)
    every = np.arange(prepared.n_rows)
    for spec in (DateOfBirthField(), AddressField(), NameField(), IdNumberField(),
                 PhoneField(), SexField()):
        shown = spec.display(prepared, every)
        for rows in (np.array([3]), np.array([5, 5, 0]), np.arange(20, 36)):
            assert spec.display(prepared, rows).tolist() == shown[rows].tolist()


def test_flags_of_a_few_pairs_equal_the_general_path() -> None:
    registry, records, _ = synthetic_linkage(200, seed=7)
    left, right = prepare(registry), prepare(records)
    n = min(left.n_rows, right.n_rows)
    li = np.arange(n)[::-1].copy()
    ri = np.arange(n)
    for spec in (IdNumberField(), AddressField(), NameField()):
        flags = {**spec.record_flags(right, ri), **spec.pair_flags(left, right, li, ri)}
        for rows in (np.array([0]), np.arange(4, 12)):
            few = {**spec.record_flags(right, ri[rows]),
                   **spec.pair_flags(left, right, li[rows], ri[rows])}
            assert few.keys() == flags.keys()
            for code, mask in few.items():
                assert mask.tolist() == flags[code][rows].tolist(), code


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([1.0, 2.0, 2.0, float("nan"), -3.5]),
                          st.integers(0, 4)), min_size=0, max_size=12))
def test_best_and_runner_up_of_one_record_equals_the_general_path(
        pairs: list[tuple[float, int]]) -> None:
    weight = np.array([w for w, _ in pairs], dtype=np.float64)
    tie = np.array([t for _, t in pairs], dtype=np.int64)
    one = best_and_runner_up(np.zeros(len(pairs), dtype=np.int64), weight, 1, tie_break=tie)
    # the same pairs as record 0 of two records (the general path), record 1 without any
    two = best_and_runner_up(np.zeros(len(pairs), dtype=np.int64), weight, 2, tie_break=tie)
    assert one[0].tolist() == two[0][:1].tolist()
    assert one[1].tolist() == two[1][:1].tolist()


def test_problems_of_a_few_rows_keep_each_code_once_in_order() -> None:
    table = Table({"so_cccd": ["12345", "001080012345"], "dt": ["12", "abc"]})
    problems = prepare(table, {"id_number": "so_cccd", "phone": "dt"})["problems"].tolist()
    wide = prepare(Table({"so_cccd": ["12345", "001080012345"] * 20,
                          "dt": ["12", "abc"] * 20}),
                   {"id_number": "so_cccd", "phone": "dt"})["problems"].tolist()
    assert problems == wide[:2]
    assert problems[0][0] == "id:invalid_length"

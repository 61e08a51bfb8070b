"""PhoneComparison and SexComparison: every level, and properties."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vnlink.compare import PhoneComparison, SexComparison
from vnlink.exceptions import ConfigurationError

PHONES = [
    ("exact", "0912345678", 2),
    ("one digit different", "0912345679", 1),
    ("adjacent digits swapped", "0912345687", 1),
    ("different", "0987654321", 0),
    ("different length", "02838123456", 0),
    ("missing", "", -1),
]


@pytest.mark.parametrize(("case", "phone", "level"), PHONES, ids=[c[0] for c in PHONES])
def test_phone_levels(make_table: Any, case: str, phone: str, level: int) -> None:
    table = make_table([{"phone": "0912345678"}, {"phone": phone}])
    levels, scores = PhoneComparison().compute(np.array([0]), np.array([1]), table, table)
    assert levels.tolist() == [level], case
    assert np.isnan(scores[0]) == (level == -1)


def test_phone_without_near_miss(make_table: Any) -> None:
    table = make_table([{"phone": "0912345678"}, {"phone": "0912345679"},
                        {"phone": "0912345678"}])
    comparison = PhoneComparison(near_miss=False)
    assert comparison.level_labels == ("different", "exact")
    levels, _ = comparison.compute(np.array([0, 0]), np.array([1, 2]), table, table)
    assert levels.tolist() == [0, 1]


SEXES = [("same", "M", 1), ("different", "F", 0), ("missing", "", -1)]


@pytest.mark.parametrize(("case", "sex", "level"), SEXES, ids=[c[0] for c in SEXES])
def test_sex_levels(make_table: Any, case: str, sex: str, level: int) -> None:
    table = make_table([{"sex": "M"}, {"sex": sex}])
    levels, _ = SexComparison().compute(np.array([0]), np.array([1]), table, table)
    assert levels.tolist() == [level], case


def test_level_labels_covered() -> None:
    assert {c[2] for c in PHONES if c[2] >= 0} == set(range(PhoneComparison().n_levels))
    assert {c[2] for c in SEXES if c[2] >= 0} == set(range(SexComparison().n_levels))


def _phone_reference(a: str, b: str) -> int:
    if not a or not b:
        return -1
    if a == b:
        return 2
    if len(a) != len(b):
        return 0
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    if len(diff) == 1:
        return 1
    if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and \
            a[diff[1]] == b[diff[0]]:
        return 1
    return 0


@given(st.lists(st.sampled_from(["", "0912345678", "0912345679", "0912345687", "0912",
                                 "0921345678", "0219345678"]), min_size=1, max_size=8),
       st.lists(st.sampled_from(["", "M", "F"]), min_size=8, max_size=8))
def test_bulk_equals_reference_and_is_symmetric(
    make_table: Any, pairs_of: Any, phones: list[str], sexes: list[str]
) -> None:
    rows = [{"phone": p, "sex": s} for p, s in zip(phones, sexes, strict=False)]
    table = make_table(rows)
    left, right = pairs_of(len(rows))
    levels, _ = PhoneComparison().compute(left, right, table, table)
    assert levels.tolist() == [_phone_reference(phones[i], phones[j])
                               for i, j in zip(left, right, strict=True)]
    sex_levels, _ = SexComparison().compute(left, right, table, table)
    expected = [-1 if not rows[i]["sex"] or not rows[j]["sex"] else
                int(rows[i]["sex"] == rows[j]["sex"]) for i, j in zip(left, right, strict=True)]
    assert sex_levels.tolist() == expected
    n = len(rows)
    for lv in (levels, sex_levels):
        assert (lv.reshape(n, n) == lv.reshape(n, n).T).all()


def test_phone_exact_level_reports_term_frequency(make_table: Any) -> None:
    # a household phone shared by three people is three times as frequent as a phone of one
    from vnlink.compare import ComparisonSet

    registry = make_table([{"phone": "0912345678"}, {"phone": "0912345678"},
                           {"phone": "0912345678"}, {"phone": "0987654321"}])
    record = make_table([{"phone": "0912345678"}, {"phone": "0987654321"},
                         {"phone": "0987654320"}])
    cset = ComparisonSet([PhoneComparison()])
    v = cset.compute((np.array([0, 3, 3]), np.array([0, 1, 2])), registry, record)
    assert v.levels[:, 0].tolist() == [2, 2, 1]
    assert v.tf[:2, 0].tolist() == [0.75, 0.25] and np.isnan(v.tf[2, 0])
    assert PhoneComparison(tf_column=None).tf_levels == ()


def test_household_members_phone(make_table: Any) -> None:
    # registry: a mother and her son at one address with their own phones, a stranger
    # elsewhere with the mother's number written down; the son's record gives his mother's
    home = {"ward": "Phúc Xá", "street": "12 hàng bông"}
    registry = make_table([
        {"phone": "0912345678", **home},
        {"phone": "0988000111", **home},
        {"phone": "0977000222", "ward": "Trúc Bạch", "street": "3 hàng đào"},
        {"phone": "", **home},
    ])
    records = make_table([{"phone": "0912345678", **home}])
    comparison = PhoneComparison(household_numbers=True)
    levels, _ = comparison.compute(np.arange(4), np.zeros(4, np.int64), registry, records)
    assert [comparison.level_labels[v] if v >= 0 else "missing" for v in levels] == [
        "exact", "a household member's number", "different", "missing"]
    assert comparison.levels[1].reason == "phone_household_member"
    assert comparison.tf_levels == (3,)
    old, _ = PhoneComparison().compute(np.arange(4), np.zeros(4, np.int64), registry, records)
    assert old.tolist() == [2, 0, 0, -1]
    flat = PhoneComparison(near_miss=False, household_numbers=True)
    assert flat.level_labels == ("different", "a household member's number", "exact")
    with pytest.raises(ConfigurationError, match="household_numbers"):
        PhoneComparison(household_numbers=1)  # type: ignore[arg-type]


def test_household_needs_an_address() -> None:
    from vnlink.table import Table

    table = Table({"phone": ["0912345678", "0988000111"]})
    levels, _ = PhoneComparison(household_numbers=True).compute(
        np.array([0]), np.array([1]), table, table
    )
    assert levels.tolist() == [0]

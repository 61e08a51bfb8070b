"""AddressComparison (era-aware) and StreetComparison: every level, and properties."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vnlink.compare import AddressComparison, StreetComparison
from vnlink.exceptions import ConfigurationError


def addr(p: str = "", d: str = "", w: str = "", p25: str = "", w25: str = "") -> dict[str, str]:
    return {"province": p, "district": d, "ward": w, "province_2025": p25, "ward_2025": w25}


BASE = addr("01", "001", "00004", "01", "00004")  # a 2021 address with its 2025 codes
CASES = [
    ("same commune, both eras", addr("01", "001", "00004", "01", "00004"), 3),
    ("same commune: 2021 record against a 2025-only registry", addr("", "", "", "01", "00004"), 3),
    ("same district, other commune", addr("01", "001", "00007", "01", "00010"), 2),
    ("merged into the same 2025 commune", addr("01", "002", "00040", "01", "00004"), 2),
    ("same province", addr("01", "005", "00100", "01", "00120"), 1),
    ("same 2025 province only (merged provinces)", addr("02", "", "", "01", ""), 1),
    ("else", addr("79", "760", "26734", "79", "26734"), 0),
    ("missing", addr(), -1),
    ("no common era: 2021 codes against nothing", addr("", "", "", "", ""), -1),
]


@pytest.mark.parametrize(("case", "row", "level"), CASES, ids=[c[0] for c in CASES])
def test_address_levels(make_table: Any, case: str, row: dict[str, str], level: int) -> None:
    table = make_table([BASE, row])
    levels, scores = AddressComparison().compute(np.array([0]), np.array([1]), table, table)
    assert levels.tolist() == [level], case
    assert np.isnan(scores[0]) == (level == -1)


ACROSS_ERAS = [
    # (2021-only row, 2025-only row, level): the 2021 side is carried through the map
    ("merged whole: Trúc Bạch -> Ba Đình", addr("01", "001", "00004"), "00004", 3),
    ("merged whole, another 2025 commune", addr("01", "001", "00004"), "00008", 1),
    ("split: Cống Vị -> Ngọc Hà + Giảng Võ, one part", addr("01", "001", "00007"), "00025", 2),
    ("split: the other part", addr("01", "001", "00007"), "00008", 2),
    ("split: not a part", addr("01", "001", "00007"), "00004", 1),
    ("other province", addr("79", "760", "26740"), "00004", 0),
]


@pytest.mark.parametrize(
    ("case", "old", "new", "level"), ACROSS_ERAS, ids=[c[0] for c in ACROSS_ERAS]
)
def test_2021_only_against_2025_only(
    make_table: Any, case: str, old: dict[str, str], new: str, level: int
) -> None:
    table = make_table([old, addr("", "", "", "01", new)])
    for left, right in ((0, 1), (1, 0)):  # symmetric
        levels, _ = AddressComparison().compute(np.array([left]), np.array([right]), table, table)
        assert levels.tolist() == [level], case


def test_two_split_communes_sharing_a_part(make_table: Any) -> None:
    """Two 2021 communes split in 2025 that share a part agree partly (level 2)."""
    from vnlink.normalize import gazetteer as gz

    shared = [
        (a.code, b.code)
        for a in gz.wards("2021", district_code="001")
        for b in gz.wards("2021", district_code="002")
        if len(gz.ward_2025_of(a.code)) > 1
        and len(gz.ward_2025_of(b.code)) > 1
        and set(gz.ward_2025_of(a.code)) & set(gz.ward_2025_of(b.code))
    ]
    assert shared
    a, b = shared[0]
    table = make_table([addr("01", "001", a), addr("01", "002", b)])
    levels, _ = AddressComparison().compute(np.array([0]), np.array([1]), table, table)
    assert levels.tolist() == [2]


STREETS = [
    ("exact", "so 12 ngo 5 pho hue", 3),
    ("words in another order", "pho hue so 12 ngo 5", 2),
    ("a word dropped", "12 ngo 5 pho hue", 2),
    ("similar", "so 12 ngo 5 hue", 1),
    ("else", "45 le loi", 0),
    ("missing", "", -1),
]


@pytest.mark.parametrize(("case", "street", "level"), STREETS, ids=[c[0] for c in STREETS])
def test_street_levels(make_table: Any, case: str, street: str, level: int) -> None:
    table = make_table([{"street": "so 12 ngo 5 pho hue"}, {"street": street}])
    comparison = StreetComparison(thresholds=(0.9, 0.8))
    levels, _ = comparison.compute(np.array([0]), np.array([1]), table, table)
    assert levels.tolist() == [level], case


def test_street_default_has_one_similar_level(make_table: Any) -> None:
    table = make_table(
        [
            {"street": "so 12 ngo 5 pho hue"},
            {"street": "so 12 ngo 5 hue"},
            {"street": "12 ngo 5 pho hue"},
        ]
    )
    comparison = StreetComparison()
    assert comparison.level_labels == ("else", "similar >= 0.9", "exact")
    levels, _ = comparison.compute(np.array([0, 0]), np.array([1, 2]), table, table)
    assert levels.tolist() == [0, 1]


def test_street_thresholds_checked() -> None:
    for bad in [(), (0.9, 0.9), (1.5,), ("x",)]:
        with pytest.raises(ConfigurationError):
            StreetComparison(thresholds=bad)  # type: ignore[arg-type]
    assert StreetComparison(thresholds=(0.99, 0.5)).level_labels[1] == "similar >= 0.5"


def test_levels_covered() -> None:
    assert {c[2] for c in CASES if c[2] >= 0} == set(range(AddressComparison().n_levels))
    assert {c[2] for c in STREETS if c[2] >= 0} == set(
        range(StreetComparison(thresholds=(0.9, 0.8)).n_levels)
    )


def reference(a: dict[str, str], b: dict[str, str]) -> int:
    def same(col: str) -> bool:
        return bool(a[col]) and a[col] == b[col]

    def both(col: str) -> bool:
        return bool(a[col]) and bool(b[col])

    if not any(both(c) for c in ("province", "district", "ward", "province_2025", "ward_2025")):
        return -1
    if same("ward") or (not both("ward") and same("ward_2025")):
        return 3
    if same("district") or same("ward_2025"):
        return 2
    if same("province") or same("province_2025"):
        return 1
    return 0


codes = st.sampled_from(["", "1", "2"])


@given(st.lists(st.builds(addr, codes, codes, codes, codes, codes), min_size=1, max_size=8))
def test_address_bulk_equals_reference_and_is_symmetric(
    make_table: Any, pairs_of: Any, rows: list[dict[str, str]]
) -> None:
    table = make_table(rows)
    left, right = pairs_of(len(rows))
    levels, _ = AddressComparison().compute(left, right, table, table)
    assert levels.tolist() == [
        reference(rows[i], rows[j]) for i, j in zip(left, right, strict=True)
    ]
    n = len(rows)
    assert (levels.reshape(n, n) == levels.reshape(n, n).T).all()


@given(
    st.lists(
        st.sampled_from(["", "so 1 pho hue", "pho hue so 1", "so 1 pho", "le loi"]),
        min_size=1,
        max_size=6,
    )
)
def test_street_symmetric(make_table: Any, pairs_of: Any, streets: list[str]) -> None:
    table = make_table([{"street": s} for s in streets])
    left, right = pairs_of(len(streets))
    levels, scores = StreetComparison().compute(left, right, table, table)
    n = len(streets)
    assert (levels.reshape(n, n) == levels.reshape(n, n).T).all()
    assert ((levels >= -1) & (levels <= 2)).all()
    assert np.isnan(scores[levels == -1]).all()

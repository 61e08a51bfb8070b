"""The synthetic registry looks like Vietnam's population, statistically."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import numpy as np
import pytest

from vnlink.datasets import REGISTRY_COLUMNS, make_registry, make_vaccination_records
from vnlink.datasets._places import PROVINCES
from vnlink.datasets.names import REGIONAL_SURNAMES, marker_share, surnames
from vnlink.exceptions import ConfigurationError
from vnlink.normalize import gazetteer


def _family(registry: Any) -> np.ndarray:
    return np.array([n.split()[0] for n in registry["full_name"].tolist()], dtype=object)


def _year(registry: Any) -> np.ndarray:
    return np.array([int(d[:4]) for d in registry["dob"].tolist()])


def test_columns_and_types(registry: Any) -> None:
    assert tuple(registry.column_names) == REGISTRY_COLUMNS
    assert registry.n_rows == 20_000
    for name in REGISTRY_COLUMNS:
        assert all(isinstance(v, str) for v in registry[name].tolist()), name
    assert len(set(registry["person_id"].tolist())) == registry.n_rows


@pytest.mark.parametrize(
    ("family", "share", "tolerance"),
    [
        ("Nguyễn", 0.384, 0.02),
        ("Trần", 0.110, 0.012),
        ("Lê", 0.095, 0.012),
        ("Phạm", 0.071, 0.010),
        (("Hoàng", "Huỳnh"), 0.051, 0.009),
        ("Phan", 0.045, 0.008),
        (("Vũ", "Võ"), 0.039, 0.008),
        ("Đặng", 0.021, 0.006),
        ("Bùi", 0.020, 0.006),
    ],
)
def test_surname_shares_match_published_figures(
    registry: Any, family: str | tuple[str, ...], share: float, tolerance: float
) -> None:
    names = (family,) if isinstance(family, str) else family
    observed = float(np.isin(_family(registry), names).mean())
    assert abs(observed - share) <= tolerance, (family, observed)


def test_surname_table_is_normalized() -> None:
    table = surnames()
    assert abs(float(table.weights.sum()) - 1.0) < 1e-12
    assert table.names[:3] == ("Nguyễn", "Trần", "Lê")


def test_northern_and_southern_spelling_follow_the_birth_region(registry: Any) -> None:
    family = _family(registry)
    region = np.array([PROVINCES[c][2] for c in registry["birth_province_code"].tolist()])
    for clan, (north_form, south_form, _) in REGIONAL_SURNAMES.items():
        share = {}
        for r in ("north", "south"):
            pool = family[(region == r) & np.isin(family, [north_form, south_form])]
            share[r] = float((pool == north_form).mean())
        assert share["north"] > 0.8 > 0.5 > share["south"], (clan, share)


def test_cccd_decodes_to_birth_province_sex_and_year(registry: Any) -> None:
    cccd = registry["cccd"].tolist()
    assert all(re.fullmatch(r"0\d{11}", c) for c in cccd)
    assert len(set(cccd)) == len(cccd)
    year = _year(registry)
    for c, sex, y, birth in zip(
        cccd, registry["sex"].tolist(), year.tolist(), registry["birth_province_code"].tolist(),
        strict=True,
    ):
        g = int(c[3])
        assert c[1:3] == birth
        assert (g % 2 == 1) == (sex == "F")
        assert 1900 + 100 * (g // 2) + int(c[4:6]) == y
    valid = {p.code for p in gazetteer.provinces("2021")}
    assert set(registry["birth_province_code"].tolist()) <= valid
    # most people are registered at birth where they live
    same = (registry["birth_province_code"] == registry["province_code"]).mean()
    assert 0.6 < same < 0.95


def test_cmnd_for_part_of_the_adults_only(registry: Any) -> None:
    cmnd = registry["cmnd"]
    year = _year(registry)
    has = cmnd != ""
    assert not has[year > 2007].any()
    adults = year <= 2007
    assert 0.5 < has[adults].mean() < 0.7
    values = cmnd[has].tolist()
    assert all(re.fullmatch(r"\d{9}", v) for v in values)
    assert len(set(values)) == len(values)


def test_middle_names_follow_sex(registry: Any) -> None:
    thi = np.array([" Thị " in n for n in registry["full_name"].tolist()])
    van = np.array([" Văn " in n for n in registry["full_name"].tolist()])
    female = registry["sex"] == "F"
    assert not thi[~female].any()
    assert not van[female].any()
    year = _year(registry)
    old_women = female & (year < 1960)
    young_women = female & (year >= 1995)
    assert thi[old_women].mean() > thi[young_women].mean() + 0.2
    assert abs(thi[young_women].mean() - marker_share("F", 2003)) < 0.1
    words = Counter(len(n.split()) for n in registry["full_name"].tolist())
    assert words[3] > words[4] > words[2] > 0


def test_name_and_birth_year_homonyms_occur(registry: Any) -> None:
    keys = Counter(zip(registry["full_name"].tolist(), _year(registry).tolist(), strict=True))
    shared = sum(c for c in keys.values() if c > 1) / registry.n_rows
    assert 0.01 < shared < 0.4


def test_households_share_address_surname_and_phone(registry: Any) -> None:
    hh = registry["household_id"]
    _, inverse, counts = np.unique(hh, return_inverse=True, return_counts=True)
    assert counts.max() <= 6 and counts.min() >= 1
    assert 2.8 < registry.n_rows / counts.size < 3.8
    for column in ("street_address", "ward_code", "province"):
        per_household = {}
        for h, v in zip(inverse.tolist(), registry[column].tolist(), strict=True):
            assert per_household.setdefault(h, v) == v
    family = _family(registry)
    multi = np.flatnonzero(counts >= 3)
    shares_family = np.zeros(counts.size, dtype=bool)
    shares_phone = np.zeros(counts.size, dtype=bool)
    seen: dict[int, list[int]] = {}
    for i, h in enumerate(inverse.tolist()):
        seen.setdefault(h, []).append(i)
    for h in multi.tolist():
        rows = seen[h]
        shares_family[h] = len({family[i] for i in rows}) < len(rows)
        shares_phone[h] = len({registry["phone"][i] for i in rows}) < len(rows)
    assert shares_family[multi].mean() > 0.8
    assert shares_phone[multi].mean() > 0.5


def test_twins_exist(registry: Any) -> None:
    pairs = Counter(zip(registry["household_id"].tolist(), registry["dob"].tolist(), strict=True))
    twins = sum(1 for (_, dob), c in pairs.items() if c > 1 and len(dob) == 10)
    assert twins > 10


def test_age_pyramid_is_vietnam_like(registry: Any) -> None:
    age = 2021 - _year(registry)
    assert age.min() >= 0 and age.max() <= 101
    assert 0.20 < (age < 15).mean() < 0.30  # census 2019: 24.3%
    assert 0.05 < (age >= 65).mean() < 0.11  # census 2019: 7.7%
    assert 0.45 < (registry["sex"] == "F").mean() < 0.55


def test_dates_and_year_only_registrations(registry: Any) -> None:
    dob = registry["dob"].tolist()
    assert all(re.fullmatch(r"\d{4}(-\d\d-\d\d)?", d) for d in dob)
    year_only = [d for d in dob if len(d) == 4]
    assert year_only and all(int(d) < 1950 for d in year_only)
    assert max(dob) <= "2021-12-31"


def test_phones_are_current_mobile_numbers(registry: Any) -> None:
    assert all(re.fullmatch(r"0[35789]\d{8}", p) for p in registry["phone"].tolist())


def test_places_come_from_the_gazetteer(registry: Any) -> None:
    for code, ward, district in list(
        zip(registry["ward_code"], registry["ward"], registry["district_code"], strict=True)
    )[:500]:
        unit = gazetteer.unit(code, era="2021")
        assert unit is not None and unit.full_name == ward and unit.parent_code == district
    counts = Counter(registry["province_code"].tolist())
    assert counts["79"] > counts["01"] > counts["95"]  # HCMC, Hà Nội, Bạc Liêu


def test_same_seed_same_registry_other_seed_differs() -> None:
    a = make_registry(400, seed=5)
    b = make_registry(400, seed=5)
    c = make_registry(400, seed=6)
    assert all((a[k] == b[k]).all() for k in a.column_names)
    assert not (a["full_name"] == c["full_name"]).all()


@pytest.mark.parametrize("bad", [0, -5, 2.5, "10", True])
def test_bad_sizes_raise(bad: Any) -> None:
    with pytest.raises(ConfigurationError, match="n_persons"):
        make_registry(bad)


def test_bad_year_only_share_raises() -> None:
    with pytest.raises(ConfigurationError, match="year_only_share"):
        make_registry(10, year_only_share=2.0)


def test_tiny_registries_work() -> None:
    for n in (1, 2, 7):
        assert make_registry(n, seed=n).n_rows == n


@pytest.mark.parametrize("bad", [-1, 1.5, "0", None, True])
def test_bad_seeds_raise(bad: Any) -> None:
    with pytest.raises(ConfigurationError, match="seed"):
        make_registry(10, seed=bad)
    with pytest.raises(ConfigurationError, match="seed"):
        make_vaccination_records(make_registry(10), seed=bad)


def test_cmnd_prefix_is_the_birth_province_police(registry: Any) -> None:
    has = registry["cmnd"] != ""
    for cmnd, birth in zip(registry["cmnd"][has].tolist(),
                           registry["birth_province_code"][has].tolist(), strict=True):
        assert cmnd.startswith(PROVINCES[birth][1]), (birth,)

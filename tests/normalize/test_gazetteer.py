"""Tests of the administrative gazetteer (both eras, codes, the 63 -> 34 map)."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

import pytest

from vnlink.exceptions import ConfigurationError
from vnlink.normalize import gazetteer as gz

DATA = Path(gz.__file__).resolve().parent.parent / "data" / "gazetteer"


def test_counts_match_the_2021_snapshot() -> None:
    assert len(gz.provinces("2021")) == 63
    assert len(gz.districts()) == 705
    assert len(gz.wards("2021")) == 10599
    assert len(gz.provinces("2025")) == 34
    kinds = Counter(w.kind for w in gz.wards("2021"))
    assert kinds == {"xã": 8248, "phường": 1737, "thị trấn": 614}


def test_codes_are_unique_and_shaped_per_level() -> None:
    for units, width in ((gz.provinces("2021"), 2), (gz.districts(), 3), (gz.wards(), 5)):
        codes = [u.code for u in units]
        assert len(set(codes)) == len(codes)
        assert all(len(c) == width and c.isdigit() for c in codes)


def test_hierarchy_is_consistent() -> None:
    province_codes = {p.code for p in gz.provinces("2021")}
    district_by_code = {d.code: d for d in gz.districts()}
    for d in gz.districts():
        assert d.parent_code in province_codes and d.province_code == d.parent_code
    for w in gz.wards("2021"):
        assert w.province_code == district_by_code[w.parent_code].parent_code
        assert w.level == "ward" and w.era == "2021"


def test_names_are_clean() -> None:
    for u in [*gz.provinces("2021"), *gz.districts(), *gz.wards("2021")]:
        assert u.name == " ".join(u.name.split())
        assert "\u00d0" not in u.name


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("01", "01"),
        ("02", "08"),
        ("15", "15"),
        ("10", "15"),
        ("24", "24"),
        ("27", "24"),
        ("46", "46"),
        ("49", "48"),
        ("52", "52"),
        ("64", "52"),
        ("74", "79"),
        ("77", "79"),
        ("79", "79"),
        ("80", "80"),
        ("72", "80"),
        ("93", "92"),
        ("94", "92"),
        ("95", "96"),
        ("62", "51"),
        ("67", "68"),
        ("60", "68"),
        ("54", "66"),
        ("58", "56"),
        ("89", "91"),
    ],
)
def test_province_map(old: str, new: str) -> None:
    assert gz.province_2025_of(old) == new


def test_every_old_province_maps_into_the_new_set() -> None:
    new = {p.code for p in gz.provinces("2025")}
    targets = {gz.province_2025_of(p.code) for p in gz.provinces("2021")}
    assert targets == new


def test_province_2025_of_unknown_is_empty() -> None:
    assert gz.province_2025_of("03") == ""
    assert gz.province_2025_of(None) == ""  # type: ignore[arg-type]


def test_known_units() -> None:
    q1 = gz.unit("760")
    assert q1 is not None and q1.full_name == "Quận 1" and q1.province_code == "79"
    hue = gz.unit("46", era="2025")
    assert hue is not None and hue.name == "Huế" and hue.kind == "thành phố"
    assert gz.unit("46").name == "Thừa Thiên Huế"  # type: ignore[union-attr]
    yv = [w for w in gz.wards(district_code="018") if w.name == "Yên Viên"]
    assert sorted(w.kind for w in yv) == ["thị trấn", "xã"]


def test_filters() -> None:
    assert {w.parent_code for w in gz.wards(district_code="770")} == {"770"}
    assert {d.parent_code for d in gz.districts(province_code="01")} == {"01"}
    assert gz.wards("2025") == []


def test_bad_era_raises_with_advice() -> None:
    with pytest.raises(ConfigurationError, match="era"):
        gz.provinces("2020")
    with pytest.raises(ConfigurationError):
        gz.unit("01", level="street")


@pytest.mark.parametrize("name", ["units_2021.json.gz", "units_2025.json"])
def test_data_files_carry_source_licence_and_date(name: str) -> None:
    raw = (DATA / name).read_bytes()
    payload = json.loads(gzip.decompress(raw) if name.endswith(".gz") else raw)
    for key in ("era", "source", "licence", "as_of"):
        assert payload[key]
    assert gz.source_info(payload["era"])["source"] == payload["source"]

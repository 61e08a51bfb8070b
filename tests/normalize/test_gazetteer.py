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
    hcm = gz.wards("2025", province_code="79")
    assert len(hcm) == 168 and {w.province_code for w in hcm} == {"79"}


def test_2025_communes_codes_and_kinds() -> None:
    """The 3,321 communes of 1027/CTK-CSCL, unique 5-digit codes, three kinds."""
    new = gz.wards("2025")
    assert len(new) == 3321 and len({w.code for w in new}) == 3321
    assert all(len(w.code) == 5 and w.code.isdigit() for w in new)
    kinds = {k: sum(w.kind == k for w in new) for k in ("phường", "xã", "đặc khu")}
    assert kinds == {"phường": 687, "xã": 2621, "đặc khu": 13}
    assert {w.province_code for w in new} == {p.code for p in gz.provinces("2025")}
    ia_mo = [w for w in new if w.name == "Ia Mơ"]
    assert [w.code for w in ia_mo] == ["23737"]  # the official letter's code, not 23938


@pytest.mark.parametrize(
    ("old", "new_names"),
    [
        ("26740", ["Phường Sài Gòn"]),  # Bến Nghé, merged whole
        ("00001", ["Phường Hồng Hà"]),  # Phúc Xá
        ("00007", ["Phường Ngọc Hà", "Phường Giảng Võ"]),  # Cống Vị, split in two
        ("20669", ["Xã Quế Phước"]),  # Phước Ninh (Quảng Nam): not Phường Hải Châu
        ("00223", ["Phường Đống Đa"]),  # Thịnh Quang, retired 2024: bridged via 00235
    ],
)
def test_ward_map_examples(old: str, new_names: list[str]) -> None:
    names = [gz.unit(c, era="2025").full_name for c in gz.ward_2025_of(old)]  # type: ignore[union-attr]
    assert names == new_names


def test_every_old_commune_converts_into_its_new_province() -> None:
    """The conversion test: each mapped 2021 commune goes into communes of the 2025 province
    that its old province went into, and all but four 2021 codes are mapped."""
    unmapped = []
    for w in gz.wards("2021"):
        new = gz.ward_2025_of(w.code)
        if not new:
            unmapped.append(w.code)
            continue
        province = gz.province_2025_of(w.province_code)
        for code in new:
            unit = gz.unit(code, era="2025", level="ward")
            assert unit is not None, (w.code, code)
            assert unit.province_code == province, (w.code, code)
        assert w.code in [c for n in new for c in gz.wards_2021_of(n)]
    assert sorted(unmapped) == ["10774", "13339", "20239", "28825"]


def test_every_new_commune_has_old_parts() -> None:
    assert all(gz.wards_2021_of(w.code) for w in gz.wards("2025") if w.kind != "đặc khu")
    islands = {gz.district_2025_of(d) for d in ("318", "471", "498", "536", "755")}
    assert {gz.unit(c, era="2025").kind for c in islands} == {"đặc khu"}  # type: ignore[union-attr]


def test_source_info_2025_names_sources_and_dates() -> None:
    info = gz.source_info("2025")
    assert "dvhcvn/20250701" in info["source"] and "vietnamadminunits" in info["source"]
    assert "1027/CTK-CSCL" in info["source_dates"] and info["as_of"] == "2025-07-01"
    payload = json.loads((DATA / "units_2025.json").read_bytes())
    assert "Copyright (c) 2025 dvhcvn" in payload["licence_text"]["dvhcvn/20250701"]
    assert not any(k in json.dumps(payload) for k in ("latitude", 'Lat"', "AreaKm2", "area_km2"))


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

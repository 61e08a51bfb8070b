"""Addresses written in both eras: hand-checked examples of every form, and the conversion.

The expected codes were read off the shipped 2025 data (1027/CTK-CSCL codes, the
dvhcvn/20250701 map) by hand: Phường Sài Gòn (26740) is Bến Nghé + Đa Kao + Nguyễn Thái
Bình of old Quận 1; Phường Cống Vị (00007) was split between Ngọc Hà (00008) and Giảng Võ
(00025); Xã Tam Hưng (10138, Thanh Oai) went into the new Xã Tam Hưng (10144); Phường Phú
Hòa (25750, Thủ Dầu Một, Bình Dương) into Phường Phú Lợi (25750) of Hồ Chí Minh City.
"""

from __future__ import annotations

import pytest

from vnlink.normalize import gazetteer as gz
from vnlink.normalize.address import parse_address, parse_addresses, to_2025

# text, era, ward_code, district_code, province_code, ward_2025, province_2025, problems
CASES = [
    # new two-level
    ("Phường Sài Gòn, Thành phố Hồ Chí Minh", "2025", "26740", "", "79", "26740", "79", ()),
    ("12 Lê Lợi, Phường Sài Gòn, TP Hồ Chí Minh", "2025", "26740", "", "79", "26740", "79", ()),
    ("Phường Hồng Hà, Hà Nội", "2025", "00097", "", "01", "00097", "01", ()),
    ("Đặc khu Côn Đảo, TP HCM", "2025", "26732", "", "79", "26732", "79", ()),
    ("Phường Văn Miếu - Quốc Tử Giám, Hà Nội", "2025", "00226", "", "01", "00226", "01", None),
    # old three-level
    ("P. Bến Nghé, Q.1, TP.HCM", "2021", "26740", "760", "79", "26740", "79", ()),
    ("Phuong 13, Quan 3, TPHCM", "2021", "27136", "770", "79", "27142", "79", ()),
    ("xom 2, xa Tam Hung, H. Thanh Oai, Ha Noi", "2021", "10138", "278", "01", "10144", "01", ()),
    ("Huyện Côn Đảo, Bà Rịa - Vũng Tàu", "2021", "", "755", "77", "26732", "79", None),
    # mixed: a 2025 commune with its old district, or with its old province
    (
        "Phường Sài Gòn, Quận 1, TPHCM",
        "2025",
        "26740",
        "760",
        "79",
        "26740",
        "79",
        ("address:era_mixed",),
    ),
    # (also the name of a 2021 district the new commune holds part of: that is kept too)
    ("Phường Thủ Dầu Một, Bình Dương", "2025", "25747", "718", "79", "25747", "79",
     ("address:era_mixed",)),
    # mixed: an old commune with its new province
    ("Phường Phú Hòa, TP Hồ Chí Minh", "2021", "25750", "718", "74", "25750", "79", None),
    # split: candidates, no single commune
    (
        "Phường Cống Vị, Quận Ba Đình, Hà Nội",
        "2021",
        "00007",
        "001",
        "01",
        "",
        "01",
        ("address:ward_2025_split",),
    ),
    # merged province
    (
        "Phường Phú Hòa, TP Thủ Dầu Một, Tỉnh Bình Dương",
        "2021",
        "25750",
        "718",
        "74",
        "25750",
        "79",
        (),
    ),
    (
        "Ấp 3, xã Tân Hòa, huyện Lai Vung, tỉnh Đồng Tháp",
        "2021",
        "30235",
        "876",
        "87",
        "30235",
        "82",
        (),
    ),
    # no diacritics
    ("phuong sai gon, tp ho chi minh", "2025", "26740", "", "79", "26740", "79", ()),
    ("p van mieu - quoc tu giam, hn", "2025", "00226", "", "01", "00226", "01", None),
    ("PHUONG BA DINH, HA NOI", "2025", "00004", "001", "01", "00004", "01", ()),
    # abbreviations
    ("P. Sài Gòn, TP.HCM", "2025", "26740", "", "79", "26740", "79", ()),
    # the old Xã Tam Hưng went whole into the new one: one place, the 2021 codes kept too
    ("X. Tam Hưng, HN", "2021", "10138", "278", "01", "10144", "01", ("address:district_missing",)),
    ("ĐK Côn Đảo, HCM", "2025", "26732", "", "79", "26732", "79", ()),
]


@pytest.mark.parametrize(
    ("text", "era", "ward", "district", "province", "ward_2025", "province_2025", "problems"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_every_form(
    text: str,
    era: str,
    ward: str,
    district: str,
    province: str,
    ward_2025: str,
    province_2025: str,
    problems: tuple[str, ...] | None,
) -> None:
    a = parse_address(text)
    assert (a.era, a.ward_code, a.district_code, a.province_code) == (
        era,
        ward,
        district,
        province,
    )
    assert (a.ward_2025, a.province_2025) == (ward_2025, province_2025)
    if problems is not None:
        assert a.problems == problems
    if a.ward_2025:
        assert a.ward_2025_name == gz.unit(ward_2025, era="2025").full_name  # type: ignore[union-attr]


def test_split_gives_candidates_never_a_guess() -> None:
    a = parse_address("Phường Cống Vị, Quận Ba Đình, Hà Nội")
    assert a.ward_2025 == "" and a.ward_2025_candidates == ("00008", "00025")
    assert "address:ward_2025_split" in a.problems
    cols = parse_addresses(["Phường Cống Vị, Quận Ba Đình, Hà Nội"])
    assert cols["ward_2025"].tolist() == [""] and cols["ward"].tolist() == ["00007"]


def test_a_name_of_both_eras_keeps_both_readings() -> None:
    """Huyện Yên Sơn (2021) or Xã Yên Sơn (2025), which holds part of it: both codes kept."""
    a = parse_address("28 Hùng Vương, Yên Sơn, Tuyên Quang")
    assert a.era == "2025" and a.ward == "Xã Yên Sơn" and a.district == "Huyện Yên Sơn"


def test_no_ward_2025_unavailable_problem_any_more() -> None:
    cols = parse_addresses(["P.13, Q3, TPHCM", "Phường Sài Gòn, TPHCM", "Hà Nội"])
    assert not any("ward_2025_unavailable" in p for p in cols["address_problems"].tolist())
    assert cols["address_era"].tolist() == ["2021", "2025", "2021"]


def test_to_2025_for_every_old_commune_of_the_map() -> None:
    """The conversion test: every 2021 commune, written in full, converts to its map entry."""
    provinces = {p.code: p for p in gz.provinces("2021")}
    districts = {d.code: d for d in gz.districts()}
    wrong = []
    for w in gz.wards("2021"):
        new = gz.ward_2025_of(w.code)
        if not new:
            continue
        text = f"{w.full_name}, {districts[w.parent_code].full_name}, "
        text += provinces[w.province_code].full_name
        got = to_2025(parse_address(text, era="2021"))
        assert got.era == "2025" and got.district == ""
        assert got.province_code == gz.province_2025_of(w.province_code)
        if got.ward_code == "" and not got.ward_2025_candidates:
            wrong.append(w.code)  # the 2021 commune was not found in its own full text
            continue
        if len(new) == 1:
            assert (got.ward_code, got.ward_2025_candidates) == (new[0], ()), w.code
        else:
            assert got.ward_code == "" and got.ward_2025_candidates == new, w.code
            assert "address:ward_2025_split" in got.problems
    assert wrong == []


def test_to_2025_of_a_2025_address_is_itself() -> None:
    a = parse_address("Phường Sài Gòn, TP Hồ Chí Minh")
    assert to_2025(a) is a
    assert to_2025("Huyện Côn Đảo, Bà Rịa - Vũng Tàu").ward == "Đặc khu Côn Đảo"

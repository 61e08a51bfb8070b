"""cccd, cmnd, bhxh: python-stdnum verbs, extractors, data tables, hypothesis properties."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vnlink.exceptions import InvalidComponent, InvalidFormat, InvalidLength
from vnlink.normalize.ids import bhxh, cccd, cmnd

DATA = Path(cccd.__file__).resolve().parents[2] / "data"
PROVINCE_CODES = sorted(json.loads((DATA / "ids_cccd_provinces.json").read_text("utf-8"))["rows"])
CODES = [row[0] for row in PROVINCE_CODES]
THIS_YEAR = datetime.date.today().year


# ----------------------------------------------------------------- tables


@pytest.mark.parametrize(
    "name",
    [
        "ids_cccd_provinces.json",
        "ids_cmnd_prefixes.json",
        "phone_area_codes.json",
        "phone_mobile_prefixes.json",
    ],
)
def test_every_table_has_source_and_date(name: str) -> None:
    data = json.loads((DATA / name).read_text("utf-8"))
    assert data["source"] and all(isinstance(s, str) and len(s) > 20 for s in data["source"])
    datetime.date.fromisoformat(data["as_of"])


def test_province_table_is_the_63_pre_2025_provinces() -> None:
    assert len(CODES) == 63
    assert CODES[0] == "001" and CODES[-1] == "096"
    assert {"003", "005", "007", "009", "023"}.isdisjoint(CODES)  # gaps; 023 is a known typo
    assert len({row[3] for row in PROVINCE_CODES}) == 34  # the 34 provinces of 2025


@pytest.mark.parametrize(
    ("number", "name", "name_2025", "code_2025"),
    [
        ("001099012345", "Hà Nội", "Hà Nội", "01"),
        ("024099012345", "Bắc Giang", "Bắc Ninh", "24"),
        ("027099012345", "Bắc Ninh", "Bắc Ninh", "24"),
        ("015099012345", "Yên Bái", "Lào Cai", "15"),
        ("010099012345", "Lào Cai", "Lào Cai", "15"),
        ("074099012345", "Bình Dương", "Hồ Chí Minh", "79"),
        ("046099012345", "Thừa Thiên Huế", "Huế", "46"),
        ("096099012345", "Cà Mau", "Cà Mau", "96"),
        ("044099012345", "Quảng Bình", "Quảng Trị", "44"),
        ("080099012345", "Long An", "Tây Ninh", "80"),
    ],
)
def test_get_province_decodes_with_the_pre_2025_table(
    number: str, name: str, name_2025: str, code_2025: str
) -> None:
    province = cccd.get_province(number)
    assert (province.code, province.name) == (number[:3], name)
    assert (province.province_2025, province.province_2025_code) == (name_2025, code_2025)


# ----------------------------------------------------------------- cccd


@pytest.mark.parametrize(
    ("number", "error"),
    [
        ("00109901234", InvalidLength),
        ("0010990123456", InvalidLength),
        ("", InvalidFormat),
        (None, InvalidFormat),
        ("00109901234A", InvalidFormat),
        ("003099012345", InvalidComponent),
        ("001499012345", InvalidComponent),
        ("١٢٣٤٥٦٧٨٩٠١٢", InvalidFormat),  # Arabic-Indic digits are not ASCII
    ],
)
def test_cccd_validate_errors(number: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        cccd.validate(number)
    assert not cccd.is_valid(number)


def test_cccd_verbs() -> None:
    assert cccd.compact(" 001.099-012 345 ") == "001099012345"
    assert cccd.validate("'001 099 012 345") == "001099012345"
    assert cccd.format("001099012345") == "001 0 99 012345"
    assert cccd.format("123") == "123"
    assert cccd.get_sex("001199012345") == "F"
    assert cccd.get_birth_year("001899012345") == 2399  # decodable even if not yet valid
    with pytest.raises(InvalidLength):
        cccd.get_birth_year("00119901234")


def test_cccd_make_rejects_bad_arguments() -> None:
    with pytest.raises(InvalidComponent):
        cccd.make("003", "M", 1990)
    with pytest.raises(InvalidComponent):
        cccd.make("001", "X", 1990)
    with pytest.raises(InvalidComponent):
        cccd.make("001", "M", 1899)
    with pytest.raises(InvalidComponent):
        cccd.make("001", "M", 1990, serial=10**6)


@pytest.mark.parametrize(
    ("dob", "sex", "conflicts"),
    [
        ("05/03/1999", "Nam", ()),
        ("1999", "M", ()),
        ("05/03/1998", "Nam", ("id:birth_year_conflict",)),
        ("05/03/1999", "Nữ", ("id:sex_conflict",)),
        ("1998", "F", ("id:birth_year_conflict", "id:sex_conflict")),
        (None, None, ()),
        ("??", "khác", ()),
        (datetime.date(1999, 1, 1), "male", ()),
        ("31/02/1999", "nam", ()),
    ],
)
def test_check_consistency(dob: object, sex: object, conflicts: tuple[str, ...]) -> None:
    assert cccd.check_consistency("001099012345", dob=dob, sex=sex) == conflicts


def test_check_consistency_tolerance_and_invalid_number() -> None:
    assert cccd.check_consistency("001099012345", dob="2000", year_tolerance=1) == ()
    with pytest.raises(InvalidComponent):
        cccd.check_consistency("003099012345", dob="1999")


@given(
    st.sampled_from(CODES),
    st.sampled_from(["M", "F"]),
    st.integers(min_value=1900, max_value=2399),
    st.integers(min_value=0, max_value=999_999),
)
def test_cccd_built_from_attributes_decodes_back(
    code: str, sex: str, year: int, serial: int
) -> None:
    number = cccd.make(code, sex, year, serial)
    assert len(number) == 12
    assert cccd.get_sex(number) == sex
    assert cccd.get_birth_year(number) == year
    assert cccd.is_valid(number) == (year <= THIS_YEAR)
    if year <= THIS_YEAR:
        assert cccd.get_province(number).code == code
        assert cccd.validate(cccd.format(number)) == number


@given(st.text(max_size=30))
def test_compact_is_idempotent(text: str) -> None:
    for module in (cccd, cmnd, bhxh):
        once = module.compact(text)
        assert module.compact(once) == once


# ----------------------------------------------------------------- cmnd


@pytest.mark.parametrize(
    ("number", "provinces", "verified"),
    [
        ("012345678", ("Hà Nội",), True),
        ("023456789", ("Hồ Chí Minh",), True),
        ("031234567", ("Hải Phòng",), True),
        ("095123456", ("Bắc Kạn",), True),
        ("091123456", ("Thái Nguyên",), False),
        ("230123456", ("Gia Lai",), True),
        ("231123456", ("Gia Lai",), True),
        ("233123456", ("Kon Tum",), False),
        ("245123456", ("Đắk Nông",), False),
        ("285123456", ("Bình Phước",), True),
        ("280123456", ("Bình Dương",), True),
        ("271450001", ("Đồng Nai", "Bà Rịa - Vũng Tàu"), False),
        ("112345678", ("Hòa Bình", "Hà Tây"), True),
        ("412345678", (), False),
        ("001099012345", ("Hà Nội",), True),
    ],
)
def test_cmnd_issuing_provinces(number: str, provinces: tuple[str, ...], verified: bool) -> None:
    assert cmnd.get_issuing_provinces(number) == provinces
    assert cmnd.is_prefix_verified(number) == verified


def test_cmnd_verbs() -> None:
    assert cmnd.validate("012-345-678") == "012345678"
    assert cmnd.validate("001099012345") == "001099012345"
    assert cmnd.format("012345678") == "012 345 678"
    assert cmnd.format("001099012345") == "001 0 99 012345"
    with pytest.raises(InvalidLength):
        cmnd.validate("0123456789")
    with pytest.raises(InvalidComponent):
        cmnd.validate("003099012345")
    with pytest.raises(InvalidFormat):
        cmnd.validate("A12345678")


# ----------------------------------------------------------------- bhxh


def test_bhxh_verbs() -> None:
    assert bhxh.validate("79 1234 5678") == "7912345678"
    assert bhxh.validate("dn 4 79 7912345678") == "DN4797912345678"
    assert bhxh.get_bhxh_number("DN4797912345678") == "7912345678"
    assert bhxh.get_bhxh_number("7912345678") == "7912345678"
    assert bhxh.get_group("HS4010112345678") == "HS"
    assert bhxh.get_benefit_level("HS3010112345678") == 3
    assert bhxh.get_card_province("HS3010112345678") == "01"
    assert bhxh.format("HS3010112345678") == "HS 3 01 0112345678"
    for bad, error in [
        ("791234567", InvalidLength),
        ("DN479791234567", InvalidLength),
        ("D14797912345678", InvalidFormat),
        ("DN0797912345678", InvalidComponent),
        ("ĐN4797912345678", InvalidFormat),
    ]:
        with pytest.raises(error):
            bhxh.validate(bad)
    with pytest.raises(InvalidLength):
        bhxh.get_group("7912345678")

"""Phone numbers: table-driven cases over every rule, the 2018 and 2017 tables, bulk == scalar."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vnlink.normalize import phone
from vnlink.normalize.phone import PhoneNumber, normalize_phone, parse_phone, parse_phones, to_e164

DATA = Path(phone.__file__).resolve().parents[1] / "data"
MOB, LAND = "mobile", "landline"
OLD_MOBILE = ("phone:old_mobile_prefix",)
OLD_AREA = ("phone:old_area_code",)
ZERO = ("phone:leading_zero_restored",)

# (input, national, kind, carrier, valid, problems)
CASES = [
    # today's mobiles, every carrier
    ("0912345678", "0912345678", MOB, "VinaPhone", True, ()),
    ("0389123456", "0389123456", MOB, "Viettel", True, ()),
    ("0868123456", "0868123456", MOB, "Viettel", True, ()),
    ("0981234567", "0981234567", MOB, "Viettel", True, ()),
    ("0701234567", "0701234567", MOB, "MobiFone", True, ()),
    ("0901234567", "0901234567", MOB, "MobiFone", True, ()),
    ("0896123456", "0896123456", MOB, "MobiFone", True, ()),
    ("0561234567", "0561234567", MOB, "Vietnamobile", True, ()),
    ("0921234567", "0921234567", MOB, "Vietnamobile", True, ()),
    ("0523123456", "0523123456", MOB, "Vietnamobile", True, ()),
    ("0591234567", "0591234567", MOB, "Gmobile", True, ()),
    ("0993123456", "0993123456", MOB, "Gmobile", True, ()),
    ("0998123456", "0998123456", MOB, "Itel", True, ()),
    ("0559123456", "0559123456", MOB, "Reddi", True, ()),
    ("0871234567", "0871234567", MOB, "VinaPhone", True, ()),
    # unknown carrier, still valid
    ("0951234567", "0951234567", MOB, "", True, ("phone:unknown_carrier",)),
    ("0891234567", "0891234567", MOB, "", True, ("phone:unknown_carrier",)),
    ("0991234567", "0991234567", MOB, "", True, ("phone:unknown_carrier",)),
    ("0711234567", "0711234567", MOB, "", True, ("phone:unknown_carrier",)),
    # international and decorated forms
    ("+84912345678", "0912345678", MOB, "VinaPhone", True, ()),
    ("+84 91 234 5678", "0912345678", MOB, "VinaPhone", True, ()),
    ("0084912345678", "0912345678", MOB, "VinaPhone", True, ()),
    ("84912345678", "0912345678", MOB, "VinaPhone", True, ()),
    ("840912345678", "0912345678", MOB, "VinaPhone", True, ()),
    ("(+84) 912-345-678", "0912345678", MOB, "VinaPhone", True, ()),
    ("+84 (0) 912 345 678", "0912345678", MOB, "VinaPhone", True, ()),
    ("+840912345678", "0912345678", MOB, "VinaPhone", True, ()),
    ("0912.345.678", "0912345678", MOB, "VinaPhone", True, ()),
    ("0912-345-678", "0912345678", MOB, "VinaPhone", True, ()),
    ("(091) 234 5678", "0912345678", MOB, "VinaPhone", True, ()),
    ("０９１２３４５６７８", "0912345678", MOB, "VinaPhone", True, ()),
    ("SĐT: 0912345678", "0912345678", MOB, "VinaPhone", True, ()),
    ("Tel. 0912345678", "0912345678", MOB, "VinaPhone", True, ()),
    ("0912345678 (nhà)", "0912345678", MOB, "VinaPhone", True, ("phone:extra_text",)),
    ("0912345678 / 0987654321", "0912345678", MOB, "VinaPhone", True, ("phone:multiple_numbers",)),
    ("0912345678; 0981234567", "0912345678", MOB, "VinaPhone", True, ("phone:multiple_numbers",)),
    (
        "0912345678 hoặc 0981234567",
        "0912345678",
        MOB,
        "VinaPhone",
        True,
        ("phone:multiple_numbers",),
    ),
    # lost leading zero
    ("912345678", "0912345678", MOB, "VinaPhone", True, ZERO),
    (912345678, "0912345678", MOB, "VinaPhone", True, ZERO),
    (912345678.0, "0912345678", MOB, "VinaPhone", True, ZERO),
    (np.int64(912345678), "0912345678", MOB, "VinaPhone", True, ZERO),
    ("2439123456", "02439123456", LAND, "", True, ZERO),
    # the 2018 conversion of 11-digit mobiles, every old prefix
    *[
        (old + "9123456", new + "9123456", MOB, carrier, True, OLD_MOBILE)
        for old, new, carrier in json.loads(
            (DATA / "phone_mobile_prefixes.json").read_text("utf-8")
        )["converted_2018"]
    ],
    ("0168 912 3456", "0389123456", MOB, "Viettel", True, OLD_MOBILE),
    ("+84 168 912 3456", "0389123456", MOB, "Viettel", True, OLD_MOBILE),
    ("841689123456", "0389123456", MOB, "Viettel", True, OLD_MOBILE),
    ("1689123456", "0389123456", MOB, "Viettel", True, (*ZERO, *OLD_MOBILE)),
    ("01619123456", "", "", "", False, ("phone:invalid_prefix",)),
    # landlines today
    ("024 3912 3456", "02439123456", LAND, "", True, ()),
    ("028 3822 1234", "02838221234", LAND, "", True, ()),
    ("0236 3822 123", "02363822123", LAND, "", True, ()),
    ("0219 3822 123", "02193822123", LAND, "", True, ()),
    ("+84 24 3912 3456", "02439123456", LAND, "", True, ()),
    ("02401234567", "02041234567", LAND, "", True, OLD_AREA),  # 0240 is old Bắc Giang
    ("02801234567", "02081234567", LAND, "", True, OLD_AREA),  # 0280 is old Thái Nguyên
    ("0290 3822 123", "02903822123", LAND, "", True, ()),
    # landlines before 2017: 10 digits (1- or 3-digit code) and 11 digits (4-digit code)
    ("04 3912 3456", "02439123456", LAND, "", True, OLD_AREA),
    ("(04) 39123456", "02439123456", LAND, "", True, OLD_AREA),
    ("+84 4 3912 3456", "02439123456", LAND, "", True, OLD_AREA),
    ("0511 3822 123", "02363822123", LAND, "", True, OLD_AREA),
    ("0510 3822 123", "02353822123", LAND, "", True, OLD_AREA),
    ("0650 3822 123", "02743822123", LAND, "", True, OLD_AREA),
    ("0710 3822 123", "02923822123", LAND, "", True, OLD_AREA),
    ("0230 3822 123", "02153822123", LAND, "", True, OLD_AREA),
    ("020 3822 123", "02143822123", LAND, "", True, OLD_AREA),
    ("053 3822 123", "02333822123", LAND, "", True, OLD_AREA),
    ("061 3822 123", "02513822123", LAND, "", True, OLD_AREA),
    ("072 3822 123", "02723822123", LAND, "", True, OLD_AREA),
    ("052 1234 567", "02321234567", LAND, "", True, OLD_AREA),
    ("055 1234 567", "02551234567", LAND, "", True, OLD_AREA),
    # old landline codes that are mobile prefixes today: mobile wins at 10 digits
    ("033 3822 123", "0333822123", MOB, "Viettel", True, ()),
    ("038 3822 123", "0383822123", MOB, "Viettel", True, ()),
    ("079 3822 123", "0793822123", MOB, "MobiFone", True, ()),
    ("08 3822 1234", "0838221234", MOB, "VinaPhone", True, ()),
    # not valid
    ("0281234567", "", "", "", False, ("phone:invalid_prefix",)),  # 028 needs 8 digits
    ("0123456789", "", "", "", False, ("phone:placeholder",)),
    ("0000000000", "", "", "", False, ("phone:placeholder",)),
    ("0999999999", "", "", "", False, ("phone:placeholder",)),
    ("091234567", "", "", "", False, ("phone:invalid_length",)),
    ("09123456789", "", "", "", False, ("phone:invalid_prefix",)),
    ("39123456", "", "", "", False, ("phone:invalid_length",)),
    ("12345", "", "", "", False, ("phone:invalid_length",)),
    ("+1 202 555 0123", "", "", "", False, ("phone:not_vietnamese",)),
    ("0033 1 23 45 67 89", "", "", "", False, ("phone:not_vietnamese",)),
    ("Không có", "", "", "", False, ("phone:unparseable",)),
    ("x", "", "", "", False, ("phone:unparseable",)),
    ("12+34", "", "", "", False, ("phone:unparseable",)),
    (True, "", "", "", False, ("phone:unparseable",)),
    (object(), "", "", "", False, ("phone:unparseable",)),
    (None, "", "", "", False, ()),
    (pd.NA, "", "", "", False, ()),
    (pd.NaT, "", "", "", False, ()),
    ("", "", "", "", False, ()),
    ("  ", "", "", "", False, ()),
    (float("nan"), "", "", "", False, ()),
]


@pytest.mark.parametrize(("value", "national", "kind", "carrier", "valid", "problems"), CASES)
def test_parse_phone(
    value: object, national: str, kind: str, carrier: str, valid: bool, problems: tuple[str, ...]
) -> None:
    e164 = "+84" + national[1:] if national else ""
    assert parse_phone(value) == PhoneNumber(national, e164, kind, carrier, valid, problems)


def test_enough_cases() -> None:
    assert len(CASES) >= 60


def test_normalize_and_e164() -> None:
    assert normalize_phone("+84 (0) 912.345.678") == "0912345678"
    assert normalize_phone("nope") is None
    assert to_e164("0912345678") == "+84912345678"
    assert to_e164("04 3912 3456") == "+842439123456"
    assert to_e164(None) is None


def test_tables_cover_the_brief() -> None:
    tables = phone._tables()
    assert len(tables.old_mobile) == 21
    assert len(tables.new_area) == 63
    # the old codes that are mobile prefixes today
    for code in (
        "033",
        "036",
        "037",
        "038",
        "039",
        "056",
        "058",
        "059",
        "070",
        "076",
        "077",
        "079",
    ):
        assert code in tables.old_area and code + "0" in tables.mobile4


def test_bulk_matches_scalar_on_the_table() -> None:
    values = [case[0] for case in CASES]
    cols = parse_phones(values)
    assert set(cols) == {
        "phone",
        "phone_e164",
        "phone_kind",
        "phone_carrier",
        "phone_valid",
        "phone_problems",
    }
    assert cols["phone_valid"].dtype == np.bool_
    for i, value in enumerate(values):
        expected = parse_phone(value)
        got = (
            cols["phone"][i],
            cols["phone_e164"][i],
            cols["phone_kind"][i],
            cols["phone_carrier"][i],
            bool(cols["phone_valid"][i]),
            cols["phone_problems"][i],
        )
        assert got == (*expected[:5], ";".join(expected.problems)), value


_PHONE_TEXT = st.one_of(
    st.text(max_size=24),
    st.text(alphabet="0123456789 .-+()84", max_size=18),
    st.from_regex(r"0[1-9][0-9]{8,9}", fullmatch=True),
    st.integers(min_value=-(10**12), max_value=10**13),
)


@given(st.lists(_PHONE_TEXT, max_size=30))
def test_bulk_equals_scalar(values: list[object]) -> None:
    cols = parse_phones(values)
    for i, value in enumerate(values):
        expected = parse_phone(value)
        assert cols["phone"][i] == expected.national
        assert cols["phone_e164"][i] == expected.e164
        assert cols["phone_kind"][i] == expected.kind
        assert cols["phone_carrier"][i] == expected.carrier
        assert bool(cols["phone_valid"][i]) == expected.valid
        assert cols["phone_problems"][i] == ";".join(expected.problems)


@given(_PHONE_TEXT)
def test_normalize_is_idempotent(value: object) -> None:
    once = normalize_phone(value)
    if once is not None:
        assert normalize_phone(once) == once
        again = parse_phone(once)
        assert again.problems == () or again.problems == ("phone:unknown_carrier",)
        assert len(once) == (10 if again.kind == "mobile" else 11)


@given(st.one_of(st.text(), st.binary(), st.integers(), st.floats(), st.none()))
def test_never_raises(value: object) -> None:
    result = parse_phone(value)
    assert result.valid == bool(result.national)


@pytest.mark.parametrize("text", ["+84", "84", "0084", "+840", "(+84)"])
def test_country_code_alone_is_invalid_length_in_bulk_and_scalar(text: str) -> None:
    assert parse_phone(text).problems == ("phone:invalid_length",)
    assert parse_phones([text])["phone_problems"].tolist() == ["phone:invalid_length"]

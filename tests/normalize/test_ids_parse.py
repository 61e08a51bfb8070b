"""ids.parse / parse_ids: table-driven cases over every detection rule, plus bulk == scalar."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vnlink.normalize.ids import IdNumber, parse, parse_ids

NO = ()
M, F = "M", "F"

# (input, kind, digits, valid, province, sex, birth_year, problems)
CASES = [
    # clean CCCD, every century/sex digit in use
    ("001099012345", "cccd", "001099012345", True, "001", M, 1999, NO),
    ("001199012345", "cccd", "001199012345", True, "001", F, 1999, NO),
    ("079203001234", "cccd", "079203001234", True, "079", M, 2003, NO),
    ("079303001234", "cccd", "079303001234", True, "079", F, 2003, NO),
    ("096000000001", "cccd", "096000000001", True, "096", M, 1900, NO),
    ("036185000123", "cccd", "036185000123", True, "036", F, 1985, NO),
    ("015190001234", "cccd", "015190001234", True, "015", F, 1990, NO),
    # separators, quotes, labels
    ("001 099 012 345", "cccd", "001099012345", True, "001", M, 1999, NO),
    ("001.099.012.345", "cccd", "001099012345", True, "001", M, 1999, NO),
    ("001-099-012345", "cccd", "001099012345", True, "001", M, 1999, NO),
    ("'001099012345", "cccd", "001099012345", True, "001", M, 1999, NO),
    ("  001099012345\t", "cccd", "001099012345", True, "001", M, 1999, NO),
    ("００１０９９０１２３４５", "cccd", "001099012345", True, "001", M, 1999, NO),
    ("CCCD: 001099012345", "cccd", "001099012345", True, "001", M, 1999, NO),
    ("Số CCCD 001099012345", "cccd", "001099012345", True, "001", M, 1999, NO),
    ("căn cước 001099012345", "cccd", "001099012345", True, "001", M, 1999, NO),
    ("CMND: 001099012345", "cmnd12", "001099012345", True, "001", M, 1999, NO),
    ("001099012345 (CMND)", "cmnd12", "001099012345", True, "001", M, 1999, NO),
    ("CMND/CCCD: 001099012345", "cccd", "001099012345", True, "001", M, 1999, NO),
    ("Số CMND/CCCD 012345679", "cmnd9", "012345679", True, "", "", 0, NO),
    # invalid CCCD
    ("003099012345", "cccd", "003099012345", False, "", "", 0, ("id:invalid_province",)),
    ("000099012345", "cccd", "000099012345", False, "", "", 0, ("id:invalid_province",)),
    ("097099012345", "cccd", "097099012345", False, "", "", 0, ("id:invalid_province",)),
    ("001499012345", "cccd", "001499012345", False, "", "", 0, ("id:future_birth_year",)),
    ("001299012345", "cccd", "001299012345", False, "", "", 0, ("id:future_birth_year",)),
    ("111111111111", "cccd", "111111111111", False, "", "", 0, ("id:placeholder",)),
    ("123456789012", "cccd", "123456789012", False, "", "", 0, ("id:placeholder",)),
    # lost leading zeros: 11 digits, 10 digits, numbers
    ("79203001234", "cccd", "079203001234", True, "079", M, 2003, ("id:leading_zero_restored",)),
    (79203001234, "cccd", "079203001234", True, "079", M, 2003, ("id:leading_zero_restored",)),
    (79203001234.0, "cccd", "079203001234", True, "079", M, 2003, ("id:leading_zero_restored",)),
    (
        np.int64(79203001234),
        "cccd",
        "079203001234",
        True,
        "079",
        M,
        2003,
        ("id:leading_zero_restored",),
    ),
    (
        1099012345,
        "cccd",
        "001099012345",
        True,
        "001",
        M,
        1999,
        ("id:leading_zero_restored", "id:ambiguous_bhxh"),
    ),
    (
        "1099012345",
        "cccd",
        "001099012345",
        True,
        "001",
        M,
        1999,
        ("id:leading_zero_restored", "id:ambiguous_bhxh"),
    ),
    (
        "CCCD 1099012345",
        "cccd",
        "001099012345",
        True,
        "001",
        M,
        1999,
        ("id:leading_zero_restored",),
    ),
    (
        "CMND 79203001234",
        "cmnd12",
        "079203001234",
        True,
        "079",
        M,
        2003,
        ("id:leading_zero_restored",),
    ),
    ("39203001234", "", "", False, "", "", 0, ("id:invalid_length",)),  # 039 is unassigned
    (
        "1.09901234512E+11",
        "cccd",
        "109901234512",
        False,
        "",
        "",
        0,
        ("id:scientific_notation", "id:invalid_province"),
    ),
    (
        "7.9203001234E+10",
        "cccd",
        "079203001234",
        True,
        "079",
        M,
        2003,
        ("id:scientific_notation", "id:leading_zero_restored"),
    ),
    ("1.09901E+11", "", "", False, "", "", 0, ("id:digits_lost",)),
    # CMND 9 digits
    ("012345679", "cmnd9", "012345679", True, "", "", 0, NO),
    ("230123456", "cmnd9", "230123456", True, "", "", 0, NO),
    ("285123456", "cmnd9", "285123456", True, "", "", 0, NO),
    ("012 345 679", "cmnd9", "012345679", True, "", "", 0, NO),
    ("Số CMND: 271450001", "cmnd9", "271450001", True, "", "", 0, NO),
    ("CMT 162345678", "cmnd9", "162345678", True, "", "", 0, NO),
    ("412345678", "cmnd9", "412345678", True, "", "", 0, ("id:unknown_prefix",)),
    ("001234567", "cmnd9", "001234567", True, "", "", 0, ("id:unknown_prefix",)),
    ("123456789", "cmnd9", "123456789", False, "", "", 0, ("id:placeholder",)),
    ("000000000", "cmnd9", "000000000", False, "", "", 0, ("id:placeholder",)),
    ("21234567", "cmnd9", "021234567", True, "", "", 0, ("id:leading_zero_restored",)),
    (21234567, "cmnd9", "021234567", True, "", "", 0, ("id:leading_zero_restored",)),
    ("01234567", "", "", False, "", "", 0, ("id:invalid_length",)),
    # BHXH / BHYT
    ("7912345670", "bhxh", "7912345670", True, "", "", 0, NO),
    ("0112345678", "bhxh", "0112345678", True, "", "", 0, NO),
    ("BHXH 79 1234 5670", "bhxh", "7912345670", True, "", "", 0, NO),
    ("BHXH 1099012345", "bhxh", "1099012345", True, "", "", 0, NO),
    ("Mã số BHXH: 112345678", "bhxh", "0112345678", True, "", "", 0, ("id:leading_zero_restored",)),
    ("0123456789", "bhxh", "0123456789", False, "", "", 0, ("id:placeholder",)),
    ("DN4797912345678", "bhyt", "7912345678", True, "", "", 0, NO),
    ("dn 4 79 7912345678", "bhyt", "7912345678", True, "", "", 0, NO),
    ("HS-4-01-0112345678", "bhyt", "0112345678", True, "", "", 0, NO),
    ("BHYT: DN4797912345678", "bhyt", "7912345678", True, "", "", 0, NO),
    ("Mã thẻ BHYT DN 4 79 7912345678", "bhyt", "7912345678", True, "", "", 0, NO),
    ("CMND DN4797912345678", "", "", False, "", "", 0, ("id:invalid_format",)),
    ("DN6797912345678", "", "", False, "", "", 0, ("id:invalid_format",)),
    # not IDs
    ("C1234567", "", "", False, "", "", 0, ("id:passport",)),
    ("B12345678", "", "", False, "", "", 0, ("id:passport",)),
    ("abc", "", "", False, "", "", 0, ("id:invalid_format",)),
    ("không có", "", "", False, "", "", 0, ("id:invalid_format",)),
    ("12345", "", "", False, "", "", 0, ("id:invalid_length",)),
    ("0010990123456", "", "", False, "", "", 0, ("id:invalid_length",)),
    ("001099012345 001199012345", "", "", False, "", "", 0, ("id:invalid_length",)),
    ("---", "", "", False, "", "", 0, ("id:invalid_format",)),
    ("€", "", "", False, "", "", 0, ("id:invalid_format",)),
    (True, "", "", False, "", "", 0, NO),
    (-5, "", "", False, "", "", 0, NO),
    (float("nan"), "", "", False, "", "", 0, NO),
    (None, "", "", False, "", "", 0, NO),
    (pd.NA, "", "", False, "", "", 0, NO),
    ("", "", "", False, "", "", 0, NO),
    ("   ", "", "", False, "", "", 0, NO),
]


@pytest.mark.parametrize(
    ("value", "kind", "digits", "valid", "province", "sex", "year", "problems"), CASES
)
def test_parse(
    value: object,
    kind: str,
    digits: str,
    valid: bool,
    province: str,
    sex: str,
    year: int,
    problems: tuple[str, ...],
) -> None:
    assert parse(value) == IdNumber(kind, digits, valid, province, sex, year, problems)


def test_enough_cases() -> None:
    assert len(CASES) >= 60


def test_restore_zeros_off() -> None:
    assert parse("1099012345", restore_zeros=False).kind == "bhxh"
    assert parse(79203001234, restore_zeros=False).problems == ("id:invalid_length",)
    assert parse("21234567", restore_zeros=False).kind == ""


def test_bulk_matches_scalar_on_the_table() -> None:
    values = [case[0] for case in CASES]
    cols = parse_ids(values)
    assert set(cols) == {
        "id_kind",
        "id",
        "id_valid",
        "id_province",
        "id_sex",
        "id_birth_year",
        "id_problems",
    }
    assert cols["id_valid"].dtype == np.bool_
    assert cols["id_birth_year"].dtype == np.int16
    for i, case in enumerate(CASES):
        expected = parse(case[0])
        got = (
            cols["id_kind"][i],
            cols["id"][i],
            bool(cols["id_valid"][i]),
            cols["id_province"][i],
            cols["id_sex"][i],
            int(cols["id_birth_year"][i]),
            cols["id_problems"][i],
        )
        assert got == (*expected[:6], ";".join(expected.problems)), case


def test_bulk_accepts_numpy_and_repeats() -> None:
    values = np.array(["001099012345", "001099012345", None, "012345679"] * 3, dtype=object)
    cols = parse_ids(values)
    assert cols["id_kind"].tolist() == ["cccd", "cccd", "", "cmnd9"] * 3
    assert all(isinstance(v, str) for v in cols["id"].tolist())
    assert parse_ids([])["id"].shape == (0,)


_ID_TEXT = st.one_of(
    st.text(max_size=20),
    st.text(alphabet="0123456789 .-'", max_size=16),
    st.integers(min_value=-(10**13), max_value=10**13),
)


@given(st.lists(_ID_TEXT, max_size=30))
def test_bulk_equals_scalar(values: list[object]) -> None:
    cols = parse_ids(values)
    for i, value in enumerate(values):
        expected = parse(value)
        assert cols["id_kind"][i] == expected.kind
        assert cols["id"][i] == expected.digits
        assert bool(cols["id_valid"][i]) == expected.valid
        assert cols["id_province"][i] == expected.province
        assert cols["id_sex"][i] == expected.sex
        assert int(cols["id_birth_year"][i]) == expected.birth_year
        assert cols["id_problems"][i] == ";".join(expected.problems)


@given(st.one_of(st.text(), st.integers(), st.floats(), st.none(), st.binary()))
def test_parse_never_raises(value: object) -> None:
    result = parse(value)
    assert result.kind in ("", "cccd", "cmnd9", "cmnd12", "bhxh", "bhyt")
    assert result.valid is False or result.digits.isdigit()


@given(st.text(alphabet="0123456789 .-'", max_size=16))
def test_parse_is_stable_on_its_digits(text: str) -> None:
    first = parse(text)
    if first.valid and first.kind in ("cccd", "cmnd9", "bhxh"):
        again = parse(first.digits)
        assert again.digits == first.digits
        assert again.valid

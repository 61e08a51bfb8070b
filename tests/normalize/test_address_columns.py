"""parse_address_columns: an address in several columns reads as its joined text."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vnlink.exceptions import ConfigurationError
from vnlink.normalize.address import parse_address_columns, parse_addresses

# The first column is read as the street part. Rows cover the street-first shortcut, hamlets
# without a number, missing parts, numbers, a comma inside the street, ASCII, legacy encodings
# (TCVN3 "Hµ Néi" and a TCVN3 street, VIQR) and units typed in the street column.
ADDRESS_PARTS: list[tuple[Any, Any, Any, Any]] = [
    ("12/3A hẻm 45 Lê Văn Sỹ", "P.13", "Q3", "TPHCM"),
    ("12/3a hem 45 le van sy", "P.13", "Q3", "TPHCM"),
    ("Số 5 ngõ 12 phố Huế", "Phường Phố Huế", "Quận Hai Bà Trưng", "Hà Nội"),
    ("Thôn Tân Phú", "Xã Tam Hưng", "Huyện Thanh Oai", "Thành phố Hà Nội"),
    ("Ấp 3", "xã Tân Hòa", "huyện Lai Vung", "tỉnh Đồng Tháp"),
    ("  27 Nguyễn Văn Cừ ", "", None, "Hà Nội"),
    ("27 Nguyễn Văn Cừ, P.1", "Q5", None, "TPHCM"),
    ("", "Phường Bến Nghé", "Quận 1", "TP Hồ Chí Minh"),
    (None, None, None, None),
    ("   ", "", "", ""),
    ("15 Lê Lợi", None, None, None),
    (15, "Phường 1", "Quận 3", "HCM"),
    ("số 8 Trần Phú", "Phường 1", "Quận 3", "Hµ Néi"),
    ("so 8 Tran Phu", "Phuong Phuc Xa", "Ba Dinh", "Ha` No^.i"),
    ("8 TrÇn Phó", "P.1", "Q3", "Hµ Néi"),  # TCVN3 read as Latin-1: repaired whole
    ("8 TrÇn Phó", "Ph\xadêng Phóc X¸", "QuËn Ba §×nh", "Hµ Néi"),  # TCVN3, every column
    ("8 Traàn Phuù", "Phöôøng Phuùc Xaù", "Quaän Ba Ñình", "Haø Noäi"),  # VNI, every column
    ("8 TrÇn Phó", "Phường Phúc Xá", "Ba Đình", "Hà Nội"),  # TCVN3 street, Unicode units
    ("Phường 13, Quận 3", "TPHCM", None, None),
    ("TP HCM", "Quận 3", "Phường 13", "12 Lê Văn Sỹ"),
    ("45 p 3", "Xã Phúc Xá", "Ba Đình", "HN"),
]


NAMES = ("so_nha", "xa", "huyen", "tinh")
KEYS = (
    "street", "province", "district", "ward", "province_2025", "ward_2025",
    "address_confidence", "address_problems", "address_era",
)  # fmt: skip


def _joined(parts: tuple[Any, ...]) -> str | None:
    """How prepare() joins address columns: stripped non-None values, blanks left out."""
    texts = [str(p).strip() for p in parts if p is not None and str(p).strip()]
    return ", ".join(texts) if texts else None


def _assert_same_as_joined(
    rows: list[tuple[Any, ...]], columns: tuple[str, ...], era: str = "2021"
) -> None:
    index = {c: i for i, c in enumerate(NAMES)}
    picked = [tuple(r[index[c]] for c in columns) for r in rows]
    out = parse_address_columns([[p[j] for p in picked] for j in range(len(columns))], era=era)
    expected = parse_addresses([_joined(p) for p in picked], era=era)
    assert list(out) == list(expected)
    for key in KEYS:
        assert out[key].dtype == expected[key].dtype, key
        assert out[key].tolist() == expected[key].tolist(), key


@pytest.mark.parametrize(
    "columns",
    [
        NAMES,
        ("so_nha", "tinh"),
        ("xa", "so_nha", "huyen"),  # no street column first
        ("tinh", "huyen", "xa", "so_nha"),  # reversed
        ("so_nha",),
    ],
)
def test_columns_read_as_the_joined_text(columns: tuple[str, ...]) -> None:
    _assert_same_as_joined(ADDRESS_PARTS, columns)


def test_era_2025() -> None:
    _assert_same_as_joined(ADDRESS_PARTS, NAMES, era="2025")


def test_expected_values() -> None:
    rows = ADDRESS_PARTS[:4] + ADDRESS_PARTS[15:17]
    out = parse_address_columns([[r[i] for r in rows] for i in range(4)])
    assert out["street"].tolist() == [
        "12/3a hem 45 le van sy", "12/3a hem 45 le van sy", "so 5 ngo 12 pho hue",
        "thon tan phu", "8 tran phu", "8 tran phu",
    ]  # fmt: skip
    # P.13 Q3 (twice), Phố Huế, Tam Hưng, then Phúc Xá from TCVN3 and from VNI columns
    assert out["ward"].tolist() == ["27136", "27136", "00262", "10138", "00001", "00001"]
    assert out["province"].tolist() == ["79", "79", "01", "01", "01", "01"]
    assert out["address_confidence"].dtype == np.float32


def test_empty_and_bad_arguments() -> None:
    out = parse_address_columns([[], []])
    assert list(out) == list(KEYS) and out["street"].tolist() == []
    assert out["address_confidence"].dtype == np.float32
    with pytest.raises(ConfigurationError, match="at least one column"):
        parse_address_columns([])
    with pytest.raises(ConfigurationError, match="differ in length"):
        parse_address_columns([["1 Lê Lợi"], []])
    with pytest.raises(ConfigurationError):
        parse_address_columns([["1 Lê Lợi"]], era="2019")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(*[st.integers(0, len(ADDRESS_PARTS) - 1)] * 4), min_size=1, max_size=12))
def test_columns_property(picks: list[tuple[int, int, int, int]]) -> None:
    # columns drawn independently from the pool: any mix of streets, units and blanks
    rows = [tuple(ADDRESS_PARTS[p][i] for i, p in enumerate(pick)) for pick in picks]
    _assert_same_as_joined(rows, NAMES)

"""to_nfc, normalize_tones and fold: tables and properties."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vnlink.normalize.text import fold, normalize_tones, to_nfc

ANY_TEXT = st.text(
    st.characters(categories=["Cs", "Cc", "Cf", "Co", "Lu", "Ll", "Lo", "Mn", "Zs", "Zl", "Nd",
                              "Po", "Sm", "So"]),
    max_size=60,
)  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Nguyễn Văn An", "Nguyễn Văn An"),
        ("Nguye\u0302\u0303n", "Nguyễn"),  # NFD, marks in canonical order
        ("Nguye\u0303\u0302n", "Nguyễn"),  # tone typed before the circumflex
        ("a\u0306\u0301", "ắ"),
        ("Ðặng", "Đặng"),  # Icelandic eth look-alike
        ("ðặng", "đặng"),
        ("\u0189ỗ", "Đỗ"),
        ("Lê\u200bThị", "LêThị"),  # zero-width space removed, not a word break
        ("Lê\u00a0Thị", "Lê Thị"),  # a no-break space is a space
        ("Lê\u202fThị\u2007Hà", "Lê Thị Hà"),
        ("\ufeffLê Thị", "Lê Thị"),
        ("  Lê \t\n Thị  ", "Lê Thị"),
        ("Hoà", "Hoà"),  # to_nfc does not move tones
        ("", ""),
    ],
)
def test_to_nfc(raw: str, expected: str) -> None:
    assert to_nfc(raw) == expected


@pytest.mark.parametrize(
    ("raw", "first", "second"),
    [
        ("hoà", "hòa", "hoà"),
        ("Hòa", "Hòa", "Hoà"),
        ("khoẻ", "khỏe", "khoẻ"),
        ("thuỷ", "thủy", "thuỷ"),
        ("THUỶ", "THỦY", "THUỶ"),
        ("Thuỵ", "Thụy", "Thuỵ"),
        ("Loà", "Lòa", "Loà"),
        ("xoè", "xòe", "xoè"),
        ("hoàn", "hoàn", "hoàn"),  # closed: never moved
        ("thuyền", "thuyền", "thuyền"),
        ("huỳnh", "huỳnh", "huỳnh"),
        ("suýt", "suýt", "suýt"),
        ("quý", "quý", "quý"),  # after qu: never moved
        ("quỳnh", "quỳnh", "quỳnh"),
        ("quà", "quà", "quà"),
        ("ngoài", "ngoài", "ngoài"),
        ("mùa", "mùa", "mùa"),
        ("hòan", "hoàn", "hoàn"),  # a misplaced mark in a closed syllable goes home
        ("Nguyễn Thị Hoà, Thuỷ", "Nguyễn Thị Hòa, Thủy", "Nguyễn Thị Hoà, Thuỷ"),
        ("José hoà", "José hòa", "José hoà"),
    ],
)
def test_normalize_tones(raw: str, first: str, second: str) -> None:
    assert normalize_tones(raw) == first
    assert normalize_tones(raw, style="second") == second
    assert normalize_tones(first, style="second") == second
    assert normalize_tones(second) == first


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Nguyễn Thị Ánh", "nguyen thi anh"),
        ("ĐẶNG VĂN ĐỨC", "dang van duc"),
        ("Ðường", "duong"),
        ("Trương  Ưng", "truong ung"),
        ("Nguye\u0302\u0303n", "nguyen"),
        ("Müller Straße", "muller strasse"),
        ("Иван", "ivan"),
        ("東京", "dong jing"),
        ("\ud800x", "x"),
        ("", ""),
    ],
)
def test_fold(raw: str, expected: str) -> None:
    assert fold(raw) == expected


def test_none_passes_through() -> None:
    assert to_nfc(None) is None
    assert fold(None) is None
    assert normalize_tones(None) is None


def test_non_strings_are_read_as_text() -> None:
    assert to_nfc(12) == "12"  # type: ignore[call-overload]
    assert fold(3.5) == "3.5"  # type: ignore[call-overload]


@given(ANY_TEXT)
def test_to_nfc_properties(text: str) -> None:
    once = to_nfc(text)
    assert to_nfc(once) == once
    assert once == once.strip() and "  " not in once
    assert "\u200b" not in once and "\u00a0" not in once
    assert unicodedata.is_normalized("NFC", once)


@given(ANY_TEXT)
def test_fold_properties(text: str) -> None:
    once = fold(text)
    assert once.isascii()
    assert once == once.lower()
    assert fold(once) == once


@given(ANY_TEXT, st.sampled_from(["first", "second"]))
def test_normalize_tones_properties(text: str, style: str) -> None:
    once = normalize_tones(text, style=style)  # type: ignore[arg-type]
    assert normalize_tones(once, style=style) == once  # type: ignore[arg-type]
    assert fold(once) == fold(text)  # only marks move


def test_long_text() -> None:
    text = "Nguyễn Thị Hoà\u200b " * 1000
    assert len(text) > 10_000
    assert to_nfc(text).count("Hoà") == 1000
    assert fold(text).count("hoa") == 1000
    assert normalize_tones(text).count("Hòa") == 1000


_LONG = ANY_TEXT.filter(bool).map(lambda t: (t * (10_000 // len(t) + 1))[:10_001])


@settings(max_examples=10)
@given(_LONG)
def test_long_random_text(text: str) -> None:
    for func in (to_nfc, fold, normalize_tones):
        once = func(text)
        assert func(once) == once

"""The corruption functions, table-driven and with hypothesis properties."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vnlink.datasets import corrupt
from vnlink.datasets.names import given_names, middle_names, surnames

VIETNAMESE = st.text(
    alphabet=st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệ"
                                  "ìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐĂÂÊÔƠƯ ")),
    min_size=1, max_size=30,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nguyễn Thị Hòa", "Nguyen Thi Hoa"),
        ("ĐẶNG VĂN ĐỨC", "DANG VAN DUC"),
        ("Phường Bến Nghé", "Phuong Ben Nghe"),
        ("ascii only", "ascii only"),
        (unicodedata.normalize("NFD", "Huỳnh Thủy"), "Huynh Thuy"),
        ("Lê ✓ Văn", "Le ✓ Van"),
    ],
)
def test_strip_diacritics(text: str, expected: str) -> None:
    assert corrupt.strip_diacritics(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hòa", "Hoà"), ("Hoà", "Hòa"), ("Thủy", "Thuỷ"), ("Khỏe", "Khoẻ"),
        ("HÒA", "HOÀ"), ("Hoàn", "Hoàn"), ("Huỳnh", "Huỳnh"), ("Quý", "Quý"),
        ("Quỳnh", "Quỳnh"), ("Thoa", "Thoa"), ("Nguyễn Thị Thúy Hòa", "Nguyễn Thị Thuý Hoà"),
    ],
)
def test_other_tone_placement(text: str, expected: str) -> None:
    assert corrupt.other_tone_placement(text) == expected


_SYLLABLES = sorted(
    {w for t in (given_names("M", "modern"), given_names("F", "traditional"), middle_names("F"),
                 surnames()) for n in t.names for w in n.split("/")}
    | {"Hòa", "Hoà", "Thủy", "Thuỷ", "Khỏe", "Khoẻ", "Quý", "Hoàn", "Huỳnh", "Xòe", "Thùy"}
)
NAMES = st.lists(st.sampled_from(_SYLLABLES), min_size=1, max_size=5).map(" ".join)


@given(NAMES)
def test_tone_placement_is_an_involution(text: str) -> None:
    once = corrupt.other_tone_placement(text)
    assert corrupt.other_tone_placement(once) == text
    assert corrupt.strip_diacritics(once) == corrupt.strip_diacritics(text)
    assert (once != text) == corrupt.has_movable_tone(text)


@pytest.mark.parametrize(
    ("word", "telex", "vni"),
    [
        ("Nguyễn", "Nguyeenx", "Nguye6n4"),
        ("Thị", "Thij", "Thi5"),
        ("Hòa", "Hoaf", "Hoa2"),
        ("Đặng", "DDawngj", "D9a8ng5"),
        ("Dương", "Duwowng", "Du7o7ng"),
        ("Văn", "Vawn", "Va8n"),
        ("Lan", "Lan", "Lan"),
    ],
)
def test_keystroke_residue(word: str, telex: str, vni: str) -> None:
    assert corrupt.telex_word(word) == telex
    assert corrupt.vni_word(word) == vni


@given(VIETNAMESE, st.integers(0, 2**32 - 1))
def test_random_corruptions_never_raise_and_change_little(text: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    for func in (corrupt.wrong_tone, corrupt.keyboard_typo, corrupt.telex_residue,
                 corrupt.vni_residue):
        out = func(text, rng)
        assert isinstance(out, str)
        assert len(text) - 2 <= len(out) <= 3 * len(text) + 2


@given(VIETNAMESE)
def test_strip_is_ascii_for_vietnamese_and_idempotent(text: str) -> None:
    out = corrupt.strip_diacritics(text)
    assert out.isascii()
    assert corrupt.strip_diacritics(out) == out
    assert len(out) == len(unicodedata.normalize("NFC", text))


def test_wrong_tone_changes_exactly_one_mark() -> None:
    rng = np.random.default_rng(0)
    for _ in range(50):
        out = corrupt.wrong_tone("Nguyễn Thị Hương", rng)
        assert out != "Nguyễn Thị Hương"
        assert corrupt.strip_diacritics(out) == "Nguyen Thi Huong"
        diffs = sum(a != b for a, b in zip(out.split(), ["Nguyễn", "Thị", "Hương"], strict=True))
        assert diffs == 1


def test_keyboard_typo_is_one_edit() -> None:
    from rapidfuzz.distance import DamerauLevenshtein

    rng = np.random.default_rng(1)
    for _ in range(200):
        out = corrupt.keyboard_typo("Tran Van Nam", rng)
        assert 1 <= DamerauLevenshtein.distance(out, "Tran Van Nam") <= 1


def test_legacy_mojibake_is_not_the_text() -> None:
    for encoding in ("vni", "tcvn3"):
        out = corrupt.legacy_mojibake("Nguyễn Thị Hòa", encoding)
        assert out != "Nguyễn Thị Hòa" and out.startswith("Nguy")


@pytest.mark.parametrize(
    ("name", "dropped_middle", "dropped_thi", "swapped"),
    [
        ("Nguyễn Thị Thu Hương", "Nguyễn Hương", "Nguyễn Thu Hương", "Thị Thu Hương Nguyễn"),
        ("Lê Văn Tám", "Lê Tám", "Lê Văn Tám", "Văn Tám Lê"),
        ("Thị Nở", "Thị Nở", "Thị Nở", "Nở Thị"),
        ("Trần Thị", "Trần Thị", "Trần Thị", "Thị Trần"),
    ],
)
def test_name_structure(name: str, dropped_middle: str, dropped_thi: str, swapped: str) -> None:
    assert corrupt.drop_middle(name) == dropped_middle
    assert corrupt.drop_thi(name) == dropped_thi
    assert corrupt.swap_name_order(name) == swapped


@pytest.mark.parametrize(
    ("phone", "old"),
    [("0321234567", "01621234567"), ("0391234567", "01691234567"), ("0701234567", "01201234567"),
     ("0831234567", "01231234567"), ("0591234567", "01991234567"), ("0912345678", ""),
     ("0981234567", ""), ("032123456", "")],
)
def test_old_phone_prefix(phone: str, old: str) -> None:
    assert corrupt.old_phone_prefix(phone) == old


def test_phone_forms() -> None:
    rng = np.random.default_rng(0)
    assert corrupt.phone_plus84("0912345678") == "+84912345678"
    for _ in range(20):
        grouped = corrupt.phone_with_separators("0912345678", rng)
        assert grouped.replace(" ", "").replace(".", "").replace("-", "") == "0912345678"
        assert len(grouped) == 12


@given(st.text(alphabet="0123456789", min_size=2, max_size=12), st.integers(0, 1000))
def test_digit_damage(digits: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    typo = corrupt.digit_typo(digits, rng)
    assert len(typo) == len(digits)
    assert sum(a != b for a, b in zip(typo, digits, strict=True)) == 1
    swapped = corrupt.adjacent_transposition(digits, rng)
    assert sorted(swapped) == sorted(digits)
    if len(set(digits)) > 1:
        assert swapped != digits


@pytest.mark.parametrize(
    ("unit", "style", "expected"),
    [
        ("Phường Bến Nghé", 0, "P. Bến Nghé"), ("Phường 12", 1, "P12"), ("Phường 12", 2, "F.12"),
        ("Quận 1", 0, "Q.1"), ("Quận Gò Vấp", 1, "Q Gò Vấp"), ("Huyện Củ Chi", 0, "H. Củ Chi"),
        ("Thành phố Hồ Chí Minh", 0, "TP.HCM"), ("Tỉnh Nghệ An", 1, "Nghệ An"),
        ("Thị trấn Củ Chi", 0, "TT. Củ Chi"), ("Thị xã Sơn Tây", 0, "TX. Sơn Tây"),
        ("Xã Tân Phú", 0, "X. Tân Phú"), ("Thành phố Thủ Đức", 1, "TP Thủ Đức"),
        ("Something", 0, "Something"),
    ],
)
def test_abbreviate_unit(unit: str, style: int, expected: str) -> None:
    assert corrupt.abbreviate_unit(unit, style) == expected


@pytest.mark.parametrize(
    ("name", "variants"),
    [
        ("Trâm", {"Châm"}), ("Sương", {"Xương", "Sươn"}), ("Lan", {"Nan", "Lang"}),
        ("Phúc", {"Phút"}), ("Minh", set()), ("Anh", set()), ("HÙNG", {"HÙN"}),
    ],
)
def test_phonetic_slip(name: str, variants: set[str]) -> None:
    seen = {corrupt.phonetic_slip(name, np.random.default_rng(k)) for k in range(40)}
    assert seen == (variants or {name})

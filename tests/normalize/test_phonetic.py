"""The Vietnamese phonetic key on labelled pairs of same- and different-sounding names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vnlink.normalize.phonetic import phonetic_key, phonetic_keys, syllable_key

# Pairs a speaker of some dialect hears (or a typist writes) as the same name.
SAME = [
    # tones and vowel marks dropped
    ("Nguyễn Văn Tuấn", "Nguyen Van Tuan"),
    ("Tuấn", "Tuần"),
    ("Lan", "Lân"),
    ("Đặng Thị Hương", "Dang Thi Huong"),
    ("Phạm Thị Thủy", "Pham Thi Thuy"),
    ("Hòa", "Hoà"),
    ("Thủy", "Thuỷ"),
    ("Khỏe", "Khoẻ"),
    # d / gi / r / v (and đ, folded to d)
    ("Dũng", "Vũng"),
    ("Dung", "Rung"),
    ("Giang", "Dang"),
    ("Giang", "Vang"),
    ("Vân", "Dân"),
    ("Vy", "Di"),
    ("Rạng", "Dạng"),
    ("Giáp", "Dáp"),
    ("Đức", "Dức"),
    ("Gìn", "Dìn"),
    # tr / ch
    ("Trần", "Chần"),
    ("Trung", "Chung"),
    ("Trinh", "Chinh"),
    ("Trâm", "Châm"),
    # s / x
    ("Sơn", "Xơn"),
    ("Xuân", "Suân"),
    ("Sang", "Xang"),
    # c / k / q
    ("Kiên", "Ciên"),
    ("Cường", "Kường"),
    ("Quang", "Cuang"),
    ("Kỳ", "Cỳ"),
    # g / gh, ng / ngh
    ("Ghềnh", "Gềnh"),
    ("Ghê", "Gê"),
    ("Nghĩa", "Ngĩa"),
    ("Nghiêm", "Ngiêm"),
    # finals n / ng / nh
    ("Lan", "Lang"),
    ("Minh", "Min"),
    ("Thanh", "Than"),
    ("Khánh", "Khán"),
    ("Quyên", "Quyêng"),
    ("Nhân", "Nhâng"),
    # finals t / c / ch
    ("Phát", "Phác"),
    ("Bích", "Bít"),
    ("Đạt", "Đạc"),
    ("Lộc", "Lột"),
    ("Mạch", "Mạt"),
    # i / y alone
    ("Thy", "Thi"),
    ("Vy", "Vi"),
    ("Lý", "Lí"),
    ("Sỹ", "Sĩ"),
    ("Mỹ", "Mĩ"),
    ("Kỳ", "Kì"),
    # several merges at once
    ("Trần Thị Xuân Giang", "Chan Thi Suan Dang"),
    ("Nguyễn Văn Trung", "Nguyen Van Chun"),
    ("Võ Thị Kim Thanh", "Vo Thi Kim Than"),
    ("Trương Quốc Việt", "Chuong Quoc Diec"),
    ("Huỳnh Văn Nghĩa", "Huynh Van Ngia"),
]

# Pairs that sound different and must keep different keys.
DIFFERENT = [
    ("Lan", "Nan"),  # l / n are not merged
    ("Thanh", "Tanh"),  # th / t
    ("Khánh", "Hánh"),  # kh / h
    ("Nam", "Ngam"),  # initial n / ng
    ("Lâm", "Lân"),  # final m / n
    ("Lập", "Lật"),  # final p / t
    ("Huy", "Hui"),  # uy / ui
    ("Hay", "Hai"),  # ay / ai
    ("Hoàng", "Huỳnh"),  # regional clan names, different legal strings
    ("Vũ", "Võ"),
    ("Hoa", "Ha"),
    ("Tuấn", "Tuyến"),
    ("Minh", "Mạnh"),
    ("Hùng", "Hương"),
    ("Bình", "Vinh"),
    ("Phúc", "Phước"),
    ("Linh", "Lan"),
    ("Trang", "Trung"),
    ("Phương", "Phong"),
    ("Nguyễn Văn An", "Nguyễn Văn Anh Tú"),
    ("Lê Thị Hoa", "Lê Thị Hoà Bình"),
    ("Đức", "Đào"),
    ("Quân", "Quang Minh"),
    ("Thảo", "Thái"),
    ("Nhi", "Nhu"),
    ("Yến", "Yên Bình"),
    ("Hải", "Hà"),
]


def test_enough_pairs() -> None:
    assert len(SAME) + len(DIFFERENT) >= 60
    assert len(SAME) >= 30 and len(DIFFERENT) >= 25


@pytest.mark.parametrize(("a", "b"), SAME)
def test_same_sounding_names_share_a_key(a: str, b: str) -> None:
    assert phonetic_key(a) == phonetic_key(b)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_sounding_names_do_not(a: str, b: str) -> None:
    assert phonetic_key(a) != phonetic_key(b)


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("Nguyễn", "NGUYEN"),
        ("Trần", "CAN"),
        ("Giang", "ZAN"),
        ("Quý", "KUY"),
        ("Nghĩa", "NGIA"),
        ("Bích", "BIT"),
        ("Yến", "IEN"),
        ("Phương", "FUON"),
        ("Khánh", "KHAN"),
        ("Ksor", "KSOR"),
        ("", ""),
    ],
)
def test_syllable_keys(word: str, key: str) -> None:
    assert syllable_key(word) == key


def test_bulk_and_none() -> None:
    assert phonetic_key(None) is None
    assert phonetic_keys(["Vũ", None, "Dũ", float("nan"), "Vũ"]).tolist() == [
        "ZU", "", "ZU", "", "ZU",
    ]  # fmt: skip


@given(st.text(max_size=40))
def test_key_is_ascii_upper_and_stable(text: str) -> None:
    key = phonetic_key(text)
    assert key.isascii()
    assert key == key.upper()
    assert phonetic_key(text.upper()) == key or not text.isascii()

"""fix_encoding, detect_encoding and encode_legacy."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vnlink.exceptions import ConfigurationError
from vnlink.normalize.legacy import ENCODINGS, detect_encoding, encode_legacy, fix_encoding
from vnlink.normalize.text import to_nfc

NAMES = [
    "Nguyễn Thị Hoa", "Trần Văn Đức", "Đặng Thị Thủy", "Huỳnh Quốc Cường", "Lê Thị Mỹ Duyên",
    "Trương Ưng Hòa", "Vũ Hoàng Yến", "Ngô Quang Khải", "Hồ Thị Ngọc Trâm", "Phạm Ngọc Ánh",
    "Bùi Thị Ẩn", "Đỗ Văn Ý", "Lý Thường Kiệt", "Dương Thị Nguyệt", "Phan Bội Châu",
    "Võ Nguyên Giáp", "Tôn Nữ Thị Ngọc Diễm", "Đinh Tiên Hoàng", "Kiều Thị Thắm",
    "Quách Thị Quỳnh Như", "Thái Văn Lũy", "Lương Thế Vinh", "Nguyễn Thị Xuân Hương",
]  # fmt: skip


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("read_as", ["cp1252", "latin-1"])
@pytest.mark.parametrize("name", NAMES)
def test_round_trip(name: str, encoding: str, read_as: str) -> None:
    garbled = encode_legacy(name, encoding, read_as=read_as)  # type: ignore[arg-type]
    fixed = to_nfc(fix_encoding(garbled))
    if encoding == "tcvn3":  # TCVN3 has no upper-case toned letters
        assert fixed.lower() == name.lower()
    else:
        assert fixed == name
    if to_nfc(garbled) != name:  # VISCII shares some names' letters with Latin-1
        assert detect_encoding(garbled) == encoding


@pytest.mark.parametrize("name", NAMES)
def test_tcvn3_upper_case_comes_back_lower(name: str) -> None:
    garbled = encode_legacy(name.upper(), "tcvn3")
    fixed = fix_encoding(garbled)
    assert fixed.lower() == name.lower()


@pytest.mark.parametrize(
    ("garbled", "expected"),
    [
        ("Nguyá»…n Thá»‹ Hoa", "Nguyễn Thị Hoa"),  # UTF-8 read as cp1252
        ("Nguyá»\x85n Thá»\x8b Hoa", "Nguyễn Thị Hoa"),  # ... as Latin-1
        ("NguyÃ¡Â»â€¦n", "Nguyễn"),  # twice over
        ("Nguyeãn Thò Hoaø", "Nguyễn Thị Hoà"),  # VNI
        ("NGUYEÃN THÒ HOAØ", "NGUYỄN THỊ HOÀ"),
        ("NguyÔn ThÞ Hoa", "Nguyễn Thị Hoa"),  # TCVN3
        ("Tr¥n Vån ÐÑc", "Trần Văn Đức"),  # VISCII
        ("Nguye^~n Thi. Hoa", "Nguyễn Thị Hoa"),  # VIQR
        ("DDa(.ng Va(n Hu+o+`ng", "Đặng Văn Hường"),
        ("ddi\\.a chi?", "đi.a chỉ"),  # a backslash quotes the next character
    ],
)
def test_known_garbles(garbled: str, expected: str) -> None:
    assert fix_encoding(garbled) == expected


@pytest.mark.parametrize(
    "clean",
    [
        "Nguyễn Thị Hoa", "Hà Tú", "Lê Hà", "Tô Ân", "Mai Anh Tú", "José Martí", "Müller",
        "Nguyen Van A.", "Nguyen Van A", "O'Brien", "H'Hen Niê", "Ksor H'Ben", "Hoa(me)",
        "Le Van An?", "Café", "Ðặng", "Nguye\u0302\u0303n", "100%", "", " ", "Thò", "Chào",
        "ĐÀO", "Đỗ Hà", "Lò Văn Páo",
    ],
)  # fmt: skip
def test_clean_text_is_unchanged(clean: str) -> None:
    assert fix_encoding(clean) == clean
    assert detect_encoding(clean) is None


def test_none_and_objects() -> None:
    assert fix_encoding(None) is None
    assert fix_encoding(12) == "12"  # type: ignore[call-overload]
    assert detect_encoding(None) is None
    assert encode_legacy(None, "vni") is None


def test_bad_arguments() -> None:
    with pytest.raises(ConfigurationError, match="use one of"):
        encode_legacy("x", "utf-16")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="read_as"):
        encode_legacy("x", "vni", read_as="utf-8")


def test_encode_examples() -> None:
    assert encode_legacy("Nguyễn Thị Hoà", "vni") == "Nguyeãn Thò Hoaø"
    assert encode_legacy("Nguyễn Thị Hoa", "tcvn3") == "NguyÔn ThÞ Hoa"
    assert encode_legacy("Lê Đức Thọ", "viqr") == "Le^ DDu+'c Tho."
    assert encode_legacy("Đạt", "utf-8") == "Ä\x90áº¡t"
    assert encode_legacy("Đạt", "utf-8", read_as="latin-1") == "Ä\x90áº¡t"


@pytest.mark.parametrize("name", ["tcvn3", "vni", "viscii", "viqr"])
def test_tables_carry_their_source(name: str) -> None:
    path = resources.files("vnlink") / "data" / "encodings" / f"{name}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["source"] and data["licence"] and data["as_of"]
    if name != "viqr":
        letters = data["letters"]
        # every Vietnamese letter (lower case at least) is in the table
        for ch in "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ":
            assert ch in letters, (name, ch)
        codes = [v for v in letters.values()]
        assert len(codes) == len(set(codes)), "two letters share a byte sequence"


_ANY = st.text(
    st.characters(categories=["Cs", "Cc", "Cf", "Lu", "Ll", "Lo", "Mn", "Zs", "Po", "Sm", "So"]),
    max_size=40,
)
_LATIN = st.text(st.characters(min_codepoint=0, max_codepoint=0xFF), max_size=30)
_VIQRISH = st.text(st.sampled_from(list("aeiouyAEOUdD ^(+'`?~.\\ngth")), max_size=30)


@given(st.one_of(_ANY, _LATIN, _VIQRISH))
def test_fix_encoding_is_idempotent_and_total(text: str) -> None:
    once = fix_encoding(text)
    assert isinstance(once, str)
    assert fix_encoding(once) == once


@given(st.text(st.sampled_from([*list("aăâeêioôơuưyđ AĂÂEÊIOÔƠUƯYĐnghtcmpl"), "ễ", "ị"]),
               max_size=30), st.sampled_from(ENCODINGS))  # fmt: skip
def test_encode_legacy_never_raises(text: str, encoding: str) -> None:
    garbled = encode_legacy(text, encoding)  # type: ignore[arg-type]
    assert isinstance(garbled, str)
    fix_encoding(garbled)


def test_long_text() -> None:
    text = encode_legacy("Nguyễn Thị Hoa ", "vni") * 800
    assert len(text) > 10_000
    assert fix_encoding(text).count("Nguyễn") == 800


@settings(max_examples=10)
@given(st.one_of(_ANY, _LATIN, _VIQRISH).filter(bool).map(lambda t: (t * 10_001)[:10_001]))
def test_long_random_text(text: str) -> None:
    once = fix_encoding(text)
    assert fix_encoding(once) == once

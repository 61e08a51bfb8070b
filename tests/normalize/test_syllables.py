"""The syllable validator, tone placement and Telex/VNI repair."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vnlink.normalize.syllables import (
    ONSETS,
    RHYMES,
    is_valid_syllable,
    place_tone,
    repair_typing,
    split_syllable,
)

VALID = """
a ai anh ân ấy em ê i in inh y yên yêu ông ơi u ủa ưa
ba bà bánh bích bưởi ca cà cách của cũng cửa chị chuyện chưa đã đâu đi điện đường
gà gạo gì gìn giá già giếng giữ giường ghi ghế gửi hay hoa hòa hoà hoàn họa hoạch
huy huỳnh huấn khỏe khoẻ khoai khuya khuỷu khuyên kim kiến kỳ kĩ lý lí lời luật
mãi mắt muốn mười năm ngày nghĩa nghiêng ngoài ngoằn người nhà nhiều nhuận oanh
phải phượng quá quả quý quỳnh quyền quyết quốc quân quê quơ rượu sáng suýt tháng
thuở thủy thuỷ thuyền toàn tuấn tuyết trường ương ước xoáy xoong boong xuân yến
nguyễn trần lê phạm hoàng võ vũ đặng bùi đỗ hồ ngô dương đinh trịnh trương
nguyen tran le pham hoang vo vu dang bui do ho ngo duong dinh trinh truong
thi van huu duc quoc cong quang thu my thuy kim ngoc thanh xuan minh anh
""".split()  # noqa: SIM905

INVALID = """
nguyeenx thij hoaf ksor hmong rmah niê xyz bcd aa ee oo ce ci ngi ghu ka ko ku gha
qua2 hoàt hoạt2 hoàc ngắn2 bb đđ mlo jo wa zê fan tuaans
""".split()  # noqa: SIM905


@pytest.mark.parametrize("word", VALID)
def test_valid_syllables(word: str) -> None:
    assert is_valid_syllable(word)
    assert is_valid_syllable(word.upper())
    assert is_valid_syllable(word.title())


@pytest.mark.parametrize("word", INVALID)
def test_invalid_syllables(word: str) -> None:
    assert not is_valid_syllable(word)


def test_unmarked_words_need_the_flag() -> None:
    assert is_valid_syllable("Nguyen") and not is_valid_syllable("Nguyen", allow_unmarked=False)
    assert is_valid_syllable("Nguyễn", allow_unmarked=False)
    assert is_valid_syllable("hoa", allow_unmarked=False)  # "hoa" is a word as it is


def test_stop_finals_take_only_sac_or_nang() -> None:
    for tone_word in ["hoát", "hoạt"]:
        assert is_valid_syllable(tone_word)
    for tone_word in ["hoàt", "hoảt", "hoãt"]:
        assert not is_valid_syllable(tone_word)


def test_not_a_string() -> None:
    assert not is_valid_syllable(None)
    assert not is_valid_syllable(12)  # type: ignore[arg-type]
    assert split_syllable(None) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Nguyễn", ("ng", "uyên", 4)),
        ("quỳnh", ("qu", "ynh", 2)),
        ("giếng", ("g", "iêng", 1)),
        ("gìn", ("g", "in", 2)),
        ("già", ("gi", "a", 2)),
        ("nghiêng", ("ngh", "iêng", 0)),
        ("Trường", ("tr", "ương", 2)),
        ("oanh", ("", "oanh", 0)),
        ("Nguyen", ("ng", "uyen", 0)),
        ("xyz", None),
    ],
)
def test_split_syllable(word: str, expected: tuple[str, str, int] | None) -> None:
    assert split_syllable(word) == expected


def test_tables_look_right() -> None:
    assert "" in ONSETS and "ngh" in ONSETS and "qu" in ONSETS
    assert {"uyên", "ương", "oanh", "iêng", "ươu"} <= RHYMES
    assert len(RHYMES) > 140


@pytest.mark.parametrize(
    ("word", "first", "second"),
    [
        ("hoà", "hòa", "hoà"),
        ("khoẻ", "khỏe", "khoẻ"),
        ("thuỷ", "thủy", "thuỷ"),
        ("Hoá", "Hóa", "Hoá"),
        ("hoàn", "hoàn", "hoàn"),
        ("thuyền", "thuyền", "thuyền"),
        ("huỳnh", "huỳnh", "huỳnh"),
        ("quý", "quý", "quý"),
        ("quỳnh", "quỳnh", "quỳnh"),
        ("người", "người", "người"),
        ("ngòai", "ngoài", "ngoài"),
        ("khủyu", "khuỷu", "khuỷu"),
        ("gìa", "già", "già"),
        ("mùa", "mùa", "mùa"),
        ("Ksor", "Ksor", "Ksor"),
    ],
)
def test_place_tone(word: str, first: str, second: str) -> None:
    assert place_tone(word) == first
    assert place_tone(word, style="second") == second


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Nguyeenx", "Nguyễn"),
        ("Thij", "Thị"),
        ("Hoaf", "Hòa"),
        ("hoaf", "hòa"),
        ("THIJ", "THỊ"),
        ("Tuaans", "Tuấn"),
        ("Truwowngf", "Trường"),
        ("truowngf", "trường"),
        ("Dduwcs", "Đức"),
        ("Hoafng", "Hoàng"),
        ("nguoiwf", "người"),
        ("Xuaan", "Xuân"),
        ("Phuowngj", "Phượng"),
        ("Thuyr", "Thủy"),
        ("Khoer", "Khỏe"),
        ("Ddawngj", "Đặng"),
        ("Nguye6n4", "Nguyễn"),
        ("Tra62n", "Trần"),
        ("d9u7c1", "đức"),
        ("Tu7o7ng2", "Tường"),
        ("Hu2ng", "Hùng"),
        ("Va8n", "Văn"),
        ("Thi5", "Thị"),
        ("Ho62", "Hồ"),
        # valid syllables and hopeless words are left alone
        ("Xuân", "Xuân"),
        ("Hoàng", "Hoàng"),
        ("Thanh", "Thanh"),
        ("Son", "Son"),
        ("xoong", "xoong"),
        ("Ksor", "Ksor"),
        ("James", "James"),
        ("Thomas", "Thomas"),
        ("2021", "2021"),
        ("", ""),
    ],
)
def test_repair_typing(typed: str, expected: str) -> None:
    assert repair_typing(typed) == expected


def test_repair_style() -> None:
    assert repair_typing("Hoaf", style="second") == "Hoà"


WORDS = st.text(st.sampled_from(list("aeiouydgnhtrkqswfxjz0123456789ăâêôơưđ")), max_size=12)


@given(WORDS)
def test_repair_is_idempotent_and_gives_syllables(word: str) -> None:
    once = repair_typing(word)
    assert repair_typing(once) == once
    if once != word:
        assert is_valid_syllable(once)


@given(WORDS)
def test_place_tone_is_idempotent(word: str) -> None:
    once = place_tone(word)
    assert place_tone(once) == once
    assert len(once) == len(word)


@given(st.text(max_size=30))
def test_never_raises(text: str) -> None:
    is_valid_syllable(text)
    split_syllable(text)
    place_tone(text)
    repair_typing(text)

"""Vietnamese names: a table of real-looking cases for every bullet of the name stage."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vnlink.exceptions import ConfigurationError
from vnlink.normalize.legacy import encode_legacy
from vnlink.normalize.names import (
    NAME_COLUMNS,
    PersonName,
    normalize_name,
    normalize_names,
    parse_name,
    parse_names,
    sex_hint,
    sex_hints,
)

# (typed, display form or None, family, middle, given [display], sex hint or None)
CASES: list[tuple[object, str | None, str, str, str, str | None]] = [
    # --- clean names, kept as they are
    ("Nguyễn Văn An", "Nguyễn Văn An", "Nguyễn", "Văn", "An", "M"),
    ("Trần Thị Bích Ngọc", "Trần Thị Bích Ngọc", "Trần", "Thị Bích", "Ngọc", "F"),
    ("Lê Hoàng Long", "Lê Hoàng Long", "Lê", "Hoàng", "Long", None),
    ("Phạm Xuân Trường", "Phạm Xuân Trường", "Phạm", "Xuân", "Trường", None),
    ("Huỳnh Thị Quỳnh", "Huỳnh Thị Quỳnh", "Huỳnh", "Thị", "Quỳnh", "F"),
    ("Võ Quốc Huy", "Võ Quốc Huy", "Võ", "Quốc", "Huy", "M"),
    ("Đặng Thị Thu Hà", "Đặng Thị Thu Hà", "Đặng", "Thị Thu", "Hà", "F"),
    ("Bùi Đức Thắng", "Bùi Đức Thắng", "Bùi", "Đức", "Thắng", "M"),
    ("Đỗ Thị Hoàn", "Đỗ Thị Hoàn", "Đỗ", "Thị", "Hoàn", "F"),
    ("Hồ Văn Thuyền", "Hồ Văn Thuyền", "Hồ", "Văn", "Thuyền", "M"),
    ("Ngô Quý", "Ngô Quý", "Ngô", "", "Quý", None),
    ("Dương Minh Khuê", "Dương Minh Khuê", "Dương", "Minh", "Khuê", None),
    ("Lý Công Uẩn", "Lý Công Uẩn", "Lý", "Công", "Uẩn", "M"),
    ("Trương Mỹ Lan", "Trương Mỹ Lan", "Trương", "Mỹ", "Lan", "F"),
    ("Đinh Hữu Nghĩa", "Đinh Hữu Nghĩa", "Đinh", "Hữu", "Nghĩa", "M"),
    ("Đoàn Thúy Kiều", "Đoàn Thúy Kiều", "Đoàn", "Thúy", "Kiều", "F"),
    ("Lâm Thùy Dương", "Lâm Thùy Dương", "Lâm", "Thùy", "Dương", "F"),
    ("Mai Quang Vinh", "Mai Quang Vinh", "Mai", "Quang", "Vinh", "M"),
    ("Trịnh Đình Khải", "Trịnh Đình Khải", "Trịnh", "Đình", "Khải", "M"),
    ("Cao Kim Ngân", "Cao Kim Ngân", "Cao", "Kim", "Ngân", None),
    ("Tạ Ngọc Ánh", "Tạ Ngọc Ánh", "Tạ", "Ngọc", "Ánh", None),
    ("Châu Giang", "Châu Giang", "Châu", "", "Giang", None),
    ("Thái Gia Khiêm", "Thái Gia Khiêm", "Thái", "Gia", "Khiêm", None),
    ("Quách Tuấn Kiệt", "Quách Tuấn Kiệt", "Quách", "Tuấn", "Kiệt", None),
    ("Tô Thị Ý", "Tô Thị Ý", "Tô", "Thị", "Ý", "F"),
    ("Hà Anh Tuấn", "Hà Anh Tuấn", "Hà", "Anh", "Tuấn", None),
    ("Vũ Thị Giếng", "Vũ Thị Giếng", "Vũ", "Thị", "Giếng", "F"),
    ("Lương Văn Quyết", "Lương Văn Quyết", "Lương", "Văn", "Quyết", "M"),
    ("Kiều Thị Khuyên", "Kiều Thị Khuyên", "Kiều", "Thị", "Khuyên", "F"),
    ("Phan Thị Ngoan", "Phan Thị Ngoan", "Phan", "Thị", "Ngoan", "F"),
    # --- one-word, two-word and many-word names; compound family names
    ("Hoa", "Hoa", "", "", "Hoa", None),
    ("Tâm", "Tâm", "", "", "Tâm", None),
    ("Lê Lai", "Lê Lai", "Lê", "", "Lai", None),
    ("Nguyễn Trãi", "Nguyễn Trãi", "Nguyễn", "", "Trãi", None),
    ("Nguyễn Thị Minh Khai", "Nguyễn Thị Minh Khai", "Nguyễn", "Thị Minh", "Khai", "F"),
    ("Lê Nguyễn Bảo Ngọc Trâm", "Lê Nguyễn Bảo Ngọc Trâm", "Lê", "Nguyễn Bảo Ngọc", "Trâm", None),
    ("Tôn Thất Thuyết", "Tôn Thất Thuyết", "Tôn Thất", "", "Thuyết", None),
    ("Tôn Thất Tùng Lâm", "Tôn Thất Tùng Lâm", "Tôn Thất", "Tùng", "Lâm", None),
    ("Tôn Nữ Thị Hà", "Tôn Nữ Thị Hà", "Tôn Nữ", "Thị", "Hà", "F"),
    ("Tôn Nữ Hà", "Tôn Nữ Hà", "Tôn Nữ", "", "Hà", "F"),
    (
        "Công Tằng Tôn Nữ Thị Minh",
        "Công Tằng Tôn Nữ Thị Minh",
        "Công Tằng Tôn Nữ",
        "Thị",
        "Minh",
        "F",
    ),
    ("Âu Dương Phong", "Âu Dương Phong", "Âu Dương", "", "Phong", None),
    ("Nguyễn Lê Phương Anh", "Nguyễn Lê Phương Anh", "Nguyễn", "Lê Phương", "Anh", None),
    ("Ksor H'Ben", "Ksor H'Ben", "Ksor", "", "H'Ben", None),
    ("Ksor H’Ben", "Ksor H'Ben", "Ksor", "", "H'Ben", None),
    ("Y Moan Niê", "Y Moan Niê", "Y", "Moan", "Niê", None),
    # --- case and spacing
    ("nguyễn văn an", "Nguyễn Văn An", "Nguyễn", "Văn", "An", "M"),
    ("NGUYỄN VĂN AN", "Nguyễn Văn An", "Nguyễn", "Văn", "An", "M"),
    ("nGUYỄN vĂN aN", "Nguyễn Văn An", "Nguyễn", "Văn", "An", "M"),
    ("  Trần   Thị  Lan  ", "Trần Thị Lan", "Trần", "Thị", "Lan", "F"),
    ("Trần\tThị\nLan", "Trần Thị Lan", "Trần", "Thị", "Lan", "F"),
    ("Trần\u00a0Thị\u00a0Lan", "Trần Thị Lan", "Trần", "Thị", "Lan", "F"),
    ("Trần\u200b Thị Lan\ufeff", "Trần Thị Lan", "Trần", "Thị", "Lan", "F"),
    ("Tr\u200bần Thị Lan", "Trần Thị Lan", "Trần", "Thị", "Lan", "F"),
    ("ĐẶNG VĂN ĐỨC", "Đặng Văn Đức", "Đặng", "Văn", "Đức", "M"),
    ("đặng văn đức", "Đặng Văn Đức", "Đặng", "Văn", "Đức", "M"),
    # --- NFD and look-alike letters
    ("Nguye\u0302\u0303n Thi\u0323 Hoa", "Nguyễn Thị Hoa", "Nguyễn", "Thị", "Hoa", "F"),
    ("Nguye\u0303\u0302n Va\u0306n Ba", "Nguyễn Văn Ba", "Nguyễn", "Văn", "Ba", "M"),
    ("Ðặng Văn Ðức", "Đặng Văn Đức", "Đặng", "Văn", "Đức", "M"),
    ("ðặng thị mai", "Đặng Thị Mai", "Đặng", "Thị", "Mai", "F"),
    # --- canonical tone placement (first vowel of open oa/oe/uy)
    ("Nguyễn Thị Hoà", "Nguyễn Thị Hòa", "Nguyễn", "Thị", "Hòa", "F"),
    ("Nguyễn Thị Hòa", "Nguyễn Thị Hòa", "Nguyễn", "Thị", "Hòa", "F"),
    ("Lê Văn Khoẻ", "Lê Văn Khỏe", "Lê", "Văn", "Khỏe", "M"),
    ("Lê Văn Khỏe", "Lê Văn Khỏe", "Lê", "Văn", "Khỏe", "M"),
    ("Phạm Thị Thuỷ", "Phạm Thị Thủy", "Phạm", "Thị", "Thủy", "F"),
    ("Phạm Thị Thủy", "Phạm Thị Thủy", "Phạm", "Thị", "Thủy", "F"),
    ("Trần Thuý Hằng", "Trần Thúy Hằng", "Trần", "Thúy", "Hằng", "F"),
    ("Đỗ Văn Thoả", "Đỗ Văn Thỏa", "Đỗ", "Văn", "Thỏa", "M"),
    ("Lê Thị Loà", "Lê Thị Lòa", "Lê", "Thị", "Lòa", "F"),
    ("Vũ Văn Thuỵ", "Vũ Văn Thụy", "Vũ", "Văn", "Thụy", "M"),
    ("Hoàng Văn Toả", "Hoàng Văn Tỏa", "Hoàng", "Văn", "Tỏa", "M"),
    ("Nguyễn Thị Xoà", "Nguyễn Thị Xòa", "Nguyễn", "Thị", "Xòa", "F"),
    ("Bùi Văn Luỹ", "Bùi Văn Lũy", "Bùi", "Văn", "Lũy", "M"),
    ("Hồ Thị Hoè", "Hồ Thị Hòe", "Hồ", "Thị", "Hòe", "F"),
    ("Nguyễn Văn Hoàn", "Nguyễn Văn Hoàn", "Nguyễn", "Văn", "Hoàn", "M"),
    ("Nguyễn Văn Hòan", "Nguyễn Văn Hoàn", "Nguyễn", "Văn", "Hoàn", "M"),
    ("Trần Văn Toản", "Trần Văn Toản", "Trần", "Văn", "Toản", "M"),
    ("Lê Văn Thuyết", "Lê Văn Thuyết", "Lê", "Văn", "Thuyết", "M"),
    ("Lê Thị Huỳnh Như", "Lê Thị Huỳnh Như", "Lê", "Thị Huỳnh", "Như", "F"),
    ("Trần Quý Khoát", "Trần Quý Khoát", "Trần", "Quý", "Khoát", None),
    ("Đào Thị Quỳnh Hoa", "Đào Thị Quỳnh Hoa", "Đào", "Thị Quỳnh", "Hoa", "F"),
    ("Phan Văn Quý", "Phan Văn Quý", "Phan", "Văn", "Quý", "M"),
    ("Lê Quý Đôn", "Lê Quý Đôn", "Lê", "Quý", "Đôn", None),
    ("Nguyễn Thị Ngoãn", "Nguyễn Thị Ngoãn", "Nguyễn", "Thị", "Ngoãn", "F"),
    ("Lê Văn Ngoài", "Lê Văn Ngoài", "Lê", "Văn", "Ngoài", "M"),
    ("Lê Văn Xoáy", "Lê Văn Xoáy", "Lê", "Văn", "Xoáy", "M"),
    ("Nguyễn Khuỷu", "Nguyễn Khuỷu", "Nguyễn", "", "Khuỷu", None),
    ("Trần Văn Khuyến", "Trần Văn Khuyến", "Trần", "Văn", "Khuyến", "M"),
    ("Nguyễn Văn Gìa", "Nguyễn Văn Già", "Nguyễn", "Văn", "Già", "M"),
    # --- Telex residue
    ("Nguyeenx Vawn Hungf", "Nguyễn Văn Hùng", "Nguyễn", "Văn", "Hùng", "M"),
    ("NGUYEENX THIJ LAN", "Nguyễn Thị Lan", "Nguyễn", "Thị", "Lan", "F"),
    ("Nguyễn Thij Hoaf", "Nguyễn Thị Hòa", "Nguyễn", "Thị", "Hòa", "F"),
    ("Traanf Vawn Dduwcs", "Trần Văn Đức", "Trần", "Văn", "Đức", "M"),
    ("Phamj Thij Thuyr", "Phạm Thị Thủy", "Phạm", "Thị", "Thủy", "F"),
    ("Hoangf Xuaan Truwowngf", "Hoàng Xuân Trường", "Hoàng", "Xuân", "Trường", None),
    ("Leex Thij Phuowngj", "Lễ Thị Phượng", "Lễ", "Thị", "Phượng", "F"),
    ("Ddinhf Vawn Tuaans", "Đình Văn Tuấn", "Đình", "Văn", "Tuấn", "M"),
    ("Voox Thij Hoafng Oanh", "Vỗ Thị Hoàng Oanh", "Vỗ", "Thị Hoàng", "Oanh", "F"),
    ("Buif Ngocj Anh", "Bùi Ngọc Anh", "Bùi", "Ngọc", "Anh", None),
    ("Ddoox Thij Ngaan", "Đỗ Thị Ngân", "Đỗ", "Thị", "Ngân", "F"),
    ("Nguyễn Văn Tieens", "Nguyễn Văn Tiến", "Nguyễn", "Văn", "Tiến", "M"),
    ("Trần Thị Khoer", "Trần Thị Khỏe", "Trần", "Thị", "Khỏe", "F"),
    ("Lê Văn Quyf", "Lê Văn Quỳ", "Lê", "Văn", "Quỳ", "M"),
    # --- VNI keystroke residue
    ("Nguye6n4 Va8n Hu2ng", "Nguyễn Văn Hùng", "Nguyễn", "Văn", "Hùng", "M"),
    ("Tra6n2 Thi5 Lan", "Trần Thị Lan", "Trần", "Thị", "Lan", "F"),
    ("Le6 Thi5 Hoa2", "Lê Thị Hòa", "Lê", "Thị", "Hòa", "F"),
    ("D9a85ng Va8n Tu7o7ng2", "Đặng Văn Tường", "Đặng", "Văn", "Tường", "M"),
    ("Pha5m Ngo5c A1nh", "Phạm Ngọc Ánh", "Phạm", "Ngọc", "Ánh", None),
    ("Ho62 Thi5 Thu3y", "Hồ Thị Thủy", "Hồ", "Thị", "Thủy", "F"),
    # --- valid syllables that look like keystrokes are never rewritten
    ("Hoàng Xuân Sơn", "Hoàng Xuân Sơn", "Hoàng", "Xuân", "Sơn", None),
    ("Lê Văn Tú", "Lê Văn Tú", "Lê", "Văn", "Tú", "M"),
    ("Hoang Xuan Son", "Hoang Xuan Son", "Hoang", "Xuan", "Son", None),
    ("Tran Thi Tuyet", "Tran Thi Tuyet", "Tran", "Thi", "Tuyet", "F"),
    ("Nguyen Van Sang", "Nguyen Van Sang", "Nguyen", "Van", "Sang", "M"),
    ("Ly Thi Xoan", "Ly Thi Xoan", "Ly", "Thi", "Xoan", "F"),
    ("Vo Thi Sau", "Vo Thi Sau", "Vo", "Thi", "Sau", "F"),
    ("Do Van Dat", "Do Van Dat", "Do", "Van", "Dat", "M"),
    # --- names typed without marks (sex hint from the folded middle name)
    ("nguyen van an", "Nguyen Van An", "Nguyen", "Van", "An", "M"),
    ("NGUYEN THI HOA", "Nguyen Thi Hoa", "Nguyen", "Thi", "Hoa", "F"),
    ("Pham Thu Trang", "Pham Thu Trang", "Pham", "Thu", "Trang", "F"),
    ("Le Quoc Bao", "Le Quoc Bao", "Le", "Quoc", "Bao", "M"),
    ("Tran Minh Anh", "Tran Minh Anh", "Tran", "Minh", "Anh", None),
    # --- mojibake and legacy encodings
    ("Nguyá»…n Thá»‹ Hoa", "Nguyễn Thị Hoa", "Nguyễn", "Thị", "Hoa", "F"),
    ("Tráº§n VÄƒn Äá»©c", "Trần Văn Đức", "Trần", "Văn", "Đức", "M"),
    ("Nguyeãn Thò Hoaø", "Nguyễn Thị Hòa", "Nguyễn", "Thị", "Hòa", "F"),
    ("Traàn Vaên Ñöùc", "Trần Văn Đức", "Trần", "Văn", "Đức", "M"),
    ("NguyÔn ThÞ Hoa", "Nguyễn Thị Hoa", "Nguyễn", "Thị", "Hoa", "F"),
    ("TrÇn V¨n §øc", "Trần Văn Đức", "Trần", "Văn", "Đức", "M"),
    ("Tr¥n Vån ÐÑc", "Trần Văn Đức", "Trần", "Văn", "Đức", "M"),
    ("Nguye^~n Thi. Hoa", "Nguyễn Thị Hoa", "Nguyễn", "Thị", "Hoa", "F"),
    ("Tra^`n Va(n DDu+'c", "Trần Văn Đức", "Trần", "Văn", "Đức", "M"),
    ("Le^ Thi. Hu+o+`ng", "Lê Thị Hường", "Lê", "Thị", "Hường", "F"),
    (encode_legacy("Phạm Thị Thủy", "utf-8"), "Phạm Thị Thủy", "Phạm", "Thị", "Thủy", "F"),
    (
        encode_legacy("Hoàng Văn Đạt", "utf-8", read_as="latin-1"),
        "Hoàng Văn Đạt",
        "Hoàng",
        "Văn",
        "Đạt",
        "M",
    ),
    (encode_legacy("Huỳnh Quốc Cường", "vni"), "Huỳnh Quốc Cường", "Huỳnh", "Quốc", "Cường", "M"),
    (encode_legacy("Lê Thị Mỹ Duyên", "vni"), "Lê Thị Mỹ Duyên", "Lê", "Thị Mỹ", "Duyên", "F"),
    (
        encode_legacy("Đặng Thị Ngọc Trâm", "tcvn3"),
        "Đặng Thị Ngọc Trâm",
        "Đặng",
        "Thị Ngọc",
        "Trâm",
        "F",
    ),
    (encode_legacy("Trương Văn Lực", "tcvn3"), "Trương Văn Lực", "Trương", "Văn", "Lực", "M"),
    (encode_legacy("Vũ Hoàng Yến", "viscii"), "Vũ Hoàng Yến", "Vũ", "Hoàng", "Yến", None),
    (encode_legacy("Phạm Thị Hương", "viscii"), "Phạm Thị Hương", "Phạm", "Thị", "Hương", "F"),
    (encode_legacy("Đỗ Đức Dũng", "viqr"), "Đỗ Đức Dũng", "Đỗ", "Đức", "Dũng", "M"),
    # --- clean text that only looks like an encoding stays
    ("José Martí", "José Martí", "José", "", "Martí", None),
    ("Lê Hà", "Lê Hà", "Lê", "", "Hà", None),
    ("Nguyễn Văn A.", "Nguyễn Văn A", "Nguyễn", "Văn", "A", "M"),
    # --- digits and punctuation dropped
    ("Nguyễn Văn An (2)", "Nguyễn Văn An", "Nguyễn", "Văn", "An", "M"),
    ("Nguyễn Văn An, 1985", "Nguyễn Văn An", "Nguyễn", "Văn", "An", "M"),
    ("Trần.Thị.Lan", "Trần Thị Lan", "Trần", "Thị", "Lan", "F"),
    ("Nguyễn-Văn-An", "Nguyễn Văn An", "Nguyễn", "Văn", "An", "M"),
    ("Nguyễn_Văn_An", "Nguyễn Văn An", "Nguyễn", "Văn", "An", "M"),
    ('"Lê Văn Tám"', "Lê Văn Tám", "Lê", "Văn", "Tám", "M"),
    ("Lê Văn Tám*", "Lê Văn Tám", "Lê", "Văn", "Tám", "M"),
    ("Bé Na", "Bé Na", "Bé", "", "Na", None),
    # --- missing and junk
    (None, None, "", "", "", None),
    (float("nan"), None, "", "", "", None),
    ("", None, "", "", "", None),
    ("   ", None, "", "", "", None),
    ("\u200b", None, "", "", "", None),
    ("không rõ", None, "", "", "", None),
    ("KHONG RO", None, "", "", "", None),
    ("Chưa có tên", None, "", "", "", None),
    ("N/A", None, "", "", "", None),
    ("null", None, "", "", "", None),
    ("???", None, "", "", "", None),
    ("123456", None, "", "", "", None),
    ("xxx", None, "", "", "", None),
    ("-", None, "", "", "", None),
    ("x", None, "", "", "", None),
    ("vô danh", None, "", "", "", None),
    (12345, None, "", "", "", None),
]


def _fold(text: str) -> str:
    from vnlink.normalize.text import fold

    return fold(text) or ""


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 150


@pytest.mark.parametrize(("typed", "display", "family", "middle", "given_", "sex"), CASES)
def test_name_cases(
    typed: object, display: str | None, family: str, middle: str, given_: str, sex: str | None
) -> None:
    assert normalize_name(typed) == display
    parsed = parse_name(typed)
    if display is None:
        assert parsed is None
        assert sex_hint(typed) is None if isinstance(typed, str) or typed is None else True
        return
    assert parsed is not None
    assert (parsed.family, parsed.middle, parsed.given) == (family, middle, given_)
    assert parsed.full == display
    assert parsed.sex_hint == sex
    cols = parse_names([typed])
    assert cols["name"][0] == display
    assert cols["name_fold"][0] == _fold(display)
    assert (cols["family"][0], cols["middle"][0], cols["given"][0]) == (
        _fold(family), _fold(middle), _fold(given_),
    )  # fmt: skip
    assert cols["sex_hint"][0] == (sex or "")


def test_bulk_columns_follow_the_contract() -> None:
    values = ["Nguyễn Thị Hoà", None, "nguyen thi hoa", "Nguyễn Thị Hoà", "không rõ", "Hoa"]
    cols = parse_names(values)
    assert tuple(cols) == NAME_COLUMNS == (
        "name", "name_fold", "family", "middle", "given",
        "name_key", "given_key", "sex_hint", "name_problems",
    )  # fmt: skip
    for column in cols.values():
        assert column.dtype == object and len(column) == len(values)
        assert all(isinstance(v, str) for v in column)
    assert cols["name"].tolist() == [
        "Nguyễn Thị Hòa", "", "Nguyen Thi Hoa", "Nguyễn Thị Hòa", "", "Hoa",
    ]  # fmt: skip
    assert cols["name_key"][0] == cols["name_key"][2] == "NGUYEN THI HOA"
    assert cols["given_key"].tolist() == ["HOA", "", "HOA", "HOA", "", "HOA"]
    assert cols["name_problems"].tolist() == [
        "", "name:missing", "name:no_diacritics", "", "name:junk", "name:single_word",
    ]  # fmt: skip


def test_bulk_processes_each_distinct_value_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import vnlink.normalize.names as names

    calls: list[object] = []
    real = names._row

    def counting(value: object) -> object:
        calls.append(value)
        return real(value)

    monkeypatch.setattr(names, "_row", counting)
    values = ["Lê Văn Tám", "Lê Văn Tám", None, "Lê Văn Tám", None, "Lê Thị Hà"]
    out = names.parse_names(values)
    assert sorted(map(str, calls)) == sorted(["None", "Lê Thị Hà", "Lê Văn Tám"])
    assert out["given"].tolist() == ["tam", "tam", "", "tam", "", "ha"]


def test_bulk_accepts_numpy_and_empty_input() -> None:
    arr = np.array(["Lê Lai", "Lê Lai"], dtype=object)
    assert parse_names(arr)["family"].tolist() == ["le", "le"]
    empty = parse_names([])
    assert set(empty) == set(NAME_COLUMNS) and all(len(c) == 0 for c in empty.values())
    assert normalize_names(np.array(["lê lai", None], dtype=object)).tolist() == ["Lê Lai", ""]
    assert sex_hints(["Lê Thị Hà", "Lê Văn Tám", "Lê Hà", math.nan]).tolist() == [
        "F", "M", "", "",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "problems"),
    [
        ("Nguyễn Văn An", ()),
        ("Hoa", ("name:single_word",)),
        ("nguyen van an", ("name:no_diacritics",)),
        ("Nguyeenx Vawn An", ("name:typing_repaired",)),
        ("Nguyá»…n VÄƒn An", ("name:encoding_repaired",)),
        ("Nguyễn Văn An 2", ("name:characters_removed",)),
        ("Ksor H'Ben", ("name:not_vietnamese",)),
        ("A B C D E F G H", ("name:too_long",)),
    ],
)
def test_problem_codes(typed: str, problems: tuple[str, ...]) -> None:
    parsed = parse_name(typed)
    assert parsed is not None
    assert set(problems) <= set(parsed.problems)
    assert all(p.startswith("name:") and p.isascii() for p in parsed.problems)


def test_person_name_unpacks_and_folds() -> None:
    parsed = parse_name("Đặng Thị Thu Thuỷ")
    assert isinstance(parsed, PersonName)
    family, middle, given_ = parsed
    assert (family, middle, given_) == ("Đặng", "Thị Thu", "Thủy")
    assert (parsed.family_fold, parsed.middle_fold, parsed.given_fold) == (
        "dang", "thi thu", "thuy",
    )  # fmt: skip
    assert parsed.full_fold == "dang thi thu thuy"
    assert parsed.key == "ZAN THI THU THUY" and parsed.given_key == "THUY"
    assert sex_hint(parsed) == "F"


def test_sex_hint_scalar() -> None:
    assert sex_hint("Nguyễn Thị Lan") == "F"
    assert sex_hint("Nguyễn Văn Lan") == "M"
    assert sex_hint("Nguyễn Vân Anh") is None
    assert sex_hint("Nguyễn Lan") is None
    assert sex_hint(None) is None
    assert sex_hint("Nguyễn Ngọc Thị Lan") == "F"  # Thị wins wherever it is


# --------------------------------------------------------------------------- properties

_ANY_TEXT = st.text(
    st.characters(categories=["Cs", "Cc", "Cf", "Lu", "Ll", "Lo", "Mn", "Zs", "Nd", "Po"]),
    max_size=40,
)
_VIETNAMESE = st.text(
    st.sampled_from([*list("aăâeêioôơuưyđ AĂÂEÊIOÔƠUƯYĐnghtrkqsxd'"), "ễ", "ị", "ò", "ủ"]),
    max_size=30,
)


@given(st.one_of(_ANY_TEXT, _VIETNAMESE))
def test_normalize_name_is_idempotent_and_total(text: str) -> None:
    once = normalize_name(text)
    assert once is None or (isinstance(once, str) and once == once.strip() and once)
    if once is not None:
        assert normalize_name(once) == once


@given(st.one_of(_ANY_TEXT, _VIETNAMESE))
def test_parse_name_never_raises_and_folds_to_ascii(text: str) -> None:
    parsed = parse_name(text)
    if parsed is not None:
        assert parsed.full_fold.isascii() and parsed.key.isascii()
        assert parse_name(parsed.full) is not None


def test_long_strings_and_odd_objects() -> None:
    long = "Nguyễn Văn An " * 800
    assert len(long) > 10_000
    assert normalize_name(long) is not None
    assert normalize_name("\ud800\udfff") is None
    for odd in (b"bytes", object(), ["list"], {"a": 1}, 3.5, 12):
        assert normalize_name(odd) is None or isinstance(normalize_name(odd), str)
    cols = parse_names([object(), ["list"], {"a": 1}, 3.5])
    assert cols["name"].dtype == object and all(isinstance(v, str) for v in cols["name"])


_LONG = st.text(min_size=1, max_size=40).map(lambda t: (t * (10_000 // len(t) + 1))[:10_001])


@settings(max_examples=10)
@given(_LONG)
def test_very_long_random_strings(text: str) -> None:
    assert len(text) == 10_001
    once = normalize_name(text)
    assert once is None or normalize_name(once) == once
    parse_names([text])


_TYPED = [c[0] for c in CASES if isinstance(c[0], str)]


@given(st.one_of(_ANY_TEXT, _VIETNAMESE, st.sampled_from(_TYPED)))
def test_fast_path_agrees_with_the_general_path(text: str) -> None:
    import vnlink.normalize.names as names

    fast = names._fast_row(text)
    if fast is not None:
        words = names._analyse_name(text)
        assert words is not None
        assert fast[0] == words.display
        assert fast[8] == ";".join(words.problems)
        family, middle, given_ = names.parse_name(text) or ("", "", "")
        parts = tuple(names._fold_text(p) for p in (family, middle, given_))
        assert (fast[2], fast[3], fast[4]) == parts


@pytest.mark.parametrize("encoding", ["vni", "tcvn3", "viscii", "viqr", "utf-8"])
def test_column_encoding_decodes_ambiguous_names(encoding: str) -> None:
    people = ["Mai Thị Thu", "Phạm Anh Duy", "Cao Kim Hạ", "Vũ Minh Phú", "Lý Thị Vy",
              "Nguyễn Văn Tuấn", "Trần Thị Lan", "Đỗ Hoàng Long", "Bùi Thị Hồng Nhung"]  # fmt: skip
    column = [encode_legacy(p, encoding) for p in people]  # type: ignore[arg-type]
    cols = parse_names(column, encoding="column")
    expected = [normalize_name(p) for p in people]
    assert cols["name"].tolist() == expected
    assert all("name:encoding_repaired" in p for p in cols["name_problems"])
    # the same names as clean Unicode are never touched
    clean = parse_names([*people, *column[:3]], encoding="column")["name"].tolist()[: len(people)]
    assert clean == expected


def test_column_encoding_leaves_clean_columns_alone() -> None:
    column = ["Hoà Thu Linh", "Mai Thò", "Lê Hà", "Tô Ân"]
    assert parse_names(column, encoding="column")["name"].tolist() == [
        "Hòa Thu Linh", "Mai Thò", "Lê Hà", "Tô Ân",
    ]  # fmt: skip
    assert normalize_names(["Mai Thò Thu"], encoding="vni").tolist() == ["Mai Thị Thu"]
    with pytest.raises(ConfigurationError, match="unknown encoding"):
        parse_names(["x"], encoding="latin-9")


def test_pandas_series_with_missing_values() -> None:
    pd = pytest.importorskip("pandas")
    series = pd.Series(["Lê Thị Hà", None, pd.NA, float("nan"), "Lê Thị Hà"], dtype=object)
    cols = parse_names(series)
    assert cols["name"].tolist() == ["Lê Thị Hà", "", "", "", "Lê Thị Hà"]
    assert cols["name_problems"].tolist()[1:4] == ["name:missing"] * 3


@pytest.mark.parametrize(
    ("typed", "display", "parts"),
    [
        ("georgia rees", "georgia rees", ("georgia", "", "rees")),
        ("alessandra van groesen", "alessandra van groesen", ("alessandra", "van", "groesen")),
        ("Mary-Jane O’Brien", "Mary-Jane O'Brien", ("Mary-Jane", "", "O'Brien")),
        ("gus  smith", "gus smith", ("gus", "", "smith")),
        # one word is no syllable, another "repairs" to one no name uses ("hees" -> "Hế")
        ("ebony van hees", "ebony van hees", ("ebony", "van", "hees")),
        ("rees", "rees", ("", "", "rees")),  # one word: "Rế" is no name
        ("kira mac an", "kira mac an", ("kira", "mac", "an")),  # "Kỉa": no name, no place
    ],
)
def test_foreign_names_are_kept_as_written(typed: str, display: str,
                                           parts: tuple[str, str, str]) -> None:
    assert normalize_name(typed) == display
    parsed = parse_name(typed)
    assert parsed is not None
    assert (parsed.family, parsed.middle, parsed.given) == parts
    assert "name:kept_as_written" in parsed.problems
    assert parsed.sex_hint is None  # "van" in a Dutch name is no "Văn"
    assert normalize_name(display) == display


def test_a_vietnamese_name_with_one_odd_word_is_still_repaired() -> None:
    assert normalize_name("nguyeenx thij hoaf") == "Nguyễn Thị Hòa"
    assert normalize_name("nguyeenx vawn xyzq") == "Nguyễn Văn Xyzq"  # repairs to names
    assert normalize_name("Nguyen Van Thuaanj") == "Nguyen Van Thuận"  # a place's syllable
    assert normalize_name("nguyen vaan anhh").startswith("Nguyen Vân")


def test_decomposed_names_take_the_fast_path_with_the_general_result() -> None:
    import unicodedata

    from vnlink.datasets import make_registry
    from vnlink.normalize import names as module

    names = make_registry(3_000, seed=4)["full_name"].tolist()
    variants = [unicodedata.normalize("NFD", n) for n in names]
    variants += [unicodedata.normalize("NFD", n.upper()) for n in names[:500]]
    variants += [unicodedata.normalize("NFD", n).replace(" ", "  ") for n in names[:200]]
    fast = 0
    for value in variants:
        assert module._row(value) == module._general_row(value), value
        fast += module._fast_row(value) is not None
    assert fast > len(variants) // 2

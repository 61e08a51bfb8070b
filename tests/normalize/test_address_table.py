"""Table-driven tests of the address parser on real-looking addresses from every region.

Expected units are written as official names and turned into codes through the
gazetteer (not through the parser), so a wrong parse cannot pass.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from vnlink.normalize import gazetteer as gz
from vnlink.normalize.address import fold_place, parse_address

HCM, HN = "Thành phố Hồ Chí Minh", "Thành phố Hà Nội"

# (text, ward, district, province); "" = must stay unknown
CASES: list[tuple[str, str, str, str]] = [
    # --- Hồ Chí Minh City: numbered wards and districts, F-slang, short forms
    ("12/3A hẻm 45 Lê Văn Sỹ, P.13, Q3, TPHCM", "Phường 13", "Quận 3", HCM),
    ("135 Nam Kỳ Khởi Nghĩa, P. Bến Thành, Q.1, TP.HCM", "Phường Bến Thành", "Quận 1", HCM),
    (
        "45 Trần Hưng Đạo, Phường Cầu Ông Lãnh, Quận 1, Thành phố Hồ Chí Minh",
        "Phường Cầu Ông Lãnh",
        "Quận 1",
        HCM,
    ),
    ("268 Lý Thường Kiệt, P14, Q10, HCM", "Phường 14", "Quận 10", HCM),
    ("F7, Q. Gò Vấp, TP HCM", "Phường 7", "Quận Gò Vấp", HCM),
    ("F.7 Q.Gò Vấp TPHCM", "Phường 7", "Quận Gò Vấp", HCM),
    (
        "Số 20 đường số 5, P. Linh Trung, TP. Thủ Đức, TP.HCM",
        "Phường Linh Trung",
        "Thành phố Thủ Đức",
        HCM,
    ),
    ("123 Nguyễn Văn Linh, P. Tân Phong, Q7, SG", "Phường Tân Phong", "Quận 7", HCM),
    ("25/4 Phan Văn Trị, P.10, Q.Gò Vấp, Sài Gòn", "Phường 10", "Quận Gò Vấp", HCM),
    ("Ấp 3, Xã Tân Thạnh Đông, Huyện Củ Chi, TP HCM", "Xã Tân Thạnh Đông", "Huyện Củ Chi", HCM),
    ("12 Nguyễn Trãi P.2 Q.5 TP.HCM", "Phường 2", "Quận 5", HCM),
    ("Chung cư Phú Mỹ, P. Phú Mỹ, Q7, TPHCM", "Phường Phú Mỹ", "Quận 7", HCM),
    ("456/12 Lê Hồng Phong, Phường 1, Quận 10, Thành phố Hồ Chí Minh", "Phường 1", "Quận 10", HCM),
    ("KP 4, P. Tân Thới Hiệp, Q.12, HCM", "Phường Tân Thới Hiệp", "Quận 12", HCM),
    (
        "1 Võ Văn Ngân, Linh Chiểu, Thủ Đức, Hồ Chí Minh",
        "Phường Linh Chiểu",
        "Thành phố Thủ Đức",
        HCM,
    ),
    ("P.03, Q.Bình Thạnh, TP.HCM", "Phường 3", "Quận Bình Thạnh", HCM),
    ("Thảo Điền, Quận 2, TP HCM", "Phường Thảo Điền", "Thành phố Thủ Đức", HCM),
    ("Phường 15, Tân Bình, HCM", "Phường 15", "Quận Tân Bình", HCM),
    ("xa Vinh Loc A, huyen Binh Chanh, tphcm", "Xã Vĩnh Lộc A", "Huyện Bình Chánh", HCM),
    ("Thị trấn Nhà Bè, Huyện Nhà Bè, TP. Hồ Chí Minh", "Thị trấn Nhà Bè", "Huyện Nhà Bè", HCM),
    ("P. An Lạc A, Q. Bình Tân, TP. HCM", "Phường An Lạc A", "Quận Bình Tân", HCM),
    ("SỐ 10, PHƯỜNG BẾN NGHÉ, QUẬN 1, TP.HCM", "Phường Bến Nghé", "Quận 1", HCM),
    ("\u00d0ường Lê Lợi, P. Bến Thành, Q.1, TP.HCM", "Phường Bến Thành", "Quận 1", HCM),
    ("12 Le Loi Ben Nghe Q1 HCM", "Phường Bến Nghé", "Quận 1", HCM),
    ("P. Bến Nghé, TP.HCM", "Phường Bến Nghé", "Quận 1", HCM),  # district inferred
    ("P. Bến Nghé, Q.1", "Phường Bến Nghé", "Quận 1", HCM),  # province inferred
    ("TP Hồ Chí Minh, Quận 3, Phường 13, 12 Lê Văn Sỹ", "Phường 13", "Quận 3", HCM),
    ("P. Bến Ngé, Q1, TPHCM", "Phường Bến Nghé", "Quận 1", HCM),  # typo
    ("phuong 13 quan 3 thanh pho ho chi minh", "Phường 13", "Quận 3", HCM),
    ("Phường 1, TPHCM", "", "", HCM),  # which Phường 1? unknown, not guessed
    # --- Hà Nội: ngõ, ngách, phố, thôn, xóm
    (
        "Số 5 ngõ 12 ngách 34 phố Huế, P. Phố Huế, Q. Hai Bà Trưng, HN",
        "Phường Phố Huế",
        "Quận Hai Bà Trưng",
        HN,
    ),
    (
        "Ngõ 165 Cầu Giấy, Phường Dịch Vọng, Quận Cầu Giấy, Hà Nội",
        "Phường Dịch Vọng",
        "Quận Cầu Giấy",
        HN,
    ),
    (
        "Số 1 Đại Cồ Việt, Bách Khoa, Hai Bà Trưng, Hà Nội",
        "Phường Bách Khoa",
        "Quận Hai Bà Trưng",
        HN,
    ),
    (
        "ngach 20 ngo 100 Hoang Quoc Viet, P. Nghia Do, Q. Cau Giay, Ha Noi",
        "Phường Nghĩa Đô",
        "Quận Cầu Giấy",
        HN,
    ),
    ("xom 2 thon Dong, xa Tam Hung, H. Thanh Oai, Ha Noi", "Xã Tam Hưng", "Huyện Thanh Oai", HN),
    ("Thôn Đông, xã Cổ Loa, huyện Đông Anh, TP Hà Nội", "Xã Cổ Loa", "Huyện Đông Anh", HN),
    ("P. Trúc Bạch, Q. Ba Đình, HN", "Phường Trúc Bạch", "Quận Ba Đình", HN),
    ("12 Hàng Bài, P. Tràng Tiền, Q. Hoàn Kiếm, Hà Nội", "Phường Tràng Tiền", "Quận Hoàn Kiếm", HN),
    ("Tổ 5, P. Yên Nghĩa, Q. Hà Đông, Hà Nội", "Phường Yên Nghĩa", "Quận Hà Đông", HN),
    ("P. Mỹ Đình 1, Q. Nam Từ Liêm, Hà Nội", "Phường Mỹ Đình 1", "Quận Nam Từ Liêm", HN),
    (
        "Số 8 ngõ 1 Phạm Văn Đồng, Cổ Nhuế 2, Bắc Từ Liêm, Hà Nội",
        "Phường Cổ Nhuế 2",
        "Quận Bắc Từ Liêm",
        HN,
    ),
    ("Thị trấn Trâu Quỳ, Gia Lâm, Hà Nội", "Thị trấn Trâu Quỳ", "Huyện Gia Lâm", HN),
    ("xã Yên Viên, huyện Gia Lâm, Hà Nội", "Xã Yên Viên", "Huyện Gia Lâm", HN),
    ("thị trấn Yên Viên, Gia Lâm, HN", "Thị trấn Yên Viên", "Huyện Gia Lâm", HN),
    ("Thôn 3, Xã Phú Cát, Huyện Quốc Oai, Hà Nội", "Xã Phú Cát", "Huyện Quốc Oai", HN),
    (
        "KĐT Linh Đàm, P. Hoàng Liệt, Q. Hoàng Mai, Hà Nội",
        "Phường Hoàng Liệt",
        "Quận Hoàng Mai",
        HN,
    ),
    ("P.Láng Hạ, Q.Đống Đa, TP.Hà Nội", "Phường Láng Hạ", "Quận Đống Đa", HN),
    ("P. Quang Trung, TX Sơn Tây, Hà Nội", "Phường Quang Trung", "Thị xã Sơn Tây", HN),
    (
        "so 5 ngo 12 pho hue phuong pho hue quan hai ba trung ha noi",
        "Phường Phố Huế",
        "Quận Hai Bà Trưng",
        HN,
    ),
    ("12 Nguyễn Trãi, Hà Nội", "", "", HN),  # a street, not the ward Nguyễn Trãi
    ("Xã Phúc Xá, Ba Đình, HN", "Phường Phúc Xá", "Quận Ba Đình", HN),  # wrong kind typed
    # --- Mekong delta: ấp, khóm, sóc, khu vực
    (
        "Ấp Tân Hòa, xã Tân Hòa, huyện Lai Vung, tỉnh Đồng Tháp",
        "Xã Tân Hòa",
        "Huyện Lai Vung",
        "Tỉnh Đồng Tháp",
    ),
    (
        "Ấp 3, Xã Mỹ Hạnh Nam, Huyện Đức Hòa, Long An",
        "Xã Mỹ Hạnh Nam",
        "Huyện Đức Hòa",
        "Tỉnh Long An",
    ),
    (
        "ấp Long Hòa, xã Long Hựu Đông, huyện Cần Đước, tỉnh Long An",
        "Xã Long Hựu Đông",
        "Huyện Cần Đước",
        "Tỉnh Long An",
    ),
    (
        "Ấp Bình Hòa, Xã Bình Thành, Huyện Thoại Sơn, An Giang",
        "Xã Bình Thành",
        "Huyện Thoại Sơn",
        "Tỉnh An Giang",
    ),
    (
        "Khóm 2, Phường 5, TP Sóc Trăng, Sóc Trăng",
        "Phường 5",
        "Thành phố Sóc Trăng",
        "Tỉnh Sóc Trăng",
    ),
    (
        "Khóm 3, P. Châu Phú A, TP Châu Đốc, An Giang",
        "Phường Châu Phú A",
        "Thành phố Châu Đốc",
        "Tỉnh An Giang",
    ),
    (
        "Ấp Rạch Gốc, xã Tân Ân, huyện Ngọc Hiển, Cà Mau",
        "Xã Tân Ân",
        "Huyện Ngọc Hiển",
        "Tỉnh Cà Mau",
    ),
    (
        "Ấp 5, TT. Cái Nước, H. Cái Nước, Cà Mau",
        "Thị trấn Cái Nước",
        "Huyện Cái Nước",
        "Tỉnh Cà Mau",
    ),
    (
        "ấp Trường Thọ, xã Trường Long, huyện Phong Điền, TP Cần Thơ",
        "Xã Trường Long",
        "Huyện Phong Điền",
        "Thành phố Cần Thơ",
    ),
    (
        "Khu vực 4, P. An Khánh, Q. Ninh Kiều, Cần Thơ",
        "Phường An Khánh",
        "Quận Ninh Kiều",
        "Thành phố Cần Thơ",
    ),
    (
        "Ấp Mỹ Lợi, xã Mỹ Đức Tây, huyện Cái Bè, Tiền Giang",
        "Xã Mỹ Đức Tây",
        "Huyện Cái Bè",
        "Tỉnh Tiền Giang",
    ),
    (
        "Ap 1, Xa Hiep Hung, Huyen Phung Hiep, Hau Giang",
        "Xã Hiệp Hưng",
        "Huyện Phụng Hiệp",
        "Tỉnh Hậu Giang",
    ),
    (
        "Sóc Ruộng, Xã Lương Hòa, Huyện Châu Thành, Trà Vinh",
        "Xã Lương Hòa",
        "Huyện Châu Thành",
        "Tỉnh Trà Vinh",
    ),
    (
        "Ấp Mỹ Hòa, Xã Mỹ Thuận, Huyện Bình Tân, Vĩnh Long",
        "Xã Mỹ Thuận",
        "Huyện Bình Tân",
        "Tỉnh Vĩnh Long",
    ),
    (
        "ấp 2 xã vĩnh thạnh huyện chợ lách bến tre",
        "Xã Vĩnh Thạnh",
        "Huyện Chợ Lách",
        "Tỉnh Bến Tre",
    ),
    ("Ấp Tân Hòa, Xã Tân Hòa, Đồng Tháp", "", "", "Tỉnh Đồng Tháp"),  # two Tân Hòa communes
    ("Thị trấn Cần Giuộc, Long An", "Thị trấn Cần Giuộc", "Huyện Cần Giuộc", "Tỉnh Long An"),
    (
        "Ấp Bình Thạnh 1, Xã Bình Hòa, H. Châu Thành, Tỉnh An Giang",
        "Xã Bình Hòa",
        "Huyện Châu Thành",
        "Tỉnh An Giang",
    ),
    ("P.7, TP. Bạc Liêu, Bạc Liêu", "Phường 7", "Thành phố Bạc Liêu", "Tỉnh Bạc Liêu"),
    ("Phường 4, TP Mỹ Tho, Tiền Giang", "Phường 4", "Thành phố Mỹ Tho", "Tỉnh Tiền Giang"),
    # --- Central Highlands: buôn, bon, plei, làng
    (
        "Buôn Kô Tam, xã Ea Tu, TP Buôn Ma Thuột, Đắk Lắk",
        "Xã Ea Tu",
        "Thành phố Buôn Ma Thuột",
        "Tỉnh Đắk Lắk",
    ),
    (
        "Buôn Trí, xã Krông Na, huyện Buôn Đôn, tỉnh Đắk Lắk",
        "Xã Krông Na",
        "Huyện Buôn Đôn",
        "Tỉnh Đắk Lắk",
    ),
    ("thon 3 xa Ia Kla huyen Duc Co tinh Gia Lai", "Xã Ia Kla", "Huyện Đức Cơ", "Tỉnh Gia Lai"),
    (
        "Buôn Cuôr Đăng, xã Cuôr Đăng, huyện Cư M'gar, Đắk Lắk",
        "Xã Cuôr Đăng",
        "Huyện Cư M'gar",
        "Tỉnh Đắk Lắk",
    ),
    (
        "buon Ea Khal, xa Ea Khal, huyen Ea Hleo, Daklak",
        "Xã Ea Khal",
        "Huyện Ea H'leo",
        "Tỉnh Đắk Lắk",
    ),
    (
        "Làng Kon Klor, P. Thắng Lợi, TP Kon Tum, Kon Tum",
        "Phường Thắng Lợi",
        "Thành phố Kon Tum",
        "Tỉnh Kon Tum",
    ),
    ("TT. Plei Kần, H. Ngọc Hồi, Kon Tum", "Thị trấn Plei Kần", "Huyện Ngọc Hồi", "Tỉnh Kon Tum"),
    (
        "Bon Bu Prâng, xã Quảng Trực, huyện Tuy Đức, Đắk Nông",
        "Xã Quảng Trực",
        "Huyện Tuy Đức",
        "Tỉnh Đắk Nông",
    ),
    (
        "Thôn 2, xã Đắk Ha, huyện Đắk Glong, Đắk Nông",
        "Xã Đắk Ha",
        "Huyện Đắk Glong",
        "Tỉnh Đắk Nông",
    ),
    (
        "Tổ 3, P. Tân Lợi, TP. Buôn Ma Thuột, Đắk Lắk",
        "Phường Tân Lợi",
        "Thành phố Buôn Ma Thuột",
        "Tỉnh Đắk Lắk",
    ),
    (
        "Thôn Lạc Thiện, xã Đinh Lạc, huyện Di Linh, Lâm Đồng",
        "Xã Đinh Lạc",
        "Huyện Di Linh",
        "Tỉnh Lâm Đồng",
    ),
    ("P.1, TP. Đà Lạt, Lâm Đồng", "Phường 1", "Thành phố Đà Lạt", "Tỉnh Lâm Đồng"),
    ("Plei Ốp, P. Hoa Lư, TP Pleiku, Gia Lai", "Phường Hoa Lư", "Thành phố Pleiku", "Tỉnh Gia Lai"),
    ("P. Tây Sơn, TP. Pleiuk, Gia Lai", "Phường Tây Sơn", "Thành phố Pleiku", "Tỉnh Gia Lai"),
    ("Xã Ia Rsai, Huyện Krông Pa, Gia Lai", "Xã Ia RSai", "Huyện Krông Pa", "Tỉnh Gia Lai"),
    # --- Central coast: kiệt, tổ, thôn; Huế and its short forms
    (
        "Kiệt 12 Ông Ích Khiêm, P. Thanh Bình, Q. Hải Châu, Đà Nẵng",
        "Phường Thanh Bình",
        "Quận Hải Châu",
        "Thành phố Đà Nẵng",
    ),
    (
        "12 Lê Lợi, P. Vĩnh Ninh, TP Huế, Thừa Thiên Huế",
        "Phường Vĩnh Ninh",
        "Thành phố Huế",
        "Tỉnh Thừa Thiên Huế",
    ),
    (
        "kiệt 5 Nguyễn Trãi, P. Tây Lộc, TP. Huế, TT Huế",
        "Phường Tây Lộc",
        "Thành phố Huế",
        "Tỉnh Thừa Thiên Huế",
    ),
    ("P. Phú Hội, Huế", "Phường Phú Hội", "Thành phố Huế", "Tỉnh Thừa Thiên Huế"),
    (
        "P. Hương Vân, TX Hương Trà, Thừa Thiên - Huế",
        "Phường Hương Vân",
        "Thị xã Hương Trà",
        "Tỉnh Thừa Thiên Huế",
    ),
    (
        "Phường Hương Văn, Hương Trà, Huế",
        "Phường Hương Văn",
        "Thị xã Hương Trà",
        "Tỉnh Thừa Thiên Huế",
    ),
    (
        "Thôn 1, xã Hòa Phú, huyện Hòa Vang, TP Đà Nẵng",
        "Xã Hòa Phú",
        "Huyện Hòa Vang",
        "Thành phố Đà Nẵng",
    ),
    (
        "Thôn 1, xã Hoà Phú, huyện Hoà Vang, TP Đà Nẵng",
        "Xã Hòa Phú",
        "Huyện Hòa Vang",
        "Thành phố Đà Nẵng",
    ),
    (
        "Số 10 Trần Phú, P. Lộc Thọ, TP Nha Trang, Khánh Hòa",
        "Phường Lộc Thọ",
        "Thành phố Nha Trang",
        "Tỉnh Khánh Hòa",
    ),
    (
        "Khối 5, P. Hưng Bình, TP Vinh, Nghệ An",
        "Phường Hưng Bình",
        "Thành phố Vinh",
        "Tỉnh Nghệ An",
    ),
    (
        "Xóm 3, xã Nghi Phong, huyện Nghi Lộc, Nghệ An",
        "Xã Nghi Phong",
        "Huyện Nghi Lộc",
        "Tỉnh Nghệ An",
    ),
    (
        "Thôn 4, xã Cam Thành Bắc, huyện Cam Lâm, Khánh Hòa",
        "Xã Cam Thành Bắc",
        "Huyện Cam Lâm",
        "Tỉnh Khánh Hòa",
    ),
    (
        "Khu phố 2, P. Phước Mỹ, TP Phan Rang-Tháp Chàm, Ninh Thuận",
        "Phường Phước Mỹ",
        "Thành phố Phan Rang-Tháp Chàm",
        "Tỉnh Ninh Thuận",
    ),
    (
        "P. Phú Thủy, TP Phan Thiết, Bình Thuận",
        "Phường Phú Thủy",
        "Thành phố Phan Thiết",
        "Tỉnh Bình Thuận",
    ),
    (
        "P. Phú Thuỷ, TP Phan Thiết, Bình Thuận",
        "Phường Phú Thủy",
        "Thành phố Phan Thiết",
        "Tỉnh Bình Thuận",
    ),
    (
        "Thôn An Hòa, xã Nhơn An, TX An Nhơn, Bình Định",
        "Xã Nhơn An",
        "Thị xã An Nhơn",
        "Tỉnh Bình Định",
    ),
    (
        "P. Thắng Tam, TP Vũng Tàu, BR-VT",
        "Phường Thắng Tam",
        "Thành phố Vũng Tàu",
        "Tỉnh Bà Rịa - Vũng Tàu",
    ),
    (
        "P. Thắng Tam, TP Vũng Tàu, Bà Rịa - Vũng Tàu",
        "Phường Thắng Tam",
        "Thành phố Vũng Tàu",
        "Tỉnh Bà Rịa - Vũng Tàu",
    ),
    (
        "Phường Phú Hòa, Thủ Dầu Một, Bình Dương",
        "Phường Phú Hòa",
        "Thành phố Thủ Dầu Một",
        "Tỉnh Bình Dương",
    ),
    # --- North: bản, xóm, khu, tổ; mountain provinces
    (
        "Bản Noong Bua, P. Noong Bua, TP Điện Biên Phủ, Điện Biên",
        "Phường Noong Bua",
        "Thành phố Điện Biên Phủ",
        "Tỉnh Điện Biên",
    ),
    (
        "Thôn Lũng Cú, xã Lũng Cú, huyện Đồng Văn, Hà Giang",
        "Xã Lũng Cú",
        "Huyện Đồng Văn",
        "Tỉnh Hà Giang",
    ),
    ("Tổ 1, Phường Sa Pả, TX Sa Pa, Lào Cai", "Phường Sa Pả", "Thị xã Sa Pa", "Tỉnh Lào Cai"),
    ("Tổ 1, Phường Sa Pa, TX Sa Pa, Lào Cai", "Phường Sa Pa", "Thị xã Sa Pa", "Tỉnh Lào Cai"),
    (
        "Tổ 10, P. Phan Thiết, TP Tuyên Quang, Tuyên Quang",
        "Phường Phan Thiết",
        "Thành phố Tuyên Quang",
        "Tỉnh Tuyên Quang",
    ),
    (
        "Khu 3, TT. Thanh Sơn, H. Thanh Sơn, Phú Thọ",
        "Thị trấn Thanh Sơn",
        "Huyện Thanh Sơn",
        "Tỉnh Phú Thọ",
    ),
    (
        "Tổ 1, P. Cẩm Trung, TP Cẩm Phả, Quảng Ninh",
        "Phường Cẩm Trung",
        "Thành phố Cẩm Phả",
        "Tỉnh Quảng Ninh",
    ),
    (
        "Số 12 Lê Lợi, P. Máy Tơ, Q. Ngô Quyền, TP Hải Phòng",
        "Phường Máy Tơ",
        "Quận Ngô Quyền",
        "Thành phố Hải Phòng",
    ),
    (
        "Thôn 3, xã Đại Đồng, huyện Kiến Thụy, Hải Phòng",
        "Xã Đại Đồng",
        "Huyện Kiến Thụy",
        "Thành phố Hải Phòng",
    ),
    (
        "Thôn 3, xã Đại Đồng, huyện Kiến Thuỵ, Hải Phòng",
        "Xã Đại Đồng",
        "Huyện Kiến Thụy",
        "Thành phố Hải Phòng",
    ),
    (
        "Xóm 5, xã Nghĩa Đồng, huyện Tân Kỳ, Nghệ An",
        "Xã Nghĩa Đồng",
        "Huyện Tân Kỳ",
        "Tỉnh Nghệ An",
    ),
    ("Bản Mòng, xã Hua La, TP Sơn La, Sơn La", "Xã Hua La", "Thành phố Sơn La", "Tỉnh Sơn La"),
    (
        "Tiểu khu 2, TT. Hát Lót, H. Mai Sơn, Sơn La",
        "Thị trấn Hát Lót",
        "Huyện Mai Sơn",
        "Tỉnh Sơn La",
    ),
    ("Xã Hát Lót, Mai Sơn, Sơn La", "Xã Hát Lót", "Huyện Mai Sơn", "Tỉnh Sơn La"),
    ("Hát Lót, Mai Sơn, Sơn La", "", "Huyện Mai Sơn", "Tỉnh Sơn La"),  # xã or thị trấn?
    ("Thôn Đồng, xã Tân Dân, huyện Sóc Sơn, Hà Nội", "Xã Tân Dân", "Huyện Sóc Sơn", HN),
    (
        "Khu 2, P. Hùng Vương, TX Phú Thọ, Phú Thọ",
        "Phường Hùng Vương",
        "Thị xã Phú Thọ",
        "Tỉnh Phú Thọ",
    ),
    ("Xóm Bãi, TT. Bo, H. Kim Bôi, Hoà Bình", "Thị trấn Bo", "Huyện Kim Bôi", "Tỉnh Hoà Bình"),
    ("P. Hạ Long, TP Nam Định, Nam Định", "Phường Hạ Long", "Thành phố Nam Định", "Tỉnh Nam Định"),
    (
        "Thôn Trung, xã Quảng Hòa, TX Ba Đồn, Quảng Bình",
        "Xã Quảng Hòa",
        "Thị xã Ba Đồn",
        "Tỉnh Quảng Bình",
    ),
    # --- order, junk, missing parts
    ("Việt Nam", "", "", ""),
    ("123 abc xyz", "", "", ""),
    ("P. Trúc Bạch, Q. Ba Đình, Hà Nội, Việt Nam", "Phường Trúc Bạch", "Quận Ba Đình", HN),
    (
        "Tỉnh Long An, Huyện Châu Thành, Xã Thanh Vĩnh Đông, Ấp 2",
        "Xã Thanh Vĩnh Đông",
        "Huyện Châu Thành",
        "Tỉnh Long An",
    ),
    ("Huyện Đông Anh, Hà Nội", "", "Huyện Đông Anh", HN),
    ("Lâm Đồng", "", "", "Tỉnh Lâm Đồng"),
]


def _unit_by_name(candidates: list[gz.AdminUnit], full_name: str) -> gz.AdminUnit:
    exact = [u for u in candidates if u.full_name == full_name]
    if len(exact) == 1:
        return exact[0]
    folded = [u for u in candidates if fold_place(u.full_name) == fold_place(full_name)]
    assert len(folded) == 1, f"test table: {full_name!r} is not one unit of the gazetteer"
    return folded[0]


def _expected_codes(ward: str, district: str, province: str) -> tuple[str, str, str]:
    p = _unit_by_name(gz.provinces("2021"), province) if province else None
    d = (
        _unit_by_name(gz.districts(province_code=p.code), district)
        if district and p is not None
        else None
    )
    w = _unit_by_name(gz.wards(district_code=d.code), ward) if ward and d is not None else None
    return (w.code if w else "", d.code if d else "", p.code if p else "")


def test_table_is_large_and_covers_the_regions() -> None:
    assert len(CASES) >= 100
    provinces = {case[3] for case in CASES}
    assert len(provinces) >= 40


@pytest.mark.parametrize(("text", "ward", "district", "province"), CASES)
def test_parse_real_looking_address(text: str, ward: str, district: str, province: str) -> None:
    expected = _expected_codes(ward, district, province)
    a = parse_address(text, era="2021")
    assert (a.ward_code, a.district_code, a.province_code) == expected
    either = parse_address(text)  # read in both forms: the same, or a 2025 commune where
    assert replace(either, era=a.era) == a or (either.era == "2025" and not expected[0])
    if a.ward_code:
        assert a.ward == ward or fold_place(a.ward) == fold_place(ward)
    if expected == ("", "", ""):
        assert a.confidence == 0.0
    else:
        assert a.province_2025 == gz.province_2025_of(expected[2])

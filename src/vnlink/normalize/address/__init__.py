"""Parse free-typed Vietnamese addresses into coded administrative units.

``parse_address("12/3A hẻm 45 Lê Văn Sỹ, P.13, Q3, TPHCM")`` finds the
commune (phường/xã/thị trấn), the district and the province, with their
statistics-office codes of the 2021 era, their 2025 equivalents, the
remaining street text, a confidence and problem codes.

How it works
------------
1. The text is repaired (legacy Ð, NFC), folded to lower-case ASCII (tone
   marks and their placement vanish, đ -> d), glued abbreviations are
   split ("P.03" -> "phuong 3", "Q1" -> "quan 1", "F3" -> "phuong 3") and it
   is cut into comma segments of tokens.
2. Units are matched **right to left** against precomputed folded-name
   indexes, each level inside the one above it: the province among the 63
   (with short forms: TPHCM, HCM, SG, Sài Gòn, HN, Huế, BR-VT ...), the
   district inside that province, the commune inside that district. A
   marker word before a name (``quận``, ``Q.``, ``huyện``, ``H.``, ``P.``,
   ``xã``, ``TT.`` ...) says which level it is; numbered units ("Phường 3")
   are only read after such a marker, so house numbers are never wards.
3. A level may be missing (the commune is then looked for in the whole
   province and the district is inferred from it), names may carry typos
   (fuzzy matching with rapidfuzz, restricted to the units of the parent),
   and the parts may come in reverse order. Several readings are scored and
   the best is kept; when two different units explain the text equally well
   the level is left empty with an ``*_ambiguous`` problem: a wrong commune
   is worse than an unknown one.
4. Units are read only in the administrative tail: at most the last three
   comma segments, stopping at a segment with a house number ("12/3A ...",
   "ngõ 5", "ấp 3"; a segment typed without commas is first cut after its
   house number, at the next commune marker). The reading of a tail is
   cached, and for the common "street, units..." form the whole units part
   is read once per distinct text, so repeated units cost a lookup.
5. An old commune written with its 2025 province ("Phường Phú Hòa, TP Hồ
   Chí Minh": Phú Hòa was in Bình Dương) is looked for in every old
   province merged into that one, when not found in the province itself.

Examples
--------
>>> a = parse_address("12/3A hẻm 45 Lê Văn Sỹ, P.13, Q3, TPHCM")
>>> a.ward, a.district, a.province
('Phường 13', 'Quận 3', 'Thành phố Hồ Chí Minh')
>>> a.ward_code, a.district_code, a.province_code, a.province_2025
('27136', '770', '79', '79')
>>> a.street
'12/3a hem 45 le van sy'
>>> parse_address("xom 2 thon Dong, xa Tam Hung, H. Thanh Oai, Ha Noi").ward
'Xã Tam Hưng'
"""

from vnlink.normalize.address._columns import parse_address_columns, parse_addresses
from vnlink.normalize.address._convert import to_2025
from vnlink.normalize.address._folding import fold_place
from vnlink.normalize.address._parse import parse_address
from vnlink.normalize.address.result import Address, format_address

__all__ = [
    "Address",
    "fold_place",
    "format_address",
    "parse_address",
    "parse_address_columns",
    "parse_addresses",
    "to_2025",
]

"""Normalizers for the fields of a Vietnamese person record.

Each is a pure scalar function (``str | None`` in, value out, never raising
on data) with a bulk form over arrays that processes each distinct value once:

==================  ==========================================  ============================
field               scalar                                      bulk (columns for prepare)
==================  ==========================================  ============================
text                :func:`to_nfc`, :func:`fold`,               —
                    :func:`fix_encoding`, :func:`normalize_tones`
name                :func:`normalize_name`, :func:`parse_name`,  :func:`parse_names`
                    :func:`sex_hint`, :func:`phonetic_key`
date of birth       :func:`parse_date`                          :func:`parse_dates`
ID number           :func:`parse_id` (:mod:`.ids`)              :func:`parse_ids`
phone               :func:`parse_phone`, :func:`normalize_phone` :func:`parse_phones`
sex                 :func:`normalize_sex`                       :func:`normalize_sexes`
address             :func:`parse_address`                       :func:`parse_addresses`
==================  ==========================================  ============================

>>> from vnlink.normalize import fold, normalize_name, parse_date
>>> normalize_name("  nguyễn   văn AN ")
'Nguyễn Văn An'
>>> fold("Đặng Thị Thuỷ")
'dang thi thuy'
>>> parse_date("5/3/80").year
1980
"""

from vnlink.normalize import ids
from vnlink.normalize.address import (
    Address,
    parse_address,
    parse_address_columns,
    parse_addresses,
    to_2025,
)
from vnlink.normalize.dates import PartialDate, normalize_date, parse_date, parse_dates
from vnlink.normalize.ids import IdNumber, parse_ids
from vnlink.normalize.ids import parse as parse_id
from vnlink.normalize.legacy import ENCODINGS, detect_encoding, encode_legacy, fix_encoding
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
from vnlink.normalize.phone import (
    PhoneNumber,
    normalize_phone,
    parse_phone,
    parse_phones,
    to_e164,
)
from vnlink.normalize.phonetic import phonetic_key, phonetic_keys, syllable_key
from vnlink.normalize.sex import normalize_sex, normalize_sexes
from vnlink.normalize.syllables import is_valid_syllable, place_tone, repair_typing, split_syllable
from vnlink.normalize.text import fold, normalize_tones, to_nfc

__all__ = [
    "ENCODINGS",
    "NAME_COLUMNS",
    "Address",
    "IdNumber",
    "PartialDate",
    "PersonName",
    "PhoneNumber",
    "detect_encoding",
    "encode_legacy",
    "fix_encoding",
    "fold",
    "ids",
    "is_valid_syllable",
    "normalize_date",
    "normalize_name",
    "normalize_names",
    "normalize_phone",
    "normalize_sex",
    "normalize_sexes",
    "normalize_tones",
    "parse_address",
    "parse_address_columns",
    "parse_addresses",
    "parse_date",
    "parse_dates",
    "parse_id",
    "parse_ids",
    "parse_name",
    "parse_names",
    "parse_phone",
    "parse_phones",
    "phonetic_key",
    "phonetic_keys",
    "place_tone",
    "repair_typing",
    "sex_hint",
    "sex_hints",
    "split_syllable",
    "syllable_key",
    "to_2025",
    "to_e164",
    "to_nfc",
]

"""Vietnamese phone numbers: the national form, E.164, kind and carrier, old numbers converted.

:func:`parse_phone` accepts what people type: ``+84``, ``0084``, ``84``,
``(+84)``, ``+84 (0)``, dots, spaces, dashes, a lost leading zero, a label
("SĐT:"), two numbers in one field (the first is kept). It converts numbers
that have changed since they were written down:

- the **2018 mobile conversion** of 11-digit numbers (0162-0169 -> 032-039,
  0120 -> 070, 0121 -> 079, 0122 -> 077, 0126 -> 076, 0128 -> 078, 0123 -> 083,
  0124 -> 084, 0125 -> 085, 0127 -> 081, 0129 -> 082, 0186 -> 056, 0188 -> 058,
  0199 -> 059; the last 7 digits are kept): ``phone:old_mobile_prefix``;
- the **2017 landline area codes** (04 -> 024, 0511 -> 0236, 033 -> 0203 …):
  ``phone:old_area_code``.

The rule, by length of the national number (with its leading 0)
----------------------------------------------------------------
========  ==================================================================
digits    reading
========  ==================================================================
11, 01x   old mobile: converted by the 2018 table (else invalid)
11, 0xxx  an old 4-digit area code (0240, 0511, 0650 …) is converted; else a
          current landline: 024/028 + 8 digits or 02xx + 7 digits
10        a current mobile prefix (3 or 4 digits) is **mobile**, even where
          the same digits were an old landline code (033 Quảng Ninh, 036-039,
          056, 058, 059, 070, 076, 077, 079, HCMC's 08): today's numbers
          outnumber pre-2017 landlines in any data typed after 2018;
          otherwise an old landline code (04 + 8 digits, or a 3-digit code
          such as 053, 061, 072 + 7 digits) is converted to its new code;
          otherwise 03x/05x/07x/08x/09x is a mobile of unknown carrier
          (``phone:unknown_carrier``, still valid)
========  ==================================================================

A number whose leading 0 was lost (9 or 10 digits not starting with 0) gets
it back (``phone:leading_zero_restored``). The carrier is the one the prefix
was allocated to (numbers are portable since 2019); landlines have none.
The tables are data files (``vnlink/data/phone_*.json``) with their sources;
vnlink keeps its own tables rather than depending on ``phonenumbers``
(48 MB), which validates today's numbers but does not convert old ones.

Examples
--------
>>> normalize_phone("+84 (0) 912.345.678"), to_e164("0912 345 678")
('0912345678', '+84912345678')
>>> parse_phone("01689123456")
PhoneNumber(national='0389123456', e164='+84389123456', kind='mobile', carrier='Viettel', \
valid=True, problems=('phone:old_mobile_prefix',))
>>> parse_phone("(04) 3912 3456")[:3]
('02439123456', '+842439123456', 'landline')
>>> parse_phone("0951234567").carrier, parse_phone("0951234567").valid
('', True)
>>> parse_phone("12345").problems
('phone:invalid_length',)
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from vnlink.normalize._fallback import FEW_ROWS as _FEW_ROWS
from vnlink.normalize._fallback import fill_parsed as _fill_parsed

__all__ = [
    "PhoneNumber",
    "normalize_phone",
    "parse_phone",
    "parse_phones",
    "to_e164",
]

_DATA_DIR = Path(__file__).resolve().parent.parent / "data"


class PhoneNumber(NamedTuple):
    """A phone number as :func:`parse_phone` read it.

    Attributes
    ----------
    national : str
        The national form with its leading 0 (10 digits for mobiles, 11 for
        landlines), ``""`` when not a valid Vietnamese number.
    e164 : str
        ``+84`` and the national number without its 0; ``""`` when invalid.
    kind : str
        ``mobile``, ``landline`` or ``""``.
    carrier : str
        Viettel, VinaPhone, MobiFone, Vietnamobile, Gmobile, Itel, Reddi, or ``""``.
    valid : bool
        A well-formed Vietnamese number (possibly of unknown carrier).
    problems : tuple of str
        Problem codes such as ``phone:old_mobile_prefix``, ``phone:invalid_length``.
    """

    national: str
    e164: str
    kind: str
    carrier: str
    valid: bool
    problems: tuple[str, ...]


class _Tables(NamedTuple):
    mobile4: dict[str, str]  # 4-digit prefix -> carrier
    old_mobile: dict[str, tuple[str, str]]  # "0168" -> ("038", "Viettel")
    new_area: frozenset[str]  # current area codes, 3 or 4 digits
    old_area: dict[str, str]  # old code -> new code (changed codes only)
    carriers: tuple[str, ...]  # carrier names; index 0 = ""


@cache
def _tables() -> _Tables:
    with open(_DATA_DIR / "phone_mobile_prefixes.json", encoding="utf-8") as handle:
        mobile = json.load(handle)
    with open(_DATA_DIR / "phone_area_codes.json", encoding="utf-8") as handle:
        area = json.load(handle)
    mobile4: dict[str, str] = {}
    for prefix, carrier in mobile["current"]:
        if len(prefix) == 3:
            for digit in "0123456789":
                mobile4.setdefault(prefix + digit, carrier)
    for prefix, carrier in mobile["current"]:
        if len(prefix) == 4:
            mobile4[prefix] = carrier
    old_mobile = {old: (new, carrier) for old, new, carrier in mobile["converted_2018"]}
    new_area = frozenset(row[3] for row in area["rows"])
    old_area = {row[2]: row[3] for row in area["rows"] if row[2] != row[3]}
    carriers = ("", *sorted(set(mobile4.values())))
    return _Tables(mobile4, old_mobile, new_area, old_area, carriers)


_INVALID = {
    problem: PhoneNumber("", "", "", "", False, (problem,))
    for problem in (
        "phone:invalid_length",
        "phone:invalid_prefix",
        "phone:unparseable",
        "phone:not_vietnamese",
        "phone:placeholder",
    )
}
_MISSING = PhoneNumber("", "", "", "", False, ())
_DELETE = str.maketrans("", "", " \t\r\n\u00a0.-()[]_'\"\u2010\u2011\u2012\u2013\u2014")
_SPLIT = re.compile(r"[/;,|&\\]|\s[-–]\s|\s(?:hoặc|hoac|or|và|va|hay)\s", re.IGNORECASE)
_PLACEHOLDERS = frozenset({"0123456789", "0987654321", "01234567890"})


def _national(national: str, problems: list[str]) -> PhoneNumber:
    """Classify a national number that starts with 0."""
    tables = _tables()
    size = len(national)
    if size < 2:
        return _INVALID["phone:invalid_length"]
    if national in _PLACEHOLDERS or national.count(national[1]) == size - 1:
        return _INVALID["phone:placeholder"]
    if size == 10:
        carrier = tables.mobile4.get(national[:4])
        if carrier is not None:
            return PhoneNumber(
                national, "+84" + national[1:], "mobile", carrier, True, tuple(problems)
            )
        if national[:2] == "04" and national[2] not in "01":  # 024 + 0/1 is old 0240/0241
            new = "024" + national[2:]
            problems.append("phone:old_area_code")
            return PhoneNumber(new, "+84" + new[1:], "landline", "", True, tuple(problems))
        code = tables.old_area.get(national[:3])
        if code is not None:
            new = code + national[3:]
            problems.append("phone:old_area_code")
            return PhoneNumber(new, "+84" + new[1:], "landline", "", True, tuple(problems))
        if national[1] in "35789":
            problems.append("phone:unknown_carrier")
            return PhoneNumber(national, "+84" + national[1:], "mobile", "", True, tuple(problems))
        return _with(_INVALID["phone:invalid_prefix"], problems)
    if size == 11:
        if national[1] == "1":
            old = tables.old_mobile.get(national[:4])
            if old is None:
                return _with(_INVALID["phone:invalid_prefix"], problems)
            new = old[0] + national[4:]
            problems.append("phone:old_mobile_prefix")
            return PhoneNumber(new, "+84" + new[1:], "mobile", old[1], True, tuple(problems))
        code = tables.old_area.get(national[:4])
        if code is not None:
            new = code + national[4:]
            problems.append("phone:old_area_code")
            return PhoneNumber(new, "+84" + new[1:], "landline", "", True, tuple(problems))
        if national[:4] in tables.new_area or (
            national[:3] in tables.new_area and national[3] not in "01"
        ):
            return PhoneNumber(
                national, "+84" + national[1:], "landline", "", True, tuple(problems)
            )
        return _with(_INVALID["phone:invalid_prefix"], problems)
    return _with(_INVALID["phone:invalid_length"], problems)


def _with(result: PhoneNumber, problems: list[str]) -> PhoneNumber:
    if not problems:
        return result
    return result._replace(problems=(*problems, *result.problems))


def _digits_form(text: str, problems: list[str]) -> PhoneNumber:
    """Read a string of digits with an optional leading "+"."""
    plus = text.startswith("+")
    digits = text[1:] if plus else text
    if not digits.isdigit():
        return _with(_INVALID["phone:unparseable"], problems)
    if digits.count(digits[0]) == len(digits):
        return _with(_INVALID["phone:placeholder"], problems)
    if digits.startswith("00") and not plus:
        plus, digits = True, digits[2:]
        if not digits.startswith("84"):
            return _with(_INVALID["phone:not_vietnamese"], problems)
    if plus:
        if not digits.startswith("84"):
            return _with(_INVALID["phone:not_vietnamese"], problems)
        rest = digits[2:]
        rest = rest[1:] if rest.startswith("0") else rest
        return _national("0" + rest, problems)
    if digits.startswith("84") and (
        len(digits) in (11, 12) or (digits[2:3] == "0" and len(digits) in (12, 13))
    ):
        rest = digits[2:]
        rest = rest[1:] if rest.startswith("0") else rest
        return _national("0" + rest, problems)
    if digits.startswith("0"):
        return _national(digits, problems)
    if len(digits) in (9, 10):
        problems.append("phone:leading_zero_restored")
        return _national("0" + digits, problems)
    return _with(_INVALID["phone:invalid_length"], problems)


def parse_phone(value: object) -> PhoneNumber:
    """Read a phone number as typed; never raises.

    Parameters
    ----------
    value
        Text, an integer (a number read from a CSV: the leading 0 is lost),
        ``None`` or anything else.

    Returns
    -------
    PhoneNumber
        All fields empty and no problem for a missing value.

    Examples
    --------
    >>> parse_phone("0912345678")
    PhoneNumber(national='0912345678', e164='+84912345678', kind='mobile', carrier='VinaPhone', \
valid=True, problems=())
    >>> parse_phone(912345678).problems
    ('phone:leading_zero_restored',)
    >>> parse_phone("0511 3822 123")[:3]  # Đà Nẵng before 2017
    ('02363822123', '+842363822123', 'landline')
    >>> parse_phone("0333 123 456").kind  # 033: today a Viettel mobile (was Quảng Ninh)
    'mobile'
    >>> parse_phone("0912345678 / 0987654321").problems
    ('phone:multiple_numbers',)
    >>> parse_phone("+1 202 555 0123").problems
    ('phone:not_vietnamese',)
    """
    if value is None:
        return _MISSING
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool):
        return _INVALID["phone:unparseable"]
    elif isinstance(value, int):
        text = str(value) if value > 0 else ""
    elif isinstance(value, float):
        if value != value:
            return _MISSING
        if not value.is_integer() or not 0 < value < 1e15:
            return _INVALID["phone:unparseable"]
        text = str(int(value))
    else:
        if _is_missing(value):
            return _MISSING
        try:
            text = str(int(value.__index__())) if hasattr(value, "__index__") else ""
        except Exception:
            text = ""
        if not text:
            return _INVALID["phone:unparseable"]
    if len(text) > 80:
        return _INVALID["phone:unparseable"]
    compact = text.translate(_DELETE)
    if not compact:
        return _MISSING if not text or text.isspace() else _INVALID["phone:unparseable"]
    if compact.isascii() and compact.isdigit():
        return _digits_form(compact, [])
    return _messy(text)


def _messy(text: str) -> PhoneNumber:
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    problems: list[str] = []
    parts = [p for p in _SPLIT.split(text) if sum(c.isdigit() for c in p) >= 7]
    if len(parts) > 1:
        problems.append("phone:multiple_numbers")
        text = parts[0]
    elif len(parts) == 1:
        text = parts[0]
    compact = text.translate(_DELETE)
    if compact.startswith("+84"):
        head, tail = "+", compact[1:]
    else:
        head, tail = "", compact
    kept = "".join(c for c in tail if c.isascii() and c.isdigit())
    if not kept:
        return _with(_INVALID["phone:unparseable"], problems)
    if kept != tail:
        if not compact.startswith("+") and "+" in compact:
            return _with(_INVALID["phone:unparseable"], problems)
        if compact.startswith("+") and not head:
            return _with(_INVALID["phone:not_vietnamese"], problems)
        letters = sum(c.isalpha() for c in tail)
        if letters and not _label_only(tail):
            problems.append("phone:extra_text")
    return _digits_form(head + kept, problems)


def _is_missing(value: object) -> bool:
    """NaN, NaT and pandas' NA (whose comparisons give NA)."""
    try:
        return bool(value != value)
    except Exception:
        return type(value).__name__ == "NAType"


def _label_only(text: str) -> bool:
    """True when the non-digits are a leading label like "SĐT:" or "ĐT", "Tel", "Mobile"."""
    match = re.fullmatch(r"([^\d]*)(\+?\d+)", text)
    if match is None:
        return False
    label = unicodedata.normalize("NFKD", match.group(1).lower().replace("đ", "d"))
    label = "".join(c for c in label if c.isascii() and c.isalpha())
    return label in (
        "sdt",
        "dt",
        "tel",
        "phone",
        "mobile",
        "mob",
        "dd",
        "didong",
        "sodienthoai",
        "dienthoai",
        "hotline",
        "zalo",
        "",
    )


def normalize_phone(value: object) -> str | None:
    """The national form (10-digit mobile, 11-digit landline) of a valid number, else None.

    Idempotent: the national form reads back as itself.

    >>> normalize_phone("84 168 912 3456"), normalize_phone("xyz")
    ('0389123456', None)
    """
    return parse_phone(value).national or None


def to_e164(value: object) -> str | None:
    """The E.164 form (``+84`` …) of a valid number, else None.

    >>> to_e164("024 3912 3456")
    '+842439123456'
    """
    return parse_phone(value).e164 or None


@cache
def _carrier_index() -> NDArray[np.int16]:
    """Index into ``_tables().carriers`` by the 3 digits after the leading 0 (0 = not mobile)."""
    tables = _tables()
    index = np.zeros(1000, dtype=np.int16)
    for prefix, name in tables.mobile4.items():
        index[int(prefix)] = tables.carriers.index(name)
    return index


def _fast_mobiles(
    cleaned: NDArray[np.object_],
) -> tuple[NDArray[np.intp], NDArray[np.object_], NDArray[np.object_], NDArray[np.bool_]]:
    """Rows that are plain mobiles: (rows, national, carrier, zero_restored)."""
    n = len(cleaned)
    lengths = np.fromiter(map(len, cleaned.tolist()), dtype=np.int64, count=n)
    heads = cleaned.astype("<U3")
    national = np.full(n, "", dtype=object)
    restored = np.zeros(n, dtype=bool)
    rows = np.flatnonzero((lengths == 10) & (np.char.startswith(heads, "0")))
    national[rows] = cleaned[rows]
    for size, head, cut in ((12, "+84", 3), (11, "84", 2)):
        rows = np.flatnonzero((lengths == size) & np.char.startswith(heads, head))
        if len(rows):
            national[rows] = ["0" + text[cut:] for text in cleaned[rows].tolist()]
    rows = np.flatnonzero((lengths == 9) & ~np.char.startswith(heads, "0"))
    if len(rows):
        national[rows] = ["0" + text for text in cleaned[rows].tolist()]
        restored[rows] = True
    rows = np.flatnonzero(np.fromiter(map(len, national.tolist()), dtype=np.int64, count=n) == 10)
    strings = national[rows]
    codes = strings.astype("<U10").view(np.uint32).reshape(len(rows), 10).astype(np.int32) - 48
    ok: NDArray[np.bool_] = np.asarray(((codes >= 0) & (codes <= 9)).all(axis=1))
    ok &= codes[:, 0] == 0
    codes = np.where(ok[:, None], codes, 0)
    which = _carrier_index()[codes[:, 1] * 100 + codes[:, 2] * 10 + codes[:, 3]]
    ok &= which > 0
    ok &= ~(codes[:, 1:] == codes[:, 1:2]).all(axis=1)  # placeholders go the slow way
    ok &= ~np.isin(strings, list(_PLACEHOLDERS))
    carriers = np.array(_tables().carriers, dtype=object)[which[ok]]
    return rows[ok], strings[ok], carriers, restored[rows[ok]]


def parse_phones(values: Iterable[Any]) -> dict[str, NDArray[Any]]:
    """:func:`parse_phone` over a column, as the contract's columns.

    Plain mobile numbers (10 digits, ``+84``/``84`` + 9 digits, or 9 digits
    that lost their 0, after removing spaces, dots and dashes) are classified
    with numpy row by row; the other values are factorized and
    :func:`parse_phone` runs once per distinct value. The result equals
    ``[parse_phone(v) for v in values]``.

    Returns
    -------
    dict
        ``phone`` (national form), ``phone_e164``, ``phone_kind``, ``phone_carrier``,
        ``phone_valid`` (bool), ``phone_problems`` (``;``-joined); ``""`` when missing.

    Examples
    --------
    >>> cols = parse_phones(["0912 345 678", "01689123456", None, "+84912345678"])
    >>> cols["phone"].tolist()
    ['0912345678', '0389123456', '', '0912345678']
    >>> cols["phone_carrier"].tolist(), cols["phone_problems"].tolist()[1]
    (['VinaPhone', 'Viettel', '', 'VinaPhone'], 'phone:old_mobile_prefix')
    """
    items = values.tolist() if isinstance(values, np.ndarray) else list(values)
    n = len(items)
    national = np.full(n, "", dtype=object)
    e164 = np.full(n, "", dtype=object)
    kind = np.full(n, "", dtype=object)
    carrier = np.full(n, "", dtype=object)
    valid = np.zeros(n, dtype=bool)
    problems = np.full(n, "", dtype=object)
    done = np.zeros(n, dtype=bool)

    cleaned = np.empty(n, dtype=object)
    cleaned[:] = [
        (v if v.isdigit() else v.translate(_DELETE)) if type(v) is str else "" for v in items
    ]
    if n > _FEW_ROWS:  # a few rows are parsed one by one below (the same values)
        rows, fast_national, fast_carrier, restored = _fast_mobiles(cleaned)
        national[rows] = fast_national
        e164[rows] = ["+84" + text[1:] for text in fast_national.tolist()]
        kind[rows] = "mobile"
        carrier[rows] = fast_carrier
        valid[rows] = True
        problems[rows[restored]] = "phone:leading_zero_restored"
        done[rows] = True

    _fill_parsed(
        parse_phone, items, np.flatnonzero(~done), (national, e164, kind, carrier, valid), problems
    )

    return {
        "phone": national,
        "phone_e164": e164,
        "phone_kind": kind,
        "phone_carrier": carrier,
        "phone_valid": valid,
        "phone_problems": problems,
    }

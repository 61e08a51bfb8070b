"""Vietnamese identity numbers: CCCD, CMND, BHXH/BHYT, one module per format.

The modules follow python-stdnum: ``compact``, ``validate`` (returns the
compact form or raises a :class:`vnlink.exceptions.ValidationError`),
``is_valid`` (never raises), ``format`` and extractors for what a number
encodes:

- :mod:`vnlink.normalize.ids.cccd`: the 12-digit citizen ID (province of
  birth registration, sex, birth year);
- :mod:`vnlink.normalize.ids.cmnd`: the old 9-digit and 12-digit CMND;
- :mod:`vnlink.normalize.ids.bhxh`: the 10-digit social insurance number and
  the 15-character health insurance card code.

:func:`parse` reads an ID as it was typed into a form or a spreadsheet and
says which kind it is; :func:`parse_ids` does that for a whole column.

Detection rules of :func:`parse`
--------------------------------
Separators (spaces, dots, dashes, slashes, quotes, a leading apostrophe) are
removed, full-width digits are read as digits, a label ("CCCD:", "Số CMND",
"BHXH") is read as a hint, then by the number of digits:

========  ================================================================
digits    reading
========  ================================================================
12        ``cccd`` (``cmnd12`` when labelled CMND: the two cannot be told
          apart by their digits)
11        a CCCD that lost its leading zero when a spreadsheet read it as a
          number: ``cccd`` with ``id:leading_zero_restored`` if "0" + the
          digits is a valid CCCD, else unknown
10        ``bhxh``; but a number not starting with 0 that becomes a valid
          CCCD with "00" in front (province codes 001-009, "1099012345")
          is read as that ``cccd`` with ``id:leading_zero_restored`` and
          ``id:ambiguous_bhxh`` (pass ``restore_zeros=False`` to keep BHXH)
9         ``cmnd9``
8         ``cmnd9`` with a restored leading zero (prefixes 01-09)
15 chars  ``bhyt`` when 2 letters + benefit level + 12 digits; ``digits``
          is then the 10-digit BHXH number it contains
========  ================================================================

Numbers written in scientific notation by a spreadsheet ("1.09901234512E+11")
are expanded (``id:scientific_notation``) unless digits were lost
(``id:digits_lost``). Placeholders (all one digit, 123456789) are flagged
``id:placeholder`` and not valid.

Examples
--------
>>> parse("'001.099.012.345")
IdNumber(kind='cccd', digits='001099012345', valid=True, province='001', sex='M', \
birth_year=1999, problems=())
>>> parse(79203001234).problems
('id:leading_zero_restored',)
>>> parse("CMND: 001 099 012 345").kind
'cmnd12'
>>> parse("DN4797912345678")[:3]
('bhyt', '7912345678', True)
>>> parse("12345").problems
('id:invalid_length',)
"""

from __future__ import annotations

import datetime
import decimal
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from vnlink.normalize._fallback import FEW_ROWS as _FEW_ROWS
from vnlink.normalize._fallback import fill_parsed as _fill_parsed
from vnlink.normalize.ids import bhxh, cccd, cmnd  # noqa: F401 - the format modules
from vnlink.normalize.ids._tables import CLEAN as _CLEAN
from vnlink.normalize.ids._tables import clean as _clean
from vnlink.normalize.ids._tables import cmnd_prefixes as _cmnd_prefixes
from vnlink.normalize.ids._tables import is_digits as _is_digits
from vnlink.normalize.ids._tables import provinces as _provinces
from vnlink.normalize.ids._tables import text_of as _text_of

__all__ = ["KINDS", "IdNumber", "parse", "parse_ids"]

KINDS = ("cccd", "cmnd9", "cmnd12", "bhxh", "bhyt")
"""The kinds :func:`parse` recognises (``""`` for none of them)."""


class IdNumber(NamedTuple):
    """An ID number as :func:`parse` read it.

    Attributes
    ----------
    kind : str
        ``cccd``, ``cmnd9``, ``cmnd12``, ``bhxh``, ``bhyt``, or ``""`` (missing or unknown).
    digits : str
        The compact number (for ``bhyt`` the 10-digit BHXH number inside); ``""`` when unknown.
    valid : bool
        Whether the number passes its module's ``validate``.
    province : str
        The 3-digit CCCD province code (``cccd``/``cmnd12`` only), else ``""``.
    sex : str
        ``M``/``F`` from a CCCD, else ``""``.
    birth_year : int
        The birth year from a CCCD, else 0.
    problems : tuple of str
        Problem codes such as ``id:invalid_length``, ``id:leading_zero_restored``.
    """

    kind: str
    digits: str
    valid: bool
    province: str
    sex: str
    birth_year: int
    problems: tuple[str, ...]


_MISSING = IdNumber("", "", False, "", "", 0, ())
_SCIENTIFIC = re.compile(r"\s*'?\s*([0-9])(?:[.,]([0-9]+))?[eE]\+?([0-9]{1,2})\s*")
_BHYT = re.compile(r"[A-Z]{2}[1-5][0-9]{12}")
_PASSPORT = re.compile(r"[A-Z][0-9]{7,8}")
_PARTS = re.compile(r"([^0-9]*)([0-9]+)([^0-9]*)")
_PLACEHOLDERS = frozenset(
    {"123456789", "1234567890", "0123456789", "012345678", "987654321", "123456789012"}
)


def _fold(label: str) -> str:
    text = unicodedata.normalize("NFD", label.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in text if c.isascii() and c.isalpha()).upper()


def _hint(label: str) -> str | None:
    """The kind a label such as "Số CCCD" asks for; "?" for an unknown label; None for none."""
    if not label:
        return None
    folded = _fold(label)
    if not folded:
        return None
    said_cmnd = "CMND" in folded or "CMT" in folded or "CHUNGMINH" in folded
    said_cccd = "CCCD" in folded or "CANCUOC" in folded or "DINHDANH" in folded
    if said_cmnd and said_cccd:  # a form field "CMND/CCCD" says nothing
        return None
    for key, kind in (
        ("BHYT", "bhyt"),
        ("BHXH", "bhxh"),
        ("CMND", "cmnd"),
        ("CMT", "cmnd"),
        ("CHUNGMINH", "cmnd"),
        ("CCCD", "cccd"),
        ("CANCUOC", "cccd"),
        ("DINHDANH", "cccd"),
    ):
        if key in folded:
            return kind
    if folded in ("SO", "ID", "NO", "CC", "SOCC", "MASO", "MS"):
        return None
    return "?"


def _placeholder(digits: str) -> bool:
    return digits in _PLACEHOLDERS or digits.count(digits[0]) == len(digits)


def _cccd_year(digits: str) -> int:
    return 1900 + 100 * ((ord(digits[3]) - 48) // 2) + int(digits[4:6])


def _cccd_ok(digits: str) -> bool:
    """cccd.is_valid for a string already known to be 12 ASCII digits (fast)."""
    return digits[:3] in _provinces() and _cccd_year(digits) <= datetime.date.today().year


def _cccd(digits: str, kind: str, problems: list[str]) -> IdNumber:
    if _placeholder(digits):
        problems.append("id:placeholder")
    elif digits[:3] not in _provinces():
        problems.append("id:invalid_province")
    elif _cccd_year(digits) > datetime.date.today().year:
        problems.append("id:future_birth_year")
    else:
        sex = "F" if (ord(digits[3]) - 48) % 2 else "M"
        return IdNumber(kind, digits, True, digits[:3], sex, _cccd_year(digits), tuple(problems))
    return IdNumber(kind, digits, False, "", "", 0, tuple(problems))


def _cmnd9(digits: str, problems: list[str]) -> IdNumber:
    if _placeholder(digits):
        problems.append("id:placeholder")
        return IdNumber("cmnd9", digits, False, "", "", 0, tuple(problems))
    if not cmnd.get_issuing_provinces(digits):
        problems.append("id:unknown_prefix")
    return IdNumber("cmnd9", digits, True, "", "", 0, tuple(problems))


def _bhxh(digits: str, problems: list[str]) -> IdNumber:
    if _placeholder(digits):
        problems.append("id:placeholder")
        return IdNumber("bhxh", digits, False, "", "", 0, tuple(problems))
    return IdNumber("bhxh", digits, True, "", "", 0, tuple(problems))


def _from_digits(digits: str, hint: str | None, restore: bool, problems: list[str]) -> IdNumber:
    size = len(digits)
    if size == 12:
        return _cccd(digits, "cmnd12" if hint == "cmnd" else "cccd", problems)
    if size == 11 and hint in (None, "cccd", "cmnd") and restore and _cccd_ok("0" + digits):
        problems.append("id:leading_zero_restored")
        return _cccd("0" + digits, "cmnd12" if hint == "cmnd" else "cccd", problems)
    if size == 10:
        if (
            hint in (None, "cccd", "cmnd")
            and restore
            and digits[0] != "0"
            and _cccd_ok("00" + digits)
        ):
            problems.append("id:leading_zero_restored")
            if hint is None:
                problems.append("id:ambiguous_bhxh")
            return _cccd("00" + digits, "cmnd12" if hint == "cmnd" else "cccd", problems)
        if hint in (None, "bhxh", "bhyt"):
            return _bhxh(digits, problems)
    if size == 9:
        if hint in ("bhxh", "bhyt") and restore:
            problems.append("id:leading_zero_restored")
            return _bhxh("0" + digits, problems)
        return _cmnd9(digits, problems)
    if size == 8 and hint in (None, "cmnd") and restore and digits[0] != "0":
        problems.append("id:leading_zero_restored")
        return _cmnd9("0" + digits, problems)
    problems.append("id:invalid_length")
    return IdNumber("", "", False, "", "", 0, tuple(problems))


def _expand_scientific(text: str) -> tuple[str, str] | None:
    """``("109901234512", problem)`` for spreadsheet notation such as "1.09901234512E+11"."""
    match = _SCIENTIFIC.fullmatch(text)
    if match is None:
        return None
    head, tail, exponent = match.group(1), match.group(2) or "", int(match.group(3))
    if len(tail) > exponent:
        return None
    digits = str(int(decimal.Decimal(f"{head}.{tail}e{exponent}")))
    if len(head) + len(tail) < len(digits):
        return digits, "id:digits_lost"
    return digits, "id:scientific_notation"


def parse(value: object, *, restore_zeros: bool = True) -> IdNumber:
    """Read an ID number as typed and say what it is; never raises.

    Parameters
    ----------
    value
        Text, an integer (a number read from a CSV), ``None`` or anything else.
    restore_zeros
        Put back leading zeros lost when a spreadsheet read the ID as a
        number (see the module docstring for the rules).

    Returns
    -------
    IdNumber
        ``kind`` ``""`` with no problem for a missing value; ``kind`` ``""`` with
        a problem (``id:invalid_length``, ``id:invalid_format``, ``id:passport``)
        for something that is not a Vietnamese ID.

    Examples
    --------
    >>> parse("  036 1 85 000123 ")
    IdNumber(kind='cccd', digits='036185000123', valid=True, province='036', sex='F', \
birth_year=1985, problems=())
    >>> parse(21234567)
    IdNumber(kind='cmnd9', digits='021234567', valid=True, province='', sex='', \
birth_year=0, problems=('id:leading_zero_restored',))
    >>> parse("003099012345").problems  # 003 is not a province code
    ('id:invalid_province',)
    >>> parse("Số BHXH: 79 1234 5670")[:3]
    ('bhxh', '7912345670', True)
    >>> parse("C1234567").problems
    ('id:passport',)
    >>> parse(None), parse("  ")
    (IdNumber(kind='', digits='', valid=False, province='', sex='', birth_year=0, problems=()), \
IdNumber(kind='', digits='', valid=False, province='', sex='', birth_year=0, problems=()))
    """
    text = _text_of(value)
    if not text or text.isspace():
        return _MISSING
    problems: list[str] = []
    compacted = _clean(text)
    if not compacted:
        return IdNumber("", "", False, "", "", 0, ("id:invalid_format",))
    if _is_digits(compacted):
        return _from_digits(compacted, None, restore_zeros, problems)
    if len(compacted) == 15 and _BHYT.fullmatch(compacted):
        return IdNumber("bhyt", compacted[5:], True, "", "", 0, ())
    if _PASSPORT.fullmatch(compacted):
        return IdNumber("", "", False, "", "", 0, ("id:passport",))
    if len(text) < 40:
        expanded = _expand_scientific(text)
        if expanded is not None:
            digits, problem = expanded
            if problem == "id:digits_lost":
                return IdNumber("", "", False, "", "", 0, (problem,))
            return _from_digits(digits, None, restore_zeros, [problem])
    match = _PARTS.fullmatch(compacted)
    if match is None:
        return IdNumber("", "", False, "", "", 0, ("id:invalid_format",))
    label, digits, trailer = match.groups()
    hint = _hint(label + trailer)
    if hint == "?":
        return IdNumber("", "", False, "", "", 0, ("id:invalid_format",))
    if len(digits) == 13 and not trailer and len(label) >= 2:
        card = label[-2:] + digits  # "BHYT: DN4797912345678"
        if _BHYT.fullmatch(card) and _hint(label[:-2]) in (None, "bhyt", "bhxh"):
            return IdNumber("bhyt", card[5:], True, "", "", 0, ())
        return IdNumber("", "", False, "", "", 0, ("id:invalid_format",))
    return _from_digits(digits, hint, restore_zeros, problems)


# --------------------------------------------------------------------------- bulk


def _digit_matrix(strings: NDArray[np.object_], width: int) -> NDArray[np.int32]:
    """An (n, width) matrix of the digit values of equal-length strings (non-digits < 0 or > 9)."""
    if not len(strings):
        return np.zeros((0, width), dtype=np.int32)
    codes = strings.astype(f"<U{width}").view(np.uint32).reshape(len(strings), width)
    return codes.astype(np.int32) - 48


@cache
def _fast_tables() -> tuple[NDArray[np.bool_], NDArray[np.object_], NDArray[np.bool_]]:
    province_ok = np.zeros(1000, dtype=bool)
    for code in _provinces():
        province_ok[int(code)] = True
    province_text = np.array([f"{i:03d}" for i in range(1000)], dtype=object)
    prefix_known = np.zeros(1000, dtype=bool)  # 3-digit prefix, 2-digit ones expanded
    for prefix in _cmnd_prefixes():
        if len(prefix) == 3:
            prefix_known[int(prefix)] = True
        else:
            prefix_known[int(prefix) * 10 : int(prefix) * 10 + 10] = True
    return province_ok, province_text, prefix_known


_SEX = np.array(["M", "F"], dtype=object)


def parse_ids(values: Iterable[Any], *, restore_zeros: bool = True) -> dict[str, NDArray[Any]]:
    """:func:`parse` over a column, as the columns of the contract.

    Clean 12-digit CCCD and 9-digit CMND numbers (after removing separators)
    are decoded with numpy, row by row; the other values are factorized and
    :func:`parse` runs once per distinct value. The result equals
    ``[parse(v) for v in values]``.

    Returns
    -------
    dict
        ``id_kind``, ``id``, ``id_valid`` (bool), ``id_province``, ``id_sex``,
        ``id_birth_year`` (int16), ``id_problems`` (``;``-joined); ``""`` for missing text.

    Examples
    --------
    >>> cols = parse_ids(["001099012345", "012 345 678", None, 1099012345])
    >>> cols["id_kind"].tolist(), cols["id_birth_year"].tolist()
    (['cccd', 'cmnd9', '', 'cccd'], [1999, 0, 0, 1999])
    >>> cols["id_problems"].tolist()[3]
    'id:leading_zero_restored;id:ambiguous_bhxh'
    """
    items = values.tolist() if isinstance(values, np.ndarray) else list(values)
    n = len(items)
    kind = np.full(n, "", dtype=object)
    ids = np.full(n, "", dtype=object)
    valid = np.zeros(n, dtype=bool)
    province = np.full(n, "", dtype=object)
    sex = np.full(n, "", dtype=object)
    birth_year = np.zeros(n, dtype=np.int16)
    problems = np.full(n, "", dtype=object)
    done = np.zeros(n, dtype=bool)

    cleaned = np.empty(n, dtype=object)
    cleaned[:] = [
        (v if v.isdigit() else v.translate(_CLEAN)) if type(v) is str else "" for v in items
    ]
    # the numpy fast paths below read the lengths; a few rows (a lookup's record) skip
    # them and are parsed one by one at the end, to the same values
    lengths = (np.fromiter(map(len, cleaned.tolist()), dtype=np.int64, count=n)
               if n > _FEW_ROWS else np.zeros(n, dtype=np.int64))
    province_ok, province_text, prefix_known = _fast_tables()
    max_year = datetime.date.today().year

    rows = np.flatnonzero(lengths == 12)
    if len(rows):
        strings = cleaned[rows]
        d = _digit_matrix(strings, 12)
        ok: NDArray[np.bool_] = np.asarray(((d >= 0) & (d <= 9)).all(axis=1))
        d = np.where(ok[:, None], d, 0)
        code = d[:, 0] * 100 + d[:, 1] * 10 + d[:, 2]
        year = 1900 + 100 * (d[:, 3] // 2) + d[:, 4] * 10 + d[:, 5]
        ok &= province_ok[code] & (year <= max_year)
        take = rows[ok]
        kind[take] = "cccd"
        ids[take] = strings[ok]
        valid[take] = True
        province[take] = province_text[code[ok]]
        sex[take] = _SEX[d[ok, 3] % 2]
        birth_year[take] = year[ok]
        done[take] = True

    rows = np.flatnonzero(lengths == 9)
    if len(rows):
        strings = cleaned[rows]
        d = _digit_matrix(strings, 9)
        ok = np.asarray(((d >= 0) & (d <= 9)).all(axis=1))
        d = np.where(ok[:, None], d, 0)
        ok &= prefix_known[d[:, 0] * 100 + d[:, 1] * 10 + d[:, 2]]
        ok &= ~(d == d[:, :1]).all(axis=1)
        ok &= ~np.isin(strings, list(_PLACEHOLDERS))
        take = rows[ok]
        kind[take] = "cmnd9"
        ids[take] = strings[ok]
        valid[take] = True
        done[take] = True

    _fill_parsed(
        lambda value: parse(value, restore_zeros=restore_zeros),
        items,
        np.flatnonzero(~done),
        (kind, ids, valid, province, sex, birth_year),
        problems,
    )

    return {
        "id_kind": kind,
        "id": ids,
        "id_valid": valid,
        "id_province": province,
        "id_sex": sex,
        "id_birth_year": birth_year,
        "id_problems": problems,
    }

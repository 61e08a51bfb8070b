"""CMND (chứng minh nhân dân): the old 9-digit and 12-digit identity card numbers.

**9 digits** (Nghị định 05/1999/NĐ-CP, Thông tư 04/1999/TT-BCA): a prefix of
2 or 3 digits names the provincial police that issued the card (01 Hà Nội,
02 Hồ Chí Minh, 230 Gia Lai …), then serial digits. There is no check digit
and no date or sex inside. The number was kept on re-issue *except* when the
holder moved province: then a new number was issued. Numbers are **not**
unique nationwide (about 50,000 numbers, 271450001-271500000, were issued by
both Bà Rịa-Vũng Tàu and Đồng Nai in 2007).

**12 digits** (Thông tư 27/2012/TT-BCA, issued until about 2020): the same
structure as the CCCD number (:mod:`vnlink.normalize.ids.cccd`), and kept as
the person's CCCD number.

**A CCCD number cannot be derived from a 9-digit CMND**: the CCCD was newly
assigned, and people prove the link with a "giấy xác nhận số CMND". To link
records that hold only the old number, compare 9-digit numbers with 9-digit
numbers (the registry keeps the old CMND).

All CMND cards lost validity after 31/12/2024 (Luật Căn cước 2023), but the
numbers stay in old records.

Examples
--------
>>> validate("012 345 678")
'012345678'
>>> format("012345678")
'012 345 678'
>>> get_issuing_provinces("230123456")
('Gia Lai',)
>>> get_issuing_provinces("123456789")  # prefix 12: Bắc Giang and Bắc Ninh share it
('Bắc Giang', 'Bắc Ninh')
>>> is_valid("03618500012")
False
"""

from __future__ import annotations

from vnlink.exceptions import InvalidFormat, InvalidLength, ValidationError
from vnlink.normalize.ids import cccd
from vnlink.normalize.ids._tables import clean, cmnd_prefixes, is_digits

__all__ = [
    "compact",
    "format",
    "get_issuing_provinces",
    "is_prefix_verified",
    "is_valid",
    "validate",
]


def compact(number: object) -> str:
    """Remove spaces, dots, dashes, quotes and other separators; never raises.

    >>> compact(" 012-345-678 ")
    '012345678'
    """
    return clean(number)


def validate(number: object) -> str:
    """Return the compact 9- or 12-digit number, or raise a ``ValidationError``.

    A 9-digit number is checked for digits and length only: the prefix table
    is partly unverified (see ``vnlink/data/ids_cmnd_prefixes.json``), so an
    unknown prefix is not an error. A 12-digit number is checked as a CCCD.

    >>> validate("001099012345")
    '001099012345'
    >>> validate("01234567")
    Traceback (most recent call last):
    ...
    vnlink.exceptions.InvalidLength: a CMND number has 9 or 12 digits, this one has 8
    """
    number = compact(number)
    if not is_digits(number):
        raise InvalidFormat("a CMND number has only digits: remove letters and other characters")
    if len(number) == 12:
        return cccd.validate(number)
    if len(number) != 9:
        raise InvalidLength(f"a CMND number has 9 or 12 digits, this one has {len(number)}")
    return number


def is_valid(number: object) -> bool:
    """True when :func:`validate` accepts ``number``; never raises.

    >>> is_valid("012345678"), is_valid("12345678"), is_valid(object())
    (True, False, False)
    """
    try:
        validate(number)
    except ValidationError:
        return False
    return True


def format(number: object) -> str:
    """9 digits in groups of three; 12 digits as :func:`cccd.format` does.

    >>> format("012345678"), format("001099012345")
    ('012 345 678', '001 0 99 012345')
    """
    number = compact(number)
    if len(number) == 9:
        return " ".join((number[:3], number[3:6], number[6:]))
    return cccd.format(number)


def _prefix_rows(number: str) -> tuple[tuple[str, str, bool], ...]:
    table = cmnd_prefixes()
    for size in (3, 2):
        rows = table.get(number[:size])
        if rows:
            return rows
    return ()


def get_issuing_provinces(number: object) -> tuple[str, ...]:
    """The pre-2025 provinces whose police may have issued this card (a hint, not a fact).

    For a 9-digit number, the provinces of the longest matching prefix, some
    of them shared by two or three provinces; ``()`` when the prefix is not in
    the table. For a 12-digit number, the CCCD province.

    >>> get_issuing_provinces("020123456"), get_issuing_provinces("001099012345")
    (('Hồ Chí Minh',), ('Hà Nội',))
    """
    number = validate(number)
    if len(number) == 12:
        return (cccd.get_province(number).name,)
    return tuple(name for _code, name, _verified in _prefix_rows(number))


def is_prefix_verified(number: object) -> bool:
    """False when the prefix row of a 9-digit number is marked unverified in the data file.

    >>> is_prefix_verified("012345678"), is_prefix_verified("162345678")
    (True, False)
    """
    number = validate(number)
    if len(number) == 12:
        return True
    rows = _prefix_rows(number)
    return bool(rows) and all(verified for _code, _name, verified in rows)

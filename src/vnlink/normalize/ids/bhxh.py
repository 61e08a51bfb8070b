"""BHXH / BHYT: the social insurance number and the health insurance card code.

**Mã số BHXH** (10 digits): a lifelong social insurance number, printed on
cards since 8/2017 (Công văn 3340/BHXH-ST). No official internal structure
was found, so nothing beyond "10 digits" is checked.

**Mã thẻ BHYT** (15 characters, Quyết định 1351/QĐ-BHXH, 2015)::

    XX Y ZZ NNNNNNNNNN
    │  │ │  └── the 10-digit mã số BHXH
    │  │ └───── the province that issued the card (2 digits)
    │  └─────── benefit level, 1 to 5
    └────────── group code (2 letters: DN, HS, GD …)

Cards from 1/4/2021 (Quyết định 1666/QĐ-BHXH) print only the 10-digit number;
compare people with :func:`get_bhxh_number`, which extracts it from either form.

Examples
--------
>>> validate("DN 4 79 7912345678")
'DN4797912345678'
>>> get_bhxh_number("DN4797912345678"), get_bhxh_number("79-1234-5678")
('7912345678', '7912345678')
>>> format("dn4797912345678")
'DN 4 79 7912345678'
>>> get_benefit_level("HS4010123456789")
4
"""

from __future__ import annotations

import re

from vnlink.exceptions import InvalidComponent, InvalidFormat, InvalidLength, ValidationError
from vnlink.normalize.ids._tables import clean, is_digits

__all__ = [
    "compact",
    "format",
    "get_benefit_level",
    "get_bhxh_number",
    "get_card_province",
    "get_group",
    "is_valid",
    "validate",
]

_BHYT = re.compile(r"[A-Z]{2}[0-9]{13}")


def compact(number: object) -> str:
    """Remove separators and upper-case the letters; never raises.

    >>> compact("hs 4 01 0123456789")
    'HS4010123456789'
    """
    return clean(number)


def validate(number: object) -> str:
    """Return the compact 10-digit BHXH number or 15-character BHYT code, or raise.

    >>> validate("0123456789")
    '0123456789'
    >>> validate("DN6790123456789")
    Traceback (most recent call last):
    ...
    vnlink.exceptions.InvalidComponent: the 3rd character of a BHYT code is the benefit level...
    """
    number = compact(number)
    if is_digits(number):
        if len(number) != 10:
            raise InvalidLength(
                f"a BHXH number has 10 digits (a BHYT code 15 characters), this one has "
                f"{len(number)}"
            )
        return number
    if len(number) != 15:
        raise InvalidLength(
            f"a BHYT code has 15 characters (a BHXH number 10 digits), this one has {len(number)}"
        )
    if not number.isascii() or not _BHYT.fullmatch(number):
        raise InvalidFormat("a BHYT code is 2 letters then 13 digits, like DN4797912345678")
    if number[2] not in "12345":
        raise InvalidComponent("the 3rd character of a BHYT code is the benefit level, 1 to 5")
    return number


def is_valid(number: object) -> bool:
    """True when :func:`validate` accepts ``number``; never raises.

    >>> is_valid("0123456789"), is_valid("DN4797912345678"), is_valid("DN479"), is_valid(None)
    (True, True, False, False)
    """
    try:
        validate(number)
    except ValidationError:
        return False
    return True


def format(number: object) -> str:
    """A BHYT code with its parts apart; a BHXH number unchanged.

    >>> format("0123456789"), format("HS4010123456789")
    ('0123456789', 'HS 4 01 0123456789')
    """
    number = compact(number)
    if len(number) == 15:
        return " ".join((number[:2], number[2], number[3:5], number[5:]))
    return number


def get_bhxh_number(number: object) -> str:
    """The 10-digit social insurance number, from a BHXH number or a BHYT code.

    >>> get_bhxh_number("TE1010123456789")
    '0123456789'
    """
    return validate(number)[-10:]


def _bhyt(number: object) -> str:
    number = validate(number)
    if len(number) != 15:
        raise InvalidLength("this is a 10-digit BHXH number, not a 15-character BHYT code")
    return number


def get_group(number: object) -> str:
    """The 2-letter group code of a BHYT code (DN: employees, HS: pupils …).

    >>> get_group("DN4797912345678")
    'DN'
    """
    return _bhyt(number)[:2]


def get_benefit_level(number: object) -> int:
    """The benefit level (mức hưởng) of a BHYT code, 1 to 5.

    >>> get_benefit_level("DN4797912345678")
    4
    """
    return int(_bhyt(number)[2])


def get_card_province(number: object) -> str:
    """The 2-digit code of the province that issued a BHYT card.

    >>> get_card_province("DN4797912345678")
    '79'
    """
    return _bhyt(number)[3:5]

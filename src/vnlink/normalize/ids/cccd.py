"""CCCD (căn cước công dân, số định danh cá nhân): the 12-digit personal ID number.

The number every Vietnamese citizen holds for life (Nghị định 137/2015/NĐ-CP
Điều 13; Thông tư 07/2016/TT-BCA, then 59/2021/TT-BCA; kept by Luật Căn cước
2023 Điều 12, which renames the card "thẻ căn cước")::

    PPP G YY RRRRRR
    │   │ │  └── 6 random digits
    │   │ └───── last two digits of the birth year
    │   └─────── century and sex: 0/1 = male/female born 1900-1999,
    │            2/3 = 2000-2099, 4/5 = 2100-2199, 6/7, 8/9 up to 2399
    └─────────── province where the birth was registered (pre-2025 code)

There is **no check digit**: a validator can only check the digits, the
province code (001 Hà Nội … 096 Cà Mau, with gaps: 003, 005, 007 … are
unassigned) and that the birth year is not in the future. The province code
is the one of the 63 provinces before the 2025 merger, which renumbered
nothing; several 2025 province codes reuse an old code for another area, so
:func:`get_province` decodes with the pre-2025 table only and also returns
the 2025 province. Codes of countries (births registered abroad) are not
in the table, so such numbers do not validate.

The 12-digit CMND issued 2012-2016 has the same structure and was kept as
the CCCD number (see :mod:`vnlink.normalize.ids.cmnd`).

Examples
--------
>>> validate("001 099 012345")
'001099012345'
>>> format("001099012345")
'001 0 99 012345'
>>> get_province("079303001234")
Province(code='079', name='Hồ Chí Minh', province_2025='Hồ Chí Minh', province_2025_code='79')
>>> get_sex("079303001234"), get_birth_year("079303001234")
('F', 2003)
>>> is_valid("003099012345")  # 003 is not a province code
False
>>> check_consistency("001099012345", dob="05/03/1999", sex="Nữ")
('id:sex_conflict',)
"""

from __future__ import annotations

import datetime

from vnlink.exceptions import InvalidComponent, InvalidFormat, InvalidLength, ValidationError
from vnlink.normalize.ids._tables import Province, clean, is_digits, provinces

__all__ = [
    "Province",
    "check_consistency",
    "compact",
    "format",
    "get_birth_year",
    "get_province",
    "get_sex",
    "is_valid",
    "make",
    "validate",
]


def compact(number: object) -> str:
    """Remove spaces, dots, dashes, quotes and other separators; never raises.

    >>> compact("'001.099.012.345")
    '001099012345'
    >>> compact(None)
    ''
    """
    return clean(number)


def _birth_year(number: str) -> int:
    return 1900 + 100 * (int(number[3]) // 2) + int(number[4:6])


def _structure(number: object) -> str:
    """The compact number if it is 12 ASCII digits, else raise."""
    number = compact(number)
    if not is_digits(number):
        raise InvalidFormat("a CCCD number has only digits: remove letters and other characters")
    if len(number) != 12:
        raise InvalidLength(f"a CCCD number has 12 digits, this one has {len(number)}")
    return number


def validate(number: object) -> str:
    """Return the compact 12-digit number, or raise a ``ValidationError``.

    Raises
    ------
    InvalidFormat
        The number has characters other than digits and separators.
    InvalidLength
        It does not have 12 digits.
    InvalidComponent
        The first three digits are not a pre-2025 province code, or the
        encoded birth year is after the current year.

    Examples
    --------
    >>> validate("036185000123")
    '036185000123'
    >>> validate("03618500012")
    Traceback (most recent call last):
    ...
    vnlink.exceptions.InvalidLength: a CCCD number has 12 digits, this one has 11
    """
    number = _structure(number)
    if number[:3] not in provinces():
        raise InvalidComponent(
            "the first 3 digits of a CCCD number must be a province code "
            "(001 Hà Nội … 096 Cà Mau, see vnlink/data/ids_cccd_provinces.json)"
        )
    if _birth_year(number) > datetime.date.today().year:
        raise InvalidComponent(
            "digits 4-6 of a CCCD number encode a birth year in the future: check the 4th digit"
        )
    return number


def is_valid(number: object) -> bool:
    """True when :func:`validate` accepts ``number``; never raises.

    >>> is_valid("001099012345"), is_valid(""), is_valid(None), is_valid(1099012345)
    (True, False, False, False)
    """
    try:
        validate(number)
    except ValidationError:
        return False
    return True


def format(number: object) -> str:
    """The number with its parts apart: ``PPP G YY RRRRRR``.

    >>> format("036185000123")
    '036 1 85 000123'
    """
    number = compact(number)
    if len(number) != 12:
        return number
    return " ".join((number[:3], number[3], number[4:6], number[6:]))


def get_province(number: object) -> Province:
    """The province where the birth was registered (pre-2025), with its 2025 province.

    >>> get_province("015190001234")  # Yên Bái, now part of Lào Cai (code 15)
    Province(code='015', name='Yên Bái', province_2025='Lào Cai', province_2025_code='15')
    """
    return provinces()[validate(number)[:3]]


def get_sex(number: object) -> str:
    """``"M"`` or ``"F"``, from the 4th digit (even = male, odd = female).

    >>> get_sex("001099012345"), get_sex("001199012345")
    ('M', 'F')
    """
    return "F" if int(_structure(number)[3]) % 2 else "M"


def get_birth_year(number: object) -> int:
    """The birth year: ``1900 + 100 * (4th digit // 2) + digits 5-6``.

    >>> get_birth_year("001099012345"), get_birth_year("001305012345")
    (1999, 2005)
    """
    return _birth_year(_structure(number))


def make(province: str, sex: str, birth_year: int, serial: int = 0) -> str:
    """Build the number a person with these attributes would get (for tests and examples).

    Parameters
    ----------
    province
        A 3-digit CCCD province code.
    sex
        ``"M"`` or ``"F"``.
    birth_year
        1900 to 2399.
    serial
        The 6 trailing digits, 0 to 999999.

    >>> make("001", "F", 2003, 42)
    '001303000042'
    """
    if province not in provinces():
        raise InvalidComponent("province must be a 3-digit CCCD province code such as '001'")
    if sex not in ("M", "F"):
        raise InvalidComponent("sex must be 'M' or 'F'")
    if not 1900 <= birth_year <= 2399:
        raise InvalidComponent("birth_year must be between 1900 and 2399")
    if not 0 <= serial <= 999_999:
        raise InvalidComponent("serial must be between 0 and 999999")
    century = (birth_year - 1900) // 100
    digit = 2 * century + (1 if sex == "F" else 0)
    return f"{province}{digit}{birth_year % 100:02d}{serial:06d}"


def check_consistency(
    number: object, *, dob: object = None, sex: object = None, year_tolerance: int = 0
) -> tuple[str, ...]:
    """The conflicts between what the number encodes and a record's date of birth and sex.

    Parameters
    ----------
    number
        A CCCD number (validated first).
    dob
        The record's date of birth, in any form :func:`vnlink.normalize.dates.parse_date`
        reads (``"05/03/1990"``, ``1990``, a ``date``); missing or unreadable
        dates give no conflict.
    sex
        The record's sex, in any form :func:`vnlink.normalize.sex.normalize_sex` reads.
    year_tolerance
        Birth years this far apart are not a conflict (use 1 for year-only
        dates that may be lunar years).

    Returns
    -------
    tuple of str
        Problem codes: ``id:birth_year_conflict``, ``id:sex_conflict``; empty
        when everything agrees.

    Raises
    ------
    ValidationError
        When ``number`` is not a valid CCCD number.

    Examples
    --------
    >>> check_consistency("001099012345", dob="1998", sex="Nam")
    ('id:birth_year_conflict',)
    >>> check_consistency("001099012345", dob="12/10/1999", sex="M")
    ()
    """
    from vnlink.normalize.dates import parse_date
    from vnlink.normalize.sex import normalize_sex

    number = validate(number)
    conflicts: list[str] = []
    parsed = parse_date(dob)
    if parsed.precision != "none":
        year = parsed.corrected.year if parsed.corrected is not None else parsed.year
        if abs(year - _birth_year(number)) > year_tolerance:
            conflicts.append("id:birth_year_conflict")
    record_sex = normalize_sex(sex)
    if record_sex is not None and record_sex != get_sex(number):
        conflicts.append("id:sex_conflict")
    return tuple(conflicts)

"""Dates of birth as people write them, read into partial dates with flags.

A Vietnamese date of birth is usually written ``dd/mm/yyyy`` (as on the ID
card), but forms and spreadsheets also give ``d/m/yyyy``, ``dd-mm-yyyy``,
``dd.mm.yyyy``, ISO ``yyyy-mm-dd``, ``ddmmyyyy``, ``d/m/yy`` (the CLDR ``vi``
short date), ``mm/yyyy``, a year alone ("1958": births registered before
2016 may legally have only a year), "ngày 5 tháng 3 năm 1990", "15-Aug-1990", spreadsheet
serial numbers, and ``date``/``datetime``/``numpy.datetime64``/pandas
``Timestamp`` objects. :func:`parse_date` reads all of them into a
:class:`PartialDate` whose ``precision`` says how much is known, and
**flags** what it could not be sure of instead of guessing:

========================  ======================================================
flag                      meaning
========================  ======================================================
``possibly_year_only``    01/01/yyyy: often a placeholder for "year only"
``ambiguous_day_month``   both dd/mm and mm/dd are valid dates (05/03/1990)
``day_month_swapped``     read as mm/dd because the month was > 12 (12/25/1990)
``impossible_date``       31/04, 30/02 or 29/02 of a non-leap year: ``corrected``
                          holds the date re-registration gives (1st of next month)
``invalid_day_month``     day or month out of range: only the year is kept
``two_digit_year``        the century was chosen by the pivot (below)
``spreadsheet_serial``    a spreadsheet day number (Excel/LibreOffice, 1900 system)
``year_out_of_range``     a year before 1850 or after 2100: precision ``none``
``unparseable``           nothing readable: precision ``none``
========================  ======================================================

**Two-digit years**: ``yy`` is read as the latest year not after
``pivot_year`` (default 2025) that ends in ``yy``: 00-25 -> 2000-2025,
26-99 -> 1926-1999. The default is fixed, not "this year", so that results
do not change with the clock; pass ``pivot_year`` for newer data.

**Numbers**: an integer 1850-2100 is a year; 7 or 8 digits are ``ddmmyyyy``
(or ``yyyymmdd`` when only that reading is a date); other integers up to
73415 (31/12/2100) are spreadsheet serial numbers.

Examples
--------
>>> parse_date("05/03/1990")
PartialDate(year=1990, month=3, day=5, precision='day', flags=('ambiguous_day_month',))
>>> parse_date("1958")
PartialDate(year=1958, month=0, day=0, precision='year', flags=())
>>> d = parse_date("31/04/1990")
>>> d.flags, d.corrected
(('impossible_date',), PartialDate(year=1990, month=5, day=1, precision='day', flags=()))
>>> parse_date("ngày 17 tháng 8 năm 1945").isoformat()
'1945-08-17'
>>> parse_date("không rõ")
PartialDate(year=0, month=0, day=0, precision='none', flags=('unparseable',))
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink._bulk import factorize, spread
from vnlink.normalize._fallback import FEW_ROWS as _FEW_ROWS

__all__ = [
    "FLAGS",
    "MAX_YEAR",
    "MIN_YEAR",
    "PROBLEM_FLAGS",
    "PartialDate",
    "normalize_date",
    "parse_date",
    "parse_dates",
]

FLAGS = (
    "possibly_year_only",
    "ambiguous_day_month",
    "day_month_swapped",
    "impossible_date",
    "invalid_day_month",
    "two_digit_year",
    "spreadsheet_serial",
    "year_out_of_range",
    "unparseable",
)
"""Every flag :func:`parse_date` may set."""

PROBLEM_FLAGS = frozenset(
    {
        "unparseable",
        "year_out_of_range",
        "impossible_date",
        "invalid_day_month",
        "day_month_swapped",
    }
)
"""Flags that are errors in the data; they become ``dob:<flag>`` problem codes."""

MIN_YEAR = 1850
"""Years before this are ``year_out_of_range``."""
MAX_YEAR = 2100
"""Years after this are ``year_out_of_range``."""
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_MAX_SERIAL = (datetime.date(MAX_YEAR, 12, 31) - _EXCEL_EPOCH).days
_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date of birth of which the year, the month or the day may be unknown.

    Attributes
    ----------
    year, month, day : int
        As written; 0 when unknown.
    precision : str
        ``day``, ``month``, ``year`` or ``none``.
    flags : tuple of str
        See the module docstring.
    corrected : PartialDate or None
        For an ``impossible_date``, the date a re-registration gives it (the
        1st of the next month); ``None`` otherwise.
    """

    year: int
    month: int
    day: int
    precision: str
    flags: tuple[str, ...] = ()
    corrected: PartialDate | None = None

    def __repr__(self) -> str:
        return (
            f"PartialDate(year={self.year}, month={self.month}, day={self.day}, "
            f"precision={self.precision!r}, flags={self.flags!r})"
        )

    @property
    def problems(self) -> tuple[str, ...]:
        """The flags that are data errors, as ``dob:<flag>`` codes.

        >>> parse_date("30/02/1990").problems
        ('dob:impossible_date',)
        """
        return tuple(f"dob:{f}" for f in self.flags if f in PROBLEM_FLAGS)

    @property
    def effective(self) -> PartialDate:
        """``corrected`` when there is one, else the date itself (what the bulk columns hold)."""
        return self.corrected if self.corrected is not None else self

    def to_date(self) -> datetime.date | None:
        """A ``datetime.date`` for day precision (the corrected date if impossible), else None.

        >>> parse_date("29/02/2001").to_date()
        datetime.date(2001, 3, 1)
        """
        date = self.effective
        if date.precision != "day":
            return None
        return datetime.date(date.year, date.month, date.day)

    def isoformat(self) -> str:
        """``yyyy-mm-dd``, ``yyyy-mm`` or ``yyyy`` by precision (corrected if impossible); ``""``.

        >>> parse_date("3/1990").isoformat(), parse_date(None).isoformat()
        ('1990-03', '')
        """
        date = self.effective
        if date.precision == "day":
            return f"{date.year:04d}-{date.month:02d}-{date.day:02d}"
        if date.precision == "month":
            return f"{date.year:04d}-{date.month:02d}"
        if date.precision == "year":
            return f"{date.year:04d}"
        return ""


_MISSING = PartialDate(0, 0, 0, "none")
_UNPARSEABLE = PartialDate(0, 0, 0, "none", ("unparseable",))
_OUT_OF_RANGE = PartialDate(0, 0, 0, "none", ("year_out_of_range",))

_TIME = re.compile(
    r"(?:t|\s+)\d{1,2}[:h]\d{1,2}(?:[:m]\d{1,2}(?:\.\d+)?s?)?"
    r"\s*(?:z|[+-]\d{2}:?\d{2}|am|pm|sa|ch)?\s*$"
)
_WORDS = re.compile(r"ngày|ngay|tháng|thang|năm|nam|th|t|ng|n")
_GROUPS = re.compile(r"[\s./\-,]*(\d+)(?:[\s./\-,]+(\d+))?(?:[\s./\-,]+(\d+))?[\s./\-,]*")
_FLOAT_TEXT = re.compile(r"(\d+)\.0+")
_LETTERS = re.compile(r"[a-z]+")
_NUMBERS = re.compile(r"\d+")
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_CLEAN_DMY = re.compile(r"(\d\d?)([/.\-])(\d\d?)\2(\d{4})")


_CLEAN_YMD = re.compile(r"([0-9]{4})-([0-9][0-9]?)-([0-9][0-9]?)")
# flags of _build in their order: one bit each
_BITS = ("day_month_swapped", "ambiguous_day_month", "invalid_day_month", "possibly_year_only",
         "impossible_date")


def _joined_flags(bits: int) -> tuple[str, str]:
    names = [name for k, name in enumerate(_BITS) if bits >> k & 1]
    return ";".join(names), ";".join(f"dob:{f}" for f in names if f in PROBLEM_FLAGS)


_FLAG_TEXTS = [_joined_flags(bits) for bits in range(1 << len(_BITS))]
_DAYS_ARRAY = np.array(_DAYS, dtype=np.int64)


def _build_many(
    year: NDArray[np.int64], month: NDArray[np.int64], day: NDArray[np.int64],
    dmy: NDArray[np.bool_],
) -> tuple[NDArray[Any], ...]:
    """:func:`_build` of many dates at once: year, month, day (effective), precision, flags,
    problems; the same values as ``parse_date(...)`` gives for each."""
    in_range = (year >= MIN_YEAR) & (year <= MAX_YEAR)
    no_month = month == 0
    swap = (month > 12) & (day >= 1) & (day <= 12) & (month <= 31)
    ambiguous = ~swap & (month <= 12) & (day <= 12) & (day != month) & (day != 0) & dmy
    month, day = np.where(swap, day, month), np.where(swap, month, day)
    invalid = (month > 12) | (day > 31)
    no_day = ~invalid & (day == 0)
    full = ~no_month & ~invalid & ~no_day
    jan_first = full & (day == 1) & (month == 1)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    length = np.where((month == 2) & leap, 29, _DAYS_ARRAY[np.clip(month, 0, 12)])
    impossible = full & (day > length)
    bits = (swap.astype(np.int64) | ambiguous << 1 | invalid << 2 | jan_first << 3
            | impossible << 4)
    bits = np.where(in_range & ~no_month, bits, 0)
    texts = np.array(_FLAG_TEXTS, dtype=object)
    flags = texts[bits, 0]
    problems = texts[bits, 1]
    flags[~in_range] = "year_out_of_range"
    problems[~in_range] = "dob:year_out_of_range"
    precision = np.where(full, "day", np.where(no_day & ~no_month, "month", "year")).astype(object)
    precision[~in_range] = "none"
    keep_month = in_range & ~no_month & ~invalid
    out_month = np.where(keep_month, np.where(impossible, month + 1, month), 0)
    out_day = np.where(full & in_range, np.where(impossible, 1, day), 0)
    out_year = np.where(in_range, year, 0)
    return out_year, out_month, out_day, precision, flags, problems


def _days_in_month(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS[month]


def _full_year(yy: int, pivot_year: int) -> int:
    year = pivot_year - pivot_year % 100 + yy
    return year - 100 if year > pivot_year else year


def _build(year: int, month: int, day: int, order: str, flags: list[str]) -> PartialDate:
    """A PartialDate from numbers read in ``order`` ("dmy" or "ymd")."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return _OUT_OF_RANGE
    if month == 0:
        return PartialDate(year, 0, 0, "year", tuple(flags))
    if month > 12 and 1 <= day <= 12 and month <= 31:
        month, day = day, month
        flags.append("day_month_swapped")
    elif month <= 12 and day <= 12 and day != month and day != 0 and order == "dmy":
        flags.append("ambiguous_day_month")
    if month > 12 or day > 31:
        flags.append("invalid_day_month")
        return PartialDate(year, 0, 0, "year", tuple(flags))
    if day == 0:
        return PartialDate(year, month, 0, "month", tuple(flags))
    if day == 1 and month == 1:
        flags.append("possibly_year_only")
    if day > _days_in_month(year, month):
        flags.append("impossible_date")
        fixed = PartialDate(year, month + 1, 1, "day")  # December has 31 days: month < 12
        return PartialDate(year, month, day, "day", tuple(flags), fixed)
    return PartialDate(year, month, day, "day", tuple(flags))


def _serial(number: int) -> PartialDate:
    if number == 60:  # 1900-02-29 exists only in Lotus/Excel
        return PartialDate(
            1900,
            2,
            29,
            "day",
            ("spreadsheet_serial", "impossible_date"),
            PartialDate(1900, 3, 1, "day"),
        )
    date = _EXCEL_EPOCH + datetime.timedelta(days=number + (1 if number < 60 else 0))
    return _build(date.year, date.month, date.day, "ymd", ["spreadsheet_serial"])


def _from_number(number: int) -> PartialDate:
    if MIN_YEAR <= number <= MAX_YEAR:
        return PartialDate(number, 0, 0, "year")
    if 1_000_000 <= number <= 99_999_999:
        return _from_digits(str(number), 2025)
    if 1 <= number <= _MAX_SERIAL:
        return _serial(number)
    return _UNPARSEABLE


def _from_digits(digits: str, pivot_year: int) -> PartialDate:
    """A date written as one run of digits."""
    size = len(digits)
    if size == 4:
        return _build(int(digits), 0, 0, "ymd", [])
    if size == 7:
        digits = "0" + digits
        size = 8
    if size == 8:
        d, m, y = int(digits[:2]), int(digits[2:4]), int(digits[4:])
        iso_year = int(digits[:4])
        if (MIN_YEAR <= y <= MAX_YEAR and 1 <= m <= 12) or not MIN_YEAR <= iso_year <= MAX_YEAR:
            return _build(y, m, d, "dmy", [])
        return _build(int(digits[:4]), int(digits[4:6]), int(digits[6:]), "ymd", [])
    if size == 6:
        m, y = int(digits[:2]), int(digits[2:])
        if MIN_YEAR <= y <= MAX_YEAR and 1 <= m <= 12:
            return PartialDate(y, m, 0, "month")
        year = _full_year(int(digits[4:]), pivot_year)
        return _build(year, int(digits[2:4]), int(digits[:2]), "dmy", ["two_digit_year"])
    if size == 5:
        return _serial(int(digits))
    return _UNPARSEABLE


def _from_groups(groups: list[str], pivot_year: int) -> PartialDate:
    if len(groups) == 1:
        return _from_digits(groups[0], pivot_year)
    sizes = [len(g) for g in groups]
    if len(groups) == 2:
        if sizes[1] == 4 and sizes[0] <= 2:
            return _build(int(groups[1]), int(groups[0]), 0, "ymd", [])
        if sizes[0] == 4 and sizes[1] <= 2:
            return _build(int(groups[0]), int(groups[1]), 0, "ymd", [])
        return _UNPARSEABLE
    if sizes[0] == 4 and sizes[1] <= 2 and sizes[2] <= 2:
        return _build(int(groups[0]), int(groups[1]), int(groups[2]), "ymd", [])
    if sizes[0] <= 2 and sizes[1] <= 2:
        if sizes[2] == 4:
            return _build(int(groups[2]), int(groups[1]), int(groups[0]), "dmy", [])
        if sizes[2] == 2:
            year = _full_year(int(groups[2]), pivot_year)
            return _build(year, int(groups[1]), int(groups[0]), "dmy", ["two_digit_year"])
    return _UNPARSEABLE


def _month_name(text: str) -> PartialDate | None:
    """Dates with an English month name: "15 Aug 1990", "15-Aug-1990", "August 15, 1990"."""
    words = _LETTERS.findall(text)
    months = [_MONTHS[w[:3]] for w in words if w[:3] in _MONTHS and len(w) >= 3]
    if len(months) != 1 or len(words) != 1:
        return None
    numbers = _NUMBERS.findall(text)
    years = [x for x in numbers if len(x) == 4]
    days = [x for x in numbers if len(x) <= 2]
    if len(years) != 1 or len(days) > 1 or len(numbers) != len(years) + len(days):
        return _UNPARSEABLE
    return _build(int(years[0]), months[0], int(days[0]) if days else 0, "ymd", [])


def _from_text(text: str, pivot_year: int) -> PartialDate:
    match = _CLEAN_DMY.fullmatch(text)  # the common case, first
    if match is not None:
        return _build(int(match[4]), int(match[3]), int(match[1]), "dmy", [])
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = text.strip().lower()
    if not text:
        return _MISSING
    if len(text) > 64:
        return _UNPARSEABLE
    match = _FLOAT_TEXT.fullmatch(text)
    if match is not None:
        return _from_number(int(match[1]))
    text = _TIME.sub("", text)
    if not text.isascii() or any(c.isalpha() for c in text):
        named = _month_name(text)
        if named is not None:
            return named
        text = _WORDS.sub(" ", text)
    match = _GROUPS.fullmatch(text)
    if match is None:
        return _UNPARSEABLE
    groups = [g for g in match.groups() if g is not None]
    if any(not g.isascii() for g in groups):
        return _UNPARSEABLE
    return _from_groups(groups, pivot_year)


def _is_missing(value: object) -> bool:
    try:
        return bool(value != value)  # NaN, NaT
    except Exception:
        return type(value).__name__ == "NAType"  # pandas.NA


def parse_date(value: object, *, pivot_year: int = 2025) -> PartialDate:
    """Read a date of birth in any common form; never raises.

    Parameters
    ----------
    value
        Text, an integer or float (a year, ``ddmmyyyy`` or a spreadsheet
        serial), a ``date``/``datetime``/``numpy.datetime64``/pandas
        ``Timestamp``, a :class:`PartialDate`, ``None`` or anything else.
    pivot_year
        Two-digit years are read as the latest year not after this one.

    Returns
    -------
    PartialDate
        Precision ``none`` with no flag for a missing value, with the flag
        ``unparseable`` for something that is not a date.

    Examples
    --------
    >>> parse_date("1990-03-05").isoformat(), parse_date("05.03.1990").isoformat()
    ('1990-03-05', '1990-03-05')
    >>> parse_date("5/3/90").flags
    ('two_digit_year', 'ambiguous_day_month')
    >>> parse_date("01/01/1960").flags
    ('possibly_year_only',)
    >>> parse_date("12/25/1990").flags
    ('day_month_swapped',)
    >>> parse_date(32937).isoformat(), parse_date(32937).flags
    ('1990-03-05', ('spreadsheet_serial',))
    >>> import datetime
    >>> parse_date(datetime.date(1990, 3, 5)).precision
    'day'
    >>> parse_date("tháng 3 năm 1990").isoformat()
    '1990-03'
    """
    if value is None:
        return _MISSING
    if isinstance(value, str):
        return _from_text(value, pivot_year)
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, bool):
        return _UNPARSEABLE
    if isinstance(value, int):
        return _from_number(value)
    if isinstance(value, float):
        if value != value:
            return _MISSING
        if not value < 1e9 or value < 1:
            return _UNPARSEABLE
        if value.is_integer():
            return _from_number(int(value))
        return _serial(int(value)) if value <= _MAX_SERIAL else _UNPARSEABLE
    if _is_missing(value):
        return _MISSING
    if isinstance(value, datetime.date):  # datetime and pandas Timestamp too
        return _build(value.year, value.month, value.day, "ymd", [])
    if isinstance(value, np.datetime64):
        unit = np.datetime_data(value.dtype)[0]
        if unit not in ("Y", "M"):
            value = value.astype("datetime64[D]")
        return _from_text(str(value), pivot_year)
    if isinstance(value, np.integer):
        return _from_number(int(value))
    try:
        year, month, day = value.year, value.month, value.day  # type: ignore[attr-defined]
        if all(type(x) is int for x in (year, month, day)):
            return _build(year, month, day, "ymd", [])
    except Exception:
        pass
    return _UNPARSEABLE


def normalize_date(value: object, *, pivot_year: int = 2025) -> str | None:
    """The date as ``yyyy-mm-dd``, ``yyyy-mm`` or ``yyyy`` (by precision), or None.

    Impossible dates give their corrected form. Idempotent.

    >>> normalize_date("5/3/1990"), normalize_date("31/06/1990"), normalize_date("?")
    ('1990-03-05', '1990-07-01', None)
    """
    return parse_date(value, pivot_year=pivot_year).isoformat() or None


def _datetime64_columns(array: NDArray[Any]) -> dict[str, NDArray[Any]]:
    unit = np.datetime_data(array.dtype)[0]
    missing = np.isnat(array)
    days = array.astype("datetime64[D]")
    year = days.astype("datetime64[Y]").astype(np.int64) + 1970
    month = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (days - days.astype("datetime64[M]")).astype(np.int64) + 1
    out_of_range = ~missing & ((year < MIN_YEAR) | (year > MAX_YEAR))
    known = ~missing & ~out_of_range
    n = array.shape[0]
    precision = np.full(n, "none", dtype=object)
    flags = np.full(n, "", dtype=object)
    problems = np.full(n, "", dtype=object)
    if unit == "Y":
        month[:] = 0
        day[:] = 0
        precision[known] = "year"
    elif unit == "M":
        day[:] = 0
        precision[known] = "month"
    else:
        precision[known] = "day"
        flags[known & (month == 1) & (day == 1)] = "possibly_year_only"
    flags[out_of_range] = "year_out_of_range"
    problems[out_of_range] = "dob:year_out_of_range"
    return {
        "dob_year": np.where(known, year, 0).astype(np.int16),
        "dob_month": np.where(known, month, 0).astype(np.int8),
        "dob_day": np.where(known, day, 0).astype(np.int8),
        "dob_precision": precision,
        "dob_flags": flags,
        "dob_problems": problems,
    }


def parse_dates(values: Iterable[Any], *, pivot_year: int = 2025) -> dict[str, NDArray[Any]]:
    """:func:`parse_date` over a column, once per distinct value, as the contract's columns.

    Impossible dates are given as their **corrected** date (``dob_flags``
    keeps ``impossible_date``), so that every day-precision row is a real
    calendar date. A numpy ``datetime64`` array (or a pandas datetime
    column) is converted without a Python loop.

    Returns
    -------
    dict
        ``dob_year`` (int16), ``dob_month`` (int8), ``dob_day`` (int8), 0 when
        unknown; ``dob_precision``, ``dob_flags`` and ``dob_problems`` (``;``-joined).

    Examples
    --------
    >>> cols = parse_dates(["05/03/1990", "1958", None, "31/04/1990"])
    >>> cols["dob_year"].tolist(), cols["dob_month"].tolist(), cols["dob_day"].tolist()
    ([1990, 1958, 0, 1990], [3, 0, 0, 5], [5, 0, 0, 1])
    >>> cols["dob_precision"].tolist()
    ['day', 'year', 'none', 'day']
    >>> cols["dob_flags"].tolist()[3], cols["dob_problems"].tolist()[3]
    ('impossible_date', 'dob:impossible_date')
    """
    if hasattr(values, "dtype") and getattr(values.dtype, "kind", "") == "M":
        array = np.asarray(values)
        if array.dtype.kind == "M" and array.ndim == 1:
            return _datetime64_columns(array)
    distinct, inverse = factorize(values)
    n = len(distinct)
    year = np.zeros(n, dtype=np.int16)
    month = np.zeros(n, dtype=np.int8)
    day = np.zeros(n, dtype=np.int8)
    precision = np.empty(n, dtype=object)
    flags = np.empty(n, dtype=object)
    problems = np.empty(n, dtype=object)
    # the common layouts (dd/mm/yyyy, yyyy-mm-dd) are read by one regex each and
    # checked with numpy; the rest one by one
    plain: list[int] = []
    numbers: list[tuple[int, int, int, int]] = []
    dmy_match, ymd_match = _CLEAN_DMY.fullmatch, _CLEAN_YMD.fullmatch
    few = n <= _FEW_ROWS  # a lookup's record: parse_date alone (the same values) is quicker
    rest = list(range(n)) if few else []
    for i, value in enumerate(() if few else distinct):
        if value.__class__ is str:
            match = dmy_match(value)
            if match is not None:
                plain.append(i)
                numbers.append((int(match[4]), int(match[3]), int(match[1]), 1))
                continue
            match = ymd_match(value)
            if match is not None:
                plain.append(i)
                numbers.append((int(match[1]), int(match[2]), int(match[3]), 0))
                continue
        rest.append(i)
    if plain:
        at = np.asarray(plain, dtype=np.intp)
        y, m, d, dmy = np.asarray(numbers, dtype=np.int64).T
        built = _build_many(y, m, d, dmy.astype(bool))
        year[at], month[at], day[at] = built[0], built[1], built[2]
        precision[at], flags[at], problems[at] = built[3], built[4], built[5]
    years: list[int] = []
    months: list[int] = []
    days: list[int] = []
    for i in rest:
        parsed = parse_date(distinct[i], pivot_year=pivot_year)
        date = parsed.effective
        years.append(date.year)
        months.append(date.month)
        days.append(date.day)
        precision[i] = parsed.precision
        flags[i] = ";".join(parsed.flags)
        problems[i] = ";".join(parsed.problems)
    if rest:
        at = np.asarray(rest, dtype=np.intp)
        year[at] = years
        month[at] = months
        day[at] = days
    return {
        "dob_year": year[inverse],
        "dob_month": month[inverse],
        "dob_day": day[inverse],
        "dob_precision": spread(precision, inverse),
        "dob_flags": spread(flags, inverse),
        "dob_problems": spread(problems, inverse),
    }

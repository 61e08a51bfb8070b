"""Dates of birth: table-driven cases over every format and flag, objects, bulk columns."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vnlink.normalize.dates import PartialDate, normalize_date, parse_date, parse_dates

AMB = ("ambiguous_day_month",)
Y1 = ("possibly_year_only",)
IMP = ("impossible_date",)
TWO = ("two_digit_year",)
SER = ("spreadsheet_serial",)
NONE = PartialDate(0, 0, 0, "none", ("unparseable",))

# (input, year, month, day, precision, flags, corrected (y, m, d) or None)
CASES = [
    # dd/mm/yyyy and its separators
    ("15/08/1990", 1990, 8, 15, "day", (), None),
    ("05/03/1990", 1990, 3, 5, "day", AMB, None),
    ("5/3/1990", 1990, 3, 5, "day", AMB, None),
    ("15-08-1990", 1990, 8, 15, "day", (), None),
    ("15.08.1990", 1990, 8, 15, "day", (), None),
    ("15 / 08 / 1990", 1990, 8, 15, "day", (), None),
    (" 15/08/1990 ", 1990, 8, 15, "day", (), None),
    ("15/8/1990", 1990, 8, 15, "day", (), None),
    ("3/3/1990", 1990, 3, 3, "day", (), None),
    ("１５/０８/１９９０", 1990, 8, 15, "day", (), None),
    ("15/08/1990 00:00:00", 1990, 8, 15, "day", (), None),
    ("15/08/1990 12:30", 1990, 8, 15, "day", (), None),
    # ISO and its variants
    ("1990-08-15", 1990, 8, 15, "day", (), None),
    ("1990-03-05", 1990, 3, 5, "day", (), None),
    ("1990/08/15", 1990, 8, 15, "day", (), None),
    ("1990-08-15T00:00:00", 1990, 8, 15, "day", (), None),
    ("1990-08-15 00:00:00+07:00", 1990, 8, 15, "day", (), None),
    ("1990-8-5", 1990, 8, 5, "day", (), None),
    # compact digits
    ("15081990", 1990, 8, 15, "day", (), None),
    ("05031990", 1990, 3, 5, "day", AMB, None),
    ("19900815", 1990, 8, 15, "day", (), None),
    ("5031990", 1990, 3, 5, "day", AMB, None),
    ("150890", 1990, 8, 15, "day", TWO, None),
    # two-digit years and the pivot (2025)
    ("15/8/90", 1990, 8, 15, "day", TWO, None),
    ("15/8/25", 2025, 8, 15, "day", TWO, None),
    ("15/8/26", 1926, 8, 15, "day", TWO, None),
    ("15/8/00", 2000, 8, 15, "day", TWO, None),
    ("5/3/90", 1990, 3, 5, "day", (*TWO, *AMB), None),
    # month/year, year only, unknown parts written as zero
    ("08/1990", 1990, 8, 0, "month", (), None),
    ("8/1990", 1990, 8, 0, "month", (), None),
    ("1990-08", 1990, 8, 0, "month", (), None),
    ("081990", 1990, 8, 0, "month", (), None),
    ("T8/1990", 1990, 8, 0, "month", (), None),
    ("tháng 8 năm 1990", 1990, 8, 0, "month", (), None),
    ("1958", 1958, 0, 0, "year", (), None),
    ("năm 1958", 1958, 0, 0, "year", (), None),
    ("00/00/1958", 1958, 0, 0, "year", (), None),
    ("0/0/1958", 1958, 0, 0, "year", (), None),
    ("00/08/1958", 1958, 8, 0, "month", (), None),
    ("1958.0", 1958, 0, 0, "year", (), None),
    # Vietnamese words
    ("ngày 15 tháng 8 năm 1990", 1990, 8, 15, "day", (), None),
    ("Ngày 05 Tháng 03 Năm 1990", 1990, 3, 5, "day", AMB, None),
    ("ngay 15 thang 8 nam 1990", 1990, 8, 15, "day", (), None),
    # English month names (spreadsheet exports)
    ("15-Aug-1990", 1990, 8, 15, "day", (), None),
    ("05 Mar 1990", 1990, 3, 5, "day", (), None),
    ("August 15, 1990", 1990, 8, 15, "day", (), None),
    ("Aug 1990", 1990, 8, 0, "month", (), None),
    ("31 Apr 1990", 1990, 4, 31, "day", IMP, (1990, 5, 1)),
    ("Aug 15 90", 0, 0, 0, "none", ("unparseable",), None),
    # flags: year-only placeholder, swapped, impossible dates and their correction
    ("01/01/1960", 1960, 1, 1, "day", Y1, None),
    ("1960-01-01", 1960, 1, 1, "day", Y1, None),
    ("12/25/1990", 1990, 12, 25, "day", ("day_month_swapped",), None),
    ("1990-25-12", 1990, 12, 25, "day", ("day_month_swapped",), None),
    ("31/04/1990", 1990, 4, 31, "day", IMP, (1990, 5, 1)),
    ("31/06/1990", 1990, 6, 31, "day", IMP, (1990, 7, 1)),
    ("31/09/1990", 1990, 9, 31, "day", IMP, (1990, 10, 1)),
    ("31/11/1990", 1990, 11, 31, "day", IMP, (1990, 12, 1)),
    ("29/02/2001", 2001, 2, 29, "day", IMP, (2001, 3, 1)),
    ("30/02/1990", 1990, 2, 30, "day", IMP, (1990, 3, 1)),
    ("29/02/2000", 2000, 2, 29, "day", (), None),
    ("29/02/1900", 1900, 2, 29, "day", IMP, (1900, 3, 1)),
    ("32/08/1990", 1990, 0, 0, "year", ("invalid_day_month",), None),
    ("15/13/1990", 1990, 0, 0, "year", ("invalid_day_month",), None),
    # spreadsheet serials, numbers
    ("33100", 1990, 8, 15, "day", SER, None),
    (33100, 1990, 8, 15, "day", SER, None),
    (33100.0, 1990, 8, 15, "day", SER, None),
    (33100.75, 1990, 8, 15, "day", SER, None),
    (1, 1900, 1, 1, "day", (*SER, *Y1), None),
    (61, 1900, 3, 1, "day", SER, None),
    (1990, 1990, 0, 0, "year", (), None),
    (1990.0, 1990, 0, 0, "year", (), None),
    (np.int64(1990), 1990, 0, 0, "year", (), None),
    (15081990, 1990, 8, 15, "day", (), None),
    (19900815, 1990, 8, 15, "day", (), None),
    # date objects
    (datetime.date(1990, 8, 15), 1990, 8, 15, "day", (), None),
    (datetime.datetime(1990, 8, 15, 10, 30), 1990, 8, 15, "day", (), None),
    (np.datetime64("1990-08-15"), 1990, 8, 15, "day", (), None),
    (np.datetime64("1990-08-15T10:30:00.000000000"), 1990, 8, 15, "day", (), None),
    (np.datetime64("1990-08"), 1990, 8, 0, "month", (), None),
    (np.datetime64("1990"), 1990, 0, 0, "year", (), None),
    (pd.Timestamp("1990-08-15 10:30"), 1990, 8, 15, "day", (), None),
    (pd.Timestamp("1990-08-15", tz="Asia/Ho_Chi_Minh"), 1990, 8, 15, "day", (), None),
    (PartialDate(1990, 8, 0, "month"), 1990, 8, 0, "month", (), None),
    # out of range and unparseable
    ("1700", 0, 0, 0, "none", ("year_out_of_range",), None),
    ("15/08/2150", 0, 0, 0, "none", ("year_out_of_range",), None),
    (datetime.date(1, 1, 1), 0, 0, 0, "none", ("year_out_of_range",), None),
    ("không rõ", 0, 0, 0, "none", ("unparseable",), None),
    ("15/08", 0, 0, 0, "none", ("unparseable",), None),
    ("1990-08-15-01", 0, 0, 0, "none", ("unparseable",), None),
    ("abc", 0, 0, 0, "none", ("unparseable",), None),
    ("€", 0, 0, 0, "none", ("unparseable",), None),
    ("123", 0, 0, 0, "none", ("unparseable",), None),
    ("9" * 10_000, 0, 0, 0, "none", ("unparseable",), None),
    (True, 0, 0, 0, "none", ("unparseable",), None),
    (-5, 0, 0, 0, "none", ("unparseable",), None),
    (object(), 0, 0, 0, "none", ("unparseable",), None),
    (b"1990", 0, 0, 0, "none", ("unparseable",), None),
    # missing: precision none, no flag
    (None, 0, 0, 0, "none", (), None),
    ("", 0, 0, 0, "none", (), None),
    ("  ", 0, 0, 0, "none", (), None),
    (float("nan"), 0, 0, 0, "none", (), None),
    (pd.NaT, 0, 0, 0, "none", (), None),
    (pd.NA, 0, 0, 0, "none", (), None),
    (np.datetime64("NaT"), 0, 0, 0, "none", (), None),
]


@pytest.mark.parametrize(
    ("value", "year", "month", "day", "precision", "flags", "corrected"), CASES
)
def test_parse_date(
    value: object,
    year: int,
    month: int,
    day: int,
    precision: str,
    flags: tuple[str, ...],
    corrected: tuple[int, int, int] | None,
) -> None:
    parsed = parse_date(value)
    assert (parsed.year, parsed.month, parsed.day, parsed.precision) == (
        year,
        month,
        day,
        precision,
    )
    assert sorted(parsed.flags) == sorted(flags)
    if corrected is None:
        assert parsed.corrected is None
    else:
        assert parsed.corrected == PartialDate(*corrected, "day")
        assert parsed.to_date() == datetime.date(*corrected)


def test_enough_cases() -> None:
    assert len(CASES) >= 60


def test_pivot_year_is_an_argument() -> None:
    assert parse_date("1/2/30", pivot_year=2030).year == 2030
    assert parse_date("1/2/30").year == 1930


def test_problems_and_iso() -> None:
    assert parse_date("31/04/1990").problems == ("dob:impossible_date",)
    assert parse_date("05/03/1990").problems == ()
    assert parse_date("??").problems == ("dob:unparseable",)
    assert normalize_date("31/04/1990") == "1990-05-01"
    assert normalize_date("8/1990") == "1990-08"
    assert normalize_date("") is None
    assert parse_date("1990").to_date() is None


def test_bulk_columns_follow_the_contract() -> None:
    values = ["15/08/1990", "1958", None, "31/04/1990", "xx", "15/08/1990", "8/1990"]
    cols = parse_dates(values)
    assert list(cols) == [
        "dob_year",
        "dob_month",
        "dob_day",
        "dob_precision",
        "dob_flags",
        "dob_problems",
    ]
    assert cols["dob_year"].dtype == np.int16
    assert cols["dob_month"].dtype == np.int8 and cols["dob_day"].dtype == np.int8
    assert cols["dob_year"].tolist() == [1990, 1958, 0, 1990, 0, 1990, 1990]
    assert cols["dob_month"].tolist() == [8, 0, 0, 5, 0, 8, 8]
    assert cols["dob_day"].tolist() == [15, 0, 0, 1, 0, 15, 0]
    assert cols["dob_precision"].tolist() == ["day", "year", "none", "day", "none", "day", "month"]
    assert cols["dob_flags"].tolist()[3:5] == ["impossible_date", "unparseable"]
    assert cols["dob_problems"].tolist() == [
        "",
        "",
        "",
        "dob:impossible_date",
        "dob:unparseable",
        "",
        "",
    ]


def test_bulk_datetime64_array_and_pandas() -> None:
    array = np.array(["1990-08-15", "NaT", "1960-01-01", "1700-01-01"], dtype="datetime64[ns]")
    cols = parse_dates(array)
    assert cols["dob_year"].tolist() == [1990, 0, 1960, 0]
    assert cols["dob_day"].tolist() == [15, 0, 1, 0]
    assert cols["dob_precision"].tolist() == ["day", "none", "day", "none"]
    assert cols["dob_flags"].tolist() == ["", "", "possibly_year_only", "year_out_of_range"]
    series = pd.Series(pd.to_datetime(["1990-08-15", None]))
    assert parse_dates(series)["dob_year"].tolist() == [1990, 0]
    months = np.array(["1990-08", "2001-12"], dtype="datetime64[M]")
    cols = parse_dates(months)
    assert cols["dob_precision"].tolist() == ["month", "month"]
    assert cols["dob_day"].tolist() == [0, 0]
    assert parse_dates(pd.Series(["15/08/1990", None]))["dob_year"].tolist() == [1990, 0]


_DATE_VALUES = st.one_of(
    st.text(max_size=30),
    st.text(alphabet="0123456789/-. ", max_size=14),
    st.dates(min_value=datetime.date(1850, 1, 1), max_value=datetime.date(2100, 12, 31)),
    st.integers(min_value=-(10**9), max_value=10**9),
    st.floats(allow_nan=True),
)


@given(st.one_of(_DATE_VALUES, st.binary(), st.none()))
def test_never_raises(value: object) -> None:
    parsed = parse_date(value)
    assert parsed.precision in ("day", "month", "year", "none")
    effective = parsed.effective
    if effective.precision == "day":
        datetime.date(effective.year, effective.month, effective.day)  # a real date


@given(_DATE_VALUES)
def test_normalize_is_idempotent(value: object) -> None:
    once = normalize_date(value)
    if once is not None:
        assert normalize_date(once) == once
        assert parse_date(parse_date(value)) == parse_date(value)


@given(st.dates(min_value=datetime.date(1850, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_written_dates_read_back(date: datetime.date) -> None:
    for text in (
        f"{date.day:02d}/{date.month:02d}/{date.year}",
        date.isoformat(),
        f"{date.day}.{date.month}.{date.year}",
        f"{date.day:02d}{date.month:02d}{date.year}",
    ):
        assert parse_date(text).to_date() == date
    assert parse_date(date).to_date() == date


@given(st.lists(_DATE_VALUES, max_size=30))
def test_bulk_equals_scalar(values: list[object]) -> None:
    cols = parse_dates(values)
    for i, value in enumerate(values):
        parsed = parse_date(value)
        date = parsed.effective
        assert (int(cols["dob_year"][i]), int(cols["dob_month"][i]), int(cols["dob_day"][i])) == (
            date.year,
            date.month,
            date.day,
        )
        assert cols["dob_precision"][i] == parsed.precision
        assert cols["dob_flags"][i] == ";".join(parsed.flags)


_LAYOUT_PARTS = st.tuples(
    st.integers(0, 45), st.integers(0, 45), st.integers(1790, 2160), st.sampled_from("/.-"),
    st.booleans(), st.booleans(),
)


@given(st.lists(_LAYOUT_PARTS, min_size=1, max_size=40))
def test_bulk_fast_layouts_equal_scalar(parts: list[tuple[int, int, int, str, bool, bool]]) -> None:
    # dd/mm/yyyy and yyyy-mm-dd (read by numpy in bulk), any numbers, padded or not
    values = [
        f"{y}-{a:02d}-{b:02d}" if iso else (f"{a:02d}{sep}{b:02d}{sep}{y}" if pad
                                            else f"{a}{sep}{b}{sep}{y}")
        for a, b, y, sep, pad, iso in parts
    ]
    cols = parse_dates(values)
    for i, value in enumerate(values):
        parsed = parse_date(value)
        date = parsed.effective
        assert (int(cols["dob_year"][i]), int(cols["dob_month"][i]), int(cols["dob_day"][i])) == (
            date.year, date.month, date.day
        ), value
        assert cols["dob_precision"][i] == parsed.precision, value
        assert cols["dob_flags"][i] == ";".join(parsed.flags), value
        assert cols["dob_problems"][i] == ";".join(parsed.problems), value


def test_bulk_fast_layouts_known_cases() -> None:
    cols = parse_dates(["31/04/1990", "13/25/1990", "05/13/1990", "01/01/1950", "1990-02-30",
                        "05/03/1990", "07/07/2200", "00/05/1990", "5/0/1990", "１２/０３/1990"])
    assert cols["dob_flags"].tolist() == [
        "impossible_date", "invalid_day_month", "day_month_swapped", "possibly_year_only",
        "impossible_date", "ambiguous_day_month", "year_out_of_range", "", "",
        "ambiguous_day_month",
    ]
    assert cols["dob_month"].tolist()[:6] == [5, 0, 5, 1, 3, 3]
    assert cols["dob_precision"].tolist() == [
        "day", "year", "day", "day", "day", "day", "none", "month", "year", "day",
    ]

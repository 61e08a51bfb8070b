"""DateOfBirthComparison: one explicit example per level, and properties against a reference."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vnlink.compare import DateOfBirthComparison
from vnlink.exceptions import ConfigurationError


def dob(year: int, month: int = 0, day: int = 0, flags: str = "", precision: str = "") -> dict[
    str, Any
]:
    if not precision:
        precision = "day" if day else "month" if month else "year" if year else "none"
    return {"dob_year": year, "dob_month": month, "dob_day": day, "dob_flags": flags,
            "dob_precision": precision}


BASE = dob(1980, 5, 7)
CASES = [
    ("exact", dob(1980, 5, 7), 6),
    ("day/month swapped", dob(1980, 7, 5), 5),
    ("within 2 days", dob(1980, 5, 9), 4),
    ("within 2 days across a month", dob(1980, 5, 5), 4),
    ("compatible: year only", dob(1980), 3),
    ("compatible: 01/01 placeholder", dob(1980, 1, 1), 3),
    ("compatible: flagged", dob(1980, 3, 2, flags="possibly_year_only"), 3),
    ("compatible: precision year", dob(1980, 3, 2, precision="year"), 3),
    ("same year and month", dob(1980, 5, 20), 2),
    ("same year and month, day unknown", dob(1980, 5), 2),
    ("year ±1, same day and month", dob(1981, 5, 7), 1),
    ("year ±1, other side year only", dob(1979), 1),
    ("else: same year, other month", dob(1980, 9, 7), 0),
    ("else: year ±1 other day", dob(1981, 2, 3), 0),
    ("else: far", dob(1990, 5, 7), 0),
    ("missing", dob(0), -1),
]


@pytest.mark.parametrize(("case", "other", "level"), CASES, ids=[c[0] for c in CASES])
def test_every_level(make_table: Any, case: str, other: dict[str, Any], level: int) -> None:
    table = make_table([BASE, other])
    levels, scores = DateOfBirthComparison().compute(np.array([0]), np.array([1]), table, table)
    assert levels.tolist() == [level], case
    assert (np.isnan(scores[0])) == (level == -1)


def test_levels_cover_the_labels() -> None:
    assert {c[2] for c in CASES if c[2] >= 0} == set(range(DateOfBirthComparison().n_levels))


# with one_digit=True: the level "one digit different" is 1 and the others move up one
ONE_DIGIT_CASES = [
    ("exact", dob(1980, 5, 7), 7),
    ("one digit: the month", dob(1980, 8, 7), 1),
    ("one digit: the decade", dob(1930, 5, 7), 1),
    ("one digit: the ten of the day", dob(1980, 5, 7 + 20), 3),  # same year and month wins
    ("one digit: the last year digit is year ±1", dob(1981, 5, 7), 2),
    ("one digit: 01/01 placeholder of another decade", dob(1990, 1, 1), 0),
    ("two digits", dob(1931, 5, 7), 0),
    ("year only, one year digit", dob(1930), 0),
    ("day/month swapped", dob(1980, 7, 5), 6),
    ("missing", dob(0), -1),
]


@pytest.mark.parametrize(("case", "other", "level"), ONE_DIGIT_CASES,
                         ids=[c[0] for c in ONE_DIGIT_CASES])
def test_one_digit_level(make_table: Any, case: str, other: dict[str, Any], level: int) -> None:
    table = make_table([BASE, other])
    comparison = DateOfBirthComparison(one_digit=True)
    levels, _ = comparison.compute(np.array([0]), np.array([1]), table, table)
    assert levels.tolist() == [level], case
    assert comparison.level_labels[1] == "one digit different"
    assert comparison.levels[1].reason == "dob_one_digit"


def test_one_digit_is_opt_in_and_checked() -> None:
    assert DateOfBirthComparison().n_levels == 7
    assert DateOfBirthComparison(one_digit=True).n_levels == 8
    assert DateOfBirthComparison(one_digit=True).tf_levels == (7,)
    with pytest.raises(ConfigurationError, match="one_digit"):
        DateOfBirthComparison(one_digit=1)  # type: ignore[arg-type]


def test_one_digit_typo_of_full_dates_regression(make_table: Any) -> None:
    # the typos of the hard profile: 14/03/1985 typed 19/03 (same month: not lost),
    # 14/08/1985 (month) and 14/03/1935 (decade) were "else", as far as a stranger
    rows = [dob(1985, 3, 14), dob(1985, 3, 19), dob(1985, 8, 14), dob(1935, 3, 14),
            dob(1962, 11, 2)]
    table = make_table(rows)
    comparison = DateOfBirthComparison(one_digit=True)
    levels, _ = comparison.compute(np.zeros(4, np.int64), np.arange(1, 5), table, table)
    labels = [comparison.level_labels[v] for v in levels]
    assert labels == ["same year and month", "one digit different", "one digit different",
                      "else"]


def test_impossible_date_correction_is_within_two_days(make_table: Any) -> None:
    # 30/02/1985 is re-registered as 01/03/1985 (or 02/03): within 2 days
    table = make_table([dob(1985, 2, 30), dob(1985, 3, 1), dob(1985, 3, 2)])
    levels, _ = DateOfBirthComparison().compute(np.array([0, 0]), np.array([1, 2]), table, table)
    assert levels.tolist() == [4, 4]


def test_max_days(make_table: Any) -> None:
    table = make_table([dob(1980, 5, 7), dob(1980, 5, 12)])
    assert DateOfBirthComparison(max_days=5).compute(
        np.array([0]), np.array([1]), table, table
    )[0].tolist() == [4]
    with pytest.raises(ConfigurationError):
        DateOfBirthComparison(max_days=0)


def test_scores_fall_with_distance(make_table: Any) -> None:
    table = make_table([dob(1980, 5, 7), dob(1980, 5, 7), dob(1981, 5, 7), dob(2000, 1, 1)])
    _, scores = DateOfBirthComparison().compute(np.zeros(3, np.int64), np.arange(1, 4), table,
                                                table)
    assert scores[0] == 1.0 and 0.85 < scores[1] < 1.0 and scores[2] == 0.0


def _day(y: int, m: int, d: int) -> int:
    return (dt.date(y, m, 1) + dt.timedelta(days=d - 1)).toordinal()


def reference(a: dict[str, Any], b: dict[str, Any]) -> int:
    def parts(r: dict[str, Any]) -> tuple[int, int, int, bool]:
        y, m, d = r["dob_year"], r["dob_month"], r["dob_day"]
        m = m if 1 <= m <= 12 else 0
        d = d if 1 <= d <= 31 and m else 0
        year_only = (m == 0 or (m == 1 and d == 1) or "possibly_year_only" in r["dob_flags"]
                     or r["dob_precision"] == "year")
        return y, m, d, year_only

    ya, ma, da, oa = parts(a)
    yb, mb, db, ob = parts(b)
    if ya == 0 or yb == 0:
        return -1
    full = da > 0 and db > 0
    if full and (ya, ma, da) == (yb, mb, db):
        return 6
    if full and ya == yb and da == mb and ma == db and da != ma:
        return 5
    if full and abs(_day(ya, ma, da) - _day(yb, mb, db)) <= 2:
        return 4
    if ya == yb and (oa or ob):
        return 3
    if ya == yb and ma == mb and ma > 0:
        return 2
    if abs(ya - yb) == 1 and ((ma, da) == (mb, db) or oa or ob):
        return 1
    return 0


def reference_one_digit(a: dict[str, Any], b: dict[str, Any]) -> int:
    level = reference(a, b)
    if level != 0:
        return level + 1 if level > 0 else level

    def digits(r: dict[str, Any]) -> str | None:
        m, d = r["dob_month"], r["dob_day"]
        if not (1 <= m <= 12 and 1 <= d <= 31):
            return None
        return f"{d:02d}{m:02d}{r['dob_year']:04d}"

    da, db = digits(a), digits(b)
    if da is None or db is None:
        return 0
    return int(sum(p != q for p, q in zip(da, db, strict=True)) == 1)


@st.composite
def dob_rows(draw: st.DrawFn) -> dict[str, Any]:
    year = draw(st.sampled_from([0, 1979, 1980, 1981, 1930, 1989]))
    month = draw(st.integers(0, 13))
    day = draw(st.integers(0, 32))
    flags = draw(st.sampled_from(["", "possibly_year_only", "other;possibly_year_only"]))
    precision = draw(st.sampled_from(["day", "month", "year", "none"]))
    return {"dob_year": year, "dob_month": month, "dob_day": day, "dob_flags": flags,
            "dob_precision": precision}


@given(st.lists(dob_rows(), min_size=1, max_size=8))
def test_bulk_equals_reference_and_is_symmetric(
    make_table: Any, pairs_of: Any, rows: list[dict[str, Any]]
) -> None:
    table = make_table(rows)
    left, right = pairs_of(len(rows))
    levels, scores = DateOfBirthComparison().compute(left, right, table, table)
    assert levels.tolist() == [reference(rows[i], rows[j]) for i, j in zip(left, right,
                                                                          strict=True)]
    grid = levels.reshape(len(rows), len(rows))
    assert (grid == grid.T).all()
    assert np.isnan(scores[levels == -1]).all()
    assert ((scores[levels >= 0] >= 0) & (scores[levels >= 0] <= 1)).all()


@given(st.lists(dob_rows(), min_size=1, max_size=8))
def test_one_digit_bulk_equals_reference_and_is_symmetric(
    make_table: Any, pairs_of: Any, rows: list[dict[str, Any]]
) -> None:
    table = make_table(rows)
    left, right = pairs_of(len(rows))
    levels, _ = DateOfBirthComparison(one_digit=True).compute(left, right, table, table)
    assert levels.tolist() == [
        reference_one_digit(rows[i], rows[j]) for i, j in zip(left, right, strict=True)
    ]
    grid = levels.reshape(len(rows), len(rows))
    assert (grid == grid.T).all()

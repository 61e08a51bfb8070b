"""IdComparison: one explicit example per level, kinds, and properties against a reference."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vnlink.compare import IdComparison
from vnlink.exceptions import ConfigurationError


def cccd(number: str, year: int = 1980, sex: str = "M", dob_year: int = 1980,
         record_sex: str = "M", cmnd9: str = "") -> dict[str, Any]:
    return {"id_kind": "cccd", "id": number, "id_cccd": number, "id_cmnd9": cmnd9,
            "id_birth_year": year, "id_sex": sex, "dob_year": dob_year, "sex": record_sex}


def cmnd(number: str, dob_year: int = 1980, record_sex: str = "M") -> dict[str, Any]:
    return {"id_kind": "cmnd9", "id": number, "id_cmnd9": number, "dob_year": dob_year,
            "sex": record_sex}


def other(kind: str, number: str) -> dict[str, Any]:
    return {"id_kind": kind, "id": number, "dob_year": 1980, "sex": "M"}


BASE = cccd("001080012345", cmnd9="012345678")
CASES = [
    ("exact", cccd("001080012345"), 4),
    ("one digit different", cccd("001080012346"), 3),
    ("adjacent digits swapped", cccd("001080012354"), 2),
    ("different", cccd("001080099999"), 0),
    ("different birth year encoded: contradiction", cccd("079190000001", year=1990,
                                                         dob_year=1990), 1),
    ("different sex encoded: contradiction", cccd("079180000001", sex="F", record_sex="F"), 1),
    ("CMND against the registry's old CMND: exact", cmnd("012345678"), 4),
    ("CMND one digit different", cmnd("012345679"), 3),
    ("CMND of another person", cmnd("987654321"), 0),
    ("no number", {"dob_year": 1980, "sex": "M"}, -1),
    ("no common kind (BHXH)", other("bhxh", "0123456789"), -1),
    ("same number, birth year contradicts it: a relative's number",
     cccd("001080012345", dob_year=2012), 1),
    ("same number, one year digit and the sex contradict it: a relative's number",
     cccd("001080012345", dob_year=1981, record_sex="F"), 1),
    ("same number, one mistyped year digit: still exact", cccd("001080012345", dob_year=1981), 4),
    ("same number, wrong sex alone: still exact", cccd("001080012345", record_sex="F"), 4),
    ("no common kind, contradicting dob", {"id_kind": "bhxh", "id": "0123456789",
                                           "dob_year": 1975, "sex": "M"}, 1),
]


@pytest.mark.parametrize(("case", "row", "level"), CASES, ids=[c[0] for c in CASES])
def test_every_level(make_table: Any, case: str, row: dict[str, Any], level: int) -> None:
    table = make_table([BASE, row])
    levels, scores = IdComparison().compute(np.array([0]), np.array([1]), table, table)
    assert levels.tolist() == [level], case
    assert np.isnan(scores[0]) == (level == -1)


def test_levels_cover_the_labels() -> None:
    assert {c[2] for c in CASES if c[2] >= 0} == set(range(IdComparison().n_levels))


def test_cmnd_against_cccd_is_missing_not_different(make_table: Any) -> None:
    table = make_table([cccd("001080012345"), cmnd("012345678")])
    levels, _ = IdComparison().compute(np.array([0]), np.array([1]), table, table)
    assert levels.tolist() == [-1]


def test_same_other_kind_is_compared(make_table: Any) -> None:
    table = make_table([other("bhxh", "0123456789"), other("bhxh", "0123456789"),
                        other("bhxh", "0123456788"), other("bhyt", "0123456789")])
    levels, _ = IdComparison().compute(np.zeros(3, np.int64), np.arange(1, 4), table, table)
    assert levels.tolist() == [4, 3, -1]


def test_without_cccd_check(make_table: Any) -> None:
    table = make_table([BASE, cccd("079190000001", year=1990, dob_year=1990)])
    levels, _ = IdComparison(check_cccd=False).compute(np.array([0]), np.array([1]), table,
                                                       table)
    assert levels.tolist() == [0]


# tolerate_slips=True (the default comparison set): a slip of the other record's date or
# sex is not a contradiction of a number it does not share; both together still are
SLIP_CASES = [
    ("record's birth year one digit off, no number", {"dob_year": 1930, "sex": "M"}, -1),
    ("record's birth year one year off, no number", {"dob_year": 1979, "sex": "M"}, -1),
    ("record's sex wrong, no number", {"dob_year": 1980, "sex": "F"}, -1),
    ("one digit off and the sex wrong, no number", {"dob_year": 1930, "sex": "F"}, 1),
    ("birth year clearly different, no number", {"dob_year": 2012, "sex": "M"}, 1),
    ("a relative's CCCD: numbers differ, year clearly different",
     cccd("001055099999", year=1955, dob_year=1955), 1),
    ("another number, sex alone differs", cccd("001180099999", sex="F", record_sex="F"), 0),
    ("same number, birth year contradicts it: a relative's number",
     cccd("001080012345", dob_year=2012), 1),
    ("same number, one mistyped year digit: still exact", cccd("001080012345", dob_year=1981), 4),
]


@pytest.mark.parametrize(("case", "row", "level"), SLIP_CASES, ids=[c[0] for c in SLIP_CASES])
def test_tolerate_slips(make_table: Any, case: str, row: dict[str, Any], level: int) -> None:
    table = make_table([BASE, row])
    for left, right in ((0, 1), (1, 0)):
        levels, _ = IdComparison(tolerate_slips=True).compute(
            np.array([left]), np.array([right]), table, table
        )
        assert levels.tolist() == [level], case


def test_slips_were_contradictions_without_the_option(make_table: Any) -> None:
    # regression: a record typed 1930 for 1980 (or with a wrong sex) and no ID lost its true
    # person twice, once in the date and once more as a "contradicted" CCCD
    table = make_table([BASE, {"dob_year": 1930, "sex": "M"}, {"dob_year": 1980, "sex": "F"}])
    old, _ = IdComparison().compute(np.zeros(2, np.int64), np.arange(1, 3), table, table)
    new, _ = IdComparison(tolerate_slips=True).compute(np.zeros(2, np.int64), np.arange(1, 3),
                                                       table, table)
    assert old.tolist() == [1, 1] and new.tolist() == [-1, -1]
    with pytest.raises(ConfigurationError, match="tolerate_slips"):
        IdComparison(tolerate_slips="yes")  # type: ignore[arg-type]


def test_contradiction_beats_exact(make_table: Any) -> None:
    # the same number, but the record's birth year is not the one the number encodes:
    # typed with a relative's CCCD, so not an exact agreement (whichever side is left)
    table = make_table([BASE, cccd("001080012345", dob_year=2012)])
    for left, right in ((0, 1), (1, 0)):
        levels, scores = IdComparison().compute(np.array([left]), np.array([right]), table,
                                                table)
        assert levels.tolist() == [1] and scores.tolist() == [1.0]


def test_contradiction_needs_both_values(make_table: Any) -> None:
    # the same number and no date of birth or sex on the other record: exact
    table = make_table([BASE, cccd("001080012345", dob_year=0, record_sex="")])
    levels, _ = IdComparison().compute(np.array([0]), np.array([1]), table, table)
    assert levels.tolist() == [4]


def test_near_miss_keeps_its_level_despite_contradiction(make_table: Any) -> None:
    table = make_table([BASE, cccd("001080012346", dob_year=1990)])
    levels, _ = IdComparison().compute(np.array([0]), np.array([1]), table, table)
    assert levels.tolist() == [3]


def _near(a: str, b: str) -> int:
    if a == b:
        return 4
    if len(a) != len(b):
        return 0
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    if len(diff) == 1:
        return 3
    if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and \
            a[diff[1]] == b[diff[0]]:
        return 2
    return 0


def reference(a: dict[str, Any], b: dict[str, Any], slips: bool = False) -> int:
    level = -1
    if a["id_cccd"] and b["id_cccd"]:
        level = max(level, _near(a["id_cccd"], b["id_cccd"]))
    if a["id_cmnd9"] and b["id_cmnd9"]:
        level = max(level, _near(a["id_cmnd9"], b["id_cmnd9"]))
    direct = ("cccd", "cmnd9", "cmnd12", "")
    if a["id_kind"] == b["id_kind"] and a["id_kind"] not in direct and a["id"] and b["id"]:
        level = max(level, _near(a["id"], b["id"]))

    def contradicts(x: dict[str, Any], y: dict[str, Any]) -> bool:
        year = x["id_birth_year"] and y["dob_year"] and x["id_birth_year"] != y["dob_year"]
        sex = x["id_sex"] and y["sex"] and x["id_sex"] != y["sex"]
        if not slips:
            return bool(year or sex)
        if not year:
            return False
        digits = sum(p != q for p, q in zip(f"{x['id_birth_year']:04d}", f"{y['dob_year']:04d}",
                                            strict=True))
        slip = digits <= 1 or abs(x["id_birth_year"] - y["dob_year"]) <= 1
        return not slip or bool(sex)

    if level <= 0 and (contradicts(a, b) or contradicts(b, a)):
        return 1

    def relative(x: dict[str, Any], y: dict[str, Any]) -> bool:
        if not (x["id_birth_year"] and y["dob_year"]):
            return False
        digits = sum(p != q for p, q in zip(f"{x['id_birth_year']:04d}", f"{y['dob_year']:04d}",
                                            strict=True))
        sex = bool(x["id_sex"] and y["sex"] and x["id_sex"] != y["sex"])
        return digits >= 2 or (digits == 1 and sex)

    if level == 4 and (relative(a, b) or relative(b, a)):
        return 1
    return level


@st.composite
def id_rows(draw: st.DrawFn) -> dict[str, Any]:
    digits = st.text(alphabet="0123", min_size=0, max_size=12)
    row = {
        "id_cccd": draw(st.sampled_from(["", "001080012345", "001080012354", "001080012346"])),
        "id_cmnd9": draw(st.sampled_from(["", "012345678", "012345687", "112345678"])),
        "id_kind": draw(st.sampled_from(["", "cccd", "cmnd9", "bhxh", "bhyt"])),
        "id_birth_year": draw(st.sampled_from([0, 1980, 1981, 1930, 1979])),
        "id_sex": draw(st.sampled_from(["", "M", "F"])),
        "dob_year": draw(st.sampled_from([0, 1980, 1981, 1955, 1930, 1990])),
        "sex": draw(st.sampled_from(["", "M", "F"])),
    }
    row["id"] = draw(digits)
    return row


@given(st.lists(id_rows(), min_size=1, max_size=8))
def test_bulk_equals_reference_and_is_symmetric(
    make_table: Any, pairs_of: Any, rows: list[dict[str, Any]]
) -> None:
    table = make_table(rows)
    left, right = pairs_of(len(rows))
    levels, scores = IdComparison().compute(left, right, table, table)
    assert levels.tolist() == [reference(rows[i], rows[j]) for i, j in zip(left, right,
                                                                          strict=True)]
    grid = levels.reshape(len(rows), len(rows))
    assert (grid == grid.T).all()
    assert np.isnan(scores[levels == -1]).all()
    assert ((scores[levels >= 0] >= 0) & (scores[levels >= 0] <= 1)).all()


@given(st.lists(id_rows(), min_size=1, max_size=8))
def test_tolerate_slips_bulk_equals_reference_and_is_symmetric(
    make_table: Any, pairs_of: Any, rows: list[dict[str, Any]]
) -> None:
    table = make_table(rows)
    left, right = pairs_of(len(rows))
    levels, _ = IdComparison(tolerate_slips=True).compute(left, right, table, table)
    assert levels.tolist() == [
        reference(rows[i], rows[j], slips=True) for i, j in zip(left, right, strict=True)
    ]
    grid = levels.reshape(len(rows), len(rows))
    assert (grid == grid.T).all()


def member(number: str, ward: str, street: str, year: int, dob_year: int, sex: str = "M",
           record_sex: str = "M") -> dict[str, Any]:
    row = cccd(number, year=year, sex=sex, dob_year=dob_year, record_sex=record_sex)
    return {**row, "ward": ward, "street": street}


def test_household_members_number(make_table: Any) -> None:
    # registry: a father (1955) and his son (2012, no CCCD) at one address, a stranger
    # elsewhere; the son's record carries the father's CCCD
    registry = make_table([
        member("001055000001", "Phúc Xá", "12 hàng bông", 1955, 1955),
        {"dob_year": 2012, "sex": "M", "ward": "Phúc Xá", "street": "12 hàng bông"},
        {"dob_year": 2012, "sex": "M", "ward": "Trúc Bạch", "street": "3 hàng đào"},
        member("001012000077", "Phúc Xá", "12 hàng bông", 2012, 2012),
    ])
    records = make_table([member("001055000001", "Phúc Xá", "12 hàng bông", 1955, 2012)])
    comparison = IdComparison(tolerate_slips=True, household_numbers=True)
    levels, scores = comparison.compute(np.arange(4), np.zeros(4, np.int64), registry, records)
    labels = [comparison.level_labels[v] for v in levels]
    # the father: his own number on a child's record; the son and his brother (own CCCD)
    # live with the holder; the stranger does not
    assert labels == ["CCCD contradicts birth year or sex", "a household member's number",
                      "CCCD contradicts birth year or sex", "a household member's number"]
    assert scores[1] == 0.0
    assert comparison.levels[2].reason == "id_household_member"
    old, _ = IdComparison(tolerate_slips=True).compute(np.arange(4), np.zeros(4, np.int64),
                                                        registry, records)
    assert old.tolist() == [1, 1, 1, 1]


def test_household_members_number_is_symmetric_in_dedupe(make_table: Any) -> None:
    rows = [member("001055000001", "Phúc Xá", "12 hàng bông", 1955, 1955),
            {"dob_year": 2012, "sex": "M", "ward": "Phúc Xá", "street": "12 hàng bông"},
            member("001055000001", "Phúc Xá", "12 hàng bông", 1955, 2012)]
    table = make_table(rows)
    comparison = IdComparison(tolerate_slips=True, household_numbers=True)
    levels, _ = comparison.compute(np.array([1, 2]), np.array([2, 1]), table, table)
    assert levels.tolist() == [2, 2]
    assert IdComparison().n_levels == 5 and comparison.n_levels == 6
    with pytest.raises(ConfigurationError, match="household_numbers"):
        IdComparison(household_numbers=None)  # type: ignore[arg-type]


def test_household_only_of_registry_rows_in_a_stacked_table(make_table: Any) -> None:
    # a registry index compares a query with its candidates in one table (the candidates
    # first, column registry_row): the query's own address is no household, so the
    # candidate's number held by a registry person at the query's address says nothing
    home = {"ward": "Phúc Xá", "street": "12 hàng bông"}
    rows = [
        member("001055000001", "Trúc Bạch", "3 hàng đào", 1955, 1955),  # the candidate
        member("001055000001", "Phúc Xá", "12 hàng bông", 1955, 1955),  # holds it too
        {"dob_year": 2012, "sex": "M", **home},                           # the query
    ]
    table = make_table(rows)
    stacked = type(table)({**table.columns, "registry_row": np.array([True, True, False])})
    comparison = IdComparison(tolerate_slips=True, household_numbers=True)
    levels, _ = comparison.compute(np.array([0]), np.array([2]), stacked, stacked)
    assert levels.tolist() == [1]  # contradicts (1955 against 2012), no household level

"""The decide step: best candidate and runner-up per record, statuses, reasons, corrections."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vnlink.decide import assign_status, best_and_runner_up, check_thresholds
from vnlink.exceptions import ConfigurationError
from vnlink.pipeline import decision_flags, demote_conflicts
from vnlink.reasons import REASONS, corrections, explain_links, join_codes
from vnlink.table import Table


def _slow_best(record: list[int], weight: list[float], n: int) -> tuple[list[int], list[int]]:
    best, second = [-1] * n, [-1] * n
    for r in range(n):
        idx = sorted((i for i in range(len(record)) if record[i] == r),
                     key=lambda i: (-weight[i], i))
        if idx:
            best[r] = idx[0]
        if len(idx) > 1:
            second[r] = idx[1]
    return best, second


@given(st.lists(st.tuples(st.integers(0, 6), st.integers(-20, 20)), max_size=40))
def test_best_and_runner_up_matches_slow_reference(pairs: list[tuple[int, int]]) -> None:
    record = [p[0] for p in pairs]
    weight = [float(p[1]) for p in pairs]
    best, second = best_and_runner_up(np.array(record, dtype=np.int64), np.array(weight), 7,
                                      tie_break=np.arange(len(pairs)))
    expected = _slow_best(record, weight, 7)
    assert best.tolist() == expected[0]
    assert second.tolist() == expected[1]


@given(st.lists(st.tuples(st.integers(0, 4), st.sampled_from([1.0, 2.0, -np.inf, np.nan]),
                          st.integers(0, 3)), max_size=40))
def test_best_and_runner_up_ties_go_to_lowest_tie_break_then_first_pair(
    pairs: list[tuple[int, float, int]],
) -> None:
    record = np.array([p[0] for p in pairs], dtype=np.int64)
    weight = np.array([p[1] for p in pairs])
    tie = np.array([p[2] for p in pairs], dtype=np.int64)
    best, second = best_and_runner_up(record, weight, 5, tie_break=tie)
    key = np.where(np.isnan(weight), -np.inf, weight)
    order = sorted(range(len(pairs)), key=lambda i: (record[i], -key[i], tie[i], i))
    expected_best, expected_second = [-1] * 5, [-1] * 5
    for i in order:
        r = int(record[i])
        if expected_best[r] < 0:
            expected_best[r] = i
        elif expected_second[r] < 0:
            expected_second[r] = i
    assert best.tolist() == expected_best
    assert second.tolist() == expected_second


def test_best_handles_nan_and_empty() -> None:
    best, second = best_and_runner_up(np.array([0, 0]), np.array([np.nan, -3.0]), 1)
    assert best.tolist() == [1] and second.tolist() == [0]
    best, second = best_and_runner_up(np.array([], np.int64), np.array([]), 3)
    assert best.tolist() == [-1, -1, -1] and second.tolist() == [-1, -1, -1]
    with pytest.raises(ConfigurationError):
        best_and_runner_up(np.array([5]), np.array([1.0]), 2)


@pytest.mark.parametrize(
    ("prob", "margin", "has", "expected"),
    [
        (0.999, 10.0, True, "verified"),
        (0.999, np.inf, True, "verified"),
        (0.999, 1.0, True, "review"),  # nearly tied runner-up
        (0.7, 10.0, True, "review"),
        (0.1, 10.0, True, "unmatched"),
        (0.999, 10.0, False, "unmatched"),
        (np.nan, np.nan, True, "unmatched"),
    ],
)
def test_assign_status(prob: float, margin: float, has: bool, expected: str) -> None:
    status = assign_status(np.array([prob]), np.array([margin]), np.array([has]))
    assert status.tolist() == [expected]


def test_thresholds_checked() -> None:
    with pytest.raises(ConfigurationError, match="review_threshold"):
        check_thresholds(0.5, 0.9, 1.0)
    with pytest.raises(ConfigurationError, match="probability"):
        check_thresholds(1.5, 0.5, 1.0)
    with pytest.raises(ConfigurationError, match="min_margin"):
        check_thresholds(0.9, 0.5, -1.0)


def _prepared(**columns: list[object]) -> Table:
    arrays: dict[str, np.ndarray] = {}
    for name, values in columns.items():
        if (name.startswith("dob_") and name != "dob_precision") or name == "id_birth_year":
            arrays[name] = np.array(values, dtype=np.int16)
        else:
            arrays[name] = np.array(values, dtype=object)
    return Table(arrays)


REGISTRY = _prepared(
    name=["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thị Dung"],
    name_fold=["nguyen van an", "tran thi binh", "le hoang cuong", "pham thi dung"],
    family=["nguyen", "tran", "le", "pham"], middle=["van", "thi", "hoang", "thi"],
    given=["an", "binh", "cuong", "dung"],
    dob_year=[1980, 1975, 1990, 2001], dob_month=[5, 12, 7, 2], dob_day=[3, 1, 20, 14],
    sex=["M", "F", "M", "F"],
    id=["001080012345", "079175000111", "036090123456", ""],
    id_kind=["cccd", "cccd", "cccd", ""],
    id_cccd=["001080012345", "079175000111", "036090123456", ""],
    id_cmnd9=["", "", "163456789", ""],
    phone=["0912345678", "", "", "0987654321"],
    province_2025=["01", "79", "36", "01"], ward_2025=["00004", "26734", "13600", "00010"],
    district=["", "", "", ""],
)


@pytest.mark.parametrize(
    ("record", "row", "codes"),
    [
        ({"dob_year": 1980, "dob_month": 3, "dob_day": 5}, 0, ["dob_day_month_swapped"]),
        ({"id": "001080012346", "id_cccd": "001080012346", "id_kind": "cccd"}, 0,
         ["id_one_digit"]),
        ({"id": "001080021345", "id_cccd": "001080021345", "id_kind": "cccd"}, 0,
         ["id_transposed"]),
        ({"id": "163456789", "id_cccd": "", "id_cmnd9": "163456789", "id_kind": "cmnd9"}, 2,
         ["id_old_cmnd"]),
        ({"id_birth_year": 1981}, 0, ["id_birth_year_conflict"]),
        ({"name": "Nguyễn An", "name_fold": "nguyen an", "middle": ""}, 0,
         ["middle_name_missing"]),
        ({"name": "Tran Thi Binh"}, 1, ["name_no_diacritics"]),
        ({"name": "Trần Thị Bìn", "name_fold": "tran thi bin", "given": "bin"}, 1, ["name_typo"]),
        ({"dob_year": 1976}, 1, ["dob_year_different"]),
        ({"dob_month": 0, "dob_day": 0}, 1, ["dob_year_only"]),
        ({"sex": "M"}, 1, ["sex_different"]),
        ({"phone": "0912000000"}, 0, ["phone_different"]),
        ({"district": "001"}, 0, ["address_old_units"]),
        ({"province_2025": "79", "ward_2025": "26734"}, 0, ["address_different"]),
        ({}, 2, []),
    ],
)
def test_reason_codes(record: dict[str, object], row: int, codes: list[str]) -> None:
    base = REGISTRY.take(np.array([row])).to_dicts()[0]
    base.update(record)
    rec = _prepared(**{k: [v] for k, v in base.items()})
    got, texts = explain_links(REGISTRY, rec, np.array([row]), np.array([0]))
    assert (got[0].split(";") if got[0] else []) == codes
    assert texts[0] == "; ".join(REASONS[c] for c in codes)


def test_reason_texts_are_vietnamese_and_codes_ascii() -> None:
    assert REASONS["dob_day_month_swapped"] == "ngày sinh: ngày/tháng bị đảo"
    assert REASONS["id_one_digit"] == "số CCCD sai 1 chữ số"
    assert REASONS["id_birth_year_conflict"] == "năm sinh trong CCCD khác ngày sinh"
    assert REASONS["middle_name_missing"] == "thiếu tên đệm"
    assert REASONS["address_old_units"] == "địa chỉ cũ (trước 2025)"
    assert all(code.isascii() and code.islower() for code in REASONS)


def test_join_codes_orders_by_catalogue() -> None:
    codes, _ = join_codes({"address_different": np.array([True]),
                           "id_one_digit": np.array([True])}, 1)
    assert codes.tolist() == ["id_one_digit;address_different"]


def test_corrections_give_registry_values() -> None:
    rec = _prepared(name=["Nguyen Van An"], dob_year=[1980], dob_month=[3], dob_day=[5],
                    sex=["M"], id=["001080012346"], phone=["0912345678"],
                    province_2025=["01"], ward_2025=["00004"])
    fixes = corrections(REGISTRY, rec, np.array([0]), np.array([0]))
    assert fixes["fix_dob"].tolist() == ["03/05/1980"]
    assert fixes["fix_name"].tolist() == ["Nguyễn Văn An"]
    assert fixes["fix_id"].tolist() == ["001080012345"]
    assert fixes["fix_sex"].tolist() == [""] and fixes["fix_phone"].tolist() == [""]
    assert fixes["corrections"].tolist() == [
        "name: Nguyen Van An -> Nguyễn Văn An; dob: 05/03/1980 -> 03/05/1980; "
        "id: 001080012346 -> 001080012345"
    ]


# demote_conflicts: reason flags of the best candidate -> the status a record keeps
CONFLICT_CASES = [
    ("all agree", [], "verified", "verified"),
    ("name and dob both off: a relative's papers, review",
     ["name_given_only", "dob_year_different"], "verified", "review"),
    ("name and dob entirely different: another person",
     ["name_different", "dob_different"], "verified", "unmatched"),
    ("similar name, another date, CCCD of another year: a relative",
     ["name_typo", "dob_different", "id_cccd_conflict"], "review", "unmatched"),
    ("other middle name, another date, CCCD of another year",
     ["middle_name_different", "dob_different", "id_cccd_conflict"], "verified", "unmatched"),
    ("similar name, another date, a household member's CCCD",
     ["name_typo", "dob_different", "id_household_member"], "verified", "unmatched"),
    ("similar name, another date, no CCCD conflict: stays",
     ["name_typo", "dob_different"], "verified", "verified"),
    ("same name, another date, CCCD of another year: stays",
     ["dob_different", "id_cccd_conflict"], "verified", "verified"),
    ("dob one digit off is not another date",
     ["name_different", "dob_one_digit"], "verified", "verified"),
    ("unmatched stays unmatched", ["name_different", "dob_different"], "unmatched", "unmatched"),
]


@pytest.mark.parametrize(("case", "codes", "before", "after"), CONFLICT_CASES,
                         ids=[c[0] for c in CONFLICT_CASES])
def test_demote_conflicts(case: str, codes: list[str], before: str, after: str) -> None:
    status = np.array([before], dtype=object)
    flags = {code: np.array([True]) for code in codes}
    demote_conflicts(status, flags)
    assert status.tolist() == [after], case
    assert flags["other_person"].tolist() == [after == "unmatched" != before]
    assert "other_person" in REASONS


def test_other_person_is_not_flagged_low_score() -> None:
    status = np.array(["verified", "unmatched"], dtype=object)
    flags = decision_flags(np.ones(2, dtype=bool), np.ones(2, dtype=bool),
                           np.zeros(2, dtype=bool), status, np.array([0.999, 0.1]),
                           np.full(2, np.nan), {"verified_threshold": 0.99,
                                                "review_threshold": 0.2, "min_margin": 5.0})
    assert flags["low_score"].tolist() == [False, True]

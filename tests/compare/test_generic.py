"""Generic comparisons: every level, custom comparisons, and bulk against scalar references."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.distance import DamerauLevenshtein, Jaro, JaroWinkler, Levenshtein

from vnlink.compare import (
    AbsoluteDifferenceAtThresholds,
    ComparisonSet,
    CustomComparison,
    DamerauLevenshteinAtThresholds,
    ExactMatch,
    JaroAtThresholds,
    JaroWinklerAtThresholds,
    LevenshteinAtThresholds,
    comparison_from_dict,
)
from vnlink.exceptions import ConfigurationError, SchemaError
from vnlink.table import Table


def one(comparison: Any, a: Any, b: Any, column: str = "v") -> int:
    table = Table({column: [a, b]})
    levels, _ = comparison.compute(np.array([0]), np.array([1]), table, table)
    return int(levels[0])


@pytest.mark.parametrize(("a", "b", "level"), [
    ("an", "an", 1), ("an", "anh", 0), ("an", "", -1), ("", "", -1), (None, "an", -1),
])
def test_exact_match_strings(a: Any, b: Any, level: int) -> None:
    assert one(ExactMatch("v"), a, b) == level


@pytest.mark.parametrize(("a", "b", "level"), [(1980, 1980, 1), (1980, 1981, 0), (0, 1980, -1)])
def test_exact_match_numbers(a: int, b: int, level: int) -> None:
    assert one(ExactMatch("v"), a, b) == level


@pytest.mark.parametrize(("a", "b", "level"), [
    ("nguyen van an", "nguyen van an", 3),
    ("nguyen van an", "nguyen van anh", 2),   # JW 0.986
    ("hung", "hunh", 1),                      # JW 0.883
    ("an", "binh", 0),
    ("an", "", -1),
])
def test_jaro_winkler_levels(a: str, b: str, level: int) -> None:
    assert one(JaroWinklerAtThresholds("v", (0.95, 0.85)), a, b) == level


@pytest.mark.parametrize(("a", "b", "level"), [
    ("nguyen", "nguyen", 3), ("nguyen", "nguyne", 2), ("nguyen", "ngoan", 1), ("an", "binh", 0),
    ("an", "", -1),
])
def test_jaro_levels(a: str, b: str, level: int) -> None:
    assert one(JaroAtThresholds("v", (0.9, 0.7)), a, b) == level


@pytest.mark.parametrize(("a", "b", "level"), [
    ("hung", "hung", 3), ("hung", "hunh", 2), ("hung", "hu", 1), ("hung", "binh", 0),
    ("", "x", -1),
])
def test_levenshtein_levels(a: str, b: str, level: int) -> None:
    assert one(LevenshteinAtThresholds("v", (1, 2)), a, b) == level


@pytest.mark.parametrize(("a", "b", "level"), [
    ("12345", "12345", 3), ("12345", "12354", 2), ("12345", "21354", 1), ("12345", "99999", 0),
    ("12345", "", -1),
])
def test_damerau_levenshtein_levels(a: str, b: str, level: int) -> None:
    assert one(DamerauLevenshteinAtThresholds("v", (1, 2)), a, b) == level


@pytest.mark.parametrize(("a", "b", "level"), [
    (1980, 1980, 3), (1980, 1981, 2), (1980, 1983, 1), (1980, 1990, 0), (1980, 0, -1),
])
def test_absolute_difference_levels(a: int, b: int, level: int) -> None:
    assert one(AbsoluteDifferenceAtThresholds("v", (1, 5)), a, b) == level


def test_absolute_difference_floats_nan_missing() -> None:
    table = Table({"v": np.array([1.5, 2.0, np.nan])})
    levels, scores = AbsoluteDifferenceAtThresholds("v", (1,)).compute(
        np.array([0, 0]), np.array([1, 2]), table, table
    )
    assert levels.tolist() == [1, -1]
    assert scores[0] == pytest.approx(1 / 1.5)


@pytest.mark.parametrize("make", [
    lambda: JaroWinklerAtThresholds("v", (1.5,)),
    lambda: JaroWinklerAtThresholds("v", ()),
    lambda: JaroWinklerAtThresholds("v", (0.9, 0.9)),
    lambda: LevenshteinAtThresholds("v", (1.5,)),
    lambda: AbsoluteDifferenceAtThresholds("v", (-1,)),
    lambda: ExactMatch(""),
    lambda: ExactMatch("v", name=3),
    lambda: ExactMatch("v", tf_column=3),
])
def test_bad_parameters(make: Any) -> None:
    with pytest.raises(ConfigurationError):
        make()


def test_thresholds_are_sorted_and_labelled() -> None:
    c = JaroWinklerAtThresholds("v", (0.7, 0.9))
    assert c.thresholds == (0.7, 0.9)
    assert c.level_labels == ("else", "jaro_winkler >= 0.7", "jaro_winkler >= 0.9", "exact")
    assert LevenshteinAtThresholds("v", (2, 1)).thresholds == (2, 1)
    assert LevenshteinAtThresholds("v", 1).level_labels == ("else", "levenshtein <= 1", "exact")


def test_no_argument_construction() -> None:
    for cls in (ExactMatch, JaroWinklerAtThresholds, JaroAtThresholds, LevenshteinAtThresholds,
                DamerauLevenshteinAtThresholds, AbsoluteDifferenceAtThresholds):
        c = cls()
        assert comparison_from_dict(c.to_dict()) == c


def test_missing_column_is_a_schema_error() -> None:
    table = Table({"v": ["a"]})
    with pytest.raises(SchemaError, match="needs column 'w'"):
        ExactMatch("w").compute(np.array([0]), np.array([0]), table, table)


@dataclass(frozen=True)
class SameInitial(CustomComparison):
    column: str = "given"
    labels: ClassVar[tuple[str, ...]] = ("other initial", "same initial", "same")

    def compare(self, a: Any, b: Any) -> Any:
        initial = np.array([x[:1] == y[:1] for x, y in zip(a, b, strict=True)])
        levels = np.where(a == b, 2, initial.astype(np.int8))
        return levels, np.where(a == b, 1.0, 0.5 * initial)


def test_custom_comparison_levels_scores_and_registry() -> None:
    table = Table({"given": ["hùng", "hùng", "hoa", "lan", ""]})
    c = SameInitial()
    levels, scores = c.compute(np.zeros(4, np.int64), np.arange(1, 5), table, table)
    assert levels.tolist() == [2, 1, 0, -1]
    assert scores[:3].tolist() == [1.0, 0.5, 0.0] and np.isnan(scores[3])
    assert comparison_from_dict(c.to_dict()) == c
    assert c.name == "given"


def test_custom_comparison_bad_output_is_reported() -> None:
    @dataclass(frozen=True)
    class Broken(CustomComparison):
        column: str = "v"

        def compare(self, a: Any, b: Any) -> Any:
            return np.full(len(a), 5, dtype=np.int8)

    table = Table({"v": ["a", "b"]})
    with pytest.raises(ConfigurationError, match="outside"):
        ComparisonSet([Broken()]).compute(([0], [1]), table, table)


class GivenLength(CustomComparison):
    default_column = "given"
    labels = ("other length", "same length")

    def compare(self, a: Any, b: Any) -> Any:
        return np.array([len(x) == len(y) for x, y in zip(a, b, strict=True)], dtype=np.int8)


def test_plain_subclass_without_decorator() -> None:
    table = Table({"given": ["an", "bá", "hùng"], "other": ["xx", "y", ""]})
    c = GivenLength()
    assert c.column == "given" and c.name == "given"
    levels, scores = c.compute(np.array([0, 0]), np.array([1, 2]), table, table)
    assert levels.tolist() == [1, 0] and scores.tolist() == [1.0, 0.0]
    assert GivenLength("other").compute(np.array([0]), np.array([1]), table, table)[0] == [0]
    assert comparison_from_dict(GivenLength("other").to_dict()) == GivenLength("other")
    with pytest.raises(ConfigurationError):
        SameInitial(column="")


def test_user_class_cannot_take_a_vnlink_name() -> None:
    ns: dict[str, Any] = {"__name__": "user_module", "CustomComparison": CustomComparison}
    with pytest.raises(ConfigurationError, match="already called"):
        exec("class ExactMatch(CustomComparison):\n    pass\n", ns)


words = st.sampled_from(["", "an", "anh", "hung", "hunh", "nguyen", "nguyn", "ngyuen", "b"])


@given(st.lists(words, min_size=1, max_size=8))
def test_string_comparisons_equal_scalar_reference(pairs_of: Any, values: list[str]) -> None:
    table = Table({"v": np.array(values, dtype=object)})
    left, right = pairs_of(len(values))
    n = len(values)

    def expected(measure: Any, thresholds: tuple[float, ...], similarity: bool) -> list[int]:
        out = []
        for i, j in zip(left, right, strict=True):
            a, b = values[i], values[j]
            if not a or not b:
                out.append(-1)
                continue
            if a == b:
                out.append(len(thresholds) + 1)
                continue
            score = measure(a, b)
            level = 0
            ordered = sorted(thresholds) if similarity else sorted(thresholds, reverse=True)
            for k, t in enumerate(ordered, start=1):
                if (score >= t) if similarity else (score <= t):
                    level = k
            out.append(level)
        return out

    cases = [
        (JaroWinklerAtThresholds("v", (0.9, 0.7)), JaroWinkler.normalized_similarity, True),
        (JaroAtThresholds("v", (0.9, 0.7)), Jaro.normalized_similarity, True),
        (LevenshteinAtThresholds("v", (1, 3)), Levenshtein.distance, False),
        (DamerauLevenshteinAtThresholds("v", (1, 2)), DamerauLevenshtein.distance, False),
    ]
    for comparison, measure, similarity in cases:
        levels, scores = comparison.compute(left, right, table, table)
        assert levels.tolist() == expected(measure, comparison.thresholds, similarity)
        assert (levels.reshape(n, n) == levels.reshape(n, n).T).all()
        assert np.isnan(scores[levels == -1]).all()
        ok = scores[levels >= 0]
        assert ((ok >= 0) & (ok <= 1)).all()


@given(st.lists(st.integers(0, 30), min_size=1, max_size=8))
def test_absolute_difference_reference(pairs_of: Any, values: list[int]) -> None:
    table = Table({"v": np.array(values, dtype=np.int64)})
    left, right = pairs_of(len(values))
    levels, _ = AbsoluteDifferenceAtThresholds("v", (2, 5)).compute(left, right, table, table)
    expected = []
    for i, j in zip(left, right, strict=True):
        a, b = values[i], values[j]
        d = abs(a - b)
        expected.append(-1 if not a or not b else 3 if d == 0 else 2 if d <= 2 else
                        1 if d <= 5 else 0)
    assert levels.tolist() == expected

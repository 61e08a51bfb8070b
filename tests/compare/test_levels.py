"""Levels as ordered objects: declared once, labels/tf/reasons derived from them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from vnlink import prepare
from vnlink.compare import (
    AbsoluteDifferenceAtThresholds,
    AddressComparison,
    Comparison,
    ComparisonSet,
    DateOfBirthComparison,
    ExactMatch,
    IdComparison,
    JaroWinklerAtThresholds,
    LevenshteinAtThresholds,
    NameComparison,
    PhoneComparison,
    SexComparison,
    StreetComparison,
    default_comparisons,
)
from vnlink.compare.levels import MISSING, Ladder, Level
from vnlink.exceptions import ConfigurationError
from vnlink.reason_texts import REASON_TEXTS, reason_text
from vnlink.reasons import REASONS
from vnlink.table import Table

VIETNAMESE = [
    NameComparison(),
    DateOfBirthComparison(),
    IdComparison(),
    PhoneComparison(),
    PhoneComparison(near_miss=False),
    SexComparison(),
    AddressComparison(),
    StreetComparison(thresholds=(0.95, 0.8)),
]
GENERIC = [
    ExactMatch("given"),
    JaroWinklerAtThresholds("given", (0.9, 0.7)),
    LevenshteinAtThresholds("given", (1, 2)),
    AbsoluteDifferenceAtThresholds("dob_year", (1, 3)),
]


@pytest.mark.parametrize("comparison", VIETNAMESE + GENERIC, ids=repr)
def test_labels_tf_and_reasons_come_from_the_levels(comparison: Comparison) -> None:
    levels = comparison.levels
    assert all(isinstance(level, Level) for level in levels)
    assert comparison.level_labels == tuple(level.label for level in levels)
    assert comparison.n_levels == len(levels)
    expected_tf = tuple(i for i, lv in enumerate(levels) if lv.tf) if comparison.tf_column else ()
    assert comparison.tf_levels == expected_tf
    assert levels[-1].reason is None  # the top level has nothing to say
    for level in (*levels, comparison.missing_level):
        if level.reason is not None:
            assert reason_text(level.reason, "en") != level.reason, level.reason
            assert reason_text(level.reason, "vi") != level.reason, level.reason


@pytest.mark.parametrize("comparison", VIETNAMESE, ids=repr)
def test_vietnamese_else_level_is_field_different_and_codes_are_listed(
    comparison: Comparison,
) -> None:
    field = {"StreetComparison": "street"}.get(type(comparison).__name__, comparison.name)
    assert comparison.levels[0].reason == f"{field}_different"
    for level in comparison.levels[:-1]:  # every disagreeing level names a listed code
        assert level.reason in REASON_TEXTS, level
    if comparison.missing_level.reason is not None:
        assert comparison.missing_level.reason in REASON_TEXTS


def test_generic_reasons_name_the_comparison() -> None:
    c = JaroWinklerAtThresholds("given", (0.9,), name="given name")
    assert [lv.reason for lv in c.levels] == ["given name_different", "given name_similar", None]
    assert reason_text("given name_similar", "en") == "given name similar"


def test_exact_flags() -> None:
    for comparison in VIETNAMESE + GENERIC:
        flags = [lv.exact for lv in comparison.levels]
        if isinstance(comparison, AddressComparison):
            assert not any(flags)  # same commune may still be written in old units
        else:
            assert flags == [False] * (len(flags) - 1) + [True]


def test_name_tf_levels_unchanged() -> None:
    assert NameComparison().tf_levels == (7, 8)
    assert NameComparison(tf_column=None).tf_levels == ()
    assert DateOfBirthComparison().tf_levels == (6,)
    assert PhoneComparison().tf_levels == (2,)
    assert PhoneComparison(near_miss=False).tf_levels == (1,)


def test_reordered_name_reason_is_reordered_not_different() -> None:
    table = prepare({"name": ["van an nguyen", "Nguyễn Văn An"]})
    cset = ComparisonSet([NameComparison()])
    vectors = cset.compute(([0], [1]), table, table)
    assert NameComparison().level_labels[vectors.levels[0, 0]] == "parts reordered"
    assert cset.reason_codes(vectors.levels).tolist() == [["name_reordered"]]


def test_reason_codes_of_every_level_and_missing() -> None:
    cset = ComparisonSet(default_comparisons())
    k = len(cset)
    for j, comparison in enumerate(cset):
        levels = np.full((comparison.n_levels + 1, k), -1, dtype=np.int8)
        levels[:, j] = np.arange(-1, comparison.n_levels)
        codes = cset.reason_codes(levels)[:, j].tolist()
        expected = [comparison.missing_level.reason or ""] + [
            lv.reason or "" for lv in comparison.levels
        ]
        assert codes == expected
    assert cset.levels_of("dob") == DateOfBirthComparison(one_digit=True).levels
    assert cset.levels_of(1) == cset.levels_of("dob")
    assert cset.missing_level_of("dob").reason == "dob_missing"
    with pytest.raises(ConfigurationError, match="no comparison named"):
        cset.levels_of("postcode")
    with pytest.raises(ConfigurationError, match="matrix"):
        cset.reason_codes(np.zeros(3, dtype=np.int8))


def test_dates_reasons_follow_the_levels() -> None:
    t = Table({
        "dob_year": np.array([1980, 1980, 1981, 1980, 1980], dtype=np.int16),
        "dob_month": np.array([5, 7, 5, 5, 0], dtype=np.int8),
        "dob_day": np.array([7, 5, 7, 8, 0], dtype=np.int8),
    })
    cset = ComparisonSet([DateOfBirthComparison()])
    v = cset.compute((np.zeros(4, dtype=np.int64), np.arange(1, 5)), t, t)
    assert cset.reason_codes(v.levels)[:, 0].tolist() == [
        "dob_day_month_swapped", "dob_year_different", "dob_days_off", "dob_year_only"
    ]


def test_reason_texts_hold_every_reason_in_order_with_the_same_vietnamese() -> None:
    listed = [code for code in REASON_TEXTS if code in REASONS]
    assert listed == list(REASONS)
    for code, text in REASONS.items():
        assert REASON_TEXTS[code]["vi"] == text
    for code, texts in REASON_TEXTS.items():
        assert set(texts) == {"vi", "en"} and all(texts.values()), code
    assert reason_text("unknown") == "unknown"
    with pytest.raises(ConfigurationError, match="locale"):
        reason_text("name_typo", "fr")


def test_labels_only_subclass_keeps_working() -> None:
    @dataclass(frozen=True)
    class _LegacyParity(Comparison):
        column: str = "n"

        @property
        def level_labels(self) -> tuple[str, ...]:
            return ("other parity", "same parity", "equal")

        def compute(self, left_idx, right_idx, left, right):  # type: ignore[no-untyped-def]
            a = np.asarray(left[self.column])[left_idx]
            b = np.asarray(right[self.column])[right_idx]
            levels = np.where(a == b, 2, (a % 2 == b % 2).astype(np.int8)).astype(np.int8)
            return levels, levels.astype(np.float32) / 2

    c = _LegacyParity(tf_column="n")
    assert [lv.label for lv in c.levels] == ["other parity", "same parity", "equal"]
    assert c.levels[0].reason == "n_different" and c.levels[-1].exact
    assert c.tf_levels == (2,) and c.n_levels == 3
    t = Table({"n": np.array([1, 3, 2, 1])})
    v = ComparisonSet([c]).compute(([0, 0, 0], [1, 2, 3]), t, t)
    assert v.levels[:, 0].tolist() == [1, 0, 2]
    assert v.tf[:, 0].tolist()[2] == 0.5 and np.isnan(v.tf[:2, 0]).all()


def test_subclass_without_levels_is_refused() -> None:
    @dataclass(frozen=True)
    class _NoLevels(Comparison):
        def compute(self, left_idx, right_idx, left, right):  # type: ignore[no-untyped-def]
            raise AssertionError

    with pytest.raises(ConfigurationError, match="must define its levels"):
        _ = _NoLevels().levels


def test_ladder_positions_and_errors() -> None:
    ladder = Ladder(a=Level("else"), b=Level("close"), c=Level("exact", exact=True))
    assert (ladder.a, ladder.b, ladder.c, ladder.top, len(ladder)) == (0, 1, 2, 2, 3)
    assert [lv.label for lv in ladder] == ["else", "close", "exact"]
    assert "b='close'" in repr(ladder)
    with pytest.raises(AttributeError, match="no level named 'd'"):
        _ = ladder.d
    with pytest.raises(ConfigurationError, match="at least two"):
        Ladder(a=Level("only"))
    with pytest.raises(ConfigurationError, match="must be a Level"):
        Ladder(a=Level("else"), b="close")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="label"):
        Level("")
    with pytest.raises(ConfigurationError, match="reason"):
        Level("x", reason="")
    assert MISSING.reason is None


def test_precomputed_tf_column_wins() -> None:
    registry = Table({
        "given": ["an", "an", "an", "nguyệt"],
        "tf__given": np.array([0.01, 0.01, 0.01, np.nan]),
    })
    cset = ComparisonSet([ExactMatch("given", tf_column="given")])
    v = cset.compute(([0, 3], [0, 3]), registry, registry)
    assert v.tf[0, 0] == 0.01 and np.isnan(v.tf[1, 0])
    counted = cset.compute(([0, 3], [0, 3]), Table({"given": registry["given"]}))
    assert counted.tf[:, 0].tolist() == [0.75, 0.25]
    bad = Table({"given": ["an"], "tf__given": np.array(["x"], dtype=object)})
    with pytest.raises(ConfigurationError, match="relative frequencies"):
        cset.row_frequencies(bad, "given")


def test_custom_comparison_labels_may_be_levels() -> None:
    from vnlink.compare import CustomComparison

    class _Decade(CustomComparison):
        default_column = "dob_year"
        labels = (
            Level("other decade", "the decades differ", reason="decade_different"),
            "same decade",
        )

        def compare(self, a, b):  # type: ignore[no-untyped-def]
            return (a // 10 == b // 10).astype(np.int8)

    c = _Decade()
    assert c.level_labels == ("other decade", "same decade")
    assert c.levels[0].reason == "decade_different" and c.levels[0].condition
    assert c.levels[1].exact and c.levels[1].reason is None
    t = Table({"dob_year": np.array([1983, 1987, 1991, 0])})
    assert c.compute(np.array([0, 0, 0]), np.array([1, 2, 3]), t, t)[0].tolist() == [1, 0, -1]

"""ComparisonSet, ComparisonVectors, the registry and the code cache."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from vnlink.compare import (
    AddressComparison,
    ComparisonSet,
    ComparisonVectors,
    DateOfBirthComparison,
    ExactMatch,
    IdComparison,
    JaroWinklerAtThresholds,
    NameComparison,
    PhoneComparison,
    SexComparison,
    StreetComparison,
    TermFrequencies,
    comparison_classes,
    comparison_from_dict,
    default_comparisons,
)
from vnlink.exceptions import ConfigurationError, ModelFormatError
from vnlink.table import Table


def people(make_table: Any) -> Table:
    rows = [
        {"name": "Nguyễn Văn An", "name_fold": "nguyen van an", "family": "nguyen",
         "middle": "van", "given": "an", "name_key": "NGUYEN VAN AN", "dob_year": 1980,
         "dob_month": 5, "dob_day": 7, "sex": "M", "phone": "0912345678"},
        {"name": "Nguyễn Văn An", "name_fold": "nguyen van an", "family": "nguyen",
         "middle": "van", "given": "an", "name_key": "NGUYEN VAN AN", "dob_year": 1980,
         "dob_month": 5, "dob_day": 7, "sex": "M", "phone": "0912345678"},
        {"name": "Khổng Thị Nguyệt", "name_fold": "khong thi nguyet", "family": "khong",
         "middle": "thi", "given": "nguyet", "name_key": "KHONG THI NGUYET", "dob_year": 1980,
         "dob_month": 1, "dob_day": 2, "sex": "F"},
        {"name": "Nguyễn Văn An", "name_fold": "nguyen van an", "family": "nguyen",
         "middle": "van", "given": "an", "name_key": "NGUYEN VAN AN", "dob_year": 1991,
         "dob_month": 3, "dob_day": 4, "sex": "M"},
    ]
    return make_table(rows)


class Pairs:
    """Shaped like the blocking stage's CandidatePairs."""

    def __init__(self, left: list[int], right: list[int]) -> None:
        self.left = np.array(left, dtype=np.int64)
        self.right = np.array(right, dtype=np.int64)


def test_compute_shapes_and_dtypes(make_table: Any) -> None:
    table = people(make_table)
    cset = ComparisonSet(default_comparisons())
    v = cset.compute(Pairs([0, 0, 2], [1, 2, 2]), table, table)
    assert isinstance(v, ComparisonVectors)
    assert v.levels.shape == (3, 6) and v.levels.dtype == np.int8
    assert v.scores.shape == (3, 6) and v.scores.dtype == np.float32
    assert v.tf.shape == (3, 6) and v.tf.dtype == np.float64
    assert v.names == ["name", "dob", "id", "phone", "sex", "address"]
    assert v.n_levels == [c.n_levels for c in default_comparisons()]
    assert v.level_labels[0] == NameComparison().level_labels
    assert v.left.tolist() == [0, 0, 2] and v.right.tolist() == [1, 2, 2]
    # exact dob is 7 with one_digit; exact phone 3 (above "a household member's number")
    assert v.levels[0].tolist() == [8, 7, -1, 3, 1, -1]
    assert len(v) == v.n_pairs == 3
    assert json.loads(json.dumps(v.spec)) == v.spec


def test_term_frequencies_of_agreed_values(make_table: Any) -> None:
    table = people(make_table)
    v = ComparisonSet(default_comparisons()).compute(([0, 2, 0], [1, 2, 2]), table, table)
    name, dob = v.names.index("name"), v.names.index("dob")
    # "nguyen van an" is 3 of 4 folded names, "khong thi nguyet" 1 of 4
    assert v.tf[:2, name].tolist() == [0.75, 0.25]
    # 07/05/1980 is 2 of 4 dates
    assert v.tf[0, dob] == 0.5
    assert np.isnan(v.tf[2]).all()  # different people: no level with TF
    phone = v.names.index("phone")
    # the exact level of phone carries its TF too (a household phone shared by several)
    assert v.tf[0, phone] == 1.0 and np.isnan(v.tf[1:, phone]).all()


def test_population_term_frequencies_override(make_table: Any) -> None:
    table = people(make_table)
    population = TermFrequencies({"nguyen van an": 5, "khong thi nguyet": 1},
                                 column="name_fold", total=1000)
    cset = ComparisonSet(default_comparisons(), term_frequencies={"name_fold": population})
    v = cset.compute(([0, 2], [1, 2]), table, table)
    assert v.tf[:, 0].tolist() == [0.005, 0.001]


def test_tuple_and_array_pairs_and_dedupe_mode(make_table: Any) -> None:
    table = people(make_table)
    cset = ComparisonSet([SexComparison()])
    a = cset.compute(([0, 1], [1, 2]), table)
    b = cset.compute(np.array([[0, 1], [1, 2]]), table, table)
    c = cset.compute(Pairs([0, 1], [1, 2]), table, table)
    assert a.levels.tolist() == b.levels.tolist() == c.levels.tolist() == [[1], [0]]


def test_chunks_give_the_same_answer(make_table: Any) -> None:
    table = people(make_table)
    left, right = np.meshgrid(np.arange(4), np.arange(4))
    pairs = (left.ravel(), right.ravel())
    cset = ComparisonSet(default_comparisons())
    whole = cset.compute(pairs, table, table)
    parts = cset.compute(pairs, table, table, chunk_size=3, workers=2)
    assert (whole.levels == parts.levels).all()
    np.testing.assert_array_equal(whole.scores, parts.scores)
    np.testing.assert_array_equal(whole.tf, parts.tf)


def test_empty_pairs(make_table: Any) -> None:
    table = people(make_table)
    v = ComparisonSet(default_comparisons()).compute(([], []), table, table)
    assert v.levels.shape == (0, 6)


@pytest.mark.parametrize(("pairs", "match"), [
    (([0, 1], [1]), "equal length"),
    (([0, 9], [1, 1]), "left pair indices"),
    (([0, 1], [-1, 1]), "right pair indices"),
    (([0.5], [1]), "integers"),
    ("pairs", "CandidatePairs"),
])
def test_bad_pairs(make_table: Any, pairs: Any, match: str) -> None:
    table = people(make_table)
    with pytest.raises(ConfigurationError, match=match):
        ComparisonSet([SexComparison()]).compute(pairs, table, table)


def test_bad_set_arguments(make_table: Any) -> None:
    table = people(make_table)
    with pytest.raises(ConfigurationError, match="distinct"):
        ComparisonSet([ExactMatch("sex"), SexComparison()])
    with pytest.raises(ConfigurationError):
        ComparisonSet([])
    with pytest.raises(ConfigurationError):
        ComparisonSet(["name"])  # type: ignore[list-item]
    with pytest.raises(ConfigurationError):
        ComparisonSet([SexComparison()], term_frequencies={"sex": {"M": 1}})  # type: ignore
    cset = ComparisonSet([SexComparison()])
    with pytest.raises(ConfigurationError, match="workers"):
        cset.compute(([0], [0]), table, table, workers=0)
    with pytest.raises(ConfigurationError, match="chunk_size"):
        cset.compute(([0], [0]), table, table, chunk_size=0)


ALL = [
    NameComparison(), NameComparison(similarity=0.9, name="ten", tf_column=None),
    DateOfBirthComparison(max_days=3), IdComparison(check_cccd=False), PhoneComparison(),
    SexComparison(), AddressComparison(), StreetComparison(thresholds=(0.95, 0.7)),
    ExactMatch("given", tf_column="given"), JaroWinklerAtThresholds("family", (0.88,)),
]


@pytest.mark.parametrize("comparison", ALL, ids=[repr(c) for c in ALL])
def test_round_trip_through_json(comparison: Any) -> None:
    data = json.loads(json.dumps(comparison.to_dict()))
    rebuilt = comparison_from_dict(data)
    assert rebuilt == comparison and hash(rebuilt) == hash(comparison)
    assert rebuilt.level_labels == comparison.level_labels


def test_set_round_trip_and_registry() -> None:
    cset = ComparisonSet(ALL)
    again = ComparisonSet.from_dict(json.loads(json.dumps(cset.to_dict())))
    assert again.comparisons == cset.comparisons
    assert {"NameComparison", "ExactMatch", "StreetComparison"} <= set(comparison_classes())
    assert "CustomComparison" not in comparison_classes()


@pytest.mark.parametrize("bad", [
    {"class": "NoSuchComparison", "params": {}},
    {"params": {}},
    "NameComparison",
    {"class": "NameComparison", "params": {"unknown": 1}},
    {"class": "NameComparison", "params": [1]},
])
def test_bad_dicts(bad: Any) -> None:
    with pytest.raises(ModelFormatError):
        comparison_from_dict(bad)


def test_from_dict_rejects_a_string() -> None:
    with pytest.raises(ModelFormatError):
        ComparisonSet.from_dict("[]")  # type: ignore[arg-type]


def test_frozen() -> None:
    with pytest.raises(AttributeError):
        NameComparison().similarity = 0.5  # type: ignore[misc]


def test_vectors_helpers(make_table: Any) -> None:
    table = people(make_table)
    v = ComparisonSet(default_comparisons()).compute(([0, 0, 2], [1, 2, 3]), table, table)
    sub = v.take(np.array([True, False, True]))
    assert len(sub) == 2 and sub.right.tolist() == [1, 3]
    counts = v.level_counts()
    assert counts["sex"] == {"missing": 0, "different": 2, "same": 1}
    assert sum(v.level_counts(np.array([True, False, False]))["name"].values()) == 1
    t = v.to_table()
    assert t.column_names == ["left", "right", *v.names]
    assert "3 pairs" in repr(v)


def test_cache_follows_a_replaced_column(make_table: Any) -> None:
    table = people(make_table)
    other = people(make_table)
    c = SexComparison()
    assert c.compute(np.array([0]), np.array([2]), table, other)[0].tolist() == [0]
    table.columns["sex"] = np.array(["F", "M", "F", "M"], dtype=object)
    assert c.compute(np.array([0]), np.array([2]), table, other)[0].tolist() == [1]
    name = ExactMatch("name_fold")
    assert name.compute(np.array([0]), np.array([2]), table, other)[0].tolist() == [0]
    table.columns["name_fold"] = np.array(["khong thi nguyet"] * 4, dtype=object)
    assert name.compute(np.array([0]), np.array([2]), table, other)[0].tolist() == [1]


def test_many_right_tables(make_table: Any) -> None:
    registry = people(make_table)
    c = ExactMatch("given")
    for given in ["an", "nguyet", "binh", "an", "lan", "an"]:
        record = make_table([{"given": given}])
        level = c.compute(np.array([0]), np.array([0]), registry, record)[0][0]
        assert level == (1 if given == "an" else 0)


@dataclass(frozen=True)
class _Hidden(ExactMatch):
    pass


def test_private_subclasses_are_not_registered() -> None:
    assert "_Hidden" not in comparison_classes()

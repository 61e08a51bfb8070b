"""analyse_blocking and count_pairs: recall, reduction ratio, truth forms, reports."""

from __future__ import annotations

import numpy as np
import pytest

from vnlink.blocking import (
    SortedNeighbourhood,
    analyse_blocking,
    block_on,
    candidate_pairs,
    count_pairs,
    default_rules,
    rule_from_dict,
)
from vnlink.exceptions import ConfigurationError, SchemaError

LEFT = {
    "record_id": ["p1", "p2", "p3", "p4"],
    "phone": ["0912", "0988", "", "0912"],
    "dob_year": [1980, 1990, 1985, 1980],
}
RIGHT = {
    "record_id": ["r1", "r2", "r3"],
    "phone": ["0912", "", "0977"],
    "dob_year": [1980, 1985, 1999],
}


def test_recall_per_rule_and_cumulative() -> None:
    truth = {"person_id": ["p1", "p3", "p2", ""], "record_id": ["r1", "r2", "r3", "r9"]}
    result = analyse_blocking([block_on("phone"), block_on("dob_year")], LEFT, RIGHT, truth)
    assert result.n_true == 3  # the unmatched record and the unknown id are not true pairs
    assert [(r.true_pairs, r.new_true_pairs) for r in result.rules] == [(1, 1), (2, 1)]
    assert [r.cumulative_recall for r in result.rules] == pytest.approx([1 / 3, 2 / 3])
    # pairs: phone (p1,r1), (p4,r1); dob_year adds (p3,r2) -> 3 of 12
    assert result.report.total_pairs == 3
    assert result.reduction_ratio == pytest.approx(1 - 3 / 12)
    assert result.pairs_quality == pytest.approx(2 / 3)
    assert result.missed.tolist() == [2]  # (p2, r3): no shared key
    assert "pairs completeness 0.6667" in str(result)


def test_truth_as_row_indices_and_dedupe_labels() -> None:
    by_rows = analyse_blocking("phone", LEFT, RIGHT, (np.array([0, 3]), np.array([0, 0])))
    assert by_rows.pairs_completeness == 1.0
    labels = np.array(["a", "b", "", "a"], dtype=object)
    within = analyse_blocking(["phone"], LEFT, None, labels)
    assert within.n_true == 1 and within.pairs_completeness == 1.0
    within_pairs = analyse_blocking("dob_year", LEFT, None, (np.array([3]), np.array([0])))
    assert within_pairs.pairs_completeness == 1.0  # order of a dedupe pair does not matter
    with pytest.raises(ConfigurationError):
        analyse_blocking("phone", LEFT, RIGHT, (np.array([0]), np.array([7])))
    with pytest.raises(SchemaError, match="truth_left"):
        analyse_blocking("phone", LEFT, RIGHT, {"a": ["p1"], "b": ["r1"]})


def test_sorted_neighbourhood_recall_uses_rank_distance() -> None:
    left = {"record_id": ["a", "b"], "k": ["anh", "zz"]}
    right = {"record_id": ["x"], "k": ["ah"]}
    truth = (np.array([0, 1]), np.array([0, 0]))
    result = analyse_blocking(SortedNeighbourhood("k", window=3), left, right, truth)
    assert result.rules[0].true_pairs == 1


def test_count_pairs_matches_report_and_reduction_ratio() -> None:
    report = count_pairs([block_on("phone"), block_on("dob_year")], LEFT, RIGHT)
    assert [r.pairs for r in report.rules] == [2, 3]
    assert [r.cumulative_pairs for r in report.rules] == [2, 3]
    assert report.all_pairs == 12 and report.pairs_per_record == 1.0
    assert report.to_dicts()[0]["rule"] == "phone"


def test_default_rules_round_trip_through_json_dicts() -> None:
    rules = default_rules()
    assert [rule_from_dict(r.to_dict()) for r in rules] == rules
    assert len({r.name for r in rules}) == len(rules)
    with pytest.raises(ConfigurationError):
        rule_from_dict({"rule": "nope"})


def test_largest_blocks() -> None:
    from vnlink.blocking import largest_blocks

    assert largest_blocks(("phone", "dob_year"), LEFT, RIGHT) == [
        {"key": {"phone": "0912", "dob_year": 1980}, "pairs": 2, "left_rows": 2, "right_rows": 1}
    ]
    assert largest_blocks("dob_year", LEFT, n=5) == [
        {"key": {"dob_year": 1980}, "pairs": 1, "left_rows": 2}
    ]
    top = largest_blocks(SortedNeighbourhood("phone[:3]", window=1), LEFT, RIGHT)
    assert top[0]["key"] == {"phone[:3]": "091"} and top[0]["pairs"] == 2


def test_true_pairs_found_agree_with_the_pairs_made_under_the_cap() -> None:
    # phone 0912 makes 2 pairs (p1, p4 with r1): over a cap of 1 it is cut, so p1-r1 is lost
    rules = [block_on("phone"), block_on("dob_year"), block_on("phone", "dob_year")]
    truth = (np.array([0, 3, 2, 1]), np.array([0, 0, 1, 2]))
    for cap in (None, 1, 2):
        result = analyse_blocking(rules, LEFT, RIGHT, truth, max_block_pairs=cap)
        made = candidate_pairs(rules, LEFT, RIGHT, max_block_pairs=cap)
        found = {
            (left, right): tag
            for left, right, tag in zip(
                made.left.tolist(), made.right.tolist(), made.rule.tolist(), strict=True
            )
        }
        pairs = zip(truth[0].tolist(), truth[1].tolist(), strict=True)
        expected_first = [found.get(pair, -1) for pair in pairs]
        assert result.missed.tolist() == [i for i, f in enumerate(expected_first) if f < 0]
        assert [r.new_true_pairs for r in result.rules] == [
            expected_first.count(k) for k in range(len(rules))
        ]

"""Rules for hard data: SwappedName and the proposed hard default list."""

from __future__ import annotations

import numpy as np
import pytest

from vnlink.blocking import analyse_blocking, candidate_pairs, count_pairs, default_rules
from vnlink.blocking.extra_rules import SwappedName, hard_default_rules
from vnlink.datasets import records_schema, registry_schema, synthetic_linkage, true_pairs
from vnlink.exceptions import ConfigurationError, SchemaError
from vnlink.prepare import prepare

REGISTRY = {
    "name_fold": ["nguyen thi hoa", "tran van nam", "le an", "nguyen thi hoa", "binh"],
    "dob_year": [1980, 1975, 1990, 1981, 1990],
    "sex": ["F", "M", "M", "F", "M"],
}
RECORDS = {
    "name_fold": ["thi hoa nguyen", "nam tran", "an le", "nguyen thi hoa", "hoa nguyen", "le"],
    "dob_year": [1980, 1975, 0, 1980, 1981, 1990],
    "sex": ["F", "M", "M", "F", "F", "M"],
}


def test_swapped_name_pairs_family_last_records_with_their_person() -> None:
    pairs = candidate_pairs(SwappedName(), REGISTRY, RECORDS)
    got = sorted(zip(pairs.right.tolist(), pairs.left.tolist(), strict=True))
    # "thi hoa nguyen" 1980 -> row 0; "nam tran" 1975 -> row 1; "hoa nguyen" 1981 -> row 3;
    # no year (0) or one word: no key; a name in the normal order is not a swapped one
    assert got == [(0, 0), (1, 1), (4, 3)]
    assert count_pairs(SwappedName(), REGISTRY, RECORDS).total_pairs == 3


def test_swapped_name_other_columns_and_no_year() -> None:
    loose = candidate_pairs(SwappedName(also=()), REGISTRY, RECORDS)
    assert sorted(zip(loose.right.tolist(), loose.left.tolist(), strict=True)) == [
        (0, 0), (0, 3), (1, 1), (2, 2), (4, 0), (4, 3),
    ]
    with_sex = candidate_pairs(SwappedName(also=("dob_year", "sex")), REGISTRY, RECORDS)
    assert len(with_sex) == 3
    assert SwappedName(label="x").name == "x"


def test_swapped_name_dedupe_mode() -> None:
    table = {"name_fold": ["nguyen an", "an nguyen", "le binh"], "dob_year": [1990, 1990, 1990]}
    pairs = candidate_pairs(SwappedName(), table)
    assert sorted(zip(pairs.left.tolist(), pairs.right.tolist(), strict=True)) in (
        [(0, 1)], [(1, 0)],
    )


def test_swapped_name_errors() -> None:
    with pytest.raises(SchemaError, match="name_fold"):
        candidate_pairs(SwappedName(), {"dob_year": [1]}, RECORDS)
    with pytest.raises(ConfigurationError, match="tuple"):
        SwappedName(also=["dob_year"])  # type: ignore[arg-type]
    assert SwappedName().to_dict() == {
        "rule": "swapped_name", "also": ["dob_year"], "column": "name_fold", "name": None,
    }


@pytest.fixture(scope="module")
def hard_tables() -> tuple[object, object, np.ndarray, np.ndarray]:
    registry, records, truth = synthetic_linkage(8_000, seed=21, profile="hard")
    left, right = true_pairs(registry, truth)
    return prepare(registry, registry_schema()), prepare(records, records_schema()), left, right


def test_hard_rules_find_more_true_pairs_than_the_defaults(
    hard_tables: tuple[object, object, np.ndarray, np.ndarray],
) -> None:
    left, right, tl, tr = hard_tables
    base = analyse_blocking(default_rules(), left, right, (tl, tr))
    hard = analyse_blocking(hard_default_rules(), left, right, (tl, tr))
    assert set(hard.missed.tolist()) < set(base.missed.tolist())
    assert hard.pairs_completeness > 0.999
    assert hard.pairs_per_record < 10
    swapped = next(r for r in hard.rules if r.rule == "swapped_name & dob_year")
    assert swapped.new_true_pairs > 0


def test_no_pair_sharing_an_id_or_phone_is_missed(
    hard_tables: tuple[object, object, np.ndarray, np.ndarray],
) -> None:
    left, right, tl, tr = hard_tables
    missed = analyse_blocking(hard_default_rules(), left, right, (tl, tr)).missed
    for column in ("id_cccd", "id_cmnd9", "phone"):
        a = left[column][tl[missed]]  # type: ignore[index]
        b = right[column][tr[missed]]  # type: ignore[index]
        assert not ((a == b) & (a != "")).any(), column

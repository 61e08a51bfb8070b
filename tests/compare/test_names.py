"""NameComparison: one explicit example per level, and properties against a scalar reference."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.distance import JaroWinkler, Levenshtein

from vnlink.compare import NameComparison
from vnlink.exceptions import ConfigurationError


def person(display: str, fold: str | None = None, key: str | None = None) -> dict[str, Any]:
    """A name row as prepare() would make it (parts from the folded words)."""
    fold = display.lower() if fold is None else fold
    words = fold.split()
    return {
        "name": display,
        "name_fold": fold,
        "family": words[0] if words else "",
        "middle": " ".join(words[1:-1]),
        "given": words[-1] if len(words) > 1 else "",
        "name_key": (fold.upper() if key is None else key) if fold else "",
        "given_key": words[-1].upper() if len(words) > 1 else "",
    }


BASE = person("Nguyễn Văn Hùng", "nguyen van hung")
CASES = [
    ("exact", person("Nguyễn Văn Hùng", "nguyen van hung"), 8),
    ("same folded: diacritics dropped", person("Nguyen Van Hung", "nguyen van hung"), 7),
    ("same phonetic key", person("Nguyễn Văn Hùn", "nguyen van hun", key="NGUYEN VAN HUNG"), 6),
    ("same family and given, middle missing", person("Nguyễn Hùng", "nguyen hung"), 5),
    ("same family and given, middle longer", person("Nguyễn Văn Đức Hùng", "nguyen van duc hung"),
     3),
    ("same family and given, middle typo", person("Nguyễn Vân Hùng", "nguyen vam hung"), 5),
    ("parts reordered", person("Hùng Nguyễn Văn", "hung nguyen van"), 4),
    ("same family and given, middle different", person("Nguyễn Hữu Hùng", "nguyen huu hung"), 3),
    ("similar: typo in given", person("Nguyễn Văn Hùgn", "nguyen van hugn"), 2),
    ("same given only", person("Trần Thị Hùng", "tran thi hung"), 1),
    ("else", person("Lê Thị Lan", "le thi lan"), 0),
    ("missing", person("", ""), -1),
]


@pytest.mark.parametrize(("case", "other", "level"), CASES, ids=[c[0] for c in CASES])
def test_every_level(make_table: Any, case: str, other: dict[str, Any], level: int) -> None:
    table = make_table([BASE, other])
    comparison = NameComparison()
    levels, scores = comparison.compute(np.array([0]), np.array([1]), table, table)
    assert levels.tolist() == [level], case
    assert levels.dtype == np.int8 and scores.dtype == np.float32
    if level == -1:
        assert np.isnan(scores[0])
    else:
        assert 0.0 <= scores[0] <= 1.0


def test_levels_cover_the_labels() -> None:
    covered = {level for _, _, level in CASES if level >= 0}
    assert covered == set(range(NameComparison().n_levels))


def test_similarity_threshold_moves_level_two(make_table: Any) -> None:
    table = make_table([BASE, person("Nguyễn Văn Hùgn", "nguyen van hugn")])
    strict = NameComparison(similarity=0.999)
    assert strict.compute(np.array([0]), np.array([1]), table, table)[0].tolist() == [0]


def test_scores_are_jaro_winkler_of_folded_names(make_table: Any) -> None:
    other = person("Nguyễn Văn Hưng", "nguyen van hung x")
    table = make_table([BASE, other])
    _, scores = NameComparison().compute(np.array([0]), np.array([1]), table, table)
    expected = JaroWinkler.normalized_similarity("nguyen van hung", "nguyen van hung x")
    assert scores[0] == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("bad", [0, 1.5, "0.9", -0.1])
def test_bad_similarity(bad: Any) -> None:
    with pytest.raises(ConfigurationError):
        NameComparison(similarity=bad)


def _close(a: str, b: str) -> bool:
    if not a or not b:
        return True
    return Levenshtein.distance(a, b) <= 1


def reference(a: dict[str, Any], b: dict[str, Any], similarity: float = 0.95) -> int:
    """The ladder, one pair at a time."""
    if not a["name_fold"] or not b["name_fold"]:
        return -1
    if a["name_fold"] == b["name_fold"]:
        return 8 if a["name"] == b["name"] else 7
    if a["name_key"] and a["name_key"] == b["name_key"]:
        return 6
    same_given = bool(a["given"]) and a["given"] == b["given"]
    same_family_given = same_given and a["family"] and a["family"] == b["family"]
    if same_family_given and _close(a["middle"], b["middle"]):
        return 5
    if sorted(a["name_fold"].split()) == sorted(b["name_fold"].split()):
        return 4
    if same_family_given:
        return 3
    if JaroWinkler.normalized_similarity(a["name_fold"], b["name_fold"]) >= similarity:
        return 2
    return 1 if same_given else 0


WORDS = ["nguyen", "nguyn", "van", "vam", "thi", "an", "anh", "hung", "tran"]


@st.composite
def name_rows(draw: st.DrawFn) -> dict[str, Any]:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=0, max_size=4))
    fold = " ".join(words)
    display = draw(st.sampled_from([fold, fold.title(), fold.upper()]))
    key = fold.replace("anh", "an").replace("nguyn", "nguyen").upper()
    return person(display, fold, key)


@given(st.lists(name_rows(), min_size=1, max_size=8))
def test_bulk_equals_reference_and_is_symmetric(
    make_table: Any, pairs_of: Any, rows: list[dict[str, Any]]
) -> None:
    table = make_table(rows)
    left, right = pairs_of(len(rows))
    levels, scores = NameComparison().compute(left, right, table, table)
    expected = [reference(rows[i], rows[j]) for i, j in zip(left, right, strict=True)]
    assert levels.tolist() == expected
    n = len(rows)
    grid = levels.reshape(n, n)
    assert (grid == grid.T).all()
    assert ((levels >= -1) & (levels < 9)).all()
    assert np.isnan(scores[levels == -1]).all()

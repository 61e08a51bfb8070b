"""A household member's number: the same levels from Linker.link, a RegistryIndex (built,
grown with ``add``, saved and loaded) and plain comparisons, on hard-profile data.

The Spark side of the same check is in tests/spark/test_household_numbers.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vnlink import Linker, RegistryIndex
from vnlink.compare import ComparisonSet, IdComparison, PhoneComparison
from vnlink.compare.households import HouseholdNumbers, household_columns, stable_hashes
from vnlink.datasets import synthetic_linkage
from vnlink.exceptions import ConfigurationError
from vnlink.table import Table


@pytest.fixture(scope="module")
def hard() -> dict[str, Any]:
    registry, records, _ = synthetic_linkage(3_000, seed=5, profile="hard")
    linker = Linker(progress=False).fit(registry, records)
    pipe = linker.pipeline
    left = pipe.prepare(registry, "registry")
    right = pipe.prepare(records, "records")
    pairs = pipe.block(left, right)
    levels = pipe.score_pairs(pairs, left, right).levels
    return {"registry": registry, "records": records, "linker": linker, "left": left,
            "right": right, "pairs": pairs, "levels": levels}


def _household_levels(cset: Any) -> dict[int, int]:
    """Position of each household comparison -> its level "a household member's number"."""
    out = {}
    for j, comparison in enumerate(cset.comparisons):
        if getattr(comparison, "household_column", None):
            out[j] = comparison.level_labels.index("a household member's number")
    return out


def _index_levels(index: RegistryIndex, hard: dict[str, Any]) -> Any:
    pairs = hard["pairs"]
    vectors, _, _ = index._score(pairs.left, hard["right"], pairs.right)
    return vectors.levels


def test_default_comparisons_look_up_household_numbers(hard: dict[str, Any]) -> None:
    cset = hard["linker"].comparisons_
    assert household_columns(cset.comparisons) == ["id_cccd", "phone"]
    found = _household_levels(cset)
    assert len(found) == 2
    for j, level in found.items():  # hard records give relatives' CCCDs and phones
        assert int((hard["levels"][:, j] == level).sum()) >= 5


def test_index_gives_the_levels_of_link(hard: dict[str, Any]) -> None:
    index = hard["linker"].index(hard["registry"])
    assert index._state.households is not None
    assert np.array_equal(_index_levels(index, hard), hard["levels"])


def test_desk_lookups_give_the_levels_of_link(hard: dict[str, Any]) -> None:
    """One record at a time, its candidates alone in the compared table (as a query)."""
    from vnlink.index import _stack

    index = hard["linker"].index(hard["registry"])
    pairs, levels = hard["pairs"], hard["levels"]
    cset = index._state.fast
    member = np.zeros(len(pairs.left), dtype=bool)
    for j, level in _household_levels(cset).items():
        member |= levels[:, j] == level
    records = np.unique(pairs.right[member])
    assert len(records) >= 10
    for record in records[:30].tolist():
        mine = np.flatnonzero(pairs.right == record)
        uniq, local = np.unique(pairs.left[mine], return_inverse=True)
        both = _stack(index.prepared, uniq, hard["right"].take(np.array([record])),
                      index._state.houses)
        lookup = (local.reshape(-1), np.full(len(mine), len(uniq)))
        got = cset.compute(lookup, both, both, households=index._state.households).levels
        assert np.array_equal(got, levels[mine])


def test_pair_batches_need_the_registry_holders(hard: dict[str, Any]) -> None:
    """Pairs compared in shuffled batches of aligned rows (as a Spark task sees them): with
    the registry's holders the levels are link's; counted in the batch alone, they are not
    (so the checks here can fail)."""
    linker, pairs, levels = hard["linker"], hard["pairs"], hard["levels"]
    cset = linker.comparisons_
    holders = HouseholdNumbers.from_table(hard["left"], household_columns(cset.comparisons))
    order = np.random.default_rng(0).permutation(len(pairs.left))
    held = np.empty_like(levels)
    alone = np.empty_like(levels)
    for start in range(0, len(order), 500):
        part = order[start:start + 500]
        lt, rt = hard["left"].take(pairs.left[part]), hard["right"].take(pairs.right[part])
        idx = np.arange(len(part))
        held[part] = cset.compute((idx, idx), lt, rt, households=holders).levels
        alone[part] = cset.compute((idx, idx), lt, rt).levels
    assert np.array_equal(held, levels)
    for j, level in _household_levels(cset).items():
        assert int(((levels[:, j] == level) & (alone[:, j] != level)).sum()) >= 5


def test_add_save_and_load_keep_the_holders(hard: dict[str, Any], tmp_path: Path) -> None:
    linker, registry = hard["linker"], hard["registry"]
    n = registry.n_rows
    index = linker.index(registry.take(np.arange(n - 400)))
    index.add(registry.take(np.arange(n - 400, n)))
    full = linker.index(registry)
    for column in full._state.households.columns:
        assert np.array_equal(index._state.households.keys[column],
                              full._state.households.keys[column])
        assert np.array_equal(index._state.households.counts[column],
                              full._state.households.counts[column])
    assert np.array_equal(_index_levels(index, hard), hard["levels"])
    path = index.save(tmp_path / "index.npz")
    loaded = RegistryIndex.load(path)
    assert repr(loaded._state.households) == repr(full._state.households)
    assert np.array_equal(_index_levels(loaded, hard), hard["levels"])


def test_query_many_agrees_with_link(hard: dict[str, Any]) -> None:
    linker = hard["linker"]
    linked = linker.link(hard["registry"], hard["records"])
    queried = linker.index(hard["registry"]).query_many(hard["records"])
    for column in ("status", "person_id", "reason_codes"):
        assert linked.table[column].tolist() == queried.table[column].tolist()
    codes = " ".join(linked.table["reason_codes"].tolist())
    assert "household_member" in codes


def test_dedupe_levels_count_both_sides(hard: dict[str, Any]) -> None:
    """Within one table, either side may carry the other's household member's number, and a
    row holding its own number is not counted as a member holding it."""
    t = Table({"phone": ["0912", "0988", "0977", "0988"],
               "ward": ["w", "w", "w", "v"], "street": ["s", "s", "s", "s"]})
    cset = ComparisonSet([PhoneComparison(household_numbers=True)])
    house = cset.comparisons[0].level_labels.index("a household member's number")
    pairs = (np.array([0, 1, 3, 0]), np.array([1, 0, 0, 3]))
    got = cset.compute(pairs, t, t).levels[:, 0].tolist()
    holders = HouseholdNumbers.from_table(t, ["phone"])
    assert cset.compute(pairs, t, t, households=holders).levels[:, 0].tolist() == got
    # 0-1: each holds its own number in (w, s) and nobody else holds the other's
    # 3-0: row 3's "0988" is held in row 0's household (w, s) by row 1
    assert got == [0, 0, house, house]


@given(st.lists(st.text(max_size=30), min_size=17, max_size=60))
@settings(max_examples=60, deadline=None)
def test_stable_hashes_do_not_depend_on_the_batch(values: list[str]) -> None:
    """The array path (many values) and the Python path (a few) give the same hashes."""
    alone = [int(stable_hashes([v])[0]) for v in values]
    assert stable_hashes(values).tolist() == alone
    assert [h == 0 for h in alone] == [v.rstrip("\x00") == "" for v in values]


def test_stable_hashes_are_fixed_values() -> None:
    values = ["0912345678", "079080000001", "Phường Bến Nghé", "Nguyễn Trãi", "a", "ab"]
    hashes = stable_hashes(values * 3).tolist()
    assert hashes[:6] == [int(stable_hashes([v])[0]) for v in values]
    assert len(set(hashes)) == 6
    # the same in every process and on every machine (no per-process seed)
    assert hashes[0] == 0x935254FA8D031D86
    assert stable_hashes(["", "0"]).tolist()[0] == 0


def test_bad_households_raise() -> None:
    cset = ComparisonSet([IdComparison(household_numbers=True)])
    with pytest.raises(ConfigurationError, match="HouseholdNumbers"):
        cset.compute(([0], [0]), Table({"id_cccd": ["1"]}), households={"id_cccd": 1})
    with pytest.raises(ConfigurationError, match="sorted"):
        HouseholdNumbers({"phone": np.array([3, 1], dtype=np.uint64)},
                         {"phone": np.array([1, 1])})

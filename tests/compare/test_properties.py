"""Properties every comparison of the default set must have, on random prepared rows."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from vnlink.compare import ComparisonSet, StreetComparison, _kernels, default_comparisons

NAMES = ["nguyen van an", "nguyen an", "an nguyen van", "nguyen van anh", "tran thi an", ""]


@st.composite
def rows(draw: st.DrawFn) -> dict[str, Any]:
    fold = draw(st.sampled_from(NAMES))
    words = fold.split()
    missing = draw(st.sampled_from(["", None]))
    return {
        "name": draw(st.sampled_from([fold, fold.title(), missing])) if fold else "",
        "name_fold": fold,
        "family": words[0] if words else "",
        "middle": " ".join(words[1:-1]),
        "given": words[-1] if len(words) > 1 else "",
        "name_key": fold.replace("anh", "an").upper(),
        "dob_year": draw(st.sampled_from([0, 1980, 1981])),
        "dob_month": draw(st.sampled_from([0, 1, 5, 7])),
        "dob_day": draw(st.sampled_from([0, 1, 5, 7, 30])),
        "dob_flags": draw(st.sampled_from(["", "possibly_year_only"])),
        "sex": draw(st.sampled_from(["M", "F", "", missing])),
        "id_kind": draw(st.sampled_from(["cccd", "cmnd9", ""])),
        "id_cccd": draw(st.sampled_from(["001080012345", "001080012354", "", missing])),
        "id_cmnd9": draw(st.sampled_from(["012345678", "", missing])),
        "id_birth_year": draw(st.sampled_from([0, 1980])),
        "id_sex": draw(st.sampled_from(["M", ""])),
        "phone": draw(st.sampled_from(["0912345678", "0912345687", "", missing])),
        "ward": draw(st.sampled_from(["00004", "00007", ""])),
        "district": draw(st.sampled_from(["001", ""])),
        "province": draw(st.sampled_from(["01", "79", ""])),
        "ward_2025": draw(st.sampled_from(["00004", ""])),
        "province_2025": draw(st.sampled_from(["01", ""])),
        "street": draw(st.sampled_from(["so 1 pho hue", "pho hue so 1", "", missing])),
    }


def _clean(rows_: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: ("" if v is None else v) for k, v in r.items()} for r in rows_]


@given(st.lists(rows(), min_size=1, max_size=7))
def test_default_set_properties(make_table: Any, pairs_of: Any,
                                data: list[dict[str, Any]]) -> None:
    table = make_table(data)
    # None in a string column counts as missing, like ""
    for column in ("name", "sex", "id_cccd", "id_cmnd9", "phone", "street"):
        table.columns[column] = np.array([r[column] for r in data], dtype=object)
    clean = make_table(_clean(data))
    left, right = pairs_of(len(data))
    cset = ComparisonSet([*default_comparisons(), StreetComparison()])
    v = cset.compute((left, right), table, table, chunk_size=5)
    w = cset.compute((left, right), clean, clean)
    assert (v.levels == w.levels).all()
    n = len(data)
    for j, comparison in enumerate(cset.comparisons):
        levels = v.levels[:, j]
        assert ((levels >= -1) & (levels < comparison.n_levels)).all()
        grid = levels.reshape(n, n)
        assert (grid == grid.T).all(), comparison.name  # every default comparison is symmetric
        assert np.isnan(v.scores[levels == -1, j]).all()
        ok = v.scores[levels >= 0, j]
        assert ((ok >= 0) & (ok <= 1)).all(), comparison.name
        tf_rows = ~np.isnan(v.tf[:, j])
        assert np.isin(levels[tf_rows], comparison.tf_levels).all()
    name_missing = np.array([not data[i]["name_fold"] or not data[k]["name_fold"]
                             for i, k in zip(left, right, strict=True)])
    assert (v.levels[name_missing, 0] == -1).all()
    dob_missing = np.array([not data[i]["dob_year"] or not data[k]["dob_year"]
                            for i, k in zip(left, right, strict=True)])
    assert (v.levels[dob_missing, 1] == -1).all()
    # a record compared with itself is at the top level wherever its value is present
    diagonal = v.levels[left == right]
    top = np.array([c.n_levels - 1 for c in cset.comparisons])
    for j, name in enumerate(cset.names):
        if name == "id":  # an ID compared with itself can still contradict the record's dob
            continue
        if name in ("dob", "address"):  # partial values agree only as far as they go
            assert ((diagonal[:, j] == -1) | (diagonal[:, j] >= 1)).all(), name
            continue
        assert np.isin(diagonal[:, j], [-1, top[j]]).all(), name


@given(st.lists(st.tuples(st.integers(-40_000, 40_000), st.integers(-40_000, 40_000),
                          st.integers(-200, 200), st.integers(-200, 200)),
                min_size=1, max_size=50))
def test_decimal_digits_count_the_digits_that_differ(rows: list[tuple[int, int, int, int]]) -> None:
    """Packed digits differ where ``value // 10**k % 10`` differs, digit by digit."""
    year_a, year_b, day_a, day_b = (np.array(c, dtype=np.int64) for c in zip(*rows, strict=True))
    got = _kernels.nibble_differences(_kernels.decimal_digits((day_a, 2), (year_a, 4)),
                                      _kernels.decimal_digits((day_b, 2), (year_b, 4)))
    expected = [sum(a // 10**k % 10 != b // 10**k % 10 for k in range(4))
                + sum(c // 10**k % 10 != d // 10**k % 10 for k in range(2))
                for a, b, c, d in rows]
    assert got.tolist() == expected

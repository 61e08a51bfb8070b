from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from vnlink._bulk import factorize, map_unique, unique_columns


@given(st.lists(st.one_of(st.none(), st.text(max_size=5), st.integers(-3, 3))))
def test_factorize_reconstructs(values: list[object]) -> None:
    distinct, inverse = factorize(values)
    assert [distinct[i] for i in inverse] == values
    assert len(distinct) == len({(type(v), v) for v in values})


def test_factorize_unhashable() -> None:
    distinct, inverse = factorize([[1], [1], [2]])
    assert distinct == [[1], [2]]
    assert inverse.tolist() == [0, 0, 1]


def test_map_unique_calls_once_per_distinct() -> None:
    calls: list[str] = []

    def upper(v: str) -> str:
        calls.append(v)
        return v.upper()

    out = map_unique(upper, ["a", "b", "a", "a"])
    assert out.tolist() == ["A", "B", "A", "A"]
    assert calls == ["a", "b"]


def test_unique_columns_dtypes() -> None:
    cols = unique_columns(len, ["ab", "", "ab"], {"n": (lambda n: n, np.int16)})
    assert cols["n"].dtype == np.int16
    assert cols["n"].tolist() == [2, 0, 2]


def test_factorize_equal_values_of_different_types_stay_apart() -> None:
    # 3 == 3.0 == ... as dict keys; a record id 3 and 3.0 are different texts (issue 17)
    distinct, inverse = factorize([3, 3.0, [1], [1], True, 1, 3])
    assert distinct == [3, 3.0, [1], True, 1]
    assert [type(v) for v in distinct] == [int, float, list, bool, int]
    assert inverse.tolist() == [0, 1, 2, 2, 3, 4, 0]


@given(st.lists(st.one_of(st.none(), st.text(max_size=3), st.integers(-3, 3),
                          st.floats(allow_nan=True), st.lists(st.integers(0, 2), max_size=2)),
                max_size=40))
def test_factorize_of_a_few_values_equals_the_numpy_path(values: list[object]) -> None:
    import vnlink._bulk as bulk

    few = factorize(values)
    small, bulk.FEW_VALUES = bulk.FEW_VALUES, -1  # every size through the numpy renumbering
    try:
        many = factorize(values)
    finally:
        bulk.FEW_VALUES = small
    assert len(few[0]) == len(many[0])
    assert all(a is b for a, b in zip(few[0], many[0], strict=True))
    assert few[1].dtype == many[1].dtype and few[1].tolist() == many[1].tolist()

"""Keys of a few rows (a lookup's record) are made value by value: the same keys."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from vnlink.blocking import block_on
from vnlink.blocking.rules import _FEW_ROWS

_text = st.one_of(st.none(), st.just(""), st.text(max_size=6), st.sampled_from(["an", "anh", "Hà"]))
_number = st.one_of(st.just(0), st.just(-1), st.integers(-3, 3000))
_float = st.one_of(st.just(0.0), st.just(float("nan")), st.floats(-5, 5, allow_nan=False))


def _many(table: dict[str, np.ndarray], repeat: int) -> dict[str, np.ndarray]:
    """The same rows repeated past _FEW_ROWS: made by the array path."""
    return {k: np.concatenate([v] * repeat) for k, v in table.items()}


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.tuples(_text, _number, _float, _number), min_size=1, max_size=_FEW_ROWS),
    cut=st.sampled_from([None, 1, 2]),
)
def test_few_rows_give_the_keys_of_the_array_path(
    rows: list[tuple[object, int, float, int]], cut: int | None
) -> None:
    table = {
        "name": np.array([r[0] for r in rows], dtype=object),
        "year": np.array([r[1] for r in rows], dtype=np.int64),
        "score": np.array([r[2] for r in rows], dtype=np.float64),
        "mixed": np.array([r[3] for r in rows], dtype=object),
    }
    name = "name" if cut is None else f"name[:{cut}]"
    year = "year" if cut is None else f"year[:{cut}]"
    repeat = _FEW_ROWS // len(rows) + 1
    for rule in (block_on(name), block_on(name, "year"), block_on(year, "score", "mixed"),
                 block_on("mixed")):
        few = rule.row_keys(table)
        many = rule.row_keys(_many(table, repeat))
        assert few.present.tolist() == many.present[: len(rows)].tolist()
        assert few.keys.tolist() == many.keys[: len(rows)].tolist()
        assert few.keys.dtype == np.uint64

"""Junk into every ID module (python-stdnum's test_robustness): is_valid never raises,
validate raises only ValidationError subclasses, compact and format never raise."""

from __future__ import annotations

import contextlib
import types

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vnlink.exceptions import ValidationError
from vnlink.normalize import ids
from vnlink.normalize.ids import bhxh, cccd, cmnd


class _BadStr:
    def __str__(self) -> str:
        raise RuntimeError("no text")


class _NotStr:
    def __str__(self) -> object:  # type: ignore[override]
        return 42


JUNK: list[object] = [
    None,
    "",
    " ",
    "€",
    "\x00",
    "\ufeff",
    "０",
    "½",
    "²³",
    "٣",
    "𝟘𝟙𝟚",
    "-",
    "+84",
    "'",
    "''",
    "1" * 10_000,
    "0" * 10_000,
    "9" * 12 + "€",
    "ab" * 5000,
    "\n".join(["001099012345"] * 3),
    0,
    1,
    -1,
    10**40,
    -(10**12),
    1.5,
    float("nan"),
    float("inf"),
    -0.0,
    1e300,
    True,
    False,
    b"001099012345",
    bytearray(b"1"),
    object(),
    _BadStr(),
    _NotStr(),
    [],
    {},
    (1, 2),
    {1},
    np.int64(1099012345),
    np.float64(1099012345.0),
    np.array([1, 2]),
    np.nan,
    types,
    complex(1, 2),
    Ellipsis,
    NotImplemented,
    1099012345,
    "001099012345\x00",
]
MODULES = [cccd, cmnd, bhxh]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
@pytest.mark.parametrize("value", JUNK, ids=range(len(JUNK)))
def test_junk(module: types.ModuleType, value: object) -> None:
    assert module.is_valid(value) in (True, False)
    try:
        result = module.validate(value)
    except ValidationError:
        pass
    else:
        assert isinstance(result, str) and result.isascii()
    assert isinstance(module.compact(value), str)
    assert isinstance(module.format(value), str)


@pytest.mark.parametrize("value", JUNK, ids=range(len(JUNK)))
def test_parse_junk(value: object) -> None:
    assert isinstance(ids.parse(value), ids.IdNumber)


def test_parse_ids_junk() -> None:
    cols = ids.parse_ids(JUNK)
    assert all(len(col) == len(JUNK) for col in cols.values())


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
@given(value=st.one_of(st.text(), st.binary(), st.integers(), st.floats(), st.none()))
def test_any_value(module: types.ModuleType, value: object) -> None:
    assert module.is_valid(value) in (True, False)
    with contextlib.suppress(ValidationError):
        module.validate(value)

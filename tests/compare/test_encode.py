"""The joint vocabulary of a registry and a batch: right values, in time of the batch."""

from __future__ import annotations

import gc

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from vnlink.compare import _encode
from vnlink.table import Table


def _check(left: Table, right: Table, column: str = "g") -> None:
    lc, rc = _encode.joint_codes(left, right, column)
    vocab = _encode.joint_vocab(left, right, column)
    assert vocab[lc].tolist() == [v or "" for v in left[column].tolist()]
    assert vocab[rc].tolist() == [v or "" for v in right[column].tolist()]


def test_joint_vocab_of_successive_batches_is_right() -> None:
    registry = Table({"g": np.array(["an", "bình", "", "chi"], dtype=object)})
    first = Table({"g": np.array(["bình", "dũng", "em"], dtype=object)})
    _check(registry, first)
    # a second batch while the first is alive: its own copy, the first stays right
    second = Table({"g": np.array(["giang", "an", "hà"], dtype=object)})
    _check(registry, second)
    _check(registry, first)
    assert _encode.joint_vocab(registry, first, "g").tolist() == [
        "", "an", "bình", "chi", "dũng", "em",
    ]
    del first, second
    gc.collect()
    # the room is free again: later batches reuse it
    for values in (["khoa"], ["lan", "minh", "an"], []):
        batch = Table({"g": np.array(values, dtype=object)})
        _check(registry, batch)


def test_joint_vocab_reuses_one_buffer_for_successive_batches() -> None:
    registry = Table({"g": np.array([f"ten {i}" for i in range(1_000)], dtype=object)})
    batch = Table({"g": np.array(["new 0", "ten 5"], dtype=object)})
    first = _encode.joint_vocab(registry, batch, "g")
    del batch
    gc.collect()
    for i in range(1, 4):
        batch = Table({"g": np.array([f"new {i}", "ten 5"], dtype=object)})
        vocab = _encode.joint_vocab(registry, batch, "g")
        assert vocab[-1] == f"new {i}" and len(vocab) == 1_002
        # no copy of the registry's values: a view of the same buffer
        assert np.shares_memory(vocab, first)
        del batch, vocab
        gc.collect()


@given(st.lists(st.one_of(st.text(max_size=3), st.sampled_from(["", "an", "bình"]), st.none()),
                max_size=40))
def test_encoding_a_few_values_equals_the_general_path(values: list[str | None]) -> None:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    few = _encode.encode_array(array)
    small, _encode._SMALL = _encode._SMALL, -1  # every size through factorize
    try:
        general = _encode.encode_array(array)
    finally:
        _encode._SMALL = small
    assert few.vocab.dtype == general.vocab.dtype == object
    assert few.vocab.tolist() == general.vocab.tolist()
    assert few.codes.dtype == general.codes.dtype and few.codes.tolist() == general.codes.tolist()

"""RegistryIndex: one-record lookups agree with Linker.link; add, save and load."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from vnlink.datasets import synthetic_linkage
from vnlink.exceptions import ConfigurationError, ModelFormatError, SchemaError
from vnlink.link import Linker, LinkResult, RegistryIndex
from vnlink.table import Table


@pytest.fixture(scope="module")
def setup() -> tuple[Linker, Table, Table, LinkResult, RegistryIndex]:
    registry, records, _ = synthetic_linkage(500, seed=5)
    linker = Linker(progress=False).fit(registry, records)
    result = linker.link(registry, records)
    return linker, registry, records, result, linker.index(registry)


def test_query_returns_the_same_best_candidate_as_link(setup: Any) -> None:
    _, _, records, result, index = setup
    rows = records.to_dicts()
    for i in range(0, len(rows), 7):
        got = index.query(rows[i], top_k=3)
        if result["person_id"][i] == "":
            assert got.n_rows == 0
            continue
        assert got["person_id"][0] == result["person_id"][i]
        assert got["status"][0] == result["status"][i]
        assert got["match_probability"][0] == pytest.approx(result["match_probability"][i])
        assert got.n_rows <= 3
        assert np.all(np.diff(got["match_weight"]) <= 0)


def test_query_many_equals_link(setup: Any) -> None:
    _, _, records, result, index = setup
    batch = index.query_many(records)
    for column in ("record_id", "person_id", "status", "runner_up_person_id", "reason_codes",
                   "corrections"):
        assert batch[column].tolist() == result[column].tolist(), column
    np.testing.assert_allclose(batch["match_weight"], result["match_weight"])


def test_query_of_garbage_is_empty_not_an_error(setup: Any) -> None:
    index = setup[4]
    assert index.query({"full_name": None, "dob": "??"}).n_rows == 0
    with pytest.raises(ConfigurationError, match="top_k"):
        index.query({"full_name": "An"}, top_k=0)


def test_add_makes_new_people_findable(setup: Any) -> None:
    linker, registry, _, _, _ = setup
    index = linker.index(registry)
    person = dict(registry.to_dicts()[3])
    # a CCCD that encodes the person's own birth year and sex (male, 1982)
    person.update(person_id="NEW1", cccd="095082999888", phone="0987000111", cmnd="")
    record = {"full_name": person["full_name"], "dob": person["dob"], "sex": person["sex"],
              "id_number": "095082999888", "phone": "0987000111", "address": ""}
    assert "NEW1" not in index.query(record)["person_id"].tolist()
    index.add([person])
    assert len(index) == registry.n_rows + 1
    assert index.query(record)["person_id"][0] == "NEW1"


def test_add_refuses_an_id_the_index_holds(setup: Any) -> None:
    linker, registry, _, _, _ = setup
    index = linker.index(registry)
    rows = registry.to_dicts()
    fresh = dict(rows[5], person_id="NEW2")
    with pytest.raises(SchemaError, match=r"1 of the 2 added rows .* added row 1") as err:
        index.add([fresh, dict(rows[5])])
    assert str(rows[5]["person_id"]) not in str(err.value)  # no personal data in the message
    assert len(index) == registry.n_rows  # nothing added
    index.add([fresh])
    assert len(index) == registry.n_rows + 1
    with pytest.raises(SchemaError, match="already holds"):
        index.add([fresh])


def test_save_load_round_trip(setup: Any, tmp_path: Path) -> None:
    _, _, records, result, index = setup
    path = index.save(tmp_path / "registry.vnidx")
    again = RegistryIndex.load(path)
    assert len(again) == len(index)
    batch = again.query_many(records.take(np.arange(40)))
    assert batch["person_id"].tolist() == result["person_id"][:40].tolist()
    assert batch["status"].tolist() == result["status"][:40].tolist()
    broken = tmp_path / "broken.vnidx"
    broken.write_bytes(b"not an index")
    with pytest.raises(ModelFormatError):
        RegistryIndex.load(broken)


def test_index_prepared_in_chunks_equals_one_piece(setup: Any,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import vnlink.index

    linker, registry, records, result, index = setup
    monkeypatch.setattr(vnlink.index, "_PREPARE_CHUNK", 170)  # 500 rows: 3 chunks
    chunked = linker.index(registry)
    assert chunked.prepared.column_names == index.prepared.column_names
    for name in index.prepared.column_names:
        assert chunked.prepared[name].dtype == index.prepared[name].dtype, name
        assert chunked.prepared[name].tolist() == index.prepared[name].tolist(), name
    batch = chunked.query_many(records)
    assert batch["person_id"].tolist() == result["person_id"].tolist()
    assert batch["reason_codes"].tolist() == result["reason_codes"].tolist()


def test_key_positions_are_int32_and_lookups_int64(setup: Any) -> None:
    index = setup[-1]
    rule = index._rules[0]
    assert rule.rows.dtype == np.int32 and rule.offsets.dtype == np.int32
    key = next(k for k in rule.row_keys(index.prepared) if k is not None)
    assert rule.lookup(key).dtype == np.int64


def test_saved_columns_come_back_equal_with_shared_strings(setup: Any, tmp_path: Path) -> None:
    index = setup[-1]
    again = RegistryIndex.load(index.save(tmp_path / "registry.vnidx"))
    assert again.prepared.column_names == index.prepared.column_names
    for name in index.prepared.column_names:
        before, after = index.prepared[name], again.prepared[name]
        assert after.dtype == before.dtype, name
        assert after.tolist() == before.tolist(), name
    sex = again.prepared["sex"]
    assert len({id(v) for v in sex.tolist()}) <= len(set(sex.tolist()))  # one object per value


def test_query_weights_equal_the_models_exactly(setup: Any) -> None:
    linker, _, records, _, index = setup
    right = index._prepare_records(records)
    left_rows, rec_rows, _ = index._candidates(right)
    vectors, weight, prob = index._score(left_rows, right, rec_rows)
    expected_weight, expected_prob = linker.pipeline.score(vectors)
    assert len(weight) > 100
    assert weight.tolist() == expected_weight.tolist()
    assert prob.tolist() == expected_prob.tolist()


def test_built_index_holds_text_columns_compact_with_values_unchanged(setup: Any) -> None:
    from vnlink.index import _prepare_slim

    linker, registry, _, _, index = setup
    plain = _prepare_slim(linker.pipeline, registry)  # as prepared, one object per row
    assert index.prepared.column_names == plain.column_names
    for name in plain.column_names:
        assert index.prepared[name].dtype == plain[name].dtype, name
        assert index.prepared[name].tolist() == plain[name].tolist(), name
    for name in plain.source.column_names:
        assert index.prepared.source[name].tolist() == np.asarray(plain.source[name]).tolist()
    for name in ("sex", "province"):
        if name in plain.column_names:
            values = index.prepared[name].tolist()
            assert len({id(v) for v in values}) == len(set(values)), name  # one object per value


@pytest.mark.parametrize(("values", "shared"), [
    (["Nguyễn", "Lê", None, "Nguyễn", None], True),
    (["An", "Bình"], False),              # all distinct: the column itself comes back
    ([1, True, 1.0, "x"], False),         # 1 == True == 1.0: not merged, left as is
    ([("a",), ("a",)], False),            # tuples are not text
])
def test_shared_keeps_values_and_types(values: list[Any], shared: bool) -> None:
    from vnlink.index import _shared

    column = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        column[i] = "".join(["", v]) if isinstance(v, str) else v  # fresh string objects
    out = _shared(column)
    assert out.tolist() == values
    assert [type(v) for v in out.tolist()] == [type(v) for v in values]
    assert (out is not column) == shared
    if shared:
        assert out[0] is out[3] and column[0] is not column[3]

"""Prepared tables: prepared once between fit and link, saved and loaded without pickle."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from vnlink import Linker
from vnlink.datasets import synthetic_linkage
from vnlink.exceptions import ModelFormatError
from vnlink.prepare import PreparedTable


@pytest.fixture(scope="module")
def data() -> tuple[Any, Any, Any]:
    return synthetic_linkage(300, seed=11)


def test_fit_then_link_prepares_each_table_once(data: Any, monkeypatch: Any) -> None:
    registry, records, _ = data
    calls: list[int] = []
    module = importlib.import_module("vnlink.prepare")  # vnlink.prepare is also the function
    real = module.prepare

    def counting(table: Any, schema: Any = None, **options: Any) -> Any:
        calls.append(table.n_rows)
        return real(table, schema, **options)

    monkeypatch.setattr(module, "prepare", counting)
    linker = Linker(progress=False).fit(registry, records)
    linker.link(registry, records)
    linker.candidates(registry, records)
    assert sorted(calls) == sorted([registry.n_rows, records.n_rows])
    linker.forget().link(registry, records)
    assert len(calls) == 4


@pytest.mark.parametrize("suffix", [".npz", ".parquet"])
def test_saved_prepared_tables_link_as_the_originals(data: Any, tmp_path: Path,
                                                     suffix: str) -> None:
    registry, records, _ = data
    linker = Linker(progress=False).fit(registry, records)
    expected = linker.link(registry, records)
    left = linker.prepare(registry, "registry")
    right = linker.prepare(records, "records")
    loaded_left = PreparedTable.load(left.save(tmp_path / f"registry{suffix}"))
    loaded_right = PreparedTable.load(right.save(tmp_path / f"records{suffix}"))
    assert loaded_left.schema == left.schema and loaded_right.n_rows == right.n_rows
    for name in left.column_names:
        assert loaded_left[name].tolist() == left[name].tolist(), name
        assert loaded_left[name].dtype == left[name].dtype or left[name].dtype == object
    got = linker.forget().link(loaded_left, loaded_right)
    for column in ("person_id", "status", "reason_codes", "corrections"):
        assert got[column].tolist() == expected[column].tolist()
    assert np.allclose(got["match_weight"], expected["match_weight"], equal_nan=True)


def test_a_file_that_is_not_a_prepared_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.npz"
    np.savez(path, meta=np.frombuffer(b'{"format": "other"}', np.uint8))
    with pytest.raises(ModelFormatError, match="not a prepared table"):
        PreparedTable.load(path)
    (tmp_path / "y.npz").write_bytes(b"junk")
    with pytest.raises(ModelFormatError):
        PreparedTable.load(tmp_path / "y.npz")

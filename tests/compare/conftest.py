"""Helpers for the comparison tests: prepared-shape tables from a few rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest

from vnlink.table import Table

INT_COLUMNS = {
    "dob_year": np.int16,
    "dob_month": np.int8,
    "dob_day": np.int8,
    "id_birth_year": np.int16,
}
STRING_COLUMNS = (
    "name", "name_fold", "family", "middle", "given", "name_key", "given_key",
    "dob_precision", "dob_flags", "sex", "id_kind", "id", "id_cccd", "id_cmnd9",
    "id_sex", "phone", "province", "district", "ward", "street", "province_2025", "ward_2025",
)


def prepared(rows: Sequence[dict[str, Any]]) -> Table:
    """A Table with every derived column; missing keys are "" or 0."""
    columns: dict[str, Any] = {}
    for name in STRING_COLUMNS:
        values = np.empty(len(rows), dtype=object)
        values[:] = [row.get(name, "") for row in rows]
        columns[name] = values
    for name, dtype in INT_COLUMNS.items():
        columns[name] = np.array([row.get(name, 0) for row in rows], dtype=dtype)
    columns["id_valid"] = np.array([bool(row.get("id_kind")) for row in rows], dtype=bool)
    return Table(columns, n_rows=len(rows))


def all_pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    left, right = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    return left.ravel().astype(np.int64), right.ravel().astype(np.int64)


@pytest.fixture(scope="session")
def make_table() -> Callable[[Sequence[dict[str, Any]]], Table]:
    return prepared


@pytest.fixture(scope="session")
def pairs_of() -> Callable[[int], tuple[np.ndarray, np.ndarray]]:
    return all_pairs

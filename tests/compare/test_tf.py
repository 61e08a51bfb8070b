"""TermFrequencies: counting, lookup, population table, JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from vnlink.compare import TermFrequencies
from vnlink.compare.tf import row_values
from vnlink.exceptions import ConfigurationError, ModelFormatError, SchemaError
from vnlink.table import Table


def test_from_table_counts_and_ignores_missing() -> None:
    tf = TermFrequencies.from_table({"given": ["an", "an", "", None, "nguyệt"]}, "given")
    assert tf.counts == {"an": 2.0, "nguyệt": 1.0}
    assert tf["an"] == pytest.approx(2 / 3)
    assert tf["binh"] == pytest.approx(1 / 3)  # unseen: as if seen once
    assert np.isnan(tf.frequency([""])[0])
    assert tf.most_common(1) == [("an", pytest.approx(2 / 3))]
    assert "an" in tf and len(tf) == 2


def test_dob_virtual_column() -> None:
    t = Table({"dob_year": np.array([1980, 1980, 1990, 0], dtype=np.int16),
               "dob_month": np.array([5, 5, 1, 0], dtype=np.int8),
               "dob_day": np.array([7, 7, 2, 0], dtype=np.int8)})
    assert row_values(t, "dob").tolist() == [19800507, 19800507, 19900102, 0]
    tf = TermFrequencies.from_table(t, "dob")
    assert tf[19800507] == pytest.approx(2 / 3)
    rows = TermFrequencies.row_frequencies_in(t, "dob")
    assert rows[:3].tolist() == pytest.approx([2 / 3, 2 / 3, 1 / 3]) and np.isnan(rows[3])
    assert tf.row_frequencies(t)[:3].tolist() == pytest.approx([2 / 3, 2 / 3, 1 / 3])


def test_row_frequencies_in_strings() -> None:
    t = Table({"g": ["an", "an", "", "bá"]})
    out = TermFrequencies.row_frequencies_in(t, "g")
    assert out[[0, 1, 3]].tolist() == pytest.approx([2 / 3, 2 / 3, 1 / 3])
    assert np.isnan(out[2])
    population = TermFrequencies({"an": 1, "bá": 3}, column="g", total=8)
    assert population.row_frequencies(t)[[0, 3]].tolist() == [0.125, 0.375]


def test_common_names_weigh_less() -> None:
    registry = {"name_fold": ["nguyen van an"] * 50 + ["khong thi nguyet"]}
    tf = TermFrequencies.from_table(registry, "name_fold")
    assert tf["nguyen van an"] > 40 * tf["khong thi nguyet"]


def test_population_family_names() -> None:
    tf = TermFrequencies.vietnamese_family_names()
    assert tf["nguyen"] == pytest.approx(0.384)
    assert tf["nguyen"] > tf["tran"] > tf["le"] > tf["khong"]
    assert "Lê Trung Hoa" in tf.source


def test_json_round_trip(tmp_path: Path) -> None:
    tf = TermFrequencies.from_values([19800507, 19800507, 19900102], "dob")
    path = tmp_path / "tf.json"
    tf.to_json(path)
    again = TermFrequencies.from_json(path)
    assert again.counts == tf.counts and again.column == "dob" and again.total == tf.total


@pytest.mark.parametrize("bad", [
    {"format": "other"},
    {"format": "vnlink.term_frequencies", "version": 99, "column": "x", "total": 1,
     "values": []},
    {"format": "vnlink.term_frequencies", "version": 1, "column": "x", "total": 1,
     "values": [[[1], 1]]},
    {"format": "vnlink.term_frequencies", "version": 1, "values": []},
])
def test_bad_json(bad: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(ModelFormatError):
        TermFrequencies.from_dict(bad)
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelFormatError):
        TermFrequencies.from_json(path)


def test_bad_arguments() -> None:
    with pytest.raises(ConfigurationError):
        TermFrequencies({"a": -1}, column="g")
    with pytest.raises(ConfigurationError):
        TermFrequencies({"a": 5}, column="g", total=2)
    with pytest.raises(ConfigurationError):
        TermFrequencies({}, column="")
    with pytest.raises(SchemaError):
        TermFrequencies.from_table({"g": ["a"]}, "h")
    assert json.dumps(TermFrequencies({}, column="g").to_dict())

"""``vnlink generate`` writes the three tables, byte-identically for the same seed."""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vnlink.cli import main
from vnlink.datasets import RECORD_COLUMNS, REGISTRY_COLUMNS, TRUTH_COLUMNS


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.csv"))
    }


def test_generate_writes_csv_and_parquet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", "--persons", "300", "--seed", "2", "--out", str(tmp_path),
                 "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "300 registry people" in out
    expected = {"registry": REGISTRY_COLUMNS, "records": RECORD_COLUMNS, "truth": TRUTH_COLUMNS}
    for name, columns in expected.items():
        with (tmp_path / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert tuple(rows[0]) == columns
    assert len(rows) > 300
    pq = pytest.importorskip("pyarrow.parquet")
    table = pq.read_table(tmp_path / "records.parquet")
    assert table.num_rows == len(rows) - 1


def test_generate_profiles_and_csv_only(tmp_path: Path) -> None:
    assert main(["generate", "--persons", "100", "--out", str(tmp_path), "--profile", "clean",
                 "--no-parquet", "--no-progress"]) == 0
    assert not list(tmp_path.glob("*.parquet"))
    truth = (tmp_path / "truth.csv").read_text(encoding="utf-8").splitlines()
    assert all(line.endswith(",") for line in truth[1:])  # no corruption labels


def test_generate_rejects_bad_sizes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--persons", "0", "--out", str(tmp_path)]) == 2
    assert "--persons" in capsys.readouterr().err


def test_same_seed_gives_byte_identical_files_across_processes(tmp_path: Path) -> None:
    args = ["generate", "--persons", "300", "--seed", "9", "--no-parquet", "--no-progress"]
    assert main([*args, "--out", str(tmp_path / "here")]) == 0
    env = {**os.environ, "PYTHONHASHSEED": "12345"}  # another string-hash order
    subprocess.run(
        [sys.executable, "-m", "vnlink.cli", *args, "--out", str(tmp_path / "there")],
        check=True, env=env, capture_output=True,
    )
    here, there = _digest(tmp_path / "here"), _digest(tmp_path / "there")
    assert here == there
    assert len(here) == 3

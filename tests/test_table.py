"""as_table: every input form gives the same table; CSV and Parquet; results in the user's form."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from vnlink import Table, as_table
from vnlink.exceptions import ConfigurationError, FileFormatError, SchemaError

ROWS = [
    {"ho_ten": "Nguyễn Văn An", "ngay_sinh": "12/03/1980", "sdt": "0912345678", "nam": 1980},
    {"ho_ten": None, "ngay_sinh": "1990", "sdt": None, "nam": 1990},
    {"ho_ten": "Trần Thị Bình", "ngay_sinh": None, "sdt": "0987654321", "nam": 2001},
]
COLUMNS = {k: [r[k] for r in ROWS] for k in ROWS[0]}


def _forms(tmp_path: Path) -> dict[str, Any]:
    import pandas as pd
    import polars as pl
    import pyarrow as pa
    import pyarrow.parquet as pq

    csv_path = tmp_path / "people.csv"
    lines = ["ho_ten,ngay_sinh,sdt,nam"]
    for r in ROWS:
        lines.append(",".join("" if r[k] is None else str(r[k]) for k in ROWS[0]))
    csv_path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")  # with a BOM
    semicolon = tmp_path / "people_semicolon.csv"
    semicolon.write_text(csv_path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    parquet_path = tmp_path / "people.parquet"
    pq.write_table(pa.table(COLUMNS), parquet_path)
    return {
        "mapping": COLUMNS,
        "dicts": ROWS,
        "pandas": pd.DataFrame(ROWS),
        "polars": pl.DataFrame(COLUMNS),
        "arrow": pa.table(COLUMNS),
        "csv": csv_path,
        "csv-str": str(csv_path),
        "csv-semicolon": semicolon,
        "parquet": parquet_path,
        "table": Table(COLUMNS),
    }


def _normalised(table: Table) -> dict[str, list[Any]]:
    """Values as text (CSV reads every cell as text), None for missing."""
    return {
        k: [None if v is None else str(v) for v in table[k].tolist()] for k in table.column_names
    }


def test_every_input_form_gives_the_same_table(tmp_path: Path) -> None:
    expected = _normalised(Table(COLUMNS))
    for name, form in _forms(tmp_path).items():
        table = as_table(form)
        assert table.n_rows == 3, name
        assert table.column_names == ["ho_ten", "ngay_sinh", "sdt", "nam"], name
        assert _normalised(table) == expected, name


def test_origin_and_round_trip(tmp_path: Path) -> None:
    import pandas as pd
    import polars as pl
    import pyarrow as pa

    forms = _forms(tmp_path)
    assert isinstance(as_table(forms["pandas"]).to_origin(), pd.DataFrame)
    assert isinstance(as_table(forms["polars"]).to_origin(), pl.DataFrame)
    assert isinstance(as_table(forms["arrow"]).to_origin(), pa.Table)
    assert as_table(forms["dicts"]).to_origin() == ROWS
    assert isinstance(as_table(forms["csv"]).to_origin(), Table)
    assert as_table(forms["csv"]).origin == "csv"
    assert as_table(forms["parquet"]).origin == "parquet"
    taken = as_table(forms["pandas"]).take(np.array([2, 0]))
    assert taken.origin == "pandas" and taken["nam"].tolist() == [2001, 1980]


def test_pandas_missing_values_and_dtypes() -> None:
    import pandas as pd

    frame = pd.DataFrame(
        {
            "s": pd.array(["a", None], dtype="string"),
            "i": pd.array([1, None], dtype="Int64"),
            "f": [1.5, float("nan")],
            "d": pd.to_datetime(["2020-01-02", None]),
            "n": [3, 4],
        }
    )
    table = as_table(frame)
    assert table["s"].tolist() == ["a", None]
    assert table["i"].tolist() == [1, None]
    assert table["f"].tolist() == [1.5, None]
    assert [str(v) if v else v for v in table["d"].tolist()] == ["2020-01-02", None]
    assert table["n"].dtype == np.int64


def test_csv_details(tmp_path: Path) -> None:
    path = tmp_path / "x.tsv"
    path.write_text("a\tb\n1\t\n\n2\n", encoding="utf-8")
    table = as_table(path)
    assert table.to_dicts() == [{"a": "1", "b": None}, {"a": "2", "b": None}]
    empty = tmp_path / "empty.csv"
    empty.write_text("a,b\n", encoding="utf-8")
    assert as_table(empty).n_rows == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2,3\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match="has 3 fields but the header has 2"):
        as_table(bad)
    duplicate = tmp_path / "dup.csv"
    duplicate.write_text("a,a\n1,2\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match="columns 1 and 2 of the header have the same name"):
        as_table(duplicate)
    with pytest.raises(FileNotFoundError):
        as_table(tmp_path / "missing.csv")
    with pytest.raises(ConfigurationError, match="cannot tell the format"):
        as_table(tmp_path / "people.ods")
    with pytest.raises(SchemaError, match="cannot read a table from int"):
        as_table(42)


def test_no_heavy_import_unless_passed() -> None:
    # pandas, polars and pyarrow made unimportable: vnlink must work without them
    code = (
        "import sys\n"
        "for name in ('pandas', 'polars', 'pyarrow'):\n"
        "    sys.modules[name] = None\n"
        "from vnlink.table import as_table\n"
        "from vnlink.blocking import block_on, candidate_pairs\n"
        "t = as_table({'a': [1, 1]}); as_table([{'a': 1}])\n"
        "print(len(candidate_pairs(block_on('a'), t)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1"


def test_parquet_without_pyarrow_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(ImportError, match=r"pip install 'vnlink\[parquet\]'"):
        as_table(tmp_path / "x.parquet")

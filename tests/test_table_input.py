"""Reading bad data and odd files never raises an untyped error (issue 17)."""

from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np
import pytest

from vnlink import as_table
from vnlink._files import write_csv, write_xlsx
from vnlink.exceptions import ConfigurationError, FileFormatError, SchemaError
from vnlink.table import MAX_FIELD_CHARS, clean_cells, record_ids


def test_missing_markers_and_numpy_scalars_become_plain_values() -> None:
    pd = pytest.importorskip("pandas")
    cells = [pd.NA, pd.NaT, np.datetime64("NaT"), float("nan"), np.float32("nan"), None,
             np.int64(7), np.bool_(True), np.str_("Lan"), b"L\xc3\xaa", b"\xff",
             np.datetime64("1980-03-05"), 2**70]
    out = as_table({"x": cells})["x"].tolist()
    assert out[:6] == [None] * 6
    assert out[6:11] == [7, True, "Lan", "Lê", "\ufffd"]
    assert [type(v) for v in out[6:9]] == [int, bool, str]
    assert out[11] == datetime.datetime(1980, 3, 5)
    assert out[12] == 2**70


@pytest.mark.parametrize("big", [2**63, -(2**63) - 1, 2**70])
def test_ints_beyond_int64_are_kept_not_overflowed(big: int) -> None:
    table = as_table({"id": [big, 1]})
    assert table["id"].tolist() == [big, 1]
    assert as_table([{"id": big}])["id"].tolist() == [big]


def test_pandas_na_everywhere() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({
        "s": pd.array(["a", None, "c"], dtype="string"),
        "i": pd.array([1, None, 3], dtype="Int64"),
        "o": pd.Series([pd.NA, "x", 2**70], dtype=object),
        "t": pd.to_datetime(["1980-01-02", None, "1990-03-04"]),
    })
    table = as_table(frame)
    assert table["s"].tolist() == ["a", None, "c"]
    assert table["i"].tolist() == [1, None, 3]
    assert table["o"].tolist() == [None, "x", 2**70]
    assert table["t"].tolist()[1] is None


def test_clean_cells_leaves_plain_text_columns_alone() -> None:
    values = np.array(["a", None], dtype=object)
    assert clean_cells(values) is values
    ints = np.arange(3)
    assert clean_cells(ints) is ints


def test_record_ids_keep_their_exact_text() -> None:
    ids, missing = record_ids([1, True, 1.0, "01", " ", float("nan"), 2**70,
                               datetime.date(2024, 1, 2), np.int64(5)])
    assert ids.tolist() == ["1", "True", "1.0", "01", "", "", str(2**70), "2024-01-02", "5"]
    assert missing.tolist() == [False, False, False, False, True, True, False, False, False]


def test_repeated_record_ids_name_rows_never_values() -> None:
    with pytest.raises(SchemaError, match=r"rows 2 and 4 have the same record id \(and 1 more"
                       ) as info:
        record_ids(["a", "079203001234", "b", "079203001234", "079203001234"])
    assert "079203001234" not in str(info.value)
    with pytest.raises(SchemaError, match="rows 1 and 2"):
        record_ids([1, "1"])  # the same text
    with pytest.raises(SchemaError, match="row 2 is a list"):
        record_ids(["a", [1]])


# ---------------------------------------------------------------------------
# files


ROWS = [["Nguyễn Thị Ánh", "0912345678"], ["Trần Văn Đức", "0987654321"]]


def _csv_text(rows: list[list[str]] = ROWS) -> str:
    return "họ_tên,sđt\n" + "".join(",".join(r) + "\n" for r in rows)


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be",
                                   "utf-32"])
def test_utf8_and_utf16_detected_by_their_bom(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "x.csv"
    data = _csv_text().encode(codec)
    if codec in ("utf-16-le", "utf-16-be"):
        data = "\ufeff".encode(codec) + data
    path.write_bytes(data)
    table = as_table(path)
    assert table.column_names == ["họ_tên", "sđt"]
    assert table["họ_tên"].tolist() == ["Nguyễn Thị Ánh", "Trần Văn Đức"]


def test_non_utf8_is_a_clear_error_and_encoding_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "tcvn.csv"
    path.write_bytes("ho_ten\nAn\nB\u00e0\n".encode("cp1258"))
    with pytest.raises(FileFormatError, match=r"tcvn.csv is not UTF-8 text \(line 3\).*cp1258"):
        as_table(path)
    assert as_table(path, encoding="cp1258")["ho_ten"].tolist() == ["An", "Bà"]
    with pytest.raises(ConfigurationError, match="unknown encoding"):
        as_table(path, encoding="no-such-codec")


def test_gzip_csv_with_bom(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "x.csv.gz"
    path.write_bytes(gzip.compress(_csv_text().encode("utf-8-sig")))
    assert as_table(path).column_names == ["họ_tên", "sđt"]


def test_field_size_limit_stated_and_enforced(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a\n" + "x" * MAX_FIELD_CHARS + "\n", encoding="utf-8")
    assert len(as_table(path)["a"][0]) == MAX_FIELD_CHARS
    path.write_text("a,b\n1,\"" + "y" * (MAX_FIELD_CHARS + 1) + "\"\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match="line 2 has a field longer than 1,048,576"):
        as_table(path)
    import csv

    assert csv.field_size_limit() == 131072  # the process-wide limit is restored


def test_headerless_file_named_by_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "noheader.csv"
    path.write_text("Nguyễn Văn An,001089001234,0912345678\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match=r"row 1 looks like data.*column 2") as info:
        as_table(path)
    assert "Nguyễn" not in str(info.value) and "0912345678" not in str(info.value)
    table = as_table(path, header=False)
    assert table.column_names == ["column_1", "column_2", "column_3"]
    assert table["column_2"].tolist() == ["001089001234"]


def test_nul_bytes_and_bad_quoting_are_file_format_errors(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(b"a,b\n1,\x002\n")
    with pytest.raises(FileFormatError, match="NUL"):
        as_table(path)


def test_unnamed_columns_get_numbered_names(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,,c\n1,2,3\n", encoding="utf-8")
    assert as_table(path).column_names == ["a", "column_2", "c"]


def test_long_sample_lines_are_read_whole(tmp_path: Path) -> None:
    # the delimiter sniffer reads the first 64 KiB; a row cut there must come back whole
    path = tmp_path / "x.csv"
    long_rows = [[f"Tên {i:05d} " + "a" * 300, f"09{i:08d}"] for i in range(400)]
    path.write_text(_csv_text(long_rows), encoding="utf-8")
    table = as_table(path)
    assert table.n_rows == 400
    assert table["sđt"].tolist() == [r[1] for r in long_rows]


def test_xlsx_round_trip_keeps_ids_as_text(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    path = write_xlsx(tmp_path / "x.xlsx", ["record_id", "tên", "score", "note"],
                      [["001089001234", "Lan", 0.5, "=1+1"], ["002", None, 1, "@x"]])
    table = as_table(path)
    assert table.column_names == ["record_id", "tên", "score", "note"]
    assert table["record_id"].tolist() == ["001089001234", "002"]
    assert table["note"].tolist() == ["=1+1", "@x"]  # text, never a formula
    assert table["score"].tolist() == [0.5, 1]
    assert table.origin == "xlsx"


def test_xlsx_sheet_and_bad_workbooks(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["a"])
    second = book.create_sheet("Sổ 2")
    second.append(["ho_ten", "sdt"])
    second.append(["Lan", 912345678])
    path = tmp_path / "book.xlsx"
    book.save(path)
    table = as_table(path, sheet="Sổ 2")
    assert table.to_dicts() == [{"ho_ten": "Lan", "sdt": 912345678}]
    with pytest.raises(FileFormatError, match="no sheet"):
        as_table(path, sheet="nope")
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"not a zip")
    with pytest.raises(FileFormatError, match=r"not an \.xlsx workbook"):
        as_table(fake)


def test_csv_writer_guard_and_no_clobber(tmp_path: Path) -> None:
    from vnlink.exceptions import OutputPathError

    path = write_csv(tmp_path / "o.csv", ["a"], [["-1"], [-1], ["+84 912"], ["\rx"], ["ok"]])
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1:3] == ["'-1", "-1"]  # text is guarded, a number is a number
    assert lines[3] == "'+84 912"
    with pytest.raises(OutputPathError, match="exists"):
        write_csv(path, ["a"], [])
    with pytest.raises(OutputPathError, match="also an input"):
        write_csv(path, ["a"], [], overwrite=True, inputs=[tmp_path / "." / "o.csv"])


def test_one_dated_header_is_still_a_header(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("ho_ten,Mũi 1 (01/06/2021),sdt\nLan,x,0912345678\n", encoding="utf-8")
    assert as_table(path).column_names == ["ho_ten", "Mũi 1 (01/06/2021)", "sdt"]


@pytest.mark.parametrize(
    ("field", "cell", "code"),
    [
        ("id_number", datetime.datetime(1980, 3, 5), "id:wrong_type"),  # was CMND 019800305
        ("id_number", -5, "id:wrong_type"),
        ("id_number", True, "id:wrong_type"),
        ("id_number", float("inf"), "id:wrong_type"),
        ("old_id_number", 1.5, "old_id:wrong_type"),
        ("phone", -912345678, "phone:wrong_type"),
        ("phone", [1], "phone:wrong_type"),
        ("name", datetime.date(2020, 1, 1), "name:wrong_type"),
        ("dob", True, "dob:wrong_type"),
        ("sex", {"a": 1}, "sex:wrong_type"),
        ("address", 2.5, "address:wrong_type"),
    ],
)
def test_cells_a_field_cannot_hold_are_flagged_not_dropped(field: str, cell: object,
                                                           code: str) -> None:
    from vnlink.prepare import Schema, prepare

    prepared = prepare({"c": [cell, None]}, Schema(**{field: "c"}))
    assert code in prepared["problems"][0]
    assert code not in prepared["problems"][1]


def test_numbers_a_field_can_hold_are_kept() -> None:
    from vnlink.prepare import Schema, prepare

    prepared = prepare({"cccd": [1089001234, 1089001234.0], "sdt": [912345678, 9.12345678e8],
                        "ns": [datetime.date(1980, 3, 5), 19800305]},
                       Schema(id_number="cccd", phone="sdt", dob="ns"))
    assert prepared["id"].tolist() == ["001089001234"] * 2
    assert prepared["phone"].tolist() == ["0912345678"] * 2
    assert prepared["dob_year"].tolist() == [1980, 1980]
    assert not any("wrong_type" in code for p in prepared["problems"] for code in p)

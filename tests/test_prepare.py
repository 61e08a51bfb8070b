"""Schema and prepare(): derived columns, sex source, ID columns, problems, every input form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from vnlink.exceptions import ConfigurationError, SchemaError
from vnlink.prepare import DERIVED_COLUMNS, PreparedTable, Schema, prepare

PEOPLE = {
    "ho": ["Nguyễn", "trần", "Lê", None],
    "ten": ["Thị Hồng Linh", "văn an", "Minh", None],
    "ns": ["01/06/2014", "1980", "not a date", None],
    "gt": ["", "Nam", "xyz", None],
    "cccd": ["001314934197", "001080012345", "12a", None],
    "cmnd": ["", "", "025917364", None],
    "sdt": ["0912 345 678", "+84 168 123 4567", "123", None],
    "dc": ["P.13, Q.3, TP.HCM", "Hà Nội", "", None],
    "ma": ["a", "b", "c", "d"],
}
SCHEMA = Schema(
    name=("ho", "ten"),
    dob="ns",
    sex="gt",
    id_number="cccd",
    old_id_number="cmnd",
    phone="sdt",
    address="dc",
    record_id="ma",
)


@pytest.fixture(scope="module")
def prepared() -> PreparedTable:
    return prepare(PEOPLE, SCHEMA)


def test_every_derived_column_present_with_its_dtype(prepared: PreparedTable) -> None:
    assert prepared.n_rows == 4
    for name, dtype in DERIVED_COLUMNS.items():
        assert name in prepared, name
        assert prepared[name].dtype == np.dtype(dtype), name
        assert len(prepared[name]) == 4
    for name, dtype in DERIVED_COLUMNS.items():
        if np.dtype(dtype) == object:
            assert all(isinstance(v, str) for v in prepared[name].tolist()), name
    assert prepared["record_id"].tolist() == ["a", "b", "c", "d"]
    assert all(isinstance(p, tuple) for p in prepared["problems"].tolist())
    assert prepared.schema is SCHEMA and prepared.source.n_rows == 4


def test_name_parts_joined_and_parsed(prepared: PreparedTable) -> None:
    assert prepared["name"].tolist()[:3] == ["Nguyễn Thị Hồng Linh", "Trần Văn An", "Lê Minh"]
    assert prepared["family"].tolist() == ["nguyen", "tran", "le", ""]
    assert prepared["given"].tolist() == ["linh", "an", "minh", ""]
    assert prepared["given_key"].tolist()[3] == ""


def test_sex_from_column_else_from_name(prepared: PreparedTable) -> None:
    # row 0: empty column, "Thị" in the name -> F from the name; row 1: "Nam" from the column;
    # row 2: unreadable "xyz" and a name without a hint -> missing, flagged
    assert prepared["sex"].tolist() == ["F", "M", "", ""]
    assert prepared["sex_source"].tolist() == ["name", "column", "", ""]
    assert "sex:unrecognized" in prepared["problems"][2]
    assert not any(p.startswith("sex:") for p in prepared["problems"][3])


def test_id_columns(prepared: PreparedTable) -> None:
    assert prepared["id_kind"].tolist()[:2] == ["cccd", "cccd"]
    assert prepared["id_cccd"].tolist() == ["001314934197", "001080012345", "", ""]
    # the 9-digit CMND comes from the old_id_number column when id_number has none
    assert prepared["id_cmnd9"].tolist() == ["", "", "025917364", ""]
    assert any(p.startswith("id:") for p in prepared["problems"][2])


def test_placeholder_ids_never_block() -> None:
    out = prepare(
        {"id": ["000000000000", "123456789", "001080012345"], "old": ["111111111", "", ""]},
        Schema(id_number="id", old_id_number="old"),
    )
    assert out["id_cccd"].tolist() == ["", "", "001080012345"]
    assert out["id_cmnd9"].tolist() == ["", "", ""]
    assert "id:placeholder" in out["problems"][0]
    assert "old_id:placeholder" in out["problems"][0]


def test_bad_values_become_missing_with_a_reason_and_rows_stay(prepared: PreparedTable) -> None:
    assert prepared["dob_year"].tolist()[2:] == [0, 0]
    assert prepared["dob_precision"].tolist()[2:] == ["none", "none"]
    assert "dob:unparseable" in prepared["problems"][2]
    assert prepared["phone"].tolist() == ["0912345678", "0381234567", "", ""]
    assert any(p.startswith("phone:") for p in prepared["problems"][2])
    assert prepared["province"].tolist()[:2] == ["79", "01"]
    counts = prepared.problem_counts()
    assert counts["dob:unparseable"] == 1 and counts["sex:unrecognized"] == 1


def test_missing_schema_fields_give_all_missing_columns() -> None:
    out = prepare({"sdt": ["0912345678"]}, Schema(phone="sdt"))
    assert out["phone"].tolist() == ["0912345678"]
    assert out["name"].tolist() == [""] and out["dob_year"].tolist() == [0]
    assert out["dob_precision"].tolist() == ["none"]
    assert out["id_valid"].tolist() == [False]
    assert out["record_id"].tolist() == ["0"]
    assert out["problems"].tolist() == [()]


def test_record_id_problems() -> None:
    out = prepare({"ma": ["x", "y", None, 7, 7.0, True]}, Schema(record_id="ma"))
    assert out["record_id"].tolist() == ["x", "y", "", "7", "7.0", "True"]
    assert [p for p in out["problems"].tolist()] == [
        (), (), ("record_id:missing",), (), (), (),
    ]
    # a repeated id is an error naming the rows, never the id (issue 17)
    with pytest.raises(SchemaError, match=r"rows 1 and 3 have the same record id") as info:
        prepare({"ma": ["001089000001", "b", "001089000001"]}, Schema(record_id="ma"))
    assert "001089000001" not in str(info.value)


def test_numbers_from_spreadsheets() -> None:
    # a CCCD read as a number loses its leading zeros; a phone as a float
    out = prepare(
        {"cccd": [1080012345], "sdt": [912345678.0]}, Schema(id_number="cccd", phone="sdt")
    )
    assert out["id_cccd"].tolist() == ["001080012345"]
    assert out["phone"].tolist() == ["0912345678"]


def test_wrong_column_name_lists_the_columns() -> None:
    with pytest.raises(SchemaError, match=r"Schema.dob names column 'ngay_sinh'.*has: ho, ten"):
        prepare({"ho": ["Lê"], "ten": ["An"]}, Schema(name=("ho", "ten"), dob="ngay_sinh"))
    with pytest.raises(SchemaError, match=r"Schema\.name names column 'tên'"):
        prepare({"ho": ["Lê"]}, {"name": ["ho", "tên"]})


def test_schema_arguments() -> None:
    assert Schema(name=["ho", "ten"]).name == ("ho", "ten")
    with pytest.raises(ConfigurationError):
        Schema(name=3)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        Schema(name="")
    with pytest.raises(ConfigurationError, match="unknown Schema fields"):
        Schema.from_dict({"nam": "x"})
    with pytest.raises(ConfigurationError):
        prepare({"a": [1]}, "a")  # type: ignore[arg-type]
    assert Schema.from_dict(SCHEMA.to_dict()) == SCHEMA
    assert SCHEMA.columns() == ["ho", "ten", "ns", "gt", "cccd", "cmnd", "sdt", "dc", "ma"]


def test_schema_infer_vietnamese_headers() -> None:
    table = {
        "STT": [1],
        "Họ và tên": ["Lê Văn Tám"],
        "Ngày sinh": ["1/1/1990"],
        "Giới tính": ["Nam"],
        "Số CCCD": ["001090012345"],
        "Số điện thoại": ["0912345678"],
        "Địa chỉ": ["Hà Nội"],
    }
    schema = Schema.infer(table)
    assert schema == Schema(
        name="Họ và tên",
        dob="Ngày sinh",
        sex="Giới tính",
        id_number="Số CCCD",
        phone="Số điện thoại",
        address="Địa chỉ",
        record_id="STT",
    )
    assert prepare(table)["record_id"].tolist() == ["1"]


def test_take_keeps_source_rows(prepared: PreparedTable) -> None:
    part = prepared.take(np.array([2, 0]))
    assert isinstance(part, PreparedTable)
    assert part["record_id"].tolist() == ["c", "a"]
    assert part.source["ma"].tolist() == ["c", "a"]


def _comparable(table: PreparedTable) -> dict[str, list[Any]]:
    return {k: v.tolist() for k, v in table.columns.items()}


def test_every_input_form_gives_the_same_prepared_table(tmp_path: Path) -> None:
    import pandas as pd
    import polars as pl
    import pyarrow as pa

    rows = [dict(zip(PEOPLE, values, strict=True)) for values in zip(*PEOPLE.values(), strict=True)]
    csv_path = tmp_path / "people.csv"
    pd.DataFrame(rows).to_csv(csv_path, index=False)
    parquet_path = tmp_path / "people.parquet"
    pd.DataFrame(rows).to_parquet(parquet_path)
    expected = _comparable(prepare(PEOPLE, SCHEMA))
    forms = {
        "dicts": rows,
        "pandas": pd.DataFrame(rows),
        "polars": pl.DataFrame(PEOPLE),
        "arrow": pa.table(PEOPLE),
        "csv": csv_path,
        "parquet": str(parquet_path),
    }
    for name, form in forms.items():
        assert _comparable(prepare(form, SCHEMA)) == expected, name


def test_reference_data_limits_are_not_row_problems() -> None:
    prepared = prepare(
        {"address": ["Phường Bến Nghé, Quận 1, TP Hồ Chí Minh", ""]}, Schema(address="address")
    )
    assert "address:ward_2025_unavailable" not in prepared["problems"][0]
    assert prepared["ward"][0] != ""
    assert prepared["problems"][1] == ("address:empty",)


# prepare() with the address in several columns: parse_address_columns (its equality with
# parsing the joined text is tested in tests/normalize/test_address_columns.py), and the
# problems column that of the joined text.
ADDRESS_ROWS: list[tuple[Any, Any, Any, Any]] = [
    ("12/3A hẻm 45 Lê Văn Sỹ", "P.13", "Q3", "TPHCM"),
    ("Số 5 ngõ 12 phố Huế", "Phường Phố Huế", "Quận Hai Bà Trưng", "Hà Nội"),
    ("Thôn Tân Phú", "Xã Tam Hưng", "Huyện Thanh Oai", "Thành phố Hà Nội"),
    ("Ấp 3", "xã Tân Hòa", "huyện Lai Vung", "tỉnh Đồng Tháp"),
    ("8 TrÇn Phó", "P.1", "Q3", "Hµ Néi"),  # TCVN3 read as Latin-1
    (15, "Phường 1", "Quận 3", "HCM"),
    (None, None, None, None),
    ("TP HCM", "Quận 3", "Phường 13", "12 Lê Văn Sỹ"),
]
ADDRESS_NAMES = ("so_nha", "xa", "huyen", "tinh")


def test_address_columns_read_as_the_joined_text() -> None:
    from vnlink.normalize.address import parse_address_columns

    table = {c: [r[i] for r in ADDRESS_ROWS] for i, c in enumerate(ADDRESS_NAMES)}
    for columns in (ADDRESS_NAMES, ("xa", "so_nha", "huyen")):
        out = prepare(table, Schema(address=columns))
        expected = parse_address_columns([table[c] for c in columns])
        for key in ("province", "district", "ward", "street", "province_2025", "ward_2025"):
            assert out[key].tolist() == expected[key].tolist(), key
        assert out["address_confidence"].tolist() == expected["address_confidence"].tolist()
        joined = [
            ", ".join(t for t in (str(v).strip() for v in parts if v is not None) if t) or None
            for parts in zip(*(table[c] for c in columns), strict=True)
        ]
        whole = prepare({"dc": joined}, Schema(address="dc"))
        assert out["problems"].tolist() == whole["problems"].tolist()
    out = prepare(table, Schema(address=ADDRESS_NAMES))
    assert out["street"].tolist()[:4] == [
        "12/3a hem 45 le van sy", "so 5 ngo 12 pho hue", "thon tan phu", "ap 3",
    ]  # fmt: skip
    assert out["ward"].tolist()[:4] == ["27136", "00262", "10138", "30235"]
    assert prepare({"a": [], "b": []}, Schema(address=("a", "b")))["street"].tolist() == []

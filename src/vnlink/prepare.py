"""Say which column is which, and derive every comparison-ready column once.

:class:`Schema` maps the fields vnlink knows (name, date of birth, sex, ID
number, phone, address, record id) to the columns of the user's table;
:func:`prepare` runs the normalizers of :mod:`vnlink.normalize` over those
columns — each distinct value once — and returns a :class:`PreparedTable` of
the derived columns that blocking and comparison use.

Nothing is lost: a value that cannot be read becomes a missing value (``""``
or ``0``) with a reason in the row's ``problems``, and every input row is in
the output, in the same order.

Examples
--------
>>> schema = Schema(dob="ngay_sinh", phone="dien_thoai")
>>> people = {"ngay_sinh": ["1980", None], "dien_thoai": ["0912 345 678", "abc"]}
>>> prepared = prepare(people, schema)
>>> prepared["dob_year"].tolist(), prepared["phone"].tolist()
([1980, 0], ['0912345678', ''])
>>> prepared["record_id"].tolist()
['0', '1']
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink._bulk import as_object_array, factorize, map_unique
from vnlink._table import Table, as_table
from vnlink.exceptions import ConfigurationError, SchemaError

__all__ = ["DERIVED_COLUMNS", "PreparedTable", "Schema", "prepare"]

Column = str | tuple[str, ...] | None

#: The derived columns of every :class:`PreparedTable`, with their dtype.
DERIVED_COLUMNS: dict[str, Any] = {
    "name": object,
    "name_fold": object,
    "family": object,
    "middle": object,
    "given": object,
    "name_key": object,
    "given_key": object,
    "dob_year": np.int16,
    "dob_month": np.int8,
    "dob_day": np.int8,
    "dob_precision": object,
    "dob_flags": object,
    "sex": object,
    "sex_source": object,
    "id_kind": object,
    "id": object,
    "id_valid": bool,
    "id_province": object,
    "id_sex": object,
    "id_birth_year": np.int16,
    "id_cccd": object,
    "id_cmnd9": object,
    "phone": object,
    "province": object,
    "district": object,
    "ward": object,
    "street": object,
    "province_2025": object,
    "ward_2025": object,
}

_NAME_KEYS = ("name", "name_fold", "family", "middle", "given", "name_key", "given_key")
_DOB_KEYS = ("dob_year", "dob_month", "dob_day", "dob_precision", "dob_flags")
_ID_KEYS = ("id_kind", "id", "id_valid", "id_province", "id_sex", "id_birth_year")
_ADDRESS_KEYS = ("province", "district", "ward", "street", "province_2025", "ward_2025")

# Header spellings :meth:`Schema.infer` recognises (folded: lower case, no diacritics,
# spaces and dashes as underscores).
_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "full_name", "fullname", "ho_ten", "hoten", "ho_va_ten", "ten"),
    "dob": ("dob", "birth_date", "date_of_birth", "birthdate", "ngay_sinh", "ngaysinh",
            "ngay_thang_nam_sinh", "nam_sinh", "namsinh", "birth_year", "year_of_birth"),
    "sex": ("sex", "gender", "gioi_tinh", "gioitinh", "gioi"),
    "id_number": (
        "id_number", "cccd", "so_cccd", "cmnd_cccd", "cccd_cmnd", "so_dinh_danh",
        "can_cuoc", "national_id", "so_giay_to", "giay_to",
    ),
    "old_id_number": ("old_id_number", "cmnd", "so_cmnd", "cmnd_cu", "old_id"),
    "phone": ("phone", "phone_number", "mobile", "so_dien_thoai", "dien_thoai", "sdt", "dt"),
    "address": ("address", "dia_chi", "diachi", "noi_o", "dia_chi_thuong_tru", "thuong_tru"),
    "record_id": ("record_id", "ma", "ma_ho_so", "stt", "ma_ban_ghi", "person_id"),
}  # fmt: skip

# Split name columns (họ / tên đệm / tên), folded; Schema.infer joins them into ``name``.
_SPLIT_NAME: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] = (
    ("ho", "ho_dem", "ho_va_ten_dem", "family_name", "last_name", "surname"),
    ("ten_dem", "ten_lot", "dem", "middle_name"),
    ("ten", "given_name", "first_name"),
)


def _split_name_columns(folded: Mapping[str, str]) -> tuple[str, ...] | None:
    """The họ (, tên đệm), tên columns when a table splits the name, in that order."""
    parts = [next((folded[a] for a in aliases if a in folded), None) for aliases in _SPLIT_NAME]
    family, middle, given = parts
    if family is None or given is None:
        return None
    return tuple(c for c in (family, middle, given) if c is not None)


@dataclass(frozen=True)
class Schema:
    """Which input column holds which field; every field is optional.

    Each field is a column name, a tuple of column names (joined with a space
    for ``name`` — e.g. separate họ, tên đệm, tên columns — and with ``", "``
    for ``address``), or ``None`` when the table lacks it.

    When ``address`` has several columns, the first is taken to be the street
    part (house number, alley, street, hamlet) and the others the units, as in
    ``("street_address", "ward", "district", "province")``. The result is that
    of parsing the joined text whatever the order; the order only makes it
    fast: rows whose first column is a street alone have their units read once
    per distinct combination of the other columns (see :func:`prepare`).

    Parameters
    ----------
    name
        Full name (họ và tên).
    dob
        Date of birth (ngày sinh): text in any common form, or dates.
    sex
        Sex (giới tính): "Nam"/"Nữ", "M"/"F", …
    id_number
        CCCD (12 digits) or CMND (9 or 12 digits).
    old_id_number
        A second ID column, such as the registry's old 9-digit CMND.
    phone
        Phone number.
    address
        Address (địa chỉ), or its parts.
    record_id
        A unique id per row; the row number when absent.

    Examples
    --------
    >>> Schema(name=("ho", "ten"), dob="ngay_sinh").columns()
    ['ho', 'ten', 'ngay_sinh']
    >>> Schema.from_dict(Schema(phone="sdt").to_dict())
    Schema(name=None, dob=None, sex=None, id_number=None, old_id_number=None, phone='sdt', \
address=None, record_id=None)
    """

    name: Column = None
    dob: Column = None
    sex: Column = None
    id_number: Column = None
    old_id_number: Column = None
    phone: Column = None
    address: Column = None
    record_id: Column = None

    def __post_init__(self) -> None:
        for spec in fields(self):
            value = getattr(self, spec.name)
            if value is None or isinstance(value, str):
                if value == "":
                    raise ConfigurationError(
                        f"Schema.{spec.name} is an empty string: give a column name or None"
                    )
                continue
            if (
                isinstance(value, (list, tuple))
                and value
                and all(isinstance(v, str) and v for v in value)
            ):
                object.__setattr__(self, spec.name, tuple(value))
                continue
            raise ConfigurationError(
                f"Schema.{spec.name} must be a column name, a tuple of column names or None, "
                f"got {type(value).__name__}"
            )

    def fields_used(self) -> dict[str, tuple[str, ...]]:
        """Field -> its column names, for the fields that are set."""
        out: dict[str, tuple[str, ...]] = {}
        for spec in fields(self):
            value = getattr(self, spec.name)
            if value is not None:
                out[spec.name] = (value,) if isinstance(value, str) else tuple(value)
        return out

    def columns(self) -> list[str]:
        """Every input column the schema names, in field order."""
        return [c for cols in self.fields_used().values() for c in cols]

    def validate(self, table: Table) -> None:
        """Raise :class:`~vnlink.exceptions.SchemaError` if a named column is not in ``table``.

        >>> Schema(name="ho_ten").validate(as_table({"hoten": ["An"]}))
        Traceback (most recent call last):
        ...
        vnlink.exceptions.SchemaError: Schema.name names column 'ho_ten', which is not in the \
table; the table has: hoten
        """
        for field_name, cols in self.fields_used().items():
            for column in cols:
                if column not in table:
                    raise SchemaError(
                        f"Schema.{field_name} names column {column!r}, which is not in the "
                        f"table; the table has: {', '.join(table.column_names) or '(none)'}"
                    )

    def to_dict(self) -> dict[str, Any]:
        """The schema as JSON-ready data (tuples become lists)."""
        return {
            spec.name: list(v) if isinstance(v := getattr(self, spec.name), tuple) else v
            for spec in fields(self)
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Schema:
        """Rebuild a schema from :meth:`to_dict`; unknown keys raise ConfigurationError."""
        known = {spec.name for spec in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigurationError(
                f"unknown Schema fields {unknown}; the fields are: {', '.join(sorted(known))}"
            )
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})

    @classmethod
    def infer(cls, table: Any) -> Schema:
        """Guess the schema from common English and Vietnamese column headers.

        Headers are compared without case, diacritics, spaces or dashes, so
        "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số điện thoại" and
        "Địa chỉ" are all recognised.

        >>> Schema.infer({"Họ và tên": [], "Ngày sinh": [], "SĐT": []})
        Schema(name='Họ và tên', dob='Ngày sinh', sex=None, id_number=None, old_id_number=None, \
phone='SĐT', address=None, record_id=None)
        >>> Schema.infer({"Họ": [], "Tên đệm": [], "Tên": [], "Năm sinh": []}).fields_used()
        {'name': ('Họ', 'Tên đệm', 'Tên'), 'dob': ('Năm sinh',)}
        """
        names = as_table(table).column_names
        folded = {_fold_header(n): n for n in reversed(names)}
        found: dict[str, Any] = {}
        taken: set[str] = set()
        split = _split_name_columns(folded)
        if split is not None:  # "Họ", "Tên đệm", "Tên": the name is the three joined
            found["name"] = split
            taken.update(split)
        for field_name, aliases in _ALIASES.items():
            if field_name in found:
                continue
            for alias in aliases:
                column = folded.get(alias)
                if column is not None and column not in taken:
                    found[field_name] = column
                    taken.add(column)
                    break
        return cls(**found)


def _fold_header(name: str) -> str:
    from vnlink.normalize.text import fold

    text = fold(str(name)).lower().strip()
    for ch in " -./":
        text = text.replace(ch, "_")
    while "__" in text:
        text = text.replace("__", "_")
    return text.strip("_")


class PreparedTable(Table):
    """A :class:`~vnlink.Table` of derived columns, ready for blocking and comparison.

    Columns: those of :data:`DERIVED_COLUMNS` (always all present; missing =
    ``""`` or ``0``), ``record_id`` (str) and ``problems`` (a tuple of problem
    codes per row, such as ``("dob:unparseable",)``), plus ``address_confidence``
    (float32) when the schema has an address.

    Attributes
    ----------
    source
        The input :class:`~vnlink.Table`, row for row.
    schema
        The :class:`Schema` used.
    """

    def __init__(
        self,
        columns: Mapping[str, Any],
        *,
        source: Table,
        schema: Schema,
        n_rows: int | None = None,
    ) -> None:
        super().__init__(columns, n_rows=n_rows, origin=source.origin)
        self.source = source
        self.schema = schema

    def take(self, indices: NDArray[np.integer[Any]]) -> PreparedTable:
        """The rows at ``indices`` (and the same rows of ``source``)."""
        return PreparedTable(
            {k: v[indices] for k, v in self.columns.items()},
            source=self.source.take(indices),
            schema=self.schema,
            n_rows=len(indices),
        )

    def problem_counts(self) -> dict[str, int]:
        """How many rows have each problem code (counts only, no values)."""
        counts: dict[str, int] = {}
        distinct, inverse = factorize(self.columns["problems"])
        per_distinct = np.bincount(inverse, minlength=len(distinct))
        for codes, n in zip(distinct, per_distinct.tolist(), strict=True):
            for code in codes:
                counts[code] = counts.get(code, 0) + n
        return dict(sorted(counts.items()))


def _plain(value: Any) -> Any:
    """A value as the scalar normalizers take it: str, int, None, or the object itself."""
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() else value
    if isinstance(value, (np.floating, np.integer, np.bool_)):
        return _plain(value.item())
    if isinstance(value, (datetime.datetime, datetime.date)):
        day = value.date() if isinstance(value, datetime.datetime) else value
        return day.isoformat()
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else str(value.astype("datetime64[D]"))
    if type(value).__name__ in ("NAType", "NaTType"):  # pandas missing markers
        return None
    return value


def _combinations(
    plain: list[NDArray[np.object_]], n: int
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """A row of each distinct combination of the columns' values, and each row's combination."""
    return _combine([factorize(part) for part in plain], n)


def _combine(
    factorized: list[tuple[list[Any], NDArray[np.intp]]], n: int
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """:func:`_combinations` of already factorized columns.

    The codes are packed into one integer (re-numbered only when the product of
    the numbers of distinct values would overflow), then sorted once.
    """
    combined = np.zeros(n, dtype=np.int64)
    size = 1
    for distinct, inverse in factorized:
        if size * len(distinct) >= 1 << 62:
            combined = np.unique(combined, return_inverse=True)[1].reshape(-1).astype(np.int64)
            size = int(combined.max()) + 1 if n else 1
        combined = combined * len(distinct) + inverse
        size *= max(len(distinct), 1)
    _, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    return first.astype(np.intp), inverse.reshape(-1).astype(np.intp)


def _joined(plain: list[NDArray[np.object_]], row: int, separator: str) -> str | None:
    """The stripped, non-empty values of ``row`` joined with ``separator`` (None if none)."""
    texts = [str(p[row]).strip() for p in plain if p[row] is not None]
    texts = [t for t in texts if t]
    return separator.join(texts) if texts else None


def _input_column(table: Table, columns: tuple[str, ...], separator: str) -> NDArray[np.object_]:
    """The values of one field: one column as is, several joined with ``separator``.

    Several columns are joined once per distinct combination of their values
    (addresses repeat within households and villages).
    """
    plain = [_plain_array(table[c]) for c in columns]
    if len(plain) == 1:
        return plain[0]
    n = table.n_rows
    if not n:
        return np.empty(0, dtype=object)
    first, inverse = _combinations(plain, n)
    joined = np.empty(len(first), dtype=object)
    joined[:] = [_joined(plain, row, separator) for row in first.tolist()]
    return as_object_array(joined[inverse])


_PLAIN_TYPES = frozenset({str, type(None)})


def _plain_array(values: NDArray[Any]) -> NDArray[np.object_]:
    """The column as the scalar normalizers take it (see :func:`_plain`)."""
    if values.dtype.kind in "iub":
        return as_object_array(values.tolist())
    if values.dtype.kind == "M":
        return as_object_array([_plain(v) for v in values])
    items = values.tolist()
    if set(map(type, items)) <= _PLAIN_TYPES:
        return as_object_array(values)
    distinct, inverse = factorize(items)
    mapped = np.empty(len(distinct), dtype=object)
    mapped[:] = [v if type(v) is str else _plain(v) for v in distinct]
    return as_object_array(mapped[inverse])


def _empty(dtype: Any, n: int) -> NDArray[Any]:
    if np.dtype(dtype) == object:
        return np.full(n, "", dtype=object)
    return np.zeros(n, dtype=dtype)


# Codes that describe vnlink's reference data rather than the row (every row with a
# commune has it until the gazetteer ships the 2025 communes): kept out of ``problems``.
_NOT_ROW_PROBLEMS = frozenset({"address:ward_2025_unavailable"})


_NO_PROBLEM: NDArray[np.object_] = np.empty(0, dtype=object)


def _problems_column(parts: list[NDArray[np.object_]], n: int) -> NDArray[np.object_]:
    """Per row, the tuple of problem codes of every ``;``-joined part (once per combination)."""
    parts = [part for part in parts if part is not _NO_PROBLEM]
    out = np.empty(n, dtype=object)
    if not parts or n == 0:
        out[:] = [()] * n
        return out
    factorized = [factorize(part) for part in parts]
    kept = [i for i, (distinct, _) in enumerate(factorized) if any(distinct)]
    parts = [parts[i] for i in kept]  # a part without a problem on any row adds nothing
    first, inverse = _combine([factorized[i] for i in kept], n)
    results = np.empty(len(first), dtype=object)
    for u, row in enumerate(first.tolist()):
        problems: list[str] = []
        for part in parts:
            text = part[row]
            if text:
                problems.extend(p for p in str(text).split(";") if p and p not in _NOT_ROW_PROBLEMS)
        results[u] = tuple(dict.fromkeys(problems))
    return as_object_array(results[inverse])


def _has_problem(problems: NDArray[np.object_], code: str) -> NDArray[np.bool_]:
    return map_unique(lambda p: code in str(p).split(";"), problems, dtype=bool)


def _is_blank(values: NDArray[np.object_]) -> NDArray[np.bool_]:
    return map_unique(
        lambda v: v is None or (isinstance(v, str) and not v.strip()), values, dtype=bool
    )


def _flag(mask: NDArray[np.bool_], code: str, n: int) -> NDArray[np.object_]:
    if not mask.any():
        return _NO_PROBLEM  # a part without a problem: left out of the problems column
    out = np.full(n, "", dtype=object)
    out[mask] = code
    return out


def prepare(table: Any, schema: Schema | Mapping[str, Any] | None = None) -> PreparedTable:
    """Derive the comparison-ready columns of ``table`` (see :class:`PreparedTable`).

    Parameters
    ----------
    table
        Any form :func:`vnlink.as_table` accepts: pandas/polars DataFrame,
        pyarrow Table, mapping of columns, list of dicts, CSV/Parquet path.
    schema
        Which column is which: a :class:`Schema`, a mapping of its fields, or
        ``None`` to guess from the headers (:meth:`Schema.infer`).

    Returns
    -------
    PreparedTable
        One row per input row, in order.

    Raises
    ------
    SchemaError
        When the schema names a column the table does not have (the message
        lists the columns that exist).

    Notes
    -----
    - name: :func:`vnlink.normalize.names.parse_names` (display form, folded
      parts, phonetic keys, sex hint);
    - dob: :func:`vnlink.normalize.dates.parse_dates`;
    - sex: :func:`vnlink.normalize.sex.normalize_sexes`; where the column is
      missing or empty, the name's sex hint ("Thị" → F), with
      ``sex_source == "name"``;
    - id_number / old_id_number: :func:`vnlink.normalize.ids.parse_ids`;
      ``id_cccd`` holds 12-digit numbers, ``id_cmnd9`` 9-digit CMNDs from
      either column, both empty for placeholders such as ``000000000``;
    - phone: :func:`vnlink.normalize.phone.parse_phones`;
    - address: :func:`vnlink.normalize.address.parse_addresses`; for an
      address in several columns,
      :func:`vnlink.normalize.address.parse_address_columns`: where the first
      one is a street alone ("12/3A hẻm 45 Lê Văn Sỹ"), the units are read
      once per distinct combination of the other columns and the street text
      is normalized once per distinct street; the result is that of the
      joined text.

    Examples
    --------
    >>> prepared = prepare(
    ...     {"so_cccd": ["001080012345", "12345"], "cmnd": ["", "025917364"]},
    ...     Schema(id_number="so_cccd", old_id_number="cmnd"),
    ... )
    >>> prepared["id_cccd"].tolist(), prepared["id_cmnd9"].tolist()
    (['001080012345', ''], ['', '025917364'])
    >>> prepared["problems"][1]
    ('id:invalid_length',)
    """
    source = as_table(table)
    if schema is None:
        schema = Schema.infer(source)
    elif isinstance(schema, Mapping):
        schema = Schema.from_dict(schema)
    elif not isinstance(schema, Schema):
        raise ConfigurationError(
            f"schema must be a vnlink.Schema, a mapping of its fields or None, "
            f"got {type(schema).__name__}"
        )
    schema.validate(source)
    n = source.n_rows
    used = schema.fields_used()
    out: dict[str, NDArray[Any]] = {}  # the columns not derived are filled at the end
    problem_parts: list[NDArray[np.object_]] = []

    def column(key: str) -> NDArray[Any]:
        if key not in out:
            out[key] = _empty(DERIVED_COLUMNS[key], n)
        return out[key]

    def values(field_name: str, separator: str = " ") -> NDArray[np.object_]:
        if field_name == "record_id":
            return _input_column(source, used[field_name], separator)
        from vnlink._table import typed_cells  # cells of a type the field cannot hold (issue 17)

        typed, wrong_type = typed_cells(source, used[field_name], field_name)
        if wrong_type is not None:
            problem_parts.append(wrong_type)
        return _input_column(typed, used[field_name], separator)

    if "name" in used:
        from vnlink.normalize.names import parse_names

        parsed = parse_names(values("name"))
        for key in _NAME_KEYS:
            out[key] = parsed[key]
        sex_hint = parsed["sex_hint"]
        problem_parts.append(parsed["name_problems"])
    else:
        sex_hint = column("sex")

    if "dob" in used:
        from vnlink.normalize.dates import parse_dates

        parsed = parse_dates(values("dob"))
        for key in _DOB_KEYS:
            out[key] = parsed[key].astype(DERIVED_COLUMNS[key], copy=False)
        problem_parts.append(parsed["dob_problems"])
    else:
        out["dob_precision"] = np.full(n, "none", dtype=object)

    if "sex" in used:
        from vnlink.normalize.sex import normalize_sexes

        raw = values("sex")
        sex = as_object_array(normalize_sexes(raw))
        sex = np.where(sex == None, "", sex).astype(object)  # noqa: E711
        unreadable = (sex == "") & ~_is_blank(raw)
        problem_parts.append(_flag(unreadable, "sex:unrecognized", n))
    else:
        sex = np.full(n, "", dtype=object)
    from_column = sex != ""
    from_name = ~from_column & (sex_hint != "")
    out["sex"] = np.where(from_column, sex, sex_hint).astype(object)
    source_col = np.full(n, "", dtype=object)
    source_col[from_column] = "column"
    source_col[from_name] = "name"
    out["sex_source"] = source_col

    old_cmnd9 = np.full(n, "", dtype=object)
    placeholder = np.zeros(n, dtype=bool)
    if "id_number" in used or "old_id_number" in used:
        from vnlink.normalize.ids import parse_ids

        if "id_number" in used:
            parsed = parse_ids(values("id_number"))
            for key in _ID_KEYS:
                out[key] = parsed[key].astype(DERIVED_COLUMNS[key], copy=False)
            problem_parts.append(parsed["id_problems"])
            placeholder = _has_problem(parsed["id_problems"], "id:placeholder")
        if "old_id_number" in used:
            old = parse_ids(values("old_id_number"))
            usable = (old["id_kind"] == "cmnd9") & ~_has_problem(
                old["id_problems"], "id:placeholder"
            )
            old_cmnd9 = np.where(usable, old["id"], "").astype(object)
            problem_parts.append(
                map_unique(lambda p: str(p).replace("id:", "old_id:"), old["id_problems"])
            )
    kind = column("id_kind")
    twelve = ((kind == "cccd") | (kind == "cmnd12")) & ~placeholder
    out["id_cccd"] = np.where(twelve, column("id"), "").astype(object)
    nine = (kind == "cmnd9") & ~placeholder
    out["id_cmnd9"] = np.where(nine, column("id"), old_cmnd9).astype(object)

    if "phone" in used:
        from vnlink.normalize.phone import parse_phones

        parsed = parse_phones(values("phone"))
        out["phone"] = parsed["phone"]
        problem_parts.append(parsed["phone_problems"])

    if "address" in used:
        from vnlink.normalize.address import parse_address_columns, parse_addresses

        if len(used["address"]) > 1:
            parsed = parse_address_columns([_plain_array(source[c]) for c in used["address"]])
        else:
            parsed = parse_addresses(values("address"))
        for key in _ADDRESS_KEYS:
            out[key] = parsed[key]
        out["address_confidence"] = parsed["address_confidence"]
        problem_parts.append(parsed["address_problems"])

    if "record_id" in used:  # exact text; a repeated id is a SchemaError naming rows (issue 17)
        from vnlink._table import record_ids

        cols = used["record_id"]
        raw = source[cols[0]] if len(cols) == 1 else values("record_id", "-")
        record_id, blank = record_ids(raw, what="record_id column")
        problem_parts.append(_flag(blank, "record_id:missing", n))
    else:
        record_id = as_object_array([str(i) for i in range(n)])
    columns = {key: column(key) for key in DERIVED_COLUMNS}
    if "address_confidence" in out:
        columns["address_confidence"] = out["address_confidence"]
    columns["record_id"] = record_id
    columns["problems"] = _problems_column(problem_parts, n)
    return PreparedTable(columns, source=source, schema=schema, n_rows=n)

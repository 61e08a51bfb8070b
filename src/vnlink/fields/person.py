"""The Vietnamese person fields: name, date of birth, sex, ID numbers, phone, address.

Each is a :class:`~vnlink.fields.FieldSpec` registered in derivation order
(the sex falls back on the name's "Thị"/"Văn" hint, so the name comes first;
``id_cccd``/``id_cmnd9`` combine the two ID columns once both are read).
The derived columns are the data contract of ``DESIGN.md``.

>>> from vnlink.fields import field_spec, registered_fields
>>> [name for name in registered_fields()][:7]
['name', 'dob', 'sex', 'id_number', 'old_id_number', 'phone', 'address']
>>> field_spec("phone").comparison().name
'phone'
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from vnlink._bulk import FEW_ROWS as _FEW_ROWS
from vnlink._bulk import as_object_array, factorize_column, map_unique, per_column, text_column
from vnlink.fields.base import Columns, FieldSpec, register_field

__all__ = [
    "COMPARISON_ORDER",
    "AddressField",
    "DateOfBirthField",
    "IdNumberField",
    "NameField",
    "OldIdNumberField",
    "PhoneField",
    "SexField",
]



def _strings(table: Any, name: str, rows: NDArray[np.int64]) -> NDArray[np.object_]:
    if name not in table:
        return np.full(len(rows), "", dtype=object)
    column = np.asarray(table[name])
    if len(rows) <= _FEW_ROWS:  # a lookup's few pairs: only their values are made text
        few = np.empty(len(rows), dtype=object)
        few[:] = ["" if v is None else str(v) for v in column[rows].tolist()]
        return few
    out: NDArray[np.object_] = text_column(column)[rows]
    return out


def _ints(table: Any, name: str, rows: NDArray[np.int64]) -> NDArray[np.int64]:
    if name not in table:
        return np.zeros(len(rows), dtype=np.int64)
    return np.asarray(np.asarray(table[name])[rows], dtype=np.int64)


def _has_problem(problems: NDArray[np.object_], code: str) -> NDArray[np.bool_]:
    return map_unique(lambda p: code in str(p).split(";"), problems, dtype=bool)


def _is_blank(values: NDArray[np.object_]) -> NDArray[np.bool_]:
    return map_unique(
        lambda v: v is None or (isinstance(v, str) and not v.strip()), values, dtype=bool
    )


class NameField(FieldSpec):
    """Full name (họ và tên): display form, folded parts, phonetic keys, sex hint.

    Normalized with :func:`vnlink.normalize.names.parse_names`; several
    columns (họ, tên đệm, tên) are joined with a space.
    """

    name = "name"
    columns: ClassVar[dict[str, Any]] = {
        "name": object, "name_fold": object, "family": object, "middle": object,
        "given": object, "name_key": object, "given_key": object,
    }
    aliases = ("name", "full_name", "fullname", "ho_ten", "hoten", "ho_va_ten", "ten")
    identifying = True
    presence_column = "name_fold"
    correction = "name"

    def derive(self, values: NDArray[np.object_], out: Columns, n: int) -> NDArray[np.object_]:
        from vnlink.normalize.names import parse_names

        parsed = parse_names(values)
        for key in self.columns:
            out[key] = parsed[key]
        out["_sex_hint"] = parsed["sex_hint"]
        problems: NDArray[np.object_] = parsed["name_problems"]
        return problems

    def comparison(self) -> Any:
        from vnlink.compare import NameComparison

        return NameComparison()

    def display(self, table: Any, rows: NDArray[np.int64]) -> NDArray[np.object_]:
        return _strings(table, "name", rows)


class DateOfBirthField(FieldSpec):
    """Date of birth (ngày sinh): year, month, day (0 = unknown), precision and flags."""

    name = "dob"
    columns: ClassVar[dict[str, Any]] = {
        "dob_year": np.int16, "dob_month": np.int8, "dob_day": np.int8,
        "dob_precision": object, "dob_flags": object,
    }
    aliases = ("dob", "birth_date", "date_of_birth", "birthdate", "ngay_sinh", "ngaysinh",
               "ngay_thang_nam_sinh", "nam_sinh", "namsinh", "birth_year", "year_of_birth")
    identifying = True
    presence_column = "dob_year"
    correction = "dob"

    def derive(self, values: NDArray[np.object_], out: Columns, n: int) -> NDArray[np.object_]:
        from vnlink.normalize.dates import parse_dates

        parsed = parse_dates(values)
        for key, dtype in self.columns.items():
            out[key] = parsed[key].astype(dtype, copy=False)
        problems: NDArray[np.object_] = parsed["dob_problems"]
        return problems

    def absent(self, out: Columns, n: int) -> None:
        super().absent(out, n)
        out["dob_precision"] = np.full(n, "none", dtype=object)

    def comparison(self) -> Any:
        from vnlink.compare import DateOfBirthComparison

        return DateOfBirthComparison()

    def display(self, table: Any, rows: NDArray[np.int64]) -> NDArray[np.object_]:
        year, month, day = (_ints(table, c, rows) for c in ("dob_year", "dob_month", "dob_day"))
        packed_all = (np.maximum(year, 0) * 10_000 + np.clip(month, 0, 99) * 100
                      + np.clip(day, 0, 99))
        if len(packed_all) <= _FEW_ROWS:  # a lookup's few pairs: each row written
            dates, inverse = packed_all, np.arange(len(packed_all))
        else:
            dates, inverse = np.unique(packed_all, return_inverse=True)
        shown = np.empty(len(dates), dtype=object)  # each distinct date written once
        for i, packed in enumerate(dates.tolist()):
            y, m, d = packed // 10_000, packed // 100 % 100, packed % 100
            if y <= 0:
                shown[i] = ""
            elif m <= 0:
                shown[i] = f"{y:04d}"
            elif d <= 0:
                shown[i] = f"{m:02d}/{y:04d}"
            else:
                shown[i] = f"{d:02d}/{m:02d}/{y:04d}"
        out: NDArray[np.object_] = shown[inverse.reshape(-1)]
        return out


class SexField(FieldSpec):
    """Sex (giới tính): ``M``, ``F`` or empty; from the name's hint when the column is empty."""

    name = "sex"
    columns: ClassVar[dict[str, Any]] = {"sex": object, "sex_source": object}
    aliases = ("sex", "gender", "gioi_tinh", "gioitinh", "gioi")
    presence_column = "sex"
    correction = "sex"

    def derive(
        self, values: NDArray[np.object_], out: Columns, n: int
    ) -> NDArray[np.object_] | None:
        from vnlink.normalize.sex import normalize_sexes

        sex = as_object_array(normalize_sexes(values))
        sex = np.where(sex == None, "", sex).astype(object)  # noqa: E711
        unreadable = (sex == "") & ~_is_blank(values)
        self._fill(sex, out, n)
        if not unreadable.any():
            return None
        problems = np.full(n, "", dtype=object)
        problems[unreadable] = "sex:unrecognized"
        return problems

    def absent(self, out: Columns, n: int) -> None:
        self._fill(np.full(n, "", dtype=object), out, n)

    @staticmethod
    def _fill(sex: NDArray[np.object_], out: Columns, n: int) -> None:
        hint = out.get("_sex_hint", np.full(n, "", dtype=object))
        from_column = sex != ""
        from_name = ~from_column & (hint != "")
        out["sex"] = np.where(from_column, sex, hint).astype(object)
        source = np.full(n, "", dtype=object)
        source[from_column] = "column"
        source[from_name] = "name"
        out["sex_source"] = source

    def comparison(self) -> Any:
        from vnlink.compare import SexComparison

        return SexComparison()


class IdNumberField(FieldSpec):
    """CCCD (12 digits) or CMND (9 or 12 digits), and what a CCCD encodes.

    ``id_cccd`` holds 12-digit numbers and ``id_cmnd9`` 9-digit CMNDs from
    this column or :class:`OldIdNumberField`'s, both empty for placeholders
    such as ``000000000``.
    """

    name = "id_number"
    columns: ClassVar[dict[str, Any]] = {
        "id_kind": object, "id": object, "id_valid": bool, "id_province": object,
        "id_sex": object, "id_birth_year": np.int16, "id_cccd": object, "id_cmnd9": object,
    }
    aliases = (
        "id_number", "cccd", "so_cccd", "cmnd_cccd", "cccd_cmnd", "so_dinh_danh",
        "can_cuoc", "national_id", "so_giay_to", "giay_to",
    )
    identifying = True
    presence_column = "id"
    correction = "id"
    _PARSED = ("id_kind", "id", "id_valid", "id_province", "id_sex", "id_birth_year")

    def derive(self, values: NDArray[np.object_], out: Columns, n: int) -> NDArray[np.object_]:
        from vnlink.normalize.ids import parse_ids

        parsed = parse_ids(values)
        for key in self._PARSED:
            out[key] = parsed[key].astype(self.columns[key], copy=False)
        problems: NDArray[np.object_] = parsed["id_problems"]
        out["_id_placeholder"] = _has_problem(problems, "id:placeholder")
        return problems

    def absent(self, out: Columns, n: int) -> None:
        for key in self._PARSED:
            out.setdefault(key, np.zeros(n, self.columns[key]) if self.columns[key] is not object
                           else np.full(n, "", dtype=object))

    def finish(self, out: Columns, n: int) -> None:
        placeholder = out.pop("_id_placeholder", np.zeros(n, dtype=bool))
        old_cmnd9 = out.pop("_old_cmnd9", np.full(n, "", dtype=object))
        kind = out["id_kind"]
        twelve = ((kind == "cccd") | (kind == "cmnd12")) & ~placeholder
        out["id_cccd"] = np.where(twelve, out["id"], "").astype(object)
        nine = (kind == "cmnd9") & ~placeholder
        out["id_cmnd9"] = np.where(nine, out["id"], old_cmnd9).astype(object)

    def comparison(self) -> Any:
        from vnlink.compare import IdComparison

        return IdComparison()

    def record_flags(self, table: Any, rows: NDArray[np.int64]) -> dict[str, NDArray[np.bool_]]:
        year = _ints(table, "dob_year", rows)
        id_year = _ints(table, "id_birth_year", rows)
        sex, id_sex = _strings(table, "sex", rows), _strings(table, "id_sex", rows)
        return {
            "id_birth_year_conflict": (id_year > 0) & (year > 0) & (id_year != year),
            "id_sex_conflict": (id_sex != "") & (sex != "") & (id_sex != sex),
        }

    def pair_flags(self, left: Any, right: Any, left_rows: NDArray[np.int64],
                   right_rows: NDArray[np.int64]) -> dict[str, NDArray[np.bool_]]:
        """``id_old_cmnd``: the record gave the old 9-digit CMND of a person with a CCCD."""
        kind = _strings(right, "id_kind", right_rows)
        rid = _strings(right, "id", right_rows)
        cmnd = _strings(left, "id_cmnd9", left_rows)
        cccd = _strings(left, "id_cccd", left_rows)
        return {"id_old_cmnd": (kind == "cmnd9") & (rid != "") & (rid == cmnd) & (cccd != "")}

    def display(self, table: Any, rows: NDArray[np.int64]) -> NDArray[np.object_]:
        cccd = _strings(table, "id_cccd", rows)
        return np.where(cccd != "", cccd, _strings(table, "id", rows)).astype(object)


class OldIdNumberField(FieldSpec):
    """A second ID column, such as the registry's old 9-digit CMND (into ``id_cmnd9``)."""

    name = "old_id_number"
    columns: ClassVar[dict[str, Any]] = {}
    aliases = ("old_id_number", "cmnd", "so_cmnd", "cmnd_cu", "old_id")

    def derive(self, values: NDArray[np.object_], out: Columns, n: int) -> NDArray[np.object_]:
        from vnlink.normalize.ids import parse_ids

        old = parse_ids(values)
        usable = (old["id_kind"] == "cmnd9") & ~_has_problem(old["id_problems"], "id:placeholder")
        out["_old_cmnd9"] = np.where(usable, old["id"], "").astype(object)
        problems: NDArray[np.object_] = map_unique(
            lambda p: str(p).replace("id:", "old_id:"), old["id_problems"])
        return problems


class PhoneField(FieldSpec):
    """Phone number in the 10-digit national form (old 11-digit prefixes converted)."""

    name = "phone"
    columns: ClassVar[dict[str, Any]] = {"phone": object}
    aliases = ("phone", "phone_number", "mobile", "so_dien_thoai", "dien_thoai", "sdt", "dt")
    identifying = True
    presence_column = "phone"
    correction = "phone"

    def derive(self, values: NDArray[np.object_], out: Columns, n: int) -> NDArray[np.object_]:
        from vnlink.normalize.phone import parse_phones

        parsed = parse_phones(values)
        out["phone"] = parsed["phone"]
        problems: NDArray[np.object_] = parsed["phone_problems"]
        return problems

    def comparison(self) -> Any:
        from vnlink.compare import PhoneComparison

        return PhoneComparison()


class AddressField(FieldSpec):
    """Address (địa chỉ): unit codes of both eras and the street text.

    In several columns the first is taken to be the street part and the
    others the units (:func:`vnlink.normalize.address.parse_address_columns`).
    """

    name = "address"
    columns: ClassVar[dict[str, Any]] = {
        "province": object, "district": object, "ward": object, "street": object,
        "province_2025": object, "ward_2025": object,
    }
    aliases = ("address", "dia_chi", "diachi", "noi_o", "dia_chi_thuong_tru", "thuong_tru")
    separator = ", "
    presence_column = "province"
    correction = "address"

    def derive(self, values: NDArray[np.object_], out: Columns, n: int) -> NDArray[np.object_]:
        from vnlink.normalize.address import parse_addresses

        return self._store(parse_addresses(values), out)

    def derive_columns(self, parts: list[NDArray[np.object_]], out: Columns, n: int
                       ) -> NDArray[np.object_]:
        """:meth:`derive` for an address given in several columns (street first)."""
        from vnlink.normalize.address import parse_address_columns

        return self._store(parse_address_columns(parts), out)

    def _store(self, parsed: Any, out: Columns) -> NDArray[np.object_]:
        for key in self.columns:
            out[key] = parsed[key]
        out["address_confidence"] = parsed["address_confidence"]
        problems: NDArray[np.object_] = parsed["address_problems"]
        return problems

    def comparison(self) -> Any:
        from vnlink.compare import AddressComparison

        return AddressComparison()

    def pair_flags(self, left: Any, right: Any, left_rows: NDArray[np.int64],
                   right_rows: NDArray[np.int64]) -> dict[str, NDArray[np.bool_]]:
        """``address_old_units``: the record names a district, the registry (2025 form) none."""
        return {"address_old_units": (_strings(right, "district", right_rows) != "")
                & (_strings(left, "district", left_rows) == "")}

    def display(self, table: Any, rows: NDArray[np.int64]) -> NDArray[np.object_]:
        """The address as the user typed it (from the prepared table's source), if known."""
        source = getattr(table, "source", None)
        schema = getattr(table, "schema", None)
        spec = schema.columns_of("address") if schema is not None else ()
        if source is None or not spec:
            return _strings(table, "address", rows)
        if len(rows) <= _FEW_ROWS:  # a lookup's few pairs: only their values are read
            parts = [np.asarray([_address_part(v) for v in np.asarray(source[c])[rows].tolist()],
                                dtype=object).reshape(-1)
                     for c in spec if c in source]
        else:
            parts = [_address_parts(np.asarray(source[c], dtype=object))[rows]
                     for c in spec if c in source]
        out = np.full(len(rows), "", dtype=object)
        if len(parts) == 1:
            out[:] = parts[0]
        elif parts:  # joined with ", ", blanks skipped
            out[:] = [", ".join(filter(None, values))
                      for values in zip(*(p.tolist() for p in parts), strict=True)]
        return out


def _address_parts(column: NDArray[np.object_]) -> NDArray[np.object_]:
    """:func:`_address_part` of every row of a source column (once per distinct value)."""

    def make() -> NDArray[np.object_]:
        distinct, codes = factorize_column(column)
        shown = np.empty(len(distinct), dtype=object)
        shown[:] = [_address_part(v) for v in distinct]
        out: NDArray[np.object_] = shown[codes]
        return out

    return per_column(column, _address_parts, make)


def _address_part(value: Any) -> str:
    """One address column's value as shown (``""`` for None, NaN and blanks)."""
    if value is None or value != value:
        return ""
    text = str(value)
    return text if text.strip() else ""


for _spec in (NameField(), DateOfBirthField(), SexField(), IdNumberField(), OldIdNumberField(),
              PhoneField(), AddressField()):
    register_field(_spec)

# the order the default comparisons come in (a model's columns), whatever the schema order
COMPARISON_ORDER = ("name", "dob", "id_number", "phone", "sex", "address")

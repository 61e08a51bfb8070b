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
import json
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink._bulk import FEW_ROWS as _FEW_ROWS
from vnlink._bulk import as_object_array, combine_codes, factorize
from vnlink._parallel import jobs
from vnlink.exceptions import ConfigurationError
from vnlink.fields import FieldSpec, field_spec, registered_fields
from vnlink.fields.person import AddressField
from vnlink.schema import Schema
from vnlink.table import Table, as_table, record_ids, typed_cells

__all__ = ["DERIVED_COLUMNS", "PreparedTable", "Schema", "prepare", "produced_columns"]


_PREPARED_FORMAT = "vnlink-prepared-table"


def _as_text(values: NDArray[Any]) -> NDArray[Any]:
    """A source column in a form files hold: numbers as they are, anything else as text."""
    if values.dtype != object:
        return values
    out = np.empty(len(values), dtype=object)
    out[:] = [None if v is None else v if isinstance(v, str) else str(v)
              for v in values.tolist()]
    return out


def _derived_columns() -> dict[str, Any]:
    from vnlink.fields.person import (
        AddressField,
        DateOfBirthField,
        IdNumberField,
        NameField,
        PhoneField,
        SexField,
    )

    out: dict[str, Any] = {}
    for spec in (NameField, DateOfBirthField, SexField, IdNumberField, PhoneField, AddressField):
        out.update(spec.columns)
    return out


#: The derived columns of the Vietnamese person fields in every :class:`PreparedTable`,
#: with their dtype (declared by the field specifications, :mod:`vnlink.fields.person`).
DERIVED_COLUMNS: dict[str, Any] = _derived_columns()


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

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Save the prepared table (and its source) as ``.npz`` or ``.parquet``; no pickle.

        Parquet needs pyarrow (``vnlink[parquet]``). The schema goes with the
        data, so :meth:`load` gives back an equal table.

        >>> import tempfile, pathlib
        >>> table = prepare({"ns": ["5/3/1980"]}, Schema(dob="ns"))
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "prepared.npz"
        >>> again = PreparedTable.load(table.save(path))
        >>> again["dob_month"].tolist(), again.schema == table.schema
        ([3], True)
        """
        from vnlink._columnar import store

        target = Path(path)
        meta: dict[str, Any] = {"format": _PREPARED_FORMAT, "version": 1,
                                "schema": self.schema.to_dict(), "n_rows": self.n_rows,
                                "columns": {}, "source": {}}
        if target.suffix.lower() in (".parquet", ".pq"):
            return self._save_parquet(target, meta)
        arrays: dict[str, NDArray[Any]] = {}
        for name in self.column_names:
            meta["columns"][name] = store(arrays, f"c:{name}", self[name])
        for name in self.source.column_names:
            meta["source"][name] = store(arrays, f"s:{name}", _as_text(self.source[name]))
        arrays["meta"] = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), np.uint8)
        with target.open("wb") as handle:
            np.savez_compressed(handle, allow_pickle=False, **arrays)
        return target

    def _save_parquet(self, target: Path, meta: dict[str, Any]) -> Path:
        import pyarrow as pa
        import pyarrow.parquet as pq

        columns: dict[str, Any] = {}
        for prefix, table, kinds in (("c:", self, meta["columns"]),
                                     ("s:", self.source, meta["source"])):
            for name in table.column_names:
                values = table[name] if prefix == "c:" else _as_text(table[name])
                if values.dtype == object and len(values) and isinstance(values[0], tuple):
                    kinds[name] = "tuple"
                    values = np.asarray([";".join(v) for v in values.tolist()], dtype=object)
                elif values.dtype == object:
                    kinds[name] = "str"
                    values = np.asarray(["" if v is None else str(v) for v in values.tolist()],
                                        dtype=object)
                else:
                    kinds[name] = "array"
                columns[prefix + name] = pa.array(values.tolist() if values.dtype == object
                                                  else values)
        arrow = pa.table(columns).replace_schema_metadata(
            {b"vnlink": json.dumps(meta, ensure_ascii=False).encode()})
        pq.write_table(arrow, target)
        return target

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> PreparedTable:
        """Load a table written by :meth:`save` (``.npz`` or ``.parquet``)."""
        from vnlink._columnar import restore
        from vnlink.exceptions import ModelFormatError

        source = Path(path)
        try:
            if source.suffix.lower() in (".parquet", ".pq"):
                import pyarrow.parquet as pq

                arrow = pq.read_table(source)
                meta = json.loads((arrow.schema.metadata or {})[b"vnlink"].decode())
                data: Any = {name: arrow.column(name).to_numpy(zero_copy_only=False)
                             for name in arrow.column_names}
            else:
                with np.load(source, allow_pickle=False) as npz:
                    data = {name: npz[name] for name in npz.files}
                meta = json.loads(bytes(data["meta"]).decode())
            if meta.get("format") != _PREPARED_FORMAT:
                raise ModelFormatError(f"{source.name} is not a prepared table written by "
                                       "PreparedTable.save")
            n = int(meta["n_rows"])
            columns = {name: restore(data, f"c:{name}", kind)
                       for name, kind in meta["columns"].items()}
            raw = {name: restore(data, f"s:{name}", kind)
                   for name, kind in meta["source"].items()}
            schema = Schema.from_dict(meta["schema"])
        except ModelFormatError:
            raise
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ModelFormatError(f"cannot read the prepared table {source.name} "
                                   f"({type(error).__name__}); save it again") from None
        for name, kind in meta["columns"].items():
            if kind == "array" and name in DERIVED_COLUMNS:
                columns[name] = columns[name].astype(DERIVED_COLUMNS[name], copy=False)
        return cls(columns, source=Table(raw, n_rows=n), schema=schema, n_rows=n)

    def raw_columns(self) -> list[str]:
        """The caller's columns kept as they are (those the schema does not name)."""
        made = produced_columns(self.schema)
        return [c for c in self.columns if c not in made]

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
    return combine_codes([factorize(part) for part in plain], n)


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


_NO_PROBLEM: NDArray[np.object_] = np.empty(0, dtype=object)


def _problems_column(parts: list[NDArray[np.object_]], n: int) -> NDArray[np.object_]:
    """Per row, the tuple of problem codes of every ``;``-joined part (once per combination)."""
    parts = [part for part in parts if part is not _NO_PROBLEM]
    out = np.empty(n, dtype=object)
    if not parts or n == 0:
        out[:] = [()] * n
        return out
    if n <= _FEW_ROWS:  # a lookup's record: row by row, without factorizing
        texts = [part.tolist() for part in parts]
        out[:] = [tuple(dict.fromkeys(p for column in texts if column[row]
                                      for p in str(column[row]).split(";") if p))
                  for row in range(n)]
        return out
    factorized = [factorize(part) for part in parts]
    kept = [i for i, (distinct, _) in enumerate(factorized) if any(distinct)]
    parts = [parts[i] for i in kept]  # a part without a problem on any row adds nothing
    first, inverse = combine_codes([factorized[i] for i in kept], n)
    results = np.empty(len(first), dtype=object)
    for u, row in enumerate(first.tolist()):
        problems: list[str] = []
        for part in parts:
            text = part[row]
            if text:
                problems.extend(p for p in str(text).split(";") if p)
        results[u] = tuple(dict.fromkeys(problems))
    return as_object_array(results[inverse])


def _flag(mask: NDArray[np.bool_], code: str, n: int) -> NDArray[np.object_]:
    if not mask.any():
        return _NO_PROBLEM  # a part without a problem: left out of the problems column
    out = np.full(n, "", dtype=object)
    out[mask] = code
    return out


def prepare(
    table: Any, schema: Schema | Mapping[str, Any] | None = None, *, n_jobs: int | None = None
) -> PreparedTable:
    """Derive the comparison-ready columns of ``table`` (see :class:`PreparedTable`).

    Parameters
    ----------
    table
        Any form :func:`vnlink.as_table` accepts: pandas/polars DataFrame,
        pyarrow Table, mapping of columns, list of dicts, CSV/Parquet path.
    schema
        Which column is which: a :class:`Schema`, a mapping of its fields, or
        ``None`` to guess from the headers (:meth:`Schema.infer`).
    n_jobs
        Processes to spread the heaviest work over (address parsing;
        scikit-learn's convention, ``-1``: one per CPU). Default: one.

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
    with jobs(n_jobs):
        return _prepare(as_table(table), schema)


def _prepare(source: Table, schema: Schema | Mapping[str, Any] | None) -> PreparedTable:
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
    out: dict[str, NDArray[Any]] = {}
    problem_parts: list[NDArray[np.object_]] = []
    specs = _specs(schema)
    for spec in specs:
        columns = used.get(spec.name)
        if columns is None:
            spec.absent(out, n)
            continue
        # cells of a type the field cannot hold become missing, flagged <field>:wrong_type
        typed, wrong_type = typed_cells(source, columns, spec.name)
        if wrong_type is not None:
            problem_parts.append(wrong_type)
        problems: NDArray[np.object_] | None
        if isinstance(spec, AddressField) and len(columns) > 1:
            problems = spec.derive_columns([_plain_array(typed[c]) for c in columns], out, n)
        else:
            problems = spec.derive(_input_column(typed, columns, spec.separator), out, n)
        if problems is not None:
            problem_parts.append(problems)
    for spec in specs:
        spec.finish(out, n)
    if "record_id" in used:  # exact text; a repeated id is a SchemaError naming rows
        cols = used["record_id"]
        raw = source[cols[0]] if len(cols) == 1 else _input_column(source, cols, "-")
        record_id, blank = record_ids(raw, what="record_id column")
        problem_parts.append(_flag(blank, "record_id:missing", n))
    else:
        record_id = as_object_array([str(i) for i in range(n)])
    # a column no field derived is empty (made only then: a lookup's record has few rows)
    columns_out = {key: out[key] if key in out else _empty(dtype, n)
                   for key, dtype in DERIVED_COLUMNS.items()}
    for spec in specs:  # fields of the caller's own, after the Vietnamese contract columns
        for key, dtype in spec.columns.items():
            if key not in columns_out:
                columns_out[key] = out[key] if key in out else _empty(dtype, n)
    if "address_confidence" in out:
        columns_out["address_confidence"] = out["address_confidence"]
    columns_out["record_id"] = record_id
    columns_out["problems"] = _problems_column(problem_parts, n)
    consumed = set(schema.columns())
    for name in source.column_names:  # the caller's other columns, kept as they are
        if name not in columns_out and name not in consumed:
            columns_out[name] = source[name]
    return PreparedTable(columns_out, source=source, schema=schema, n_rows=n)


def produced_columns(schema: Schema) -> set[str]:
    """The columns :func:`prepare` derives with ``schema`` (the others are the caller's)."""
    made = {"record_id", "problems", "address_confidence", *DERIVED_COLUMNS}
    for spec in _specs(schema):
        made.update(spec.columns)
    return made


def _specs(schema: Schema) -> list[FieldSpec]:
    """The field specifications to derive: every registered field, then the schema's own."""
    registered = registered_fields()
    specs = list(registered.values())
    specs += [field_spec(name) for name in schema.custom_fields() if name not in registered]
    return specs

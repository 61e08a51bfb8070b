"""Which input column holds which field: :class:`Schema`.

The Vietnamese person fields (name, dob, sex, id_number, old_id_number,
phone, address) and ``record_id`` are known; any other keyword is a field of
the caller's own (``Schema(postcode="pc")``), read with its registered
:class:`~vnlink.fields.FieldSpec` or, when none is registered, kept as
trimmed text (:class:`~vnlink.fields.TextField`).

Examples
--------
>>> Schema(name=("ho", "ten"), dob="ngay_sinh").columns()
['ho', 'ten', 'ngay_sinh']
>>> Schema(record_id="rec_id", postcode="pc").fields_used()
{'record_id': ('rec_id',), 'postcode': ('pc',)}
>>> Schema.from_dict(Schema(phone="sdt").to_dict())
Schema(name=None, dob=None, sex=None, id_number=None, old_id_number=None, phone='sdt', \
address=None, record_id=None)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from vnlink.exceptions import ConfigurationError, SchemaError
from vnlink.table import Table, as_table

__all__ = ["STANDARD_FIELDS", "Column", "Schema"]

Column = str | tuple[str, ...] | None

#: The fields every schema has (``None`` when the table lacks them), in order.
STANDARD_FIELDS = ("name", "dob", "sex", "id_number", "old_id_number", "phone", "address",
                   "record_id")

_RECORD_ID_ALIASES = ("record_id", "rec_id", "ma", "ma_ho_so", "stt", "ma_ban_ghi", "person_id")

# Split name columns (họ / tên đệm / tên), folded; Schema.infer joins them into ``name``
# in that order (family first, as Vietnamese names are written).
_SPLIT_NAME: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] = (
    ("ho", "ho_dem", "ho_va_ten_dem", "family_name", "last_name", "surname"),
    ("ten_dem", "ten_lot", "dem", "middle_name"),
    ("ten", "given_name", "first_name"),
)


def _split_name_columns(folded: Mapping[str, str]) -> tuple[str, ...] | None:
    """The họ (, tên đệm), tên columns when a table splits the name, in that order."""
    family, middle, given = (next((folded[a] for a in aliases if a in folded), None)
                             for aliases in _SPLIT_NAME)
    if family is None or given is None:
        return None
    return tuple(c for c in (family, middle, given) if c is not None)


def _check_column(field: str, value: Any) -> Column:
    if value is None:
        return None
    if isinstance(value, str):
        if value == "":
            raise ConfigurationError(
                f"Schema.{field} is an empty string: give a column name or None")
        return value
    if isinstance(value, list | tuple) and value and all(isinstance(v, str) and v for v in value):
        return tuple(value)
    raise ConfigurationError(
        f"Schema.{field} must be a column name, a tuple of column names or None, "
        f"got {type(value).__name__}"
    )


def _near_miss(field: str) -> str | None:
    """The standard field ``field`` looks like a typo of (one edit away), if any."""
    from rapidfuzz.distance import Levenshtein

    for known in STANDARD_FIELDS:
        if Levenshtein.distance(field, known, score_cutoff=1) <= 1:
            return known
    return None


class Schema:
    """Which input column holds which field; every field is optional.

    Each field is a column name, a tuple of column names (joined with a space
    for ``name`` — e.g. separate họ, tên đệm, tên columns — and with ``", "``
    for ``address``), or ``None`` when the table lacks it.

    When ``address`` has several columns, the first is taken to be the street
    part (house number, alley, street, hamlet) and the others the units, as in
    ``("street_address", "ward", "district", "province")``.

    Parameters
    ----------
    name, dob, sex, id_number, old_id_number, phone, address
        The Vietnamese person fields: full name (họ và tên), date of birth,
        sex, CCCD/CMND, a second (old) ID, phone, address.
    record_id
        A unique id per row; the row number when absent.
    **fields
        Fields of your own (``postcode="pc"``): a registered
        :class:`~vnlink.fields.FieldSpec` of that name, else trimmed text.
        A name one letter away from a standard field (``nam=``) is refused
        as a likely typo.
    """

    __slots__ = ("_columns",)
    _columns: dict[str, Column]

    def __init__(self, name: Column = None, dob: Column = None, sex: Column = None,
                 id_number: Column = None, old_id_number: Column = None, phone: Column = None,
                 address: Column = None, record_id: Column = None, **fields: Column) -> None:
        columns: dict[str, Column] = {}
        given = {"name": name, "dob": dob, "sex": sex, "id_number": id_number,
                 "old_id_number": old_id_number, "phone": phone, "address": address,
                 "record_id": record_id}
        for field, value in given.items():
            columns[field] = _check_column(field, value)
        for field, value in fields.items():
            if not field.isidentifier() or field.startswith("_"):
                raise ConfigurationError(
                    f"a schema field name must be an identifier, got {field!r}")
            typo = _near_miss(field)
            if typo is not None:
                raise ConfigurationError(
                    f"unknown Schema fields ['{field}']: did you mean {typo!r}? The standard "
                    f"fields are: {', '.join(STANDARD_FIELDS)}")
            columns[field] = _check_column(field, value)
        object.__setattr__(self, "_columns", columns)

    def __getattr__(self, field: str) -> Column:
        columns = object.__getattribute__(self, "_columns")
        try:
            return columns[field]  # type: ignore[no-any-return]
        except KeyError:
            raise AttributeError(f"Schema has no field {field!r}") from None

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError("a Schema cannot be changed; build a new one (Schema.replace)")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Schema) and self._columns == other._columns

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._columns.items())))

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self._columns.items())
        return f"Schema({inner})"

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def replace(self, **changes: Column) -> Schema:
        """A copy with some fields changed (``None`` removes a field of your own)."""
        columns = {**self._columns, **changes}
        extra = {k: v for k, v in columns.items() if k not in STANDARD_FIELDS and v is not None}
        return Schema(**{k: columns[k] for k in STANDARD_FIELDS}, **extra)

    def fields_used(self) -> dict[str, tuple[str, ...]]:
        """Field -> its column names, for the fields that are set."""
        out: dict[str, tuple[str, ...]] = {}
        for field, value in self._columns.items():
            if value is not None:
                out[field] = (value,) if isinstance(value, str) else tuple(value)
        return out

    def columns_of(self, field: str) -> tuple[str, ...]:
        """The columns of ``field`` (empty when the field is not set)."""
        return self.fields_used().get(field, ())

    def custom_fields(self) -> list[str]:
        """The fields that are not standard Vietnamese person fields."""
        return [f for f in self._columns if f not in STANDARD_FIELDS]

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
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self._columns.items()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Schema:
        """Rebuild a schema from :meth:`to_dict`; a likely typo raises ConfigurationError."""
        if not isinstance(data, Mapping):
            raise ConfigurationError("a schema must be a mapping of field -> column(s)")
        kwargs = {str(k): tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        return cls(**kwargs)

    @classmethod
    def infer(cls, table: Any) -> Schema:
        """Guess the schema from common English and Vietnamese column headers.

        Headers are compared without case, diacritics, spaces or dashes, so
        "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số điện thoại" and
        "Địa chỉ" are all recognised. The aliases come from each field's
        :class:`~vnlink.fields.FieldSpec`.

        >>> Schema.infer({"Họ và tên": [], "Ngày sinh": [], "SĐT": []})
        Schema(name='Họ và tên', dob='Ngày sinh', sex=None, id_number=None, old_id_number=None, \
phone='SĐT', address=None, record_id=None)
        >>> Schema.infer({"Họ": [], "Tên đệm": [], "Tên": [], "Năm sinh": []}).fields_used()
        {'name': ('Họ', 'Tên đệm', 'Tên'), 'dob': ('Năm sinh',)}
        """
        from vnlink.fields import registered_fields

        names = as_table(table).column_names
        folded = {_fold_header(n): n for n in reversed(names)}
        aliases = {name: spec.aliases for name, spec in registered_fields().items()}
        aliases["record_id"] = _RECORD_ID_ALIASES
        found: dict[str, Any] = {}
        taken: set[str] = set()
        split = _split_name_columns(folded)
        if split is not None:  # "Họ", "Tên đệm", "Tên": the name is the three joined
            found["name"] = split
            taken.update(split)
        for field_name, spellings in aliases.items():
            if field_name in found:
                continue
            for alias in spellings:
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

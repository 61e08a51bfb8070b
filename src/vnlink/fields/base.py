"""What vnlink knows about one field, declared in one place: :class:`FieldSpec`.

A field specification holds everything about one field of a person record:

- the derived columns it makes and how (:meth:`FieldSpec.derive`, which
  normalizes each distinct value once and reports unreadable values as
  problem codes, never as errors);
- the header aliases :meth:`vnlink.Schema.infer` recognises;
- the blocking rules it offers (:meth:`FieldSpec.blocking_rules`);
- its default comparison (:meth:`FieldSpec.comparison`);
- the reason codes it adds, with their texts (:attr:`FieldSpec.reasons`), and
  reasons about the record alone (:meth:`FieldSpec.record_flags`);
- its correction: the value a clerk is shown (:meth:`FieldSpec.display`).

The Vietnamese person fields (:mod:`vnlink.fields.person`) are instances;
a user's own field (a BHYT number, a passport, a postcode) is one more
subclass, registered with :func:`register_field`. A schema field without a
registered specification is a :class:`TextField` (trimmed text, compared as
written), so ``Schema(postcode="pc")`` just works.

Examples
--------
>>> import numpy as np
>>> spec = TextField("postcode")
>>> out = {}
>>> problems = spec.derive(np.array([" 2000", None, ""], dtype=object), out, 3)
>>> out["postcode"].tolist(), problems is None
(['2000', '', ''], True)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from vnlink._bulk import as_object_array, map_unique
from vnlink.exceptions import ConfigurationError

__all__ = [
    "FieldSpec",
    "TextField",
    "empty_column",
    "field_spec",
    "register_field",
    "registered_fields",
]

Columns = dict[str, NDArray[Any]]


def empty_column(dtype: Any, n: int) -> NDArray[Any]:
    """A column of ``n`` missing values: ``""`` for text, ``0`` for numbers."""
    if np.dtype(dtype) == object:
        return np.full(n, "", dtype=object)
    return np.zeros(n, dtype=dtype)


class FieldSpec:
    """Base class of a field specification (subclass it for a field of your own).

    Class attributes
    ----------------
    name
        The schema field (``Schema(<name>=column)``).
    columns
        Derived column -> dtype, every column this field makes (missing =
        ``""`` or ``0``).
    aliases
        Folded header spellings (lower case, no diacritics, ``_`` for spaces)
        that :meth:`vnlink.Schema.infer` maps to this field.
    separator
        How values of several input columns are joined (``" "``: name parts).
    identifying
        A record with a value in :attr:`presence_column` can be linked on it
        (name, date of birth, ID number, phone); a record with none of the
        identifying fields gets ``no_usable_fields``.
    presence_column
        The derived column that tells whether the field has a value.
    correction
        Name of the ``fix_<correction>`` column offered for this field, or
        ``None`` (no correction).
    reasons
        Reason code -> ``{"vi": ..., "en": ...}`` texts this field adds.
    """

    name: ClassVar[str] = ""
    columns: ClassVar[Mapping[str, Any]] = {}
    aliases: ClassVar[tuple[str, ...]] = ()
    separator: ClassVar[str] = " "
    identifying: ClassVar[bool] = False
    presence_column: ClassVar[str | None] = None
    correction: ClassVar[str | None] = None
    reasons: ClassVar[Mapping[str, Mapping[str, str]]] = {}

    def derive(
        self, values: NDArray[np.object_], out: Columns, n: int
    ) -> NDArray[np.object_] | None:
        """Write the derived columns of ``values`` into ``out``; return problem codes per row.

        ``values`` holds one plain value per row (``str``, ``int``, ``None``;
        several input columns already joined with :attr:`separator`). Problem
        codes are ``;``-joined strings (``""`` for none), or ``None`` when no
        row has a problem. Columns derived by fields before this one (in
        :func:`registered_fields` order) are in ``out``.
        """
        raise NotImplementedError

    def absent(self, out: Columns, n: int) -> None:
        """Fill ``out`` when the schema does not have this field (default: missing values)."""
        for column, dtype in self.columns.items():
            out.setdefault(column, empty_column(dtype, n))

    def finish(self, out: Columns, n: int) -> None:
        """Columns made from several fields, after every field was derived (default: none)."""

    def comparison(self) -> Any:
        """The default comparison of this field, or ``None``."""
        return None

    def blocking_rules(self) -> list[Any]:
        """Blocking rules this field offers, most selective first (default: none)."""
        return []

    def record_flags(self, table: Any, rows: NDArray[np.int64]) -> dict[str, NDArray[np.bool_]]:
        """Reason flags about the record itself (not its pair), for ``rows`` of ``table``."""
        return {}

    def pair_flags(self, left: Any, right: Any, left_rows: NDArray[np.int64],
                   right_rows: NDArray[np.int64]) -> dict[str, NDArray[np.bool_]]:
        """Reason flags about a pair that no comparison level says (default: none).

        For what the record *used* rather than how well it agrees: an old
        CMND given where the registry has a CCCD, an address written in the
        units before 2025.
        """
        return {}

    def display(self, table: Any, rows: NDArray[np.int64]) -> NDArray[np.object_]:
        """The value shown for ``rows`` in corrections (default: the presence column)."""
        column = self.presence_column
        if column is None or column not in table:
            return np.full(len(rows), "", dtype=object)
        return _text(np.asarray(table[column])[rows])

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"


def _text(values: NDArray[Any]) -> NDArray[np.object_]:
    out = np.empty(len(values), dtype=object)
    out[:] = ["" if v is None or (isinstance(v, int | np.integer) and v == 0) else str(v)
              for v in values.tolist()]
    return out


_NORMALIZERS: dict[str, Callable[[Any], str]] = {
    "strip": lambda v: " ".join(str(v).split()),
    "lower": lambda v: " ".join(str(v).split()).lower(),
    "digits": lambda v: "".join(ch for ch in str(v) if ch.isdigit()),
    "none": lambda v: str(v),
}


class TextField(FieldSpec):
    """A field kept as text: one derived column named like the field.

    Parameters
    ----------
    name
        The field (and derived column) name.
    normalize
        ``"strip"`` (default: spaces collapsed, case kept), ``"lower"``,
        ``"digits"`` (digits only) or ``"none"``, or a function
        ``value -> str`` called once per distinct value.
    aliases
        Header spellings for :meth:`vnlink.Schema.infer`.

    >>> TextField("bhyt", normalize="digits").columns
    {'bhyt': <class 'object'>}
    """

    def __init__(self, name: str, normalize: str | Callable[[Any], str] = "strip",
                 aliases: tuple[str, ...] = ()) -> None:
        if not isinstance(name, str) or not name.isidentifier():
            raise ConfigurationError(f"a field name must be an identifier, got {name!r}")
        if isinstance(normalize, str):
            if normalize not in _NORMALIZERS:
                raise ConfigurationError(
                    f"normalize must be one of {sorted(_NORMALIZERS)} or a function, "
                    f"got {normalize!r}")
            func = _NORMALIZERS[normalize]
        elif callable(normalize):
            func = normalize
        else:
            raise ConfigurationError("normalize must be a name or a function value -> str")
        self.name = name  # type: ignore[misc]
        self.columns = {name: object}  # type: ignore[misc]
        self.aliases = tuple(aliases)  # type: ignore[misc]
        self.presence_column = name  # type: ignore[misc]
        self.correction = name  # type: ignore[misc]
        self._normalize = func

    def derive(
        self, values: NDArray[np.object_], out: Columns, n: int
    ) -> NDArray[np.object_] | None:
        func = self._normalize

        def one(value: Any) -> str:
            if value is None:
                return ""
            try:
                return func(value) or ""
            except Exception:  # a user's normalizer failing on one value: missing, not a crash
                return ""

        out[self.name] = as_object_array(map_unique(one, values))
        return None

    def comparison(self) -> Any:
        """Exact agreement of the text (:class:`~vnlink.compare.ExactMatch`)."""
        from vnlink.compare import ExactMatch

        return ExactMatch(self.name)


# ---------------------------------------------------------------------------
# fields in the one plug-in registry (vnlink.plugins, kind "field"), in derivation order


def register_field(spec: FieldSpec, *, replace: bool = False) -> FieldSpec:
    """Make ``spec`` the specification of the schema field ``spec.name``; return it.

    Fields are derived in registration order (the Vietnamese person fields
    first). A field registered already (by another class) is replaced only
    with ``replace=True``; a vnlink field cannot be taken by a field of yours.
    """
    from vnlink import plugins

    if not isinstance(spec, FieldSpec) or not spec.name:
        raise ConfigurationError("register_field takes a FieldSpec instance with a name")
    existing = plugins.registered("field").get(spec.name)
    if existing is not None and not replace and type(existing) is not type(spec):
        raise ConfigurationError(
            f"a field called {spec.name!r} is registered already; pass replace=True to replace it")
    if existing is not None and type(existing) is not type(spec):
        plugins.unregister("field", spec.name)
    if spec.reasons:
        from vnlink.reason_texts import declare_reasons

        declare_reasons({k: dict(v) for k, v in spec.reasons.items()})
    plugins.register("field", spec.name)(spec)
    return spec


def registered_fields() -> dict[str, FieldSpec]:
    """The registered field specifications, in derivation order.

    The Vietnamese person fields are registered when :mod:`vnlink.fields` is imported.
    """
    from vnlink import plugins

    return dict(plugins.registered("field"))


def field_spec(name: str) -> FieldSpec:
    """The specification of schema field ``name`` (a :class:`TextField` when none is registered).

    >>> field_spec("dob").columns["dob_year"]
    <class 'numpy.int16'>
    >>> field_spec("postcode")
    TextField('postcode')
    """
    spec = registered_fields().get(name)
    return spec if spec is not None else TextField(name)

"""Reasons and corrections of linked pairs, read from the comparison levels.

A reason has a stable English code (for programs) and a text per locale
(:mod:`vnlink.reason_texts`: Vietnamese for clerks, English). The field
reasons of a pair are the reason codes of the levels its comparisons gave it
(:class:`vnlink.compare.levels.Level`) — nothing is worked out again — plus
the reasons each field declares about the record alone (a CCCD whose birth
year contradicts the date of birth). A correction is offered for a field
whose comparison did not reach an ``exact`` level: the registry's value, in
the form a clerk reads (:meth:`vnlink.fields.FieldSpec.display`).

Examples
--------
>>> import numpy as np
>>> from vnlink.compare import ComparisonSet, DateOfBirthComparison
>>> from vnlink.prepare import Schema, prepare
>>> registry = prepare({"dob": ["05/03/1980"]}, Schema(dob="dob"))
>>> records = prepare({"dob": ["03/05/1980"]}, Schema(dob="dob"))
>>> cset = ComparisonSet([DateOfBirthComparison()])
>>> levels = cset.compute(([0], [0]), registry, records).levels
>>> flags = level_reasons(cset, registry, records, np.array([0]), np.array([0]), levels)
>>> codes, texts = join_codes(flags, 1)
>>> codes.tolist(), texts.tolist()
(['dob_day_month_swapped'], ['ngày sinh: ngày/tháng bị đảo'])
>>> level_corrections(cset, registry, records, np.array([0]), np.array([0]), levels)["corrections"]
array(['dob: 03/05/1980 -> 05/03/1980'], dtype=object)
"""

from __future__ import annotations

import functools
import operator
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink._bulk import FEW_ROWS as _FEW_ROWS
from vnlink._bulk import blank_text
from vnlink.reason_texts import LOCALES, REASON_TEXTS, reason_text

__all__ = [
    "CORRECTION_FIELDS",
    "LOCALES",
    "REASONS",
    "REASON_TEXTS",
    "check_locale",
    "comparison_fields",
    "corrections",
    "explain_links",
    "join_codes",
    "level_corrections",
    "level_reasons",
    "reason_text",
]

#: code -> Vietnamese text, in the order reasons are listed in a result row.
REASONS: dict[str, str] = {code: texts["vi"] for code, texts in REASON_TEXTS.items()}

#: The fields of the Vietnamese person record that corrections are offered for.
CORRECTION_FIELDS = ("name", "dob", "sex", "id", "phone", "address")

_ORDER = {code: i for i, code in enumerate(REASON_TEXTS)}


def check_locale(locale: str) -> str:
    """``locale`` if vnlink has reason texts in it, else ConfigurationError.

    >>> check_locale("en")
    'en'
    """
    from vnlink.exceptions import ConfigurationError

    if locale not in LOCALES:
        raise ConfigurationError(f"locale must be one of {LOCALES}, got {locale!r}")
    return locale


#: comparison_fields answers by id of the set; each entry holds the set itself (no reuse of ids)
_FIELDS_OF: dict[int, tuple[Any, Any, tuple[Any, ...], tuple[Any, ...]]] = {}
_FIELDS_LOCK = threading.Lock()


def comparison_fields(comparisons: Any, fields: Sequence[Any] | None = None) -> list[Any]:
    """The field specification each comparison of the set judges (``None`` if none).

    A comparison belongs to the field whose default comparison has its name,
    else to the field one of whose derived columns it compares. ``fields``:
    the specifications to look in (default: the registered fields).
    """
    from vnlink.fields import registered_fields

    specs = list(registered_fields().values()) if fields is None else list(fields)
    # the same set and fields give the same answer: kept per set (a lookup asks per record)
    cached = _FIELDS_OF.get(id(comparisons))
    if (cached is not None and cached[0] is comparisons and cached[1] is comparisons.comparisons
            and len(cached[2]) == len(specs) and all(map(operator.is_, cached[2], specs))):
        return list(cached[3])
    by_name: dict[str, Any] = {}
    for spec in specs:
        default = spec.comparison()
        if default is not None:
            by_name.setdefault(default.name, spec)
    out: list[Any] = []
    for comparison in comparisons.comparisons:
        found = by_name.get(comparison.name)
        if found is None:
            column = getattr(comparison, "column", None)
            found = next((s for s in specs if column in s.columns), None)
        out.append(found)
    with _FIELDS_LOCK:
        while len(_FIELDS_OF) >= 8:
            del _FIELDS_OF[next(iter(_FIELDS_OF))]
        _FIELDS_OF[id(comparisons)] = (comparisons, comparisons.comparisons, tuple(specs),
                                       tuple(out))
    return out


def _present(table: Any, spec: Any, rows: NDArray[np.int64]) -> NDArray[np.bool_]:
    column = spec.presence_column if spec is not None else None
    if column is None or column not in table:
        return np.ones(len(rows), dtype=bool)
    values = np.asarray(table[column])
    if values.dtype == object:
        present: NDArray[np.bool_] = ~blank_text(values)[rows]
    else:
        present = values[rows] != 0
    return present


def _levels(comparison: Any) -> tuple[Any, ...]:
    """``comparison.levels``, built once per comparison (its parameters fix them)."""
    try:
        return _cached_levels(comparison)
    except TypeError:  # a comparison that cannot be hashed: asked each time
        return tuple(comparison.levels)


@functools.lru_cache(maxsize=256)
def _cached_levels(comparison: Any) -> tuple[Any, ...]:
    return tuple(comparison.levels)


def _exact_levels(comparison: Any) -> NDArray[np.bool_]:
    """Per level of ``comparison``, whether it is exact, then ``False`` (for level ``-1``)."""
    try:
        return _cached_exact(comparison)
    except TypeError:
        return np.asarray([lv.exact for lv in comparison.levels] + [False], dtype=bool)


@functools.lru_cache(maxsize=256)
def _cached_exact(comparison: Any) -> NDArray[np.bool_]:
    exact = np.asarray([lv.exact for lv in _levels(comparison)] + [False], dtype=bool)
    exact.flags.writeable = False
    return exact


def level_reasons(comparisons: Any, left: Any, right: Any, left_rows: NDArray[np.int64],
                 right_rows: NDArray[np.int64], levels: NDArray[np.int8], *,
                 fields: Sequence[Any] | None = None) -> dict[str, NDArray[np.bool_]]:
    """Boolean flag per reason code for aligned (registry row, record row) pairs.

    ``levels`` is the pairs' level matrix. A missing value (level ``-1``) is a
    reason only where the record lacks the value and the registry has it.
    Decision reasons (``low_score``, ``ambiguous`` ...) are the pipeline's.
    """
    li = np.asarray(left_rows, dtype=np.int64)
    ri = np.asarray(right_rows, dtype=np.int64)
    n = len(ri)
    flags: dict[str, NDArray[np.bool_]] = {}

    def add(code: str | None, mask: NDArray[np.bool_]) -> None:
        if code and mask.any():
            flags[code] = flags.get(code, np.zeros(n, dtype=bool)) | mask

    specs = comparison_fields(comparisons, fields)
    for j, comparison in enumerate(comparisons.comparisons):
        column = levels[:, j]
        ladder = _levels(comparison)
        for value in sorted(set(column.tolist())):
            at = column == value
            if value < 0:
                spec = specs[j]
                at &= ~_present(right, spec, ri) & _present(left, spec, li)
                add(comparison.missing_level.reason, at)
            else:
                add(ladder[value].reason, at)
    seen: set[int] = set()
    for spec in specs:
        if spec is not None and id(spec) not in seen:
            seen.add(id(spec))
            for code, mask in spec.record_flags(right, ri).items():
                add(code, mask)
            for code, mask in spec.pair_flags(left, right, li, ri).items():
                add(code, mask)
    return flags


def level_corrections(comparisons: Any, left: Any, right: Any, left_rows: NDArray[np.int64],
                right_rows: NDArray[np.int64], levels: NDArray[np.int8], *,
                fields: Sequence[Any] | None = None) -> dict[str, NDArray[np.object_]]:
    """The registry value of every field whose comparison did not reach an exact level.

    Returns one ``fix_<field>`` column per field with a correction (the
    registry value, ``""`` where the record agrees or the registry has no
    value) and a ``corrections`` column a clerk reads
    (``"dob: 03/05/1980 -> 05/03/1980"``: typed, then the registry's).
    Values are shown (:meth:`~vnlink.fields.FieldSpec.display`) only for the
    pairs whose level is not exact.
    """
    li = np.asarray(left_rows, dtype=np.int64)
    ri = np.asarray(right_rows, dtype=np.int64)
    n = len(ri)
    out: dict[str, NDArray[np.object_]] = {}
    text = np.full(n, "", dtype=object)
    for j, (comparison, spec) in enumerate(zip(comparisons.comparisons,
                                               comparison_fields(comparisons, fields),
                                               strict=True)):
        if spec is None or spec.correction is None:
            continue
        exact = _exact_levels(comparison)
        fix = out.setdefault(f"fix_{spec.correction}", np.full(n, "", dtype=object))
        todo = np.flatnonzero(~exact[levels[:, j].astype(np.int64)])  # -1: trailing False
        if not todo.size:
            continue
        reg, rec = spec.display(left, li[todo]), spec.display(right, ri[todo])
        differs = (reg != "") & (reg != rec)
        rows = todo[differs]
        if rows.size:
            reg, rec = reg[differs], rec[differs]
            fix[rows] = reg
            label = spec.correction
            text[rows] = [f"{before}; {label}: {typed or '(trống)'} -> {value}" if before
                          else f"{label}: {typed or '(trống)'} -> {value}"
                          for before, typed, value in zip(text[rows].tolist(), rec.tolist(),
                                                          reg.tolist(), strict=True)]
    out["corrections"] = text
    return out


def join_codes(flags: dict[str, NDArray[np.bool_]], n: int, *, locale: str = "vi") -> tuple[
    NDArray[np.object_], NDArray[np.object_]
]:
    """Join boolean flags per code into ``;``-joined codes and ``; ``-joined texts.

    Codes are listed in the order of :data:`vnlink.reason_texts.REASON_TEXTS`
    (codes of the caller's own fields after them, alphabetically).

    >>> import numpy as np
    >>> codes, texts = join_codes({"dob_missing": np.array([True, False]),
    ...                            "name_typo": np.array([True, True])}, 2)
    >>> codes.tolist()
    ['name_typo;dob_missing', 'name_typo']
    >>> join_codes({"name_typo": np.array([True])}, 1, locale="en")[1].tolist()
    ['name misspelt']
    """
    check_locale(locale)
    order = sorted(flags, key=lambda c: (_ORDER.get(c, len(_ORDER)), c))
    used = [c for c in order if flags[c] is not None and flags[c].any()]
    if not used or n == 0:
        return np.full(n, "", dtype=object), np.full(n, "", dtype=object)
    if n <= _FEW_ROWS:  # a lookup's few rows: joined row by row, without the packing below
        rows = [[c for c in used if flags[c][i]] for i in range(n)]
        codes_few = np.empty(n, dtype=object)
        texts_few = np.empty(n, dtype=object)
        codes_few[:] = [";".join(row) for row in rows]
        texts_few[:] = ["; ".join(reason_text(c, locale) for c in row) for row in rows]
        return codes_few, texts_few
    # each distinct combination of flags is joined once: rows -> bit pattern -> its text
    matrix = np.zeros((n, len(used)), dtype=bool)
    for j, code in enumerate(used):
        matrix[:, j] = flags[code]
    packed = np.ascontiguousarray(np.packbits(matrix, axis=1))
    del matrix
    keys = packed.view(np.dtype((np.void, packed.shape[1]))).ravel()
    distinct, inverse = np.unique(keys, return_inverse=True)
    patterns = np.unpackbits(distinct.view(np.uint8).reshape(len(distinct), -1), axis=1,
                             count=len(used)).astype(bool)
    names = np.asarray(used, dtype=object)
    code_of = np.empty(len(distinct), dtype=object)
    text_of = np.empty(len(distinct), dtype=object)
    code_of[:] = [";".join(names[p].tolist()) for p in patterns]
    text_of[:] = ["; ".join(reason_text(c, locale) for c in names[p].tolist()) for p in patterns]
    inverse = inverse.reshape(-1)
    return code_of[inverse], text_of[inverse]


def _complete(table: Any) -> Any:
    """``table`` with every derived column of the person fields (missing ones empty)."""
    from vnlink.fields.base import empty_column
    from vnlink.prepare import DERIVED_COLUMNS
    from vnlink.table import Table

    if all(name in table for name in DERIVED_COLUMNS):
        return table
    columns = dict(table.columns)
    for name, dtype in DERIVED_COLUMNS.items():
        columns.setdefault(name, empty_column(dtype, table.n_rows))
    completed = Table(columns, n_rows=table.n_rows)
    for attr in ("source", "schema"):
        if hasattr(table, attr):
            setattr(completed, attr, getattr(table, attr))
    return completed


def _levels_of(comparisons: Any, left: Any, right: Any, li: NDArray[np.int64],
               ri: NDArray[np.int64]) -> tuple[Any, Any, Any, NDArray[np.int8]]:
    from vnlink.compare import ComparisonSet, default_comparisons

    cset = ComparisonSet(default_comparisons()) if comparisons is None else comparisons
    left, right = _complete(left), _complete(right)
    return cset, left, right, cset.compute((li, ri), left, right).levels


def explain_links(left: Any, right: Any, left_rows: NDArray[np.int64],
                  right_rows: NDArray[np.int64], *, comparisons: Any = None,
                  locale: str = "vi") -> tuple[NDArray[np.object_], NDArray[np.object_]]:
    """Reason codes and texts of aligned (registry row, record row) pairs of prepared tables.

    The pairs are compared with ``comparisons`` (default: the Vietnamese
    default comparisons) and the reasons read from their levels; derived
    columns a table lacks count as missing values.
    """
    li = np.asarray(left_rows, dtype=np.int64)
    ri = np.asarray(right_rows, dtype=np.int64)
    cset, left, right, levels = _levels_of(comparisons, left, right, li, ri)
    return join_codes(level_reasons(cset, left, right, li, ri, levels), len(ri), locale=locale)


def corrections(left: Any, right: Any, left_rows: NDArray[np.int64],
                right_rows: NDArray[np.int64], *, comparisons: Any = None
                ) -> dict[str, NDArray[np.object_]]:
    """:func:`level_corrections` of pairs compared with ``comparisons`` (default: the defaults)."""
    li = np.asarray(left_rows, dtype=np.int64)
    ri = np.asarray(right_rows, dtype=np.int64)
    cset, left, right, levels = _levels_of(comparisons, left, right, li, ri)
    return level_corrections(cset, left, right, li, ri, levels)

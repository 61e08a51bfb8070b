"""Bulk parsing of address columns (each distinct text once)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink._bulk import as_object_array, factorize
from vnlink.normalize.address.folding import _HARD_SPLIT, _part
from vnlink.normalize.address.parse import (
    _is_street,
    _rest_address,
    _split_at,
    _street_segment,
    parse_address,
)
from vnlink.normalize.address.result import Address
from vnlink.normalize.gazetteer import _check_era

__all__ = ["parse_address_columns", "parse_addresses"]


def parse_addresses(values: Iterable[Any], *, era: str = "2021") -> dict[str, NDArray[Any]]:
    """Parse a column of addresses; the bulk form used by ``prepare()``.

    Each distinct text is parsed once, and the administrative tail (the last
    three comma segments) is resolved once per distinct tail, so the cost is
    driven by the number of distinct units, not of rows.

    Parameters
    ----------
    values : iterable of str or None
    era : {"2021", "2025"}

    Returns
    -------
    dict of str to numpy.ndarray
        ``street``, ``province``, ``district``, ``ward`` (codes of ``era``),
        ``province_2025``, ``ward_2025`` (object arrays, ``""`` when unknown),
        ``address_confidence`` (float32) and ``address_problems`` (``;``-joined).

    Examples
    --------
    >>> cols = parse_addresses(["P.13, Q3, TPHCM", None, "P.13, Q.3, TP.HCM"])
    >>> cols["ward"].tolist(), cols["province_2025"].tolist()
    (['27136', '', '27136'], ['79', '', '79'])
    >>> cols["address_confidence"].dtype
    dtype('float32')
    """
    era = _check_era(era)
    distinct, inverse = factorize(as_object_array(values))
    n = len(distinct)
    street = np.empty(n, dtype=object)
    province = np.empty(n, dtype=object)
    district = np.empty(n, dtype=object)
    ward = np.empty(n, dtype=object)
    province_2025 = np.empty(n, dtype=object)
    ward_2025 = np.empty(n, dtype=object)
    confidence = np.empty(n, dtype=np.float32)
    problems = np.empty(n, dtype=object)
    for i, value in enumerate(distinct):
        a = parse_address(value, era=era)
        street[i] = a.street
        province[i] = a.province_code
        district[i] = a.district_code
        ward[i] = a.ward_code
        province_2025[i] = a.province_2025
        ward_2025[i] = a.ward_2025
        confidence[i] = a.confidence
        problems[i] = ";".join(a.problems)
    return {
        "street": street[inverse],
        "province": province[inverse],
        "district": district[inverse],
        "ward": ward[inverse],
        "province_2025": province_2025[inverse],
        "ward_2025": ward_2025[inverse],
        "address_confidence": confidence[inverse],
        "address_problems": problems[inverse],
    }


_PARSED_KEYS = (
    "street", "province", "district", "ward", "province_2025", "ward_2025",
    "address_confidence", "address_problems",
)  # fmt: skip


def parse_address_columns(
    columns: Sequence[Iterable[Any]], *, era: str = "2021"
) -> dict[str, NDArray[Any]]:
    """Parse an address typed in several columns, the first one the street part.

    The result is exactly :func:`parse_addresses` of each row's non-blank parts
    (``str(value).strip()`` of every value that is not ``None``, empty ones
    left out) joined with ``", "``, or ``None`` when every part is blank. It is
    faster on a registry: where the first column is a street alone (a house
    number, no unit marker), the other columns are read once per distinct
    combination of them and the street once per distinct street; the other
    rows are parsed whole, once per distinct combination of all the columns.
    The first column need not be a street: such rows are simply parsed whole.

    Parameters
    ----------
    columns : sequence of array-like of str or None
        One or more columns of equal length: the street part (house number,
        alley, street), then the units (e.g. ward, district, province).
    era : {"2021", "2025"}

    Returns
    -------
    dict of str to numpy.ndarray
        The same keys and dtypes as :func:`parse_addresses`.

    Raises
    ------
    ConfigurationError
        If there is no column, the columns differ in length, or ``era`` is not
        ``"2021"`` or ``"2025"``.

    Examples
    --------
    >>> cols = parse_address_columns([
    ...     ["12/3A hẻm 45 Lê Văn Sỹ", "Ấp 3", None],
    ...     ["P.13", "xã Tân Hòa", "Phường Bến Nghé"],
    ...     ["Q3", "huyện Lai Vung", "Quận 1"],
    ...     ["TPHCM", "tỉnh Đồng Tháp", "TP Hồ Chí Minh"],
    ... ])
    >>> cols["ward"].tolist(), cols["street"].tolist()
    (['27136', '30235', '26740'], ['12/3a hem 45 le van sy', 'ap 3', ''])
    >>> joined = parse_addresses(["12/3A hẻm 45 Lê Văn Sỹ, P.13, Q3, TPHCM"])
    >>> cols["ward"][0] == joined["ward"][0] and cols["street"][0] == joined["street"][0]
    True
    """
    from vnlink.exceptions import ConfigurationError

    era = _check_era(era)
    plain = [as_object_array(c) for c in columns]
    if not plain:
        raise ConfigurationError("parse_address_columns needs at least one column (the street)")
    n = len(plain[0])
    if any(len(p) != n for p in plain):
        raise ConfigurationError(
            "parse_address_columns: the columns differ in length "
            f"({', '.join(str(len(p)) for p in plain)}); pass columns of one table"
        )
    s_distinct, s_inv = factorize(plain[0])
    s_text = ["" if v is None else str(v).strip() for v in s_distinct]
    r_first, r_inv = _combination_rows(plain[1:], n)
    r_text = [_joined_parts(plain[1:], row) for row in r_first.tolist()]

    # per distinct street: does the parser's street-first shortcut take it, and how?
    s_ok = np.zeros(len(s_text), dtype=bool)
    s_marked = np.zeros(len(s_text), dtype=np.int64)
    s_street = np.full(len(s_text), "", dtype=object)
    for i, text in enumerate(s_text):
        if not text or _HARD_SPLIT.search(text):
            continue
        head, marks = _part(text)
        if len(head) != 1 or not _is_street(head[0]) or _split_at(head[0]):
            continue
        s_ok[i] = True
        s_marked[i] = marks[0] is not head[0]
        s_street[i] = _street_segment(head[0])
    s_kind = _repair_kinds(s_text)
    r_kind = _repair_kinds([t or "" for t in r_text])
    r_ok = np.array([t is not None for t in r_text], dtype=bool)
    row_s_kind, row_r_kind = s_kind[s_inv], r_kind[r_inv]
    fast = (
        s_ok[s_inv]
        & r_ok[r_inv]
        & (((row_s_kind == 0) & (row_r_kind == 0)) | (row_s_kind == 1) | (row_r_kind == 1))
    )

    # the units of the fast rows, once per (units combination, street has diacritics)
    key = r_inv.astype(np.int64) * 2 + s_marked[s_inv]
    keys, key_inv = np.unique(key[fast], return_inverse=True)
    rests: list[Address | None] = []
    for k in keys.tolist():
        parts = tuple(_HARD_SPLIT.split(", " + str(r_text[k // 2]))[1:])
        rests.append(_rest_address(parts, bool(k % 2), era))
    no_rest = np.array([r is None for r in rests], dtype=bool)
    group = np.zeros(n, dtype=np.intp)
    group[fast] = key_inv.reshape(-1)
    if no_rest.any():  # the shortcut does not apply: parse those rows whole
        fast[np.flatnonzero(fast)[no_rest[key_inv.reshape(-1)]]] = False

    # every other row: parse the joined text, once per distinct combination
    slow = np.flatnonzero(~fast)
    pair = s_inv[slow].astype(np.int64) * len(r_text) + r_inv[slow]
    _, pair_first, pair_inv = np.unique(pair, return_index=True, return_inverse=True)
    wholes: list[str | None] = []
    for row in slow[pair_first].tolist():
        texts = [t for t in (s_text[s_inv[row]], r_text[r_inv[row]]) if t]
        wholes.append(", ".join(texts) if texts else None)
    group[slow] = len(rests) + pair_inv.reshape(-1)

    found = [r if r is not None else Address() for r in rests]
    found += [parse_address(w, era=era) for w in wholes]
    m = len(found)
    cols: dict[str, NDArray[Any]] = {k: np.empty(m, dtype=object) for k in _PARSED_KEYS}
    cols["address_confidence"] = np.empty(m, dtype=np.float32)
    for j, a in enumerate(found):
        cols["street"][j] = a.street
        cols["province"][j] = a.province_code
        cols["district"][j] = a.district_code
        cols["ward"][j] = a.ward_code
        cols["province_2025"][j] = a.province_2025
        cols["ward_2025"][j] = a.ward_2025
        cols["address_confidence"][j] = a.confidence
        cols["address_problems"][j] = ";".join(a.problems)
    out = {k: v[group] for k, v in cols.items()}

    # the street of the fast rows: the street column's text, then what the units left
    fast_rows = np.flatnonzero(fast)
    street = out["street"]
    tail = street[fast_rows]
    street[fast_rows] = s_street[s_inv[fast_rows]]
    with_tail = np.flatnonzero(tail != "")
    if len(with_tail):
        rows = fast_rows[with_tail]
        street[rows] = [f"{h}, {t}" for h, t in zip(street[rows], tail[with_tail], strict=True)]
    return out


def _combination_rows(
    columns: list[NDArray[np.object_]], n: int
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """A row of each distinct combination of the columns' values, and each row's combination.

    The codes are packed into one integer (re-numbered only when the product of
    the numbers of distinct values would overflow), then sorted once.
    """
    combined = np.zeros(n, dtype=np.int64)
    size = 1
    for column in columns:
        distinct, inverse = factorize(column)
        if size * len(distinct) >= 1 << 62:
            combined = np.unique(combined, return_inverse=True)[1].reshape(-1).astype(np.int64)
            size = int(combined.max()) + 1 if n else 1
        combined = combined * len(distinct) + inverse
        size *= max(len(distinct), 1)
    _, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    return first.astype(np.intp), inverse.reshape(-1).astype(np.intp)


def _joined_parts(columns: list[NDArray[np.object_]], row: int) -> str | None:
    """The stripped, non-empty values of ``row`` joined with ``", "`` (None if none)."""
    texts = [str(c[row]).strip() for c in columns if c[row] is not None]
    texts = [t for t in texts if t]
    return ", ".join(texts) if texts else None


def _repair_kinds(texts: list[str]) -> NDArray[np.int8]:
    """Per text: 0 ASCII, 1 has a character no legacy byte shows as, 2 neither.

    :func:`parse_address` first repairs legacy encodings of the whole text; it
    leaves ASCII text alone, and text with a character of kind 1 (real
    Unicode). So ``street + ", " + units`` reads the same as its two parts when
    both are ASCII or either has such a character.
    """
    try:
        from vnlink.normalize.legacy import _non_surface

        unicode_only: re.Pattern[str] | None = _non_surface()
    except ImportError:  # pragma: no cover - no repair module: only ASCII is known safe
        unicode_only = None
    kinds = np.full(len(texts), 2, dtype=np.int8)
    for i, text in enumerate(texts):
        if text.isascii():
            kinds[i] = 0
        elif unicode_only is not None and unicode_only.search(text):
            kinds[i] = 1
    return kinds

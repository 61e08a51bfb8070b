"""Bulk parsing of address columns (each distinct text once)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink._bulk import as_object_array, combine_codes, factorize, spread
from vnlink._parallel import check_jobs, map_parts, requested_jobs
from vnlink.normalize import gazetteer
from vnlink.normalize.address._folding import _HARD_SPLIT, _repair
from vnlink.normalize.address._parse import (
    _ANY,
    _rest_address,
    _street_alone,
    parse_address,
)
from vnlink.normalize.address.result import Address
from vnlink.normalize.gazetteer import check_era

__all__ = ["parse_address_columns", "parse_addresses"]


def parse_addresses(
    values: Iterable[Any], *, era: str | None = None, n_jobs: int | None = None
) -> dict[str, NDArray[Any]]:
    """Parse a column of addresses; the bulk form used by ``prepare()``.

    Each distinct text is parsed once, and the administrative tail (the last
    three comma segments) is resolved once per distinct tail, so the cost is
    driven by the number of distinct units, not of rows.

    Parameters
    ----------
    values : iterable of str or None
    era : {"2021", "2025"}, optional
        Read every address in this form only; by default each is read in the
        form it was written in (see :func:`parse_address`).
    n_jobs : int, optional
        Processes to parse in (``-1``: one per CPU); by default the number the
        enclosing :func:`vnlink.prepare` asks for, else 1. The texts are split by
        their units part, so that each is still read once (see ``vnlink._parallel``).

    Returns
    -------
    dict of str to numpy.ndarray
        ``street``; ``province``, ``district``, ``ward``: 2021-era codes (for an
        address written in the 2025 form: ``ward`` empty, ``district`` the 2021
        district if one was written, ``province`` the old province when the new
        commune lies in one); ``province_2025``, ``ward_2025``: 2025 codes (object
        arrays, ``""`` when unknown); ``address_confidence`` (float32);
        ``address_problems`` (``;``-joined) and ``address_era`` (the form written:
        ``"2021"``, ``"2025"`` or ``""``).

    Examples
    --------
    >>> cols = parse_addresses(["P.13, Q3, TPHCM", None, "Phường Nhiêu Lộc, TP.HCM"])
    >>> cols["ward"].tolist(), cols["ward_2025"].tolist(), cols["address_era"].tolist()
    (['27136', '', ''], ['27142', '', '27142'], ['2021', '', '2025'])
    >>> cols["province"].tolist(), cols["province_2025"].tolist()
    (['79', '', '79'], ['79', '', '79'])
    >>> cols["address_confidence"].dtype
    dtype('float32')
    """
    mode = _ANY if era is None else check_era(era)
    distinct, inverse = factorize(as_object_array(values))
    workers = requested_jobs() if n_jobs is None else check_jobs(n_jobs)
    if workers > 1 and len(distinct) >= _PARALLEL_FROM:
        cols = _parse_in_parts(as_object_array(distinct), era, workers)
    else:
        cols = _parse_distinct(distinct, mode)
    return {k: spread(cols[k], inverse) for k in _PARSED_KEYS}


_PARALLEL_FROM = 20_000
"""Distinct texts below which starting processes costs more than it saves."""


def _parse_in_parts(
    distinct: NDArray[Any], era: str | None, workers: int
) -> dict[str, NDArray[Any]]:
    """:func:`_parse_distinct` in ``workers`` processes, the texts split by their units
    part (after the first comma) so that each distinct units part is read in one."""
    part_of = np.fromiter(
        (hash(v.partition(",")[2] if isinstance(v, str) else "") % workers for v in distinct),
        dtype=np.intp,
        count=len(distinct),
    )
    rows = [np.flatnonzero(part_of == k) for k in range(workers)]
    found = map_parts(_parse_part, [(distinct[r], era) for r in rows], workers)
    cols: dict[str, NDArray[Any]] = {}
    for k in _PARSED_KEYS:
        cols[k] = np.empty(len(distinct), dtype=found[0][k].dtype)
        for r, part in zip(rows, found, strict=True):
            cols[k][r] = part[k]
    return cols


def _parse_part(part: tuple[NDArray[Any], str | None]) -> dict[str, NDArray[Any]]:
    """The columns of one part of the distinct texts (run in a worker process)."""
    values, era = part
    return _parse_distinct(values, _ANY if era is None else check_era(era))


def _parse_distinct(distinct: Sequence[Any] | NDArray[Any], mode: str) -> dict[str, NDArray[Any]]:
    """The columns of :func:`parse_addresses`, one row per distinct text."""
    era = None if mode == _ANY else mode
    unicode_only = _unicode_only()
    units: list[Address | None] = []  # the units part of each distinct tail, then whole parses
    tails: dict[tuple[str, bool], int] = {}
    heads: dict[tuple[bool, str], tuple[bool, str] | None] = {}
    unit_of = np.empty(len(distinct), dtype=np.intp)
    street = np.empty(len(distinct), dtype=object)
    houses: dict[str, tuple[int, str] | None] = {}  # text after a house number -> read
    for i, value in enumerate(distinct):
        # "<street>, <units>": when the first part is a street alone it takes no part in
        # reading the units (see parse_address), so the street is read once per street
        # text, the units once per distinct text. "12/3A Lê Văn Sỹ, <units>": the same,
        # with the house number written in front of the street read once.
        # A text is read so only when no legacy-encoding repair would change it.
        known: tuple[int, str] | None = None
        number = ""
        if not isinstance(value, str):
            pass
        elif (m := _HOUSE.match(value)) is not None:
            number, remainder = m.groups()
            known = houses.get(remainder, _UNSEEN)
            if known is _UNSEEN:
                # digits decode as themselves: the text after them decides the repair
                stable = _stable(value, unicode_only) or _repair(remainder) == remainder
                known = houses[remainder] = (
                    _street_and_units(remainder, heads, tails, units, mode, numbered=True)
                    if stable
                    else None
                )
        elif _stable(value, unicode_only):
            known = _street_and_units(value, heads, tails, units, mode, numbered=False)
        if known is not None:
            u, text = known
            if number:
                short = number.isdigit() and len(number) <= 3
                text = (str(int(number)) if short else number.lower()) + text
            rest = units[u]
            unit_of[i] = u
            street[i] = f"{text}, {rest.street}" if rest is not None and rest.street else text
            continue
        a = parse_address(value, era=era)
        unit_of[i] = len(units)
        units.append(a)
        street[i] = a.street
    cols = _columns([a if a is not None else Address() for a in units])
    out = {k: v[unit_of] for k, v in cols.items() if k != "street"}
    out["street"] = street
    return out


def _street_and_units(
    text: str,
    heads: dict[tuple[bool, str], tuple[bool, str] | None],
    tails: dict[tuple[str, bool], int],
    units: list[Address | None],
    mode: str,
    *,
    numbered: bool,
) -> tuple[int, str] | None:
    """``(index in units of the units read, street text)`` of "<street>, <units...>",
    or ``None`` when its first part is no street alone (then it is parsed whole).
    ``numbered``: ``text`` followed a house number (the street text is what follows it)."""
    cut = _HARD_SPLIT.search(text)
    if cut is None:
        return None
    head_text = text[: cut.start()]
    key = (numbered, head_text)
    head = heads.get(key, _UNSEEN)
    if head is _UNSEEN:
        head = heads[key] = (
            _street_head(head_text) if numbered else _street_alone(head_text)
        )
    if head is None:
        return None
    tail_key = (text[cut.end() :], head[0])
    u = tails.get(tail_key)
    if u is None:
        u = tails[tail_key] = len(units)
        units.append(_rest_address(tuple(_HARD_SPLIT.split(tail_key[0])), head[0], mode))
    if units[u] is None:
        return None
    return u, head[1]


def _stable(text: str, unicode_only: re.Pattern[str] | None) -> bool:
    """Whether ``text`` surely needs no legacy-encoding repair (cheap checks only)."""
    return text.isascii() or (unicode_only is not None and unicode_only.search(text) is not None)


_HOUSE = re.compile(r"\s*(\d{1,4}[A-Za-z]?(?:/\d{1,4}[A-Za-z]?)*)\s+(\S.*)", re.DOTALL)
"""A text that starts with a house number ("12/3A Lê Văn Sỹ, ...")."""
_UNSEEN: Any = object()


def _street_head(text: str) -> tuple[bool, str] | None:
    """``(has diacritics, street text after the number)`` of a first part "<number> <text>"
    that the parser reads as a street alone (``None`` if it does not: see ``_street_first``).
    The house number takes no part in it, so it is read once per street name."""
    found = _street_alone("1 " + text)
    if found is None:
        return None
    marked, written = found
    if written[:1] != "1" or written[1:2] not in ("", " "):  # pragma: no cover - guard
        return None
    return marked, written[1:]


_PARSED_KEYS = (
    "street", "province", "district", "ward", "province_2025", "ward_2025",
    "address_confidence", "address_problems", "address_era",
)  # fmt: skip


def _columns(found: Sequence[Address]) -> dict[str, NDArray[Any]]:
    """The columns of :func:`parse_addresses` for parsed addresses, one row each."""
    m = len(found)
    cols: dict[str, NDArray[Any]] = {k: np.empty(m, dtype=object) for k in _PARSED_KEYS}
    cols["address_confidence"] = np.empty(m, dtype=np.float32)
    street, province, district, ward = (
        cols["street"],
        cols["province"],
        cols["district"],
        cols["ward"],
    )
    province_2025, ward_2025 = cols["province_2025"], cols["ward_2025"]
    problems, era = cols["address_problems"], cols["address_era"]
    confidence = cols["address_confidence"]
    for j, a in enumerate(found):
        street[j] = a.street
        if a.era == "2025":
            province[j] = _old_province(a.ward_2025, a.province_2025)
            ward[j] = ""
        else:
            province[j] = a.province_code
            ward[j] = a.ward_code
        district[j] = a.district_code
        province_2025[j] = a.province_2025
        ward_2025[j] = a.ward_2025
        confidence[j] = a.confidence
        problems[j] = ";".join(a.problems)
        era[j] = a.era
    return cols


@lru_cache(maxsize=1 << 12)
def _old_province(ward_2025: str, province_2025: str) -> str:
    """The 2021 province a 2025 commune (else province) lies in, when it is a single one."""
    if ward_2025:
        units = [gazetteer.unit(c) for c in gazetteer.wards_2021_of(ward_2025)]
        olds = {u.province_code for u in units if u is not None}
    else:
        olds = {
            p.code
            for p in gazetteer.provinces("2021")
            if gazetteer.province_2025_of(p.code) == province_2025
        }
    return olds.pop() if len(olds) == 1 else ""


def parse_address_columns(
    columns: Sequence[Iterable[Any]], *, era: str | None = None
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

    mode = _ANY if era is None else check_era(era)
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
        head = None if _HARD_SPLIT.search(text) else _street_alone(text)
        if head is not None:
            s_ok[i] = True
            s_marked[i], s_street[i] = head
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
        rests.append(_rest_address(parts, bool(k % 2), mode))
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
    cols = _columns(found)
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
    """A row of each distinct combination of the columns' values, and each row's combination."""
    return combine_codes([factorize(column) for column in columns], n)


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
    unicode_only = _unicode_only()
    kinds = np.full(len(texts), 2, dtype=np.int8)
    for i, text in enumerate(texts):
        if text.isascii():
            kinds[i] = 0
        elif unicode_only is not None and unicode_only.search(text):
            kinds[i] = 1
    return kinds


def _unicode_only() -> re.Pattern[str] | None:
    """A pattern of the characters no legacy byte shows as (text holding one is Unicode)."""
    try:
        from vnlink.normalize.legacy import non_surface

        return non_surface()
    except ImportError:  # pragma: no cover - no repair module: only ASCII is known safe
        return None

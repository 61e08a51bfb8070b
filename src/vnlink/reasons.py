"""Reasons and corrections for linked pairs, in words a clerk can act on.

Each reason has a stable English code (for programs) and a Vietnamese text
(for people). :data:`REASONS` lists them all. :func:`explain_links` derives
the reasons of each chosen (registry row, record row) pair from the prepared
columns, in bulk; :func:`corrections` gives, for each pair, the registry
value of every field that disagrees ("dob: 05/03/1980 -> 03/05/1980").

Examples
--------
>>> import numpy as np
>>> from vnlink._table import Table
>>> registry = Table({"dob_year": np.array([1980], np.int16),
...                   "dob_month": np.array([5], np.int8), "dob_day": np.array([3], np.int8)})
>>> records = Table({"dob_year": np.array([1980], np.int16),
...                  "dob_month": np.array([3], np.int8), "dob_day": np.array([5], np.int8)})
>>> codes, texts = explain_links(registry, records, np.array([0]), np.array([0]))
>>> codes.tolist(), texts.tolist()
(['dob_day_month_swapped'], ['ngày sinh: ngày/tháng bị đảo'])
>>> corrections(registry, records, np.array([0]), np.array([0]))["corrections"].tolist()
['dob: 05/03/1980 -> 03/05/1980']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink.exceptions import ConfigurationError

__all__ = [
    "CORRECTION_FIELDS",
    "LOCALES",
    "REASONS",
    "check_locale",
    "corrections",
    "explain_links",
    "join_codes",
    "reason_flags",
    "reason_text",
]

#: code -> Vietnamese text, in the order reasons are listed in a result row.
REASONS: dict[str, str] = {
    # decisions
    "no_usable_fields": (
        "bản ghi không có thông tin dùng được (tên, ngày sinh, số giấy tờ trống/sai)"
    ),
    "no_candidates": "không tìm thấy người nào gần giống trong CSDL dân cư",
    "low_score": "điểm khớp chưa đủ cao để tự động liên kết",
    "ambiguous": "hai người gần bằng điểm (sinh đôi, cha/con trùng tên?): cần người kiểm tra",
    "identity_conflict": (
        "giấy tờ/điện thoại khớp nhưng họ tên và ngày sinh đều khác (dùng giấy tờ người thân?)"
    ),
    # identity documents
    "id_one_digit": "số CCCD sai 1 chữ số",
    "id_transposed": "số CCCD đảo 2 chữ số liền nhau",
    "id_old_cmnd": "dùng số CMND cũ (9 số) thay cho CCCD",
    "id_different": "số giấy tờ khác",
    "id_missing": "thiếu số CCCD",
    "id_birth_year_conflict": "năm sinh trong CCCD khác ngày sinh",
    "id_sex_conflict": "giới tính trong CCCD khác giới tính khai báo",
    # names
    "name_no_diacritics": "họ tên gõ không dấu",
    "middle_name_missing": "thiếu tên đệm",
    "name_typo": "họ tên gõ sai chính tả",
    "name_different": "họ tên khác",
    # date of birth
    "dob_day_month_swapped": "ngày sinh: ngày/tháng bị đảo",
    "dob_year_different": "năm sinh khác",
    "dob_year_only": "chỉ có năm sinh",
    "dob_missing": "thiếu ngày sinh",
    "dob_different": "ngày sinh khác",
    # other fields
    "sex_different": "giới tính khác",
    "phone_different": "số điện thoại khác",
    "address_old_units": "địa chỉ cũ (trước 2025)",
    "address_different": "địa chỉ khác",
}

#: The languages reason texts come in.
LOCALES = ("vi", "en")


def check_locale(locale: str) -> str:
    """``locale`` if vnlink has reason texts in it, else ConfigurationError.

    >>> check_locale("en")
    'en'
    """
    if locale not in LOCALES:
        raise ConfigurationError(f"locale must be one of {LOCALES}, got {locale!r}")
    return locale


def reason_text(code: str, locale: str = "vi") -> str:
    """The text of reason ``code`` in ``locale``."""
    if locale == "vi":
        return REASONS.get(code, code)
    return code.replace("_", " ")


#: fields that :func:`corrections` can give a registry value for.
CORRECTION_FIELDS = ("name", "dob", "sex", "id", "phone", "address")


def _col(table: Any, name: str, rows: NDArray[np.int64], default: Any) -> NDArray[Any]:
    """``table[name][rows]``, or ``default`` repeated when the table lacks the column."""
    if name in table:
        return np.asarray(table[name])[rows]
    return np.full(len(rows), default, dtype=object if isinstance(default, str) else np.int64)


def _strings(table: Any, name: str, rows: NDArray[np.int64]) -> NDArray[np.object_]:
    values = _col(table, name, rows, "")
    if values.dtype == object and not (values == None).any():  # noqa: E711 - elementwise
        return values  # derived string columns: str already, "" for missing
    out = np.empty(len(values), dtype=object)
    out[:] = ["" if v is None else str(v) for v in values.tolist()]
    return out


def _ints(table: Any, name: str, rows: NDArray[np.int64]) -> NDArray[np.int64]:
    return np.asarray(_col(table, name, rows, 0), dtype=np.int64)


_vec_isascii: Callable[[Any], Any] = np.frompyfunc(lambda s: str(s).isascii(), 1, 1)


def _digit_matrix(values: NDArray[np.object_], width: int) -> NDArray[np.uint32]:
    """Each string as a row of ``width`` code points (shorter strings are padded with 0)."""
    fixed = np.asarray(values.tolist(), dtype=f"<U{width}") if len(values) else np.empty(
        0, dtype=f"<U{width}"
    )
    return fixed.view(np.uint32).reshape(len(values), width)


def _id_errors(a: NDArray[np.object_], b: NDArray[np.object_]) -> tuple[
    NDArray[np.bool_], NDArray[np.bool_]
]:
    """(one wrong digit, two adjacent digits swapped) for aligned digit strings."""
    n = len(a)
    one = np.zeros(n, dtype=bool)
    swapped = np.zeros(n, dtype=bool)
    la = np.fromiter((len(s) for s in a.tolist()), dtype=np.int64, count=n)
    lb = np.fromiter((len(s) for s in b.tolist()), dtype=np.int64, count=n)
    rows = np.flatnonzero((la == lb) & (la > 0) & (a != b))
    if rows.size == 0:
        return one, swapped
    width = int(la[rows].max())
    ma = _digit_matrix(a[rows], width)
    mb = _digit_matrix(b[rows], width)
    diff = ma != mb
    n_diff = diff.sum(axis=1)
    one[rows[n_diff == 1]] = True
    two = np.flatnonzero(n_diff == 2)
    if two.size:
        d = diff[two]
        first = d.argmax(axis=1)
        adjacent = (first + 1 < width) & d[np.arange(len(two)), np.minimum(first + 1, width - 1)]
        r = np.arange(len(two))
        nxt = np.minimum(first + 1, width - 1)
        crossed = (ma[two][r, first] == mb[two][r, nxt]) & (ma[two][r, nxt] == mb[two][r, first])
        swapped[rows[two[adjacent & crossed]]] = True
    return one, swapped


def join_codes(flags: dict[str, NDArray[np.bool_]], n: int, *, locale: str = "vi") -> tuple[
    NDArray[np.object_], NDArray[np.object_]
]:
    """Join boolean flags per code into ``;``-joined codes and ``; ``-joined Vietnamese texts.

    Codes are listed in the order of :data:`REASONS`.

    >>> import numpy as np
    >>> codes, texts = join_codes({"dob_missing": np.array([True, False]),
    ...                            "name_typo": np.array([True, True])}, 2)
    >>> codes.tolist()
    ['name_typo;dob_missing', 'name_typo']
    >>> texts.tolist()[1]
    'họ tên gõ sai chính tả'
    """
    codes = np.full(n, "", dtype=object)
    texts = np.full(n, "", dtype=object)
    for code in REASONS:
        mask = flags.get(code)
        if mask is None or not mask.any():
            continue
        rows = np.flatnonzero(mask)
        sep_c = np.where(codes[rows] == "", "", ";").astype(object)
        sep_t = np.where(texts[rows] == "", "", "; ").astype(object)
        codes[rows] = codes[rows] + sep_c + code
        texts[rows] = texts[rows] + sep_t + reason_text(code, locale)
    return codes, texts


def _similarity(a: NDArray[np.object_], b: NDArray[np.object_]) -> NDArray[np.float64]:
    """Normalized Indel similarity of aligned strings (rapidfuzz, in bulk), 0..1."""
    if len(a) == 0:
        return np.zeros(0)
    from rapidfuzz import fuzz, process

    scores = process.cpdist(a.tolist(), b.tolist(), scorer=fuzz.ratio, workers=1)
    return np.asarray(scores, dtype=np.float64) / 100.0


def reason_flags(
    left: Any, right: Any, left_rows: NDArray[np.int64], right_rows: NDArray[np.int64]
) -> dict[str, NDArray[np.bool_]]:
    """Boolean flag per reason code for each aligned pair (registry row, record row).

    Only the field-level reasons are set here; decision reasons (``low_score``,
    ``ambiguous`` ...) are the Linker's.
    """
    li = np.asarray(left_rows, dtype=np.int64)
    ri = np.asarray(right_rows, dtype=np.int64)
    flags: dict[str, NDArray[np.bool_]] = {}

    # --- date of birth
    ly, lm, ld = (_ints(left, "dob_year", li), _ints(left, "dob_month", li),
                  _ints(left, "dob_day", li))
    ry, rm, rd = (_ints(right, "dob_year", ri), _ints(right, "dob_month", ri),
                  _ints(right, "dob_day", ri))
    left_full = (ly > 0) & (lm > 0) & (ld > 0)
    right_full = (ry > 0) & (rm > 0) & (rd > 0)
    same = (ly == ry) & (lm == rm) & (ld == rd)
    swapped = left_full & right_full & (ly == ry) & (rd == lm) & (rm == ld) & (rd != rm)
    year_diff = left_full & right_full & (lm == rm) & (ld == rd) & (ly != ry)
    flags["dob_day_month_swapped"] = swapped
    flags["dob_year_different"] = year_diff
    flags["dob_missing"] = (ry == 0) & (ly > 0)
    flags["dob_year_only"] = (ry > 0) & ((rm == 0) | (rd == 0)) & left_full
    flags["dob_different"] = (
        (ly > 0) & (ry > 0) & ~same & ~swapped & ~year_diff
        & ~(flags["dob_year_only"] & (ly == ry))
    )

    # --- identity documents
    rid = _strings(right, "id", ri)
    lid = _strings(left, "id", li)
    lcccd = _strings(left, "id_cccd", li)
    lcmnd = _strings(left, "id_cmnd9", li)
    rkind = _strings(right, "id_kind", ri)
    l_main = np.where(lcccd != "", lcccd, lid).astype(object)
    has_r = rid != ""
    has_l = (l_main != "") | (lcmnd != "")
    exact = has_r & ((rid == lid) | (rid == lcccd) | ((rid == lcmnd) & (lcmnd != "")))
    old_cmnd = has_r & (rkind == "cmnd9") & (rid == lcmnd) & (lcccd != "")
    one, transposed = _id_errors(rid, l_main)
    flags["id_one_digit"] = has_r & ~exact & one
    flags["id_transposed"] = has_r & ~exact & transposed
    flags["id_old_cmnd"] = old_cmnd
    flags["id_different"] = has_r & has_l & ~exact & ~one & ~transposed
    flags["id_missing"] = ~has_r & has_l
    r_id_year = _ints(right, "id_birth_year", ri)
    flags["id_birth_year_conflict"] = (r_id_year > 0) & (ry > 0) & (r_id_year != ry)
    r_sex = _strings(right, "sex", ri)
    r_id_sex = _strings(right, "id_sex", ri)
    flags["id_sex_conflict"] = (r_id_sex != "") & (r_sex != "") & (r_id_sex != r_sex)

    # --- names
    lfold, rfold = _strings(left, "name_fold", li), _strings(right, "name_fold", ri)
    lname, rname = _strings(left, "name", li), _strings(right, "name", ri)
    both = (lfold != "") & (rfold != "")
    same_fold = both & (lfold == rfold)
    rascii = np.asarray(_vec_isascii(rname), dtype=bool) if len(rname) else np.zeros(0, bool)
    lascii = np.asarray(_vec_isascii(lname), dtype=bool) if len(lname) else np.zeros(0, bool)
    flags["name_no_diacritics"] = same_fold & rascii & ~lascii
    lmid, rmid = _strings(left, "middle", li), _strings(right, "middle", ri)
    lfam, rfam = _strings(left, "family", li), _strings(right, "family", ri)
    lgiv, rgiv = _strings(left, "given", li), _strings(right, "given", ri)
    middle_missing = both & (rmid == "") & (lmid != "") & (lfam == rfam) & (lgiv == rgiv)
    flags["middle_name_missing"] = middle_missing
    other = both & ~same_fold & ~middle_missing
    similar = np.zeros(len(li), dtype=bool)
    rows = np.flatnonzero(other)
    similar[rows] = _similarity(lfold[rows], rfold[rows]) >= 0.8
    flags["name_typo"] = other & similar
    flags["name_different"] = other & ~similar

    # --- sex, phone, address
    l_sex = _strings(left, "sex", li)
    flags["sex_different"] = (l_sex != "") & (r_sex != "") & (l_sex != r_sex)
    lphone, rphone = _strings(left, "phone", li), _strings(right, "phone", ri)
    flags["phone_different"] = (lphone != "") & (rphone != "") & (lphone != rphone)
    lp, rp = _strings(left, "province_2025", li), _strings(right, "province_2025", ri)
    lw, rw = _strings(left, "ward_2025", li), _strings(right, "ward_2025", ri)
    r_district = _strings(right, "district", ri)
    l_district = _strings(left, "district", li)
    r_problems = _strings(right, "address_problems", ri)
    old_flag = np.asarray([("old" in p) for p in r_problems.tolist()], dtype=bool)
    flags["address_old_units"] = ((r_district != "") & (l_district == "")) | old_flag
    differ = ((lp != "") & (rp != "") & (lp != rp)) | ((lw != "") & (rw != "") & (lw != rw))
    flags["address_different"] = differ
    return flags


def explain_links(
    left: Any, right: Any, left_rows: NDArray[np.int64], right_rows: NDArray[np.int64]
) -> tuple[NDArray[np.object_], NDArray[np.object_]]:
    """Reason codes and Vietnamese texts for each aligned (registry row, record row) pair.

    Parameters
    ----------
    left, right
        The prepared registry and records (tables with the derived columns;
        missing columns count as missing values).
    left_rows, right_rows
        Aligned row indices of the pairs to explain.

    Returns
    -------
    codes, texts
        Object arrays: ``;``-joined codes and ``; ``-joined Vietnamese texts
        (``""`` when the pair agrees on everything).
    """
    flags = reason_flags(left, right, left_rows, right_rows)
    return join_codes(flags, len(left_rows))


def _format_dob(year: NDArray[np.int64], month: NDArray[np.int64], day: NDArray[np.int64]) -> (
    NDArray[np.object_]
):
    out = np.empty(len(year), dtype=object)
    for i, (y, m, d) in enumerate(zip(year.tolist(), month.tolist(), day.tolist(), strict=True)):
        if y <= 0:
            out[i] = ""
        elif m <= 0:
            out[i] = f"{y:04d}"
        elif d <= 0:
            out[i] = f"{m:02d}/{y:04d}"
        else:
            out[i] = f"{d:02d}/{m:02d}/{y:04d}"
    return out


def _field_values(table: Any, rows: NDArray[np.int64]) -> dict[str, NDArray[np.object_]]:
    """Display value of each correction field (prepared forms; address from the source)."""
    values = {
        "name": _strings(table, "name", rows),
        "dob": _format_dob(_ints(table, "dob_year", rows), _ints(table, "dob_month", rows),
                           _ints(table, "dob_day", rows)),
        "sex": _strings(table, "sex", rows),
        "phone": _strings(table, "phone", rows),
    }
    cccd = _strings(table, "id_cccd", rows)
    values["id"] = np.where(cccd != "", cccd, _strings(table, "id", rows)).astype(object)
    values["address"] = _source_address(table, rows)
    return values


def _source_address(table: Any, rows: NDArray[np.int64]) -> NDArray[np.object_]:
    """The address as the user typed it (from ``table.source`` and ``table.schema``) if known."""
    source = getattr(table, "source", None)
    schema = getattr(table, "schema", None)
    spec = getattr(schema, "address", None) if schema is not None else None
    if source is None or not spec:
        return _strings(table, "address", rows)
    columns = (spec,) if isinstance(spec, str) else tuple(spec)
    parts = [np.asarray(source[c], dtype=object)[rows] for c in columns if c in source]
    out = np.empty(len(rows), dtype=object)
    out[:] = [
        ", ".join(str(p) for p in values if p is not None and str(p).strip() and p == p)
        for values in zip(*parts, strict=True)
    ] if parts else ""
    return out


def corrections(
    left: Any,
    right: Any,
    left_rows: NDArray[np.int64],
    right_rows: NDArray[np.int64],
    *,
    fields: tuple[str, ...] = CORRECTION_FIELDS,
) -> dict[str, NDArray[np.object_]]:
    """The registry value of every field where a record disagrees with its linked person.

    Returns one ``fix_<field>`` column per field (the registry value, ``""``
    where the record already agrees or the registry has no value) and a
    ``corrections`` column a clerk can read (``"dob: 05/03/1980 -> 03/05/1980"``).
    A field counts as disagreeing when the normalized values differ (a name
    typed without diacritics is corrected to the registry's spelling).
    """
    li = np.asarray(left_rows, dtype=np.int64)
    ri = np.asarray(right_rows, dtype=np.int64)
    lv = _field_values(left, li)
    rv = _field_values(right, ri)
    out: dict[str, NDArray[np.object_]] = {}
    text = np.full(len(li), "", dtype=object)
    for field in fields:
        reg, rec = lv[field], rv[field]
        if field == "address":
            lp, rp = _strings(left, "province_2025", li), _strings(right, "province_2025", ri)
            lw, rw = _strings(left, "ward_2025", li), _strings(right, "ward_2025", ri)
            r_district = _strings(right, "district", ri)
            l_district = _strings(left, "district", li)
            differs = (lp != rp) | (lw != rw) | ((r_district != "") & (l_district == ""))
            differs &= lp != ""
        else:
            differs = reg != rec
        differs &= reg != ""
        fix = np.full(len(li), "", dtype=object)
        fix[differs] = reg[differs]
        out[f"fix_{field}"] = fix
        rows = np.flatnonzero(differs)
        if rows.size:
            shown = np.where(rec[rows] == "", "(trống)", rec[rows]).astype(object)
            piece = field + ": " + shown + " -> " + reg[rows]
            sep = np.where(text[rows] == "", "", "; ").astype(object)
            text[rows] = text[rows] + sep + piece
    out["corrections"] = text
    return out

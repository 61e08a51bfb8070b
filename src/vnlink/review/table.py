"""The review table: each record a person must check, next to its best candidates.

:func:`review_table` takes a :class:`~vnlink.LinkResult`, the registry and
records it was made from, and the fitted linker, and returns a
:class:`ReviewTable` with one row per (record, candidate) for the records in
``review`` (best candidate first, up to ``top_k`` per record). Each row holds:

- the record's status, reasons (codes and Vietnamese), probability and margin;
- for every person field, the value on both sides as typed and as normalized
  (``record_name``, ``registry_name``, ``record_name_norm``, ``registry_name_norm`` ...);
- for every comparison, the level label and the weight it added
  (``level_name``, ``weight_name`` ...), and the prior (``prior_weight``);
- a ``group`` (the record's commune and province, or its vaccination site) and
  a ``priority`` rank (1 = look first: smallest margin to the runner-up, then
  the probability closest to the verified threshold).

Examples
--------
>>> from vnlink import Linker
>>> from vnlink.datasets import CorruptionProfile, synthetic_linkage
>>> registry, records, _ = synthetic_linkage(300, seed=4, profile=CorruptionProfile.heavy())
>>> linker = Linker(progress=False).fit(registry, records)
>>> result = linker.link(registry, records)
>>> table = result.review_table(registry, records)   # = review_table(result, ..., linker)
>>> n_review = int((result["status"] == "review").sum())
>>> len(set(table["record_id"].tolist())) == n_review
True
>>> {"record_name", "registry_name_norm", "level_name", "weight_dob"} <= set(table.columns)
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink.exceptions import ConfigurationError
from vnlink.review._pairs import ScoredPairs, scored_pairs
from vnlink.table import Table, as_table

__all__ = ["FIELDS", "ReviewTable", "normalized_values", "review_table", "typed_values"]

#: Person fields shown side by side: schema field -> Vietnamese label.
FIELDS: dict[str, str] = {
    "name": "Họ tên",
    "dob": "Ngày sinh",
    "sex": "Giới tính",
    "id_number": "Số giấy tờ",
    "phone": "Điện thoại",
    "address": "Địa chỉ",
}

_SITE_COLUMNS = ("site", "vaccination_site", "co_so_tiem", "noi_tiem", "diem_tiem")


class ReviewTable:
    """Rows of :func:`review_table` (a :class:`~vnlink.Table` in ``.table``).

    Shows as a bounded HTML table in a notebook (the first ``20`` rows).
    """

    def __init__(self, table: Table, *, fields: Sequence[str], comparisons: Sequence[str],
                 thresholds: dict[str, float]) -> None:
        self.table = table
        self.fields = list(fields)
        self.comparisons = list(comparisons)
        self.thresholds = dict(thresholds)

    def __len__(self) -> int:
        return self.table.n_rows

    def __getitem__(self, column: str) -> NDArray[Any]:
        return self.table[column]

    @property
    def columns(self) -> list[str]:
        """The column names."""
        return self.table.column_names

    @property
    def n_records(self) -> int:
        """Distinct records in the table."""
        return len(set(self.table["record_id"].tolist())) if len(self) else 0

    def to_dicts(self) -> list[dict[str, Any]]:
        """The rows as plain dicts."""
        return self.table.to_dicts()

    def to_pandas(self) -> Any:
        """A pandas DataFrame (needs pandas)."""
        return self.table.to_pandas()

    def __repr__(self) -> str:
        return f"ReviewTable({self.n_records:,} records, {len(self):,} candidate rows)"

    def _repr_html_(self) -> str:
        from vnlink.review._html import bounded_table_html

        shown = ["record_id", "rank", "person_id", "pair_probability", "reasons",
                 *[f"{side}_{f}" for f in self.fields for side in ("record", "registry")]]
        return bounded_table_html(self.table, [c for c in shown if c in self.table],
                                  title=repr(self))


def _text(values: NDArray[Any]) -> list[str]:
    return ["" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
            for v in values.tolist()]


def typed_values(table: Table, schema: Any, rows: NDArray[np.int64]) -> dict[str, list[str]]:
    """Each person field of ``rows`` as typed (several columns joined with ``", "``)."""
    used = schema.fields_used()
    out: dict[str, list[str]] = {}
    for field in FIELDS:
        cols = [c for c in used.get(field, ()) if c in table]
        if field == "id_number" and "old_id_number" in used:
            cols += [c for c in used["old_id_number"] if c in table]
        parts = [_text(table[c][rows]) for c in cols]
        if not parts:
            out[field] = [""] * rows.size
            continue
        sep = " / " if field == "id_number" else ", "
        out[field] = [sep.join(p for p in row if p.strip()) for row in zip(*parts, strict=True)]
    return out


def _unit_name(code: str, level: str) -> str:
    from vnlink.normalize.gazetteer import unit

    u = unit(code, level=level) if code else None
    return getattr(u, "full_name", "") if u is not None else ""


def normalized_values(prepared: Any, rows: NDArray[np.int64]) -> dict[str, list[str]]:
    """Each person field of ``rows`` of a prepared table, as vnlink reads it."""
    n = rows.size

    def col(name: str) -> list[str]:
        return _text(prepared[name][rows]) if name in prepared else [""] * n

    def num(name: str) -> list[int]:
        if name not in prepared:
            return [0] * n
        return [int(v) for v in np.asarray(prepared[name])[rows].tolist()]

    years, months, days = num("dob_year"), num("dob_month"), num("dob_day")
    dob = [(f"{d:02d}/" if d else "") + (f"{m:02d}/" if m else "") + (str(y) if y else "")
           for y, m, d in zip(years, months, days, strict=True)]
    kinds, ids = col("id_kind"), col("id")
    id_text = [f"{i} ({k.upper()})" if i and k else i for i, k in zip(ids, kinds, strict=True)]
    names_cache: dict[tuple[str, str], str] = {}

    def unit_name(code: str, level: str) -> str:
        key = (code, level)
        if key not in names_cache:
            names_cache[key] = _unit_name(code, level)
        return names_cache[key]

    address = []
    for street, ward, district, province in zip(col("street"), col("ward"), col("district"),
                                                col("province"), strict=True):
        parts = [street, unit_name(ward, "ward"), unit_name(district, "district"),
                 unit_name(province, "province")]
        address.append(", ".join(p for p in parts if p))
    return {"name": col("name"), "dob": dob, "sex": col("sex"), "id_number": id_text,
            "phone": col("phone"), "address": address}


def _groups(records: Table, right: Any, rows: NDArray[np.int64], group_by: str | None
            ) -> list[str]:
    if group_by is None:
        for name in _SITE_COLUMNS:
            if name in records:
                return _text(records[name][rows])
        group_by = "commune"
    if group_by in records:
        return _text(records[group_by][rows])
    if group_by not in ("province", "commune"):
        raise ConfigurationError(
            f"group_by must be 'province', 'commune' or a column of the records; got {group_by!r}"
        )
    norm = normalized_values(right, rows)["address"]
    out = []
    for text in norm:
        parts = [p for p in text.split(", ") if p]
        units = parts[-1:] if group_by == "province" else parts[-3:]
        out.append(", ".join(u for u in units if u) or "(không rõ địa bàn)")
    return out


def review_table(result: Any, registry: Any, records: Any, linker: Any, *, top_k: int = 2,
                 statuses: Sequence[str] = ("review",), group_by: str | None = None
                 ) -> ReviewTable:
    """The records of ``result`` with a status in ``statuses``, each next to its candidates.

    Parameters
    ----------
    result
        A :class:`~vnlink.LinkResult` (or its table) of ``linker.link(registry, records)``.
    registry, records
        The tables the result was made from, in the same order.
    linker
        The fitted Linker that made the result.
    top_k
        Candidates shown per record (best first).
    statuses
        Which records to show (default the ``review`` ones).
    group_by
        ``"commune"``, ``"province"`` or a records column; default the vaccination
        site when the records have a ``site`` column, else the commune.
    """
    if top_k < 1:
        raise ConfigurationError(f"top_k must be at least 1, got {top_k}")
    if linker is None or not hasattr(linker, "registry_schema_"):
        raise ConfigurationError("pass the fitted Linker that made the result (linker=...)")
    got = getattr(result, "table", None)
    res = got if isinstance(got, Table) else as_table(result)
    rec = as_table(records)
    reg = as_table(registry)
    if res.n_rows != rec.n_rows:
        raise ConfigurationError(
            f"the result has {res.n_rows:,} rows but the records {rec.n_rows:,}: pass the "
            "records the result was made from"
        )
    status = np.asarray(res["status"], dtype=object)
    rows = np.flatnonzero(np.isin(status, list(statuses)))
    sp = scored_pairs(linker, reg, rec, rows=rows, top_k=top_k)
    rec_ids = np.asarray(_text(sp.right_table["record_id"]), dtype=object)
    if not np.array_equal(rec_ids[rows], np.asarray(_text(res["record_id"][rows]), dtype=object)):
        raise ConfigurationError("the result's record ids differ from the records': pass the "
                                 "records the result was made from, in the same order")
    return _build(res, reg, rec, linker, sp, rows, group_by)


def _build(res: Table, reg: Table, rec: Table, linker: Any, sp: ScoredPairs,
           rows: NDArray[np.int64], group_by: str | None) -> ReviewTable:
    # one row per kept pair, ordered by record then weight; records without a pair get one row
    order = np.lexsort((sp.left, -sp.weight, sp.right))
    has_pair = np.zeros(rec.n_rows, dtype=bool)
    has_pair[sp.right] = True
    lonely = rows[~has_pair[rows]]
    pair_rec = np.r_[sp.right[order], lonely].astype(np.int64)
    pair_idx = np.r_[order, np.full(lonely.size, -1)].astype(np.int64)
    resort = np.lexsort((np.arange(pair_rec.size), pair_rec))
    pair_rec, pair_idx = pair_rec[resort], pair_idx[resort]
    n = pair_rec.size
    starts = np.r_[0, np.flatnonzero(pair_rec[1:] != pair_rec[:-1]) + 1] if n else np.zeros(0, int)
    rank = (np.arange(n) - np.repeat(starts, np.diff(np.r_[starts, n]))) + 1 if n else starts
    ok = pair_idx >= 0
    safe = np.where(ok, pair_idx, 0)
    reg_rows = np.where(ok, sp.left[safe] if len(sp) else 0, 0).astype(np.int64)

    def per_pair(values: NDArray[Any], fill: Any) -> NDArray[Any]:
        out = np.full(n, fill, dtype=values.dtype if values.dtype != object else object)
        if len(sp):
            out[ok] = values[pair_idx[ok]]
        return out

    reg_schema, rec_schema = linker.registry_schema_, linker.records_schema_
    cols: dict[str, NDArray[Any]] = {
        "record_id": np.asarray(_text(res["record_id"][pair_rec]), dtype=object),
        "record_row": pair_rec,
        "rank": np.asarray(rank, dtype=np.int64),
        "person_id": np.asarray([p if o else "" for p, o in zip(
            _text(sp.left_table["record_id"][reg_rows]), ok.tolist(), strict=True)], dtype=object),
        "status": np.asarray(_text(res["status"][pair_rec]), dtype=object),
        "pair_probability": per_pair(sp.probability, np.nan),
        "pair_weight": per_pair(sp.weight, np.nan),
        "runner_up_margin": np.asarray(res["runner_up_margin"][pair_rec], dtype=np.float64)
        if "runner_up_margin" in res else np.full(n, np.nan),
        "blocking_rule": per_pair(sp.rule, ""),
        "reason_codes": np.asarray(_text(res["reason_codes"][pair_rec]), dtype=object)
        if "reason_codes" in res else np.full(n, "", dtype=object),
        "reasons": np.asarray(_text(res["reasons"][pair_rec]), dtype=object)
        if "reasons" in res else np.full(n, "", dtype=object),
        "group": np.asarray(_groups(rec, sp.right_table, pair_rec, group_by), dtype=object),
    }
    typed_rec = typed_values(rec, rec_schema, pair_rec)
    typed_reg = typed_values(reg, reg_schema, reg_rows)
    norm_rec = normalized_values(sp.right_table, pair_rec)
    norm_reg = normalized_values(sp.left_table, reg_rows)
    for field in FIELDS:
        blank = ["" if o else v for v, o in zip(typed_reg[field], (~ok).tolist(), strict=True)]
        cols[f"record_{field}"] = np.asarray(typed_rec[field], dtype=object)
        cols[f"registry_{field}"] = np.asarray(blank, dtype=object)
        blank = ["" if o else v for v, o in zip(norm_reg[field], (~ok).tolist(), strict=True)]
        cols[f"record_{field}_norm"] = np.asarray(norm_rec[field], dtype=object)
        cols[f"registry_{field}_norm"] = np.asarray(blank, dtype=object)
    for j, name in enumerate(sp.names):
        lev = per_pair(sp.levels[:, j].astype(np.int64), -1) if len(sp) else np.full(n, -1)
        cols[f"level_{name}"] = np.asarray([sp.label(j, int(v)) if o else "" for v, o in zip(
            lev.tolist(), ok.tolist(), strict=True)], dtype=object)
        cols[f"weight_{name}"] = per_pair(sp.partial[:, j], np.nan) if len(sp) else np.full(
            n, np.nan)
    cols["prior_weight"] = np.where(ok, sp.prior, np.nan)
    cols["priority"] = _priority(cols, linker.thresholds_["verified_threshold"])
    table = Table(cols, n_rows=n)
    return ReviewTable(table, fields=list(FIELDS), comparisons=sp.names,
                       thresholds=dict(linker.thresholds_))


def _priority(cols: dict[str, NDArray[Any]], verified: float) -> NDArray[np.int64]:
    """1 = look first: the smallest margin to the runner-up, then closest to ``verified``."""
    rec = cols["record_row"]
    n = rec.size
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    margin = np.nan_to_num(cols["runner_up_margin"], nan=np.inf)
    closeness = np.abs(np.nan_to_num(cols["pair_probability"], nan=0.0) - verified)
    first = cols["rank"] == 1
    rows = np.flatnonzero(first)
    order = rows[np.lexsort((rec[rows], closeness[rows], margin[rows]))]
    rank_of_record = np.zeros(int(rec.max()) + 1, dtype=np.int64)
    rank_of_record[rec[order]] = np.arange(1, order.size + 1)
    out: NDArray[np.int64] = rank_of_record[np.asarray(rec, dtype=np.int64)]
    return out

"""Clerks' decisions: read them back, apply them to a result, turn them into training labels.

A decision file is what the review page exports and what ``vnlink label``
saves: CSV (UTF-8, BOM allowed) or JSON with the columns

``record_id``
    The record decided.
``decision``
    ``same`` (the record is ``person_id``), ``different`` (none of the
    ``candidates`` is the record's person) or ``unsure``.
``person_id``
    For ``same``: the registry person chosen.
``candidates``
    The registry persons shown, ``;``-joined.
``note``, ``decided_at``
    Free text and an ISO time (optional).

The last decision of a record wins (a clerk who changes their mind).

>>> import io
>>> text = ("record_id,decision,person_id,candidates,note,decided_at\\n"
...         "r1,same,p1,p1;p2,,\\nr2,different,,p7,'=1+1,\\n")
>>> d = read_decisions(io.StringIO(text))
>>> d["decision"].tolist(), d["note"].tolist()
(['same', 'different'], ['', '=1+1'])
>>> pair_labels(d)
[('r1', 'p1', True), ('r1', 'p2', False), ('r2', 'p7', False)]
"""

from __future__ import annotations

import copy
import csv
import io
import json
import math
import os
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink.exceptions import ConfigurationError, SchemaError
from vnlink.table import Table, as_table

__all__ = ["COLUMNS", "DECISIONS", "apply_review", "labels_to_truth", "pair_labels",
           "read_decisions"]

#: The allowed decisions.
DECISIONS = ("same", "different", "unsure")
#: The columns of a decision file, in order.
COLUMNS = ("record_id", "decision", "person_id", "candidates", "note", "decided_at")

_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_MAX_BYTES = 200 * 1024 * 1024


def _plain(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value)
    # undo the spreadsheet-formula guard the page and the labeller write
    if len(text) > 1 and text[0] == "'" and text[1] in _FORMULA:
        return text[1:]
    return text


def _rows_from_source(source: Any) -> list[dict[str, Any]]:
    if isinstance(source, io.TextIOBase | io.StringIO):
        text = source.read()
        suffix = ".json" if text.lstrip().startswith(("{", "[")) else ".csv"
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        if path.stat().st_size > _MAX_BYTES:
            raise ConfigurationError(f"{path.name} is larger than {_MAX_BYTES // 2**20} MiB; "
                                     "is it a decision file?")
        text = path.read_text(encoding="utf-8-sig")
        suffix = path.suffix.lower()
    else:
        return as_table(source).to_dicts()
    text = text.lstrip("\ufeff")
    if suffix == ".json":
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as error:
            raise SchemaError(f"the decision file is not valid JSON ({error.msg} at line "
                              f"{error.lineno})") from None
        rows = doc.get("labels") if isinstance(doc, dict) else doc
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise SchemaError("a JSON decision file holds a list of objects (or "
                              "{\"labels\": [...]}) with record_id and decision")
        return rows
    return list(csv.DictReader(io.StringIO(text)))


def read_decisions(source: Any) -> Table:
    """Read a decision file (CSV or JSON path, open text, or any table); the last per record.

    Raises :class:`~vnlink.exceptions.SchemaError` when ``record_id`` or
    ``decision`` is missing and :class:`~vnlink.exceptions.ConfigurationError`
    for a decision other than ``same``/``different``/``unsure`` (or ``same``
    without a ``person_id``), naming the line.
    """
    rows = _rows_from_source(source)
    if rows and not {"record_id", "decision"} <= set(rows[0]):
        raise SchemaError("a decision file needs the columns record_id and decision (as the "
                          "review page and `vnlink label` write them)")
    latest: dict[str, dict[str, str]] = {}
    for line, row in enumerate(rows, start=2):
        rec = {c: _plain(row.get(c)) for c in COLUMNS}
        decision = rec["decision"].strip().lower()
        if decision not in DECISIONS:
            raise ConfigurationError(f"line {line}: decision must be one of "
                                     f"{', '.join(DECISIONS)}")
        if not rec["record_id"]:
            raise ConfigurationError(f"line {line}: record_id is empty")
        if decision == "same" and not rec["person_id"]:
            raise ConfigurationError(f"line {line}: a 'same' decision needs the person_id chosen")
        rec["decision"] = decision
        latest.pop(rec["record_id"], None)  # keep the order of the last decisions
        latest[rec["record_id"]] = rec
    values = list(latest.values())
    return Table({c: np.asarray([r[c] for r in values], dtype=object) for c in COLUMNS},
                 n_rows=len(values))


def _decisions(decisions: Any) -> Table:
    if isinstance(decisions, Table) and set(COLUMNS) <= set(decisions.column_names):
        return decisions
    return read_decisions(decisions)


def pair_labels(decisions: Any) -> list[tuple[str, str, bool]]:
    """``(record_id, person_id, is_match)`` for every pair a decision settles.

    ``same``: the chosen person is a match and the other candidates shown are not;
    ``different``: no candidate shown is a match; ``unsure``: nothing.
    """
    d = _decisions(decisions)
    out: list[tuple[str, str, bool]] = []
    for rid, dec, pid, cands in zip(d["record_id"].tolist(), d["decision"].tolist(),
                                    d["person_id"].tolist(), d["candidates"].tolist(),
                                    strict=True):
        shown = [c for c in str(cands).split(";") if c]
        if dec == "same":
            out.append((rid, pid, True))
            out.extend((rid, c, False) for c in shown if c != pid)
        elif dec == "different":
            out.extend((rid, c, False) for c in shown)
    return out


def labels_to_truth(decisions: Any) -> Table:
    """A truth table (``record_id``, ``person_id``) of the records a clerk settled.

    ``same`` gives the chosen person; ``different`` gives ``""`` (the person is
    not among the candidates, so not linkable); ``unsure`` records are left out.
    Use it with :func:`vnlink.evaluate.evaluate` on those records only.
    """
    d = _decisions(decisions)
    keep = np.flatnonzero(d["decision"] != "unsure")
    person = np.where(d["decision"][keep] == "same", d["person_id"][keep], "").astype(object)
    return Table({"record_id": d["record_id"][keep].astype(object), "person_id": person},
                 n_rows=int(keep.size))


_TEXTS = {"same": ("clerk_same", "cán bộ xác nhận cùng người"),
          "different": ("clerk_different", "cán bộ xác nhận khác người"),
          "unsure": ("clerk_unsure", "cán bộ chưa chắc, cần xem thêm")}


def _append(values: NDArray[Any], rows: NDArray[np.int64], text: str, sep: str) -> None:
    for i in rows.tolist():
        values[i] = f"{values[i]}{sep}{text}" if values[i] else text


def apply_review(result: Any, decisions: Any) -> Any:
    """A copy of ``result`` with the clerks' decisions applied (the result is not changed).

    ``same`` sets ``person_id`` and ``status = "verified"``; ``different`` sets
    ``person_id = ""`` and ``status = "unmatched"``; ``unsure`` keeps the status.
    Every decided record gains a reason (``clerk_same``, ``clerk_different``,
    ``clerk_unsure``) and the columns ``review_decision`` and ``review_note``
    are added. A decision for a record not in the result raises
    :class:`~vnlink.exceptions.ConfigurationError` (nothing is dropped silently).

    Returns the same kind as ``result``: a copy of a :class:`~vnlink.LinkResult` (its
    origin, timings and fingerprint kept) with the new table, or a ``Table``.
    """
    got = getattr(result, "table", None)
    table = got if isinstance(got, Table) else as_table(result)
    d = _decisions(decisions)
    cols = {c: np.asarray(table[c]).copy() for c in table.column_names}
    for c in ("person_id", "status", "reason_codes", "reasons"):
        if c not in cols:
            cols[c] = np.full(table.n_rows, "", dtype=object)
        cols[c] = cols[c].astype(object)
    where = {str(r): i for i, r in enumerate(cols["record_id"].tolist())}
    rows = np.asarray([where.get(str(r), -1) for r in d["record_id"].tolist()], dtype=np.int64)
    if (rows < 0).any():
        raise ConfigurationError(f"{int((rows < 0).sum())} decision(s) name records that are not "
                                 "in the result: pass the result the review page was made from")
    decision = np.full(table.n_rows, "", dtype=object)
    note = np.full(table.n_rows, "", dtype=object)
    decision[rows] = d["decision"]
    note[rows] = d["note"]
    for kind, (code, text) in _TEXTS.items():
        hit = rows[d["decision"] == kind]
        if kind == "same":
            cols["person_id"][hit] = d["person_id"][d["decision"] == kind]
            cols["status"][hit] = "verified"
        elif kind == "different":
            cols["person_id"][hit] = ""
            cols["status"][hit] = "unmatched"
        _append(cols["reason_codes"], hit, code, ";")
        _append(cols["reasons"], hit, text, "; ")
    cols["review_decision"] = decision
    cols["review_note"] = note
    out = Table(cols, n_rows=table.n_rows)
    if isinstance(got, Table):  # a LinkResult (or any result holding a table): same kind
        applied = copy.copy(result)
        applied.table = out
        return applied
    return out

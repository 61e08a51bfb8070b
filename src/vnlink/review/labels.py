"""A label file that is saved after every answer and can be resumed: :class:`LabelStore`.

Labels are decisions (see :mod:`vnlink.review.decisions`) about one pair
each: ``same``, ``different`` or ``unsure``. The file is CSV (the review
page's export format) or JSON (``.json``), rewritten atomically after every
change, so a crash or a closed terminal loses nothing.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "labels.csv"
>>> store = LabelStore(path)
>>> store.add("r1", "p1", "same")
>>> store.add("r2", "p9", "different", note="twin")
>>> len(LabelStore(path))            # resumed from the file
2
>>> store.undo()["record_id"]
'r2'
>>> LabelStore(path).pairs()
[('r1', 'p1', True)]
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import os
from pathlib import Path
from typing import Any

from vnlink.exceptions import ConfigurationError
from vnlink.review.decisions import COLUMNS as _COLUMNS
from vnlink.review.decisions import DECISIONS as _DECISIONS
from vnlink.review.decisions import pair_labels, read_decisions

__all__ = ["LabelStore"]

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _guard(value: str) -> str:
    return "'" + value if value[:1] in _FORMULA else value


class LabelStore:
    """Labels kept in ``path`` (CSV, or JSON when it ends in ``.json``), saved on every change."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.rows: list[dict[str, str]] = []
        if self.path.exists() and self.path.stat().st_size > 0:
            table = read_decisions(self.path)
            self.rows = table.to_dicts()

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        return f"LabelStore({self.path.name}: {len(self)} labels)"

    def keys(self) -> set[tuple[str, str]]:
        """``(record_id, person_id or candidates)`` of every pair labelled."""
        return {(r["record_id"], r["person_id"] or r["candidates"]) for r in self.rows}

    def add(self, record_id: str, person_id: str, decision: str, *, note: str = "") -> None:
        """Label the pair (``record_id``, ``person_id``) and save."""
        if decision not in _DECISIONS:
            raise ConfigurationError(f"decision must be one of {', '.join(_DECISIONS)}")
        self.rows = [r for r in self.rows
                     if (r["record_id"], r["person_id"] or r["candidates"]) !=
                     (record_id, person_id)]
        self.rows.append({
            "record_id": str(record_id), "decision": decision,
            "person_id": str(person_id) if decision == "same" else "",
            "candidates": str(person_id), "note": note,
            "decided_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        })
        self.save()

    def undo(self) -> dict[str, str] | None:
        """Remove the last label (the labeller's ``back``), save, and return it."""
        if not self.rows:
            return None
        last = self.rows.pop()
        self.save()
        return last

    def pairs(self) -> list[tuple[str, str, bool]]:
        """``(record_id, person_id, is_match)`` of the settled pairs (``unsure`` left out)."""
        from vnlink.table import Table

        if not self.rows:
            return []
        cols = {c: [r[c] for r in self.rows] for c in _COLUMNS}
        return pair_labels(Table(cols))

    def save(self) -> None:
        """Write the file atomically (mode 0600: it names people)."""
        if self.path.suffix.lower() == ".json":
            text = json.dumps({"format": "vnlink-labels", "version": 1, "labels": self.rows},
                              ensure_ascii=False, indent=1)
        else:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\r\n")
            writer.writerow(_COLUMNS)
            for row in self.rows:
                writer.writerow([_guard(str(row.get(c, ""))) for c in _COLUMNS])
            text = "\ufeff" + buffer.getvalue()
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, self.path)

    def to_dicts(self) -> list[dict[str, Any]]:
        """The labels as dicts."""
        return [dict(r) for r in self.rows]

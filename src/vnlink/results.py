"""What linking returns: :class:`LinkResult` (one row per record) and :class:`DedupeResult`.

Both wrap a :class:`~vnlink.Table` and convert to pandas, pyarrow, CSV,
Parquet or the form the records were given in.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink._version import __version__
from vnlink.decide import REVIEW as _REVIEW
from vnlink.decide import STATUSES as _STATUSES
from vnlink.decide import UNMATCHED as _UNMATCHED
from vnlink.decide import VERIFIED as _VERIFIED
from vnlink.exceptions import ConfigurationError
from vnlink.table import Table

__all__ = ["DedupeResult", "LinkResult", "TableResult"]


class TableResult:
    """A result table plus the helpers users expect (pandas, arrow, CSV, the input's form)."""

    def __init__(self, table: Table, origin: str = "table") -> None:
        self.table = table
        self.origin = origin

    def __len__(self) -> int:
        return self.table.n_rows

    def __getitem__(self, column: str) -> NDArray[Any]:
        return self.table[column]

    def __contains__(self, column: object) -> bool:
        return column in self.table

    @property
    def columns(self) -> list[str]:
        """The column names."""
        return self.table.column_names

    def to_dicts(self) -> list[dict[str, Any]]:
        """The rows as plain dicts."""
        return self.table.to_dicts()

    def to_pandas(self) -> Any:
        """A pandas DataFrame (needs pandas)."""
        return self.table.to_pandas()

    def to_arrow(self) -> Any:
        """A pyarrow Table (needs pyarrow: ``pip install 'vnlink[parquet]'``)."""
        return self.table.to_arrow()

    def to_native(self) -> Any:
        """The result in the form the records were given.

        pandas, polars, pyarrow or a list of dicts; otherwise (a mapping, a file) the Table.
        """
        return Table(self.table.columns, n_rows=len(self), origin=self.origin).to_origin()

    def to_csv(self, path: str | os.PathLike[str], *, overwrite: bool = True,
               formula_guard: bool = True) -> Path:
        """Write UTF-8 CSV (with a BOM, so Excel shows Vietnamese); return the path.

        Atomic, mode 0600; formula-like text cells neutralized unless
        ``formula_guard=False`` (see docs/files.md).
        """
        from vnlink._files import write_csv

        names = self.table.column_names
        rows = zip(*[self.table[c].tolist() for c in names], strict=True)
        return write_csv(path, names, rows, overwrite=overwrite, formula_guard=formula_guard)

    def to_xlsx(self, path: str | os.PathLike[str], *, overwrite: bool = True) -> Path:
        """Write an Excel workbook, ID and phone columns as text (needs ``vnlink[excel]``)."""
        from vnlink._files import write_xlsx

        names = self.table.column_names
        rows = zip(*[self.table[c].tolist() for c in names], strict=True)
        return write_xlsx(path, names, rows, overwrite=overwrite)

    def to_parquet(self, path: str | os.PathLike[str], *, overwrite: bool = True) -> Path:
        """Write the result as Parquet (needs pyarrow); return the path."""
        try:
            import pyarrow.parquet as pq
        except ImportError as error:  # pragma: no cover - depends on the environment
            raise ImportError("to_parquet needs pyarrow: pip install 'vnlink[parquet]'") from error
        from vnlink._files import atomic_writer

        with atomic_writer(path, binary=True, overwrite=overwrite) as handle:
            pq.write_table(self.to_arrow(), handle)
        return Path(path)

    def write(self, path: str | os.PathLike[str], *, overwrite: bool = True,
              formula_guard: bool = True) -> Path:
        """Write CSV, Parquet or .xlsx, chosen by the file extension (``-``: CSV to stdout)."""
        suffix = Path(path).suffix.lower()
        if suffix in (".parquet", ".pq"):
            return self.to_parquet(path, overwrite=overwrite)
        if suffix == ".xlsx":
            return self.to_xlsx(path, overwrite=overwrite)
        if suffix in (".csv", ".txt", "") or str(path) == "-":
            return self.to_csv(path, overwrite=overwrite, formula_guard=formula_guard)
        raise ConfigurationError(
            f"cannot write {suffix!r} files: use a .csv, .xlsx or .parquet path")

    def _repr_html_(self) -> str:  # notebooks
        head = self.table.take(np.arange(min(10, len(self))))
        rows = "".join(
            "<tr>" + "".join(f"<td>{_html(v)}</td>" for v in row.values()) + "</tr>"
            for row in head.to_dicts()
        )
        header = "".join(f"<th>{_html(c)}</th>" for c in self.columns)
        return (f"<p>{type(self).__name__}: {len(self):,} rows</p>"
                f"<table><tr>{header}</tr>{rows}</table>")


def _html(value: Any) -> str:
    import html

    return html.escape(str(value))


class LinkResult(TableResult):
    """The decision for every record: exactly one row per input record, in input order.

    Columns
    -------
    record_id
        The record's id (row number when the records have no id column).
    person_id
        The registry person of the best candidate (``""`` when there is none).
    status
        ``verified`` (safe to link), ``review`` (a person must decide) or ``unmatched``.
    match_probability, match_weight
        Of the best candidate (NaN without a candidate); the weight is in bits.
    runner_up_person_id, runner_up_margin
        The second-best candidate and how many bits it is behind (NaN if none).
    n_candidates
        Candidate pairs the record had.
    blocking_rule
        The blocking rule that found the best candidate.
    reason_codes, reasons
        Stable English codes (``;``-joined) and Vietnamese texts (``; ``-joined):
        why the record got its status and where it disagrees with its candidate.
    corrections, fix_name, fix_dob, fix_sex, fix_id, fix_phone, fix_address
        For ``verified`` records: the registry value of each disagreeing field,
        readable (``"dob: 05/03/1980 -> 03/05/1980"``) and per field (to apply).
    model_fingerprint, vnlink_version
        SHA-256 of the model JSON and the library version: enough to reproduce a decision.

    Attributes
    ----------
    timings : dict
        Seconds per stage.
    fingerprint : str
        The model fingerprint.
    blocking : dict
        What blocking cut: ``max_block_pairs`` (the cap) and ``pairs_cut``
        (pairs cut per rule, the rules that cut any); the records concerned
        carry the reason code ``blocking_capped``.
    """

    def __init__(self, table: Table, *, origin: str = "table", timings: Mapping[str, float] | None
                 = None, fingerprint: str = "", n_pairs: int = 0,
                 blocking: Mapping[str, Any] | None = None) -> None:
        super().__init__(table, origin)
        self.timings = dict(timings or {})
        self.fingerprint = fingerprint
        self.n_pairs = n_pairs
        self.blocking = dict(blocking or {"max_block_pairs": None, "pairs_cut": {}})
        self.linker: Any = None  # the Linker that made it (set by Linker.link / fit_link)

    def review_table(self, registry: Any, records: Any, **options: Any) -> Any:
        """The ``review`` records next to their candidates: :func:`vnlink.review.review_table`."""
        from vnlink.review import review_table

        return review_table(self, registry, records, options.pop("linker", self.linker),
                            **options)

    def counts(self) -> dict[str, int]:
        """Records per status."""
        status = self.table["status"]
        return {s: int((status == s).sum()) for s in _STATUSES}

    def links(self) -> Table:
        """The ``verified`` rows only, with ``record_id`` and ``person_id`` first."""
        return self.table.take(np.flatnonzero(self.table["status"] == _VERIFIED))

    def reason_counts(self) -> dict[str, int]:
        """How many records carry each reason code, most frequent first."""
        counts: dict[str, int] = {}
        for codes in self.table["reason_codes"].tolist():
            for code in codes.split(";") if codes else ():
                counts[code] = counts.get(code, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: -kv[1]))

    def summary(self) -> dict[str, Any]:
        """Counts per status, top reasons, pairs scored, blocking cuts, seconds per stage.

        ``blocking`` gives the cap, the pairs cut per rule and the records that
        lost candidates to it (counts only).
        """
        return {
            "records": len(self),
            "statuses": self.counts(),
            "pairs": self.n_pairs,
            "reasons": dict(list(self.reason_counts().items())[:10]),
            "blocking": {**self.blocking,
                         "records_capped": self.reason_counts().get("blocking_capped", 0)},
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "model_fingerprint": self.fingerprint,
            "vnlink_version": __version__,
        }

    def __repr__(self) -> str:
        c = self.counts()
        return (f"LinkResult({len(self):,} records: {c[_VERIFIED]:,} verified, "
                f"{c[_REVIEW]:,} review, {c[_UNMATCHED]:,} unmatched)")


class DedupeResult(TableResult):
    """Clusters of records of the same person: one row per record.

    Columns: ``record_id``, ``cluster_id`` (the smallest row number in the
    cluster), ``cluster_size``, ``max_match_probability`` (of the record's
    strongest edge; NaN for singletons).
    """

    def __init__(self, table: Table, *, origin: str = "table",
                 timings: Mapping[str, float] | None = None) -> None:
        super().__init__(table, origin)
        self.timings = dict(timings or {})

    def clusters(self) -> list[list[str]]:
        """Record ids per cluster of two or more records."""
        groups: dict[int, list[str]] = {}
        for rid, cid, size in zip(self.table["record_id"].tolist(),
                                  self.table["cluster_id"].tolist(),
                                  self.table["cluster_size"].tolist(), strict=True):
            if size > 1:
                groups.setdefault(cid, []).append(rid)
        return list(groups.values())

    def __repr__(self) -> str:
        n_clusters = len(self.clusters())
        return f"DedupeResult({len(self):,} records, {n_clusters:,} clusters of 2+)"

"""Link hand-typed records to a registry, in one object: :class:`Linker`.

``Linker`` runs the whole path — prepare, block, compare, classify, decide —
with Vietnamese defaults for every stage, and says for each record who it
is, how sure, and why::

    linker = Linker().fit(registry, records)      # unsupervised (EM), or truth=...
    result = linker.link(registry, records)       # one row per record
    result.summary()

The registry is the *left* table and the records the *right* table of the
candidate pairs. :meth:`Linker.index` builds a :class:`RegistryIndex` for
one-record lookups in milliseconds (a vaccination site checking a person at
the desk).

Examples
--------
>>> from vnlink.datasets import synthetic_linkage
>>> registry, records, truth = synthetic_linkage(300, seed=1)
>>> linker = Linker(progress=False).fit(registry, records)
>>> result = linker.link(registry, records)
>>> len(result) == records.n_rows
True
>>> sorted(set(result["status"].tolist()) - {"verified", "review", "unmatched"})
[]
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink._index import RegistryIndex
from vnlink._progress import Stages
from vnlink._table import Table, as_table
from vnlink._version import __version__
from vnlink.decide import DEFAULT_MIN_MARGIN as _DEFAULT_MIN_MARGIN
from vnlink.decide import DEFAULT_REVIEW_THRESHOLD as _DEFAULT_REVIEW
from vnlink.decide import DEFAULT_VERIFIED_THRESHOLD as _DEFAULT_VERIFIED
from vnlink.decide import REVIEW as _REVIEW
from vnlink.decide import STATUSES as _STATUSES
from vnlink.decide import UNMATCHED as _UNMATCHED
from vnlink.decide import VERIFIED as _VERIFIED
from vnlink.decide import assign_status, best_and_runner_up, check_thresholds
from vnlink.exceptions import ConfigurationError, ModelFormatError, NotFittedError, SchemaError
from vnlink.reasons import CORRECTION_FIELDS as _CORRECTION_FIELDS
from vnlink.reasons import corrections, join_codes, reason_flags

__all__ = ["DedupeResult", "LinkResult", "Linker", "RegistryIndex", "guess_schema"]

_MODEL_FORMAT = "vnlink-linker"
_MODEL_VERSION = 1

#: Fields whose absence makes a record unusable for linking.
_KEY_FIELDS = ("name_fold", "dob_year", "id", "phone")

#: Pairs scored at a time (bounds the memory of the comparison matrices).
_CHUNK_PAIRS = 1_000_000


# ---------------------------------------------------------------------------
# schemas


def _schema_class() -> Any:
    from vnlink.prepare import Schema

    return Schema


def _schema_to_dict(schema: Any) -> dict[str, Any]:
    return dict(schema.to_dict())


def _schema_from_dict(data: Mapping[str, Any]) -> Any:
    return _schema_class().from_dict(data)


def _as_schema(value: Any) -> Any:
    """A Schema from a Schema or a mapping of field -> column(s)."""
    cls = _schema_class()
    if isinstance(value, cls):
        return value
    if isinstance(value, Mapping):
        return cls.from_dict(value)
    raise ConfigurationError(
        f"schema must be a Schema, a mapping of field -> column, or a (registry, records) pair "
        f"of those; got {type(value).__name__}"
    )


def guess_schema(table: Table, preferred: Any = None) -> Any:
    """A Schema for ``table``: ``preferred`` if all its columns exist, else inferred from headers.

    Headers are matched without case or diacritics against common English
    and Vietnamese names ("Họ và tên", "ngay_sinh", "CCCD", "SĐT" ...); see
    ``Schema.infer``.

    >>> from vnlink import as_table
    >>> schema = guess_schema(as_table({"Họ và tên": ["Lê Văn Tám"], "Ngày sinh": ["1/2/1990"]}))
    >>> schema.name, schema.dob
    ('Họ và tên', 'Ngày sinh')
    """
    if preferred is not None and all(c in table for c in preferred.columns()):
        return preferred
    schema = _schema_class().infer(table)
    if not {"name", "dob", "id_number", "phone"} & set(schema.fields_used()):
        raise SchemaError(
            "cannot tell which columns hold the name, date of birth, ID or phone "
            f"(the table has: {', '.join(table.column_names) or '(none)'}); "
            "pass schema=Schema(name=..., dob=..., id_number=...)"
        )
    return schema


# ---------------------------------------------------------------------------
# results


class _ResultBase:
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
        ``formula_guard=False`` (see :mod:`vnlink._files`).
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


class LinkResult(_ResultBase):
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
    """

    def __init__(self, table: Table, *, origin: str = "table", timings: Mapping[str, float] | None
                 = None, fingerprint: str = "", n_pairs: int = 0) -> None:
        super().__init__(table, origin)
        self.timings = dict(timings or {})
        self.fingerprint = fingerprint
        self.n_pairs = n_pairs

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
        """Counts per status, the most common reasons, pairs scored, seconds per stage."""
        return {
            "records": len(self),
            "statuses": self.counts(),
            "pairs": self.n_pairs,
            "reasons": dict(list(self.reason_counts().items())[:10]),
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "model_fingerprint": self.fingerprint,
            "vnlink_version": __version__,
        }

    def __repr__(self) -> str:
        c = self.counts()
        return (f"LinkResult({len(self):,} records: {c[_VERIFIED]:,} verified, "
                f"{c[_REVIEW]:,} review, {c[_UNMATCHED]:,} unmatched)")


class DedupeResult(_ResultBase):
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


# ---------------------------------------------------------------------------
# helpers


def _read_input(data: Any, what: str) -> Table:
    try:
        table = as_table(data)
    except SchemaError as error:
        raise SchemaError(f"{what}: {error}") from None
    return table


def _origin(data: Any, table: Table) -> str:
    origin = getattr(table, "origin", None)
    if isinstance(origin, str) and origin != "table":
        return origin
    module = type(data).__module__.split(".")[0]
    return {"pandas": "pandas", "polars": "polars", "pyarrow": "arrow"}.get(module, "table")


def _strings(values: NDArray[Any]) -> NDArray[np.object_]:
    out = np.empty(len(values), dtype=object)
    out[:] = ["" if v is None else str(v) for v in values.tolist()]
    return out


def _subset_pairs(pairs: Any, sl: slice | NDArray[np.int64]) -> Any:
    fields = {"left": pairs.left[sl], "right": pairs.right[sl], "rule": pairs.rule[sl],
              "rule_names": pairs.rule_names}
    if dataclasses.is_dataclass(pairs) and not isinstance(pairs, type):
        return dataclasses.replace(pairs, **fields)
    if hasattr(pairs, "_replace"):
        return pairs._replace(**fields)
    return type(pairs)(**fields)


def _usable(prepared: Table) -> NDArray[np.bool_]:
    """Rows with at least one field linking can use (name, date of birth, ID, phone)."""
    usable = np.zeros(prepared.n_rows, dtype=bool)
    for name in _KEY_FIELDS:
        if name not in prepared:
            continue
        column = prepared[name]
        usable |= (column != "") if column.dtype == object else (column != 0)
    return usable


def _demote_conflicts(status: NDArray[np.object_], flags: dict[str, NDArray[np.bool_]]) -> None:
    """Send to review, in place, the verified records whose identity contradicts itself.

    A record whose ID or phone matches but whose name *and* date of birth both
    disagree is most often typed with a relative's papers: it is never linked
    automatically (flag ``identity_conflict``).
    """
    none = np.zeros(len(status), dtype=bool)
    name_off = flags.get("name_different", none)
    dob_off = flags.get("dob_different", none) | flags.get("dob_year_different", none)
    conflict = name_off & dob_off & (status != _UNMATCHED)
    status[conflict & (status == _VERIFIED)] = _REVIEW
    flags["identity_conflict"] = conflict


def _decision_flags(
    usable: NDArray[np.bool_], has: NDArray[np.bool_], has2: NDArray[np.bool_],
    status: NDArray[np.object_], p_best: NDArray[np.float64], margin: NDArray[np.float64],
    th: Mapping[str, float],
) -> dict[str, NDArray[np.bool_]]:
    """Flags of the decision reasons (why a record is review or unmatched)."""
    prob = np.nan_to_num(p_best)
    weak = has & (status == _UNMATCHED)
    return {
        "no_usable_fields": ~usable,
        "no_candidates": usable & ~has,
        "low_score": weak | (has & (status == _REVIEW) & (prob < th["verified_threshold"])),
        "ambiguous": has & has2 & (prob >= th["review_threshold"])
        & (np.nan_to_num(margin, nan=np.inf) < th["min_margin"]),
    }


def _canonical_json(doc: Any) -> bytes:
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _union_find(n: int, a: NDArray[np.int64], b: NDArray[np.int64]) -> NDArray[np.int64]:
    """Connected-component labels (the smallest row of each component), numpy only."""
    labels = np.arange(n, dtype=np.int64)
    if a.size == 0:
        return labels
    while True:
        la, lb = labels[a], labels[b]
        low = np.minimum(la, lb)
        before = labels.copy()
        np.minimum.at(labels, la, low)
        np.minimum.at(labels, lb, low)
        # pointer jumping until every row points at its root
        while True:
            jumped = labels[labels]
            if np.array_equal(jumped, labels):
                break
            labels = jumped
        if np.array_equal(before, labels):
            return labels


# ---------------------------------------------------------------------------
# the Linker


class Linker:
    """Link records to a registry: prepare, block, compare, classify, decide.

    Every argument has a Vietnamese default, so ``Linker().fit(registry,
    records).link(registry, records)`` works on the synthetic data; every
    stage can be replaced.

    Parameters
    ----------
    schema
        Which columns hold which field: a ``Schema`` for both tables, or a
        ``(registry_schema, records_schema)`` pair. Default: the synthetic
        data's schemas when the columns are there, else guessed from common
        column names (``ho_ten``, ``ngay_sinh``, ``cccd`` ...). The registry's
        ``record_id`` column is the person id.
    blocking
        Blocking rules (see :mod:`vnlink.blocking`); default ``default_rules()``.
    comparisons
        A ``ComparisonSet`` or list of comparisons; default ``default_comparisons()``.
    classifier
        An unfitted ``FellegiSunter`` (default) or ``SupervisedLinkClassifier``.
    verified_threshold, review_threshold
        Match probability for ``verified`` and for ``review`` (default 0.99 and 0.2;
        when ``fit`` gets the truth and these are None, they are chosen for a
        verified precision of ``target_precision``).
    min_margin
        Match-weight bits the runner-up must be behind for ``verified``
        (default 5: a nearly tied runner-up — twins — sends the record to review).
    target_precision
        Precision of verified links aimed at when choosing thresholds from the truth.
    max_fit_pairs
        Candidate pairs sampled to fit the model (bounds fitting time and memory).
    u_pairs
        Random registry/record pairs compared to estimate u (default 200,000).
        Unsupervised fitting runs EM on the candidate pairs for m, then takes u
        from these random pairs and sets the prior to the expected matches over
        *all* registry × record pairs, so weights do not depend on what blocking
        let through (blocked non-matches — relatives sharing a phone, an address,
        a family name — would otherwise make agreement on those look like
        evidence *against* a match). ``0`` keeps EM's u and prior, estimated on
        the candidate pairs only.
    random_state
        Seed for the samples.
    progress
        Show progress bars (``tqdm``, notebook-aware) when tqdm is installed.

    Attributes
    ----------
    classifier_
        The fitted classifier.
    thresholds_
        ``{"verified_threshold", "review_threshold", "min_margin"}`` in use.
    timings_
        Seconds per stage of the last ``fit``.
    fingerprint_
        SHA-256 of the model JSON.
    """

    def __init__(
        self,
        *,
        schema: Any = None,
        blocking: Any = None,
        comparisons: Any = None,
        classifier: Any = None,
        verified_threshold: float | None = None,
        review_threshold: float | None = None,
        min_margin: float = _DEFAULT_MIN_MARGIN,
        target_precision: float = 0.999,
        max_fit_pairs: int = 2_000_000,
        u_pairs: int = 200_000,
        random_state: int = 0,
        progress: bool = True,
    ) -> None:
        self.schema = schema
        self.blocking = blocking
        self.comparisons = comparisons
        self.classifier = classifier
        self.verified_threshold = verified_threshold
        self.review_threshold = review_threshold
        self.min_margin = min_margin
        self.target_precision = target_precision
        self.max_fit_pairs = max_fit_pairs
        self.u_pairs = u_pairs
        self.random_state = random_state
        self.progress = progress

    # ----- configuration -------------------------------------------------

    def _schemas(self, registry: Table | None, records: Table | None) -> tuple[Any, Any]:
        if hasattr(self, "registry_schema_") and hasattr(self, "records_schema_"):
            return self.registry_schema_, self.records_schema_
        schema = self.schema
        if isinstance(schema, tuple | list) and len(schema) == 2:
            reg_schema, rec_schema = (_as_schema(s) for s in schema)
        elif schema is not None:
            reg_schema = rec_schema = _as_schema(schema)
        else:
            from vnlink.datasets import records_schema, registry_schema

            reg_schema = registry_schema()
            rec_schema = records_schema()
            if registry is not None:
                reg_schema = guess_schema(registry, reg_schema)
            if records is not None:
                rec_schema = guess_schema(records, rec_schema)
        return reg_schema, rec_schema

    def _rules(self) -> list[Any]:
        from vnlink.blocking import BlockingRule, Key, block_on, default_rules

        if self.blocking is None:
            return list(default_rules())
        given = self.blocking
        items = [given] if isinstance(given, (BlockingRule, str, Key)) else list(given)
        rules: list[Any] = []
        for item in items:
            if isinstance(item, BlockingRule):
                rules.append(item)
            elif isinstance(item, (str, Key)):
                rules.append(block_on(item))
            elif isinstance(item, tuple) and item and all(isinstance(c, (str, Key)) for c in item):
                rules.append(block_on(*item))
            else:
                raise ConfigurationError(
                    "blocking must be a rule (block_on(...), SortedNeighbourhood(...)), a column "
                    f"name, a tuple of column names, or a list of those; got {type(item).__name__}"
                )
        if not rules:
            raise ConfigurationError("pass at least one blocking rule (or None for the defaults)")
        return rules

    def _comparison_set(self) -> Any:
        from vnlink.compare import ComparisonSet, default_comparisons

        comps = self.comparisons if self.comparisons is not None else default_comparisons()
        if isinstance(comps, ComparisonSet):
            return comps
        return ComparisonSet(list(comps))

    def _new_classifier(self) -> Any:
        if self.classifier is not None:
            from sklearn.base import clone

            return clone(self.classifier)
        from vnlink.classify import FellegiSunter

        return FellegiSunter()

    def _check_fitted(self) -> None:
        if not hasattr(self, "classifier_"):
            raise NotFittedError(
                "this Linker is not fitted yet: call fit(registry, records) or Linker.load(path)"
            )

    # ----- stages ----------------------------------------------------------

    def _prepare(self, table: Table, schema: Any) -> Any:
        from vnlink.prepare import PreparedTable, prepare

        if isinstance(table, PreparedTable):  # already prepared by the caller
            return table
        return prepare(table, schema)

    def _candidate_pairs(self, left: Any, right: Any | None) -> Any:
        from vnlink.blocking import candidate_pairs

        return candidate_pairs(self.rules_, left, right)

    def _vectors(self, pairs: Any, left: Any, right: Any) -> Any:
        return self.comparisons_.compute(pairs, left, right)

    def _score(self, pairs: Any, left: Any, right: Any) -> tuple[
        NDArray[np.float64], NDArray[np.float64]
    ]:
        """Match weight and probability of every pair, computed in bounded chunks."""
        n = len(pairs.left)
        weight = np.empty(n, dtype=np.float64)
        prob = np.empty(n, dtype=np.float64)
        for start in range(0, n, _CHUNK_PAIRS):
            sl = slice(start, min(n, start + _CHUNK_PAIRS))
            X = self._vectors(_subset_pairs(pairs, sl), left, right)
            weight[sl], prob[sl] = self._weight_and_probability(X)
        return weight, prob

    def _weight_and_probability(self, X: Any) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Match weight and probability of scored vectors (one pass for Fellegi–Sunter)."""
        from vnlink.classify import FellegiSunter
        from vnlink.classify.explain import probability_from_weight

        model = self.classifier_
        weight = np.asarray(model.match_weight(X), dtype=np.float64)
        if isinstance(model, FellegiSunter):  # its probability is a function of the weight
            return weight, np.asarray(probability_from_weight(weight), dtype=np.float64)
        return weight, np.asarray(model.predict_proba(X), dtype=np.float64)[:, 1]

    # ----- fit -------------------------------------------------------------

    def fit(self, registry: Any, records: Any, truth: Any = None) -> Linker:
        """Learn the model from a registry and records.

        Parameters
        ----------
        registry, records
            Any table (pandas/polars DataFrame, pyarrow Table, mapping, list of dicts).
        truth
            Optional labels: a table with ``record_id`` and ``person_id``
            (``""`` when the record's person is not in the registry). Without it
            the model is fitted unsupervised (EM; see ``u_pairs``).

        Returns
        -------
        Linker
            ``self``, fitted.
        """
        stages = Stages(["prepare registry", "prepare records", "block", "compare", "fit"],
                        progress=self.progress, desc="vnlink fit")
        try:
            self._fit_stages(registry, records, truth, stages)
        finally:
            stages.close()
        self.timings_ = stages.timings
        return self

    def fit_link(self, registry: Any, records: Any, truth: Any = None) -> LinkResult:
        """``fit`` then ``link`` the same tables, preparing and blocking them only once."""
        stages = Stages(["prepare registry", "prepare records", "block", "compare", "fit",
                         "score", "decide", "explain"], progress=self.progress,
                        desc="vnlink fit+link")
        try:
            left, right, pairs, X = self._fit_stages(registry, records, truth, stages)
            with stages.stage("score"):
                if X is not None and len(X.levels) == len(pairs.left):  # fitted on every pair
                    weight, prob = self._weight_and_probability(X)
                else:
                    weight, prob = self._score(pairs, left, right)
            table = self._decide(left, right, pairs, weight, prob, stages)
        finally:
            stages.close()
        self.timings_ = {k: v for k, v in stages.timings.items()
                         if k not in ("score", "decide", "explain")}
        return LinkResult(table, origin=_origin(records, right), timings=stages.timings,
                          fingerprint=self.fingerprint_, n_pairs=len(pairs.left))

    def _fit_stages(self, registry: Any, records: Any, truth: Any, stages: Stages) -> tuple[
        Any, Any, Any, Any
    ]:
        check_thresholds(
            _DEFAULT_VERIFIED if self.verified_threshold is None
            else self.verified_threshold,
            _DEFAULT_REVIEW if self.review_threshold is None else self.review_threshold,
            self.min_margin,
        )
        reg = _read_input(registry, "registry")
        rec = _read_input(records, "records")
        for attr in ("registry_schema_", "records_schema_"):
            if hasattr(self, attr):
                delattr(self, attr)
        self.registry_schema_, self.records_schema_ = self._schemas(reg, rec)
        self.rules_ = self._rules()
        self.comparisons_ = self._comparison_set()
        with stages.stage("prepare registry"):
            left = self._prepare(reg, self.registry_schema_)
        with stages.stage("prepare records"):
            right = self._prepare(rec, self.records_schema_)
        with stages.stage("block"):
            pairs = self._candidate_pairs(left, right)
        rng = np.random.default_rng(self.random_state)
        n_pairs = len(pairs.left)
        if n_pairs == 0:
            raise ConfigurationError(
                "blocking found no candidate pairs to learn from: check the schema "
                "(which columns hold name, date of birth, ID) and the blocking rules"
            )
        y = None
        if truth is not None:
            y = self._pair_labels(truth, left, right, pairs)
        with stages.stage("compare"):
            if n_pairs > self.max_fit_pairs:
                keep = np.sort(rng.choice(n_pairs, size=self.max_fit_pairs, replace=False))
                sample = _subset_pairs(pairs, keep)
                y = y[keep] if y is not None else None
            else:
                sample = pairs
            X = self._vectors(sample, left, right)
        with stages.stage("fit"):
            classifier = self._new_classifier()
            if y is not None:
                if y.all() or not y.any():
                    raise ConfigurationError(
                        "the truth gives only one kind of candidate pair (all matches or "
                        "none); check that its record_id and person_id match the tables"
                    )
                classifier.fit(X, y)
            else:
                self._fit_unsupervised(classifier, X, left, right, n_pairs)
            self.classifier_ = classifier
            self.thresholds_ = self._thresholds(truth, left, right, pairs)
        self.fingerprint_ = self._fingerprint()
        return left, right, pairs, (X if sample is pairs else None)

    def _fit_unsupervised(self, classifier: Any, X: Any, left: Any, right: Any,
                          n_candidates: int) -> None:
        """EM on the candidate pairs for m; u from random pairs; prior over all pairs."""
        classifier.fit(X)
        fs_like = all(hasattr(classifier, a) for a in ("m_", "u_", "lambda_"))
        if self.u_pairs <= 0 or not fs_like:
            return
        from vnlink.classify import estimate_u

        n_all = left.n_rows * right.n_rows
        u = estimate_u(self.comparisons_, left, right, n_pairs=max(1, min(self.u_pairs, n_all)),
                       seed=self.random_state)
        expected_matches = float(classifier.lambda_) * n_candidates
        prior = min(max(expected_matches / n_all, 1e-12), 0.5)
        fixed: list[NDArray[np.float64]] = []
        for m, u_j in zip(classifier.m_, u, strict=True):
            u_j = np.asarray(u_j, dtype=np.float64).copy()
            # level 0 is disagreement: it may never count as evidence *for* a match
            if len(u_j) > 1 and m[0] > u_j[0]:
                u_j[0] = m[0]
                u_j /= u_j.sum()
            fixed.append(u_j)
        classifier.u_ = fixed
        classifier.lambda_ = float(prior)

    def _pair_labels(self, truth: Any, left: Any, right: Any, pairs: Any) -> NDArray[np.bool_]:
        t = _read_input(truth, "truth")
        for column in ("record_id", "person_id"):
            if column not in t:
                raise SchemaError(f"the truth table needs a {column!r} column")
        person_of = dict(zip(_strings(t["record_id"]).tolist(), _strings(t["person_id"]).tolist(),
                             strict=True))
        rec_ids = _strings(right["record_id"])
        true_person = np.array([person_of.get(r, "") for r in rec_ids.tolist()], dtype=object)
        reg_ids = _strings(left["record_id"])
        same = np.asarray(reg_ids[pairs.left] == true_person[pairs.right], dtype=bool)
        known = np.asarray(true_person[pairs.right] != "", dtype=bool)
        out: NDArray[np.bool_] = same & known
        return out

    def _thresholds(self, truth: Any, left: Any, right: Any, pairs: Any) -> dict[str, float]:
        verified = self.verified_threshold
        review = self.review_threshold
        if truth is not None and (verified is None or review is None):
            chosen = self._choose_thresholds(truth, left, right, pairs)
            verified = chosen[0] if verified is None else verified
            review = min(chosen[1], verified) if review is None else review
        verified = _DEFAULT_VERIFIED if verified is None else float(verified)
        review = _DEFAULT_REVIEW if review is None else float(review)
        review = min(review, verified)
        check_thresholds(verified, review, self.min_margin)
        return {"verified_threshold": verified, "review_threshold": review,
                "min_margin": float(self.min_margin)}

    def _choose_thresholds(self, truth: Any, left: Any, right: Any, pairs: Any) -> tuple[
        float, float
    ]:
        """Thresholds on the records' best candidates that reach ``target_precision``."""
        from vnlink.classify.thresholds import choose_thresholds

        weight, prob = self._score(pairs, left, right)
        best, _ = best_and_runner_up(pairs.right, weight, right.n_rows, tie_break=pairs.left)
        has = best >= 0
        y = self._pair_labels(truth, left, right, pairs)[best[has]]
        scores = prob[best[has]]
        if y.all() or not y.any():
            return _DEFAULT_VERIFIED, _DEFAULT_REVIEW
        choice = choose_thresholds(y, scores, target_precision=self.target_precision,
                                   max_review=0.05)
        verify = max(float(choice.verify), 0.5)
        return verify, min(float(choice.review), verify, _DEFAULT_REVIEW)

    # ----- link --------------------------------------------------------------

    def link(self, registry: Any, records: Any) -> LinkResult:
        """Decide, for every record, who in the registry it is.

        Returns
        -------
        LinkResult
            Exactly one row per record, in input order (see :class:`LinkResult`).
        """
        self._check_fitted()
        reg = _read_input(registry, "registry")
        rec = _read_input(records, "records")
        stages = Stages(["prepare registry", "prepare records", "block", "score", "decide",
                         "explain"], progress=self.progress, desc="vnlink link")
        try:
            with stages.stage("prepare registry"):
                left = self._prepare(reg, self.registry_schema_)
            with stages.stage("prepare records"):
                right = self._prepare(rec, self.records_schema_)
            with stages.stage("block"):
                pairs = self._candidate_pairs(left, right)
            with stages.stage("score"):
                weight, prob = self._score(pairs, left, right)
            table = self._decide(left, right, pairs, weight, prob, stages)
        finally:
            stages.close()
        return LinkResult(table, origin=_origin(records, rec), timings=stages.timings,
                          fingerprint=self.fingerprint_, n_pairs=len(pairs.left))

    def _decide(self, left: Any, right: Any, pairs: Any, weight: NDArray[np.float64],
                prob: NDArray[np.float64], stages: Stages | None = None) -> Table:
        """Build the result table from scored pairs (shared by link and the index)."""
        n = right.n_rows
        th = self.thresholds_
        timer = stages.stage if stages is not None else None
        ctx = timer("decide") if timer is not None else nullcontext()
        with ctx:
            pl = np.asarray(pairs.left, dtype=np.int64)
            pr = np.asarray(pairs.right, dtype=np.int64)
            best, second = best_and_runner_up(pr, weight, n, tie_break=pl)
            has = best >= 0
            has2 = second >= 0
            bi = np.where(has, best, 0)
            si = np.where(has2, second, 0)
            reg_ids = left["record_id"]
            person = np.full(n, "", dtype=object)
            runner = np.full(n, "", dtype=object)
            if len(pl):
                person[has] = _strings(reg_ids[pl[best[has]]])
                runner[has2] = _strings(reg_ids[pl[second[has2]]])
            w_best = np.where(has, weight[bi] if len(pl) else np.nan, np.nan)
            p_best = np.where(has, prob[bi] if len(pl) else np.nan, np.nan)
            margin = np.where(has2, w_best - (weight[si] if len(pl) else 0.0), np.nan)
            status = assign_status(p_best, np.where(has2, margin, np.inf), has,
                                   verified_threshold=th["verified_threshold"],
                                   review_threshold=th["review_threshold"],
                                   min_margin=th["min_margin"])
            n_cand = np.bincount(pr, minlength=n).astype(np.int64)
            rule_names = list(pairs.rule_names)
            rule = np.full(n, "", dtype=object)
            if len(pl):
                names = np.asarray([*rule_names, ""], dtype=object)
                rule[has] = names[np.asarray(pairs.rule, dtype=np.int64)[best[has]]]
        ctx = timer("explain") if timer is not None else nullcontext()
        with ctx:
            rows = np.flatnonzero(has)
            li = pl[best[rows]] if len(pl) else np.zeros(0, dtype=np.int64)
            flags_rows = reason_flags(left, right, li, rows)
            flags: dict[str, NDArray[np.bool_]] = {}
            for code, mask in flags_rows.items():
                full = np.zeros(n, dtype=bool)
                full[rows] = mask
                flags[code] = full
            _demote_conflicts(status, flags)
            flags.update(_decision_flags(_usable(right), has, has2, status, p_best, margin, th))
            codes, texts = join_codes(flags, n)
            fixes = {f"fix_{f}": np.full(n, "", dtype=object) for f in _CORRECTION_FIELDS}
            fixes["corrections"] = np.full(n, "", dtype=object)
            vrows = np.flatnonzero(status == _VERIFIED)
            if vrows.size:
                got = corrections(left, right, pl[best[vrows]], vrows)
                for key, values in got.items():
                    fixes[key][vrows] = values
        columns: dict[str, NDArray[Any]] = {
            "record_id": _strings(right["record_id"]),
            "person_id": person,
            "status": status,
            "match_probability": p_best,
            "match_weight": w_best,
            "runner_up_person_id": runner,
            "runner_up_margin": margin,
            "n_candidates": n_cand,
            "blocking_rule": rule,
            "reason_codes": codes,
            "reasons": texts,
            "corrections": fixes.pop("corrections"),
            **fixes,
            "model_fingerprint": np.full(n, self.fingerprint_, dtype=object),
            "vnlink_version": np.full(n, __version__, dtype=object),
        }
        return Table(columns, n_rows=n)

    # ----- dedupe ------------------------------------------------------------

    def dedupe(
        self,
        records: Any,
        *,
        threshold: float = 0.99,
        max_cluster_size: int = 8,
        strict_thresholds: Sequence[float] = (0.999, 0.9999, 0.99999),
    ) -> DedupeResult:
        """Cluster records of the same person (connected components of likely matches).

        Pairs with match probability at least ``threshold`` are edges. To stop
        chaining (A~B~C~... merging different people), a component larger than
        ``max_cluster_size`` is split again using only edges above each of
        ``strict_thresholds`` in turn.

        Parameters
        ----------
        records
            The table to deduplicate (read with the records schema).
        threshold
            Match probability for an edge.
        max_cluster_size
            Components above this size are re-split with stricter thresholds.
        strict_thresholds
            Increasing thresholds used for the re-split.
        """
        self._check_fitted()
        if not 0.0 <= threshold <= 1.0:
            raise ConfigurationError(f"threshold must be a probability, got {threshold}")
        if max_cluster_size < 2:
            raise ConfigurationError(f"max_cluster_size must be >= 2, got {max_cluster_size}")
        rec = _read_input(records, "records")
        stages = Stages(["prepare", "block", "score", "cluster"], progress=self.progress,
                        desc="vnlink dedupe")
        try:
            with stages.stage("prepare"):
                prepared = self._prepare(rec, self.records_schema_)
            with stages.stage("block"):
                pairs = self._candidate_pairs(prepared, None)
            with stages.stage("score"):
                _, prob = self._score(pairs, prepared, prepared)
            with stages.stage("cluster"):
                n = prepared.n_rows
                a = np.asarray(pairs.left, dtype=np.int64)
                b = np.asarray(pairs.right, dtype=np.int64)
                edge = prob >= threshold
                labels = _union_find(n, a[edge], b[edge])
                for strict in strict_thresholds:
                    sizes = np.bincount(labels, minlength=n)
                    big = sizes[labels] > max_cluster_size
                    if not big.any():
                        break
                    keep = (prob >= strict) & big[a] & big[b]
                    sub = _union_find(n, a[keep], b[keep])
                    labels = np.where(big, sub, labels)
                sizes = np.bincount(labels, minlength=n)
                best = np.full(n, -np.inf)
                np.maximum.at(best, a, prob)
                np.maximum.at(best, b, prob)
        finally:
            stages.close()
        table = Table({
            "record_id": _strings(prepared["record_id"]),
            "cluster_id": labels,
            "cluster_size": sizes[labels].astype(np.int64),
            "max_match_probability": np.where(np.isfinite(best), best, np.nan),
        })
        return DedupeResult(table, origin=_origin(records, rec), timings=stages.timings)

    # ----- real-time index ----------------------------------------------------

    def index(self, registry: Any) -> RegistryIndex:
        """Prepare and index the registry once for one-record lookups (:class:`RegistryIndex`)."""
        self._check_fitted()
        return RegistryIndex(self, _read_input(registry, "registry"))

    # ----- persistence ----------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The fitted model as a JSON-ready dict (schemas, rules, comparisons, classifier)."""
        self._check_fitted()
        from vnlink.classify.io import model_to_dict

        return {
            "format": _MODEL_FORMAT,
            "format_version": _MODEL_VERSION,
            "vnlink_version": __version__,
            "registry_schema": _schema_to_dict(self.registry_schema_),
            "records_schema": _schema_to_dict(self.records_schema_),
            "blocking": [rule.to_dict() for rule in self.rules_],
            "comparisons": [c.to_dict() for c in self.comparisons_.comparisons],
            "classifier": model_to_dict(self.classifier_),
            "thresholds": dict(self.thresholds_),
        }

    def _fingerprint(self) -> str:
        doc = self.to_dict()
        doc.pop("vnlink_version", None)
        return hashlib.sha256(_canonical_json(doc)).hexdigest()

    def save(self, path: str | os.PathLike[str], *, overwrite: bool = True) -> Path:
        """Save the fitted model as sealed JSON (no pickle, atomic, mode 0600); return the path.

        See :mod:`vnlink._sealed` and docs/files.md for the integrity hash.
        """
        from vnlink._sealed import write_sealed_json

        return write_sealed_json(path, self.to_dict(), overwrite=overwrite)

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any], *, progress: bool = True) -> Linker:
        """Rebuild a fitted Linker from :meth:`to_dict`."""
        if not isinstance(doc, Mapping) or doc.get("format") != _MODEL_FORMAT:
            raise ModelFormatError(
                f"not a vnlink linker model (expected format {_MODEL_FORMAT!r}); "
                "pass a file written by Linker.save"
            )
        if int(doc.get("format_version", 0)) > _MODEL_VERSION:
            raise ModelFormatError(
                f"the model file has format version {doc.get('format_version')}, newer than this "
                f"vnlink ({__version__}) reads; upgrade vnlink"
            )
        try:
            from vnlink.blocking import rule_from_dict
            from vnlink.classify.io import loads_model
            from vnlink.compare import ComparisonSet, comparison_from_dict

            th = doc["thresholds"]
            linker = cls(
                verified_threshold=float(th["verified_threshold"]),
                review_threshold=float(th["review_threshold"]),
                min_margin=float(th["min_margin"]),
                progress=progress,
            )
            linker.registry_schema_ = _schema_from_dict(doc["registry_schema"])
            linker.records_schema_ = _schema_from_dict(doc["records_schema"])
            linker.rules_ = [rule_from_dict(r) for r in doc["blocking"]]
            linker.comparisons_ = ComparisonSet([comparison_from_dict(c)
                                                 for c in doc["comparisons"]])
            linker.classifier_ = loads_model(json.dumps(doc["classifier"]))
            linker.thresholds_ = {k: float(v) for k, v in th.items()}
        except (KeyError, TypeError, ValueError) as error:
            if isinstance(error, ModelFormatError):
                raise
            raise ModelFormatError(f"the linker model is malformed ({error}); save it again "
                                   "with Linker.save") from None
        linker.schema = (linker.registry_schema_, linker.records_schema_)
        linker.blocking = linker.rules_
        linker.comparisons = linker.comparisons_
        linker.timings_ = {}
        linker.fingerprint_ = linker._fingerprint()
        return linker

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, progress: bool = True,
             allow_edited: bool = False) -> Linker:
        """Load a model written by :meth:`save` (size, depth and integrity checked first).

        An edited file raises ModelFormatError unless ``allow_edited=True``.
        """
        from vnlink._sealed import model_errors, read_sealed_json

        doc = read_sealed_json(path, allow_edited=allow_edited)
        with model_errors(Path(path).name):
            return cls.from_dict(doc, progress=progress)

    def __repr__(self) -> str:
        state = "fitted" if hasattr(self, "classifier_") else "not fitted"
        return f"Linker({state})"


"""Real-time lookup: the prepared registry plus per-blocking-rule key indexes (internal module).

:class:`RegistryIndex` is built by :meth:`vnlink.Linker.index`. For every
blocking rule it keeps the registry's keys as a sorted byte-string array with
the row ids grouped by key (a CSR layout: ``keys``, ``offsets``, ``rows``), so a
lookup is one :func:`numpy.searchsorted` per rule. A query prepares the one
record with the normalizers, compares it with its candidates only, and
scores and explains them with the linker's model.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import json
import os
import time
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from vnlink._bulk import factorize
from vnlink._table import Table, as_table
from vnlink.compare import _encode
from vnlink.exceptions import ConfigurationError, ModelFormatError, SchemaError
from vnlink.model import pipeline_from_dict, pipeline_to_dict
from vnlink.pipeline import ScoredPairs
from vnlink.results import LinkResult

if TYPE_CHECKING:
    from vnlink.pipeline import Pipeline

__all__ = ["RegistryIndex"]

_SEP = b"\x1f"
_INDEX_FORMAT = "vnlink-registry-index"
_PREPARE_CHUNK = 200_000  # registry rows prepared at a time when building an index


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value == ""
    if isinstance(value, (bool, int, np.integer)):
        return bool(value == 0)
    if isinstance(value, (float, np.floating)):
        return bool(value == 0 or value != value)
    return False


def _hash64(key: bytes) -> int:
    """A stable 64-bit hash (the same in every process, unlike ``hash``)."""
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "little")


def _key_text(value: Any, start: int | None, stop: int | None, sliced: bool) -> bytes | None:
    """The bytes of one key part (``None`` when missing), as the blocking stage cuts it."""
    if _is_missing(value):
        return None
    if isinstance(value, (int, np.integer)) and not sliced:
        text = f"{int(value):020d}"
    else:
        text = str(value)
        if sliced:
            text = text[start:stop]
            if text == "":
                return None
    return text.encode("utf-8")


class _RuleIndex:
    """Sorted keys of one rule over the registry rows, with the rows of each key."""

    def __init__(self, rule: Any, table: Table, max_block: int | None) -> None:
        self.rule = rule
        self.window_half = int(getattr(rule, "half", 0)) if hasattr(rule, "window") else 0
        self.parts = self._parts(rule)
        self.max_block = max_block
        keys = self.row_keys(table)
        self._build(keys, np.arange(table.n_rows, dtype=np.int64))

    @staticmethod
    def _parts(rule: Any) -> list[tuple[str, int | None, int | None, bool]]:
        keys = getattr(rule, "keys", None)
        if keys is None:
            key = getattr(rule, "key", None)
            if key is None:
                raise ConfigurationError(
                    f"the index cannot use blocking rule {getattr(rule, 'name', rule)!r}: "
                    "use block_on(...) or SortedNeighbourhood(...) rules"
                )
            keys = (key,)
        return [(k.column, k.start, k.stop, bool(k.sliced)) for k in keys]

    def row_keys(self, table: Table) -> list[Any]:
        """The key of every row (``None`` when any part is missing).

        Exact rules keep a stable 64-bit hash of the key (8 bytes a row instead of the
        text; a rare collision only adds a candidate, which is then compared and scored);
        sorted-neighbourhood rules keep the text, whose order they need.
        """
        keys = self._text_keys(table)
        if self.window_half:
            return keys
        return [None if k is None else _hash64(k) for k in keys]

    def _text_keys(self, table: Table) -> list[bytes | None]:
        from vnlink._bulk import factorize

        columns: list[list[bytes | None]] = []
        for column, start, stop, sliced in self.parts:
            if column not in table:
                raise SchemaError(f"blocking needs the column {column!r} in the prepared tables")
            distinct, inverse = factorize(table[column])
            cut = [_key_text(v, start, stop, sliced) for v in distinct]
            columns.append([cut[i] for i in inverse.tolist()])
        if len(columns) == 1:
            return columns[0]
        out: list[bytes | None] = []
        for parts in zip(*columns, strict=True):
            out.append(None if any(p is None for p in parts) else _SEP.join(parts))
        return out

    def _build(self, keys: Sequence[Any], rows: NDArray[np.int64]) -> None:
        present = np.fromiter((k is not None for k in keys), dtype=bool, count=len(keys))
        kind: Any = bytes if self.window_half else np.uint64
        empty: Any = b"" if self.window_half else 0
        values = np.asarray([k for k in keys if k is not None] or [empty], dtype=kind)
        if not present.any():
            values = values[:0]
        rows = rows[present]
        order = np.argsort(values, kind="stable")
        sorted_values = values[order]
        if len(sorted_values):
            starts = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
        else:
            starts = np.zeros(0, dtype=np.int64)
        self.keys = sorted_values[starts]
        # int32 positions while the registry allows (half the memory of int64)
        small = len(rows) < 2**31 - 1 and (len(rows) == 0 or int(rows.max()) < 2**31 - 1)
        position: Any = np.int32 if small else np.int64
        self.offsets = np.r_[starts, len(sorted_values)].astype(position)
        self.rows = rows[order].astype(position)
        self.pending: dict[Any, list[int]] = {}

    def add(self, keys: Sequence[Any], rows: NDArray[np.int64]) -> None:
        for key, row in zip(keys, rows.tolist(), strict=True):
            if key is not None:
                self.pending.setdefault(key, []).append(row)

    def merge(self) -> None:
        """Fold the pending additions into the sorted arrays."""
        if not self.pending:
            return
        counts = np.diff(self.offsets)
        keys: list[Any] = list(np.repeat(self.keys, counts).tolist())
        rows = [self.rows]
        for key, extra in self.pending.items():
            keys.extend([key] * len(extra))
            rows.append(np.asarray(extra, dtype=np.int64))
        self._build(keys, np.concatenate(rows))

    def lookup(self, key: Any) -> NDArray[np.int64]:
        """Registry rows whose key agrees (or is in the window, for sorted neighbourhood)."""
        if key is None:
            return np.zeros(0, dtype=np.int64)
        if not self.window_half:
            key = np.uint64(key)
        pos = int(np.searchsorted(self.keys, key))
        exact = pos < len(self.keys) and self.keys[pos] == key
        if self.window_half == 0:
            lo, hi = (pos, pos + 1) if exact else (pos, pos)
        else:
            h = self.window_half
            lo = max(0, pos - h)
            hi = min(len(self.keys), pos + h + 1 if exact else pos + h)
        found: NDArray[np.int64] = (self.rows[self.offsets[lo]:self.offsets[hi]] if hi > lo
                                    else self.rows[:0]).astype(np.int64)
        if self.max_block is not None and self.window_half == 0 and len(found) > self.max_block:
            found = found[:0]
        if self.pending:
            extra = self.pending.get(key)
            if extra:
                found = np.concatenate([found, np.asarray(extra, dtype=np.int64)])
        return found

    def nbytes(self) -> int:
        return int(self.keys.nbytes + self.offsets.nbytes + self.rows.nbytes)


class RegistryIndex:
    """A prepared registry with blocking-key indexes, for lookups of one record in milliseconds.

    Build it with :meth:`vnlink.Linker.index` (or ``RegistryIndex(pipeline, registry)``).
    Use :meth:`query` at a
    vaccination desk (one record, the best ``top_k`` candidates with
    probabilities and reasons), :meth:`query_many` for a batch (the same
    result table as :meth:`vnlink.Linker.link`), :meth:`add` for new registry
    rows, :meth:`save` / :meth:`load` to keep it on disk.

    Attributes
    ----------
    prepared : Table
        The prepared registry (derived columns).
    build_seconds : float
        Time taken to prepare and index the registry.
    """

    def __init__(self, model: Any, registry: Table | None, *,
                 _prepared: Table | None = None) -> None:
        #: The pipeline the index runs (a fitted Linker's, or one loaded from a model file).
        self.pipeline: Pipeline = getattr(model, "pipeline", model)
        start = time.perf_counter()
        if _prepared is None:
            if registry is None:
                raise ConfigurationError("RegistryIndex needs a registry table")
            # the compact form a loaded index has: each distinct string one object
            self.prepared: Any = _compact(_prepare_slim(self.pipeline, registry))
        else:
            self.prepared = _slim(_prepared, self.pipeline)
        self._build()
        # what preparing left behind (cycles of its intermediate objects) is freed now,
        # not at some later query, and the C heap's free pages go back to the system
        gc.collect()
        _release_free_heap()
        self.build_seconds = time.perf_counter() - start

    def _build(self) -> None:
        from vnlink.blocking import DEFAULT_MAX_BLOCK_PAIRS

        self._ids = _strings(self.prepared["record_id"])
        self._rules = [_RuleIndex(rule, self.prepared, DEFAULT_MAX_BLOCK_PAIRS)
                       for rule in self.pipeline.rules]
        # Term frequencies come from arrays computed here once, not per query.
        cset = self.pipeline.comparisons
        self._tf: dict[str, NDArray[np.float64]] = {}
        self._tf_slots: list[tuple[int, str, tuple[int, ...]]] = []
        for j, comparison in enumerate(cset.comparisons):
            column, tf_levels = comparison.tf_column, tuple(comparison.tf_levels)
            if column is None or not tf_levels:
                continue
            self._tf_slots.append((j, column, tf_levels))
            if column not in self._tf:
                self._tf[column] = np.asarray(cset.row_frequencies(self.prepared, column),
                                              dtype=np.float64)
        self._fast = _without_tf(cset)
        self._spec = cset.to_dict()
        # Queries never encode the registry (they compare within a small table of the
        # candidates): the encodings made for the frequencies above are dropped.
        _encode.forget(self.prepared)

    def __len__(self) -> int:
        return int(self.prepared.n_rows)

    def __repr__(self) -> str:
        return f"RegistryIndex({len(self):,} registry rows, {len(self._rules)} rules)"

    @property
    def nbytes(self) -> int:
        """Bytes held by the key indexes (the prepared registry not counted)."""
        return int(sum(r.nbytes() for r in self._rules))

    # ----- lookups -------------------------------------------------------

    def _candidates(self, right: Table) -> tuple[NDArray[np.int64], NDArray[np.int64],
                                                 NDArray[np.int8]]:
        """Candidate (registry row, record row, rule) triples, unique per pair, first rule."""
        lefts: list[NDArray[np.int64]] = []
        rights: list[NDArray[np.int64]] = []
        rules: list[NDArray[np.int8]] = []
        for r, index in enumerate(self._rules):
            keys = index.row_keys(right)
            for i, key in enumerate(keys):
                if key is None:
                    continue
                found = index.lookup(key)
                if len(found):
                    lefts.append(found)
                    rights.append(np.full(len(found), i, dtype=np.int64))
                    rules.append(np.full(len(found), r, dtype=np.int8))
        if not lefts:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0, dtype=np.int8)
        left = np.concatenate(lefts)
        rec = np.concatenate(rights)
        rule = np.concatenate(rules)
        # unique (record, registry row), keeping the first rule (rules were appended in order)
        order = np.lexsort((rule, left, rec))
        left, rec, rule = left[order], rec[order], rule[order]
        keep = np.r_[True, (left[1:] != left[:-1]) | (rec[1:] != rec[:-1])]
        return left[keep], rec[keep], rule[keep]

    def _score(self, left_rows: NDArray[np.int64], right: Table, rec_rows: NDArray[np.int64]
               ) -> tuple[Any, NDArray[np.float64], NDArray[np.float64]]:
        """Compare the candidates only; term frequencies from the precomputed arrays."""
        if len(left_rows) == 0:
            return None, np.zeros(0), np.zeros(0)
        # Compare within one small table: the candidate rows followed by the records.
        # Nothing done per query grows with the registry (encodings of a 1M-row table are
        # not touched), and comparing a table with itself encodes each column once, with
        # no joint vocabulary of two tables to build.
        uniq, local = np.unique(left_rows, return_inverse=True)
        both = _stack(self.prepared, uniq, right)
        vectors = self._fast.compute(
            (local.reshape(-1).astype(np.int64), rec_rows + len(uniq)), both, both)
        tf = np.full(vectors.levels.shape, np.nan, dtype=np.float64)
        for j, column, tf_levels in self._tf_slots:
            mask = np.isin(vectors.levels[:, j], np.asarray(tf_levels, dtype=np.int8))
            tf[mask, j] = self._tf[column][left_rows[mask]]
        vectors = dataclasses.replace(vectors, tf=tf, spec=self._spec)
        weight, prob = self._weigh(vectors)
        return vectors, weight, prob

    def _weigh(self, vectors: Any) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Match weight and probability; for Fellegi–Sunter without re-validating the vectors.

        The vectors were made here by the model's own comparisons, so the checks of
        ``match_weight`` (a third of a millisecond per query) are skipped; the sum is the
        same, in the same order, as ``FellegiSunter.match_weight``.
        """
        from vnlink.classify import FellegiSunter
        from vnlink.classify.explain import probability_from_weight

        model = self.pipeline.classifier
        if type(model) is not FellegiSunter:
            return self.pipeline.score(vectors)
        weight = np.full(vectors.levels.shape[0], model.prior_weight_, dtype=np.float64)
        for _, level_weights, tf_part in model._columns(vectors):
            weight += level_weights
            if tf_part is not None:
                weight += tf_part
        return weight, np.asarray(probability_from_weight(weight), dtype=np.float64)

    def _prepare_records(self, records: Any) -> Table:
        if isinstance(records, Mapping) and not any(
            isinstance(v, (list, tuple, np.ndarray)) for v in records.values()
        ):
            records = [dict(records)]
        table = as_table(records)
        schema = self.pipeline.records_schema
        missing = [c for c in schema.columns() if c not in table]
        if missing:  # a lookup may leave fields out: they count as missing values
            columns = dict(table.columns)
            for column in missing:
                columns[column] = np.full(table.n_rows, None, dtype=object)
            table = Table(columns, n_rows=table.n_rows)
        return self.pipeline.prepare(table, "records")

    def _scored(self, right: Table) -> ScoredPairs:
        left_rows, rec_rows, rule = self._candidates(right)
        vectors, weight, prob = self._score(left_rows, right, rec_rows)
        k = len(self.pipeline.comparisons.comparisons)
        levels = vectors.levels if vectors is not None else np.zeros((0, k), dtype=np.int8)
        return ScoredPairs(left_rows, rec_rows, rule, tuple(r.rule.name for r in self._rules),
                           levels, weight, prob)

    def query_many(self, records: Any) -> LinkResult:
        """Link a batch of records against the index: the same table as :meth:`Linker.link`."""
        start = time.perf_counter()
        right = self._prepare_records(records)
        scored = self._scored(right)
        table = self.pipeline.decide(self.prepared, right, scored)
        return LinkResult(table, timings={"query": time.perf_counter() - start},
                          fingerprint=self.pipeline.fingerprint, n_pairs=len(scored))

    def query(self, record: Any, *, top_k: int = 5) -> Table:
        """The best ``top_k`` registry candidates for one record, best first.

        Parameters
        ----------
        record
            One record: a dict of column -> value (the records schema's columns).
        top_k
            How many candidates to return.

        Returns
        -------
        Table
            ``rank``, ``person_id``, ``match_probability``, ``match_weight``,
            ``status`` (the record's decision, on the first row, as
            :meth:`Linker.link` would give it; ``candidate`` on the others),
            ``reason_codes``, ``reasons``, ``corrections``.
        """
        if not isinstance(top_k, int) or top_k < 1:
            raise ConfigurationError(f"top_k must be a positive integer, got {top_k!r}")
        from vnlink.reasons import join_codes

        right = self._prepare_records(record)
        if right.n_rows != 1:
            raise ConfigurationError(f"query takes one record, got {right.n_rows}; "
                                     "use query_many for several")
        scored = self._scored(right)
        decided = self.pipeline.decide(self.prepared, right, scored)
        order = np.lexsort((scored.left, -scored.weight))[:top_k]  # as link: weight, then row
        rows = scored.left[order]
        k = len(rows)
        flags, fixes = self.pipeline.explain(self.prepared, right, rows,
                                             np.zeros(k, dtype=np.int64),
                                             levels=scored.levels[order])
        codes, texts = join_codes(flags, k, locale=self.pipeline.locale)
        status = np.full(k, "candidate", dtype=object)
        if k:  # the best candidate carries the record's decision, as link gives it
            status[0] = decided["status"][0]
            codes[0] = decided["reason_codes"][0]
            texts[0] = decided["reasons"][0]
        return Table({
            "rank": np.arange(1, k + 1, dtype=np.int64),
            "person_id": self._ids[rows],
            "match_probability": scored.prob[order],
            "match_weight": scored.weight[order],
            "status": status,
            "reason_codes": codes,
            "reasons": texts,
            "corrections": fixes["corrections"],
        }, n_rows=k)

    # ----- updates -------------------------------------------------------

    def add(self, rows: Any) -> RegistryIndex:
        """Add new registry rows (prepared once, indexed incrementally); return ``self``."""
        new = self.pipeline.prepare(as_table(rows), "registry")
        if new.n_rows == 0:
            return self
        base = self.prepared.n_rows
        merged = {name: np.concatenate([self.prepared[name], new[name]])
                  for name in self.prepared.column_names if name in new}
        from vnlink.prepare import PreparedTable

        source = self.prepared.source
        merged_source = Table({c: np.concatenate([
            np.asarray(source[c], dtype=object), np.asarray(new.source[c], dtype=object)])
            for c in source.column_names if c in new.source})
        self.prepared = PreparedTable(merged, source=merged_source,
                                      schema=self.prepared.schema)
        rows_new = np.arange(base, base + new.n_rows, dtype=np.int64)
        for index in self._rules:
            index.add(index.row_keys(new), rows_new)
            if sum(len(v) for v in index.pending.values()) > max(1000, len(index.rows) // 10):
                index.merge()
        self._ids = _strings(self.prepared["record_id"])
        for column in list(self._tf):
            self._tf[column] = np.asarray(
                self.pipeline.comparisons.row_frequencies(self.prepared, column), dtype=np.float64)
        _encode.forget(self.prepared)
        return self

    # ----- persistence -----------------------------------------------------

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Save the model and the prepared registry to one ``.npz`` file (no pickle)."""
        target = Path(path)
        arrays: dict[str, NDArray[Any]] = {}
        meta: dict[str, Any] = {"format": _INDEX_FORMAT, "version": 1,
                                "model": pipeline_to_dict(self.pipeline), "columns": {},
                                "source": {}}
        for name in self.prepared.column_names:
            meta["columns"][name] = _store(arrays, f"c:{name}", self.prepared[name])
        source = self.prepared.source
        for name in source.column_names:
            meta["source"][name] = _store(arrays, f"s:{name}", source[name])
        arrays["meta"] = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), np.uint8)
        with target.open("wb") as handle:
            np.savez(handle, allow_pickle=False, **arrays)
        return target

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, progress: bool = False) -> RegistryIndex:
        """Load an index written by :meth:`save`."""
        try:
            with np.load(Path(path), allow_pickle=False) as data:
                meta = json.loads(bytes(data["meta"]).decode())
                if meta.get("format") != _INDEX_FORMAT:
                    raise ModelFormatError("not a vnlink registry index file")
                columns = {name: _restore(data, f"c:{name}", kind)
                           for name, kind in meta["columns"].items()}
                source = {name: _restore(data, f"s:{name}", kind)
                          for name, kind in meta["source"].items()}
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
            if isinstance(error, ModelFormatError):
                raise
            raise ModelFormatError(f"cannot read the index file ({type(error).__name__}); "
                                   "write it again with RegistryIndex.save") from None
        from vnlink.prepare import PreparedTable

        del progress  # loading shows no progress bars
        pipeline = pipeline_from_dict(meta["model"])
        n = len(next(iter(columns.values()))) if columns else 0
        prepared = PreparedTable(columns, source=Table(source, n_rows=n),
                                 schema=pipeline.registry_schema, n_rows=n)
        return cls(pipeline, None, _prepared=prepared)


def _prepare_slim(pipeline: Pipeline, registry: Table) -> Any:
    """The slim prepared registry, prepared in chunks of ``_PREPARE_CHUNK`` rows.

    Preparing is row by row, so chunks give the same table; what a chunk leaves
    behind (its problem tuples, its intermediate strings) is freed before the next,
    which keeps the memory high-water mark, and what the process keeps, lower.
    """
    from vnlink.prepare import PreparedTable

    table = registry
    n = table.n_rows
    if isinstance(table, PreparedTable) or n <= _PREPARE_CHUNK:
        return _slim(pipeline.prepare(table, "registry"), pipeline)
    parts = [_slim(pipeline.prepare(table.take(np.arange(start, min(n, start + _PREPARE_CHUNK))),
                                    "registry"), pipeline)
             for start in range(0, n, _PREPARE_CHUNK)]
    first = parts[0]
    columns = {name: np.concatenate([p[name] for p in parts]) for name in first.column_names}
    source = Table({name: np.concatenate([np.asarray(p.source[name]) for p in parts])
                    for name in first.source.column_names}, n_rows=n)
    return PreparedTable(columns, source=source, schema=first.schema, n_rows=n)


def _slim(prepared: Any, pipeline: Pipeline) -> Any:
    """The prepared registry without what lookups never read (memory: 1M rows and more).

    The per-row problem tuples, the source columns other than the address
    (which corrections quote as typed) and the caller's raw columns that no
    rule or comparison reads are dropped.
    """
    from vnlink.pipeline import referenced_columns
    from vnlink.prepare import PreparedTable

    source = prepared.source
    keep = prepared.schema.columns_of("address")
    slim_source = Table({c: source[c] for c in keep if c in source}, n_rows=prepared.n_rows)
    raw = set(prepared.raw_columns()) - referenced_columns(pipeline)
    columns = {k: v for k, v in prepared.columns.items() if k != "problems" and k not in raw}
    return PreparedTable(columns, source=slim_source, schema=prepared.schema,
                         n_rows=prepared.n_rows)


def _release_free_heap() -> None:
    """Return the C heap's free pages to the system (glibc ``malloc_trim``; else nothing).

    Preparing a large registry frees far more than the index keeps; glibc keeps those
    pages mapped (the process's resident memory) until trimmed.
    """
    import contextlib
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):  # not glibc (musl, ...): nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _compact(prepared: Any) -> Any:
    """``prepared`` with its string columns in the form :meth:`RegistryIndex.load` gives.

    A column of a million rows typed row by row holds a million string objects, even
    when it has a few thousand distinct values; here each column is rebuilt from its
    distinct values and codes (:func:`_from_codes`, as loading does), so equal values
    share one object. Values are kept as they are (``None`` stays ``None``).
    """
    from vnlink.prepare import PreparedTable

    source = prepared.source
    columns = {name: _shared(prepared[name]) for name in prepared.column_names}
    slim_source = Table({name: _shared(np.asarray(source[name])) for name in source.column_names},
                        n_rows=prepared.n_rows)
    return PreparedTable(columns, source=slim_source, schema=prepared.schema,
                         n_rows=prepared.n_rows)


def _shared(values: NDArray[Any]) -> NDArray[Any]:
    """A text column rebuilt so that equal values are one object (others unchanged)."""
    if values.dtype != object or not len(values):
        return values
    distinct, inverse = factorize(values)
    # only text (and None): other values could be merged by equality (1 == 1.0 == True)
    if len(distinct) == len(values) or not {type(v) for v in distinct} <= {str, type(None)}:
        return values
    vocab = np.empty(len(distinct), dtype=object)
    vocab[:] = distinct
    return _from_codes(vocab, inverse)


def _from_codes(vocab: NDArray[np.object_], codes: NDArray[Any]) -> NDArray[np.object_]:
    """The column whose row ``i`` is ``vocab[codes[i]]``: one object per distinct value."""
    out: NDArray[np.object_] = vocab[np.asarray(codes, dtype=np.intp)]
    return out


def _stack(prepared: Table, rows: NDArray[np.int64], right: Table) -> Table:
    """The registry ``rows`` followed by all rows of ``right``, columns of both only."""
    columns = {}
    for name in prepared.column_names:
        if name in right and name != "problems":
            columns[name] = np.concatenate([prepared[name][rows], right[name]])
    return Table(columns, n_rows=len(rows) + right.n_rows)


def _without_tf(cset: Any) -> Any:
    """A copy of a ComparisonSet whose comparisons report no term frequencies."""
    items = [dataclasses.replace(c, tf_column=None) if c.tf_column is not None else c
             for c in cset.comparisons]
    return type(cset)(items)


def _strings(values: NDArray[Any]) -> NDArray[np.object_]:
    if values.dtype == object and all(type(v) is str for v in values.tolist()):
        return values  # already strings: shared, not copied
    out = np.empty(len(values), dtype=object)
    out[:] = ["" if v is None else str(v) for v in values.tolist()]
    return out


def _store(arrays: dict[str, NDArray[Any]], key: str, values: NDArray[Any]) -> str:
    """Put ``values`` into ``arrays`` under ``key``; return its kind for :func:`_restore`.

    String columns are stored as their distinct values (``key + ":vocab"``) and int32
    codes: a smaller file, and on loading each distinct string exists once in memory
    (a province name is not a million strings).
    """
    if values.dtype == object and len(values) and not isinstance(values[0], tuple):
        distinct, inverse = factorize(values)
        text = ["" if v is None else str(v) for v in distinct]
        arrays[key] = inverse.astype(np.int32)
        arrays[key + ":vocab"] = np.asarray(text, dtype=str) if text else np.zeros(0, "U1")
        return "codes"
    arrays[key], kind = _to_storable(values)
    return kind


def _restore(data: Any, key: str, kind: str) -> NDArray[Any]:
    """The column stored by :func:`_store` (or by the first format's ``_to_storable``)."""
    if kind == "codes":
        return _from_codes(np.asarray(data[key + ":vocab"]).astype(object), data[key])
    return _from_storable(data[key], kind)


def _to_storable(values: NDArray[Any]) -> tuple[NDArray[Any], str]:
    if values.dtype == object:
        if all(isinstance(v, tuple) for v in values[:1].tolist()) and len(values):
            text = [";".join(map(str, v)) for v in values.tolist()]
            return np.asarray(text, dtype=str) if text else np.zeros(0, "U1"), "tuple"
        text = ["" if v is None else str(v) for v in values.tolist()]
        return (np.asarray(text, dtype=str) if text else np.zeros(0, "U1")), "str"
    return values, "array"


def _from_storable(values: NDArray[Any], kind: str) -> NDArray[Any]:
    if kind == "str":
        return values.astype(object)
    if kind == "tuple":
        out = np.empty(len(values), dtype=object)
        out[:] = [tuple(v.split(";")) if v else () for v in values.tolist()]
        return out
    return values

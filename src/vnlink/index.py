"""Real-time lookup: the prepared registry plus per-blocking-rule key indexes.

:class:`RegistryIndex` is built by :meth:`vnlink.Linker.index`. For every
blocking rule it keeps the registry's keys as a sorted array with
the row ids grouped by key (a CSR layout: ``keys``, ``offsets``, ``rows``), so a
lookup is one :func:`numpy.searchsorted` per rule. A query prepares the one
record with the normalizers, compares it with its candidates only, and
scores and explains them with the linker's model.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import json
import os
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from vnlink._bulk import factorize, per_column, text_column
from vnlink._columnar import from_codes, restore, store
from vnlink.compare import _encode, households
from vnlink.compare.households import HouseholdNumbers, household_columns
from vnlink.exceptions import ConfigurationError, ModelFormatError, SchemaError
from vnlink.model import pipeline_from_dict, pipeline_to_dict
from vnlink.pipeline import BestCandidates, ScoredPairs
from vnlink.results import LinkResult
from vnlink.table import Table, as_table

if TYPE_CHECKING:
    from vnlink.pipeline import Pipeline

__all__ = ["RegistryIndex"]

_INDEX_FORMAT = "vnlink-registry-index"
_PREPARE_CHUNK = 200_000  # registry rows prepared at a time when building an index


def _constant(values: NDArray[Any]) -> NDArray[Any]:
    values.flags.writeable = False
    return values


# what a one-record lookup of a rule gives when it finds nothing (shared, read-only)
_NOTHING: NDArray[np.int64] = _constant(np.zeros(0, dtype=np.int64))
_NOT_CUT: NDArray[np.bool_] = _constant(np.zeros(1, dtype=bool))
_CUT: NDArray[np.bool_] = _constant(np.ones(1, dtype=bool))


class _RuleIndex:
    """Sorted keys of one rule over the registry rows, with the rows of each key.

    Immutable once built: :meth:`merged` returns a new index with more rows, so a
    query holding this one never sees it change. ``skip`` marks the keys that are
    placeholders (found at fit time): they are never used.
    """

    def __init__(self, rule: Any, table: Table | None,
                 skipped: Sequence[int] = ()) -> None:
        self.rule = rule
        self.window_half = int(getattr(rule, "half", 0)) if hasattr(rule, "window") else 0
        self.skipped = np.asarray(sorted(int(k) for k in skipped), dtype=np.uint64)
        if table is not None:
            keys = self.row_keys(table)
            self._build(keys, np.arange(table.n_rows, dtype=np.int64))

    def row_keys(self, table: Table, *, probe: bool = False) -> list[Any]:
        """The key of every row (``None`` when absent), from the rule's public ``row_keys``.

        ``probe=True`` keys records (the rule's ``probe_keys``) rather than registry rows.

        Exact rules keep the rule's stable 64-bit key (a rare collision only adds a
        candidate, which is then compared and scored); sorted-neighbourhood rules keep
        the sortable text, whose order they need.
        """
        values, present = self._key_arrays(table, probe=probe)
        return [v if p else None for v, p in zip(values.tolist(), present.tolist(), strict=True)]

    def _key_arrays(self, table: Table, *, probe: bool = False
                    ) -> tuple[NDArray[Any], NDArray[np.bool_]]:
        try:
            found = self.rule.probe_keys(table) if probe else self.rule.row_keys(table)
        except SchemaError as error:
            raise SchemaError(
                f"blocking needs a column the prepared tables lack: {error}") from None
        values = found.text if self.window_half and found.text is not None else found.keys
        return np.asarray(values), np.asarray(found.present, dtype=bool)

    def _build(self, keys: Sequence[Any], rows: NDArray[np.int64]) -> None:
        present = np.fromiter((k is not None for k in keys), dtype=bool, count=len(keys))
        kind: Any = object if self.window_half else np.uint64
        empty: Any = "" if self.window_half else 0
        values = np.asarray([k for k in keys if k is not None] or [empty], dtype=kind)
        if not present.any():
            values = values[:0]
        self._build_sorted(values, rows[present])

    def _build_sorted(self, values: NDArray[Any], rows: NDArray[np.int64]) -> None:
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
        self.skip = (np.isin(self.keys, self.skipped) if len(self.skipped) and not self.window_half
                     else np.zeros(len(self.keys), dtype=bool))
        for array in (self.keys, self.offsets, self.rows, self.skip):
            array.flags.writeable = False

    def merged(self, table: Table, rows: NDArray[np.int64]) -> _RuleIndex:
        """A new index with the rows of ``table`` (numbered ``rows``) added; ``self`` unchanged."""
        values, present = self._key_arrays(table)
        counts = np.diff(self.offsets.astype(np.int64))
        kind: Any = object if self.window_half else np.uint64
        old_values = np.repeat(self.keys, counts)
        new_values = np.asarray(values[present], dtype=kind)
        out = _RuleIndex.__new__(_RuleIndex)
        out.rule, out.window_half, out.skipped = self.rule, self.window_half, self.skipped
        # old rows first: the stable sort keeps each key's rows ascending, as a fresh build
        out._build_sorted(np.concatenate([old_values, new_values]),
                          np.concatenate([self.rows.astype(np.int64), rows[present]]))
        return out

    def lookup(self, key: Any) -> NDArray[np.int64]:
        """Registry rows whose key agrees (or is in the window, for sorted neighbourhood)."""
        lo, hi = self._span(key)
        found: NDArray[np.int64] = (self.rows[self.offsets[lo]:self.offsets[hi]] if hi > lo
                                    else self.rows[:0]).astype(np.int64)
        return found

    def _span(self, key: Any) -> tuple[int, int]:
        """The range of distinct keys a record with ``key`` pairs with."""
        if key is None:
            return 0, 0
        if not self.window_half:
            key = np.uint64(key)
        pos = int(np.searchsorted(self.keys, key))
        exact = pos < len(self.keys) and self.keys[pos] == key
        if self.window_half == 0:
            if exact and self.skip[pos]:
                return pos, pos
            return (pos, pos + 1) if exact else (pos, pos)
        h = self.window_half
        return max(0, pos - h), min(len(self.keys), pos + h + 1 if exact else pos + h)

    def candidates(self, right: Table, cap: int | None
                   ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.bool_], int]:
        """``(registry rows, record rows)`` of this rule, records whose block was cut, pairs cut.

        A block is one key value: its pairs are the registry rows holding the key
        times the records of ``right`` holding it; a block over ``cap`` pairs, or
        a placeholder key, makes no pair (the same cap as batch blocking).
        """
        n = right.n_rows
        values, present = self._key_arrays(right, probe=True)
        if n == 1 and not self.window_half:
            return self._one_record(values, present, cap)
        capped = np.zeros(n, dtype=bool)
        if self.window_half:  # sorted neighbourhood: one window per record
            starts_l, counts_l = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
            for i in np.flatnonzero(present).tolist():
                lo, hi = self._span(values[i])
                if hi > lo:
                    starts_l[i] = int(self.offsets[lo])
                    counts_l[i] = int(self.offsets[hi]) - starts_l[i]
            cut = counts_l > cap if cap is not None else np.zeros(n, dtype=bool)
        else:
            keys = np.asarray(values, dtype=np.uint64)
            pos = np.searchsorted(self.keys, keys)
            safe = np.minimum(pos, max(len(self.keys) - 1, 0))
            exact = present & (pos < len(self.keys))
            if len(self.keys):
                exact &= self.keys[safe] == keys
            if len(self.keys):  # only the offsets looked up are widened (not O(registry))
                first = self.offsets[safe].astype(np.int64)
                last = self.offsets[safe + 1].astype(np.int64)
            else:
                first = last = np.zeros(n, dtype=np.int64)
            starts_l = np.where(exact, first, 0)
            counts_l = np.where(exact, last - first, 0).astype(np.int64)
            cut = exact & self.skip[safe] if len(self.keys) else np.zeros(n, dtype=bool)
            if cap is not None and exact.any():
                # records of this run sharing the key share its block
                _, inverse, same = np.unique(keys[exact], return_inverse=True,
                                             return_counts=True)
                block_pairs = counts_l[exact] * same[inverse.reshape(-1)]
                cut[np.flatnonzero(exact)[block_pairs > cap]] = True
        pairs_cut = int(counts_l[cut].sum())
        capped[cut] = True
        counts_l = np.where(cut, 0, counts_l)
        total = int(counts_l.sum())
        rec = np.repeat(np.arange(n, dtype=np.int64), counts_l)
        positions = np.repeat(starts_l - (np.cumsum(counts_l) - counts_l), counts_l)
        positions += np.arange(total, dtype=np.int64)
        return self.rows[positions].astype(np.int64), rec, capped, pairs_cut

    def _one_record(self, values: NDArray[Any], present: NDArray[np.bool_], cap: int | None
                    ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.bool_], int]:
        """:meth:`candidates` of a single record (a desk lookup), without array overhead."""
        if not present[0] or not len(self.keys):
            return _NOTHING, _NOTHING, _NOT_CUT, 0
        key = values[0]
        pos = int(self.keys.searchsorted(key))
        if pos >= len(self.keys) or self.keys[pos] != key:
            return _NOTHING, _NOTHING, _NOT_CUT, 0
        lo, hi = int(self.offsets[pos]), int(self.offsets[pos + 1])
        if self.skip[pos] or (cap is not None and hi - lo > cap):
            return _NOTHING, _NOTHING, _CUT, hi - lo
        rows = self.rows[lo:hi].astype(np.int64)
        return rows, np.zeros(len(rows), dtype=np.int64), _NOT_CUT, 0

    def nbytes(self) -> int:
        return int(self.keys.nbytes + self.offsets.nbytes + self.rows.nbytes)


@dataclasses.dataclass(frozen=True)
class _State:
    """Everything a query reads, published at once (copy-on-write; see RegistryIndex)."""

    pipeline: Any
    prepared: Any
    ids: NDArray[np.object_]
    rules: tuple[_RuleIndex, ...]
    tf: Mapping[str, NDArray[np.float64]]
    tf_slots: tuple[tuple[int, str, tuple[int, ...]], ...]
    fast: Any
    spec: Any
    households: HouseholdNumbers | None = None
    houses: NDArray[np.uint64] | None = None  # per registry row its household's hash


class RegistryIndex:
    """A prepared registry with blocking-key indexes, for lookups of one record in milliseconds.

    Build it with :meth:`vnlink.Linker.index` (or ``RegistryIndex(pipeline, registry)``).
    Use :meth:`query` at a
    vaccination desk (one record, the best ``top_k`` candidates with
    probabilities and reasons), :meth:`query_many` for a batch (the same
    result table as :meth:`vnlink.Linker.link`), :meth:`add` for new registry
    rows, :meth:`save` / :meth:`load` to keep it on disk.

    Thread safety: any number of threads may call :meth:`query` and
    :meth:`query_many` while another calls :meth:`add` or :meth:`swap`. The
    index is copy-on-write: everything a query reads (the prepared registry,
    the key indexes, the term-frequency arrays, the ids, the pipeline) is one
    immutable state object, read once when the query starts; ``add`` builds
    the next state off to the side and publishes it in one assignment. A
    query therefore answers from the state before or after an ``add``, never
    a mix. Concurrent ``add`` calls are serialized by a lock.

    Work is bounded: a block (one key value of one rule) over the pipeline's
    ``max_block_pairs`` pairs makes no pair, nor does a placeholder key found at
    fit time; such records carry the reason code ``blocking_capped`` and a
    :class:`~vnlink.exceptions.VnlinkWarning` is issued. ``query_many`` works
    in chunks of ``QUERY_CHUNK`` records.

    Attributes
    ----------
    prepared : Table
        The prepared registry (derived columns).
    build_seconds : float
        Time taken to prepare and index the registry.
    """

    #: Records linked at a time by :meth:`query_many` (bounds its memory).
    QUERY_CHUNK = 5_000

    def __init__(self, model: Any, registry: Table | None, *,
                 _prepared: Table | None = None,
                 _households: HouseholdNumbers | None = None) -> None:
        pipeline: Pipeline = getattr(model, "pipeline", model)
        self._lock = threading.Lock()
        start = time.perf_counter()
        if _prepared is None:
            if registry is None:
                raise ConfigurationError("RegistryIndex needs a registry table")
            # the compact form a loaded index has: each distinct string one object
            prepared: Any = _compact(_prepare_slim(pipeline, registry))
        else:
            prepared = _slim(_prepared, pipeline)
        self._state = _build_state(pipeline, prepared, _households)
        # what preparing left behind (cycles of its intermediate objects) is freed now,
        # not at some later query, and the C heap's free pages go back to the system
        gc.collect()
        _release_free_heap()
        self.build_seconds = time.perf_counter() - start

    @property
    def pipeline(self) -> Pipeline:
        """The pipeline the index runs (a fitted Linker's, or one loaded from a model file)."""
        pipeline: Pipeline = self._state.pipeline
        return pipeline

    @property
    def prepared(self) -> Any:
        """The prepared registry (derived columns) of the current state."""
        return self._state.prepared

    @property
    def _rules(self) -> tuple[_RuleIndex, ...]:
        return self._state.rules

    @property
    def _tf(self) -> Mapping[str, NDArray[np.float64]]:
        return self._state.tf

    @property
    def _ids(self) -> NDArray[np.object_]:
        return self._state.ids

    def __len__(self) -> int:
        return int(self._state.prepared.n_rows)

    def __repr__(self) -> str:
        return f"RegistryIndex({len(self):,} registry rows, {len(self._rules)} rules)"

    @property
    def nbytes(self) -> int:
        """Bytes held by the key indexes (the prepared registry not counted)."""
        return int(sum(r.nbytes() for r in self._state.rules))

    # ----- lookups -------------------------------------------------------

    def _candidates(self, right: Table) -> tuple[NDArray[np.int64], NDArray[np.int64],
                                                 NDArray[np.int8]]:
        """Candidate (registry row, record row, rule) triples, unique per pair, first rule."""
        left, rec, rule, _, _ = _candidates(self._state, right)
        return left, rec, rule

    def _score(self, left_rows: NDArray[np.int64], right: Table, rec_rows: NDArray[np.int64]
               ) -> tuple[Any, NDArray[np.float64], NDArray[np.float64]]:
        """Compare the candidates only; term frequencies from the precomputed arrays."""
        return _score(self._state, left_rows, right, rec_rows)

    def _prepare_records(self, records: Any, state: _State | None = None) -> Table:
        pipeline = (state or self._state).pipeline
        if isinstance(records, Mapping) and not any(
            isinstance(v, (list, tuple, np.ndarray)) for v in records.values()
        ):
            records = [dict(records)]
        table = as_table(records)
        schema = pipeline.records_schema
        missing = [c for c in schema.columns() if c not in table]
        if missing:  # a lookup may leave fields out: they count as missing values
            columns = dict(table.columns)
            for column in missing:
                columns[column] = np.full(table.n_rows, None, dtype=object)
            table = Table(columns, n_rows=table.n_rows)
        prepared: Table = pipeline.prepare(table, "records")
        return prepared

    def query_many(self, records: Any) -> LinkResult:
        """Link a batch of records against the index: the same table as :meth:`Linker.link`.

        Records are linked ``QUERY_CHUNK`` at a time; a block's pairs (and the
        cap) are counted within a chunk.
        """
        start = time.perf_counter()
        state = self._state  # one state for the whole batch
        pipeline = state.pipeline
        table = records if isinstance(records, Mapping) else as_table(records)
        tables: list[Table] = []
        n_pairs = 0
        cuts: dict[str, int] = {}
        capped_records = 0
        parts: Any = [table]
        if isinstance(table, Table) and table.n_rows > self.QUERY_CHUNK:
            n = table.n_rows
            parts = (table.take(np.arange(lo, min(n, lo + self.QUERY_CHUNK)))
                     for lo in range(0, n, self.QUERY_CHUNK))
        for part in parts:
            right = self._prepare_records(part, state)
            scored = _scored(state, right)
            tables.append(pipeline.decide(state.prepared, right, scored))
            n_pairs += len(scored)
            for rule, count in (scored.cuts or {}).items():
                cuts[rule] = cuts.get(rule, 0) + count
            if scored.capped is not None:
                capped_records += int(scored.capped.sum())
        if cuts:
            from vnlink.blocking.pairs import warn_cuts

            warn_cuts(cuts, capped_records, pipeline.max_block_pairs)
        first = tables[0]
        out = first if len(tables) == 1 else Table(
            {name: np.concatenate([t[name] for t in tables]) for name in first.column_names},
            n_rows=sum(t.n_rows for t in tables))
        return LinkResult(out, timings={"query": time.perf_counter() - start},
                          fingerprint=pipeline.fingerprint, n_pairs=n_pairs,
                          blocking={"max_block_pairs": pipeline.max_block_pairs,
                                    "pairs_cut": cuts})

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

        state = self._state  # one state for the whole query
        pipeline = state.pipeline
        right = self._prepare_records(record, state)
        if right.n_rows != 1:
            raise ConfigurationError(f"query takes one record, got {right.n_rows}; "
                                     "use query_many for several")
        scored = _scored(state, right)
        if scored.cuts:
            from vnlink.blocking.pairs import warn_cuts

            warn_cuts(scored.cuts, 1, pipeline.max_block_pairs)
        order = np.lexsort((scored.left, -scored.weight))[:top_k]  # as link: weight, then row
        rows = scored.left[order]
        k = len(rows)
        flags, fixes = pipeline.explain(state.prepared, right, rows,
                                        np.zeros(k, dtype=np.int64),
                                        levels=scored.levels[order])
        found = BestCandidates.from_scored(scored, 1)
        # the best candidate is explained once: the decision reads its reasons from above
        explained = None
        if k and found.left_row[0] == rows[0]:
            explained = ({code: mask[:1] for code, mask in flags.items()},
                         {key: values[:1] for key, values in fixes.items()})
        decided = pipeline.decide_best(state.prepared, right, found, explained=explained)
        codes, texts = join_codes(flags, k, locale=pipeline.locale)
        status = np.full(k, "candidate", dtype=object)
        if k:  # the best candidate carries the record's decision, as link gives it
            status[0] = decided["status"][0]
            codes[0] = decided["reason_codes"][0]
            texts[0] = decided["reasons"][0]
        return Table({
            "rank": np.arange(1, k + 1, dtype=np.int64),
            "person_id": state.ids[rows],
            "match_probability": scored.prob[order],
            "match_weight": scored.weight[order],
            "status": status,
            "reason_codes": codes,
            "reasons": texts,
            "corrections": fixes["corrections"],
        }, n_rows=k)

    # ----- updates -------------------------------------------------------

    def add(self, rows: Any) -> RegistryIndex:
        """Add new registry rows (prepared once, indexed incrementally); return ``self``.

        Safe while other threads query: the next state is built aside and
        published at once; concurrent ``add`` calls run one after the other.
        """
        with self._lock:
            state = self._state
            pipeline = state.pipeline
            new = pipeline.prepare(as_table(rows), "registry")
            if new.n_rows == 0:
                return self
            _check_new_ids(state.prepared, new)
            self._state = _added(state, new)
        return self

    def swap(self, other: RegistryIndex) -> RegistryIndex:
        """Serve ``other``'s registry and model from now on (a newly loaded index); return ``self``.

        Queries already running finish on the state they started with; later
        ones see ``other``'s. Serialized with :meth:`add`.
        """
        if not isinstance(other, RegistryIndex):
            raise ConfigurationError(f"swap takes a RegistryIndex, got {type(other).__name__}")
        with self._lock:
            self._state = other._state
        return self

    # ----- persistence -----------------------------------------------------

    def save(self, path: str | os.PathLike[str], *, overwrite: bool = True) -> Path:
        """Save the model and the prepared registry to one sealed ``.npz`` file (no pickle).

        Written atomically with mode 0600; see :mod:`vnlink._sealed` for the integrity hash.
        """
        from vnlink._sealed import write_sealed_npz

        state = self._state
        arrays: dict[str, NDArray[Any]] = {}
        meta: dict[str, Any] = {"format": _INDEX_FORMAT, "version": 1,
                                "model": pipeline_to_dict(state.pipeline), "columns": {},
                                "source": {}}
        for name in state.prepared.column_names:
            meta["columns"][name] = store(arrays, f"c:{name}", state.prepared[name])
        source = state.prepared.source
        for name in source.column_names:
            meta["source"][name] = store(arrays, f"s:{name}", source[name])
        if state.households is not None:  # the registry's holders by household (no pickle)
            meta["households"] = state.households.columns
            arrays.update(state.households.to_arrays("h:"))
        arrays["meta"] = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), np.uint8)
        return write_sealed_npz(path, arrays, overwrite=overwrite)

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, progress: bool = False,
             allow_edited: bool = False) -> RegistryIndex:
        """Load an index written by :meth:`save` (limits and integrity checked first).

        An edited file raises ModelFormatError unless ``allow_edited=True``.
        """
        from vnlink._sealed import loads_json, model_errors, read_sealed_npz
        from vnlink.prepare import PreparedTable

        del progress  # loading shows no progress bars
        data = read_sealed_npz(path, allow_edited=allow_edited)
        with model_errors(Path(path).name):
            meta = loads_json(data["meta"].tobytes(), name=Path(path).name)
            if meta.get("format") != _INDEX_FORMAT:
                raise ModelFormatError("not a vnlink registry index file")
            columns = {name: restore(data, f"c:{name}", kind)
                       for name, kind in meta["columns"].items()}
            source = {name: restore(data, f"s:{name}", kind)
                      for name, kind in meta["source"].items()}
            pipeline = pipeline_from_dict(meta["model"])
            n = len(next(iter(columns.values()))) if columns else 0
            prepared = PreparedTable(columns, source=Table(source, n_rows=n),
                                     schema=pipeline.registry_schema, n_rows=n)
            wanted = household_columns(pipeline.comparisons.comparisons)
            holders = (HouseholdNumbers.from_arrays(data, wanted, "h:")
                       if wanted and meta.get("households") == wanted else None)
            return cls(pipeline, None, _prepared=prepared, _households=holders)


def _build_state(pipeline: Pipeline, prepared: Any,
                 holders: HouseholdNumbers | None = None) -> _State:
    """The query state of a prepared registry: key indexes, term frequencies, ids, and the
    holders of numbers by household (``holders``, else counted here)."""
    placeholders = getattr(pipeline, "placeholders", {}) or {}
    rules = tuple(_RuleIndex(rule, prepared, placeholders.get(rule.name, ()))
                  for rule in pipeline.rules)
    # Term frequencies come from arrays computed here once, not per query.
    cset = pipeline.comparisons
    tf: dict[str, NDArray[np.float64]] = {}
    slots: list[tuple[int, str, tuple[int, ...]]] = []
    for j, comparison in enumerate(cset.comparisons):
        column, tf_levels = comparison.tf_column, tuple(comparison.tf_levels)
        if column is None or not tf_levels:
            continue
        slots.append((j, column, tf_levels))
        if column not in tf:
            tf[column] = np.asarray(cset.row_frequencies(prepared, column), dtype=np.float64)
    # A query compares its candidates only: the household members holding a number are
    # looked up in the whole registry's holders, counted here once.
    wanted = household_columns(cset.comparisons)
    if holders is None and wanted:
        holders = HouseholdNumbers.from_table(prepared, wanted)
    state = _State(pipeline, prepared, _strings(prepared["record_id"]), rules, tf,
                   tuple(slots), _without_tf(cset), cset.to_dict(),
                   holders if wanted else None,
                   households.house_hashes(prepared).copy() if wanted else None)
    # Queries never encode the registry (they compare within a small table of the
    # candidates): the encodings made for the frequencies above are dropped.
    _encode.forget(prepared)
    return state


def _added(state: _State, new: Any) -> _State:
    """The state with the prepared registry rows ``new`` appended (``state`` unchanged)."""
    from vnlink.prepare import PreparedTable

    pipeline = state.pipeline
    old = state.prepared
    base = old.n_rows
    merged = {name: np.concatenate([old[name], new[name]])
              for name in old.column_names if name in new}
    source = old.source
    merged_source = Table({c: np.concatenate([
        np.asarray(source[c], dtype=object), np.asarray(new.source[c], dtype=object)])
        for c in source.column_names if c in new.source})
    prepared = PreparedTable(merged, source=merged_source, schema=old.schema)
    rows_new = np.arange(base, base + new.n_rows, dtype=np.int64)
    rules = tuple(index.merged(new, rows_new) for index in state.rules)
    tf = {column: np.asarray(pipeline.comparisons.row_frequencies(prepared, column),
                             dtype=np.float64) for column in state.tf}
    holders = state.households.added(new) if state.households is not None else None
    houses = (np.concatenate([state.houses, households.house_hashes(new)])
              if state.houses is not None else None)
    _encode.forget(prepared)
    _encode.forget(new)
    return dataclasses.replace(state, prepared=prepared, ids=_strings(prepared["record_id"]),
                               rules=rules, tf=tf, households=holders, houses=houses)


def _candidates(state: _State, right: Table) -> tuple[
    NDArray[np.int64], NDArray[np.int64], NDArray[np.int8], NDArray[np.bool_] | None,
    dict[str, int]
]:
    """Candidate (registry row, record row, rule) triples, unique per pair, first rule.

    Also the records whose block was cut (``None`` when none) and the pairs cut per rule.
    """
    cap = state.pipeline.max_block_pairs
    lefts: list[NDArray[np.int64]] = []
    rights: list[NDArray[np.int64]] = []
    rules: list[int] = []
    counts: list[int] = []
    capped = np.zeros(right.n_rows, dtype=bool)
    cuts: dict[str, int] = {}
    for r, index in enumerate(state.rules):
        found, rec, cut, pairs_cut = index.candidates(right, cap)
        if cut.any():
            capped |= cut
            cuts[index.rule.name] = cuts.get(index.rule.name, 0) + pairs_cut
        if len(found):
            lefts.append(found)
            rights.append(rec)
            rules.append(r)
            counts.append(len(found))
    flags = capped if capped.any() else None
    if not lefts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.int8), flags, cuts
    left = np.concatenate(lefts)
    rule = np.repeat(np.asarray(rules, dtype=np.int8), counts)
    if right.n_rows == 1:  # a desk lookup: one record, so unique registry rows, first rule
        left, first = np.unique(left, return_index=True)  # stable: the first rule is kept
        return left, np.zeros(len(left), dtype=np.int64), rule[first], flags, cuts
    rec = np.concatenate(rights)
    # unique (record, registry row), keeping the first rule (rules were appended in order)
    order = np.lexsort((rule, left, rec))
    left, rec, rule = left[order], rec[order], rule[order]
    keep = np.ones(len(left), dtype=bool)
    keep[1:] = (left[1:] != left[:-1]) | (rec[1:] != rec[:-1])
    return left[keep], rec[keep], rule[keep], flags, cuts


def _score(state: _State, left_rows: NDArray[np.int64], right: Table,
           rec_rows: NDArray[np.int64]
           ) -> tuple[Any, NDArray[np.float64], NDArray[np.float64]]:
    """Compare the candidates only; term frequencies from the precomputed arrays."""
    if len(left_rows) == 0:
        return None, np.zeros(0), np.zeros(0)
    # Compare within one small table: the candidate rows followed by the records.
    # Nothing done per query grows with the registry (encodings of a 1M-row table are
    # not touched), and comparing a table with itself encodes each column once, with
    # no joint vocabulary of two tables to build.
    uniq, local = np.unique(left_rows, return_inverse=True)
    both = _stack(state.prepared, uniq, right, state.houses)
    vectors = state.fast.compute(
        (local.reshape(-1).astype(np.int64), rec_rows + len(uniq)), both, both,
        households=state.households)
    tf = np.full(vectors.levels.shape, np.nan, dtype=np.float64)
    for j, column, tf_levels in state.tf_slots:
        # levels -1..127 looked up in a table of the TF levels (np.isin's cost, without it)
        mask = _level_table(tf_levels)[vectors.levels[:, j].astype(np.int64) + 1]
        tf[mask, j] = state.tf[column][left_rows[mask]]
    vectors = dataclasses.replace(vectors, tf=tf, spec=state.spec)
    weight, prob = _weigh(state.pipeline, vectors)
    return vectors, weight, prob


@functools.lru_cache(maxsize=64)
def _level_table(levels: tuple[int, ...]) -> NDArray[np.bool_]:
    """``table[level + 1]``: whether ``level`` (``-1`` .. ``127``) is one of ``levels``."""
    table = np.zeros(129, dtype=bool)
    table[[level + 1 for level in levels if -1 <= level <= 127]] = True
    table.flags.writeable = False
    return table


def _weigh(pipeline: Pipeline, vectors: Any) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Match weight and probability; for Fellegi–Sunter without re-validating the vectors.

    The vectors were made here by the model's own comparisons, so the checks of
    ``match_weight`` (a third of a millisecond per query) are skipped; the sum is the
    same, in the same order, as ``FellegiSunter.match_weight``.
    """
    from vnlink.classify import FellegiSunter
    from vnlink.classify.explain import probability_from_weight

    model = pipeline.classifier
    if type(model) is not FellegiSunter:
        return pipeline.score(vectors)
    weight = np.full(vectors.levels.shape[0], model.prior_weight_, dtype=np.float64)
    for _, level_weights, tf_part in model._columns(vectors):
        weight += level_weights
        if tf_part is not None:
            weight += tf_part
    return weight, np.asarray(probability_from_weight(weight), dtype=np.float64)


def _scored(state: _State, right: Table) -> ScoredPairs:
    left_rows, rec_rows, rule, capped, cuts = _candidates(state, right)
    vectors, weight, prob = _score(state, left_rows, right, rec_rows)
    k = len(state.pipeline.comparisons.comparisons)
    levels = vectors.levels if vectors is not None else np.zeros((0, k), dtype=np.int8)
    return ScoredPairs(left_rows, rec_rows, rule, tuple(r.rule.name for r in state.rules),
                       levels, weight, prob, capped, cuts)


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
    return from_codes(vocab, inverse)


def _stack(prepared: Table, rows: NDArray[np.int64], right: Table,
           houses: NDArray[np.uint64] | None = None) -> Table:
    """The registry ``rows`` followed by all rows of ``right``, columns of both only (and the
    registry rows' household hashes ``houses``, precomputed, when given)."""
    columns = {}
    for name in prepared.column_names:
        if name in right and name != "problems":
            columns[name] = np.concatenate([prepared[name][rows], right[name]])
    # only the registry rows belong to households (compare/households.py)
    columns[households.REGISTRY_ROW] = np.arange(len(rows) + right.n_rows) < len(rows)
    if houses is not None:
        columns[households.HOUSE_KEY] = np.concatenate(
            [houses[rows], np.zeros(right.n_rows, dtype=np.uint64)])
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


def _check_new_ids(registry: Table, new: Table) -> None:
    """Refuse added rows whose ``record_id`` the index already holds (a person twice)."""
    ids = np.asarray(registry["record_id"])
    known: set[str] = per_column(ids, _check_new_ids, lambda: set(text_column(ids).tolist()))
    taken = [i for i, rid in enumerate(text_column(np.asarray(new["record_id"])).tolist())
             if rid in known]
    if taken:
        raise SchemaError(
            f"{len(taken)} of the {new.n_rows} added rows have a record_id the index "
            f"already holds (the first is added row {taken[0]}); give each new person "
            "a new id, or rebuild the index to replace a person's row"
        )

"""The one pipeline: prepare → block → compare → score → decide → explain.

:class:`Pipeline` is the only place these stages are chained. Every path runs
it: :meth:`vnlink.Linker.link` and :meth:`~vnlink.Linker.dedupe` on whole
tables, :meth:`vnlink.RegistryIndex.query` on one record against a prebuilt
index, and :mod:`vnlink.spark` on batches of rows and pairs. A fitted
``Linker`` hands out its pipeline as :attr:`vnlink.Linker.pipeline`; the same
JSON model gives the same pipeline, so the same data gives the same answers
on every path.

The stages, each usable alone:

- :meth:`Pipeline.prepare` — any table to a :class:`~vnlink.prepare.PreparedTable`;
- :meth:`Pipeline.block` — candidate pairs (:class:`~vnlink.blocking.CandidatePairs`);
- :meth:`Pipeline.compare` — the level matrix (:class:`~vnlink.compare.ComparisonVectors`);
- :meth:`Pipeline.score` — match weight and probability of every pair;
- :meth:`Pipeline.decide` — per record, the best candidate, the runner-up and a
  status (from all scored pairs), or :meth:`Pipeline.decide_best` from the
  best and runner-up found elsewhere (a Spark aggregation);
- :meth:`Pipeline.explain` — reasons and corrections of chosen pairs.

Examples
--------
>>> from vnlink import Linker
>>> from vnlink.datasets import synthetic_linkage
>>> registry, records, _ = synthetic_linkage(200, seed=2)
>>> pipe = Linker(progress=False).fit(registry, records).pipeline
>>> left, right = pipe.prepare(registry, "registry"), pipe.prepare(records, "records")
>>> scored = pipe.score_pairs(pipe.block(left, right), left, right)
>>> table = pipe.decide(left, right, scored)
>>> table.n_rows == right.n_rows
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink._bulk import text_column, text_rows
from vnlink._parallel import requested_jobs
from vnlink._version import __version__
from vnlink.blocking.pairs import DEFAULT_MAX_BLOCK_PAIRS as _DEFAULT_CAP
from vnlink.blocking.pairs import check_max_block_pairs
from vnlink.decide import REVIEW as _REVIEW
from vnlink.decide import UNMATCHED as _UNMATCHED
from vnlink.decide import VERIFIED as _VERIFIED
from vnlink.decide import assign_status, best_and_runner_up
from vnlink.exceptions import ConfigurationError
from vnlink.prepare import PreparedTable, prepare
from vnlink.schema import Schema
from vnlink.table import Table, as_table

__all__ = [
    "CHUNK_PAIRS",
    "BestCandidates",
    "Pipeline",
    "ScoredPairs",
    "connected_components",
    "decision_flags",
    "demote_conflicts",
    "referenced_columns",
    "usable_rows",
]

#: Pairs compared and scored at a time (bounds the memory of the level matrices).
CHUNK_PAIRS = 1_000_000


@dataclass
class ScoredPairs:
    """Candidate pairs with their comparison levels, match weight and probability.

    Attributes
    ----------
    left, right
        ``int64`` row indices into the registry and the records.
    rule
        ``int8`` index into ``rule_names``: the first blocking rule that made the pair.
    rule_names
        The blocking rules' names.
    levels
        ``int8`` (n_pairs, n_comparisons) level matrix (``-1`` = missing).
    weight, prob
        Match weight (bits) and probability of every pair.
    capped
        Per record: whether blocking cut one of its blocks (``None``: nothing cut).
    cuts
        Pairs cut per rule (the rules that cut any).
    """

    left: NDArray[np.int64]
    right: NDArray[np.int64]
    rule: NDArray[np.int8]
    rule_names: tuple[str, ...]
    levels: NDArray[np.int8]
    weight: NDArray[np.float64]
    prob: NDArray[np.float64]
    capped: NDArray[np.bool_] | None = None
    cuts: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.left)

    def take(self, index: NDArray[Any]) -> ScoredPairs:
        """The pairs at ``index`` (an index array or a boolean mask)."""
        return ScoredPairs(self.left[index], self.right[index], self.rule[index],
                           self.rule_names, self.levels[index], self.weight[index],
                           self.prob[index], self.capped, self.cuts)


@dataclass
class BestCandidates:
    """Per record (aligned with the records' rows): the best candidate and the runner-up.

    What :meth:`Pipeline.decide_best` needs; :func:`BestCandidates.from_scored`
    finds it in memory, :mod:`vnlink.spark` by aggregation.

    Attributes
    ----------
    left_row
        Registry row of the best candidate, ``-1`` when none.
    weight, prob
        Its match weight and probability (NaN when none).
    rule
        Name of the blocking rule that found it (``""`` when none).
    runner_up_left_row, runner_up_weight
        The second-best candidate (``-1`` / NaN when none).
    n_candidates
        Candidate pairs the record had.
    levels
        Optional ``int8`` (n_records, n_comparisons): the best pair's levels
        (recomputed by ``decide_best`` when ``None``).
    capped
        Optional: records whose blocking was cut (reason ``blocking_capped``).
    """

    left_row: NDArray[np.int64]
    weight: NDArray[np.float64]
    prob: NDArray[np.float64]
    rule: NDArray[np.object_]
    runner_up_left_row: NDArray[np.int64]
    runner_up_weight: NDArray[np.float64]
    n_candidates: NDArray[np.int64]
    levels: NDArray[np.int8] | None = None
    capped: NDArray[np.bool_] | None = None

    @classmethod
    def from_scored(cls, scored: ScoredPairs, n_records: int) -> BestCandidates:
        """The best and runner-up of every record among ``scored`` (ties: lowest registry row)."""
        best, second = best_and_runner_up(scored.right, scored.weight, n_records,
                                          tie_break=scored.left)
        return cls._from_indices(scored, best, second, n_records)

    @classmethod
    def _from_indices(cls, scored: ScoredPairs, best: NDArray[np.int64],
                      second: NDArray[np.int64], n_records: int) -> BestCandidates:
        has, has2 = best >= 0, second >= 0
        bi, si = np.where(has, best, 0), np.where(has2, second, 0)
        empty = len(scored) == 0
        names = np.asarray([*scored.rule_names, ""], dtype=object)
        rule = np.full(n_records, "", dtype=object)
        levels = np.full((n_records, scored.levels.shape[1]), -1, dtype=np.int8)
        if not empty:
            rule[has] = names[scored.rule[best[has]].astype(np.int64)]
            levels[has] = scored.levels[best[has]]
        return cls(
            left_row=np.where(has, scored.left[bi] if not empty else -1, -1).astype(np.int64),
            weight=np.where(has, scored.weight[bi] if not empty else np.nan, np.nan),
            prob=np.where(has, scored.prob[bi] if not empty else np.nan, np.nan),
            rule=rule,
            runner_up_left_row=np.where(has2, scored.left[si] if not empty else -1,
                                        -1).astype(np.int64),
            runner_up_weight=np.where(has2, scored.weight[si] if not empty else np.nan, np.nan),
            n_candidates=np.bincount(scored.right, minlength=n_records).astype(np.int64),
            levels=levels,
            capped=scored.capped,
        )


class Pipeline:
    """The stages of linkage with one fitted model.

    Parameters
    ----------
    registry_schema, records_schema
        Which columns hold which field in each table.
    rules
        Blocking rules (:mod:`vnlink.blocking`).
    comparisons
        A :class:`~vnlink.compare.ComparisonSet`.
    classifier
        A fitted classifier (``match_weight`` and ``predict_proba``).
    thresholds
        ``{"verified_threshold", "review_threshold", "min_margin"}``.
    fingerprint
        SHA-256 of the model JSON (written into every result row).
    locale
        Language of the reason texts: ``"vi"`` (default) or ``"en"``.
    max_block_pairs
        The one cap on a block's candidate pairs, in batch and in the index
        (:data:`vnlink.blocking.DEFAULT_MAX_BLOCK_PAIRS`; ``None``: no cap).
    placeholders
        Rule name -> stable keys of placeholder values found at fit time
        (:func:`vnlink.blocking.find_placeholders`), never used as keys.
    """

    def __init__(self, *, registry_schema: Schema, records_schema: Schema, rules: Sequence[Any],
                 comparisons: Any, classifier: Any, thresholds: Mapping[str, float],
                 fingerprint: str = "", locale: str = "vi",
                 max_block_pairs: int | None = _DEFAULT_CAP,
                 placeholders: Mapping[str, Sequence[int]] | None = None) -> None:
        from vnlink.reasons import check_locale

        self.registry_schema = registry_schema
        self.records_schema = records_schema
        self.rules = list(rules)
        self.comparisons = comparisons
        self.classifier = classifier
        self.thresholds = {k: float(v) for k, v in thresholds.items()}
        self.fingerprint = fingerprint
        self.locale = check_locale(locale)
        self.max_block_pairs = check_max_block_pairs(max_block_pairs)
        self.placeholders = {k: [int(x) for x in v] for k, v in (placeholders or {}).items()}

    def __repr__(self) -> str:
        return (f"Pipeline({len(self.rules)} rules, "
                f"{len(self.comparisons.comparisons)} comparisons, "
                f"{type(self.classifier).__name__})")

    # ----- prepare ----------------------------------------------------------------

    def schema(self, side: str) -> Schema:
        """The schema of ``side``: ``"registry"`` or ``"records"``."""
        if side == "registry":
            return self.registry_schema
        if side == "records":
            return self.records_schema
        raise ConfigurationError(f"side must be 'registry' or 'records', got {side!r}")

    def prepare(self, data: Any, side: str = "records") -> PreparedTable:
        """Derive the comparison-ready columns of ``data`` with the schema of ``side``.

        A :class:`~vnlink.prepare.PreparedTable` is returned as it is (prepared once).
        """
        schema = self.schema(side)
        if isinstance(data, PreparedTable):
            return data
        return prepare(as_table(data), schema)

    # ----- block -----------------------------------------------------------------

    def block(self, left: PreparedTable, right: PreparedTable | None = None) -> Any:
        """Candidate pairs of the rules (``right=None``: within ``left``, for dedupe).

        Deduplication runs the symmetric rules only (a rule keying registry and
        records differently, :class:`~vnlink.blocking.extra_rules.SwappedName`,
        has no meaning within one table), in memory and on Spark alike. Placeholder
        keys found at fit are skipped, blocks over ``max_block_pairs`` are cut, and
        every cut is warned about (counts and rule names only).
        """
        from vnlink.blocking.pairs import candidate_pairs, warn_cuts

        rules = self.dedupe_rules() if right is None else self.rules
        pairs = candidate_pairs(rules, left, right, max_block_pairs=self.max_block_pairs,
                                skip_keys=self.placeholders)
        if pairs.capped is not None and pairs.report is not None:
            warn_cuts(pairs.report.cuts(), int(pairs.capped.sum()), self.max_block_pairs)
        return pairs

    def dedupe_rules(self) -> list[Any]:
        """The rules deduplication runs: the symmetric ones."""
        return [rule for rule in self.rules if getattr(rule, "symmetric", True)]

    def for_dedupe(self) -> Pipeline:
        """This pipeline with :meth:`dedupe_rules` as its rules."""
        return Pipeline(registry_schema=self.registry_schema, records_schema=self.records_schema,
                        rules=self.dedupe_rules(), comparisons=self.comparisons,
                        classifier=self.classifier, thresholds=self.thresholds,
                        fingerprint=self.fingerprint, locale=self.locale,
                        max_block_pairs=self.max_block_pairs, placeholders=self.placeholders)

    # ----- compare and score -------------------------------------------------------

    def compare(self, pairs: Any, left: Table, right: Table | None = None) -> Any:
        """The :class:`~vnlink.compare.ComparisonVectors` of ``pairs``.

        Inside :func:`vnlink._parallel.jobs` (a linker's ``n_jobs``), large batches are
        compared in that many threads.
        """
        return self.comparisons.compute(pairs, left, right, workers=requested_jobs())

    def score(self, vectors: Any) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Match weight (bits) and probability of compared pairs."""
        from vnlink.classify import FellegiSunter
        from vnlink.classify.explain import probability_from_weight

        model = self.classifier
        weight = np.asarray(model.match_weight(vectors), dtype=np.float64)
        if isinstance(model, FellegiSunter):  # its probability is a function of the weight
            return weight, np.asarray(probability_from_weight(weight), dtype=np.float64)
        return weight, np.asarray(model.predict_proba(vectors), dtype=np.float64)[:, 1]

    def score_pairs(self, pairs: Any, left: Table, right: Table | None = None, *,
                    chunk_pairs: int = CHUNK_PAIRS) -> ScoredPairs:
        """Compare and score ``pairs`` in bounded chunks; keep the levels."""
        left_idx = np.asarray(pairs.left, dtype=np.int64)
        right_idx = np.asarray(pairs.right, dtype=np.int64)
        n, k = len(left_idx), len(self.comparisons.comparisons)
        rule = np.asarray(getattr(pairs, "rule", np.zeros(n, dtype=np.int8)), dtype=np.int8)
        names = tuple(getattr(pairs, "rule_names", ()))
        levels = np.empty((n, k), dtype=np.int8)
        weight = np.empty(n, dtype=np.float64)
        prob = np.empty(n, dtype=np.float64)
        for start in range(0, n, chunk_pairs):
            sl = slice(start, min(n, start + chunk_pairs))
            vectors = self.compare((left_idx[sl], right_idx[sl]), left, right)
            levels[sl] = vectors.levels
            weight[sl], prob[sl] = self.score(vectors)
        report = getattr(pairs, "report", None)
        return ScoredPairs(left_idx, right_idx, rule, names, levels, weight, prob,
                           getattr(pairs, "capped", None),
                           report.cuts() if report is not None else None)

    # ----- decide and explain ----------------------------------------------------

    def decide(self, left: Table, right: Table, scored: ScoredPairs, *,
               one_to_one: bool = False) -> Table:
        """One row per record: the LinkResult columns (see :class:`vnlink.LinkResult`).

        ``one_to_one=True`` links each registry person to at most one record: a
        person claimed by several records keeps the one with the highest
        weight, and the others move on to their next candidate that is free.
        """
        n = right.n_rows
        if one_to_one:
            best, second = _one_to_one(scored, n)
            found = BestCandidates._from_indices(scored, best, second, n)
        else:
            found = BestCandidates.from_scored(scored, n)
        return self.decide_best(left, right, found)

    def decide_best(self, left: Table, right: Table, best: BestCandidates, *,
                    explained: tuple[Mapping[str, NDArray[Any]], Mapping[str, NDArray[Any]]]
                    | None = None) -> Table:
        """:meth:`decide` from each record's best candidate and runner-up, found elsewhere.

        ``explained``: the :meth:`explain` of the best pairs (the records with a
        candidate, in record order) when the caller has it already (a desk
        lookup explains its top candidates anyway); else it is computed here.
        """
        n = right.n_rows
        th = self.thresholds
        has = best.left_row >= 0
        has2 = best.runner_up_left_row >= 0
        margin = np.where(has2, best.weight - best.runner_up_weight, np.nan)
        status = assign_status(best.prob, np.where(has2, margin, np.inf), has,
                               verified_threshold=th["verified_threshold"],
                               review_threshold=th["review_threshold"],
                               min_margin=th["min_margin"])
        # a lookup's left table is the whole registry: only the chosen ids become text
        reg_ids = np.asarray(left["record_id"])
        person = np.full(n, "", dtype=object)
        runner = np.full(n, "", dtype=object)
        person[has] = text_rows(reg_ids, best.left_row[has])
        runner[has2] = text_rows(reg_ids, best.runner_up_left_row[has2])
        rows = np.flatnonzero(has)
        li = best.left_row[rows]
        levels = (best.levels[rows] if best.levels is not None
                  else self.compare((li, rows), left, right).levels)
        flags: dict[str, NDArray[np.bool_]] = {}
        best_flags = (self.reasons(left, right, li, rows, levels=levels) if explained is None
                      else explained[0])
        for code, mask in best_flags.items():
            full = np.zeros(n, dtype=bool)
            full[rows] = mask
            flags[code] = full
        demote_conflicts(status, flags)
        flags.update(decision_flags(usable_rows(right, self.records_schema), has, has2, status,
                                    best.prob, margin, th))
        if best.capped is not None:  # blocking left out some of the record's candidates
            flags["blocking_capped"] = np.asarray(best.capped, dtype=bool)
        from vnlink.reasons import join_codes

        codes, texts = join_codes(flags, n, locale=self.locale)
        fixes = {f"fix_{f}": np.full(n, "", dtype=object) for f in self.correction_fields()}
        fixes["corrections"] = np.full(n, "", dtype=object)
        verified = status[rows] == _VERIFIED  # corrections are offered for verified links only
        fixes_rows = (self.corrections(left, right, li[verified], rows[verified],
                                       levels=levels[verified]) if explained is None
                      else {key: values[verified] for key, values in explained[1].items()})
        for key, values in fixes_rows.items():
            fixes.setdefault(key, np.full(n, "", dtype=object))[rows[verified]] = values
        columns: dict[str, NDArray[Any]] = {
            "record_id": text_column(right["record_id"]),
            "person_id": person,
            "status": status,
            "match_probability": np.where(has, best.prob, np.nan),
            "match_weight": np.where(has, best.weight, np.nan),
            "runner_up_person_id": runner,
            "runner_up_margin": margin,
            "n_candidates": np.asarray(best.n_candidates, dtype=np.int64),
            "blocking_rule": np.asarray(best.rule, dtype=object),
            "reason_codes": codes,
            "reasons": texts,
            "corrections": fixes.pop("corrections"),
            **fixes,
            "model_fingerprint": _repeated(self.fingerprint, n),
            "vnlink_version": _repeated(__version__, n),
        }
        return Table(columns, n_rows=n)

    def field_specs(self) -> list[Any]:
        """The field specifications of this pipeline: the registered ones and the schemas' own."""
        from vnlink.fields import field_spec, registered_fields

        specs = dict(registered_fields())
        for schema in (self.registry_schema, self.records_schema):
            for name in schema.custom_fields():
                specs.setdefault(name, field_spec(name))
        return list(specs.values())

    def correction_fields(self) -> list[str]:
        """The fields a result offers corrections for (its ``fix_<field>`` columns).

        The Vietnamese person fields always (``name, dob, sex, id, phone,
        address``), then the fields of the caller's own that have a comparison.
        """
        from vnlink.reasons import CORRECTION_FIELDS, comparison_fields

        names = list(CORRECTION_FIELDS)
        for spec in comparison_fields(self.comparisons, self.field_specs()):
            if spec is not None and spec.correction and spec.correction not in names:
                names.append(spec.correction)
        return names

    def explain(self, left: Table, right: Table, left_rows: NDArray[np.int64],
                right_rows: NDArray[np.int64], *, levels: NDArray[np.int8] | None = None
                ) -> tuple[dict[str, NDArray[np.bool_]], dict[str, NDArray[np.object_]]]:
        """Reason flags and corrections of aligned (registry row, record row) pairs.

        Returns ``(flags, fixes)``: a boolean array per reason code, and the
        ``fix_<field>`` columns plus the readable ``corrections`` column
        (:meth:`reasons` and :meth:`corrections` of the same pairs).
        """
        li = np.asarray(left_rows, dtype=np.int64)
        ri = np.asarray(right_rows, dtype=np.int64)
        if levels is None:
            levels = self.compare((li, ri), left, right).levels
        return (self.reasons(left, right, li, ri, levels=levels),
                self.corrections(left, right, li, ri, levels=levels))

    def reasons(self, left: Table, right: Table, left_rows: NDArray[np.int64],
                right_rows: NDArray[np.int64], *, levels: NDArray[np.int8]
                ) -> dict[str, NDArray[np.bool_]]:
        """A boolean array per reason code of aligned pairs with their ``levels``."""
        from vnlink.reasons import level_reasons

        return level_reasons(self.comparisons, left, right, np.asarray(left_rows, np.int64),
                             np.asarray(right_rows, np.int64), levels, fields=self.field_specs())

    def corrections(self, left: Table, right: Table, left_rows: NDArray[np.int64],
                    right_rows: NDArray[np.int64], *, levels: NDArray[np.int8]
                    ) -> dict[str, NDArray[np.object_]]:
        """The ``fix_<field>`` and ``corrections`` columns of aligned pairs and levels."""
        from vnlink.reasons import level_corrections

        return level_corrections(self.comparisons, left, right,
                                 np.asarray(left_rows, np.int64),
                                 np.asarray(right_rows, np.int64), levels,
                                 fields=self.field_specs())

    def candidates(self, left: Table, right: Table, scored: ScoredPairs, *,
                   top_k: int = 3) -> Table:
        """The ``top_k`` scored candidates of every record, best first (for notebooks).

        Columns: ``record_id``, ``rank``, ``person_id``, ``match_weight``,
        ``match_probability``, ``blocking_rule``, then per comparison its level
        (``<name>_level``), the level's label (``<name>_label``) and, for a
        Fellegi–Sunter model, its weight in bits (``<name>_weight``).
        """
        if not isinstance(top_k, int) or top_k < 1:
            raise ConfigurationError(f"top_k must be a positive integer, got {top_k!r}")
        order = np.lexsort((scored.left, -np.nan_to_num(scored.weight, nan=-np.inf),
                            scored.right))
        rec = scored.right[order]
        starts = np.r_[0, np.flatnonzero(rec[1:] != rec[:-1]) + 1] if len(rec) else rec
        group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(rec)]))
        rank = np.arange(len(rec)) - (starts[group] if len(rec) else 0)
        keep = order[rank < top_k]
        chosen = scored.take(keep)
        rank_kept = (rank[rank < top_k] + 1).astype(np.int64)
        names = np.asarray([*chosen.rule_names, ""], dtype=object)
        columns: dict[str, NDArray[Any]] = {
            "record_id": text_column(right["record_id"])[chosen.right],
            "rank": rank_kept,
            "person_id": text_rows(np.asarray(left["record_id"]), chosen.left),
            "match_weight": chosen.weight,
            "match_probability": chosen.prob,
            "blocking_rule": names[chosen.rule.astype(np.int64)] if len(chosen) else names[:0],
        }
        partial = _partial_weights(self.classifier, chosen.levels)
        for j, comparison in enumerate(self.comparisons.comparisons):
            level = chosen.levels[:, j]
            labels = np.asarray(["missing", *comparison.level_labels], dtype=object)
            columns[f"{comparison.name}_level"] = level
            columns[f"{comparison.name}_label"] = labels[level.astype(np.int64) + 1]
            if partial is not None:
                columns[f"{comparison.name}_weight"] = partial[:, j]
        return Table(columns, n_rows=len(chosen))

    # ----- dedupe --------------------------------------------------------------------

    def cluster(self, n: int, scored: ScoredPairs, *, threshold: float = 0.99,
                max_cluster_size: int = 8,
                strict_thresholds: Sequence[float] = (0.999, 0.9999, 0.99999)
                ) -> NDArray[np.int64]:
        """Cluster labels (smallest row of each cluster) from pairs within one table.

        Pairs with probability at least ``threshold`` are edges; a component
        larger than ``max_cluster_size`` is split again with each stricter
        threshold in turn (stops A~B~C~... chaining different people).
        """
        a, b, prob = scored.left, scored.right, scored.prob
        edge = prob >= threshold
        labels = connected_components(n, a[edge], b[edge])
        for strict in strict_thresholds:
            sizes = np.bincount(labels, minlength=n)
            big = sizes[labels] > max_cluster_size
            if not big.any():
                break
            keep = (prob >= strict) & big[a] & big[b]
            sub = connected_components(n, a[keep], b[keep])
            labels = np.where(big, sub, labels)
        return labels


def _partial_weights(classifier: Any, levels: NDArray[np.int8]) -> NDArray[np.float64] | None:
    """Per pair and comparison, the Fellegi–Sunter weight of its level (bits), else None."""
    m, u = getattr(classifier, "m_", None), getattr(classifier, "u_", None)
    if m is None or u is None:
        return None
    out = np.zeros(levels.shape, dtype=np.float64)
    for j, (m_j, u_j) in enumerate(zip(m, u, strict=True)):
        with np.errstate(divide="ignore", invalid="ignore"):
            table = np.log2(np.asarray(m_j, dtype=np.float64) / np.asarray(u_j, dtype=np.float64))
        table = np.r_[0.0, np.nan_to_num(table, nan=0.0, posinf=0.0, neginf=0.0)]
        out[:, j] = table[levels[:, j].astype(np.int64) + 1]
    return out


def _one_to_one(scored: ScoredPairs, n: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Best and runner-up pair per record when each registry row may be linked once.

    Pairs are taken by decreasing weight (ties: registry row, then record row);
    a pair is kept when neither its record nor its registry row is taken. The
    runner-up is the record's next pair among all (so the margin still warns
    of a close second).
    """
    _, second = best_and_runner_up(scored.right, scored.weight, n, tie_break=scored.left)
    best = np.full(n, -1, dtype=np.int64)
    if not len(scored):
        return best, second
    key = np.nan_to_num(scored.weight, nan=-np.inf)
    order = np.lexsort((scored.right, scored.left, -key))
    left_taken = np.zeros(int(scored.left.max()) + 1, dtype=bool)
    right_taken = np.zeros(n, dtype=bool)
    remaining = order
    while len(remaining):
        # in each round, the first pair of every registry row and every record among the
        # remaining (in weight order) that is first for both is taken; then prune
        lf = remaining[_first_of(scored.left[remaining])]
        rf = remaining[_first_of(scored.right[remaining])]
        take = np.intersect1d(lf, rf)
        if not len(take):
            break
        best[scored.right[take]] = take
        left_taken[scored.left[take]] = True
        right_taken[scored.right[take]] = True
        free = ~left_taken[scored.left[remaining]] & ~right_taken[scored.right[remaining]]
        remaining = remaining[free]
    return best, second


def _first_of(keys: NDArray[np.int64]) -> NDArray[np.int64]:
    """Positions of the first occurrence of each key (keys in their given order)."""
    _, first = np.unique(keys, return_index=True)
    return first.astype(np.int64)


def referenced_columns(pipeline: Pipeline) -> set[str]:
    """Every column name a rule or comparison of ``pipeline`` may read.

    Read from the parts' saved form (``to_dict``): each string parameter is
    taken as a possible column name, which errs on the side of keeping a column.
    """
    names: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            names.add(value.split("[", 1)[0])
        elif isinstance(value, Mapping):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    for rule in pipeline.rules:
        walk(rule.to_dict())
    for comparison in pipeline.comparisons.comparisons:
        walk(comparison.to_dict())
    return names


def usable_rows(prepared: Table, schema: Schema | None = None) -> NDArray[np.bool_]:
    """Rows with a value in at least one identifying field (name, dob, ID, phone).

    When the schema has no identifying field at all (a table of the caller's
    own fields), every row is usable.
    """
    from vnlink.fields import registered_fields

    identifying = [s for s in registered_fields().values() if s.identifying]
    if schema is not None:
        used = schema.fields_used()
        if not any(s.name in used for s in identifying):
            return np.ones(prepared.n_rows, dtype=bool)
    usable = np.zeros(prepared.n_rows, dtype=bool)
    for spec in identifying:
        name = spec.presence_column
        if name is None or name not in prepared:
            continue
        column = prepared[name]
        usable |= (column != "") if column.dtype == object else (column != 0)
    return usable


def demote_conflicts(status: NDArray[np.object_], flags: dict[str, NDArray[np.bool_]]) -> None:
    """Send to review, in place, the verified records whose identity contradicts itself.

    A record whose ID or phone matches but whose name *and* date of birth both
    disagree is most often typed with a relative's papers: it is never linked
    automatically (flag ``identity_conflict``). When the evidence says another
    person outright — the date of birth differs and either the name differs
    entirely, or the name is only similar while the ID says someone else too (a
    CCCD's birth year disagrees, or the number is another household member's) —
    the record is not linked at all (flag ``other_person``): on the hard data
    almost every such best candidate is a relative of the record's person.

    >>> import numpy as np
    >>> status = np.array(["verified", "verified", "review", "verified"], dtype=object)
    >>> flags = {"name_different": np.array([1, 0, 0, 1], dtype=bool),
    ...          "name_typo": np.array([0, 1, 1, 0], dtype=bool),
    ...          "dob_different": np.array([1, 1, 1, 0], dtype=bool),
    ...          "id_cccd_conflict": np.array([0, 0, 1, 0], dtype=bool)}
    >>> demote_conflicts(status, flags)
    >>> status.tolist(), flags["other_person"].tolist()
    (['unmatched', 'verified', 'unmatched', 'verified'], [True, False, True, False])
    """
    none = np.zeros(len(status), dtype=bool)
    name_off = flags.get("name_different", none) | flags.get("name_given_only", none)
    dob_off = flags.get("dob_different", none) | flags.get("dob_year_different", none)
    conflict = name_off & dob_off & (status != _UNMATCHED)
    status[conflict & (status == _VERIFIED)] = _REVIEW
    flags["identity_conflict"] = conflict
    name_loose = (name_off | flags.get("name_typo", none)
                  | flags.get("middle_name_different", none))
    not_theirs = flags.get("id_cccd_conflict", none) | flags.get("id_household_member", none)
    other = flags.get("dob_different", none) & (
        flags.get("name_different", none) | (name_loose & not_theirs)
    ) & (status != _UNMATCHED)
    status[other] = _UNMATCHED
    flags["other_person"] = other


def decision_flags(
    usable: NDArray[np.bool_], has: NDArray[np.bool_], has2: NDArray[np.bool_],
    status: NDArray[np.object_], p_best: NDArray[np.float64], margin: NDArray[np.float64],
    th: Mapping[str, float],
) -> dict[str, NDArray[np.bool_]]:
    """Flags of the decision reasons (why a record is review or unmatched)."""
    prob = np.where(np.isnan(p_best), 0.0, p_best)
    margin = np.where(np.isnan(margin), np.inf, margin)
    weak = has & (status == _UNMATCHED) & (prob < th["review_threshold"])
    return {
        "no_usable_fields": ~usable,
        "no_candidates": usable & ~has,
        "low_score": weak | (has & (status == _REVIEW) & (prob < th["verified_threshold"])),
        "ambiguous": has & has2 & (prob >= th["review_threshold"])
        & (margin < th["min_margin"]),
    }


def connected_components(n: int, a: NDArray[np.int64], b: NDArray[np.int64]) -> NDArray[np.int64]:
    """Connected-component labels (the smallest row of each component), numpy only.

    >>> connected_components(5, np.array([0, 3]), np.array([1, 4])).tolist()
    [0, 0, 2, 3, 3]
    """
    labels = np.arange(n, dtype=np.int64)
    if a.size == 0:
        return labels
    while True:
        la, lb = labels[a], labels[b]
        low = np.minimum(la, lb)
        before = labels.copy()
        np.minimum.at(labels, la, low)
        np.minimum.at(labels, lb, low)
        while True:  # pointer jumping until every row points at its root
            jumped = labels[labels]
            if np.array_equal(jumped, labels):
                break
            labels = jumped
        if np.array_equal(before, labels):
            return labels


def _repeated(value: str, n: int) -> NDArray[np.object_]:
    """``n`` references to one string (``np.full`` would make a copy of it per row).

    >>> column = _repeated("abc", 3)
    >>> column.tolist(), column[0] is column[2]
    (['abc', 'abc', 'abc'], True)
    """
    out = np.empty(n, dtype=object)
    out[:] = value
    return out





"""The one place where vnlink.spark calls into vnlink's in-memory pipeline (internal).

Every Spark task runs these functions on a batch of rows (numpy columns): the
same prepare, key cutting, comparison, scoring and decision code as
``Linker.link``. When the public pipeline module lands, this adapter switches to
it and nothing else in :mod:`vnlink.spark` changes.

>>> from vnlink.blocking import block_on
>>> from vnlink.prepare import Schema
>>> t = prepare_batch(Schema(name="ten"), Table({"ten": ["Nguyễn Văn An", ""]}))
>>> keys, present = rule_keys(block_on("given_key"), t)
>>> present.tolist()
[True, False]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink._table import Table
from vnlink.blocking.pairs import DEFAULT_MAX_BLOCK_PAIRS
from vnlink.blocking.rules import BlockingRule, BlockOn, _KeyCodes
from vnlink.compare.base import ComparisonSet, ComparisonVectors
from vnlink.compare.tf import row_values
from vnlink.exceptions import ConfigurationError, SchemaError
from vnlink.prepare import PreparedTable, Schema, prepare

__all__ = [
    "MAX_BLOCK_PAIRS",
    "Best",
    "check_columns",
    "decide_best",
    "fit_em",
    "fitted_schemas",
    "prepare_batch",
    "rule_keys",
    "score_batch",
    "set_fitted",
    "tf_columns",
    "tf_values",
    "unfitted_setup",
    "vectors_batch",
]

MAX_BLOCK_PAIRS: int = DEFAULT_MAX_BLOCK_PAIRS
"""The block-size cap of in-memory blocking (``candidate_pairs``), applied the same way."""

TF_PREFIX = "tf__"


def fitted_schemas(linker: Any) -> tuple[Schema, Schema]:
    """The fitted linker's (registry, records) schemas; NotFittedError before ``fit``."""
    linker._check_fitted()
    return linker.registry_schema_, linker.records_schema_


def rules_of(linker: Any) -> list[BlockingRule]:
    """The fitted linker's blocking rules (only exact ``block_on`` rules run on Spark)."""
    rules = list(linker.rules_)
    for rule in rules:
        if not isinstance(rule, BlockOn):
            raise ConfigurationError(
                f"blocking rule {rule.name!r} is not an exact block_on rule; vnlink.spark joins on "
                "exact keys only: replace sorted-neighbourhood rules with block_on on a cut key "
                "(e.g. block_on('name_fold[:6]', 'dob_year'))"
            )
    return rules


def unfitted_setup(linker: Any, registry_columns: list[str], records_columns: list[str]) -> None:
    """Resolve schemas, rules and comparisons as ``Linker.fit`` does, from the headers alone."""
    from vnlink.decide import (
        DEFAULT_REVIEW_THRESHOLD,
        DEFAULT_VERIFIED_THRESHOLD,
        check_thresholds,
    )

    check_thresholds(
        DEFAULT_VERIFIED_THRESHOLD if linker.verified_threshold is None
        else linker.verified_threshold,
        DEFAULT_REVIEW_THRESHOLD if linker.review_threshold is None else linker.review_threshold,
        linker.min_margin,
    )
    for attr in ("registry_schema_", "records_schema_"):
        if hasattr(linker, attr):
            delattr(linker, attr)
    reg = _header_table(registry_columns)
    rec = _header_table(records_columns)
    linker.registry_schema_, linker.records_schema_ = linker._schemas(reg, rec)
    linker.rules_ = linker._rules()
    linker.comparisons_ = linker._comparison_set()
    rules_of(linker)


def _header_table(columns: list[str]) -> Table:
    return Table({c: np.zeros(0, dtype=object) for c in columns}, n_rows=0)


def check_columns(schema: Schema, columns: list[str], what: str) -> None:
    """Raise the in-memory SchemaError when the schema names a column the DataFrame lacks."""
    try:
        schema.validate(_header_table(columns))
    except SchemaError as error:
        raise SchemaError(f"{what}: {error.args[0]}") from None


def prepare_batch(schema: Schema, table: Table) -> PreparedTable:
    """vnlink's own ``prepare`` on one batch of input rows."""
    return prepare(table, schema)


def rule_keys(rule: BlockingRule, table: Table) -> tuple[NDArray[np.uint64], NDArray[np.bool_]]:
    """Per row the 64-bit key of ``rule`` and whether it is present.

    The hashes in-memory blocking groups on (``_KeyCodes.side_hashes``): they
    depend on the row's values only, so every batch cuts the same keys.
    """
    if not isinstance(rule, BlockOn):
        raise ConfigurationError(f"rule {rule.name!r} has no per-row key")
    hashes, missing = _KeyCodes(table, None).side_hashes(rule.keys, only=0)[0]
    return hashes, ~missing


def tf_columns(linker: Any) -> list[str]:
    """The distinct term-frequency columns of the comparisons, in order."""
    out: list[str] = []
    for comparison in linker.comparisons_.comparisons:
        column = comparison.tf_column
        if column is not None and comparison.tf_levels and column not in out:
            out.append(column)
    return out


def tf_values(table: Table, column: str) -> NDArray[np.object_]:
    """The value whose frequency counts, per row, as text (None where missing)."""
    values = row_values(table, column)
    out = np.empty(len(values), dtype=object)
    if values.dtype == object:
        items = values.tolist()
        out[:] = [None if v is None or v == "" else str(v) for v in items]
    else:
        out[:] = [None if v == 0 else str(int(v)) for v in values.tolist()]
    return out


def vectors_batch(linker: Any, left: Table, right: Table) -> ComparisonVectors:
    """Compare row ``i`` of ``left`` with row ``i`` of ``right`` for every ``i``.

    Term frequencies are read from the registry-wide ``tf__<column>`` columns of
    ``left`` (computed by Spark) instead of being counted in the batch.
    """
    cset: ComparisonSet = linker.comparisons_
    idx = np.arange(left.n_rows, dtype=np.int64)
    vectors = cset.compute((idx, idx), left, right)
    for j, comparison in enumerate(cset.comparisons):
        column, levels = comparison.tf_column, comparison.tf_levels
        if column is None or not levels or TF_PREFIX + column not in left:
            continue
        mask = np.isin(vectors.levels[:, j], np.asarray(levels, dtype=np.int8))
        freq = np.asarray(left[TF_PREFIX + column], dtype=np.float64)
        vectors.tf[:, j] = np.where(mask, freq, np.nan)
    return vectors


def score_batch(linker: Any, left: Table, right: Table) -> tuple[
    NDArray[np.float64], NDArray[np.float64], NDArray[np.int8]
]:
    """Match weight, probability and levels of the aligned rows of ``left`` and ``right``.

    Before the classifier is fitted the weights and probabilities are NaN.
    """
    vectors = vectors_batch(linker, left, right)
    levels = np.asarray(vectors.levels, dtype=np.int8)
    if not hasattr(linker, "classifier_"):  # training: the levels are all there is yet
        nan = np.full(len(levels), np.nan)
        return nan, nan, levels
    weight, prob = linker._weight_and_probability(vectors)
    return weight, prob, levels


def n_levels(linker: Any) -> list[int]:
    """Levels per comparison."""
    return [int(c.n_levels) for c in linker.comparisons_.comparisons]


def fit_em(linker: Any, patterns: NDArray[np.int8], counts: NDArray[np.int64],
           n_candidates: int, n_all: int, u: list[NDArray[np.float64]] | None) -> None:
    """Fit the classifier by EM on level-pattern counts, then set u and the prior.

    The maths of ``Linker.fit`` without truth: EM on the candidate pairs for m,
    u from random pairs, the prior over all registry x record pairs.
    """
    cset: ComparisonSet = linker.comparisons_
    order = np.lexsort(patterns.T[::-1]) if len(patterns) else np.zeros(0, dtype=np.int64)
    levels = np.repeat(patterns[order], counts[order], axis=0).astype(np.int8)
    n, k = levels.shape[0], len(cset.comparisons)
    vectors = ComparisonVectors(
        levels=levels.reshape(n, k),
        scores=np.zeros((n, k), dtype=np.float32),
        names=list(cset.names),
        level_labels=[c.level_labels for c in cset.comparisons],
        n_levels=n_levels(linker),
        tf=np.full((n, k), np.nan, dtype=np.float64),
        spec=cset.to_dict(),
        left=np.zeros(n, dtype=np.int64),
        right=np.zeros(n, dtype=np.int64),
    )
    classifier = linker._new_classifier()
    classifier.fit(vectors)
    fs_like = all(hasattr(classifier, a) for a in ("m_", "u_", "lambda_"))
    if u is not None and fs_like and linker.u_pairs > 0:
        expected_matches = float(classifier.lambda_) * n_candidates
        prior = min(max(expected_matches / n_all, 1e-12), 0.5)
        fixed: list[NDArray[np.float64]] = []
        for m, u_j in zip(classifier.m_, u, strict=True):
            u_j = np.asarray(u_j, dtype=np.float64).copy()
            if len(u_j) > 1 and m[0] > u_j[0]:  # disagreement is never evidence for a match
                u_j[0] = m[0]
                u_j /= u_j.sum()
            fixed.append(u_j)
        classifier.u_ = fixed
        classifier.lambda_ = float(prior)
    linker.classifier_ = classifier


def u_from_patterns(linker: Any, patterns: NDArray[np.int8],
                    counts: NDArray[np.int64]) -> list[NDArray[np.float64]]:
    """u per comparison from the level patterns of random pairs, as ``estimate_u`` computes it."""
    from vnlink.classify.em import level_totals
    from vnlink.classify.fellegi_sunter import _normalise

    totals = level_totals(patterns, n_levels(linker), counts.astype(np.float64))
    return [_normalise(t + 1.0) for t in totals]


def set_fitted(linker: Any) -> None:
    """Thresholds (no truth: the defaults) and the model fingerprint, as ``fit`` sets them."""
    linker.thresholds_ = linker._thresholds(None, None, None, None)
    linker.fingerprint_ = linker._fingerprint()
    linker.timings_ = {}


@dataclass
class Best:
    """Per record row of a batch: its best candidate and runner-up (from Spark aggregation)."""

    has: NDArray[np.bool_]
    weight: NDArray[np.float64]
    prob: NDArray[np.float64]
    rule: NDArray[np.int64]
    runner_id: NDArray[np.object_]
    runner_weight: NDArray[np.float64]
    n_candidates: NDArray[np.int64]


@dataclass
class _Pairs:
    left: NDArray[np.int64]
    right: NDArray[np.int64]
    rule: NDArray[np.int8]
    rule_names: tuple[str, ...]


def decide_best(linker: Any, left_best: PreparedTable, right: PreparedTable,
                best: Best) -> Table:
    """The LinkResult columns of ``right``'s rows from each one's best and runner-up.

    ``left_best`` holds, for the records that have a candidate (in row order),
    the registry row of the best candidate. ``Linker._decide`` is run on the
    best and runner-up pairs only, with the candidate counts made by Spark.
    """
    rows = np.flatnonzero(best.has)
    h = len(rows)
    two = best.has & (best.runner_id != None)  # noqa: E711
    runner_rows = np.flatnonzero(two[rows])  # positions among the best rows
    # the runner-up's registry row: only its id is read, so a copy of the best row serves
    take = np.concatenate([np.arange(h), runner_rows]).astype(np.int64)
    left = left_best.take(take)
    ids = left["record_id"].copy()
    ids[h:] = best.runner_id[rows[runner_rows]]
    left.columns["record_id"] = ids
    pairs = _Pairs(
        left=np.arange(len(take), dtype=np.int64),
        right=np.concatenate([rows, rows[runner_rows]]).astype(np.int64),
        rule=np.concatenate([best.rule[rows], best.rule[rows[runner_rows]]]).astype(np.int8),
        rule_names=tuple(rule.name for rule in linker.rules_),
    )
    weight = np.concatenate([best.weight[rows], best.runner_weight[rows[runner_rows]]])
    prob = np.concatenate([best.prob[rows], np.zeros(len(runner_rows))])
    table: Table = linker._decide(left, right, pairs, weight, prob)
    table.columns["n_candidates"] = best.n_candidates.astype(np.int64)
    return table

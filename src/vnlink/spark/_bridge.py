"""The one place where vnlink.spark calls into vnlink's in-memory pipeline (internal).

Every Spark task runs these functions on a batch of rows (numpy columns): the
same :class:`~vnlink.pipeline.Pipeline` as ``Linker.link`` — its prepare, its
comparisons (reading the registry-wide ``tf__<column>`` frequencies Spark
adds), its classifier and its ``decide_best``. Training mirrors
``Linker.fit`` without truth, step for step.

>>> from vnlink.blocking import block_on
>>> from vnlink.schema import Schema
>>> t = prepare_batch(Schema(name="ten"), Table({"ten": ["Nguyễn Văn An", ""]}))
>>> keys, present = rule_keys(block_on("given_key"), t)
>>> present.tolist()
[True, False]
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink.blocking.pairs import DEFAULT_MAX_BLOCK_PAIRS
from vnlink.blocking.rules import BlockingRule, SortedNeighbourhood
from vnlink.compare.base import ComparisonSet, ComparisonVectors
from vnlink.compare.households import HouseholdNumbers, holder_keys, household_columns
from vnlink.compare.tf import row_values
from vnlink.exceptions import ConfigurationError, SchemaError
from vnlink.model import fingerprint, pipeline_from_dict, pipeline_to_dict
from vnlink.pipeline import BestCandidates, Pipeline
from vnlink.prepare import PreparedTable, prepare
from vnlink.schema import Schema
from vnlink.table import Table

__all__ = [
    "MAX_BLOCK_PAIRS",
    "TF_PREFIX",
    "Shipped",
    "check_columns",
    "decide_best",
    "fit_em",
    "fitted_pipeline",
    "holder_columns",
    "holder_key_values",
    "prepare_batch",
    "rule_keys",
    "rules_of",
    "score_batch",
    "set_fitted",
    "ship",
    "tf_columns",
    "tf_values",
    "training_pipeline",
    "u_from_patterns",
    "unfitted_setup",
]

MAX_BLOCK_PAIRS: int = DEFAULT_MAX_BLOCK_PAIRS
"""The block-size cap of in-memory blocking (``candidate_pairs``), applied the same way."""

TF_PREFIX = "tf__"


_PIPELINES: dict[str, Pipeline] = {}


@dataclass(frozen=True)
class Shipped:
    """A pipeline as its JSON model, the form in which it travels to the Spark tasks.

    Each Python worker rebuilds it once (cached by the document's hash), exactly
    as a service loads a saved model; nothing is pickled but this text.
    """

    document: str
    trained: bool
    locale: str = "vi"

    def get(self) -> Pipeline:
        """The pipeline (built on first use in this process)."""
        key = hashlib.sha256(self.document.encode()).hexdigest()
        pipe = _PIPELINES.get(key)
        if pipe is None:
            doc = json.loads(self.document)
            if self.trained:
                pipe = pipeline_from_dict(doc, locale=self.locale)
            else:
                pipe = _untrained_from_dict(doc)
            _PIPELINES[key] = pipe
        return pipe


def ship(pipe: Pipeline) -> Shipped:
    """The pipeline as a :class:`Shipped` JSON document."""
    if pipe.classifier is not None:
        return Shipped(json.dumps(pipeline_to_dict(pipe)), True, pipe.locale)
    doc = {
        "registry_schema": pipe.registry_schema.to_dict(),
        "records_schema": pipe.records_schema.to_dict(),
        "blocking": [rule.to_dict() for rule in pipe.rules],
        "comparisons": [c.to_dict() for c in pipe.comparisons.comparisons],
    }
    return Shipped(json.dumps(doc), False, pipe.locale)


def _untrained_from_dict(doc: dict[str, Any]) -> Pipeline:
    from vnlink.blocking import rule_from_dict
    from vnlink.compare import comparison_from_dict

    return Pipeline(registry_schema=Schema.from_dict(doc["registry_schema"]),
                    records_schema=Schema.from_dict(doc["records_schema"]),
                    rules=[rule_from_dict(r) for r in doc["blocking"]],
                    comparisons=ComparisonSet([comparison_from_dict(c)
                                               for c in doc["comparisons"]]),
                    classifier=None, thresholds=_NO_THRESHOLDS)


_NO_THRESHOLDS = {"verified_threshold": 1.0, "review_threshold": 1.0, "min_margin": 0.0}


def fitted_pipeline(linker: Any) -> Pipeline:
    """The fitted linker's pipeline; NotFittedError before ``fit``."""
    pipe: Pipeline = linker.pipeline
    rules_of(pipe)
    return pipe


def training_pipeline(linker: Any) -> Pipeline:
    """A pipeline of the linker's schemas, rules and comparisons, without a classifier yet."""
    return Pipeline(registry_schema=linker.registry_schema_, records_schema=linker.records_schema_,
                    rules=linker.rules_, comparisons=linker.comparisons_, classifier=None,
                    thresholds=_NO_THRESHOLDS)


def rules_of(pipe: Pipeline) -> list[BlockingRule]:
    """The pipeline's blocking rules (exact-key rules only: Spark joins on ``row_keys``)."""
    rules = list(pipe.rules)
    for rule in rules:
        if isinstance(rule, SortedNeighbourhood):
            raise ConfigurationError(
                f"blocking rule {rule.name!r} is a sorted-neighbourhood rule; vnlink.spark "
                "joins on exact keys only: replace sorted-neighbourhood rules with block_on on a "
                "cut key (e.g. block_on('name_fold[:6]', 'dob_year'))"
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
    for attr in ("registry_schema_", "records_schema_", "classifier_"):
        if hasattr(linker, attr):
            delattr(linker, attr)
    schemas = linker._schemas(_header_table(registry_columns), _header_table(records_columns))
    linker.registry_schema_, linker.records_schema_ = schemas
    linker.rules_ = linker._rules(schemas)
    linker.comparisons_ = linker._comparison_set(schemas)
    rules_of(training_pipeline(linker))


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


def rule_keys(rule: BlockingRule, table: Table, *, probe: bool = False
              ) -> tuple[NDArray[np.uint64], NDArray[np.bool_]]:
    """Per row the 64-bit key of ``rule`` and whether it is present.

    The rule's public :meth:`~vnlink.blocking.BlockingRule.row_keys` (registry
    rows) or ``probe_keys`` (records, ``probe=True``): the keys in-memory
    blocking and the index use, depending on the row's values only, so every
    batch cuts the same keys.
    """
    found = rule.probe_keys(table) if probe else rule.row_keys(table)
    return np.asarray(found.keys, dtype=np.uint64), np.asarray(found.present, dtype=bool)


def tf_columns(pipe: Pipeline) -> list[str]:
    """The distinct term-frequency columns of the comparisons, in order."""
    out: list[str] = []
    for comparison in pipe.comparisons.comparisons:
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


def holder_columns(pipe: Pipeline) -> list[str]:
    """The number columns whose registry holders by household the comparisons look up."""
    return household_columns(pipe.comparisons.comparisons)


def holder_key_values(table: Table, column: str) -> NDArray[np.object_]:
    """Per registry row its stable ``(number, household)`` key as a signed 64-bit integer,
    ``None`` where it holds none (counted by Spark into the registry's holders)."""
    keys, holds = holder_keys(table, column)
    out = np.empty(table.n_rows, dtype=object)
    out[:] = keys.view(np.int64).tolist()
    out[~holds] = None
    return out


def score_batch(pipe: Pipeline, left: Table, right: Table,
                households: HouseholdNumbers | None = None) -> tuple[
    NDArray[np.float64], NDArray[np.float64], NDArray[np.int8]
]:
    """Match weight, probability and levels of row ``i`` of ``left`` against row ``i`` of ``right``.

    ``left`` carries the registry-wide ``tf__<column>`` frequencies, which the
    comparisons read instead of counting in the batch, and ``households`` the
    registry-wide holders of numbers by household. Without a classifier
    (training) the weights and probabilities are NaN.
    """
    idx = np.arange(left.n_rows, dtype=np.int64)
    vectors = pipe.comparisons.compute((idx, idx), left, right, households=households)
    levels = np.asarray(vectors.levels, dtype=np.int8)
    if pipe.classifier is None:
        nan = np.full(len(levels), np.nan)
        return nan, nan, levels
    weight, prob = pipe.score(vectors)
    return weight, prob, levels


def n_levels(linker: Any) -> list[int]:
    """Levels per comparison."""
    return [int(c.n_levels) for c in linker.comparisons_.comparisons]


def _expand(patterns: NDArray[np.int8], counts: NDArray[np.int64]) -> NDArray[np.int8]:
    """The level matrix with each pattern repeated ``count`` times, in pattern order."""
    order = np.lexsort(patterns.T[::-1]) if len(patterns) else np.zeros(0, dtype=np.int64)
    out: NDArray[np.int8] = np.repeat(patterns[order], counts[order], axis=0).astype(np.int8)
    return out


def fit_em(linker: Any, patterns: NDArray[np.int8], counts: NDArray[np.int64],
           n_candidates: int, n_all: int, u: list[NDArray[np.float64]] | None) -> None:
    """Fit the classifier by EM on level-pattern counts, then set u and the prior.

    The maths of ``Linker.fit`` without truth: EM on the candidate pairs for m,
    u from random pairs, the prior over all registry x record pairs.
    """
    cset: ComparisonSet = linker.comparisons_
    levels = _expand(patterns, counts)
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
    from vnlink.classify import u_from_vectors

    return u_from_vectors(_expand(patterns, counts), n_levels=n_levels(linker), smoothing=1.0)


def set_fitted(linker: Any) -> None:
    """Thresholds (no truth: the defaults) and the model fingerprint, as ``fit`` sets them."""
    linker.thresholds_ = linker._thresholds(None, None, None, None)
    linker.fingerprint_ = fingerprint(linker.to_dict())
    linker.timings_ = {}


def decide_best(pipe: Pipeline, left_best: PreparedTable, right: PreparedTable,
                best: BestCandidates, runner_ids: NDArray[np.object_]) -> Table:
    """The LinkResult columns of ``right``'s rows from each one's best and runner-up.

    ``left_best`` holds, for each record with a candidate (in row order), the
    registry row of its best candidate; ``best.left_row`` indexes it. Only the
    runner-up's id is read, so its row is a copy of the best one with that id.
    """
    has = best.left_row >= 0
    two = best.runner_up_left_row >= 0
    h = left_best.n_rows
    rows = np.flatnonzero(two)
    take = np.concatenate([np.arange(h), best.left_row[rows]]).astype(np.int64)
    left = left_best.take(take)
    ids = np.asarray(left["record_id"], dtype=object).copy()
    ids[h:] = runner_ids[rows]
    left.columns["record_id"] = ids
    runner = np.full(len(has), -1, dtype=np.int64)
    runner[rows] = h + np.arange(len(rows))
    best.runner_up_left_row = runner
    return pipe.decide_best(left, right, best)

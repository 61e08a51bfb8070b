"""Link hand-typed records to a registry, in one object: :class:`Linker`.

``Linker`` fits a model — schemas, blocking rules, comparisons, a classifier,
thresholds — and runs the one :class:`~vnlink.pipeline.Pipeline` with it,
saying for each record who it is, how sure, and why::

    linker = Linker().fit(registry, records)      # unsupervised (EM), or truth=...
    result = linker.link(registry, records)       # one row per record
    result.summary()

The registry is the *left* table and the records the *right* table of the
candidate pairs. Each table is prepared once: ``fit`` then ``link`` on the
same objects reuses the prepared tables. :meth:`Linker.index` builds a
:class:`RegistryIndex` for one-record lookups in milliseconds (a vaccination
site checking a person at the desk).

Every default is Vietnamese, and every part can be the caller's own: a
``Schema`` with fields of your own, rules and comparisons on raw columns::

    Linker(schema=Schema(record_id="rec_id"),
           blocking=[block_on("given_name", "surname")],
           comparisons=[JaroWinklerAtThresholds("given_name", (0.9, 0.7))]).fit_link(a, b)

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

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink._progress import Stages
from vnlink.blocking.pairs import DEFAULT_MAX_BLOCK_PAIRS as _DEFAULT_CAP
from vnlink.blocking.pairs import check_max_block_pairs
from vnlink.decide import DEFAULT_MIN_MARGIN as _DEFAULT_MIN_MARGIN
from vnlink.decide import DEFAULT_REVIEW_THRESHOLD as _DEFAULT_REVIEW
from vnlink.decide import DEFAULT_VERIFIED_THRESHOLD as _DEFAULT_VERIFIED
from vnlink.decide import best_and_runner_up, check_thresholds
from vnlink.exceptions import ConfigurationError, NotFittedError, SchemaError
from vnlink.index import RegistryIndex
from vnlink.model import fingerprint, model_document, pipeline_from_dict
from vnlink.pipeline import Pipeline, ScoredPairs
from vnlink.prepare import PreparedTable
from vnlink.results import DedupeResult, LinkResult
from vnlink.schema import Schema
from vnlink.table import Table, as_table

__all__ = ["DedupeResult", "LinkResult", "Linker", "RegistryIndex", "guess_schema"]


# ---------------------------------------------------------------------------
# schemas


def _as_schema(value: Any) -> Schema:
    """A Schema from a Schema or a mapping of field -> column(s)."""
    if isinstance(value, Schema):
        return value
    if isinstance(value, Mapping):
        return Schema.from_dict(value)
    raise ConfigurationError(
        f"schema must be a Schema, a mapping of field -> column, or a (registry, records) pair "
        f"of those; got {type(value).__name__}"
    )


def guess_schema(table: Table, preferred: Schema | None = None) -> Schema:
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
    schema = Schema.infer(table)
    if not {"name", "dob", "id_number", "phone"} & set(schema.fields_used()):
        raise SchemaError(
            "cannot tell which columns hold the name, date of birth, ID or phone "
            f"(the table has: {', '.join(table.column_names) or '(none)'}); "
            "pass schema=Schema(name=..., dob=..., id_number=...)"
        )
    return schema


def _read_input(data: Any, what: str) -> Table:
    if isinstance(data, Table):
        return data
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


class _PreparedCache:
    """The prepared form of the last tables seen, by identity (fit then link prepare once).

    An entry is used only for the very same object with the same schema, row
    count and columns; :meth:`Linker.forget` empties it (after editing a
    table in place).
    """

    def __init__(self, size: int = 2) -> None:
        self.size = size
        self.entries: list[tuple[Any, Schema, int, tuple[str, ...], PreparedTable]] = []

    @staticmethod
    def _shape(table: Table) -> tuple[int, tuple[str, ...]]:
        return table.n_rows, tuple(table.column_names)

    def get(self, data: Any, table: Table, schema: Schema) -> PreparedTable | None:
        n, names = self._shape(table)
        for obj, sch, rows, cols, prepared in self.entries:
            if obj is data and sch == schema and rows == n and cols == names:
                return prepared
        return None

    def put(self, data: Any, table: Table, schema: Schema, prepared: PreparedTable) -> None:
        n, names = self._shape(table)
        self.entries = [e for e in self.entries if e[0] is not data][-(self.size - 1):]
        self.entries.append((data, schema, n, names, prepared))

    def clear(self) -> None:
        self.entries = []


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
        ``record_id`` column is the person id. Columns the schema does not
        name are kept as they are, for rules and comparisons of your own.
    blocking
        Blocking rules (see :mod:`vnlink.blocking`); default
        ``hard_default_rules()`` (``default_rules()`` plus household keys, a date
        within one part, names typed family-last) plus the rules of any field of
        your own in the schema.
    comparisons
        A ``ComparisonSet`` or list of comparisons; default ``default_comparisons()``
        plus the comparison of any field of your own in the schema.
    classifier
        An unfitted ``FellegiSunter`` (default) or ``SupervisedLinkClassifier``
        (or any classifier of the :class:`~vnlink.classify.LinkClassifier` protocol).
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
    max_block_pairs
        The one cap on candidate pairs per block (one key value of one rule),
        shared by ``link`` and the index (a lookup's block is its registry rows times
        the records looked up together); cuts are reported (``blocking_capped``,
        ``summary()["blocking"]``, a :class:`~vnlink.exceptions.VnlinkWarning`).
        ``None``: no cap. Key values held by a large share of the registry
        (placeholders) are found at ``fit`` and never used as keys.
    u_pairs
        Random registry/record pairs compared to estimate u (default 200,000).
        Unsupervised fitting runs EM on the candidate pairs for m, then takes u
        from these random pairs and sets the prior to the expected matches over
        *all* registry × record pairs, so weights do not depend on what blocking
        let through. ``0`` keeps EM's u and prior, estimated on the candidate
        pairs only.
    random_state
        Seed for the samples.
    progress
        Show progress bars (``tqdm``, notebook-aware) when tqdm is installed.
    locale
        Language of the reason texts: ``"vi"`` (default) or ``"en"``.
    n_jobs
        Processes to prepare tables in (scikit-learn's convention: ``None`` = 1,
        ``-1`` = one per CPU); the address parsing is spread over them. A runtime
        setting: not saved with the model. Where ``fork`` is missing (Windows) or the
        calling process runs other threads, preparing stays in this process.

    Attributes
    ----------
    pipeline
        The fitted :class:`~vnlink.pipeline.Pipeline` (what every path runs).
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
        max_block_pairs: int | None = _DEFAULT_CAP,
        u_pairs: int = 200_000,
        random_state: int = 0,
        progress: bool = True,
        locale: str = "vi",
        n_jobs: int | None = None,
    ) -> None:
        from vnlink._parallel import check_jobs
        from vnlink.reasons import check_locale

        self.schema = schema
        self.blocking = blocking
        self.comparisons = comparisons
        self.classifier = classifier
        self.verified_threshold = verified_threshold
        self.review_threshold = review_threshold
        self.min_margin = min_margin
        self.target_precision = target_precision
        self.max_fit_pairs = max_fit_pairs
        self.max_block_pairs = check_max_block_pairs(max_block_pairs)
        self.u_pairs = u_pairs
        self.random_state = random_state
        self.progress = progress
        self.locale = check_locale(locale)
        check_jobs(n_jobs)
        self.n_jobs = n_jobs
        self._cache = _PreparedCache()

    # ----- configuration -------------------------------------------------

    def _schemas(self, registry: Table | None, records: Table | None) -> tuple[Schema, Schema]:
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

    @staticmethod
    def _custom_specs(schemas: tuple[Schema, Schema]) -> list[Any]:
        from vnlink.fields import field_spec

        names = dict.fromkeys(schemas[0].custom_fields() + schemas[1].custom_fields())
        return [field_spec(name) for name in names
                if schemas[0].columns_of(name) or schemas[1].columns_of(name)]

    def _rules(self, schemas: tuple[Schema, Schema]) -> list[Any]:
        from vnlink.blocking import as_rules
        from vnlink.blocking.extra_rules import hard_default_rules

        if self.blocking is None:
            rules = list(hard_default_rules())
            for spec in self._custom_specs(schemas):
                rules.extend(spec.blocking_rules())
            return rules
        try:
            return as_rules(self.blocking)
        except ConfigurationError as error:
            raise ConfigurationError(
                f"blocking must be a rule or a list of rules: {error}") from None

    def _comparison_set(self, schemas: tuple[Schema, Schema]) -> Any:
        from vnlink.compare import ComparisonSet, default_comparisons

        if self.comparisons is None:
            comps = list(default_comparisons())
            for spec in self._custom_specs(schemas):
                extra = spec.comparison()
                if extra is not None:
                    comps.append(extra)
            return ComparisonSet(comps)
        if isinstance(self.comparisons, ComparisonSet):
            return self.comparisons
        return ComparisonSet(list(self.comparisons))

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

    @property
    def pipeline(self) -> Pipeline:
        """The fitted pipeline: what ``link``, ``dedupe``, the index and Spark run."""
        self._check_fitted()
        return self._pipeline()

    def _pipeline(self, classifier: Any = None) -> Pipeline:
        return Pipeline(
            registry_schema=self.registry_schema_, records_schema=self.records_schema_,
            rules=self.rules_, comparisons=self.comparisons_,
            classifier=self.classifier_ if classifier is None else classifier,
            thresholds=getattr(self, "thresholds_", {
                "verified_threshold": _DEFAULT_VERIFIED, "review_threshold": _DEFAULT_REVIEW,
                "min_margin": float(self.min_margin)}),
            fingerprint=getattr(self, "fingerprint_", ""), locale=self.locale,
            max_block_pairs=self.max_block_pairs, placeholders=getattr(self, "placeholders_", {}),
        )

    # ----- stages ----------------------------------------------------------

    def prepare(self, data: Any, side: str = "records") -> PreparedTable:
        """Prepare ``data`` with the fitted schema of ``side`` (``"registry"``/``"records"``).

        A prepared table can be passed to ``fit``, ``link``, ``dedupe`` and
        ``index`` in place of the raw table, saved with
        :meth:`~vnlink.prepare.PreparedTable.save` and loaded back.
        """
        self._check_fitted()
        schema = self.registry_schema_ if side == "registry" else self.records_schema_
        if side not in ("registry", "records"):
            raise ConfigurationError(f"side must be 'registry' or 'records', got {side!r}")
        return self._prepared(data, _read_input(data, side), schema)

    def _prepared(self, data: Any, table: Table, schema: Schema) -> PreparedTable:
        from vnlink.prepare import prepare

        if isinstance(table, PreparedTable):
            return table
        cached = self._cache.get(data, table, schema)
        if cached is not None:
            return cached
        prepared = prepare(table, schema, n_jobs=self.n_jobs)
        self._cache.put(data, table, schema, prepared)
        return prepared

    def forget(self) -> Linker:
        """Drop the prepared tables kept for reuse (after editing an input table in place)."""
        self._cache.clear()
        return self

    # ----- fit -------------------------------------------------------------

    def fit(self, registry: Any, records: Any = None, truth: Any = None,
            labels: Any = None) -> Linker:
        """Learn the model from a registry and records, or from one table to deduplicate.

        Parameters
        ----------
        registry, records
            Any table (pandas/polars DataFrame, pyarrow Table, mapping, list of
            dicts, or a PreparedTable). With ``records=None`` the model is
            trained for deduplicating ``registry`` (pairs within the table).
        truth
            Optional labels: a table with ``record_id`` and ``person_id``
            (``""`` when the record's person is not in the registry; for
            dedupe, a cluster id). Without it the model is fitted
            unsupervised (EM; see ``u_pairs``).
        labels
            Optional labelled pairs (a review-page decisions CSV, a ``LabelStore``, or
            ``(record_id, person_id, is_match)`` tuples): after fitting, the model is
            corrected by them (:func:`vnlink.review.fit_with_labels`).

        Returns
        -------
        Linker
            ``self``, fitted.
        """
        names = (["prepare registry", "prepare records"] if records is not None
                 else ["prepare"]) + ["block", "compare", "fit"]
        stages = Stages(names, progress=self.progress, n_jobs=self.n_jobs, desc="vnlink fit")
        try:
            self._fit_stages(registry, records, truth, stages)
        finally:
            stages.close()
        self.timings_ = stages.timings
        if labels is not None:  # review desk (issue 15): corrections learnt from labels
            from vnlink.review.active import fit_with_labels

            fit_with_labels(self, registry, records, labels)
        return self

    def fit_link(self, registry: Any, records: Any, truth: Any = None, *,
                 one_to_one: bool = False) -> LinkResult:
        """``fit`` then ``link`` the same tables, preparing and blocking them only once."""
        stages = Stages(["prepare registry", "prepare records", "block", "compare", "fit",
                         "score", "decide"], progress=self.progress, n_jobs=self.n_jobs,
                        desc="vnlink fit+link")
        try:
            left, right, pairs, X = self._fit_stages(registry, records, truth, stages)
            pipe = self.pipeline
            with stages.stage("score"):
                if X is not None and len(X.levels) == len(pairs.left):  # fitted on every pair
                    weight, prob = pipe.score(X)
                    scored = ScoredPairs(pairs.left, pairs.right, pairs.rule,
                                         tuple(pairs.rule_names), X.levels, weight, prob,
                                         pairs.capped, pairs.report.cuts())
                else:
                    scored = pipe.score_pairs(pairs, left, right)
            with stages.stage("decide"):
                table = pipe.decide(left, right, scored, one_to_one=one_to_one)
        finally:
            stages.close()
        self.timings_ = {k: v for k, v in stages.timings.items() if k not in ("score", "decide")}
        result = LinkResult(table, origin=_origin(records, right), timings=stages.timings,
                            fingerprint=self.fingerprint_, n_pairs=len(pairs.left),
                            blocking=_cut_summary(pipe, scored))
        result.linker = self  # for result.review_table (issue 15)
        return result

    def _fit_stages(self, registry: Any, records: Any, truth: Any, stages: Stages) -> tuple[
        Any, Any, Any, Any
    ]:
        check_thresholds(
            _DEFAULT_VERIFIED if self.verified_threshold is None
            else self.verified_threshold,
            _DEFAULT_REVIEW if self.review_threshold is None else self.review_threshold,
            self.min_margin,
        )
        dedupe = records is None
        reg = _read_input(registry, "records" if dedupe else "registry")
        rec = reg if dedupe else _read_input(records, "records")
        schemas = self._fit_schemas(reg, rec, dedupe)
        self.registry_schema_, self.records_schema_ = schemas
        self.rules_ = self._rules(schemas)
        self.comparisons_ = self._comparison_set(schemas)
        if dedupe:
            with stages.stage("prepare"):
                left = right = self._prepared(registry, reg, schemas[0])
        else:
            with stages.stage("prepare registry"):
                left = self._prepared(registry, reg, schemas[0])
            with stages.stage("prepare records"):
                right = self._prepared(records, rec, schemas[1])
        from vnlink.blocking.pairs import candidate_pairs, find_placeholders, warn_cuts

        with stages.stage("block"):
            self.placeholders_ = find_placeholders(self.rules_, left)
            rules = [r for r in self.rules_ if r.symmetric] if dedupe else self.rules_
            pairs = candidate_pairs(rules, left, None if dedupe else right,
                                    max_block_pairs=self.max_block_pairs,
                                    skip_keys=self.placeholders_)
            if pairs.capped is not None and pairs.report is not None:
                warn_cuts(pairs.report.cuts(), int(pairs.capped.sum()), self.max_block_pairs)
        rng = np.random.default_rng(self.random_state)
        n_pairs = len(pairs.left)
        if n_pairs == 0:
            raise ConfigurationError(
                "blocking found no candidate pairs to learn from: check the schema "
                "(which columns hold name, date of birth, ID) and the blocking rules"
            )
        y = None
        if truth is not None:
            y = self._pair_labels(truth, left, right, pairs, dedupe=dedupe)
        with stages.stage("compare"):
            if n_pairs > self.max_fit_pairs:
                keep = np.sort(rng.choice(n_pairs, size=self.max_fit_pairs, replace=False))
                sample = _subset_pairs(pairs, keep)
                y = y[keep] if y is not None else None
            else:
                sample = pairs
            from vnlink._parallel import requested_jobs

            X = self.comparisons_.compute(sample, left, right, workers=requested_jobs())
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
                self._fit_unsupervised(classifier, X, left, right, n_pairs, dedupe=dedupe)
            self.classifier_ = classifier
            self.thresholds_ = self._thresholds(truth, left, right, pairs, dedupe=dedupe)
        self.fingerprint_ = fingerprint(self.to_dict())
        return left, right, pairs, (X if sample is pairs else None)

    def _fit_schemas(self, reg: Table, rec: Table, dedupe: bool) -> tuple[Schema, Schema]:
        """The schemas to fit with: given, or those of prepared tables, or guessed."""
        if isinstance(rec, PreparedTable) and (dedupe or isinstance(reg, PreparedTable)):
            given = (reg.schema, rec.schema) if isinstance(reg, PreparedTable) else None
            if self.schema is None and given is not None:
                return given
        reg_schema, rec_schema = self._schemas(
            None if dedupe or isinstance(reg, PreparedTable) else reg,
            None if isinstance(rec, PreparedTable) else rec)
        return (rec_schema, rec_schema) if dedupe else (reg_schema, rec_schema)

    def _fit_unsupervised(self, classifier: Any, X: Any, left: Any, right: Any,
                          n_candidates: int, *, dedupe: bool = False) -> None:
        """EM on the candidate pairs for m; u from random pairs; prior over all pairs."""
        classifier.fit(X)
        fs_like = all(hasattr(classifier, a) for a in ("m_", "u_", "lambda_"))
        if self.u_pairs <= 0 or not fs_like:
            return
        from vnlink.classify import estimate_u

        n_all = (left.n_rows * (left.n_rows - 1) // 2) if dedupe else left.n_rows * right.n_rows
        n_all = max(n_all, 1)
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

    def _pair_labels(self, truth: Any, left: Any, right: Any, pairs: Any, *,
                     dedupe: bool = False) -> NDArray[np.bool_]:
        t = _read_input(truth, "truth")
        for column in ("record_id", "person_id"):
            if column not in t:
                raise SchemaError(f"the truth table needs a {column!r} column")
        person_of = dict(zip(_strings(t["record_id"]).tolist(), _strings(t["person_id"]).tolist(),
                             strict=True))
        rec_ids = _strings(right["record_id"])
        true_person = np.array([person_of.get(r, "") for r in rec_ids.tolist()], dtype=object)
        if dedupe:  # both sides are records: the same (non-empty) person is a match
            same = np.asarray(true_person[pairs.left] == true_person[pairs.right], dtype=bool)
            known = np.asarray(true_person[pairs.left] != "", dtype=bool)
        else:
            reg_ids = _strings(left["record_id"])
            same = np.asarray(reg_ids[pairs.left] == true_person[pairs.right], dtype=bool)
            known = np.asarray(true_person[pairs.right] != "", dtype=bool)
        out: NDArray[np.bool_] = same & known
        return out

    def _thresholds(self, truth: Any, left: Any, right: Any, pairs: Any, *,
                    dedupe: bool = False) -> dict[str, float]:
        verified = self.verified_threshold
        review = self.review_threshold
        if truth is not None and not dedupe and (verified is None or review is None):
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

        scored = self._pipeline().score_pairs(pairs, left, right)
        best, _ = best_and_runner_up(pairs.right, scored.weight, right.n_rows,
                                     tie_break=pairs.left)
        has = best >= 0
        y = self._pair_labels(truth, left, right, pairs)[best[has]]
        scores = scored.prob[best[has]]
        if y.all() or not y.any():
            return _DEFAULT_VERIFIED, _DEFAULT_REVIEW
        choice = choose_thresholds(y, scores, target_precision=self.target_precision,
                                   max_review=0.05)
        verify = max(float(choice.verify), 0.5)
        return verify, min(float(choice.review), verify, _DEFAULT_REVIEW)

    # ----- link --------------------------------------------------------------

    def _link_inputs(self, registry: Any, records: Any) -> tuple[Table, PreparedTable,
                                                                  PreparedTable]:
        reg = _read_input(registry, "registry")
        rec = _read_input(records, "records")
        return rec, self._prepared(registry, reg, self.registry_schema_), self._prepared(
            records, rec, self.records_schema_)

    def link(self, registry: Any, records: Any, *, one_to_one: bool = False) -> LinkResult:
        """Decide, for every record, who in the registry it is.

        Parameters
        ----------
        registry, records
            Any tables (or PreparedTables); prepared once and reused.
        one_to_one
            Link each registry person to at most one record (the one with the
            highest weight; the others move on to a free candidate). Off by
            default: a person has several vaccination records.

        Returns
        -------
        LinkResult
            Exactly one row per record, in input order (see :class:`LinkResult`).
        """
        self._check_fitted()
        pipe = self.pipeline
        stages = Stages(["prepare registry", "prepare records", "block", "score", "decide"],
                        progress=self.progress, n_jobs=self.n_jobs, desc="vnlink link")
        try:
            reg = _read_input(registry, "registry")
            rec = _read_input(records, "records")
            with stages.stage("prepare registry"):
                left = self._prepared(registry, reg, self.registry_schema_)
            with stages.stage("prepare records"):
                right = self._prepared(records, rec, self.records_schema_)
            with stages.stage("block"):
                pairs = pipe.block(left, right)
            with stages.stage("score"):
                scored = pipe.score_pairs(pairs, left, right)
            with stages.stage("decide"):
                table = pipe.decide(left, right, scored, one_to_one=one_to_one)
        finally:
            stages.close()
        result = LinkResult(table, origin=_origin(records, rec), timings=stages.timings,
                            fingerprint=self.fingerprint_, n_pairs=len(pairs.left),
                            blocking=_cut_summary(pipe, scored))
        result.linker = self  # for result.review_table (issue 15)
        return result

    def candidates(self, registry: Any, records: Any, *, top_k: int = 3) -> Table:
        """The ``top_k`` scored candidates of every record, with each comparison's level.

        For notebooks: ``record_id``, ``rank``, ``person_id``, ``match_weight``,
        ``match_probability``, ``blocking_rule``, then per comparison
        ``<name>_level``, ``<name>_label`` and (Fellegi–Sunter) ``<name>_weight``.
        """
        self._check_fitted()
        pipe = self.pipeline
        _, left, right = self._link_inputs(registry, records)
        scored = pipe.score_pairs(pipe.block(left, right), left, right)
        return pipe.candidates(left, right, scored, top_k=top_k)

    # ----- dedupe ------------------------------------------------------------

    def dedupe(
        self,
        records: Any,
        *,
        threshold: float = 0.99,
        max_cluster_size: int = 8,
        strict_thresholds: tuple[float, ...] = (0.999, 0.9999, 0.99999),
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
        pipe = self.pipeline
        rec = _read_input(records, "records")
        stages = Stages(["prepare", "block", "score", "cluster"], progress=self.progress,
                        n_jobs=self.n_jobs, desc="vnlink dedupe")
        try:
            with stages.stage("prepare"):
                prepared = self._prepared(records, rec, self.records_schema_)
            with stages.stage("block"):
                pairs = pipe.block(prepared, None)
            with stages.stage("score"):
                scored = pipe.score_pairs(pairs, prepared, prepared)
            with stages.stage("cluster"):
                n = prepared.n_rows
                labels = pipe.cluster(n, scored, threshold=threshold,
                                      max_cluster_size=max_cluster_size,
                                      strict_thresholds=strict_thresholds)
                sizes = np.bincount(labels, minlength=n)
                best = np.full(n, -np.inf)
                np.maximum.at(best, scored.left, scored.prob)
                np.maximum.at(best, scored.right, scored.prob)
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
        return model_document(registry_schema=self.registry_schema_,
                              records_schema=self.records_schema_, rules=self.rules_,
                              comparisons=self.comparisons_, classifier=self.classifier_,
                              thresholds=self.thresholds_, max_block_pairs=self.max_block_pairs,
                              placeholders=getattr(self, "placeholders_", {}))

    def save(self, path: str | os.PathLike[str], *, overwrite: bool = True) -> Path:
        """Save the fitted model as sealed JSON (no pickle, atomic, mode 0600); return the path.

        One SHA-256 over the whole document is checked on load (docs/files.md).
        """
        from vnlink._sealed import write_sealed_json

        return write_sealed_json(path, self.to_dict(), overwrite=overwrite)

    @classmethod
    def from_pipeline(cls, pipeline: Pipeline, *, progress: bool = True) -> Linker:
        """A fitted Linker running ``pipeline``."""
        th = pipeline.thresholds
        linker = cls(verified_threshold=th["verified_threshold"],
                     review_threshold=th["review_threshold"], min_margin=th["min_margin"],
                     progress=progress, locale=pipeline.locale,
                     max_block_pairs=pipeline.max_block_pairs)
        linker.placeholders_ = dict(pipeline.placeholders)
        linker.registry_schema_ = pipeline.registry_schema
        linker.records_schema_ = pipeline.records_schema
        linker.rules_ = list(pipeline.rules)
        linker.comparisons_ = pipeline.comparisons
        linker.classifier_ = pipeline.classifier
        linker.thresholds_ = dict(th)
        linker.schema = (linker.registry_schema_, linker.records_schema_)
        linker.blocking = linker.rules_
        linker.comparisons = linker.comparisons_
        linker.timings_ = {}
        linker.fingerprint_ = fingerprint(linker.to_dict())
        return linker

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any], *, progress: bool = True) -> Linker:
        """Rebuild a fitted Linker from :meth:`to_dict`."""
        return cls.from_pipeline(pipeline_from_dict(doc), progress=progress)

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


def _subset_pairs(pairs: Any, index: NDArray[np.int64]) -> Any:
    import dataclasses

    return dataclasses.replace(pairs, left=pairs.left[index], right=pairs.right[index],
                               rule=pairs.rule[index], report=None)


def _cut_summary(pipe: Pipeline, scored: ScoredPairs) -> dict[str, Any]:
    """The ``blocking`` entry of a LinkResult: the cap and the pairs cut per rule."""
    return {"max_block_pairs": pipe.max_block_pairs, "pairs_cut": dict(scored.cuts or {})}

"""Learn from a few hundred labelled pairs: corrections to the EM model, and which pairs to ask.

**Learning from labels.** The unsupervised Fellegi–Sunter model (EM for m,
random pairs for u) is a good start that gets a few kinds of pair wrong. A
label says what one pair is. :func:`fit_with_labels` keeps the EM model as the
anchor and learns, by penalised logistic regression on the labelled pairs, a
correction per level of each comparison and a shift of the prior, all in
bits. The correction goes into m (``m' ∝ m · 2**δ``, renormalised), so the
result is still a :class:`~vnlink.classify.FellegiSunter` that saves to JSON,
explains itself and treats missing values and term frequencies as before.
With no labels the corrections are zero; the penalty (a normal prior of
``scale`` bits on each correction) keeps a few labels from overturning it.

**Choosing the pairs.** :class:`ActiveLearner` proposes the pairs whose labels
teach most, as dedupe does: the most uncertain ones (match weight nearest 0
bits under the current model) spread across blocking rules and level
patterns — at most one pair per (rule, pattern) per batch, and patterns
already labelled wait their turn — plus a few random pairs to explore.

>>> from vnlink import Linker
>>> from vnlink.datasets import synthetic_linkage
>>> registry, records, truth = synthetic_linkage(300, seed=5)
>>> learner = ActiveLearner(Linker(progress=False), registry, records)
>>> batch = learner.propose(5)
>>> len(batch), sorted(batch[0])[:3]
(5, ['blocking_rule', 'match_probability', 'match_weight'])
>>> person = dict(zip(truth["record_id"].tolist(), truth["person_id"].tolist()))
>>> answers = [(p["record_id"], p["person_id"], person[p["record_id"]] == p["person_id"])
...            for p in batch]
>>> learner.teach_many(answers), learner.n_labels
(5, 5)
>>> learner.n_labels
5
>>> type(learner.fitted_linker().classifier_).__name__
'FellegiSunter'
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink.exceptions import ConfigurationError
from vnlink.review._pairs import ScoredPairs, prepared_tables, refingerprint, scored_pairs

__all__ = ["ActiveLearner", "LevelCorrection", "fit_correction", "fit_with_labels"]

_LN2 = math.log(2.0)


class LevelCorrection:
    """Bits added to each level's weight (through m) and to the prior.

    Attributes
    ----------
    delta
        Per comparison, the raw correction per level (before renormalising m).
    shift
        Bits added to the prior weight.
    """

    def __init__(self, m: list[NDArray[np.float64]], delta: list[NDArray[np.float64]],
                 shift: float) -> None:
        self.m = [np.asarray(x, dtype=np.float64) for x in m]
        self.delta = [np.asarray(d, dtype=np.float64) for d in delta]
        self.shift = float(shift)

    def level_change(self) -> list[NDArray[np.float64]]:
        """Bits each level's weight changes by: ``δ - log2 Σ m·2**δ``."""
        return [d - math.log2(float((m * np.exp2(d)).sum())) for m, d in zip(
            self.m, self.delta, strict=True)]

    def new_m(self) -> list[NDArray[np.float64]]:
        """The corrected m of each comparison (sums to 1)."""
        out = []
        for m, d in zip(self.m, self.delta, strict=True):
            x = m * np.exp2(d)
            out.append(x / x.sum())
        return out

    def apply(self, levels: NDArray[np.int8], weight: NDArray[np.float64]) -> NDArray[np.float64]:
        """The corrected weight of pairs with these levels and base weights."""
        out = weight + self.shift
        for j, change in enumerate(self.level_change()):
            table = np.append(change, 0.0)  # index -1 (missing): no change
            out = out + table[levels[:, j]]
        return out


def fit_correction(levels: NDArray[np.int8], weight: NDArray[np.float64],
                   is_match: NDArray[np.bool_], m: list[NDArray[np.float64]], *,
                   scale: float = 2.0) -> LevelCorrection:
    """Penalised logistic regression of labels on (base weight + corrections), in bits.

    >>> m = [np.array([0.1, 0.9]), np.array([0.2, 0.8])]
    >>> levels = np.array([[1, 1], [1, 0], [0, 1], [0, 0]] * 5, dtype=np.int8)
    >>> base = np.array([4.0, 2.0, 1.0, -3.0] * 5)
    >>> y = np.array([True, False, True, False] * 5)   # level 1 of comparison 1 misleads
    >>> c = fit_correction(levels, base, y, m)
    >>> after = c.apply(levels, base)
    >>> bool(after[1] < base[1] and after[2] > base[2])
    True
    """
    from scipy.optimize import minimize

    k = len(m)
    sizes = [len(x) for x in m]
    offsets = np.r_[0, np.cumsum(sizes)]
    s = np.where(np.asarray(is_match, dtype=bool), 1.0, -1.0)
    lv = np.asarray(levels, dtype=np.int64)
    valid = lv >= 0
    flat = np.where(valid, lv + offsets[:-1][None, :], -1)

    def unpack(theta: NDArray[np.float64]) -> LevelCorrection:
        return LevelCorrection(m, [theta[1 + offsets[j]:1 + offsets[j + 1]] for j in range(k)],
                               theta[0])

    def loss(theta: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        corr = unpack(theta)
        w = corr.apply(levels, weight)
        z = -s * w * _LN2
        value = float(np.logaddexp(0.0, z).sum()) + 0.5 * float((theta ** 2).sum()) / scale ** 2
        g = -s * _LN2 / (1.0 + np.exp(-z))  # d loss / d w
        grad = theta / scale ** 2
        grad[0] += g.sum()
        for j in range(k):
            col = flat[:, j]
            hit = col >= 0
            counts = np.bincount(col[hit] - offsets[j], weights=g[hit], minlength=sizes[j])
            p = m[j] * np.exp2(corr.delta[j])
            p = p / p.sum()
            grad[1 + offsets[j]:1 + offsets[j + 1]] += counts - g[hit].sum() * p
        return value, grad

    theta0 = np.zeros(1 + int(offsets[-1]))
    if len(s) == 0:
        return unpack(theta0)
    fit = minimize(loss, theta0, jac=True, method="L-BFGS-B")
    return unpack(np.asarray(fit.x, dtype=np.float64))


def _fs_parts(classifier: Any) -> list[NDArray[np.float64]]:
    if not all(hasattr(classifier, a) for a in ("m_", "u_", "lambda_")):
        raise ConfigurationError("learning from labels needs a Fellegi–Sunter model (the "
                                 "default classifier); fit a SupervisedLinkClassifier with "
                                 "Linker.fit(truth=...) instead")
    return [np.asarray(x, dtype=np.float64) for x in classifier.m_]


def _corrected(classifier: Any, corr: LevelCorrection) -> Any:
    model = copy.deepcopy(classifier)
    model.m_ = corr.new_m()
    prior = float(classifier.prior_weight_) + corr.shift
    model.lambda_ = float(min(max(1.0 / (1.0 + 2.0 ** -prior), 1e-15), 1 - 1e-12))
    training = dict(getattr(classifier, "training_", {}) or {})
    training["label_correction"] = True
    model.training_ = training
    return model


def _as_pairs(labels: Any) -> list[tuple[str, str, bool]]:
    from vnlink.review.decisions import pair_labels
    from vnlink.review.labels import LabelStore

    if isinstance(labels, LabelStore):
        return labels.pairs()
    if isinstance(labels, list) and all(isinstance(x, tuple) and len(x) == 3 for x in labels):
        return [(str(a), str(b), bool(c)) for a, b, c in labels]
    return pair_labels(labels)


def _lookup(sp: ScoredPairs, pairs: Iterable[tuple[str, str, bool]]
            ) -> tuple[NDArray[np.int64], NDArray[np.bool_], int]:
    rec_ids = np.asarray([str(v) for v in sp.right_table["record_id"].tolist()], dtype=object)
    reg_ids = np.asarray([str(v) for v in sp.left_table["record_id"].tolist()], dtype=object)
    where = {(r, p): i for i, (r, p) in enumerate(zip(rec_ids[sp.right].tolist(),
                                                      reg_ids[sp.left].tolist(), strict=True))}
    idx, ys, missing = [], [], 0
    for rid, pid, y in pairs:
        i = where.get((rid, pid))
        if i is None:
            missing += 1
            continue
        idx.append(i)
        ys.append(y)
    return np.asarray(idx, dtype=np.int64), np.asarray(ys, dtype=bool), missing


def fit_with_labels(linker: Any, registry: Any, records: Any, labels: Any, *,
                    scale: float = 2.0, base: Any = None) -> Any:
    """Correct ``linker``'s Fellegi–Sunter model with labelled pairs (in place); return it.

    Parameters
    ----------
    linker
        A Linker; fitted unsupervised first when it is not fitted.
    registry, records
        The tables the labels are about.
    labels
        A decision file or table (:func:`~vnlink.review.read_decisions`), a
        :class:`~vnlink.review.LabelStore`, or ``(record_id, person_id, is_match)`` tuples.
        Pairs that are not candidate pairs are skipped.
    scale
        Prior standard deviation, in bits, of each correction.
    base
        The model to correct (default the linker's own).
    """
    if not hasattr(linker, "classifier_"):
        linker.fit(registry, records)
    base = linker.classifier_ if base is None else base
    m = _fs_parts(base)
    pairs = _as_pairs(labels)
    from vnlink.table import as_table

    rec = as_table(records)
    wanted = {p[0] for p in pairs}
    linker.classifier_ = base
    tables = prepared_tables(linker, registry, rec)
    ids = [str(v) for v in tables[1]["record_id"].tolist()]
    rows = np.flatnonzero([i in wanted for i in ids]).astype(np.int64)
    sp = scored_pairs(linker, registry, rec, rows=rows, tables=tables, partial=False)
    idx, y, _ = _lookup(sp, pairs)
    corr = fit_correction(sp.levels[idx], sp.weight[idx], y, m, scale=scale)
    linker.classifier_ = _corrected(base, corr)
    refingerprint(linker)
    return linker


class ActiveLearner:
    """Propose pairs to label, learn from the answers, and give back a corrected Linker.

    Parameters
    ----------
    linker
        A Linker (fitted unsupervised here when it is not fitted).
    registry, records
        The tables to label pairs of.
    top_k
        The pool: each record's ``top_k`` best candidates under the EM model.
    explore
        Share of each batch drawn at random from the pool.
    scale
        See :func:`fit_with_labels`.
    random_state
        Seed of the random part.
    """

    def __init__(self, linker: Any, registry: Any, records: Any, *, top_k: int = 3,
                 explore: float = 0.1, scale: float = 2.0, random_state: int = 0) -> None:
        if not hasattr(linker, "classifier_"):
            linker.fit(registry, records)
        from vnlink.table import as_table

        self.linker = linker
        self.registry = as_table(registry)
        self.records = as_table(records)
        self.base = copy.deepcopy(linker.classifier_)
        self.m = _fs_parts(self.base)
        self.scale = scale
        self.explore = explore
        self.rng = np.random.default_rng(random_state)
        self.pool = scored_pairs(linker, self.registry, self.records, top_k=top_k,
                                 partial=False)
        sp = self.pool
        self.record_ids = np.asarray([str(v) for v in sp.right_table["record_id"].tolist()],
                                     dtype=object)[sp.right]
        self.person_ids = np.asarray([str(v) for v in sp.left_table["record_id"].tolist()],
                                     dtype=object)[sp.left]
        self._index = {(r, p): i for i, (r, p) in enumerate(zip(
            self.record_ids.tolist(), self.person_ids.tolist(), strict=True))}
        # a (rule, level pattern) bucket per pair, for diversity
        width = max(2, int(sp.levels.max(initial=0)) + 2)
        code = np.zeros(len(sp), dtype=np.int64)
        for j in range(sp.levels.shape[1]):
            code = code * width + (sp.levels[:, j].astype(np.int64) + 1)
        _, rule_code = np.unique(sp.rule.astype(str), return_inverse=True)
        _, self.bucket = np.unique(np.stack([code, rule_code.reshape(-1)]), axis=1,
                                   return_inverse=True)
        self.bucket = self.bucket.reshape(-1)
        self.labelled = np.zeros(len(sp), dtype=bool)
        self.y = np.zeros(len(sp), dtype=bool)
        self.correction = fit_correction(sp.levels[:0], sp.weight[:0], self.y[:0], self.m)
        self.weight = sp.weight.copy()

    @property
    def n_labels(self) -> int:
        """Pairs labelled so far."""
        return int(self.labelled.sum())

    def _pair(self, i: int) -> dict[str, Any]:
        w = float(self.weight[i])
        return {"record_id": self.record_ids[i], "person_id": self.person_ids[i],
                "match_weight": w, "match_probability": 1.0 / (1.0 + 2.0 ** -w),
                "blocking_rule": str(self.pool.rule[i]), "pool_index": int(i)}

    def propose(self, n: int = 10) -> list[dict[str, Any]]:
        """Up to ``n`` unlabelled pairs to label next (most informative first)."""
        free = np.flatnonzero(~self.labelled)
        if free.size == 0 or n <= 0:
            return []
        n_random = round(n * self.explore) if n > 1 else 0
        done = np.bincount(self.bucket[self.labelled], minlength=int(self.bucket.max()) + 1)
        key = np.abs(self.weight[free]) + 2.0 * done[self.bucket[free]]
        order = free[np.argsort(key, kind="stable")]
        chosen: list[int] = []
        buckets: set[int] = set()
        recs: set[str] = set()
        for i in order.tolist():
            if len(chosen) >= n - n_random:
                break
            b, r = int(self.bucket[i]), str(self.record_ids[i])
            if b in buckets or r in recs:
                continue
            chosen.append(i)
            buckets.add(b)
            recs.add(r)
        rest = np.setdiff1d(free, np.asarray(chosen, dtype=np.int64))
        if rest.size and len(chosen) < n:
            extra = self.rng.choice(rest, size=min(n - len(chosen), rest.size), replace=False)
            chosen.extend(int(i) for i in extra)
        return [self._pair(i) for i in chosen]

    def teach(self, record_id: str, person_id: str, is_match: bool | None) -> bool:
        """Record one answer (``None`` = not sure: the pair is set aside); refit.

        Returns whether the pair is in the pool (answers about other pairs are ignored).
        """
        i = self._index.get((str(record_id), str(person_id)))
        if i is None:
            return False
        self.labelled[i] = True
        self.y[i] = bool(is_match)
        if is_match is None:
            self._unsure = {*getattr(self, "_unsure", set()), i}
        self.refit()
        return True

    def forget(self, record_id: str, person_id: str) -> None:
        """Undo an answer (the labeller's ``back``)."""
        i = self._index.get((str(record_id), str(person_id)))
        if i is not None:
            self.labelled[i] = False
            getattr(self, "_unsure", set()).discard(i)
            self.refit()

    def teach_many(self, pairs: Iterable[tuple[str, str, bool]]) -> int:
        """Record many answers, refit once; return how many were in the pool."""
        hits = 0
        for rid, pid, y in pairs:
            i = self._index.get((str(rid), str(pid)))
            if i is not None:
                self.labelled[i] = True
                self.y[i] = bool(y)
                hits += 1
        self.refit()
        return hits

    def refit(self) -> None:
        """Fit the corrections to every answer so far and rescore the pool."""
        use = self.labelled.copy()
        for i in getattr(self, "_unsure", set()):
            use[i] = False
        sp = self.pool
        self.correction = fit_correction(sp.levels[use], sp.weight[use], self.y[use], self.m,
                                         scale=self.scale)
        self.weight = self.correction.apply(sp.levels, sp.weight)

    def fitted_linker(self) -> Any:
        """A copy of the linker whose model carries the corrections learnt so far."""
        out = copy.copy(self.linker)
        out.classifier_ = _corrected(self.base, self.correction)
        refingerprint(out)
        return out

"""Speed of Fellegi–Sunter EM and accuracy of unsupervised FS against a supervised model.

1. **EM speed**: a level matrix of 10,000,000 candidate pairs × 6 comparisons
   (the level counts of the default Vietnamese comparisons) drawn from a
   known m/u/λ model; time ``FellegiSunter().fit`` (validation + pattern
   counting + EM), the pattern counting alone, and ``match_weight`` on all
   pairs; check that EM recovers the known m.
2. **Accuracy with truth**, two sources:

   - *pipeline*: ``vnlink.datasets.synthetic_linkage`` → ``prepare`` →
     default blocking → default comparisons (when those stages are
     importable); the truth labels every candidate pair;
   - *simulated*: pairs drawn from a known model with a Zipf-like name
     frequency (term frequencies on the exact-name level).

   Models: unsupervised FS (u from 200k random pairs as EM's start, EM on
   all candidate pairs), the same with u fixed (Splink's default), FS
   counted from 500 labelled pairs, and ``SupervisedLinkClassifier`` trained
   on the same 500 labelled pairs. Precision / recall / F1 are measured on
   the pairs not used for training, at each model's best-F1 threshold (an
   oracle threshold: it shows what each model can separate).

Run: ``python benchmarks/bench_classify.py [--quick]``.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import parse_args, peak_memory_mb, timer, write_results

from vnlink.classify import (
    FellegiSunter,
    SimulatedVectors,
    SupervisedLinkClassifier,
    best_f1_threshold,
    simulate_comparisons,
    threshold_sweep,
)
from vnlink.classify.em import pattern_counts

N_LEVELS = [8, 7, 5, 3, 2, 4]  # name, dob, id, phone, sex, address
N_LABELS = 500


def _known_model(n_levels: list[int]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    m, u = [], []
    for n in n_levels:
        steps = np.arange(n, dtype=np.float64)
        m.append(np.power(3.0, steps) / np.power(3.0, steps).sum())
        u.append(np.power(0.3, steps) / np.power(0.3, steps).sum())
    return m, u


def _lean_levels(
    n: int, m: list[np.ndarray], u: list[np.ndarray], lam: float, seed: int
) -> np.ndarray:
    """Levels only (int8), column by column, to keep 10 M pairs cheap in memory."""
    rng = np.random.default_rng(seed)
    match = rng.random(n) < lam
    out = np.empty((n, len(m)), dtype=np.int8)
    for j in range(len(m)):
        r = rng.random(n)
        lm = np.searchsorted(np.cumsum(m[j])[:-1], r, side="right")
        lu = np.searchsorted(np.cumsum(u[j])[:-1], r, side="right")
        col = np.where(match, lm, lu).astype(np.int8)
        col[rng.random(n) < 0.05] = -1
        out[:, j] = col
    return out


def em_speed(n_pairs: int) -> dict[str, Any]:
    m, u = _known_model(N_LEVELS)
    levels = _lean_levels(n_pairs, m, u, 0.05, seed=1)
    with timer() as t_count:
        patterns, _ = pattern_counts(levels, N_LEVELS)
    model = FellegiSunter(n_levels=N_LEVELS)
    with timer() as t_fit:
        model.fit(levels)
    with timer() as t_weight:
        model.match_weight(levels)
    error = max(float(np.abs(a - b).max()) for a, b in zip(model.m_, m, strict=True))
    return {
        "em_pairs": n_pairs,
        "em_distinct_patterns": int(patterns.shape[0]),
        "em_pattern_count_s": t_count["seconds"],
        "em_fit_s": t_fit["seconds"],
        "em_iterations": int(model.n_iter_),
        "em_converged": bool(model.converged_),
        "em_max_m_error": error,
        "em_lambda": float(model.lambda_),
        "match_weight_s": t_weight["seconds"],
    }


def _take(X: Any, rows: np.ndarray) -> SimulatedVectors:
    return SimulatedVectors(np.asarray(X.levels)[rows], np.asarray(X.scores)[rows],
                            np.asarray(X.tf)[rows], list(X.names), list(X.level_labels),
                            list(X.n_levels), list(getattr(X, "spec", []) or []))


def _scores_at_best(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    threshold = best_f1_threshold(y, p)
    row = threshold_sweep(y, p, thresholds=[threshold]).to_dicts()[0]
    return {"precision": row["precision"], "recall": row["recall"], "f1": row["f1"],
            "threshold": threshold}


def compare_models(X: Any, y: np.ndarray, u: list[np.ndarray] | None, prefix: str,
                   seed: int = 0) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(y))
    train, test = order[:N_LABELS], order[N_LABELS:]
    X_train, X_test = _take(X, train), _take(X, test)
    out: dict[str, Any] = {f"{prefix}_pairs": len(y), f"{prefix}_match_rate": float(y.mean())}
    models: list[tuple[str, Any, bool]] = [
        ("fs_em", FellegiSunter(u=u), False),
        ("fs_em_fixed_u", FellegiSunter(u=u, fix_u=True), False),
        ("fs_labels", FellegiSunter(), True),
        ("supervised", SupervisedLinkClassifier(), True),
    ]
    for name, model, labelled in models:
        if name == "fs_em_fixed_u" and u is None:
            continue
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with timer() as t:
                if labelled:
                    model.fit(X_train, y[train])
                else:
                    model.fit(X)
        p = model.predict_proba(X_test)[:, 1]
        for key, value in _scores_at_best(y[test], p).items():
            out[f"{prefix}_{name}_{key}"] = value
        out[f"{prefix}_{name}_fit_s"] = t["seconds"]
        if hasattr(model, "lambda_"):
            out[f"{prefix}_{name}_lambda"] = float(model.lambda_)
        if caught:
            out[f"{prefix}_{name}_warnings"] = "; ".join(type(w.message).__name__ for w in caught)
    return out


def simulated_accuracy(n_pairs: int) -> dict[str, Any]:
    m, u = _known_model(N_LEVELS)
    # flatten m a little so that the task is not trivially separable
    m = [0.5 * a + 0.5 * np.full(len(a), 1.0 / len(a)) for a in m]
    freqs = 1.0 / np.arange(1, 5001) ** 1.05
    X, y = simulate_comparisons(m=m, u=u, lambda_=0.1, n_pairs=n_pairs, seed=5, missing=0.1,
                                value_frequencies={0: freqs})
    random_pairs, _ = simulate_comparisons(m=m, u=u, lambda_=0.0, n_pairs=200_000, seed=6,
                                           missing=0.1)
    from vnlink.classify import u_from_vectors

    return compare_models(X, y, u_from_vectors(random_pairs), "simulated")


def pipeline_accuracy(n_persons: int, n_u_pairs: int) -> dict[str, Any]:
    try:
        from vnlink.blocking import candidate_pairs, default_rules
        from vnlink.classify import estimate_u
        from vnlink.compare import ComparisonSet, default_comparisons
        from vnlink.datasets import records_schema, registry_schema, synthetic_linkage, true_pairs
        from vnlink.prepare import prepare
    except ImportError as error:  # a stage has not landed
        return {"pipeline_skipped": f"{type(error).__name__}: {error}"}
    try:
        return _pipeline_accuracy(n_persons, n_u_pairs, synthetic_linkage, prepare,
                                  registry_schema, records_schema, candidate_pairs,
                                  default_rules, ComparisonSet, default_comparisons, true_pairs,
                                  estimate_u)
    except Exception as error:  # another stage is broken right now: report, do not crash
        print(f"pipeline accuracy skipped: {type(error).__name__}: {error}", file=sys.stderr)
        return {"pipeline_skipped": f"{type(error).__name__}: {error}"}


def _pipeline_accuracy(n_persons: int, n_u_pairs: int, synthetic_linkage: Any, prepare: Any,
                       registry_schema: Any, records_schema: Any, candidate_pairs: Any,
                       default_rules: Any, ComparisonSet: Any, default_comparisons: Any,
                       true_pairs: Any, estimate_u: Any) -> dict[str, Any]:
    with timer() as t:
        registry, records, truth = synthetic_linkage(n_persons, seed=3)
        left = prepare(registry, registry_schema())
        right = prepare(records, records_schema())
        pairs = candidate_pairs(default_rules(), left, right)
        comparisons = ComparisonSet(default_comparisons())
        X = comparisons.compute(pairs, left, right)
        true_left, true_right = true_pairs(registry, truth)
        n_right = right.n_rows
        true_codes = np.sort(true_left * n_right + true_right)
        codes = np.asarray(pairs.left) * n_right + np.asarray(pairs.right)
        pos = np.minimum(np.searchsorted(true_codes, codes), max(len(true_codes) - 1, 0))
        y = true_codes[pos] == codes if len(true_codes) else np.zeros(len(codes), bool)
        u = estimate_u(comparisons, left, right, n_pairs=n_u_pairs, seed=0)
    out = {"pipeline_persons": n_persons, "pipeline_records": n_right,
           "pipeline_true_pairs_found": float(y.sum() / max(len(true_left), 1)),
           "pipeline_build_s": t["seconds"]}
    out.update(compare_models(X, y, u, "pipeline"))
    return out


def main() -> None:
    args = parse_args(__doc__.splitlines()[0])
    figures: dict[str, Any] = {}
    figures.update(em_speed(1_000_000 if args.quick else 10_000_000))
    figures.update(simulated_accuracy(20_000 if args.quick else 200_000))
    figures.update(pipeline_accuracy(1000 if args.quick else 20_000,
                                     50_000 if args.quick else 200_000))
    figures["peak_memory_mb"] = peak_memory_mb()
    write_results("classify", args.quick, figures)


if __name__ == "__main__":
    main()

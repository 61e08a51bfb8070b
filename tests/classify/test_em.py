"""EM on pattern counts: the encoding, the counts, and recovery of a known model."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from vnlink.classify import (
    EMCollapseWarning,
    EMConvergenceWarning,
    FellegiSunter,
    estimate_prior,
    simulate_comparisons,
    u_from_vectors,
)
from vnlink.classify.em import encode_patterns, pattern_counts, run_em


def _reference_counts(levels: np.ndarray) -> dict[tuple[int, ...], int]:
    uniq, counts = np.unique(levels, axis=0, return_counts=True)
    return {tuple(int(v) for v in row): int(c) for row, c in zip(uniq, counts, strict=True)}


@given(
    hnp.arrays(np.int8, st.tuples(st.integers(0, 60), st.integers(1, 5)),
               elements=st.integers(-1, 3))
)
def test_pattern_counts_match_np_unique(levels: np.ndarray) -> None:
    patterns, counts = pattern_counts(levels, [4] * levels.shape[1])
    got = {tuple(int(v) for v in row): int(c) for row, c in zip(patterns, counts, strict=True)}
    assert got == _reference_counts(levels)
    assert counts.sum() == levels.shape[0]


def test_pattern_counts_unique_path_and_overflow_fallback() -> None:
    rng = np.random.default_rng(0)
    levels = rng.integers(-1, 100, size=(500, 3)).astype(np.int8)
    # code space 101**3 > 8 * n: np.unique path
    patterns, counts = pattern_counts(levels, [100, 100, 100])
    assert dict(zip(map(tuple, patterns.tolist()), counts.tolist(), strict=True)) == \
        _reference_counts(levels)
    wide = rng.integers(-1, 100, size=(200, 12)).astype(np.int8)
    assert encode_patterns(wide, [100] * 12) is None  # 101**12 does not fit in 62 bits
    patterns, counts = pattern_counts(wide, [100] * 12)
    assert dict(zip(map(tuple, patterns.tolist()), counts.tolist(), strict=True)) == \
        _reference_counts(wide)


def test_em_recovers_known_model(simulated, known_model) -> None:
    X, _ = simulated
    model = FellegiSunter(tf_adjustment=False).fit(X)
    assert model.converged_
    assert model.n_iter_ >= 2
    assert model.lambda_ == pytest.approx(known_model["lambda_"], abs=0.004)
    for got, want in zip(model.m_, known_model["m"], strict=True):
        np.testing.assert_allclose(got, want, atol=0.02)
    for got, want in zip(model.u_, known_model["u"], strict=True):
        np.testing.assert_allclose(got, want, atol=0.005)
    assert model.training_["n_patterns"] <= 4 * 5 * 4 * 3 * 3
    assert model.training_["n_pairs"] == len(X)


def test_em_with_fixed_u_and_prior_recovers_m(simulated, known_model) -> None:
    X, _ = simulated
    # u from random pairs = (almost) non-matches only
    random_pairs, _ = simulate_comparisons(m=known_model["m"], u=known_model["u"], lambda_=0.0,
                                           n_pairs=100_000, seed=3)
    u = u_from_vectors(random_pairs)
    model = FellegiSunter(u=u, fix_u=True, prior=known_model["lambda_"]).fit(X)
    assert model.lambda_ == known_model["lambda_"]
    for got, want in zip(model.u_, u, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-9)
    for got, want in zip(model.m_, known_model["m"], strict=True):
        np.testing.assert_allclose(got, want, atol=0.02)
    assert model.training_["fixed_u"] and model.training_["fixed_prior"]


def test_fixed_m_by_name_is_kept(simulated) -> None:
    X, _ = simulated
    model = FellegiSunter(fixed_m={"giới tính": [0.1, 0.9]}).fit(X)
    np.testing.assert_allclose(model.m_[2], [0.1, 0.9])
    assert model.training_["fixed_m"] == [2]


def test_missing_levels_contribute_nothing() -> None:
    X = np.array([[1, 1], [0, 0], [1, 0], [0, 1]] * 10, dtype=np.int8)
    model = FellegiSunter().fit(X, [1, 0, 1, 0] * 10)
    probe = np.array([[1, -1], [-1, -1], [1, 1]], dtype=np.int8)
    parts = model.explain(probe)
    assert parts.weights[0, 1] == 0.0 and (parts.weights[1] == 0).all()
    assert model.match_weight(probe)[1] == pytest.approx(model.prior_weight_)
    assert model.match_weight(probe)[0] == pytest.approx(
        model.prior_weight_ + model.match_weights_[0][1])


def test_labels_count_m_and_u_exactly() -> None:
    X = np.array([[1], [1], [1], [0], [0], [1], [0], [0]], dtype=np.int8)
    y = [1, 1, 1, 1, 0, 0, 0, 0]
    model = FellegiSunter(smoothing=0.0).fit(X, y)
    np.testing.assert_allclose(model.m_[0], [0.25, 0.75])
    np.testing.assert_allclose(model.u_[0], [0.75, 0.25])
    assert model.lambda_ == 0.5 and model.n_iter_ == 0 and model.converged_
    # smoothing keeps unseen levels above zero (no log(0))
    model = FellegiSunter(smoothing=1.0, n_levels=[3]).fit(X, y)
    assert (model.m_[0] > 0).all() and np.isfinite(model.match_weights_[0]).all()


def test_label_switching_is_resolved() -> None:
    # most pairs agree: EM could call the agreeing class "non-match"; the model must not
    rng = np.random.default_rng(5)
    X, _ = simulate_comparisons(m=[[0.1, 0.9]] * 4, u=[[0.6, 0.4]] * 4, lambda_=0.7,
                                n_pairs=20_000, seed=int(rng.integers(100)))
    model = FellegiSunter().fit(X)
    assert all(w[1] > 0 for w in model.match_weights_)
    assert model.lambda_ == pytest.approx(0.7, abs=0.05)


def test_collapse_warns() -> None:
    X = np.zeros((1000, 3), dtype=np.int8)
    with pytest.warns(EMCollapseWarning, match="collapsed"):
        FellegiSunter(n_levels=[2, 2, 2]).fit(X)


def test_not_converged_warns() -> None:
    X, _ = simulate_comparisons(m=[[0.1, 0.9]] * 3, u=[[0.9, 0.1]] * 3, lambda_=0.2,
                                n_pairs=2000, seed=1)
    with pytest.warns(EMConvergenceWarning, match="max_iter"):
        model = FellegiSunter(max_iter=1).fit(X)
    assert not model.converged_ and model.n_iter_ == 1


def test_run_em_log_likelihood_never_decreases(simulated) -> None:
    X, _ = simulated
    patterns, counts = pattern_counts(X.levels, X.n_levels)
    res = run_em(patterns, counts, X.n_levels,
                 m=[np.full(n, 1.0 / n) + np.linspace(0, 0.1, n) for n in X.n_levels],
                 u=[np.full(n, 1.0 / n) for n in X.n_levels], lambda_=0.3, smoothing=0.0,
                 max_iter=50)
    history = np.array(res.history)
    assert (np.diff(history) >= -1e-6 * np.abs(history[:-1])).all()


def test_estimate_prior_from_rule(simulated, known_model) -> None:
    X, y = simulated
    # exact name and exact date of birth: a strict rule; its recall among matches
    rule = {"họ tên": 3, "ngày sinh": 2}
    hits = (X.levels[:, 0] >= 3) & (X.levels[:, 1] >= 2)
    recall = float(hits[y].sum() / y.sum())
    prior = estimate_prior(X, rule, recall=recall)
    # the rule also catches a few non-matches, so allow a small excess
    assert prior == pytest.approx(y.mean(), rel=0.05)
    with pytest.raises(ValueError, match="unknown comparison"):
        estimate_prior(X, {"tên": 1})
    with pytest.raises(ValueError, match="recall"):
        estimate_prior(X, rule, recall=0.0)


def test_no_warning_on_a_clean_fit(simulated) -> None:
    X, _ = simulated
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        FellegiSunter().fit(X)


def test_given_u_is_a_starting_point_unless_fixed(simulated, known_model) -> None:
    X, _ = simulated
    start = [np.full(n, 1.0 / n) for n in X.n_levels]
    free = FellegiSunter(u=start).fit(X)
    assert free.training_["u_given"] and not free.training_["fixed_u"]
    for got, want in zip(free.u_, known_model["u"], strict=True):
        np.testing.assert_allclose(got, want, atol=0.005)
    kept = FellegiSunter(u=start, fix_u=True).fit(X)
    assert all(np.allclose(a, b) for a, b in zip(kept.u_, start, strict=True))

"""Explanations add up to the match weight; term-frequency adjustment; text and chart forms."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vnlink.classify import Explanation, FellegiSunter, simulate_comparisons


@pytest.fixture(scope="module")
def fitted(simulated):
    X, _ = simulated
    return FellegiSunter().fit(X), X


def test_parts_add_up_to_the_match_weight(fitted) -> None:
    model, X = fitted
    sample = X.take(slice(0, 5000))
    e = model.explain(sample)
    weight = model.match_weight(sample)
    assert np.array_equal(e.total, weight)
    np.testing.assert_allclose(
        e.prior_weight + e.weights.sum(axis=1) + e.tf_weights.sum(axis=1), weight,
        rtol=0, atol=1e-12,
    )
    np.testing.assert_allclose(e.probability, model.predict_proba(sample)[:, 1], rtol=1e-12)
    # the waterfall's running total ends at the total
    for row in (0, 17, 4999):
        bars = e.to_dicts(row)
        assert bars[0]["name"] == "prior" and bars[-1]["name"] == "total"
        assert bars[-2]["cumulative"] == pytest.approx(bars[-1]["weight"], abs=1e-12)
        assert sum(b["weight"] for b in bars[:-1]) == pytest.approx(bars[-1]["weight"],
                                                                     abs=1e-9)


@settings(max_examples=50)
@given(st.lists(st.integers(-1, 3), min_size=4, max_size=4),
       st.floats(1e-9, 0.5), st.booleans())
def test_explain_adds_up_for_any_pair(fitted, row: list[int], tf: float, with_tf: bool) -> None:
    model, X = fitted
    levels = np.array([row[:1] + [min(max(v, -1), n - 1) for v, n in
                                  zip(row[1:], X.n_levels[1:], strict=True)]], dtype=np.int8)
    tf_values = np.full((1, 4), np.nan)
    if with_tf and levels[0, 0] == 3:
        tf_values[0, 0] = tf
    probe = type(X)(levels, np.zeros((1, 4), np.float32), tf_values, X.names, X.level_labels,
                    X.n_levels)
    e = model.explain(probe)
    assert e.total[0] == model.match_weight(probe)[0]
    assert e.prior_weight + e.weights.sum() + e.tf_weights.sum() == pytest.approx(
        e.total[0], abs=1e-12)


def test_tf_weight_is_log2_m_over_tf(fitted) -> None:
    model, X = fitted
    top = X.n_levels[0] - 1
    levels = np.array([[top, -1, -1, -1]] * 3, dtype=np.int8)
    tf = np.full((3, 4), np.nan)
    tf[:, 0] = [0.3, 1e-4, 1e-12]  # a very common name, a rare one, below the floor
    probe = type(X)(levels, np.zeros((3, 4), np.float32), tf, X.names, X.level_labels,
                    X.n_levels)
    e = model.explain(probe)
    m_top = model.m_[0][top]
    expected = np.log2(m_top) - np.log2(np.maximum(tf[:, 0], model.tf_floor))
    np.testing.assert_allclose(e.weights[:, 0] + e.tf_weights[:, 0], expected, rtol=1e-12)
    assert e.total[0] < e.total[1] < e.total[2]
    # switched off, all of it or by name
    off = FellegiSunter(tf_adjustment=False).fit(X).explain(probe)
    assert (off.tf_weights == 0).all()
    other = FellegiSunter(tf_adjustment=["xã"]).fit(X).explain(probe)
    assert (other.tf_weights == 0).all()
    with pytest.raises(ValueError, match="unknown comparisons"):
        FellegiSunter(tf_adjustment=["tên"]).fit(X).explain(probe)


def test_tf_adjustment_improves_ranking(simulated) -> None:
    X, y = simulated
    from sklearn.metrics import average_precision_score

    with_tf = FellegiSunter().fit(X).match_weight(X)
    without = FellegiSunter(tf_adjustment=False).fit(X).match_weight(X)
    assert average_precision_score(y, with_tf) > average_precision_score(y, without)


def test_text_form_names_fields_and_levels(fitted) -> None:
    model, X = fitted
    e = model.explain(X.take(slice(0, 3)))
    text = e.to_text(1)
    assert text.splitlines()[0].startswith("pair 1: match weight ")
    for name in X.names:
        assert name in text
    assert "prior" in text and "total" in text
    assert repr(e) == "Explanation(3 pairs, comparisons: họ tên, ngày sinh, giới tính, xã)"
    with pytest.raises(ValueError, match="out of range"):
        e.to_text(3)


def test_missing_level_shows_as_missing() -> None:
    e = Explanation(names=["a"], level_labels=[("khác", "trùng")],
                    levels=np.array([[-1]], dtype=np.int8), prior_weight=-2.0,
                    weights=np.zeros((1, 1)), tf_weights=np.zeros((1, 1)))
    assert "(missing)" in e.to_text(0)
    assert e.total.tolist() == [-2.0]


def test_plot_without_matplotlib_names_the_extra(fitted, monkeypatch) -> None:
    model, X = fitted
    e = model.explain(X.take(slice(0, 1)))
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"vnlink\[plot\]"):
        e.plot(0)


def test_plot_draws_a_waterfall(fitted) -> None:
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    model, X = fitted
    e = model.explain(X.take(slice(0, 50)))
    row = int(np.argmax(e.tf_weights[:, 0] != 0))
    ax = e.plot(row)
    n_tf = int((e.tf_weights[row] != 0).sum())
    assert n_tf == 1
    assert len(ax.get_xticklabels()) == len(X.names) + 2 + n_tf


def test_simulated_without_tf_has_no_tf_part() -> None:
    X, _ = simulate_comparisons(m=[[0.2, 0.8]] * 3, u=[[0.8, 0.2]] * 3, lambda_=0.3,
                                n_pairs=2000)
    model = FellegiSunter().fit(X)
    assert (model.explain(X).tf_weights == 0).all()

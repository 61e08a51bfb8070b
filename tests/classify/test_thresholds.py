"""Threshold sweeps and choices against a brute-force reference."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vnlink.classify import (
    ThresholdTable,
    best_f1_threshold,
    choose_thresholds,
    threshold_for_precision,
    threshold_sweep,
)

labelled_scores = st.lists(
    st.tuples(st.booleans(), st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0])),
    min_size=1, max_size=40,
)


def _brute(y: np.ndarray, s: np.ndarray, t: float) -> dict[str, float]:
    link = s >= t
    tp = int((link & y).sum())
    fp = int((link & ~y).sum())
    fn = int((~link & y).sum())
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else 0.0
    return {"n_links": int(link.sum()), "tp": tp, "fp": fp, "fn": fn,
            "tn": int((~link & ~y).sum()), "precision": precision, "recall": recall, "f1": f1}


@given(labelled_scores)
def test_sweep_matches_brute_force(pairs) -> None:
    y = np.array([p[0] for p in pairs])
    s = np.array([p[1] for p in pairs])
    table = threshold_sweep(y, s)
    assert isinstance(table, ThresholdTable)
    assert table["threshold"].tolist() == sorted(set(s.tolist()))
    for row in table.to_dicts():
        want = _brute(y, s, row["threshold"])
        for key, value in want.items():
            if isinstance(value, float) and np.isnan(value):
                assert np.isnan(row[key])
            else:
                assert row[key] == pytest.approx(value), key


@given(labelled_scores, st.sampled_from([0.5, 0.8, 1.0]))
def test_threshold_for_precision_is_lowest_reaching_target(pairs, target) -> None:
    y = np.array([p[0] for p in pairs])
    s = np.array([p[1] for p in pairs])
    reaching = [t for t in sorted(set(s.tolist()))
                if _brute(y, s, t)["tp"] and _brute(y, s, t)["precision"] >= target]
    if not reaching:
        with pytest.raises(ValueError, match="no threshold reaches"):
            threshold_for_precision(y, s, target)
        return
    assert threshold_for_precision(y, s, target) == reaching[0]


@given(labelled_scores)
def test_best_f1_is_maximal(pairs) -> None:
    y = np.array([p[0] for p in pairs])
    s = np.array([p[1] for p in pairs])
    best = best_f1_threshold(y, s)
    f1s = {t: _brute(y, s, t)["f1"] for t in set(s.tolist())}
    assert f1s[best] == pytest.approx(max(f1s.values()))


@given(labelled_scores, st.integers(0, 10))
def test_choose_thresholds_respects_budget_and_target(pairs, budget) -> None:
    y = np.array([p[0] for p in pairs])
    s = np.array([p[1] for p in pairs])
    try:
        threshold_for_precision(y, s, 0.5)
    except ValueError:
        with pytest.raises(ValueError, match="no threshold reaches"):
            choose_thresholds(y, s, target_precision=0.5, max_review=budget)
        return
    c = choose_thresholds(y, s, target_precision=0.5, max_review=budget)
    assert c.review <= c.verify
    assert c.n_verified + c.n_review + c.n_unmatched == len(s)
    assert c.n_review <= budget
    assert c.precision_verified >= 0.5
    assert c.recall_with_review >= c.recall_verified
    status = c.decide(s)
    assert (status == "verified").sum() == c.n_verified
    assert (status == "review").sum() == c.n_review
    # the review band could not have been lowered within the budget
    lower = [t for t in set(s.tolist()) if t < c.review]
    if lower:
        t = max(lower)
        assert int(((s >= t) & (s < c.verify)).sum()) > budget


def test_fraction_budget_and_proba_matrix() -> None:
    y = np.array([1, 1, 0, 1, 0, 0, 0, 0, 0, 0])
    p = np.linspace(1.0, 0.1, 10)
    proba = np.column_stack([1 - p, p])
    c = choose_thresholds(y, proba, target_precision=1.0, max_review=0.2)
    assert (c.verify, c.n_verified) == (0.9, 2)
    assert c.n_review == 2 and c.review == pytest.approx(0.7)
    assert c.recall_with_review == 1.0


def test_sweep_grid_and_repr() -> None:
    y = np.array([1, 0] * 50)
    s = np.linspace(0, 1, 100)
    table = threshold_sweep(y, s, thresholds=5)
    assert table["threshold"].tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    text = repr(threshold_sweep(y, s))
    assert text.startswith("ThresholdTable (100 rows)") and "..." in text
    assert len(text.splitlines()) == 2 + 21


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: threshold_sweep([1, 0], [0.5]), "one label per pair"),
        (lambda: threshold_sweep([], []), "at least one"),
        (lambda: threshold_sweep([1], [np.nan]), "NaN"),
        (lambda: threshold_sweep([1], [[0.1, 0.2, 0.3]]), "one score per pair"),
        (lambda: threshold_for_precision([1], [0.5], 1.5), "target precision"),
        (lambda: choose_thresholds([1], [0.5], target_precision=0.9, max_review=-1),
         "max_review"),
        (lambda: threshold_for_precision([0, 0], [0.5, 0.6], 0.9), "no threshold reaches"),
    ],
)
def test_bad_arguments(call, match) -> None:
    with pytest.raises(ValueError, match=match):
        call()


def test_to_pandas() -> None:
    pytest.importorskip("pandas")
    df = threshold_sweep([1, 0, 1], [0.9, 0.2, 0.6]).to_pandas()
    assert list(df.columns) == ["threshold", "n_links", "tp", "fp", "fn", "tn", "precision",
                                "recall", "f1"]

"""Record-level evaluation of a linkage against the truth."""

from __future__ import annotations

import numpy as np
import pytest

from vnlink.evaluate import evaluate, link_metrics, plot_match_weights, threshold_sweep
from vnlink.exceptions import SchemaError

RESULT = {
    "record_id": ["r1", "r2", "r3", "r4", "r5", "r6"],
    "person_id": ["p1", "p2", "p9", "p4", "p5", ""],
    "status": ["verified", "verified", "review", "unmatched", "verified", "unmatched"],
    "match_probability": [0.999, 0.995, 0.7, 0.2, 0.99, 0.0],
    "match_weight": [20.0, 15.0, 3.0, -2.0, 10.0, np.nan],
}
TRUTH = {
    # shuffled order on purpose: alignment is by record_id
    "record_id": ["r6", "r5", "r4", "r3", "r2", "r1"],
    "person_id": ["", "", "p4", "p3", "p2", "p1"],
    "errors": ["", "not_in_registry", "dob_swap;id_typo", "no_diacritics", "id_typo", ""],
}


def test_evaluate_counts_by_hand() -> None:
    ev = evaluate(RESULT, TRUTH)
    # links: r1 ok, r2 ok, r3 wrong, r5 wrong (not in registry); 4 in registry (r1-r4)
    assert ev.counts == {"tp": 2, "fp": 2, "fn": 2}
    assert ev.precision == pytest.approx(0.5) and ev.recall == pytest.approx(0.5)
    assert ev.precision_verified == pytest.approx(2 / 3)
    assert ev.recall_verified == pytest.approx(0.5)
    assert ev.f1_verified == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))
    assert ev.per_status["verified"] == {"n": 3, "correct": 2, "accuracy": pytest.approx(2 / 3)}
    assert ev.per_status["unmatched"]["correct"] == 1  # r6 right, r4 missed
    assert ev.n_records == 6 and ev.n_in_registry == 4
    assert ev.by_error_type["id_typo"]["n"] == 2
    assert ev.by_error_type["id_typo"]["correct"] == 1
    assert ev.by_error_type["none"]["n"] == 2
    assert "precision" in str(ev)
    assert ev.to_dict()["counts"]["tp"] == 2


def test_link_metrics_statuses() -> None:
    m = link_metrics(RESULT, TRUTH, statuses=("verified",))
    assert (m["tp"], m["fp"], m["fn"]) == (2, 1, 2)


def test_perfect_linkage() -> None:
    truth = {"record_id": ["a", "b"], "person_id": ["x", ""]}
    result = {"record_id": ["a", "b"], "person_id": ["x", "y"],
              "status": ["verified", "unmatched"]}
    ev = evaluate(result, truth)
    assert (ev.precision, ev.recall, ev.f1) == (1.0, 1.0, 1.0)


def test_sweep_is_monotone_in_links() -> None:
    sweep = threshold_sweep(RESULT, TRUTH)
    assert np.all(np.diff(sweep["n_links"]) <= 0)
    at = threshold_sweep(RESULT, TRUTH, thresholds=[0.99])
    # r1, r2, r5 at >= 0.99: two right of three
    assert at["precision"].tolist() == [pytest.approx(2 / 3)]
    assert at["recall"].tolist() == [0.5]


def test_missing_records_and_columns_are_user_errors() -> None:
    with pytest.raises(SchemaError, match="missing from the result"):
        evaluate({"record_id": ["a"], "person_id": ["x"]},
                 {"record_id": ["a", "b"], "person_id": ["x", "y"]})
    with pytest.raises(SchemaError, match="person_id"):
        evaluate({"record_id": ["a"]}, {"record_id": ["a"], "person_id": ["x"]})


def test_plot_needs_matplotlib_or_draws() -> None:
    try:
        import matplotlib
    except ImportError:
        with pytest.raises(ImportError, match=r"vnlink\[plot\]"):
            plot_match_weights(RESULT)
        return
    matplotlib.use("Agg")
    ax = plot_match_weights(RESULT, TRUTH)
    assert ax.get_xlabel().startswith("match weight")

"""Pairwise, cluster and blocking metrics (vnlink.metrics, re-exported by vnlink.evaluate)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score, homogeneity_completeness_v_measure

from vnlink import evaluate as ev
from vnlink.blocking import block_on, candidate_pairs
from vnlink.exceptions import ConfigurationError, SchemaError
from vnlink.metrics import (
    Clusters,
    PairMetrics,
    Pairs,
    as_clusters,
    as_pairs,
    blocking_metrics,
    cluster_metrics,
    pair_metrics,
)

# ---------------------------------------------------------------------------
# reading pairs and clusters


def test_reexported_from_evaluate() -> None:
    assert ev.pair_metrics is pair_metrics
    assert ev.cluster_metrics is cluster_metrics
    assert ev.blocking_metrics is blocking_metrics


def test_pairs_from_every_form_are_the_same() -> None:
    pd = pytest.importorskip("pandas")
    expected = [("a", "x"), ("b", "y")]
    forms = [
        (["a", "b"], ["x", "y"]),
        expected,
        pd.MultiIndex.from_tuples(expected),
        {"l": ["a", "b"], "r": ["x", "y"]},
        pd.DataFrame({"l": ["a", "b"], "r": ["x", "y"]}),
        {"record_id": ["x", "y", "z"], "person_id": ["a", "b", "c"],
         "status": ["verified", "review", "unmatched"]},
        Pairs(["a", "b"], ["x", "y"]),
    ]
    for form in forms:
        pairs = as_pairs(form)
        assert list(zip(pairs.left.tolist(), pairs.right.tolist(), strict=True)) == expected


def test_pairs_drop_missing_ids_and_read_numbers_as_text() -> None:
    pairs = Pairs([1, None, 3.0, float("nan")], ["x", "y", "z", "w"])
    assert pairs.left.tolist() == ["1", "3"]
    assert pairs.right.tolist() == ["x", "z"]


def test_ids_from_pandas_columns_with_gaps() -> None:
    pd = pytest.importorskip("pandas")
    pairs = Pairs(pd.Series([1, None, 3], dtype="Int64"),
                  pd.array(["x", "y", pd.NA], dtype="string"))
    assert (pairs.left.tolist(), pairs.right.tolist()) == (["1"], ["x"])
    floats = Pairs(np.array([7.0, np.nan, 2.5]), ["a", "b", "c"])  # int column with a gap
    assert floats.left.tolist() == ["7", "2.5"]


def test_pairs_of_unequal_length_raise() -> None:
    with pytest.raises(ConfigurationError, match="different lengths"):
        Pairs(["a", "b"], ["x"])
    with pytest.raises(ConfigurationError, match="pairs must be"):
        as_pairs(["a", "b"])
    with pytest.raises(SchemaError, match="no column 'nope'"):
        as_pairs({"l": ["a"], "r": ["b"]}, columns=("l", "nope"))


def test_clusters_from_every_form() -> None:
    pd = pytest.importorskip("pandas")
    forms = [
        {"r1": "p1", "r2": "p1", "r3": "p2"},
        (["r1", "r2", "r3"], ["p1", "p1", "p2"]),
        {"record_id": ["r1", "r2", "r3"], "cluster_id": [7, 7, 9]},
        pd.DataFrame({"id": ["r1", "r2", "r3"], "entity": ["p1", "p1", "p2"]}),
    ]
    for form in forms:
        clusters = as_clusters(form)
        assert clusters.ids.tolist() == ["r1", "r2", "r3"]
        assert clusters.labels.tolist() == [0, 0, 1]


def test_clusters_missing_label_is_a_singleton_and_clash_raises() -> None:
    clusters = Clusters(["a", "b", "c", "a", "d"], ["x", None, None, "x", "x"])
    assert (len(clusters), clusters.n_clusters) == (4, 3)
    assert sorted(clusters.sizes().tolist()) == [1, 1, 2]
    with pytest.raises(ConfigurationError, match="different cluster labels"):
        Clusters(["a", "a"], ["x", "y"])


def test_pairs_read_as_clusters_are_connected_components() -> None:
    chain = Pairs(["e", "d", "c", "b", "x"], ["d", "c", "b", "a", "y"])
    clusters = as_clusters(chain)
    by_id = dict(zip(clusters.ids.tolist(), clusters.labels.tolist(), strict=True))
    assert len({by_id[k] for k in "abcde"}) == 1
    assert by_id["x"] == by_id["y"] != by_id["a"]
    assert clusters.n_clusters == 2


# ---------------------------------------------------------------------------
# pair metrics: real values


def test_link_pair_metrics_counts() -> None:
    truth = (["a1", "a2", "a3", "a4"], ["b1", "b2", "b3", "b4"])
    predicted = [("a1", "b1"), ("a2", "b2"), ("a3", "b4"), ("a1", "b1")]
    m = pair_metrics(predicted, truth)
    assert (m.n_predicted, m.n_true, m.true_positives) == (3, 4, 2)
    assert (m.false_positives, m.false_negatives) == (1, 2)
    assert m.precision == pytest.approx(2 / 3)
    assert m.recall == 0.5
    assert m.f1 == pytest.approx(4 / 7)


def test_link_pairs_are_ordered_and_sides_may_share_ids() -> None:
    # both tables numbered 0..n: (0, 1) and (1, 0) are different pairs in a link
    m = pair_metrics(([0, 1], [1, 0]), ([0], [1]))
    assert (m.true_positives, m.n_predicted) == (1, 2)
    assert pair_metrics(([0, 1], [1, 0]), ([0], [1]), dedupe=True).n_predicted == 1


def test_dedupe_pairs_ignore_order_and_self_pairs() -> None:
    m = pair_metrics([("a", "b"), ("b", "a"), ("c", "c")], [("b", "a"), ("c", "d")],
                     dedupe=True)
    assert (m.n_predicted, m.n_true, m.true_positives) == (1, 2, 1)


def test_dedupe_clusters_against_pairs_and_clusters() -> None:
    # truth: {1,2,3} {4,5} {6}; predicted {1,2} {3,4,5} {6}
    truth = {1: "A", 2: "A", 3: "A", 4: "B", 5: "B", 6: "C"}
    predicted = {1: 0, 2: 0, 3: 1, 4: 1, 5: 1, 6: 2}
    # true pairs 12 13 23 45 (4); predicted pairs 12 34 35 45 (4); common 12 45
    m = pair_metrics(predicted, truth, dedupe=True)
    assert (m.n_predicted, m.n_true, m.true_positives) == (4, 4, 2)
    truth_pairs = [(1, 2), (1, 3), (2, 3), (4, 5)]
    assert pair_metrics(predicted, truth_pairs, dedupe=True) == m
    predicted_pairs = [(1, 2), (3, 4), (3, 5), (4, 5)]
    assert pair_metrics(predicted_pairs, truth, dedupe=True) == m
    assert pair_metrics(predicted_pairs, truth_pairs, dedupe=True) == m


def test_clusters_need_dedupe() -> None:
    with pytest.raises(ConfigurationError, match="dedupe=True"):
        pair_metrics({"a": 1, "b": 1}, [("a", "b")])


def test_empty_prediction_and_empty_truth() -> None:
    assert pair_metrics([], []).f1 == 1.0
    nothing = pair_metrics([], [("a", "b")])
    assert (nothing.precision, nothing.recall, nothing.f1) == (0.0, 0.0, 0.0)


def test_a_big_cluster_is_counted_not_listed() -> None:
    n = 200_000  # 2 x 10^10 pairs if listed
    ids = np.arange(n)
    truth = Clusters(ids, np.zeros(n, dtype=np.int64))
    halves = Clusters(ids, (ids >= n // 2).astype(np.int64))
    m = pair_metrics(halves, truth, dedupe=True)
    half = n // 2
    assert m.n_true == n * (n - 1) // 2
    assert m.true_positives == m.n_predicted == 2 * (half * (half - 1) // 2)


def test_link_result_pairs() -> None:
    result = {"record_id": ["r1", "r2", "r3", "r4"],
              "person_id": ["p1", "p2", "p9", ""],
              "status": ["verified", "review", "unmatched", "unmatched"]}
    truth = {"record_id": ["r1", "r2", "r3", "r4"], "person_id": ["p1", "p3", "p9", ""]}
    m = pair_metrics(result, truth)
    assert (m.true_positives, m.n_predicted, m.n_true) == (1, 2, 3)
    verified = pair_metrics(as_pairs(result, statuses=("verified",)), truth)
    assert (verified.precision, verified.recall) == (1.0, pytest.approx(1 / 3))


# ---------------------------------------------------------------------------
# cluster metrics: real values and sklearn as the reference


def test_cluster_metrics_hand_values() -> None:
    truth = {1: "A", 2: "A", 3: "A", 4: "B", 5: "B", 6: "C"}
    predicted = {1: 0, 2: 0, 3: 1, 4: 1, 5: 1, 6: 2}
    m = cluster_metrics(predicted, truth)
    # B-cubed precision per record: 1, 1, 1/3, 2/3, 2/3, 1
    assert m.bcubed_precision == pytest.approx((1 + 1 + 1 / 3 + 2 / 3 + 2 / 3 + 1) / 6)
    # recall per record: 2/3, 2/3, 1/3, 1, 1, 1
    assert m.bcubed_recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1 + 1) / 6)
    assert (m.pair_precision, m.pair_recall) == (0.5, 0.5)
    assert m.purity == pytest.approx(5 / 6)
    assert m.inverse_purity == pytest.approx(5 / 6)
    assert (m.n_records, m.n_predicted_clusters, m.n_true_clusters) == (6, 3, 3)
    assert m.exact_cluster_share == pytest.approx(1 / 3)  # {6}
    labels_true = [0, 0, 0, 1, 1, 2]
    labels_pred = [0, 0, 1, 1, 1, 2]
    assert m.adjusted_rand_index == pytest.approx(adjusted_rand_score(labels_true, labels_pred))
    h, c, v = homogeneity_completeness_v_measure(labels_true, labels_pred)
    assert (m.homogeneity, m.completeness, m.v_measure) == pytest.approx((h, c, v))


def test_ids_missing_from_one_side_are_singletons() -> None:
    m = cluster_metrics({"a": 1, "b": 1}, {"a": 1, "b": 1, "c": 1})
    assert m.n_records == 3
    assert m.n_predicted_clusters == 2  # {a, b} and {c}
    assert m.pair_recall == pytest.approx(1 / 3)


def test_cluster_metrics_of_dedupe_result_like_table_and_pairs() -> None:
    dedupe_result = {"record_id": ["r1", "r2", "r3"], "cluster_id": [0, 0, 2],
                     "cluster_size": [2, 2, 1]}
    truth_pairs = [("r1", "r2")]
    m = cluster_metrics(dedupe_result, truth_pairs)
    assert (m.bcubed_f1, m.adjusted_rand_index) == (1.0, 1.0)


def test_cluster_metrics_need_records() -> None:
    with pytest.raises(ConfigurationError, match="at least one record"):
        cluster_metrics(Clusters([], []), Clusters([], []))


labelings = st.lists(st.integers(0, 5), min_size=1, max_size=40)


@settings(max_examples=80, deadline=None)
@given(labelings, labelings)
def test_cluster_metrics_match_sklearn_and_brute_force(a: list[int], b: list[int]) -> None:
    n = min(len(a), len(b))
    a, b = a[:n], b[:n]
    ids = [f"r{i}" for i in range(n)]
    m = cluster_metrics(Clusters(ids, a), Clusters(ids, b))
    assert m.adjusted_rand_index == pytest.approx(adjusted_rand_score(b, a), abs=1e-9)
    h, c, v = homogeneity_completeness_v_measure(b, a)
    assert (m.homogeneity, m.completeness, m.v_measure) == pytest.approx((h, c, v), abs=1e-9)
    pairs = list(itertools.combinations(range(n), 2))
    pred = {(i, j) for i, j in pairs if a[i] == a[j]}
    true = {(i, j) for i, j in pairs if b[i] == b[j]}
    brute = PairMetrics.from_counts(len(pred & true), len(pred), len(true))
    assert (m.pair_precision, m.pair_recall, m.pair_f1) == pytest.approx(
        (brute.precision, brute.recall, brute.f1))
    bc_p = np.mean([sum(b[j] == b[i] for j in range(n) if a[j] == a[i])
                    / sum(a[j] == a[i] for j in range(n)) for i in range(n)])
    assert m.bcubed_precision == pytest.approx(bc_p)


# ---------------------------------------------------------------------------
# properties


id_pairs = st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), max_size=30)


@settings(max_examples=60, deadline=None)
@given(id_pairs, st.booleans())
def test_perfect_prediction_scores_one(pairs: list[tuple[int, int]], dedupe: bool) -> None:
    m = pair_metrics(pairs, pairs, dedupe=dedupe)
    assert (m.precision, m.recall, m.f1) == (1.0, 1.0, 1.0)


@settings(max_examples=60, deadline=None)
@given(labelings)
def test_perfect_clustering_scores_one(labels: list[int]) -> None:
    ids = list(range(len(labels)))
    m = cluster_metrics(Clusters(ids, labels), Clusters(ids, labels))
    for name in ("bcubed_f1", "pair_f1", "adjusted_rand_index", "purity", "inverse_purity",
                 "v_measure", "exact_cluster_share"):
        assert getattr(m, name) == pytest.approx(1.0), name


@settings(max_examples=60, deadline=None)
@given(id_pairs, id_pairs)
def test_swapping_prediction_and_truth_swaps_precision_and_recall(
    p: list[tuple[int, int]], t: list[tuple[int, int]]
) -> None:
    forward = pair_metrics(p, t, dedupe=True)
    backward = pair_metrics(t, p, dedupe=True)
    assert (forward.precision, forward.recall) == (backward.recall, backward.precision)
    assert forward.f1 == pytest.approx(backward.f1)


@settings(max_examples=60, deadline=None)
@given(labelings, labelings)
def test_symmetric_cluster_scores(a: list[int], b: list[int]) -> None:
    n = min(len(a), len(b))
    ids = list(range(n))
    forward = cluster_metrics(Clusters(ids, a[:n]), Clusters(ids, b[:n]))
    backward = cluster_metrics(Clusters(ids, b[:n]), Clusters(ids, a[:n]))
    assert forward.adjusted_rand_index == pytest.approx(backward.adjusted_rand_index)
    assert forward.bcubed_f1 == pytest.approx(backward.bcubed_f1)
    assert forward.bcubed_precision == pytest.approx(backward.bcubed_recall)
    assert forward.purity == pytest.approx(backward.inverse_purity)
    assert forward.homogeneity == pytest.approx(backward.completeness)


@settings(max_examples=60, deadline=None)
@given(labelings, labelings, st.permutations(list(range(6))))
def test_invariant_to_label_renaming(a: list[int], b: list[int], perm: list[int]) -> None:
    n = min(len(a), len(b))
    ids = [f"id{i}" for i in range(n)]
    renamed = [f"cluster-{perm[x]}" for x in a[:n]]
    base = cluster_metrics(Clusters(ids, a[:n]), Clusters(ids, b[:n]))
    renamed_metrics = cluster_metrics(Clusters(ids, renamed), Clusters(ids, b[:n]))
    assert renamed_metrics.to_dict() == pytest.approx(base.to_dict(), rel=1e-12, abs=1e-12)
    assert pair_metrics(Clusters(ids, renamed), Clusters(ids, b[:n]), dedupe=True) == \
        pair_metrics(Clusters(ids, a[:n]), Clusters(ids, b[:n]), dedupe=True)


@settings(max_examples=60, deadline=None)
@given(id_pairs, labelings)
def test_pairs_against_clusters_match_listing_the_cluster_pairs(
    p: list[tuple[int, int]], labels: list[int]
) -> None:
    truth = Clusters(list(range(len(labels))), labels)
    listed = [(i, j) for i, j in itertools.combinations(range(len(labels)), 2)
              if labels[i] == labels[j]]
    assert pair_metrics(p, truth, dedupe=True) == pair_metrics(p, listed, dedupe=True)


# ---------------------------------------------------------------------------
# blocking


def test_blocking_metrics_on_candidate_pairs() -> None:
    left = {"record_id": ["a1", "a2", "a3"], "dob_year": [1980, 1990, 1980]}
    right = {"record_id": ["b1", "b2"], "dob_year": [1980, 1991]}
    candidates = candidate_pairs(block_on("dob_year"), left, right)  # (a1,b1), (a3,b1)
    truth = (["a1", "a2"], ["b1", "b2"])
    m = blocking_metrics(candidates, truth, left_ids=left["record_id"],
                         right_ids=right["record_id"])
    assert (m.n_candidates, m.n_true, m.n_true_found, m.n_all_pairs) == (2, 2, 1, 6)
    assert (m.pairs_completeness, m.pairs_quality) == (0.5, 0.5)
    assert m.reduction_ratio == pytest.approx(1 - 2 / 6)
    # without ids the row numbers are the ids
    rows = blocking_metrics(candidates, ([0, 1], [0, 1]))
    assert rows == m


def test_blocking_metrics_dedupe_and_sizes_needed() -> None:
    table = {"record_id": ["r0", "r1", "r2", "r3"], "k": ["x", "x", "x", "y"]}
    candidates = candidate_pairs(block_on("k"), table)
    m = blocking_metrics(candidates, {"r0": 1, "r1": 1, "r3": 1},
                         left_ids=table["record_id"])
    assert (m.n_candidates, m.n_all_pairs, m.n_true, m.n_true_found) == (3, 6, 3, 1)
    assert m.reduction_ratio == 0.5
    with pytest.raises(ConfigurationError, match="n_left and n_right"):
        blocking_metrics([("a", "b")], [("a", "b")])

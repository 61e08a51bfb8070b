"""FellegiSunter API: u by random sampling, parameters, inputs and errors."""

from __future__ import annotations

import numpy as np
import pytest

from vnlink.classify import (
    FellegiSunter,
    ParameterTable,
    SimulatedVectors,
    estimate_u,
    simulate_comparisons,
)
from vnlink.exceptions import ConfigurationError, NotFittedError


class FakeComparisonSet:
    """Exact match on two columns (levels 0/1) and a 3-level year difference."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    def compute(self, pairs, left, right) -> SimulatedVectors:
        li, ri = pairs
        self.calls.append(len(li))
        same_name = (left["name"][li] == right["name"][ri]).astype(np.int8)
        diff = np.abs(left["year"][li] - right["year"][ri])
        year = np.where(diff == 0, 2, np.where(diff <= 1, 1, 0)).astype(np.int8)
        levels = np.column_stack([same_name, year])
        return SimulatedVectors(levels, levels.astype(np.float32), np.full(levels.shape, np.nan),
                                ["name", "year"], [("else", "exact"), ("else", "±1", "exact")],
                                [2, 3])


@pytest.fixture(scope="module")
def tables():
    rng = np.random.default_rng(0)
    names = np.array(["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"],
                     dtype=object)
    left = {"name": names[rng.integers(0, 4, 5000)], "year": rng.integers(1950, 2000, 5000)}
    right = {"name": names[rng.integers(0, 4, 3000)], "year": rng.integers(1950, 2000, 3000)}
    return left, right


class Sized(dict):
    def __len__(self) -> int:
        return len(next(iter(self.values())))


def test_estimate_u_samples_uniform_pairs(tables) -> None:
    left, right = Sized(tables[0]), Sized(tables[1])
    cmp = FakeComparisonSet()
    u = estimate_u(cmp, left, right, n_pairs=200_000, seed=1, chunk_size=50_000)
    assert cmp.calls == [50_000] * 4
    # 4 names equally likely: P(same) = 1/4; 50 years: P(same) = 1/50, P(±1) ~ 2/50
    np.testing.assert_allclose(u[0], [0.75, 0.25], atol=0.005)
    np.testing.assert_allclose(u[1], [1 - 0.02 - 0.0392, 0.0392, 0.02], atol=0.003)
    again = estimate_u(FakeComparisonSet(), left, right, n_pairs=200_000, seed=1,
                       chunk_size=50_000)
    assert all(np.array_equal(a, b) for a, b in zip(u, again, strict=True))


def test_estimate_u_dedupe_mode_never_pairs_a_record_with_itself(tables) -> None:
    left = Sized(tables[0])

    class Recorder(FakeComparisonSet):
        def compute(self, pairs, left, right):
            li, ri = pairs
            assert (li < ri).all() and right is left
            return super().compute(pairs, left, right)

    u = estimate_u(Recorder(), left, None, n_pairs=10_000, seed=2)
    assert [len(a) for a in u] == [2, 3]
    with pytest.raises(ConfigurationError, match="n_pairs"):
        estimate_u(Recorder(), left, None, n_pairs=0)


def test_u_from_sampling_plugs_into_fit(known_model) -> None:
    X, _ = simulate_comparisons(**known_model, n_pairs=50_000, seed=4)
    u = [np.asarray(a) for a in known_model["u"]]
    model = FellegiSunter(u=u, fix_u=True).fit(X)
    for got, want in zip(model.u_, u, strict=True):
        np.testing.assert_allclose(got, want)
    with pytest.raises(ConfigurationError, match="u has 2 arrays"):
        FellegiSunter(u=u[:2]).fit(X)
    with pytest.raises(ConfigurationError, match="levels"):
        FellegiSunter(u=[[0.5, 0.5]] * 4).fit(X)


def test_parameters_table(known_model) -> None:
    X, y = simulate_comparisons(**known_model, n_pairs=5000, seed=4, names=list("abcd"))
    model = FellegiSunter().fit(X, y)
    table = model.parameters()
    assert isinstance(table, ParameterTable)
    assert table.n_rows == sum(X.n_levels)
    assert table["comparison"].tolist()[:4] == ["a"] * 4
    np.testing.assert_allclose(table["weight"], np.concatenate(model.match_weights_))
    assert repr(table).startswith("ParameterTable")


def test_string_labels_and_classes(known_model) -> None:
    X, y = simulate_comparisons(**known_model, n_pairs=3000, seed=5)
    labels = np.where(y, "trùng", "khác")
    model = FellegiSunter().fit(X, labels)
    assert model.classes_.tolist() == ["khác", "trùng"]
    assert set(model.predict(X).tolist()) <= {"khác", "trùng"}
    assert (model.predict(X) == "trùng").sum() > 0


def test_plain_matrix_with_given_n_levels() -> None:
    X = np.array([[0, 1], [1, 0], [1, 1], [0, 0]] * 5, dtype=np.int8)
    model = FellegiSunter(n_levels=[3, 2]).fit(X, [0, 0, 1, 0] * 5)
    assert model.n_levels_ == [3, 2]
    assert model.predict_proba(np.array([[2, 1]], dtype=np.int8)).shape == (1, 2)
    with pytest.raises(ConfigurationError, match=r"only levels 0\.\.2"):
        model.predict(np.array([[3, 1]], dtype=np.int8))
    with pytest.raises(ValueError, match="features"):
        model.predict(np.array([[1, 1, 1]], dtype=np.int8))


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"prior": 0.0}, "prior"),
        ({"prior": 1.5}, "prior"),
        ({"smoothing": -1}, "smoothing"),
        ({"tol": 0}, "tol"),
        ({"max_iter": 0}, "max_iter"),
        ({"tf_floor": 0}, "tf_floor"),
        ({"n_levels": [2]}, "n_levels has 1"),
        ({"fixed_m": {"tên": [0.5, 0.5]}}, "unknown comparison"),
        ({"fixed_m": {9: [0.5, 0.5]}}, "out of range"),
    ],
)
def test_bad_parameters(params, match) -> None:
    X = np.array([[0, 1], [1, 0], [1, 1], [0, 0]] * 5, dtype=np.int8)
    with pytest.raises(ConfigurationError, match=match):
        FellegiSunter(**params).fit(X, [0, 0, 1, 0] * 5)


@pytest.mark.parametrize(
    ("X", "match"),
    [
        (np.array([[0.5, 1.0]]), "whole numbers"),
        (np.array([[-2, 1]]), "-1..127"),
        (np.array([[200, 1]]), "-1..127"),
    ],
)
def test_bad_levels(X, match) -> None:
    with pytest.raises(ConfigurationError, match=match):
        FellegiSunter().fit(X)


def test_not_fitted() -> None:
    model = FellegiSunter()
    for method in (model.predict, model.predict_proba, model.match_weight, model.explain):
        with pytest.raises(NotFittedError, match="call fit"):
            method(np.zeros((1, 2), dtype=np.int8))


def test_vectors_with_other_levels_are_refused(known_model) -> None:
    X, y = simulate_comparisons(**known_model, n_pairs=2000, seed=6)
    model = FellegiSunter().fit(X, y)
    other = SimulatedVectors(X.levels, X.scores, X.tf, X.names, X.level_labels, [5, 3, 2, 2])
    with pytest.raises(ConfigurationError, match="levels per comparison"):
        model.predict(other)


def test_pandas_frame_input(known_model) -> None:
    pd = pytest.importorskip("pandas")
    X, y = simulate_comparisons(**known_model, n_pairs=2000, seed=6)
    frame = pd.DataFrame(X.levels, columns=["name", "dob", "sex", "ward"])
    model = FellegiSunter().fit(frame, y)
    assert model.feature_names_in_.tolist() == ["name", "dob", "sex", "ward"]
    again = FellegiSunter.from_json(model.to_json())
    assert np.array_equal(again.predict_proba(frame), model.predict_proba(frame))

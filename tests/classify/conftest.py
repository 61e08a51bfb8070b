"""Shared fixtures of the classifier tests: a known model to simulate pairs from."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from vnlink.classify import simulate_comparisons

#: A known model: name (4 levels), date of birth (3), sex (2), commune (2).
TRUE_M = [
    np.array([0.02, 0.08, 0.20, 0.70]),
    np.array([0.05, 0.15, 0.80]),
    np.array([0.03, 0.97]),
    np.array([0.25, 0.75]),
]
TRUE_U = [
    np.array([0.85, 0.10, 0.04, 0.01]),
    np.array([0.90, 0.08, 0.02]),
    np.array([0.50, 0.50]),
    np.array([0.95, 0.05]),
]
TRUE_LAMBDA = 0.05
NAMES = ["họ tên", "ngày sinh", "giới tính", "xã"]
LABELS = [
    ("khác", "gần giống", "cùng tên gọi", "trùng"),
    ("khác", "đảo ngày/tháng", "trùng"),
    ("khác", "trùng"),
    ("khác", "trùng"),
]


@pytest.fixture(scope="session")
def known_model() -> dict[str, Any]:
    return {"m": TRUE_M, "u": TRUE_U, "lambda_": TRUE_LAMBDA}


@pytest.fixture(scope="session")
def simulated() -> tuple[Any, np.ndarray]:
    """200 000 pairs from the known model, 10% of levels missing, TF on the name."""
    freqs = 1.0 / np.arange(1, 2001) ** 1.1
    return simulate_comparisons(
        m=TRUE_M, u=TRUE_U, lambda_=TRUE_LAMBDA, n_pairs=200_000, seed=7, missing=0.1,
        names=NAMES, level_labels=LABELS, value_frequencies={0: freqs},
    )


@pytest.fixture(autouse=True)
def _one_thread():
    """OpenMP/BLAS threads only slow these small fits down on a shared machine."""
    with threadpool_limits(limits=1):
        yield

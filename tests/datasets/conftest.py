"""One synthetic data set shared by the dataset tests (generated once per session)."""

from __future__ import annotations

from typing import Any

import pytest

from vnlink.datasets import synthetic_linkage

N_PERSONS = 20_000
SEED = 11


@pytest.fixture(scope="session")
def linkage() -> tuple[Any, Any, Any]:
    """(registry, records, truth) for 20,000 people with the default profile."""
    return synthetic_linkage(N_PERSONS, seed=SEED)


@pytest.fixture(scope="session")
def hard_linkage() -> tuple[Any, Any, Any]:
    """(registry, records, truth) for 20,000 people with the hard profile."""
    return synthetic_linkage(N_PERSONS, seed=SEED, profile="hard")


@pytest.fixture(scope="session")
def registry(linkage: tuple[Any, Any, Any]) -> Any:
    return linkage[0]

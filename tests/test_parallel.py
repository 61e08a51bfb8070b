"""Work spread over processes gives exactly the single-process result."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import vnlink.normalize.address._columns as address_columns
import vnlink.normalize.names as names_module
from vnlink._parallel import check_jobs, jobs, map_parts, requested_jobs
from vnlink.datasets import synthetic_linkage
from vnlink.exceptions import ConfigurationError
from vnlink.link import Linker
from vnlink.normalize.address import parse_addresses
from vnlink.normalize.names import parse_names


def test_n_jobs_follows_scikit_learn() -> None:
    assert check_jobs(None) == 1
    assert check_jobs(3) == 3
    assert check_jobs(-1) >= 1
    assert check_jobs(-1000) == 1  # "all but 999" of a small machine: at least one
    for bad in (0, 1.5, "2", True):
        with pytest.raises(ConfigurationError, match="n_jobs"):
            check_jobs(bad)
    with pytest.raises(ConfigurationError, match="n_jobs"):
        Linker(n_jobs=0)


def test_jobs_block_is_scoped() -> None:
    assert requested_jobs() == 1
    with jobs(2):
        assert requested_jobs() == 2
        with jobs(None):
            assert requested_jobs() == 1
        assert requested_jobs() == 2
    assert requested_jobs() == 1


def _square(x: int) -> int:
    return x * x


def test_map_parts_keeps_order_in_processes_and_with_threads() -> None:
    assert map_parts(_square, list(range(7)), 2) == [x * x for x in range(7)]
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:  # another thread runs: no fork, same result in this process
        assert map_parts(_square, [1, 2, 3], 2) == [1, 4, 9]
    finally:
        stop.set()
        other.join()


@pytest.fixture()
def small_parallel_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(address_columns, "_PARALLEL_FROM", 10)
    monkeypatch.setattr(names_module, "_PARALLEL_FROM", 10)


@pytest.mark.usefixtures("small_parallel_threshold")
def test_parse_addresses_in_two_processes_equals_one() -> None:
    _, records, _ = synthetic_linkage(1500, seed=5, profile="hard")
    values = [*records["address"], None, 7, "", "P.13, Q3, TPHCM", "P.13, Q3, TPHCM"]
    one = parse_addresses(values)
    two = parse_addresses(values, n_jobs=2)
    assert set(one) == set(two)
    for key, column in one.items():
        assert column.dtype == two[key].dtype
        assert column.tolist() == two[key].tolist(), key
    assert two["ward"][-1] == two["ward"][-2] == "27136"


@pytest.mark.usefixtures("small_parallel_threshold")
@pytest.mark.parametrize("encoding", ["auto", "column"])
def test_parse_names_in_two_processes_equals_one(encoding: str) -> None:
    _, records, _ = synthetic_linkage(1500, seed=5, profile="hard")
    values = [*records["full_name"], None, 7, "", "Nguyeãn Vaên Tuaán", "Mai Thò Thu"]
    one = parse_names(values, encoding=encoding)
    with jobs(2):
        two = parse_names(values, encoding=encoding)
    for key, column in one.items():
        assert column.tolist() == two[key].tolist(), key


@pytest.mark.usefixtures("small_parallel_threshold")
def test_linker_with_two_jobs_links_the_same() -> None:
    registry, records, _ = synthetic_linkage(800, seed=9, profile="hard")
    one = Linker(progress=False).fit_link(registry, records).table
    two = Linker(progress=False, n_jobs=2).fit_link(registry, records).table
    for column in ("record_id", "person_id", "status", "reason_codes", "corrections"):
        assert np.asarray(one[column]).tolist() == np.asarray(two[column]).tolist()
    # prepared in two processes, compared in two threads: the same weights, bit for bit
    np.testing.assert_array_equal(one["match_weight"], two["match_weight"])

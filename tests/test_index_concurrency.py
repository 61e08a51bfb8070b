"""RegistryIndex under threads: queries during add or swap see one whole state, adds serialize.

Each round: 8 threads query while 1 writer adds rows (or swaps in a newly loaded
index). Every answer must equal the answer of a separate index frozen before the
change, or of one built after it; no exception may occur.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from vnlink.datasets import synthetic_linkage
from vnlink.link import Linker, RegistryIndex
from vnlink.table import Table

N_READERS = 8


def _answer(table: Table) -> tuple[Any, ...]:
    """A query's answer, comparable exactly (NaN-free: weights of found candidates)."""
    return (tuple(table["person_id"].tolist()), tuple(table["status"].tolist()),
            tuple(table["match_weight"].tolist()), tuple(table["reason_codes"].tolist()))


def _row(result: Any, i: int) -> tuple[Any, ...]:
    return (result["person_id"][i], result["status"][i], result["reason_codes"][i],
            int(result["n_candidates"][i]))


@pytest.fixture(scope="module")
def world() -> dict[str, Any]:
    registry, records, truth = synthetic_linkage(700, seed=21)
    linker = Linker(progress=False).fit(registry, records)
    n = registry.n_rows
    # the people the writer adds are those of the first queried records: their answers change
    found = truth["person_id"].tolist()
    wanted = [i for i, p in enumerate(found) if p][:40]
    people = {found[i] for i in wanted}
    ids = registry["person_id"].tolist()
    late = np.array([i for i in range(n) if ids[i] in people], dtype=np.int64)
    early = np.setdiff1d(np.arange(n), late)
    others = np.setdiff1d(np.arange(records.n_rows), wanted)[:20]
    queried = np.r_[np.asarray(wanted, dtype=np.int64), others]
    return {
        "linker": linker,
        "base": registry.take(early),
        "batches": [registry.take(part) for part in np.array_split(late, 3)],
        "records": records.take(queried),
    }


def _run_round(index: RegistryIndex, change: Any, queries: list[dict[str, Any]],
               batch: Table) -> tuple[list[tuple[int, Any]], list[tuple[int, Any]],
                                     list[BaseException]]:
    """8 readers (query, and query_many of the batch) while one writer calls ``change``."""
    answers: list[tuple[int, Any]] = []
    batches: list[tuple[int, Any]] = []
    errors: list[BaseException] = []
    done = threading.Event()
    start = threading.Barrier(N_READERS + 1)

    def reader(k: int) -> None:
        try:
            start.wait()
            passes = 0
            while not done.is_set() or passes < 1:
                if done.is_set():
                    passes += 1
                for i in range(k, len(queries), N_READERS):
                    answers.append((i, _answer(index.query(queries[i], top_k=3))))
                if k == 0:
                    result = index.query_many(batch)
                    batches.append((0, [_row(result, i) for i in range(len(result))]))
        except BaseException as error:
            errors.append(error)

    def writer() -> None:
        try:
            start.wait()
            change()
        except BaseException as error:
            errors.append(error)
        finally:
            done.set()

    threads = [threading.Thread(target=reader, args=(k,)) for k in range(N_READERS)]
    threads.append(threading.Thread(target=writer))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return answers, batches, errors


def _expected(index: RegistryIndex, queries: list[dict[str, Any]], batch: Table) -> tuple[
    list[Any], list[Any]
]:
    result = index.query_many(batch)
    return ([_answer(index.query(q, top_k=3)) for q in queries],
            [_row(result, i) for i in range(len(result))])


def _check(answers: list[tuple[int, Any]], batches: list[tuple[int, Any]],
           before: tuple[list[Any], list[Any]], after: tuple[list[Any], list[Any]]) -> None:
    changed = sum(a != b for a, b in zip(before[0], after[0], strict=True))
    assert changed >= 10, "the change must alter some answers, or the test proves nothing"
    assert answers, "no query ran"
    for i, answer in answers:
        assert answer in (before[0][i], after[0][i]), f"query {i} saw a mixed state"
    for _, rows in batches:  # one batch answers from one state, whole
        assert rows in (before[1], after[1]), "query_many saw a mixed state"


def test_queries_during_add_see_the_state_before_or_after(world: dict[str, Any]) -> None:
    linker, base, records = world["linker"], world["base"], world["records"]
    queries = records.to_dicts()
    grown = base
    for batch in world["batches"]:  # several rounds, each adding one batch
        before_index = linker.index(grown)
        after_index = linker.index(grown).add(batch)
        before = _expected(before_index, queries, records)
        after = _expected(after_index, queries, records)
        live = linker.index(grown)
        answers, batches, errors = _run_round(live, lambda b=batch, x=live: x.add(b),
                                              queries, records)
        assert not errors, errors
        _check(answers, batches, before, after)
        assert _expected(live, queries, records) == after
        grown = Table({c: np.concatenate([grown[c], batch[c]]) for c in grown.column_names})


def test_queries_during_swap_see_the_old_or_the_new_index(world: dict[str, Any],
                                                          tmp_path: Path) -> None:
    linker, base, records = world["linker"], world["base"], world["records"]
    queries = records.to_dicts()
    full = Table({c: np.concatenate([base[c], *(b[c] for b in world["batches"])])
                  for c in base.column_names})
    path = linker.index(full).save(tmp_path / "new.vnidx")
    live = linker.index(base)
    before = _expected(linker.index(base), queries, records)
    loaded = RegistryIndex.load(path)
    after = _expected(RegistryIndex.load(path), queries, records)
    answers, batches, errors = _run_round(live, lambda: live.swap(loaded), queries, records)
    assert not errors, errors
    _check(answers, batches, before, after)
    assert len(live) == full.n_rows


def test_concurrent_adds_lose_nothing(world: dict[str, Any]) -> None:
    linker, base = world["linker"], world["base"]
    index = linker.index(base)
    def renamed(part: Table) -> Table:  # the same people again, under new ids
        columns = dict(part.columns)
        columns["person_id"] = np.array([f"{x}-again" for x in part["person_id"].tolist()],
                                        dtype=object)
        return Table(columns, n_rows=part.n_rows)

    parts = [renamed(base.take(np.arange(i, min(base.n_rows, i + 5))))
             for i in range(0, 100, 5)]
    errors: list[BaseException] = []

    def add(part: Table) -> None:
        try:
            index.add(part)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=add, args=(p,)) for p in parts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert len(index) == base.n_rows + sum(p.n_rows for p in parts)
    added = index.prepared["record_id"].tolist()[base.n_rows:]
    assert sorted(added) == sorted(x for p in parts for x in p["person_id"].tolist())
    # every key index holds every row once
    for rule in index._rules:
        assert len(np.unique(rule.rows)) == len(rule.rows)

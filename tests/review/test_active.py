"""Active learning: the pairs proposed, the corrections learnt, and Linker.fit(labels=...)."""

from __future__ import annotations

import numpy as np

from vnlink import Linker
from vnlink.evaluate import evaluate
from vnlink.review import ActiveLearner, fit_with_labels
from vnlink.review.active import fit_correction

from .conftest import truth_person


def _answer(person: dict[str, str], batch: list[dict]) -> list[tuple[str, str, bool]]:
    return [(p["record_id"], p["person_id"], person[p["record_id"]] == p["person_id"])
            for p in batch]


def test_no_labels_change_nothing() -> None:
    m = [np.array([0.2, 0.3, 0.5])]
    c = fit_correction(np.zeros((0, 1), dtype=np.int8), np.zeros(0), np.zeros(0, dtype=bool), m)
    levels = np.array([[0], [2], [-1]], dtype=np.int8)
    np.testing.assert_allclose(c.apply(levels, np.array([1.0, 2.0, 3.0])), [1.0, 2.0, 3.0])


def test_a_batch_is_uncertain_diverse_and_new(linkage) -> None:
    learner = ActiveLearner(linkage.linker, linkage.registry, linkage.records, explore=0.0)
    batch = learner.propose(10)
    assert len(batch) == 10
    records = [p["record_id"] for p in batch]
    assert len(set(records)) == 10
    buckets = {int(learner.bucket[p["pool_index"]]) for p in batch}
    assert len(buckets) == 10
    # the most uncertain pair of the pool is asked first
    assert abs(batch[0]["match_weight"]) == np.abs(learner.weight).min()
    person = truth_person(linkage)
    learner.teach_many(_answer(person, batch))
    again = learner.propose(10)
    assert not {(p["record_id"], p["person_id"]) for p in again} & {
        (p["record_id"], p["person_id"]) for p in batch}


def test_labels_correct_the_model_and_it_saves(linkage, tmp_path) -> None:
    person = truth_person(linkage)
    learner = ActiveLearner(linkage.linker, linkage.registry, linkage.records)
    while learner.n_labels < 100:
        learner.teach_many(_answer(person, learner.propose(10)))
    fitted = learner.fitted_linker()
    assert fitted.classifier_ is not linkage.linker.classifier_
    em_f1 = evaluate(linkage.result, linkage.truth).f1
    result = fitted.link(linkage.registry, linkage.records)
    assert evaluate(result, linkage.truth).f1 >= em_f1 - 0.002
    # the labelled pairs are scored as their labels say more often than before
    y = learner.y[learner.labelled]
    before = (learner.pool.weight[learner.labelled] > 0) == y
    after = (learner.weight[learner.labelled] > 0) == y
    assert after.mean() >= before.mean()
    # a corrected model is a plain Fellegi–Sunter model: saved and loaded, same weights
    path = fitted.save(tmp_path / "model.json")
    loaded = Linker.load(path, progress=False)
    again = loaded.link(linkage.registry, linkage.records)
    np.testing.assert_array_equal(again["match_weight"], result["match_weight"])


def test_fit_with_labels_uses_only_the_labelled_pairs(linkage) -> None:
    person = truth_person(linkage)
    learner = ActiveLearner(linkage.linker, linkage.registry, linkage.records, explore=0.0)
    pairs = _answer(person, learner.propose(30))
    learner.teach_many(pairs)
    linker = Linker(progress=False)
    linker.fit(linkage.registry, linkage.records, labels=pairs)
    np.testing.assert_allclose(np.concatenate(linker.classifier_.m_),
                               np.concatenate(learner.fitted_linker().classifier_.m_),
                               rtol=1e-6)
    same = fit_with_labels(Linker(progress=False), linkage.registry, linkage.records, pairs)
    assert same.fingerprint_ == linker.fingerprint_

"""F1 against the number of labels: active selection vs random selection, vs the EM model.

On the hard synthetic profile (``CorruptionProfile.hard()`` when the library
has it, else ``CorruptionProfile.heavy()``), the unsupervised Linker (EM) is
fitted once; then, for 25, 50, 100, 200 and 400 labels, pairs are chosen
either by :class:`vnlink.review.ActiveLearner` (batches of 10, refit after each
batch) or at random from the same pool, answered from the truth, and the
corrected model links the records. F1 is record-level (``vnlink.evaluate``).
Random selection is averaged over three seeds.

Target (issue 15): with 200 actively chosen labels F1 >= the EM model's F1,
and active above random at every size.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import parse_args, timer, write_results

from vnlink import Linker
from vnlink.datasets import CorruptionProfile, synthetic_linkage
from vnlink.evaluate import evaluate
from vnlink.review import ActiveLearner

SIZES = (25, 50, 100, 200, 400)


def hard_profile() -> CorruptionProfile:
    make = getattr(CorruptionProfile, "hard", None)
    return make() if callable(make) else CorruptionProfile.heavy()


def main() -> None:
    args = parse_args(__doc__ or "")
    n_persons = 3_000 if args.quick else 20_000
    sizes = SIZES[:3] if args.quick else SIZES
    seeds = (1,) if args.quick else (1, 2, 3)
    registry, records, truth = synthetic_linkage(n_persons, seed=11, profile=hard_profile())
    person = dict(zip(truth["record_id"].tolist(), truth["person_id"].tolist(), strict=True))

    def f1(linker: Linker) -> float:
        return float(evaluate(linker.link(registry, records), truth).f1)

    with timer() as t_em:
        linker = Linker(progress=False).fit(registry, records)
    em_f1 = f1(linker)
    figures: dict[str, float | int | str] = {"n_persons": n_persons,
                                             "n_records": int(records.n_rows),
                                             "profile": "hard" if hasattr(CorruptionProfile,
                                                                          "hard") else "heavy",
                                             "em_f1": round(em_f1, 5),
                                             "em_fit_s": round(t_em["seconds"], 2)}
    with timer() as t_pool:
        learner = ActiveLearner(linker, registry, records, random_state=0)
    figures["pool_pairs"] = len(learner.pool)
    figures["pool_s"] = round(t_pool["seconds"], 2)

    def answer(pairs: list[dict[str, object]]) -> list[tuple[str, str, bool]]:
        return [(str(p["record_id"]), str(p["person_id"]),
                 person[str(p["record_id"])] == p["person_id"]) for p in pairs]

    active: dict[int, float] = {}
    with timer() as t_active:
        for size in sizes:
            while learner.n_labels < size:
                learner.teach_many(answer(learner.propose(min(10, size - learner.n_labels))))
            active[size] = f1(learner.fitted_linker())
    figures["active_s"] = round(t_active["seconds"], 2)
    random_f1: dict[int, list[float]] = {s: [] for s in sizes}
    for seed in seeds:
        rnd = ActiveLearner(linker, registry, records, random_state=seed)
        rng = np.random.default_rng(seed)
        order = rng.permutation(len(rnd.pool))
        for size in sizes:
            chosen = [rnd._pair(int(i)) for i in order[:size]]
            rnd.labelled[:] = False
            rnd.teach_many(answer(chosen))
            random_f1[size].append(f1(rnd.fitted_linker()))
    for size in sizes:
        figures[f"active_f1_{size}"] = round(active[size], 5)
        figures[f"random_f1_{size}"] = round(float(np.mean(random_f1[size])), 5)
    at = 200 if 200 in active else max(active)
    figures[f"active_{at}_ge_em"] = str(active[at] >= em_f1)
    figures["active_above_random_every_size"] = str(
        all(active[s] > float(np.mean(random_f1[s])) for s in sizes))
    write_results("labels", args.quick, figures)


if __name__ == "__main__":
    main()

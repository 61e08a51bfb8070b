"""How the schema-1 model files and their expected predictions were made (run once, by hand).

Do not rerun to "fix" a failing compatibility test: the files pin what schema 1 means.
(fellegi_sunter_v1.json predates the ``fix_u`` parameter and ``max_iter=500``; it
still loads, which is the point.)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from vnlink.classify import FellegiSunter, SupervisedLinkClassifier, simulate_comparisons

HERE = Path(__file__).parent
M = [[0.02, 0.08, 0.2, 0.7], [0.05, 0.15, 0.8], [0.03, 0.97], [0.25, 0.75]]
U = [[0.85, 0.1, 0.04, 0.01], [0.9, 0.08, 0.02], [0.5, 0.5], [0.95, 0.05]]


def _data() -> tuple[Any, np.ndarray]:
    X, y = simulate_comparisons(
        m=M, u=U, lambda_=0.05, n_pairs=50_000, seed=2026, missing=0.1,
        names=["họ tên", "ngày sinh", "giới tính", "xã"],
        level_labels=[("khác", "gần giống", "cùng tên gọi", "trùng"),
                      ("khác", "đảo ngày/tháng", "trùng"), ("khác", "trùng"), ("khác", "trùng")],
        value_frequencies={0: 1.0 / np.arange(1, 501)},
    )
    X.spec = [{"class": "SimulatedComparison", "params": {"index": j}} for j in range(4)]
    return X, y


def make_fellegi_sunter() -> None:
    X, _ = _data()
    model = FellegiSunter().fit(X)
    model.to_json(HERE / "fellegi_sunter_v1.json")
    probe = X.take(slice(0, 40))
    expected = {
        "levels": probe.levels.tolist(),
        "tf": [[None if np.isnan(v) else float(v) for v in row] for row in probe.tf],
        "match_weight": model.match_weight(probe).tolist(),
        "probability": model.predict_proba(probe)[:, 1].tolist(),
    }
    (HERE / "fellegi_sunter_v1_expected.json").write_text(json.dumps(expected, indent=1) + "\n")


def make_supervised() -> None:
    X, y = _data()
    model = SupervisedLinkClassifier().fit(X.take(slice(0, 3000)), y[:3000])
    model.to_json(HERE / "supervised_v1.json")
    probe = X.take(slice(0, 40))
    expected = {
        "levels": probe.levels.tolist(),
        "scores": probe.scores.astype(float).tolist(),
        "probability": model.predict_proba(probe)[:, 1].tolist(),
    }
    (HERE / "supervised_v1_expected.json").write_text(json.dumps(expected, indent=1) + "\n")


if __name__ == "__main__":
    wanted = sys.argv[1:] or ["fellegi_sunter", "supervised"]
    for name in wanted:
        globals()[f"make_{name}"]()

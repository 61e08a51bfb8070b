"""How fellegi_sunter_v1.json and its expected predictions were made (run once, by hand).

Do not rerun to "fix" a failing compatibility test: the files pin what schema 1 means.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from vnlink.classify import FellegiSunter, simulate_comparisons

HERE = Path(__file__).parent
M = [[0.02, 0.08, 0.2, 0.7], [0.05, 0.15, 0.8], [0.03, 0.97], [0.25, 0.75]]
U = [[0.85, 0.1, 0.04, 0.01], [0.9, 0.08, 0.02], [0.5, 0.5], [0.95, 0.05]]

if __name__ == "__main__":
    X, _ = simulate_comparisons(
        m=M, u=U, lambda_=0.05, n_pairs=50_000, seed=2026, missing=0.1,
        names=["họ tên", "ngày sinh", "giới tính", "xã"],
        level_labels=[("khác", "gần giống", "cùng tên gọi", "trùng"),
                      ("khác", "đảo ngày/tháng", "trùng"), ("khác", "trùng"), ("khác", "trùng")],
        value_frequencies={0: 1.0 / np.arange(1, 501)},
    )
    X.spec = [{"class": "SimulatedComparison", "params": {"index": j}} for j in range(4)]
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

"""Shared fixtures of the review-desk tests: one small hard linkage, fitted once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from vnlink import Linker
from vnlink.datasets import CorruptionProfile, synthetic_linkage
from vnlink.table import Table

#: Markup a hand-typed field may hold; the page must show it as text.
INJECTED_SITE = '"><script>window.__pwned=1</script>Trạm <b>y tế</b>'
INJECTED_NAME = "<img src=x onerror=\"window.__pwned=2\">"


@dataclass
class Linkage:
    registry: Table
    records: Table
    truth: Table
    linker: Any
    result: Any


@pytest.fixture(scope="session")
def linkage() -> Linkage:
    registry, records, truth = synthetic_linkage(1500, seed=3, profile=CorruptionProfile.heavy())
    cols = {c: records[c].copy() for c in records.column_names}
    # the site is not used for linking: every record of one site carries markup
    site = cols["site"].astype(object)
    site[site == site[0]] = INJECTED_SITE
    cols["site"] = site
    records = Table(cols, n_rows=records.n_rows)
    linker = Linker(progress=False).fit(registry, records)
    result = linker.link(registry, records)
    assert int((result["status"] == "review").sum()) >= 10
    return Linkage(registry, records, truth, linker, result)


def truth_person(linkage: Linkage) -> dict[str, str]:
    t = linkage.truth
    return dict(zip(t["record_id"].tolist(), t["person_id"].tolist(), strict=True))


def review_rows(linkage: Linkage) -> np.ndarray:
    return np.flatnonzero(linkage.result["status"] == "review")

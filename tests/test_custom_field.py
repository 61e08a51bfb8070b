"""A field declared here, not in the package, flows through every stage.

The field is a health-insurance (BHYT) card number: 15 characters, two
letters of the beneficiary group then digits; the last 10 digits are the
person's social-insurance number. One specification and one comparison,
declared below, are all it takes: prepare derives its columns, a blocking
rule uses its key, the comparison grades it with levels that carry reason
codes, the classifier learns a weight for it, and a linked record gets its
reason and its correction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pytest
from numpy.typing import NDArray

from vnlink import Linker, Schema, block_on, prepare
from vnlink.compare import Comparison, default_comparisons
from vnlink.compare.base import mark_missing, new_levels, pair_codes
from vnlink.compare.levels import Level
from vnlink.datasets import synthetic_linkage
from vnlink.fields import FieldSpec, register_field
from vnlink.reason_texts import reason_text

_CARD = re.compile(r"^([A-Z]{2})(\d{13})$")


class BhytField(FieldSpec):
    name = "bhyt"
    columns: ClassVar[dict[str, Any]] = {"bhyt": object, "bhyt_bhxh": object}
    aliases = ("bhyt", "so_the_bhyt", "ma_the_bhyt")
    presence_column = "bhyt"
    correction = "bhyt"
    reasons: ClassVar[dict[str, dict[str, str]]] = {
        "bhyt_new_card": {"vi": "thẻ BHYT mới (cùng mã số BHXH)",
                          "en": "a renewed BHYT card (same social-insurance number)"},
        "bhyt_different": {"vi": "số thẻ BHYT khác", "en": "another BHYT card"},
    }

    def derive(self, values: NDArray[np.object_], out: dict[str, Any], n: int
               ) -> NDArray[np.object_] | None:
        cards = np.full(n, "", dtype=object)
        social = np.full(n, "", dtype=object)
        problems = np.full(n, "", dtype=object)
        for i, value in enumerate(values.tolist()):
            text = "" if value is None else re.sub(r"[\s.-]", "", str(value)).upper()
            match = _CARD.match(text)
            if match:
                cards[i] = text
                social[i] = match.group(2)[-10:]
            elif text:
                problems[i] = "bhyt:invalid"
        out["bhyt"], out["bhyt_bhxh"] = cards, social
        return problems if (problems != "").any() else None

    def comparison(self) -> Comparison:
        return BhytComparison()

    def blocking_rules(self) -> list[Any]:
        return [block_on("bhyt_bhxh")]


@dataclass(frozen=True)
class BhytComparison(Comparison):
    """Same card; same social-insurance number on another card (a new group code); else."""

    @property
    def levels(self) -> tuple[Level, ...]:
        return (
            Level("different", "another social-insurance number", reason="bhyt_different"),
            Level("same BHXH number", "another group code", reason="bhyt_new_card"),
            Level("exact", "the same card", exact=True),
        )

    def default_name(self) -> str:
        return "bhyt"

    def compute(self, left_idx: Any, right_idx: Any, left: Any, right: Any) -> Any:
        ca, cb = pair_codes(left, right, "bhyt", left_idx, right_idx)
        sa, sb = pair_codes(left, right, "bhyt_bhxh", left_idx, right_idx)
        levels = new_levels(len(ca))
        levels[(sa == sb) & (sa != 0)] = 1
        levels[(ca == cb) & (ca != 0)] = 2
        scores = levels.astype(np.float32) / 2
        return mark_missing(levels, scores, (ca == 0) | (cb == 0))


@pytest.fixture(scope="module", autouse=True)
def _registered() -> None:
    register_field(BhytField())


def _with_cards(n_persons: int = 400, seed: int = 5) -> tuple[Any, Any, Any]:
    registry, records, truth = synthetic_linkage(n_persons, seed=seed)
    rng = np.random.default_rng(seed)
    groups = np.array(["DN", "HT", "GD", "TE"])
    n = registry.n_rows
    social = np.array([f"{v:010d}" for v in rng.integers(0, 10**10, n)])
    cards = np.array([f"{g}{p:03d}{s}" for g, p, s in zip(rng.choice(groups, n),
                                                           rng.integers(0, 1000, n), social,
                                                           strict=True)], dtype=object)
    registry.columns["the_bhyt"] = cards
    # each record carries its person's card (most), a renewed card with another group
    # code (some), nothing (some) or junk
    person_row = {pid: i for i, pid in enumerate(registry["person_id"].tolist())}
    true_person = dict(zip(truth["record_id"].tolist(), truth["person_id"].tolist(),
                           strict=True))
    rec_cards = np.full(records.n_rows, None, dtype=object)
    for i, rid in enumerate(records["record_id"].tolist()):
        row = person_row.get(true_person.get(rid, ""))
        draw = rng.random()
        if row is None or draw < 0.2:
            continue
        card = cards[row]
        if draw < 0.35:
            card = ("HT" if card[:2] != "HT" else "DN") + card[2:]
        elif draw < 0.4:
            card = "xx-not-a-card"
        rec_cards[i] = card
    records.columns["so_the_bhyt"] = rec_cards
    return registry, records, truth


def test_the_field_flows_through_every_stage() -> None:
    from vnlink.datasets import records_schema, registry_schema

    registry, records, _ = _with_cards()
    schemas = (registry_schema().replace(bhyt="the_bhyt"),
               records_schema().replace(bhyt="so_the_bhyt"))
    # prepare: the derived columns, the problem code on junk
    prepared = prepare(records, schemas[1])
    assert {"bhyt", "bhyt_bhxh"} <= set(prepared.column_names)
    junk = records["so_the_bhyt"] == "xx-not-a-card"
    assert all("bhyt:invalid" in p for p in prepared["problems"][junk])
    # blocking, comparison and training pick the field up from its specification
    linker = Linker(schema=schemas, progress=False).fit(registry, records)
    assert "bhyt_bhxh" in [rule.name for rule in linker.rules_]
    names = [c.name for c in linker.comparisons_.comparisons]
    assert names == [c.name for c in default_comparisons()] + ["bhyt"]
    j = names.index("bhyt")
    m, u = linker.classifier_.m_[j], linker.classifier_.u_[j]
    assert np.log2(m[2] / u[2]) > 5  # the same card is strong evidence
    assert np.log2(m[0] / u[0]) < 0  # another card is evidence against
    # reasons and corrections, read from the new comparison's levels
    result = linker.link(registry, records)
    renewed = np.asarray([isinstance(c, str) and c[:2] in ("HT", "DN") for c in
                          records["so_the_bhyt"].tolist()])
    codes = result["reason_codes"]
    fixed = result["fix_bhyt"]
    flagged = np.asarray(["bhyt_new_card" in c.split(";") for c in codes.tolist()])
    assert flagged.sum() > 10
    verified = result["status"] == "verified"
    assert (fixed[flagged & verified] != "").all()
    assert all(f.startswith(("DN", "HT", "GD", "TE")) for f in fixed[fixed != ""])
    assert "bhyt: " in " ".join(result["corrections"][flagged & verified].tolist())
    assert renewed.any()
    assert reason_text("bhyt_new_card", "en").startswith("a renewed BHYT card")
    assert "thẻ BHYT mới (cùng mã số BHXH)" in " ".join(result["reasons"][flagged].tolist())
    # the saved model names the field and loads back to the same decisions
    again = Linker.from_dict(linker.to_dict(), progress=False)
    assert again.link(registry, records)["status"].tolist() == result["status"].tolist()


def test_schema_with_an_unregistered_field_keeps_it_as_text() -> None:
    prepared = prepare({"pc": [" 2000 ", None]}, Schema(postcode="pc"))
    assert prepared["postcode"].tolist() == ["2000", ""]

"""Spark and in-memory linking give the same answers on the same data and model."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from vnlink import Linker
from vnlink.datasets import synthetic_linkage
from vnlink.table import Table

N_PERSONS = 20_000
_COMPARED = ["status", "person_id", "runner_up_person_id", "n_candidates", "blocking_rule",
             "reason_codes", "corrections"]


def _with_junk(records: Table) -> Table:
    """The records plus rows of bad values (nothing readable, garbage, blanks)."""
    junk = {
        "full_name": [None, "###", "   "],
        "dob": ["abc", "31/02/1990", None],
        "sex": ["?", None, "x"],
        "id_number": ["12a", "", "000000000000"],
        "phone": ["phone", "0", None],
        "address": [None, "@@", ""],
        "site": ["", "", ""],
        "record_id": ["JUNK1", "JUNK2", "JUNK3"],
    }
    columns = {}
    for name in records.column_names:
        extra = np.empty(3, dtype=object)
        extra[:] = junk.get(name, ["", "", ""])
        columns[name] = np.concatenate([np.asarray(records[name], dtype=object), extra])
    return Table(columns)


@pytest.fixture(scope="module")
def linked(spark: Any, to_spark: Any) -> dict[str, Any]:
    import vnlink.spark as vs

    registry, records, _ = synthetic_linkage(N_PERSONS, seed=7)
    records = _with_junk(records)
    linker = Linker(progress=False).fit(registry, records)
    memory = linker.link(registry, records)
    result = vs.link_with_report(linker, to_spark(registry), to_spark(records))
    rows = result.df.toPandas()
    from vnlink.blocking import candidate_pairs
    from vnlink.prepare import prepare

    pairs = candidate_pairs(linker.rules_, prepare(registry, linker.registry_schema_),
                            prepare(records, linker.records_schema_))
    out = {"memory": memory.to_pandas(), "spark": rows, "report": result.report,
           "pairs": pairs, "n_records": records.n_rows}
    result.unpersist()
    return out


def test_every_record_exactly_once(linked: dict[str, Any]) -> None:
    spark_ids = linked["spark"]["record_id"]
    assert len(spark_ids) == linked["n_records"]
    assert spark_ids.is_unique
    assert set(spark_ids) == set(linked["memory"]["record_id"])


def test_same_status_and_person_for_at_least_9999_in_10000(linked: dict[str, Any]) -> None:
    both = linked["memory"].merge(linked["spark"], on="record_id", suffixes=("_m", "_s"))
    same = (both["status_m"] == both["status_s"]) & (both["person_id_m"] == both["person_id_s"])
    assert same.mean() >= 0.9999, both.loc[~same, ["record_id", "status_m", "status_s"]]


def test_same_explanations_and_scores(linked: dict[str, Any]) -> None:
    both = linked["memory"].merge(linked["spark"], on="record_id", suffixes=("_m", "_s"))
    for column in _COMPARED:
        agree = (both[f"{column}_m"] == both[f"{column}_s"]).mean()
        assert agree >= 0.9999, column
    for column in ("match_probability", "match_weight", "runner_up_margin"):
        a, b = both[f"{column}_m"].to_numpy(float), both[f"{column}_s"].to_numpy(float)
        close = np.isclose(a, b, rtol=1e-9, atol=1e-12) | (np.isnan(a) & np.isnan(b))
        assert close.mean() >= 0.9999, column


def test_bad_rows_are_kept_and_flagged(linked: dict[str, Any]) -> None:
    junk = ["JUNK1", "JUNK2", "JUNK3"]
    rows = linked["spark"].set_index("record_id").loc[junk]
    memory = linked["memory"].set_index("record_id").loc[junk]
    assert set(rows["status"]) == {"unmatched"}
    assert rows.loc["JUNK1", "reason_codes"] == "no_usable_fields"
    assert rows["reason_codes"].tolist() == memory["reason_codes"].tolist()


def test_blocking_counts_match_in_memory(linked: dict[str, Any]) -> None:
    pairs = linked["pairs"]
    report = linked["report"]
    assert report.total_pairs == len(pairs)
    assert [r.new_pairs for r in report.rules] == [r.new_pairs for r in pairs.report.rules]
    assert [r.pairs for r in report.rules] == [r.pairs for r in pairs.report.rules]
    assert [r.largest_block for r in report.rules] == [r.largest_block
                                                        for r in pairs.report.rules]

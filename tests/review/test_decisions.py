"""Decision files: read back, applied as overrides, turned into labels; label files resume."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vnlink.exceptions import ConfigurationError, SchemaError
from vnlink.review import LabelStore, apply_review, labels_to_truth, pair_labels, read_decisions

HEADER = "record_id,decision,person_id,candidates,note,decided_at\n"

RESULT = {"record_id": ["r1", "r2", "r3", "r4"], "person_id": ["p1", "p2", "p3", ""],
          "status": ["review", "review", "review", "unmatched"],
          "reason_codes": ["low_score", "", "ambiguous", "no_candidates"],
          "reasons": ["a", "", "b", "c"]}


def test_the_last_decision_of_a_record_wins() -> None:
    text = HEADER + "r1,same,p1,p1;p9,,\nr2,unsure,,p2,,\nr1,different,,p1;p9,,\n"
    d = read_decisions(io.StringIO(text))
    assert d["record_id"].tolist() == ["r2", "r1"]
    assert d["decision"].tolist() == ["unsure", "different"]
    assert pair_labels(d) == [("r1", "p1", False), ("r1", "p9", False)]


@pytest.mark.parametrize("line, error, match", [
    ("r1,maybe,,,,", ConfigurationError, "line 2: decision"),
    ("r1,same,,p1,,", ConfigurationError, "person_id"),
    (",same,p1,p1,,", ConfigurationError, "record_id is empty"),
])
def test_bad_lines_name_the_line(line: str, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        read_decisions(io.StringIO(HEADER + line + "\n"))


def test_missing_columns_and_bad_json(tmp_path) -> None:
    with pytest.raises(SchemaError, match="record_id and decision"):
        read_decisions(io.StringIO("id,label\nr1,1\n"))
    bad = tmp_path / "d.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(SchemaError, match="not valid JSON"):
        read_decisions(bad)


def test_apply_review_overrides_and_explains() -> None:
    d = read_decisions(io.StringIO(
        HEADER + "r1,same,p7,p1;p7,người nhà,\nr2,different,,p2,,\nr3,unsure,,p3,,\n"))
    out = apply_review(RESULT, d)
    assert out["status"].tolist() == ["verified", "unmatched", "review", "unmatched"]
    assert out["person_id"].tolist() == ["p7", "", "p3", ""]
    assert out["reason_codes"].tolist() == ["low_score;clerk_same", "clerk_different",
                                            "ambiguous;clerk_unsure", "no_candidates"]
    assert out["review_decision"].tolist() == ["same", "different", "unsure", ""]
    assert out["review_note"].tolist()[0] == "người nhà"
    assert RESULT["status"][0] == "review"  # the input is not changed
    with pytest.raises(ConfigurationError, match="not in the result"):
        apply_review(RESULT, io.StringIO(HEADER + "zz,different,,p1,,\n"))


def test_labels_to_truth_leaves_unsure_out() -> None:
    d = read_decisions(io.StringIO(HEADER + "r1,same,p1,p1,,\nr2,different,,p2,,\nr3,unsure,,,,\n"))
    truth = labels_to_truth(d)
    assert truth["record_id"].tolist() == ["r1", "r2"]
    assert truth["person_id"].tolist() == ["p1", ""]


@given(st.lists(st.tuples(st.sampled_from(["r1", "r2", "r3", "r4"]),
                          st.sampled_from(["same", "different", "unsure"]),
                          st.text(max_size=8)), max_size=12))
def test_apply_review_keeps_every_row(decisions) -> None:
    rows = [{"record_id": r, "decision": d, "person_id": "px" if d == "same" else "",
             "candidates": "px", "note": n} for r, d, n in decisions]
    out = apply_review(RESULT, read_decisions(rows) if rows else read_decisions(
        io.StringIO(HEADER)))
    assert out["record_id"].tolist() == RESULT["record_id"]
    last = {r: d for r, d, _ in decisions}
    for rid, status in zip(out["record_id"].tolist(), out["status"].tolist(), strict=True):
        want = {"same": "verified", "different": "unmatched"}.get(last.get(rid, ""))
        assert status == (want or RESULT["status"][RESULT["record_id"].index(rid)])


@pytest.mark.parametrize("name", ["labels.csv", "labels.json"])
def test_label_store_saves_each_answer_and_resumes(tmp_path, name: str) -> None:
    path = tmp_path / name
    store = LabelStore(path)
    store.add("r1", "p1", "same", note="=cmd|' /C calc'!A0")
    assert LabelStore(path).to_dicts()[0]["note"] == "=cmd|' /C calc'!A0"
    store.add("r2", "p2", "different")
    store.add("r3", "p3", "unsure")
    store.add("r2", "p2", "same")  # answered again: replaces
    again = LabelStore(path)
    assert len(again) == 3
    assert again.pairs() == [("r1", "p1", True), ("r2", "p2", True)]
    assert (path.stat().st_mode & 0o777) == 0o600
    if name.endswith(".csv"):
        raw = path.read_text(encoding="utf-8-sig")
        assert "'=cmd" in raw  # a spreadsheet does not run it
    else:
        assert json.loads(path.read_text(encoding="utf-8"))["format"] == "vnlink-labels"
    assert again.undo()["record_id"] == "r2"
    assert len(LabelStore(path)) == 2
    with pytest.raises(ConfigurationError):
        again.add("r9", "p9", "yes")
    assert np.array_equal(read_decisions(path)["record_id"], np.array(["r1", "r3"], dtype=object))

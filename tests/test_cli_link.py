"""The demo, link, train and evaluate commands; user errors exit 2 with one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vnlink.cli import main


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--persons", "300", "--seed", "2", "--out", str(out),
                 "--no-progress"]) == 0
    return out


def test_demo_prints_a_summary_and_writes_files(demo_dir: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    main(["demo", "--persons", "300", "--seed", "2", "--out", str(demo_dir), "--no-progress"])
    out = capsys.readouterr().out
    for words in ("verified", "review", "unmatched", "precision", "recall", "Time:",
                  "Results written to", "results.csv", "vnlink link"):
        assert words in out
    for name in ("results.csv", "model.json", "evaluation.json", "registry.csv", "records.csv",
                 "truth.csv"):
        assert (demo_dir / name).stat().st_size > 0
    figures = json.loads((demo_dir / "evaluation.json").read_text(encoding="utf-8"))
    assert figures["f1"] > 0.9


def test_link_with_model_then_evaluate(demo_dir: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "linked.csv"
    assert main(["link", "--registry", str(demo_dir / "registry.csv"),
                 "--records", str(demo_dir / "records.csv"),
                 "--model", str(demo_dir / "model.json"), "--out", str(out),
                 "--no-progress"]) == 0
    assert "verified" in capsys.readouterr().out
    header = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("record_id,person_id,status")
    report = tmp_path / "eval.json"
    assert main(["evaluate", "--result", str(out), "--truth", str(demo_dir / "truth.csv"),
                 "--json", str(report)]) == 0
    assert "precision" in capsys.readouterr().out
    assert json.loads(report.read_text(encoding="utf-8"))["precision"] > 0.9


def test_train_then_link_parquet(demo_dir: Path, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    model = tmp_path / "m.json"
    assert main(["train", "--registry", str(demo_dir / "registry.csv"),
                 "--records", str(demo_dir / "records.csv"), "--truth",
                 str(demo_dir / "truth.csv"), "--model", str(model), "--no-progress"]) == 0
    out = tmp_path / "linked.parquet"
    assert main(["link", "--registry", str(demo_dir / "registry.csv"),
                 "--records", str(demo_dir / "records.csv"), "--model", str(model),
                 "--out", str(out), "--no-progress"]) == 0
    import pyarrow.parquet as pq

    assert pq.read_table(out).num_rows > 0


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d, t: ["link", "--registry", str(t / "missing.csv"), "--records",
                       str(d / "records.csv"), "--out", str(t / "o.csv")], "not found"),
        (lambda d, t: ["link", "--registry", str(d / "registry.csv"), "--records",
                       str(t / "latin1.csv"), "--out", str(t / "o.csv"),
                       "--model", str(d / "model.json")], "UTF-8"),
        (lambda d, t: ["link", "--registry", str(d / "registry.csv"), "--records",
                       str(d / "records.csv"), "--out", str(t / "o.csv"),
                       "--model", str(t / "bad.json")], "Linker.save"),
        (lambda d, t: ["link", "--registry", str(d / "registry.csv"), "--records",
                       str(t / "nocols.csv"), "--out", str(t / "o.csv"),
                       "--model", str(d / "model.json")], "column"),
        (lambda d, t: ["train", "--registry", str(d / "registry.csv"), "--records",
                       str(t / "nocols.csv"), "--model", str(t / "m.json")], "column"),
        (lambda d, t: ["demo", "--persons", "3", "--out", str(t / "x")], "--persons"),
    ],
    ids=["missing-file", "bad-encoding", "bad-model", "missing-columns", "bad-train",
         "bad-argument"],
)
def test_user_errors_exit_2_with_one_line(demo_dir: Path, tmp_path: Path, make: object,
                                          message: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "latin1.csv").write_bytes(b"full_name\nNguy\xeann V\xe3n\n")
    (tmp_path / "bad.json").write_text('{"format": "nope"}', encoding="utf-8")
    (tmp_path / "nocols.csv").write_text("foo,bar\n1,2\n", encoding="utf-8")
    argv = [*make(demo_dir, tmp_path), "--no-progress"]  # type: ignore[operator]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("vnlink: error:")
    assert "\n" not in err and "Traceback" not in err
    assert message in err

"""``vnlink review`` and ``vnlink apply-review`` on files, in process."""

from __future__ import annotations

from pathlib import Path

import pytest

from vnlink.cli import main
from vnlink.table import as_table


@pytest.fixture(scope="module")
def files(linkage, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cmd")
    linkage.registry.to_pandas().to_csv(folder / "registry.csv", index=False)
    linkage.records.to_pandas().to_csv(folder / "records.csv", index=False)
    linkage.linker.save(folder / "model.json")
    linkage.result.to_csv(folder / "result.csv")
    return folder


def test_review_writes_the_page(files: Path, capsys) -> None:
    out = files / "review.html"
    code = main(["review", "--result", str(files / "result.csv"), "--registry",
                 str(files / "registry.csv"), "--records", str(files / "records.csv"),
                 "--model", str(files / "model.json"), "--out", str(out), "--language", "en"])
    assert code == 0
    said = capsys.readouterr()
    n_review = int((as_table(files / "result.csv")["status"] == "review").sum())
    assert said.out.startswith(f"{n_review:,} records to review")
    assert "warning" not in said.err
    html = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "Export CSV" in html


def test_apply_review_checks_its_arguments(files: Path, capsys) -> None:
    decisions = files / "d.csv"
    decisions.write_text("record_id,decision,person_id,candidates,note,decided_at\n"
                         "nobody,different,,P1,,\n", encoding="utf-8")
    args = ["apply-review", "--result", str(files / "result.csv"), "--decisions",
            str(decisions)]
    assert main([*args, "--out", str(files / "result.csv")]) == 2
    assert "must be a new file" in capsys.readouterr().err
    assert main([*args, "--out", str(files / "applied.csv")]) == 2
    err = capsys.readouterr().err
    assert "not in the result" in err and "nobody" not in err

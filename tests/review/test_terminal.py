"""``vnlink label`` in a pseudo-terminal: real prompts, real answers, saved after each one."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from vnlink.review import LabelStore

pexpect = pytest.importorskip("pexpect")

PROMPT = re.escape("(same person? y/n/u/back/finish): ")
PAIR = re.compile(r"bản ghi (\S+)  ↔  người (\S+)")


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("label")
    cli = [sys.executable, "-m", "vnlink.cli"]
    subprocess.run([*cli, "generate", "--persons", "800", "--seed", "5", "--profile", "heavy",
                    "--no-parquet", "--no-progress", "--out", str(folder)], check=True,
                   capture_output=True)
    subprocess.run([*cli, "train", "--registry", str(folder / "registry.csv"), "--records",
                    str(folder / "records.csv"), "--model", str(folder / "model.json"),
                    "--no-progress"], check=True, capture_output=True)
    return folder


def _spawn(folder: Path, labels: Path, *extra: str) -> pexpect.spawn:
    args = ["-m", "vnlink.cli", "label", "--registry", str(folder / "registry.csv"),
            "--records", str(folder / "records.csv"), "--model", str(folder / "model.json"),
            "--labels", str(labels), *extra]
    return pexpect.spawn(sys.executable, args, encoding="utf-8", timeout=60,
                         dimensions=(50, 160))


def _next_pair(child: pexpect.spawn) -> tuple[str, str]:
    child.expect(PAIR)
    pair = (child.match.group(1), child.match.group(2))
    child.expect(PROMPT)
    return pair


def test_label_answer_back_and_resume(files: Path) -> None:
    labels = files / "labels.csv"
    child = _spawn(files, labels, "--model-out", str(files / "corrected.json"))
    first = _next_pair(child)
    child.sendline("y")
    child.expect("đã lưu")
    assert LabelStore(labels).pairs() == [(*first, True)]  # saved before the next question
    second = _next_pair(child)
    child.sendline("maybe")
    child.expect("trả lời y, n, u, b hoặc f")
    child.expect(PROMPT)
    child.sendline("n")
    child.expect("đã lưu")
    _next_pair(child)
    child.sendline("b")
    child.expect("đã bỏ câu trả lời trước")
    assert _next_pair(child) == second  # asked again
    child.sendline("u")
    child.expect("đã lưu")
    _next_pair(child)
    child.sendline("f")
    child.expect("xong: 2 câu trả lời")
    child.expect("model corrected by")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    rows = LabelStore(labels).to_dicts()
    assert [(r["record_id"], r["decision"]) for r in rows] == [(first[0], "same"),
                                                               (second[0], "unsure")]
    assert (files / "corrected.json").exists()

    # resume: the labels are read back, those pairs are not asked again, EOF finishes
    child = _spawn(files, labels)
    child.expect("tiếp tục: đã có 2 nhãn")
    third = _next_pair(child)
    assert third not in (first, second)
    child.sendline("n")
    child.expect("đã lưu")
    _next_pair(child)
    child.sendeof()
    child.expect("xong: 1 câu trả lời")
    child.expect(pexpect.EOF)
    child.close()
    assert len(LabelStore(labels)) == 3
    assert LabelStore(labels).pairs()[-1] == (*third, False)


def test_the_pair_shows_both_sides_with_differences_marked(files: Path) -> None:
    child = _spawn(files, files / "other.json")
    child.expect(PAIR)
    child.expect(PROMPT)
    screen = child.before
    for label in ("Họ tên", "Ngày sinh", "Giới tính", "Số giấy tờ", "Điện thoại", "Địa chỉ"):
        assert label in screen
    assert "≠" in screen or "=" in screen
    child.sendline("f")
    child.expect(pexpect.EOF)
    child.close()

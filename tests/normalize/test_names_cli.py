"""``vnlink normalize-name``."""

from __future__ import annotations

import json

import pytest

from vnlink.cli import main


def test_prints_every_part(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["normalize-name", "Trần thị thuỷ"]) == 0
    out = capsys.readouterr().out
    assert "Trần Thị Thủy" in out
    assert "tran thi thuy" in out
    assert "CAN THI THUY" in out
    assert "sex hint    F" in out


def test_json_and_junk(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["normalize-name", "--json", "Lê Văn Tám", "N/A"]) == 1
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0]["given"] == "Tám" and lines[0]["sex_hint"] == "M"
    assert lines[1]["name"] is None and lines[1]["problems"] == ["name:junk"]

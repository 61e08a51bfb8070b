"""``vnlink check-id``: output and exit status."""

from __future__ import annotations

import pytest

from vnlink.cli import main


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["check-id", *argv])
    return status, capsys.readouterr().out


def test_valid_cccd(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = _run(["015 1 90 001234"], capsys)
    assert status == 0
    assert "kind:       cccd" in out
    assert "province:   015 Yên Bái (since 2025: Lào Cai, code 15)" in out
    assert "sex:        F" in out and "birth year: 1990" in out
    assert "conflicts" not in out


def test_conflicts(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = _run(["001099012345", "--dob", "1998", "--sex", "Nữ"], capsys)
    assert status == 1
    assert "conflicts:  id:birth_year_conflict, id:sex_conflict" in out
    status, out = _run(["001099012345", "--dob", "12/10/1999", "--sex", "Nam"], capsys)
    assert status == 0 and "conflicts:  -" in out


def test_other_kinds(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = _run(["230123456", "--dob", "1990"], capsys)
    assert status == 0
    assert "cmnd9" in out and "issued by:  Gia Lai" in out and "not checkable" in out
    status, out = _run(["DN4797912345678"], capsys)
    assert status == 0 and "bhxh:       7912345670" not in out and "7912345678" in out
    status, out = _run(["CMND 001099012345"], capsys)
    assert status == 0 and "cmnd12" in out


def test_invalid(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = _run(["003099012345"], capsys)
    assert status == 1 and "valid:      no" in out and "id:invalid_province" in out
    status, out = _run(["hello"], capsys)
    assert status == 1 and "kind:       unknown" in out

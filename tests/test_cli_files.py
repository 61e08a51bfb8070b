"""The ``vnlink`` command on files a clerk touches, run as a real subprocess (issue 17)."""

from __future__ import annotations

import csv
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from vnlink.commands.generate import write_csv
from vnlink.datasets import synthetic_linkage

VNLINK = shutil.which("vnlink", path=str(Path(sys.executable).parent)) or "vnlink"


def run(*args: str, preexec: Callable[[], None] | None = None,
        stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    return subprocess.run(
        [VNLINK, *args], capture_output=True, text=True, timeout=300, env=env,
        preexec_fn=preexec, input=None if stdin is None else stdin.decode(),
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("cli_files")
    registry, records, _ = synthetic_linkage(200, seed=5)
    paths = {"registry": write_csv(registry, folder / "registry.csv"),
             "records": write_csv(records, folder / "records.csv")}
    model = folder / "model.json"
    done = run("train", "--registry", str(paths["registry"]), "--records",
               str(paths["records"]), "--model", str(model))
    assert done.returncode == 0, done.stderr
    paths["model"] = model
    return paths


def link(files: dict[str, Path], records: Path | str, out: Path | str,
         *extra: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return run("link", "--registry", str(files["registry"]), "--records", str(records),
               "--model", str(files["model"]), "--out", str(out), *extra,
               **kwargs)  # type: ignore[arg-type]


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("vnlink: error:")]
    assert len(errors) == 1 and lines[-1] == errors[0], done.stderr
    return errors[0]


def test_out_equal_to_an_input_is_refused_and_the_input_kept(files: dict[str, Path],
                                                             tmp_path: Path) -> None:
    records = tmp_path / "records.csv"
    shutil.copy(files["records"], records)
    before = records.read_bytes()
    err = one_line_error(link(files, records, records, "--force"))
    assert "also an input" in err
    assert records.read_bytes() == before
    # the same file through another spelling of the path
    err = one_line_error(link(files, records, tmp_path / "." / "records.csv", "--force"))
    assert "also an input" in err
    # train --model cannot replace an input either
    err = one_line_error(run("train", "--registry", str(files["registry"]), "--records",
                             str(records), "--model", str(records)))
    assert ".json" in err


def test_existing_output_needs_force(files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "result.csv"
    out.write_text("keep me\n", encoding="utf-8")
    err = one_line_error(link(files, files["records"], out))
    assert "exists" in err and "--force" in err
    assert out.read_text(encoding="utf-8") == "keep me\n"
    done = link(files, files["records"], out, "--force")
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8-sig").startswith("record_id")


def test_output_folder_checked_before_work(files: dict[str, Path], tmp_path: Path) -> None:
    err = one_line_error(link(files, files["records"], tmp_path / "no" / "such" / "out.csv"))
    assert "folder" in err


def _limit_file_size() -> None:
    # a full disk: writes past 64 KiB fail with EFBIG (SIGXFSZ ignored, so no kill)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def test_full_disk_leaves_the_old_file_intact(files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "result.csv"
    out.write_text("old results\n", encoding="utf-8")
    big = tmp_path / "many.csv"
    with files["records"].open(encoding="utf-8") as source:
        rows = list(csv.reader(source))
    with big.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(rows[0])
        for copy in range(6):
            writer.writerows([[f"{r[0]}-{copy}", *r[1:]] for r in rows[1:]])
    done = link(files, big, out, "--force", preexec=_limit_file_size)
    one_line_error(done)
    assert out.read_text(encoding="utf-8") == "old results\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_formula_cells_are_neutralized(files: dict[str, Path], tmp_path: Path) -> None:
    records = tmp_path / "formula.csv"
    with files["records"].open(encoding="utf-8") as source:
        rows = list(csv.reader(source))
    header = rows[0]
    at = header.index("record_id")
    payloads = ['=HYPERLINK("http://x","y")', "@SUM(A1)", "+1", "-2", "\tx"]
    for row, payload in zip(rows[1:], payloads, strict=False):
        row[at] = payload + row[at]
    with records.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    out = tmp_path / "out.csv"
    assert link(files, records, out).returncode == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        ids = [row["record_id"] for row in csv.DictReader(handle)]
    for payload, written in zip(payloads, ids, strict=False):
        assert written.startswith("'" + payload), written
    raw = tmp_path / "raw.csv"
    assert link(files, records, raw, "--no-formula-guard").returncode == 0
    with raw.open(encoding="utf-8-sig", newline="") as handle:
        assert next(csv.DictReader(handle))["record_id"].startswith("=HYPERLINK")


def test_results_and_models_are_private(files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    assert link(files, files["records"], out).returncode == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert stat.S_IMODE(files["model"].stat().st_mode) == 0o600


def _records_text(files: dict[str, Path]) -> str:
    return files["records"].read_text(encoding="utf-8")


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def _cp1258(text: str) -> bytes:
    """``text`` as cp1258 writes Vietnamese: â ê ô ă ơ ư đ precomposed, tone marks combining."""
    import unicodedata

    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258", errors="replace")


def test_cp1258_file_needs_encoding(files: dict[str, Path], tmp_path: Path) -> None:
    records = tmp_path / "cp1258.csv"
    records.write_bytes(_cp1258(_records_text(files)))
    err = one_line_error(link(files, records, tmp_path / "o.csv"))
    assert "cp1258.csv" in err and "--encoding cp1258" in err
    done = link(files, records, tmp_path / "o.csv", "--encoding", "cp1258")
    assert done.returncode == 0, done.stderr
    same = tmp_path / "same-in-utf8.csv"
    same.write_text(records.read_bytes().decode("cp1258"), encoding="utf-8")
    plain = link(files, same, tmp_path / "p.csv")
    assert plain.returncode == 0
    # the same verdicts as the same text in UTF-8
    assert done.stdout.split("->")[0] == plain.stdout.split("->")[0]


def test_utf16_and_bom_detected(files: dict[str, Path], tmp_path: Path) -> None:
    expected = link(files, files["records"], tmp_path / "p.csv").stdout.split("->")[0]
    for name, data in [("u16.csv", _records_text(files).encode("utf-16")),
                       ("bom.csv", b"\xef\xbb\xbf" + _records_text(files).encode())]:
        records = tmp_path / name
        records.write_bytes(data)
        done = link(files, records, tmp_path / f"o-{name}")
        assert done.returncode == 0, done.stderr
        assert done.stdout.split("->")[0] == expected


def test_headerless_file_error_names_row_and_column_not_data(files: dict[str, Path],
                                                             tmp_path: Path) -> None:
    lines = _records_text(files).splitlines()
    records = tmp_path / "noheader.csv"
    records.write_text("\n".join(lines[1:]) + "\n", encoding="utf-8")
    err = one_line_error(link(files, records, tmp_path / "o.csv"))
    assert "row 1" in err and "column" in err
    for cell in next(csv.reader([lines[1]])):
        if len(cell) > 3:
            assert cell not in err


def test_oversized_field_is_a_clean_error(files: dict[str, Path], tmp_path: Path) -> None:
    records = tmp_path / "huge.csv"
    lines = _records_text(files).splitlines()
    records.write_text(lines[0] + "\n" + '"' + "x" * 1_100_000 + '"\n', encoding="utf-8")
    err = one_line_error(link(files, records, tmp_path / "o.csv"))
    assert "line 2" in err and "1,048,576" in err


def test_xlsx_in_and_out(files: dict[str, Path], tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    with files["records"].open(encoding="utf-8") as source:
        for row in csv.reader(source):
            sheet.append(row)
    records = tmp_path / "records.xlsx"
    book.save(records)
    out = tmp_path / "result.xlsx"
    done = link(files, records, out)
    assert done.returncode == 0, done.stderr
    expected = link(files, files["records"], tmp_path / "p.csv").stdout.split("->")[0]
    assert done.stdout.split("->")[0] == expected
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    result = openpyxl.load_workbook(out, read_only=True)
    rows = list(result.worksheets[0].iter_rows())
    header = [c.value for c in rows[0]]
    ids = [r[header.index("record_id")] for r in rows[1:]]
    assert all(c.data_type == "s" and c.number_format == "@" for c in ids)
    with files["records"].open(encoding="utf-8") as source:
        assert [c.value for c in ids] == [r["record_id"] for r in csv.DictReader(source)]
    result.close()


def test_stdin_and_stdout(files: dict[str, Path]) -> None:
    data = files["records"].read_bytes()
    done = run("link", "--registry", str(files["registry"]), "--records", "-",
               "--model", str(files["model"]), "--out", "-", stdin=data)
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(done.stdout.splitlines()))
    assert rows[0][0] == "record_id"
    assert len(rows) - 1 == len(data.decode().splitlines()) - 1
    assert "records:" in done.stderr  # the summary and the mapping go to stderr


def test_broken_pipe_is_quiet(files: dict[str, Path]) -> None:
    command = (f"{VNLINK} link --registry {files['registry']} --records {files['records']} "
               f"--model {files['model']} --out - | head -n 1")
    done = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True,
                          text=True, timeout=300)
    assert done.stdout.startswith("record_id")
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


def test_schema_mapping_is_printed_and_gaps_warned(files: dict[str, Path],
                                                   tmp_path: Path) -> None:
    done = link(files, files["records"], tmp_path / "o.csv")
    assert "records: name <- 'full_name'" in done.stderr
    registry = tmp_path / "split.csv"
    registry.write_text("Họ,Tên đệm,Tên,Năm sinh\nNguyễn,Văn,An,1985\nLê,Thị,Hoa,1990\n",
                        encoding="utf-8")
    records = tmp_path / "split-records.csv"
    records.write_text("Họ,Tên đệm,Tên,Năm sinh\nNguyen,Van,An,1985\n", encoding="utf-8")
    done = run("link", "--registry", str(registry), "--records", str(records),
               "--out", str(tmp_path / "split-out.csv"), "--no-progress")
    assert "name <- 'Họ' + 'Tên đệm' + 'Tên', dob <- 'Năm sinh'" in done.stderr
    assert "no column found for sex, id_number, phone, address" in done.stderr


def test_schema_maps_new_headers_onto_a_saved_model(files: dict[str, Path],
                                                    tmp_path: Path) -> None:
    text = _records_text(files).splitlines()
    header = text[0].replace("full_name", "Họ và tên khách").replace("dob", "NS")
    records = tmp_path / "renamed.csv"
    records.write_text("\n".join([header, *text[1:]]) + "\n", encoding="utf-8")
    import json

    model = json.loads(files["model"].read_text(encoding="utf-8"))
    schema = dict(model["records_schema"], name="Họ và tên khách", dob="NS")
    schema_file = tmp_path / "schema.json"
    schema_file.write_text(json.dumps({"registry": model["registry_schema"],
                                       "records": schema}), encoding="utf-8")
    done = link(files, records, tmp_path / "o.csv", "--schema", str(schema_file))
    assert done.returncode == 0, done.stderr
    expected = link(files, files["records"], tmp_path / "p.csv").stdout.split("->")[0]
    assert done.stdout.split("->")[0] == expected
    assert "name <- 'Họ và tên khách'" in done.stderr
    # without --schema the renamed headers are guessed, and the lost fields are named
    done = link(files, records, tmp_path / "q.csv")
    assert "the model compares dob, name but no column is mapped to it" in done.stderr


def test_no_progress_bar_when_stderr_is_not_a_terminal(files: dict[str, Path],
                                                       tmp_path: Path) -> None:
    done = link(files, files["records"], tmp_path / "o.csv")
    assert "stage" not in done.stderr and "\r" not in done.stderr
    done = link(files, files["records"], tmp_path / "o2.csv", "--progress")
    assert done.returncode == 0
    pytest.importorskip("tqdm")
    assert "stage" in done.stderr


def test_usage_errors_are_one_line(files: dict[str, Path]) -> None:
    err = one_line_error(run("link", "--records", str(files["records"])))
    assert "--registry" in err


def test_headerless_file_of_words_shows_no_names(files: dict[str, Path],
                                                 tmp_path: Path) -> None:
    records = tmp_path / "words.csv"
    records.write_text("Nguyễn Văn Bình,Nam,Hà Nội\nLê Thị Hoa,Nữ,Huế\n", encoding="utf-8")
    err = one_line_error(run("link", "--registry", str(files["registry"]), "--records",
                             str(records), "--out", str(tmp_path / "o.csv")))
    assert "3 columns" in err and "--no-header" in err
    assert "Bình" not in err and "Hà Nội" not in err


def test_unknown_output_format_refused_before_work(files: dict[str, Path],
                                                   tmp_path: Path) -> None:
    err = one_line_error(link(files, files["records"], tmp_path / "o.json"))
    assert ".csv, .xlsx or .parquet" in err
    assert "records:" not in run("link", "--registry", str(files["registry"]), "--records",
                                 str(files["records"]), "--out",
                                 str(tmp_path / "o.json")).stderr

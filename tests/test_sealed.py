"""Model and index files: one integrity hash over the whole file, limits, malformed files."""

from __future__ import annotations

import io
import json
import re
import stat
import zipfile
from pathlib import Path

import numpy as np
import pytest

from vnlink import Linker
from vnlink._sealed import (
    loads_sealed_json,
    read_sealed_json,
    read_sealed_npz,
    sealed_json_bytes,
    write_sealed_npz,
)
from vnlink.classify.io import load_model
from vnlink.datasets import synthetic_linkage
from vnlink.exceptions import ModelFormatError, OutputPathError
from vnlink.index import RegistryIndex


@pytest.fixture(scope="module")
def fitted() -> tuple[Linker, object, object]:
    registry, records, _ = synthetic_linkage(150, seed=3)
    return Linker(progress=False).fit(registry, records), registry, records


@pytest.fixture(scope="module")
def model_file(fitted: tuple[Linker, object, object],
               tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fitted[0].save(tmp_path_factory.mktemp("sealed") / "model.json")


@pytest.fixture(scope="module")
def index_file(fitted: tuple[Linker, object, object],
               tmp_path_factory: pytest.TempPathFactory) -> Path:
    linker, registry, _ = fitted
    return linker.index(registry).save(tmp_path_factory.mktemp("sealed") / "registry.vnidx")


def _bump(byte: int) -> int:
    """Another byte of the same kind (digit for digit, letter for letter): JSON stays valid."""
    ch = chr(byte)
    if ch.isdigit():
        return ord(str((int(ch) + 1) % 10))
    if ch.isalpha():
        return ord("b" if ch == "a" else "a")
    return byte


SECTIONS = ["format", "format_version", "vnlink_version", "registry_schema", "records_schema",
            "blocking", "comparisons", "classifier", "thresholds"]


@pytest.mark.parametrize("section", SECTIONS)
def test_one_byte_edit_in_any_model_section_is_refused(model_file: Path, tmp_path: Path,
                                                       section: str) -> None:
    data = bytearray(model_file.read_bytes())
    start = data.index(f'\n "{section}": '.encode()) + len(section) + 6
    at = next(i for i in range(start, len(data)) if chr(data[i]).isalnum())
    data[at] = _bump(data[at])
    edited = tmp_path / "edited.json"
    edited.write_bytes(bytes(data))
    json.loads(bytes(data))  # still valid JSON: the seal, not the parser, refuses it
    with pytest.raises(ModelFormatError, match="edited after it was saved"):
        Linker.load(edited)


def test_edit_in_spacing_or_the_seal_itself_is_refused(model_file: Path, tmp_path: Path) -> None:
    data = model_file.read_bytes()
    for changed in (data.replace(b'\n "format"', b'\n  "format"', 1),
                    re.sub(rb"sha256:(.)", lambda m: b"sha256:" + bytes([_bump(m[1][0])]),
                           data, count=1)):
        (tmp_path / "m.json").write_bytes(changed)
        with pytest.raises(ModelFormatError, match="edited"):
            Linker.load(tmp_path / "m.json")


def test_an_edit_loads_when_the_caller_opts_in(model_file: Path, tmp_path: Path) -> None:
    doc = json.loads(model_file.read_bytes())
    text = model_file.read_text(encoding="utf-8")
    old = json.dumps(doc["thresholds"]["min_margin"])
    edited = tmp_path / "m.json"
    edited.write_text(text.replace(f'"min_margin": {old}', '"min_margin": 2.5'),
                      encoding="utf-8")
    with pytest.raises(ModelFormatError):
        Linker.load(edited)
    assert Linker.load(edited, allow_edited=True).thresholds_["min_margin"] == 2.5


def test_a_model_file_without_a_seal_still_loads(fitted: tuple[Linker, object, object],
                                                 tmp_path: Path) -> None:
    linker = fitted[0]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(linker.to_dict(), ensure_ascii=False, indent=1),
                   encoding="utf-8")
    assert Linker.load(old).fingerprint_ == linker.fingerprint_
    for name in ("fellegi_sunter_v1.json", "supervised_v1.json"):
        load_model(Path(__file__).parent / "classify" / "data" / name)


def test_model_files_are_private_and_not_clobbered(fitted: tuple[Linker, object, object],
                                                   tmp_path: Path) -> None:
    path = fitted[0].save(tmp_path / "m.json")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(OutputPathError, match="exists"):
        fitted[0].save(path, overwrite=False)


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "levels deep"),
        (b'{"format": "vnlink-linker", "thresholds": ', "not valid JSON"),
        (b'{"a": Infinity}', "not valid JSON"),
        (sealed_json_bytes({"format": "vnlink-linker", "format_version": 1}),
         "malformed|bad content"),
        (sealed_json_bytes({"format": "vnlink-linker", "thresholds": 5, "blocking": "x",
                            "registry_schema": [], "records_schema": 1}), "malformed|bad"),
        (sealed_json_bytes({"format": "vnlink-linker", "thresholds": {
            "verified_threshold": 0.9, "review_threshold": 0.5, "min_margin": 1.0},
            "registry_schema": {}, "records_schema": {}, "blocking": [7],
            "comparisons": [], "classifier": {}}), "bad content|malformed|not a"),
        (b"[1, 2]", "not a vnlink linker"),
    ],
    ids=["bad-utf8", "deep", "truncated", "infinity", "missing-keys", "wrong-types",
         "wrong-items", "not-an-object"],
)
def test_every_malformed_model_file_is_a_model_format_error(tmp_path: Path, data: bytes,
                                                            match: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(data)
    with pytest.raises(ModelFormatError, match=match):
        Linker.load(path)


def test_the_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b" " * 2048)
    with pytest.raises(ModelFormatError, match="at most 1,024 bytes"):
        read_sealed_json(path, max_bytes=1024)
    with pytest.raises(ModelFormatError, match="levels deep"):
        loads_sealed_json(b'{"a": ' * 70 + b"1" + b"}" * 70)


# ---------------------------------------------------------------------------
# index files


def _rewrite_member(source: Path, target: Path, member: str, edit: int) -> None:
    """Copy the zip with one byte of ``member`` changed (CRC recomputed: a deliberate edit)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = bytearray(zin.read(info))
            if info.filename == member:
                at = len(data) + edit if edit < 0 else edit
                data[at] ^= 0x01
            zout.writestr(info, bytes(data))


def _members(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return [i.filename for i in zf.infolist() if i.filename != "integrity.npy"]


def test_one_byte_edit_in_any_index_section_is_refused(index_file: Path,
                                                       tmp_path: Path) -> None:
    members = _members(index_file)
    assert "meta.npy" in members and any(m.startswith("c:") for m in members)
    assert any(m.endswith(":vocab.npy") for m in members)
    for member in members:
        edited = tmp_path / "edited.vnidx"
        _rewrite_member(index_file, edited, member, -1)  # the last data byte
        with pytest.raises(ModelFormatError):
            RegistryIndex.load(edited)


def test_an_edited_index_loads_when_the_caller_opts_in(index_file: Path,
                                                       tmp_path: Path) -> None:
    edited = tmp_path / "edited.vnidx"
    with zipfile.ZipFile(index_file) as zf:
        vocab = next(i.filename for i in zf.infolist() if i.filename.startswith("s:")
                     and i.filename.endswith(":vocab.npy"))
    _rewrite_member(index_file, edited, vocab, -1)
    with pytest.raises(ModelFormatError, match="edited"):
        RegistryIndex.load(edited)
    assert RegistryIndex.load(edited, allow_edited=True).prepared.n_rows > 0


def test_index_written_by_numpy_savez_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "old.npz"
    np.savez(path, meta=np.frombuffer(b'{"a": 1}', np.uint8), x=np.arange(3))
    arrays = read_sealed_npz(path)
    assert arrays["x"].tolist() == [0, 1, 2]


def test_index_files_are_private(index_file: Path) -> None:
    assert stat.S_IMODE(index_file.stat().st_mode) == 0o600


def _zip_with(path: Path, name: str, data: bytes,
              compression: int = zipfile.ZIP_STORED) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as zf:
        zf.writestr(name, data)
    return path


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def test_every_malformed_index_file_is_a_model_format_error(index_file: Path,
                                                            tmp_path: Path) -> None:
    data = index_file.read_bytes()
    cases: dict[str, Path] = {}
    (tmp_path / "truncated.vnidx").write_bytes(data[: len(data) // 2])
    cases["truncated"] = tmp_path / "truncated.vnidx"
    (tmp_path / "garbage.vnidx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    cases["garbage"] = tmp_path / "garbage.vnidx"
    cases["bomb"] = _zip_with(tmp_path / "bomb.vnidx", "meta.npy", b"\x00" * 50_000_000,
                              zipfile.ZIP_DEFLATED)
    header = _npy(np.zeros(1, dtype=np.float64))
    huge = header.replace(b"(1,)", b"(10000000000000,)")
    cases["lying-shape"] = _zip_with(tmp_path / "shape.vnidx", "meta.npy", huge)
    pickled = _npy(np.zeros(1)).replace(b"'<f8'", b"'|O' ")
    cases["objects"] = _zip_with(tmp_path / "objects.vnidx", "meta.npy", pickled)
    cases["not-an-array"] = _zip_with(tmp_path / "other.vnidx", "notes.txt", b"hello")
    cases["bad-meta"] = tmp_path / "meta.vnidx"
    write_sealed_npz(cases["bad-meta"], {"meta": np.frombuffer(b"[" * 5000, np.uint8)})
    cases["meta-missing-keys"] = tmp_path / "keys.vnidx"
    write_sealed_npz(cases["meta-missing-keys"],
                     {"meta": np.frombuffer(b'{"format": "vnlink-registry-index"}', np.uint8)})
    for name, path in cases.items():
        with pytest.raises(ModelFormatError):
            RegistryIndex.load(path)
        assert name  # every case named above was checked


def test_the_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    bomb = _zip_with(tmp_path / "bomb.vnidx", "meta.npy", b"\x00" * 50_000_000,
                     zipfile.ZIP_DEFLATED)
    assert bomb.stat().st_size < 100_000
    with pytest.raises(ModelFormatError, match="expands more than"):
        read_sealed_npz(bomb)
    stored = _zip_with(tmp_path / "big.vnidx", "meta.npy", _npy(np.zeros(1000)))
    with pytest.raises(ModelFormatError, match="may hold at most 1,000"):
        read_sealed_npz(stored, max_bytes=1000)


def test_the_kept_version_1_linker_model_loads_and_links_as_before() -> None:
    data = Path(__file__).parent / "data"
    expected = json.loads((data / "linker_v1_expected.json").read_text(encoding="utf-8"))
    linker = Linker.load(data / "linker_v1.json", progress=False)  # no seal: read as before
    registry, records, _ = synthetic_linkage(expected["n_persons"], seed=expected["seed"])
    result = linker.link(registry, records)
    assert result["person_id"].tolist() == expected["person_id"]
    same = np.asarray(result["status"].tolist()) == np.asarray(expected["status"])
    assert same.mean() >= 0.995  # the 2025 communes moved 2 of 843 statuses (test_model_compat)

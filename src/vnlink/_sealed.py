"""Sealed model and index files: one integrity hash over the whole file, limits before parsing.

A **model file** (``Linker.save``) is JSON whose first key is its seal::

    {
     "integrity": "sha256:<64 hex digits>",
     "format": "vnlink-linker",
     ...

The hash is the SHA-256 of the file's bytes with those 64 digits replaced by
zeros, so every byte of the file is covered (spacing included). An **index
file** (``RegistryIndex.save``) is a zip of ``.npy`` arrays (``numpy.savez``'s
layout, stored, no pickle) with one more member, ``integrity.npy``, the
SHA-256 over every other member's name and bytes.

On loading, limits are checked before anything is parsed, then the seal,
then the content; every failure is a :class:`~vnlink.exceptions.ModelFormatError`:

==========================  ==================================================
limit                        default
==========================  ==================================================
model file size              :data:`MAX_MODEL_BYTES` (256 MiB)
JSON nesting depth           :data:`MAX_JSON_DEPTH` (64 levels)
index file, all members      :data:`MAX_INDEX_BYTES` (64 GiB uncompressed)
index file, member count     :data:`MAX_INDEX_MEMBERS` (100,000)
index member compression     at most :data:`MAX_DEFLATE_RATIO` × (stored files are 1×)
==========================  ==================================================

An edited file (seal does not match) is refused unless the caller passes
``allow_edited=True``. A file with no seal at all was written by an earlier
vnlink and is read as before (re-save it to seal it). The seal detects
accidents and edits; it is not a signature: someone who can write the file
can also recompute the hash.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "m.json"
>>> _ = write_sealed_json(path, {"format": "demo", "threshold": 0.9})
>>> read_sealed_json(path)
{'format': 'demo', 'threshold': 0.9}
>>> _ = path.write_bytes(path.read_bytes().replace(b"0.9", b"0.1"))
>>> read_sealed_json(path)
Traceback (most recent call last):
...
vnlink.exceptions.ModelFormatError: m.json was edited after it was saved ...
>>> read_sealed_json(path, allow_edited=True)
{'format': 'demo', 'threshold': 0.1}
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink._files import atomic_writer
from vnlink.exceptions import ModelFormatError, VnlinkError

__all__ = [
    "MAX_DEFLATE_RATIO",
    "MAX_INDEX_BYTES",
    "MAX_INDEX_MEMBERS",
    "MAX_JSON_DEPTH",
    "MAX_MODEL_BYTES",
    "check_json_depth",
    "loads_json",
    "loads_sealed_json",
    "model_errors",
    "read_limited",
    "read_sealed_json",
    "read_sealed_npz",
    "sealed_json_bytes",
    "write_sealed_json",
    "write_sealed_npz",
]

MAX_MODEL_BYTES = 256 * 2**20
MAX_JSON_DEPTH = 64
MAX_INDEX_BYTES = 64 * 2**30
MAX_INDEX_MEMBERS = 100_000
MAX_DEFLATE_RATIO = 200

_SEAL_KEY = "integrity"
_PREFIX = b'{\n "integrity": "sha256:'
_DIGITS = 64
_ZEROS = b"0" * _DIGITS
_SEAL_MEMBER = "integrity.npy"
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"')


# ---------------------------------------------------------------------------
# JSON


def check_json_depth(data: bytes, *, limit: int = MAX_JSON_DEPTH, name: str = "the file") -> None:
    """Raise ModelFormatError if the JSON text nests deeper than ``limit`` (before parsing).

    >>> check_json_depth(b'{"a": [[1]], "b": "[[[["}', limit=3)
    >>> check_json_depth(b"[" * 100 + b"]" * 100, limit=64)
    Traceback (most recent call last):
    ...
    vnlink.exceptions.ModelFormatError: the file nests 100 levels deep; the limit is 64 ...
    """
    bare = _STRINGS.sub(b'""', data)
    codes = np.frombuffer(bare, dtype=np.uint8)
    step = (np.isin(codes, (ord("{"), ord("["))).astype(np.int32)
            - np.isin(codes, (ord("}"), ord("]"))).astype(np.int32))
    depth = int(np.cumsum(step).max()) if len(step) else 0
    if depth > limit:
        raise ModelFormatError(
            f"{name} nests {depth} levels deep; the limit is {limit} (a vnlink file nests "
            "fewer than 10): it is not a vnlink file or it is damaged"
        )


def loads_json(data: bytes, *, name: str = "the file", max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse UTF-8 JSON bytes; every failure (bad UTF-8, depth, syntax, NaN) is ModelFormatError.

    >>> loads_json(b'{"a": 1}')
    {'a': 1}
    >>> loads_json(b'{"a": NaN}')
    Traceback (most recent call last):
    ...
    vnlink.exceptions.ModelFormatError: the file is not valid JSON (NaN is not allowed): ...
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ModelFormatError(
            f"{name} is not UTF-8 text (byte {error.start}): it is not a vnlink file "
            "or it is damaged"
        ) from None
    check_json_depth(data, limit=max_depth, name=name)

    def no_constant(value: str) -> Any:
        raise ValueError(f"{value} is not allowed")

    try:
        return json.loads(text, parse_constant=no_constant)
    except json.JSONDecodeError as error:
        raise ModelFormatError(
            f"{name} is not valid JSON ({error.msg} at line {error.lineno}): it is not a "
            "vnlink file or it is damaged"
        ) from None
    except (ValueError, RecursionError, MemoryError) as error:
        raise ModelFormatError(
            f"{name} is not valid JSON ({error}): it is not a vnlink file or it is damaged"
        ) from None


def sealed_json_bytes(doc: Mapping[str, Any]) -> bytes:
    """``doc`` as sealed JSON bytes (the seal first, then ``doc``'s keys in order)."""
    if _SEAL_KEY in doc:
        doc = {k: v for k, v in doc.items() if k != _SEAL_KEY}
    body = {_SEAL_KEY: "sha256:" + "0" * _DIGITS, **doc}
    try:
        text = json.dumps(body, ensure_ascii=False, indent=1, allow_nan=False) + "\n"
    except ValueError as error:
        raise ModelFormatError(f"the model holds a value JSON cannot store ({error})") from None
    data = text.encode("utf-8")
    assert data.startswith(_PREFIX)
    digest = hashlib.sha256(data).hexdigest().encode()
    return _PREFIX + digest + data[len(_PREFIX) + _DIGITS:]


def write_sealed_json(
    path: str | os.PathLike[str], doc: Mapping[str, Any], *, overwrite: bool = True,
) -> Path:
    """Write ``doc`` as a sealed JSON file, atomically and with mode 0600; return the path."""
    data = sealed_json_bytes(doc)
    with atomic_writer(path, binary=True, overwrite=overwrite, what="model") as handle:
        handle.write(data)
    return Path(path)


def read_limited(path: Path, limit: int, what: str) -> bytes:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise FileNotFoundError(f"no such {what} file: {path}") from None
    if size > limit:
        raise ModelFormatError(
            f"{path.name} is {size:,} bytes; a {what} file may be at most {limit:,} bytes "
            "(pass a larger max_bytes if this file is genuine)"
        )
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:  # grew while being read
        raise ModelFormatError(f"{path.name} is larger than {limit:,} bytes")
    return data


def read_sealed_json(
    path: str | os.PathLike[str],
    *,
    allow_edited: bool = False,
    max_bytes: int = MAX_MODEL_BYTES,
    what: str = "model",
) -> Any:
    """Read a JSON file written by :func:`write_sealed_json`, checking size, seal and depth.

    A file with no seal (written by an earlier vnlink) is read without the
    check. Raises ModelFormatError for a file too large, not UTF-8, nested too
    deep, not JSON, or edited (unless ``allow_edited``).
    """
    file = Path(path)
    data = read_limited(file, max_bytes, what)
    return loads_sealed_json(data, allow_edited=allow_edited, name=file.name)


def loads_sealed_json(data: bytes, *, allow_edited: bool = False, name: str = "the file") -> Any:
    """:func:`read_sealed_json` for bytes already read (the seal key is removed)."""
    sealed = data.startswith(_PREFIX)
    if sealed:
        stored = data[len(_PREFIX):len(_PREFIX) + _DIGITS]
        zeroed = _PREFIX + _ZEROS + data[len(_PREFIX) + _DIGITS:]
        actual = hashlib.sha256(zeroed).hexdigest().encode()
        if stored != actual and not allow_edited:
            raise ModelFormatError(
                f"{name} was edited after it was saved (its integrity hash does not match); "
                "save it again from vnlink, or pass allow_edited=True to load it anyway"
            )
    doc = loads_json(data, name=name)
    if sealed and isinstance(doc, dict):
        doc.pop(_SEAL_KEY, None)
    return doc


# ---------------------------------------------------------------------------
# npz (index files)


class _HashingWriter:
    """A write-only stream that feeds a hash as it passes bytes on."""

    def __init__(self, target: Any, digest: Any) -> None:
        self._target = target
        self._digest = digest

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        self._digest.update(view)
        self._target.write(view)
        return len(view)

    def flush(self) -> None:
        self._target.flush()


def _member_hash(name: str, digest_hex: str) -> bytes:
    return f"{name}\0{digest_hex}\n".encode()


def write_sealed_npz(
    path: str | os.PathLike[str], arrays: Mapping[str, NDArray[Any]], *, overwrite: bool = True,
) -> Path:
    """Write ``arrays`` as a sealed ``.npz`` file (atomically, mode 0600); return the path.

    The layout is ``numpy.savez``'s (one stored ``<key>.npy`` per array), plus
    ``integrity.npy``. Object arrays are refused (they would need pickle).
    """
    seal = hashlib.sha256()
    with atomic_writer(path, binary=True, overwrite=overwrite, what="index") as handle, \
            zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        for key in sorted(arrays):
            if key + ".npy" == _SEAL_MEMBER:  # the seal of the file the arrays came from
                continue
            value = np.asanyarray(arrays[key])
            if value.dtype.hasobject:
                raise ModelFormatError(f"cannot store object array {key!r} without pickle")
            name = key + ".npy"
            member = hashlib.sha256()
            with zf.open(name, "w", force_zip64=True) as out:
                np.lib.format.write_array(_HashingWriter(out, member), value,
                                          allow_pickle=False)
            seal.update(_member_hash(name, member.hexdigest()))
        digest = np.frombuffer(seal.hexdigest().encode(), dtype=np.uint8)
        with zf.open(_SEAL_MEMBER, "w") as out:
            np.lib.format.write_array(out, digest, allow_pickle=False)
    return Path(path)


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, member: Any) -> NDArray[Any]:
    """One ``.npy`` member, its declared size checked against its header before allocating."""
    with zf.open(info) as raw:
        stream = _HashingReader(raw, member)
        version = np.lib.format.read_magic(stream)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(stream)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(stream)
        else:
            raise ModelFormatError(f"member {info.filename} has npy version {version}")
        if dtype.hasobject:
            raise ModelFormatError(f"member {info.filename} holds objects (pickle): refused")
        count = int(np.prod(shape, dtype=np.int64)) if shape else 1
        nbytes = count * dtype.itemsize
        if count < 0 or nbytes > info.file_size:
            raise ModelFormatError(
                f"member {info.filename} declares {nbytes:,} bytes of data but holds "
                f"{info.file_size:,}: the file is damaged"
            )
        buffer = bytearray(nbytes)
        got = stream.readinto(buffer)
        if got != nbytes or stream.read(1):
            raise ModelFormatError(f"member {info.filename} has the wrong length")
    array = np.frombuffer(buffer, dtype=dtype, count=count)
    if fortran:
        return array.reshape(shape[::-1]).T
    return array.reshape(shape)


class _HashingReader:
    """A read-only stream that feeds a hash with what it reads."""

    def __init__(self, source: Any, digest: Any) -> None:
        self._source = source
        self._digest = digest

    def read(self, size: int = -1) -> bytes:
        data: bytes = self._source.read(size)
        self._digest.update(data)
        return data

    def readinto(self, buffer: bytearray) -> int:
        view = memoryview(buffer)
        done = 0
        while done < len(view):
            n = self._source.readinto(view[done:])
            if not n:
                break
            done += n
        self._digest.update(view[:done])
        return done


def read_sealed_npz(
    path: str | os.PathLike[str],
    *,
    allow_edited: bool = False,
    max_bytes: int = MAX_INDEX_BYTES,
    max_members: int = MAX_INDEX_MEMBERS,
) -> dict[str, NDArray[Any]]:
    """Read an index file written by :func:`write_sealed_npz`: key -> array.

    Limits are checked on the zip directory before anything is read; each
    member's array header is checked against the member's size before memory
    is allocated; then the seal. Without a seal (an index written by an
    earlier vnlink) the arrays are read without the check. Every failure is
    a ModelFormatError.
    """
    file = Path(path)
    if not file.exists():
        raise FileNotFoundError(f"no such index file: {file}")
    try:
        with zipfile.ZipFile(file) as zf:
            infos = zf.infolist()
            _check_members(file.name, infos, max_bytes, max_members)
            arrays: dict[str, NDArray[Any]] = {}
            seal = hashlib.sha256()
            stored: bytes | None = None
            for info in sorted(infos, key=lambda i: i.filename):
                member = hashlib.sha256()
                array = _read_member(zf, info, member)
                if info.filename == _SEAL_MEMBER:
                    stored = array.tobytes()
                    continue
                seal.update(_member_hash(info.filename, member.hexdigest()))
                arrays[info.filename[:-4]] = array
    except ModelFormatError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            TypeError, KeyError, IndexError, OverflowError, MemoryError, RuntimeError,
            NotImplementedError) as error:
        raise ModelFormatError(
            f"cannot read the index file {file.name} ({type(error).__name__}): it is damaged "
            "or not a vnlink index; write it again with RegistryIndex.save"
        ) from None
    if stored is not None and stored != seal.hexdigest().encode() and not allow_edited:
        raise ModelFormatError(
            f"{file.name} was edited after it was saved (its integrity hash does not match); "
            "write it again with RegistryIndex.save, or pass allow_edited=True to load it anyway"
        )
    return arrays


def _check_members(name: str, infos: list[zipfile.ZipInfo], max_bytes: int,
                   max_members: int) -> None:
    if len(infos) > max_members:
        raise ModelFormatError(
            f"{name} has {len(infos):,} members; an index file may have at most {max_members:,}"
        )
    total = 0
    for info in infos:
        if not info.filename.endswith(".npy") or "/" in info.filename:
            raise ModelFormatError(f"{name} holds a member that is not an array: refused")
        if info.compress_type != zipfile.ZIP_STORED and (
            info.file_size > MAX_DEFLATE_RATIO * max(info.compress_size, 1)
        ):
            raise ModelFormatError(
                f"{name}: a member expands more than {MAX_DEFLATE_RATIO} times (a zip bomb?): "
                "refused"
            )
        total += info.file_size
    if total > max_bytes:
        raise ModelFormatError(
            f"{name} holds {total:,} bytes of arrays; an index file may hold at most "
            f"{max_bytes:,} (pass a larger max_bytes if this file is genuine)"
        )


@contextlib.contextmanager
def model_errors(name: str) -> Iterator[None]:
    """Turn what malformed content raises while a model is rebuilt into ModelFormatError.

    >>> with model_errors("m.json"):
    ...     {}["thresholds"]
    Traceback (most recent call last):
    ...
    vnlink.exceptions.ModelFormatError: m.json has bad content (KeyError: 'thresholds'); ...
    """
    try:
        yield
    except VnlinkError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, ArithmeticError,
            RecursionError, MemoryError, UnicodeError) as error:
        detail = str(error)[:200]
        raise ModelFormatError(
            f"{name} has bad content ({type(error).__name__}: {detail}); save it again from vnlink"
        ) from None

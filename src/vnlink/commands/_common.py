"""What the commands share: reading tables, the ``--schema`` file, output checks, progress.

Every check a user can fail is done before the work starts and raises a
:class:`~vnlink.exceptions.VnlinkError` (one line, exit status 2).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from vnlink.exceptions import ConfigurationError, FileFormatError, SchemaError

__all__ = [
    "add_input_options",
    "add_output_options",
    "check_output_path",
    "describe_schema",
    "load_schema",
    "progress_wanted",
    "read_table",
]

_TABLE_SUFFIXES = (".csv", ".parquet", ".pq", ".txt", ".tsv", ".xlsx", ".xlsm", ".gz")

#: The fields a person record is linked on; a missing one is worth a warning.
_LINK_FIELDS = ("name", "dob", "sex", "id_number", "phone", "address")


def add_input_options(parser: argparse.ArgumentParser) -> None:
    """``--encoding``, ``--no-header``, ``--sheet`` and the progress switches."""
    parser.add_argument("--encoding", help="text encoding of the records CSV (default: UTF-8, "
                        "or what a byte-order mark says); cp1258 for older Vietnamese Windows "
                        "files")
    parser.add_argument("--registry-encoding", help="text encoding of the registry CSV "
                        "(default: UTF-8, or what a byte-order mark says)")
    parser.add_argument("--no-header", action="store_true",
                        help="CSV/xlsx inputs have no header row: columns are column_1, "
                        "column_2 … (name them in --schema)")
    parser.add_argument("--sheet", help="worksheet of .xlsx inputs (default: the first)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--progress", action="store_true", default=None,
                       help="show progress bars even when standard error is not a terminal")
    group.add_argument("--no-progress", action="store_true", help="no progress bars")


def add_output_options(parser: argparse.ArgumentParser) -> None:
    """``--force`` (replace an existing output)."""
    parser.add_argument("--force", action="store_true",
                        help="replace the output file if it exists (never an input)")


def progress_wanted(args: argparse.Namespace) -> bool:
    """Progress bars: asked for, or standard error is a terminal and not switched off."""
    if getattr(args, "no_progress", False):
        return False
    if getattr(args, "progress", None):
        return True
    return sys.stderr.isatty()


def read_table(path: str, what: str, args: argparse.Namespace | None = None) -> Any:
    """Read a CSV, Parquet or .xlsx file (``-``: CSV on standard input) into a Table."""
    from vnlink.table import as_table

    if path != "-":
        file = Path(path)
        if not file.exists():
            raise ConfigurationError(f"{what} file not found: {path}")
        if not file.name.lower().endswith(_TABLE_SUFFIXES):
            raise ConfigurationError(
                f"{what} file must be .csv, .xlsx or .parquet, got {file.name}")
    option = "registry_encoding" if what == "registry" else "encoding"
    encoding = getattr(args, option, None)
    header = not getattr(args, "no_header", False)
    sheet = getattr(args, "sheet", None)
    try:
        return as_table(path, encoding=encoding, header=header, sheet=sheet)
    except FileFormatError as error:
        if what != "registry":
            raise
        raise FileFormatError(str(error).replace("--encoding", "--registry-encoding")) from None


def check_output_path(path: str, inputs: list[str | None], *, force: bool,
                      what: str = "output") -> None:
    """Refuse an output before the work starts (see :func:`vnlink._files.check_output`)."""
    if path == "-":
        return
    from vnlink._files import check_output, load_openpyxl

    suffix = Path(path).suffix.lower()
    if what == "output":
        if suffix not in ("", ".csv", ".txt", ".xlsx", ".parquet", ".pq"):
            raise ConfigurationError(
                f"cannot write {suffix!r} files: use a .csv, .xlsx or .parquet path")
        if suffix == ".xlsx":
            load_openpyxl()  # a missing extra is said now, not after the work
        if suffix in (".parquet", ".pq"):
            try:
                import pyarrow.parquet  # noqa: F401
            except ImportError:
                raise ImportError("writing Parquet needs pyarrow: pip install "
                                  "'vnlink[parquet]'") from None
    check_output(path, overwrite=force, inputs=inputs, what=what)


def load_schema(path: str | None) -> Any:
    """The ``schema=`` argument of Linker from a JSON file (None without a file).

    The file is either one schema for both tables (``{"name": "ho_ten", ...}``)
    or ``{"registry": {...}, "records": {...}}``.
    """
    if path is None:
        return None
    from vnlink.prepare import Schema

    file = Path(path)
    if not file.exists():
        raise ConfigurationError(f"--schema file not found: {path}")
    try:
        doc = json.loads(file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as error:
        reason = error.msg if isinstance(error, json.JSONDecodeError) else type(error).__name__
        raise ConfigurationError(f"--schema {path} is not valid JSON ({reason})") from None

    def build(spec: Any) -> Any:
        if not isinstance(spec, dict):
            raise ConfigurationError("a schema is a JSON object of field -> column name")
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in spec.items()}
        try:
            return Schema(**values)
        except TypeError as error:
            raise SchemaError(f"--schema {path}: {error}") from None

    if isinstance(doc, dict) and set(doc) == {"registry", "records"}:
        return (build(doc["registry"]), build(doc["records"]))
    return build(doc)


def describe_schema(what: str, schema: Any) -> list[str]:
    """Lines saying which column each field was read from, and which fields were not found.

    >>> from vnlink.prepare import Schema
    >>> for line in describe_schema("records", Schema(name=("Họ", "Tên"), dob="Năm sinh")):
    ...     print(line)
    records: name <- 'Họ' + 'Tên', dob <- 'Năm sinh'
    vnlink: warning: records: no column found for sex, id_number, phone, address
    """
    used = schema.fields_used()
    parts = [f"{field} <- " + " + ".join(repr(c) for c in cols) for field, cols in used.items()]
    lines = [f"{what}: " + (", ".join(parts) if parts else "(no fields)")]
    missing = [f for f in _LINK_FIELDS if f not in used]
    if missing:
        lines.append(f"vnlink: warning: {what}: no column found for {', '.join(missing)}")
    return lines

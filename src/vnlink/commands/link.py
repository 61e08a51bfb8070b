"""``vnlink link``: link a file of records to a registry file with a fitted (or fresh) model.

Also holds the small helpers the ``train`` and ``evaluate`` commands share:
reading CSV/Parquet tables and a ``--schema`` JSON file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from vnlink.exceptions import ConfigurationError, SchemaError

__all__ = ["load_schema", "read_table", "register", "run"]


def read_table(path: str, what: str) -> Any:
    """Read a CSV or Parquet file into a Table, with a one-line error for a bad file."""
    from vnlink._table import as_table

    file = Path(path)
    if not file.exists():
        raise ConfigurationError(f"{what} file not found: {path}")
    if file.suffix.lower() not in (".csv", ".parquet", ".pq", ".txt", ".tsv"):
        raise ConfigurationError(f"{what} file must be .csv or .parquet, got {file.name}")
    try:
        return as_table(file)
    except UnicodeDecodeError:
        raise ConfigurationError(
            f"{what} file {file.name} is not UTF-8 text; save it as CSV UTF-8 and try again"
        ) from None


def load_schema(path: str | None) -> Any:
    """The ``schema=`` argument of Linker from a JSON file (None without a file).

    The file is either one schema for both tables (``{"name": "ho_ten", ...}``)
    or ``{"registry": {...}, "records": {...}}``.
    """
    if path is None:
        return None
    from vnlink.prepare import Schema

    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ConfigurationError(f"--schema {path} is not valid JSON ({error.msg})") from None

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


def register(subparsers: Any) -> None:
    """Add the ``link`` subcommand."""
    parser = subparsers.add_parser(
        "link",
        help="link records to a registry (CSV/Parquet in and out)",
        description="Link hand-typed records to a registry. Without --model, a model is fitted "
        "on the two files first (unsupervised). Writes one row per record.",
    )
    parser.add_argument("--registry", required=True, help="registry file (.csv or .parquet)")
    parser.add_argument("--records", required=True, help="records file (.csv or .parquet)")
    parser.add_argument("--out", required=True, help="result file (.csv or .parquet)")
    parser.add_argument("--model", help="a model saved by `vnlink train` or `vnlink demo`")
    parser.add_argument("--schema", help="JSON file naming the columns of each field")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``vnlink link``."""
    from vnlink.link import Linker

    registry = read_table(args.registry, "registry")
    records = read_table(args.records, "records")
    if args.model:
        linker = Linker.load(args.model, progress=not args.no_progress)
    else:
        linker = Linker(schema=load_schema(args.schema), progress=not args.no_progress)
        linker.fit(registry, records)
    result = linker.link(registry, records)
    path = result.write(args.out)
    counts = result.counts()
    print(f"{len(result):,} records: {counts['verified']:,} verified, {counts['review']:,} review, "
          f"{counts['unmatched']:,} unmatched -> {path}", file=sys.stdout)
    return 0

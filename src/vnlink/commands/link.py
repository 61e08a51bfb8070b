"""``vnlink link``: link a file of records to a registry file with a fitted (or fresh) model.

The paths are checked before any work: the inputs exist, the output is not
an input, does not exist (unless ``--force``) and its folder is writable.
The column mapping used for each file is printed on standard error, with a
warning for each field no column was found for.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from vnlink.commands._common import (
    add_input_options,
    add_output_options,
    check_output_path,
    describe_schema,
    load_schema,
    progress_wanted,
    read_table,
)

__all__ = ["load_schema", "read_table", "register", "resolve_schemas", "run"]


def register(subparsers: Any) -> None:
    """Add the ``link`` subcommand."""
    parser = subparsers.add_parser(
        "link",
        help="link records to a registry (CSV/xlsx/Parquet in and out)",
        description="Link hand-typed records to a registry. Without --model, a model is fitted "
        "on the two files first (unsupervised). Writes one row per record.",
    )
    parser.add_argument("--registry", required=True, help="registry file (.csv, .xlsx, "
                        ".parquet; - for standard input)")
    parser.add_argument("--records", required=True, help="records file (.csv, .xlsx, "
                        ".parquet; - for standard input)")
    parser.add_argument("--out", required=True,
                        help="result file (.csv, .xlsx or .parquet; - for standard output)")
    parser.add_argument("--model", help="a model saved by `vnlink train` or `vnlink demo`")
    parser.add_argument("--schema", help="JSON file naming the columns of each field (with "
                        "--model: maps this file's headers onto the model's fields)")
    parser.add_argument("--no-formula-guard", action="store_true",
                        help="write CSV cells starting with = + - @ as they are (by default "
                        "they get a leading ' so spreadsheets do not run them)")
    parser.add_argument("--allow-edited-model", action="store_true",
                        help="load a model file whose integrity hash does not match")
    add_input_options(parser)
    add_output_options(parser)
    parser.set_defaults(func=run)


def resolve_schemas(registry: Any, records: Any, schema_file: str | None,
                    model: Any = None) -> tuple[Any, Any]:
    """The (registry, records) schemas: from ``--schema``, the model, or guessed from headers.

    Every column named must exist (a one-line SchemaError otherwise).
    """
    from vnlink.link import guess_schema

    given = load_schema(schema_file)
    if given is not None:
        reg_schema, rec_schema = given if isinstance(given, tuple) else (given, given)
    else:
        reg_schema = _guess(guess_schema, registry, "registry",
                            None if model is None else model.registry_schema_)
        rec_schema = _guess(guess_schema, records, "records",
                            None if model is None else model.records_schema_)
    reg_schema.validate(registry)
    rec_schema.validate(records)
    return reg_schema, rec_schema


def _guess(guess_schema: Any, table: Any, what: str, preferred: Any) -> Any:
    """guess_schema, with an error that gives the column count, not the headers.

    (In a file without a header row the "headers" are a person's name and address.)
    """
    from vnlink.exceptions import SchemaError

    try:
        return guess_schema(table, preferred)
    except SchemaError:
        raise SchemaError(
            f"{what}: cannot tell which of its {len(table.column_names)} columns hold the name, "
            "date of birth, ID or phone; pass --schema (a JSON file of field -> column), or "
            "--no-header if the file has no header row"
        ) from None


def _warn_unmapped(model: Any, reg_schema: Any, rec_schema: Any) -> None:
    for what, old, new in (("registry", model.registry_schema_, reg_schema),
                           ("records", model.records_schema_, rec_schema)):
        lost = sorted(set(old.fields_used()) - set(new.fields_used()))
        if lost:
            print(f"vnlink: warning: {what}: the model compares {', '.join(lost)} but no column "
                  "is mapped to it; those comparisons read as missing", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Run ``vnlink link``."""
    from vnlink.link import Linker

    if args.registry == "-" and args.records == "-":
        raise_config("only one of --registry and --records can be - (standard input)")
    check_output_path(args.out, [args.registry, args.records, args.model, args.schema],
                      force=args.force)
    progress = progress_wanted(args)
    linker = None
    if args.model:
        linker = Linker.load(args.model, progress=progress,
                             allow_edited=args.allow_edited_model)
    registry = read_table(args.registry, "registry", args)
    records = read_table(args.records, "records", args)
    reg_schema, rec_schema = resolve_schemas(registry, records, args.schema, linker)
    for what, schema in (("registry", reg_schema), ("records", rec_schema)):
        for line in describe_schema(what, schema):
            print(line, file=sys.stderr)
    if linker is None:
        linker = Linker(schema=(reg_schema, rec_schema), progress=progress)
        linker.fit(registry, records)
    else:
        _warn_unmapped(linker, reg_schema, rec_schema)
        linker.registry_schema_, linker.records_schema_ = reg_schema, rec_schema
        linker.schema = (reg_schema, rec_schema)
    result = linker.link(registry, records)
    path = result.write(args.out, overwrite=args.force,
                        formula_guard=not args.no_formula_guard)
    counts = result.counts()
    summary = sys.stderr if args.out == "-" else sys.stdout
    print(f"{len(result):,} records: {counts['verified']:,} verified, {counts['review']:,} review, "
          f"{counts['unmatched']:,} unmatched -> {path}", file=summary)
    return 0


def raise_config(message: str) -> None:
    """Raise a ConfigurationError (one line, exit status 2)."""
    from vnlink.exceptions import ConfigurationError

    raise ConfigurationError(message)

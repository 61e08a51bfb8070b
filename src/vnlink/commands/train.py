"""``vnlink train``: fit a linkage model on a registry and records, save it as JSON."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from vnlink.commands._common import (
    add_input_options,
    add_output_options,
    check_output_path,
    describe_schema,
    progress_wanted,
    read_table,
)
from vnlink.commands.link import resolve_schemas
from vnlink.exceptions import ConfigurationError

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``train`` subcommand."""
    parser = subparsers.add_parser(
        "train",
        help="fit a model (EM, or from a truth file) and save it as JSON",
        description="Fit a linkage model. Without --truth the model is learned unsupervised "
        "(EM); with a truth file (record_id, person_id) it is counted from the labels and "
        "its thresholds are chosen for the --precision target.",
    )
    parser.add_argument("--registry", required=True, help="registry file (.csv, .xlsx, .parquet)")
    parser.add_argument("--records", required=True, help="records file (.csv, .xlsx, .parquet)")
    parser.add_argument("--model", required=True, help="where to write the model (.json)")
    parser.add_argument("--truth", help="labels: record_id, person_id ('' = not in registry)")
    parser.add_argument("--schema", help="JSON file naming the columns of each field")
    parser.add_argument("--precision", type=float, default=0.999,
                        help="precision of verified links to aim for (with --truth)")
    add_input_options(parser)
    add_output_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``vnlink train``."""
    from vnlink.link import Linker

    if not args.model.lower().endswith(".json"):
        raise ConfigurationError(f"--model must name a .json file, got {args.model}")
    check_output_path(args.model, [args.registry, args.records, args.truth, args.schema],
                      force=args.force, what="model")
    registry = read_table(args.registry, "registry", args)
    records = read_table(args.records, "records", args)
    truth = read_table(args.truth, "truth", args) if args.truth else None
    schemas = resolve_schemas(registry, records, args.schema)
    for what, schema in zip(("registry", "records"), schemas, strict=True):
        for line in describe_schema(what, schema):
            print(line, file=sys.stderr)
    linker = Linker(schema=schemas, target_precision=args.precision,
                    progress=progress_wanted(args))
    linker.fit(registry, records, truth)
    path = linker.save(args.model, overwrite=args.force)
    th = linker.thresholds_
    print(f"model written to {path} (verified at p >= {th['verified_threshold']:.4g}, "
          f"review at p >= {th['review_threshold']:.4g}; fingerprint "
          f"{linker.fingerprint_[:12]})")
    return 0

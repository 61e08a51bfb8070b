"""``vnlink train``: fit a linkage model on a registry and records, save it as JSON."""

from __future__ import annotations

import argparse
from typing import Any

from vnlink.commands.link import load_schema, read_table

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
    parser.add_argument("--registry", required=True, help="registry file (.csv or .parquet)")
    parser.add_argument("--records", required=True, help="records file (.csv or .parquet)")
    parser.add_argument("--model", required=True, help="where to write the model (.json)")
    parser.add_argument("--truth", help="labels: record_id, person_id ('' = not in registry)")
    parser.add_argument("--schema", help="JSON file naming the columns of each field")
    parser.add_argument("--precision", type=float, default=0.999,
                        help="precision of verified links to aim for (with --truth)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``vnlink train``."""
    from vnlink.link import Linker

    registry = read_table(args.registry, "registry")
    records = read_table(args.records, "records")
    truth = read_table(args.truth, "truth") if args.truth else None
    linker = Linker(schema=load_schema(args.schema), target_precision=args.precision,
                    progress=not args.no_progress)
    linker.fit(registry, records, truth)
    path = linker.save(args.model)
    th = linker.thresholds_
    print(f"model written to {path} (verified at p >= {th['verified_threshold']:.4g}, "
          f"review at p >= {th['review_threshold']:.4g}; fingerprint "
          f"{linker.fingerprint_[:12]})")
    return 0

"""``vnlink apply-review``: apply the decisions exported by the review page to a result."""

from __future__ import annotations

import argparse
from typing import Any

from vnlink.commands.link import read_table

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``apply-review`` subcommand."""
    parser = subparsers.add_parser(
        "apply-review",
        help="apply clerks' decisions (the review page's CSV) to a link result",
        description="Read the decisions CSV exported by the review page (or saved by "
        "`vnlink label`) and write the result with them applied: 'same' -> verified with the "
        "person chosen, 'different' -> unmatched, 'unsure' -> unchanged; each decided record "
        "gets a clerk_* reason and the columns review_decision and review_note.",
    )
    parser.add_argument("--result", required=True, help="output of `vnlink link`")
    parser.add_argument("--decisions", required=True, help="decisions file (.csv or .json)")
    parser.add_argument("--out", required=True, help="result file to write (.csv or .parquet)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``vnlink apply-review``."""
    from pathlib import Path

    from vnlink.exceptions import ConfigurationError
    from vnlink.results import LinkResult
    from vnlink.review import apply_review, read_decisions

    if Path(args.out).resolve() in (Path(args.result).resolve(), Path(args.decisions).resolve()):
        raise ConfigurationError("--out must be a new file, not one of the inputs")
    result = LinkResult(read_table(args.result, "result"))
    decisions = read_decisions(args.decisions)
    applied = apply_review(result, decisions)
    path = applied.write(args.out)
    counts: dict[str, int] = {}
    for d in decisions["decision"].tolist():
        counts[d] = counts.get(d, 0) + 1
    shown = ", ".join(f"{counts.get(k, 0):,} {k}" for k in ("same", "different", "unsure"))
    print(f"{len(decisions):,} decisions applied ({shown}) -> {path}")
    return 0

"""``vnlink evaluate``: precision, recall and F1 of a link result against a truth file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from vnlink.commands._common import read_table

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``evaluate`` subcommand."""
    parser = subparsers.add_parser(
        "evaluate",
        help="score a link result against the truth",
        description="Record-level precision, recall and F1 of a `vnlink link` result against a "
        "truth file (record_id, person_id with '' for people not in the registry).",
    )
    parser.add_argument("--result", required=True, help="output of `vnlink link`")
    parser.add_argument("--truth", required=True, help="truth file (.csv or .parquet)")
    parser.add_argument("--json", help="also write the figures to this JSON file")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``vnlink evaluate``."""
    from vnlink.evaluate import evaluate

    result = read_table(args.result, "result")
    truth = read_table(args.truth, "truth")
    report = evaluate(result, truth)
    print(report)
    if args.json:
        Path(args.json).write_text(json.dumps(report.to_dict(), indent=2, ensure_ascii=False),
                                   encoding="utf-8")
    return 0

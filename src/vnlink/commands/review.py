"""``vnlink review``: write the offline review page of a link result."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from vnlink.commands.link import load_schema, read_table

__all__ = ["linker_for", "register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``review`` subcommand."""
    parser = subparsers.add_parser(
        "review",
        help="write one offline HTML page for clerks to review the `review` records",
        description="Write one self-contained HTML file (no server, no network) showing each "
        "record in `review` next to its candidates, with decisions exported as CSV for "
        "`vnlink apply-review`. Without --model, the model is fitted again on the two files "
        "(as `vnlink link` does without one).",
    )
    parser.add_argument("--result", required=True, help="output of `vnlink link`")
    parser.add_argument("--registry", required=True, help="registry file (.csv or .parquet)")
    parser.add_argument("--records", required=True, help="records file (.csv or .parquet)")
    parser.add_argument("--out", required=True, help="the .html page to write")
    parser.add_argument("--model", help="the model that made the result (recommended)")
    parser.add_argument("--schema", help="JSON file naming the columns of each field")
    parser.add_argument("--top-k", type=int, default=2, help="candidates shown per record")
    parser.add_argument("--language", choices=("vi", "en"), default="vi", help="page language")
    parser.add_argument("--group-by", help="'commune', 'province' or a records column "
                        "(default: the vaccination site column when there is one)")
    parser.set_defaults(func=run)


def linker_for(args: argparse.Namespace, registry: Any, records: Any) -> Any:
    """The model of ``--model``, or one fitted on the two tables."""
    from vnlink.link import Linker

    if args.model:
        return Linker.load(args.model, progress=False)
    return Linker(schema=load_schema(getattr(args, "schema", None)),
                  progress=False).fit(registry, records)


def run(args: argparse.Namespace) -> int:
    """Run ``vnlink review``."""
    from vnlink.review import review_table, write_review_page

    result = read_table(args.result, "result")
    registry = read_table(args.registry, "registry")
    records = read_table(args.records, "records")
    linker = linker_for(args, registry, records)
    if "model_fingerprint" in result and result.n_rows:
        made_by = {str(v) for v in result["model_fingerprint"].tolist()}
        if made_by != {linker.fingerprint_}:
            print("vnlink: warning: the result was made by another model than the one used for "
                  "the page's weights; pass --model", file=sys.stderr)
    table = review_table(result, registry, records, linker, top_k=args.top_k,
                         group_by=args.group_by)
    path = write_review_page(table, args.out, language=args.language)
    print(f"{table.n_records:,} records to review ({len(table):,} candidate rows) -> {path}")
    return 0

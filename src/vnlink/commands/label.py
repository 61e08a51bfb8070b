"""``vnlink label``: label record pairs in the terminal, chosen by active learning."""

from __future__ import annotations

import argparse
from typing import Any

from vnlink.commands.link import read_table
from vnlink.commands.review import linker_for

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``label`` subcommand."""
    parser = subparsers.add_parser(
        "label",
        help="label pairs in the terminal (active learning); saves after every answer",
        description="Show the pairs whose labels would teach the model most, side by side, and "
        "ask y (same person) / n (different) / u (not sure) / b (back) / f (finish). Every "
        "answer is saved to --labels at once; run again to resume. With --model-out, the "
        "model corrected by the labels is saved.",
    )
    parser.add_argument("--registry", required=True, help="registry file (.csv or .parquet)")
    parser.add_argument("--records", required=True, help="records file (.csv or .parquet)")
    parser.add_argument("--labels", required=True, help="label file to write/resume (.csv/.json)")
    parser.add_argument("--model", help="start from this model (default: fit one, unsupervised)")
    parser.add_argument("--schema", help="JSON file naming the columns of each field")
    parser.add_argument("--model-out", help="save the model corrected by the labels here")
    parser.add_argument("--batch", type=int, default=10, help="pairs proposed per round")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``vnlink label``."""
    from vnlink.review import ActiveLearner, LabelStore, run_labeller

    registry = read_table(args.registry, "registry")
    records = read_table(args.records, "records")
    linker = linker_for(args, registry, records)
    store = LabelStore(args.labels)
    learner = ActiveLearner(linker, registry, records)
    run_labeller(learner, store, batch=args.batch)
    if args.model_out:
        path = learner.fitted_linker().save(args.model_out)
        print(f"model corrected by {learner.n_labels} labels -> {path}")
    return 0

"""``vnlink demo``: the whole job on synthetic data, explained for a newcomer.

Generates a synthetic registry and hand-typed vaccination records (with the
truth), fits the default model without labels, links every record, measures
the result against the truth, prints a summary and writes the files.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from vnlink.commands._common import progress_wanted

__all__ = ["register", "run"]

_STATUS_MEANING = {
    "verified": "linked automatically",
    "review": "a person should check these",
    "unmatched": "no confident match in the registry",
}


def register(subparsers: Any) -> None:
    """Add the ``demo`` subcommand."""
    parser = subparsers.add_parser(
        "demo",
        help="run the whole linkage on synthetic Vietnamese data and explain the result",
        description="Generate a synthetic registry and vaccination records, fit, link, "
        "evaluate against the truth, and write the results.",
    )
    parser.add_argument("--persons", type=int, default=20_000,
                        help="people in the synthetic registry (default 20,000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--out", default="vnlink-demo",
                        help="folder for the results (default ./vnlink-demo)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--progress", action="store_true", default=None,
                       help="show progress bars even when standard error is not a terminal")
    group.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.set_defaults(func=run)


def _seconds(value: float) -> str:
    return f"{value:.1f} s" if value >= 0.1 else f"{value * 1000:.0f} ms"


def run(args: argparse.Namespace) -> int:
    """Run ``vnlink demo``."""
    from vnlink.datasets import synthetic_linkage
    from vnlink.evaluate import evaluate
    from vnlink.exceptions import ConfigurationError
    from vnlink.link import Linker

    if args.persons < 50:
        raise ConfigurationError("--persons must be at least 50")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    progress = progress_wanted(args)
    started = time.perf_counter()

    t0 = time.perf_counter()
    registry, records, truth = synthetic_linkage(args.persons, seed=args.seed)
    t_generate = time.perf_counter() - t0

    linker = Linker(progress=progress)
    result = linker.fit_link(registry, records)
    t0 = time.perf_counter()
    report = evaluate(result, truth)
    t_evaluate = time.perf_counter() - t0

    results_path = result.write(out / "results.csv")
    model_path = linker.save(out / "model.json")
    eval_path = out / "evaluation.json"
    eval_path.write_text(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n",
                         encoding="utf-8")
    _write_inputs(out, registry, records, truth)
    total = time.perf_counter() - started

    n = len(result)
    counts = result.counts()
    lines = [
        "",
        f"vnlink demo: {registry.n_rows:,} people in a synthetic population registry, "
        f"{n:,} hand-typed vaccination records (seed {args.seed}).",
        f"{report.n_in_registry:,} of the records belong to someone in the registry; the rest "
        "do not.",
        "",
        "Decisions (one per record):",
    ]
    for status in ("verified", "review", "unmatched"):
        share = counts[status] / n if n else 0.0
        lines.append(f"  {status:<10}{counts[status]:>9,}  ({share:6.1%})  "
                     f"{_STATUS_MEANING[status]}")
    lines += [
        "",
        "Accuracy against the synthetic truth (record level):",
        f"  verified links           precision {report.precision_verified:.4f}   "
        f"recall {report.recall_verified:.4f}",
        f"  verified + review links  precision {report.precision:.4f}   "
        f"recall {report.recall:.4f}   F1 {report.f1:.4f}",
        "",
        "Most common reasons (what clerks would fix):",
    ]
    for code, count in list(result.reason_counts().items())[:6]:
        from vnlink.reasons import REASONS

        lines.append(f"  {count:>8,}  {code:<24} {REASONS.get(code, '')}")
    timings = {"generate data": t_generate}
    timings.update(result.timings)
    timings["evaluate"] = t_evaluate
    lines += ["", f"Time: {_seconds(total)} in all"]
    lines += [f"  {name:<24}{_seconds(value):>9}" for name, value in timings.items()]
    lines += [
        "",
        f"Results written to {out}/:",
        f"  {results_path.name:<18} one row per record: status, person_id, probability, "
        "reasons, corrections",
        f"  {model_path.name:<18} the fitted model (reuse it: vnlink link --model ...)",
        f"  {eval_path.name:<18} precision, recall, per-status and per-error-type figures",
        "  registry.csv, records.csv, truth.csv   the synthetic inputs",
        "",
        f"Next: vnlink link --registry {out}/registry.csv --records {out}/records.csv "
        f"--model {model_path} --out linked.csv",
    ]
    print("\n".join(lines))
    return 0


def _write_inputs(out: Path, registry: Any, records: Any, truth: Any) -> None:
    from vnlink.results import TableResult

    for name, table in (("registry", registry), ("records", records), ("truth", truth)):
        TableResult(table).to_csv(out / f"{name}.csv")

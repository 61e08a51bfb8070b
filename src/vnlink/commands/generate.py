"""``vnlink generate``: write a synthetic registry, vaccination records and the truth.

Writes ``registry.csv``, ``records.csv`` and ``truth.csv`` (UTF-8, ``\\n``
line ends, every field quoted only when needed) into ``--out``, and the same
tables as Parquet files when pyarrow is installed. The same ``--persons``,
``--seed`` and ``--profile`` give byte-identical CSV files on any machine.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path
from typing import Any

from vnlink.commands._common import progress_wanted

__all__ = ["register", "run", "write_csv"]

_PROFILES = ("default", "easy", "hard", "clean", "heavy")


def register(subparsers: Any) -> None:
    """Add the ``generate`` subcommand."""
    parser = subparsers.add_parser(
        "generate",
        help="write a synthetic registry, vaccination records and their truth",
        description="Generate a synthetic Vietnamese population registry and hand-typed "
        "vaccination records with the ground truth (CSV, and Parquet when pyarrow is "
        "installed).",
    )
    parser.add_argument("--persons", type=int, default=10_000,
                        help="people in the registry (default 10,000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--out", default="vnlink-synthetic",
                        help="output folder (default ./vnlink-synthetic)")
    parser.add_argument("--profile", choices=_PROFILES, default="default",
                        help="corruption rates: default (= easy), hard (a busy site, people "
                             "outside the registry, twins), clean (none) or heavy (3x easy)")
    parser.add_argument("--no-parquet", action="store_true",
                        help="write CSV only, even when pyarrow is installed")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--progress", action="store_true", default=None,
                       help="show progress bars even when standard error is not a terminal")
    group.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.set_defaults(func=run)


def write_csv(table: Any, path: str | Path) -> Path:
    """Write a :class:`~vnlink.Table` as UTF-8 CSV with ``\\n`` line ends (deterministic bytes).

    >>> import tempfile
    >>> from vnlink import Table
    >>> folder = Path(tempfile.mkdtemp())
    >>> p = write_csv(Table({"a": ["Lê, Văn", "x"], "n": [1, 2]}), folder / "t.csv")
    >>> p.read_text(encoding="utf-8")
    'a,n\\n"Lê, Văn",1\\nx,2\\n'
    """
    path = Path(path)
    columns = [table[name].tolist() for name in table.column_names]
    from vnlink._files import atomic_writer

    with atomic_writer(path, encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(table.column_names)
        writer.writerows(zip(*columns, strict=True))
    return path


def _has_pyarrow() -> bool:
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


def run(args: argparse.Namespace) -> int:
    """Run ``vnlink generate``."""
    from vnlink._progress import Stages
    from vnlink.datasets import CorruptionProfile, make_registry, make_vaccination_records
    from vnlink.exceptions import ConfigurationError

    if args.persons < 1:
        raise ConfigurationError("--persons must be at least 1")
    profile = CorruptionProfile.named("easy" if args.profile == "default" else args.profile)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    parquet = not args.no_parquet and _has_pyarrow()
    steps = ["registry", "records", "csv"] + (["parquet"] if parquet else [])
    stages = Stages(steps, progress=progress_wanted(args), desc="vnlink generate")
    try:
        with stages.stage("registry"):
            registry = make_registry(args.persons, seed=args.seed,
                                     twin_share=profile.registry_twin_share,
                                     placeholder_share=profile.registry_placeholder)
        with stages.stage("records"):
            records, truth = make_vaccination_records(registry, seed=args.seed, profile=profile)
        tables = {"registry": registry, "records": records, "truth": truth}
        written: list[Path] = []
        with stages.stage("csv"):
            for name, table in tables.items():
                written.append(write_csv(table, out / f"{name}.csv"))
        if parquet:
            import pyarrow.parquet as pq

            with stages.stage("parquet"):
                for name, table in tables.items():
                    path = out / f"{name}.parquet"
                    pq.write_table(table.to_arrow(), path)
                    written.append(path)
    finally:
        stages.close()
    n_in = int((truth["person_id"] != "").sum())
    print(
        f"vnlink generate: {registry.n_rows:,} registry people, {records.n_rows:,} records "
        f"({n_in:,} of people in the registry), seed {args.seed}, profile {args.profile}"
    )
    for path in written:
        print(f"  {path}")
    return 0

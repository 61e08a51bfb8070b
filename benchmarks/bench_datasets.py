"""Speed and memory of the synthetic data generator (vnlink.datasets).

Full: 1,000,000 registry persons and their vaccination records (target: under
60 s on one core). ``--quick``: 20,000 persons. Reports wall and CPU seconds
per stage, rows per second, the CSV writing time and peak memory.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import parse_args, peak_memory_mb, timer, write_results

from vnlink.commands.generate import write_csv
from vnlink.datasets import make_registry, make_vaccination_records


def main() -> None:
    args = parse_args(__doc__ or "")
    n = 20_000 if args.quick else 1_000_000
    cpu0 = time.process_time()
    with timer() as t_registry:
        registry = make_registry(n, seed=0)
    cpu1 = time.process_time()
    with timer() as t_records:
        records, truth = make_vaccination_records(registry, seed=0)
    cpu2 = time.process_time()
    with tempfile.TemporaryDirectory() as folder, timer() as t_csv:
        for name, table in (("registry", registry), ("records", records), ("truth", truth)):
            write_csv(table, Path(folder) / f"{name}.csv")
    generate = t_registry["seconds"] + t_records["seconds"]
    figures = {
        "persons": n,
        "records": records.n_rows,
        "registry_seconds": t_registry["seconds"],
        "records_seconds": t_records["seconds"],
        "generate_seconds": generate,
        "generate_cpu_seconds": cpu2 - cpu0,
        "registry_cpu_seconds": cpu1 - cpu0,
        "records_cpu_seconds": cpu2 - cpu1,
        "persons_per_second": n / generate,
        "records_per_second": records.n_rows / t_records["seconds"],
        "csv_seconds": t_csv["seconds"],
        "under_60s_wall": bool(generate < 60.0),
        "under_60s_cpu": bool(cpu2 - cpu0 < 60.0),
        "peak_memory_mb": peak_memory_mb(),
    }
    write_results("datasets", args.quick, figures)


if __name__ == "__main__":
    main()

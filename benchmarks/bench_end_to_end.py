"""End to end on hard synthetic data: registry + records -> fit + link -> evaluate, by size.

For each registry size (default 20,000 / 100,000 / 200,000 / 1,000,000;
``--quick``: 3,000) the script makes a registry and its vaccination records
with ``synthetic_linkage(n, profile="hard")`` (about 2.2 records per person,
10% of them people outside the registry), links every record with a default
``Linker`` (``fit_link``: unsupervised EM, then link) and reports:

- record-level F1, precision and recall at the linker's thresholds, of all
  links (verified and review) and of ``verified`` links alone;
- the recall ceiling: the share of records of registry people whose true
  person is the best candidate, whatever the score;
- pairs completeness (the share of those records whose true person is among
  the candidates) and candidates per record;
- the review share (records in ``review``), verified links that are wrong:
  of people outside the registry, of the same household (twins, relatives)
  and others;
- seconds per stage (``LinkResult.timings``) and peak resident memory: up to the end
  of fit+link (``peak_memory_mb``: the inputs, prepared tables, pairs and result), and
  of the whole run with the evaluation after it (``peak_memory_run_mb``).

Each size runs in a fresh process so that its peak memory is its own. ``--n-jobs 2``
prepares the tables in two processes and compares pairs in two threads
(``Linker(n_jobs=2)``; the largest worker's peak is reported too).
``--rules hard`` links with :func:`vnlink.blocking.extra_rules.hard_default_rules`
instead of the default rules; ``--profile easy`` uses the gentle profile.

When Splink is installed (a benchmark-only comparison, never a vnlink
dependency: ``pip install splink``) it links the same records at 20,000 and
200,000 (``--splink-sizes``) with DuckDB and a generic setup: the columns
vnlink prepared (folded name parts, date parts, sex, ID, phone, commune,
district), Jaro-Winkler on the names, exact elsewhere, blocking on
ID, phone, date of birth, first+last name and name with birth year, u by
random sampling and EM; a record links to its best pair at probability >= 0.5.

    python benchmarks/bench_end_to_end.py --quick
    flock /tmp/vnlink-bench.lock python benchmarks/bench_end_to_end.py --sizes 20000 200000
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import peak_memory_mb, write_results

HERE = Path(__file__).resolve()


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one small size for CI (seconds)")
    parser.add_argument("--sizes", type=int, nargs="*", help="registry sizes to run")
    parser.add_argument("--profile", default="hard", choices=("hard", "easy"))
    parser.add_argument("--rules", default="hard", choices=("default", "hard"),
                        help="hard: the Linker's default rules (hard_default_rules); "
                        "default: the first round's default_rules()")
    parser.add_argument("--splink-sizes", type=int, nargs="*", default=None,
                        help="sizes at which Splink runs too, if installed (default 20000 200000)")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--eras", type=int, metavar="N",
                        help="compare address eras at registry size N: records all in the 2021 "
                        "form, mixed (the profile's 30%% in the 2025 form), all 2025, and the "
                        "registry itself in the 2025 form; adds eras_* figures to the file")
    parser.add_argument("--address-2025", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--registry-2025", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--n-jobs", type=int, default=None,
                        help="Linker(n_jobs=...): processes to prepare tables in (-1: all CPUs)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the figures of other sizes already in the results file")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # run one size, print JSON
    parser.add_argument("--splink", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def _true_person(truth: Any) -> np.ndarray:
    return np.asarray(truth["person_id"], dtype=object)


def run_size(n: int, profile: str, rules: str, seed: int, splink: bool,
             n_jobs: int | None = None, address_2025: float | None = None,
             registry_2025: bool = False) -> dict[str, Any]:
    from vnlink.datasets import CorruptionProfile, synthetic_linkage
    from vnlink.datasets._places import registry_2025 as in_2025_form
    from vnlink.evaluate import evaluate
    from vnlink.link import Linker

    out: dict[str, Any] = {}
    t0 = time.perf_counter()
    chosen: Any = profile
    if address_2025 is not None:  # the share of records written in the 2025 form
        base = CorruptionProfile.hard() if profile == "hard" else CorruptionProfile.easy()
        chosen = dataclasses.replace(base, address_2025_units=address_2025)
    registry, records, truth = synthetic_linkage(n, seed=seed, profile=chosen)
    if registry_2025:
        registry = in_2025_form(registry)
    out["generate_s"] = round(time.perf_counter() - t0, 2)
    out["registry_rows"] = registry.n_rows
    out["records"] = records.n_rows
    gc.collect()
    kwargs: dict[str, Any] = {"progress": False, "n_jobs": n_jobs}
    if rules == "default":  # the eight rules of the first round (the Linker's default is hard)
        from vnlink.blocking import default_rules

        kwargs["blocking"] = default_rules()
    linker = Linker(**kwargs)
    t0, c0 = time.perf_counter(), time.process_time()
    result = linker.fit_link(registry, records)
    out["fit_plus_link_s"] = round(time.perf_counter() - t0, 2)
    out["fit_plus_link_cpu_s"] = round(time.process_time() - c0, 2)
    # the peak up to here: inputs, prepared tables, pairs and the result (no evaluation yet)
    out["peak_memory_mb"] = round(peak_memory_mb(), 1)
    for stage, seconds in result.timings.items():
        out[f"stage_{stage.replace(' ', '_')}_s"] = round(seconds, 2)
    # the candidate pairs again, for pairs completeness (the prepared tables are reused)
    left = linker.prepare(registry, "registry")
    seen = {"left_ids": np.asarray(left["record_id"], dtype=object),
            "pairs": linker.pipeline.block(left, linker.prepare(records, "records"))}
    out["pairs"] = result.n_pairs
    out["candidates_per_record"] = round(result.n_pairs / max(records.n_rows, 1), 2)

    ev = evaluate(result, truth)
    out.update({
        "f1": round(ev.f1, 5), "precision": round(ev.precision, 5), "recall": round(ev.recall, 5),
        "f1_verified": round(ev.f1_verified, 5),
        "precision_verified": round(ev.precision_verified, 5),
        "recall_verified": round(ev.recall_verified, 5),
    })
    table = result.table
    true = _true_person(truth)
    best = np.asarray(table["person_id"], dtype=object)
    status = np.asarray(table["status"], dtype=object)
    inside = true != ""
    out["recall_ceiling"] = round(float((best[inside] == true[inside]).mean()), 5)
    out["review_share"] = round(float((status == "review").mean()), 5)
    out["unmatched_share"] = round(float((status == "unmatched").mean()), 5)

    # pairs completeness: the true person among the record's candidates
    pairs = seen["pairs"]
    order = np.argsort(seen["left_ids"])
    row_of = seen["left_ids"][order]
    wanted = true[inside]
    pos = np.minimum(np.searchsorted(row_of, wanted), len(row_of) - 1)
    true_left = order[pos]
    rows = np.flatnonzero(inside)
    width = np.int64(registry.n_rows + 1)
    found = np.isin(rows * width + true_left,
                    pairs.right.astype(np.int64) * width + pairs.left.astype(np.int64))
    out["pairs_completeness"] = round(float(found.mean()), 5)
    out["records_without_candidates"] = int((table["n_candidates"] == 0).sum())
    out["true_without_candidates"] = int((np.asarray(table["n_candidates"])[rows] == 0).sum())

    # wrong verified links: outsiders, same household (twins, relatives), others
    household = dict(zip(registry["person_id"].tolist(), registry["household_id"].tolist(),
                         strict=True))
    wrong = (status == "verified") & (best != true)
    outsider = wrong & ~inside
    same_home = np.array([
        w and t != "" and household.get(b) == household.get(t)
        for w, b, t in zip(wrong.tolist(), best.tolist(), true.tolist(), strict=True)
    ], dtype=bool)
    out["verified_wrong_outsider"] = int(outsider.sum())
    out["verified_wrong_same_household"] = int(same_home.sum())
    out["verified_wrong_other"] = int(wrong.sum() - outsider.sum() - same_home.sum())
    out["verified"] = int((status == "verified").sum())
    seen.clear()
    del linker, result, pairs, table
    gc.collect()
    out["peak_memory_run_mb"] = round(peak_memory_mb(), 1)  # with the evaluation after it
    worker = peak_memory_mb(children=True)  # the largest prepare worker (shared pages too)
    if n_jobs not in (None, 1) and worker > 0:
        out["peak_memory_worker_mb"] = round(worker, 1)
    if splink:
        try:
            out.update(run_splink(registry, records, truth))
        except Exception as error:  # a comparison only: never lose vnlink's figures to it
            out["splink_error"] = f"{type(error).__name__}: {error}"[:300]
    return out


def run_splink(registry: Any, records: Any, truth: Any) -> dict[str, Any]:
    """Splink 5 (DuckDB) on the same tables; empty when Splink is not installed."""
    try:
        import pandas as pd
        import splink.comparison_library as cl
        from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    except ImportError:
        return {}
    from vnlink.datasets import records_schema, registry_schema
    from vnlink.prepare import prepare

    columns = ("family", "middle", "given", "dob_year", "dob_month", "dob_day", "sex", "id",
               "phone", "district", "ward")

    def frame(table: Any, schema: Any, source: str) -> Any:
        prepared = prepare(table, schema)
        data = {"unique_id": np.asarray(prepared["record_id"], dtype=object)}
        for c in columns:
            values = np.asarray(prepared[c])
            if values.dtype.kind in "iu":
                data[c] = np.where(values == 0, None, values.astype(object))
            else:
                data[c] = np.where(values == "", None, values.astype(object))
        df = pd.DataFrame(data)
        df["source_dataset"] = source
        return df

    t0 = time.perf_counter()
    left = frame(registry, registry_schema(), "registry")
    right = frame(records, records_schema(), "records")
    prepare_s = time.perf_counter() - t0
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("given", [0.92, 0.8]),
            cl.JaroWinklerAtThresholds("family", [0.92]),
            cl.JaroWinklerAtThresholds("middle", [0.9]),
            cl.ExactMatch("dob_year"), cl.ExactMatch("dob_month"), cl.ExactMatch("dob_day"),
            cl.ExactMatch("sex"), cl.ExactMatch("id"), cl.ExactMatch("phone"),
            cl.ExactMatch("ward"), cl.ExactMatch("district"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("id"), block_on("phone"),
            block_on("dob_year", "dob_month", "dob_day"),
            block_on("family", "given"),
            block_on("given", "dob_year"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    t0 = time.perf_counter()
    db_api = DuckDBAPI()
    dfs = [db_api.register(left, dataset_display_name="registry"),
           db_api.register(right, dataset_display_name="records")]
    linker = Linker(dfs, settings, log_level=None)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
    for rule in (block_on("id"), block_on("dob_year", "dob_month", "dob_day"), block_on("phone")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    predictions = linker.inference.predict(threshold_match_probability=0.01).as_pandas_dataframe()
    seconds = time.perf_counter() - t0
    # the record's best registry pair (the right-hand ids are the records')
    left_col, right_col = "unique_id_l", "unique_id_r"
    if predictions[left_col].astype(str).str.startswith("R").any():
        left_col, right_col = right_col, left_col
    best = predictions.sort_values("match_probability", ascending=False).drop_duplicates(right_col)
    best = best[best["match_probability"] >= 0.5]
    linked = dict(zip(best[right_col].astype(str), best[left_col].astype(str), strict=True))
    record_ids = np.asarray(truth["record_id"], dtype=object)
    true = _true_person(truth)
    predicted = np.array([linked.get(r, "") for r in record_ids.tolist()], dtype=object)
    made = predicted != ""
    correct = made & (predicted == true)
    n_true = int((true != "").sum())
    precision = correct.sum() / made.sum() if made.any() else 0.0
    recall = correct.sum() / n_true if n_true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "splink_f1": round(float(f1), 5), "splink_precision": round(float(precision), 5),
        "splink_recall": round(float(recall), 5), "splink_seconds": round(seconds, 1),
        "splink_prepare_s": round(prepare_s, 1),
        "splink_peak_memory_mb": round(peak_memory_mb(), 1),
    }


def _in_subprocess(n: int, args: argparse.Namespace, splink: bool) -> dict[str, Any]:
    command = [sys.executable, str(HERE), "--one", str(n), "--profile", args.profile,
               "--rules", args.rules, "--seed", str(args.seed)]
    if args.n_jobs is not None:
        command += ["--n-jobs", str(args.n_jobs)]
    if args.address_2025 is not None:
        command += ["--address-2025", str(args.address_2025)]
    if args.registry_2025:
        command.append("--registry-2025")
    if splink:
        command.append("--splink")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-3:]
        return {"error": " | ".join(tail) or f"exit {done.returncode}"}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def compare_eras(args: argparse.Namespace) -> None:
    """F1 at one size with the records' addresses in one era, in both, and with the
    registry in the 2025 form; the figures are added to the results file."""
    n = args.eras
    name = "end_to_end-quick.json" if args.quick else "end_to_end.json"
    results = HERE.parent / "results" / name
    figures: dict[str, Any] = {}
    if results.exists():
        figures.update(json.loads(results.read_text(encoding="utf-8"))["figures"])
    runs = [("records_2021", 0.0, False), ("records_mixed", None, False),
            ("records_2025", 1.0, False), ("registry_2025_records_mixed", None, True)]
    for label, share, new_registry in runs:
        run_args = argparse.Namespace(**{**vars(args), "address_2025": share,
                                         "registry_2025": new_registry})
        got = _in_subprocess(n, run_args, False)
        if "error" in got:
            print(f"eras {label}: failed: {got['error']}", flush=True)
            continue
        for key in ("f1", "precision", "recall", "recall_ceiling", "pairs_completeness",
                    "review_share"):
            figures[f"eras_n{n}_{label}_{key}"] = got[key]
        print(f"eras at {n:,}, {label}: F1 {got['f1']:.4f}, precision {got['precision']:.4f}, "
              f"recall {got['recall']:.4f}, completeness {got['pairs_completeness']:.4f}",
              flush=True)
    write_results("end_to_end", args.quick, figures)


def _splink_installed() -> bool:
    try:
        import splink  # noqa: F401
    except ImportError:
        return False
    return True


def main() -> None:
    args = _args()
    if args.one is not None:
        got = run_size(args.one, args.profile, args.rules, args.seed, args.splink, args.n_jobs,
                       args.address_2025, args.registry_2025)
        print(json.dumps(got))
        return
    if args.eras:
        compare_eras(args)
        return
    sizes = args.sizes or ([3_000] if args.quick else [20_000, 100_000, 200_000, 1_000_000])
    splink_sizes = set(args.splink_sizes if args.splink_sizes is not None else
                       ([] if args.quick else [20_000, 200_000]))
    has_splink = _splink_installed()
    figures: dict[str, Any] = {}
    name = "end_to_end-quick.json" if args.quick else "end_to_end.json"
    results = HERE.parent / "results" / name
    if args.keep and results.exists():
        figures.update(json.loads(results.read_text(encoding="utf-8"))["figures"])
    figures.update({"profile": args.profile, "rules": args.rules, "splink_installed": has_splink,
                    "n_jobs": args.n_jobs or 1})
    if has_splink:
        from importlib.metadata import version

        figures["splink_version"] = version("splink")
    for n in sizes:
        for key in [k for k in figures if k.startswith(f"n{n}_")]:
            del figures[key]
        got = _in_subprocess(n, args, has_splink and n in splink_sizes)
        for key, value in got.items():
            figures[f"n{n}_{key}"] = value
        if "error" in got:
            print(f"registry {n:,}: failed: {got['error']}", flush=True)
            continue
        splink = f", Splink F1 {got['splink_f1']:.4f}" if "splink_f1" in got else ""
        print(f"registry {n:,} ({got['records']:,} records): F1 {got['f1']:.4f}, precision "
              f"{got['precision']:.4f}, recall {got['recall']:.4f}, ceiling "
              f"{got['recall_ceiling']:.4f}, completeness {got['pairs_completeness']:.4f}, "
              f"verified precision {got['precision_verified']:.4f}, review "
              f"{got['review_share']:.3f}, fit+link {got['fit_plus_link_s']:.1f} s, "
              f"peak {got['peak_memory_mb']:,.0f} MB{splink}", flush=True)
    write_results("end_to_end", args.quick, figures)


if __name__ == "__main__":
    main()

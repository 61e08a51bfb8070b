"""Speed of the field normalizers: IDs, phones, dates of birth and sex, in bulk.

For each field, 1,000,000 realistic values (--quick: 50,000) as a hand-typed
vaccination table would hold them: mostly clean, some with separators, lost
leading zeros, old phone prefixes, other date formats, junk and blanks.
Reports values per second of the bulk function, by the wall clock and by the
process's CPU time (the two differ on a shared machine; target >= 300,000/s
per field on one core), and the share of values parsed as valid.

Then the columns of hard synthetic vaccination records
(``synthetic_linkage(n, profile="hard")``, 100,000 people's ~217,000
records; --quick: 20,000 people): records per CPU second of each
normalizer (names, dates, IDs, phones) on the real mix of repeats and
mistakes, and of the whole ``prepare`` (addresses included; target 60,000
messy records/s overall), once and again with the normalizers' caches warm.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import parse_args, peak_memory_mb, timer, write_results

from vnlink.normalize.dates import parse_dates
from vnlink.normalize.ids import parse_ids
from vnlink.normalize.ids._tables import provinces
from vnlink.normalize.phone import parse_phones
from vnlink.normalize.sex import normalize_sexes


def _mix(rng: np.random.Generator, n: int, parts: list[tuple[float, list[object]]]) -> list[object]:
    """Shuffle together parts given as (share, values of length n)."""
    choice = rng.choice(len(parts), size=n, p=[share for share, _ in parts])
    out: list[object] = [None] * n
    for k, (_share, values) in enumerate(parts):
        for i in np.flatnonzero(choice == k).tolist():
            out[i] = values[i]
    return out


def make_ids(rng: np.random.Generator, n: int) -> list[object]:
    codes = np.array(sorted(provinces()))
    province = codes[rng.integers(0, len(codes), n)]
    year = rng.integers(1925, 2021, n)
    g = (year - 1900) // 100 * 2 + rng.integers(0, 2, n)
    serial = rng.integers(0, 1_000_000, n)
    cccd = [f"{p}{d}{y % 100:02d}{s:06d}" for p, d, y, s in zip(province, g, year, serial,
                                                                strict=True)]
    cmnd = [f"{rng_prefix:02d}{s:07d}" for rng_prefix, s in zip(
        rng.integers(1, 39, n), rng.integers(0, 10_000_000, n), strict=True)]
    spaced = [f"{c[:3]} {c[3:6]} {c[6:]}" for c in cccd]
    as_int = [int(c) for c in cccd]
    bhyt = [f"DN4{c[1:3]}{c[2:]}" for c in cccd]
    junk = ["", "không có", "0", "123456789", "x"] * (n // 5 + 1)
    return _mix(rng, n, [(0.70, cccd), (0.08, spaced), (0.12, cmnd), (0.04, as_int),
                         (0.01, bhyt), (0.05, junk)])


def make_phones(rng: np.random.Generator, n: int) -> list[object]:
    prefixes = np.array(["032", "033", "034", "035", "036", "037", "038", "039", "070", "076",
                         "077", "078", "079", "081", "082", "083", "084", "085", "086", "088",
                         "090", "091", "093", "094", "096", "097", "098", "056", "058", "092"])
    prefix = prefixes[rng.integers(0, len(prefixes), n)]
    rest = rng.integers(0, 10_000_000, n)
    clean = [f"{p}{r:07d}" for p, r in zip(prefix, rest, strict=True)]
    dotted = [f"{c[:4]}.{c[4:7]}.{c[7:]}" for c in clean]
    spaced = [f"{c[:4]} {c[4:7]} {c[7:]}" for c in clean]
    plus = [f"+84{c[1:]}" for c in clean]
    lost = [c[1:] for c in clean]
    old = [f"0168{r:07d}" for r in rest]
    landline = [f"024 3{r:07d}" for r in rest]
    junk = ["", "không có", "0", "0123456789", "x"] * (n // 5 + 1)
    return _mix(rng, n, [(0.60, clean), (0.08, dotted), (0.08, spaced), (0.08, plus),
                         (0.04, lost), (0.05, old), (0.03, landline), (0.04, junk)])


def make_dates(rng: np.random.Generator, n: int) -> list[object]:
    start = np.datetime64("1925-01-01")
    days = start + rng.integers(0, 96 * 365, n).astype("timedelta64[D]")
    iso = np.datetime_as_string(days).tolist()
    dmy = [f"{s[8:]}/{s[5:7]}/{s[:4]}" for s in iso]
    short = [f"{int(s[8:])}/{int(s[5:7])}/{s[:4]}" for s in iso]
    year_only = [s[:4] for s in iso]
    jan1 = [f"01/01/{s[:4]}" for s in iso]
    junk = ["", "không rõ", "31/04/1990", "00/00/1960", "?"] * (n // 5 + 1)
    return _mix(rng, n, [(0.65, dmy), (0.10, short), (0.10, iso), (0.05, year_only),
                         (0.05, jan1), (0.05, junk)])


def make_sexes(rng: np.random.Generator, n: int) -> list[object]:
    forms = np.array(["Nam", "Nữ", "nam", "nữ", "NAM", "NỮ", "Nu", "M", "F", "", "Khác"],
                     dtype=object)
    weights = np.array([30, 30, 8, 8, 5, 5, 5, 3, 3, 2, 1], dtype=float)
    return forms[rng.choice(len(forms), size=n, p=weights / weights.sum())].tolist()


def main() -> None:
    args = parse_args(__doc__.splitlines()[0])
    n = 50_000 if args.quick else 1_000_000
    rng = np.random.default_rng(2021)
    figures: dict[str, object] = {"n_values": n}
    fields = [
        ("ids", make_ids, parse_ids, "id_valid"),
        ("phones", make_phones, parse_phones, "phone_valid"),
        ("dates", make_dates, parse_dates, None),
        ("sexes", make_sexes, normalize_sexes, None),
    ]
    for name, make, func, valid_column in fields:
        values = make(rng, n)
        cpu = time.process_time()
        with timer() as t:
            result = func(values)
        cpu = time.process_time() - cpu
        figures[f"{name}_values_per_s"] = round(n / t["seconds"])
        figures[f"{name}_values_per_cpu_s"] = round(n / max(cpu, 1e-9))
        figures[f"{name}_seconds"] = round(t["seconds"], 3)
        if valid_column is not None:
            assert isinstance(result, dict)
            figures[f"{name}_valid_share"] = round(float(np.mean(result[valid_column])), 4)
        elif isinstance(result, dict):
            figures[f"{name}_known_share"] = round(
                float(np.mean(result["dob_precision"] != "none")), 4
            )
        else:
            figures[f"{name}_known_share"] = round(float(np.mean(result != "")), 4)
    figures.update(_hard_records(20_000 if args.quick else 100_000))
    figures["peak_memory_mb"] = round(peak_memory_mb(), 1)
    write_results("fields", args.quick, figures)


def _hard_records(n_persons: int) -> dict[str, object]:
    """Records per CPU second of each normalizer and of prepare on hard synthetic records."""
    from vnlink.datasets import records_schema, synthetic_linkage
    from vnlink.normalize.names import parse_names
    from vnlink.prepare import prepare

    _, records, _ = synthetic_linkage(n_persons, seed=5, profile="hard")
    n = records.n_rows
    prepare(records.take(np.arange(200)), records_schema())  # load the gazetteer and tables
    out: dict[str, object] = {"hard_records": n}
    for name, func, column in (
        ("names", parse_names, "full_name"), ("dates", parse_dates, "dob"),
        ("ids", parse_ids, "id_number"), ("phones", parse_phones, "phone"),
    ):
        cpu = time.process_time()
        func(records[column])
        out[f"hard_{name}_records_per_cpu_s"] = round(n / max(time.process_time() - cpu, 1e-9))
    cpu = time.process_time()
    with timer() as t:
        prepare(records, records_schema())
    out["hard_prepare_records_per_cpu_s"] = round(n / max(time.process_time() - cpu, 1e-9))
    out["hard_prepare_records_per_s"] = round(n / t["seconds"])
    cpu = time.process_time()  # again: the normalizers' caches are warm
    prepare(records, records_schema())
    out["hard_prepare_again_records_per_cpu_s"] = round(
        n / max(time.process_time() - cpu, 1e-9)
    )
    return out


if __name__ == "__main__":
    main()

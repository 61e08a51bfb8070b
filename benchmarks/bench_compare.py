"""Comparison stage: pairs per second of the default set, and how well each level separates.

Two data sources:

- ``synthetic``: prepared-shape registry and record tables built here with numpy
  (names from vnlink's name tables, controlled corruption) and candidate pairs
  drawn from blocking-like groups (same given name and birth year, same family
  and given name, same date of birth, same phonetic name and province), one
  true pair per record when the person is in the registry. Used for the speed
  figure on 5,000,000 pairs.
- ``pipeline``: ``vnlink.datasets.synthetic_linkage`` -> ``vnlink.prepare`` ->
  ``vnlink.blocking.candidate_pairs`` when those stages are importable; used
  for a second table of level shares on the project's own synthetic data.

For each comparison and level: the share among true pairs (m) and among false
pairs (u); a level whose m and u are alike separates nothing.

Run: ``python benchmarks/bench_compare.py [--quick]``.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import parse_args, peak_memory_mb, timer, write_results

from vnlink.compare import ComparisonSet, ComparisonVectors, default_comparisons
from vnlink.compare.address import StreetComparison
from vnlink.table import Table

# ---------------------------------------------------------------------------------------
# prepared-shape synthetic data


def _fold(values: list[str]) -> list[str]:
    try:
        from vnlink.normalize.text import fold

        return [fold(v) for v in values]
    except ImportError:  # pragma: no cover - fallback while the normalizer is absent
        from unidecode import unidecode

        return [unidecode(v.replace("đ", "d").replace("Đ", "D")).lower() for v in values]


def _keys(values: list[str]) -> list[str]:
    try:
        from vnlink.normalize.phonetic import phonetic_key

        return [phonetic_key(v) or "" for v in values]
    except ImportError:  # pragma: no cover
        return [v.replace("gi", "d").replace("r", "d").replace("tr", "ch") for v in values]


def _pools() -> dict[str, Any]:
    try:
        from vnlink.datasets import names

        fam = names.surnames()
        return {
            "family": ([n.split("/")[0] for n in fam.names], fam.weights),
            "middle_M": (list(names.middle_names("M").names), names.middle_names("M").weights),
            "middle_F": (list(names.middle_names("F").names), names.middle_names("F").weights),
            "given_M": (
                list(names.given_names("M", "traditional").names),
                names.given_names("M", "traditional").weights,
            ),
            "given_F": (
                list(names.given_names("F", "traditional").names),
                names.given_names("F", "traditional").weights,
            ),
        }
    except (ImportError, AttributeError, OSError):  # pragma: no cover
        flat = np.ones(4) / 4
        return {
            "family": (["Nguyễn", "Trần", "Lê", "Khổng"], np.array([0.6, 0.2, 0.15, 0.05])),
            "middle_M": (["Hữu", "Đức", "Quốc", "Minh"], flat),
            "middle_F": (["Ngọc", "Thu", "Thanh", "Kim"], flat),
            "given_M": (["An", "Bình", "Hùng", "Tuấn"], flat),
            "given_F": (["Lan", "Hoa", "Nguyệt", "Trang"], flat),
        }


def _draw(rng: np.random.Generator, pool: tuple[list[str], Any], n: int) -> np.ndarray:
    names, weights = pool
    w = np.asarray(weights, dtype=np.float64)
    idx = rng.choice(len(names), size=n, p=w / w.sum())
    return np.asarray(names, dtype=object)[idx]


def _digits(rng: np.random.Generator, n: int, width: int) -> np.ndarray:
    d = rng.integers(0, 10, size=(n, width), dtype=np.uint8) + ord("0")
    return np.array(d.view(f"S{width}").reshape(n).astype(str), dtype=object)


def _people(rng: np.random.Generator, n: int, pools: dict[str, Any]) -> dict[str, np.ndarray]:
    sex = np.where(rng.random(n) < 0.5, "M", "F").astype(object)
    male = sex == "M"
    family = _draw(rng, pools["family"], n)
    middle = np.where(male, _draw(rng, pools["middle_M"], n), _draw(rng, pools["middle_F"], n))
    marker = rng.random(n)
    middle = np.where(male & (marker < 0.35), "Văn", middle)
    middle = np.where(~male & (marker < 0.6), "Thị", middle)
    middle = np.where(rng.random(n) < 0.04, "", middle)
    given = np.where(male, _draw(rng, pools["given_M"], n), _draw(rng, pools["given_F"], n))
    year = rng.integers(1940, 2016, n)
    month = rng.integers(1, 13, n)
    day = rng.integers(1, 29, n)
    ward = rng.integers(0, 10_000, n)
    return {
        "sex": sex,
        "family": family.astype(object),
        "middle": middle.astype(object),
        "given": given.astype(object),
        "year": year,
        "month": month,
        "day": day,
        "cccd": _cccd(rng, year, sex),
        "cmnd9": _digits(rng, n, 9),
        "phone": np.array(["09" + s for s in _digits(rng, n, 8)], dtype=object),
        "ward": ward,
        "street": np.array(
            [f"so {a} ngo {b} duong {c}" for a, b, c in zip(
                rng.integers(1, 200, n), rng.integers(1, 60, n), rng.integers(1, 400, n),
                strict=True)],
            dtype=object,
        ),
    }


def _cccd(rng: np.random.Generator, year: np.ndarray, sex: np.ndarray) -> np.ndarray:
    n = len(year)
    province = rng.integers(1, 97, n)
    century = (year - 1900) // 100
    g = century * 2 + (sex == "F")
    rest = _digits(rng, n, 6)
    return np.array(
        [f"{p:03d}{gg}{y % 100:02d}{r}"
         for p, gg, y, r in zip(province, g, year, rest, strict=True)],
        dtype=object,
    )


def _typo(rng: np.random.Generator, word: str) -> str:
    if len(word) < 2:
        return word + "h"
    i = int(rng.integers(0, len(word)))
    kind = int(rng.integers(0, 3))
    if kind == 0:
        return word[:i] + word[i + 1 :] if len(word) > 2 else word + "h"
    if kind == 1:
        return word[:i] + "aeiounhgtc"[int(rng.integers(0, 10))] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


_DIALECT = (("Tr", "Ch"), ("Ch", "Tr"), ("D", "Gi"), ("Gi", "D"), ("S", "X"), ("X", "S"),
            ("R", "D"), ("V", "D"))


def _dialect(word: str) -> str:
    for a, b in _DIALECT:
        if word.startswith(a):
            return b + word[len(a):]
    if word.endswith("nh"):
        return word[:-2] + "n"
    if word.endswith("n"):
        return word + "g"
    return word


def _strip(text: str) -> str:
    from unicodedata import combining, normalize

    text = normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return normalize("NFC", "".join(c for c in text if not combining(c)))


def _name_columns(display: list[str], family: list[str], middle: list[str],
                  given: list[str]) -> dict[str, np.ndarray]:
    def obj(values: list[str]) -> np.ndarray:
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out

    uniq: dict[str, int] = {}
    for v in display:
        uniq.setdefault(v, len(uniq))
    udisp = list(uniq)
    ufold = _fold(udisp)
    ukey = _keys(udisp)
    code = np.fromiter((uniq[v] for v in display), np.int64, len(display))
    parts = {}
    for label, values in (("family", family), ("middle", middle), ("given", given)):
        u: dict[str, int] = {}
        for v in values:
            u.setdefault(v, len(u))
        folded = obj(_fold(list(u)))
        parts[label] = folded[np.fromiter((u[v] for v in values), np.int64, len(values))]
    gk: dict[str, int] = {}
    for v in given:
        gk.setdefault(v, len(gk))
    given_key = obj(_keys(list(gk)))[np.fromiter((gk[v] for v in given), np.int64, len(given))]
    return {
        "name": obj(udisp)[code],
        "name_fold": obj(ufold)[code],
        "family": parts["family"],
        "middle": parts["middle"],
        "given": parts["given"],
        "name_key": obj(ukey)[code],
        "given_key": given_key,
    }


def _address(ward: np.ndarray, era_2021: np.ndarray, era_2025: np.ndarray) -> dict[str, np.ndarray]:
    district = ward // 15
    province = district // 11
    def codes(values: np.ndarray, width: int, keep: np.ndarray) -> np.ndarray:
        out = np.array([f"{v:0{width}d}" for v in values], dtype=object)
        out[~keep] = ""
        return out
    return {
        "province": codes(province, 2, era_2021),
        "district": codes(district, 3, era_2021),
        "ward": codes(ward, 5, era_2021),
        "province_2025": codes(province // 2, 2, era_2025),
        "ward_2025": codes(ward // 3, 5, era_2025),
    }


def _table(people: dict[str, np.ndarray], rows: np.ndarray, rng: np.random.Generator,
           corrupt: bool) -> Table:
    n = len(rows)
    p = {k: v[rows] for k, v in people.items()}
    family = p["family"].tolist()
    middle = p["middle"].tolist()
    given = p["given"].tolist()
    order_swapped = np.zeros(n, dtype=bool)
    if corrupt:
        u = rng.random(n)
        for i in np.flatnonzero(u < 0.06):
            given[i] = _typo(rng, given[i])
        for i in np.flatnonzero((u >= 0.06) & (u < 0.09)):
            family[i] = _typo(rng, family[i])
        for i in np.flatnonzero((u >= 0.09) & (u < 0.13)):
            middle[i] = ""
        for i in np.flatnonzero((u >= 0.13) & (u < 0.16)):
            given[i] = _dialect(given[i])
        order_swapped = (u >= 0.16) & (u < 0.18)
    display = []
    for i in range(n):
        words = [family[i], middle[i], given[i]]
        if order_swapped[i]:
            words = [given[i], family[i], middle[i]]
        display.append(" ".join(w for w in words if w))
    if corrupt:
        strip = rng.random(n) < 0.4
        display = [_strip(d) if s else d for d, s in zip(display, strip, strict=True)]
    # parts as a parser reads them: first word = family, last = given, the rest = middle
    words = [d.split() for d in display]
    family = [w[0] if w else "" for w in words]
    given = [w[-1] if len(w) > 1 else "" for w in words]
    middle = [" ".join(w[1:-1]) for w in words]
    columns: dict[str, np.ndarray] = _name_columns(display, family, middle, given)

    year, month, day = p["year"].copy(), p["month"].copy(), p["day"].copy()
    precision = np.full(n, "day", dtype=object)
    flags = np.full(n, "", dtype=object)
    u = rng.random(n)
    if corrupt:
        swap = (u < 0.04) & (day <= 12) & (day != month)
        month[swap], day[swap] = day[swap], month[swap]
        shift = (u >= 0.04) & (u < 0.07)
        day[shift] = np.clip(day[shift] + rng.choice([-2, -1, 1, 2], shift.sum()), 1, 28)
        year[(u >= 0.07) & (u < 0.10)] += rng.choice([-1, 1], ((u >= 0.07) & (u < 0.10)).sum())
        gone = (u >= 0.10) & (u < 0.13)
        year[gone] = month[gone] = day[gone] = 0
        other = (u >= 0.13) & (u < 0.15)
        month[other] = rng.integers(1, 13, other.sum())
        day[other] = rng.integers(1, 29, other.sum())
    else:
        year_only = u < 0.03
        month[year_only] = day[year_only] = 0
        precision[year_only] = "year"
        placeholder = (u >= 0.03) & (u < 0.06)
        month[placeholder] = day[placeholder] = 1
        flags[placeholder] = "possibly_year_only"
    precision[year == 0] = "none"
    columns.update({
        "dob_year": year.astype(np.int16),
        "dob_month": month.astype(np.int8),
        "dob_day": day.astype(np.int8),
        "dob_precision": precision,
        "dob_flags": flags,
    })

    sex = p["sex"].copy()
    u = rng.random(n)
    if corrupt:
        sex[u < 0.06] = ""
        sex[(u >= 0.06) & (u < 0.07)] = np.where(sex[(u >= 0.06) & (u < 0.07)] == "M", "F", "M")
    columns["sex"] = sex

    cccd, cmnd9 = p["cccd"].copy(), p["cmnd9"].copy()
    u = rng.random(n)
    if corrupt:
        has_id = u < 0.8
        use_cmnd = rng.random(n) < 0.25
        cccd[~has_id | use_cmnd] = ""
        cmnd9[~has_id | ~use_cmnd] = ""
        v = rng.random(n)
        for arr in (cccd, cmnd9):
            for i in np.flatnonzero((v < 0.03) & (arr != "")):
                s = arr[i]
                j = int(rng.integers(0, len(s)))
                arr[i] = s[:j] + str((int(s[j]) + 1) % 10) + s[j + 1 :]
            for i in np.flatnonzero((v >= 0.03) & (v < 0.05) & (arr != "")):
                s = arr[i]
                j = int(rng.integers(3, len(s) - 1))
                if s[j] != s[j + 1]:
                    arr[i] = s[:j] + s[j + 1] + s[j] + s[j + 2 :]
    else:
        cccd[u < 0.15] = ""
        cmnd9[rng.random(n) < 0.6] = ""
    kind = np.where(cccd != "", "cccd", np.where(cmnd9 != "", "cmnd9", "")).astype(object)
    birth = np.where(cccd != "", p["year"], 0).astype(np.int16)
    columns.update({
        "id_kind": kind,
        "id": np.where(cccd != "", cccd, cmnd9).astype(object),
        "id_cccd": cccd,
        "id_cmnd9": cmnd9,
        "id_valid": kind != "",
        "id_birth_year": birth,
        "id_sex": np.where(cccd != "", p["sex"], "").astype(object),
    })

    phone = p["phone"].copy()
    u = rng.random(n)
    if corrupt:
        phone[u < 0.3] = ""
        changed = (u >= 0.3) & (u < 0.42)
        phone[changed] = np.array(["09" + s for s in _digits(rng, int(changed.sum()), 8)])
        for i in np.flatnonzero((u >= 0.42) & (u < 0.45)):
            s = phone[i]
            j = int(rng.integers(2, len(s)))
            phone[i] = s[:j] + str((int(s[j]) + 3) % 10) + s[j + 1 :]
    else:
        phone[u < 0.35] = ""
    columns["phone"] = phone

    ward = p["ward"].copy()
    u = rng.random(n)
    if corrupt:
        moved = u < 0.08
        ward[moved] = (ward[moved] // 15) * 15 + rng.integers(0, 15, moved.sum())
        far = (u >= 0.08) & (u < 0.12)
        ward[far] = rng.integers(0, 10_000, far.sum())
        era21 = np.ones(n, dtype=bool)
        era25 = np.ones(n, dtype=bool)
    else:
        era21 = u >= 0.5  # half the registry is a 2025 extract: new codes only
        era25 = np.ones(n, dtype=bool)
    columns.update(_address(ward, era21, era25))
    street = p["street"].copy()
    if corrupt:
        u = rng.random(n)
        street[u < 0.3] = ""
        for i in np.flatnonzero((u >= 0.3) & (u < 0.45)):
            street[i] = street[i].replace("so ", "").replace("duong ", "")
    columns["street"] = street
    return Table(columns)


def synthetic(n_registry: int, n_records: int, per_record: int, seed: int = 0
              ) -> tuple[Table, Table, np.ndarray, np.ndarray, np.ndarray]:
    """Registry, records, pair indices (left = registry) and the truth of each pair."""
    rng = np.random.default_rng(seed)
    pools = _pools()
    n_outside = n_records // 7
    people = _people(rng, n_registry + n_outside, pools)
    registry = _table(people, np.arange(n_registry), rng, corrupt=False)
    in_registry = rng.choice(n_registry, n_records - n_outside, replace=False)
    person_of_record = np.concatenate([in_registry, n_registry + np.arange(n_outside)])
    rng.shuffle(person_of_record)
    records = _table(people, person_of_record, rng, corrupt=True)

    # false candidates from blocking-like groups of the registry
    keys = [
        ("given", "dob_year"),
        ("family", "given"),
        ("dob_year", "dob_month", "dob_day"),
        ("name_key", "province_2025"),
    ]
    n_false = per_record - 1
    lefts, rights = [], []
    for j in range(n_false):
        cols = keys[j % len(keys)]
        reg_key = _group_key(registry, cols)
        rec_key = _group_key(records, cols, reference=registry)
        order = np.argsort(reg_key, kind="stable")
        sorted_keys = reg_key[order]
        start = np.searchsorted(sorted_keys, rec_key, side="left")
        stop = np.searchsorted(sorted_keys, rec_key, side="right")
        size = stop - start
        pick = start + (rng.random(n_records) * np.maximum(size, 1)).astype(np.int64)
        left = np.where(size > 0, order[np.minimum(pick, n_registry - 1)],
                        rng.integers(0, n_registry, n_records))
        lefts.append(left)
        rights.append(np.arange(n_records))
    # the true pair of each record whose person is in the registry
    inside = np.flatnonzero(person_of_record < n_registry)
    lefts.append(person_of_record[inside])
    rights.append(inside)
    left_idx = np.concatenate(lefts).astype(np.int64)
    right_idx = np.concatenate(rights).astype(np.int64)
    _, first = np.unique(right_idx * np.int64(n_registry) + left_idx, return_index=True)
    left_idx, right_idx = left_idx[first], right_idx[first]  # no duplicate pairs
    is_match = left_idx == person_of_record[right_idx]
    return registry, records, left_idx, right_idx, is_match


def _group_key(table: Table, cols: tuple[str, ...], reference: Table | None = None) -> np.ndarray:
    parts = []
    for c in cols:
        values = table[c]
        if values.dtype == object:
            values = np.array([hash(v) for v in values.tolist()], dtype=np.int64)
        parts.append(values.astype(np.int64))
    key = np.zeros(len(parts[0]), dtype=np.int64)
    for part in parts:
        key = key * np.int64(1_000_003) + part
    return key


# ---------------------------------------------------------------------------------------
# pipeline data (the project's own synthetic generator, prepare and blocking)


def pipeline(n_persons: int, seed: int = 0) -> tuple[Table, Table, Any, np.ndarray] | None:
    try:
        from vnlink.blocking import candidate_pairs
        from vnlink.datasets import records_schema, registry_schema, synthetic_linkage
        from vnlink.prepare import prepare
    except ImportError:
        return None
    try:
        registry, records, truth = synthetic_linkage(n_persons, seed=seed)
        left = prepare(registry, registry_schema())
        right = prepare(records, records_schema())
        pairs = candidate_pairs(None, left, right)
    except Exception as error:  # the stages are still being written: report and go on
        print(f"pipeline data unavailable: {type(error).__name__}: {error}")
        return None
    person = np.asarray(registry["person_id"], dtype=object)
    truth_person = dict(zip(truth["record_id"].tolist(), truth["person_id"].tolist(), strict=True))
    record_person = np.array(
        [truth_person.get(r, "") for r in records["record_id"].tolist()], dtype=object
    )
    matched = record_person[pairs.right]
    is_match = (person[pairs.left] == matched) & (matched != "")
    return left, right, pairs, is_match


# ---------------------------------------------------------------------------------------


def level_table(vectors: ComparisonVectors, is_match: np.ndarray) -> dict[str, Any]:
    """Per comparison and level: share among matches (m), non-matches (u), and m/u."""
    out: dict[str, Any] = {}
    n_m, n_u = max(1, int(is_match.sum())), max(1, int((~is_match).sum()))
    for j, name in enumerate(vectors.names):
        labels = ("missing", *vectors.level_labels[j])
        m = np.bincount(vectors.levels[is_match, j].astype(np.int64) + 1, minlength=len(labels))
        u = np.bincount(vectors.levels[~is_match, j].astype(np.int64) + 1, minlength=len(labels))
        rows = {}
        for label, mc, uc in zip(labels, m, u, strict=True):
            ms, us = mc / n_m, uc / n_u
            ratio = ms / us if us > 0 else float("inf") if ms > 0 else float("nan")
            rows[label] = {"m": round(float(ms), 5), "u": round(float(us), 5),
                           "m/u": round(float(ratio), 3)}
        out[name] = rows
    return out


def print_levels(title: str, table: dict[str, Any]) -> None:
    print(f"\n{title}: share of each level among true (m) and false (u) pairs")
    for name, rows in table.items():
        print(f"  {name}")
        for label, r in rows.items():
            print(f"    {label:<36} m={r['m']:.4f}  u={r['u']:.4f}  m/u={r['m/u']}")


@contextmanager
def clocks() -> Iterator[dict[str, float]]:
    """Wall seconds (``timer``) and CPU seconds of this process (all threads)."""
    cpu = time.process_time()
    with timer() as out:
        yield out
    out["cpu"] = time.process_time() - cpu


def main() -> None:
    args = parse_args(__doc__.splitlines()[0])
    quick = args.quick
    target = 200_000 if quick else 5_000_000
    n_registry, n_records, per_record = (
        (20_000, 10_000, 22) if quick else (400_000, 250_000, 26)
    )
    figures: dict[str, Any] = {"load_average_1min_before": round(os.getloadavg()[0], 2)}
    with timer() as t_data:
        registry, records, left_idx, right_idx, is_match = synthetic(
            n_registry, n_records, per_record
        )
    left_idx, right_idx, is_match = left_idx[:target], right_idx[:target], is_match[:target]
    n = len(left_idx)
    figures["synthetic_pairs"] = n
    figures["synthetic_true_pairs"] = int(is_match.sum())
    figures["data_seconds"] = round(t_data["seconds"], 2)
    cset = ComparisonSet(default_comparisons())
    pairs = (left_idx, right_idx)
    with clocks() as cold:
        vectors = cset.compute(pairs, registry, records)
    with clocks() as warm:
        vectors = cset.compute(pairs, registry, records)
    with clocks() as warm2:
        cset.compute(pairs, registry, records, workers=2)
    figures["cold_wall_seconds"] = round(cold["seconds"], 3)
    figures["cold_cpu_seconds"] = round(cold["cpu"], 3)
    figures["warm_wall_seconds"] = round(warm["seconds"], 3)
    figures["warm_cpu_seconds"] = round(warm["cpu"], 3)
    figures["pairs_per_s_wall"] = round(n / warm["seconds"])
    figures["pairs_per_cpu_s"] = round(n / warm["cpu"])
    figures["pairs_per_s_wall_workers2"] = round(n / warm2["seconds"])
    figures["pairs_per_s_wall_incl_encoding"] = round(n / cold["seconds"])
    for comparison in [*default_comparisons(), StreetComparison()]:
        with clocks() as one:
            comparison.compute(left_idx, right_idx, registry, records)
        figures[f"cpu_seconds_{comparison.name}"] = round(one["cpu"], 3)
    figures["peak_memory_mb"] = round(peak_memory_mb())
    figures["load_average_1min_after"] = round(os.getloadavg()[0], 2)
    street = StreetComparison()
    extra = ComparisonSet([street]).compute(pairs, registry, records)
    levels = level_table(vectors, is_match)
    levels.update(level_table(extra, is_match))
    figures["levels_synthetic"] = levels
    name_tf = vectors.tf[:, vectors.names.index("name")]
    for label, mask in (("true", is_match), ("false", ~is_match)):
        values = name_tf[mask]
        values = values[np.isfinite(values)]
        figures[f"name_tf_median_{label}_pairs_at_exact_levels"] = (
            f"{np.median(values):.2e}" if len(values) else "none"
        )
    del vectors

    piped = pipeline(2_000 if quick else 20_000)
    if piped is not None:
        left, right, cpairs, truth = piped
        with timer() as t_pipe:
            pv = cset.compute(cpairs, left, right)
        figures["pipeline_pairs"] = len(pv)
        figures["pipeline_true_pairs"] = int(truth.sum())
        figures["pipeline_pairs_per_s"] = round(len(pv) / max(t_pipe["seconds"], 1e-9))
        pipe_levels = level_table(pv, truth)
        pipe_levels.update(level_table(ComparisonSet([street]).compute(cpairs, left, right), truth))
        figures["levels_pipeline"] = pipe_levels
    else:
        figures["pipeline"] = "unavailable (prepare/blocking not importable yet)"

    print_levels("synthetic (built here)", figures["levels_synthetic"])
    if "levels_pipeline" in figures:
        print_levels("pipeline (synthetic_linkage -> prepare -> blocking)",
                     figures["levels_pipeline"])
    printable = {k: v for k, v in figures.items() if not k.startswith("levels_")}
    write_results("compare", quick, {**printable, **{k: figures[k] for k in figures
                                                     if k.startswith("levels_")}})


if __name__ == "__main__":
    main()

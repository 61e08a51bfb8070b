"""Vaccination records: truth complete, each corruption at its configured rate, determinism."""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from collections import Counter
from typing import Any

import numpy as np
import pytest

from vnlink.datasets import (
    RECORD_COLUMNS,
    TRUTH_COLUMNS,
    CorruptionProfile,
    corrupt,
    corruption_names,
    linkage_truth,
    make_registry,
    make_vaccination_records,
    records_schema,
    registry_schema,
    synthetic_linkage,
    true_pairs,
)
from vnlink.datasets.corrupt import (
    drop_middle,
    drop_thi,
    has_movable_tone,
    old_phone_prefix,
)
from vnlink.exceptions import ConfigurationError, SchemaError

PROFILE = CorruptionProfile()
HARD = CorruptionProfile.hard()


class Context:
    """Each record of a registry person next to that person's registry values."""

    def __init__(self, registry: Any, records: Any, truth: Any) -> None:
        in_reg = truth["person_id"] != ""
        self.rows = np.flatnonzero(in_reg)
        row_of = {p: i for i, p in enumerate(registry["person_id"].tolist())}
        src = np.array([row_of[p] for p in truth["person_id"][self.rows].tolist()])
        self.src = src
        self.rec = {k: records[k][self.rows] for k in records.column_names}
        self.reg = {k: registry[k][src] for k in registry.column_names}
        labels = truth["corruptions"][self.rows].tolist()
        self.labels = {
            name: np.array([name in s.split(";") for s in labels]) for name in corruption_names()
        }
        year = np.array([int(d[:4]) for d in registry["dob"].tolist()])
        age = 2021 - year
        # the relative: the oldest other member of the household (by ISO date of birth)
        order = np.lexsort((np.arange(registry.n_rows), registry["dob"].astype(str),
                            registry["household_id"].astype(str)))
        members: dict[str, list[int]] = {}
        for i in order.tolist():
            members.setdefault(registry["household_id"][i], []).append(i)
        relative = np.full(registry.n_rows, -1)
        for rows in members.values():
            for i in rows:
                others = [j for j in rows if j != i]
                if others:
                    relative[i] = others[0]
        rel = relative[src]
        self.rel = rel
        self.age = age[src]
        self.rel_adult = (rel >= 0) & (age[np.maximum(rel, 0)] >= 18)
        self.rel_phone = np.where(rel >= 0, registry["phone"][np.maximum(rel, 0)], "")
        self.rel_cccd = np.where(rel >= 0, registry["cccd"][np.maximum(rel, 0)], "")
        self.n = self.rows.size

    def typed_id_source(self) -> np.ndarray:
        out = self.reg["cccd"].copy()
        out[self.labels["id_cmnd"]] = self.reg["cmnd"][self.labels["id_cmnd"]]
        out[self.labels["id_relative"]] = self.rel_cccd[self.labels["id_relative"]]
        out[self.labels["id_missing"]] = ""
        return out

    def typed_phone_source(self) -> np.ndarray:
        out = self.reg["phone"].copy()
        out[self.labels["phone_relative"]] = self.rel_phone[self.labels["phone_relative"]]
        out[self.labels["phone_missing"]] = ""
        return out


@pytest.fixture(scope="module")
def ctx(linkage: tuple[Any, Any, Any]) -> Context:
    return Context(*linkage)


@pytest.fixture(scope="module")
def hard_ctx(hard_linkage: tuple[Any, Any, Any]) -> Context:
    return Context(*hard_linkage)


def _expected_rate(ctx: Context, name: str, profile: CorruptionProfile) -> np.ndarray:
    """Each record's probability of corruption ``name`` under ``profile``."""
    rate = np.full(ctx.n, float(getattr(profile, name)))
    born = np.array([int(d[:4]) for d in ctx.reg["dob"].tolist()])
    if name == "dob_year_only":
        rate = np.where(born < 1950, profile.dob_year_only_old, rate)
    if name == "id_relative":
        dependent = ((ctx.age < 14) | (ctx.age >= 75)) & ctx.rel_adult
        rate = np.where(dependent, rate, np.where(ctx.rel_adult, profile.id_relative_other, 0.0))
    return np.where(_eligible(ctx, name), rate, 0.0)


def _eligible(ctx: Context, name: str) -> np.ndarray:
    """Where corruption ``name`` can happen (its rate is a share of these records)."""
    everyone = np.ones(ctx.n, dtype=bool)
    full_date = np.array([len(d) == 10 for d in ctx.reg["dob"].tolist()])
    day = np.array([int(d[8:]) if len(d) == 10 else 0 for d in ctx.reg["dob"].tolist()])
    month = np.array([int(d[5:7]) if len(d) == 10 else 0 for d in ctx.reg["dob"].tolist()])
    names = ctx.reg["full_name"].tolist()
    id_typed = ~ctx.labels["id_missing"]
    phone_typed = ~ctx.labels["phone_missing"]
    address_typed = ~ctx.labels["address_missing"]
    if name == "name_other_tone_placement":
        after = [
            drop_middle(n) if dm else drop_thi(n) if dt else n
            for n, dm, dt in zip(names, ctx.labels["name_drop_middle"],
                                 ctx.labels["name_drop_thi"], strict=True)
        ]
        return np.array([has_movable_tone(n) for n in after])
    if name == "name_phonetic":
        rng = np.random.default_rng(0)
        return np.array([corrupt.phonetic_slip(n, rng) != n for n in names])
    if name in ("name_telex", "name_vni"):
        return np.array([not n.isascii() for n in names])
    if name == "name_drop_middle":
        return np.array([len(n.split()) > 2 for n in names])
    if name == "name_drop_thi":
        return np.array([" Thị " in n for n in names])
    if name == "dob_registry_placeholder":
        return np.array([d.endswith("-01-01") and d < "1955" for d in ctx.reg["dob"].tolist()])
    if name.startswith("dob_"):
        if name == "dob_day_month_swap":
            return full_date & (day <= 12) & (day != month)
        return full_date
    if name == "id_cmnd":
        return ctx.reg["cmnd"] != ""
    if name == "id_relative":
        return ctx.rel_adult
    if name in ("id_digit_typo", "id_transposition"):
        return id_typed
    if name == "id_lost_leading_zeros":
        return np.array([s.startswith("0") for s in ctx.typed_id_source().tolist()])
    if name == "phone_relative":
        return (ctx.rel_phone != "") & (ctx.rel_phone != ctx.reg["phone"])
    if name == "phone_old_prefix":
        return np.array([old_phone_prefix(p) != "" for p in ctx.typed_phone_source().tolist()])
    if name in ("phone_plus84", "phone_separators", "phone_digit_typo"):
        return phone_typed
    if name in ("address_temporary", "address_no_ward", "address_no_district"):
        return everyone  # drawn before the address is (or is not) typed
    if name.startswith("address_") and name != "address_missing":
        return address_typed
    return everyone


def _check_rate(ctx: Context, name: str, profile: CorruptionProfile) -> None:
    expected = _expected_rate(ctx, name, profile)
    eligible = _eligible(ctx, name)
    labels = ctx.labels[name]
    if name.startswith("dob_") and name != "dob_registry_placeholder":
        # the real birthday behind a registry placeholder is not in the registry
        known = ~ctx.labels["dob_registry_placeholder"]
        eligible, labels, expected = eligible[known], labels[known], expected[known]
    n = int(eligible.sum())
    hits = int(labels[eligible].sum())
    if not expected.any():
        assert hits == 0, f"{name} happens at rate 0"
        return
    assert hits > 0, f"{name} never happens"
    assert not labels[~eligible].any(), f"{name} outside its eligible records"
    observed, rate = hits / n, float(expected[eligible].mean())
    sigma = math.sqrt(float((expected * (1 - expected)).sum())) / n
    assert abs(observed - rate) <= 4.5 * sigma + 0.002, (name, observed, rate, n)


@pytest.mark.parametrize("name", corruption_names())
def test_every_corruption_at_its_configured_rate(ctx: Context, name: str) -> None:
    _check_rate(ctx, name, PROFILE)


@pytest.mark.parametrize("name", corruption_names())
def test_every_hard_corruption_at_its_configured_rate(hard_ctx: Context, name: str) -> None:
    _check_rate(hard_ctx, name, HARD)


def test_labels_match_what_was_typed(ctx: Context) -> None:
    rec, lab = ctx.rec, ctx.labels
    name = rec["full_name"]
    legacy = lab["name_legacy_encoding"]
    assert all(n.isascii() for n in name[lab["name_no_diacritics"]].tolist())
    upper = lab["name_upper"] & ~legacy
    assert all(n == n.upper() for n in name[upper].tolist())
    nfd = lab["name_nfd"]
    assert all(unicodedata.normalize("NFD", n) == n for n in name[nfd].tolist())
    assert any(not unicodedata.is_normalized("NFC", n) for n in name[nfd].tolist())
    keys = ~lab["name_typo"]
    assert all(re.search(r"[a-zA-Z][fsrxj]\b|[aeo]{2}|[auo]w|dd", n, re.IGNORECASE)
               for n in name[lab["name_telex"] & keys].tolist())
    assert all(re.search(r"[A-Za-z][1-9]", n) for n in name[lab["name_vni"] & keys].tolist())
    dob = rec["dob"]
    assert all(re.fullmatch(r"\d{4}", d) for d in dob[lab["dob_year_only"]].tolist())
    assert all(re.match(r"0?1[/.-]0?1[/.-](\d{4}|\d\d)$|\d{4}-01-01$", d)
               for d in dob[lab["dob_jan_first"] & ~lab["dob_digit_typo"]].tolist())
    assert all(v == "" for v in rec["id_number"][lab["id_missing"]].tolist())
    assert all(v == "" for v in rec["phone"][lab["phone_missing"]].tolist())
    assert all(v == "" for v in rec["address"][lab["address_missing"]].tolist())
    assert all(v == "" for v in rec["sex"][lab["sex_missing"]].tolist())
    assert all(v.startswith("+84") for v in rec["phone"][lab["phone_plus84"]].tolist())
    assert all(re.sub(r"\D", "", v).startswith(("01", "841"))
               for v in rec["phone"][lab["phone_old_prefix"]].tolist())
    zeros = lab["id_lost_leading_zeros"]
    assert all(not v.startswith("0") for v in rec["id_number"][zeros].tolist())
    cmnd = lab["id_cmnd"] & ~zeros & ~lab["id_digit_typo"] & ~lab["id_transposition"]
    assert (rec["id_number"][cmnd] == ctx.reg["cmnd"][cmnd]).all()
    relative = lab["id_relative"] & ~zeros & ~lab["id_digit_typo"] & ~lab["id_transposition"]
    assert (rec["id_number"][relative] == ctx.rel_cccd[relative]).all()
    assert all(v.isascii() for v in rec["address"][lab["address_no_diacritics"]].tolist())


def test_untouched_fields_equal_the_registry(ctx: Context) -> None:
    rec, reg, lab = ctx.rec, ctx.reg, ctx.labels
    id_clean = ~np.any([lab[k] for k in corruption_names() if k.startswith("id_")], axis=0)
    assert (rec["id_number"][id_clean] == reg["cccd"][id_clean]).all()
    phone_clean = ~np.any([lab[k] for k in corruption_names() if k.startswith("phone_")], axis=0)
    assert (rec["phone"][phone_clean] == reg["phone"][phone_clean]).all()
    name_clean = ~np.any([lab[k] for k in corruption_names() if k.startswith("name_")], axis=0)
    assert (rec["full_name"][name_clean] == reg["full_name"][name_clean]).all()
    sex_clean = ~lab["sex_missing"] & ~lab["sex_wrong"]
    expected = np.where(reg["sex"] == "M", "Nam", np.where(lab["name_no_diacritics"], "Nu", "Nữ"))
    assert (rec["sex"][sex_clean] == expected[sex_clean]).all()
    dob_clean = ~np.any([lab[k] for k in corruption_names() if k.startswith("dob_")], axis=0)
    for typed, iso in zip(rec["dob"][dob_clean].tolist(), reg["dob"][dob_clean].tolist(),
                          strict=True):
        if len(iso) == 4:
            assert typed == iso or typed.endswith((iso, f"1/1/{iso[2:]}")) or typed.startswith(iso)
            continue
        y, m, d = (int(x) for x in iso.split("-"))
        numbers = [int(x) for x in re.split(r"[/.-]", typed)]
        assert numbers in ([d, m, y], [y, m, d], [d, m, y % 100]), (typed, iso)


def test_dob_layouts(ctx: Context) -> None:
    plain = [d for d, y in zip(ctx.rec["dob"].tolist(), ctx.reg["dob"].tolist(), strict=True)
             if len(y) == 10 and len(d) >= 8]
    share_slash = np.mean([bool(re.fullmatch(r"\d\d/\d\d/\d{4}", d)) for d in plain])
    share_iso = np.mean([bool(re.fullmatch(r"\d{4}-\d\d-\d\d", d)) for d in plain])
    assert 0.6 < share_slash < 0.78  # dd/mm/yyyy plus d/m/yyyy that look the same
    assert 0.07 < share_iso < 0.13


def test_truth_is_complete(linkage: tuple[Any, Any, Any]) -> None:
    registry, records, truth = linkage
    assert tuple(records.column_names) == RECORD_COLUMNS
    assert tuple(truth.column_names) == TRUTH_COLUMNS
    assert records.n_rows == truth.n_rows
    assert (records["record_id"] == truth["record_id"]).all()
    assert len(set(records["record_id"].tolist())) == records.n_rows
    person_ids = set(registry["person_id"].tolist())
    pid = truth["person_id"].tolist()
    assert all(p == "" or p in person_ids for p in pid)
    outside = truth["person_id"] == ""
    assert all(e.startswith("X") for e in truth["entity_id"][outside].tolist())
    assert (truth["entity_id"][~outside] == truth["person_id"][~outside]).all()
    entities = Counter(truth["entity_id"].tolist())
    share_outside = sum(1 for e in entities if e.startswith("X")) / len(entities)
    assert abs(share_outside - PROFILE.lookalike_share) < 0.01
    doses = Counter(entities.values())
    assert set(doses) <= {1, 2, 3}
    total = sum(doses.values())
    for k, w in zip((1, 2, 3), PROFILE.dose_weights, strict=True):
        assert abs(doses[k] / total - w) < 0.02
    for e, dose_numbers in _doses_by_entity(truth).items():
        assert sorted(dose_numbers) == list(range(1, len(dose_numbers) + 1)), e
    mapping = linkage_truth(truth)
    assert len(mapping) == records.n_rows
    left, right = true_pairs(registry, truth)
    assert right.size == int((~outside).sum())
    assert (registry["person_id"][left] == truth["person_id"][right]).all()


def _doses_by_entity(truth: Any) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for e, d in zip(truth["entity_id"].tolist(), truth["dose"].tolist(), strict=True):
        out.setdefault(e, []).append(d)
    return out


def test_only_people_aged_five_or_more_are_vaccinated(linkage: tuple[Any, Any, Any]) -> None:
    registry, _, truth = linkage
    vaccinated = set(truth["person_id"].tolist()) - {""}
    years = {p: int(d[:4]) for p, d in zip(registry["person_id"].tolist(),
                                            registry["dob"].tolist(), strict=True)}
    assert max(years[p] for p in vaccinated) <= 2016
    eligible = [p for p, y in years.items() if y <= 2016]
    assert abs(len(vaccinated) / len(eligible) - PROFILE.vaccinated_share) < 0.015


def test_lookalikes_sometimes_use_a_registry_household_address(
    linkage: tuple[Any, Any, Any],
) -> None:
    registry, records, truth = linkage
    outside = truth["person_id"] == ""
    registry_streets = set(registry["street_address"].tolist())
    from_registry = np.mean([any(a.startswith(s) for s in (a.split(",")[0],))
                             and a.split(",")[0] in registry_streets
                             for a in records["address"][outside].tolist() if a])
    assert from_registry > 0.15


def test_clean_profile_copies_the_registry() -> None:
    registry, records, truth = synthetic_linkage(300, seed=2, profile=CorruptionProfile.clean())
    assert set(truth["corruptions"].tolist()) == {""}
    row = {p: i for i, p in enumerate(registry["person_id"].tolist())}
    inside = np.flatnonzero(truth["person_id"] != "")
    src = np.array([row[p] for p in truth["person_id"][inside].tolist()])
    assert (records["full_name"][inside] == registry["full_name"][src]).all()
    assert (records["id_number"][inside] == registry["cccd"][src]).all()
    assert (records["phone"][inside] == registry["phone"][src]).all()


def test_same_seed_identical_other_seed_differs() -> None:
    a = synthetic_linkage(300, seed=4)
    b = synthetic_linkage(300, seed=4)
    c = synthetic_linkage(300, seed=5)
    for x, y in zip(a, b, strict=True):
        assert x.column_names == y.column_names
        for k in x.column_names:
            assert (x[k] == y[k]).all(), k
    assert not np.array_equal(a[1]["full_name"][:50], c[1]["full_name"][:50])


def test_as_frame_gives_dataframes() -> None:
    pd = pytest.importorskip("pandas")
    registry, records, truth = synthetic_linkage(50, seed=1, as_frame=True)
    assert all(isinstance(t, pd.DataFrame) for t in (registry, records, truth))
    assert list(truth.columns) == list(TRUTH_COLUMNS)


def test_schemas_name_existing_columns(linkage: tuple[Any, Any, Any]) -> None:
    registry, records, _ = linkage
    for schema, table in ((registry_schema(), registry), (records_schema(), records)):
        assert set(schema.columns()) <= set(table.column_names)
    assert registry_schema().old_id_number == "cmnd"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"id_missing": 1.5}, "id_missing"),
        ({"name_typo": -0.1}, "name_typo"),
        ({"sex_wrong": True}, "sex_wrong"),
        ({"dose_weights": (1.0, 0.0)}, "dose_weights"),
        ({"dob_formats": (0, 0, 0, 0, 0, 0)}, "dob_formats"),
        ({"dob_formats": (1, 0, 0, 0, 0)}, "dob_formats"),
        ({"id_missing": 0.6, "id_cmnd": 0.6}, "exclusive"),
        ({"name_no_diacritics": 0.9, "name_nfd": 0.2}, "exclusive"),
    ],
)
def test_bad_profiles_raise(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ConfigurationError, match=match):
        CorruptionProfile(**kwargs)


def test_profile_is_frozen_and_serializable() -> None:
    profile = CorruptionProfile()
    with pytest.raises(dataclasses.FrozenInstanceError):
        profile.id_missing = 0.5  # type: ignore[misc]
    d = profile.to_dict()
    assert CorruptionProfile(**{k: tuple(v) if isinstance(v, list) else v
                                for k, v in d.items()}) == profile
    assert set(corruption_names()) < set(d)


def test_bad_arguments_raise() -> None:
    registry = make_registry(30, seed=1)
    with pytest.raises(ConfigurationError, match="CorruptionProfile"):
        make_vaccination_records(registry, profile={"id_missing": 0.1})  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="cccd"):
        make_vaccination_records({"person_id": ["P1"], "full_name": ["An"]})


def test_heavy_profile_is_valid_and_noisier() -> None:
    _, _, clean = synthetic_linkage(300, seed=8)
    _, _, heavy = synthetic_linkage(300, seed=8, profile=CorruptionProfile.heavy())
    count = lambda t: sum(len(s.split(";")) for s in t["corruptions"].tolist() if s)  # noqa: E731
    assert count(heavy) > 1.5 * count(clean)


def test_registry_read_back_from_csv_works(tmp_path: Any) -> None:
    pd = pytest.importorskip("pandas")
    registry = make_registry(200, seed=3)
    path = tmp_path / "registry.csv"
    registry.to_pandas().to_csv(path, index=False)
    as_text = pd.read_csv(path, dtype=str, keep_default_na=False)
    a, _ = make_vaccination_records(registry, seed=1)
    b, _ = make_vaccination_records(as_text, seed=1)
    assert all((a[k] == b[k]).all() for k in a.column_names)
    inferred = pd.read_csv(path)  # numbers and NaN: no crash, IDs lose their zeros
    c, _ = make_vaccination_records(inferred, seed=1)
    assert c.n_rows == a.n_rows


def test_some_lookalikes_are_namesakes_of_registry_people(linkage: tuple[Any, Any, Any]) -> None:
    registry, records, truth = linkage
    outside = np.flatnonzero(truth["person_id"] == "")
    keys = set(zip(registry["full_name"].tolist(), (d[:4] for d in registry["dob"].tolist()),
                   strict=True))
    entities: dict[str, int] = {}
    for i in outside.tolist():
        entities.setdefault(truth["entity_id"][i], i)
    clean = [i for i in entities.values() if truth["corruptions"][i] == ""]
    same = [(records["full_name"][i], re.findall(r"\d{4}", records["dob"][i])[0]) in keys
            for i in clean]
    assert PROFILE.lookalike_namesake - 0.05 < np.mean(same) < PROFILE.lookalike_namesake + 0.25
    ids = [records["id_number"][i] for i in clean]
    assert not set(ids) & set(registry["cccd"].tolist())


def test_2025_addresses_use_the_new_commune_when_the_map_exists(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from vnlink.normalize import gazetteer

    original = gazetteer.unit
    fake = gazetteer.AdminUnit("99999", "Mới", "phường", "ward", "2025", "79", "79")

    def unit(code: str, *, era: str = "2021", level: str | None = None) -> Any:
        if era == "2025" and level == "ward":
            return fake
        return original(code, era=era, level=level)

    monkeypatch.setattr(gazetteer, "ward_2025_of", lambda code: ("99999",))
    monkeypatch.setattr(gazetteer, "unit", unit)
    profile = dataclasses.replace(CorruptionProfile.clean(), address_2025_units=1.0)
    _, records, _ = synthetic_linkage(50, seed=1, profile=profile)
    assert all(", Phường Mới, " in a for a in records["address"].tolist())
    assert not any(a.count(",") > 2 for a in records["address"].tolist())

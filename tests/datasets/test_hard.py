"""The hard profile: people outside the registry, twins, placeholders, homonyms that grow."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import Counter
from typing import Any

import numpy as np
import pytest

from vnlink.datasets import (
    DEFAULT_PROFILE,
    CorruptionProfile,
    make_registry,
    make_vaccination_records,
    synthetic_linkage,
)
from vnlink.exceptions import ConfigurationError

HARD = CorruptionProfile.hard()


def _fold(name: str) -> str:
    text = unicodedata.normalize("NFD", name.lower().replace("đ", "d"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _households_with_twins(registry: Any) -> float:
    pairs = Counter(zip(registry["household_id"].tolist(), registry["dob"].tolist(), strict=True))
    with_twins = {h for (h, dob), c in pairs.items() if c > 1 and len(dob) == 10}
    return len(with_twins) / len(set(registry["household_id"].tolist()))


def test_twins_in_about_two_percent_of_households(hard_linkage: tuple[Any, Any, Any]) -> None:
    share = _households_with_twins(hard_linkage[0])
    assert 0.015 < share < 0.026, share
    easy = _households_with_twins(make_registry(20_000, seed=11))
    assert easy < share


def test_registry_placeholder_for_a_tenth_of_people_born_before_1955(
    hard_linkage: tuple[Any, Any, Any],
) -> None:
    dob = hard_linkage[0]["dob"].tolist()
    old = [d for d in dob if len(d) == 10 and d < "1955"]
    share = np.mean([d.endswith("-01-01") for d in old])
    # 10% placeholders plus the real 1 January births (1/365 of the rest)
    assert abs(share - (0.10 + 0.9 / 365)) < 4.5 * np.sqrt(0.1 * 0.9 / len(old)) + 0.005
    young = [d for d in dob if len(d) == 10 and d >= "1955"]
    assert np.mean([d.endswith("-01-01") for d in young]) < 0.01


def test_placeholder_records_type_one_real_birthday_per_person(
    hard_linkage: tuple[Any, Any, Any],
) -> None:
    registry, records, truth = hard_linkage
    labels = truth["corruptions"].tolist()
    real: dict[str, set[str]] = {}
    reg_dob = dict(zip(registry["person_id"].tolist(), registry["dob"].tolist(), strict=True))
    for i, lab in enumerate(labels):
        parts = lab.split(";")
        if "dob_registry_placeholder" not in parts:
            continue
        person = truth["person_id"][i]
        assert reg_dob[person].endswith("-01-01") and reg_dob[person] < "1955"
        if any(p.startswith("dob_") and p != "dob_registry_placeholder" for p in parts):
            continue
        tokens = re.split(r"[/.-]", records["dob"][i])
        if len(tokens[0]) == 4:
            tokens = tokens[::-1]
        day, month, year = (int(x) for x in tokens)
        assert year % 100 == int(reg_dob[person][:4]) % 100
        real.setdefault(person, set()).add(f"{(day, month)}")
    assert len(real) > 20
    assert all(len(v) == 1 for v in real.values())  # the same real date on every dose
    assert all(v != {"(1, 1)"} for v in real.values())


def test_a_tenth_of_records_are_people_outside_the_registry(
    hard_linkage: tuple[Any, Any, Any],
) -> None:
    _, _, truth = hard_linkage
    outside = float((truth["person_id"] == "").mean())
    assert abs(outside - HARD.lookalike_share) < 0.01


def test_outsiders_are_household_members_namesakes_and_lookalikes() -> None:
    # the hard population typed without corruptions, so that what is shared is visible
    profile = dataclasses.replace(
        CorruptionProfile.clean(), **{
            k: getattr(HARD, k) for k in ("lookalike_share", "lookalike_household_member",
                                          "lookalike_namesake", "lookalike_household_phone")
        },
    )
    registry, records, truth = synthetic_linkage(20_000, seed=5, profile=profile)
    first: dict[str, int] = {}
    for i, e in enumerate(truth["entity_id"].tolist()):
        if e.startswith("X"):
            first.setdefault(e, i)
    clean = list(first.values())
    assert len(clean) > 1000
    streets = Counter(zip(registry["street_address"].tolist(), registry["ward"].tolist(),
                          strict=True))
    families = {}
    phones = {}
    for s, w, n, p in zip(registry["street_address"].tolist(), registry["ward"].tolist(),
                          registry["full_name"].tolist(), registry["phone"].tolist(),
                          strict=True):
        families.setdefault((s, w), set()).add(n.split()[0])
        phones.setdefault((s, w), set()).add(p)
    keys = set(zip(registry["full_name"].tolist(), (d[:4] for d in registry["dob"].tolist()),
                   strict=True))
    member = namesake = with_phone = 0
    for i in clean:
        parts = records["address"][i].split(", ")
        home = (parts[0], parts[1]) if len(parts) > 1 else ("", "")
        name = records["full_name"][i]
        if home in streets and name.split()[0] in families[home]:
            member += 1
            with_phone += records["phone"][i] in phones[home]
        year = re.findall(r"\d{4}", records["dob"][i])
        if year and (name, year[0]) in keys:
            namesake += 1
    n = len(clean)
    # household members: a third (plus the look-alikes typed with a household address
    # who happen to share its family name)
    assert 0.28 < member / n < 0.45, member / n
    assert 0.45 < with_phone / member < 0.75
    # namesakes: a seventh, plus chance homonyms
    assert 0.11 < namesake / n < 0.25, namesake / n


def test_homonyms_grow_with_the_registry() -> None:
    def shared(n: int) -> float:
        reg = make_registry(n, seed=3)
        keys = Counter(zip((_fold(x) for x in reg["full_name"].tolist()),
                           (d[:4] for d in reg["dob"].tolist()), strict=True))
        return sum(c for c in keys.values() if c > 1) / n

    small, large = shared(5_000), shared(50_000)
    assert 0.005 < small < large < 0.5, (small, large)
    assert large > 2 * small


def test_changed_phones_and_temporary_addresses(hard_ctx: Any) -> None:
    lab, rec, reg = hard_ctx.labels, hard_ctx.rec, hard_ctx.reg
    changed = lab["phone_changed"] & ~lab["phone_missing"] & ~lab["phone_old_prefix"]
    assert changed.sum() > 100
    digits = np.array([re.sub(r"\D", "", p)[-9:] for p in rec["phone"][changed].tolist()])
    own = np.array([p[-9:] for p in reg["phone"][changed].tolist()])
    assert (digits != own).mean() > 0.99
    temporary = lab["address_temporary"] & ~lab["address_missing"] & ~lab["address_abbreviated"]
    temporary &= ~lab["address_no_diacritics"] & ~lab["address_2025_units"]
    assert temporary.sum() > 100
    own_district = [d in a for d, a in zip(reg["district"][temporary].tolist(),
                                           rec["address"][temporary].tolist(), strict=True)]
    assert np.mean(own_district) < 0.2
    no_ward = lab["address_no_ward"] & ~lab["address_temporary"] & ~lab["address_missing"]
    no_ward &= ~lab["address_abbreviated"] & ~lab["address_no_diacritics"]
    assert no_ward.sum() > 100
    assert not any(f", {w}," in a for w, a in zip(reg["ward"][no_ward].tolist(),
                                                  rec["address"][no_ward].tolist(), strict=True))


@pytest.fixture(scope="module")
def hard_ctx(hard_linkage: tuple[Any, Any, Any]) -> Any:
    from tests.datasets.test_records import Context

    return Context(*hard_linkage)


def test_hard_is_noisier_than_easy(
    linkage: tuple[Any, Any, Any], hard_linkage: tuple[Any, Any, Any]
) -> None:
    def per_record(truth: Any) -> float:
        return sum(len(s.split(";")) for s in truth["corruptions"].tolist() if s) / truth.n_rows

    assert per_record(hard_linkage[2]) > 1.3 * per_record(linkage[2])


def test_profiles_by_name() -> None:
    assert CorruptionProfile.easy() == DEFAULT_PROFILE
    registry = make_registry(200, seed=1)
    a, _ = make_vaccination_records(registry, seed=2, profile="hard")
    b, _ = make_vaccination_records(registry, seed=2, profile=CorruptionProfile.hard())
    assert all((a[k] == b[k]).all() for k in a.column_names)
    with pytest.raises(ConfigurationError, match="unknown profile"):
        synthetic_linkage(100, profile="medium")
    with pytest.raises(ConfigurationError, match="profile name"):
        make_vaccination_records(registry, profile=3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"twin_share": 1.5}, "twin_share"),
        ({"placeholder_share": -0.1}, "placeholder_share"),
    ],
)
def test_bad_registry_shares_raise(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ConfigurationError, match=match):
        make_registry(10, **kwargs)


def test_exclusive_variant_rates_are_checked() -> None:
    with pytest.raises(ConfigurationError, match="born before 1950"):
        CorruptionProfile(dob_year_only_old=0.9, dob_day_month_swap=0.2)
    with pytest.raises(ConfigurationError, match="look-alike"):
        CorruptionProfile(lookalike_household_member=0.7, lookalike_namesake=0.5)
    assert CorruptionProfile.clean().dob_year_only_old == 0.0
    assert CorruptionProfile.heavy().id_relative_other == 0.0

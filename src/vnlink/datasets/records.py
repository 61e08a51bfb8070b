"""Hand-typed COVID-19 vaccination records derived from a registry, with the truth.

:func:`make_vaccination_records` gives most registry people aged five or more
one to three dose records, each typed independently, adds records of
look-alike people who are not in the registry, and corrupts every field at
the rates of a :class:`CorruptionProfile`. :func:`synthetic_linkage` makes
the registry, the records and the truth in one call.

Examples
--------
>>> registry, records, truth = synthetic_linkage(500, seed=3)
>>> records.column_names
['record_id', 'full_name', 'dob', 'sex', 'id_number', 'phone', 'address', 'site']
>>> truth.column_names
['record_id', 'person_id', 'entity_id', 'dose', 'corruptions']
>>> bool((truth["record_id"] == records["record_id"]).all())
True
>>> clean = CorruptionProfile.clean()
>>> _, recs, tr = synthetic_linkage(200, seed=3, profile=clean)
>>> set(tr["corruptions"].tolist())
{''}
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from vnlink._bulk import as_object_array as _obj
from vnlink._bulk import factorize
from vnlink.datasets import corrupt
from vnlink.datasets.registry import REFERENCE_DATE as _REFERENCE_DATE
from vnlink.datasets.registry import check_seed as _check_seed_impl
from vnlink.datasets.registry import make_registry
from vnlink.exceptions import ConfigurationError, SchemaError
from vnlink.table import Table, as_table

if TYPE_CHECKING:
    from vnlink.prepare import Schema

__all__ = [
    "DEFAULT_PROFILE",
    "DOB_FORMATS",
    "RECORD_COLUMNS",
    "TRUTH_COLUMNS",
    "CorruptionProfile",
    "corruption_names",
    "linkage_truth",
    "make_vaccination_records",
    "records_schema",
    "registry_schema",
    "synthetic_linkage",
    "true_pairs",
]

RECORD_COLUMNS = ("record_id", "full_name", "dob", "sex", "id_number", "phone", "address", "site")
"""The columns of the vaccination records, in order."""

TRUTH_COLUMNS = ("record_id", "person_id", "entity_id", "dose", "corruptions")
"""The columns of the truth table, in order."""

DOB_FORMATS = ("dd/mm/yyyy", "d/m/yyyy", "yyyy-mm-dd", "dd-mm-yyyy", "dd.mm.yyyy", "d/m/yy")
"""The date layouts a clerk may type (see :attr:`CorruptionProfile.dob_formats`)."""

_REGISTRY_NEEDS = (
    "person_id", "full_name", "dob", "sex", "cccd", "cmnd", "phone", "street_address",
    "ward", "district", "province", "province_code", "household_id",
)


@dataclass(frozen=True)
class CorruptionProfile:
    """Who gets records, and how often each field is typed wrong.

    Every rate is a probability per record (or per person for the first
    group), applied independently to each dose record. A rate marked
    *"of eligible records"* applies only where the corruption can happen
    (a date whose day is at most 12 for a day/month swap, a name with "Thị"
    for the omitted Thị …). Within each group marked *exclusive* at most one
    corruption is chosen per record, so each rate is exact. docs/datasets.md
    lists every field with an example and, for :meth:`hard`, the share of all
    records that carry it.

    The field defaults are the gentle profile :meth:`easy` (the default of
    :func:`make_vaccination_records`); :meth:`hard` is records typed at a
    busy site, the benchmark profile.

    Examples
    --------
    >>> p = CorruptionProfile()
    >>> p.name_no_diacritics, p.id_missing
    (0.3, 0.08)
    >>> CorruptionProfile(id_missing=1.5)
    Traceback (most recent call last):
    ...
    vnlink.exceptions.ConfigurationError: id_missing must be a rate in [0, 1], got 1.5
    >>> CorruptionProfile.clean().name_typo, CorruptionProfile.heavy().name_typo
    (0.0, 0.09)
    """

    # who is vaccinated (per person)
    vaccinated_share: float = 0.95
    """Share of registry people aged 5 or more with at least one record."""
    dose_weights: tuple[float, float, float] = (0.15, 0.45, 0.40)
    """Probabilities of 1, 2 and 3 dose records per vaccinated person."""
    lookalike_share: float = 0.05
    """Share of vaccinated people who are not in the registry."""
    lookalike_household_address: float = 0.3
    """Share of those look-alikes typed with the address of a registry household."""
    lookalike_namesake: float = 0.2
    """Share of look-alikes with the full name, sex and birth year of a registry person."""
    lookalike_household_member: float = 0.0
    """Share of look-alikes who live in a registry household (exclusive with the namesakes):
    its address and its family name."""
    lookalike_household_phone: float = 0.0
    """Of those household members: typing the household's phone number."""
    registry_twin_share: float = 0.02
    """Passed to :func:`make_registry` by :func:`synthetic_linkage`: probability that a
    younger child is the twin of the previous one (0.026: twins in about 2% of households)."""
    registry_placeholder: float = 0.0
    """Passed to :func:`make_registry` by :func:`synthetic_linkage`: share of people born
    before 1955 whose registered date of birth is the placeholder 01/01."""

    # names: the encoding group is exclusive, in this order
    name_no_diacritics: float = 0.30
    """Tone and vowel marks stripped, đ -> d ("Nguyen Thi Hoa")."""
    name_legacy_encoding: float = 0.01
    """Typed in VNI or TCVN3 and read as Windows-1252 ("Nguyeãn Thò Hoa")."""
    name_telex: float = 0.01
    """Of names with a mark: one word left as Telex keystrokes ("Nguyeenx Thị Hoa")."""
    name_vni: float = 0.005
    """Of names with a mark: one word left as VNI keystrokes ("Nguye6n4 Thị Hoa")."""
    name_nfd: float = 0.05
    """Decomposed Unicode (looks the same, different code points)."""
    name_upper: float = 0.15
    """Upper case ("NGUYỄN THỊ HOA")."""
    name_other_tone_placement: float = 0.30
    """Of names with a tone on an open oa/oe/uy: the other placement ("Hoà" for "Hòa")."""
    name_wrong_tone: float = 0.02
    """One syllable with the wrong tone mark ("Hưởng" for "Hương")."""
    name_phonetic: float = 0.01
    """Of names with such a sound: one syllable as heard in another dialect ("Châm" for "Trâm")."""
    name_typo: float = 0.03
    """One keyboard slip: neighbouring key, dropped, doubled or swapped letter."""
    name_drop_middle: float = 0.02
    """Of names with a middle name, exclusive with the next: middle name(s) dropped."""
    name_drop_thi: float = 0.05
    """Of names with the middle word "Thị": Thị omitted ("Nguyễn Thu Hương")."""
    name_swap_order: float = 0.01
    """Family name written last ("Thị Hoa Nguyễn")."""

    # dates of birth: a layout, then at most one corruption (exclusive)
    dob_formats: tuple[float, float, float, float, float, float] = (
        0.63, 0.15, 0.10, 0.07, 0.03, 0.02
    )
    """Probabilities of the layouts of :data:`DOB_FORMATS`."""
    dob_year_only: float = 0.02
    """Only the year typed ("1965")."""
    dob_year_only_old: float = 0.02
    """The same for people born before 1950 (label ``dob_year_only``)."""
    dob_jan_first: float = 0.02
    """The 01/01/yyyy placeholder instead of the real day."""
    dob_day_month_swap: float = 0.02
    """Of dates with day <= 12 and day != month: day and month swapped."""
    dob_digit_typo: float = 0.02
    """One digit of the date wrong."""
    dob_impossible: float = 0.003
    """An impossible date near the real one (31/04, 30/02)."""
    dob_registry_placeholder: float = 0.0
    """Of people born before 1955 whose registry date is 01/01: the real birthday typed
    (one per person, the same on every dose), as the registry holds a placeholder."""

    # sex (exclusive)
    sex_missing: float = 0.02
    """Sex left empty."""
    sex_wrong: float = 0.005
    """The other sex."""

    # ID number: what was typed (exclusive), then damage to it
    id_missing: float = 0.08
    """No ID typed."""
    id_cmnd: float = 0.15
    """Of people with an old 9-digit CMND: the CMND instead of the CCCD."""
    id_relative: float = 0.15
    """Of children under 14 and people 75 or older living with an adult: a relative's CCCD."""
    id_relative_other: float = 0.0
    """The same for everyone else living with an adult (label ``id_relative``)."""
    id_digit_typo: float = 0.015
    """One digit wrong (exclusive with the next)."""
    id_transposition: float = 0.01
    """Two neighbouring digits swapped."""
    id_lost_leading_zeros: float = 0.05
    """Of typed IDs starting with 0: leading zeros lost, as a spreadsheet does."""

    # phone: what was typed (exclusive), then its form
    phone_missing: float = 0.10
    """No phone typed."""
    phone_relative: float = 0.08
    """Of people living with someone whose phone differs: that relative's phone."""
    phone_changed: float = 0.0
    """A number the person has changed to since (another random mobile number)."""
    phone_old_prefix: float = 0.10
    """Of numbers that had an 11-digit form before 2018: that old form ("0168...")."""
    phone_plus84: float = 0.05
    """International form "+84..." (exclusive with the next)."""
    phone_separators: float = 0.05
    """Grouped with spaces, dots or dashes ("0912 345 678")."""
    phone_digit_typo: float = 0.01
    """One digit wrong."""

    # address
    address_missing: float = 0.02
    """No address typed."""
    address_temporary: float = 0.0
    """The place of temporary residence: another household's address in another district
    (half in the same province, half anywhere)."""
    address_no_ward: float = 0.0
    """The commune (ward) left out."""
    address_no_district: float = 0.0
    """The district left out."""
    address_abbreviated: float = 0.30
    """Units abbreviated ("P. Bến Nghé, Q1, TP.HCM")."""
    address_no_diacritics: float = 0.25
    """Written without marks; the same clerks who strip names (see docs)."""
    address_missing_level: float = 0.15
    """One of street, ward or district left out."""
    address_reordered: float = 0.03
    """Largest unit first ("TP.HCM, Quận 1, ...")."""
    address_2025_units: float = 0.30
    """Written in the two-level system of July 2025: the 2025 commune and province, no
    district ("Phường Sài Gòn, TP Hồ Chí Minh"); the others in the 2021 form. 0 gives
    old addresses only, 1 new ones only."""

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            if f.name.startswith("_"):
                continue
            value = getattr(self, f.name)
            if isinstance(value, tuple):
                expected = 3 if f.name == "dose_weights" else len(DOB_FORMATS)
                if len(value) != expected or any(not _is_rate(v) for v in value) or not sum(value):
                    raise ConfigurationError(
                        f"{f.name} must be {expected} non-negative weights with a positive sum, "
                        f"got {value!r}"
                    )
            elif not _is_rate(value):
                raise ConfigurationError(f"{f.name} must be a rate in [0, 1], got {value!r}")
        groups = {
            "name encoding": ("name_no_diacritics", "name_legacy_encoding", "name_telex",
                              "name_vni", "name_nfd"),
            "date of birth": ("dob_year_only", "dob_jan_first", "dob_day_month_swap",
                              "dob_digit_typo", "dob_impossible"),
            "date of birth (born before 1950)": (
                "dob_year_only_old", "dob_jan_first", "dob_day_month_swap", "dob_digit_typo",
                "dob_impossible"),
            "sex": ("sex_missing", "sex_wrong"),
            "ID": ("id_missing", "id_cmnd", "id_relative"),
            "ID (others)": ("id_missing", "id_cmnd", "id_relative_other"),
            "ID damage": ("id_digit_typo", "id_transposition"),
            "phone": ("phone_missing", "phone_relative", "phone_changed"),
            "phone form": ("phone_plus84", "phone_separators"),
            "middle name": ("name_drop_middle", "name_drop_thi"),
            "look-alike kind": ("lookalike_household_member", "lookalike_namesake"),
        }
        for group, names in groups.items():
            total = sum(float(getattr(self, n)) for n in names)
            if total > 1.0 + 1e-9:
                raise ConfigurationError(
                    f"the {group} rates ({', '.join(names)}) are exclusive and sum to {total:.3g}; "
                    "make them sum to at most 1"
                )

    @classmethod
    def clean(cls) -> CorruptionProfile:
        """Every corruption rate zero (layouts, doses and look-alikes unchanged)."""
        zeros = {name: 0.0 for name in (*corruption_names(), *_RATE_VARIANTS)}
        return cls(**zeros)  # type: ignore[arg-type]

    @classmethod
    def easy(cls) -> CorruptionProfile:
        """The gentle profile of the first releases (the field defaults): quick tests and docs.

        >>> CorruptionProfile.easy() == CorruptionProfile()
        True
        """
        return cls()

    @classmethod
    def heavy(cls) -> CorruptionProfile:
        """Every rate of :meth:`easy` three times over (capped at 0.3 so groups stay valid)."""
        base = cls()
        rates = {
            name: min(3 * float(getattr(base, name)), 0.3)
            for name in (*corruption_names(), *_RATE_VARIANTS)
        }
        return cls(**rates)  # type: ignore[arg-type]

    @classmethod
    def hard(cls) -> CorruptionProfile:
        """Records typed at a busy site, people outside the registry, twins, placeholders.

        The rates of issue 16, each documented in docs/datasets.md: a wrong
        date digit 3%, day/month swapped in about 4% of records, year only 4%
        (15% before 1950), the registry's 01/01 placeholder for 10% of people
        born before 1955; no ID 30%, an old CMND about 15%, a relative's CCCD
        17% of children and old people (about 3% overall), ID typos 2%, lost
        zeros 2%; no phone 18%, a relative's 7%, a changed number 3%, ``+84``
        4%, an old 11-digit prefix about 4%; a temporary residence 7%, no
        commune 10%, no district 7%, abbreviated 45%; a dropped middle name
        4%, no "Thị" for 15% of the women who have it, a typo 6%, Telex 3%;
        the wrong sex 1%; 10% of people outside the registry (a third of them
        in a registry household, a seventh exact namesakes); twins in about
        2% of households.

        >>> hard = CorruptionProfile.hard()
        >>> hard.id_missing, hard.lookalike_share, hard.dob_digit_typo
        (0.3, 0.1, 0.03)
        """
        return cls(
            lookalike_share=0.10, lookalike_household_member=0.34, lookalike_namesake=0.143,
            lookalike_household_phone=0.6, registry_twin_share=0.026, registry_placeholder=0.10,
            name_typo=0.06, name_telex=0.03, name_drop_middle=0.04, name_drop_thi=0.15,
            dob_year_only=0.04, dob_year_only_old=0.15, dob_day_month_swap=0.11,
            dob_digit_typo=0.03, dob_registry_placeholder=0.95,
            sex_wrong=0.01,
            id_missing=0.30, id_cmnd=0.30, id_relative=0.17, id_relative_other=0.003,
            id_digit_typo=0.014, id_transposition=0.014, id_lost_leading_zeros=0.04,
            phone_missing=0.18, phone_relative=0.09, phone_changed=0.03, phone_plus84=0.05,
            phone_old_prefix=0.09,
            address_abbreviated=0.45, address_missing_level=0.05, address_temporary=0.07,
            address_no_ward=0.10, address_no_district=0.07,
        )

    @classmethod
    def named(cls, name: str) -> CorruptionProfile:
        """The profile called ``name``: ``"easy"``, ``"hard"``, ``"heavy"`` or ``"clean"``.

        >>> CorruptionProfile.named("hard") == CorruptionProfile.hard()
        True
        >>> CorruptionProfile.named("medium")
        Traceback (most recent call last):
        ...
        vnlink.exceptions.ConfigurationError: unknown profile 'medium'; use one of ...
        """
        makers = {"clean": cls.clean, "easy": cls.easy, "hard": cls.hard, "heavy": cls.heavy}
        if name not in makers:
            raise ConfigurationError(
                f"unknown profile {name!r}; use one of {', '.join(sorted(makers))}"
            )
        return makers[name]()

    def to_dict(self) -> dict[str, Any]:
        """The profile as a plain dict (JSON-ready).

        >>> CorruptionProfile().to_dict()["dose_weights"]
        [0.15, 0.45, 0.4]
        """
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            if f.name.startswith("_"):
                continue
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out


def corruption_names() -> tuple[str, ...]:
    """The names of the corruption rates of :class:`CorruptionProfile` (the truth's labels).

    >>> names = corruption_names()
    >>> names[:3], len(names)
    (('name_no_diacritics', 'name_legacy_encoding', 'name_telex'), 43)
    """
    skip = {
        "vaccinated_share", "lookalike_share", "lookalike_household_address",
        "lookalike_namesake", "lookalike_household_member", "lookalike_household_phone",
        "registry_twin_share", "registry_placeholder", *_RATE_VARIANTS,
    }
    return tuple(
        f.name for f in dataclasses.fields(CorruptionProfile)
        if not f.name.startswith("_") and f.name not in skip and f.type in ("float", float)
    )


_RATE_VARIANTS = ("dob_year_only_old", "id_relative_other")
"""Rates for another group of people that share the label of another field."""


def _is_rate(value: object) -> bool:
    return (
        isinstance(value, (int, float, np.floating, np.integer))
        and not isinstance(value, bool)
        and 0.0 <= float(value) <= 1.0
    )


DEFAULT_PROFILE = CorruptionProfile.easy()
"""The profile of :func:`make_vaccination_records` and :func:`synthetic_linkage` when none is given.

``easy`` while the default ``Linker`` is tuned on it; benchmarks pass ``profile="hard"``.
"""


# --------------------------------------------------------------------------- helpers


class _Labels:
    """Per-record corruption labels, collected as boolean masks."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.masks: dict[str, NDArray[np.bool_]] = {}

    def add(self, name: str, mask: NDArray[np.bool_]) -> None:
        self.masks[name] = self.masks.get(name, np.zeros(self.n, dtype=bool)) | mask

    def joined(self) -> NDArray[np.object_]:
        names = [name for name in corruption_names() if name in self.masks]
        if not names:
            return np.full(self.n, "", dtype=object)
        bits = np.zeros(self.n, dtype=np.int64)
        for j, name in enumerate(names):
            bits |= self.masks[name].astype(np.int64) << j
        distinct, inverse = np.unique(bits, return_inverse=True)
        text = _obj(
            ";".join(name for j, name in enumerate(names) if (int(b) >> j) & 1) for b in distinct
        )
        return text[inverse]


def _exclusive(
    u: NDArray[np.float64], rates: list[Any]
) -> list[NDArray[np.bool_]]:
    """Masks for consecutive intervals of ``u``: ``[0, r0)``, ``[r0, r0 + r1)``, ...

    A rate may be an array (one rate per record).
    """
    out = []
    low: Any = 0.0
    for r in rates:
        out.append((u >= low) & (u < low + r))
        low += r
    return out


def _apply(
    values: NDArray[np.object_],
    mask: NDArray[np.bool_],
    func: Callable[[str], str],
) -> None:
    """``values[mask] = func(v)``, once per distinct value."""
    at = np.flatnonzero(mask)
    if at.size == 0:
        return
    distinct, inverse = factorize(values[at])
    mapped = _obj(func(v) for v in distinct)
    values[at] = mapped[inverse]


def _apply_random(
    values: NDArray[np.object_],
    mask: NDArray[np.bool_],
    func: Callable[[str, np.random.Generator], str],
    rng: np.random.Generator,
) -> None:
    """``values[i] = func(values[i], rng)`` for each selected record, in order."""
    for i in np.flatnonzero(mask).tolist():
        values[i] = func(values[i], rng)


def _parse_iso(value: str) -> tuple[int, int, int]:
    if len(value) == 10 and value[:4].isdigit() and value[5:7].isdigit() and value[8:].isdigit():
        return int(value[:4]), int(value[5:7]), int(value[8:])
    if len(value) == 4 and value.isdigit():
        return int(value), 0, 0
    return 0, 0, 0


def _date_parts(dob: NDArray[np.object_]) -> tuple[NDArray[np.int64], ...]:
    """Year, month, day (0 = unknown) of ISO ``yyyy-mm-dd`` or ``yyyy`` strings."""
    distinct, inverse = factorize(dob)
    parsed = np.array(
        [_parse_iso(v) if isinstance(v, str) else (0, 0, 0) for v in distinct], dtype=np.int64
    ).reshape(-1, 3)
    return parsed[inverse, 0], parsed[inverse, 1], parsed[inverse, 2]


def _format_dates(
    year: NDArray[np.int64],
    month: NDArray[np.int64],
    day: NDArray[np.int64],
    layout: NDArray[np.intp],
) -> NDArray[np.object_]:
    """Each date in its layout (:data:`DOB_FORMATS`); ``yyyy`` when the month or day is 0."""
    key = ((year * 13 + month) * 32 + day) * len(DOB_FORMATS) + layout
    distinct, inverse = np.unique(key, return_inverse=True)
    texts = []
    for k in distinct.tolist():
        rest, form = divmod(k, len(DOB_FORMATS))
        rest, d = divmod(rest, 32)
        y, m = divmod(rest, 13)
        if m == 0 or d == 0:
            texts.append(f"{y}")
        elif form == 0:
            texts.append(f"{d:02d}/{m:02d}/{y}")
        elif form == 1:
            texts.append(f"{d}/{m}/{y}")
        elif form == 2:
            texts.append(f"{y}-{m:02d}-{d:02d}")
        elif form == 3:
            texts.append(f"{d:02d}-{m:02d}-{y}")
        elif form == 4:
            texts.append(f"{d:02d}.{m:02d}.{y}")
        else:
            texts.append(f"{d}/{m}/{y % 100:02d}")
    return np.asarray(_obj(texts)[inverse.reshape(-1)], dtype=object)


def _days_in_month(year: NDArray[np.int64], month: NDArray[np.int64]) -> NDArray[np.int64]:
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[np.clip(month, 0, 12)]
    return np.where((month == 2) & leap, 29, days)


def _relatives(
    household: NDArray[np.object_], dob: NDArray[np.object_]
) -> NDArray[np.int64]:
    """For each person, the oldest other member of the household (-1 when alone)."""
    _, hh = factorize(household)
    year, month, day = _date_parts(dob)
    order = np.lexsort((np.arange(hh.size), (year * 100 + month) * 100 + day, hh))
    sorted_hh = hh[order]
    start = np.ones(order.size, dtype=bool)
    start[1:] = sorted_hh[1:] != sorted_hh[:-1]
    group_start = np.maximum.accumulate(np.where(start, np.arange(order.size), 0))
    oldest = order[group_start]
    second_pos = group_start + 1
    has_second = (second_pos < order.size) & (
        sorted_hh[np.minimum(second_pos, order.size - 1)] == sorted_hh
    )
    second = np.where(has_second, order[np.minimum(second_pos, order.size - 1)], -1)
    relative_sorted = np.where(order == oldest, second, oldest)
    out = np.empty(order.size, dtype=np.int64)
    out[order] = relative_sorted
    return out


# --------------------------------------------------------------------------- the generator


def _persons(
    registry: Table, rng: np.random.Generator, profile: CorruptionProfile, seed: int
) -> tuple[dict[str, NDArray[Any]], NDArray[np.int64], NDArray[np.bool_]]:
    """Registry people plus look-alikes: their columns, their registry row (-1), vaccinated."""
    cols = {name: _text_column(registry[name]) for name in _REGISTRY_NEEDS}
    cols["ward_code"] = (
        _text_column(registry["ward_code"]) if "ward_code" in registry
        else np.full(registry.n_rows, "", dtype=object)
    )
    n_reg = registry.n_rows
    year, _, _ = _date_parts(cols["dob"])
    reference_year = int(_REFERENCE_DATE[:4])
    eligible = (year > 0) & (year <= reference_year - 5)
    vaccinated = eligible & (rng.random(n_reg) < profile.vaccinated_share)
    n_vacc = int(vaccinated.sum())
    share = profile.lookalike_share
    n_look = round(n_vacc * share / (1.0 - share)) if share < 1.0 else n_vacc
    if n_look:
        extra = make_registry(n_look + max(10, n_look // 4), seed=seed + 1_000_003)
        look = {name: np.asarray(extra[name], dtype=object) for name in cols}
        look_year, _, _ = _date_parts(look["dob"])
        keep = np.flatnonzero(look_year <= reference_year - 5)[:n_look]
        look = {k: v[keep] for k, v in look.items()}
        look["person_id"] = _obj(f"X{i:07d}" for i in range(1, keep.size + 1))
        look["household_id"] = _obj("X" + h for h in look["household_id"].tolist())
        borrow = rng.random(keep.size) < profile.lookalike_household_address
        donors = rng.integers(0, n_reg, keep.size)
        for key in ("street_address", "ward", "district", "province", "province_code",
                    "ward_code"):
            look[key][borrow] = cols[key][donors[borrow]]
        u_kind = rng.random(keep.size)
        member_share = profile.lookalike_household_member
        member = u_kind < member_share
        namesake = (u_kind >= member_share) & (u_kind < member_share + profile.lookalike_namesake)
        models = np.flatnonzero(eligible)
        model = models[rng.integers(0, max(models.size, 1), keep.size)] if models.size else None
        if model is not None and namesake.any():
            _copy_identity(look, cols, np.flatnonzero(namesake), model[namesake])
        # IDs and phones that happen to exist in the registry are moved aside
        for key in ("cccd", "cmnd", "phone"):
            look[key] = _avoid(look[key], cols[key])
        if member.any():
            _join_household(look, cols, np.flatnonzero(member), rng, profile)
        cols = {k: np.concatenate([cols[k], look[k]]) for k in cols}
        vaccinated = np.concatenate([vaccinated, np.ones(keep.size, dtype=bool)])
    registry_row = np.where(np.arange(vaccinated.size) < n_reg, np.arange(vaccinated.size), -1)
    return cols, registry_row, vaccinated


def _copy_identity(
    look: dict[str, NDArray[Any]],
    cols: dict[str, NDArray[Any]],
    rows: NDArray[np.intp],
    model: NDArray[np.intp],
) -> None:
    """Give look-alike ``rows`` the name, sex and birth year of registry people ``model``.

    Their CCCD is rewritten to the new sex and year (the random part is kept).
    """
    for r, m in zip(rows.tolist(), model.tolist(), strict=True):
        look["full_name"][r] = cols["full_name"][m]
        look["sex"][r] = cols["sex"][m]
        year = cols["dob"][m][:4]
        rest = look["dob"][r][4:]
        if rest == "-02-29" and not _is_leap(int(year)):
            rest = "-02-28"
        look["dob"][r] = year + rest
        digit = 2 * ((int(year) - 1900) // 100) + (cols["sex"][m] == "F")
        cccd = look["cccd"][r]
        look["cccd"][r] = f"{cccd[:3]}{digit}{year[2:]}{cccd[6:]}"
        if int(year) > 2007:
            look["cmnd"][r] = ""


def _join_household(
    look: dict[str, NDArray[Any]],
    cols: dict[str, NDArray[Any]],
    rows: NDArray[np.intp],
    rng: np.random.Generator,
    profile: CorruptionProfile,
) -> None:
    """Put look-alike ``rows`` in random registry households.

    Each takes the household's address and the family name of a random
    member, and (``lookalike_household_phone`` of them) the household's phone.
    """
    host = rng.integers(0, cols["person_id"].size, rows.size)
    for key in ("street_address", "ward", "district", "province", "province_code", "ward_code"):
        look[key][rows] = cols[key][host]
    family = _obj(v.split(" ", 1)[0] for v in cols["full_name"][host].tolist())
    look["full_name"][rows] = _obj(
        f"{f} {v.split(' ', 1)[1]}" if " " in v else f"{f} {v}"
        for f, v in zip(family.tolist(), look["full_name"][rows].tolist(), strict=True)
    )
    phone = rng.random(rows.size) < profile.lookalike_household_phone
    look["phone"][rows[phone]] = cols["phone"][host[phone]]


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _text_column(values: NDArray[Any]) -> NDArray[np.object_]:
    """The column as an object array of ``str`` (``None``/NaN -> ``""``; numbers via ``str``)."""
    column = np.asarray(values, dtype=object)
    if all(type(v) is str for v in column.tolist()):
        return column
    return _obj("" if v is None or v != v else str(v) for v in column.tolist())


def _avoid(values: NDArray[np.object_], taken: NDArray[np.object_]) -> NDArray[np.object_]:
    """Change the last digits of ``values`` that appear in ``taken`` until none does."""
    out = values.copy()
    taken_set = set(taken.tolist())
    for i in range(out.size):
        v = out[i]
        step = 1
        while v and v in taken_set:
            v = v[:-4] + f"{(int(v[-4:]) + 7 * step) % 10_000:04d}"
            step += 1
        out[i] = v
        if v:
            taken_set.add(v)
    return out


def make_vaccination_records(
    registry: Any, *, seed: int = 0, profile: CorruptionProfile | str | None = None
) -> tuple[Table, Table]:
    """Generate hand-typed vaccination records for the people of ``registry``, with the truth.

    Parameters
    ----------
    registry : Table or table-like
        A registry as made by :func:`~vnlink.datasets.make_registry` (at least
        its person, name, dob, sex, cccd, cmnd, phone, address and household columns).
    seed : int
        Seed; the same registry, seed and profile give the same records.
    profile : CorruptionProfile or str, optional
        Rates of each corruption, or the name of a profile (``"easy"``,
        ``"hard"``, ``"heavy"``, ``"clean"``); ``"easy"`` when omitted.

    Returns
    -------
    records : Table
        Columns :data:`RECORD_COLUMNS`, in random order, all ``str``.
    truth : Table
        Columns :data:`TRUTH_COLUMNS`, aligned with ``records``: ``person_id``
        (``""`` for look-alikes not in the registry), ``entity_id`` (the
        person, also for look-alikes), ``dose`` (1-3) and ``corruptions``
        (the applied corruption names, ``;``-joined, in profile order).

    Raises
    ------
    SchemaError
        If the registry lacks a needed column.
    ConfigurationError
        If ``profile`` is not a :class:`CorruptionProfile`.

    Examples
    --------
    >>> reg = make_registry(200, seed=5)
    >>> recs, truth = make_vaccination_records(reg, seed=5)
    >>> recs.n_rows == truth.n_rows > 200
    True
    """
    profile = _resolve_profile(profile)
    table = as_table(registry)
    missing = [c for c in _REGISTRY_NEEDS if c not in table]
    if missing:
        raise SchemaError(
            f"the registry lacks the columns {', '.join(missing)}; "
            "pass a table made by vnlink.datasets.make_registry"
        )
    rng = np.random.default_rng(np.random.SeedSequence([_check_seed_impl(seed), 0x7265_636F]))
    people, registry_row, vaccinated = _persons(table, rng, profile, int(seed))
    relative = _relatives(people["household_id"], people["dob"])

    # records: 1-3 doses per vaccinated person, shuffled
    who = np.flatnonzero(vaccinated)
    weights = np.asarray(profile.dose_weights, dtype=np.float64)
    cumulative = np.cumsum(weights / weights.sum())
    cumulative[-1] = 1.0
    doses = np.searchsorted(cumulative, rng.random(who.size), side="right") + 1
    person = np.repeat(who, doses)
    dose = np.arange(person.size) - np.repeat(np.cumsum(doses) - doses, doses) + 1
    order = rng.permutation(person.size)
    person, dose = person[order], dose[order]
    n = person.size
    labels = _Labels(n)

    name = _names(people["full_name"][person], rng, profile, labels)
    u_typist = rng.random(n)
    no_marks = u_typist < profile.name_no_diacritics
    labels.add("name_no_diacritics", no_marks)
    _encode_names(name, u_typist, rng, profile, labels)

    dob_source = people["dob"][person]
    if profile.dob_registry_placeholder > 0:
        real = _real_birthdays(people["dob"], registry_row, rng, profile)
        flagged = real[person] != ""
        dob_source = np.where(flagged, real[person], dob_source).astype(object)
        labels.add("dob_registry_placeholder", flagged)
    dob = _dobs(dob_source, rng, profile, labels)
    sex = _sexes(people["sex"][person], no_marks, rng, profile, labels)
    id_number = _ids(people, person, relative, rng, profile, labels)
    phone = _phones(people, person, relative, rng, profile, labels)
    address_people, address_person = people, person
    if profile.address_temporary or profile.address_no_ward or profile.address_no_district:
        address_people = _address_sources(people, person, rng, profile, labels)
        address_person = np.arange(n)
    address = _addresses(address_people, address_person, u_typist, rng, profile, labels)
    site = _sites(people, person, rng)

    width = max(7, len(str(n)))
    record_id = _obj(f"R{i:0{width}d}" for i in range(1, n + 1))
    records = Table(
        {
            "record_id": record_id, "full_name": name, "dob": dob, "sex": sex,
            "id_number": id_number, "phone": phone, "address": address, "site": site,
        },
        n_rows=n,
    )
    in_registry = registry_row[person] >= 0
    person_id = np.where(in_registry, people["person_id"][person], "").astype(object)
    truth = Table(
        {
            "record_id": record_id.copy(),
            "person_id": person_id,
            "entity_id": people["person_id"][person].astype(object),
            "dose": dose.astype(np.int64),
            "corruptions": labels.joined(),
        },
        n_rows=n,
    )
    return records, truth


def _resolve_profile(profile: Any) -> CorruptionProfile:
    if profile is None:
        return DEFAULT_PROFILE
    if isinstance(profile, str):
        return CorruptionProfile.named(profile)
    if not isinstance(profile, CorruptionProfile):
        raise ConfigurationError(
            f"profile must be a CorruptionProfile or a profile name, got {type(profile).__name__}"
        )
    return profile


def _real_birthdays(
    dob: NDArray[np.object_], registry_row: NDArray[np.int64], rng: np.random.Generator,
    profile: CorruptionProfile,
) -> NDArray[np.object_]:
    """Per person: the real birthday (ISO) behind a registry's 01/01 placeholder, or ``""``."""
    year, month, day = _date_parts(dob)
    eligible = (registry_row >= 0) & (year > 0) & (year < 1955) & (month == 1) & (day == 1)
    flagged = eligible & (rng.random(dob.size) < profile.dob_registry_placeholder)
    out = np.full(dob.size, "", dtype=object)
    at = np.flatnonzero(flagged)
    if at.size:
        jan_first = (year[at] - 1970).astype("datetime64[Y]").astype("datetime64[D]")
        real = jan_first + rng.integers(1, 365, at.size).astype("timedelta64[D]")
        out[at] = np.datetime_as_string(real, unit="D").astype(object)
    return out


def _address_sources(
    people: dict[str, NDArray[Any]], person: NDArray[np.int64], rng: np.random.Generator,
    profile: CorruptionProfile, labels: _Labels,
) -> dict[str, NDArray[Any]]:
    """Per record, the address columns to type (temporary residence, commune or district left out).

    A temporary residence is another person's household address in another
    district: half in the same province, half anywhere.
    """
    n = person.size
    temporary = rng.random(n) < profile.address_temporary
    no_ward = rng.random(n) < profile.address_no_ward
    no_district = rng.random(n) < profile.address_no_district
    source = person.copy()
    at = np.flatnonzero(temporary)
    if at.size:
        anywhere = rng.integers(0, people["person_id"].size, at.size)
        province_ids, province_of = factorize(people["province"])
        order = np.argsort(province_of, kind="stable")
        counts = np.bincount(province_of, minlength=len(province_ids))
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        own = province_of[person[at]]
        nearby = order[starts[own] + (rng.random(at.size) * counts[own]).astype(np.int64)]
        donor = np.where(rng.random(at.size) < 0.5, nearby, anywhere)
        same = people["district"][donor] == people["district"][person[at]]
        donor[same] = anywhere[same]
        source[at] = donor
        # the rare donor still in the same district: not a temporary residence
        temporary[at[people["district"][donor] == people["district"][person[at]]]] = False
    out = {k: v[source] for k, v in people.items()}
    out["ward"][no_ward] = ""
    out["ward_code"][no_ward] = ""
    out["district"][no_district] = ""
    labels.add("address_temporary", temporary)
    labels.add("address_no_ward", no_ward)
    labels.add("address_no_district", no_district)
    return out


def _names(
    source: NDArray[np.object_], rng: np.random.Generator, profile: CorruptionProfile,
    labels: _Labels,
) -> NDArray[np.object_]:
    n = source.size
    name = source.copy()
    distinct, inverse = factorize(source)
    n_words = np.array([v.count(" ") + 1 for v in distinct], dtype=np.int64)[inverse]
    has_thi = np.array([" Thị " in v for v in distinct], dtype=bool)[inverse]
    drop_middle, drop_thi = _exclusive(
        rng.random(n), [profile.name_drop_middle, profile.name_drop_thi]
    )
    drop_middle &= n_words > 2
    drop_thi &= has_thi
    _apply(name, drop_middle, corrupt.drop_middle)
    _apply(name, drop_thi, corrupt.drop_thi)
    labels.add("name_drop_middle", drop_middle)
    labels.add("name_drop_thi", drop_thi)
    swap = rng.random(n) < profile.name_swap_order
    labels.add("name_swap_order", swap)
    movable = np.zeros(n, dtype=bool)
    placement = rng.random(n) < profile.name_other_tone_placement
    if placement.any():
        distinct, inverse = factorize(name[placement])
        flags = np.array([corrupt.has_movable_tone(v) for v in distinct], dtype=bool)
        movable[np.flatnonzero(placement)] = flags[inverse]
    _apply(name, movable, corrupt.other_tone_placement)
    labels.add("name_other_tone_placement", movable)
    wrong = rng.random(n) < profile.name_wrong_tone
    _apply_random(name, wrong, corrupt.wrong_tone, rng)
    labels.add("name_wrong_tone", wrong)
    phonetic = rng.random(n) < profile.name_phonetic
    before = name[phonetic].copy()
    _apply_random(name, phonetic, corrupt.phonetic_slip, rng)
    phonetic[np.flatnonzero(phonetic)[name[phonetic] == before]] = False
    labels.add("name_phonetic", phonetic)
    typo = rng.random(n) < profile.name_typo
    _apply_random(name, typo, corrupt.keyboard_typo, rng)
    labels.add("name_typo", typo)
    _apply(name, swap, corrupt.swap_name_order)
    upper = rng.random(n) < profile.name_upper
    _apply(name, upper, str.upper)
    labels.add("name_upper", upper)
    return name


def _encode_names(
    name: NDArray[np.object_], u: NDArray[np.float64], rng: np.random.Generator,
    profile: CorruptionProfile, labels: _Labels,
) -> None:
    strip, legacy, telex, vni, nfd = _exclusive(
        u,
        [profile.name_no_diacritics, profile.name_legacy_encoding, profile.name_telex,
         profile.name_vni, profile.name_nfd],
    )
    _apply(name, strip, corrupt.strip_diacritics)
    tcvn3 = legacy & (rng.random(name.size) < 0.5)
    _apply(name, legacy & ~tcvn3, lambda v: corrupt.legacy_mojibake(v, "vni"))
    _apply(name, tcvn3, lambda v: corrupt.legacy_mojibake(v, "tcvn3"))
    for mask, func in ((telex, corrupt.telex_residue), (vni, corrupt.vni_residue)):
        before = name[mask].copy()
        _apply_random(name, mask, func, rng)
        mask[np.flatnonzero(mask)[name[mask] == before]] = False  # a name without marks
    _apply(name, nfd, corrupt.to_nfd)
    labels.add("name_legacy_encoding", legacy)
    labels.add("name_telex", telex)
    labels.add("name_vni", vni)
    labels.add("name_nfd", nfd)


def _dobs(
    source: NDArray[np.object_], rng: np.random.Generator, profile: CorruptionProfile,
    labels: _Labels,
) -> NDArray[np.object_]:
    n = source.size
    year, month, day = _date_parts(source)
    full = day > 0
    layout_weights = np.asarray(profile.dob_formats, dtype=np.float64)
    cumulative = np.cumsum(layout_weights / layout_weights.sum())
    cumulative[-1] = 1.0
    layout = np.searchsorted(cumulative, rng.random(n), side="right").astype(np.intp)
    # registry dates known to the year only: typed as the year or as 01/01/yyyy
    placeholder = ~full & (year > 0) & (rng.random(n) < 0.5)
    month = np.where(placeholder, 1, month)
    day = np.where(placeholder, 1, day)
    year_only_rate = np.where(year < 1950, profile.dob_year_only_old, profile.dob_year_only)
    year_only, jan_first, swap, typo, impossible = _exclusive(
        rng.random(n),
        [year_only_rate, profile.dob_jan_first, profile.dob_day_month_swap,
         profile.dob_digit_typo, profile.dob_impossible],
    )
    year_only &= full
    jan_first &= full
    swap &= full & (day <= 12) & (day != month)
    typo &= full
    impossible &= full
    month, day = np.where(swap, day, month), np.where(swap, month, day)
    month = np.where(jan_first, 1, month)
    day = np.where(jan_first, 1, day)
    month = np.where(year_only, 0, month)
    day = np.where(year_only, 0, day)
    # impossible: a day past the end of the month (moving to a short month if needed)
    short = np.array([2, 2, 2, 4, 4, 6, 6, 9, 9, 11, 11, 11, 2])
    bad_month = np.where(_days_in_month(year, month) == 31, short[np.clip(month, 0, 12)], month)
    month = np.where(impossible, bad_month, month)
    day = np.where(impossible, np.where(bad_month == 2, 30, 31), day)
    out = _format_dates(year, month, day, layout)
    _apply_random(out, typo, corrupt.digit_typo, rng)
    labels.add("dob_year_only", year_only)
    labels.add("dob_jan_first", jan_first)
    labels.add("dob_day_month_swap", swap)
    labels.add("dob_digit_typo", typo)
    labels.add("dob_impossible", impossible)
    return out


def _sexes(
    source: NDArray[np.object_], no_marks: NDArray[np.bool_], rng: np.random.Generator,
    profile: CorruptionProfile, labels: _Labels,
) -> NDArray[np.object_]:
    missing, wrong = _exclusive(rng.random(source.size), [profile.sex_missing, profile.sex_wrong])
    male = source == "M"
    male = np.where(wrong, ~male, male)
    out = np.where(male, "Nam", np.where(no_marks, "Nu", "Nữ")).astype(object)
    out[missing] = ""
    labels.add("sex_missing", missing)
    labels.add("sex_wrong", wrong)
    return out


def _ids(
    people: dict[str, NDArray[Any]], person: NDArray[np.int64], relative: NDArray[np.int64],
    rng: np.random.Generator, profile: CorruptionProfile, labels: _Labels,
) -> NDArray[np.object_]:
    n = person.size
    out = people["cccd"][person].copy()
    cmnd = people["cmnd"][person]
    year, _, _ = _date_parts(people["dob"])
    age = int(_REFERENCE_DATE[:4]) - year
    rel = relative[person]
    rel_adult = (rel >= 0) & (age[np.maximum(rel, 0)] >= 18)
    dependent = ((age[person] < 14) | (age[person] >= 75)) & rel_adult
    relative_rate = np.where(dependent, profile.id_relative, profile.id_relative_other)
    missing, use_cmnd, use_relative = _exclusive(
        rng.random(n), [profile.id_missing, profile.id_cmnd, relative_rate]
    )
    use_cmnd &= cmnd != ""
    use_relative &= rel_adult
    out[use_cmnd] = cmnd[use_cmnd]
    out[use_relative] = people["cccd"][rel[use_relative]]
    out[missing] = ""
    typed = out != ""
    typo, swap = _exclusive(rng.random(n), [profile.id_digit_typo, profile.id_transposition])
    typo &= typed
    swap &= typed
    _apply_random(out, typo, corrupt.digit_typo, rng)
    before = out[swap].copy()
    _apply_random(out, swap, corrupt.adjacent_transposition, rng)
    swap[np.flatnonzero(swap)[out[swap] == before]] = False
    zeros = (rng.random(n) < profile.id_lost_leading_zeros) & np.array(
        [v.startswith("0") for v in out.tolist()], dtype=bool
    )
    _apply(out, zeros, lambda v: v.lstrip("0"))
    for key, mask in (
        ("id_missing", missing), ("id_cmnd", use_cmnd), ("id_relative", use_relative),
        ("id_digit_typo", typo), ("id_transposition", swap), ("id_lost_leading_zeros", zeros),
    ):
        labels.add(key, mask)
    return out


def _phones(
    people: dict[str, NDArray[Any]], person: NDArray[np.int64], relative: NDArray[np.int64],
    rng: np.random.Generator, profile: CorruptionProfile, labels: _Labels,
) -> NDArray[np.object_]:
    n = person.size
    own = people["phone"][person]
    out = own.copy()
    rel = relative[person]
    rel_phone = np.where(rel >= 0, people["phone"][np.maximum(rel, 0)], "").astype(object)
    missing, use_relative, changed = _exclusive(
        rng.random(n), [profile.phone_missing, profile.phone_relative, profile.phone_changed]
    )
    use_relative &= (rel_phone != "") & (rel_phone != own)
    out[use_relative] = rel_phone[use_relative]
    changed &= own != ""
    if changed.any():
        # a new number with the same prefix (it may by chance be someone else's)
        at = np.flatnonzero(changed)
        subscriber = _zero_pad7(rng.integers(0, 10**7, at.size))
        out[at] = _obj(p[:3] + x for p, x in zip(own[at].tolist(), subscriber, strict=True))
    out[missing] = ""
    old = rng.random(n) < profile.phone_old_prefix
    at = np.flatnonzero(old)
    old_forms = _obj(corrupt.old_phone_prefix(v) for v in out[at].tolist())
    old[at[old_forms == ""]] = False
    out[old] = old_forms[old_forms != ""]
    typed = out != ""
    plus84, separators = _exclusive(
        rng.random(n), [profile.phone_plus84, profile.phone_separators]
    )
    plus84 &= typed
    separators &= typed
    typo = (rng.random(n) < profile.phone_digit_typo) & typed
    _apply_random(out, typo, _subscriber_typo, rng)
    _apply(out, plus84, corrupt.phone_plus84)
    _apply_random(out, separators, corrupt.phone_with_separators, rng)
    for key, mask in (
        ("phone_missing", missing), ("phone_relative", use_relative),
        ("phone_changed", changed), ("phone_old_prefix", old),
        ("phone_plus84", plus84), ("phone_separators", separators),
        ("phone_digit_typo", typo),
    ):
        labels.add(key, mask)
    return out


def _zero_pad7(values: NDArray[np.int64]) -> list[str]:
    return [f"{v:07d}" for v in values.tolist()]


def _subscriber_typo(phone: str, rng: np.random.Generator) -> str:
    """A digit typo in the subscriber part (the prefix is kept)."""
    return phone[:3] + corrupt.digit_typo(phone[3:], rng)


def _new_province(province_code: str, fallback: str) -> str:
    from vnlink.datasets._places import province_2025

    return province_2025(province_code, fallback)


def _new_ward(ward_code: str) -> str:
    """The 2025 commune a 2021 commune went into (for a split one, the part its people
    live in: see :func:`vnlink.datasets._places.ward_2025`), or ``""``."""
    from vnlink.datasets._places import ward_2025

    return ward_2025(ward_code)[1]


def _join_parts(parts: list[NDArray[Any]], sep: str = ", ") -> NDArray[np.object_]:
    """Join aligned string arrays with ``sep``, skipping empty parts."""
    join = sep.join
    return _obj(join(filter(None, row)) for row in zip(*(p.tolist() for p in parts), strict=True))


def _addresses(
    people: dict[str, NDArray[Any]], person: NDArray[np.int64], u_typist: NDArray[np.float64],
    rng: np.random.Generator, profile: CorruptionProfile, labels: _Labels,
) -> NDArray[np.object_]:
    n = person.size
    street = people["street_address"][person]
    ward = people["ward"][person]
    district = people["district"][person]
    province = people["province"][person]
    missing = rng.random(n) < profile.address_missing
    typed = ~missing
    abbreviated = (rng.random(n) < profile.address_abbreviated) & typed
    no_marks = (u_typist < profile.address_no_diacritics) & typed
    drop = (rng.random(n) < profile.address_missing_level) & typed
    reordered = (rng.random(n) < profile.address_reordered) & typed
    new_units = (rng.random(n) < profile.address_2025_units) & typed
    which = rng.integers(0, 3, n)  # level dropped: street, ward, district
    style = rng.integers(0, 3, n)

    if new_units.any():
        codes = people["province_code"][person[new_units]]
        distinct, inverse = factorize(codes)
        fallback = province[new_units]
        names = _obj(_new_province(str(c), "") for c in distinct)[inverse]
        province[new_units] = np.where(names != "", names, fallback)
        district[new_units] = ""
        # the 2025 commune
        distinct, inverse = factorize(people["ward_code"][person[new_units]])
        wards_2025 = _obj(_new_ward(str(c)) for c in distinct)[inverse]
        ward[new_units] = np.where(wards_2025 != "", wards_2025, ward[new_units])
    # a dropped level: street, ward or district (ward when the district is already gone)
    which = np.where(new_units & (which == 2), 1, which)
    street[drop & (which == 0)] = ""
    ward[drop & (which == 1)] = ""
    district[drop & (which == 2)] = ""
    for k in range(3):
        pick = abbreviated & (style == k)
        for values in (ward, district, province):
            _apply(values, pick & (values != ""), partial(corrupt.abbreviate_unit, style=k))
    changed = abbreviated | drop | new_units
    forward = np.empty(n, dtype=object)
    keys, inverse = np.unique(person[~changed], return_inverse=True)
    levels = ("street_address", "ward", "district", "province")
    whole = _join_parts([people[k][keys] for k in levels])
    forward[~changed] = whole[inverse]
    at = np.flatnonzero(changed)
    forward[at] = _join_parts([street[at], ward[at], district[at], province[at]])
    if reordered.any():
        at = np.flatnonzero(reordered)
        forward[at] = _join_parts([province[at], district[at], ward[at], street[at]])
    forward[missing] = ""
    _apply(forward, no_marks, corrupt.strip_diacritics)
    for key, mask in (
        ("address_missing", missing), ("address_abbreviated", abbreviated),
        ("address_no_diacritics", no_marks), ("address_missing_level", drop),
        ("address_reordered", reordered), ("address_2025_units", new_units),
    ):
        labels.add(key, mask)
    return forward


def _sites(
    people: dict[str, NDArray[Any]], person: NDArray[np.int64], rng: np.random.Generator
) -> NDArray[np.object_]:
    """The health station of the person's commune, or of another commune of the province (10%)."""
    n = person.size
    distinct, inverse = factorize(zip(people["ward"].tolist(), people["province"].tolist(),
                                      strict=True))
    sites = _obj(f"Trạm Y tế {w}, {p}" for w, p in distinct)
    # another commune of the same province: a random person of that province
    province_ids, province_of = factorize(people["province"])
    order = np.argsort(province_of, kind="stable")
    counts = np.bincount(province_of, minlength=len(province_ids))
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    own = province_of[person]
    other = order[starts[own] + (rng.random(n) * counts[own]).astype(np.int64)]
    at = np.where(rng.random(n) < 0.1, other, person)
    return sites[inverse[at]]


# --------------------------------------------------------------------------- one call


def synthetic_linkage(
    n_persons: int,
    *,
    seed: int = 0,
    profile: CorruptionProfile | str | None = None,
    as_frame: bool = False,
) -> tuple[Any, Any, Any]:
    """A registry, vaccination records typed from it, and the truth, in one call.

    Parameters
    ----------
    n_persons : int
        Registry size.
    seed : int
        Seed of everything; the same arguments give identical tables on any machine.
    profile : CorruptionProfile or str, optional
        Corruption rates, or a profile name (``"easy"``, the default, or
        ``"hard"``, ``"heavy"``, ``"clean"``). Its ``registry_*`` fields shape
        the registry (twins, 01/01 placeholders).
    as_frame : bool
        Return pandas DataFrames instead of :class:`~vnlink.Table` objects (needs pandas).

    Returns
    -------
    registry, records, truth
        See :func:`~vnlink.datasets.make_registry` and :func:`make_vaccination_records`.

    Examples
    --------
    >>> registry, records, truth = synthetic_linkage(1000, seed=0)
    >>> registry.n_rows, records.n_rows > registry.n_rows
    (1000, True)
    >>> share_in_registry = float((truth["person_id"] != "").mean())
    >>> 0.9 < share_in_registry < 0.99
    True
    """
    chosen = _resolve_profile(profile)
    registry = make_registry(
        n_persons, seed=seed, twin_share=chosen.registry_twin_share,
        placeholder_share=chosen.registry_placeholder,
    )
    records, truth = make_vaccination_records(registry, seed=seed, profile=chosen)
    if as_frame:
        return registry.to_pandas(), records.to_pandas(), truth.to_pandas()
    return registry, records, truth


def linkage_truth(truth: Any) -> dict[str, str]:
    """``record_id -> person_id`` (``""`` for people not in the registry) as a dict.

    >>> _, _, truth = synthetic_linkage(100, seed=1)
    >>> mapping = linkage_truth(truth)
    >>> len(mapping) == truth.n_rows
    True
    """
    table = as_table(truth)
    return dict(zip(table["record_id"].tolist(), table["person_id"].tolist(), strict=True))


def true_pairs(registry: Any, truth: Any) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The true matches as aligned row indices ``(registry_rows, record_rows)``.

    ``truth`` rows are aligned with the records (as returned), so a record's
    row number is its row in ``truth``. Records of people absent from the
    registry have no pair.

    >>> registry, records, truth = synthetic_linkage(100, seed=1)
    >>> left, right = true_pairs(registry, truth)
    >>> bool((registry["person_id"][left] == truth["person_id"][right]).all())
    True
    """
    reg = as_table(registry)
    tru = as_table(truth)
    ids = reg["person_id"].astype(str)
    order = np.argsort(ids, kind="stable")
    wanted = tru["person_id"].astype(str)
    right = np.flatnonzero(wanted != "")
    pos = np.searchsorted(ids[order], wanted[right])
    pos = np.minimum(pos, max(ids.size - 1, 0))
    found = ids[order][pos] == wanted[right] if ids.size else np.zeros(right.size, dtype=bool)
    return order[pos[found]].astype(np.int64), right[found].astype(np.int64)


def registry_schema() -> Schema:
    """The :class:`~vnlink.prepare.Schema` of a synthetic registry.

    >>> registry_schema().id_number, registry_schema().old_id_number
    ('cccd', 'cmnd')
    """
    from vnlink.prepare import Schema

    return Schema(
        name="full_name", dob="dob", sex="sex", id_number="cccd", old_id_number="cmnd",
        phone="phone", address=("street_address", "ward", "district", "province"),
        record_id="person_id",
    )


def records_schema() -> Schema:
    """The :class:`~vnlink.prepare.Schema` of the synthetic vaccination records.

    >>> records_schema().address
    'address'
    """
    from vnlink.prepare import Schema

    return Schema(
        name="full_name", dob="dob", sex="sex", id_number="id_number", old_id_number=None,
        phone="phone", address="address", record_id="record_id",
    )

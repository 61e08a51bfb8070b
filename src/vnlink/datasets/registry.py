"""A synthetic population registry (CSDLQG về dân cư) of Vietnamese people in households.

:func:`make_registry` draws households of 1–6 people (head, spouse, children,
sometimes an elderly parent; twins now and then), places each household in a
real 2021 commune of the gazetteer (weighted by provincial population), names
each person after the published frequencies (:mod:`vnlink.datasets.names`),
and gives each a CCCD number that encodes the province of birth
registration, sex, century and birth year, an old 9-digit CMND for part of
the adults, and a mobile number (children and many elderly people share a
relative's). Everything is drawn as numpy arrays from one seeded
``numpy.random.Generator``: the same seed gives the same table on any machine.

Examples
--------
>>> reg = make_registry(300, seed=1)
>>> reg.n_rows, reg.column_names[:5]
(300, ['person_id', 'full_name', 'dob', 'sex', 'cccd'])
>>> row = reg.to_dicts()[0]
>>> row["cccd"][:3] == "0" + row["birth_province_code"], len(row["cccd"])
(True, 12)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink._bulk import as_object_array as _obj
from vnlink.datasets import _places
from vnlink.datasets.names import REGIONAL_SURNAMES as _REGIONAL_SURNAMES
from vnlink.datasets.names import (
    given_names,
    marker_share,
    middle_names,
    surnames,
)
from vnlink.exceptions import ConfigurationError
from vnlink.table import Table

__all__ = ["REFERENCE_DATE", "REGISTRY_COLUMNS", "check_seed", "make_registry"]

REFERENCE_DATE = "2021-12-31"
"""The day the registry describes: ages are counted to it, nobody is born after it."""

REGISTRY_COLUMNS = (
    "person_id", "full_name", "dob", "sex", "cccd", "cmnd", "phone",
    "province", "district", "ward", "province_code", "district_code", "ward_code",
    "street_address", "household_id", "birth_province_code",
)
"""The columns of :func:`make_registry`, in order."""

_HOUSEHOLD_SIZES = np.array([0.12, 0.20, 0.22, 0.26, 0.12, 0.08])  # sizes 1..6; mean 3.3
# current mobile prefixes (vietnam-facts §4) with rough market weights
_MOBILE_PREFIXES = (
    ("032", 4), ("033", 4), ("034", 4), ("035", 4), ("036", 4), ("037", 4), ("038", 4),
    ("039", 4), ("086", 3), ("096", 5), ("097", 6), ("098", 6),
    ("081", 2), ("082", 2), ("083", 2), ("084", 2), ("085", 2), ("088", 2), ("091", 5),
    ("094", 4), ("070", 2), ("076", 1.5), ("077", 1.5), ("078", 1.5), ("079", 1.5),
    ("090", 5), ("093", 4), ("089", 1), ("056", 0.5), ("058", 0.5), ("092", 1), ("059", 0.5),
)
_ROLE_HEAD, _ROLE_SPOUSE, _ROLE_CHILD, _ROLE_ELDER = 0, 1, 2, 3


def check_seed(seed: Any) -> int:
    """``seed`` as a non-negative int, or :class:`ConfigurationError`.

    >>> check_seed(3)
    3
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ConfigurationError(f"seed must be a non-negative integer, got {seed!r}")
    return int(seed)


def _zero_pad(values: NDArray[np.int64], width: int) -> NDArray[np.object_]:
    """Non-negative integers as zero-padded decimal strings (object array)."""
    text = np.strings.zfill(values.astype(np.int64).astype(np.str_), width)
    return text.astype(object)


def _unique_random(
    rng: np.random.Generator,
    base: NDArray[np.int64],
    span: int,
    taken: NDArray[np.int64] | None = None,
) -> NDArray[np.int64]:
    """``base + r`` with ``0 <= r < span`` drawn so that every value is distinct (and not taken)."""
    values = base + rng.integers(0, span, size=base.size)
    for _ in range(100):
        order = np.argsort(values, kind="stable")
        ordered = values[order]
        dup = np.zeros(values.size, dtype=bool)
        dup[order[1:]] = ordered[1:] == ordered[:-1]
        if taken is not None and taken.size:
            dup |= np.isin(values, taken)
        if not dup.any():
            return values
        values[dup] = base[dup] + rng.integers(0, span, size=int(dup.sum()))
    raise ConfigurationError("too many people for the ID space; use fewer persons")


def _households(
    rng: np.random.Generator, n: int, twin_share: float = 0.02
) -> dict[str, NDArray[Any]]:
    """Household structure: index, position, size, role, age (years), sex per person."""
    n_draw = int(n / 3.3 * 1.2) + 10
    sizes = _places.draw(rng, _HOUSEHOLD_SIZES, n_draw) + 1
    ends = np.cumsum(sizes)
    n_households = int(np.searchsorted(ends, n)) + 1
    sizes = sizes[:n_households].copy()
    sizes[-1] -= int(ends[n_households - 1] - n)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    hh = np.repeat(np.arange(n_households), sizes)
    pos = np.arange(n) - starts[hh]
    size = sizes[hh]

    couple = (sizes >= 2) & (rng.random(n_households) < 0.85)
    elder = (sizes >= 3) & (rng.random(n_households) < 0.22)
    u = rng.random(n_households)
    head_male = np.where(sizes == 1, u < 0.45, np.where(couple, u < 0.8, u < 0.2))

    # head age: single-person households skew old and young; others are parents
    single_age = np.where(
        rng.random(n_households) < 0.35, 60 + rng.exponential(8.0, n_households),
        18 + rng.gamma(2.0, 7.0, n_households),
    )
    family_age = rng.gamma(2.4, 11.0, n_households)
    family_age = 20 + np.where(family_age > 60, rng.uniform(10, 60, n_households), family_age)
    n_children = sizes - 1 - couple - elder
    youngest = 21 + 4.0 * n_children
    family_age = np.where(
        family_age < youngest, youngest + rng.uniform(0, 12, n_households), family_age
    )
    head_age = np.clip(np.where(sizes == 1, single_age, family_age), 18, 98)
    spouse_gap = rng.normal(3.0, 3.0, n_households)
    spouse_age = np.clip(np.where(head_male, head_age - spouse_gap, head_age + spouse_gap), 18, 98)
    mother_age = np.where(couple & head_male, spouse_age, head_age)

    role = np.full(n, _ROLE_CHILD, dtype=np.int8)
    role[pos == 0] = _ROLE_HEAD
    role[(pos == 1) & couple[hh]] = _ROLE_SPOUSE
    role[(pos == size - 1) & elder[hh] & (pos >= 2)] = _ROLE_ELDER

    age = np.zeros(n)
    sex_male = np.zeros(n, dtype=bool)
    twin = np.zeros(n, dtype=bool)
    is_head = role == _ROLE_HEAD
    age[is_head] = head_age[hh[is_head]]
    sex_male[is_head] = head_male[hh[is_head]]
    is_spouse = role == _ROLE_SPOUSE
    age[is_spouse] = spouse_age[hh[is_spouse]]
    sex_male[is_spouse] = ~head_male[hh[is_spouse]]
    is_elder = role == _ROLE_ELDER
    elder_gap = rng.uniform(20, 34, int(is_elder.sum()))
    age[is_elder] = np.clip(head_age[hh[is_elder]] + elder_gap, 40, 100)
    sex_male[is_elder] = rng.random(int(is_elder.sum())) < 0.35

    # children, one birth order at a time, vectorized over households
    previous = np.full(n_households, np.nan)
    for p in range(1, 6):
        at = np.flatnonzero((pos == p) & (role == _ROLE_CHILD))
        if at.size == 0:
            continue
        h = hh[at]
        first = np.isnan(previous[h])
        gap = np.where(first, rng.uniform(20, 36, at.size), rng.uniform(1.5, 6.0, at.size))
        base = np.where(first, mother_age[h], previous[h])
        child_age = base - gap
        is_twin = ~first & (rng.random(at.size) < twin_share)
        child_age = np.where(is_twin, previous[h], child_age)
        bad = child_age < 0
        child_age[bad] = rng.uniform(0, 1, int(bad.sum())) * np.maximum(mother_age[h][bad] - 18, 1)
        age[at] = child_age
        twin[at] = is_twin & ~bad
        previous[h] = child_age
    children = role == _ROLE_CHILD
    sex_male[children] = rng.random(int(children.sum())) < 0.526
    return {
        "hh": hh, "pos": pos, "size": size, "role": role, "age": age, "male": sex_male,
        "twin": twin, "starts": starts, "sizes": sizes, "couple": couple,
        "head_male": head_male,
    }


def _dates(rng: np.random.Generator, age: NDArray[np.float64]) -> NDArray[np.datetime64]:
    reference = np.datetime64(REFERENCE_DATE, "D")
    days = np.floor(age * 365.2425).astype(np.int64)
    return reference - days.astype("timedelta64[D]")


def _names(
    rng: np.random.Generator,
    parts: dict[str, NDArray[Any]],
    year: NDArray[np.int64],
    region: NDArray[np.object_],
) -> NDArray[np.object_]:
    n = year.size
    hh, role, male, pos = parts["hh"], parts["role"], parts["male"], parts["pos"]
    starts = parts["starts"]

    # family names: drawn for everyone, then children take the father's
    table = surnames()
    names = np.array(table.names, dtype=object)
    idx = table.draw(rng, n)
    u = rng.random(n)
    family = names[idx]
    for clan, (north, south, shares) in _REGIONAL_SURNAMES.items():
        at = np.flatnonzero(family == clan)
        share = np.array([shares[r] for r in region[at]]) if at.size else np.zeros(0)
        family[at] = np.where(u[at] < share, north, south)
    head = starts[hh]
    spouse = np.where(parts["sizes"][hh] > 1, head + 1, head)
    father = np.where(parts["head_male"][hh], head, np.where(parts["couple"][hh], spouse, -1))
    child = role == _ROLE_CHILD
    takes = child & (father >= 0)
    family[takes] = family[father[takes]]
    single_mother = child & (father < 0) & (rng.random(n) < 0.5)
    family[single_mother] = family[head[single_mother]]
    elder_male = (role == _ROLE_ELDER) & male
    family[elder_male] = family[head[elder_male]]

    # middle names
    mid1 = np.full(n, "", dtype=object)
    mid2 = np.full(n, "", dtype=object)
    for sex, flag, marker in (("M", True, "Văn"), ("F", False, "Thị")):
        at = np.flatnonzero(male == flag)
        t = middle_names(sex)
        words = np.array(t.names, dtype=object)
        first = words[t.draw(rng, at.size)]
        second = words[t.draw(rng, at.size)]
        has_marker = rng.random(at.size) < marker_share(sex, year[at])
        two = rng.random(at.size) < np.clip(0.05 + 0.006 * (year[at] - 1950), 0.05, 0.35)
        two &= second != first
        m1 = np.where(has_marker, marker, first)
        m2 = np.where(two, np.where(has_marker, first, second), "")
        none = rng.random(at.size) < 0.02
        m1[none] = ""
        m2[none] = ""
        mid1[at] = m1
        mid2[at] = m2
    double = (year >= 1975) & (rng.random(n) < 0.02) & (mid1 != "")
    mother_family = names[table.draw(rng, n)]
    mid2[double] = np.where(mid2[double] == "", mid1[double], mid2[double])
    mid1[double] = mother_family[double]

    # given names: mix the traditional and the modern list by birth year
    given = np.empty(n, dtype=object)
    modern = rng.random(n) < np.clip((year - 1960) / 45.0, 0.0, 1.0)
    for sex, flag in (("M", True), ("F", False)):
        for cohort, is_modern in (("modern", True), ("traditional", False)):
            at = np.flatnonzero((male == flag) & (modern == is_modern))
            t = given_names(sex, cohort)
            given[at] = np.array(t.names, dtype=object)[t.draw(rng, at.size)]

    # siblings: younger children often share the first child's middle name, never the
    # given name of an older sibling of the same sex
    first_child = np.full(parts["sizes"].size, -1)
    for p in range(1, 6):
        at = np.flatnonzero((pos == p) & child)
        h = hh[at]
        new = first_child[h] < 0
        first_child[h[new]] = at[new]
        older = at[~new]
        ref = first_child[hh[older]]
        same_sex = male[older] == male[ref]
        share = same_sex & ((rng.random(older.size) < 0.4) | parts["twin"][older])
        mid1[older[share]] = mid1[ref[share]]
        mid2[older[share]] = mid2[ref[share]]
        clash = same_sex & (given[older] == given[ref])
        _redraw_given(rng, given, older[clash], male, given[ref[clash]])

    # a given name never repeats the middle word before it ("Nguyễn Minh Minh")
    last_middle = np.where(mid2 != "", mid2, mid1)
    clash_rows = np.flatnonzero(given == last_middle)
    _redraw_given(rng, given, clash_rows, male, last_middle[clash_rows])

    return _obj(
        " ".join(w for w in (f, a, b, g) if w)
        for f, a, b, g in zip(
            family.tolist(), mid1.tolist(), mid2.tolist(), given.tolist(), strict=True
        )
    )


def _redraw_given(
    rng: np.random.Generator,
    given: NDArray[np.object_],
    rows: NDArray[np.intp],
    male: NDArray[np.bool_],
    avoid: NDArray[np.object_],
) -> None:
    """Give ``rows`` a new given name (modern list) that differs from ``avoid``."""
    for s, flag in (("M", True), ("F", False)):
        sel = male[rows] == flag
        pick = rows[sel]
        if pick.size == 0:
            continue
        t = given_names(s, "modern")
        alt = np.array(t.names, dtype=object)
        fresh = alt[t.draw(rng, pick.size)]
        same = fresh == avoid[sel]
        fresh[same] = np.where(avoid[sel][same] == alt[0], alt[1], alt[0])
        given[pick] = fresh


def _street_addresses(
    rng: np.random.Generator, kind: NDArray[np.object_], region: NDArray[np.object_]
) -> NDArray[np.object_]:
    m = kind.size
    number = rng.integers(1, 300, m)
    alley = rng.integers(1, 120, m)
    sub = rng.integers(1, 40, m)
    street = rng.integers(0, len(_places.STREETS), m)
    village = rng.integers(0, len(_places.VILLAGES), m)
    hamlet = rng.integers(1, 15, m)
    style = rng.random(m)
    out = np.empty(m, dtype=object)
    streets = _places.STREETS
    villages = _places.VILLAGES
    for i, (k, r, s) in enumerate(zip(kind.tolist(), region.tolist(), style.tolist(), strict=True)):
        urban = k != "xã" or s < 0.1
        if urban and r == "north":
            if s < 0.45:
                out[i] = f"Số {number[i]} ngõ {alley[i]} {streets[street[i]]}"
            elif s < 0.85:
                out[i] = f"Số {number[i]} {streets[street[i]]}"
            else:
                out[i] = f"Tổ {hamlet[i]}"
        elif urban:
            if s < 0.35:
                out[i] = f"{number[i]}/{sub[i]} {streets[street[i]]}"
            elif s < 0.85:
                out[i] = f"{number[i]} {streets[street[i]]}"
            else:
                out[i] = f"Khu phố {hamlet[i]}"
        elif r == "south":
            out[i] = f"Ấp {villages[village[i]]}" if s < 0.5 else f"Ấp {hamlet[i]}"
        elif r == "north":
            out[i] = f"Thôn {villages[village[i]]}" if s < 0.4 else (
                f"Xóm {hamlet[i]}" if s < 0.7 else f"Thôn {hamlet[i]}"
            )
        else:
            out[i] = f"Thôn {hamlet[i]}" if s < 0.6 else f"Thôn {villages[village[i]]}"
    return out


def make_registry(
    n_persons: int,
    *,
    seed: int = 0,
    year_only_share: float = 0.15,
    twin_share: float = 0.02,
    placeholder_share: float = 0.0,
) -> Table:
    """Generate a synthetic population registry of ``n_persons`` people.

    Parameters
    ----------
    n_persons : int
        Number of people (rows). Households are cut so the total is exact.
    seed : int
        Seed of the ``numpy.random.Generator``; the same seed gives the same table.
    year_only_share : float
        Share of people born before 1950 whose registered date of birth is
        only a year (``"1948"``), as births registered before 2016 may be.
    twin_share : float
        Probability that a younger child is the twin of the previous one
        (0.02: twins in about 1.5% of households; 0.026: about 2%).
    placeholder_share : float
        Share of people born before 1955 (with a full date) whose registered
        date of birth is the placeholder 1 January of their birth year: the
        registry says ``"1950-01-01"``, the person knows the real day (see
        ``CorruptionProfile.dob_registry_placeholder``).

    Returns
    -------
    Table
        One row per person, columns :data:`REGISTRY_COLUMNS` (all ``str``):
        ``dob`` is ISO ``yyyy-mm-dd`` (or ``yyyy``), ``sex`` ``M``/``F``,
        ``cmnd`` ``""`` when the person has no old CMND; see docs/datasets.md.

    Raises
    ------
    ConfigurationError
        If ``n_persons`` is not a positive integer or a share is not in [0, 1].

    Examples
    --------
    >>> reg = make_registry(1000, seed=7)
    >>> int((reg["sex"] == "F").sum()) in range(430, 570)
    True
    >>> sorted({len(x) for x in reg["phone"]}), sorted({len(x) for x in reg["cmnd"]})
    ([10], [0, 9])
    """
    if isinstance(n_persons, bool) or not isinstance(n_persons, (int, np.integer)) or n_persons < 1:
        raise ConfigurationError(f"n_persons must be a positive integer, got {n_persons!r}")
    for label, share in (("year_only_share", year_only_share), ("twin_share", twin_share),
                         ("placeholder_share", placeholder_share)):
        if isinstance(share, bool) or not isinstance(share, (int, float, np.integer, np.floating)) \
                or not 0.0 <= float(share) <= 1.0:
            raise ConfigurationError(f"{label} must be in [0, 1], got {share!r}")
    n = int(n_persons)
    if n > 50_000_000:
        raise ConfigurationError("n_persons must be at most 50,000,000")
    rng = np.random.default_rng(np.random.SeedSequence([check_seed(seed), 0x7265_6769]))
    places = _places.places()
    parts = _households(rng, n, float(twin_share))
    hh, pos, role = parts["hh"], parts["pos"], parts["role"]
    n_households = parts["sizes"].size

    # residence: one commune per household; origin province for the adults
    ward_of = _places.draw(rng, places.weights, n_households)
    residence = places.province_code[ward_of]
    codes = np.array(places.province_codes, dtype=object)
    origin = np.where(
        rng.random(n_households) < 0.75, residence,
        codes[_places.draw(rng, places.province_weights, n_households)],
    )
    anywhere = codes[_places.draw(rng, places.province_weights, n)]
    u = rng.random(n)
    home = residence[hh]
    birth = np.where(u < 0.85, home, origin[hh])  # children: mostly where they live
    adult_role = (role == _ROLE_HEAD) | (role == _ROLE_ELDER)
    birth[adult_role] = origin[hh][adult_role]
    spouse = role == _ROLE_SPOUSE
    birth[spouse] = np.where(u[spouse] < 0.6, origin[hh][spouse],
                             np.where(u[spouse] < 0.8, home[spouse], anywhere[spouse]))
    region_of = {code: info[2] for code, info in _places.PROVINCES.items()}
    birth_region = _obj([region_of[c] for c in birth.tolist()])

    # dates of birth
    dob = _dates(rng, parts["age"])
    year = dob.astype("datetime64[Y]").astype(np.int64) + 1970
    days, day_index = np.unique(dob, return_inverse=True)
    iso = np.datetime_as_string(days, unit="D").astype(object)[day_index.reshape(-1)]
    year_only = (year < 1950) & (rng.random(n) < year_only_share)
    iso[year_only] = year[year_only].astype(str).astype(object)
    if placeholder_share > 0:
        placeholder = (year < 1955) & ~year_only & (rng.random(n) < placeholder_share)
        iso[placeholder] = _obj(f"{y}-01-01" for y in year[placeholder].tolist())

    full_name = _names(rng, parts, year, birth_region)
    male = parts["male"]

    # CCCD: PPP G YY RRRRRR
    century = (year - 1900) // 100
    gender_digit = 2 * century + (~male).astype(np.int64)
    province_num = np.array([int(c) for c in birth.tolist()], dtype=np.int64)
    base = province_num * 10**9 + gender_digit * 10**8 + (year % 100) * 10**6
    cccd = _zero_pad(_unique_random(rng, base, 10**6), 12)

    # CMND: for part of those 14 or older in 2021, prefix of the birth province
    has_cmnd = (year <= 2007) & (rng.random(n) < 0.6)
    prefixes = {code: info[1] for code, info in _places.PROVINCES.items()}
    k = rng.random(n)
    cmnd_prefix = [
        prefixes[c][int(x * len(prefixes[c]))]
        for c, x in zip(birth.tolist(), k.tolist(), strict=True)
    ]
    plen = np.array([len(p) for p in cmnd_prefix], dtype=np.int64)
    pnum = np.array([int(p) for p in cmnd_prefix], dtype=np.int64)
    span = 10 ** (9 - plen)
    cmnd_num = pnum * span + (rng.random(n) * span).astype(np.int64)
    cmnd_num = _dedupe_scaled(rng, cmnd_num, pnum * span, span)
    cmnd = _zero_pad(cmnd_num, 9)
    cmnd[~has_cmnd] = ""

    # phones: own number; children and many elderly people use a relative's
    prefix_names = np.array([p for p, _ in _MOBILE_PREFIXES], dtype=np.int64)
    prefix_weights = np.array([w for _, w in _MOBILE_PREFIXES], dtype=np.float64)
    pick = prefix_names[_places.draw(rng, prefix_weights, n)]
    phone_num = _unique_random(rng, pick * 10**7, 10**7)
    age = parts["age"]
    v = rng.random(n)
    own = np.where(
        age < 15, False, np.where(age < 18, v < 0.5, np.where(age >= 75, v < 0.4, v < 0.97))
    )
    starts = parts["starts"]
    guardian = np.where(pos == 0, np.where(parts["size"] > 1, starts[hh] + 1, -1), starts[hh])
    borrow = ~own & (guardian >= 0)
    # one pass: borrow the guardian's own number (a head who borrows from a child keeps theirs)
    phone_num[borrow] = phone_num[guardian[borrow]]
    phone = _zero_pad(phone_num, 10)

    street = _street_addresses(rng, places.ward_kind[ward_of], places.region[ward_of])
    width = max(7, len(str(n)))
    person_id = _obj(f"P{i:0{width}d}" for i in range(1, n + 1))
    hwidth = max(6, len(str(n_households)))
    household_ids = _obj(f"H{i:0{hwidth}d}" for i in range(1, n_households + 1))
    sex = np.where(male, "M", "F").astype(object)
    w = ward_of[hh]
    return Table(
        {
            "person_id": person_id,
            "full_name": full_name,
            "dob": iso,
            "sex": sex,
            "cccd": cccd,
            "cmnd": cmnd,
            "phone": phone,
            "province": places.province[w],
            "district": places.district[w],
            "ward": places.ward[w],
            "province_code": places.province_code[w],
            "district_code": places.district_code[w],
            "ward_code": places.ward_code[w],
            "street_address": street[hh],
            "household_id": household_ids[hh],
            "birth_province_code": birth.astype(object),
        },
        n_rows=n,
    )


def _dedupe_scaled(
    rng: np.random.Generator,
    values: NDArray[np.int64],
    base: NDArray[np.int64],
    span: NDArray[np.int64],
) -> NDArray[np.int64]:
    """Redraw duplicates of ``values`` (each in ``[base, base + span)``) until all differ."""
    for _ in range(100):
        order = np.argsort(values, kind="stable")
        ordered = values[order]
        dup = np.zeros(values.size, dtype=bool)
        dup[order[1:]] = ordered[1:] == ordered[:-1]
        if not dup.any():
            return values
        values[dup] = base[dup] + (rng.random(int(dup.sum())) * span[dup]).astype(np.int64)
    raise ConfigurationError("too many people for the CMND space; use fewer persons")

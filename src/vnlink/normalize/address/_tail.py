"""Resolving the administrative tail: every reading scored, the best kept."""

from __future__ import annotations

from typing import NamedTuple

from vnlink.normalize import gazetteer
from vnlink.normalize.address._folding import _Segments
from vnlink.normalize.address._matching import _find, _Match, _Text
from vnlink.normalize.address._memo import _Memo
from vnlink.normalize.address._units import (
    _DISTRICT,
    _PROVINCE,
    _WARD,
    _Index,
    _index,
    _name_tokens,
    _Scope,
)

__all__ = []


class _Tail(NamedTuple):
    """One reading of a tail (a named tuple: made by the thousand, cheaply)."""

    province: str
    district: str
    ward: str
    consumed: int  # tokens of the tail (flattened) left to the street
    confidence: float
    problems: tuple[str, ...]
    score: float
    anchored: bool = False  # surely ends with its top unit: not written in reverse order
    ends_whole: bool = False  # its top unit fills the last part (a reversed reading must)
    era: str = "2021"  # the era of the codes: which form the address was read in
    kind_ok: bool = True  # the commune is of the kind its marker says (or has no marker)


_NOTHING = _Tail("", "", "", -1, 0.0, ("address:unresolved",), 0.0)
_INVALID = _Tail("", "", "", -1, 0.0, (), -1.0)


def _flatten(segments: _Segments, accents: _Segments | None) -> _Text:
    tokens: list[str] = []
    seg_of: list[int] = []
    seg_starts: list[int] = []
    for i, seg in enumerate(segments):
        seg_starts.append(len(tokens))
        tokens.extend(seg)
        seg_of.extend([i] * len(seg))
    marks = [m for seg in accents for m in seg] if accents is not None else None
    return _Text(tokens, marks, seg_of, seg_starts)


_RESOLVED: _Memo[_Tail] = _Memo(limit=1 << 18)


def _resolve(
    segments: _Segments, accents: _Segments | None, era: str, exact: bool = False
) -> _Tail:
    """The best reading of a tail in ``era``; ``exact``: names as written only (no typo
    corrected), when only an exact reading could change the choice between eras."""
    return _resolve_noting(segments, accents, era, exact)[0]


def _resolve_noting(
    segments: _Segments, accents: _Segments | None, era: str, exact: bool = False
) -> tuple[_Tail, bool]:
    """:func:`_resolve`, and whether the diacritics took part in the reading (a name
    shared by several units was met); each tail is read once (kept in a memo)."""
    key = (segments, era, exact)
    kept = _RESOLVED.get(key, accents)
    if kept is not None:
        return kept
    text = _flatten(segments, accents)
    tail = _reading(segments, text, era, exact)
    accented = bool(text.shared_names)
    _RESOLVED.put(key, accents, tail, accented=accented)
    return tail, accented


def _reading(segments: _Segments, text: _Text, era: str, exact: bool) -> _Tail:
    idx = _index(era)
    n = len(text.tokens)
    if n == 0:
        return _NOTHING._replace(era=era)
    best: tuple[float, list[_Tail]] = (0.0, [])

    def consider(tail: _Tail) -> None:
        nonlocal best
        if tail.score > best[0] + 1e-9:
            best = (tail.score, [tail])
        elif abs(tail.score - best[0]) <= 1e-9 and tail.score > 0:
            best[1].append(tail)

    province_options: list[tuple[_Match | None, int]] = [
        (m, n) for m in _find(idx, _PROVINCE, [idx.provinces], text, n, allow_fuzzy=not exact)
    ]
    province_options.append((None, n))
    last_start = text.seg_starts[-1]
    if (
        len(province_options) == 1
        and len(segments) > 1
        and not any(t[:1].isdigit() for t in segments[-1])
    ):
        # an unknown last part ("..., BD", "..., Miền Tây"): read the rest without it
        province_options += [
            (m, last_start)
            for m in _find(idx, _PROVINCE, [idx.provinces], text, last_start, allow_fuzzy=not exact)
        ]
        province_options.append((None, last_start))
    widened = [(w, end) for w, end in ((_wider(idx, pm), end) for pm, end in province_options)]
    no_province = all(pm is None for pm, _ in province_options)

    def district_jobs(pm: _Match | None, end: int) -> list[_Job]:
        """The district readings under ``pm``, each with where to look for its commune."""
        end_p = pm.start if pm else end
        p_codes = pm.codes if pm else ()
        jobs: list[_Job] = []
        district_options: list[_Match | None] = [None]
        if era == "2021":
            if pm is not None:
                d_scopes = [idx.districts_in[c] for c in p_codes if c in idx.districts_in]
                district_options += _find(
                    idx, _DISTRICT, d_scopes, text, end_p, allow_fuzzy=not exact
                )
            else:
                # no province: a typo is corrected among all 705 districts only when
                # no province was found at all, a marker says "district" and a
                # commune inside confirms it (see _score)
                district_options += [
                    m
                    for m in _find(
                        idx,
                        _DISTRICT,
                        [idx.districts_all],
                        text,
                        end_p,
                        allow_fuzzy=no_province and not exact,
                    )
                    if m.marked or not m.fuzzy
                ]
        elif pm is not None:  # 2025: a 2021 district still written ("Quận 1"), a mixture
            d_scopes = [idx.districts_in[c] for c in p_codes if c in idx.districts_in]
            district_options += _find(
                    idx, _DISTRICT, d_scopes, text, end_p, allow_fuzzy=not exact
                )
        else:
            district_options += [
                m
                for m in _find(idx, _DISTRICT, [idx.districts_all], text, end_p, allow_fuzzy=False)
                if m.marked or m.whole
            ]
        # a commune is corrected for typos inside a district found exactly; the readings
        # without a district (or province) only take exact names then (speed)
        strong = any(
            m is not None and not m.fuzzy and (m.marked or m.whole) for m in district_options
        )
        for dm in district_options:
            end_d = dm.start if dm else end_p
            fuzzy = dm is not None or not strong
            if dm is not None and era == "2021":
                w_scopes = [
                    idx.wards_in_district[c] for c in dm.codes if c in idx.wards_in_district
                ]
            elif dm is not None:  # 2025 communes holding part of the 2021 district
                w_scopes = [s for c in dm.codes if (s := idx.wards_in_district.get(c))]
            elif pm is not None:
                w_scopes = [idx.wards_in_province[c] for c in p_codes if c in idx.wards_in_province]
            elif era == "2025":  # no province, no district: exact names only
                w_scopes, fuzzy = [idx.wards_all], False
            else:
                w_scopes = []
            jobs.append((pm, dm, end, end_d, w_scopes, fuzzy and not exact))
        return jobs

    def explore(options: list[tuple[_Match | None, int]]) -> None:
        """Score every reading under ``options``, in their order. Readings are worked
        out best bound first, and those whose best possible score is below a score
        already found are skipped: they could not be kept (the result is the same)."""
        jobs = [job for pm, end in options for job in district_jobs(pm, end)]
        bounds = [_quality(job[0]) + _quality(job[1]) for job in jobs]
        floor = best[0]
        scored: dict[int, list[_Tail]] = {}
        for i in sorted(range(len(jobs)), key=bounds.__getitem__, reverse=True):
            if bounds[i] + _WARD_WEIGHT < floor - _MARGIN:
                break  # this and every later job: not even a perfect commune would do
            pm, dm, end, end_d, w_scopes, fuzzy = jobs[i]
            tails = scored[i] = []
            for wm in (None, *_find(idx, _WARD, w_scopes, text, end_d, allow_fuzzy=fuzzy)):
                if wm is not None and bounds[i] + _WARD_WEIGHT * wm.quality < floor - _MARGIN:
                    continue
                tail = _score(idx, pm, dm, wm, end, n)
                tails.append(tail)
                floor = max(floor, tail.score)
        for i in range(len(jobs)):
            for tail in scored.get(i, ()):
                consider(tail)

    explore(province_options)
    if not (best[1] and best[1][0].ward and "address:ward_fuzzy" not in best[1][0].problems):
        # a 2025 province name for a commune of an old province merged into it?
        explore([(wider, end) for wider, end in widened if wider is not None])
    if not best[1]:
        return _NOTHING._replace(era=era)
    return _merge(best[1])


_Job = tuple[_Match | None, _Match | None, int, int, list[_Scope], bool]
"""A reading to score: province, district, end of the text read, end of the commune's
place, the scopes to look for the commune in, typos corrected there or not."""
_WARD_WEIGHT = 1.2  # a commune match's weight in a reading's score (see _score)
_MARGIN = 1e-6  # far above the 1e-9 within which two scores tie


def _quality(match: _Match | None) -> float:
    """A match's share of a reading's score, at most (``_score`` only lowers it)."""
    return 0.0 if match is None else match.quality


def _new_province(idx: _Index, district: str) -> str:
    """The 2025 province of a 2021 district."""
    return gazetteer.province_2025_of(idx.units[district].parent_code)


def _namesake(idx: _Index, pm: _Match, ward: str) -> bool:
    """Has ``ward`` a namesake commune in an old province merged into ``pm``'s in 2025?"""
    wider = idx.wider.get(pm.codes[0]) if len(pm.codes) == 1 else None
    if wider is None:
        return False
    unit = idx.units[ward]
    key = " ".join(_name_tokens(unit.name))
    for code in wider[1:]:
        scope = idx.wards_in_province.get(code)
        if scope is not None and key in scope.keys:
            return True
    return False


def _wider(idx: _Index, pm: _Match | None) -> _Match | None:
    """A province written with its 2025 name ("TP Hồ Chí Minh" for a commune of old Bình
    Dương): the same match, widened to every old province inside the new one."""
    if pm is None or pm.fuzzy or len(pm.codes) != 1:
        return None
    wider = idx.wider.get(pm.codes[0])
    if wider is None:
        return None
    return pm._replace(codes=wider, quality=pm.quality * 0.9, widened=True)


def _score(
    idx: _Index,
    pm: _Match | None,
    dm: _Match | None,
    wm: _Match | None,
    end: int,
    n: int,
) -> _Tail:
    problems: list[str] = []
    score = 0.0
    confidence = 1.0
    ward = district = province = ""
    new = idx.era == "2025"
    if pm is None and dm is not None and wm is None and (dm.fuzzy or not (dm.marked or dm.whole)):
        return _INVALID  # a bare or corrected district name with nothing to confirm it
    if wm is not None and not wm.marked and wm.after_street:
        return _INVALID  # "27 Nguyễn Văn Cừ": a street named after a commune
    if wm is not None and dm is None and pm is not None:
        # district missing: the commune was looked up in the whole province
        if not wm.marked and not wm.whole and (not new or wm.fuzzy):
            return _INVALID  # a street name, not a commune
        if not wm.marked and not wm.whole:  # 2025: "... Nguyễn Huệ Bình Trưng Đồng Tháp"
            wm = wm._replace(quality=wm.quality * 0.5)
        wm = wm._replace(quality=wm.quality if wm.marked else wm.quality * 0.8)
    w_codes = wm.codes if wm else ()
    d_codes = dm.codes if dm else ()
    if w_codes and d_codes and not new:
        w_codes = tuple(c for c in w_codes if idx.units[c].parent_code in d_codes)
    elif w_codes and d_codes:  # a 2025 commune with a 2021 district: it must hold part of it
        w_codes = tuple(c for c in w_codes if idx.ward_districts.get(c, frozenset()) & {*d_codes})
        if not w_codes:
            return _INVALID
    if len(w_codes) == 1:
        ward = w_codes[0]
        if idx.era == "2021":
            d_codes = (idx.units[ward].parent_code,)
    elif len(w_codes) > 1:
        problems.append("address:ward_ambiguous")
    if len(d_codes) == 1:
        district = d_codes[0]
    elif len(d_codes) > 1:
        parents = {_new_province(idx, c) if new else idx.units[c].parent_code for c in d_codes}
        if pm is None and len(parents) == 1:
            province = parents.pop()
        problems.append("address:district_ambiguous")
    p_codes = pm.codes if pm else ()
    if district:
        unit_province = _new_province(idx, district) if new else idx.units[district].parent_code
        if p_codes and unit_province not in p_codes:
            return _INVALID
        province = unit_province
        if new and not ward and wm is None:  # an island district is a đặc khu since 2025
            ward = gazetteer.district_2025_of(district)
            if not ward:
                return _INVALID  # a 2021 district alone is no 2025 reading
    elif ward:
        province = idx.units[ward].province_code
    elif len(p_codes) == 1:
        province = p_codes[0]
    elif len(p_codes) > 1:
        problems.append("address:province_ambiguous")
    weighted = ((pm, 1.0, province), (dm, 1.0, district), (wm, _WARD_WEIGHT, ward))
    for match, weight, resolved in weighted:
        if match is None:
            continue
        q = match.quality
        if len(match.codes) > 1 and not resolved:
            q *= 0.5
        score += weight * q
        confidence *= q
        if match.fuzzy:
            problems.append(f"address:{match.level}_fuzzy")
        if match.widened:
            problems.append("address:province_2025_name")
    if ward and dm is None and pm is not None and not pm.widened and _namesake(idx, pm, ward):
        # "Xã Toàn Thắng, Hải Phòng": Hải Phòng's own, or the one of old Hải Dương that
        # is in Hải Phòng since 2025? Kept, but not trusted.
        problems.append("address:ward_2025_namesake")
        confidence *= 0.7
    if (
        province
        and wm is None
        and dm is None
        and pm is not None
        and not pm.widened
        and len(pm.codes) == 1
        and pm.codes[0] in idx.wider
    ):
        # "TP Hồ Chí Minh" alone: old Hồ Chí Minh City, or Bình Dương / Bà Rịa - Vũng
        # Tàu written with the 2025 name? province_2025 is sure, province is not
        problems.append("address:province_2025_scope")
        confidence *= 0.7
    if pm is None and province:
        problems.append("address:province_missing")
        confidence *= 0.95
    elif pm is None:
        problems.append("address:province_not_found")
    if idx.era == "2021" and dm is None and district:
        problems.append("address:district_missing")
    elif idx.era == "2021" and not district and "address:district_ambiguous" not in problems:
        problems.append("address:district_not_found")
    if not ward and "address:ward_ambiguous" not in problems:
        problems.append("address:ward_not_found")
    if new and (dm is not None or (pm is not None and pm.old_name)):
        problems.append("address:era_mixed")  # a 2021 district or province in a 2025 address
    if end < n:
        problems.append("address:unknown_part")
        score -= 0.3
        confidence *= 0.8
    if not (province or district or ward):
        confidence = 0.0
    first = min((m.start for m in (pm, dm, wm) if m is not None), default=n)
    # the text ends with its top unit, surely a unit: not written in reverse order
    top = pm or dm or wm
    anchored = (
        top is not None
        and end == n
        and not top.fuzzy
        and (top.whole or top.marked or (top is pm and (dm or wm) is not None))
    )
    if new and pm is None and dm is None:
        anchored = False  # a 2025 commune alone, found anywhere: perhaps written first
        confidence *= 0.8
    ends_whole = top is not None and end == n and top.whole
    return _Tail(
        province,
        district,
        ward,
        first,
        round(confidence, 4),
        tuple(problems),
        score,
        anchored,
        ends_whole,
        idx.era,
        wm.kind_ok if wm is not None else True,
    )


def _merge(tails: list[_Tail]) -> _Tail:
    """Equally good readings: keep the levels they agree on, flag the rest ambiguous."""
    if len(tails) == 1:
        return tails[0]
    first = tails[0]
    problems = list(first.problems)
    province = first.province if all(t.province == first.province for t in tails) else ""
    district = first.district if all(t.district == first.district for t in tails) else ""
    ward = first.ward if all(t.ward == first.ward for t in tails) else ""
    for level, value, old in (
        ("province", province, first.province),
        ("district", district, first.district),
        ("ward", ward, first.ward),
    ):
        if old and not value:
            problems.append(f"address:{level}_ambiguous")
    confidence = min(t.confidence for t in tails) * 0.5
    consumed = max(t.consumed for t in tails)
    return _Tail(
        province,
        district,
        ward,
        consumed,
        round(confidence, 4),
        tuple(dict.fromkeys(problems)),
        first.score,
        all(t.anchored for t in tails),
        all(t.ends_whole for t in tails),
        first.era,
        all(t.kind_ok for t in tails),
    )

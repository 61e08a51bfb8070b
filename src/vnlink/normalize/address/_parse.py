"""``parse_address``: street and units of one typed address."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

from vnlink.normalize import gazetteer
from vnlink.normalize.address._folding import (
    _GLUED_TOKEN,
    _HARD_SPLIT,
    _part,
    _repair,
    _Segments,
    _segments_of_parts,
)
from vnlink.normalize.address._matching import _STREET_NAME_WORDS
from vnlink.normalize.address._memo import _Memo
from vnlink.normalize.address._tail import _resolve, _resolve_noting, _Tail
from vnlink.normalize.address._units import (
    _MARKERS,
    _STREET_WORDS,
    _WARD,
    _Index,
    _index,
    _name_tokens,
)
from vnlink.normalize.address.result import Address
from vnlink.normalize.gazetteer import check_era

__all__ = ["parse_address"]


def _street_text(segments: _Segments) -> str:
    """The street tokens written out, abbreviations expanded, so that re-parsing keeps them."""
    return ", ".join(_street_segment(seg) for seg in segments if seg)


_STREET_TRIGGERS = frozenset(_STREET_WORDS) | {"p", "f", "ph", "q"}


def _street_segment(seg: tuple[str, ...]) -> str:
    if not any(t in _STREET_TRIGGERS or (t[0] in "pfq" and t[-1].isdigit()) for t in seg):
        return " ".join(seg)  # nothing to write out (the common case)
    words: list[str] = []
    for i, token in enumerate(seg):
        nxt = seg[i + 1] if i + 1 < len(seg) else ""
        number = nxt.isdigit() and len(nxt) <= 2
        glued = _GLUED_TOKEN.match(token)
        if nxt[:1].isdigit() and token in _STREET_WORDS:
            # only before a number: an expansion must not make a name ("ai d" -> "ai duong")
            words.append(_STREET_WORDS[token])
        elif token in ("p", "f", "ph") and number:
            words.append("phuong")  # what "P 3" reads as when parsed again
        elif token == "q" and number:
            words.append("quan")
        elif glued:  # "p0/" was not read as "phuong 0": it will be
            words.append(f"{'quan' if token[0] == 'q' else 'phuong'} {int(glued.group(1))}")
        else:
            words.append(token)
    return " ".join(words)


def _split_tail(segments: _Segments, tail: _Tail, offset: int) -> str:
    """Street text: every token before the consumed tail (``offset`` = tokens in the prefix)."""
    if tail.consumed < 0:
        return _street_text(segments)
    keep = offset + tail.consumed
    out: list[tuple[str, ...]] = []
    count = 0
    for seg in segments:
        if count >= keep:
            break
        out.append(seg[: keep - count])
        count += len(seg)
    return _street_text(tuple(out))


def parse_address(text: object, *, era: str | None = None) -> Address:
    """Parse one free-typed Vietnamese address.

    Parameters
    ----------
    text : str or None
        The address, in any order, with or without commas, diacritics and
        abbreviations. ``None`` and non-strings give an empty ``Address``
        with problem ``address:empty``.
    era : {"2021", "2025"}
        The administrative system the address is written in. ``"2021"``
        (default) reads three levels against the 63 provinces; ``"2025"``
        reads the province against the 34 provinces (the 2025 commune list
        is not shipped yet, so communes stay unknown).

    Returns
    -------
    Address

    Raises
    ------
    ConfigurationError
        If ``era`` is not ``"2021"`` or ``"2025"``.

    Examples
    --------
    >>> a = parse_address("Ấp 3, xã Tân Hòa, huyện Lai Vung, tỉnh Đồng Tháp")
    >>> a.ward, a.ward_code, a.district_code, a.province_code, a.province_2025
    ('Xã Tân Hòa', '30235', '876', '87', '82')
    >>> a.street
    'ap 3'
    >>> parse_address("Phường 1, TPHCM").problems  # Phường 1 of which district?
    ('address:ward_ambiguous', 'address:district_not_found')
    >>> parse_address("Xã Phúc Xá, Ba Đình, HN").confidence < 1  # Phúc Xá is a phường
    True
    >>> parse_address(None).problems
    ('address:empty',)
    """
    mode = _ANY if era is None else check_era(era)
    if not isinstance(text, str) or not text.strip():
        return Address(problems=("address:empty",), era=_EMPTY_ERA.get(mode, mode))
    parts = _HARD_SPLIT.split(_repair(text))
    fast = _street_first(parts, mode)
    if fast is not None:
        return fast
    segments, accents = _segments_of_parts(parts)
    if not segments:
        return Address(problems=("address:empty",), era=_EMPTY_ERA.get(mode, mode))
    return _from_segments(segments, accents, mode)


_ANY = "any"
"""The parse mode that reads both forms and keeps the better reading."""
_EMPTY_ERA = {_ANY: ""}


_READ_ANY: _Memo[_Tail] = _Memo(limit=1 << 18)


def _resolve_any(segments: _Segments, accents: _Segments | None) -> _Tail:
    """:func:`_resolve_either`, each tail once (kept in a memo; see ``_memo``)."""
    kept = _READ_ANY.get(segments, accents)
    if kept is not None:
        return kept[0]
    used: list[bool] = []

    def resolve(era: str, exact: bool = False) -> _Tail:
        tail, accented = _resolve_noting(segments, accents, era, exact)
        used.append(accented)
        return tail

    tail = _resolve_either(segments, resolve)
    _READ_ANY.put(segments, accents, tail, accented=any(used))
    return tail


def _resolve_either(segments: _Segments, resolve: Callable[[str, bool], _Tail]) -> _Tail:
    """The tail read in both forms: three levels of 2021, two levels of 2025; the better kept.

    Where one reading settles it, the other is not made (speed): a commune found
    exactly, of the kind written, in its written district (2021), or a marked
    commune and a province and nothing else, with no 2021 namesake that could tie
    (2025); where
    one reading found its commune exactly, the other reads exact names only. On
    4,000 generated addresses the 2025 commune and province are those of
    :func:`_choose` of both full readings every time; for 0.2% the 2021 codes kept
    alongside differ.
    """
    if len(segments) >= 3 or any(t in _DISTRICT_WORDS for seg in segments for t in seg):
        # three parts, or a district marker: most likely the 2021 form, read first
        old = resolve("2021", False)
        if old.ward and old.kind_ok and not _UNSETTLED.intersection(old.problems):
            return old  # the same words cannot read better as a 2025 commune
        # a commune found exactly in a written district: a corrected name cannot beat it
        exact = bool(old.ward) and not _UNSETTLED.intersection(old.problems)
        return _choose(old, resolve("2025", exact))
    new = resolve("2025", False)
    # "<marked commune>, <province>", found exactly, and nothing else in the tail
    perfect = bool(new.ward) and not new.problems and new.score >= 2.2 - 1e-9
    perfect = perfect and new.consumed == 0
    if perfect and _settled(new.ward):
        return new
    # "<marked commune>, <province>" found exactly: a corrected 2021 name cannot beat it
    return _choose(resolve("2021", perfect), new)


_DISTRICT_WORDS = frozenset({"quan", "q", "huyen", "h", "tx", "thixa"})
_UNSETTLED = frozenset(
    {
        "address:district_missing",
        "address:ward_fuzzy",
        "address:district_fuzzy",
        "address:ward_ambiguous",
        "address:district_ambiguous",
    }
)


@lru_cache(maxsize=1 << 12)
def _settled(ward_2025: str) -> bool:
    """Has no old province of its province exactly one 2021 commune of this name and
    kind? Then the 2021 reading of "<marked commune>, <province>" cannot tie with the
    2025 one: another kind than the marker says, or two namesakes, score lower."""
    unit = gazetteer.unit(ward_2025, era="2025", level="ward")
    if unit is None:  # pragma: no cover - codes come from the index
        return False
    old = _index("2021")
    key = " ".join(_name_tokens(unit.name))
    for p in gazetteer.provinces("2021"):
        if gazetteer.province_2025_of(p.code) != unit.province_code:
            continue
        scope = old.wards_in_province.get(p.code)
        codes = scope.keys.get(key, ()) if scope is not None else ()
        if sum(old.units[c].kind == unit.kind for c in codes) == 1:
            return False
        districts = old.districts_in.get(p.code)
        if districts is not None and key in districts.keys:
            return False  # also a 2021 district: _choose may keep it with the commune
    return True


def _choose(old: _Tail, new: _Tail) -> _Tail:
    """The 2021 or the 2025 reading of one tail.

    A commune found by its exact name in one reading beats one corrected for a
    typo in the other; else the higher score wins. On a tie a written district
    means the three-level form; else the two-level form, when it found a commune
    the old commune of that name went into (whole, or in part: then with less
    confidence). If the old commune went elsewhere, the text fits two different
    places: the commune is left unknown (``address:ward_era_ambiguous``).
    """
    if new.score <= 0 or not (new.province or new.ward):
        return old
    if old.score <= 0:
        return new
    old_fuzzy = "address:ward_fuzzy" in old.problems
    new_fuzzy = "address:ward_fuzzy" in new.problems
    if new.ward and old.ward and old_fuzzy != new_fuzzy and old.consumed == new.consumed:
        return old if new_fuzzy else new  # the same words read as two communes
    if new.ward and not new_fuzzy and not old.ward and "address:ward_ambiguous" not in old.problems:
        if not old.district:
            return new
        if new.score > old.score - 0.15 and old.district in _index("2025").ward_districts.get(
            new.ward, ()
        ):
            # "Yên Sơn, Tuyên Quang": Huyện Yên Sơn (2021) or Xã Yên Sơn (2025), which
            # holds part of it: both are kept
            return new._replace(district=old.district)
    if new.score > old.score + 1e-9:
        return new
    if old.score > new.score + 1e-9 or not new.ward:
        return old
    if old.district and "address:district_missing" not in old.problems:
        return old
    went = gazetteer.ward_2025_of(old.ward) if old.ward else (new.ward,)
    if went == (new.ward,):  # one place either way: the 2021 reading says more
        return old if old.ward else new
    if "address:era_mixed" in new.problems:  # 2021 units written ("tỉnh Hòa Bình"): 2021
        return old._replace(
            confidence=round(min(old.confidence, 0.75), 4),
            problems=(*old.problems, "address:ward_era_ambiguous"),
        )
    if new.ward in went:  # the new commune, or the old one split between it and others?
        return new._replace(
            confidence=round(min(new.confidence, 0.75), 4),
            problems=(*new.problems, "address:ward_era_ambiguous"),
        )
    return new._replace(
        confidence=round(min(new.confidence * 0.5, 0.5), 4),
        problems=(*new.problems, "address:ward_era_ambiguous"),
    )


def _street_alone(text: str) -> tuple[bool, str] | None:
    """``(has diacritics, street text)`` of a comma part the parser reads as a street
    alone ("12/3A Lê Văn Sỹ", "Thôn 5": a house or hamlet number, no unit marker after
    it), ``None`` if it does not."""
    if not text or text.isspace():
        return None
    seg, marks = _part(text)
    if len(seg) != 1 or not _is_street(seg[0]) or _split_at(seg[0]):
        return None
    return marks[0] is not seg[0], _street_segment(seg[0])


def _street_first(parts: list[str], era: str) -> Address | None:
    """The common "house and street, units..." form, with the units read once per text.

    When the first comma part is a street alone (a house number, no unit marker after
    it), it takes no part in reading the units: the rest is parsed once (cached) and the
    street put in front. The result is the same as the full path's (tested).
    """
    head = _street_alone(parts[0]) if len(parts) >= 2 else None
    if head is None:
        return None
    rest = _rest_address(tuple(parts[1:]), head[0], era)
    if rest is None:
        return None
    street = head[1]
    if rest.street:
        street = f"{street}, {rest.street}"
    return Address(
        street,
        rest.ward,
        rest.district,
        rest.province,
        rest.ward_code,
        rest.district_code,
        rest.province_code,
        rest.province_2025,
        rest.ward_2025,
        rest.confidence,
        rest.problems,
        rest.era,
        rest.ward_2025_candidates,
    )


@lru_cache(maxsize=1 << 16)
def _rest_address(parts: tuple[str, ...], marked: bool, era: str) -> Address | None:
    """The address of ``parts`` read after a street-only first part (see ``_street_first``)."""
    segments, accents = _segments_of_parts(parts)
    if not segments:
        return None
    street_segment = ("0",)  # stands for any street-only segment
    street_marks = tuple(["0"]) if marked else street_segment  # another object: diacritics
    full = _from_segments((street_segment, *segments), (street_marks, *accents), era)
    if full.street != "0" and not full.street.startswith("0, "):  # pragma: no cover - guard
        return None
    return replace(full, street=full.street[3:])


_SPLIT_BEFORE = {"phuong", "p", "f", "ph", "tt", "x", "xa"}
_STREET_START = {
    "so",
    "sn",
    "ngo",
    "ngach",
    "hem",
    "kiet",
    "ap",
    "thon",
    "xom",
    "buon",
    "bon",
    "plei",
    "ban",
    "to",
    "tdp",
    "kp",
    "khu",
    "duong",
    "d",
    "lang",
    "khom",
    "soc",
    "doi",
    "cum",
}


@lru_cache(maxsize=1 << 16)
def _split_at(seg: tuple[str, ...]) -> int:
    """Where a segment typed without commas turns from house and street to units (0: nowhere)."""
    digit_at = -1
    for i in range(len(seg)):
        if _house_number(seg, i):
            digit_at = i
    if digit_at < 0:
        return 0
    for i in range(digit_at + 1, len(seg) - 1):
        token, following = seg[i], seg[i + 1]
        if token == "thi" and following == "tran":
            return i
        if (
            token in _SPLIT_BEFORE
            and not (token == "xa" and following == "lo")  # "xa lộ": a highway
            and not _MARKERS.get((following,))  # "Trừng Xá, H. Lương Tài": a name's end
        ):
            # a commune marker: the street ends here ("xa" of "thi xa" is a district)
            return 0 if token == "xa" and seg[i - 1] == "thi" else i
        if _MARKERS.get((token,)) or _MARKERS.get((token, following)):
            return 0  # a district or province first: an unmarked commune may precede it
    return 0


def _split_street(segments: _Segments, accents: _Segments) -> tuple[_Segments, _Segments]:
    """Cut segments typed without commas after their house number, at the next unit marker.

    "so 5 ngo 12 pho hue phuong pho hue quan hai ba trung ha noi" becomes
    "so 5 ngo 12 pho hue" + "phuong pho hue quan hai ba trung ha noi", so that
    the administrative tail is the same for every house in the commune.
    """
    out_s: list[tuple[str, ...]] = []
    out_a: list[tuple[str, ...]] = []
    for seg, acc in zip(segments, accents, strict=True):
        cut = _split_at(seg)
        if cut:
            head, rest = seg[:cut], seg[cut:]
            out_s += [head, rest]
            out_a += [head, rest] if acc is seg else [acc[:cut], acc[cut:]]
        else:
            out_s.append(seg)
            out_a.append(acc)
    return tuple(out_s), tuple(out_a)


@lru_cache(maxsize=1 << 16)
def _is_street(seg: tuple[str, ...]) -> bool:
    """A segment that never holds a unit: no unit marker first, and a house number, or a
    named hamlet ("Thôn Đông Hòa", "Ấp Mỹ Thạnh": below the commune, whatever its name)."""
    if _MARKERS.get(seg[:2]) or _MARKERS.get(seg[:1]):
        return False
    if len(seg) >= 2 and seg[0] in _hamlet_words():
        return True
    return any(_house_number(seg, i) for i in range(len(seg)))


@lru_cache(maxsize=1)
def _hamlet_words() -> frozenset[str]:
    """Words that start a hamlet's name and never a unit's ("thôn", "ấp", "khóm"; not
    "xóm": Phường Xóm Chiếu; not "buôn": Buôn Ma Thuột), in either era's gazetteer."""
    hamlets = {"thon", "ap", "xom", "khom", "buon", "bon", "plei", "soc", "ban"}
    starts = {
        tokens[0]
        for era in ("2021", "2025")
        for unit in _index(era).units.values()
        if (tokens := _name_tokens(unit.name))
    }
    return frozenset(hamlets - starts)


def _house_number(seg: tuple[str, ...], i: int) -> bool:
    """Is ``seg[i]`` a house, alley or hamlet number ("12/3a", "số 5", "ngõ 12", "ấp 3")?

    Numbers inside names ("Cổ Nhuế 2", "Phường 13") are not.
    """
    if not seg[i][:1].isdigit():
        return False
    return i == 0 or seg[i - 1] in _STREET_NAME_WORDS or "/" in seg[i]


def _tail_start(segments: _Segments) -> int:
    """First segment of the administrative tail: at most 3 segments, none of them street."""
    start = len(segments) - 1  # the last segment always: it may hold units after a number
    while start > 0 and len(segments) - start < 3 and not _is_street(segments[start - 1]):
        start -= 1
    return start


def _looks_reversed(idx: _Index, segments: _Segments) -> bool:
    """Cheap test: is this address perhaps written province first, street last?"""
    first, last = segments[0], segments[-1]
    if last[0] in _STREET_START or any(t[:1].isdigit() for t in last[:1]):
        return True
    if _MARKERS.get(first[:2]) or _MARKERS.get(first[:1]):
        return True
    last_marker = _MARKERS.get(last[:2]) or _MARKERS.get(last[:1])
    if last_marker is not None and _WARD in last_marker[0]:
        return True  # "..., Q.5, P.13": a commune last
    for n in range(1, min(idx.max_tokens, len(first)) + 1):
        span = first[-n:]
        if " ".join(span) in idx.provinces.keys or "".join(span) in idx.provinces.keys:
            return True
    return False


def _read(segments: _Segments, marks: _Segments | None, era: str) -> tuple[_Tail, int]:
    """Resolve the administrative tail; return it and the number of street tokens before it."""
    start = _tail_start(segments)
    tail_marks = None if marks is None else marks[start:]
    if era == _ANY:
        tail = _resolve_any(segments[start:], tail_marks)
    else:
        tail = _resolve(segments[start:], tail_marks, era)
    return tail, sum(len(s) for s in segments[:start])


def _from_segments(segments: _Segments, accents: _Segments, era: str) -> Address:
    segments, accents = _split_street(segments, accents)
    marks = None if all(a is s for a, s in zip(accents, segments, strict=True)) else accents
    tail, offset = _read(segments, marks, era)
    if (
        len(segments) > 1
        and tail.score < 3.0
        and not tail.anchored
        and not _is_street(segments[0])  # a reversed reading must end with a whole unit
        and _looks_reversed(_index("2021" if era == _ANY else era), segments)
    ):
        # parts written province first ("TP HCM, Quận 3, Phường 13, 12 Lê Văn Sỹ")?
        reverse = segments[::-1]
        rtail, roffset = _read(reverse, None if marks is None else marks[::-1], era)
        if rtail.ends_whole and rtail.score > tail.score + 0.25:
            street = _split_tail(reverse, rtail, roffset)
            street = ", ".join(reversed(street.split(", "))) if street else ""
            return _build(street, rtail, ("address:reversed_order",))
    return _build(_split_tail(segments, tail, offset), tail, ())


def _build(street: str, tail: _Tail, extra: tuple[str, ...]) -> Address:
    u = _units_address(tail, extra)
    if not street:
        return u
    return Address(
        street,
        u.ward,
        u.district,
        u.province,
        u.ward_code,
        u.district_code,
        u.province_code,
        u.province_2025,
        u.ward_2025,
        u.confidence,
        u.problems,
        u.era,
        u.ward_2025_candidates,
    )


@lru_cache(maxsize=1 << 16)
def _units_address(tail: _Tail, extra: tuple[str, ...]) -> Address:
    """The ``Address`` of a resolved tail, without its street (cached per tail)."""
    era = tail.era
    idx = _index(era)
    problems = [*extra, *tail.problems]
    candidates: tuple[str, ...] = ()
    ward = idx.units[tail.ward] if tail.ward else None
    district = idx.units[tail.district] if tail.district else None
    province = idx.units[tail.province] if tail.province else None
    if era == "2021":
        province_2025 = gazetteer.province_2025_of(tail.province) if tail.province else ""
        ward_2025 = ""
        if tail.ward:
            new = gazetteer.ward_2025_of(tail.ward)
            if len(new) == 1:
                ward_2025 = new[0]
            elif new:  # split between communes: the candidates, never one guess
                candidates = new
                problems.append("address:ward_2025_split")
        elif tail.district:
            ward_2025 = gazetteer.district_2025_of(tail.district)  # an island district
    else:
        province_2025 = tail.province
        ward_2025 = tail.ward
    if "address:unresolved" in problems and (province or district or ward):
        problems.remove("address:unresolved")
    if "address:unresolved" in problems:
        for noise in ("address:province_not_found", "address:district_not_found"):
            if noise in problems:
                problems.remove(noise)
    if not (province or district or ward):
        keep = ("unresolved", "ambiguous", "reversed_order")
        problems = [p for p in problems if p.endswith(keep)]
        problems = problems or ["address:unresolved"]
    problems = [p for p in problems if p != "address:ward_not_found" or province or district]
    return Address(
        street="",
        ward=ward.full_name if ward else "",
        district=district.full_name if district else "",
        province=province.full_name if province else "",
        ward_code=tail.ward,
        district_code=tail.district,
        province_code=tail.province,
        province_2025=province_2025,
        ward_2025=ward_2025,
        confidence=float(tail.confidence),
        problems=tuple(dict.fromkeys(problems)),
        era=era,
        ward_2025_candidates=candidates,
    )

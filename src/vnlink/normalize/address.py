"""Parse free-typed Vietnamese addresses into coded administrative units.

``parse_address("12/3A hẻm 45 Lê Văn Sỹ, P.13, Q3, TPHCM")`` finds the
commune (phường/xã/thị trấn), the district and the province, with their
statistics-office codes of the 2021 era, their 2025 equivalents, the
remaining street text, a confidence and problem codes.

How it works
------------
1. The text is repaired (legacy Ð, NFC), folded to lower-case ASCII (tone
   marks and their placement vanish, đ -> d), glued abbreviations are
   split ("P.03" -> "phuong 3", "Q1" -> "quan 1", "F3" -> "phuong 3") and it
   is cut into comma segments of tokens.
2. Units are matched **right to left** against precomputed folded-name
   indexes, each level inside the one above it: the province among the 63
   (with short forms: TPHCM, HCM, SG, Sài Gòn, HN, Huế, BR-VT ...), the
   district inside that province, the commune inside that district. A
   marker word before a name (``quận``, ``Q.``, ``huyện``, ``H.``, ``P.``,
   ``xã``, ``TT.`` ...) says which level it is; numbered units ("Phường 3")
   are only read after such a marker, so house numbers are never wards.
3. A level may be missing (the commune is then looked for in the whole
   province and the district is inferred from it), names may carry typos
   (fuzzy matching with rapidfuzz, restricted to the units of the parent),
   and the parts may come in reverse order. Several readings are scored and
   the best is kept; when two different units explain the text equally well
   the level is left empty with an ``*_ambiguous`` problem: a wrong commune
   is worse than an unknown one.
4. Units are read only in the administrative tail: at most the last three
   comma segments, stopping at a segment with a house number ("12/3A ...",
   "ngõ 5", "ấp 3"; a segment typed without commas is first cut after its
   house number, at the next commune marker). The reading of a tail is
   cached, and for the common "street, units..." form the whole units part
   is read once per distinct text, so repeated units cost a lookup.
5. An old commune written with its 2025 province ("Phường Phú Hòa, TP Hồ
   Chí Minh": Phú Hòa was in Bình Dương) is looked for in every old
   province merged into that one, when not found in the province itself.

Examples
--------
>>> a = parse_address("12/3A hẻm 45 Lê Văn Sỹ, P.13, Q3, TPHCM")
>>> a.ward, a.district, a.province
('Phường 13', 'Quận 3', 'Thành phố Hồ Chí Minh')
>>> a.ward_code, a.district_code, a.province_code, a.province_2025
('27136', '770', '79', '79')
>>> a.street
'12/3a hem 45 le van sy'
>>> parse_address("xom 2 thon Dong, xa Tam Hung, H. Thanh Oai, Ha Noi").ward
'Xã Tam Hưng'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from vnlink._bulk import as_object_array, factorize
from vnlink.normalize import gazetteer
from vnlink.normalize.gazetteer import AdminUnit, _check_era

__all__ = [
    "Address",
    "fold_place",
    "format_address",
    "parse_address",
    "parse_address_columns",
    "parse_addresses",
    "to_2025",
]

# --------------------------------------------------------------------------- folding

_TRANSLATE: dict[int, str] = {}
for _cp in range(0x00C0, 0x1EFA):
    _ch = chr(_cp)
    _base = unicodedata.normalize("NFD", _ch)[0]
    if _base.isascii() and _base.isalpha() and _base != _ch:
        _TRANSLATE[_cp] = _base.lower()
_TRANSLATE.update({ord("đ"): "d", ord("Đ"): "d", ord("Ð"): "d", ord("ð"): "d"})
_COMBINING = re.compile(r"[\u0300-\u036f]")


def fold_place(text: str) -> str:
    """Lower-case ASCII fold of a place name: tone marks (either placement) and đ go.

    Examples
    --------
    >>> fold_place("Thừa Thiên Huế"), fold_place("Hoà Bình") == fold_place("Hòa Bình")
    ('thua thien hue', True)
    >>> fold_place("ÐĂK LĂK")
    'dak lak'
    """
    if not text.isascii():
        text = unicodedata.normalize("NFC", text).translate(_TRANSLATE)
        if not text.isascii():
            text = _COMBINING.sub("", unicodedata.normalize("NFD", text))
    return text.lower()


_fix_encoding: Callable[[str], str] | None = None
_fix_checked = False


def _repair(text: str) -> str:
    """Legacy-encoding repair from ``vnlink.normalize.legacy`` when that module exists."""
    global _fix_encoding, _fix_checked
    if not _fix_checked:
        _fix_checked = True
        try:  # the text-repair module of the normalization issue, when present
            from vnlink.normalize.legacy import fix_encoding

            _fix_encoding = fix_encoding
        except ImportError:  # pragma: no cover - depends on the other module
            _fix_encoding = None
    if _fix_encoding is not None and not text.isascii():  # VIQR ("dd" = đ) would eat "ddi"
        try:
            fixed = _fix_encoding(text)
        except Exception:  # pragma: no cover - a repair bug must not break parsing
            return text
        if isinstance(fixed, str):
            return fixed
    return text


# --------------------------------------------------------------------------- tokens

_GLUED = re.compile(
    r"(?<![a-z0-9])(?:(?:(p|f|ph)|q)\s?\.?\s?0*(\d{1,2})(?![a-z0-9/])|t\.p(?![a-z0-9]))"
)
"""P3, P.03, F3, F.3, Ph.3 -> phuong 3; Q1, Q.01 -> quan 1; T.P -> tp."""


_GLUED_TOKEN = re.compile(r"^(?:p|f|ph|q)0*(\d{1,2})$")


def _unglue(m: re.Match[str]) -> str:
    if m.group(2) is None:
        return " tp "
    return f" {'phuong' if m.group(1) else 'quan'} {m.group(2)} "


_JOINS = [  # hyphenated names, so that a spaced hyphen can separate parts elsewhere
    (re.compile(r"(?<![a-z])ba ria\s*[-–]\s*vung tau(?![a-z])"), "ba ria vung tau"),
    (re.compile(r"(?<![a-z])br\s*[-–]\s*vt(?![a-z])"), "brvt"),
    (re.compile(r"(?<![a-z])thua thien\s*[-–]\s*hue(?![a-z])"), "thua thien hue"),
    (re.compile(r"(?<![a-z])phan rang\s*[-–]\s*thap cham(?![a-z])"), "phan rang thap cham"),
]
_SEGMENT_SPLIT = re.compile(r"[,;|\n\t]+|\s+[-–]+\s+")
_TOKEN = re.compile(r"[a-z0-9]+(?:/[a-z0-9]+)*")
_TOKEN_ACCENTED = re.compile(r"[^\W_]+(?:/[^\W_]+)*")
_TAIL_JUNK = (("viet", "nam"), ("vietnam",), ("vn",))

_Segments = tuple[tuple[str, ...], ...]


def _sub_both(
    pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str], folded: str, accented: str
) -> tuple[str, str]:
    """``pattern.sub`` on the folded text, the same spans replaced in the aligned accented text."""
    pieces_f: list[str] = []
    pieces_a: list[str] = []
    last = 0
    for m in pattern.finditer(folded):
        text = repl(m) if callable(repl) else m.expand(repl)
        pieces_f += [folded[last : m.start()], text]
        pieces_a += [accented[last : m.start()], text]
        last = m.end()
    if not pieces_f:
        return folded, accented
    pieces_f.append(folded[last:])
    pieces_a.append(accented[last:])
    return "".join(pieces_f), "".join(pieces_a)


_HARD_SPLIT = re.compile(r"[,;|\n\t]+")


def _segments(text: str) -> tuple[_Segments, _Segments]:
    """Folded token segments, and the same tokens with their diacritics (lower case)."""
    return _segments_of_parts(_HARD_SPLIT.split(_repair(text)))


def _segments_of_parts(parts: Sequence[str]) -> tuple[_Segments, _Segments]:
    segments: list[tuple[str, ...]] = []
    accents: list[tuple[str, ...]] = []
    for part in parts:
        if part and not part.isspace():
            part_segments, part_accents = _part(part)
            segments += part_segments
            accents += part_accents
    while segments:  # drop a trailing country name or postcode
        last = segments[-1]
        for junk in _TAIL_JUNK:
            if last[-len(junk) :] == junk:
                last = last[: -len(junk)]
                break
        else:
            if last[-1].isdigit() and len(last[-1]) in (5, 6):
                last = last[:-1]
            else:
                break
        if last:
            accents[-1] = last if accents[-1] is segments[-1] else accents[-1][: len(last)]
            segments[-1] = last
        else:
            segments.pop()
            accents.pop()
    return tuple(segments), tuple(accents)


@lru_cache(maxsize=1 << 16)
def _part(raw: str) -> tuple[_Segments, _Segments]:
    """Tokenize one comma-separated part (cached: unit names repeat, streets do not)."""
    if raw.isascii():  # the common case of a street typed without diacritics: one string
        lowered = raw.lower()
        if "'" in lowered or "`" in lowered:
            lowered = lowered.replace("'", "").replace("`", "")
        return _ascii_part(lowered)
    accented = unicodedata.normalize("NFC", raw).lower()
    accented = accented.replace("\u00f0", "đ").replace("'", "").replace("`", "")
    folded = accented.translate(_TRANSLATE)
    if len(folded) != len(accented):  # pragma: no cover - exotic case mappings
        accented = folded
    folded, accented = _sub_both(_GLUED, _unglue, folded, accented)
    if "-" in folded or "\u2013" in folded:
        for pattern, repl in _JOINS:
            folded, accented = _sub_both(pattern, repl, folded, accented)
    segments: list[tuple[str, ...]] = []
    accents: list[tuple[str, ...]] = []
    for part_f, part_a in zip(
        _SEGMENT_SPLIT.split(folded), _SEGMENT_SPLIT.split(accented), strict=False
    ):
        tokens = _TOKEN.findall(part_f)
        if not tokens:
            continue
        marks = tokens if part_a.isascii() else _TOKEN_ACCENTED.findall(part_a)
        if len(marks) != len(tokens):  # pragma: no cover - symbols that fold to nothing
            marks = [part_a[m.start() : m.end()] for m in _TOKEN.finditer(part_f)]
        if any(t.isdigit() and len(t) <= 3 for t in tokens):
            marks = [
                str(int(t)) if t.isdigit() and len(t) <= 3 else m
                for t, m in zip(tokens, marks, strict=True)
            ]
            tokens = [str(int(t)) if t.isdigit() and len(t) <= 3 else t for t in tokens]
        segment, accent = tuple(tokens), tuple(marks)
        segments.append(segment)
        accents.append(segment if accent == segment else accent)  # same object: no diacritics
    return tuple(segments), tuple(accents)


def _ascii_part(folded: str) -> tuple[_Segments, _Segments]:
    folded = _GLUED.sub(_unglue, folded)
    parts = [folded]
    if "-" in folded:
        for pattern, repl in _JOINS:
            folded = pattern.sub(repl, folded)
        parts = _SEGMENT_SPLIT.split(folded)
    segments: list[tuple[str, ...]] = []
    for part in parts:
        tokens = _TOKEN.findall(part)
        if tokens:
            if any(t.isdigit() and len(t) <= 3 for t in tokens):
                tokens = [str(int(t)) if t.isdigit() and len(t) <= 3 else t for t in tokens]
            segments.append(tuple(tokens))
    out = tuple(segments)
    return out, out


_TONES = {"\u0300": "f", "\u0301": "s", "\u0303": "x", "\u0309": "r", "\u0323": "j"}


def _tone_key(word: str) -> tuple[str, str]:
    """A syllable without its tone mark, and the tone: the same for "hoà" and "hòa"."""
    decomposed = unicodedata.normalize("NFD", word)
    tone = "".join(_TONES.get(c, "") for c in decomposed)
    base = "".join(c for c in decomposed if c not in _TONES)
    return unicodedata.normalize("NFC", base), tone


# --------------------------------------------------------------------------- markers

_PROVINCE, _DISTRICT, _WARD = "province", "district", "ward"
_MARKERS: dict[tuple[str, ...], tuple[frozenset[str], str]] = {}
for _words, _levels, _kind in [
    (("tinh",), (_PROVINCE,), "tỉnh"),
    (("t",), (_PROVINCE,), "tỉnh"),
    (("thanh", "pho"), (_PROVINCE, _DISTRICT), "thành phố"),
    (("tp",), (_PROVINCE, _DISTRICT), "thành phố"),
    (("thanhpho",), (_PROVINCE, _DISTRICT), "thành phố"),
    (("quan",), (_DISTRICT,), "quận"),
    (("q",), (_DISTRICT,), "quận"),
    (("huyen",), (_DISTRICT,), "huyện"),
    (("h",), (_DISTRICT,), "huyện"),
    (("thi", "xa"), (_DISTRICT,), "thị xã"),
    (("tx",), (_DISTRICT,), "thị xã"),
    (("thixa",), (_DISTRICT,), "thị xã"),
    (("phuong",), (_WARD,), "phường"),
    (("p",), (_WARD,), "phường"),
    (("f",), (_WARD,), "phường"),
    (("ph",), (_WARD,), "phường"),
    (("xa",), (_WARD,), "xã"),
    (("x",), (_WARD,), "xã"),
    (("thi", "tran"), (_WARD,), "thị trấn"),
    (("tt",), (_WARD,), "thị trấn"),
    (("thitran",), (_WARD,), "thị trấn"),
]:
    _MARKERS[_words] = (frozenset(_levels), _kind)

# Street-level words, canonical forms for the folded street text.
_STREET_WORDS = {
    "h": "hem",
    "sn": "so",
    "d": "duong",
    "kp": "khu pho",
    "tdp": "to dan pho",
    "ng": "ngo",
}
"""Street abbreviations written out before a number ("KP 3" -> "khu pho 3"); each
expansion ends with a word of ``_STREET_NAME_WORDS`` so a re-parse reads it the same."""

# Short forms of provinces (folded), on top of the official names.
_PROVINCE_ALIASES = {
    "01": ["hn", "hanoi", "tphn", "ha noi city"],
    "79": ["hcm", "tphcm", "hcmc", "sai gon", "saigon", "sg", "tp hcm", "ho chi minh city"],
    "46": ["hue", "tth", "thua thien", "tt hue"],
    "77": ["brvt", "br vt", "ba ria vung tau", "vung tau", "ba ria"],
    "48": ["danang"],
    "66": ["dac lac", "daklak", "dak lac"],
    "67": ["dac nong", "daknong"],
    "62": ["kontum"],
    "64": ["gialai"],
}
_DISTRICT_ALIASES = {"769": ["2", "9", "thu duc"]}  # Quận 2 and Quận 9 became TP Thủ Đức (2021)


# --------------------------------------------------------------------------- indexes


def _name_tokens(name: str) -> list[str]:
    out = []
    for token in _TOKEN.findall(fold_place(name.replace("'", "").replace("-", " "))):
        out.append(str(int(token)) if token.isdigit() and len(token) <= 3 else token)
    return out


def _name_keys(name: str) -> list[tuple[str, bool]]:
    """Lookup keys of a name: spaced ("dak lak") and, for several words, joined ("daklak")."""
    tokens = _name_tokens(name)
    if not tokens:
        return []
    keys = [(" ".join(tokens), False)]
    if len(tokens) > 1:
        keys.append(("".join(tokens), True))
    return keys


@dataclass
class _Scope:
    """Folded-name index of the units of one parent at one level."""

    keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    choices: list[str] = field(default_factory=list)
    choice_codes: list[tuple[str, ...]] = field(default_factory=list)
    joined: set[str] = field(default_factory=set)

    def add(self, key: str, code: str, *, joined: bool = False) -> None:
        if joined:
            self.joined.add(key)
        codes = self.keys.get(key, ())
        if code not in codes:
            self.keys[key] = (*codes, code)

    def freeze(self) -> None:
        # fuzzy candidates: the names as written (numbers are never corrected)
        self.choices = [k for k in self.keys if not k.isdigit() and k not in self.joined]
        self.choice_codes = [self.keys[k] for k in self.choices]


@dataclass
class _Index:
    era: str
    units: dict[str, AdminUnit]
    provinces: _Scope
    districts_in: dict[str, _Scope]
    districts_all: _Scope
    wards_in_district: dict[str, _Scope]
    wards_in_province: dict[str, _Scope]
    max_tokens: int
    wider: dict[str, tuple[str, ...]] = field(default_factory=dict)
    accents: dict[str, tuple[str, str]] = field(default_factory=dict)

    def accent_of(self, code: str) -> tuple[str, str]:
        """The unit name's letters and tones, tone placement ignored."""
        key = self.accents.get(code)
        if key is None:
            words = self.units[code].name.lower().replace("'", "").replace("-", " ").split()
            parts = [_tone_key(w) for w in words]
            key = ("".join(p[0] for p in parts), "".join(p[1] for p in parts))
            self.accents[code] = key
        return key


@cache
def _index(era: str) -> _Index:
    units: dict[str, AdminUnit] = {}
    provinces = _Scope()
    districts_in: dict[str, _Scope] = {}
    districts_all = _Scope()
    wards_in_district: dict[str, _Scope] = {}
    wards_in_province: dict[str, _Scope] = {}
    max_tokens = 1

    def keys_of(u: AdminUnit, extra: Iterable[str] = ()) -> list[tuple[str, bool]]:
        nonlocal max_tokens
        keys = _name_keys(u.name)
        for alias in extra:
            keys.extend(_name_keys(alias))
        for key, _joined in keys:
            max_tokens = max(max_tokens, key.count(" ") + 1)
        return keys

    for p in gazetteer.provinces(era):
        units[p.code] = p
        aliases = _PROVINCE_ALIASES.get(p.code, [])
        if era == "2025" and p.code == "46":
            aliases = [*aliases, "thua thien hue"]
        for key, joined in keys_of(p, aliases):
            provinces.add(key, p.code, joined=joined)
    if era == "2021":
        for d in gazetteer.districts():
            units[d.code] = d
            for key, joined in keys_of(d, _DISTRICT_ALIASES.get(d.code, [])):
                districts_in.setdefault(d.parent_code, _Scope()).add(key, d.code, joined=joined)
                districts_all.add(key, d.code, joined=joined)
    for w in gazetteer.wards(era):
        units[w.code] = w
        for key, joined in keys_of(w):
            if era == "2021":
                wards_in_district.setdefault(w.parent_code, _Scope()).add(
                    key, w.code, joined=joined
                )
            wards_in_province.setdefault(w.province_code, _Scope()).add(key, w.code, joined=joined)
    scopes = [provinces, districts_all, *districts_in.values()]
    scopes += [*wards_in_district.values(), *wards_in_province.values()]
    for scope in scopes:
        scope.freeze()
    wider: dict[str, tuple[str, ...]] = {}
    if era == "2021":  # old provinces whose name is also a 2025 province's name
        new_names = {fold_place(p.name) for p in gazetteer.provinces("2025")}
        inside: dict[str, list[str]] = {}
        for p in gazetteer.provinces("2021"):
            inside.setdefault(gazetteer.province_2025_of(p.code), []).append(p.code)
        for p in gazetteer.provinces("2021"):
            group = inside[gazetteer.province_2025_of(p.code)]
            if fold_place(p.name) in new_names and len(group) > 1:
                wider[p.code] = (p.code, *(c for c in group if c != p.code))
    return _Index(
        era,
        units,
        provinces,
        districts_in,
        districts_all,
        wards_in_district,
        wards_in_province,
        max_tokens,
        wider,
    )


# --------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class _Match:
    level: str
    codes: tuple[str, ...]
    start: int  # first token consumed, marker included
    quality: float
    fuzzy: bool
    marked: bool
    kind_ok: bool
    whole: bool  # the name (with its marker) fills its comma segment
    after_street: bool = False  # right after a house number or a street word ("27 Lê Lợi")
    widened: bool = False  # a 2025 province name read as all the old provinces inside it


_STREET_NAME_WORDS = {
    "h",
    "ng",
    "duong",
    "d",
    "pho",
    "ngo",
    "ngach",
    "hem",
    "kiet",
    "so",
    "sn",
    "ap",
    "thon",
    "xom",
    "ban",
    "buon",
    "bon",
    "plei",
    "lang",
    "khom",
    "soc",
    "to",
    "kp",
    "tdp",
    "khu",
    "doi",
    "cum",
}
_UNMARKED = {_PROVINCE: (1.0, 0.95), _DISTRICT: (0.95, 0.85), _WARD: (0.9, 0.7)}
"""Quality of a name match with no marker before it: (whole comma segment, part of one)."""


@dataclass(frozen=True)
class _Text:
    """The flattened tokens of the segments being resolved."""

    tokens: list[str]
    accents: list[str] | None
    seg_of: list[int]
    seg_starts: list[int]


def _marker_before(
    tokens: Sequence[str], seg_start: int, start: int
) -> tuple[int, frozenset[str], str] | None:
    for width in (2, 1):
        if start - width >= seg_start:
            found = _MARKERS.get(tuple(tokens[start - width : start]))
            if found is not None:
                return start - width, found[0], found[1]
    return None


def _fuzzy_cutoff(length: int) -> float:
    if length < 5:
        return 1.01  # too short to correct safely
    return 0.8


def _by_accent(idx: _Index, codes: tuple[str, ...], marks: Sequence[str]) -> tuple[str, ...]:
    """Of several units with the same folded name, those whose diacritics match the text.

    Only called when the address carries diacritics somewhere, so a name typed
    without them ("Sa Pa") means the unit without them, not "Sa Pả".
    """
    parts = [_tone_key(m) for m in marks]
    key = ("".join(p[0] for p in parts), "".join(p[1] for p in parts))
    same = tuple(c for c in codes if idx.accent_of(c) == key)
    if same:
        return same
    letters = tuple(c for c in codes if idx.accent_of(c)[0] == key[0])  # tones dropped only
    return letters or codes


def _find(
    idx: _Index,
    level: str,
    scopes: Sequence[_Scope],
    text: _Text,
    end: int,
    *,
    allow_fuzzy: bool,
) -> list[_Match]:
    """Units of ``level`` whose name ends at token ``end`` (exclusive), in ``scopes``."""
    if end <= 0 or not scopes:
        return []
    tokens = text.tokens
    seg_start = text.seg_starts[text.seg_of[end - 1]]
    found: dict[tuple[tuple[str, ...], int], _Match] = {}
    longest = min(idx.max_tokens, end - seg_start)
    for n in range(longest, 0, -1):
        start = end - n
        span = tokens[start:end]
        codes: tuple[str, ...] = ()
        for key in (" ".join(span), "".join(span)) if n > 1 else (span[0],):
            for scope in scopes:
                hit = scope.keys.get(key)
                if hit:
                    codes = tuple(dict.fromkeys((*codes, *hit)))
        if not codes:
            continue
        if len(codes) > 1 and text.accents is not None:
            codes = _by_accent(idx, codes, text.accents[start:end])
        numeric = all(t.isdigit() for t in span)
        matches = _make_match(
            idx, level, codes, tokens, seg_start, start, fuzzy=False, score=1.0, numeric=numeric
        )
        for match in matches:
            found.setdefault((match.codes, match.start), match)
        if len({key[0] for key in found}) >= 2:
            break
    if found or not allow_fuzzy:
        return list(found.values())
    # fuzzy: spans ending at ``end`` inside the segment, marker words excluded
    best: list[tuple[float, tuple[str, ...], int]] = []
    for n in range(min(idx.max_tokens + 1, end - seg_start), 0, -1):
        start = end - n
        span = tokens[start:end]
        first_marker = _MARKERS.get(tuple(span[:2])) or _MARKERS.get(tuple(span[:1]))
        if first_marker is not None and (level in first_marker[0] or tuple(span[:2]) in _MARKERS):
            continue  # "thành phố ...", "P. ...": a marker is not part of a misspelt name
        if any(t[:1].isdigit() for t in span):
            continue
        query = " ".join(span)
        cutoff = _fuzzy_cutoff(len(query) - n + 1)
        if cutoff > 1:
            continue
        for scope in scopes:
            if not scope.choices:
                continue
            # a fast bit-parallel prefilter, then Damerau-Levenshtein (a swap is one typo)
            hits = process.extract(
                query, scope.choices, scorer=fuzz.ratio, score_cutoff=70.0, limit=4
            )
            for choice, _ratio, pos in hits:
                score = DamerauLevenshtein.normalized_similarity(query, choice)
                if score >= cutoff:
                    best.append((float(score), scope.choice_codes[pos], start))
    if not best:
        return []
    top_score = max(item[0] for item in best)
    top = [item for item in best if item[0] >= top_score - 1e-9]
    codes = tuple(dict.fromkeys(c for _, cs, _ in top for c in cs))
    start = max(st for _, _, st in top)
    return _make_match(
        idx, level, codes, tokens, seg_start, start, fuzzy=True, score=top_score, numeric=False
    )


_ALLEY_WORDS = {"duong", "d", "pho", "ngo", "ngach", "hem", "kiet", "so", "sn"}


def _after_street(tokens: Sequence[str], seg_start: int, start: int) -> bool:
    """Does a name at ``start`` follow a street ("27 Lê Lợi", "đường Lê Lợi", "ngõ 5 Lê Lợi")?

    A name after a hamlet number ("tổ dân phố 8 Hậu Thành", "buôn 3 Vũ Đông")
    is more likely the commune, and is not excluded.
    """

    def alley(i: int) -> bool:
        word = tokens[i]
        return word in _ALLEY_WORDS and not (
            word == "pho" and i > seg_start and tokens[i - 1] == "dan"
        )

    if start == seg_start:
        return False
    before = tokens[start - 1]
    if not before[:1].isdigit():
        return alley(start - 1)
    return start - 1 == seg_start or "/" in before or alley(start - 2)


def _make_match(
    idx: _Index,
    level: str,
    codes: tuple[str, ...],
    tokens: Sequence[str],
    seg_start: int,
    start: int,
    *,
    fuzzy: bool,
    score: float,
    numeric: bool,
) -> list[_Match]:
    """The readings of a name match: with the marker word before it, and without.

    The word before a name may be a marker ("huyện Sơn Tịnh") or the end of
    another name ("Sơn Tịnh", then "Quảng Ngãi" read after "tỉnh"): both
    readings are returned and the whole address decides.
    """
    marker = _marker_before(tokens, seg_start, start)
    right_marker = marker is not None and level in marker[1]
    factor = 0.6 + 0.3 * (score - 0.8) / 0.2 if fuzzy else 1.0
    out: list[_Match] = []
    if marker is not None and right_marker:
        kind = marker[2]
        same_kind = tuple(c for c in codes if idx.units[c].kind == kind)
        kind_ok = bool(same_kind)
        quality = (1.0 if kind_ok else 0.93) * factor
        out.append(
            _Match(
                level,
                same_kind or codes,
                marker[0],
                quality,
                fuzzy,
                True,
                kind_ok,
                marker[0] == seg_start,
            )
        )
    if numeric:
        return out  # "3" alone is a house number, "Phường 3" a ward
    if marker is not None and marker[1] == {_PROVINCE} and marker[0] == seg_start:
        return out  # "tỉnh Bà Rịa ...": after "tỉnh" comes a province name
    quality = _UNMARKED[level][0 if start == seg_start else 1] * factor
    if marker is not None and not right_marker:
        quality *= 0.4  # a marker of another level right before: suspicious
    after_street = _after_street(tokens, seg_start, start)
    out.append(
        _Match(level, codes, start, quality, fuzzy, False, True, start == seg_start, after_street)
    )
    return out


# --------------------------------------------------------------------------- the tail


@dataclass(frozen=True)
class _Tail:
    province: str
    district: str
    ward: str
    consumed: int  # tokens of the tail (flattened) left to the street
    confidence: float
    problems: tuple[str, ...]
    score: float
    anchored: bool = False  # surely ends with its top unit: not written in reverse order
    ends_whole: bool = False  # its top unit fills the last part (a reversed reading must)


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


@lru_cache(maxsize=1 << 16)
def _resolve(segments: _Segments, accents: _Segments | None, era: str) -> _Tail:
    idx = _index(era)
    text = _flatten(segments, accents)
    n = len(text.tokens)
    if n == 0:
        return _NOTHING
    best: tuple[float, list[_Tail]] = (0.0, [])

    def consider(tail: _Tail) -> None:
        nonlocal best
        if tail.score > best[0] + 1e-9:
            best = (tail.score, [tail])
        elif abs(tail.score - best[0]) <= 1e-9 and tail.score > 0:
            best[1].append(tail)

    province_options: list[tuple[_Match | None, int]] = [
        (m, n) for m in _find(idx, _PROVINCE, [idx.provinces], text, n, allow_fuzzy=True)
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
            for m in _find(idx, _PROVINCE, [idx.provinces], text, last_start, allow_fuzzy=True)
        ]
        province_options.append((None, last_start))
    widened = [(w, end) for w, end in ((_wider(idx, pm), end) for pm, end in province_options)]
    no_province = all(pm is None for pm, _ in province_options)

    def explore(pm: _Match | None, end: int) -> None:
        end_p = pm.start if pm else end
        p_codes = pm.codes if pm else ()
        district_options: list[_Match | None] = [None]
        if era == "2021":
            if pm is not None:
                d_scopes = [idx.districts_in[c] for c in p_codes if c in idx.districts_in]
                district_options += _find(idx, _DISTRICT, d_scopes, text, end_p, allow_fuzzy=True)
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
                        allow_fuzzy=no_province,
                    )
                    if m.marked or not m.fuzzy
                ]
        # a commune is corrected for typos inside a district found exactly; the readings
        # without a district (or province) only take exact names then (speed)
        strong = any(
            m is not None and not m.fuzzy and (m.marked or m.whole) for m in district_options
        )
        for dm in district_options:
            end_d = dm.start if dm else end_p
            if dm is not None:
                w_scopes = [idx.wards_in_district[c] for c in dm.codes]
            elif pm is not None:
                w_scopes = [idx.wards_in_province[c] for c in p_codes if c in idx.wards_in_province]
            else:
                w_scopes = []
            fuzzy = dm is not None or not strong
            ward_options: list[_Match | None] = [
                None,
                *_find(idx, _WARD, w_scopes, text, end_d, allow_fuzzy=fuzzy),
            ]
            for wm in ward_options:
                consider(_score(idx, pm, dm, wm, end, n))

    for pm, end in province_options:
        explore(pm, end)
    if not (best[1] and best[1][0].ward and "address:ward_fuzzy" not in best[1][0].problems):
        # a 2025 province name for a commune of an old province merged into it?
        for wider, end in widened:
            if wider is not None:
                explore(wider, end)
    if not best[1]:
        return _NOTHING
    return _merge(best[1])


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
    return replace(pm, codes=wider, quality=pm.quality * 0.9, widened=True)


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
    if pm is None and dm is not None and wm is None and (dm.fuzzy or not (dm.marked or dm.whole)):
        return _INVALID  # a bare or corrected district name with nothing to confirm it
    if wm is not None and not wm.marked and wm.after_street:
        return _INVALID  # "27 Nguyễn Văn Cừ": a street named after a commune
    if wm is not None and dm is None and pm is not None:
        # district missing: the commune was looked up in the whole province
        if not wm.marked and not wm.whole:
            return _INVALID  # a street name, not a commune
        wm = replace(wm, quality=wm.quality if wm.marked else wm.quality * 0.8)
    w_codes = wm.codes if wm else ()
    d_codes = dm.codes if dm else ()
    if w_codes and d_codes:
        w_codes = tuple(c for c in w_codes if idx.units[c].parent_code in d_codes)
    if len(w_codes) == 1:
        ward = w_codes[0]
        if idx.era == "2021":
            d_codes = (idx.units[ward].parent_code,)
    elif len(w_codes) > 1:
        problems.append("address:ward_ambiguous")
    if len(d_codes) == 1:
        district = d_codes[0]
    elif len(d_codes) > 1:
        parents = {idx.units[c].parent_code for c in d_codes}
        if pm is None and len(parents) == 1:
            province = parents.pop()
        problems.append("address:district_ambiguous")
    p_codes = pm.codes if pm else ()
    if district:
        unit_province = idx.units[district].parent_code
        if p_codes and unit_province not in p_codes:
            return _INVALID
        province = unit_province
    elif ward:
        province = idx.units[ward].province_code
    elif len(p_codes) == 1:
        province = p_codes[0]
    elif len(p_codes) > 1:
        problems.append("address:province_ambiguous")
    for match, weight in ((pm, 1.0), (dm, 1.0), (wm, 1.2)):
        if match is None:
            continue
        q = match.quality
        resolved = {pm: province, dm: district, wm: ward}.get(match, "")
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
    )


# --------------------------------------------------------------------------- public API


@dataclass(frozen=True, slots=True)
class Address:
    """A parsed address: units of the 2021 era with their codes, and the 2025 equivalents.

    Attributes
    ----------
    street : str
        The text left of the commune (house number, alley, street, hamlet),
        folded to lower-case ASCII with abbreviations expanded.
    ward, district, province : str
        Official full names ("Phường 13", "Quận 3", "Thành phố Hồ Chí Minh"), ``""`` if unknown.
    ward_code, district_code, province_code : str
        NSO codes of the parse era (5, 3 and 2 digits), ``""`` if unknown.
    province_2025, ward_2025 : str
        Codes of the same place in the 2025 two-level system (``""`` if unknown).
    confidence : float
        0..1, how sure the returned codes are right (0 when nothing was found).
    problems : tuple of str
        Problem codes ``address:<reason>``.
    era : str
        The era of ``ward_code``/``district_code``/``province_code``.
    """

    street: str = ""
    ward: str = ""
    district: str = ""
    province: str = ""
    ward_code: str = ""
    district_code: str = ""
    province_code: str = ""
    province_2025: str = ""
    ward_2025: str = ""
    confidence: float = 0.0
    problems: tuple[str, ...] = ()
    era: str = "2021"

    @property
    def canonical(self) -> str:
        """The address written out again: street, then the official unit names.

        >>> parse_address("p bến nghé q1 tphcm").canonical
        'Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh'
        """
        return format_address(self)


def format_address(address: Address) -> str:
    """``street, ward, district, province`` with the units' official names; empty parts left out.

    Examples
    --------
    >>> format_address(parse_address("so 5 ngo 12 pho Hue, P. Pho Hue, Q. Hai Ba Trung, HN"))
    'so 5 ngo 12 pho hue, Phường Phố Huế, Quận Hai Bà Trưng, Thành phố Hà Nội'
    """
    parts = (address.street, address.ward, address.district, address.province)
    return ", ".join(p for p in parts if p)


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


def parse_address(text: object, *, era: str = "2021") -> Address:
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
    era = _check_era(era)
    if not isinstance(text, str) or not text.strip():
        return Address(problems=("address:empty",), era=era)
    parts = _HARD_SPLIT.split(_repair(text))
    fast = _street_first(parts, era)
    if fast is not None:
        return fast
    segments, accents = _segments_of_parts(parts)
    if not segments:
        return Address(problems=("address:empty",), era=era)
    return _from_segments(segments, accents, era)


def _street_first(parts: list[str], era: str) -> Address | None:
    """The common "house and street, units..." form, with the units read once per text.

    When the first comma part is a street alone (a house number, no unit marker after
    it), it takes no part in reading the units: the rest is parsed once (cached) and the
    street put in front. The result is the same as the full path's (tested).
    """
    if len(parts) < 2 or not parts[0] or parts[0].isspace():
        return None
    head, head_marks = _part(parts[0])
    if len(head) != 1 or not _is_street(head[0]) or _split_at(head[0]):
        return None
    rest = _rest_address(tuple(parts[1:]), head_marks[0] is not head[0], era)
    if rest is None:
        return None
    street = _street_segment(head[0])
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
    """A segment that never holds a unit: it has a house number and no unit marker first."""
    if _MARKERS.get(seg[:2]) or _MARKERS.get(seg[:1]):
        return False
    return any(_house_number(seg, i) for i in range(len(seg)))


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
    tail = _resolve(segments[start:], None if marks is None else marks[start:], era)
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
        and _looks_reversed(_index(era), segments)
    ):
        # parts written province first ("TP HCM, Quận 3, Phường 13, 12 Lê Văn Sỹ")?
        reverse = segments[::-1]
        rtail, roffset = _read(reverse, None if marks is None else marks[::-1], era)
        if rtail.ends_whole and rtail.score > tail.score + 0.25:
            street = _split_tail(reverse, rtail, roffset)
            street = ", ".join(reversed(street.split(", "))) if street else ""
            return _build(street, rtail, era, ("address:reversed_order",))
    return _build(_split_tail(segments, tail, offset), tail, era, ())


def _build(street: str, tail: _Tail, era: str, extra: tuple[str, ...]) -> Address:
    u = _units_address(tail, era, extra)
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
    )


@lru_cache(maxsize=1 << 16)
def _units_address(tail: _Tail, era: str, extra: tuple[str, ...]) -> Address:
    """The ``Address`` of a resolved tail, without its street (cached per tail)."""
    street = ""
    idx = _index(era)
    problems = [*extra, *tail.problems]
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
            elif new:
                problems.append("address:ward_2025_split")
            else:
                problems.append("address:ward_2025_unavailable")
    else:
        province_2025 = tail.province
        ward_2025 = tail.ward
    if "address:unresolved" in problems and (province or district or ward):
        problems.remove("address:unresolved")
    for noise in ("address:province_not_found", "address:district_not_found"):
        if noise in problems and (
            "address:unresolved" in problems or (noise.startswith("address:d") and era == "2025")
        ):
            problems.remove(noise)
    if not (province or district or ward):
        keep = ("unresolved", "ambiguous", "reversed_order")
        problems = [p for p in problems if p.endswith(keep)]
        problems = problems or ["address:unresolved"]
    problems = [p for p in problems if p != "address:ward_not_found" or province or district]
    return Address(
        street=street,
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
    )


def to_2025(address: Address | str | None) -> Address:
    """The same place in the two-level system of 1 July 2025 (no districts, 34 provinces).

    A string is parsed first (as a 2021-era address). The province always
    converts; the commune converts only where the commune map is shipped
    (it is not in this version: ``ward_2025`` stays ``""`` and the problem
    ``address:ward_2025_unavailable`` says so).

    Examples
    --------
    >>> new = to_2025("Phường Phú Hòa, Thủ Dầu Một, Bình Dương")
    >>> new.province, new.province_code, new.district, new.era
    ('Thành phố Hồ Chí Minh', '79', '', '2025')
    >>> to_2025("P. Phú Hòa, TP Thủ Dầu Một, BD").problems[-1]
    'address:ward_2025_unavailable'
    """
    if not isinstance(address, Address):
        address = parse_address(address)
    if address.era == "2025":
        return address
    province_new = gazetteer.unit(address.province_2025, era="2025", level="province")
    ward_new = (
        gazetteer.unit(address.ward_2025, era="2025", level="ward") if address.ward_2025 else None
    )
    return Address(
        street=address.street,
        ward=ward_new.full_name if ward_new else "",
        district="",
        province=province_new.full_name if province_new else "",
        ward_code=address.ward_2025,
        district_code="",
        province_code=address.province_2025,
        province_2025=address.province_2025,
        ward_2025=address.ward_2025,
        confidence=address.confidence,
        problems=address.problems,
        era="2025",
    )


def parse_addresses(values: Iterable[Any], *, era: str = "2021") -> dict[str, NDArray[Any]]:
    """Parse a column of addresses; the bulk form used by ``prepare()``.

    Each distinct text is parsed once, and the administrative tail (the last
    three comma segments) is resolved once per distinct tail, so the cost is
    driven by the number of distinct units, not of rows.

    Parameters
    ----------
    values : iterable of str or None
    era : {"2021", "2025"}

    Returns
    -------
    dict of str to numpy.ndarray
        ``street``, ``province``, ``district``, ``ward`` (codes of ``era``),
        ``province_2025``, ``ward_2025`` (object arrays, ``""`` when unknown),
        ``address_confidence`` (float32) and ``address_problems`` (``;``-joined).

    Examples
    --------
    >>> cols = parse_addresses(["P.13, Q3, TPHCM", None, "P.13, Q.3, TP.HCM"])
    >>> cols["ward"].tolist(), cols["province_2025"].tolist()
    (['27136', '', '27136'], ['79', '', '79'])
    >>> cols["address_confidence"].dtype
    dtype('float32')
    """
    era = _check_era(era)
    distinct, inverse = factorize(as_object_array(values))
    n = len(distinct)
    street = np.empty(n, dtype=object)
    province = np.empty(n, dtype=object)
    district = np.empty(n, dtype=object)
    ward = np.empty(n, dtype=object)
    province_2025 = np.empty(n, dtype=object)
    ward_2025 = np.empty(n, dtype=object)
    confidence = np.empty(n, dtype=np.float32)
    problems = np.empty(n, dtype=object)
    for i, value in enumerate(distinct):
        a = parse_address(value, era=era)
        street[i] = a.street
        province[i] = a.province_code
        district[i] = a.district_code
        ward[i] = a.ward_code
        province_2025[i] = a.province_2025
        ward_2025[i] = a.ward_2025
        confidence[i] = a.confidence
        problems[i] = ";".join(a.problems)
    return {
        "street": street[inverse],
        "province": province[inverse],
        "district": district[inverse],
        "ward": ward[inverse],
        "province_2025": province_2025[inverse],
        "ward_2025": ward_2025[inverse],
        "address_confidence": confidence[inverse],
        "address_problems": problems[inverse],
    }


_PARSED_KEYS = (
    "street", "province", "district", "ward", "province_2025", "ward_2025",
    "address_confidence", "address_problems",
)  # fmt: skip


def parse_address_columns(
    columns: Sequence[Iterable[Any]], *, era: str = "2021"
) -> dict[str, NDArray[Any]]:
    """Parse an address typed in several columns, the first one the street part.

    The result is exactly :func:`parse_addresses` of each row's non-blank parts
    (``str(value).strip()`` of every value that is not ``None``, empty ones
    left out) joined with ``", "``, or ``None`` when every part is blank. It is
    faster on a registry: where the first column is a street alone (a house
    number, no unit marker), the other columns are read once per distinct
    combination of them and the street once per distinct street; the other
    rows are parsed whole, once per distinct combination of all the columns.
    The first column need not be a street: such rows are simply parsed whole.

    Parameters
    ----------
    columns : sequence of array-like of str or None
        One or more columns of equal length: the street part (house number,
        alley, street), then the units (e.g. ward, district, province).
    era : {"2021", "2025"}

    Returns
    -------
    dict of str to numpy.ndarray
        The same keys and dtypes as :func:`parse_addresses`.

    Raises
    ------
    ConfigurationError
        If there is no column, the columns differ in length, or ``era`` is not
        ``"2021"`` or ``"2025"``.

    Examples
    --------
    >>> cols = parse_address_columns([
    ...     ["12/3A hẻm 45 Lê Văn Sỹ", "Ấp 3", None],
    ...     ["P.13", "xã Tân Hòa", "Phường Bến Nghé"],
    ...     ["Q3", "huyện Lai Vung", "Quận 1"],
    ...     ["TPHCM", "tỉnh Đồng Tháp", "TP Hồ Chí Minh"],
    ... ])
    >>> cols["ward"].tolist(), cols["street"].tolist()
    (['27136', '30235', '26740'], ['12/3a hem 45 le van sy', 'ap 3', ''])
    >>> joined = parse_addresses(["12/3A hẻm 45 Lê Văn Sỹ, P.13, Q3, TPHCM"])
    >>> cols["ward"][0] == joined["ward"][0] and cols["street"][0] == joined["street"][0]
    True
    """
    from vnlink.exceptions import ConfigurationError

    era = _check_era(era)
    plain = [as_object_array(c) for c in columns]
    if not plain:
        raise ConfigurationError("parse_address_columns needs at least one column (the street)")
    n = len(plain[0])
    if any(len(p) != n for p in plain):
        raise ConfigurationError(
            "parse_address_columns: the columns differ in length "
            f"({', '.join(str(len(p)) for p in plain)}); pass columns of one table"
        )
    s_distinct, s_inv = factorize(plain[0])
    s_text = ["" if v is None else str(v).strip() for v in s_distinct]
    r_first, r_inv = _combination_rows(plain[1:], n)
    r_text = [_joined_parts(plain[1:], row) for row in r_first.tolist()]

    # per distinct street: does the parser's street-first shortcut take it, and how?
    s_ok = np.zeros(len(s_text), dtype=bool)
    s_marked = np.zeros(len(s_text), dtype=np.int64)
    s_street = np.full(len(s_text), "", dtype=object)
    for i, text in enumerate(s_text):
        if not text or _HARD_SPLIT.search(text):
            continue
        head, marks = _part(text)
        if len(head) != 1 or not _is_street(head[0]) or _split_at(head[0]):
            continue
        s_ok[i] = True
        s_marked[i] = marks[0] is not head[0]
        s_street[i] = _street_segment(head[0])
    s_kind = _repair_kinds(s_text)
    r_kind = _repair_kinds([t or "" for t in r_text])
    r_ok = np.array([t is not None for t in r_text], dtype=bool)
    row_s_kind, row_r_kind = s_kind[s_inv], r_kind[r_inv]
    fast = (
        s_ok[s_inv]
        & r_ok[r_inv]
        & (((row_s_kind == 0) & (row_r_kind == 0)) | (row_s_kind == 1) | (row_r_kind == 1))
    )

    # the units of the fast rows, once per (units combination, street has diacritics)
    key = r_inv.astype(np.int64) * 2 + s_marked[s_inv]
    keys, key_inv = np.unique(key[fast], return_inverse=True)
    rests: list[Address | None] = []
    for k in keys.tolist():
        parts = tuple(_HARD_SPLIT.split(", " + str(r_text[k // 2]))[1:])
        rests.append(_rest_address(parts, bool(k % 2), era))
    no_rest = np.array([r is None for r in rests], dtype=bool)
    group = np.zeros(n, dtype=np.intp)
    group[fast] = key_inv.reshape(-1)
    if no_rest.any():  # the shortcut does not apply: parse those rows whole
        fast[np.flatnonzero(fast)[no_rest[key_inv.reshape(-1)]]] = False

    # every other row: parse the joined text, once per distinct combination
    slow = np.flatnonzero(~fast)
    pair = s_inv[slow].astype(np.int64) * len(r_text) + r_inv[slow]
    _, pair_first, pair_inv = np.unique(pair, return_index=True, return_inverse=True)
    wholes: list[str | None] = []
    for row in slow[pair_first].tolist():
        texts = [t for t in (s_text[s_inv[row]], r_text[r_inv[row]]) if t]
        wholes.append(", ".join(texts) if texts else None)
    group[slow] = len(rests) + pair_inv.reshape(-1)

    found = [r if r is not None else Address() for r in rests]
    found += [parse_address(w, era=era) for w in wholes]
    m = len(found)
    cols: dict[str, NDArray[Any]] = {k: np.empty(m, dtype=object) for k in _PARSED_KEYS}
    cols["address_confidence"] = np.empty(m, dtype=np.float32)
    for j, a in enumerate(found):
        cols["street"][j] = a.street
        cols["province"][j] = a.province_code
        cols["district"][j] = a.district_code
        cols["ward"][j] = a.ward_code
        cols["province_2025"][j] = a.province_2025
        cols["ward_2025"][j] = a.ward_2025
        cols["address_confidence"][j] = a.confidence
        cols["address_problems"][j] = ";".join(a.problems)
    out = {k: v[group] for k, v in cols.items()}

    # the street of the fast rows: the street column's text, then what the units left
    fast_rows = np.flatnonzero(fast)
    street = out["street"]
    tail = street[fast_rows]
    street[fast_rows] = s_street[s_inv[fast_rows]]
    with_tail = np.flatnonzero(tail != "")
    if len(with_tail):
        rows = fast_rows[with_tail]
        street[rows] = [f"{h}, {t}" for h, t in zip(street[rows], tail[with_tail], strict=True)]
    return out


def _combination_rows(
    columns: list[NDArray[np.object_]], n: int
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """A row of each distinct combination of the columns' values, and each row's combination.

    The codes are packed into one integer (re-numbered only when the product of
    the numbers of distinct values would overflow), then sorted once.
    """
    combined = np.zeros(n, dtype=np.int64)
    size = 1
    for column in columns:
        distinct, inverse = factorize(column)
        if size * len(distinct) >= 1 << 62:
            combined = np.unique(combined, return_inverse=True)[1].reshape(-1).astype(np.int64)
            size = int(combined.max()) + 1 if n else 1
        combined = combined * len(distinct) + inverse
        size *= max(len(distinct), 1)
    _, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    return first.astype(np.intp), inverse.reshape(-1).astype(np.intp)


def _joined_parts(columns: list[NDArray[np.object_]], row: int) -> str | None:
    """The stripped, non-empty values of ``row`` joined with ``", "`` (None if none)."""
    texts = [str(c[row]).strip() for c in columns if c[row] is not None]
    texts = [t for t in texts if t]
    return ", ".join(texts) if texts else None


def _repair_kinds(texts: list[str]) -> NDArray[np.int8]:
    """Per text: 0 ASCII, 1 has a character no legacy byte shows as, 2 neither.

    :func:`parse_address` first repairs legacy encodings of the whole text; it
    leaves ASCII text alone, and text with a character of kind 1 (real
    Unicode). So ``street + ", " + units`` reads the same as its two parts when
    both are ASCII or either has such a character.
    """
    try:
        from vnlink.normalize.legacy import non_surface

        unicode_only: re.Pattern[str] | None = non_surface()
    except ImportError:  # pragma: no cover - no repair module: only ASCII is known safe
        unicode_only = None
    kinds = np.full(len(texts), 2, dtype=np.int8)
    for i, text in enumerate(texts):
        if text.isascii():
            kinds[i] = 0
        elif unicode_only is not None and unicode_only.search(text):
            kinds[i] = 1
    return kinds

"""Finding unit names that end at a token: exact, by diacritics, fuzzy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from vnlink.normalize.address._folding import _tone_key
from vnlink.normalize.address._units import _DISTRICT, _MARKERS, _PROVINCE, _WARD, _Index, _Scope

__all__ = []


class _Match(NamedTuple):
    """A unit name found in the text (a named tuple: made by the thousand, cheaply)."""

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
    old_name: bool = False  # era 2025: a province written with a 2021 name ("Bình Dương")


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
    # names met that several units share: there the diacritics chose (see _memo)
    shared_names: list[tuple[str, ...]] = field(default_factory=list)


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
    """Units of ``level`` whose name ends at token ``end`` (exclusive), in ``scopes``.

    A lookup reads only the words of its comma segment up to ``end``, so it is made
    once per distinct segment and scope (kept in ``idx.found``) and shifted to where
    the segment stands in this text.
    """
    if end <= 0 or not scopes:
        return []
    seg_start = text.seg_starts[text.seg_of[end - 1]]
    words = tuple(text.tokens[seg_start:end])
    accents = None if text.accents is None else tuple(text.accents[seg_start:end])
    key = (level, tuple(map(id, scopes)), words, allow_fuzzy)
    kept = idx.found.get(key, accents)
    if kept is None:
        marks = None if accents is None else list(accents)
        local = _Text(list(words), marks, [0] * len(words), [0])
        found = _find_in_segment(idx, level, scopes, local, len(words), allow_fuzzy=allow_fuzzy)
        accented = bool(local.shared_names)
        idx.found.put(key, accents, found, accented=accented)
    else:
        found, accented = kept
    if accented:
        text.shared_names.append(words)
    if not seg_start:
        return list(found)
    new = tuple.__new__  # what _replace(start=...) makes, without its overhead (hot path)
    return [new(_Match, (m[0], m[1], m[2] + seg_start, *m[3:])) for m in found]


def _find_in_segment(
    idx: _Index,
    level: str,
    scopes: Sequence[_Scope],
    text: _Text,
    end: int,
    *,
    allow_fuzzy: bool,
) -> list[_Match]:
    """:func:`_find` for a text of one comma segment."""
    tokens = text.tokens
    seg_start = 0
    found: dict[tuple[tuple[str, ...], int], _Match] = {}
    lengths = (
        scopes[0].lengths if len(scopes) == 1 else frozenset().union(*(s.lengths for s in scopes))
    )
    longest = min(max(lengths), end - seg_start)
    for n in range(longest, 0, -1):
        if n not in lengths:
            continue
        start = end - n
        span = tokens[start:end]
        codes: tuple[str, ...] = ()
        old_name = False
        for key in (" ".join(span), "".join(span)) if n > 1 else (span[0],):
            for scope in scopes:
                hit = scope.keys.get(key)
                if hit:
                    codes = tuple(dict.fromkeys((*codes, *hit)))
                    old_name = old_name or key in idx.old_province_names
        if not codes:
            continue
        if len(codes) > 1:
            text.shared_names.append(tuple(span))
            if text.accents is not None:
                codes = _by_accent(idx, codes, text.accents[start:end])
        numeric = all(t.isdigit() for t in span)
        matches = _make_match(
            idx, level, codes, tokens, seg_start, start, fuzzy=False, score=1.0, numeric=numeric
        )
        for match in matches:
            if old_name:
                match = match._replace(old_name=True)
            found.setdefault((match.codes, match.start), match)
        if len({key[0] for key in found}) >= 2:
            break
    if found or not allow_fuzzy:
        return list(found.values())
    # fuzzy: spans ending at ``end`` inside the segment, marker words excluded
    best: list[tuple[float, tuple[str, ...], int]] = []
    for n in range(min(longest + 1, end - seg_start), 0, -1):
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
            hits = scope.fuzzy.get(query)
            if hits is None:
                hits = scope.fuzzy[query] = _fuzzy_hits(scope.choices, query, cutoff)
            best += [(score, scope.choice_codes[pos], start) for score, pos in hits]
    if not best:
        return []
    top_score = max(item[0] for item in best)
    top = [item for item in best if item[0] >= top_score - 1e-9]
    codes = tuple(dict.fromkeys(c for _, cs, _ in top for c in cs))
    start = max(st for _, _, st in top)
    return _make_match(
        idx, level, codes, tokens, seg_start, start, fuzzy=True, score=top_score, numeric=False
    )


def _fuzzy_hits(choices: list[str], query: str, cutoff: float) -> list[tuple[float, int]]:
    """(similarity, position) of the names within ``cutoff`` of ``query``: a fast
    bit-parallel prefilter, then Damerau-Levenshtein (a swap is one typo)."""
    out = []
    for choice, _ratio, pos in process.extract(
        query, choices, scorer=fuzz.ratio, score_cutoff=70.0, limit=4
    ):
        score = DamerauLevenshtein.normalized_similarity(query, choice)
        if score >= cutoff:
            out.append((float(score), pos))
    return out


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

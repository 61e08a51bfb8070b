"""Folding, legacy-text repair and tokenizing of typed addresses."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache

__all__ = ["fold_place"]

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
    *(
        (re.compile(rf"(?<![a-z]){a}\s*[-–]\s*{b}(?![a-z])"), f"{a} {b}")
        for a, b in [  # 2025 communes (and two of early 2025) named after two places
            ("van mieu", "quoc tu giam"),
            ("phuong lien", "trung tu"),
            ("chan may", "lang co"),
            ("xuan huong", "da lat"),
            ("cam ly", "da lat"),
            ("lam vien", "da lat"),
            ("xuan truong", "da lat"),
            ("lang biang", "da lat"),
        ]
    ),
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

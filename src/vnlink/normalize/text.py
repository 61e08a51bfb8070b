"""Clean Vietnamese text: NFC, look-alike letters, invisible characters, tone placement, folding.

Hand-typed Vietnamese arrives in several byte forms that look the same on
screen: composed (NFC) or decomposed (NFD, one letter plus up to two
combining marks, as cp1258 and Unikey's "Unicode tổ hợp" produce), with the
Icelandic look-alike Ð (U+00D0) for Đ, with zero-width or non-breaking
spaces pasted from web pages, and with the tone of *hòa*/*hoà* on either
vowel. These functions make them one string.

All of them pass ``None`` through, never raise on a string, and are
idempotent (``f(f(x)) == f(x)``).

Examples
--------
>>> to_nfc("Nguye\\u0302\\u0303n\\u00a0 Va\\u0306n\\u200b")
'Nguyễn Văn'
>>> to_nfc("ÐẶNG")
'ĐẶNG'
>>> normalize_tones("Nguyễn Thị Hoà, Huỳnh Thuỷ")
'Nguyễn Thị Hòa, Huỳnh Thủy'
>>> fold("Đặng Thị Thuỷ")
'dang thi thuy'
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import overload

from unidecode import unidecode

from vnlink.normalize.syllables import ToneStyle, place_tone

__all__ = [
    "NEEDS_TRANSLATE",
    "TRANSLATE",
    "compose",
    "fold",
    "fold_word",
    "normalize_tones",
    "to_nfc",
]

#: Characters that are invisible or stand for a plain space.
_INVISIBLE = dict.fromkeys(
    map(
        ord, "\u00ad\u034f\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
    ),
    None,
)
_LOOKALIKES = {0x00D0: "Đ", 0x00F0: "đ", 0x0189: "Đ", 0x0256: "đ"}
TRANSLATE = {**_INVISIBLE, **_LOOKALIKES}


@overload
def to_nfc(text: str) -> str: ...
@overload
def to_nfc(text: None) -> None: ...
def to_nfc(text: str | None) -> str | None:
    """NFC with look-alike letters mapped, invisible characters dropped, whitespace collapsed.

    - Unicode NFC (composed letters; NFD input becomes one code point per letter);
    - Ð (U+00D0, Icelandic eth) and ð, Ɖ, ɖ become Đ / đ, which they imitate;
    - zero-width spaces and joiners, the BOM, soft hyphens and bidi marks are removed;
    - non-breaking and other Unicode spaces count as spaces; runs of whitespace
      become one space, and the ends are stripped.

    ``None`` comes back as ``None``; other non-strings as ``str(text)`` treated the same way.

    Examples
    --------
    >>> to_nfc("  Lê\\u200b  Thị\\tHoa ")
    'Lê Thị Hoa'
    >>> to_nfc("Ðỗ"), to_nfc(None)
    ('Đỗ', None)
    """
    if text is None:
        return None
    if not isinstance(text, str):
        text = str(text)
    if text.isascii():
        return " ".join(text.split())
    return _to_nfc(text)


NEEDS_TRANSLATE = re.compile("[" + "".join(map(chr, TRANSLATE)) + "]")


def _to_nfc(text: str) -> str:
    if NEEDS_TRANSLATE.search(text):
        text = text.translate(TRANSLATE)
    if not unicodedata.is_normalized("NFC", text):
        text = compose(text)
    return " ".join(text.split())


#: A tone mark typed before the shape mark of the same letter ("e" + ~ + ^): both have
#: combining class 230, so NFC keeps their order and cannot compose "ễ".
_TONE_BEFORE_SHAPE = re.compile("([\u0300\u0301\u0303\u0309])([\u0302\u0306])")


def compose(text: str) -> str:
    """NFC, after putting shape marks before tone marks."""
    decomposed = unicodedata.normalize("NFD", text)
    if _TONE_BEFORE_SHAPE.search(decomposed):
        decomposed = _TONE_BEFORE_SHAPE.sub(r"\2\1", decomposed)
    return unicodedata.normalize("NFC", decomposed)


#: A word: letters, each with the combining marks that follow it.
_WORD = re.compile(r"(?:[^\W\d_][\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff]*)+")


@overload
def normalize_tones(text: str, *, style: ToneStyle = ...) -> str: ...
@overload
def normalize_tones(text: None, *, style: ToneStyle = ...) -> None: ...
def normalize_tones(text: str | None, *, style: ToneStyle = "first") -> str | None:
    """Put every tone mark in its canonical position (``hoà`` -> ``hòa``).

    Only open syllables with *oa*, *oe*, *uy* are typed two ways, and only a
    mark misplaced by a typist moves elsewhere; a closed syllable (``hoàn``,
    ``huỳnh``) or a *qu* syllable (``quý``) already has its one position.
    Words that are not Vietnamese syllables are left alone. The text is first
    made NFC (see :func:`to_nfc` for the full clean-up).

    Parameters
    ----------
    text : str or None
    style : {"first", "second"}
        ``"first"`` writes hòa, khỏe, thủy; ``"second"`` writes hoà, khoẻ, thuỷ.

    Examples
    --------
    >>> normalize_tones("Khoẻ, Hoà, Thuỵ, Quý, Quỳnh, Hoàn")
    'Khỏe, Hòa, Thụy, Quý, Quỳnh, Hoàn'
    >>> normalize_tones("Hòa Thủy", style="second")
    'Hoà Thuỷ'
    """
    if text is None:
        return None
    if not isinstance(text, str):
        text = str(text)
    text = unicodedata.normalize("NFC", text)
    if text.isascii():
        return text
    return _WORD.sub(lambda m: place_tone(m.group(), style=style), text)


_FOLD_TABLE = {0x0111: "d", 0x0110: "D", 0x00D0: "D", 0x00F0: "d", 0x0189: "D", 0x0256: "d"}


@lru_cache(maxsize=1 << 16)
def fold_word(text: str) -> str:
    stripped = "".join(
        ch
        for ch in unicodedata.normalize("NFD", text.translate(_FOLD_TABLE))
        if not unicodedata.combining(ch)
    )
    if not stripped.isascii():
        stripped = "".join(ch if ch.isascii() else _unidecode_char(ch) for ch in stripped)
    return stripped.lower()


def _unidecode_char(ch: str) -> str:
    if 0xD800 <= ord(ch) <= 0xDFFF:
        return ""
    out: str = unidecode(ch)
    return out if out.isascii() else ""


@overload
def fold(text: str) -> str: ...
@overload
def fold(text: None) -> None: ...
def fold(text: str | None) -> str | None:
    """Lower-case ASCII: every mark removed, đ -> d, single spaces.

    The form for tone-insensitive comparison, the way people type when the
    keyboard has no Vietnamese layout. Letters of other scripts are
    transliterated with ``unidecode``; what cannot be is dropped.
    The output is always ASCII.

    Examples
    --------
    >>> fold("Nguyễn  Thị Ánh"), fold("ĐOÀN"), fold("Ðường"), fold(None)
    ('nguyen thi anh', 'doan', 'duong', None)
    """
    if text is None:
        return None
    if not isinstance(text, str):
        text = str(text)
    if text.isascii():
        return " ".join(text.lower().split())
    return " ".join(" ".join(fold_word(word) for word in text.split()).split())

"""The corruptions of hand-typed Vietnamese data, one small function each.

Each function takes a clean value (and, when it is random, a
``numpy.random.Generator``) and returns the value as a vaccination-site
clerk might have typed it. :func:`vnlink.datasets.make_vaccination_records`
applies them at the rates of a :class:`~vnlink.datasets.CorruptionProfile`;
they are public so that users can corrupt their own test data the same way.

Examples
--------
>>> strip_diacritics("Đặng Thị Thủy")
'Dang Thi Thuy'
>>> other_tone_placement("Lê Thị Hòa"), other_tone_placement("Nguyễn Quỳnh")
('Lê Thị Hoà', 'Nguyễn Quỳnh')
>>> telex_word("Nguyễn"), vni_word("Nguyễn")
('Nguyeenx', 'Nguye6n4')
>>> drop_middle("Nguyễn Thị Thu Hương"), drop_thi("Nguyễn Thị Thu Hương")
('Nguyễn Hương', 'Nguyễn Thu Hương')
>>> swap_name_order("Trần Văn Nam")
'Văn Nam Trần'
>>> old_phone_prefix("0912345678"), old_phone_prefix("0362345678")
('', '01662345678')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from functools import lru_cache

import numpy as np

__all__ = [
    "TONE_MARKS",
    "abbreviate_unit",
    "adjacent_transposition",
    "digit_typo",
    "drop_middle",
    "drop_thi",
    "has_movable_tone",
    "keyboard_typo",
    "legacy_mojibake",
    "old_phone_prefix",
    "other_tone_placement",
    "phone_plus84",
    "phone_with_separators",
    "phonetic_slip",
    "strip_diacritics",
    "swap_name_order",
    "telex_residue",
    "telex_word",
    "to_nfd",
    "vni_residue",
    "vni_word",
    "wrong_tone",
]

TONE_MARKS = {"\u0301": "s", "\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0323": "j"}
"""Combining tone marks and their Telex keys (sắc, huyền, hỏi, ngã, nặng)."""

_TONE_SET = frozenset(TONE_MARKS)
_VNI_TONES = {"\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
# the circumflex doubles the letter (aa, ee, oo)
_TELEX_SHAPES: dict[str, str | None] = {"\u0302": None, "\u0306": "w", "\u031b": "w"}
_VNI_SHAPES: dict[str, str | None] = {"\u0302": "6", "\u0306": "8", "\u031b": "7"}
_STRIP = str.maketrans({"đ": "d", "Đ": "D"})
_COMBINING = dict.fromkeys(range(0x300, 0x370))
_OLD_PREFIX = {
    "032": "0162", "033": "0163", "034": "0164", "035": "0165", "036": "0166", "037": "0167",
    "038": "0168", "039": "0169", "070": "0120", "079": "0121", "077": "0122", "076": "0126",
    "078": "0128", "083": "0123", "084": "0124", "085": "0125", "081": "0127", "082": "0129",
    "056": "0186", "058": "0188", "059": "0199",
}
_KEYBOARD = (
    "qwertyuiop", "asdfghjkl", "zxcvbnm",
)


def _neighbour_keys() -> dict[str, str]:
    """Each letter's neighbouring keys on a QWERTY keyboard."""
    out: dict[str, str] = {}
    for r, row in enumerate(_KEYBOARD):
        for c, ch in enumerate(row):
            near = [row[j] for j in (c - 1, c + 1) if 0 <= j < len(row)]
            for dr in (-1, 1):
                if 0 <= r + dr < len(_KEYBOARD):
                    other = _KEYBOARD[r + dr]
                    near += [other[j] for j in (c - 1, c, c + 1) if 0 <= j < len(other)]
            out[ch] = "".join(near)
    return out


_NEIGHBOURS = _neighbour_keys()
_UNIT_ABBREVIATIONS = {
    "Thành phố": ("TP.", "TP", "Tp."), "Tỉnh": ("T.", "", ""), "Quận": ("Q.", "Q", "Q."),
    "Huyện": ("H.", "H.", "Huyện"), "Thị xã": ("TX.", "TX", "Tx."), "Phường": ("P.", "P", "F."),
    "Xã": ("X.", "Xã", "X."), "Thị trấn": ("TT.", "TT", "Tt."),
}
_CITY_ABBREVIATIONS = {
    "Thành phố Hồ Chí Minh": ("TP.HCM", "TPHCM", "HCM"),
    "Thành phố Hà Nội": ("HN", "TP Hà Nội", "Hà Nội"),
    "Thành phố Đà Nẵng": ("ĐN", "TP Đà Nẵng", "Đà Nẵng"),
    "Tỉnh Bà Rịa - Vũng Tàu": ("BR-VT", "Bà Rịa Vũng Tàu", "BRVT"),
}


def strip_diacritics(text: str) -> str:
    """Remove every tone and vowel mark and write đ as d (what a US keyboard gives).

    >>> strip_diacritics("Phường Bến Nghé, Quận 1")
    'Phuong Ben Nghe, Quan 1'
    """
    if text.isascii():
        return text
    fast = (
        unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    if len(fast) == len(unicodedata.normalize("NFC", text)):
        return fast
    # something else than Vietnamese letters: drop only the combining marks
    return unicodedata.normalize("NFD", text).translate(_COMBINING).translate(_STRIP)


def to_nfd(text: str) -> str:
    """The same text in decomposed form (NFD), as cp1258 and "Unicode tổ hợp" keyboards give.

    >>> len("ễ"), len(to_nfd("ễ"))
    (1, 3)
    """
    return unicodedata.normalize("NFD", text)


def _split_tone(syllable: str) -> tuple[str, str, int]:
    """``(syllable without tone, NFC; the tone mark or ""; index of the toned letter)``."""
    letters: list[str] = []
    tone, where = "", -1
    for ch in unicodedata.normalize("NFD", syllable):
        if ch in TONE_MARKS:
            tone, where = ch, len(letters) - 1
        elif unicodedata.combining(ch):
            letters[-1] += ch
        else:
            letters.append(ch)
    return "".join(unicodedata.normalize("NFC", x) for x in letters), tone, where


def _with_tone(bare: str, tone: str, where: int) -> str:
    letters = list(bare)
    if tone and 0 <= where < len(letters):
        letters[where] = unicodedata.normalize("NFC", letters[where] + tone)
    return "".join(letters)


_MOVABLE_ENDINGS = ("oa", "oe", "uy")


def _movable(bare: str) -> bool:
    low = bare.lower()
    return low.endswith(_MOVABLE_ENDINGS) and not low.startswith("qu") and len(low) >= 2


_MAYBE_MOVABLE = re.compile(
    "(?:o[àáảãạ]|o[èéẻẽẹ]|[òóỏõọ][ae]|u[ỳýỷỹỵ]|[ùúủũụ]y)(?![a-zà-ỹ])", re.IGNORECASE
)


def has_movable_tone(text: str) -> bool:
    """Whether a syllable of ``text`` has a tone on an open oa/oe/uy (hòa/hoà, thủy/thuỷ).

    >>> has_movable_tone("Lê Thị Hòa"), has_movable_tone("Huỳnh Quý")
    (True, False)
    """
    if not _MAYBE_MOVABLE.search(unicodedata.normalize("NFC", text)):
        return False
    for word in text.split():
        bare, tone, where = _split_tone(word)
        if tone and _movable(bare) and where >= len(bare) - 2:
            return True
    return False


def other_tone_placement(text: str) -> str:
    """Move the tone of every open oa/oe/uy syllable to the other vowel (hòa <-> hoà).

    Closed syllables (hoàn, huỳnh) and syllables after "qu" have one correct
    place and are left alone.

    >>> other_tone_placement("Hoà Thuỷ"), other_tone_placement("Hòa Thủy")
    ('Hòa Thủy', 'Hoà Thuỷ')
    """
    words = text.split(" ")
    for i, word in enumerate(words):
        bare, tone, where = _split_tone(word)
        first, second = len(bare) - 2, len(bare) - 1
        if tone and _movable(bare) and where in (first, second):
            words[i] = _with_tone(bare, tone, second if where == first else first)
    return " ".join(words)


_VOWELS = set("aăâeêioôơuưyAĂÂEÊIOÔƠUƯY")


def wrong_tone(text: str, rng: np.random.Generator) -> str:
    """Replace the tone of one syllable with another (Hương -> Hưởng), or add one.

    >>> wrong_tone("Lê Văn Nam", np.random.default_rng(1)) != "Lê Văn Nam"
    True
    """
    words = text.split(" ")
    toned = [
        i for i, w in enumerate(words)
        if not _TONE_SET.isdisjoint(unicodedata.normalize("NFD", w))
    ]
    i = int(rng.choice(toned)) if toned else int(rng.integers(len(words)))
    bare, tone, where = _split_tone(words[i])
    if not tone:
        vowels = [j for j, ch in enumerate(bare) if unicodedata.normalize("NFD", ch)[0] in _VOWELS]
        if not vowels:
            return text
        where = vowels[-1] if len(vowels) == 1 else vowels[-2]
    choices = [t for t in TONE_MARKS if t != tone]
    words[i] = _with_tone(bare, choices[int(rng.integers(len(choices)))], where)
    return " ".join(words)


def _keystrokes(word: str, shapes: Mapping[str, str | None], tones: Mapping[str, str]) -> str:
    out: list[str] = []
    tone_key = ""
    for ch in unicodedata.normalize("NFD", word):
        if ch in tones:
            tone_key = tones[ch]
        elif ch in shapes:
            key = shapes[ch]
            out.append(out[-1] if key is None else (key.upper() if out[-1].isupper() else key))
        elif ch in "đĐ":
            base = "d" if ch == "đ" else "D"
            out.append(base + ("9" if tones is _VNI_TONES else base))
        else:
            out.append(ch)
    text = "".join(out)
    if tone_key and text.isupper():
        tone_key = tone_key.upper()
    return text + tone_key


def telex_word(word: str) -> str:
    """One word as the Telex keystrokes that should have produced it.

    >>> telex_word("Thị"), telex_word("Đặng"), telex_word("HƯƠNG")
    ('Thij', 'DDawngj', 'HUWOWNG')
    """
    return _keystrokes(word, _TELEX_SHAPES, TONE_MARKS)


def vni_word(word: str) -> str:
    """One word as VNI keystrokes (digits for marks): "Nguyễn" -> "Nguye6n4".

    >>> vni_word("Đặng"), vni_word("Thủy")
    ('D9a8ng5', 'Thuy3')
    """
    return _keystrokes(word, _VNI_SHAPES, _VNI_TONES)


def _one_word(text: str, rng: np.random.Generator, func: Callable[[str], str]) -> str:
    words = text.split(" ")
    marked = [i for i, w in enumerate(words) if strip_diacritics(w) != w]
    pool = marked or list(range(len(words)))
    i = pool[int(rng.integers(len(pool)))]
    words[i] = func(words[i])
    return " ".join(words)


def telex_residue(text: str, rng: np.random.Generator) -> str:
    """One word (with a mark, when there is one) left as raw Telex keystrokes.

    >>> telex_residue("Đỗ Minh", np.random.default_rng(0))
    'DDoox Minh'
    """
    return _one_word(text, rng, telex_word)


def vni_residue(text: str, rng: np.random.Generator) -> str:
    """One word (with a mark, when there is one) left as raw VNI keystrokes.

    >>> vni_residue("Đỗ Minh", np.random.default_rng(0))
    'D9o64 Minh'
    """
    return _one_word(text, rng, vni_word)


@lru_cache(maxsize=1)
def _legacy_encoder() -> Callable[[str, str], str] | None:
    try:
        from vnlink.normalize import legacy
    except ImportError:
        return None
    func: Callable[[str, str], str] | None = getattr(legacy, "encode_legacy", None)
    return func


def legacy_mojibake(text: str, encoding: str = "vni") -> str:
    """The text typed in a legacy Vietnamese encoding and read back as Windows-1252.

    Uses :func:`vnlink.normalize.legacy.encode_legacy` (``"vni"``, ``"tcvn3"``)
    when that module is available; otherwise it writes the text in Windows-1258
    (decomposed) and decodes the bytes as Windows-1252, a mojibake of the same kind.

    >>> legacy_mojibake("Lê Thị Hòa") != "Lê Thị Hòa"
    True
    """
    encode = _legacy_encoder()
    if encode is not None:
        try:
            return str(encode(text, encoding))
        except Exception:
            pass
    raw = unicodedata.normalize("NFD", text).encode("cp1258", errors="replace")
    return raw.decode("cp1252", errors="replace")


# sounds that merge in one dialect or another, so a clerk writing down a spoken
# name confuses them: initials tr/ch, s/x, d/gi/r, l/n (North), v/d (South);
# finals n/ng and t/c (South)
_INITIAL_SLIPS = (
    ("tr", "ch"), ("ch", "tr"), ("s", "x"), ("x", "s"), ("gi", "d"), ("d", "gi"), ("r", "d"),
    ("r", "gi"), ("l", "n"), ("n", "l"), ("v", "d"),
)
_FINAL_SLIPS = (("ng", "n"), ("n", "ng"), ("t", "c"), ("c", "t"))


def _slips(word: str) -> list[str]:
    """Every one-sound variant of ``word`` (case kept on the first letter)."""
    low = word.lower()
    out: list[str] = []
    for old, new in _INITIAL_SLIPS:
        if low.startswith(old) and not low.startswith(("ng", "nh")) and len(low) > len(old):
            rest = low[len(old):]
            if old == "d" and rest.startswith("i"):  # "di" -> "gi" would read the same
                continue
            out.append(new + rest)
    for old, new in _FINAL_SLIPS:
        if low.endswith(old) and not (old == "n" and low.endswith(("nh", "ng"))) and len(low) > 2:
            if old == "c" and low.endswith("ch"):
                continue
            out.append(low[: -len(old)] + new)
    if word[:1].isupper():
        out = [w[:1].upper() + w[1:] for w in out]
    if word.isupper():
        out = [w.upper() for w in out]
    return out


def phonetic_slip(text: str, rng: np.random.Generator) -> str:
    """One syllable written as it sounds in another dialect ("Trâm" -> "Châm", "Lan" -> "Lang").

    Returns ``text`` unchanged when no syllable has such a sound.

    >>> phonetic_slip("Lê Thị Sương", np.random.default_rng(1)) != "Lê Thị Sương"
    True
    >>> phonetic_slip("Hà Anh", np.random.default_rng(1))
    'Hà Anh'
    """
    words = text.split(" ")
    options = [(i, v) for i, w in enumerate(words) for v in _slips(w)]
    if not options:
        return text
    i, variant = options[int(rng.integers(len(options)))]
    words[i] = variant
    return " ".join(words)


def keyboard_typo(text: str, rng: np.random.Generator) -> str:
    """One typing slip in a letter: a neighbouring key, a dropped, doubled or swapped letter.

    >>> keyboard_typo("Nguyen Van Nam", np.random.default_rng(3)) != "Nguyen Van Nam"
    True
    """
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if not letters:
        return text
    i = letters[int(rng.integers(len(letters)))]
    op = int(rng.integers(4))
    ch = text[i]
    if op == 0:
        base = strip_diacritics(ch).lower()
        near = _NEIGHBOURS.get(base, "")
        if not near:
            op = 1
        else:
            new = near[int(rng.integers(len(near)))]
            return text[:i] + (new.upper() if ch.isupper() else new) + text[i + 1 :]
    if op == 1 and len(letters) > 2:
        return text[:i] + text[i + 1 :]
    if op == 3 and i + 1 < len(text) and text[i + 1].isalpha() and text[i + 1] != ch:
        return text[:i] + text[i + 1] + ch + text[i + 2 :]
    return text[:i] + ch + ch + text[i + 1 :]


def drop_middle(name: str) -> str:
    """Drop every middle word: keep the family and the given name.

    >>> drop_middle("Lê Văn Tám"), drop_middle("Lê Tám")
    ('Lê Tám', 'Lê Tám')
    """
    words = name.split()
    return f"{words[0]} {words[-1]}" if len(words) > 2 else name


def drop_thi(name: str) -> str:
    """Omit the middle word "Thị" (any case, with or without marks).

    >>> drop_thi("Nguyễn Thị Lan"), drop_thi("NGUYỄN THỊ LAN")
    ('Nguyễn Lan', 'NGUYỄN LAN')
    """
    words = name.split()
    kept = [w for j, w in enumerate(words) if not (0 < j < len(words) - 1 and w.lower() == "thị")]
    return " ".join(kept)


def swap_name_order(name: str) -> str:
    """Put the family name last, in the Western order ("Văn Nam Trần").

    >>> swap_name_order("Nam")
    'Nam'
    """
    words = name.split()
    return " ".join([*words[1:], words[0]]) if len(words) > 1 else name


def digit_typo(text: str, rng: np.random.Generator) -> str:
    """Replace one digit with another digit.

    >>> digit_typo("079123456789", np.random.default_rng(0)) != "079123456789"
    True
    """
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    if not digits:
        return text
    i = digits[int(rng.integers(len(digits)))]
    new = (int(text[i]) + int(rng.integers(1, 10))) % 10
    return f"{text[:i]}{new}{text[i + 1:]}"


def adjacent_transposition(text: str, rng: np.random.Generator) -> str:
    """Swap two neighbouring, different digits (``...12...`` -> ``...21...``).

    >>> adjacent_transposition("0791", np.random.default_rng(0)) in {"7091", "0971", "0719"}
    True
    """
    spots = [
        i for i in range(len(text) - 1)
        if text[i].isdigit() and text[i + 1].isdigit() and text[i] != text[i + 1]
    ]
    if not spots:
        return text
    i = spots[int(rng.integers(len(spots)))]
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def old_phone_prefix(phone: str) -> str:
    """The 11-digit form a 10-digit mobile number had before the 2018 conversion, or ``""``.

    >>> old_phone_prefix("0701234567")
    '01201234567'
    """
    new = _OLD_PREFIX.get(phone[:3]) if len(phone) == 10 else None
    return new + phone[3:] if new else ""


def phone_plus84(phone: str) -> str:
    """The international form: ``+84`` and the number without its leading 0.

    >>> phone_plus84("0912345678")
    '+84912345678'
    """
    return "+84" + phone[1:] if phone.startswith("0") else phone


def phone_with_separators(phone: str, rng: np.random.Generator) -> str:
    """The number grouped with spaces, dots or dashes ("0912 345 678", "0912.345.678").

    >>> phone_with_separators("0912345678", np.random.default_rng(0))
    '0912-345-678'
    """
    sep = (" ", ".", "-")[int(rng.integers(3))]
    if len(phone) == 10:
        return f"{phone[:4]}{sep}{phone[4:7]}{sep}{phone[7:]}"
    return f"{phone[:-6]}{sep}{phone[-6:-3]}{sep}{phone[-3:]}"


@lru_cache(maxsize=100_000)
def abbreviate_unit(name: str, style: int) -> str:
    """An administrative unit written short: ``style`` 0, 1 or 2 picks one of the usual forms.

    >>> abbreviate_unit("Phường Bến Nghé", 0), abbreviate_unit("Quận 1", 1)
    ('P. Bến Nghé', 'Q1')
    >>> abbreviate_unit("Thành phố Hồ Chí Minh", 2), abbreviate_unit("Tỉnh Nghệ An", 1)
    ('HCM', 'Nghệ An')
    """
    style = style % 3
    if name in _CITY_ABBREVIATIONS:
        return _CITY_ABBREVIATIONS[name][style]
    for kind in sorted(_UNIT_ABBREVIATIONS, key=len, reverse=True):
        if name.startswith(kind + " "):
            rest = name[len(kind) + 1 :]
            short = _UNIT_ABBREVIATIONS[kind][style]
            if not short:
                return rest
            return f"{short}{'' if rest[:1].isdigit() else ' '}{rest}"
    return name

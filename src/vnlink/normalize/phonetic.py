"""A Vietnamese phonetic key: the Soundex of this language.

Two spellings get the same key when speakers of the northern, central or
southern dialects would hear them as the same name, or when a typist
without a Vietnamese keyboard would type them the same. The key works one
syllable at a time on the folded form (:func:`vnlink.normalize.text.fold`)
and writes each syllable as *onset class + vowels + final class*, in upper
case, syllables separated by one space.

Merges, all of them
-------------------
=================================== ============ =====================================
what                                 key          why
=================================== ============ =====================================
tones and vowel marks dropped        Tuấn = Tuần  typists drop them; fold() does the same
initial d, đ, gi, r, v               ``Z``        d/gi/r are /z/ in the north; v, d, gi
                                                  are /j/ in the south; đ is folded to d
initial tr, ch                       ``C``        merged in the north
initial s, x                         ``S``        merged in the north
initial c, k, q                      ``K``        one sound /k/, spelled by the next vowel
                                                  (qu keeps its u: Quang = K+UAN)
initial g, gh                        ``G``        one sound, gh before e, ê, i
initial ng, ngh                      ``NG``       one sound, ngh before e, ê, i
initial ph (and loan f)              ``F``
final n, ng, nh                      ``N``        -n/-ng merge in the south, -nh is [n]
                                                  or [ŋ] in southern and central speech
final t, c, ch                       ``T``        the same merge for the stop finals
a syllable that is only i or y       ``I``        Thy = Thi, Vy = Vi, Lý = Lí, Kỳ = Kì
rhyme yê written at the start        ``IE``       Yến = the iê of Tiến (spelling only)
=================================== ============ =====================================

Not merged, because they are heard as different names: l and n, th and t,
kh and kh-less, h, initial n and ng, final m and n or p and t, i/y inside
other rhymes (*ay* ≠ *ai*, *uy* ≠ *ui*), and the vowels themselves (Huỳnh ≠
Hoàng and Vũ ≠ Võ are the same clan in two regions, but different legal
names: compare them with a cheap substitution, not a shared key).

Examples
--------
>>> phonetic_key("Nguyễn Thị Thủy"), phonetic_key("nguyen thi thuy")
('NGUYEN THI THUY', 'NGUYEN THI THUY')
>>> phonetic_key("Trần Văn Dũng") == phonetic_key("Chần Văn Vũng")
True
>>> phonetic_key("Lan") == phonetic_key("Nan"), phonetic_key("Huy") == phonetic_key("Hui")
(False, False)
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any, overload

import numpy as np
from numpy.typing import NDArray

from vnlink._bulk import map_unique
from vnlink.normalize.text import fold

__all__ = [
    "ascii_syllable_key",
    "phonetic_key",
    "phonetic_keys",
    "syllable_key",
]

_ONSETS = (
    ("ngh", "NG"), ("ng", "NG"), ("gh", "G"), ("ch", "C"), ("tr", "C"), ("kh", "KH"),
    ("nh", "NH"), ("ph", "F"), ("th", "TH"), ("b", "B"), ("c", "K"), ("k", "K"), ("q", "K"),
    ("d", "Z"), ("g", "G"), ("h", "H"), ("l", "L"), ("m", "M"), ("n", "N"), ("p", "P"),
    ("r", "Z"), ("s", "S"), ("x", "S"), ("t", "T"), ("v", "Z"), ("f", "F"), ("j", "Z"),
    ("z", "Z"), ("w", "W"),
)  # fmt: skip
_FINALS = (("ng", "N"), ("nh", "N"), ("ch", "T"), ("n", "N"), ("c", "T"), ("t", "T"))
_VOWELS = frozenset("aeiouy")


@lru_cache(maxsize=1 << 16)
def ascii_syllable_key(word: str) -> str:
    letters = "".join(ch for ch in word if ch.isalnum())
    if not letters:
        return ""
    onset, rest = "", letters
    if letters.startswith("gi") and len(letters) > 2 and letters[2] in _VOWELS:
        onset, rest = "Z", letters[2:]
    elif letters.startswith("gi"):
        onset, rest = "Z", letters[1:]
    else:
        for spelling, code in _ONSETS:
            if letters.startswith(spelling):
                onset, rest = code, letters[len(spelling) :]
                break
    final = ""
    for spelling, code in _FINALS:
        if rest.endswith(spelling) and len(rest) > len(spelling):
            rest, final = rest[: -len(spelling)], code
            break
    if rest == "y":
        rest = "i"
    elif rest.startswith("ye") and not onset:
        rest = "i" + rest[1:]
    return onset + rest.upper() + final


def syllable_key(word: str) -> str:
    """The key of one syllable (see the module docstring for the merges).

    >>> [syllable_key(w) for w in ["Giang", "Dang", "Ranh", "Vân", "Trung", "Chung"]]
    ['ZAN', 'ZAN', 'ZAN', 'ZAN', 'CUN', 'CUN']
    >>> [syllable_key(w) for w in ["Quý", "Kỳ", "Ngọc", "Nghĩa", "Bích", "Bít"]]
    ['KUY', 'KI', 'NGOT', 'NGIA', 'BIT', 'BIT']
    """
    if not isinstance(word, str):
        return ""
    return " ".join(ascii_syllable_key(part) for part in fold(word).split())


@overload
def phonetic_key(name: str) -> str: ...
@overload
def phonetic_key(name: None) -> None: ...
def phonetic_key(name: str | None) -> str | None:
    """The phonetic key of a name: one :func:`syllable_key` per word, joined by a space.

    ``None`` passes through; other objects are read as ``str(name)``. Words
    that are not Vietnamese syllables get the same treatment letter by
    letter (onset class, upper-cased rest, final class), so the key never fails.

    Examples
    --------
    >>> phonetic_key("Trương Thị Xuân"), phonetic_key("Chuong Thi Suan")
    ('CUON THI SUAN', 'CUON THI SUAN')
    >>> phonetic_key("Phạm Minh Khánh") == phonetic_key("Phạm Min Khán")
    True
    >>> phonetic_key("Lê Hoàng") == phonetic_key("Lê Huỳnh")
    False
    """
    if name is None:
        return None
    if not isinstance(name, str):
        name = str(name)
    return " ".join(ascii_syllable_key(word) for word in fold(name).split() if word).strip()


def phonetic_keys(values: Iterable[Any]) -> NDArray[np.object_]:
    """:func:`phonetic_key` over an array, once per distinct value; ``""`` for missing.

    >>> phonetic_keys(["Vũ", None, "Dũ", "Vũ"]).tolist()
    ['ZU', '', 'ZU', 'ZU']
    """
    return map_unique(lambda v: phonetic_key(v) if isinstance(v, str) else "", values)

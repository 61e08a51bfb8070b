"""Vietnamese syllables: a validator, canonical tone placement and typing-residue repair.

A Vietnamese syllable is *onset + rhyme + tone*: an optional initial
consonant (``ng``, ``tr``, ``qu``, ``gi`` ...), a rhyme (an optional glide,
a vowel nucleus, an optional final: ``uyên``, ``oanh``, ``ươi``) and one of
six tones, written as a mark on one vowel. This module knows every onset,
every rhyme and the spelling rules that tie them together (``k``/``gh``/
``ngh`` before e, ê, i, y; ``c``/``g``/``ng`` elsewhere; stop finals -p, -t,
-c, -ch take only the sắc or nặng tone), so it can tell a real syllable from
typing residue, and it puts the tone mark on one fixed vowel.

Tone placement. The mark goes on the vowel with a shape mark (ê in
*nguyễn*, ơ in *người*), else on the last vowel of a closed syllable
(*hoàn*, *huỳnh*), else on the first vowel of a falling diphthong (*mái*,
*mùa*) or the middle of a triphthong (*ngoài*). Only the open syllables with
**oa, oe, uy** are typed both ways (*hòa*/*hoà*, *khỏe*/*khoẻ*,
*thủy*/*thuỷ*); vnlink writes them with the mark on the **first** vowel
(``style="first"``, the form most names are registered in) unless asked for
``style="second"`` (the position of QĐ 1989/QĐ-BGDĐT, 2018). Syllables
after *qu* (*quý*, *quỳnh*) have ``qu`` as their onset and are not affected.

Typing residue. A word typed with a Vietnamese keyboard that was switched
off keeps its keystrokes: Telex (``Nguyeenx``, ``Thij``, ``Hoaf``) or VNI
digits (``Nguye6n4``). :func:`repair_typing` decodes such a word **only when
it is not already a valid syllable**, and keeps the result only when that is
a valid syllable: ``Xuân``, ``Hoàng``, ``Thanh`` are never touched.

Examples
--------
>>> is_valid_syllable("Nguyễn"), is_valid_syllable("Nguyen"), is_valid_syllable("Nguyeenx")
(True, True, False)
>>> place_tone("hoà"), place_tone("thuỷ"), place_tone("hoàn"), place_tone("quý")
('hòa', 'thủy', 'hoàn', 'quý')
>>> place_tone("Khỏe", style="second")
'Khoẻ'
>>> repair_typing("Nguyeenx"), repair_typing("Thij"), repair_typing("Nguye6n4")
('Nguyễn', 'Thị', 'Nguyễn')
>>> repair_typing("Xuaan"), repair_typing("Hoaf"), repair_typing("Xuân")
('Xuân', 'Hòa', 'Xuân')
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Literal

__all__ = [
    "DECOMPOSE",
    "ONSETS",
    "RHYMES",
    "ToneStyle",
    "analyse_syllable",
    "is_valid_syllable",
    "place_tone",
    "repair_typing",
    "split_syllable",
]

ToneStyle = Literal["first", "second"]

# --------------------------------------------------------------------------- letters

#: Tone numbers: 0 ngang (no mark), 1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng.
_TONE_MARKS = {"\u0301": 1, "\u0300": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}
_MARK_OF_TONE = {tone: mark for mark, tone in _TONE_MARKS.items()}
_BASE_VOWELS = "aăâeêioôơuưy"

#: Every Vietnamese vowel letter (both cases, every tone) -> (letter without tone, tone).
DECOMPOSE: dict[str, tuple[str, int]] = {}
#: (letter without tone, tone) -> composed letter.
_COMPOSE: dict[tuple[str, int], str] = {}
for _base in _BASE_VOWELS + _BASE_VOWELS.upper():
    DECOMPOSE[_base] = (_base, 0)
    _COMPOSE[(_base, 0)] = _base
    for _tone, _mark in _MARK_OF_TONE.items():
        _composed = unicodedata.normalize("NFC", _base + _mark)
        DECOMPOSE[_composed] = (_base, _tone)
        _COMPOSE[(_base, _tone)] = _composed

_VOWELS = frozenset(_BASE_VOWELS)
_SHAPED = frozenset("ăâêôơư")
_STOPS = ("p", "t", "c", "ch")

#: The initial consonants, longest first ("" = no onset).
ONSETS: tuple[str, ...] = (
    "ngh", "ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
)  # fmt: skip

_OPEN = (
    "a ai ao au ay âu ây e eo ê êu i ia iu o oi ô ôi ơ ơi u ua ui ư ưa ưi ưu y "
    "iêu yêu uôi ươi ươu oa oai oao oay oe oeo uê uơ uy uya uyu uây"
)
_CLOSED = {
    "a": "m n ng nh p t c ch",
    "ă": "m n ng p t c",
    "â": "m n ng p t c",
    "e": "m n ng p t c",
    "ê": "m n nh p t ch",
    "i": "m n nh p t ch",
    "o": "m n ng p t c",
    "ô": "m n ng p t c",
    "ơ": "m n p t",
    "u": "m n ng p t c",
    "ư": "m ng t c",
    "iê": "m n ng p t c",
    "yê": "m n t",
    "uô": "m n ng t c",
    "ươ": "m n ng p t c",
    "oa": "m n ng nh p t c ch",
    "oă": "m n ng t c",
    "oe": "n t",
    "uâ": "n ng t",
    "uê": "nh ch",
    "uy": "nh t ch p",
    "uyê": "n t",
    "oo": "ng c",
}
#: Every rhyme (glide + nucleus + final) written without a tone mark.
RHYMES: frozenset[str] = frozenset(
    _OPEN.split() + [n + f for n, finals in _CLOSED.items() for f in finals.split()]
)
#: Rhymes that exist only after "qu", whose u is the glide (quỳnh, quýt).
_QU_ONLY = frozenset({"ynh", "yt", "ych"})


def _vowel_run(rhyme: str) -> str:
    end = 0
    while end < len(rhyme) and rhyme[end] in _VOWELS:
        end += 1
    return rhyme[:end]


def _tone_index(rhyme: str, style: ToneStyle) -> int:
    """Index in ``rhyme`` of the vowel that carries the tone mark."""
    vowels = _vowel_run(rhyme)
    shaped = [i for i, ch in enumerate(vowels) if ch in _SHAPED]
    if shaped:
        return shaped[-1]
    if len(vowels) < len(rhyme) or len(vowels) == 1:
        return len(vowels) - 1
    if len(vowels) == 3:
        return 1
    if vowels in ("oa", "oe", "uy"):
        return 0 if style == "first" else 1
    return 0


def _allowed(onset: str, rhyme: str) -> bool:
    """The spelling rules that tie an onset to a rhyme."""
    first = rhyme[0]
    front = first in "eêi" or rhyme.startswith("y")
    if rhyme in _QU_ONLY:
        return onset == "qu"
    if onset == "qu":
        return first not in "ouư" and not rhyme.startswith("iê")
    if onset in ("k", "gh", "ngh"):
        return front and not rhyme.startswith("yê")
    if onset in ("c", "g", "ng"):
        glide = rhyme[:2] in ("oa", "oă", "oe", "uâ", "uê", "uy")
        return not front and not (onset == "c" and glide)
    if onset == "gi":
        return first not in "iy"
    if rhyme.startswith("yê"):
        return onset == ""
    if rhyme.startswith("iê"):
        return onset != ""
    return True


def _build() -> dict[str, tuple[int, int, int, bool]]:
    """Toneless syllable -> (onset length, tone vowel index first style, second style, stop)."""
    table: dict[str, tuple[int, int, int, bool]] = {}

    def add(spelling: str, onset_len: int, rhyme: str) -> None:
        table[spelling] = (
            onset_len,
            onset_len + _tone_index(rhyme, "first"),
            onset_len + _tone_index(rhyme, "second"),
            rhyme.endswith(_STOPS),
        )

    rhymes = sorted(RHYMES | _QU_ONLY)
    # "gi" + a rhyme that starts with i shares the i (gì, gìn, giếng): written g + rhyme.
    for rhyme in rhymes:
        if rhyme[0] == "i":
            add("g" + rhyme, 1, rhyme)
    for onset in sorted(ONSETS, key=len):
        for rhyme in rhymes:
            if _allowed(onset, rhyme):
                add(onset + rhyme, len(onset), rhyme)
    return table


_SYLLABLES = _build()


def _fold_letters(text: str) -> str:
    return "".join(
        ch
        for ch in unicodedata.normalize("NFD", text.replace("đ", "d"))
        if not unicodedata.combining(ch)
    )


#: Syllables written without any mark (as typed on a plain keyboard) -> onset length.
_UNMARKED: dict[str, int] = {}
for _spelling, _info in _SYLLABLES.items():
    _UNMARKED.setdefault(_fold_letters(_spelling), _info[0])


# --------------------------------------------------------------------------- analysis


def _decompose(word: str) -> tuple[list[str], int, int] | None:
    """Split a word into its letters without tone, its tone and the tone's index.

    ``None`` when the word has two tone marks.
    """
    letters: list[str] = []
    tone = 0
    where = -1
    for i, ch in enumerate(word):
        pair = DECOMPOSE.get(ch)
        if pair is None:
            letters.append(ch)
            continue
        letters.append(pair[0])
        if pair[1]:
            if tone:
                return None
            tone, where = pair[1], i
    return letters, tone, where


@lru_cache(maxsize=1 << 16)
def analyse_syllable(word: str) -> tuple[int, str]:
    """Classify a NFC word: (status, canonical first-style lowercase form).

    Status 2: a valid syllable (canonical form given); 1: written without any
    diacritic and valid once marked ("Nguyen"); 0: not a Vietnamese syllable.
    """
    lower = word.lower()
    parts = _decompose(lower)
    if parts is None:
        return 0, ""
    letters, tone, _ = parts
    toneless = "".join(letters)
    info = _SYLLABLES.get(toneless)
    if info is not None and (tone in (1, 5) or not info[3]):
        return 2, _render(letters, tone, info[1])
    if tone == 0 and toneless in _UNMARKED and toneless.isascii():
        return 1, lower
    return 0, ""


def _render(letters: list[str], tone: int, index: int) -> str:
    if not tone:
        return "".join(letters)
    out = list(letters)
    out[index] = _COMPOSE[(out[index], tone)]
    return "".join(out)


def split_syllable(word: str) -> tuple[str, str, int] | None:
    """Split a syllable into ``(onset, rhyme, tone)``, lower case; ``None`` if not a syllable.

    Tones are numbered 0 ngang, 1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng. A word
    typed without diacritics is split as written (tone 0).

    >>> split_syllable("Nguyễn"), split_syllable("quỳnh"), split_syllable("giếng")
    (('ng', 'uyên', 4), ('qu', 'ynh', 2), ('g', 'iêng', 1))
    >>> split_syllable("Trung"), split_syllable("xyz")
    (('tr', 'ung', 0), None)
    """
    if not isinstance(word, str):
        return None
    lower = unicodedata.normalize("NFC", word).lower()
    parts = _decompose(lower)
    if parts is None:
        return None
    letters, tone, _ = parts
    toneless = "".join(letters)
    info = _SYLLABLES.get(toneless)
    onset_len = info[0] if info is not None else _UNMARKED.get(toneless) if tone == 0 else None
    if onset_len is None:
        return None
    return toneless[:onset_len], toneless[onset_len:], tone


def is_valid_syllable(word: str | None, *, allow_unmarked: bool = True) -> bool:
    """Whether ``word`` is one Vietnamese syllable (case-insensitive).

    Parameters
    ----------
    word : str or None
        One word. ``None`` and non-strings are not syllables.
    allow_unmarked : bool, default True
        Also accept a word typed without any diacritic that is a syllable once
        marked (``"Nguyen"`` for *Nguyễn*); typists often drop every mark.

    Examples
    --------
    >>> [is_valid_syllable(w) for w in ["Hoàng", "quỳnh", "khuya", "Thij", "Ksor"]]
    [True, True, True, False, False]
    >>> is_valid_syllable("Nguyen"), is_valid_syllable("Nguyen", allow_unmarked=False)
    (True, False)
    >>> is_valid_syllable("hoàt")  # a stop final takes only the sắc or nặng tone
    False
    """
    if not isinstance(word, str) or not word:
        return False
    status = analyse_syllable(unicodedata.normalize("NFC", word))[0]
    return status == 2 or (allow_unmarked and status == 1)


def _match_case(template: str, lower: str) -> str:
    """Give ``lower`` the case pattern of ``template`` (same length, or title/upper)."""
    if len(template) == len(lower):
        return "".join(
            c.upper() if t.isupper() else c for t, c in zip(template, lower, strict=True)
        )
    if template.isupper() and len(template) > 1:
        return lower.upper()
    if template[:1].isupper():
        return lower[:1].upper() + lower[1:]
    return lower


def _place(word: str, canonical: str, style: ToneStyle) -> str:
    if style == "second":
        letters, tone, _ = _decompose(canonical) or ([], 0, -1)
        info = _SYLLABLES.get("".join(letters))
        if tone and info is not None and info[1] != info[2]:
            canonical = _render(letters, tone, info[2])
    return _match_case(word, canonical)


def place_tone(word: str, *, style: ToneStyle = "first") -> str:
    """Move the tone mark of a syllable to its canonical vowel; other words come back as given.

    Only the placement changes (letters and case are kept), so the canonical
    form of a syllable is the same whichever way it was typed. A closed syllable
    (``hoàn``, ``thuyền``, ``huỳnh``) and a syllable after ``qu`` (``quý``)
    already have their one correct position and come back unchanged.

    Parameters
    ----------
    word : str
        One word, NFC.
    style : {"first", "second"}
        Where open ``oa``/``oe``/``uy`` syllables carry the mark: ``"first"``
        (hòa, khỏe, thủy) or ``"second"`` (hoà, khoẻ, thuỷ).

    Examples
    --------
    >>> [place_tone(w) for w in ["hoà", "Hòa", "khoẻ", "THUỶ", "thuyền", "quỳnh", "hòan"]]
    ['hòa', 'Hòa', 'khỏe', 'THỦY', 'thuyền', 'quỳnh', 'hoàn']
    >>> place_tone("hòa", style="second")
    'hoà'
    """
    if not isinstance(word, str):
        return word
    status, canonical = analyse_syllable(word)
    if status != 2:
        return word
    return _place(word, canonical, style)


# --------------------------------------------------------------------------- typing residue

_TELEX_TONES = {"s": 1, "f": 2, "r": 3, "x": 4, "j": 5}
_TELEX_SHAPES = (("uwow", "ươ"), ("uow", "ươ"), ("aa", "â"), ("ee", "ê"), ("oo", "ô"),
                 ("aw", "ă"), ("ow", "ơ"), ("uw", "ư"))  # fmt: skip
_CIRCUMFLEX = {"a": "â", "e": "ê", "o": "ô"}
_HORN = {"o": "ơ", "u": "ư"}


def _finish(letters: str, tone: int) -> str | None:
    """Canonical lower-case syllable from toneless ``letters`` and ``tone``, if valid."""
    info = _SYLLABLES.get(letters)
    if info is None:
        return None
    if info[3] and tone not in (1, 5):
        return None
    return _render(list(letters), tone, info[1])


def _telex_shapes(text: str) -> list[str]:
    """The Telex shape keys of ``text`` applied (several readings when ambiguous)."""
    if text.startswith("dd"):
        text = "đ" + text[2:]
    for typed, letter in _TELEX_SHAPES:
        text = text.replace(typed, letter)
    if text.count("w") > 1:
        return []
    if "w" in text:
        at = text.index("w")
        head, tail = text[:at], text[at + 1 :]
        if "uo" in head:
            i = head.rindex("uo")
            head = head[:i] + "ươ" + head[i + 2 :]
        else:
            i = max(head.rfind("o"), head.rfind("u"))
            if i < 0:
                i = head.rfind("a")
            if i < 0:
                return []
            head = head[:i] + {"o": "ơ", "u": "ư", "a": "ă"}[head[i]] + head[i + 1 :]
        text = head + tail
    out = [text]
    if "uơ" in text:
        out.append(text.replace("uơ", "ươ"))
    return out


def _repair_telex(typed: str) -> str | None:
    # letters already marked (a half-converted word, "Phuwợng") keep their tone unless
    # a tone key overrides it
    parts = _decompose(typed)
    if parts is None:
        return None
    lower, marked = "".join(parts[0]), parts[1]
    first_vowel = next((i for i, ch in enumerate(lower) if ch in _VOWELS), -1)
    if first_vowel < 0:
        return None
    attempts = [
        (lower[:i] + lower[i + 1 :], _TELEX_TONES[lower[i]])
        for i in range(len(lower) - 1, first_vowel, -1)
        if lower[i] in _TELEX_TONES
    ]
    if lower.endswith("z"):
        attempts.append((lower[:-1], 0))
    attempts.append((lower, marked))
    for text, tone in attempts:
        for shaped in _telex_shapes(text):
            done = _finish(shaped, tone)
            if done is not None:
                return done
    return None


def _repair_vni(lower: str) -> str | None:
    letters: list[str] = []
    tone = 0
    for ch in lower:
        if ch.isalpha():
            letters.append(ch)
            continue
        if ch in "12345":
            tone = int(ch)
        elif ch == "0":
            tone = 0
        elif ch in "678":
            table = _CIRCUMFLEX if ch == "6" else _HORN if ch == "7" else {"a": "ă"}
            for i in range(len(letters) - 1, -1, -1):
                if letters[i] in table:
                    letters[i] = table[letters[i]]
                    if ch == "7" and letters[i] == "ơ" and i and letters[i - 1] == "u":
                        letters[i - 1] = "ư"
                    break
            else:
                return None
        elif ch == "9":
            for i, letter in enumerate(letters):
                if letter == "d":
                    letters[i] = "đ"
                    break
            else:
                return None
        else:
            return None
    text = "".join(letters)
    done = _finish(text, tone)
    if done is None and "uơ" in text:
        done = _finish(text.replace("uơ", "ươ"), tone)
    return done


@lru_cache(maxsize=1 << 16)
def _repair(word: str) -> str | None:
    lower = word.lower()
    if any(ch.isdigit() for ch in lower):
        if not any(ch.isalpha() for ch in lower):
            return None
        return _repair_vni(lower)
    if not all(ch.isalpha() for ch in lower):
        return None
    return _repair_telex(lower)


def repair_typing(word: str, *, style: ToneStyle = "first") -> str:
    """Undo Telex or VNI keystrokes left in a word that is not a valid syllable.

    The word is decoded as Telex (``aa`` â, ``aw`` ă, ``ee`` ê, ``oo`` ô,
    ``ow`` ơ, ``uw`` ư, ``dd`` đ; tone keys s f r x j) or, when it has digits,
    as VNI (1-5 tones, 6 circumflex, 7 horn, 8 breve, 9 đ). The result is kept
    only if it is a valid syllable; a valid syllable is never rewritten, and a
    word that decodes to nothing valid comes back unchanged. Case follows the
    input (``Thij`` -> ``Thị``, ``THIJ`` -> ``THỊ``).

    Examples
    --------
    >>> [repair_typing(w) for w in ["Nguyeenx", "Tuaans", "Truwowngf", "dduwcs", "Hoafng"]]
    ['Nguyễn', 'Tuấn', 'Trường', 'đức', 'Hoàng']
    >>> [repair_typing(w) for w in ["Nguye6n4", "Tra62n", "d9u7c1", "Ksor", "Xuân", "Sơn"]]
    ['Nguyễn', 'Trần', 'đức', 'Ksor', 'Xuân', 'Sơn']
    """
    if not isinstance(word, str) or not word:
        return word
    nfc = unicodedata.normalize("NFC", word)
    if analyse_syllable(nfc)[0]:
        return word
    repaired = _repair(nfc)
    if repaired is None:
        return word
    return _place(_case_template(nfc, repaired), repaired, style)


def _case_template(word: str, repaired: str) -> str:
    letters = [ch for ch in word if ch.isalpha()]
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return repaired.upper()
    if letters and letters[0].isupper():
        return repaired[:1].upper() + repaired[1:]
    return repaired

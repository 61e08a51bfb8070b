"""Vietnamese person names: display form, parts (họ, tên đệm, tên), folded forms, keys, sex hint.

A Vietnamese name is written family name first: **họ** (family), **tên
đệm** (middle, zero or more words) and **tên** (given, the last word):
*Nguyễn Thị Minh Khai* is family Nguyễn, middle Thị Minh, given Khai.
:func:`normalize_name` makes the display form: legacy encodings and
mojibake repaired (:func:`~vnlink.normalize.legacy.fix_encoding`), NFC
(:func:`~vnlink.normalize.text.to_nfc`), Telex/VNI typing residue undone
(:func:`~vnlink.normalize.syllables.repair_typing`), tone marks in their
canonical place, title case, single spaces, stray punctuation and digits
dropped. :func:`parse_name` splits it; :func:`parse_names` does it for a
whole column, once per distinct value, giving the columns of the
``prepare`` contract.

Two-word names are family + given; one-word names are a given name alone.
A few compound family names (Tôn Thất, Tôn Nữ, Công Tằng Tôn Nữ, Âu Dương)
are kept whole when the name has a word left for the given name.
Ethnic-minority names (Ê Đê *Y Moan Niê*, with the family name last) do
not follow this pattern and are split the same way; they are flagged
``name:not_vietnamese`` when their words are not Vietnamese syllables.

Problem codes (in ``PersonName.problems`` and the ``name_problems`` column):

======================== =================================================
``name:missing``          empty, ``None`` or NaN
``name:junk``             a placeholder ("không rõ", "N/A"), no letters, one letter repeated
``name:single_word``      only one word (kept as the given name)
``name:too_long``         more than seven words
``name:not_vietnamese``   a word is not a Vietnamese syllable (kept as typed)
``name:no_diacritics``    typed without any mark although it needs some ("Nguyen Van An";
                          a name of three or more words without any mark counts)
``name:encoding_repaired`` mojibake or a legacy encoding was decoded
``name:typing_repaired``  Telex or VNI keystrokes were undone
``name:characters_removed`` digits or punctuation were dropped
======================== =================================================

Examples
--------
>>> normalize_name("  nguyễn   thị  hoà ")
'Nguyễn Thị Hòa'
>>> normalize_name("NGUYEENX VAWN HUNGF"), normalize_name("Nguyá»…n VÄƒn HÃ¹ng")
('Nguyễn Văn Hùng', 'Nguyễn Văn Hùng')
>>> p = parse_name("Trần Thị Ngọc Ánh")
>>> p.family, p.middle, p.given, p.sex_hint
('Trần', 'Thị Ngọc', 'Ánh', 'F')
>>> p.full_fold, p.key, p.given_key
('tran thi ngoc anh', 'CAN THI NGOT AN', 'AN')
>>> normalize_name("không rõ") is None
True
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from vnlink._bulk import factorize
from vnlink.normalize.legacy import _VIQR_TRIGGER, fix_encoding
from vnlink.normalize.phonetic import _ascii_syllable_key
from vnlink.normalize.syllables import _analyse, repair_typing
from vnlink.normalize.text import _fold_word, to_nfc

__all__ = [
    "NAME_COLUMNS",
    "PersonName",
    "normalize_name",
    "normalize_names",
    "parse_name",
    "parse_names",
    "sex_hint",
    "sex_hints",
]

#: The columns :func:`parse_names` returns, in order.
NAME_COLUMNS = (
    "name", "name_fold", "family", "middle", "given",
    "name_key", "given_key", "sex_hint", "name_problems",
)  # fmt: skip

Sex = Literal["M", "F"]

# --------------------------------------------------------------------------- tables

#: Whole values that mean "no name" (compared folded, punctuation removed).
_PLACEHOLDERS = frozenset(
    {
        "khong ro", "khong ro ten", "khong co", "khong co ten", "khong ten", "chua ro",
        "chua co", "chua co ten", "chua dat ten", "khong xac dinh", "kxd", "vo danh",
        "an danh", "n a", "na n", "nan", "null", "none", "nil", "unknown", "unk", "test",
        "ten", "ho ten", "ho va ten", "name", "full name", "noname", "no name", "bn",
        "benh nhan", "xxx", "abc", "asdf",
    }
)  # fmt: skip

#: Middle words that mark sex in published name data (UIT-ViNames: Thị 99.1% female,
#: Văn 0.2%; Thu, Mỹ, Thúy, Thùy >= 98%; Hữu, Đức, Quốc, Công, Quang, Đình <= 4%).
_SEX_OF_MIDDLE: dict[str, Sex] = {
    "thị": "F", "thu": "F", "mỹ": "F", "thúy": "F", "thùy": "F",
    "văn": "M", "hữu": "M", "đức": "M", "quốc": "M", "công": "M", "quang": "M", "đình": "M",
}  # fmt: skip
#: The same for names typed without marks (weaker: "Van" may be Vân, a woman's name).
_SEX_OF_FOLDED: dict[str, Sex] = {
    "thi": "F", "thu": "F", "my": "F", "thuy": "F",
    "van": "M", "huu": "M", "duc": "M", "quoc": "M", "cong": "M", "quang": "M", "dinh": "M",
}  # fmt: skip
_STRONG = ("thị", "văn")
_STRONG_FOLDED = ("thi", "van")

#: Compound family names, folded, by number of words.
_COMPOUND_FAMILIES = {
    4: frozenset({"cong tang ton nu"}),
    2: frozenset({"ton that", "ton nu", "au duong", "tu ma", "gia cat"}),
}
_FEMALE_FAMILIES = frozenset({"ton nu", "cong tang ton nu"})

_PIECE = re.compile(r"[^\W\d_]+(?:['’ʼ‘\-][^\W\d_]+)*")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'"})
_JOINERS = re.compile(r"(?<=['\-])(\w)")

_F_INVALID = 1
_F_REPAIRED = 2
_F_REMOVED = 4
_F_MARKED = 8
_F_UNMARKED = 16


# --------------------------------------------------------------------------- words


@lru_cache(maxsize=1 << 17)
def _word(token: str) -> tuple[tuple[tuple[str, str, str], ...], int]:
    """One whitespace-separated token -> ((display, fold, key) per word, flags)."""
    flags = 0
    if any(ch.isdigit() for ch in token):
        candidate = "".join(ch for ch in token if ch.isalnum())
        repaired = repair_typing(candidate)
        if repaired != candidate:
            token, flags = repaired, _F_REPAIRED
    pieces = _PIECE.findall(token)
    if len("".join(pieces)) != len(token):
        flags |= _F_REMOVED
    out: list[tuple[str, str, str]] = []
    for raw in pieces:
        piece = raw.translate(_APOSTROPHES)
        status, canonical = _analyse(piece)
        if status == 0 and piece.isalpha():
            repaired = repair_typing(piece)
            if repaired != piece:
                flags |= _F_REPAIRED
                status, canonical = _analyse(repaired)
                piece = repaired
        if status == 2:
            display = canonical[:1].upper() + canonical[1:]
        else:
            lower = piece.lower()
            display = _JOINERS.sub(lambda m: m.group(1).upper(), lower[:1].upper() + lower[1:])
        if status == 0:
            flags |= _F_INVALID
        elif status == 1:
            flags |= _F_UNMARKED
        if not display.isascii():
            flags |= _F_MARKED
        folded = _fold_word(display)
        out.append((display, folded, _ascii_syllable_key(folded)))
    return tuple(out), flags


# --------------------------------------------------------------------------- the parse


@dataclass(frozen=True, slots=True)
class PersonName:
    """A parsed Vietnamese name: ``family`` (họ), ``middle`` (tên đệm), ``given`` (tên).

    Parts are in display form (title case, NFC, canonical tones); ``middle``
    may hold several words or be empty; ``family`` is empty for a one-word
    name. Unpacks as ``family, middle, given = parse_name(...)``.

    Attributes
    ----------
    family, middle, given : str
        The parts, display form.
    problems : tuple of str
        Problem codes (see the module docstring).

    Examples
    --------
    >>> family, middle, given = parse_name("Lê Văn Tám")
    >>> family, middle, given
    ('Lê', 'Văn', 'Tám')
    >>> parse_name("Tôn Nữ Thị Hà").family
    'Tôn Nữ'
    """

    family: str
    middle: str
    given: str
    problems: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[str]:
        return iter((self.family, self.middle, self.given))

    @property
    def full(self) -> str:
        """The whole name, display form."""
        return " ".join(p for p in (self.family, self.middle, self.given) if p)

    @property
    def family_fold(self) -> str:
        """``family`` as lower-case ASCII."""
        return _fold_text(self.family)

    @property
    def middle_fold(self) -> str:
        """``middle`` as lower-case ASCII."""
        return _fold_text(self.middle)

    @property
    def given_fold(self) -> str:
        """``given`` as lower-case ASCII."""
        return _fold_text(self.given)

    @property
    def full_fold(self) -> str:
        """The whole name as lower-case ASCII."""
        return _fold_text(self.full)

    @property
    def key(self) -> str:
        """Phonetic key of the whole name (:func:`~vnlink.normalize.phonetic.phonetic_key`)."""
        return " ".join(_ascii_syllable_key(w) for w in self.full_fold.split())

    @property
    def given_key(self) -> str:
        """Phonetic key of the given name."""
        return " ".join(_ascii_syllable_key(w) for w in self.given_fold.split())

    @property
    def sex_hint(self) -> Sex | None:
        """``"F"``/``"M"`` from the middle name (Thị, Văn ...), else ``None``."""
        return _hint(self.family, self.middle)


def _fold_text(text: str) -> str:
    return " ".join(_fold_word(w) for w in text.split())


def _hint(family: str, middle: str) -> Sex | None:
    family_fold = _fold_text(family)
    if family_fold in _FEMALE_FAMILIES:
        return "F"
    if not middle:
        return None
    words = middle.lower().split()
    if middle.isascii():
        table, strong = _SEX_OF_FOLDED, _STRONG_FOLDED
    else:
        table, strong = _SEX_OF_MIDDLE, _STRONG
    for word in strong:
        if word in words:
            return table[word]
    for word in words:
        if word in table:
            return table[word]
    return None


_Row = tuple[str, str, str, str, str, str, str, str, str]
_EMPTY_ROW: _Row = ("", "", "", "", "", "", "", "", "")


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return type(value).__name__ in ("NAType", "NaTType")


def _analyse_name(value: Any) -> tuple[list[tuple[str, str, str]], list[str]] | None:
    """Words (display, fold, key) and problems; ``None`` words for missing/junk."""
    if _is_missing(value):
        return None
    text = value if isinstance(value, str) else str(value)
    problems: list[str] = []
    if text.isascii() and not _VIQR_TRIGGER.search(text):
        tokens = text.split()
    else:
        fixed = fix_encoding(text)
        if fixed != text:
            problems.append("name:encoding_repaired")
        tokens = to_nfc(fixed).split()
    words: list[tuple[str, str, str]] = []
    flags = 0
    for token in tokens:
        parts, token_flags = _word(token)
        words.extend(parts)
        flags |= token_flags
    if not words:
        problems.insert(0, "name:missing" if not tokens else "name:junk")
        return [], problems
    folded = " ".join(w[1] for w in words)
    letters = folded.replace(" ", "")
    if folded in _PLACEHOLDERS or (len(letters) > 1 and len(set(letters)) == 1):
        problems.insert(0, "name:junk")
        return [], problems
    if len(words) == 1:
        problems.append("name:single_word")
    elif len(words) > 7:
        problems.append("name:too_long")
    if flags & _F_INVALID:
        problems.append("name:not_vietnamese")
    if not flags & _F_MARKED and (flags & _F_UNMARKED or len(words) > 2):
        problems.append("name:no_diacritics")
    if flags & _F_REPAIRED:
        problems.append("name:typing_repaired")
    if flags & _F_REMOVED:
        problems.append("name:characters_removed")
    return words, problems


def _split(words: list[tuple[str, str, str]]) -> tuple[int, int]:
    """Number of family words and index of the given name."""
    n = len(words)
    if n == 1:
        return 0, 0
    family = 1
    for size in (4, 2):
        if n > size and " ".join(w[1] for w in words[:size]) in _COMPOUND_FAMILIES[size]:
            family = size
            break
    return family, n - 1


def _row(value: Any) -> _Row:
    analysed = _analyse_name(value)
    if analysed is None:
        return ("", "", "", "", "", "", "", "", "name:missing")
    words, problems = analysed
    if not words:
        return ("", "", "", "", "", "", "", "", ";".join(problems))
    n_family, given_at = _split(words)
    displays = [w[0] for w in words]
    folds = [w[1] for w in words]
    keys = [w[2] for w in words]
    family = " ".join(displays[:n_family])
    middle = " ".join(displays[n_family:given_at])
    hint = _hint(family, middle) or ""
    return (
        " ".join(displays),
        " ".join(folds),
        " ".join(folds[:n_family]),
        " ".join(folds[n_family:given_at]),
        folds[given_at],
        " ".join(keys),
        keys[given_at],
        hint,
        ";".join(problems),
    )


# --------------------------------------------------------------------------- public API


def normalize_name(text: Any) -> str | None:
    """The display form of a name, or ``None`` when it is empty or junk.

    Repairs encodings and typing residue, NFC, canonical tone placement
    (hòa, khỏe, thủy), title case, single spaces; digits and punctuation
    other than an apostrophe or hyphen inside a word are dropped.
    Idempotent; never raises; ``None`` passes through.

    Examples
    --------
    >>> normalize_name("TRẦN thị THUỶ"), normalize_name("Nguye6n4 Va8n Tu7o7ng2")
    ('Trần Thị Thủy', 'Nguyễn Văn Tường')
    >>> normalize_name("Ksor H’Ben"), normalize_name("Lê Văn 2"), normalize_name("N/A")
    ("Ksor H'Ben", 'Lê Văn', None)
    """
    analysed = _analyse_name(text)
    if analysed is None or not analysed[0]:
        return None
    return " ".join(w[0] for w in analysed[0])


def parse_name(text: Any) -> PersonName | None:
    """Split a name into family (họ), middle (tên đệm) and given (tên) name.

    ``None`` for an empty or junk name (and for ``None``).

    Examples
    --------
    >>> parse_name("nguyen van an")
    PersonName(family='Nguyen', middle='Van', given='An', problems=('name:no_diacritics',))
    >>> parse_name("Hoa")
    PersonName(family='', middle='', given='Hoa', problems=('name:single_word',))
    >>> parse_name("Lê Nguyễn Bảo Ngọc Trâm").middle
    'Nguyễn Bảo Ngọc'
    """
    analysed = _analyse_name(text)
    if analysed is None or not analysed[0]:
        return None
    words, problems = analysed
    n_family, given_at = _split(words)
    displays = [w[0] for w in words]
    return PersonName(
        family=" ".join(displays[:n_family]),
        middle=" ".join(displays[n_family:given_at]),
        given=displays[given_at],
        problems=tuple(problems),
    )


def sex_hint(name: str | PersonName | None) -> Sex | None:
    """``"F"`` or ``"M"`` from the middle name, ``None`` when it says nothing.

    "Thị" marks women in 99% of published names, "Văn" men; Thu, Mỹ, Thúy,
    Thùy (female) and Hữu, Đức, Quốc, Công, Quang, Đình (male) are >= 96%
    reliable too. Evidence, not proof. A name typed without marks uses the
    folded forms, where "Van" may also be the woman's name Vân.

    Examples
    --------
    >>> sex_hint("Nguyễn Thị Lan"), sex_hint("Lê Văn Tám"), sex_hint("Phạm Minh Anh")
    ('F', 'M', None)
    >>> sex_hint("Nguyễn Vân Anh"), sex_hint("nguyen van anh")
    (None, 'M')
    """
    parsed = name if isinstance(name, PersonName) else parse_name(name)
    return None if parsed is None else parsed.sex_hint


def parse_names(values: Iterable[Any]) -> dict[str, NDArray[np.object_]]:
    """Parse a column of names, once per distinct value, into the ``prepare`` columns.

    Returns a dict of object arrays, all of the input length: ``name``
    (display), ``name_fold``, ``family``, ``middle``, ``given`` (folded parts),
    ``name_key`` and ``given_key`` (phonetic keys), ``sex_hint`` (``"M"``,
    ``"F"`` or ``""``) and ``name_problems`` (``;``-joined codes). Missing and
    junk names are ``""`` in every column but ``name_problems``.

    Examples
    --------
    >>> cols = parse_names(["Nguyễn Thị Hoà", None, "NGUYEN THI HOA", "Nguyễn Thị Hoà"])
    >>> cols["name"].tolist()
    ['Nguyễn Thị Hòa', '', 'Nguyen Thi Hoa', 'Nguyễn Thị Hòa']
    >>> cols["given"].tolist(), cols["sex_hint"].tolist()
    (['hoa', '', 'hoa', 'hoa'], ['F', '', 'F', 'F'])
    >>> cols["name_problems"].tolist()
    ['', 'name:missing', 'name:no_diacritics', '']
    """
    distinct, inverse = factorize(values)
    rows = [_row(v) for v in distinct]
    out: dict[str, NDArray[np.object_]] = {}
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in NAME_COLUMNS]
    for name, column in zip(NAME_COLUMNS, columns, strict=True):
        array = np.empty(len(column), dtype=object)
        array[:] = column
        out[name] = array[inverse]
    return out


def normalize_names(values: Iterable[Any]) -> NDArray[np.object_]:
    """:func:`normalize_name` over a column, once per distinct value; ``""`` for missing/junk.

    >>> normalize_names(["lê văn tám", "", "lê văn tám"]).tolist()
    ['Lê Văn Tám', '', 'Lê Văn Tám']
    """
    distinct, inverse = factorize(values)
    results = np.empty(len(distinct), dtype=object)
    results[:] = [normalize_name(v) or "" for v in distinct]
    return results[inverse]


def sex_hints(values: Iterable[Any]) -> NDArray[np.object_]:
    """:func:`sex_hint` over a column, once per distinct value: ``"M"``, ``"F"`` or ``""``.

    >>> sex_hints(["Lê Thị Hà", "Lê Hà", None]).tolist()
    ['F', '', '']
    """
    distinct, inverse = factorize(values)
    results = np.empty(len(distinct), dtype=object)
    results[:] = [_row(v)[7] for v in distinct]
    return results[inverse]

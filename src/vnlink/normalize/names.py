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
``name:kept_as_written``  half the words or more are not Vietnamese: the whole name is
                          kept as typed (no repair, no sex hint)
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

import itertools
import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from importlib import resources
from itertools import chain
from typing import Any, Literal, TypeVar

import numpy as np
from numpy.typing import NDArray

from vnlink._bulk import factorize, spread
from vnlink._parallel import map_parts, requested_jobs
from vnlink.exceptions import ConfigurationError
from vnlink.normalize import gazetteer
from vnlink.normalize.legacy import ENCODINGS as _ENCODINGS
from vnlink.normalize.legacy import (
    VIQR_TRIGGER,
    Encoding,
    detect_encoding,
    fix_encoding,
    non_surface,
)
from vnlink.normalize.phonetic import ascii_syllable_key
from vnlink.normalize.syllables import DECOMPOSE as _DECOMPOSE
from vnlink.normalize.syllables import analyse_syllable, repair_typing
from vnlink.normalize.text import NEEDS_TRANSLATE, compose, fold_word
from vnlink.normalize.text import TRANSLATE as _TRANSLATE

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
_T = TypeVar("_T")

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

_PLACEHOLDER_FIRST = frozenset(p.split()[0] for p in _PLACEHOLDERS)

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

#: Compound family names, folded, by number of words.
_COMPOUND_FAMILIES = {
    4: frozenset({"cong tang ton nu"}),
    2: frozenset({"ton that", "ton nu", "au duong", "tu ma", "gia cat"}),
}
_FEMALE_FAMILIES = frozenset({"ton nu", "cong tang ton nu"})

_PIECE = re.compile(r"[^\W\d_]+(?:['’ʼ‘][^\W\d_]+)*")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'"})
_JOINERS = re.compile(r"(?<=')(\w)")

_F_INVALID = 1
_F_REPAIRED = 2
_F_REMOVED = 4
_F_MARKED = 8
_F_UNMARKED = 16
#: Flags after which a name needs a closer look (placeholder words are all ASCII).
_F_SUSPECT = _F_INVALID | _F_UNMARKED | _F_REMOVED
_F_PROBLEMS = _F_INVALID | _F_UNMARKED | _F_REMOVED | _F_REPAIRED


# --------------------------------------------------------------------------- words


@lru_cache(maxsize=1 << 17)
def _word(token: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], int]:
    """One whitespace-separated token -> (displays, folds, keys, flags) of its words."""
    flags = 0
    if any(ch.isdigit() for ch in token):
        candidate = "".join(ch for ch in token if ch.isalnum())
        repaired = repair_typing(candidate)
        if repaired != candidate:
            token, flags = repaired, _F_REPAIRED
        else:
            token, flags = "".join(ch for ch in token if not ch.isdigit()), _F_REMOVED
    pieces = _PIECE.findall(token) if token.isascii() else _pieces(token)
    if len("".join(pieces)) != len(token):
        flags |= _F_REMOVED
    out: list[tuple[str, str, str]] = []
    for raw in pieces:
        piece = raw.translate(_APOSTROPHES)
        if not piece.isascii():
            piece = unicodedata.normalize("NFC", piece)
        status, canonical = analyse_syllable(piece)
        if status == 0 and piece.isalpha():
            repaired = repair_typing(piece)
            if repaired != piece:
                flags |= _F_REPAIRED
                status, canonical = analyse_syllable(repaired)
                piece = repaired
        display = _capitalize(canonical if status == 2 else piece.lower())
        if not display:
            flags |= _F_REMOVED
            continue
        if status == 0:
            flags |= _F_INVALID
        elif status == 1:
            flags |= _F_UNMARKED
        if not display.isascii():
            flags |= _F_MARKED
        folded = fold_word(display)
        out.append((display, folded, ascii_syllable_key(folded)))
    if not out:
        return (), (), (), flags
    displays, folds, keys = zip(*out, strict=True)
    return displays, folds, keys, flags


def _pieces(token: str) -> list[str]:
    """The words inside a token: letters with their combining marks, joined by ' or -."""
    out: list[str] = []
    current: list[str] = []
    for ch in token:
        kind = unicodedata.category(ch)[0]
        after_letter = bool(current) and current[-1] not in _JOIN
        if kind == "L" or (after_letter and (kind == "M" or ch in _JOIN)):
            current.append(ch)
        else:
            _close(current, out)
            current = []
    _close(current, out)
    return out


_JOIN = frozenset("'’ʼ‘")


def _close(current: list[str], out: list[str]) -> None:
    while current and current[-1] in _JOIN:
        current.pop()
    if current:
        out.append("".join(current))


def _cap(lower: str) -> str:
    return _JOINERS.sub(lambda m: m.group(1).title(), lower[:1].title() + lower[1:])


def _capitalize(lower: str) -> str:
    """Title case for a word (also after an apostrophe), NFC; a fixed point of itself.

    ``""`` when no stable form exists (exotic letters whose case mappings change
    their length or split them into other words).
    """
    if lower.isascii():
        return _cap(lower)
    word = lower
    for _ in range(4):
        again = _title_nfc(word)
        if again == word:
            return word if _pieces(word) == [word] else ""
        word = again
    return ""


def _title_nfc(word: str) -> str:
    lower = unicodedata.normalize("NFC", word.lower()).translate(_APOSTROPHES)
    return unicodedata.normalize("NFC", _cap(lower)).translate(_APOSTROPHES)


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
        return " ".join(ascii_syllable_key(w) for w in self.full_fold.split())

    @property
    def given_key(self) -> str:
        """Phonetic key of the given name."""
        return " ".join(ascii_syllable_key(w) for w in self.given_fold.split())

    @property
    def sex_hint(self) -> Sex | None:
        """``"F"``/``"M"`` from the middle name (Thị, Văn ...), else ``None``.

        ``None`` for a name kept as written (not Vietnamese: "van" is no "Văn" there).
        """
        if "name:kept_as_written" in self.problems:
            return None
        return _hint(self.family, self.middle)


def _fold_text(text: str) -> str:
    return " ".join(fold_word(w) for w in text.split())


def _hint(family: str, middle: str) -> Sex | None:
    return _hint_words(_fold_text(family), middle.split())


def _hint_words(family_fold: str, middle: list[str] | tuple[str, ...]) -> Sex | None:
    """Sex hint from the folded family name and the middle words (display form)."""
    if not middle:
        return "F" if family_fold in _FEMALE_FAMILIES else None
    if family_fold in _FEMALE_FAMILIES:
        return "F"
    if len(middle) == 1:
        word = middle[0]
        return (_HINT_FOLDED if word.isascii() else _HINT_MARKED).get(word)
    table = _HINT_FOLDED if "".join(middle).isascii() else _HINT_MARKED
    for word in _STRONG_TITLE:
        if word in middle:
            return table.get(word)
    for word in middle:
        hint = table.get(word)
        if hint is not None:
            return hint
    return None


_HINT_MARKED: dict[str, Sex] = {k.title(): v for k, v in _SEX_OF_MIDDLE.items()}
_HINT_FOLDED: dict[str, Sex] = {k.title(): v for k, v in _SEX_OF_FOLDED.items()}
_STRONG_TITLE = ("Thị", "Văn", "Thi", "Van")
#: The hint of a one-word middle name, marked or not (what ``_hint_words`` gives for it).
_HINT_ONE: dict[str, Sex] = {
    **{word: sex for word, sex in _HINT_MARKED.items() if not word.isascii()},
    **_HINT_FOLDED,
}

_Row = tuple[str, str, str, str, str, str, str, str, str]
_NOT_TEXT = frozenset({"NAType", "NaTType"})
_VIQR_CHARS = frozenset("^(+`?~'.")


def _maybe_viqr(text: str) -> bool:
    """Cheap test: could ASCII ``text`` be VIQR? (it has a VIQR sign or a doubled d)."""
    return not _VIQR_CHARS.isdisjoint(text) or (
        "dd" in text or "DD" in text or "Dd" in text or "dD" in text
    )


class _Words:
    """The words of a name in three parallel lists, plus its problem codes."""

    __slots__ = ("display", "displays", "folds", "foreign", "keys", "problems")

    def __init__(self) -> None:
        self.display = ""
        self.displays: list[str] = []
        self.folds: list[str] = []
        self.keys: list[str] = []
        self.problems: list[str] = []
        self.foreign = False


def _foreign(value: Any) -> bool:
    """Whether at least half of the name's words are no Vietnamese syllable, even repaired.

    Such a name ("georgia rees", "alessandra van groesen") is left as it was
    written: no Telex repair ("rees" is not "rế"), no "Văn" or "Thị" read into it.
    """
    tokens = str(value).split()
    invalid = sum(1 for token in tokens if _word(token)[3] & _F_INVALID)
    return bool(tokens) and 2 * invalid >= len(tokens)


def _as_written(value: Any, problems: list[str]) -> _Words:
    """The words of a foreign name as typed (NFC, single spaces), folded to ASCII."""
    from vnlink.normalize.text import fold

    out = _Words()
    out.foreign = True
    for token in unicodedata.normalize("NFC", str(value)).translate(_APOSTROPHES).split():
        folded = (fold(token) or "").lower()
        if any(ch.isalpha() for ch in folded):
            out.displays.append(token)
            out.folds.append(folded)
            out.keys.append(ascii_syllable_key(folded))
    if not out.displays:
        out.problems = ["name:junk"]
        return out
    out.display = " ".join(out.displays)
    undone = ("name:typing_repaired", "name:no_diacritics", "name:characters_removed")
    kept = [p for p in problems if p not in undone]
    out.problems = [*kept, "name:kept_as_written"]
    return out


def _analyse_name(value: Any) -> _Words | None:
    """The words of a name and its problems; ``None`` when missing, no words when junk.

    A name most of whose words are not Vietnamese syllables is kept as written
    (:func:`_foreign`).
    """
    words = _analyse_vietnamese(value)
    if words is not None and _reads_foreign(value, words):
        kept = _as_written(value, words.problems)
        again = _analyse_vietnamese(kept.display) if kept.display else None
        if again is not None and _reads_foreign(kept.display, again):
            return kept  # (and stays so when normalized again)
    return words


def _reads_foreign(value: Any, words: _Words) -> bool:
    """Whether a name read as Vietnamese ``words`` is better kept as written."""
    if not words.displays:
        return False
    if "name:typing_repaired" not in words.problems:
        return "name:not_vietnamese" in words.problems and _foreign(value)
    if "name:not_vietnamese" in words.problems or len(words.displays) == 1:
        # another word is no syllable, or the only word is "repaired": into a syllable
        # no name uses, it is a foreign word ("ebony van hees" -> "Hế", "rees" -> "Rế")
        return _foreign(value) or _repaired_outside(value, _name_syllables())
    # "repaired" only into syllables of no name and no place ("kira mac an" -> "Kỉa");
    # one repair into a known syllable shows Telex typing ("Voox Thij ..." -> "Vỗ Thị")
    return _repaired_outside(value, _attested_syllables(), every=True)


def _repaired_outside(value: Any, syllables: frozenset[str], *, every: bool = False) -> bool:
    """Whether Telex repair turns a word of the name (``every``: each word it repairs)
    into a syllable not in ``syllables``.

    Telex is typed in ASCII; names in other scripts are never "repaired" here.
    """
    text = str(value)
    if not text.isascii():
        return False
    outside = []
    for token in text.split():
        displays, _, _, flags = _word(token)
        if flags & _F_REPAIRED:
            outside.append(any(d.lower() not in syllables for d in displays))
    return bool(outside) and (all(outside) if every else any(outside))


@cache
def _name_syllables() -> frozenset[str]:
    """The syllables of the shipped surnames, middle and given names (lower case)."""
    folder = resources.files("vnlink") / "data" / "names"
    words: set[str] = set()

    def add(name: str) -> None:
        words.update(unicodedata.normalize("NFC", name).lower().replace("/", " ").split())

    for file in ("surnames", "middle_names", "given_names"):
        data = json.loads((folder / f"{file}.json").read_text(encoding="utf-8"))
        for key, rows in data.items():
            if key in ("description", "source", "licence", "as_of", "columns", "zipf_exponent"):
                continue
            for row in rows:
                add(row if isinstance(row, str) else row[0])
    return frozenset(words)


@cache
def _attested_syllables() -> frozenset[str]:
    """Name syllables and those of the shipped unit names of both eras (about 2,000)."""
    units = [*gazetteer.provinces(), *gazetteer.districts(), *gazetteer.wards()]
    units += gazetteer.wards(era="2025")
    words = {w for u in units for w in unicodedata.normalize("NFC", u.name).lower().split()}
    return _name_syllables() | frozenset(words)


def _analyse_vietnamese(value: Any) -> _Words | None:
    """The words of a name and its problems; ``None`` when missing, no words when junk.

    Cleaning a word (dropping a digit, changing case) can turn a string no
    decoding applied to into one that decodes; the display form is run
    through again until it is stable, so that normalization is idempotent.
    """
    words = _analyse_once(value)
    for _ in range(3):
        if words is None or not words.displays:
            return words
        display = words.display = " ".join(words.displays)
        if display == value or _stable(display):
            return words
        again = _analyse_once(display)
        if again is None:
            return words
        again.problems = list(dict.fromkeys(words.problems + again.problems))
        words = again
    if words is not None:
        words.display = " ".join(words.displays)
    return words


def _stable(display: str) -> bool:
    """Whether ``display`` is left alone by :func:`fix_encoding` (cheap checks first)."""
    if display.isascii():
        if not (_maybe_viqr(display) and VIQR_TRIGGER.search(display)):
            return True
    elif non_surface().search(display):
        return True
    return fix_encoding(display) == display


def _analyse_once(value: Any) -> _Words | None:
    if value.__class__ is str:
        text: str = value
    elif (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or type(value).__name__ in _NOT_TEXT
    ):
        return None
    else:
        text = value if isinstance(value, str) else str(value)
    out = _Words()
    if text.isascii():
        if _maybe_viqr(text) and VIQR_TRIGGER.search(text):
            fixed = fix_encoding(text)
            if fixed != text:
                out.problems.append("name:encoding_repaired")
            text = fixed
        tokens = text.split()
    else:
        if not non_surface().search(text):
            fixed = fix_encoding(text)
            if fixed != text:
                out.problems.append("name:encoding_repaired")
            text = fixed
        if NEEDS_TRANSLATE.search(text):
            text = text.translate(_TRANSLATE)
        if not unicodedata.is_normalized("NFC", text):
            text = compose(text)
        tokens = text.split()
    displays, folds, keys = out.displays, out.folds, out.keys
    flags = 0
    for token in tokens:
        d, f, k, token_flags = _word(token)
        displays += d
        folds += f
        keys += k
        flags |= token_flags
    n = len(displays)
    if not n:
        out.problems.insert(0, "name:missing" if not tokens else "name:junk")
        return out
    if (flags & _F_SUSPECT or folds[0] in _PLACEHOLDER_FIRST) and _is_junk(folds, flags):
        out.problems.insert(0, "name:junk")
        displays.clear()
        folds.clear()
        keys.clear()
        return out
    if flags & _F_PROBLEMS or not flags & _F_MARKED or n < 2 or n > 7:
        _flag(out.problems, n, flags)
    return out


def _is_junk(folds: list[str], flags: int) -> bool:
    folded = " ".join(folds)
    letters = folded.replace(" ", "")
    if folded in _PLACEHOLDERS or (len(letters) > 1 and len(set(letters)) == 1):
        return True
    return len(letters) == 1 and bool(flags & _F_INVALID)


def _flag(problems: list[str], n_words: int, flags: int) -> None:
    if n_words == 1:
        problems.append("name:single_word")
    elif n_words > 7:
        problems.append("name:too_long")
    if flags & _F_INVALID:
        problems.append("name:not_vietnamese")
    if not flags & _F_MARKED and (flags & _F_UNMARKED or n_words > 2):
        problems.append("name:no_diacritics")
    if flags & _F_REPAIRED:
        problems.append("name:typing_repaired")
    if flags & _F_REMOVED:
        problems.append("name:characters_removed")


_COMPOUND_STARTS = frozenset({"ton", "au", "tu", "gia", "cong"})


def _split(folds: Sequence[str]) -> tuple[int, int]:
    """Number of family words and index of the given name."""
    n = len(folds)
    if n == 1:
        return 0, 0
    if n > 2 and folds[0] in _COMPOUND_STARTS:
        for size in (4, 2):
            if n > size and " ".join(folds[:size]) in _COMPOUND_FAMILIES[size]:
                return size, n - 1
    return 1, n - 1


def _plain_row(otherwise: Callable[[Any], _T], text: Any) -> _Row | _T:
    """The row of a plain name (2-7 Vietnamese words, clean Unicode or ASCII).

    The same result as the general path, without its clean-up steps; most
    names in a column take this path. Any other value gives ``otherwise(text)``.
    """
    if text.__class__ is not str:
        return otherwise(text)
    if text.isascii():
        if _maybe_viqr(text):
            return otherwise(text)
    # ASCII and composed Vietnamese letters only (so NFC, nothing to translate); a letter
    # beyond Latin-1 shows it is Unicode, else it may still be a legacy encoding
    elif _PLAIN.fullmatch(text) is None:
        # decomposed Unicode (NFD keyboards, cp1258): the plain row of its NFC form,
        # which is what the general path gives it
        if not unicodedata.is_normalized("NFC", text):
            composed = unicodedata.normalize("NFC", text)
            if _PLAIN.fullmatch(composed) is not None and _BEYOND_LATIN1.search(composed):
                row = _fast_row(composed)
                if row is not None:
                    return row
        return otherwise(text)
    elif not _BEYOND_LATIN1.search(text) and fix_encoding(text) != text:
        return otherwise(text)
    tokens = text.split()
    n = len(tokens)
    if n < 2 or n > 7:
        return otherwise(text)
    words = list(map(_single, tokens))
    if None in words:
        return otherwise(text)
    displays, folds, keys, all_flags = zip(*words, strict=True)
    display = " ".join(displays)
    # A word's flags here are only _F_MARKED (its display has a mark) and _F_UNMARKED.
    if display.isascii():
        if display != text and _maybe_viqr(display):
            return otherwise(text)
        problems = "name:no_diacritics" if n > 2 or _F_UNMARKED in all_flags else ""
    else:
        if display != text and not (_BEYOND_LATIN1.search(display) or _stable(display)):
            return otherwise(text)
        problems = ""
    folded = " ".join(folds)
    first = folds[0]
    if first in _PLACEHOLDER_FIRST and folded in _PLACEHOLDERS:
        return otherwise(text)
    given_at = n - 1
    if n > 2 and first in _COMPOUND_STARTS:
        n_family, given_at = _split(folds)
        if n_family > 1:
            family = " ".join(folds[:n_family])
            return (
                display,
                folded,
                family,
                " ".join(folds[n_family:given_at]),
                folds[given_at],
                " ".join(keys),
                keys[given_at],
                _hint_words(family, displays[n_family:given_at]) or "",
                problems,
            )
    # One family word (a one-word family is never a female compound family).
    if n == 3:
        middle_fold = folds[1]
        hint = _HINT_ONE.get(displays[1], "")
    elif n == 2:
        middle_fold = hint = ""
    else:
        middle_fold = " ".join(folds[1:given_at])
        hint = _hint_words(first, displays[1:given_at]) or ""
    return (
        display,
        folded,
        first,
        middle_fold,
        folds[given_at],
        " ".join(keys),
        keys[given_at],
        hint,
        problems,
    )


_F_ODD = _F_INVALID | _F_REMOVED | _F_REPAIRED
_BEYOND_LATIN1 = re.compile("[^\\x00-\\xff]")
#: Printable ASCII and the composed Vietnamese letters.
_PLAIN = re.compile(
    "[\\x20-\\x7e" + "".join(sorted(ch for ch in _DECOMPOSE if not ch.isascii())) + "đĐ]*"
)


@lru_cache(maxsize=1 << 17)
def _single(token: str) -> tuple[str, str, str, int] | None:
    """(display, fold, key, flags) of a token that is one plain word, else ``None``."""
    displays, folds, keys, flags = _word(token)
    if len(displays) != 1 or flags & _F_ODD:
        return None
    return displays[0], folds[0], keys[0], flags


def _no_row(text: Any) -> None:
    return None


#: The row of a plain name, else ``None``.
_fast_row = partial(_plain_row, _no_row)


def _general_row(value: Any) -> _Row:
    """The row of any value (what :func:`_plain_row` gives for a plain name)."""
    words = _analyse_name(value)
    if words is None:
        return ("", "", "", "", "", "", "", "", "name:missing")
    folds = words.folds
    if not folds:
        return ("", "", "", "", "", "", "", "", ";".join(words.problems))
    displays, keys = words.displays, words.keys
    n_family, given_at = _split(folds)
    if n_family == 1:
        family = folds[0]
        middle = displays[1:given_at]
        middle_fold = folds[1] if given_at == 2 else " ".join(folds[1:given_at])
    else:
        family = " ".join(folds[:n_family])
        middle = displays[n_family:given_at]
        middle_fold = " ".join(folds[n_family:given_at])
    return (
        words.display,
        " ".join(folds),
        family,
        middle_fold,
        folds[given_at],
        " ".join(keys),
        keys[given_at],
        "" if words.foreign else _hint_words(family, middle) or "",
        ";".join(words.problems),
    )


#: The row of any value: the plain-name path, else the general one (a C-level partial, so
#: one Python call per distinct value).
_row = partial(_plain_row, _general_row)


# --------------------------------------------------------------------------- public API


def normalize_name(text: Any) -> str | None:
    """The display form of a name, or ``None`` when it is empty or junk.

    Repairs encodings and typing residue, NFC, canonical tone placement
    (hòa, khỏe, thủy), title case, single spaces; digits and punctuation
    other than an apostrophe inside a word (H'Ben) are dropped; hyphens
    separate words (``Nguyễn-Văn-An`` is ``Nguyễn Văn An``).
    Idempotent; never raises; ``None`` passes through.

    Examples
    --------
    >>> normalize_name("TRẦN thị THUỶ"), normalize_name("Nguye6n4 Va8n Tu7o7ng2")
    ('Trần Thị Thủy', 'Nguyễn Văn Tường')
    >>> normalize_name("Ksor H’Ben"), normalize_name("Lê Văn 2"), normalize_name("N/A")
    ("Ksor H'Ben", 'Lê Văn', None)
    """
    words = _analyse_name(text)
    if words is None or not words.displays:
        return None
    return words.display


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
    words = _analyse_name(text)
    if words is None or not words.displays:
        return None
    n_family, given_at = _split(words.folds)
    displays = words.displays
    problems = words.problems
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


def parse_names(values: Iterable[Any], *, encoding: str = "auto") -> dict[str, NDArray[np.object_]]:
    """Parse a column of names, once per distinct value, into the ``prepare`` columns.

    Returns a dict of object arrays, all of the input length: ``name``
    (display), ``name_fold``, ``family``, ``middle``, ``given`` (folded parts),
    ``name_key`` and ``given_key`` (phonetic keys), ``sex_hint`` (``"M"``,
    ``"F"`` or ``""``) and ``name_problems`` (``;``-joined codes). Missing and
    junk names are ``""`` in every column but ``name_problems``.

    Parameters
    ----------
    values : sequence, numpy array or pandas Series
    encoding : {"auto", "column", "utf-8", "vni", "tcvn3", "viscii", "viqr"}
        ``"auto"`` (default) repairs each value on its own evidence, exactly
        as :func:`normalize_name`. ``"column"`` also uses the column: when most
        values that were decoded came from one legacy encoding, names whose
        garbled form is made only of valid words (VNI ``Thò`` for *Thị*) are
        decoded from it too, when that gives more common name syllables (see
        ``prefer`` in :func:`~vnlink.normalize.legacy.fix_encoding`). An
        encoding name does the same with that encoding.

    Raises
    ------
    ConfigurationError
        For an unknown ``encoding``.

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
    rows, inverse = _rows(values, encoding)
    # One (rows x columns) table, transposed so that each column is contiguous, then one
    # take spreads every column to the input length.
    width = len(NAME_COLUMNS)
    table = np.fromiter(chain.from_iterable(rows), dtype=object, count=len(rows) * width)
    per_distinct = np.ascontiguousarray(table.reshape(-1, width).T)
    return {name: spread(per_distinct[j], inverse) for j, name in enumerate(NAME_COLUMNS)}


def _rows(values: Iterable[Any], encoding: str) -> tuple[list[_Row], NDArray[np.intp]]:
    """The row of each distinct value of ``values`` and the index of each value's row."""
    prefer = _check_encoding(encoding)
    distinct, inverse = factorize(values)
    if encoding == "column":
        prefer = _column_encoding(distinct)
    workers = requested_jobs()
    if workers > 1 and len(distinct) >= _PARALLEL_FROM:  # halves in forked processes
        bounds = np.linspace(0, len(distinct), workers + 1).astype(int).tolist()
        parts = [(distinct[a:b], prefer) for a, b in itertools.pairwise(bounds)]
        return list(chain.from_iterable(map_parts(_rows_of, parts, workers))), inverse
    return _rows_of((distinct, prefer)), inverse


_PARALLEL_FROM = 50_000
"""Distinct names below which starting processes costs more than it saves."""


def _rows_of(part: tuple[list[Any], Encoding | None]) -> list[_Row]:
    """The rows of distinct names (module level: a forked worker finds it by name)."""
    distinct, prefer = part
    if prefer is None:
        return list(map(_row, distinct))
    return [_row_prefer(value, prefer) for value in distinct]


def normalize_names(values: Iterable[Any], *, encoding: str = "auto") -> NDArray[np.object_]:
    """:func:`normalize_name` over a column, once per distinct value; ``""`` for missing/junk.

    ``encoding`` is as in :func:`parse_names`.

    >>> normalize_names(["lê văn tám", "", "lê văn tám"]).tolist()
    ['Lê Văn Tám', '', 'Lê Văn Tám']
    >>> column = ["Nguyeãn Vaên Tuaán", "Traàn Thò Lan", "Mai Thò Thu"]  # VNI
    >>> normalize_names(column).tolist()
    ['Nguyễn Văn Tuấn', 'Trần Thị Lan', 'Mai Thò Thu']
    >>> normalize_names(column, encoding="column").tolist()
    ['Nguyễn Văn Tuấn', 'Trần Thị Lan', 'Mai Thị Thu']
    """
    rows, inverse = _rows(values, encoding)
    names = np.empty(len(rows), dtype=object)
    names[:] = [row[0] for row in rows]
    return names[inverse]


_ENCODING_CHOICES = ("auto", "column", *_ENCODINGS)


def _check_encoding(encoding: str) -> Encoding | None:
    if encoding not in _ENCODING_CHOICES:
        raise ConfigurationError(
            f"unknown encoding {encoding!r}: use one of {', '.join(_ENCODING_CHOICES)}"
        )
    return None if encoding in ("auto", "column") else encoding  # type: ignore[return-value]


def _column_encoding(distinct: list[Any]) -> Encoding | None:
    """The legacy encoding most decoded values of a column came from (at least two of them)."""
    counts: Counter[Encoding] = Counter()
    for value in distinct:
        if value.__class__ is str and (not value.isascii() or _maybe_viqr(value)):
            found = detect_encoding(value)
            if found is not None:
                counts[found] += 1
    if not counts:
        return None
    best, count = counts.most_common(1)[0]
    return best if count >= 2 and count * 2 > sum(counts.values()) else None


def _row_prefer(value: Any, prefer: Encoding) -> _Row:
    if value.__class__ is not str:
        return _row(value)
    alternative = fix_encoding(value, prefer=prefer)
    if alternative == fix_encoding(value):
        return _row(value)
    row = _row(alternative)
    if "name:encoding_repaired" in row[8]:
        return row
    problems = ";".join(p for p in ("name:encoding_repaired", row[8]) if p)
    return (*row[:8], problems)


def sex_hints(values: Iterable[Any]) -> NDArray[np.object_]:
    """:func:`sex_hint` over a column, once per distinct value: ``"M"``, ``"F"`` or ``""``.

    >>> sex_hints(["Lê Thị Hà", "Lê Hà", None]).tolist()
    ['F', '', '']
    """
    distinct, inverse = factorize(values)
    results = np.empty(len(distinct), dtype=object)
    results[:] = [_row(v)[7] for v in distinct]
    return results[inverse]

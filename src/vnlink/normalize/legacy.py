"""Repair Vietnamese text that is not clean Unicode: mojibake, legacy 8-bit encodings, VIQR.

Before Unicode (TCVN 6909:2001, mandatory for state data since 2003),
Vietnamese was typed in 8-bit font encodings, and files from that era, or
exported by tools that guess wrong, still reach the registry:

========== ====================================== ==========================
encoding   what it looks like when read as cp1252  Unicode
========== ====================================== ==========================
UTF-8      ``Nguyá»…n Thá»‹ Hoa``                    Nguyễn Thị Hoa
VNI        ``Nguyeãn Thò Hoaø``                     Nguyễn Thị Hoà
TCVN3/ABC  ``NguyÔn ThÞ Hoa``                       Nguyễn Thị Hoa
VISCII     ``Tr¥n Vån ÐÑc``                         Trần Văn Đức
VIQR       ``Nguye^~n Thi. Hoa``                    Nguyễn Thị Hoa
========== ====================================== ==========================

:func:`fix_encoding` tries each decoding and keeps the one that turns the
most words into valid Vietnamese syllables (:mod:`vnlink.normalize.syllables`);
text in which no decoding makes more words valid, which includes **every
clean Unicode text**, comes back unchanged. The tables are data files in
``vnlink/data/encodings/`` built from the published definitions (TCVN
5712:1993, the VNI-Windows layout, RFC 1456), each with its source.

:func:`encode_legacy` does the reverse, to make test data: it writes a text
in a legacy encoding and reads the bytes back as cp1252 (or Latin-1), which
is what a user sees when such a file is opened as a Western-European one.

Examples
--------
>>> fix_encoding("Nguyá»…n Thá»‹ Hoa")
'Nguyễn Thị Hoa'
>>> fix_encoding("Nguyeãn Thò Hoaø"), fix_encoding("NguyÔn ThÞ Hoa")
('Nguyễn Thị Hoà', 'Nguyễn Thị Hoa')
>>> fix_encoding("Nguye^~n Va(n DDu+o+`ng")
'Nguyễn Văn Đường'
>>> fix_encoding("Nguyễn Thị Hoa"), fix_encoding("Hà Tú"), fix_encoding("José Martí")
('Nguyễn Thị Hoa', 'Hà Tú', 'José Martí')
>>> encode_legacy("Đặng Thị Thủy", "vni")
'Ñaëng Thò Thuûy'
>>> detect_encoding(encode_legacy("Trần Văn Đức", "tcvn3"))
'tcvn3'
"""

from __future__ import annotations

import json
import re
import string
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache
from importlib import resources
from itertools import product
from typing import Any, Literal, overload

from vnlink.exceptions import ConfigurationError
from vnlink.normalize.syllables import analyse_syllable

__all__ = [
    "ENCODINGS",
    "VIQR_TRIGGER",
    "Encoding",
    "detect_encoding",
    "encode_legacy",
    "fix_encoding",
    "non_surface",
]

Encoding = Literal["utf-8", "tcvn3", "vni", "viscii", "viqr"]
#: The encodings :func:`fix_encoding` recognises, in the order it prefers them on a tie.
ENCODINGS: tuple[Encoding, ...] = ("utf-8", "vni", "tcvn3", "viscii", "viqr")
_EIGHT_BIT = ("tcvn3", "vni", "viscii")


# --------------------------------------------------------------------------- tables


@cache
def _table(name: str) -> dict[str, Any]:
    path = resources.files("vnlink") / "data" / "encodings" / f"{name}.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _surfaces(byte: int) -> tuple[str, ...]:
    """The characters a byte shows when read as cp1252 and as Latin-1."""
    latin = chr(byte)
    try:
        cp = bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return (latin,)
    return (cp,) if cp == latin else (cp, latin)


def _read_byte(byte: int, read_as: str) -> str:
    if read_as == "latin-1":
        return chr(byte)
    return _surfaces(byte)[0]


@cache
def _decoder(name: str) -> dict[str, str]:
    """Surface sequence (as read in cp1252 or Latin-1) -> Unicode letter."""
    data = _table(name)
    entries = dict(data["letters"])
    entries.update({v: k for k, v in data.get("decode_also", {}).items()})
    out: dict[str, str] = {}
    for letter, hexes in entries.items():
        codes = [int(h, 16) for h in hexes.split()]
        if all(code < 0x80 for code in codes):
            continue
        for combo in product(*(_surfaces(code) for code in codes)):
            out.setdefault("".join(combo), letter)
    return out


@cache
def _encoder(name: str) -> dict[str, bytes]:
    data = _table(name)
    return {letter: bytes(int(h, 16) for h in hexes.split()) for letter, hexes in
            data["letters"].items()}  # fmt: skip


@cache
def _surface_chars() -> frozenset[str]:
    """Every character some byte shows as in cp1252 or Latin-1."""
    return frozenset(ch for byte in range(256) for ch in _surfaces(byte))


@cache
def non_surface() -> re.Pattern[str]:
    """Matches a character no byte shows as: the text is Unicode, not a legacy encoding."""
    chars = "".join(sorted(_surface_chars()))
    return re.compile("[^" + re.escape(chars) + "]")


@cache
def _byte_of() -> dict[str, int]:
    out: dict[str, int] = {}
    for byte in range(256):
        for ch in _surfaces(byte):
            out.setdefault(ch, byte)
    return out


# --------------------------------------------------------------------------- decoders


def _decode_utf8(text: str) -> str | None:
    raw = _to_bytes(text)
    if raw is None:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Windows drops the five bytes cp1252 leaves undefined; "Ä" + nothing is Đ (C4 90),
    # and a no-break space after "Ã" (C3 A0, à) is often turned into a plain space.
    patched = re.sub(rb"\xc4(?![\x80-\xbf])", b"\xc4\x90", raw)
    patched = re.sub(rb"\xc3 ", b"\xc3\xa0", patched)
    try:
        return patched.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _to_bytes(text: str) -> bytes | None:
    """The bytes ``text`` shows when read as cp1252 (or Latin-1, or a mix of the two)."""
    for codec in ("cp1252", "latin-1"):
        try:
            return text.encode(codec)
        except UnicodeEncodeError:
            pass
    byte_of = _byte_of()
    try:
        return bytes(byte_of[ch] for ch in text)
    except KeyError:
        return None


@cache
def _one_byte_translation(name: str) -> dict[int, str]:
    return {ord(seq): letter for seq, letter in _decoder(name).items() if len(seq) == 1}


@cache
def _vni_pattern() -> re.Pattern[str]:
    seqs = sorted(_decoder("vni"), key=len, reverse=True)
    return re.compile("|".join(re.escape(s) for s in seqs))


def _decode_vni(text: str) -> str:
    table = _decoder("vni")
    return _vni_pattern().sub(lambda m: table[m.group()], text)


def _decode_tcvn3(text: str) -> str:
    return text.translate(_one_byte_translation("tcvn3"))


def _decode_viscii(text: str) -> str:
    return text.translate(_one_byte_translation("viscii"))


def _leftover(name: str, text: str) -> int:
    """Non-ASCII characters of ``text`` that are not letters of encoding ``name``."""
    if name == "vni":
        text = _vni_pattern().sub("", text)
        return sum(1 for ch in text if not ch.isascii())
    table = _one_byte_translation(name)
    return sum(1 for ch in text if not ch.isascii() and ord(ch) not in table)


_VIQR_VOWEL = "aeiouyAEIOUY"
_VIQR = re.compile(r"\\(.)|([dD][dD])|([aeiouyAEIOUY])([(^+]?)(['`?~.]?)")
VIQR_TRIGGER = re.compile(
    r"[aeiouyAEIOUY](?:[(^+]|[`?~]|['.][a-zA-Z])|(?:^|\s)[dD][dD][aeiouyAEIOUY]"
)
_TONE_MARK = {1: "\u0301", 2: "\u0300", 3: "\u0309", 4: "\u0303", 5: "\u0323"}


@cache
def _viqr_rules() -> tuple[dict[str, dict[str, str]], dict[str, int], dict[str, str]]:
    data = _table("viqr")
    return data["shape_marks"], data["tone_marks"], data["d_bar"]


def _decode_viqr(text: str) -> str:
    shapes, tones, d_bar = _viqr_rules()

    def one(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            return m.group(1)
        if m.group(2) is not None:
            return d_bar.get(m.group(2), "đ")
        vowel, shape, tone = m.group(3), m.group(4), m.group(5)
        if shape:
            shaped = shapes[shape].get(vowel.lower())
            if shaped is None:
                return m.group()
            vowel = shaped.upper() if vowel.isupper() else shaped
        if tone:
            vowel = unicodedata.normalize("NFC", vowel + _TONE_MARK[tones[tone]])
        return vowel

    return _VIQR.sub(one, text)


_DECODERS: dict[str, Callable[[str], str | None]] = {
    "utf-8": _decode_utf8,
    "vni": _decode_vni,
    "tcvn3": _decode_tcvn3,
    "viscii": _decode_viscii,
    "viqr": _decode_viqr,
}


# --------------------------------------------------------------------------- scoring

_SPACES = "\t\n\r\x0b\x0c"
_STRIP = string.punctuation + _SPACES
_LOOKALIKE = str.maketrans({"Ð": "Đ", "ð": "đ"})


#: Frequent syllables of Vietnamese names: a tie-break between decodings that make
#: equally many valid syllables (TCVN3 "Ngụ Quang Khọi" or VISCII "Ngô Quang Khải").
_COMMON = frozenset(
    """nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý trương đinh
    đoàn lâm mai trịnh cao lương tạ châu thái quách tô hà la văn thị hữu đức quốc công
    quang đình thu mỹ thúy thùy kim ngọc thanh xuân minh anh linh thảo nhi trang ngân như
    thư vy huy tuấn đạt duy hiếu nam long bảo hoa hương lan hạnh hằng hồng hải hùng hưng
    hòa khánh khang khoa khôi kiên lộc lợi mạnh my nga nguyệt nhung oanh phương phúc phong
    phát quân quý quyên sơn tâm tân thắng thành thủy tiến tín toàn trâm trí trung tú tùng
    tuyết uyên vân việt vinh yến ân bình chi cường dũng dung giang hậu hiền hiệp huyền khải
    kiều loan luân ly nhàn nhân phượng quyết sang sinh tài thịnh thông tiên tình trọng
    trường tuệ vĩnh xuyên yên đào đông hiển hoàn lực nhật phú sáng thiện thuận tiền vượng
    diệp hạ khuê lệ liên liễu my nguyên nhung phấn quyên sương thắm thơ thoa thuỷ trinh
    tuyền vi ánh bích cẩm diễm diệu đào giao hoài hợp khanh kha lài mến mừng nương""".split()  # noqa: SIM905
)


@lru_cache(maxsize=1 << 16)
def _word_score(word: str) -> tuple[int, int]:
    nfc = unicodedata.normalize("NFC", word.translate(_LOOKALIKE))
    status, canonical = analyse_syllable(nfc)
    if not status:
        return -1, 0
    return 1, int(canonical in _COMMON or nfc.lower() in _COMMON)


def _score(text: str, strip: bool) -> int:
    return _scores(text, strip)[0]


def _scores(text: str, strip: bool) -> tuple[int, int]:
    valid = common = 0
    # ASCII whitespace only: a no-break space is part of some mojibake ("Ã\xa0" is à)
    for chunk in text.split(" "):
        word = chunk.strip(_STRIP) if strip else chunk.strip(_SPACES)
        if word:
            v, c = _word_score(word)
            valid += v
            common += c
    return valid, common


def _one_pass(text: str) -> tuple[str, str | None]:
    """The best single decoding of ``text``: (result, encoding) or (text, None)."""
    if text.isascii():
        if not VIQR_TRIGGER.search(text):
            return text, None
        decoded = _decode_viqr(text)
        if decoded != text and _score(decoded, False) > _score(text, False):
            return decoded, "viqr"
        return text, None
    if non_surface().search(text):
        return text, None
    before = _score(text, True)
    if before == len(text.split(" ")):  # every word is already a syllable
        return text, None
    utf = _decode_utf8(text)
    if utf is not None and utf != text and _score(utf, True) >= before:
        return utf, "utf-8"
    best, best_name = text, None
    best_score: tuple[int, int, int] = (before, 0, 0)
    for name in _EIGHT_BIT:
        raw = _DECODERS[name](text)
        if raw is None or raw == text:
            continue
        decoded = unicodedata.normalize("NFC", raw)
        valid, common = _scores(decoded, True)
        if valid <= before or (valid, common) < best_score[:2]:
            continue
        score = (valid, common, -_leftover(name, text))
        if score > best_score:
            best, best_score, best_name = decoded, score, name
    return best, best_name


# sized for the distinct non-ASCII values of a 1-million-record batch that reach it
@lru_cache(maxsize=1 << 17)
def _fix(text: str) -> tuple[str, str | None]:
    current, first = text, None
    for _ in range(4):
        decoded, name = _one_pass(current)
        if name is None:
            return current, first
        first = first or name
        current = decoded
    return text, None


@overload
def fix_encoding(text: str, *, prefer: Encoding | None = ...) -> str: ...
@overload
def fix_encoding(text: None, *, prefer: Encoding | None = ...) -> None: ...
def fix_encoding(text: str | None, *, prefer: Encoding | None = None) -> str | None:
    """Detect and repair Vietnamese text that is not clean Unicode.

    Recognises UTF-8 read as cp1252 or Latin-1 (also twice over), VNI-Windows,
    TCVN3 (ABC) and VISCII read as cp1252 or Latin-1, and VIQR. A decoding is
    kept only when it makes more words valid Vietnamese syllables than the
    input has, so clean Unicode text, Vietnamese or not, comes back unchanged.
    Run it before :func:`~vnlink.normalize.text.to_nfc`, which would turn
    the no-break spaces inside some mojibake into plain spaces.

    Parameters
    ----------
    text : str or None
        Any text; ``None`` passes through, other objects are read as ``str(text)``.
    prefer : {"utf-8", "vni", "tcvn3", "viscii", "viqr"}, optional
        The encoding the source is known (or, for a column, found) to use.
        Some garbled names are made only of valid words (VNI ``Thò`` is *Thị*,
        VIQR ``Ha.`` is *Hạ*) and are left alone on their own; with
        ``prefer`` they are decoded from that encoding when the result keeps
        every valid word and is made of more common name syllables.

    Returns
    -------
    str or None
        The repaired text (NFC where it was decoded), or the input unchanged.

    Examples
    --------
    >>> fix_encoding("TrÇn V¨n §øc")
    'Trần Văn Đức'
    >>> fix_encoding("Tra62n")  # VNI keystrokes are typing residue, not an encoding
    'Tra62n'
    >>> fix_encoding(None) is None
    True
    >>> fix_encoding("La Thò Thu Ly"), fix_encoding("La Thò Thu Ly", prefer="vni")
    ('La Thò Thu Ly', 'La Thị Thu Ly')
    >>> fix_encoding("Hoà Thu Linh", prefer="vni")  # Hồ in VNI, but Hoà is as likely
    'Hoà Thu Linh'

    See Also
    --------
    detect_encoding : which encoding was found.
    """
    if text is None:
        return None
    if not isinstance(text, str):
        text = str(text)
    if prefer is not None and prefer not in ENCODINGS:
        raise ConfigurationError(f"unknown encoding {prefer!r}: use one of {', '.join(ENCODINGS)}")
    if text.isascii():
        if not VIQR_TRIGGER.search(text):
            return _prefer(text, prefer) if prefer == "viqr" else text
    elif non_surface().search(text):
        return text
    fixed, name = _fix(text)
    if name is None and prefer is not None:
        return _prefer(text, prefer)
    return fixed


@lru_cache(maxsize=1 << 17)
def _prefer(text: str, encoding: str) -> str:
    """``text`` decoded from ``encoding`` if that keeps every valid word and is more name-like."""
    if text.isascii() != (encoding == "viqr"):
        return text
    raw = _DECODERS[encoding](text)
    if raw is None or raw == text:
        return text
    decoded = unicodedata.normalize("NFC", raw)
    strip = encoding != "viqr"
    valid, common = _scores(text, strip)
    valid_after, common_after = _scores(decoded, strip)
    if valid_after >= valid and common_after > common and _fix(decoded)[1] is None:
        return decoded
    return text


def detect_encoding(text: str | None) -> Encoding | None:
    """The encoding :func:`fix_encoding` would decode ``text`` from, or ``None`` if clean.

    >>> detect_encoding("Nguyá»…n"), detect_encoding("Nguyễn"), detect_encoding(None)
    ('utf-8', None, None)
    """
    if not isinstance(text, str):
        return None
    name = _fix(text)[1]
    return name  # type: ignore[return-value]


@overload
def encode_legacy(text: str, encoding: Encoding, *, read_as: str = ...) -> str: ...
@overload
def encode_legacy(text: None, encoding: Encoding, *, read_as: str = ...) -> None: ...
def encode_legacy(text: str | None, encoding: Encoding, *, read_as: str = "cp1252") -> str | None:
    """Write ``text`` in a legacy encoding and read it back as cp1252: the mojibake users see.

    For making test data: ``fix_encoding(encode_legacy(t, enc)) == t`` for
    Vietnamese text ``t`` in NFC (TCVN3 has no upper-case toned letters, so
    those come back lower case, as they do from a real TCVN3 file).

    Parameters
    ----------
    text : str or None
        Unicode text (made NFC first). ``None`` passes through.
    encoding : {"utf-8", "tcvn3", "vni", "viscii", "viqr"}
        The encoding the text was (supposedly) written in. ``"viqr"`` gives
        the 7-bit VIQR spelling and ignores ``read_as``.
    read_as : {"cp1252", "latin-1"}
        How the bytes are read back. cp1252 leaves five bytes undefined; they
        show as the Latin-1 control character of the same value.

    Raises
    ------
    ConfigurationError
        For an unknown ``encoding`` or ``read_as``.

    Examples
    --------
    >>> encode_legacy("Nguyễn Thị Hoà", "utf-8")
    'Nguyá»…n Thá»‹ HoÃ\\xa0'
    >>> encode_legacy("Nguyễn Thị Hoa", "tcvn3"), encode_legacy("Trần Văn Đức", "viscii")
    ('NguyÔn ThÞ Hoa', 'Tr¥n Vån ÐÑc')
    >>> encode_legacy("Lê Đức Thọ", "viqr")
    "Le^ DDu+'c Tho."
    """
    if encoding not in ENCODINGS:
        raise ConfigurationError(
            f"unknown encoding {encoding!r}: use one of {', '.join(ENCODINGS)}"
        )
    if read_as not in ("cp1252", "latin-1"):
        raise ConfigurationError(f"unknown read_as {read_as!r}: use 'cp1252' or 'latin-1'")
    if text is None:
        return None
    if not isinstance(text, str):
        text = str(text)
    text = unicodedata.normalize("NFC", text)
    if encoding == "viqr":
        return "".join(_viqr_letter(ch) for ch in text)
    if encoding == "utf-8":
        raw = text.encode("utf-8", errors="surrogatepass")
        return "".join(_read_byte(b, read_as) for b in raw)
    table = _encoder(encoding)
    out: list[str] = []
    for ch in text:
        code = table.get(ch)
        if code is None and ch.isupper():
            code = table.get(ch.lower())
        if code is None:
            out.append(ch)
            continue
        out.extend(_read_byte(b, read_as) for b in code)
    return "".join(out)


_VIQR_SHAPE = {"\u0306": "(", "\u0302": "^", "\u031b": "+"}
_VIQR_TONE = {"\u0301": "'", "\u0300": "`", "\u0309": "?", "\u0303": "~", "\u0323": "."}


def _viqr_letter(ch: str) -> str:
    if ch == "đ":
        return "dd"
    if ch == "Đ":
        return "DD"
    if ch.isascii():
        return ch
    parts = unicodedata.normalize("NFD", ch)
    base, marks = parts[0], parts[1:]
    if base not in _VIQR_VOWEL:
        return ch
    shape = "".join(_VIQR_SHAPE.get(m, "") for m in marks)
    tone = "".join(_VIQR_TONE.get(m, "") for m in marks)
    return base + shape + tone

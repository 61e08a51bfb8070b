"""Reference tables of the ID modules, read once from ``vnlink/data/ids_*.json``."""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

_DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data"

# Separators people and spreadsheets put into numbers: spaces, dots, dashes,
# slashes, quotes (a leading apostrophe keeps Excel from eating zeros).
_DELETE = {
    ord(c): None for c in " \t\r\n\u00a0\u2009\u202f.-_/\\'\"`,:;#*()\u2010\u2011\u2012\u2013\u2014"
}
_UPPER = {ord(c): ord(c.upper()) for c in "abcdefghijklmnopqrstuvwxyz"}
CLEAN = str.maketrans({**_DELETE, **_UPPER})


class Province(NamedTuple):
    """A pre-2025 province as a CCCD number encodes it, with the 2025 province it is part of.

    Attributes
    ----------
    code : str
        The 3-digit CCCD code ("001" Hà Nội … "096" Cà Mau).
    name : str
        The pre-2025 province name.
    province_2025 : str
        The province it belongs to since 1 July 2025.
    province_2025_code : str
        The 2-digit code of that 2025 province (a different numbering: do not
        compare it with ``code``).
    """

    code: str
    name: str
    province_2025: str
    province_2025_code: str


def load(name: str) -> dict[str, Any]:
    """The parsed JSON data file ``vnlink/data/<name>``."""
    with open(_DATA_DIR / name, encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


@cache
def provinces() -> dict[str, Province]:
    """CCCD code -> :class:`Province` (the 63 pre-2025 provinces)."""
    rows = load("ids_cccd_provinces.json")["rows"]
    return {row[0]: Province(*row) for row in rows}


@cache
def cmnd_prefixes() -> dict[str, tuple[tuple[str, str, bool], ...]]:
    """CMND prefix -> ((cccd province code, province name, verified), ...)."""
    out: dict[str, list[tuple[str, str, bool]]] = {}
    for prefix, code, name, verified in load("ids_cmnd_prefixes.json")["rows"]:
        out.setdefault(prefix, []).append((code, name, bool(verified)))
    return {k: tuple(v) for k, v in out.items()}


def text_of(value: object) -> str:
    """``value`` as text, never raising: None -> "", integral numbers without ".0", NFKC."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool):
        return ""
    elif isinstance(value, int):
        return str(value) if value >= 0 else ""
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")) or value < 0:
            return ""
        return str(int(value)) if value.is_integer() else ""
    else:
        try:
            if bool(value != value):  # NaN, NaT
                return ""
        except Exception:
            if type(value).__name__ == "NAType":  # pandas.NA
                return ""
        try:
            if hasattr(value, "__index__"):  # numpy integers
                return text_of(int(value.__index__()))
            if isinstance(value, (bytes, bytearray)):
                return ""
            text = str(value)
        except Exception:
            return ""
        if not isinstance(text, str):
            return ""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return text


def clean(value: object) -> str:
    """Text of ``value`` without separators, upper case (the ``compact`` of every ID module)."""
    if type(value) is str and value.isascii() and value.isdigit():
        return value
    text = text_of(value)
    if not text:
        return ""
    text = text.translate(CLEAN)
    if not text.isascii():  # deleting a separator can leave a decomposable pair
        text = unicodedata.normalize("NFKC", text)
    return text


def is_digits(text: str) -> bool:
    """True when ``text`` is non-empty and only ASCII digits."""
    return text.isascii() and text.isdigit()

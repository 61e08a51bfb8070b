"""Places for the synthetic registry: provinces with rough populations, communes, streets.

Communes come from the gazetteer (:mod:`vnlink.normalize.gazetteer`, era
2021). Provinces are weighted by their population (2019 census, rounded,
thousands: weights only, not a statistic to quote); communes inside a
province by kind (a phường counts 1.5, a thị trấn 1.2, a xã 1).

Every place also has its 2025 form (:func:`ward_2025`): the commune a 2021
commune went into; for a commune split between several, one of its parts,
always the same one (the synthetic people of a split commune all live in that
part). :func:`registry_2025` writes a registry's addresses in the 2025 form.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray

from vnlink._bulk import as_object_array as _obj
from vnlink._bulk import factorize
from vnlink.normalize import gazetteer
from vnlink.table import Table

# code: (population in thousands, rounded 2019 census; CMND-9 prefixes; region)
# CMND prefixes from vietnam-facts.md §1 (some marked unverified there; they only
# need to look right in synthetic data).
PROVINCES: dict[str, tuple[int, tuple[str, ...], str]] = {
    "01": (8054, ("01",), "north"), "02": (854, ("07",), "north"),
    "04": (530, ("08",), "north"), "06": (314, ("095",), "north"),
    "08": (785, ("07",), "north"), "10": (731, ("06",), "north"),
    "11": (599, ("04",), "north"), "12": (461, ("04",), "north"),
    "14": (1248, ("05",), "north"), "15": (822, ("06",), "north"),
    "17": (855, ("11",), "north"), "19": (1287, ("090", "091", "092"), "north"),
    "20": (782, ("08",), "north"), "22": (1321, ("10",), "north"),
    "24": (1804, ("12",), "north"), "25": (1464, ("13",), "north"),
    "26": (1152, ("13",), "north"), "27": (1369, ("12",), "north"),
    "30": (1893, ("14",), "north"), "31": (2029, ("03",), "north"),
    "33": (1253, ("14",), "north"), "34": (1861, ("15",), "north"),
    "35": (853, ("16",), "north"), "36": (1781, ("16",), "north"),
    "37": (983, ("16",), "north"), "38": (3641, ("17",), "central"),
    "40": (3327, ("18",), "central"), "42": (1289, ("18",), "central"),
    "44": (896, ("19",), "central"), "45": (633, ("19",), "central"),
    "46": (1129, ("19",), "central"), "48": (1135, ("20",), "central"),
    "49": (1496, ("20",), "central"), "51": (1232, ("21",), "central"),
    "52": (1487, ("21",), "central"), "54": (873, ("22",), "central"),
    "56": (1232, ("22",), "central"), "58": (591, ("26",), "central"),
    "60": (1231, ("26",), "central"), "62": (540, ("23",), "central"),
    "64": (1514, ("230", "231"), "central"), "66": (1870, ("24",), "central"),
    "67": (623, ("245",), "central"), "68": (1297, ("25",), "central"),
    "70": (995, ("285",), "south"), "72": (1170, ("29",), "south"),
    "74": (2456, ("280",), "south"), "75": (3097, ("27",), "south"),
    "77": (1148, ("27",), "south"), "79": (8993, ("02",), "south"),
    "80": (1688, ("30",), "south"), "82": (1765, ("31",), "south"),
    "83": (1289, ("32",), "south"), "84": (1009, ("33",), "south"),
    "86": (1022, ("33",), "south"), "87": (1600, ("34",), "south"),
    "89": (1908, ("35",), "south"), "91": (1723, ("37",), "south"),
    "92": (1236, ("36",), "south"), "93": (733, ("36",), "south"),
    "94": (1200, ("36",), "south"), "95": (907, ("38",), "south"),
    "96": (1194, ("38",), "south"),
}

STREETS = (
    "Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Hai Bà Trưng", "Lý Thường Kiệt", "Quang Trung",
    "Lê Duẩn", "Nguyễn Huệ", "Phan Đình Phùng", "Hùng Vương", "Trần Phú", "Nguyễn Du",
    "Lê Lai", "Điện Biên Phủ", "Võ Thị Sáu", "Nguyễn Văn Cừ", "Lạc Long Quân", "Âu Cơ",
    "Nguyễn Thị Minh Khai", "Cách Mạng Tháng Tám", "Lê Văn Sỹ", "Hoàng Văn Thụ",
    "Phan Chu Trinh", "Bà Triệu", "Trường Chinh", "Nguyễn Chí Thanh", "Tôn Đức Thắng",
    "Phạm Văn Đồng", "Nguyễn Văn Linh", "Lê Hồng Phong", "Trần Quang Khải", "Chu Văn An",
    "Ngô Quyền", "Lý Thái Tổ", "Hoàng Hoa Thám", "Nguyễn Khuyến", "Phan Bội Châu",
    "Huỳnh Thúc Kháng", "Xô Viết Nghệ Tĩnh", "Lê Thánh Tông", "Kim Mã", "Giải Phóng",
    "Tân Hòa", "Bạch Đằng", "Thống Nhất", "Độc Lập", "Hòa Bình", "3 Tháng 2", "30 Tháng 4",
    "Nguyễn Văn Trỗi",
)

VILLAGES = (
    "Tân Lợi", "Bình An", "Phú Hòa", "An Phú", "Long Hòa", "Vĩnh Lợi", "Mỹ Thạnh", "Phước Lộc",
    "Tân Thành", "Bình Thạnh", "Hòa Bình", "Đông", "Tây", "Trung", "Thượng", "Hạ", "Đông Hòa",
    "Tân Phú", "An Thạnh", "Phú Lợi",
)


@dataclass(frozen=True, eq=False)
class Places:
    """Every 2021 commune with its parents, as aligned arrays, and sampling weights."""

    ward_code: NDArray[np.object_]
    ward: NDArray[np.object_]
    ward_kind: NDArray[np.object_]
    district_code: NDArray[np.object_]
    district: NDArray[np.object_]
    province_code: NDArray[np.object_]
    province: NDArray[np.object_]
    province_2025: NDArray[np.object_]
    region: NDArray[np.object_]
    weights: NDArray[np.float64]
    province_codes: tuple[str, ...]
    province_weights: NDArray[np.float64]


@cache
def places() -> Places:
    """The commune table (cached)."""
    provinces = {p.code: p for p in gazetteer.provinces("2021")}
    new_provinces = {p.code: p for p in gazetteer.provinces("2025")}
    districts = {d.code: d for d in gazetteer.districts()}
    units = [w for w in gazetteer.wards("2021") if w.province_code in PROVINCES]
    kind_weight = {"phường": 1.5, "thị trấn": 1.2}
    raw = np.array([kind_weight.get(w.kind, 1.0) for w in units])
    province_of = np.array([w.province_code for w in units])
    weights = np.zeros(len(units))
    for code, (population, _prefixes, _region) in PROVINCES.items():
        mask = province_of == code
        if mask.any():
            weights[mask] = population * raw[mask] / raw[mask].sum()
    weights /= weights.sum()
    new_name = {
        code: new_provinces[gazetteer.province_2025_of(code)].full_name
        if gazetteer.province_2025_of(code) in new_provinces
        else provinces[code].full_name
        for code in provinces
    }
    codes = tuple(sorted(PROVINCES))
    pw = np.array([PROVINCES[c][0] for c in codes], dtype=np.float64)
    return Places(
        ward_code=_obj([w.code for w in units]),
        ward=_obj([w.full_name for w in units]),
        ward_kind=_obj([w.kind for w in units]),
        district_code=_obj([w.parent_code for w in units]),
        district=_obj([districts[w.parent_code].full_name for w in units]),
        province_code=_obj([w.province_code for w in units]),
        province=_obj([provinces[w.province_code].full_name for w in units]),
        province_2025=_obj([new_name[w.province_code] for w in units]),
        region=_obj([PROVINCES[w.province_code][2] for w in units]),
        weights=weights,
        province_codes=codes,
        province_weights=pw / pw.sum(),
    )


def draw(rng: np.random.Generator, weights: NDArray[np.float64], size: int) -> NDArray[np.intp]:
    """``size`` indices drawn with probabilities ``weights`` (inverse CDF; deterministic)."""
    cumulative = np.cumsum(weights)
    cumulative /= cumulative[-1]
    cumulative[-1] = 1.0
    return np.searchsorted(cumulative, rng.random(size), side="right").astype(np.intp)


def ward_2025(ward_code: str) -> tuple[str, str]:
    """``(code, full name)`` of the 2025 commune a 2021 commune went into (``("", "")``
    if unknown); for a split commune one of its parts, always the same.

    >>> ward_2025("26740")  # Phường Bến Nghé
    ('26740', 'Phường Sài Gòn')
    >>> ward_2025("00007")[1] in ("Phường Ngọc Hà", "Phường Giảng Võ")  # split in two
    True
    """
    new = gazetteer.ward_2025_of(ward_code)
    if not new:
        return "", ""
    code = new[int(ward_code) % len(new)] if ward_code.isdigit() else new[0]
    unit = gazetteer.unit(code, era="2025", level="ward")
    return (code, unit.full_name) if unit is not None else ("", "")


def province_2025(province_code: str, fallback: str = "") -> str:
    """Full name of the 2025 province a 2021 province went into (``fallback`` if unknown).

    >>> province_2025("74")
    'Thành phố Hồ Chí Minh'
    """
    new = gazetteer.unit(gazetteer.province_2025_of(province_code), era="2025")
    return new.full_name if new is not None else fallback


def registry_2025(registry: Table) -> Table:
    """The registry with its addresses written in the 2025 two-level form.

    ``ward`` and ``province`` become the 2025 commune and province, ``district``
    empty; ``ward_code_2025`` and ``province_code_2025`` are added. The 2021 code
    columns (``ward_code`` ...) stay: they are where the person lives, from
    which records are typed in either form.

    >>> from vnlink.datasets import make_registry
    >>> new = registry_2025(make_registry(300, seed=1))
    >>> set(new["district"].tolist()), new["province"][0] == province_2025(new["province_code"][0])
    ({''}, True)
    """
    columns = dict(registry.columns)
    distinct, inverse = factorize(np.asarray(columns["ward_code"], dtype=object))
    pairs = [ward_2025(str(c)) for c in distinct]
    code = _obj(p[0] for p in pairs)[inverse]
    name = _obj(p[1] for p in pairs)[inverse]
    columns["ward"] = np.where(name != "", name, np.asarray(columns["ward"], dtype=object))
    columns["ward_code_2025"] = code
    distinct, inverse = factorize(np.asarray(columns["province_code"], dtype=object))
    old_names = np.asarray(columns["province"], dtype=object)
    names = _obj(province_2025(str(c)) for c in distinct)[inverse]
    columns["province"] = np.where(names != "", names, old_names)
    columns["province_code_2025"] = _obj(gazetteer.province_2025_of(str(c)) for c in distinct)[
        inverse
    ]
    columns["district"] = np.full(registry.n_rows, "", dtype=object)
    return Table(columns)

"""Unit markers, short forms and the folded-name indexes of the gazetteer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from vnlink.normalize import gazetteer
from vnlink.normalize.address._folding import _TOKEN, _tone_key, fold_place
from vnlink.normalize.address._memo import _Memo
from vnlink.normalize.gazetteer import AdminUnit

__all__ = []

_PROVINCE, _DISTRICT, _WARD = "province", "district", "ward"
_MARKERS: dict[tuple[str, ...], tuple[frozenset[str], str]] = {}
for _words, _levels, _kind in [
    (("tinh",), (_PROVINCE,), "tỉnh"),
    (("t",), (_PROVINCE,), "tỉnh"),
    (("thanh", "pho"), (_PROVINCE, _DISTRICT), "thành phố"),
    (("tp",), (_PROVINCE, _DISTRICT), "thành phố"),
    (("thanhpho",), (_PROVINCE, _DISTRICT), "thành phố"),
    (("quan",), (_DISTRICT,), "quận"),
    (("q",), (_DISTRICT,), "quận"),
    (("huyen",), (_DISTRICT,), "huyện"),
    (("h",), (_DISTRICT,), "huyện"),
    (("thi", "xa"), (_DISTRICT,), "thị xã"),
    (("tx",), (_DISTRICT,), "thị xã"),
    (("thixa",), (_DISTRICT,), "thị xã"),
    (("phuong",), (_WARD,), "phường"),
    (("p",), (_WARD,), "phường"),
    (("f",), (_WARD,), "phường"),
    (("ph",), (_WARD,), "phường"),
    (("xa",), (_WARD,), "xã"),
    (("x",), (_WARD,), "xã"),
    (("thi", "tran"), (_WARD,), "thị trấn"),
    (("tt",), (_WARD,), "thị trấn"),
    (("thitran",), (_WARD,), "thị trấn"),
    (("dac", "khu"), (_WARD,), "đặc khu"),
    (("dk",), (_WARD,), "đặc khu"),
]:
    _MARKERS[_words] = (frozenset(_levels), _kind)

# Street-level words, canonical forms for the folded street text.
_STREET_WORDS = {
    "h": "hem",
    "sn": "so",
    "d": "duong",
    "kp": "khu pho",
    "tdp": "to dan pho",
    "ng": "ngo",
}
"""Street abbreviations written out before a number ("KP 3" -> "khu pho 3"); each
expansion ends with a word of ``_STREET_NAME_WORDS`` so a re-parse reads it the same."""

# Short forms of provinces (folded), on top of the official names.
_PROVINCE_ALIASES = {
    "01": ["hn", "hanoi", "tphn", "ha noi city"],
    "79": ["hcm", "tphcm", "hcmc", "sai gon", "saigon", "sg", "tp hcm", "ho chi minh city"],
    "46": ["hue", "tth", "thua thien", "tt hue"],
    "77": ["brvt", "br vt", "ba ria vung tau", "vung tau", "ba ria"],
    "48": ["danang"],
    "66": ["dac lac", "daklak", "dak lac"],
    "67": ["dac nong", "daknong"],
    "62": ["kontum"],
    "64": ["gialai"],
}
_DISTRICT_ALIASES = {"769": ["2", "9", "thu duc"]}  # Quận 2 and Quận 9 became TP Thủ Đức (2021)


# --------------------------------------------------------------------------- indexes


def _name_tokens(name: str) -> list[str]:
    out = []
    for token in _TOKEN.findall(fold_place(name.replace("'", "").replace("-", " "))):
        out.append(str(int(token)) if token.isdigit() and len(token) <= 3 else token)
    return out


def _name_keys(name: str) -> list[tuple[str, bool]]:
    """Lookup keys of a name: spaced ("dak lak") and, for several words, joined ("daklak")."""
    tokens = _name_tokens(name)
    if not tokens:
        return []
    keys = [(" ".join(tokens), False)]
    if len(tokens) > 1:
        keys.append(("".join(tokens), True))
    return keys


@dataclass
class _Scope:
    """Folded-name index of the units of one parent at one level."""

    keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    choices: list[str] = field(default_factory=list)
    choice_codes: list[tuple[str, ...]] = field(default_factory=list)
    joined: set[str] = field(default_factory=set)
    fuzzy: dict[str, list[tuple[float, int]]] = field(default_factory=dict)  # query -> hits
    lengths: frozenset[int] = frozenset({1})  # numbers of words of the names (and 1)

    def add(self, key: str, code: str, *, joined: bool = False) -> None:
        if joined:
            self.joined.add(key)
        codes = self.keys.get(key, ())
        if code not in codes:
            self.keys[key] = (*codes, code)

    def freeze(self) -> None:
        # fuzzy candidates: the names as written (numbers are never corrected)
        self.choices = [k for k in self.keys if not k.isdigit() and k not in self.joined]
        self.choice_codes = [self.keys[k] for k in self.choices]
        self.lengths = frozenset({1, *(k.count(" ") + 1 for k in self.keys)})


@dataclass
class _Index:
    era: str
    units: dict[str, AdminUnit]
    provinces: _Scope
    districts_in: dict[str, _Scope]
    districts_all: _Scope
    wards_in_district: dict[str, _Scope]
    wards_in_province: dict[str, _Scope]
    max_tokens: int
    wider: dict[str, tuple[str, ...]] = field(default_factory=dict)
    accents: dict[str, tuple[str, str]] = field(default_factory=dict)
    wards_all: _Scope = field(default_factory=_Scope)
    # era 2025: the 2021 districts each 2025 commune took (a part of) its old communes from
    ward_districts: dict[str, frozenset[str]] = field(default_factory=dict)
    old_province_names: frozenset[str] = frozenset()  # era 2025: keys of 2021 names only
    # name lookups already made (see _matching._find)
    found: _Memo[Any] = field(default_factory=lambda: _Memo(limit=1 << 18))

    def accent_of(self, code: str) -> tuple[str, str]:
        """The unit name's letters and tones, tone placement ignored."""
        key = self.accents.get(code)
        if key is None:
            words = self.units[code].name.lower().replace("'", "").replace("-", " ").split()
            parts = [_tone_key(w) for w in words]
            key = ("".join(p[0] for p in parts), "".join(p[1] for p in parts))
            self.accents[code] = key
        return key


@cache
def _index(era: str) -> _Index:
    """The name indexes of one era.

    Era 2021: provinces, districts in each province, communes in each district and
    province; a commune renamed by the mergers of 2022-2024 is also found under its
    name of March 2025. Era 2025: the 34 provinces (also under the names of the 63
    old ones inside them: "Bình Dương" is Hồ Chí Minh City), the 3,321 communes in
    each province, and the 2021 districts of each new province, for addresses that
    still write one ("Phường Sài Gòn, Quận 1, TP HCM").
    """
    units: dict[str, AdminUnit] = {}
    provinces = _Scope()
    districts_in: dict[str, _Scope] = {}
    districts_all = _Scope()
    wards_in_district: dict[str, _Scope] = {}
    wards_in_province: dict[str, _Scope] = {}
    wards_all = _Scope()
    max_tokens = 1

    def keys_of(u: AdminUnit, extra: Iterable[str] = ()) -> list[tuple[str, bool]]:
        nonlocal max_tokens
        keys = _name_keys(u.name)
        for alias in extra:
            keys.extend(_name_keys(alias))
        for key, _joined in keys:
            max_tokens = max(max_tokens, key.count(" ") + 1)
        return keys

    for p in gazetteer.provinces(era):
        units[p.code] = p
        for key, joined in keys_of(p, _PROVINCE_ALIASES.get(p.code, [])):
            provinces.add(key, p.code, joined=joined)
    old_names: set[str] = set()  # era 2025: names of old provinces only ("Bình Dương")
    if era == "2025":  # the old provinces' names mean the new province they are part of
        for p in gazetteer.provinces("2021"):
            new = gazetteer.province_2025_of(p.code)
            for key, joined in keys_of(p, _PROVINCE_ALIASES.get(p.code, [])):
                if key not in provinces.keys:
                    provinces.add(key, new, joined=joined)
                    old_names.add(key)
    for d in gazetteer.districts():
        units[d.code] = d
        parent = d.parent_code if era == "2021" else gazetteer.province_2025_of(d.parent_code)
        for key, joined in keys_of(d, _DISTRICT_ALIASES.get(d.code, [])):
            districts_in.setdefault(parent, _Scope()).add(key, d.code, joined=joined)
            districts_all.add(key, d.code, joined=joined)
    renamed = gazetteer._renamed_before_2025() if era == "2021" else {}
    districts_of: dict[str, set[str]] = {}
    if era == "2025":
        district_of = {w.code: w.parent_code for w in gazetteer.wards("2021")}
        for w in gazetteer.wards("2025"):
            olds = gazetteer.wards_2021_of(w.code)
            districts_of[w.code] = {district_of[c] for c in olds if c in district_of}
    for w in gazetteer.wards(era):
        units[w.code] = w
        later = renamed.get(w.code, "")
        extra = [
            later.split(" ", 2)[-1] if later.startswith("Thị trấn") else later.split(" ", 1)[-1]
        ]
        for key, joined in keys_of(w, extra if later else ()):
            if era == "2021":
                wards_in_district.setdefault(w.parent_code, _Scope()).add(
                    key, w.code, joined=joined
                )
            else:
                wards_all.add(key, w.code, joined=joined)
                for district in districts_of.get(w.code, ()):  # 2021 districts it took from
                    wards_in_district.setdefault(district, _Scope()).add(key, w.code, joined=joined)
            wards_in_province.setdefault(w.province_code, _Scope()).add(key, w.code, joined=joined)
    scopes = [provinces, districts_all, wards_all, *districts_in.values()]
    scopes += [*wards_in_district.values(), *wards_in_province.values()]
    for scope in scopes:
        scope.freeze()
    wider: dict[str, tuple[str, ...]] = {}
    ward_districts: dict[str, frozenset[str]] = {}
    if era == "2021":  # old provinces whose name is also a 2025 province's name
        new_names = {fold_place(p.name) for p in gazetteer.provinces("2025")}
        inside: dict[str, list[str]] = {}
        for p in gazetteer.provinces("2021"):
            inside.setdefault(gazetteer.province_2025_of(p.code), []).append(p.code)
        for p in gazetteer.provinces("2021"):
            group = inside[gazetteer.province_2025_of(p.code)]
            if fold_place(p.name) in new_names and len(group) > 1:
                wider[p.code] = (p.code, *(c for c in group if c != p.code))
    else:
        ward_districts = {code: frozenset(d) for code, d in districts_of.items()}
    return _Index(
        era,
        units,
        provinces,
        districts_in,
        districts_all,
        wards_in_district,
        wards_in_province,
        max_tokens,
        wider,
        wards_all=wards_all,
        ward_districts=ward_districts,
        old_province_names=frozenset(old_names),
    )

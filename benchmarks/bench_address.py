"""Accuracy and speed of the Vietnamese address parser on generated addresses.

Three sets of typed addresses with known units: old three-level ones (2021
gazetteer), new two-level ones (the 3,321 communes of 2025), and the old ones
read for their 2025 commune (``ward_2025``: a commune merged whole must give its
new commune, a split one no single commune but its candidates). Old addresses are
generated from the 2021 gazetteer with known units, then
written the way people type them: abbreviations (P., Q., H., TX., TT., TP.,
F3, TPHCM, HN, BR-VT ...), dropped diacritics, the other tone placement,
typos in unit names, missing levels, no commas, upper/lower case, the
legacy Ð, reverse order. Accuracy is per level; "wrong but confident" counts
addresses where some returned code is wrong while ``address_confidence >= 0.8``.

Speed goes through the bulk path ``parse_addresses`` on a column where the
written administrative tails repeat (2% distinct) but house numbers do not,
then warm (every tail seen before) and cold (every address new). CPU-time
rates are printed too: on a shared machine the wall-clock rates mostly
measure the neighbours.

The same inputs also go through the MIT-licensed PyPI package
``vietnamadminunits`` 1.0.4 when it is installed (``pip install
vietnamadminunits==1.0.4``; it is no dependency of vnlink), side by side:
accuracy, wrong answers (it gives no confidence, so every wrong answer counts as
confident) and speed. Its converter is fed addresses without a street, as with a
street it asks an online geocoder.

Run: ``python benchmarks/bench_address.py [--quick]``.
"""

from __future__ import annotations

import contextlib
import random
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import parse_args, peak_memory_mb, timer, write_results

from vnlink.normalize import gazetteer
from vnlink.normalize.address import fold_place, parse_address, parse_addresses

CONFIDENT = 0.8
NEW_SHARE = 0.3  # share of two-level (2025) addresses in the speed column

STREETS = [
    "Lê Lợi",
    "Nguyễn Trãi",
    "Trần Hưng Đạo",
    "Lê Văn Sỹ",
    "Hai Bà Trưng",
    "Quang Trung",
    "Nguyễn Huệ",
    "Lý Thường Kiệt",
    "Phan Đình Phùng",
    "Điện Biên Phủ",
    "Cách Mạng Tháng Tám",
    "Võ Văn Tần",
    "Nguyễn Văn Cừ",
    "Hùng Vương",
    "Trường Chinh",
    "Láng Hạ",
    "Kim Mã",
    "Ông Ích Khiêm",
    "Phạm Văn Đồng",
    "Nguyễn Thị Minh Khai",
    "Xô Viết Nghệ Tĩnh",
]
HAMLET = [
    "Ấp",
    "Thôn",
    "Xóm",
    "Tổ",
    "Khu phố",
    "KP",
    "TDP",
    "Bản",
    "Buôn",
    "Làng",
    "Khóm",
    "Tổ dân phố",
]
HAMLET_NAMES = [
    "Đông",
    "Tây",
    "Trung",
    "Bình An",
    "Mới",
    "Hòa Bình",
    "Tân Lập",
    "Ko Tam",
    "Plei Ring",
]

WARD_MARK = {
    "phường": ["Phường ", "P. ", "P.", "P ", "phường "],
    "xã": ["Xã ", "X. ", "xã ", "X."],
    "thị trấn": ["Thị trấn ", "TT. ", "TT ", "thị trấn "],
}
NUM_WARD = ["Phường {n}", "P{n}", "P.{n:02d}", "P.{n}", "F{n}", "F.{n}", "P {n}", "phường {n}"]
DIST_MARK = {
    "quận": ["Quận ", "Q. ", "Q.", "quận "],
    "huyện": ["Huyện ", "H. ", "H.", "huyện "],
    "thị xã": ["Thị xã ", "TX. ", "TX ", "thị xã "],
    "thành phố": ["Thành phố ", "TP. ", "TP ", "Tp.", "T.P "],
}
NUM_DIST = ["Quận {n}", "Q{n}", "Q.{n}", "Q.{n:02d}", "quận {n}", "Q {n}"]
PROV_MARK = {"tỉnh": ["Tỉnh ", "T. ", "tỉnh "], "thành phố": ["Thành phố ", "TP. ", "TP ", "Tp "]}
PROV_ALIAS = {
    "79": ["TPHCM", "TP.HCM", "TP HCM", "HCM", "Sài Gòn", "SG", "TP. Hồ Chí Minh", "Hồ Chí Minh"],
    "01": ["HN", "Hà Nội", "TP Hà Nội", "Hanoi"],
    "46": ["Huế", "Thừa Thiên Huế", "TT Huế", "Thừa Thiên - Huế"],
    "77": ["BR-VT", "Bà Rịa - Vũng Tàu", "BRVT", "Bà Rịa Vũng Tàu"],
}
TONE_SWAP = {
    "òa": "oà",
    "óa": "oá",
    "ỏa": "oả",
    "õa": "oã",
    "ọa": "oạ",
    "òe": "oè",
    "óe": "oé",
    "ủy": "uỷ",
    "úy": "uý",
    "ùy": "uỳ",
    "ũy": "uỹ",
    "ụy": "uỵ",
}


def _strip(text: str) -> str:
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("đ", "d").replace("Đ", "D")


def _typo(rng: random.Random, name: str) -> str:
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    if len(letters) < 6:
        return name
    i = rng.choice(letters[1:-1])
    op = rng.randrange(4)
    if op == 0:
        return name[:i] + name[i + 1 :]
    if op == 1:
        return name[:i] + rng.choice("aeinotuhg") + name[i + 1 :]
    if op == 2 and name[i + 1 : i + 2].isalpha():
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + name[i] + name[i:]


class Generator:
    """Addresses with known 2021 units and a flag per level: is it determinable from the text?"""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.wards = gazetteer.wards("2021")
        self.units = {u.code: u for u in [*gazetteer.provinces("2021"), *gazetteer.districts()]}
        self.ward_key_count = Counter((w.province_code, fold_place(w.name)) for w in self.wards)
        self.ward_kind_count = Counter(
            (w.province_code, fold_place(w.name), w.kind) for w in self.wards
        )
        self.district_key_count = Counter(fold_place(d.name) for d in gazetteer.districts())
        self.district_in_province = Counter(
            (d.parent_code, fold_place(d.name)) for d in gazetteer.districts()
        )
        self.province_keys = {fold_place(p.name) for p in gazetteer.provinces("2021")}
        self.accent_twins = Counter((w.parent_code, fold_place(w.name)) for w in self.wards)

    def street(self) -> str:
        rng = self.rng
        n = rng.randint(1, 300)
        style = rng.randrange(7)
        if style == 0:
            return f"{n} {rng.choice(STREETS)}"
        if style == 1:
            return (
                f"Số {n} ngõ {rng.randint(1, 200)} ngách {rng.randint(1, 50)} {rng.choice(STREETS)}"
            )
        if style == 2:
            house = f"{n}/{rng.randint(1, 40)}{rng.choice(['', 'A', 'B'])}"
            return f"{house} hẻm {rng.randint(1, 500)} {rng.choice(STREETS)}"
        if style == 3:
            hamlet = rng.choice([str(rng.randint(1, 12)), rng.choice(HAMLET_NAMES)])
            return f"{rng.choice(HAMLET)} {hamlet}"
        if style == 4:
            return f"SN {n} Đ. {rng.choice(STREETS)}"
        if style == 5:
            return f"kiệt {rng.randint(1, 300)} {rng.choice(STREETS)}"
        return ""

    def one(self, street: bool = True) -> tuple[str, dict[str, str], dict[str, bool]]:
        rng = self.rng
        w = rng.choice(self.wards)
        d = self.units[w.parent_code]
        p = self.units[w.province_code]
        truth = {"province": p.code, "district": d.code, "ward": w.code}
        ok = {"province": True, "district": True, "ward": True}
        drop = rng.random()
        drop_ward = drop < 0.04
        drop_district = 0.04 <= drop < 0.14
        drop_province = 0.14 <= drop < 0.19
        typo_level = rng.choice(["ward", "district", "province"]) if rng.random() < 0.15 else ""

        def name(unit_name: str, level: str) -> str:
            return _typo(rng, unit_name) if typo_level == level else unit_name

        # ward
        if w.name.isdigit():
            ward_text = rng.choice(NUM_WARD).format(n=int(w.name))
            ward_marked = True
        else:
            mark = rng.choice(WARD_MARK[w.kind] + ([""] if rng.random() < 0.3 else []))
            ward_text = mark + name(w.name, "ward")
            ward_marked = bool(mark)
        # district
        if d.name.isdigit():
            dist_text = rng.choice(NUM_DIST).format(n=int(d.name))
            dist_marked = True
        else:
            mark = rng.choice(DIST_MARK[d.kind] + ([""] * 3))
            dist_text = mark + name(d.name, "district")
            dist_marked = bool(mark)
        if not dist_marked and self.district_in_province[(p.code, fold_place(d.name))] > 1:
            ok["district"] = False  # "Long Mỹ": the huyện or the thị xã?
            ok["ward"] = ok["ward"] and ward_marked
        # province
        if p.code in PROV_ALIAS and rng.random() < 0.6:
            prov_text = rng.choice(PROV_ALIAS[p.code])
        else:
            marks = PROV_MARK[p.kind] + [""] * 4
            prov_text = rng.choice(marks) + name(p.name, "province")
        parts = [self.street() if street else "", ward_text, dist_text, prov_text]
        if drop_ward:
            parts[1] = ""
            truth["ward"] = ""
        if drop_district:
            parts[2] = ""
            key = (w.province_code, fold_place(w.name))
            if self.ward_kind_count[(*key, w.kind)] > 1 or not ward_marked:
                ok["ward"] = ok["district"] = False  # a bare name could be a street
        if drop_province and not drop_district:
            parts[3] = ""
            name_key = fold_place(d.name)
            if self.district_key_count[name_key] > 1 or name_key in self.province_keys:
                ok["province"] = ok["district"] = ok["ward"] = False
        if drop_province and drop_district:
            parts[3] = prov_text
        parts = [x for x in parts if x]
        sep = rng.choices([", ", " ", " - ", ","], weights=[60, 30, 5, 5])[0]
        if rng.random() < 0.05 and len(parts) > 2 and sep != " ":
            parts.reverse()
        text = sep.join(parts)
        twins = self.accent_twins[(w.parent_code, fold_place(w.name))] > 1
        if twins and not ward_marked:
            ok["ward"] = False  # Thị trấn or Xã Mường Tè?
        if typo_level == "ward" and (w.parent_code, fold_place(ward_text)) in self.accent_twins:
            ok["ward"] = False  # the typo made the name of another commune
        r = rng.random()
        if r < 0.3:
            text = _strip(text)
            if twins:
                ok["ward"] = False  # Nậm Cắn or Nậm Càn?
        elif r < 0.5:
            for a, b in TONE_SWAP.items():
                text = text.replace(a, b)
        r = rng.random()
        if r < 0.08:
            text = text.upper()
        elif r < 0.16:
            text = text.lower()
        if rng.random() < 0.02:
            text = text.replace("Đ", "\u00d0")
        return text, truth, ok


NEW_WARD_MARK = {
    "phường": ["Phường ", "P. ", "P.", "P ", "phường "],
    "xã": ["Xã ", "X. ", "xã ", "X."],
    "đặc khu": ["Đặc khu ", "đặc khu ", "ĐK "],
}
NEW_PROV_ALIAS = {
    "79": ["TPHCM", "TP.HCM", "TP HCM", "HCM", "Sài Gòn", "TP. Hồ Chí Minh", "Hồ Chí Minh"],
    "01": ["HN", "Hà Nội", "TP Hà Nội", "Hanoi"],
    "46": ["Huế", "TP Huế", "Thành phố Huế"],
}


class Generator2025(Generator):
    """Two-level addresses of 2025 (commune, province) typed as people type them."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.new_wards = gazetteer.wards("2025")
        self.new_provinces = {p.code: p for p in gazetteer.provinces("2025")}
        self.new_key_count = Counter((w.province_code, fold_place(w.name)) for w in self.new_wards)
        self.new_kind_count = Counter(
            (w.province_code, fold_place(w.name), w.kind) for w in self.new_wards
        )
        self.new_accents = Counter((w.province_code, w.name.lower()) for w in self.new_wards)

    def one_new(self, street: bool = True) -> tuple[str, dict[str, str], dict[str, bool]]:
        rng = self.rng
        w = rng.choice(self.new_wards)
        p = self.new_provinces[w.province_code]
        truth = {"province_2025": p.code, "ward_2025": w.code}
        ok = {"province_2025": True, "ward_2025": True}
        typo_level = rng.choice(["ward", "province"]) if rng.random() < 0.15 else ""
        key = (p.code, fold_place(w.name))
        if w.name.isdigit():
            mark = rng.choice(["Phường ", "P.", "P"])
        else:
            mark = rng.choice(NEW_WARD_MARK[w.kind] + ([""] if rng.random() < 0.3 else []))
        name = _typo(rng, w.name) if typo_level == "ward" else w.name
        ward_text = mark + name
        if not mark and self.new_key_count[key] > 1:
            ok["ward_2025"] = False  # "Tân Hòa": the phường or the xã?
        if mark and self.new_kind_count[(*key, w.kind)] > 1:
            ok["ward_2025"] = False
        if typo_level == "ward" and (p.code, fold_place(name)) in self.new_key_count:
            ok["ward_2025"] = False  # the typo made the name of another commune
        if p.code in NEW_PROV_ALIAS and rng.random() < 0.6:
            prov_text = rng.choice(NEW_PROV_ALIAS[p.code])
        else:
            marks = PROV_MARK[p.kind] + [""] * 4
            prov_name = _typo(rng, p.name) if typo_level == "province" else p.name
            prov_text = rng.choice(marks) + prov_name
        parts = [self.street() if street else "", ward_text, prov_text]
        parts = [x for x in parts if x]
        sep = rng.choices([", ", " ", " - ", ","], weights=[60, 30, 5, 5])[0]
        text = sep.join(parts)
        r = rng.random()
        if r < 0.3:
            text = _strip(text)
            if self.new_key_count[key] > 1 and not mark:
                ok["ward_2025"] = False
            twins = sum(
                1
                for other in self.new_wards
                if other.province_code == p.code
                and other.code != w.code
                and fold_place(other.name) == key[1]
                and other.kind == w.kind
            )
            if twins:
                ok["ward_2025"] = False
        elif r < 0.5:
            for a, b in TONE_SWAP.items():
                text = text.replace(a, b)
        r = rng.random()
        if r < 0.08:
            text = text.upper()
        elif r < 0.16:
            text = text.lower()
        return text, truth, ok


def _score_2025(
    rows: list[tuple[str, dict[str, str], dict[str, bool]]],
    ward: list[str],
    province: list[str],
    confident: list[bool],
) -> dict[str, float]:
    counted = correct = correct_p = wrong_conf = 0
    for i, (_text, truth, ok) in enumerate(rows):
        bad = bool(province[i]) and province[i] != truth["province_2025"]
        correct_p += province[i] == truth["province_2025"]
        if ok["ward_2025"]:
            counted += 1
            correct += ward[i] == truth["ward_2025"]
            bad = bad or (bool(ward[i]) and ward[i] != truth["ward_2025"])
        wrong_conf += bad and confident[i]
    n = max(len(rows), 1)
    return {
        "ward_accuracy": correct / max(counted, 1),
        "province_accuracy": correct_p / n,
        "wrong_but_confident": wrong_conf / n,
        "undeterminable_share": 1 - counted / n,
    }


def accuracy_2025(
    n: int, seed: int = 17
) -> tuple[dict[str, float], list[tuple[str, dict[str, str], dict[str, bool]]]]:
    """Typed two-level addresses: ward_2025 / province_2025 against the truth."""
    gen = Generator2025(seed)
    rows = [gen.one_new() for _ in range(n)]
    cols = parse_addresses([t for t, _, _ in rows])
    figures = _score_2025(
        rows,
        list(cols["ward_2025"]),
        list(cols["province_2025"]),
        [c >= CONFIDENT for c in cols["address_confidence"]],
    )
    return {f"new_{k}": v for k, v in figures.items()}, rows


def accuracy_converted(
    n: int, seed: int = 27
) -> tuple[dict[str, float], list[tuple[str, dict[str, str], dict[str, bool]]]]:
    """Old three-level addresses read for their 2025 commune.

    A commune merged whole must give its new commune; a split one must give no
    ``ward_2025`` but its candidates (flag ``address:ward_2025_split``). Addresses
    without a street, so that the peer's converter can run offline.
    """
    gen = Generator(seed)
    rows = []
    for _ in range(n):
        text, truth, ok = gen.one(street=False)
        new = gazetteer.ward_2025_of(truth["ward"]) if truth["ward"] else ()
        truth = {
            **truth,
            "ward_2025": ";".join(new),
            "province_2025": gazetteer.province_2025_of(truth["province"]),
        }
        ok = {**ok, "ward_2025": ok["ward"] and bool(truth["ward"]) and bool(new)}
        rows.append((text, truth, ok))
    cols = parse_addresses([t for t, _, _ in rows])
    got = []
    for i, (text, _truth, _ok) in enumerate(rows):
        if cols["ward_2025"][i]:
            got.append(cols["ward_2025"][i])
        elif "address:ward_2025_split" in cols["address_problems"][i]:
            got.append(";".join(parse_address(text).ward_2025_candidates))
        else:
            got.append("")
    figures = _score_2025(
        rows, got, list(cols["province_2025"]), [c >= CONFIDENT for c in cols["address_confidence"]]
    )
    splits = [
        i for i, (_t, truth, ok) in enumerate(rows) if ok["ward_2025"] and ";" in truth["ward_2025"]
    ]
    figures["split_share"] = len(splits) / max(n, 1)
    return {f"converted_{k}": v for k, v in figures.items()}, rows


def peer(
    new_rows: list[tuple[str, dict[str, str], dict[str, bool]]],
    old_rows: list[tuple[str, dict[str, str], dict[str, bool]]],
) -> dict[str, float]:
    """The same inputs through vietnamadminunits 1.0.4 (when installed)."""
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from vietnamadminunits import convert_address
            from vietnamadminunits import parse_address as peer_parse
    except ImportError:
        print("  (vietnamadminunits not installed: no side-by-side figures)")
        return {}

    def run(fn: Any, texts: list[str]) -> tuple[list[tuple[str, str]], float]:
        out = []
        cpu = time.process_time()
        for text in texts:
            try:
                unit = fn(text)
                out.append((unit.ward_code or "", unit.province_code or ""))
            except Exception:  # the peer raises on what it cannot read
                out.append(("", ""))
        return out, len(texts) / max(time.process_time() - cpu, 1e-9)

    figures: dict[str, float] = {}
    texts = [t for t, _, _ in new_rows]
    got, rate = run(lambda t: peer_parse(t, mode="FROM_2025"), texts)
    scored = _score_2025(new_rows, [g[0] for g in got], [g[1] for g in got], [True] * len(got))
    figures.update({f"peer_new_{k}": v for k, v in scored.items()})
    figures["peer_new_addresses_per_cpu_s"] = rate
    figures["ours_new_addresses_per_cpu_s"] = _cold_rate(texts)
    texts = [t for t, _, _ in old_rows]
    got, rate = run(convert_address, texts)
    # the peer gives one commune for a split: counted right when it is one of the candidates
    ward = [
        truth["ward_2025"] if g[0] and g[0] in truth["ward_2025"].split(";") else g[0]
        for g, (_t, truth, _ok) in zip(got, old_rows, strict=True)
    ]
    scored = _score_2025(old_rows, ward, [g[1] for g in got], [True] * len(got))
    figures.update({f"peer_converted_{k}": v for k, v in scored.items()})
    figures["peer_converted_addresses_per_cpu_s"] = rate
    figures["ours_converted_addresses_per_cpu_s"] = _cold_rate(texts)
    return figures


def _cold_rate(texts: list[str]) -> float:
    """Addresses per CPU second of ``parse_addresses`` with nothing cached (every text new)."""
    _clear_caches()
    cpu = time.process_time()
    parse_addresses(texts)
    return len(texts) / max(time.process_time() - cpu, 1e-9)


def _clear_caches() -> None:
    """Forget every parsed tail, so that a timing measures cold parsing."""
    from vnlink.normalize.address import _folding, _parse, _tail, _units

    for module in (_folding, _parse, _tail):
        for value in vars(module).values():
            if hasattr(value, "cache_clear") and not isinstance(value, type):
                value.cache_clear()  # lru caches and memos
    for era in ("2021", "2025"):  # the name lookups each era's index keeps
        _units._index(era).found.cache_clear()


def accuracy(n: int, seed: int = 7) -> dict[str, float]:
    gen = Generator(seed)
    rows = [gen.one() for _ in range(n)]
    texts = [t for t, _, _ in rows]
    cols = parse_addresses(texts)
    figures: dict[str, float] = {"addresses": float(n)}
    wrong_confident = 0
    correct = Counter()
    counted = Counter()
    raw_correct = Counter()
    wrong_confident_all = 0
    for i, (_text, truth, ok) in enumerate(rows):
        bad = bad_all = False
        for level in ("province", "district", "ward"):
            got = cols[level][i]
            right = got == truth[level]
            raw_correct[level] += right
            if ok[level]:
                counted[level] += 1
                correct[level] += right
            if got and not right:
                bad_all = True
                bad = bad or ok[level]
        confident = cols["address_confidence"][i] >= CONFIDENT
        wrong_confident += bad and confident
        wrong_confident_all += bad_all and confident
    for level in ("province", "district", "ward"):
        figures[f"{level}_accuracy"] = correct[level] / max(counted[level], 1)
    for level in ("province", "district", "ward"):
        figures[f"{level}_accuracy_all"] = raw_correct[level] / n
    figures["undeterminable_share"] = 1 - counted["ward"] / n
    figures["wrong_but_confident"] = wrong_confident / n
    figures["wrong_but_confident_all"] = wrong_confident_all / n  # undeterminable ones too
    return figures


def _cpu_rate(values: list[str]) -> tuple[float, float]:
    """(addresses per wall second, addresses per CPU second) of ``parse_addresses``."""
    cpu = time.process_time()
    with timer() as t:
        parse_addresses(values)
    cpu = time.process_time() - cpu
    return len(values) / t["seconds"], len(values) / max(cpu, 1e-9)


def speed(n_rows: int, n_tails: int, seed: int = 11) -> dict[str, float]:
    """The bulk path on a column where units and their spelling repeat but houses do not.

    ``n_tails`` distinct written forms of the administrative part (commune, district,
    province, with abbreviations, typos, no diacritics ...) are spread over ``n_rows``
    rows, each with its own house number and street. Three figures: the whole column
    (every tail parsed once, then cached), the same tails again with new houses (warm:
    the steady cost per row) and all-new addresses (cold: every tail parsed).
    """
    gen = Generator2025(seed)
    rng = random.Random(seed)
    tails: list[tuple[str, bool]] = []  # (written tail, two-level)
    for _ in range(n_tails):
        new = rng.random() < NEW_SHARE
        tails.append(((gen.one_new if new else gen.one)(street=False)[0], new))

    def column(n: int) -> list[tuple[str, bool]]:
        out = []
        for _ in range(n):
            tail, new = rng.choice(tails)
            house = f"{rng.randint(1, 999)}/{rng.randint(1, 99)} {rng.choice(STREETS)}"
            out.append((f"{house}, {tail}", new))
        return out

    parse_address("P.1, Q.3, TPHCM")  # build the indexes outside the timing
    bulk = column(n_rows)
    bulk_wall, bulk_cpu = _cpu_rate([t for t, _ in bulk])
    _warm_wall, warm_cpu = _cpu_rate([t for t, _ in column(n_rows // 4)])
    _cold_wall, cold_cpu = _cpu_rate([gen.one()[0] for _ in range(min(n_rows, 5000))])
    figures = {
        "bulk_rows": float(n_rows),
        "bulk_distinct_tails": float(n_tails),
        "bulk_two_level_share": NEW_SHARE,
        "bulk_addresses_per_s": bulk_wall,
        "bulk_addresses_per_cpu_s": bulk_cpu,
        "warm_addresses_per_cpu_s": warm_cpu,
        "cold_addresses_per_cpu_s": cold_cpu,
    }
    peer_rate = _peer_rate(bulk[: min(n_rows, 2000)])
    if peer_rate:
        figures["peer_bulk_addresses_per_cpu_s"] = peer_rate
        figures["bulk_speed_ratio_to_peer"] = bulk_cpu / peer_rate
    return figures


def _peer_rate(rows: list[tuple[str, bool]]) -> float:
    """vietnamadminunits on rows of the bulk column (it caches nothing: a sample says its
    rate), each read in the form it was written in; 0 when it is not installed."""
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from vietnamadminunits import parse_address as peer_parse
    except ImportError:
        return 0.0
    cpu = time.process_time()
    for text, new in rows:
        with contextlib.suppress(Exception):  # the peer raises on what it cannot read
            peer_parse(text, mode="FROM_2025" if new else "LEGACY")
    return len(rows) / max(time.process_time() - cpu, 1e-9)


def main() -> None:
    args = parse_args(__doc__.splitlines()[0])
    with timer() as t_index:
        parse_address("P. Bến Nghé, Q.1, TPHCM")
    figures = {"index_build_s": t_index["seconds"]}
    figures.update(accuracy(2000 if args.quick else 10000))
    new_figures, new_rows = accuracy_2025(2000 if args.quick else 10000)
    figures.update(new_figures)
    old_figures, old_rows = accuracy_converted(2000 if args.quick else 10000)
    figures.update(old_figures)
    n_peer = 500 if args.quick else 3000
    figures.update(peer(new_rows[:n_peer], old_rows[:n_peer]))
    # 2% distinct written tails: e.g. 200,000 records of a province's ~1,000 communes
    figures.update(speed(20000 if args.quick else 200000, 400 if args.quick else 4000))
    figures["peak_memory_mb"] = peak_memory_mb()
    write_results("address", args.quick, figures)


if __name__ == "__main__":
    main()

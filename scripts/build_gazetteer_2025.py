"""Build ``src/vnlink/data/gazetteer/units_2025.json``: the 2025 units and the old -> new map.

Inputs (read-only):

- ``--source DIR``: a copy of the public repository dvhcvn/20250701 (commit dd94887,
  2025-07-12, MIT): ``915_CTK-CSCL.csv`` (34 provinces), ``1027_CTK-CSCL.md`` (3,321
  communes, official letter 1027/CTK-CSCL of 25 June 2025), ``splits.json`` (old -> new)
  and ``merges.json`` (new -> old, each part ``full`` or ``partial``);
- the installed PyPI package ``vietnamadminunits`` 1.0.4 (MIT, (c) 2025 Tran Ngoc Minh
  Hieu), used for two things only: the cross-check of the map, and the names of the
  communes absorbed between 2021 and March 2025 (its ``wardAlias`` lists them), which
  bridge the 2021 codes retired in 2022-2024 to the March-2025 list the map starts from;
- the shipped 2021 gazetteer (``units_2021.json.gz``).

No coordinates or areas are read into the output.

Run: ``python scripts/build_gazetteer_2025.py --source ../shared/reference/data/admin-2025``
(needs ``pip install vietnamadminunits==1.0.4``). The output is byte-reproducible.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sqlite3
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "vnlink" / "data" / "gazetteer" / "units_2025.json"
KINDS = (("Thành phố ", "thành phố"), ("Tỉnh ", "tỉnh"), ("Phường ", "phường"),
         ("Xã ", "xã"), ("Đặc khu ", "đặc khu"), ("Thị trấn ", "thị trấn"))  # fmt: skip

# Hand-checked corrections of the dvhcvn map (SOURCE.md): old code -> the new codes to drop.
WRONG_LINKS = {
    # Xã Phước Ninh (Quảng Nam) is also linked to Phường Hải Châu (Đà Nẵng): a same-name
    # confusion with Phường Phước Ninh (20242) of Hải Châu district, which is the one that
    # went into Phường Hải Châu.
    "20669": {"20242"},
}


def nfc(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\u00d0", "Đ"))
    return re.sub(r"\s+", " ", text.replace("<br>", " ")).strip()


def split_kind(full: str) -> tuple[str, str]:
    for prefix, kind in KINDS:
        if full.startswith(prefix):
            return full[len(prefix) :].strip(), kind
    raise ValueError(f"no kind in {full!r}")


def key(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in decomposed if not unicodedata.combining(c)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True)
    args = parser.parse_args()
    src: Path = args.source

    # ---- 2025 provinces (915/CTK-CSCL)
    provinces = []
    with open(src / "915_CTK-CSCL.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            full = nfc(row["Tên 34 tỉnh sau sáp nhập"])
            name, kind = split_kind(full) if full.startswith("Thành phố ") else (full, "tỉnh")
            provinces.append([row["Mã số"].zfill(2), name, kind, ""])
    prov_code = {key(p[1]): p[0] for p in provinces}

    # ---- 2025 communes (1027/CTK-CSCL)
    wards = []
    for line in (src / "1027_CTK-CSCL.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or not cells[0].isdigit():
            continue
        name, kind = split_kind(nfc(cells[2]))
        province = nfc(cells[3])
        province_key = re.sub(r"^(thanhpho|tinh|tp)", "", key(province))
        wards.append([cells[1], name, kind, prov_code[province_key]])
    assert len(wards) == 3321 and len({w[0] for w in wards}) == 3321
    ward_by_code = {w[0]: w for w in wards}

    # ---- the map, both directions
    splits = json.loads((src / "splits.json").read_text(encoding="utf-8"))["data"]
    merges = json.loads((src / "merges.json").read_text(encoding="utf-8"))["data"]
    part_type: dict[tuple[str, str], str] = {}
    merge_codes = set()
    renumber: dict[str, str] = {}
    for p in merges:
        for w in p["level2s"]:
            code = w["level2_id"]
            if code not in ward_by_code:  # a code that the official letter writes otherwise
                same = [
                    c
                    for c, r in ward_by_code.items()
                    if key(r[1]) == key(split_kind(nfc(w["name"]))[0]) and r[3] == p["level1_id"]
                ]
                assert len(same) == 1, (code, w["name"], same)
                renumber[code] = same[0]
                code = same[0]
            merge_codes.add(code)
            for m in w["merges"]:
                part_type[(m["old_id"], code)] = m["type"]
    assert merge_codes == set(ward_by_code), "merges.json and 1027/CTK-CSCL list other communes"
    march: dict[str, dict[str, str]] = {}  # March-2025 commune code -> name, province
    ward_map: dict[str, list[str]] = {}
    for p in splits:
        for w in p["level3s"]:
            old = w["level3_id"]
            march[old] = {"name": nfc(w["name"]), "province": p["level1_id"]}
            new = [renumber.get(s["new_id"], s["new_id"]) for s in w["splits"]]
            new = [c for c in dict.fromkeys(new) if c not in WRONG_LINKS.get(old, set())]
            ward_map[old] = new
    district_map = {
        d["level2_id"]: renumber.get(d["splits"][0]["new_id"], d["splits"][0]["new_id"])
        for p in splits for d in p.get("level2s", [])
    }  # fmt: skip
    inconsistent = [o for o, new in ward_map.items() if len(new) == 1
                    and part_type.get((o, new[0])) == "partial"]  # fmt: skip

    # ---- cross-check with vietnamadminunits 1.0.4
    import vietnamadminunits

    pkg = Path(vietnamadminunits.__file__).parent
    db = sqlite3.connect(pkg / "data" / "dataset.db")
    legacy = db.execute(
        "select provinceKey, districtKey, wardKey, wardCode, districtCode, ward, wardAlias "
        "from admin_units_legacy"
    ).fetchall()
    new_rows = db.execute("select provinceKey, wardKey, wardCode from admin_units").fetchall()
    codes_of_key: dict[str, set[str]] = defaultdict(set)
    for r in legacy:
        codes_of_key[f"{r[0]}_{r[1]}_{r[2]}"].add(r[3])
    # a key the peer gives to two units (same name in one district) says nothing: left out
    old_code_of = {k: next(iter(v)) for k, v in codes_of_key.items() if len(v) == 1}
    conv = json.loads((pkg / "data" / "converter_2025.json").read_text(encoding="utf-8"))
    prov_new_keys = {k for k in conv["DICT_PROVINCE"]}
    codes_of_new: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in new_rows:
        codes_of_new[(r[0], r[1])].add(r[2])
    new_code_of = {
        k: next(iter(v)) for k, v in codes_of_new.items() if len(v) == 1 and v <= set(ward_by_code)
    }
    peer: dict[str, set[str]] = defaultdict(set)
    for pkey, table in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for wkey, olds in table.items():
            for old_key in olds:
                if old_key in old_code_of and (pkey, wkey) in new_code_of:
                    peer[old_code_of[old_key]].add(new_code_of[(pkey, wkey)])
    for pkey, table in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, news in table.items():
            for n in news:
                if old_key in old_code_of and (pkey, n["newWardKey"]) in new_code_of:
                    peer[old_code_of[old_key]].add(new_code_of[(pkey, n["newWardKey"])])
    assert prov_new_keys
    both = [o for o in ward_map if peer.get(o)]
    disputed = {o: {"dvhcvn": ward_map[o], "vietnamadminunits": sorted(peer[o])}
                for o in both if set(ward_map[o]) != peer[o]}  # fmt: skip
    # where the two sources disagree, neither is taken alone: the old commune gets both
    # sources' communes as candidates (a split), never one confident answer
    for o, sides in disputed.items():
        ward_map[o] = sorted(set(sides["dvhcvn"]) | set(sides["vietnamadminunits"]))

    # a link into another province than the one the old province went into is a same-name
    # confusion (Xã Tân Phú of An Giang -> Xã Tân Phú Trung of Đồng Tháp): dropped
    province_map = json.loads(OUT.read_text(encoding="utf-8"))["province_map_2021_to_2025"]
    cross = {}
    for o, new in ward_map.items():
        keep = [c for c in new if ward_by_code[c][3] == province_map[march[o]["province"]]]
        if keep != new:
            cross[o] = sorted(set(new) - set(keep))
            ward_map[o] = keep
    print("cross-province links dropped:", cross)

    # ---- bridge: 2021 codes retired before March 2025
    import gzip

    units_2021 = json.loads(gzip.decompress((OUT.parent / "units_2021.json.gz").read_bytes()))
    old_wards = {r[0]: r for r in units_2021["wards"]}
    district_province = {r[0]: r[3] for r in units_2021["districts"]}
    kind_word = {"phường": "phuong", "xã": "xa", "thị trấn": "thitran"}
    alias_in: dict[tuple[str, str], list[str]] = defaultdict(list)  # (province, key) -> codes
    for r in legacy:
        aliases = json.loads(r[6]) if r[6] else []
        for a in aliases:
            alias_in[(march.get(r[3], {}).get("province", ""), a)].append(r[3])
    bridge: dict[str, list[str]] = {}
    unbridged = []
    for code, row in old_wards.items():
        if code in ward_map:
            continue
        province = district_province[row[3]]
        full_key = kind_word[row[2]] + key(row[1])
        found = [c for c in alias_in.get((province, full_key), []) if c in ward_map]
        same_district = [c for c in found if old_wards.get(c, [None] * 4)[3] == row[3]]
        found = same_district or found
        if not found:  # merged into a commune of the same district that took its name
            found = [c for c, r in march.items() if key(r["name"]) == full_key
                     and c in old_wards and old_wards[c][3] == row[3]]  # fmt: skip
        if found:
            bridge[code] = sorted(set(found))
        else:
            unbridged.append(code)
    for code, via in bridge.items():
        ward_map[code] = sorted({n for c in via for n in ward_map[c]})

    renamed = {}
    for code, row in old_wards.items():
        if code in march:
            now = march[code]["name"]
            if key(now) != key(f"{row[2]} {row[1]}"):
                renamed[code] = now

    split_count = sum(len(v) > 1 for v in ward_map.values())
    payload = {
        "era": "2025",
        "description": (
            "The 34 provinces and 3,321 communes in force from 1 July 2025 (Nghị quyết "
            "202/2025/QH15; codes of the statistics office letters 915/CTK-CSCL and "
            "1027/CTK-CSCL of 25 June 2025), the 63 -> 34 province map, and the commune-level "
            "map from every 2021-era commune to the 2025 commune(s) it went into."
        ),
        "source": (
            "Communes, codes and the commune map: dvhcvn/20250701 (github.com/dvhcvn/20250701, "
            "commit dd94887, 2025-07-12), compiled from resolutions 1654-1687/NQ-UBTVQH15 "
            "(community-compiled, not official), copied unchanged then processed by "
            "scripts/build_gazetteer_2025.py. Cross-check and bridge of the 2021 codes "
            "retired in 2022-2024: PyPI vietnamadminunits 1.0.4 (Tran Ngoc Minh Hieu). "
            "Province map: Nghị quyết 202/2025/QH15."
        ),
        "licence": "MIT (dvhcvn: Copyright (c) 2025 dvhcvn; vietnamadminunits: Copyright (c) "
        "2025 Tran Ngoc Minh Hieu); full texts in licence_text",
        "licence_text": {
            "dvhcvn/20250701": (src / "LICENSE").read_text(encoding="utf-8"),
            "vietnamadminunits": next(
                (pkg.parent / "vietnamadminunits-1.0.4.dist-info").rglob("LICENSE")
            ).read_text(encoding="utf-8"),
        },
        "as_of": "2025-07-01",
        "source_dates": {
            "communes": "2025-06-25 (1027/CTK-CSCL)",
            "provinces": "2025-06-12 (Nghị quyết 202/2025/QH15; 915/CTK-CSCL)",
            "map": "2025-07-12 (dvhcvn/20250701 dd94887)",
            "old_units": "2021 gazetteer, bridged to the list of 2025-03-01",
        },
        "columns": ["code", "name", "kind", "parent_code"],
        "provinces": provinces,
        "wards": wards,
        "province_map_2021_to_2025": province_map,
        "ward_map_2021_to_2025": dict(sorted(ward_map.items())),
        "district_map_2021_to_2025": district_map,
        "ward_bridge_2021": dict(sorted(bridge.items())),
        "ward_renamed_before_2025": dict(sorted(renamed.items())),
        "disputed": dict(sorted(disputed.items())),
        "notes": (
            f"{split_count} old communes map to several 2025 communes (split, or the two "
            f"sources disagree: 'disputed'); the source gives no shares of a split. "
            f"{len(bridge)} codes retired in 2022-2024 are bridged through the communes that "
            f"absorbed them ('ward_bridge_2021'); {len(unbridged)} are not mapped. Corrected "
            f"by rule: {len(cross)} links into another province than the old province's "
            "(same-name confusions). By hand: Xã Phước Ninh (20669, Quảng Nam) is not in "
            "Phường Hải Châu; Xã Ia Mơ is 23737 (1027/CTK-CSCL), not 23938."
        ),
    }
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    OUT.write_text(text + "\n", encoding="utf-8")
    print(
        f"wards {len(wards)}, map {len(ward_map)}, splits {split_count}, disputed "
        f"{len(disputed)}, bridged {len(bridge)}, unbridged {len(unbridged)}, renamed "
        f"{len(renamed)}, renumbered {renumber}, single-but-partial {len(inconsistent)}"
    )
    print("unbridged:", [(c, old_wards[c][1]) for c in unbridged][:30])


if __name__ == "__main__":
    main()

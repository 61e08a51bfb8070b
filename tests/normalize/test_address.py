"""Unit and property tests of the address parser (bulk form, 2025 conversion, robustness)."""

from __future__ import annotations

import random
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vnlink.exceptions import ConfigurationError
from vnlink.normalize import gazetteer as gz
from vnlink.normalize.address import (
    Address,
    fold_place,
    format_address,
    parse_address,
    parse_addresses,
    to_2025,
)

KEYS = (
    "street",
    "province",
    "district",
    "ward",
    "province_2025",
    "ward_2025",
    "address_confidence",
    "address_problems",
    "address_era",
)
PROBLEM = re.compile(r"^address:[a-z0-9_]+$")


def test_fold_place_merges_tone_placements_and_d() -> None:
    assert fold_place("Hoà Bình") == fold_place("Hòa Bình") == "hoa binh"
    assert fold_place("Thuỷ") == fold_place("Thủy") == "thuy"
    assert fold_place("Đắk Lắk") == fold_place("\u00d0ắk Lắk") == "dak lak"
    assert fold_place("Nguye\u0302\u0303n") == "nguyen"  # decomposed input


def test_parse_none_and_junk() -> None:
    assert parse_address(None) == Address(problems=("address:empty",))
    assert parse_address("   ").problems == ("address:empty",)
    assert parse_address(12345).problems == ("address:empty",)  # type: ignore[arg-type]
    junk = parse_address("!!! ??? ...")
    assert junk.confidence == 0.0 and junk.province_code == ""


def test_fields_of_a_full_parse() -> None:
    a = parse_address("12/3A hẻm 45 Lê Văn Sỹ, P.13, Q3, TPHCM")
    assert a.street == "12/3a hem 45 le van sy"
    assert (a.ward, a.district, a.province) == ("Phường 13", "Quận 3", "Thành phố Hồ Chí Minh")
    assert a.province_2025 == "79" and a.ward_2025 == "27142"  # Phường Nhiêu Lộc since 2025
    assert a.era == "2021" and a.ward_2025_name == "Phường Nhiêu Lộc"
    assert a.problems == ()
    assert a.confidence == 1.0 and a.era == "2021"
    assert a.canonical == "12/3a hem 45 le van sy, Phường 13, Quận 3, Thành phố Hồ Chí Minh"
    assert format_address(a) == a.canonical


def test_street_abbreviations_are_expanded() -> None:
    a = parse_address("SN 12 Đ. Lê Lợi, KP 3, P. Bến Thành, Q.1, TP.HCM")
    assert a.street == "so 12 d le loi, khu pho 3"
    assert parse_address("H. 45 Lê Lợi, P. Bến Thành, Q.1, TP.HCM").street == "hem 45 le loi"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Phường 1, TPHCM", "address:ward_ambiguous"),
        ("Hát Lót, Mai Sơn, Sơn La", "address:ward_ambiguous"),
        ("P. Bến Ngé, Q1, TPHCM", "address:ward_fuzzy"),
        ("P. Bến Nghé, TP.HCM", "address:district_missing"),
        ("P. Bến Nghé, Q.1", "address:province_missing"),
        ("TP HCM, Quận 3, Phường 13, 12 Lê Văn Sỹ", "address:reversed_order"),
        ("P. Phú Hòa, TP Thủ Dầu Một, BD", "address:unknown_part"),
        ("Quận 3, TP HCM", "address:ward_not_found"),
        ("lorem ipsum", "address:unresolved"),
        ("Phường Phú Hòa, Thành phố Hồ Chí Minh", "address:province_2025_name"),
    ],
)
def test_problem_codes(text: str, problem: str) -> None:
    a = parse_address(text)
    assert problem in a.problems
    assert all(PROBLEM.match(p) for p in a.problems)


def test_ambiguity_lowers_confidence() -> None:
    assert parse_address("Phường 1, TPHCM").confidence <= 0.5
    assert parse_address("Phường 1, Quận 3, TPHCM").confidence == 1.0


def test_era_2025_reads_the_34_provinces() -> None:
    a = parse_address("Phường Bến Thành, TP Hồ Chí Minh", era="2025")
    assert (a.province_code, a.province_2025, a.era) == ("79", "79", "2025")
    assert a.district_code == "" and a.ward_code == a.ward_2025 == "26743"
    assert parse_address("xã X, Thừa Thiên Huế", era="2025").province == "Thành phố Huế"
    with pytest.raises(ConfigurationError, match="era"):
        parse_address("Hà Nội", era="2030")
    with pytest.raises(ConfigurationError):
        parse_addresses(["Hà Nội"], era="1975")


def test_old_commune_with_its_2025_province_name() -> None:
    """Since July 2025 people write the old commune with the new province's name."""
    a = parse_address("Phường Phú Hòa, Thành phố Hồ Chí Minh")  # Phú Hòa was in Bình Dương
    assert (a.ward_code, a.district_code, a.province_code) == ("25750", "718", "74")
    assert a.province_2025 == "79" and a.confidence < 1
    b = parse_address("Thị trấn Chũ, Bắc Ninh")  # Chũ was in Bắc Giang, now in Bắc Ninh
    assert (b.ward_code, b.province_code, b.province_2025) == ("07525", "24", "24")
    c = parse_address("Phường Bến Nghé, TP Hồ Chí Minh")  # inside old HCMC: no widening
    assert c.ward_code == "26740" and "address:province_2025_name" not in c.problems


def test_to_2025() -> None:
    new = to_2025(parse_address("P. Phú Hòa, TP Thủ Dầu Một, Bình Dương"))
    assert (new.province_code, new.province, new.district, new.era) == (
        "79",
        "Thành phố Hồ Chí Minh",
        "",
        "2025",
    )
    assert new.ward_code == new.ward_2025 == "25750"  # Phường Phú Lợi
    assert to_2025("Thừa Thiên Huế").province == "Thành phố Huế"
    assert to_2025(None).province_code == ""
    assert to_2025(new) is new


def test_bulk_matches_scalar_and_contract() -> None:
    values = [
        "P.13, Q3, TPHCM",
        None,
        "xom 2 thon Dong, xa Tam Hung, H. Thanh Oai, Ha Noi",
        "P.13, Q3, TPHCM",
        "",
        "Phường 1, TPHCM",
        float("nan"),
    ]
    cols = parse_addresses(values)
    assert list(cols) == list(KEYS)
    for key in KEYS:
        assert len(cols[key]) == len(values)
    assert cols["address_confidence"].dtype == np.float32
    for key in (k for k in KEYS if k != "address_confidence"):
        assert cols[key].dtype == object
        assert all(isinstance(v, str) for v in cols[key])
    for i, value in enumerate(values):
        a = parse_address(value)
        assert cols["ward"][i] == (a.ward_code if a.era == "2021" else "")
        assert cols["street"][i] == a.street and cols["address_era"][i] == a.era
        assert cols["ward_2025"][i] == a.ward_2025
        assert cols["address_problems"][i] == ";".join(a.problems)
        assert cols["address_confidence"][i] == np.float32(a.confidence)
    assert cols["ward"][2] == "10138" and cols["province_2025"][0] == "79"


def test_bulk_accepts_arrays_and_empty() -> None:
    cols = parse_addresses(np.array(["P.13, Q3, TPHCM", "Hà Nội"], dtype=object))
    assert cols["province"].tolist() == ["79", "01"]
    empty = parse_addresses([])
    assert all(len(v) == 0 for v in empty.values())


def test_legacy_encodings_are_repaired() -> None:
    legacy = pytest.importorskip("vnlink.normalize.legacy")
    text = "Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh"
    for encoding in ("vni", "tcvn3"):
        garbled = legacy.encode_legacy(text, encoding)
        assert parse_address(garbled).ward_code == "26740"


# --------------------------------------------------------------------------- properties

_ALPHABET = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "Z", "S", "M"),
)
_PIECES = st.sampled_from(
    [
        "P.",
        "P3",
        "F.7",
        "Q1",
        "Q.",
        "TP.",
        "T.P",
        "TX.",
        "TT.",
        "X.",
        "H.",
        "T.",
        "phường",
        "xã",
        "quận",
        "huyện",
        "thị trấn",
        "tỉnh",
        "thành phố",
        "Hà Nội",
        "HCM",
        "Huế",
        "BR-VT",
        " - ",
        ", ",
        "12/3A",
        "ngõ",
        "ấp",
        "Bến Nghé",
        "Tân Hòa",
        "Phường 1",
        "\u00d0",
        "Việt Nam",
        "70000",
        "Sa Pả",
        "xa lộ",
        "thị xã",
    ]
)
_TEXTS = st.one_of(
    st.text(_ALPHABET, max_size=60),
    st.lists(st.one_of(_PIECES, st.text(_ALPHABET, max_size=6)), max_size=10).map(" ".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS)
def test_never_raises_and_is_idempotent_on_its_canonical_text(text: str) -> None:
    a = parse_address(text)
    assert 0.0 <= a.confidence <= 1.0
    assert all(PROBLEM.match(p) for p in a.problems)
    b = parse_address(a.canonical)
    assert (b.ward_2025, b.province_2025) == (a.ward_2025, a.province_2025)
    if b.era == a.era:  # the canonical text of a two-level address may read in either era
        assert (b.ward_code, b.province_code) == (a.ward_code, a.province_code)
        if a.era == "2021":  # (a 2025 address is written without a 2021 district)
            assert b.district_code == a.district_code
        assert b.canonical == a.canonical


@st.composite
def _written_addresses(draw: st.DrawFn) -> str:
    wards = gz.wards("2021")
    w = wards[draw(st.integers(0, len(wards) - 1))]
    d = gz.unit(w.parent_code)
    p = gz.unit(w.province_code)
    assert d is not None and p is not None
    parts = [
        draw(st.sampled_from(["", "12 Lê Lợi", "Số 5 ngõ 3", "Ấp 2", "Tổ 7"])),
        draw(st.sampled_from(["", w.full_name, w.name, f"P. {w.name}", f"X.{w.name}"])),
        draw(st.sampled_from(["", d.full_name, d.name])),
        draw(st.sampled_from(["", p.full_name, p.name])),
    ]
    text = draw(st.sampled_from([", ", " ", " - "])).join(x for x in parts if x)
    if draw(st.booleans()):
        text = fold_place(text)
    return text


@settings(max_examples=200, deadline=None)
@given(_written_addresses())
def test_written_addresses_round_trip(text: str) -> None:
    a = parse_address(text)
    b = parse_address(a.canonical)
    assert (b.ward_2025, b.province_2025) == (a.ward_2025, a.province_2025)
    if b.era == a.era:  # a two-level text may read in either era: then the place is the same
        assert (b.ward_code, b.province_code) == (a.ward_code, a.province_code)
        if a.era == "2021":  # a 2025 address is written without the 2021 district it named
            assert b.district_code == a.district_code
        assert b.canonical == a.canonical
    if a.ward_code and a.era == "2021":  # a found commune is consistent with its parents
        unit = gz.unit(a.ward_code)
        assert unit is not None and unit.parent_code == a.district_code
        assert unit.province_code == a.province_code


def test_generated_addresses_accuracy_smoke() -> None:
    """A small version of benchmarks/bench_address.py: full, clean addresses parse exactly."""
    rng = random.Random(3)
    wards = gz.wards("2021")
    wrong = 0
    for _ in range(300):
        w = rng.choice(wards)
        d, p = gz.unit(w.parent_code), gz.unit(w.province_code)
        assert d is not None and p is not None
        text = f"{rng.randint(1, 99)} Lê Lợi, {w.full_name}, {d.full_name}, {p.full_name}"
        a = parse_address(text)
        wrong += (a.ward_code, a.district_code, a.province_code) != (w.code, d.code, p.code)
    assert wrong == 0


@settings(max_examples=300, deadline=None)
@given(st.one_of(_written_addresses(), _TEXTS), st.sampled_from(["12/3A Lê Lợi", "số 5", "Hẻm 7"]))
def test_street_first_shortcut_gives_the_full_result(text: str, street: str) -> None:
    """The cached "street, units..." path equals the full parse of the same text."""
    from vnlink.normalize.address._folding import _segments
    from vnlink.normalize.address._parse import _from_segments

    full_text = f"{street}, {text}"
    segments, accents = _segments(full_text)
    if not segments:
        return
    assert parse_address(full_text) == _from_segments(segments, accents, "any")


def test_bulk_reads_every_form_as_the_scalar_parser_does() -> None:
    """The bulk shortcuts (street read once, units once, memos keyed without diacritics
    where none chose) give what parse_address gives, text by text."""
    from vnlink.datasets import synthetic_linkage

    _, records, _ = synthetic_linkage(600, seed=21, profile="hard")
    typed = [v for v in records["address"] if isinstance(v, str)]
    tails = [t.partition(",")[2].strip() for t in typed if "," in t][:150]
    values = [
        *typed,
        *(f"{12 + i}/3 Ông Ích Khiêm, {t}" for i, t in enumerate(tails)),  # mixed diacritics
        *(f"Thôn Đông {i % 3}, {t}" for i, t in enumerate(tails)),  # a hamlet first
        *(f"Ấp Bình Thạnh, {t}" for t in tails),
        "Sa Pa, Lào Cai", "Sa Pả, Lào Cai", "sa pa, lao cai",  # a name two units share
    ]
    cols = parse_addresses(values)
    for i, value in enumerate(values):
        a = parse_address(value)
        assert cols["street"][i] == a.street, value
        assert cols["ward_2025"][i] == a.ward_2025, value
        assert cols["province_2025"][i] == a.province_2025, value
        assert cols["ward"][i] == (a.ward_code if a.era == "2021" else ""), value
        assert cols["address_problems"][i] == ";".join(a.problems), value
        assert cols["address_confidence"][i] == np.float32(a.confidence), value

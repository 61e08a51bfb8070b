"""Frequency tables of Vietnamese personal names, for the synthetic data generator.

A Vietnamese name is họ (family name) + tên đệm (middle name, zero or more
syllables) + tên (given name, the last syllable). The tables live in
``vnlink/data/names/*.json`` with their sources; this module loads them as
:class:`NameTable` objects whose weights sum to one.

- Family names follow the published shares (Nguyễn 38.4%, Trần 11%, Lê 9.5% …).
  Hoàng/Huỳnh and Vũ/Võ are one entry each; :func:`regional_spelling` picks the
  northern or southern spelling from the region of birth registration.
- Middle names depend on sex: "Thị" marks women and "Văn" men, both less
  often for younger people (:func:`marker_share`).
- Given names depend on sex and birth cohort and follow a Zipf law, so that the
  same name and birth year recur as they do in a real population.

Examples
--------
>>> table = surnames()
>>> table.names[0], round(float(table.weights[0]), 3)
('Nguyễn', 0.386)
>>> regional_spelling("Hoàng/Huỳnh", "south", 0.9), regional_spelling("Vũ/Võ", "north", 0.1)
('Huỳnh', 'Vũ')
>>> round(marker_share("F", 1950), 2), round(marker_share("M", 2000), 2)
(0.97, 0.1)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink.exceptions import ConfigurationError

__all__ = [
    "REGIONAL_SURNAMES",
    "NameTable",
    "given_names",
    "marker_share",
    "middle_names",
    "name_sources",
    "regional_spelling",
    "surnames",
]

_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "names"

REGIONAL_SURNAMES: dict[str, tuple[str, str, dict[str, float]]] = {
    "Hoàng/Huỳnh": ("Hoàng", "Huỳnh", {"north": 0.95, "central": 0.55, "south": 0.3}),
    "Vũ/Võ": ("Vũ", "Võ", {"north": 0.95, "central": 0.3, "south": 0.28}),
}
"""Clan names written two ways: ``(northern, southern, share of the northern form by region)``.

The southern shares follow the UIT-ViNames sample (Huỳnh 3.2% vs Hoàng 1.5%,
Võ 3.6% vs Vũ 1.4%); the northern and central shares are assumptions.
"""


@dataclass(frozen=True, eq=False)
class NameTable:
    """Names and their probabilities (``weights`` sums to one).

    Examples
    --------
    >>> t = NameTable(("An", "Bình"), np.array([0.75, 0.25]))
    >>> t.draw(np.random.default_rng(0), 4).tolist()
    [0, 0, 0, 0]
    """

    names: tuple[str, ...]
    weights: NDArray[np.float64]

    def draw(self, rng: np.random.Generator, size: int) -> NDArray[np.intp]:
        """Draw ``size`` indices into :attr:`names` with the table's probabilities."""
        cumulative = np.cumsum(self.weights)
        cumulative[-1] = 1.0
        return np.searchsorted(cumulative, rng.random(size), side="right").astype(np.intp)


def _table(names: list[str], weights: list[float]) -> NameTable:
    w = np.asarray(weights, dtype=np.float64)
    return NameTable(tuple(names), w / w.sum())


@cache
def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((_DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return data


def name_sources() -> dict[str, str]:
    """The source note of each name table file (``surnames``, ``middle_names``, ``given_names``).

    >>> sorted(name_sources())
    ['given_names', 'middle_names', 'surnames']
    """
    return {key: str(_load(key)["source"]) for key in ("surnames", "middle_names", "given_names")}


@cache
def surnames() -> NameTable:
    """Family names (họ) with their population shares.

    >>> t = surnames()
    >>> "Hoàng/Huỳnh" in t.names, len(t.names) > 30
    (True, True)
    """
    rows = _load("surnames")["rows"]
    return _table([r[0] for r in rows], [float(r[1]) for r in rows])


def _check_sex(sex: str) -> str:
    if sex not in ("M", "F"):
        raise ConfigurationError(f"sex must be 'M' or 'F', got {sex!r}")
    return sex


@cache
def middle_names(sex: str) -> NameTable:
    """Middle names (tên đệm) other than Thị/Văn for ``sex`` ``"M"`` or ``"F"``.

    >>> middle_names("F").names[:3]
    ('Ngọc', 'Thu', 'Thanh')
    """
    rows = _load("middle_names")["male" if _check_sex(sex) == "M" else "female"]
    return _table([r[0] for r in rows], [float(r[1]) for r in rows])


@cache
def given_names(sex: str, cohort: str) -> NameTable:
    """Given names (tên) for ``sex`` and ``cohort`` (``"traditional"`` or ``"modern"``).

    Rank ``k`` gets weight ``1 / k ** zipf_exponent`` (exponent in the data file).

    >>> t = given_names("M", "modern")
    >>> t.names[:3], bool(t.weights[0] > t.weights[10])
    (('Huy', 'Tuấn', 'Đạt'), True)
    """
    if cohort not in ("traditional", "modern"):
        raise ConfigurationError(f"cohort must be 'traditional' or 'modern', got {cohort!r}")
    data = _load("given_names")
    key = f"{'male' if _check_sex(sex) == 'M' else 'female'}_{cohort}"
    names = list(data[key])
    ranks = np.arange(1, len(names) + 1, dtype=np.float64)
    return _table(names, list(1.0 / ranks ** float(data["zipf_exponent"])))


def marker_share(sex: str, birth_year: Any) -> Any:
    """Share of people carrying the sex marker (Thị for women, Văn for men) by birth year.

    Women: 97% for those born in 1950 or before, falling to 55% by 2010
    (UIT-ViNames, a sample of young people, has 63.5%). Men: 65% falling to
    8% (UIT-ViNames: 10.2%). Works on scalars and numpy arrays.

    >>> marker_share("F", np.array([1940, 1990, 2015])).round(2).tolist()
    [0.97, 0.67, 0.55]
    """
    year = np.asarray(birth_year, dtype=np.float64)
    if _check_sex(sex) == "F":
        share = np.clip(0.97 - 0.0075 * (year - 1950), 0.55, 0.97)
    else:
        share = np.clip(0.65 - 0.011 * (year - 1950), 0.08, 0.65)
    return share if share.ndim else float(share)


def regional_spelling(clan: str, region: str, u: float) -> str:
    """The spelling of a two-form clan name for ``region`` given a uniform draw ``u``.

    Names that are not in :data:`REGIONAL_SURNAMES` come back unchanged.

    >>> regional_spelling("Trần", "north", 0.5)
    'Trần'
    """
    if clan not in REGIONAL_SURNAMES:
        return clan
    north, south, shares = REGIONAL_SURNAMES[clan]
    return north if u < shares.get(region, 0.5) else south

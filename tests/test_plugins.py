"""Third-party plug-ins: a comparison, a blocking rule and a classifier from this test module
are registered, used by a Linker, saved in its model file and loaded again by name."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray
from sklearn.base import BaseEstimator

from vnlink import Linker, plugins
from vnlink.blocking import BlockingRule, RowKeys, block_on, rule_from_dict
from vnlink.classify import FellegiSunter, LinkClassifier, load_model, save_model
from vnlink.classify.io import loads_model, model_to_dict
from vnlink.compare import (
    Comparison,
    ComparisonSet,
    DateOfBirthComparison,
    NameComparison,
    comparison_classes,
    comparison_from_dict,
)
from vnlink.compare.base import Index, Levels, Scores, pair_codes
from vnlink.compare.levels import Ladder, Level
from vnlink.datasets import synthetic_linkage
from vnlink.exceptions import ConfigurationError, ModelFormatError
from vnlink.table import Table

_BIRTH_DECADE = Ladder(
    other=Level("other decade", reason="birth_decade_different"),
    same=Level("same decade", exact=True),
)


@dataclass(frozen=True)
class BirthDecadeAndGiven(Comparison):
    """A comparison of two columns: same given name and same decade of birth."""

    def default_name(self) -> str:
        return "decade_given"

    @property
    def levels(self) -> tuple[Level, ...]:
        return _BIRTH_DECADE.levels

    def compute(
        self, left_idx: Index, right_idx: Index, left: Table, right: Table
    ) -> tuple[Levels, Scores]:
        ga, gb = pair_codes(left, right, "given", left_idx, right_idx)
        ya = np.asarray(left["dob_year"])[left_idx].astype(np.int64)
        yb = np.asarray(right["dob_year"])[right_idx].astype(np.int64)
        same = (ga == gb) & (ya // 10 == yb // 10)
        levels = np.where(same, _BIRTH_DECADE.same, _BIRTH_DECADE.other).astype(np.int8)
        missing = (ga == 0) | (gb == 0) | (ya == 0) | (yb == 0)
        levels[missing] = -1
        return levels, np.where(missing, np.nan, levels).astype(np.float32)


@plugins.register("blocking_rule", "given_initials_year")
@dataclass(frozen=True)
class GivenInitialsYear(BlockingRule):
    """A rule of one's own: the first letter of the given name and the birth year."""

    letters: int = 1

    @property
    def name(self) -> str:  # type: ignore[override]
        return f"given[:{self.letters}] & dob_year"

    def row_keys(self, table: Any) -> RowKeys:
        given = [str(v)[: self.letters] for v in np.asarray(table["given_key"]).tolist()]
        year = np.asarray(table["dob_year"]).astype(np.int64)
        present = np.array([g != "" for g in given], dtype=bool) & (year > 0)
        keys = np.array([hash((g, int(y))) & 0xFFFF_FFFF_FFFF_FFFF
                         for g, y in zip(given, year.tolist(), strict=True)], dtype=np.uint64)
        return RowKeys(np.where(present, keys, 0).astype(np.uint64), present)


@plugins.register("classifier")
class LevelShareClassifier(BaseEstimator):  # type: ignore[misc]
    """A classifier of one's own: the weight is a scaled share of top levels reached."""

    def __init__(self, scale: float = 12.0) -> None:
        self.scale = scale

    def fit(self, X: Any, y: Any = None) -> LevelShareClassifier:
        levels = np.asarray(getattr(X, "levels", X))
        self.n_levels_ = [int(n) for n in getattr(X, "n_levels", levels.max(axis=0) + 1)]
        self.offset_ = float(np.median(self._share(levels))) if y is None else 0.5
        return self

    def _share(self, levels: NDArray[Any]) -> NDArray[np.float64]:
        top = np.asarray(self.n_levels_, dtype=np.float64) - 1
        known = levels >= 0
        share = np.where(known, levels / np.maximum(top, 1), 0.0).sum(axis=1)
        out: NDArray[np.float64] = share / np.maximum(known.sum(axis=1), 1)
        return out

    def match_weight(self, X: Any) -> NDArray[np.float64]:
        levels = np.asarray(getattr(X, "levels", X))
        out: NDArray[np.float64] = (self._share(levels) - self.offset_) * self.scale
        return out

    def predict_proba(self, X: Any) -> NDArray[np.float64]:
        p = 1.0 / (1.0 + np.exp2(-self.match_weight(X)))
        return np.column_stack([1.0 - p, p])

    def to_dict(self) -> dict[str, Any]:
        return {"scale": self.scale, "n_levels": self.n_levels_, "offset": self.offset_}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LevelShareClassifier:
        model = cls(scale=float(data["scale"]))
        model.n_levels_ = [int(n) for n in data["n_levels"]]
        model.offset_ = float(data["offset"])
        return model


def test_the_registry_holds_each_kind() -> None:
    assert plugins.lookup("comparison", "BirthDecadeAndGiven") is BirthDecadeAndGiven
    assert comparison_classes()["BirthDecadeAndGiven"] is BirthDecadeAndGiven
    assert plugins.lookup("blocking_rule", "given_initials_year") is GivenInitialsYear
    assert plugins.lookup("blocking_rule", "block_on") is type(block_on("phone"))
    assert plugins.lookup("classifier", "LevelShareClassifier") is LevelShareClassifier
    assert plugins.lookup("classifier", "FellegiSunter") is FellegiSunter
    assert set(plugins.registered("classifier")) >= {
        "FellegiSunter", "SupervisedLinkClassifier", "LevelShareClassifier"
    }
    assert isinstance(LevelShareClassifier(), LinkClassifier)
    assert plugins.name_of("blocking_rule", GivenInitialsYear(2)) == "given_initials_year"


def test_registry_errors() -> None:
    with pytest.raises(ConfigurationError, match="plug-in kind"):
        plugins.register("tokenizer")
    with pytest.raises(ConfigurationError, match="no classifier is registered as 'Nope'"):
        plugins.lookup("classifier", "Nope")
    with pytest.raises(ConfigurationError, match="a vnlink classifier is already called"):
        plugins.register("classifier", "FellegiSunter")(LevelShareClassifier)
    with pytest.raises(ConfigurationError, match="is not a registered classifier"):
        plugins.name_of("classifier", object())
    with pytest.raises(ConfigurationError, match="give the field plug-in a name"):
        plugins.register("field")(42)
    plugins.register("field", "postcode")(42)
    assert plugins.lookup("field", "postcode") == 42
    plugins.unregister("field", "postcode")
    with pytest.raises(ConfigurationError):
        plugins.lookup("field", "postcode")
    with pytest.raises(ModelFormatError, match="cannot be saved"):
        model_to_dict(object())


def test_each_part_saves_and_loads_by_name(tmp_path: Path) -> None:
    comparison = BirthDecadeAndGiven()
    assert comparison_from_dict(comparison.to_dict()) == comparison
    rule = GivenInitialsYear(2)
    assert rule.to_dict() == {"rule": "given_initials_year", "letters": 2}
    assert rule_from_dict(rule.to_dict()) == rule
    model = LevelShareClassifier(scale=3.0).fit(np.array([[0, 1], [1, 1], [-1, 0]]))
    again = load_model(save_model(model, tmp_path / "model.json"))
    assert isinstance(again, LevelShareClassifier) and again.to_dict() == model.to_dict()
    doc = model_to_dict(model)
    assert doc["class"] == "LevelShareClassifier" and doc["payload"] == model.to_dict()
    fs = FellegiSunter().fit(np.array([[1, 1], [0, 0], [1, 0], [0, 1]] * 5, dtype=np.int8),
                             [1, 0, 1, 0] * 5)
    assert isinstance(loads_model(fs.to_json()), FellegiSunter)
    assert FellegiSunter.from_dict(fs.to_dict()).to_dict() == fs.to_dict()


def test_a_linker_with_third_party_parts_saves_and_loads(tmp_path: Path) -> None:
    registry, records, _ = synthetic_linkage(300, seed=5)
    linker = Linker(
        blocking=[GivenInitialsYear(), block_on("id_cccd")],
        comparisons=[NameComparison(), DateOfBirthComparison(), BirthDecadeAndGiven()],
        classifier=LevelShareClassifier(),
        verified_threshold=0.9,
        review_threshold=0.5,
        progress=False,
    ).fit(registry, records)
    assert isinstance(linker.classifier_, LevelShareClassifier)
    path = tmp_path / "linker.json"
    linker.save(path)
    loaded = Linker.load(path, progress=False)
    assert loaded.rules_ == linker.rules_
    assert isinstance(loaded.rules_[0], GivenInitialsYear)
    assert loaded.comparisons_.comparisons == linker.comparisons_.comparisons
    assert loaded.classifier_.to_dict() == linker.classifier_.to_dict()
    first = linker.link(registry, records)
    second = loaded.link(registry, records)
    for column in ("person_id", "status", "blocking_rule", "reason_codes"):
        assert np.asarray(first.table[column]).tolist() == np.asarray(
            second.table[column]).tolist()
    assert np.allclose(np.asarray(first.table["match_weight"], dtype=np.float64),
                       np.asarray(second.table["match_weight"], dtype=np.float64), equal_nan=True)
    rules = set(np.asarray(first.table["blocking_rule"]).tolist())
    assert "given[:1] & dob_year" in rules


def test_comparison_set_of_third_party_parts_round_trips() -> None:
    cset = ComparisonSet([BirthDecadeAndGiven(), NameComparison()])
    again = ComparisonSet.from_dict(cset.to_dict())
    assert again.comparisons == cset.comparisons
    assert again.levels_of("decade_given")[0].reason == "birth_decade_different"


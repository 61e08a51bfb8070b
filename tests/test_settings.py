"""Splink-style settings dictionaries (vnlink.settings)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from vnlink import Linker, Schema, block_on
from vnlink.blocking import Key
from vnlink.classify import FellegiSunter
from vnlink.compare import (
    AbsoluteDifferenceAtThresholds,
    DamerauLevenshteinAtThresholds,
    ExactMatch,
    JaroAtThresholds,
    JaroWinklerAtThresholds,
    LevenshteinAtThresholds,
)
from vnlink.exceptions import ConfigurationError
from vnlink.metrics import cluster_metrics, pair_metrics
from vnlink.settings import (
    NO_EFFECT_KEYS,
    comparison_from_splink,
    linker_from_settings,
    linker_options,
    rule_from_sql,
)


def _levels(column: str, *conditions: str, tf: bool = False) -> list[dict[str, Any]]:
    """Comparison levels as Splink 5 writes them (null, exact, the given ones, else)."""
    exact: dict[str, Any] = {"sql_condition": f'"{column}_l" = "{column}_r"',
                             "label_for_charts": f"Exact match on {column}",
                             "fix_m_probability": False, "fix_u_probability": False}
    if tf:
        exact |= {"tf_adjustment_column": column, "tf_adjustment_weight": 1.0}
    return [
        {"sql_condition": f'"{column}_l" IS NULL OR "{column}_r" IS NULL',
         "label_for_charts": f"{column} is NULL", "is_null_level": True},
        exact,
        *({"sql_condition": c} for c in conditions),
        {"sql_condition": "ELSE", "label_for_charts": "All other comparisons"},
    ]


# ---------------------------------------------------------------------------
# blocking rules


@pytest.mark.parametrize(
    ("sql", "keys"),
    [
        ("l.first_name = r.first_name", ("first_name",)),
        ("l.first_name = r.first_name and l.surname = r.surname", ("first_name", "surname")),
        ('(l."given_name" = r."given_name") AND (l."surname" = r."surname")',
         ("given_name", "surname")),
        ("r.dob = l.dob", ("dob",)),
        ("(SUBSTRING(l.surname, 1, 2) = SUBSTRING(r.surname, 1, 2)) AND (l.\"dob\" = r.\"dob\")",
         (Key("surname", None, 2), "dob")),
        ("substr(l.postcode, 2, 3) = substr(r.postcode, 2, 3)", (Key("postcode", 1, 4),)),
        ("left(l.surname, 3) = left(r.surname, 3)", (Key("surname", None, 3),)),
        ("l.`post code` = r.`post code`", ("post code",)),
    ],
)
def test_sql_rules(sql: str, keys: tuple[Any, ...]) -> None:
    assert rule_from_sql(sql) == block_on(*keys)


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("l.a = r.b", "same column"),
        ("l.a = l.a", "same column"),
        ("l.dob >= r.dob", "not an equality"),
        ("levenshtein(l.a, r.a) = 1", "cannot read"),
        ("l.a = r.a or l.b = r.b", "OR is not supported"),
        ("", "non-empty"),
    ],
)
def test_sql_rules_vnlink_cannot_run_raise(sql: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        rule_from_sql(sql)


# ---------------------------------------------------------------------------
# comparisons


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        (_levels("x"), ExactMatch("x")),
        (_levels("x", tf=True), ExactMatch("x", tf_column="x")),
        (_levels("given_name", 'jaro_winkler_similarity("given_name_l", "given_name_r") >= 0.9',
                 'jaro_winkler_similarity("given_name_l", "given_name_r") >= 0.7'),
         JaroWinklerAtThresholds("given_name", (0.9, 0.7))),
        (_levels("a", 'jaro_similarity("a_l", "a_r") >= 0.9'), JaroAtThresholds("a", (0.9,))),
        (_levels("a", 'levenshtein("a_l", "a_r") <= 1', 'levenshtein("a_l", "a_r") <= 2'),
         LevenshteinAtThresholds("a", (1, 2))),
        (_levels("a", 'levenshtein("a_l", "a_r") < 3'), LevenshteinAtThresholds("a", (2,))),
        (_levels("a", 'damerau_levenshtein("a_l", "a_r") <= 1'),
         DamerauLevenshteinAtThresholds("a", (1,))),
        (_levels("a", 'ABS("a_l" - "a_r") <= 5'), AbsoluteDifferenceAtThresholds("a", (5,))),
    ],
)
def test_comparison_dicts(levels: list[dict[str, Any]], expected: Any) -> None:
    column = expected.column
    spec = {"output_column_name": column, "comparison_levels": levels,
            "comparison_description": "from Splink"}
    assert comparison_from_splink(spec) == expected


def test_output_column_name_names_the_comparison() -> None:
    spec = {"output_column_name": "first", "comparison_levels": _levels("given_name")}
    assert comparison_from_splink(spec).name == "first"


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ([{"sql_condition": '"a_l" = "a_r"', "m_probability": 0.9}], "trained value"),
        ([{"sql_condition": '"a_l" = "a_r"', "colour": "red"}], "unknown level key 'colour'"),
        ([{"sql_condition": 'array_intersect("a_l", "a_r") >= 1'}], "no vnlink equivalent"),
        ([{"sql_condition": '"a_l" = "b_r"'}], "one column"),
        ([{"sql_condition": '"a_l" = "a_r"'}, {"sql_condition": '"b_l" = "b_r"'}],
         "must compare one column"),
        ([{"sql_condition": 'jaro_winkler_similarity("a_l", "a_r") >= 0.9'},
          {"sql_condition": 'levenshtein("a_l", "a_r") <= 1'}], "mix"),
        ([{"sql_condition": 'levenshtein("a_l", "a_r") >= 1'}], "wrong way"),
        ([{"sql_condition": 'levenshtein("a_l", "a_r") <= 1', "tf_adjustment_column": "a"}],
         "exact level only"),
        ([{"sql_condition": '"a_l" = "a_r"', "fix_m_probability": True}], "not supported"),
    ],
)
def test_comparison_dicts_vnlink_cannot_run_raise(
    levels: list[dict[str, Any]], message: str
) -> None:
    with pytest.raises(ConfigurationError, match=message):
        comparison_from_splink({"output_column_name": "a", "comparison_levels": levels})


def test_vnlink_comparisons_pass_through_and_configure_like_splink() -> None:
    jw = JaroWinklerAtThresholds("given_name", (0.9, 0.7))
    assert comparison_from_splink(jw) is jw
    assert ExactMatch("x").configure(term_frequency_adjustments=True) == ExactMatch(
        "x", tf_column="x")
    assert ExactMatch("x", tf_column="x").configure(term_frequency_adjustments=False) == \
        ExactMatch("x")


class _SplinkComparison:
    """Stands for a Splink 5 comparison object: what vnlink reads of it."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec

    def get_comparison(self, dialect: str) -> Any:
        assert dialect == "duckdb"
        return SimpleNamespace(as_dict=lambda: self.spec)


class _SplinkBlockOn:
    def __init__(self, sql: str) -> None:
        self.sql = sql

    def get_blocking_rule(self, dialect: str) -> Any:
        return SimpleNamespace(blocking_rule_sql=self.sql)


def test_splink_objects_through_their_sql() -> None:
    settings = {
        "link_type": "link_only",
        "blocking_rules_to_generate_predictions": [
            _SplinkBlockOn('(l."given_name" = r."given_name") AND (l."surname" = r."surname")'),
            {"blocking_rule": 'l."dob" = r."dob"', "sql_dialect": "duckdb",
             "arrays_to_explode": None},
        ],
        "comparisons": [_SplinkComparison({
            "output_column_name": "x", "comparison_description": "ExactMatch",
            "comparison_levels": _levels("x", tf=True)})],
    }
    options = linker_options(settings)
    assert options["blocking"] == [block_on("given_name", "surname"), block_on("dob")]
    assert options["comparisons"] == [ExactMatch("x", tf_column="x")]
    creator = SimpleNamespace(create_settings_dict=lambda dialect: settings)
    assert linker_options(creator)["comparisons"] == options["comparisons"]


# ---------------------------------------------------------------------------
# the settings dict


def _settings(**extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "link_type": "link_only",
        "unique_id_column_name": "rec_id",
        "blocking_rules_to_generate_predictions": [
            block_on("given_name", "surname"), "l.dob = r.dob"],
        "comparisons": [
            JaroWinklerAtThresholds("given_name", (0.9, 0.7)),
            {"output_column_name": "surname", "comparison_levels": _levels(
                "surname", 'jaro_winkler_similarity("surname_l", "surname_r") >= 0.9')},
            ExactMatch("dob"),
            ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ],
    }
    return base | extra


def test_settings_map_onto_linker_arguments() -> None:
    options = linker_options(_settings(em_convergence=1e-5, max_iterations=40,
                                       probability_two_random_records_match=1e-4,
                                       retain_matching_columns=True, sql_dialect="duckdb"))
    assert options["schema"] == Schema(record_id="rec_id")
    assert [r.name for r in options["blocking"]] == ["given_name & surname", "dob"]
    assert [c.name for c in options["comparisons"]] == ["given_name", "surname", "dob",
                                                        "postcode"]
    assert options["comparisons"][1] == JaroWinklerAtThresholds("surname", (0.9,))
    assert options["comparisons"][3].tf_column == "postcode"
    classifier = options["classifier"]
    assert isinstance(classifier, FellegiSunter)
    assert (classifier.tol, classifier.max_iter) == (1e-5, 40)


def test_unique_id_defaults_to_splinks() -> None:
    settings = _settings()
    del settings["unique_id_column_name"]
    assert linker_options(settings)["schema"].record_id == "unique_id"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"colour": "red"}, "unknown settings key 'colour'; supported: link_type"),
        ({"link_type": "link_and_dedupe"}, "link and dedupe separately"),
        ({"link_type": None}, "link_type must be one of link_only, dedupe_only"),
        ({"blocking_rules_to_generate_predictions": []}, "does not compare every pair"),
        ({"comparisons": []}, "at least one comparison"),
        ({"comparisons": [ExactMatch("a"), ExactMatch("a")]}, "share the output name 'a'"),
        ({"probability_two_random_records_match": 2}, r"in \(0, 1\]"),
        ({"max_iterations": 0}, "max_iterations"),
        ({"em_convergence": -1}, "em_convergence"),
        ({"comparisons": [42]}, "got int"),
        ({"blocking_rules_to_generate_predictions": [3.5]}, "got float"),
    ],
)
def test_bad_settings_raise(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        linker_options(_settings(**change))


def test_no_effect_keys_are_accepted() -> None:
    settings = _settings(**{key: None for key in NO_EFFECT_KEYS})
    assert len(linker_options(settings)["comparisons"]) == 4


def test_settings_and_options_may_not_clash() -> None:
    with pytest.raises(ConfigurationError, match="'comparisons' comes from the settings"):
        linker_from_settings(_settings(), comparisons=[ExactMatch("dob")])


# ---------------------------------------------------------------------------
# end to end: the same results as the Linker written by hand


def _people(n: int, seed: int) -> tuple[dict[str, Any], dict[str, Any], tuple[list[str], ...]]:
    rng = np.random.default_rng(seed)
    given = np.array(["james", "olivia", "jack", "chloe", "thomas", "emily", "liam", "mia",
                      "noah", "ava", "lucas", "zoe"], dtype=object)
    family = np.array(["smith", "jones", "brown", "wilson", "taylor", "white", "martin",
                       "harris", "clarke", "walker"], dtype=object)
    g = given[rng.integers(0, len(given), n)]
    s = family[rng.integers(0, len(family), n)]
    dob = np.array([f"19{y:02d}{m:02d}{d:02d}" for y, m, d in zip(
        rng.integers(30, 99, n), rng.integers(1, 13, n), rng.integers(1, 29, n), strict=True)],
        dtype=object)
    postcode = np.array([str(p) for p in rng.integers(2000, 2100, n)], dtype=object)
    left = {"rec_id": [f"a{i}" for i in range(n)], "given_name": g, "surname": s, "dob": dob,
            "postcode": postcode}
    typo = rng.random(n) < 0.3
    g2 = np.array([v[:-1] if t else v for v, t in zip(g, typo, strict=True)], dtype=object)
    right = {"rec_id": [f"b{i}" for i in range(n)], "given_name": g2, "surname": s,
             "dob": dob, "postcode": postcode}
    return left, right, (left["rec_id"], right["rec_id"])


def test_linker_from_settings_gives_the_hand_written_linkers_results() -> None:
    left, right, truth = _people(400, seed=5)
    settings = _settings()
    from_settings = linker_from_settings(settings, progress=False).fit_link(left, right)
    by_hand = Linker(
        schema=Schema(record_id="rec_id"),
        blocking=[block_on("given_name", "surname"), block_on("dob")],
        comparisons=[JaroWinklerAtThresholds("given_name", (0.9, 0.7)),
                     JaroWinklerAtThresholds("surname", (0.9,)), ExactMatch("dob"),
                     ExactMatch("postcode", tf_column="postcode")],
        progress=False,
    ).fit_link(left, right)
    assert from_settings["person_id"].tolist() == by_hand["person_id"].tolist()
    np.testing.assert_allclose(from_settings["match_weight"], by_hand["match_weight"])
    metrics = pair_metrics(from_settings, truth)
    assert metrics.precision == 1.0
    assert metrics.recall > 0.95


def test_dedupe_only_settings_fit_one_table_and_cluster() -> None:
    left, right, _ = _people(300, seed=9)
    table = {k: np.concatenate([np.asarray(left[k], dtype=object),
                                np.asarray(right[k], dtype=object)]) for k in left}
    truth = {rid: rid[1:] for rid in table["rec_id"]}  # a7 and b7 are one person
    linker = linker_from_settings(_settings(link_type="dedupe_only"), progress=False)
    result = linker.fit(table).dedupe(table)
    pairs = pair_metrics(result, truth, dedupe=True)
    assert pairs.precision == 1.0
    assert pairs.recall > 0.9
    assert cluster_metrics(result, truth).bcubed_f1 > 0.95

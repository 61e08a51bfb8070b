"""Build a :class:`~vnlink.Linker` from a Splink-style settings dictionary.

A Splink 4/5 user can keep the settings they know::

    settings = {
        "link_type": "link_only",
        "unique_id_column_name": "rec_id",
        "blocking_rules_to_generate_predictions": [
            block_on("given_name", "surname"),
            "l.date_of_birth = r.date_of_birth",
        ],
        "comparisons": [
            cl.JaroWinklerAtThresholds("given_name", [0.9, 0.7]),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ],
    }
    linker = linker_from_settings(settings)
    result = linker.fit_link(left, right)      # "dedupe_only": linker.fit(t).dedupe(t)

What is read, and onto what:

- ``blocking_rules_to_generate_predictions``: vnlink rules
  (:func:`~vnlink.blocking.block_on`), Splink ``block_on(...)`` objects, their
  dict form ``{"blocking_rule": sql}``, or SQL strings that are equalities
  joined by ``AND``: ``l.a = r.a``, ``substr(l.a, 1, 3) = substr(r.a, 1, 3)``
  (also ``substring``, ``left``; quoted names and brackets allowed).
- ``comparisons``: vnlink comparisons (``vnlink.compare``; ``cl.X(...).configure
  (term_frequency_adjustments=True)`` works on them too), Splink comparison
  objects, or Splink comparison dicts (``output_column_name``,
  ``comparison_levels``) whose levels are null / exact / Jaro-Winkler / Jaro /
  (Damerau-)Levenshtein / absolute difference conditions on one column plus
  ``ELSE``: each becomes the vnlink comparison of the same name. Term-frequency
  adjustment on the exact level becomes ``tf_column``.
- ``unique_id_column_name`` (default ``"unique_id"``, as in Splink):
  ``Schema(record_id=...)``; other columns are used as they are.
- ``em_convergence`` and ``max_iterations``: the Fellegi–Sunter model's ``tol``
  and ``max_iter``.
- ``probability_two_random_records_match``: checked, then estimated by
  ``fit`` (as Splink's EM does from its starting value).
- Keys that only shape Splink's output tables (``retain_matching_columns``,
  ``sql_dialect``, column prefixes, ...) are accepted and have no effect.

Any other key, a trained ``m_probability``/``u_probability``, ``link_and_dedupe``
or a level condition outside the list above raise
:class:`~vnlink.ConfigurationError` saying what is supported.

Examples
--------
>>> settings = {
...     "link_type": "dedupe_only",
...     "unique_id_column_name": "id",
...     "blocking_rules_to_generate_predictions": ["l.surname = r.surname AND l.dob = r.dob"],
...     "comparisons": [{"output_column_name": "given", "comparison_levels": [
...         {"sql_condition": '"given_l" IS NULL OR "given_r" IS NULL', "is_null_level": True},
...         {"sql_condition": '"given_l" = "given_r"'},
...         {"sql_condition": 'jaro_winkler_similarity("given_l", "given_r") >= 0.9'},
...         {"sql_condition": "ELSE"}]}],
... }
>>> options = linker_options(settings)
>>> [rule.name for rule in options["blocking"]], options["schema"].record_id
(['surname & dob'], 'id')
>>> options["comparisons"]
[JaroWinklerAtThresholds(name='given', tf_column=None, column='given', thresholds=(0.9,))]
>>> linker_from_settings({"link_type": "link_only", "flavour": 1})
Traceback (most recent call last):
...
vnlink.exceptions.ConfigurationError: unknown settings key 'flavour'; supported: ...
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from vnlink.blocking import BlockingRule, BlockOn, Key, block_on, substr
from vnlink.compare import (
    AbsoluteDifferenceAtThresholds,
    Comparison,
    DamerauLevenshteinAtThresholds,
    ExactMatch,
    JaroAtThresholds,
    JaroWinklerAtThresholds,
    LevenshteinAtThresholds,
)
from vnlink.exceptions import ConfigurationError
from vnlink.schema import Schema

if TYPE_CHECKING:
    from vnlink.link import Linker

__all__ = [
    "LINK_TYPES",
    "NO_EFFECT_KEYS",
    "SUPPORTED_KEYS",
    "comparison_from_splink",
    "linker_from_settings",
    "linker_options",
    "rule_from_sql",
]

#: Settings keys that shape the model.
SUPPORTED_KEYS = (
    "link_type",
    "unique_id_column_name",
    "blocking_rules_to_generate_predictions",
    "comparisons",
    "probability_two_random_records_match",
    "em_convergence",
    "max_iterations",
)
#: Splink keys about its output tables or SQL engine, accepted without effect.
NO_EFFECT_KEYS = (
    "retain_matching_columns",
    "retain_intermediate_calculation_columns",
    "additional_columns_to_retain",
    "source_dataset_column_name",
    "match_weight_column_prefix",
    "bayes_factor_column_prefix",
    "term_frequency_adjustment_column_prefix",
    "comparison_vector_value_column_prefix",
    "sql_dialect",
    "linker_uid",
)
#: The values of ``link_type`` vnlink runs.
LINK_TYPES = ("link_only", "dedupe_only")

_SPLINK_DIALECT = "duckdb"  # the SQL that Splink objects are asked to write, then parsed


# ---------------------------------------------------------------------------
# blocking rules

_IDENT = r'(?:"(?P<{g}q>[^"]+)"|`(?P<{g}b>[^`]+)`|\[(?P<{g}s>[^\]]+)\]|(?P<{g}w>\w+))'


def _ident(group: str) -> str:
    return _IDENT.format(g=group)


_COLUMN_REF = re.compile(rf"^(?P<alias>[lr])\.{_ident('c')}$", re.IGNORECASE)
_SUBSTR_REF = re.compile(
    rf"^(?P<fn>substr|substring)\(\s*(?P<alias>[lr])\.{_ident('c')}\s*,\s*(?P<start>\d+)"
    r"\s*(?:,\s*(?P<length>\d+)\s*)?\)$",
    re.IGNORECASE,
)
_LEFT_REF = re.compile(
    rf"^left\(\s*(?P<alias>[lr])\.{_ident('c')}\s*,\s*(?P<length>\d+)\s*\)$", re.IGNORECASE
)
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


def _name(match: re.Match[str], group: str) -> str:
    for suffix in "qbsw":
        value = match.group(group + suffix)
        if value is not None:
            return value
    raise AssertionError("unreachable")  # pragma: no cover


def _strip_brackets(text: str) -> str:
    text = text.strip()
    while text.startswith("(") and text.endswith(")"):
        depth = 0
        for i, ch in enumerate(text):
            depth += (ch == "(") - (ch == ")")
            if depth == 0 and i < len(text) - 1:
                return text  # "(a) = (b)": the outer brackets do not enclose everything
        text = text[1:-1].strip()
    return text


def _side(text: str, rule: str) -> tuple[str, str, int | None, int | None]:
    """``(alias, column, start, length)`` of one side of an equality (1-based start)."""
    text = _strip_brackets(text)
    for pattern in (_COLUMN_REF, _SUBSTR_REF, _LEFT_REF):
        m = pattern.match(text)
        if m is None:
            continue
        alias, column = m.group("alias").lower(), _name(m, "c")
        if pattern is _COLUMN_REF:
            return alias, column, None, None
        if pattern is _LEFT_REF:
            return alias, column, 1, int(m.group("length"))
        length = m.group("length")
        return alias, column, int(m.group("start")), None if length is None else int(length)
    raise ConfigurationError(
        f"blocking rule {rule!r}: cannot read {text!r}; write equalities joined by AND, "
        "each 'l.col = r.col' or 'substr(l.col, start, length) = substr(r.col, start, length)'"
    )


def rule_from_sql(sql: str) -> BlockOn:
    """The vnlink rule of a Splink blocking rule made of equalities joined by ``AND``.

    Examples
    --------
    >>> rule_from_sql("l.first_name = r.first_name and l.surname = r.surname").name
    'first_name & surname'
    >>> rule_from_sql('(SUBSTRING(l.surname, 1, 2) = SUBSTRING(r.surname, 1, 2)) AND '
    ...               '(l."dob" = r."dob")').name
    'surname[:2] & dob'
    >>> rule_from_sql("l.a = r.b")
    Traceback (most recent call last):
    ...
    vnlink.exceptions.ConfigurationError: blocking rule 'l.a = r.b': both sides of an \
equality must be the same column of l and of r
    """
    if not isinstance(sql, str) or not sql.strip():
        raise ConfigurationError("a blocking rule string must be non-empty SQL")
    if re.search(r"\s+or\s+", sql, re.IGNORECASE):
        raise ConfigurationError(
            f"blocking rule {sql!r}: OR is not supported; give each alternative as a rule "
            "of its own (the rules' pairs are joined)"
        )
    keys: list[str | Key] = []
    for part in _AND.split(_strip_brackets(sql)):
        part = _strip_brackets(part)
        if part.count("=") != 1 or any(op in part for op in ("<", ">", "!")):
            raise ConfigurationError(
                f"blocking rule {sql!r}: {part!r} is not an equality; vnlink blocks on "
                "equal values (l.col = r.col)"
            )
        left_text, right_text = part.split("=")
        left, right = _side(left_text, sql), _side(right_text, sql)
        if {left[0], right[0]} != {"l", "r"} or left[1:] != right[1:]:
            raise ConfigurationError(
                f"blocking rule {sql!r}: both sides of an equality must be the same "
                "column of l and of r"
            )
        _, column, start, length = left
        if start is None:
            keys.append(column)
        elif length is None:
            keys.append(Key(column, start - 1 if start > 1 else None, None))
        else:
            keys.append(substr(column, length, start=max(start - 1, 0)))
    return block_on(*keys)


def _rule(item: Any) -> BlockingRule:
    if isinstance(item, BlockingRule):
        return item
    if isinstance(item, str):
        return rule_from_sql(item)
    if isinstance(item, Mapping) and "blocking_rule" in item:
        return rule_from_sql(item["blocking_rule"])
    creator = getattr(item, "get_blocking_rule", None)
    if callable(creator):  # a Splink BlockingRuleCreator (block_on, And, ...)
        return rule_from_sql(creator(_SPLINK_DIALECT).blocking_rule_sql)
    raise ConfigurationError(
        "a blocking rule must be block_on(...), a Splink block_on object, "
        f"{{'blocking_rule': sql}} or an SQL string; got {type(item).__name__}"
    )


# ---------------------------------------------------------------------------
# comparisons

_LEVEL_KEYS = {
    "sql_condition", "label_for_charts", "label", "is_null_level", "tf_adjustment_column",
    "tf_adjustment_weight", "tf_minimum_u_value", "disable_tf_exact_match_detection",
    "fix_m_probability", "fix_u_probability",
}
_TRAINED_KEYS = {"m_probability", "u_probability"}
_COMPARISON_KEYS = {"output_column_name", "comparison_description", "comparison_levels"}

_LR = r'"?(?P<{g}>\w+?)_(?P<{g}side>[lr])"?'
_NULL = re.compile(
    rf"^{_LR.format(g='a')}\s+is\s+null\s+or\s+{_LR.format(g='b')}\s+is\s+null$", re.IGNORECASE
)
_EXACT = re.compile(rf"^{_LR.format(g='a')}\s*=\s*{_LR.format(g='b')}$", re.IGNORECASE)
_MEASURE = re.compile(
    rf"^(?P<fn>\w+)\(\s*{_LR.format(g='a')}\s*,\s*{_LR.format(g='b')}\s*\)\s*"
    r"(?P<op><=|>=|<|>)\s*(?P<value>[0-9.]+)$",
    re.IGNORECASE,
)
_ABS = re.compile(
    rf"^abs\(\s*{_LR.format(g='a')}\s*-\s*{_LR.format(g='b')}\s*\)\s*(?P<op><=|<)\s*"
    r"(?P<value>[0-9.]+)$",
    re.IGNORECASE,
)
_MEASURES: dict[str, tuple[str, bool]] = {  # SQL function -> (measure, is a similarity)
    "jaro_winkler_similarity": ("jaro_winkler", True),
    "jaro_winkler_sim": ("jaro_winkler", True),
    "jaro_winkler": ("jaro_winkler", True),
    "jaro_similarity": ("jaro", True),
    "jaro_sim": ("jaro", True),
    "jaro": ("jaro", True),
    "levenshtein": ("levenshtein", False),
    "damerau_levenshtein": ("damerau_levenshtein", False),
}
_CLASSES: dict[str, type[Comparison]] = {
    "jaro_winkler": JaroWinklerAtThresholds,
    "jaro": JaroAtThresholds,
    "levenshtein": LevenshteinAtThresholds,
    "damerau_levenshtein": DamerauLevenshteinAtThresholds,
    "difference": AbsoluteDifferenceAtThresholds,
}
_SUPPORTED_LEVELS = (
    "'x_l IS NULL OR x_r IS NULL', 'x_l = x_r', 'jaro_winkler_similarity(x_l, x_r) >= t', "
    "'jaro_similarity(x_l, x_r) >= t', 'levenshtein(x_l, x_r) <= k', "
    "'damerau_levenshtein(x_l, x_r) <= k', 'ABS(x_l - x_r) <= k', 'ELSE'"
)


def _one_column(m: re.Match[str], condition: str) -> str:
    a, b = m.group("a"), m.group("b")
    if a != b or {m.group("aside").lower(), m.group("bside").lower()} != {"l", "r"}:
        raise ConfigurationError(
            f"comparison level {condition!r}: compare one column of l with the same of r"
        )
    return a


def _level(level: Any, where: str) -> tuple[str, str | None, float | None, str | None]:
    """``(kind, column, threshold, tf column)`` of one Splink comparison level."""
    if not isinstance(level, Mapping):
        raise ConfigurationError(f"{where}: each comparison level must be a dict")
    trained = _TRAINED_KEYS & set(level)
    if trained:
        raise ConfigurationError(
            f"{where}: {sorted(trained)[0]!r} is a trained value; vnlink estimates m and u "
            "with fit, so remove m_probability and u_probability"
        )
    unknown = set(level) - _LEVEL_KEYS
    if unknown:
        raise ConfigurationError(
            f"{where}: unknown level key {sorted(unknown)[0]!r}; supported: "
            f"{', '.join(sorted(_LEVEL_KEYS))}"
        )
    for flag in ("fix_m_probability", "fix_u_probability", "disable_tf_exact_match_detection"):
        if level.get(flag):
            raise ConfigurationError(f"{where}: {flag}=True is not supported")
    if float(level.get("tf_adjustment_weight", 1.0)) != 1.0:
        raise ConfigurationError(f"{where}: only a full term-frequency adjustment (weight 1.0)")
    condition = " ".join(str(level.get("sql_condition", "")).split())
    tf = level.get("tf_adjustment_column")
    if condition.upper() == "ELSE":
        return "else", None, None, tf
    m = _NULL.match(condition)
    if m is not None or level.get("is_null_level"):
        column = _one_column(m, condition) if m is not None else None
        return "null", column, None, tf
    m = _EXACT.match(condition)
    if m is not None:
        return "exact", _one_column(m, condition), None, tf
    m = _MEASURE.match(condition)
    if m is not None and m.group("fn").lower() in _MEASURES:
        measure, similarity = _MEASURES[m.group("fn").lower()]
        op, value = m.group("op"), float(m.group("value"))
        if similarity != (op in (">=", ">")):
            raise ConfigurationError(f"{where}: {condition!r} compares the wrong way")
        if op == "<":
            value -= 1  # distances are whole numbers: < k is <= k - 1
        return measure, _one_column(m, condition), value, tf
    m = _ABS.match(condition)
    if m is not None:
        value = float(m.group("value"))
        return "difference", _one_column(m, condition), value, tf
    raise ConfigurationError(
        f"{where}: the level condition {condition!r} has no vnlink equivalent; supported "
        f"conditions: {_SUPPORTED_LEVELS}; or pass a vnlink comparison"
    )


def comparison_from_splink(spec: Any) -> Comparison:
    """The vnlink comparison of a Splink comparison (object or dict).

    Parameters
    ----------
    spec
        A vnlink :class:`~vnlink.compare.Comparison` (returned as is), a Splink
        comparison object (anything with ``get_comparison(dialect).as_dict()``)
        or a Splink comparison dict.

    Examples
    --------
    >>> comparison_from_splink({"output_column_name": "pc", "comparison_levels": [
    ...     {"sql_condition": '"postcode_l" = "postcode_r"', "tf_adjustment_column": "postcode"},
    ...     {"sql_condition": 'levenshtein("postcode_l", "postcode_r") <= 1'},
    ...     {"sql_condition": "ELSE"}]})
    LevenshteinAtThresholds(name='pc', tf_column='postcode', column='postcode', thresholds=(1,))
    """
    if isinstance(spec, Comparison):
        return spec
    getter = getattr(spec, "get_comparison", None)
    if callable(getter):  # a Splink ComparisonCreator
        spec = getter(_SPLINK_DIALECT).as_dict()
    if not isinstance(spec, Mapping):
        raise ConfigurationError(
            "a comparison must be a vnlink comparison, a Splink comparison or a Splink "
            f"comparison dict; got {type(spec).__name__}"
        )
    unknown = set(spec) - _COMPARISON_KEYS
    if unknown:
        raise ConfigurationError(
            f"unknown comparison key {sorted(unknown)[0]!r}; supported: "
            f"{', '.join(sorted(_COMPARISON_KEYS))}"
        )
    name = str(spec.get("output_column_name") or "")
    levels = spec.get("comparison_levels")
    if not isinstance(levels, Sequence) or isinstance(levels, str) or not levels:
        raise ConfigurationError(f"comparison {name!r}: comparison_levels must be a list")
    parsed = [_level(level, f"comparison {name!r} level {i}") for i, level in enumerate(levels)]
    columns = {column for _, column, _, _ in parsed if column is not None}
    if len(columns) != 1:
        raise ConfigurationError(
            f"comparison {name!r}: its levels must compare one column, found {sorted(columns)}"
        )
    column = columns.pop()
    measures = {kind for kind, _, _, _ in parsed if kind in _CLASSES}
    if len(measures) > 1:
        raise ConfigurationError(
            f"comparison {name!r}: levels mix {sorted(measures)}; use one measure per "
            "comparison, or pass a vnlink comparison"
        )
    tf_columns = {tf for kind, _, _, tf in parsed if tf}
    if any(tf and kind != "exact" for kind, _, _, tf in parsed):
        raise ConfigurationError(
            f"comparison {name!r}: term-frequency adjustment applies to the exact level only"
        )
    options: dict[str, Any] = {"name": name or column,
                               "tf_column": tf_columns.pop() if tf_columns else None}
    if not measures:
        if not any(kind == "exact" for kind, _, _, _ in parsed):
            raise ConfigurationError(f"comparison {name!r}: no exact or similarity level")
        return ExactMatch(column, **options)
    measure = measures.pop()
    thresholds = tuple(value for kind, _, value, _ in parsed
                       if kind == measure and value is not None)
    cls: Any = _CLASSES[measure]
    return cls(column, thresholds, **options)  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------
# settings


def _as_settings(settings: Any) -> Mapping[str, Any]:
    creator = getattr(settings, "create_settings_dict", None)
    if callable(creator):  # a Splink SettingsCreator
        settings = creator(_SPLINK_DIALECT)
    if not isinstance(settings, Mapping):
        raise ConfigurationError(
            f"settings must be a dict (or a Splink SettingsCreator); got {type(settings).__name__}"
        )
    return settings


def _list(settings: Mapping[str, Any], key: str) -> list[Any]:
    value = settings.get(key)
    if value is None:
        return []
    if isinstance(value, (str, Mapping)) or not isinstance(value, Sequence):
        return [value]
    return list(value)


def linker_options(settings: Any, **options: Any) -> dict[str, Any]:
    """The :class:`~vnlink.Linker` keyword arguments that a settings dict stands for.

    Returns ``schema``, ``blocking``, ``comparisons`` and ``classifier`` (see the
    module docstring for the mapping) plus the other ``options`` given, which may
    not repeat those four; ``Linker(**linker_options(settings, progress=False))``
    is :func:`linker_from_settings`.
    """
    clash = sorted({"schema", "blocking", "comparisons", "classifier"} & set(options))
    if clash:
        raise ConfigurationError(
            f"{clash[0]!r} comes from the settings; do not pass it as well"
        )
    settings = _as_settings(settings)
    for key in settings:
        if key not in SUPPORTED_KEYS and key not in NO_EFFECT_KEYS:
            raise ConfigurationError(
                f"unknown settings key {key!r}; supported: {', '.join(SUPPORTED_KEYS)} "
                f"(and, without effect: {', '.join(NO_EFFECT_KEYS)})"
            )
    link_type = settings.get("link_type")
    if link_type not in LINK_TYPES:
        raise ConfigurationError(
            f"link_type must be one of {', '.join(LINK_TYPES)}; got {link_type!r}"
            + (" (link and dedupe separately)" if link_type == "link_and_dedupe" else "")
        )
    uid = settings.get("unique_id_column_name", "unique_id")
    if not isinstance(uid, str) or not uid:
        raise ConfigurationError("unique_id_column_name must be a column name")
    rules = [_rule(item) for item in _list(settings, "blocking_rules_to_generate_predictions")]
    if not rules:
        raise ConfigurationError(
            "give blocking_rules_to_generate_predictions: vnlink does not compare every pair"
        )
    comparisons = [comparison_from_splink(c) for c in _list(settings, "comparisons")]
    if not comparisons:
        raise ConfigurationError("give at least one comparison in 'comparisons'")
    names = [c.name for c in comparisons]
    repeated = [n for n in names if names.count(n) > 1]
    if repeated:
        raise ConfigurationError(
            f"two comparisons share the output name {repeated[0]!r}; set "
            "output_column_name (or name=) on one of them"
        )
    prior = settings.get("probability_two_random_records_match")
    if prior is not None and not (isinstance(prior, (int, float)) and 0 < prior <= 1):
        raise ConfigurationError("probability_two_random_records_match must be in (0, 1]")
    classifier_options: dict[str, Any] = {}
    if "em_convergence" in settings:
        tol = settings["em_convergence"]
        if not isinstance(tol, (int, float)) or tol <= 0:
            raise ConfigurationError("em_convergence must be a number > 0")
        classifier_options["tol"] = float(tol)
    if "max_iterations" in settings:
        max_iter = settings["max_iterations"]
        if not isinstance(max_iter, int) or isinstance(max_iter, bool) or max_iter < 1:
            raise ConfigurationError("max_iterations must be a whole number >= 1")
        classifier_options["max_iter"] = max_iter
    from vnlink.classify import FellegiSunter

    return {
        "schema": Schema(record_id=uid),
        "blocking": rules,
        "comparisons": comparisons,
        "classifier": FellegiSunter(**classifier_options),
        **options,
    }


def linker_from_settings(settings: Any, **options: Any) -> Linker:
    """A :class:`~vnlink.Linker` configured by a Splink-style settings dict.

    Parameters
    ----------
    settings
        The settings dict (or a Splink ``SettingsCreator``); see the module docstring.
    **options
        Other :class:`~vnlink.Linker` arguments (``progress=False``,
        ``random_state=...``, thresholds).

    Returns
    -------
    Linker
        Unfitted: ``fit_link(left, right)`` for ``link_only``; ``fit`` then
        ``dedupe`` for ``dedupe_only``.
    """
    from vnlink.link import Linker

    return Linker(**linker_options(settings, **options))

"""Blocking rules for hard data: names typed family-last, and the measured rule list for it.

The default rules (:func:`vnlink.blocking.default_rules`) find nearly every
true pair of gentle data through an ID, a phone or a date of birth with a
name key. Records typed at a busy site (``CorruptionProfile.hard()``) often
have no ID (30%), no phone (18%) or a relative's, a date with a wrong digit,
a temporary-residence address and a name typed family-last. The rules here
were chosen on that data by their measured recall and cost
(:func:`~vnlink.blocking.analyse_blocking`; docs/blocking.md,
benchmarks/bench_blocking.py):

- household keys — the street and commune with the birth year, the given
  name or the day and month: a person who gave a relative's phone and no ID
  is still found at home;
- a date within one part — the phonetic full name with day and month (a
  wrong year digit);
- :class:`SwappedName` — the name typed family-last ("Thị Hoa Nguyễn");
- the whole date, sex and family name (a given name typed badly).

Examples
--------
>>> rule = SwappedName()
>>> rule.name
'swapped_name & dob_year'
>>> from vnlink.blocking import candidate_pairs
>>> registry = {"name_fold": ["nguyen thi hoa", "tran van nam"], "dob_year": [1980, 1975]}
>>> records = {"name_fold": ["thi hoa nguyen", "nguyen thi hoa"], "dob_year": [1980, 1980]}
>>> pairs = candidate_pairs(rule, registry, records)
>>> pairs.left.tolist(), pairs.right.tolist()
([0], [0])
>>> [r.name for r in hard_default_rules()][:3]
['id_cccd', 'id_cmnd9', 'phone']
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from vnlink._bulk import as_object_array, factorize_column
from vnlink.blocking.rules import BlockingRule, BlockOn, RowKeys, block_on, default_rules
from vnlink.exceptions import ConfigurationError, SchemaError
from vnlink.table import Table, as_table

__all__ = ["SwappedName", "hard_default_rules"]


def _ends(name: str, swapped: bool) -> str:
    """``"family given"`` of a folded name, read normally or family-last ("" if one word)."""
    words = name.split()
    if len(words) < 2:
        return ""
    return f"{words[-1]} {words[-2]}" if swapped else f"{words[0]} {words[-1]}"


@dataclass(frozen=True)
class SwappedName(BlockingRule):
    """Records whose name was typed family-last, against the registry's family and given name.

    The left (registry) key is the first and last word of ``column``
    (family and given name); the right (records) key is the last and the
    second-to-last word, which are the family and the given name of a name
    typed in the Western order ("Thị Hoa Nguyễn", "Hoa Nguyễn"). Rows must
    also agree exactly on every column of ``also`` (the birth year by
    default), which keeps the blocks small: only records that end in a family
    name meet many registry rows.

    Parameters
    ----------
    also
        Columns that must agree exactly as well.
    column
        The folded full name.
    label
        A name for reports.

    Examples
    --------
    >>> SwappedName(also=()).name, SwappedName(also=("dob_year", "sex")).to_dict()["also"]
    ('swapped_name', ['dob_year', 'sex'])
    >>> SwappedName(also="dob_year")
    Traceback (most recent call last):
    ...
    vnlink.exceptions.ConfigurationError: SwappedName(also=...) must be a tuple of column names
    """

    also: tuple[str, ...] = ("dob_year",)
    column: str = "name_fold"
    label: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.also, tuple) or not all(
            isinstance(c, str) and c for c in self.also
        ):
            raise ConfigurationError("SwappedName(also=...) must be a tuple of column names")

    @property
    def name(self) -> str:  # type: ignore[override]
        """The rule's name: its label, or ``swapped_name`` and the other columns."""
        return self.label or " & ".join(("swapped_name", *self.also))

    def to_dict(self) -> dict[str, Any]:
        """``{"rule": "swapped_name", "also": [...], "column": ..., "name": ...}``."""
        return {
            "rule": "swapped_name", "also": list(self.also), "column": self.column,
            "name": self.label,
        }

    rule_name: ClassVar[str] = "swapped_name"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SwappedName:
        """Rebuild from :meth:`to_dict` output."""
        return cls(also=tuple(data.get("also", ("dob_year",))),
                   column=str(data.get("column", "name_fold")), label=data.get("name"))

    def _keys(self, table: Any, swapped: bool) -> RowKeys:
        t = as_table(table)
        for name in (self.column, *self.also):
            if name not in t:
                raise SchemaError(
                    f"blocking needs the column {name!r}; the table has: "
                    f"{', '.join(t.column_names) or '(none)'}"
                )
        distinct, inverse = factorize_column(t[self.column])
        ends = as_object_array(
            [_ends(v, swapped) if isinstance(v, str) else "" for v in distinct])
        columns = {"_ends": ends[inverse], **{c: t[c] for c in self.also}}
        return self._ends_rule.row_keys(Table(columns, n_rows=t.n_rows))

    @functools.cached_property
    def _ends_rule(self) -> BlockOn:
        """The exact rule on the name's two words and ``also`` (made once: a lookup keys
        one record per call)."""
        return block_on("_ends", *self.also)

    def row_keys(self, table: Any) -> RowKeys:
        """The registry side: the first and last word (family and given name) of the name."""
        return self._keys(table, swapped=False)

    def probe_keys(self, table: Any) -> RowKeys:
        """The records side: the last and second-to-last word (a name typed family-last)."""
        return self._keys(table, swapped=True)


def hard_default_rules() -> list[BlockingRule]:
    """The proposed default rules, measured on hard data (``CorruptionProfile.hard()``).

    In order (a pair is tagged with the first rule that finds it): the eight
    rules of :func:`~vnlink.blocking.default_rules`, then household keys,
    a date within one part, names typed family-last, the whole date with
    the family name, and the names with the birth year in the 2025 province (for
    addresses of the 2025 form without a commune, which have no district). On hard
    records of a 1,000,000-person registry they find 99.956% of the true pairs with
    about 11 candidates per record (the default rules: 99.89%, 7.6; measured before the
    2025-province rule); no true pair sharing a CCCD, CMND or phone is missed. Each
    rule's recall and cost: docs/blocking.md, benchmarks/results/blocking.json.

    >>> rules = hard_default_rules()
    >>> len(rules), rules[8].name
    (15, 'street & ward_2025 & dob_year')
    >>> rules[12].name
    'swapped_name & dob_year'
    """
    dob = ("dob_year", "dob_month", "dob_day")
    return [
        *default_rules(),
        # household keys: found at home without ID or own phone
        # (the 2025 commune: filled for addresses written in either era)
        block_on("street", "ward_2025", "dob_year"),
        block_on("street", "ward_2025", "given_key"),
        block_on("street", "ward_2025", "dob_month", "dob_day"),
        # a date within one part: a wrong year digit, a wrong day or month
        block_on("name_key", "dob_month", "dob_day"),
        # the name typed family-last, or badly misspelt, with a whole date
        SwappedName(),
        block_on(*dob, "family", "sex", name="dob & family & sex"),
        # no district to block on: an address of the 2025 form without its commune
        # (the province only) — the 2021 rules on district cannot find it
        block_on("family", "given_key", "dob_year", "province_2025"),
    ]

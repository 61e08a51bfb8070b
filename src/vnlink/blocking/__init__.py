"""Blocking: candidate pairs without comparing everyone with everyone.

A province of 5 million people against a day's 100,000 vaccination records is
5 x 10^11 pairs; blocking keeps the few million that share a key — the same
CCCD, phone, date of birth and given name, and so on.

>>> from vnlink.blocking import block_on, candidate_pairs
>>> registry = {"given_key": ["an", "binh"], "dob_year": [1980, 1990]}
>>> records = {"given_key": ["an"], "dob_year": [1980]}
>>> candidate_pairs(block_on("given_key", "dob_year"), registry, records).left.tolist()
[0]

Main names: :func:`block_on`, :func:`substr`, :class:`SortedNeighbourhood`,
:func:`default_rules`, :func:`candidate_pairs`, :func:`iter_candidate_pairs`,
:class:`CandidatePairs`, :func:`count_pairs`, :func:`analyse_blocking`; a rule
of your own subclasses :class:`BlockingRule` and gives each row's key
(:meth:`BlockingRule.row_keys`, a :class:`RowKeys`).
"""

from vnlink.blocking.analysis import (
    BlockingAnalysis,
    RuleRecall,
    analyse_blocking,
    count_pairs,
    largest_blocks,
)
from vnlink.blocking.pairs import (
    DEFAULT_MAX_BLOCK_PAIRS,
    BlockingReport,
    CandidatePairs,
    RuleReport,
    candidate_pairs,
    iter_candidate_pairs,
)
from vnlink.blocking.rules import (
    BlockingRule,
    BlockOn,
    Key,
    RowKeys,
    SortedNeighbourhood,
    as_rules,
    block_on,
    default_rules,
    rule_from_dict,
    substr,
)

__all__ = [
    "DEFAULT_MAX_BLOCK_PAIRS",
    "BlockOn",
    "BlockingAnalysis",
    "BlockingReport",
    "BlockingRule",
    "CandidatePairs",
    "Key",
    "RowKeys",
    "RuleRecall",
    "RuleReport",
    "SortedNeighbourhood",
    "analyse_blocking",
    "as_rules",
    "block_on",
    "candidate_pairs",
    "count_pairs",
    "default_rules",
    "iter_candidate_pairs",
    "largest_blocks",
    "rule_from_dict",
    "substr",
]

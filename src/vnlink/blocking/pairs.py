"""Candidate pairs: the union of blocking rules, as two aligned ``int64`` arrays.

:func:`candidate_pairs` is the plain entry point; :func:`iter_candidate_pairs`
yields the same pairs in bounded chunks for pair sets too big for memory.

Pairs are made by sort joins in numpy, never a Python loop over blocks or
pairs. In link mode an exact rule groups each table's rows by the 64-bit hash
of the rule's key (one sort per table and rule, kept on the table while its
columns are unchanged, so blocking the same registry again does not sort it
again), searches the right table's distinct keys among the left's, and makes
the pairs of every block in one ``np.repeat``/``cumsum`` step. Sorted
neighbourhood rules and dedupe mode join on keys factorized over both tables.
The union of several rules drops duplicate pairs (one sort of 64-bit pair
codes) and tags each pair with the first rule that produced it.

Link mode (``right`` given) pairs every left row with every right row of the
same block; dedupe mode (``right=None``) pairs rows of one table, each
unordered pair once as ``left < right``, never a row with itself.

Examples
--------
>>> from vnlink.blocking import block_on
>>> registry = {"phone": ["0912345678", "", "0987654321"], "dob_year": [1980, 1975, 1980]}
>>> records = {"phone": ["0912345678", ""], "dob_year": [1980, 1975]}
>>> pairs = candidate_pairs([block_on("phone"), block_on("dob_year")], registry, records)
>>> list(zip(pairs.left.tolist(), pairs.right.tolist(), pairs.rule.tolist()))
[(0, 0, 0), (2, 0, 1), (1, 1, 1)]
>>> pairs.rule_names
('phone', 'dob_year')
>>> same = candidate_pairs(block_on("dob_year"), registry)      # dedupe mode
>>> list(zip(same.left.tolist(), same.right.tolist()))
[(0, 2)]
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from vnlink.blocking import _engine
from vnlink.blocking.results import BlockingReport, CandidatePairs, RuleReport
from vnlink.blocking.rules import as_rules
from vnlink.exceptions import ConfigurationError, VnlinkWarning

__all__ = [
    "DEFAULT_MAX_BLOCK_PAIRS",
    "PLACEHOLDER_MIN_ROWS",
    "PLACEHOLDER_SHARE",
    "BlockingReport",
    "CandidatePairs",
    "RuleReport",
    "candidate_pairs",
    "check_max_block_pairs",
    "find_placeholders",
    "iter_candidate_pairs",
    "warn_cuts",
]

DEFAULT_MAX_BLOCK_PAIRS = 1_000_000
"""Blocks making more pairs than this are skipped and reported (``None`` disables the cap).

The one cap of batch linking and of :class:`~vnlink.RegistryIndex` lookups: a
block is one key value of one rule, and its pairs are the registry rows holding
the key times the records of the run holding it (one record for
:meth:`~vnlink.RegistryIndex.query`, a chunk for ``query_many``).
"""

PLACEHOLDER_MIN_ROWS = 1_000
"""A key value held by more registry rows than this (and the share below) is a placeholder."""

PLACEHOLDER_SHARE = 1e-4
"""Share of the registry one key value must exceed to be a placeholder (and the count above)."""

_Rules = _engine.Rules


def candidate_pairs(
    rules: _Rules,
    left: Any,
    right: Any = None,
    *,
    max_block_pairs: int | None = DEFAULT_MAX_BLOCK_PAIRS,
    skip_keys: Mapping[str, Sequence[int]] | None = None,
) -> CandidatePairs:
    """Candidate pairs of the union of ``rules``, each tagged with the first rule that made it.

    Parameters
    ----------
    rules
        A rule, a list of rules (:func:`~vnlink.blocking.block_on`,
        :class:`~vnlink.blocking.SortedNeighbourhood`, column names or tuples of
        them), or ``None`` for :func:`~vnlink.blocking.default_rules`.
    left
        The left table (the registry when linking), usually a
        :class:`~vnlink.prepare.PreparedTable`; any form :func:`vnlink.as_table` takes.
    right
        The right table (the records); ``None`` pairs ``left`` with itself (dedupe).
    max_block_pairs
        Blocks that would make more pairs than this are skipped and counted in
        ``report`` (a placeholder value such as one phone number typed for
        thousands of people). ``None`` keeps every block.
    skip_keys
        Rule name -> stable 64-bit keys (:meth:`~vnlink.blocking.BlockingRule.row_keys`)
        of placeholder values (:func:`find_placeholders`): their blocks are cut
        and counted like oversized ones.

    Returns
    -------
    CandidatePairs
        Sorted by right row, then left row; ``report`` holds the counts and
        ``capped`` the rows that lost a block.

    Examples
    --------
    >>> from vnlink.blocking import block_on
    >>> pairs = candidate_pairs(block_on("id_cccd"), {"id_cccd": ["001", ""]}, {"id_cccd": ["001"]})
    >>> pairs.left.tolist(), pairs.right.tolist(), pairs.report.total_pairs
    ([0], [0], 1)
    """
    keys, plans = _engine.plan_blocking(rules, left, right, max_block_pairs, skip_keys)
    pairs = next(_engine.generate(keys, plans, None))
    new = np.bincount(pairs.rule.astype(np.int64), minlength=len(plans)).tolist()
    report = _engine.blocking_report(keys, plans, new, max_block_pairs)
    return CandidatePairs(
        pairs.left,
        pairs.right,
        pairs.rule,
        pairs.rule_names,
        pairs.n_left,
        pairs.n_right,
        pairs.dedupe,
        report,
        _engine.capped_rows(keys, plans),
    )


def check_max_block_pairs(max_block_pairs: int | None) -> int | None:
    """``max_block_pairs`` as an ``int`` (or ``None``); a ConfigurationError if not positive.

    >>> check_max_block_pairs(5_000)
    5000
    """
    _engine.check_cap(max_block_pairs)
    return None if max_block_pairs is None else int(max_block_pairs)


def find_placeholders(
    rules: _Rules,
    registry: Any,
    *,
    min_rows: int = PLACEHOLDER_MIN_ROWS,
    share: float = PLACEHOLDER_SHARE,
) -> dict[str, list[int]]:
    """Key values of the exact rules that look like placeholders, as stable 64-bit keys.

    A value is a placeholder when more than ``max(min_rows, share * n)`` of the
    ``n`` registry rows hold it (a phone ``0000000000`` or one CCCD typed for
    thousands of people): as a blocking key it pairs every record holding it with
    all of them and finds nobody. The keys (hashes, not the values) are what
    :func:`candidate_pairs` takes as ``skip_keys``; a fitted model keeps them.

    >>> from vnlink.blocking import block_on
    >>> registry = {"phone": ["0000000000"] * 5 + ["0912345678", "0987654321"]}
    >>> found = find_placeholders(block_on("phone"), registry, min_rows=3)
    >>> {name: len(keys) for name, keys in found.items()}
    {'phone': 1}
    >>> pairs = candidate_pairs("phone", registry, {"phone": ["0000000000"]}, skip_keys=found)
    >>> len(pairs), pairs.report.cuts(), pairs.capped.tolist()
    (0, {'phone': 5}, [True])
    """
    if not isinstance(min_rows, (int, np.integer)) or min_rows < 1:
        raise ConfigurationError(f"min_rows must be a positive integer, got {min_rows!r}")
    if not 0.0 <= float(share) <= 1.0:
        raise ConfigurationError(f"share must be between 0 and 1, got {share!r}")
    return _engine.placeholder_keys(
        as_rules(rules), registry, min_rows=int(min_rows), share=float(share)
    )


def warn_cuts(cuts: Mapping[str, int], records: int, max_block_pairs: int | None) -> None:
    """Warn (:class:`~vnlink.exceptions.VnlinkWarning`) that blocking cut pairs; counts only.

    No key value is named (a key may be a person's CCCD): the rule names, the
    pairs cut and the records affected.
    """
    if not cuts:
        return
    per_rule = ", ".join(f"{name}: {n:,}" for name, n in cuts.items())
    warnings.warn(
        f"blocking cut {sum(cuts.values()):,} candidate pairs ({per_rule}) of "
        f"{records:,} records, in blocks over max_block_pairs={max_block_pairs} or on "
        "placeholder keys; those records carry the reason code blocking_capped",
        VnlinkWarning,
        stacklevel=3,
    )


def iter_candidate_pairs(
    rules: _Rules,
    left: Any,
    right: Any = None,
    *,
    chunk_pairs: int = 5_000_000,
    max_block_pairs: int | None = DEFAULT_MAX_BLOCK_PAIRS,
) -> Iterator[CandidatePairs]:
    """The pairs of :func:`candidate_pairs` in chunks of about ``chunk_pairs`` pairs.

    Each chunk covers a range of right rows (left rows in dedupe mode), so
    chunks never share a pair; together they are exactly the pairs of
    :func:`candidate_pairs`. Peak memory is bounded by the chunk size (a
    single record whose blocks exceed it makes a larger chunk).

    >>> from vnlink.blocking import block_on
    >>> left, right = {"y": [1, 1]}, {"y": [1, 1]}
    >>> chunks = list(iter_candidate_pairs(block_on("y"), left, right, chunk_pairs=2))
    >>> [len(c) for c in chunks]
    [2, 2]
    """
    if not isinstance(chunk_pairs, (int, np.integer)) or chunk_pairs < 1:
        raise ConfigurationError(f"chunk_pairs must be a positive integer, got {chunk_pairs!r}")
    keys, plans = _engine.plan_blocking(rules, left, right, max_block_pairs)
    yield from _engine.generate(keys, plans, int(chunk_pairs))

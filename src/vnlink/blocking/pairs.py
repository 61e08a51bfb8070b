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

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink._table import Table, as_table
from vnlink.blocking.rules import (
    BlockingRule,
    BlockOn,
    Codes,
    KeyCodes,
    as_rules,
)
from vnlink.exceptions import ConfigurationError

__all__ = [
    "DEFAULT_MAX_BLOCK_PAIRS",
    "BlockingReport",
    "CandidatePairs",
    "RuleReport",
    "candidate_pairs",
    "iter_candidate_pairs",
]

DEFAULT_MAX_BLOCK_PAIRS = 1_000_000
"""Blocks making more pairs than this are skipped and reported (``None`` disables the cap)."""

_Rules = BlockingRule | str | Iterable[Any] | None
_RULE_BITS = 7
_RULE_MASK = (1 << _RULE_BITS) - 1


@dataclass(frozen=True)
class RuleReport:
    """What one blocking rule did.

    Attributes
    ----------
    rule
        The rule's name.
    pairs
        Pairs the rule makes on its own (after the block-size cap).
    new_pairs
        Pairs no earlier rule made.
    cumulative_pairs
        Pairs made by this rule and the earlier ones together.
    blocks
        Blocks with at least one pair.
    largest_block
        Pairs in the largest block, before the cap.
    blocks_cut, pairs_cut, rows_cut
        Blocks over the cap, the pairs they would have made, and the rows in
        them (both tables).
    """

    rule: str
    pairs: int
    new_pairs: int
    cumulative_pairs: int
    blocks: int
    largest_block: int
    blocks_cut: int = 0
    pairs_cut: int = 0
    rows_cut: int = 0


@dataclass(frozen=True)
class BlockingReport:
    """Pair counts per rule and cumulative, and what the block-size cap cut.

    >>> from vnlink.blocking import block_on
    >>> report = candidate_pairs(block_on("y"), {"y": [1, 1, 2]}, {"y": [1, 2]}).report
    >>> report.total_pairs, report.reduction_ratio
    (3, 0.5)
    """

    rules: tuple[RuleReport, ...]
    n_left: int
    n_right: int
    dedupe: bool
    max_block_pairs: int | None

    @property
    def total_pairs(self) -> int:
        """Candidate pairs of all rules together (duplicates removed)."""
        return self.rules[-1].cumulative_pairs if self.rules else 0

    @property
    def all_pairs(self) -> int:
        """Pairs without blocking: ``n_left * n_right``, or ``n (n - 1) / 2`` in dedupe mode."""
        if self.dedupe:
            return self.n_left * (self.n_left - 1) // 2
        return self.n_left * self.n_right

    @property
    def reduction_ratio(self) -> float:
        """``1 - total_pairs / all_pairs``: the share of comparisons blocking saves."""
        return 1.0 - self.total_pairs / self.all_pairs if self.all_pairs else 0.0

    @property
    def pairs_per_record(self) -> float:
        """Mean candidates per right-hand record (per row in dedupe mode)."""
        n = self.n_left if self.dedupe else self.n_right
        return self.total_pairs / n if n else 0.0

    @property
    def pairs_cut(self) -> int:
        """Pairs the block-size cap removed, summed over rules."""
        return sum(r.pairs_cut for r in self.rules)

    def to_dicts(self) -> list[dict[str, Any]]:
        """One plain dict per rule."""
        return [dict(vars(r)) for r in self.rules]

    def __str__(self) -> str:
        head = ("rule", "pairs", "new", "cumulative", "largest block", "cut")
        rows = [
            (
                r.rule,
                f"{r.pairs:,}",
                f"{r.new_pairs:,}",
                f"{r.cumulative_pairs:,}",
                f"{r.largest_block:,}",
                f"{r.pairs_cut:,} in {r.blocks_cut} blocks" if r.blocks_cut else "",
            )
            for r in self.rules
        ]
        widths = [max(len(x) for x in col) for col in zip(head, *rows, strict=False)]
        lines = [
            "  ".join(x.ljust(w) for x, w in zip(row, widths, strict=True)).rstrip()
            for row in (head, *rows)
        ]
        lines.append(
            f"{self.total_pairs:,} pairs, {self.pairs_per_record:.1f} per record, "
            f"reduction ratio {self.reduction_ratio:.6f}"
        )
        return "\n".join(lines)


@dataclass(frozen=True, eq=False)
class CandidatePairs:
    """Candidate pairs as aligned arrays.

    Attributes
    ----------
    left, right
        ``int64`` row indices into the left and right tables (in dedupe mode
        both into the one table, ``left < right``).
    rule
        ``int8`` index into ``rule_names``: the first rule that produced the pair.
    rule_names
        The rules' names, in the order given.
    n_left, n_right
        The row counts of the two tables (equal in dedupe mode).
    dedupe
        Whether the pairs are within one table.
    report
        Counts per rule and what the block-size cap cut (``None`` for the
        chunks of :func:`iter_candidate_pairs`).
    """

    left: NDArray[np.int64]
    right: NDArray[np.int64]
    rule: NDArray[np.int8]
    rule_names: tuple[str, ...]
    n_left: int
    n_right: int
    dedupe: bool = False
    report: BlockingReport | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.left)

    def __repr__(self) -> str:
        mode = "dedupe" if self.dedupe else "link"
        return f"CandidatePairs({len(self):,} pairs, {mode}, rules={list(self.rule_names)})"

    def counts_by_rule(self) -> dict[str, int]:
        """Pairs tagged with each rule (the first rule that produced them)."""
        counts = np.bincount(self.rule.astype(np.int64), minlength=len(self.rule_names))
        return dict(zip(self.rule_names, counts.tolist(), strict=True))

    def per_record(self) -> NDArray[np.int64]:
        """Candidates per right-hand row (per row of the table in dedupe mode, both roles)."""
        if self.dedupe:
            both = np.concatenate([self.left, self.right])
            return np.bincount(both, minlength=self.n_left).astype(np.int64)
        return np.bincount(self.right, minlength=self.n_right).astype(np.int64)

    def to_table(self) -> Table:
        """The pairs as a :class:`~vnlink.Table` with ``left``, ``right`` and ``rule`` (names)."""
        names = np.asarray(self.rule_names, dtype=object)
        return Table({"left": self.left, "right": self.right, "rule": names[self.rule]})

    @classmethod
    def concatenate(cls, chunks: Iterable[CandidatePairs]) -> CandidatePairs:
        """Join the chunks of :func:`iter_candidate_pairs` back into one set."""
        parts = list(chunks)
        if not parts:
            raise ConfigurationError("concatenate needs at least one chunk")
        first = parts[0]
        return cls(
            np.concatenate([p.left for p in parts]),
            np.concatenate([p.right for p in parts]),
            np.concatenate([p.rule for p in parts]),
            first.rule_names,
            first.n_left,
            first.n_right,
            first.dedupe,
        )


class _RulePlan:
    """A rule's counts after the block-size cap, and how to make its pairs (internal).

    Link-mode exact rules carry their ``join``, made from the tables' group
    indexes without joint codes; ``codes`` (the capped joint block codes, for
    the other rules and for analysis) are computed when first asked for.
    """

    def __init__(
        self,
        rule: BlockingRule,
        keys: KeyCodes,
        max_block_pairs: int | None,
        counts: tuple[int, int, int, int, int, int],
        *,
        codes: Codes | None = None,
        join: _Join | None = None,
    ) -> None:
        self.rule = rule
        self.keys = keys
        self.max_block_pairs = max_block_pairs
        (
            self.pairs,
            self.blocks,
            self.largest_block,
            self.blocks_cut,
            self.pairs_cut,
            self.rows_cut,
        ) = counts
        self._codes = codes
        self.join = join

    @property
    def codes(self) -> Codes:
        """The rule's joint block codes, oversized blocks set to ``-1``."""
        if self._codes is None:
            self._codes = _capped(self.rule, self.keys, self.max_block_pairs)[0]
        return self._codes


def _check_cap(max_block_pairs: int | None) -> None:
    if max_block_pairs is not None and (
        not isinstance(max_block_pairs, (int, np.integer)) or max_block_pairs < 1
    ):
        raise ConfigurationError(
            f"max_block_pairs must be a positive integer or None, got {max_block_pairs!r}"
        )


def _capped(
    rule: BlockingRule, keys: KeyCodes, max_block_pairs: int | None
) -> tuple[Codes, tuple[int, int, int, int, int, int]]:
    """Joint block codes with the oversized blocks removed, and the rule's counts."""
    codes = rule.block_codes(keys)
    per_block = keys.pair_counts(codes)
    blocks = int(np.count_nonzero(per_block))
    largest = int(per_block.max()) if len(per_block) else 0
    blocks_cut = pairs_cut = rows_cut = 0
    if max_block_pairs is not None and largest > max_block_pairs:
        cut = per_block > max_block_pairs
        blocks_cut = int(cut.sum())
        pairs_cut = int(per_block[cut].sum())
        in_cut = np.zeros(len(codes), dtype=bool)
        valid = codes >= 0
        in_cut[valid] = cut[codes[valid]]
        rows_cut = int(in_cut[: keys.n_target].sum())
        if not keys.dedupe:
            rows_cut += int(in_cut[keys.n_target :].sum())
        codes = np.where(in_cut, -1, codes)
    # exact agreement: the pairs are the blocks' own pairs
    pairs = (
        int(per_block.sum()) - pairs_cut if isinstance(rule, BlockOn) else rule.count(keys, codes)
    )
    return codes, (pairs, blocks - blocks_cut, largest, blocks_cut, pairs_cut, rows_cut)


def _link_plan(rule: BlockOn, keys: KeyCodes, max_block_pairs: int | None) -> _RulePlan:
    """An exact rule in link mode: join the two tables' group indexes on their hashes.

    Only the distinct right-hand hashes are searched among the left-hand ones;
    no joint codes are made and no table is sorted again once its index is cached.
    """
    left, right = keys.group_index(rule.keys)
    last = right.last_join
    if last is not None and last[0] is left and last[1] == max_block_pairs:
        # the same two tables joined again (count_pairs, then candidate_pairs, then analysis)
        _, _, counts, first, count = last
        return _RulePlan(
            rule, keys, max_block_pairs, counts, join=_Join.from_groups(left.rows, first, count)
        )
    if len(left.hashes) and len(right.hashes):
        position = np.searchsorted(left.hashes, right.hashes)
        np.minimum(position, len(left.hashes) - 1, out=position)
        matched = np.flatnonzero(left.hashes[position] == right.hashes)
        position = position[matched]
    else:
        matched = position = np.zeros(0, dtype=np.int64)
    n_left = (left.offsets[position + 1] - left.offsets[position]).astype(np.int64)
    n_right = (right.offsets[matched + 1] - right.offsets[matched]).astype(np.int64)
    per_block = n_left * n_right
    largest = int(per_block.max()) if len(per_block) else 0
    blocks_cut = pairs_cut = rows_cut = 0
    if max_block_pairs is not None and largest > max_block_pairs:
        cut = per_block > max_block_pairs
        blocks_cut = int(cut.sum())
        pairs_cut = int(per_block[cut].sum())
        rows_cut = int(n_left[cut].sum() + n_right[cut].sum())
        keep = ~cut
        matched, position, n_left = matched[keep], position[keep], n_left[keep]
    # per right-hand group (and one more for rows missing the key): where its partners start
    start = np.zeros(len(right.hashes) + 1, dtype=np.int64)
    size = np.zeros(len(right.hashes) + 1, dtype=np.int64)
    start[matched] = left.offsets[position]
    size[matched] = n_left
    group = right.row_group()
    first = start[group]
    count = size[group]
    counts = (
        int(per_block.sum()) - pairs_cut,
        len(per_block) - blocks_cut,
        largest,
        blocks_cut,
        pairs_cut,
        rows_cut,
    )
    first.flags.writeable = False
    count.flags.writeable = False
    right.last_join = (left, max_block_pairs, counts, first, count)
    join = _Join.from_groups(left.rows, first, count)
    return _RulePlan(rule, keys, max_block_pairs, counts, join=join)


def _dedupe_plan(rule: BlockOn, keys: KeyCodes, max_block_pairs: int | None) -> _RulePlan:
    """An exact rule in dedupe mode: each row pairs with the later rows of its group."""
    (index,) = keys.group_index(rule.keys)
    sizes = index.sizes()
    per_block = sizes * (sizes - 1) // 2
    largest = int(per_block.max()) if len(per_block) else 0
    blocks_cut = pairs_cut = rows_cut = 0
    ends = index.offsets[1:].astype(np.int64)
    if max_block_pairs is not None and largest > max_block_pairs:
        cut = per_block > max_block_pairs
        blocks_cut = int(cut.sum())
        pairs_cut = int(per_block[cut].sum())
        rows_cut = int(sizes[cut].sum())
        ends = np.where(cut, index.offsets[:-1], ends)  # a cut group pairs nothing
    # the row at position i of the index pairs with positions i + 1 .. end of its group
    position = np.arange(len(index.rows), dtype=np.int64)
    first = np.zeros(keys.n_probe, dtype=np.int64)
    count = np.zeros(keys.n_probe, dtype=np.int64)
    first[index.rows] = position + 1
    count[index.rows] = np.maximum(np.repeat(ends, sizes) - position - 1, 0)
    counts = (
        int(per_block.sum()) - pairs_cut,
        int(np.count_nonzero(per_block)) - blocks_cut,
        largest,
        blocks_cut,
        pairs_cut,
        rows_cut,
    )
    join = _Join.from_groups(index.rows, first, count)
    return _RulePlan(rule, keys, max_block_pairs, counts, join=join)


def _plan_rules(
    rules: list[BlockingRule], keys: KeyCodes, max_block_pairs: int | None
) -> list[_RulePlan]:
    """Each rule's counts after the block-size cap, and how to make its pairs (internal)."""
    _check_cap(max_block_pairs)
    plans = []
    for rule in rules:
        if isinstance(rule, BlockOn):
            make = _dedupe_plan if keys.dedupe else _link_plan
            plans.append(make(rule, keys, max_block_pairs))
        else:
            codes, counts = _capped(rule, keys, max_block_pairs)
            plans.append(_RulePlan(rule, keys, max_block_pairs, counts, codes=codes))
    return plans


class _Join:
    """One equi-join prepared for pair generation (internal).

    Target rows are grouped by block, ascending within a block (sorted by
    ``(code, row)`` here, or taken from the tables' group indexes by
    :meth:`from_groups`), and each probe row knows the first position of its
    partners in that order and how many there are. The pairs therefore come
    out sorted by probe row, then target row.
    """

    def __init__(self, codes: Codes, n_target: int, dedupe: bool) -> None:
        target, probe = codes[:n_target], codes[n_target:]
        rows = np.flatnonzero(target >= 0).astype(np.int64)
        composite = target[rows] * n_target + rows  # unique, so any sort is deterministic
        by_key = np.argsort(composite)
        composite = composite[by_key]
        self.order: NDArray[np.integer[Any]] = rows[by_key]
        probe_rows = np.flatnonzero(probe >= 0)
        keys = probe[probe_rows]
        self.first = np.zeros(len(probe), dtype=np.int64)
        self.count = np.zeros(len(probe), dtype=np.int64)
        if not dedupe:
            # blocks are runs of equal codes in ``order``: start and size per code
            size = int(max(target.max(initial=-1), keys.max(initial=-1))) + 1
            per_code = np.bincount(target[self.order], minlength=size).astype(np.int64)
            starts = np.cumsum(per_code) - per_code
            self.first[probe_rows] = starts[keys]
            self.count[probe_rows] = per_code[keys]
            return
        low = keys * n_target + probe_rows + 1
        by_query = np.argsort(low)  # sorted queries make the binary searches cache-friendly
        lo = np.empty(len(low), dtype=np.int64)
        hi = np.empty(len(low), dtype=np.int64)
        lo[by_query] = np.searchsorted(composite, low[by_query], side="left")
        hi[by_query] = np.searchsorted(composite, (keys[by_query] + 1) * n_target, side="left")
        self.first[probe_rows] = lo
        self.count[probe_rows] = np.maximum(hi - lo, 0)

    @classmethod
    def from_groups(
        cls, order: NDArray[np.integer[Any]], first: NDArray[np.int64], count: NDArray[np.int64]
    ) -> _Join:
        """A join whose target rows ``order`` are grouped by block, ascending in each block."""
        join = cls.__new__(cls)
        join.order = order
        join.first = first
        join.count = count
        return join

    def pairs(self, start: int, stop: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """``(probe_rows, target_rows)`` of the probe rows ``start:stop`` (probe rows ascending)."""
        count = self.count[start:stop]
        total = int(count.sum())
        if total == 0:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        probes = np.repeat(np.arange(start, stop, dtype=np.int64), count)
        targets = self.order[self._positions(start, stop, count, total)]
        return probes, targets.astype(np.int64, copy=False)

    def encoded(self, start: int, stop: int, stride: int, tag: int) -> NDArray[np.int64]:
        """The pairs of probe rows ``start:stop`` as ``(probe * stride + target) << 7 | tag``.

        ``stride`` is at least the number of target rows.
        """
        count = self.count[start:stop]
        total = int(count.sum())
        if total == 0:
            return np.zeros(0, dtype=np.int64)
        out = self.order[self._positions(start, stop, count, total)].astype(np.int64, copy=False)
        out *= 1 << _RULE_BITS
        base = np.arange(start, stop, dtype=np.int64)
        base *= stride << _RULE_BITS
        base += tag
        out += np.repeat(base, count)
        return out

    def _positions(
        self, start: int, stop: int, count: NDArray[np.int64], total: int
    ) -> NDArray[np.int64]:
        shift = self.first[start:stop] - (np.cumsum(count) - count)
        positions = np.repeat(shift, count)
        positions += np.arange(total, dtype=np.int64)
        return positions


def _prepare(
    rules: _Rules, left: Any, right: Any, max_block_pairs: int | None
) -> tuple[KeyCodes, list[_RulePlan]]:
    rule_list = as_rules(rules)
    left_table = as_table(left)
    right_table = None if right is None else as_table(right)
    keys = KeyCodes(left_table, right_table)
    return keys, _plan_rules(rule_list, keys, max_block_pairs)


def _chunks(per_row: NDArray[np.int64], chunk_pairs: int) -> Iterator[tuple[int, int]]:
    n = len(per_row)
    if n == 0:
        return
    cumulative = np.cumsum(per_row)
    start = 0
    while start < n:
        before = int(cumulative[start - 1]) if start else 0
        stop = int(np.searchsorted(cumulative, before + chunk_pairs, side="right"))
        stop = min(max(stop, start + 1), n)
        yield start, stop
        start = stop


def _generate(
    keys: KeyCodes, plans: list[_RulePlan], chunk_pairs: int | None
) -> Iterator[CandidatePairs]:
    n_target = keys.n_target
    if keys.n_target * keys.n_probe >= 2 ** (63 - _RULE_BITS):
        raise ConfigurationError(
            "the tables are too large to pair in one index space (n_left * n_right >= 2**56): "
            "split the right table and block each part"
        )
    # pair code = probe * stride + target; a power of two decodes with shifts when it fits
    target_bits = max(n_target - 1, 0).bit_length()
    shifted = keys.n_probe << target_bits < 2 ** (63 - _RULE_BITS)
    stride = 1 << target_bits if shifted else max(n_target, 1)
    joins = [
        [plan.join]
        if plan.join is not None
        else [_Join(c, n_target, keys.dedupe) for c in plan.rule.components(keys, plan.codes)]
        for plan in plans
    ]
    names = tuple(plan.rule.name for plan in plans)
    if chunk_pairs is None:
        bounds: Iterable[tuple[int, int]] = [(0, keys.n_probe)]
    else:
        per_row = np.zeros(keys.n_probe, dtype=np.int64)
        for rule_joins in joins:
            for join in rule_joins:
                per_row += join.count
        bounds = _chunks(per_row, chunk_pairs)
    for start, stop in bounds:
        # pair code, then the rule index in the low 7 bits: sorting the values puts
        # each pair's copies together, the first rule's copy first
        encoded = [
            part
            for index, rule_joins in enumerate(joins)
            for join in rule_joins
            if len(part := join.encoded(start, stop, stride, index))
        ]
        if not encoded:
            tagged = np.zeros(0, dtype=np.int64)
        elif len(encoded) == 1:
            tagged = encoded[0]
        else:
            ordered = np.concatenate(encoded)
            del encoded
            ordered.sort(kind="stable")  # sorted parts: a stable sort merges the runs
            # neighbours with the same pair code differ only in the rule bits
            keep = np.empty(len(ordered), dtype=bool)
            keep[0] = True
            different = ordered[1:] ^ ordered[:-1]
            np.greater(different, _RULE_MASK, out=keep[1:])
            del different
            tagged = ordered[keep]
            del ordered, keep
        unique = tagged >> _RULE_BITS
        rule = (tagged & _RULE_MASK).astype(np.int8)
        if shifted:
            probe = unique >> target_bits
            target = unique & (stride - 1)
        else:
            probe = unique // stride
            target = unique - probe * stride
        if keys.dedupe:
            left_idx, right_idx = probe, target
        else:
            left_idx, right_idx = target, probe
        yield CandidatePairs(
            left_idx, right_idx, rule, names, keys.n_target, keys.n_probe, keys.dedupe
        )


def _blocking_report(
    keys: KeyCodes,
    plans: Sequence[_RulePlan],
    new_pairs: Sequence[int],
    max_block_pairs: int | None,
) -> BlockingReport:
    """The report of a blocking run: each rule's plan with the new pairs it added."""
    cumulative = np.cumsum(new_pairs).tolist() if len(new_pairs) else []
    return BlockingReport(
        tuple(
            RuleReport(
                plan.rule.name,
                plan.pairs,
                int(new_pairs[i]),
                int(cumulative[i]),
                plan.blocks,
                plan.largest_block,
                plan.blocks_cut,
                plan.pairs_cut,
                plan.rows_cut,
            )
            for i, plan in enumerate(plans)
        ),
        keys.n_target,
        keys.n_probe,
        keys.dedupe,
        max_block_pairs,
    )


def candidate_pairs(
    rules: _Rules,
    left: Any,
    right: Any = None,
    *,
    max_block_pairs: int | None = DEFAULT_MAX_BLOCK_PAIRS,
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

    Returns
    -------
    CandidatePairs
        Sorted by right row, then left row; ``report`` holds the counts.

    Examples
    --------
    >>> from vnlink.blocking import block_on
    >>> pairs = candidate_pairs(block_on("id_cccd"), {"id_cccd": ["001", ""]}, {"id_cccd": ["001"]})
    >>> pairs.left.tolist(), pairs.right.tolist(), pairs.report.total_pairs
    ([0], [0], 1)
    """
    keys, plans = _prepare(rules, left, right, max_block_pairs)
    pairs = next(_generate(keys, plans, None))
    new = np.bincount(pairs.rule.astype(np.int64), minlength=len(plans)).tolist()
    report = _blocking_report(keys, plans, new, max_block_pairs)
    return CandidatePairs(
        pairs.left,
        pairs.right,
        pairs.rule,
        pairs.rule_names,
        pairs.n_left,
        pairs.n_right,
        pairs.dedupe,
        report,
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
    keys, plans = _prepare(rules, left, right, max_block_pairs)
    yield from _generate(keys, plans, int(chunk_pairs))

"""The blocking engine: each rule's plan after the block-size cap, joins and pair generation.

Package-private: :mod:`vnlink.blocking.pairs` and :mod:`vnlink.blocking.analysis`
run it; :func:`~vnlink.blocking.candidate_pairs` is the public entry point.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink.blocking.results import BlockingReport, CandidatePairs, RuleReport
from vnlink.blocking.rules import BlockingRule, BlockOn, Codes, KeyCodes, as_rules
from vnlink.exceptions import ConfigurationError
from vnlink.table import as_table

Rules = BlockingRule | str | Iterable[Any] | None
_RULE_BITS = 7
_RULE_MASK = (1 << _RULE_BITS) - 1


class RulePlan:
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
        join: Join | None = None,
        capped_rows: NDArray[np.bool_] | None = None,
        forced: NDArray[np.bool_] | None = None,
    ) -> None:
        self.rule = rule
        #: per probe row (right table; the one table in dedupe mode): a block of it was cut
        self.capped_rows = capped_rows
        self.forced = forced
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
            self._codes = capped(self.rule, self.keys, self.max_block_pairs, self.forced)[0]
        return self._codes


def check_cap(max_block_pairs: int | None) -> None:
    if max_block_pairs is not None and (
        not isinstance(max_block_pairs, (int, np.integer)) or max_block_pairs < 1
    ):
        raise ConfigurationError(
            f"max_block_pairs must be a positive integer or None, got {max_block_pairs!r}"
        )


def capped(
    rule: BlockingRule,
    keys: KeyCodes,
    max_block_pairs: int | None,
    forced: NDArray[np.bool_] | None = None,
) -> tuple[Codes, tuple[int, int, int, int, int, int]]:
    """Joint block codes with the oversized blocks removed, and the rule's counts."""
    codes, counts, _ = cut_blocks(rule, keys, max_block_pairs, forced)
    return codes, counts


def cut_blocks(
    rule: BlockingRule,
    keys: KeyCodes,
    max_block_pairs: int | None,
    forced: NDArray[np.bool_] | None = None,
) -> tuple[Codes, tuple[int, int, int, int, int, int], NDArray[np.bool_] | None]:
    """Joint block codes with the oversized blocks removed, the rule's counts, capped rows.

    ``forced`` (joint rows) marks rows whose key is a placeholder: their blocks
    are cut whatever their size. The last item is, per probe row, whether one
    of its blocks was cut (``None`` when nothing was).
    """
    codes = rule.block_codes(keys)
    per_block = keys.pair_counts(codes)
    blocks = int(np.count_nonzero(per_block))
    largest = int(per_block.max()) if len(per_block) else 0
    blocks_cut = pairs_cut = rows_cut = 0
    cut = (
        per_block > max_block_pairs
        if max_block_pairs is not None
        else np.zeros(len(per_block), dtype=bool)
    )
    if forced is not None and forced.any():
        valid = (codes >= 0) & forced
        cut[codes[valid]] = True
    capped_rows = None
    if cut.any():
        blocks_cut = int(np.count_nonzero(cut & (per_block > 0)))
        pairs_cut = int(per_block[cut].sum())
        in_cut = np.zeros(len(codes), dtype=bool)
        valid = codes >= 0
        in_cut[valid] = cut[codes[valid]]
        rows_cut = int(in_cut[: keys.n_target].sum())
        if not keys.dedupe:
            rows_cut += int(in_cut[keys.n_target :].sum())
        capped_rows = in_cut[: keys.n_target] if keys.dedupe else in_cut[keys.n_target :]
        codes = np.where(in_cut, -1, codes)
    # exact agreement: the pairs are the blocks' own pairs
    pairs = (
        int(per_block.sum()) - pairs_cut if isinstance(rule, BlockOn) else rule.count(keys, codes)
    )
    counts = (pairs, blocks - blocks_cut, largest, blocks_cut, pairs_cut, rows_cut)
    return codes, counts, capped_rows


def _link_plan(
    rule: BlockOn,
    keys: KeyCodes,
    max_block_pairs: int | None,
    forced: NDArray[np.bool_] | None = None,
) -> RulePlan:
    """An exact rule in link mode: join the two tables' group indexes on their hashes.

    Only the distinct right-hand hashes are searched among the left-hand ones;
    no joint codes are made and no table is sorted again once its index is cached.
    """
    left, right = keys.group_index(rule.keys)
    last = right.last_join
    if last is not None and last[0] is left and last[1] == max_block_pairs and forced is None:
        # the same two tables joined again (count_pairs, then candidate_pairs, then analysis)
        _, _, counts, first, count = last  # only joins that cut nothing are kept
        return RulePlan(
            rule, keys, max_block_pairs, counts, join=Join.from_groups(left.rows, first, count)
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
    cut = (
        per_block > max_block_pairs
        if max_block_pairs is not None
        else np.zeros(len(per_block), dtype=bool)
    )
    if forced is not None and len(position):
        # a placeholder key: every row of the left group holds it, so its first row tells
        cut |= forced[left.rows[left.offsets[position]]]
    group = right.row_group()
    capped_rows = None
    if cut.any():
        blocks_cut = int(cut.sum())
        pairs_cut = int(per_block[cut].sum())
        rows_cut = int(n_left[cut].sum() + n_right[cut].sum())
        group_cut = np.zeros(len(right.hashes) + 1, dtype=bool)
        group_cut[matched[cut]] = True
        capped_rows = group_cut[group]
        keep = ~cut
        matched, position, n_left = matched[keep], position[keep], n_left[keep]
    # per right-hand group (and one more for rows missing the key): where its partners start
    small = np.int32 if len(left.rows) < np.iinfo(np.int32).max else np.int64
    start = np.zeros(len(right.hashes) + 1, dtype=small)  # kept per record and rule: small
    size = np.zeros(len(right.hashes) + 1, dtype=small)
    start[matched] = left.offsets[position]
    size[matched] = n_left
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
    if forced is None and capped_rows is None:
        right.last_join = (left, max_block_pairs, counts, first, count)
    join = Join.from_groups(left.rows, first, count)
    return RulePlan(rule, keys, max_block_pairs, counts, join=join, capped_rows=capped_rows)


def _dedupe_plan(
    rule: BlockOn,
    keys: KeyCodes,
    max_block_pairs: int | None,
    forced: NDArray[np.bool_] | None = None,
) -> RulePlan:
    """An exact rule in dedupe mode: each row pairs with the later rows of its group."""
    (index,) = keys.group_index(rule.keys)
    sizes = index.sizes()
    per_block = sizes * (sizes - 1) // 2
    largest = int(per_block.max()) if len(per_block) else 0
    blocks_cut = pairs_cut = rows_cut = 0
    ends = index.offsets[1:].astype(np.int64)
    cut = (
        per_block > max_block_pairs
        if max_block_pairs is not None
        else np.zeros(len(per_block), dtype=bool)
    )
    if forced is not None and len(per_block):
        cut |= forced[index.rows[index.offsets[:-1]]]
    capped_rows = None
    if cut.any():
        blocks_cut = int(cut.sum())
        pairs_cut = int(per_block[cut].sum())
        rows_cut = int(sizes[cut].sum())
        ends = np.where(cut, index.offsets[:-1], ends)  # a cut group pairs nothing
        capped_rows = np.zeros(keys.n_probe, dtype=bool)
        capped_rows[index.rows] = np.repeat(cut, sizes)
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
    join = Join.from_groups(index.rows, first, count)
    return RulePlan(rule, keys, max_block_pairs, counts, join=join, capped_rows=capped_rows)


def plan_rules(
    rules: list[BlockingRule],
    keys: KeyCodes,
    max_block_pairs: int | None,
    skip: Mapping[str, Any] | None = None,
) -> list[RulePlan]:
    """Each rule's counts after the block-size cap, and how to make its pairs (internal).

    ``skip`` maps a rule name to the stable 64-bit keys (:meth:`BlockingRule.row_keys`)
    of placeholder values: their blocks are cut whatever their size.
    """
    check_cap(max_block_pairs)
    plans = []
    for rule in rules:
        skipped = None if not skip else skip.get(rule.name)
        forced = None
        if skipped is not None and len(skipped):
            forced = _placeholder_rows(rule, keys, np.asarray(skipped, dtype=np.uint64))
        if isinstance(rule, BlockOn):
            make = _dedupe_plan if keys.dedupe else _link_plan
            side = None if forced is None else forced[: keys.n_target]
            plans.append(make(rule, keys, max_block_pairs, side))
            plans[-1].forced = forced
        else:
            codes, counts, capped_rows = cut_blocks(rule, keys, max_block_pairs, forced)
            plans.append(
                RulePlan(
                    rule,
                    keys,
                    max_block_pairs,
                    counts,
                    codes=codes,
                    capped_rows=capped_rows,
                    forced=forced,
                )
            )
    return plans


def _placeholder_rows(
    rule: BlockingRule, keys: KeyCodes, skipped: NDArray[np.uint64]
) -> NDArray[np.bool_]:
    """Joint rows (left, then right) whose key of ``rule`` is one of ``skipped``."""
    parts = []
    sides = [(keys.left, False)] if keys.right is None else [(keys.left, False), (keys.right, True)]
    for table, probe in sides:
        found = rule.probe_keys(table) if probe else rule.row_keys(table)
        parts.append(np.isin(np.asarray(found.keys, dtype=np.uint64), skipped) & found.present)
    if keys.right is None:
        parts.append(parts[0])
    return np.concatenate(parts)


def placeholder_keys(
    rules: Sequence[BlockingRule], registry: Any, *, min_rows: int, share: float
) -> dict[str, list[int]]:
    """Per exact rule, the stable keys held by more than ``max(min_rows, share * n)`` rows."""
    table = as_table(registry)
    limit = max(int(min_rows), int(share * table.n_rows))
    found: dict[str, list[int]] = {}
    if table.n_rows <= limit:
        return found
    for rule in rules:
        if not isinstance(rule, BlockOn):
            continue
        big = rule.crowded_keys(table, limit)
        if big:
            found[rule.name] = big
    return found


class Join:
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
        self.first: NDArray[np.integer[Any]] = np.zeros(len(probe), dtype=np.int64)
        self.count: NDArray[np.integer[Any]] = np.zeros(len(probe), dtype=np.int64)
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
        cls, order: NDArray[np.integer[Any]], first: NDArray[np.integer[Any]],
        count: NDArray[np.integer[Any]]
    ) -> Join:
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
        self, start: int, stop: int, count: NDArray[np.integer[Any]], total: int
    ) -> NDArray[np.int64]:
        shift = self.first[start:stop] - (np.cumsum(count) - count)
        positions = np.repeat(shift, count)
        positions += np.arange(total, dtype=np.int64)
        return positions


def plan_blocking(
    rules: Rules,
    left: Any,
    right: Any,
    max_block_pairs: int | None,
    skip: Mapping[str, Any] | None = None,
) -> tuple[KeyCodes, list[RulePlan]]:
    rule_list = as_rules(rules)
    left_table = as_table(left)
    right_table = None if right is None else as_table(right)
    keys = KeyCodes(left_table, right_table)
    return keys, plan_rules(rule_list, keys, max_block_pairs, skip)


def capped_rows(keys: KeyCodes, plans: Sequence[RulePlan]) -> NDArray[np.bool_] | None:
    """Per probe row, whether any rule cut one of its blocks (``None`` when none was cut)."""
    out = None
    for plan in plans:
        if plan.capped_rows is not None:
            out = plan.capped_rows.copy() if out is None else out | plan.capped_rows
    return out


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


def generate(
    keys: KeyCodes, plans: list[RulePlan], chunk_pairs: int | None
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
        else [Join(c, n_target, keys.dedupe) for c in plan.rule.components(keys, plan.codes)]
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


def blocking_report(
    keys: KeyCodes,
    plans: Sequence[RulePlan],
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

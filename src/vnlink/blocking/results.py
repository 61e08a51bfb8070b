"""What blocking returns: :class:`CandidatePairs` and the :class:`BlockingReport` of a run.

>>> from vnlink.blocking import block_on, candidate_pairs
>>> pairs = candidate_pairs(block_on("y"), {"y": [1980, 1990]}, {"y": [1980]})
>>> pairs
CandidatePairs(1 pairs, link, rules=['y'])
>>> pairs.report.rules[0].pairs
1
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink.exceptions import ConfigurationError
from vnlink.table import Table

__all__ = ["BlockingReport", "CandidatePairs", "RuleReport"]


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

    >>> from vnlink.blocking import block_on, candidate_pairs
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

    def cuts(self) -> dict[str, int]:
        """Pairs cut per rule, for the rules that cut any (counts only, no key values).

        >>> from vnlink.blocking import block_on, candidate_pairs
        >>> report = candidate_pairs(block_on("y"), {"y": [1, 1, 1]}, {"y": [1, 1]},
        ...                          max_block_pairs=5).report
        >>> report.cuts()
        {'y': 6}
        """
        return {r.rule: r.pairs_cut for r in self.rules if r.blocks_cut}

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
    capped
        Per right-hand row (per row in dedupe mode): whether a block of it was
        cut (too many pairs, or a placeholder key); ``None`` when nothing was cut.
    """

    left: NDArray[np.int64]
    right: NDArray[np.int64]
    rule: NDArray[np.int8]
    rule_names: tuple[str, ...]
    n_left: int
    n_right: int
    dedupe: bool = False
    report: BlockingReport | None = field(default=None, repr=False)
    capped: NDArray[np.bool_] | None = field(default=None, repr=False)

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

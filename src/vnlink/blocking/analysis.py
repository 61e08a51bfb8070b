"""How many pairs will the rules make, and how many true matches do they keep?

- :func:`count_pairs` — pairs per rule and cumulative, from key counts only,
  before any pair is made (so a rule that would make 10^11 pairs is caught
  in a second).
- :func:`analyse_blocking` — with known true pairs: pairs completeness
  (recall) and reduction ratio, per rule and cumulative.

The cumulative counts are exact: the pairs a rule adds to the earlier ones
follow by inclusion–exclusion from counts of the *intersections* of rules,
and an intersection of blocking rules is itself a join on the combined keys,
counted from key frequencies.

Examples
--------
>>> from vnlink.blocking import block_on
>>> left = {"phone": ["0912", "0912", ""], "dob_year": [1980, 1980, 1990]}
>>> right = {"phone": ["0912", "0988"], "dob_year": [1980, 1990]}
>>> report = count_pairs([block_on("phone"), block_on("dob_year")], left, right)
>>> [(r.rule, r.pairs, r.new_pairs, r.cumulative_pairs) for r in report.rules]
[('phone', 2, 2, 2), ('dob_year', 3, 1, 3)]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink.blocking._engine import RulePlan, blocking_report, generate, plan_blocking
from vnlink.blocking.pairs import DEFAULT_MAX_BLOCK_PAIRS as _DEFAULT_CAP
from vnlink.blocking.results import BlockingReport
from vnlink.blocking.rules import BlockingRule, BlockOn, Codes, Key, KeyCodes, as_rules
from vnlink.exceptions import ConfigurationError, SchemaError
from vnlink.table import as_table

__all__ = ["BlockingAnalysis", "RuleRecall", "analyse_blocking", "count_pairs", "largest_blocks"]

_MAX_EXACT_RULES = 10
_STREAM_LIMIT = 20_000_000  # below this many pairs (rules summed), count by streaming them

_Rules = BlockingRule | str | Iterable[Any] | None


def _compact_state(
    rows: NDArray[np.int64], codes: Codes, n_target: int
) -> tuple[NDArray[np.int64], Codes]:
    """Keep the joint rows whose code occurs on both sides; make the codes compact."""
    if len(rows) == 0:
        return rows, codes
    _, codes = np.unique(codes, return_inverse=True)
    codes = codes.reshape(-1).astype(np.int64)
    size = int(codes.max()) + 1
    is_target = rows < n_target
    on_target = np.bincount(codes[is_target], minlength=size) > 0
    on_probe = np.bincount(codes[~is_target], minlength=size) > 0
    keep = (on_target & on_probe)[codes]
    return rows[keep], codes[keep]


def _count_state(rows: NDArray[np.int64], codes: Codes, keys: KeyCodes) -> int:
    """Ordered pairs (target, probe) with equal codes; self pairs excluded in dedupe mode."""
    if len(rows) == 0:
        return 0
    n_target = keys.n_target
    size = int(codes.max()) + 1
    is_target = rows < n_target
    nt = np.bincount(codes[is_target], minlength=size).astype(np.int64)
    npr = np.bincount(codes[~is_target], minlength=size).astype(np.int64)
    total = int((nt * npr).sum())
    if keys.dedupe:
        mark = np.full(n_target, -1, dtype=np.int64)
        mark[rows[is_target]] = codes[is_target]
        probe_rows = rows[~is_target] - n_target
        total -= int(np.count_nonzero(mark[probe_rows] == codes[~is_target]))
    return total


def _intersection_counts(keys: KeyCodes, components: list[list[Codes]]) -> dict[int, int]:
    """Pairs in the intersection of every non-empty subset of rules (bitmask -> count).

    In dedupe mode the components are the ordered (both orientations) joins and
    counts are halved at the end.
    """
    n_target = keys.n_target
    counts: dict[int, int] = {}
    n_rules = len(components)

    def visit(mask: int, last: int, states: list[tuple[NDArray[np.int64], Codes]]) -> None:
        for index in range(last + 1, n_rules):
            child: list[tuple[NDArray[np.int64], Codes]] = []
            for rows, codes in states:
                for component in components[index]:
                    extra = component[rows]
                    valid = extra >= 0
                    if not valid.any():
                        continue
                    sub_rows, a, b = rows[valid], codes[valid], extra[valid]
                    width = int(b.max()) + 1
                    merged = a * width + b
                    new_rows, new_codes = _compact_state(sub_rows, merged, n_target)
                    if len(new_rows):
                        child.append((new_rows, new_codes))
            child_mask = mask | (1 << index)
            counts[child_mask] = sum(_count_state(r, c, keys) for r, c in child)
            if child:
                visit(child_mask, index, child)

    all_rows = np.arange(keys.n_target + keys.n_probe, dtype=np.int64)
    for index in range(n_rules):
        states = []
        for component in components[index]:
            valid = component >= 0
            rows, codes = _compact_state(all_rows[valid], component[valid], n_target)
            if len(rows):
                states.append((rows, codes))
        counts[1 << index] = sum(_count_state(r, c, keys) for r, c in states)
        if states:
            visit(1 << index, index, states)
    return counts


def _ordered_components(keys: KeyCodes, plan: RulePlan) -> list[Codes]:
    """The rule's joins as ordered-pair conditions (both orientations in dedupe mode)."""
    parts = plan.rule.components(keys, plan.codes)
    if not keys.dedupe or len(parts) == 1:
        return parts
    # sorted neighbourhood: shifts +d and -d are both present already; that is symmetric
    return parts


def _cumulative(keys: KeyCodes, plans: list[RulePlan]) -> list[int]:
    components = [_ordered_components(keys, plan) for plan in plans]
    counts = _intersection_counts(keys, components)
    divisor = 2 if keys.dedupe else 1
    new_pairs = []
    for k in range(len(plans)):
        total = 0
        for subset in range(1 << k):
            sign = -1 if bin(subset).count("1") % 2 else 1
            total += sign * counts.get(subset | (1 << k), 0)
        new_pairs.append(total // divisor)
    return new_pairs


def count_pairs(
    rules: _Rules,
    left: Any,
    right: Any = None,
    *,
    max_block_pairs: int | None = _DEFAULT_CAP,
) -> BlockingReport:
    """Pairs each rule would make, alone and cumulative, without making them.

    Parameters
    ----------
    rules, left, right, max_block_pairs
        As for :func:`~vnlink.blocking.candidate_pairs`.

    Returns
    -------
    BlockingReport
        Per rule: ``pairs`` (alone), ``new_pairs`` (not made by an earlier
        rule), ``cumulative_pairs``, block counts and what the cap cut. The
        same numbers ``candidate_pairs(...).report`` gives after the fact.

    Notes
    -----
    Per-rule counts are sums over keys of ``n_left * n_right``: no pair is
    made. When the rules together make more than 20 million pairs, the
    cumulative counts use inclusion–exclusion over the intersections of rules
    (each a join on combined keys, restricted to rows that still have a
    partner), again without making pairs. Below that (or with more than 10
    rules) the pairs are streamed through in chunks of 5 million and only
    counted, which is faster; memory stays bounded either way.

    Examples
    --------
    >>> from vnlink.blocking import block_on
    >>> people = {"given_key": ["an", "an", "an", "binh"]}
    >>> count_pairs(block_on("given_key"), people).total_pairs      # dedupe: 3 pairs of "an"
    3
    """
    keys, plans = plan_blocking(rules, left, right, max_block_pairs)
    return _report(keys, plans, max_block_pairs)


def _report(keys: KeyCodes, plans: list[RulePlan], max_block_pairs: int | None) -> BlockingReport:
    raw_total = sum(plan.pairs for plan in plans)
    if len(plans) == 1:
        new_pairs = [plans[0].pairs]
    elif raw_total <= _STREAM_LIMIT or len(plans) > _MAX_EXACT_RULES:
        # few enough pairs to stream through in bounded chunks, which is faster
        # than inclusion-exclusion; nothing is kept
        counts = np.zeros(len(plans), dtype=np.int64)
        for chunk in generate(keys, plans, 5_000_000):
            counts += np.bincount(chunk.rule.astype(np.int64), minlength=len(plans))
        new_pairs = counts.tolist()
    else:
        new_pairs = _cumulative(keys, plans)
    return blocking_report(keys, plans, new_pairs, max_block_pairs)


@dataclass(frozen=True)
class RuleRecall:
    """True pairs found by one rule (see :class:`BlockingAnalysis`)."""

    rule: str
    pairs: int
    cumulative_pairs: int
    true_pairs: int
    new_true_pairs: int
    cumulative_recall: float
    cumulative_reduction_ratio: float


@dataclass(frozen=True, eq=False)
class BlockingAnalysis:
    """Recall and pair counts of a set of blocking rules against known true pairs.

    Attributes
    ----------
    rules
        One :class:`RuleRecall` per rule, in order.
    report
        The :class:`~vnlink.blocking.BlockingReport` of :func:`count_pairs`.
    n_true
        True pairs given.
    pairs_completeness
        Share of the true pairs among the candidate pairs (recall of blocking).
    reduction_ratio
        ``1 - candidate pairs / all pairs``.
    pairs_quality
        Share of the candidate pairs that are true pairs.
    missed
        Indices (into the true pairs as given) of the true pairs no rule found.
    """

    rules: tuple[RuleRecall, ...]
    report: BlockingReport
    n_true: int
    pairs_completeness: float
    reduction_ratio: float
    pairs_quality: float
    missed: NDArray[np.int64]

    @property
    def pairs_per_record(self) -> float:
        """Mean candidates per right-hand record."""
        return self.report.pairs_per_record

    def to_dicts(self) -> list[dict[str, Any]]:
        """One plain dict per rule."""
        return [dict(vars(r)) for r in self.rules]

    def __str__(self) -> str:
        head = ("rule", "pairs", "cumulative", "true found", "new true", "recall")
        rows = [
            (
                r.rule,
                f"{r.pairs:,}",
                f"{r.cumulative_pairs:,}",
                f"{r.true_pairs:,}",
                f"{r.new_true_pairs:,}",
                f"{r.cumulative_recall:.4f}",
            )
            for r in self.rules
        ]
        widths = [max(len(x) for x in col) for col in zip(head, *rows, strict=False)]
        lines = [
            "  ".join(x.ljust(w) for x, w in zip(row, widths, strict=True)).rstrip()
            for row in (head, *rows)
        ]
        lines.append(
            f"pairs completeness {self.pairs_completeness:.4f} of {self.n_true:,} true pairs, "
            f"{self.pairs_per_record:.1f} candidates per record, "
            f"reduction ratio {self.reduction_ratio:.6f}"
        )
        return "\n".join(lines)


def _truth_rows(
    truth: Any,
    keys: KeyCodes,
    truth_left: str,
    truth_right: str,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """True pairs as (left rows, right rows)."""
    if isinstance(truth, tuple) and len(truth) == 2:
        left_rows = np.asarray(truth[0], dtype=np.int64).reshape(-1)
        right_rows = np.asarray(truth[1], dtype=np.int64).reshape(-1)
        if len(left_rows) != len(right_rows):
            raise ConfigurationError("truth pairs: the two index arrays must have equal length")
        if len(left_rows) and (
            left_rows.min() < 0
            or left_rows.max() >= keys.n_target
            or right_rows.min() < 0
            or right_rows.max() >= keys.n_probe
        ):
            raise ConfigurationError("truth pairs: row indices out of range of the tables")
        return left_rows, right_rows
    if keys.dedupe and isinstance(truth, (np.ndarray, list)) and len(truth) == keys.n_target:
        return _pairs_from_labels(truth)
    table = as_table(truth)
    right = keys.left if keys.right is None else keys.right
    for name, side in ((truth_left, keys.left), (truth_right, right)):
        if "record_id" not in side:
            raise SchemaError(
                "a truth table needs tables with a record_id column (prepare() adds it); "
                "or pass truth as (left_rows, right_rows)"
            )
        if name not in table:
            raise SchemaError(
                f"the truth table has no column {name!r}; it has: {', '.join(table.column_names)}; "
                "set truth_left= and truth_right="
            )
    left_pos = {v: i for i, v in enumerate(keys.left["record_id"].tolist())}
    right_pos = {v: i for i, v in enumerate(right["record_id"].tolist())}
    pairs = [
        (left_pos.get(_as_id(a)), right_pos.get(_as_id(b)))
        for a, b in zip(table[truth_left].tolist(), table[truth_right].tolist(), strict=True)
    ]
    found = [(a, b) for a, b in pairs if a is not None and b is not None]
    left_rows = np.asarray([a for a, _ in found], dtype=np.int64)
    right_rows = np.asarray([b for _, b in found], dtype=np.int64)
    return left_rows, right_rows


def _as_id(value: Any) -> Any:
    return None if value is None or value == "" else str(value)


def _pairs_from_labels(labels: Any) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """All pairs i < j of rows with the same (non-empty) entity label."""
    values = [None if v is None or v == "" else v for v in list(labels)]
    groups: dict[Any, list[int]] = {}
    for i, v in enumerate(values):
        if v is not None:
            groups.setdefault(v, []).append(i)
    left: list[int] = []
    right: list[int] = []
    for members in groups.values():
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                left.append(members[a])
                right.append(members[b])
    return np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64)


def analyse_blocking(
    rules: _Rules,
    left: Any,
    right: Any,
    truth: Any,
    *,
    truth_left: str = "person_id",
    truth_right: str = "record_id",
    max_block_pairs: int | None = _DEFAULT_CAP,
) -> BlockingAnalysis:
    """Pairs completeness (recall) and reduction ratio of ``rules``, per rule and cumulative.

    Parameters
    ----------
    rules, left, right, max_block_pairs
        As for :func:`~vnlink.blocking.candidate_pairs` (``right=None`` for dedupe).
    truth
        The true pairs: ``(left_rows, right_rows)`` index arrays; or a table
        whose column ``truth_left`` holds the left ``record_id`` and
        ``truth_right`` the right ``record_id`` of each true pair (empty = no
        match), such as the ``truth`` of
        :func:`vnlink.datasets.synthetic_linkage`; in dedupe mode also an
        entity label per row.
    truth_left, truth_right
        Column names in a truth table.

    Returns
    -------
    BlockingAnalysis

    Examples
    --------
    >>> from vnlink.blocking import block_on
    >>> left = {"record_id": ["a", "b", "c"], "phone": ["0912", "0988", ""],
    ...         "dob_year": [1980, 1990, 1985]}
    >>> right = {"record_id": ["r1", "r2"], "phone": ["0912", ""], "dob_year": [1980, 1985]}
    >>> truth = {"person_id": ["a", "c"], "record_id": ["r1", "r2"]}
    >>> result = analyse_blocking(["phone", "dob_year"], left, right, truth)
    >>> [(r.rule, r.new_true_pairs, r.cumulative_recall) for r in result.rules]
    [('phone', 1, 0.5), ('dob_year', 1, 1.0)]
    >>> result.reduction_ratio
    0.6666666666666667
    """
    keys, plans = plan_blocking(rules, left, right, max_block_pairs)
    report = _report(keys, plans, max_block_pairs)
    left_rows, right_rows = _truth_rows(truth, keys, truth_left, truth_right)
    if keys.dedupe:
        targets = np.maximum(left_rows, right_rows)
        probes = np.minimum(left_rows, right_rows)
        distinct = left_rows != right_rows
    else:
        targets, probes = left_rows, right_rows
        distinct = np.ones(len(left_rows), dtype=bool)
    n_true = len(left_rows)
    first = np.full(n_true, -1, dtype=np.int64)
    found_by: list[int] = []
    for index, plan in enumerate(plans):
        if plan.join is not None and isinstance(plan.rule, BlockOn) and not keys.dedupe:
            # link mode, exact rule: equal key hashes, neither missing, block not cut
            (left_hash, left_missing), (right_hash, right_missing) = keys.side_hashes(
                plan.rule.keys
            )
            hit = left_hash[targets] == right_hash[probes]
            hit &= ~left_missing[targets]
            hit &= ~right_missing[probes]
            hit &= plan.join.count[probes] > 0
        else:
            hit = np.zeros(n_true, dtype=bool)
            for component in plan.rule.components(keys, plan.codes):
                t, p = component[targets], component[keys.n_target + probes]
                hit |= (t >= 0) & (t == p)
        hit &= distinct
        found_by.append(int(hit.sum()))
        first[(first < 0) & hit] = index
    new_true = np.bincount(first[first >= 0], minlength=len(plans)).tolist()
    cumulative_true = np.cumsum(new_true).tolist() if plans else []
    all_pairs = report.all_pairs
    rule_recalls = tuple(
        RuleRecall(
            rule=plan.rule.name,
            pairs=plan.pairs,
            cumulative_pairs=report.rules[i].cumulative_pairs,
            true_pairs=found_by[i],
            new_true_pairs=int(new_true[i]),
            cumulative_recall=cumulative_true[i] / n_true if n_true else 0.0,
            cumulative_reduction_ratio=(
                1.0 - report.rules[i].cumulative_pairs / all_pairs if all_pairs else 0.0
            ),
        )
        for i, plan in enumerate(plans)
    )
    found = int(np.count_nonzero(first >= 0))
    return BlockingAnalysis(
        rules=rule_recalls,
        report=report,
        n_true=n_true,
        pairs_completeness=found / n_true if n_true else 0.0,
        reduction_ratio=report.reduction_ratio,
        pairs_quality=found / report.total_pairs if report.total_pairs else 0.0,
        missed=np.flatnonzero(first < 0).astype(np.int64),
    )


def largest_blocks(
    rule: BlockingRule | str | tuple[str, ...],
    left: Any,
    right: Any = None,
    *,
    n: int = 10,
) -> list[dict[str, Any]]:
    """The ``n`` blocks of ``rule`` that make the most pairs (before any cap).

    Oversized blocks usually come from placeholders (one clinic phone for
    everyone, 01/01 as a default birthday) or very common keys; look at them
    before choosing a rule. The result holds key values — personal data — so
    it is returned to you, never logged.

    Returns
    -------
    list of dict
        ``{"key": {column: value}, "pairs", "left_rows", "right_rows"}``,
        largest first; ``right_rows`` is omitted in dedupe mode.

    Examples
    --------
    >>> left = {"phone": ["0281234567"] * 3 + ["0912345678"]}
    >>> right = {"phone": ["0281234567", "0281234567", "0912345678"]}
    >>> largest_blocks("phone", left, right, n=1)
    [{'key': {'phone': '0281234567'}, 'pairs': 6, 'left_rows': 3, 'right_rows': 2}]
    """
    (rule_object,) = as_rules([rule] if isinstance(rule, tuple) else rule)
    keys, _ = plan_blocking([rule_object], left, right, None)
    codes = rule_object.block_codes(keys)
    target, probe = codes[: keys.n_target], codes[keys.n_target :]
    size = int(codes.max()) + 1 if len(codes) and codes.max() >= 0 else 0
    n_left = np.bincount(target[target >= 0], minlength=size).astype(np.int64)
    n_right = np.bincount(probe[probe >= 0], minlength=size).astype(np.int64)
    per_block = n_left * (n_left - 1) // 2 if keys.dedupe else n_left * n_right
    top = np.argsort(-per_block, kind="stable")[: max(int(n), 0)]
    top = top[per_block[top] > 0]
    first_row = np.full(size, -1, dtype=np.int64)
    valid = np.flatnonzero(codes >= 0)
    first_row[codes[valid[::-1]]] = valid[::-1]
    columns = (
        list(rule_object.keys)
        if isinstance(rule_object, BlockOn)
        else [Key.parse(rule_object.column)]  # type: ignore[attr-defined]
    )
    out: list[dict[str, Any]] = []
    for code in top.tolist():
        row = np.asarray([first_row[code]], dtype=np.intp)
        key = {}
        for column in columns:
            value = keys._values_at(column.column, row)[0]
            key[column.name] = (
                value if not column.sliced else str(value)[column.start : column.stop]
            )
        entry: dict[str, Any] = {
            "key": key,
            "pairs": int(per_block[code]),
            "left_rows": int(n_left[code]),
        }
        if not keys.dedupe:
            entry["right_rows"] = int(n_right[code])
        out.append(entry)
    return out

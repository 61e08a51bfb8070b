"""Comparison levels as ordered objects: a label, a condition, term frequencies, a reason.

A comparison grades each pair on a ladder of levels: ``-1`` missing, ``0``
else, then closer and closer agreement up to the top. Each level is a
:class:`Level` that says what it is called, what puts a pair there, whether
the frequency of the agreed value adjusts its weight, and which reason code a
linked pair at that level carries. A comparison declares its levels once, in
order, with a :class:`Ladder`; the position of a level in that list *is* its
number, so the code that assigns levels names them instead of counting.

Examples
--------
>>> ladder = Ladder(
...     other=Level("different", reason="sex_different"),
...     same=Level("same", exact=True),
... )
>>> ladder.same, ladder.other
(1, 0)
>>> [level.label for level in ladder.levels]
['different', 'same']
>>> ladder.levels[ladder.other].reason
'sex_different'
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from vnlink.exceptions import ConfigurationError

__all__ = ["MISSING", "Ladder", "Level", "levels_from_labels"]


@dataclass(frozen=True)
class Level:
    """One agreement level of a comparison.

    Parameters
    ----------
    label
        Short name shown in reports and model files (``"day/month swapped"``).
    condition
        What puts a pair at this level, in words.
    tf
        Whether the term-frequency adjustment applies here (the pair agreed on
        one value, so how common that value is matters). Only used when the
        comparison has a ``tf_column``.
    reason
        The reason code (see :data:`vnlink.reason_texts.REASON_TEXTS`) a linked
        pair at this level carries; ``None`` when there is nothing to say.
    exact
        The values agree as written: no correction is offered.

    Examples
    --------
    >>> Level("exact", "same display form", tf=True, exact=True)
    Level(label='exact', condition='same display form', tf=True, reason=None, exact=True)
    """

    label: str
    condition: str = ""
    tf: bool = False
    reason: str | None = None
    exact: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.label, str) or not self.label:
            raise ConfigurationError("a level needs a non-empty label (a str)")
        if not isinstance(self.condition, str):
            raise ConfigurationError("a level's condition must be a str")
        if self.reason is not None and (not isinstance(self.reason, str) or not self.reason):
            raise ConfigurationError("a level's reason must be a reason code (a str) or None")


#: The ``-1`` level of a comparison that says nothing about a missing value.
MISSING = Level("missing", "a value is missing on either side")


class Ladder:
    """The levels of a comparison in order, each reachable by a name: its position.

    Keyword arguments are the levels from ``0`` (else) to the top; the
    keyword becomes an attribute holding the level's number, so
    ``levels[mask] = ladder.swapped`` needs no hand-kept constant.

    Examples
    --------
    >>> ladder = Ladder(other=Level("else"), close=Level("close"), exact=Level("exact"))
    >>> ladder.close, len(ladder), ladder.top
    (1, 3, 2)
    >>> ladder.nearby
    Traceback (most recent call last):
    ...
    AttributeError: no level named 'nearby'; levels: other, close, exact
    """

    def __init__(self, **levels: Level) -> None:
        if len(levels) < 2:
            raise ConfigurationError("a comparison needs at least two levels (else and a match)")
        for key, level in levels.items():
            if not isinstance(level, Level):
                raise ConfigurationError(
                    f"level {key!r} must be a Level, got {type(level).__name__}"
                )
        self._positions = {key: i for i, key in enumerate(levels)}
        self.levels: tuple[Level, ...] = tuple(levels.values())

    def __getattr__(self, key: str) -> int:
        positions = self.__dict__.get("_positions", {})
        if key in positions:
            return int(positions[key])
        raise AttributeError(f"no level named {key!r}; levels: {', '.join(positions)}")

    def __len__(self) -> int:
        return len(self.levels)

    def __iter__(self) -> Iterator[Level]:
        return iter(self.levels)

    @property
    def top(self) -> int:
        """The number of the top level."""
        return len(self.levels) - 1

    def __repr__(self) -> str:
        return f"Ladder({', '.join(f'{k}={lv.label!r}' for k, lv in self._positions_items())})"

    def _positions_items(self) -> Iterator[tuple[str, Level]]:
        for key, i in self._positions.items():
            yield key, self.levels[i]


def levels_from_labels(
    labels: tuple[str, ...], tf_levels: tuple[int, ...] = (), *, else_reason: str | None = None
) -> tuple[Level, ...]:
    """Levels for a comparison that only gives labels: the top one exact.

    >>> [(lv.label, lv.tf, lv.exact) for lv in levels_from_labels(("no", "yes"), (1,))]
    [('no', False, False), ('yes', True, True)]
    """
    top = len(labels) - 1
    return tuple(
        Level(
            str(label),
            tf=i in tf_levels,
            reason=else_reason if i == 0 else None,
            exact=i == top,
        )
        for i, label in enumerate(labels)
    )

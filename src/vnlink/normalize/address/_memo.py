"""Bounded memos for the address parser: results kept by the folded words alone when
no diacritic took part in them, by words and diacritics otherwise."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

__all__ = []

V = TypeVar("V")


class _Memo(Generic[V]):
    """Results by key; starts over when it holds ``limit`` entries (memory stays bounded).

    Only the folded words of a text decide most readings; diacritics matter only where
    a name is shared by several units ("Sa Pa" / "Sa Pả"). A result is kept under its
    key alone when no such name was met while making it, so every way of writing the
    same words with or without diacritics shares it; else under key and diacritics.

    Examples
    --------
    >>> memo: _Memo[int] = _Memo(limit=4)
    >>> memo.put(("ha", "noi"), ("Hà", "Nội"), 1, accented=False)
    >>> memo.get(("ha", "noi"), ("Ha", "Noi"))
    (1, False)
    >>> memo.put(("sa", "pa"), ("Sa", "Pa"), 2, accented=True)
    >>> memo.get(("sa", "pa"), ("Sa", "Pả")) is None
    True
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._blind: dict[Hashable, V | None] = {}  # None: look in _marked
        self._marked: dict[tuple[Hashable, Hashable], V] = {}

    def get(self, key: Hashable, accents: Hashable) -> tuple[V, bool] | None:
        """``(result, accented)`` kept for ``key`` written with ``accents``, or ``None``."""
        try:
            hit = self._blind[key]
        except KeyError:
            return None
        if hit is not None:
            return hit, False
        marked = self._marked.get((key, accents))
        return None if marked is None else (marked, True)

    def put(self, key: Hashable, accents: Hashable, value: V, *, accented: bool) -> None:
        """Keep ``value``; ``accented``: the diacritics took part in making it."""
        if len(self._blind) >= self.limit or len(self._marked) >= self.limit:
            self.cache_clear()
        if accented:
            self._blind[key] = None
            self._marked[(key, accents)] = value
        else:
            self._blind[key] = value

    def cache_clear(self) -> None:
        """Forget everything (as ``functools.lru_cache`` does)."""
        self._blind.clear()
        self._marked.clear()

    def cache_info(self) -> tuple[int, int]:
        """``(entries by words alone, entries by words and diacritics)``."""
        return len(self._blind), len(self._marked)

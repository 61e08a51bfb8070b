"""Normalizers for the fields of a Vietnamese person record.

Each is a pure scalar function (``str | None`` in, value out, never raising
on data) with a bulk form over arrays that processes each distinct value once.
"""

__all__: list[str] = []

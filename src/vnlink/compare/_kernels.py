"""Bulk kernels shared by the comparisons (private): string scores, digit differences, dates.

>>> import numpy as np
>>> vocab = np.array(["", "nguyen van an", "nguyen van anh"], dtype=object)
>>> [round(float(s), 3) for s in jaro_winkler(vocab, np.array([1, 1]), np.array([1, 2]))]
[1.0, 0.986]
>>> digits = digit_matrix(np.array(["", "123456789", "123456798"], dtype=object), 9)
>>> differences(digits[[1, 1]], digits[[1, 2]]).tolist()
[0, 2]
>>> adjacent_transposition(digits[[1]], digits[[2]]).tolist()
[True]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler, Levenshtein

__all__ = [
    "adjacent_transposition",
    "damerau_levenshtein",
    "day_number",
    "decimal_digits",
    "differences",
    "digit_matrix",
    "jaro_winkler",
    "levenshtein",
    "nibble_differences",
    "packed_digits",
    "pair_scores",
    "string_lengths",
    "threshold_levels",
]

Codes = NDArray[np.integer[Any]]
_DEDUP_MIN = 20_000  # below this many pairs, score directly
_DEDUP_SHARE = 0.7  # score distinct pairs only when fewer than this share are distinct
_HASH = np.uint64(0x9E3779B97F4A7C15)


def _distinct_share(keys: NDArray[np.int64]) -> float:
    """Estimated share of distinct values in ``keys``, from a 1/16 slice of the key space.

    All copies of a key fall in the same slice, so the slice's share of distinct
    values estimates the whole's (a plain sample would miss most duplicates).
    """
    with np.errstate(over="ignore"):
        mixed = keys.view(np.uint64) * _HASH
    part = keys[(mixed >> np.uint64(60)) == 0]
    if len(part) < 64:
        part = keys
    return len(np.unique(part)) / max(1, len(part))


def pair_scores(
    vocab: NDArray[np.object_],
    a: Codes,
    b: Codes,
    scorer: Callable[..., Any],
    *,
    workers: int = 1,
    dtype: Any = np.float32,
    symmetric: bool = True,
) -> NDArray[Any]:
    """``scorer(vocab[a[i]], vocab[b[i]])`` for every ``i``, via ``rapidfuzz.process.cpdist``.

    When the pairs repeat (judged on a sample), each distinct pair of codes is
    scored once.
    """
    n = len(a)
    if n == 0:
        return np.zeros(0, dtype=dtype)
    a64 = a.astype(np.int64, copy=False)
    b64 = b.astype(np.int64, copy=False)
    if symmetric:
        a64, b64 = np.minimum(a64, b64), np.maximum(a64, b64)
    if n >= _DEDUP_MIN:
        size = np.int64(len(vocab))
        keys = a64 * size + b64
        if _distinct_share(keys) < _DEDUP_SHARE:
            uniq, inverse = np.unique(keys, return_inverse=True)
            scores = process.cpdist(
                vocab[uniq // size], vocab[uniq % size], scorer=scorer, workers=workers,
                dtype=dtype,
            )
            out: NDArray[Any] = scores[inverse.reshape(-1)]
            return out
    result: NDArray[Any] = process.cpdist(
        vocab[a64], vocab[b64], scorer=scorer, workers=workers, dtype=dtype
    )
    return result


def jaro_winkler(
    vocab: NDArray[np.object_], a: Codes, b: Codes, *, workers: int = 1
) -> NDArray[np.float32]:
    """Jaro-Winkler similarity (prefix weight 0.1) of code pairs, in [0, 1]."""
    return pair_scores(
        vocab, a, b, JaroWinkler.normalized_similarity, workers=workers, dtype=np.float32
    )


def levenshtein(
    vocab: NDArray[np.object_], a: Codes, b: Codes, *, workers: int = 1
) -> NDArray[np.int32]:
    """Levenshtein distance of code pairs."""
    return pair_scores(vocab, a, b, Levenshtein.distance, workers=workers, dtype=np.int32)


def damerau_levenshtein(
    vocab: NDArray[np.object_], a: Codes, b: Codes, *, workers: int = 1
) -> NDArray[np.int32]:
    """Damerau-Levenshtein distance (adjacent transpositions cost 1) of code pairs."""
    return pair_scores(vocab, a, b, DamerauLevenshtein.distance, workers=workers, dtype=np.int32)


def threshold_levels(
    raw: NDArray[Any], thresholds: tuple[float, ...], *, similarity: bool = True
) -> NDArray[np.int8]:
    """Level ``i`` (from 1) where ``raw`` reaches ``thresholds[i - 1]``, the last reached wins.

    A similarity reaches a threshold at or above it, a distance at or below it.

    >>> import numpy as np
    >>> threshold_levels(np.array([0.5, 0.85, 0.95]), (0.8, 0.9)).tolist()
    [0, 1, 2]
    >>> threshold_levels(np.array([0, 1, 3]), (2, 1), similarity=False).tolist()
    [2, 2, 0]
    """
    out = np.zeros(len(raw), dtype=np.int8)
    for level, threshold in enumerate(thresholds, start=1):
        out[raw >= threshold if similarity else raw <= threshold] = level
    return out


def string_lengths(vocab: NDArray[np.object_]) -> NDArray[np.int32]:
    """Length of each vocabulary string."""
    return np.fromiter(map(len, vocab.tolist()), dtype=np.int32, count=len(vocab))


def digit_matrix(vocab: NDArray[np.object_], width: int) -> NDArray[np.uint8]:
    """Vocabulary strings as a ``(len(vocab), width)`` byte matrix, right-padded with 0.

    Characters beyond ``width`` are dropped; non-ASCII characters become ``?``.
    """
    if len(vocab) == 0:
        return np.zeros((0, width), dtype=np.uint8)
    points = np.array(vocab.tolist(), dtype=f"<U{width}").view(np.uint32)
    points = points.reshape(len(vocab), width)
    out: NDArray[np.uint8] = np.where(points < 128, points, ord("?")).astype(np.uint8)
    return out


_NIBBLES = np.uint64(0x1111111111111111)


def packed_digits(matrix: NDArray[np.uint8]) -> NDArray[np.uint64]:
    """Rows of a :func:`digit_matrix` (up to 16 characters) packed 4 bits a character.

    Digits keep their value; any other character becomes 10-15 (``ord % 6 + 10``),
    padding 0. Two packed numbers differ in as many nibbles as the strings differ
    in characters (up to collisions between non-digit characters).

    >>> m = digit_matrix(np.array(["012", "019"], dtype=object), 3)
    >>> [hex(int(v)) for v in packed_digits(m)]
    ['0x120000000000000', '0x190000000000000']
    """
    width = min(matrix.shape[1], 16)
    chars = matrix[:, :width].astype(np.uint64)
    is_digit = (chars >= 48) & (chars <= 57)
    values = np.where(is_digit, chars - np.uint64(48), chars % np.uint64(6) + np.uint64(10))
    values[chars == 0] = 0
    shifts = np.uint64(4) * (np.uint64(15) - np.arange(width, dtype=np.uint64))
    out: NDArray[np.uint64] = np.bitwise_or.reduce(values << shifts, axis=1) if width else (
        np.zeros(len(matrix), dtype=np.uint64)
    )
    return out


def nibble_differences(left: NDArray[np.uint64], right: NDArray[np.uint64]) -> NDArray[np.int8]:
    """Number of 4-bit positions where two packed numbers differ.

    >>> m = packed_digits(digit_matrix(np.array(["0912", "0913", "9012"], dtype=object), 4))
    >>> nibble_differences(m[[0, 0]], m[[1, 2]]).tolist()
    [1, 2]
    """
    x = left ^ right
    x = (x | (x >> np.uint64(1)) | (x >> np.uint64(2)) | (x >> np.uint64(3))) & _NIBBLES
    out: NDArray[np.int8] = np.bitwise_count(x).astype(np.int8)
    return out


_UNITS = np.arange(10_000, dtype=np.uint64)
_BCD = (_UNITS % 10 | (_UNITS // 10 % 10) << np.uint64(4) | (_UNITS // 100 % 10) << np.uint64(8)
        | (_UNITS // 1000) << np.uint64(12))  # 0..9999 as four 4-bit decimal digits


def decimal_digits(*parts: tuple[NDArray[Any], int]) -> NDArray[np.uint64]:
    """The last ``width`` decimal digits of each ``(values, width)`` part, packed 4 bits each.

    Parts are written one after the other (the first part highest), so
    :func:`nibble_differences` of two packings counts the digits that differ:
    a ``DDMMYYYY`` date is ``decimal_digits((day, 2), (month, 2), (year, 4))``.
    Negative values are taken modulo ``10**width`` (as ``value // 10**k % 10`` reads them).

    >>> a = decimal_digits((np.array([14, 14]), 2), (np.array([1985, 1985]), 4))
    >>> b = decimal_digits((np.array([19, 14]), 2), (np.array([1935, 1986]), 4))
    >>> nibble_differences(a, b).tolist()
    [2, 1]
    """
    out: NDArray[np.uint64] | None = None
    for values, width in parts:
        if not 1 <= width <= 4:
            raise ValueError("each part has one to four digits")
        packed = _BCD[np.mod(np.asarray(values, dtype=np.int64), 10**width)]
        out = packed if out is None else (out << np.uint64(4 * width)) | packed
    if out is None:
        raise ValueError("decimal_digits needs at least one part")
    return out


def differences(left: NDArray[np.uint8], right: NDArray[np.uint8]) -> NDArray[np.int8]:
    """Number of positions where two digit matrices differ, per row."""
    out: NDArray[np.int8] = (left != right).sum(axis=1, dtype=np.int8)
    return out


def adjacent_transposition(left: NDArray[np.uint8], right: NDArray[np.uint8]) -> NDArray[np.bool_]:
    """Rows that differ exactly by swapping two adjacent characters."""
    diff = left != right
    swapped = (left[:, :-1] == right[:, 1:]) & (left[:, 1:] == right[:, :-1])
    hit = diff[:, :-1] & diff[:, 1:] & swapped
    out: NDArray[np.bool_] = hit.any(axis=1) & (diff.sum(axis=1) == 2)
    return out


def day_number(
    year: NDArray[np.integer[Any]], month: NDArray[np.integer[Any]], day: NDArray[np.integer[Any]]
) -> NDArray[np.int64]:
    """Days since 1970-01-01 of a proleptic Gregorian date; impossible days overflow.

    Day 30 of February is read as the 30th day counted from 1 February, as the
    civil registry does when it corrects impossible dates.

    >>> day_number(np.array([1970, 2000]), np.array([1, 3]), np.array([1, 1])).tolist()
    [0, 11017]
    """
    y = year.astype(np.int64) - (month <= 2)
    m = month.astype(np.int64)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    mp = (m + 9) % 12
    doy = (153 * mp + 2) // 5
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    out: NDArray[np.int64] = era * 146097 + doe - 719468 + (day.astype(np.int64) - 1)
    return out

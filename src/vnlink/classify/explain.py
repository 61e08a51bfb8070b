"""Why a pair got its match weight: the prior plus one partial weight per comparison.

A Fellegi–Sunter match weight is a sum (in bits, log2 of a Bayes factor)::

    weight = prior + sum over comparisons of (level weight + term-frequency part)

:class:`Explanation` keeps each term, per pair, so that a clerk or a
researcher sees which fields pushed the pair towards or away from a match.
``total`` is computed from the same terms in the same order as
:meth:`FellegiSunter.match_weight`, so the parts add up to it.

Examples
--------
>>> import numpy as np
>>> e = Explanation(
...     names=["họ tên", "ngày sinh"],
...     level_labels=[("khác", "gần giống", "trùng"), ("khác", "trùng")],
...     levels=np.array([[2, 0]], dtype=np.int8),
...     prior_weight=-10.0,
...     weights=np.array([[12.5, -4.0]]),
...     tf_weights=np.array([[-1.5, 0.0]]),
... )
>>> float(e.total[0])
-3.0
>>> print(e.to_text(0))
pair 0: match weight -3.00 (probability 0.1111)
  prior                   -10.00
  họ tên     trùng        +11.00  (of which term frequency -1.50)
  ngày sinh  khác          -4.00
  total                    -3.00
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink.exceptions import ConfigurationError

__all__ = ["Explanation", "probability_from_weight", "total_weight"]

FloatArray = NDArray[np.float64]


def total_weight(prior_weight: float, weights: FloatArray, tf_weights: FloatArray) -> FloatArray:
    """The match weight from its parts, summed in one fixed order (prior, then each column).

    >>> import numpy as np
    >>> total_weight(-1.0, np.array([[2.0, 0.5]]), np.array([[0.0, -0.25]])).tolist()
    [1.25]
    """
    total = np.full(weights.shape[0], float(prior_weight))
    for j in range(weights.shape[1]):
        total += weights[:, j]
        total += tf_weights[:, j]
    return total


def _probability(weight: FloatArray) -> FloatArray:
    # 1 / (1 + 2**-w), stable for large |w|
    with np.errstate(over="ignore"):
        out: FloatArray = 1.0 / (1.0 + np.exp2(-weight))
    return out


class Explanation:
    """Per-pair parts of the match weight of a Fellegi–Sunter model.

    Attributes
    ----------
    names
        Comparison names, one per column.
    level_labels
        Label of each level of each comparison.
    levels
        ``(n, k)`` int8 levels (``-1`` = missing, weight 0).
    prior_weight
        ``log2(λ / (1 - λ))``, the same for every pair.
    weights
        ``(n, k)`` level weights ``log2(m / u)`` (0 where missing).
    tf_weights
        ``(n, k)`` term-frequency parts ``log2(u / tf)`` (0 where not applied).
    total
        ``(n,)`` match weight = prior + weights + tf_weights.
    probability
        ``(n,)`` match probability ``1 / (1 + 2**-total)``.
    """

    def __init__(
        self,
        *,
        names: Sequence[str],
        level_labels: Sequence[Sequence[str]],
        levels: NDArray[np.int8],
        prior_weight: float,
        weights: FloatArray,
        tf_weights: FloatArray,
    ) -> None:
        if weights.shape != levels.shape or tf_weights.shape != levels.shape:
            raise ConfigurationError("levels, weights and tf_weights must have the same shape")
        self.names = list(names)
        self.level_labels = [tuple(t) for t in level_labels]
        self.levels = levels
        self.prior_weight = float(prior_weight)
        self.weights = np.asarray(weights, dtype=np.float64)
        self.tf_weights = np.asarray(tf_weights, dtype=np.float64)
        self.total = total_weight(self.prior_weight, self.weights, self.tf_weights)
        self.probability = _probability(self.total)

    def __len__(self) -> int:
        return int(self.levels.shape[0])

    def __repr__(self) -> str:
        return f"Explanation({len(self)} pairs, comparisons: {', '.join(self.names)})"

    def _row(self, row: int) -> int:
        n = len(self)
        if not -n <= row < n:
            raise ConfigurationError(f"row {row} is out of range: there are {n} pairs")
        return row % n

    def _label(self, j: int, level: int) -> str:
        if level < 0:
            return "(missing)"
        labels = self.level_labels[j]
        return labels[level] if level < len(labels) else f"level {level}"

    def to_dicts(self, row: int = 0) -> list[dict[str, Any]]:
        """The bars of the waterfall for one pair: prior, each comparison, total.

        Each dict has ``name``, ``label``, ``level``, ``weight`` (level plus TF
        part), ``tf_weight`` and ``cumulative`` (the running total).
        """
        i = self._row(row)
        bars: list[dict[str, Any]] = []
        running = self.prior_weight
        bars.append({"name": "prior", "label": "", "level": None, "weight": running,
                     "tf_weight": 0.0, "cumulative": running})
        for j, name in enumerate(self.names):
            level = int(self.levels[i, j])
            w = float(self.weights[i, j])
            t = float(self.tf_weights[i, j])
            running = running + w + t
            bars.append({"name": name, "label": self._label(j, level), "level": level,
                         "weight": w + t, "tf_weight": t, "cumulative": running})
        bars.append({"name": "total", "label": "", "level": None,
                     "weight": float(self.total[i]), "tf_weight": 0.0,
                     "cumulative": float(self.total[i])})
        return bars

    def to_text(self, row: int = 0) -> str:
        """A plain-text waterfall of one pair (signed weights in bits)."""
        i = self._row(row)
        name_w = max([len("prior"), *map(len, self.names)]) + 2
        label_w = max(
            [len("(missing)")] + [len(lab) for labs in self.level_labels for lab in labs]
        ) + 2
        p = float(self.probability[i])
        lines = [f"pair {i}: match weight {self.total[i]:+.2f} (probability {p:.4f})"]
        lines.append(f"  {'prior':<{name_w}}{'':<{label_w}}{self.prior_weight:+8.2f}")
        for bar in self.to_dicts(i)[1:-1]:
            w = bar["weight"]
            shown = f"{w:+8.2f}" if bar["level"] >= 0 else f"{0.0:8.2f}"
            line = f"  {bar['name']:<{name_w}}{bar['label']:<{label_w}}{shown}"
            if bar["tf_weight"] != 0.0:
                line += f"  (of which term frequency {bar['tf_weight']:+.2f})"
            lines.append(line)
        lines.append(f"  {'total':<{name_w}}{'':<{label_w}}{self.total[i]:+8.2f}")
        return "\n".join(lines)

    def plot(self, row: int = 0, *, ax: Any = None, language: str = "en") -> Any:
        """Draw the waterfall of one pair with matplotlib; returns the Axes.

        Needs matplotlib (see :func:`vnlink.plot.plot_waterfall`; ``language="vi"``
        for Vietnamese words, or :meth:`to_text` for a text waterfall).
        """
        from vnlink.plot import plot_waterfall

        return plot_waterfall(self, row, language=language, ax=ax)

    def _repr_html_(self) -> str:  # notebooks: the first pairs only, as text waterfalls
        import html

        shown = min(len(self), 3)
        parts = [f"<p>{html.escape(repr(self))}</p>"]
        parts += [f"<pre>{html.escape(self.to_text(i))}</pre>" for i in range(shown)]
        if len(self) > shown:
            parts.append(f"<p>… {len(self) - shown:,} more pairs (use to_text(row))</p>")
        return "".join(parts)


def probability_from_weight(weight: FloatArray) -> FloatArray:
    """``1 / (1 + 2**-weight)``: match probability from match weight.

    >>> import numpy as np
    >>> probability_from_weight(np.array([0.0, 10.0])).round(4).tolist()
    [0.5, 0.999]
    """
    return _probability(np.asarray(weight, dtype=np.float64))


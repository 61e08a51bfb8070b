"""What a classifier must offer for a Linker to fit, score, save and load it.

:class:`LinkClassifier` is a :class:`typing.Protocol`: any class with these
methods is one, no base class needed. :class:`~vnlink.classify.FellegiSunter`
and :class:`~vnlink.classify.SupervisedLinkClassifier` follow it. To save a
model naming your class and load it again, register the class:
``@vnlink.plugins.register("classifier")`` (see :mod:`vnlink.plugins`).

The input ``X`` is what the comparison stage gives
(:class:`~vnlink.compare.ComparisonVectors`) or a plain level matrix
(``int8``, pairs × comparisons, ``-1`` = missing).

Examples
--------
>>> from vnlink.classify import FellegiSunter, SupervisedLinkClassifier
>>> isinstance(FellegiSunter(), LinkClassifier)
True
>>> isinstance(SupervisedLinkClassifier(), LinkClassifier)
True
>>> isinstance(object(), LinkClassifier)
False
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

__all__ = ["LinkClassifier"]


@runtime_checkable
class LinkClassifier(Protocol):
    """A match classifier over comparison vectors.

    ``fit(X, y=None)``
        Learn from the pairs ``X``; ``y`` (1 = match, 0 = not) when labels are
        known, ``None`` for unsupervised training (a classifier that needs
        labels raises). Returns the fitted classifier.
    ``match_weight(X)``
        ``float64`` per pair: the log2 odds of a match (the Fellegi–Sunter
        weight; higher = more alike). The Linker ranks candidates by it.
    ``predict_proba(X)``
        ``float64`` (n_pairs, 2): probabilities of non-match and match.
    ``to_dict()``
        The fitted model as JSON-ready data (a model file's ``payload``).
    ``from_dict(data)``
        A class method rebuilding the fitted model from :meth:`to_dict`
        output; raises :class:`~vnlink.exceptions.ModelFormatError` on bad data.
    """

    def fit(self, X: Any, y: Any = None) -> Any:
        """Learn from the pairs ``X`` (and their labels ``y``, when known)."""
        ...  # pragma: no cover

    def match_weight(self, X: Any) -> NDArray[np.float64]:
        """The log2 odds of a match of each pair."""
        ...  # pragma: no cover

    def predict_proba(self, X: Any) -> NDArray[np.float64]:
        """Probabilities of non-match and match, shape (n_pairs, 2)."""
        ...  # pragma: no cover

    def to_dict(self) -> dict[str, Any]:
        """The fitted model as JSON-ready data."""
        ...  # pragma: no cover

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Any:
        """Rebuild a fitted model from :meth:`to_dict` output."""
        ...  # pragma: no cover

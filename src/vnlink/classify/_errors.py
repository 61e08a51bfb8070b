"""The not-fitted error the classifiers raise: vnlink's and scikit-learn's at once.

``vnlink.exceptions`` does not import scikit-learn (so ``import vnlink`` stays
light); the classifiers do, and raise this subclass of both, so that
``except vnlink.NotFittedError`` and scikit-learn's own checks both catch it.

>>> from sklearn.exceptions import NotFittedError as SklearnNotFittedError
>>> from vnlink.exceptions import NotFittedError
>>> issubclass(EstimatorNotFittedError, NotFittedError)
True
>>> issubclass(EstimatorNotFittedError, SklearnNotFittedError)
True
"""

from __future__ import annotations

from sklearn.exceptions import NotFittedError as _SklearnNotFittedError

from vnlink.exceptions import NotFittedError

__all__ = ["EstimatorNotFittedError"]


class EstimatorNotFittedError(NotFittedError, _SklearnNotFittedError):  # type: ignore[misc]
    """A classifier was used before ``fit``; both vnlink's and scikit-learn's error."""

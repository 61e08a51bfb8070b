"""Match classifiers: Fellegi–Sunter (EM or labels), supervised, thresholds, JSON models.

Any class following :class:`LinkClassifier` (fit, match_weight, predict_proba,
to_dict, from_dict) and registered with ``vnlink.plugins.register("classifier")``
can be used, saved and loaded like vnlink's own.

>>> import numpy as np
>>> from vnlink.classify import FellegiSunter, best_f1_threshold
>>> X = np.array([[1, 1], [1, 0], [0, 0], [0, 1]] * 5, dtype=np.int8)
>>> y = np.array([1, 1, 0, 0] * 5)
>>> model = FellegiSunter().fit(X, y)
>>> best_f1_threshold(y, model.predict_proba(X)) > 0.5
True
"""

from vnlink.classify.explain import Explanation
from vnlink.classify.fellegi_sunter import (
    ClassifierWarning,
    EMCollapseWarning,
    EMConvergenceWarning,
    FellegiSunter,
    ParameterTable,
    estimate_prior,
    estimate_u,
    u_from_vectors,
)
from vnlink.classify.io import load_model, save_model
from vnlink.classify.protocol import LinkClassifier
from vnlink.classify.simulate import SimulatedVectors, simulate_comparisons
from vnlink.classify.supervised import SupervisedLinkClassifier
from vnlink.classify.thresholds import (
    ThresholdChoice,
    ThresholdTable,
    best_f1_threshold,
    choose_thresholds,
    threshold_for_precision,
    threshold_sweep,
)

__all__ = [
    "ClassifierWarning",
    "EMCollapseWarning",
    "EMConvergenceWarning",
    "Explanation",
    "FellegiSunter",
    "LinkClassifier",
    "ParameterTable",
    "SimulatedVectors",
    "SupervisedLinkClassifier",
    "ThresholdChoice",
    "ThresholdTable",
    "best_f1_threshold",
    "choose_thresholds",
    "estimate_prior",
    "estimate_u",
    "load_model",
    "save_model",
    "simulate_comparisons",
    "threshold_for_precision",
    "threshold_sweep",
    "u_from_vectors",
]

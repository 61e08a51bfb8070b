"""What the savable classifiers share when they write themselves as JSON."""

from __future__ import annotations

import os
from typing import Any

from vnlink._files import write_text
from vnlink.classify.io import dumps_model


def write_model_json(model: Any, path: str | os.PathLike[str] | None) -> str:
    """The fitted model's JSON text, also written to ``path`` when given (UTF-8, atomic, 0600)."""
    model._check_fitted()
    text = dumps_model(model)
    if path is not None:
        write_text(path, text, what="model")
    return text


def model_payload(model: Any, params: dict[str, Any], learned: dict[str, Any]) -> dict[str, Any]:
    """A model file's payload: ``params``, the comparisons, ``learned``, then the fitted facts.

    The keys come in this order in the file: ``params``, ``comparisons``, the
    keys of ``learned``, ``classes``, ``n_features_in``, ``training`` and, when
    the model was fitted on named columns, ``feature_names_in``.
    """
    payload: dict[str, Any] = {
        "params": params,
        "comparisons": {
            "names": list(model.comparison_names_),
            "level_labels": [list(t) for t in model.level_labels_],
            "n_levels": [int(n) for n in model.n_levels_],
            "spec": model.spec_,
        },
        **learned,
        "classes": model.classes_.tolist(),
        "n_features_in": int(model.n_features_in_),
        "training": dict(model.training_),
    }
    if hasattr(model, "feature_names_in_"):
        payload["feature_names_in"] = [str(s) for s in model.feature_names_in_]
    return payload

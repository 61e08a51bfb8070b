"""The JSON model: a fitted :class:`~vnlink.pipeline.Pipeline` as data, and back.

One document holds the two schemas, the blocking rules, the comparisons,
the classifier and the thresholds. :meth:`vnlink.Linker.save`, the
``RegistryIndex`` file and :mod:`vnlink.spark` all use it, so a model trained
on one path serves every other. Its SHA-256 (without the library version) is
the model fingerprint written into every result row.

>>> from vnlink import Linker
>>> from vnlink.datasets import synthetic_linkage
>>> registry, records, _ = synthetic_linkage(200, seed=2)
>>> pipe = Linker(progress=False).fit(registry, records).pipeline
>>> again = pipeline_from_dict(pipeline_to_dict(pipe))
>>> again.fingerprint == pipe.fingerprint
True
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from vnlink._version import __version__
from vnlink.blocking.pairs import DEFAULT_MAX_BLOCK_PAIRS as _DEFAULT_CAP
from vnlink.exceptions import ModelFormatError
from vnlink.pipeline import Pipeline
from vnlink.schema import Schema

__all__ = [
    "MODEL_FORMAT",
    "MODEL_VERSION",
    "fingerprint",
    "model_document",
    "pipeline_from_dict",
    "pipeline_to_dict",
]

MODEL_FORMAT = "vnlink-linker"
MODEL_VERSION = 1


def _canonical_json(doc: Any) -> bytes:
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def fingerprint(doc: Mapping[str, Any]) -> str:
    """SHA-256 of a model document, the library version left out."""
    body = {k: v for k, v in doc.items() if k != "vnlink_version"}
    return hashlib.sha256(_canonical_json(body)).hexdigest()


def model_document(*, registry_schema: Schema, records_schema: Schema, rules: Any,
                   comparisons: Any, classifier: Any, thresholds: Mapping[str, float],
                   max_block_pairs: int | None = _DEFAULT_CAP,
                   placeholders: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The JSON-ready model document of fitted parts.

    The blocking limits (``max_block_pairs`` when not the default, the
    placeholder keys when any) are written under ``"blocking_limits"`` only when
    they differ from the defaults, so a model without them reads as before.
    """
    from vnlink.classify.io import model_to_dict

    limits: dict[str, Any] = {}
    if max_block_pairs != _DEFAULT_CAP:
        limits["max_block_pairs"] = max_block_pairs
    if placeholders:
        limits["placeholders"] = {name: [f"{int(k):016x}" for k in keys]
                                  for name, keys in placeholders.items() if keys}
    extra = {"blocking_limits": limits} if limits else {}
    return {
        "format": MODEL_FORMAT,
        "format_version": MODEL_VERSION,
        "vnlink_version": __version__,
        "registry_schema": registry_schema.to_dict(),
        "records_schema": records_schema.to_dict(),
        "blocking": [rule.to_dict() for rule in rules],
        "comparisons": [c.to_dict() for c in comparisons.comparisons],
        "classifier": model_to_dict(classifier),
        "thresholds": dict(thresholds),
        **extra,
    }


def _blocking_limits(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The Pipeline arguments of a document's ``"blocking_limits"`` (defaults when absent)."""
    limits = doc.get("blocking_limits", {})
    out: dict[str, Any] = {}
    if "max_block_pairs" in limits:
        cap = limits["max_block_pairs"]
        if cap is not None and (type(cap) is not int or cap < 1):
            raise ValueError("blocking_limits.max_block_pairs must be a positive integer")
        out["max_block_pairs"] = cap
    if "placeholders" in limits:
        out["placeholders"] = {str(name): [int(k, 16) for k in keys]
                               for name, keys in limits["placeholders"].items()}
    return out


def pipeline_to_dict(pipeline: Pipeline) -> dict[str, Any]:
    """The model document of ``pipeline``."""
    return model_document(registry_schema=pipeline.registry_schema,
                          records_schema=pipeline.records_schema, rules=pipeline.rules,
                          comparisons=pipeline.comparisons, classifier=pipeline.classifier,
                          thresholds=pipeline.thresholds,
                          max_block_pairs=pipeline.max_block_pairs,
                          placeholders=pipeline.placeholders)


def pipeline_from_dict(doc: Mapping[str, Any], *, locale: str = "vi") -> Pipeline:
    """Rebuild the pipeline of a model document (:func:`pipeline_to_dict`, ``Linker.save``)."""
    if not isinstance(doc, Mapping) or doc.get("format") != MODEL_FORMAT:
        raise ModelFormatError(
            f"not a vnlink linker model (expected format {MODEL_FORMAT!r}); "
            "pass a file written by Linker.save"
        )
    version = doc.get("format_version", 0)
    if not isinstance(version, int) or version > MODEL_VERSION:
        raise ModelFormatError(
            f"the model file has format version {version!r}, newer than this "
            f"vnlink ({__version__}) reads; upgrade vnlink"
        )
    try:
        from vnlink.blocking import rule_from_dict
        from vnlink.classify.io import loads_model
        from vnlink.compare import ComparisonSet, comparison_from_dict

        th = doc["thresholds"]
        thresholds = {k: float(th[k]) for k in
                      ("verified_threshold", "review_threshold", "min_margin")}
        pipeline = Pipeline(
            registry_schema=Schema.from_dict(doc["registry_schema"]),
            records_schema=Schema.from_dict(doc["records_schema"]),
            rules=[rule_from_dict(r) for r in doc["blocking"]],
            comparisons=ComparisonSet([comparison_from_dict(c) for c in doc["comparisons"]]),
            classifier=loads_model(json.dumps(doc["classifier"])),
            thresholds=thresholds,
            locale=locale,
            **_blocking_limits(doc),
        )
    except ModelFormatError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ModelFormatError(f"the linker model is malformed ({type(error).__name__}: "
                               f"{error}); save it again with Linker.save") from None
    pipeline.fingerprint = fingerprint(pipeline_to_dict(pipeline))
    return pipeline

"""vnlink: record linkage for Vietnamese person data.

Normalize Vietnamese names, dates, ID numbers, phones and addresses; block,
compare and classify candidate pairs; link hand-typed records to a registry.

The stages, each usable alone:

- :mod:`vnlink.normalize` — scalar and bulk normalizers of every field;
- :func:`prepare` with a :class:`Schema` — every derived column, once per distinct value;
- :mod:`vnlink.blocking` — candidate pairs from sort/hash joins;
- :mod:`vnlink.compare` — agreement levels per field;
- :mod:`vnlink.classify` — Fellegi–Sunter (EM) and supervised match classifiers;
- :class:`Linker` — the whole job, with a :class:`RegistryIndex` for one-record lookups;
- :mod:`vnlink.datasets` — a synthetic registry and vaccination records with ground truth.

>>> import vnlink
>>> vnlink.__version__
'0.1.0'
>>> vnlink.normalize_name("nguyeenx  thij HOAF")
'Nguyễn Thị Hòa'

The scikit-learn-backed classifiers are imported on first use, so
``import vnlink`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vnlink._version import __version__
from vnlink.blocking import block_on, candidate_pairs, default_rules
from vnlink.compare import ComparisonSet, ComparisonVectors, default_comparisons
from vnlink.datasets import CorruptionProfile, synthetic_linkage
from vnlink.evaluate import Evaluation
from vnlink.exceptions import (
    ConfigurationError,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ModelFormatError,
    NotFittedError,
    SchemaError,
    ValidationError,
    VnlinkError,
)
from vnlink.link import DedupeResult, Linker, LinkResult, RegistryIndex
from vnlink.normalize import (
    PersonName,
    fix_encoding,
    fold,
    normalize_name,
    parse_address,
    parse_date,
    parse_id,
    parse_name,
    parse_phone,
    phonetic_key,
)
from vnlink.prepare import PreparedTable, Schema, prepare
from vnlink.table import Table, as_table

if TYPE_CHECKING:
    from vnlink.classify import FellegiSunter, SupervisedLinkClassifier

__all__ = [
    "ComparisonSet",
    "ComparisonVectors",
    "ConfigurationError",
    "CorruptionProfile",
    "DedupeResult",
    "Evaluation",
    "FellegiSunter",
    "InvalidComponent",
    "InvalidFormat",
    "InvalidLength",
    "LinkResult",
    "Linker",
    "ModelFormatError",
    "NotFittedError",
    "PersonName",
    "PreparedTable",
    "RegistryIndex",
    "Schema",
    "SchemaError",
    "SupervisedLinkClassifier",
    "Table",
    "ValidationError",
    "VnlinkError",
    "__version__",
    "as_table",
    "block_on",
    "candidate_pairs",
    "default_comparisons",
    "default_rules",
    "fix_encoding",
    "fold",
    "normalize_name",
    "parse_address",
    "parse_date",
    "parse_id",
    "parse_name",
    "parse_phone",
    "phonetic_key",
    "prepare",
    "synthetic_linkage",
]

_LAZY = {"FellegiSunter": "vnlink.classify", "SupervisedLinkClassifier": "vnlink.classify"}


def __getattr__(name: str) -> Any:
    """Import the scikit-learn-backed names on first use (PEP 562)."""
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'vnlink' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

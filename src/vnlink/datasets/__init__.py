"""Synthetic Vietnamese registry and hand-typed vaccination records with ground truth.

Real registry data is personal data and never ships with vnlink; this package
makes realistic data with known answers instead, in the manner of FEBRL's
``dsgen`` and GeCo:

- :func:`make_registry`: a population registry of people in households, with
  names after the published frequencies, CCCD/CMND numbers, phones and real
  2021 administrative units;
- :func:`make_vaccination_records`: hand-typed dose records of those people
  (and of look-alikes who are not in the registry), corrupted at the rates of
  a :class:`CorruptionProfile` (``"easy"`` by default, ``"hard"`` for
  benchmarks), with the truth;
- :func:`synthetic_linkage`: the three tables in one call.

Examples
--------
>>> from vnlink.datasets import synthetic_linkage
>>> registry, records, truth = synthetic_linkage(2000, seed=42)
>>> registry.n_rows, records.column_names[:3]
(2000, ['record_id', 'full_name', 'dob'])
"""

from vnlink.datasets.records import (
    DEFAULT_PROFILE,
    DOB_FORMATS,
    RECORD_COLUMNS,
    TRUTH_COLUMNS,
    CorruptionProfile,
    corruption_names,
    linkage_truth,
    make_vaccination_records,
    records_schema,
    registry_schema,
    synthetic_linkage,
    true_pairs,
)
from vnlink.datasets.registry import REFERENCE_DATE, REGISTRY_COLUMNS, make_registry

__all__ = [
    "DEFAULT_PROFILE",
    "DOB_FORMATS",
    "RECORD_COLUMNS",
    "REFERENCE_DATE",
    "REGISTRY_COLUMNS",
    "TRUTH_COLUMNS",
    "CorruptionProfile",
    "corruption_names",
    "linkage_truth",
    "make_registry",
    "make_vaccination_records",
    "records_schema",
    "registry_schema",
    "synthetic_linkage",
    "true_pairs",
]

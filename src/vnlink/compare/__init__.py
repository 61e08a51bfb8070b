"""Comparison stage: agreement levels per field for every candidate pair, in bulk.

Each comparison maps a pair to a level: ``-1`` missing, ``0`` else, higher
for closer agreement, the last level exact. :class:`ComparisonSet` runs
several over the same pairs into :class:`ComparisonVectors` (an ``int8``
level matrix, raw scores and term frequencies) for the classifier.

Examples
--------
>>> import numpy as np
>>> from vnlink.table import Table
>>> from vnlink.compare import ComparisonSet, default_comparisons
>>> cset = ComparisonSet(default_comparisons())
>>> cset.names
['name', 'dob', 'id', 'phone', 'sex', 'address']
"""

from vnlink.compare.address import AddressComparison, StreetComparison
from vnlink.compare.base import (
    Comparison,
    ComparisonSet,
    ComparisonVectors,
    comparison_classes,
    comparison_from_dict,
)
from vnlink.compare.contact import PhoneComparison, SexComparison
from vnlink.compare.dates import DateOfBirthComparison
from vnlink.compare.defaults import default_comparisons
from vnlink.compare.generic import (
    AbsoluteDifferenceAtThresholds,
    CustomComparison,
    DamerauLevenshteinAtThresholds,
    ExactMatch,
    JaroAtThresholds,
    JaroWinklerAtThresholds,
    LevenshteinAtThresholds,
)
from vnlink.compare.ids import IdComparison
from vnlink.compare.names import NameComparison
from vnlink.compare.tf import TermFrequencies

__all__ = [
    "AbsoluteDifferenceAtThresholds",
    "AddressComparison",
    "Comparison",
    "ComparisonSet",
    "ComparisonVectors",
    "CustomComparison",
    "DamerauLevenshteinAtThresholds",
    "DateOfBirthComparison",
    "ExactMatch",
    "IdComparison",
    "JaroAtThresholds",
    "JaroWinklerAtThresholds",
    "LevenshteinAtThresholds",
    "NameComparison",
    "PhoneComparison",
    "SexComparison",
    "StreetComparison",
    "TermFrequencies",
    "comparison_classes",
    "comparison_from_dict",
    "default_comparisons",
]

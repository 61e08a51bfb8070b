"""The Vietnamese default comparison set.

>>> [c.name for c in default_comparisons()]
['name', 'dob', 'id', 'phone', 'sex', 'address']
"""

from __future__ import annotations

from vnlink.compare.address import AddressComparison
from vnlink.compare.base import Comparison
from vnlink.compare.contact import PhoneComparison, SexComparison
from vnlink.compare.dates import DateOfBirthComparison
from vnlink.compare.ids import IdComparison
from vnlink.compare.names import NameComparison

__all__ = ["default_comparisons"]


def default_comparisons() -> list[Comparison]:
    """Name, date of birth, ID number, phone, sex and address comparisons, name first.

    Each works on the derived columns of ``vnlink.prepare`` with no arguments. The ID
    number and phone comparisons have the level "a household member's number"
    (``household_numbers=True``: a relative's CCCD or phone, common for children and
    old people, says "this household", not "another person").
    Add :class:`~vnlink.compare.StreetComparison` when the street text is reliable.

    >>> [c.name for c in default_comparisons()]
    ['name', 'dob', 'id', 'phone', 'sex', 'address']
    """
    return [
        NameComparison(),
        DateOfBirthComparison(one_digit=True),
        IdComparison(tolerate_slips=True, household_numbers=True),
        PhoneComparison(household_numbers=True),
        SexComparison(),
        AddressComparison(),
    ]

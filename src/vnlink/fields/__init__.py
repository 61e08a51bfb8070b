"""Field specifications: everything vnlink knows about one field, in one place.

See :class:`FieldSpec`. The Vietnamese person fields are in
:mod:`vnlink.fields.person`; declare a field of your own by subclassing
:class:`FieldSpec` (or using :class:`TextField`) and :func:`register_field`.
"""

from vnlink.fields.base import FieldSpec, TextField, field_spec, register_field, registered_fields
from vnlink.fields.person import (
    AddressField,
    DateOfBirthField,
    IdNumberField,
    NameField,
    OldIdNumberField,
    PhoneField,
    SexField,
)

__all__ = [
    "AddressField",
    "DateOfBirthField",
    "FieldSpec",
    "IdNumberField",
    "NameField",
    "OldIdNumberField",
    "PhoneField",
    "SexField",
    "TextField",
    "field_spec",
    "register_field",
    "registered_fields",
]

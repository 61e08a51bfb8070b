"""vnlink: record linkage for Vietnamese person data.

Normalize Vietnamese names, dates, ID numbers, phones and addresses; block,
compare and classify candidate pairs; link hand-typed records to a registry.

>>> import vnlink
>>> vnlink.__version__
'0.1.0'
"""

from vnlink._table import Table, as_table
from vnlink._version import __version__
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

__all__ = [
    "ConfigurationError",
    "InvalidComponent",
    "InvalidFormat",
    "InvalidLength",
    "ModelFormatError",
    "NotFittedError",
    "SchemaError",
    "Table",
    "ValidationError",
    "VnlinkError",
    "__version__",
    "as_table",
]

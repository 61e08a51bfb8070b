"""Errors raised by vnlink.

Bad *data* never raises: it becomes a flagged missing value with a reason.
Bad *arguments* (a wrong column name, a malformed model file, a value that
a strict ``validate`` function was asked to accept) raise one of these::

    VnlinkError                      base of everything vnlink raises on purpose
    ├── ValidationError (ValueError) a value is not what a strict validator accepts
    │   ├── InvalidFormat            wrong characters or shape ("12a456789012")
    │   ├── InvalidLength            wrong number of digits or characters
    │   └── InvalidComponent         a part is not allowed (province code 003)
    ├── SchemaError (KeyError)       a column is missing or has the wrong content
    ├── ModelFormatError (ValueError) a model file is malformed, tampered or too new
    ├── FileFormatError (ValueError) an input file cannot be read as a table (encoding, CSV
    │                                 structure, a field past the size limit, a bad workbook)
    ├── OutputPathError (OSError)    an output path is refused (exists, names an input, no folder)
    ├── ConfigurationError (ValueError) an argument out of range or of the wrong kind
    └── NotFittedError (ValueError, AttributeError) a model was used before ``fit``

    VnlinkWarning (UserWarning)      work was cut short (blocking caps): counts, never values

Every message says what was expected and what to do.

Examples
--------
>>> from vnlink.exceptions import InvalidLength, ValidationError, VnlinkError
>>> issubclass(InvalidLength, ValidationError) and issubclass(InvalidLength, ValueError)
True
>>> try:
...     raise InvalidLength("CCCD must have 12 digits, got 9: pass a 12-digit number")
... except VnlinkError as error:
...     print(type(error).__name__, "-", error)
InvalidLength - CCCD must have 12 digits, got 9: pass a 12-digit number
"""

from __future__ import annotations

__all__ = [
    "ConfigurationError",
    "FileFormatError",
    "InvalidComponent",
    "InvalidFormat",
    "InvalidLength",
    "ModelFormatError",
    "NotFittedError",
    "OutputPathError",
    "SchemaError",
    "ValidationError",
    "VnlinkError",
    "VnlinkWarning",
]


class VnlinkError(Exception):
    """Base class of every error vnlink raises on purpose."""


class ValidationError(VnlinkError, ValueError):
    """A value is not acceptable to a strict validator (``validate`` functions)."""


class InvalidFormat(ValidationError):
    """The value has characters or a shape the format does not allow."""


class InvalidLength(ValidationError):
    """The value has the wrong number of characters or digits."""


class InvalidComponent(ValidationError):
    """A part of the value is not allowed (for example an unassigned province code)."""


class SchemaError(VnlinkError, KeyError):
    """A column named in a schema is missing from the table, or a table is malformed."""

    def __str__(self) -> str:  # KeyError quotes its message; show it plainly
        return str(self.args[0]) if self.args else ""


class ModelFormatError(VnlinkError, ValueError):
    """A model or reference file cannot be read: malformed, tampered or from a newer version."""


class FileFormatError(VnlinkError, ValueError):
    """An input file cannot be read as a table: wrong encoding, bad CSV, too large, bad workbook.

    The message names the file, the row and the column, never a value.
    """


class OutputPathError(VnlinkError, OSError):
    """An output path is refused: it exists (and overwriting was not asked), names an input,
    or its folder is missing or not writable."""


class ConfigurationError(VnlinkError, ValueError):
    """An argument is out of range or of the wrong kind."""


class NotFittedError(VnlinkError, ValueError, AttributeError):
    """A model was used before ``fit`` was called.

    Like scikit-learn's ``NotFittedError`` it is both a ``ValueError`` and an
    ``AttributeError``; it does not import scikit-learn, so ``import vnlink``
    stays light.
    """


class VnlinkWarning(UserWarning):
    """Something was left out to keep the work bounded (blocks cut by the cap, placeholder keys).

    The message gives counts and rule names, never a personal value.
    """

"""Save and load classifiers as versioned JSON (never pickle).

A model file is one JSON object::

    {"format": "vnlink-model", "schema_version": 1, "vnlink_version": "0.1.0",
     "class": "FellegiSunter", "payload": {...}, "sha256": "..."}

``payload`` holds the parameters, the comparison spec and the learned
values; ``sha256`` is the SHA-256 of the canonical JSON of everything else
(sorted keys, no spaces), so an edited or truncated file is refused. The
checksum detects accidents and casual edits; it is not a signature. Loading
looks the class name up in the plug-in registry (:mod:`vnlink.plugins`,
kind ``"classifier"``): nothing named in the file is imported, and only
registered classes (vnlink's and those you registered) are rebuilt, with
their ``from_dict``.

Examples
--------
>>> import numpy as np
>>> from vnlink.classify import FellegiSunter
>>> X = np.array([[1, 1], [0, 0], [1, 0], [0, 1]] * 5, dtype=np.int8)
>>> model = FellegiSunter().fit(X, [1, 0, 1, 0] * 5)
>>> text = dumps_model(model)
>>> again = loads_model(text)
>>> bool((again.match_weight(X) == model.match_weight(X)).all())
True
>>> loads_model(text.replace('"lambda": 0.5', '"lambda": 0.9'))
Traceback (most recent call last):
...
vnlink.exceptions.ModelFormatError: the model file's checksum does not match its content ...
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from vnlink import plugins
from vnlink._files import write_text
from vnlink._sealed import MAX_MODEL_BYTES as _MAX_MODEL_BYTES
from vnlink._sealed import loads_json, model_errors, read_limited
from vnlink._version import __version__
from vnlink.exceptions import ConfigurationError, ModelFormatError

__all__ = [
    "FORMAT_NAME",
    "SCHEMA_VERSION",
    "dumps_model",
    "load_model",
    "loads_model",
    "model_to_dict",
    "save_model",
]

FORMAT_NAME = "vnlink-model"
SCHEMA_VERSION = 1



def _canonical(doc: dict[str, Any]) -> bytes:
    body = {k: v for k, v in doc.items() if k != "sha256"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)
    return text.encode("utf-8")


def _savable() -> str:
    return ", ".join(sorted(plugins.registered("classifier")))


def model_to_dict(model: Any) -> dict[str, Any]:
    """The model file's content as a dict (see the module docstring)."""
    try:
        name = plugins.name_of("classifier", model)
    except ConfigurationError:
        raise ModelFormatError(
            f"{type(model).__name__} cannot be saved as a vnlink model: register it with "
            f"@vnlink.plugins.register('classifier'); savable classes: {_savable()}"
        ) from None
    doc: dict[str, Any] = {
        "format": FORMAT_NAME,
        "schema_version": SCHEMA_VERSION,
        "vnlink_version": __version__,
        "class": name,
        "payload": model.to_dict(),
    }
    try:
        doc["sha256"] = hashlib.sha256(_canonical(doc)).hexdigest()
    except ValueError as error:  # NaN or infinity in the payload
        raise ModelFormatError(f"the model holds a value JSON cannot store: {error}") from error
    return doc


def dumps_model(model: Any) -> str:
    """The model as JSON text."""
    return json.dumps(model_to_dict(model), indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def save_model(model: Any, path: str | os.PathLike[str], *, overwrite: bool = True) -> Path:
    """Write the model to ``path`` as UTF-8 JSON (atomically, mode 0600); returns the path."""
    return write_text(path, dumps_model(model), overwrite=overwrite, what="model")


def loads_model(
    text: str | bytes, *, expected_class: str | None = None, allow_edited: bool = False
) -> Any:
    """Rebuild a model from JSON text.

    ``allow_edited=True`` loads a file whose checksum does not match (an edited file).

    Raises
    ------
    ModelFormatError
        The text is not a vnlink model, is nested too deep (limit
        :data:`vnlink._sealed.MAX_JSON_DEPTH`), was written by a newer schema,
        fails its checksum, names an unknown class, or has bad content.
    """
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    doc = loads_json(data, name="the model file")
    if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
        raise ModelFormatError(
            f"not a vnlink model file (expected \"format\": \"{FORMAT_NAME}\"); "
            "save models with to_json()"
        )
    version = doc.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ModelFormatError(f"the model file has a bad schema_version: {version!r}")
    if version > SCHEMA_VERSION:
        raise ModelFormatError(
            f"the model file uses schema version {version}, written by vnlink "
            f"{doc.get('vnlink_version', '?')}; this vnlink {__version__} reads up to version "
            f"{SCHEMA_VERSION}: upgrade vnlink"
        )
    digest = doc.get("sha256")
    try:
        actual = hashlib.sha256(_canonical(doc)).hexdigest()
    except ValueError as error:
        raise ModelFormatError(f"the model file holds a non-finite number: {error}") from error
    if (not isinstance(digest, str) or digest != actual) and not allow_edited:
        raise ModelFormatError(
            "the model file's checksum does not match its content (edited, truncated or "
            "corrupted); retrain and save it again with to_json()"
        )
    name = doc.get("class")
    try:
        cls = plugins.lookup("classifier", str(name))
    except ConfigurationError:
        raise ModelFormatError(
            f"the model file names an unknown class {name!r}; known: {_savable()} "
            "(import the module that registers yours before loading)"
        ) from None
    if expected_class is not None and name != expected_class:
        raise ModelFormatError(
            f"the file holds a {name}, not a {expected_class}; load it with {name}.from_json "
            "or vnlink.classify.load_model"
        )
    payload = doc.get("payload")
    if not isinstance(payload, dict):
        raise ModelFormatError("the model file has no payload object")
    with model_errors(f"the {name} model file"):
        return cls.from_dict(payload)


def load_model(
    source: str | os.PathLike[str], *, expected_class: str | None = None,
    allow_edited: bool = False, max_bytes: int = _MAX_MODEL_BYTES,
) -> Any:
    """Load a model from a file path (or from JSON text starting with ``{``).

    Any class in the registry is accepted unless ``expected_class`` names one.
    The file's size is checked before it is read (``max_bytes``, default
    :data:`vnlink._sealed.MAX_MODEL_BYTES`).

    >>> import numpy as np, tempfile, pathlib
    >>> from vnlink.classify import FellegiSunter
    >>> levels = np.array([[2, 1], [2, 1], [0, 0], [0, 1], [1, 0], [0, 0]], dtype=np.int8)
    >>> model = FellegiSunter().fit(levels, np.array([1, 1, 0, 0, 1, 0]))
    >>> path = save_model(model, pathlib.Path(tempfile.mkdtemp()) / "model.json")
    >>> again = load_model(path, expected_class="FellegiSunter")
    >>> bool(np.array_equal(again.match_weight(levels), model.match_weight(levels)))
    True
    """
    if isinstance(source, str) and source.lstrip().startswith("{"):
        return loads_model(source, expected_class=expected_class, allow_edited=allow_edited)
    data = read_limited(Path(source), max_bytes, "model")
    return loads_model(data, expected_class=expected_class, allow_edited=allow_edited)

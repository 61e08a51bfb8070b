"""One registry of plug-ins: comparisons, blocking rules, classifiers and fields by name.

A model file names each part it holds (``"NameComparison"``, ``"block_on"``,
``"FellegiSunter"``); loading looks the name up here. vnlink's own parts
register themselves when their module is imported, and so do yours:

- a :class:`~vnlink.compare.Comparison` subclass registers under its class name
  when it is defined;
- a :class:`~vnlink.blocking.BlockingRule` subclass registers under its
  ``rule_name`` (by default its class name) when it is defined;
- a classifier (anything following :class:`~vnlink.classify.protocol.LinkClassifier`)
  is registered with the :func:`register` decorator.

Nothing named in a file is ever imported: a name that is not registered is
refused, so import the module that defines your plug-in before loading a
model that uses it.

Examples
--------
>>> @register("classifier", "always_half")
... class AlwaysHalf:
...     pass
>>> lookup("classifier", "always_half") is AlwaysHalf
True
>>> name_of("classifier", AlwaysHalf)
'always_half'
>>> "FellegiSunter" in registered("classifier")
True
>>> lookup("blocking_rule", "no_such_rule")
Traceback (most recent call last):
...
vnlink.exceptions.ConfigurationError: no blocking_rule is registered as 'no_such_rule'...
>>> unregister("classifier", "always_half")
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, TypeVar

from vnlink.exceptions import ConfigurationError

__all__ = ["KINDS", "lookup", "name_of", "register", "registered", "unregister"]

#: The kinds of plug-in the registry holds.
KINDS = ("comparison", "blocking_rule", "classifier", "field")

#: Modules holding vnlink's own plug-ins of each kind, imported on first lookup.
_BUILTIN_MODULES: dict[str, tuple[str, ...]] = {
    "comparison": ("vnlink.compare",),
    "blocking_rule": ("vnlink.blocking.rules", "vnlink.blocking.extra_rules"),
    "classifier": ("vnlink.classify.fellegi_sunter", "vnlink.classify.supervised"),
    "field": (),
}

_REGISTRY: dict[str, dict[str, Any]] = {kind: {} for kind in KINDS}
_NAMES: dict[str, dict[int, str]] = {kind: {} for kind in KINDS}

_T = TypeVar("_T")


def _check_kind(kind: Any) -> str:
    if kind not in KINDS:
        raise ConfigurationError(f"plug-in kind must be one of {', '.join(KINDS)}, got {kind!r}")
    return str(kind)


def _is_vnlink(obj: Any) -> bool:
    return str(getattr(obj, "__module__", "")).startswith("vnlink.")


def register(kind: str, name: str | None = None) -> Callable[[_T], _T]:
    """A decorator registering a class (or any object) as a plug-in of ``kind``.

    Parameters
    ----------
    kind
        One of :data:`KINDS`.
    name
        The name model files use; by default the object's ``__name__``.

    The same name registered again replaces the earlier entry (a module
    imported twice, a class redefined in a notebook), except that a plug-in
    from outside vnlink cannot take a name vnlink uses.
    """
    _check_kind(kind)
    if name is not None and (not isinstance(name, str) or not name):
        raise ConfigurationError("a plug-in name must be a non-empty str")

    def decorate(obj: _T) -> _T:
        key = name if name is not None else getattr(obj, "__name__", None)
        if not isinstance(key, str) or not key:
            raise ConfigurationError(
                f"give the {kind} plug-in a name: register({kind!r}, 'my_name')"
            )
        existing = _REGISTRY[kind].get(key)
        if existing is not None and existing is not obj and _is_vnlink(existing) and not (
            _is_vnlink(obj)
        ):
            raise ConfigurationError(
                f"a vnlink {kind} is already called {key!r}; give yours another name"
            )
        _REGISTRY[kind][key] = obj
        _NAMES[kind][id(obj)] = key
        return obj

    return decorate


def unregister(kind: str, name: str) -> None:
    """Remove a plug-in (for tests and notebooks); unknown names are ignored."""
    obj = _REGISTRY[_check_kind(kind)].pop(name, None)
    if obj is not None and _NAMES[kind].get(id(obj)) == name:
        del _NAMES[kind][id(obj)]


def _load_builtins(kind: str) -> None:
    for module in _BUILTIN_MODULES[kind]:
        importlib.import_module(module)


def lookup(kind: str, name: str) -> Any:
    """The plug-in of ``kind`` registered as ``name``.

    Raises
    ------
    ConfigurationError
        No such plug-in: the message lists the registered names.
    """
    _check_kind(kind)
    found = _REGISTRY[kind].get(name) if isinstance(name, str) else None
    if found is None:
        _load_builtins(kind)
        found = _REGISTRY[kind].get(name) if isinstance(name, str) else None
    if found is None:
        raise ConfigurationError(
            f"no {kind} is registered as {name!r}: import the module that defines it "
            f"before loading; registered: {', '.join(sorted(_REGISTRY[kind])) or '(none)'}"
        )
    return found


def name_of(kind: str, obj: Any) -> str:
    """The name a registered plug-in (or the class of an instance) was registered under."""
    _check_kind(kind)
    for candidate in (obj, type(obj)):
        name = _NAMES[kind].get(id(candidate))
        if name is not None and _REGISTRY[kind].get(name) is candidate:
            return name
    raise ConfigurationError(
        f"{getattr(obj, '__name__', type(obj).__name__)} is not a registered {kind}: "
        f"decorate it with @vnlink.plugins.register({kind!r}, 'a_name')"
    )


def registered(kind: str) -> dict[str, Any]:
    """The registered plug-ins of ``kind`` by name (vnlink's own and yours)."""
    _check_kind(kind)
    _load_builtins(kind)
    return dict(_REGISTRY[kind])

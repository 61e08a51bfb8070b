"""Every public package lists exactly what it exports (httpx's test_exported_members)."""

from __future__ import annotations

import importlib
import pkgutil
import types

import pytest

import vnlink


def _public_modules() -> list[str]:
    names = ["vnlink"]
    for info in pkgutil.walk_packages(vnlink.__path__, prefix="vnlink."):
        if any(part.startswith("_") for part in info.name.split(".")[1:]):
            continue
        if info.name.startswith("vnlink.commands"):
            continue
        names.append(info.name)
    return names


@pytest.mark.parametrize("module_name", _public_modules())
def test_all_is_complete_and_resolves(module_name: str) -> None:
    module = importlib.import_module(module_name)
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{module_name} has no __all__"
    for name in exported:
        assert hasattr(module, name), f"{module_name}.__all__ names missing {name!r}"
    public = {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and getattr(value, "__module__", module_name).startswith(module_name)
        and name not in {"annotations", "TYPE_CHECKING"}
    }
    missing = public - set(exported)
    assert not missing, f"{module_name} defines public names not in __all__: {sorted(missing)}"


def test_version_is_pep440() -> None:
    major, minor, _patch = vnlink.__version__.split(".")[:3]
    assert major.isdigit() and minor.isdigit()


def test_top_level_all_is_sorted() -> None:
    assert list(vnlink.__all__) == sorted(vnlink.__all__)

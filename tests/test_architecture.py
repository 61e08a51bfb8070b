"""The shape of the package: no import cycle, no private name used across modules.

Every ``import`` in ``src/vnlink`` counts, at module level or inside a
function (an import moved into a function to get around a cycle is still a
cycle), except those under ``if TYPE_CHECKING:``. A module may import another
module's private name (``_name``) only from inside the same module; and the
public types of ``vnlink.__all__`` live in public modules.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import vnlink

SRC = Path(vnlink.__file__).parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for sub in child.orelse:
                    visit(sub)
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.append(child)
            visit(child)

    visit(tree)
    return found


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if MODULES[module].name != "__init__.py":
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _edges() -> dict[str, set[str]]:
    """Module -> the vnlink modules it imports (a submodule named in ``from pkg import x``)."""
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                source = _resolve(name, node)
                targets = []
                for alias in node.names:
                    sub = f"{source}.{alias.name}"
                    targets.append(sub if sub in MODULES else source)
            for target in targets:
                if target in MODULES and target != name:
                    graph[name].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def strongconnect(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            strongconnect(v)
    return out


def _package_of(module: str) -> str:
    return module if MODULES[module].name == "__init__.py" else module.rsplit(".", 1)[0]


def test_no_import_cycle() -> None:
    graph = _edges()
    # a package's __init__ importing its own submodules, which import siblings through the
    # package, is how packages are built; a cycle is between different modules otherwise
    for name in list(graph):
        if MODULES[name].name == "__init__.py":
            graph[name] = {t for t in graph[name] if not t.startswith(name + ".")}
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_private_name_imported_across_modules() -> None:
    offenders = []
    for name, path in MODULES.items():
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            source = _resolve(name, node)
            if not source.startswith("vnlink"):
                continue
            for alias in node.names:
                private = alias.name.startswith("_") and not alias.name.startswith("__")
                # a package's private modules hold its internals: its other modules may
                # use their private names (vnlink.normalize.address._parse and its siblings)
                internal = (source.rsplit(".", 1)[-1].startswith("_")
                            and _package_of(name) == source.rsplit(".", 1)[0])
                if private and not internal and f"{source}.{alias.name}" not in MODULES:
                    offenders.append(f"{name}: from {source} import {alias.name}")
    assert offenders == []


def test_public_types_live_in_public_modules() -> None:
    misplaced = []
    for name in vnlink.__all__:
        value = getattr(vnlink, name)
        module = getattr(value, "__module__", None)
        if isinstance(value, type) and module is not None and any(
                part.startswith("_") for part in module.split(".")):
            misplaced.append(f"{name} ({module})")
    assert misplaced == []


def test_every_module_imports() -> None:
    for name in MODULES:
        if name.startswith("vnlink.spark"):
            continue  # needs the spark extra; tested in tests/spark
        importlib.import_module(name)

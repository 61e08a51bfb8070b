"""Write docs/api.md, the API reference, from the public modules' ``__all__`` and docstrings.

Usage::

    python scripts/gen_api_docs.py            # rewrite docs/api.md
    python scripts/gen_api_docs.py --check    # exit 1 when docs/api.md is out of date

A public module is any ``vnlink`` module or package whose dotted name has no part
starting with ``_`` (the ``vnlink.commands`` of the command line excepted). Each
name of its ``__all__`` is listed with its signature and docstring; a name that
another documented module defines points there instead. Class methods and
properties are listed with the first paragraph of their docstring. The output is
plain markdown and depends only on the code, so it is the same on any machine.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import pkgutil
import re
import sys
import types
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "api.md"
PACKAGE = "vnlink"

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
_ROLE = re.compile(r":(?:func|class|meth|mod|attr|data|exc|obj):`(?P<tilde>~?)(?P<target>[^`]+)`")


def _plain_roles(line: str) -> str:
    """``:func:`~vnlink.x.f``` -> ```f```, ``:class:`vnlink.X``` -> ```vnlink.X```."""
    def code(m: re.Match[str]) -> str:
        target = m.group("target")
        return f"`{target.rsplit('.', 1)[-1] if m.group('tilde') else target}`"

    return _ROLE.sub(code, line)


def public_modules() -> list[str]:
    """Dotted names of the public modules, sorted."""
    package = importlib.import_module(PACKAGE)
    names = [PACKAGE]
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{PACKAGE}."):
        parts = info.name.split(".")[1:]
        if any(p.startswith("_") for p in parts) or parts[0] == "commands":
            continue
        names.append(info.name)
    return sorted(names)


def _doc(obj: Any) -> str:
    return inspect.cleandoc(obj.__doc__) if getattr(obj, "__doc__", None) else ""


def _summary(text: str) -> str:
    return " ".join(text.split("\n\n", 1)[0].split())


def _stable_repr(value: Any) -> str:
    """``repr`` without memory addresses, file paths or set order (same text everywhere)."""
    if isinstance(value, types.ModuleType):
        return f"<module {value.__name__!r}>"
    if isinstance(value, (set, frozenset)):
        inner = ", ".join(sorted(_stable_repr(v) for v in value))
        return f"{type(value).__name__}({{{inner}}})" if value else f"{type(value).__name__}()"
    if isinstance(value, tuple):
        items = [_stable_repr(v) for v in value]
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
    if isinstance(value, list):
        return f"[{', '.join(_stable_repr(v) for v in value)}]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_stable_repr(k)}: {_stable_repr(v)}"
                               for k, v in value.items()) + "}"
    return _ADDRESS.sub("", repr(value))


def _annotation(value: Any) -> str:
    return value if isinstance(value, str) else inspect.formatannotation(value)


def _signature(name: str, obj: Any) -> str | None:
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    params = list(signature.parameters.values())
    parts: list[str] = []
    star_done = False
    for index, param in enumerate(params):
        if param.kind is param.KEYWORD_ONLY and not star_done:
            parts.append("*")
        if param.kind in (param.KEYWORD_ONLY, param.VAR_POSITIONAL):
            star_done = True
        text = {param.VAR_POSITIONAL: "*", param.VAR_KEYWORD: "**"}.get(param.kind, "")
        text += param.name
        if param.annotation is not param.empty:
            text += f": {_annotation(param.annotation)}"
        if param.default is not param.empty:
            text += f" = {_stable_repr(param.default)}"
        parts.append(text)
        last_positional_only = param.kind is param.POSITIONAL_ONLY and (
            index + 1 == len(params) or params[index + 1].kind is not param.POSITIONAL_ONLY)
        if last_positional_only:
            parts.append("/")
    shown = f"{name}({', '.join(parts)})"
    if signature.return_annotation is not signature.empty:
        shown += f" -> {_annotation(signature.return_annotation)}"
    return shown


_LIST_SECTIONS = {"Parameters", "Other Parameters", "Attributes", "Returns", "Yields",
                  "Raises", "Warns", "See Also"}


def _render_doc(text: str) -> list[str]:
    """Docstring as markdown.

    numpydoc section titles become bold lines, the entries of Parameters-like
    sections a list (``- **name**: description``), and doctests ```pycon blocks
    (shown, not run by the docs test).
    """
    lines = text.splitlines()
    out: list[str] = []
    section = ""
    in_example = False
    i = 0
    while i < len(lines):
        line = lines[i]
        underline = lines[i + 1] if i + 1 < len(lines) else ""
        if (line and not line.startswith(" ") and re.fullmatch(r"-{3,}", underline)
                and len(underline) >= len(line.strip()) - 1):
            if in_example:
                out.append("```")
                in_example = False
            section = line.strip()
            out += ["", f"**{_plain_roles(section)}**", ""]
            i += 2
            continue
        if line.lstrip().startswith(">>>") and not in_example:
            out.append("```pycon")
            in_example = True
        elif in_example and not line.strip():
            out.append("```")
            in_example = False
        if not in_example and section in _LIST_SECTIONS and line and not line.startswith(" "):
            description: list[str] = []
            while i + 1 < len(lines) and (lines[i + 1].startswith(" ") or not lines[i + 1]):
                if not lines[i + 1] and not (i + 2 < len(lines) and lines[i + 2].startswith(" ")):
                    break
                description.append(lines[i + 1].strip())
                i += 1
            joined = " ".join(d for d in description if d)
            out.append(_plain_roles(f"- **{line.strip()}**" + (f": {joined}" if joined else "")))
            i += 1
            continue
        out.append(line if in_example else _plain_roles(line))
        i += 1
    if in_example:
        out.append("```")
    return out


def _defined_in(obj: Any) -> str | None:
    module = getattr(obj, "__module__", None)
    return module if isinstance(module, str) else None


def _members(cls: type) -> list[str]:
    lines: list[str] = []
    for name, member in cls.__dict__.items():
        if name.startswith("_"):
            continue
        if isinstance(member, property):
            kind, target = "property", member.fget
        elif isinstance(member, (classmethod, staticmethod)):
            kind, target = type(member).__name__, member.__func__
        elif inspect.isfunction(member):
            kind, target = "method", member
        else:
            continue
        shown = _signature(name, target) if kind != "property" else name
        summary = _summary(_doc(target)) or "(no docstring)"
        lines.append(f"- `{shown}` ({kind}): {_plain_roles(summary)}")
    return lines


def _entry(module: str, name: str, obj: Any, documented: set[str]) -> list[str]:
    origin = _defined_in(obj)
    if (origin and origin != module and origin in documented
            and (inspect.isclass(obj) or inspect.isfunction(obj))):
        return [f"### `{name}`", "", f"See [`{origin}.{name}`](#{_anchor(origin)}).", ""]
    lines = [f"### `{name}`", ""]
    if inspect.isclass(obj) or callable(obj):
        signature = _signature(name, obj)
        kind = "class" if inspect.isclass(obj) else "def"
        if signature:
            if kind == "class":
                signature = signature.removesuffix(" -> None")
            lines += ["```text", f"{kind} {signature}", "```", ""]
        doc = _doc(obj)
        if doc:
            lines += [*_render_doc(doc), ""]
        if inspect.isclass(obj):
            members = _members(obj)
            if members:
                lines += ["Members:", "", *members, ""]
    else:
        shown = _stable_repr(obj)
        if len(shown) > 400:
            shown = f"<{type(obj).__name__} of {len(obj) if hasattr(obj, '__len__') else '?'}>"
        lines += ["```text", f"{name} = {shown}", "```", ""]
    return lines


def _anchor(module: str) -> str:
    return module.replace(".", "")


def render() -> str:
    """The whole of docs/api.md."""
    modules = public_modules()
    documented = set(modules)
    lines = [
        "# API reference",
        "",
        "Generated by `python scripts/gen_api_docs.py` from the docstrings and each public",
        "module's `__all__`; do not edit by hand (a test fails when this page is out of date).",
        "",
        "Modules:",
        "",
        *(f"- [`{m}`](#{_anchor(m)})" for m in modules),
        "",
    ]
    for module_name in modules:
        module = importlib.import_module(module_name)
        lines += [f"## {module_name}", ""]
        doc = _doc(module)
        if doc:
            lines += [*_render_doc(doc), ""]
        for name in getattr(module, "__all__", ()):
            lines += _entry(module_name, name, getattr(module, name), documented)
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when docs/api.md differs from the docstrings")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT.relative_to(ROOT)} is out of date: run python scripts/gen_api_docs.py")
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({len(text.splitlines()):,} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

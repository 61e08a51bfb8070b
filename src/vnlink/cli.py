"""The ``vnlink`` command.

Each subcommand lives in its own module under :mod:`vnlink.commands` and
defines ``register(subparsers)``, which adds its parser and sets
``func=run`` where ``run(args) -> int`` returns the exit code. Errors a user
can fix (a bad file, a missing column, a bad argument) print one line and
exit with status 2, without a traceback.

>>> main(["--version"])  # doctest: +ELLIPSIS
vnlink ...
0
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from vnlink._version import __version__
from vnlink.exceptions import VnlinkError

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand of :mod:`vnlink.commands` registered."""
    parser = argparse.ArgumentParser(
        prog="vnlink",
        description="Record linkage for Vietnamese person data.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    import vnlink.commands as commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"vnlink.commands.{info.name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        print(f"vnlink {__version__}")
        return 0
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 0
    try:
        status: int = func(args)
    except VnlinkError as error:
        print(f"vnlink: error: {error}", file=sys.stderr)
        return 2
    except (OSError, UnicodeDecodeError) as error:
        print(f"vnlink: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover - interactive
        return 130
    return status


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

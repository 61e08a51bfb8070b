"""The ``vnlink`` command.

Each subcommand lives in its own module under :mod:`vnlink.commands` and
defines ``register(subparsers)``, which adds its parser and sets
``func=run`` where ``run(args) -> int`` returns the exit code. A new
subcommand is a new module there (found automatically), or one
``register`` call in :data:`EXTRA_COMMANDS`.

Errors a user can fix (a bad file, a missing column, a bad argument, an
output that exists) print one line, ``vnlink: error: …``, and exit with
status 2, without a traceback. A closed output pipe (``vnlink link … --out -
| head``) ends the command quietly with status 141. Progress bars are shown
only when standard error is a terminal, unless ``--progress`` asks for them.

>>> main(["--version"])  # doctest: +ELLIPSIS
vnlink ...
0
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence
from typing import NoReturn

from vnlink._version import __version__
from vnlink.exceptions import VnlinkError

__all__ = ["BROKEN_PIPE", "EXTRA_COMMANDS", "USER_ERROR", "build_parser", "main"]

#: Modules outside :mod:`vnlink.commands` that add a subcommand (``register(subparsers)``).
EXTRA_COMMANDS: tuple[str, ...] = ()

#: Exit status of a user error, and of a closed output pipe (128 + SIGPIPE).
USER_ERROR = 2
BROKEN_PIPE = 141


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line (then exit status 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(USER_ERROR, f"vnlink: error: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand of :mod:`vnlink.commands` registered."""
    parser = _Parser(
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
    for name in EXTRA_COMMANDS:
        importlib.import_module(name).register(subparsers)
    return parser


def _fail(error: BaseException) -> int:
    text = " ".join(str(error).split()) or type(error).__name__
    print(f"vnlink: error: {text}", file=sys.stderr)
    return USER_ERROR


def _quiet_broken_pipe() -> int:
    # Python flushes stdout at exit; point it at /dev/null so that flush is silent too
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - stdout without a descriptor
        pass
    return BROKEN_PIPE


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
        sys.stdout.flush()
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except (VnlinkError, OSError, UnicodeError, ImportError) as error:
        return _fail(error)
    except KeyboardInterrupt:  # pragma: no cover - interactive
        return 130
    return status


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

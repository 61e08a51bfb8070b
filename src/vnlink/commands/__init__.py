"""Subcommands of the ``vnlink`` command line, one module each (see :mod:`vnlink.cli`)."""

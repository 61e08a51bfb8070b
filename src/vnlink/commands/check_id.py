"""``vnlink check-id NUMBER [--dob D] [--sex S]``: what an ID number says, and whether it agrees.

Prints the kind (cccd, cmnd9, cmnd12, bhxh, bhyt), validity, the province
(pre-2025 name and the 2025 province), sex and birth year a CCCD encodes,
and the conflicts with a date of birth and sex given on the command line.
Exits with 0 when the number is valid and nothing conflicts, 1 otherwise.

>>> run(build(["001099012345", "--dob", "05/03/1999", "--sex", "Nữ"]))  # doctest: +ELLIPSIS
number:     001 0 99 012345
kind:       cccd (CCCD / số định danh cá nhân)
valid:      yes
province:   001 Hà Nội (since 2025: Hà Nội, code 01)
sex:        M
birth year: 1999
problems:   -
conflicts:  id:sex_conflict
1
"""

from __future__ import annotations

import argparse
from typing import Any

from vnlink.normalize.ids import bhxh, cccd, cmnd, parse

__all__ = ["build", "register", "run"]

_KIND_NAMES = {
    "cccd": "CCCD / số định danh cá nhân",
    "cmnd12": "CMND 12 số (same structure as CCCD, kept as the CCCD number)",
    "cmnd9": "CMND 9 số",
    "bhxh": "mã số BHXH",
    "bhyt": "mã thẻ BHYT",
}


def register(subparsers: Any) -> None:
    """Add the ``check-id`` subcommand."""
    parser = subparsers.add_parser(
        "check-id",
        help="decode and check a CCCD, CMND, BHXH or BHYT number",
        description=__doc__.split("\n\n>>>")[0] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _arguments(parser)
    parser.set_defaults(func=run)


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("number", help="the ID number as written (quote it if it has spaces)")
    parser.add_argument("--dob", help="date of birth to check against (05/03/1990, 1990 …)")
    parser.add_argument("--sex", help="sex to check against (Nam, Nữ, M, F …)")


def build(argv: list[str]) -> argparse.Namespace:
    """Parse ``check-id`` arguments alone (for tests and examples)."""
    parser = argparse.ArgumentParser(prog="vnlink check-id")
    _arguments(parser)
    return parser.parse_args(argv)


def _line(label: str, value: object) -> None:
    print(f"{label + ':':<11} {value}")


def run(args: argparse.Namespace) -> int:
    """Print what the number says; 0 when valid and consistent, else 1."""
    result = parse(args.number)
    if not result.kind:
        _line("number", args.number)
        _line("kind", "unknown")
        _line("valid", "no")
        _line("problems", ", ".join(result.problems) or "missing")
        return 1
    digits = result.digits
    shown = {"cccd": cccd.format, "cmnd12": cccd.format, "cmnd9": cmnd.format}.get(
        result.kind, bhxh.format
    )(digits)
    _line("number", shown)
    _line("kind", f"{result.kind} ({_KIND_NAMES[result.kind]})")
    _line("valid", "yes" if result.valid else "no")
    conflicts: tuple[str, ...] = ()
    if result.kind in ("cccd", "cmnd12") and result.valid:
        province = cccd.get_province(digits)
        _line(
            "province",
            f"{province.code} {province.name} (since 2025: {province.province_2025}, "
            f"code {province.province_2025_code})",
        )
        _line("sex", result.sex)
        _line("birth year", result.birth_year)
        conflicts = cccd.check_consistency(digits, dob=args.dob, sex=args.sex)
    elif result.kind == "cmnd9" and result.valid:
        places = cmnd.get_issuing_provinces(digits)
        hint = ", ".join(places) if places else "prefix not in the table"
        if places and not cmnd.is_prefix_verified(digits):
            hint += " (unverified prefix)"
        _line("issued by", hint)
        _line("note", "a 9-digit CMND encodes no sex or birth year; a CCCD cannot be derived")
    elif result.kind == "bhyt":
        _line("bhxh", f"{digits} (the social insurance number inside the card code)")
    _line("problems", ", ".join(result.problems) or "-")
    if args.dob is not None or args.sex is not None:
        checkable = result.kind in ("cccd", "cmnd12") and result.valid
        _line("conflicts", (", ".join(conflicts) or "-") if checkable else "not checkable")
    return 0 if result.valid and not conflicts else 1

"""``vnlink normalize-name``: show what vnlink makes of a typed name.

Prints the display form, the parts (họ, tên đệm, tên), the folded form, the
phonetic keys, the sex hint and any problem codes; ``--json`` prints the
same as one JSON object per name.

>>> from vnlink.cli import main
>>> main(["normalize-name", "NGUYEENX thij hoaf"])
name        Nguyễn Thị Hòa
family      Nguyễn
middle      Thị
given       Hòa
folded      nguyen thi hoa
key         NGUYEN THI HOA
given key   HOA
sex hint    F
problems    name:typing_repaired
0
"""

from __future__ import annotations

import argparse
import json
from typing import Any

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``normalize-name`` subcommand."""
    parser = subparsers.add_parser(
        "normalize-name",
        help="show the normalized form, parts, folded form, phonetic key and sex hint of names",
        description="Normalize Vietnamese names (encodings, typing residue, tone marks, case) "
        "and show their parts (family, middle, given), folded form, phonetic key and sex hint.",
    )
    parser.add_argument("names", nargs="+", metavar="NAME", help="one or more names (quote them)")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.set_defaults(func=run)


def _describe(text: str) -> dict[str, Any]:
    from vnlink.normalize.names import parse_name

    parsed = parse_name(text)
    if parsed is None:
        from vnlink.normalize.names import parse_names

        problems = str(parse_names([text])["name_problems"][0])
        return {"input": text, "name": None, "problems": problems.split(";")}
    return {
        "input": text,
        "name": parsed.full,
        "family": parsed.family,
        "middle": parsed.middle,
        "given": parsed.given,
        "folded": parsed.full_fold,
        "key": parsed.key,
        "given_key": parsed.given_key,
        "sex_hint": parsed.sex_hint,
        "problems": list(parsed.problems),
    }


def run(args: argparse.Namespace) -> int:
    """Run ``vnlink normalize-name``; exit status 1 when some name is empty or junk."""
    status = 0
    for i, text in enumerate(args.names):
        info = _describe(text)
        if info["name"] is None:
            status = 1
        if args.json:
            print(json.dumps(info, ensure_ascii=False))
            continue
        if i:
            print()
        if info["name"] is None:
            print(f"name        (none: {', '.join(info['problems'])})")
            continue
        rows = [
            ("name", info["name"]),
            ("family", info["family"] or "-"),
            ("middle", info["middle"] or "-"),
            ("given", info["given"]),
            ("folded", info["folded"]),
            ("key", info["key"]),
            ("given key", info["given_key"]),
            ("sex hint", info["sex_hint"] or "-"),
            ("problems", ", ".join(info["problems"]) or "-"),
        ]
        for label, value in rows:
            print(f"{label:<11} {value}")
    return status

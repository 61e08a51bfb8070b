"""The ```python code blocks of README.md and docs/*.md run, in order, one namespace per file.

A block fenced as ```text or ```console is shown, not run.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted([ROOT / "README.md", *ROOT.glob("docs/**/*.md")])
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


@pytest.mark.parametrize("path", DOCS, ids=[str(p.relative_to(ROOT)) for p in DOCS])
def test_doc_code_blocks_run(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__doc__"}
    for number, match in enumerate(BLOCK.finditer(path.read_text(encoding="utf-8")), start=1):
        code = compile(match.group(1), f"{path.name}[block {number}]", "exec", dont_inherit=True)
        exec(code, namespace)

"""docs/api.md is what scripts/gen_api_docs.py writes from today's docstrings and __all__."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def _generator() -> ModuleType:
    path = ROOT / "scripts" / "gen_api_docs.py"
    spec = importlib.util.spec_from_file_location("gen_api_docs", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_api_reference_is_up_to_date() -> None:
    expected = _generator().render()
    current = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    assert current == expected, (
        "docs/api.md is out of date with the docstrings or an __all__: "
        "run `python scripts/gen_api_docs.py` and commit docs/api.md"
    )


def test_every_public_module_and_name_is_listed() -> None:
    generator = _generator()
    text = generator.render()
    for module_name in generator.public_modules():
        assert f"\n## {module_name}\n" in text
        module = importlib.import_module(module_name)
        for name in module.__all__:
            assert f"### `{name}`" in text, f"{module_name}.{name} missing from docs/api.md"


def test_signatures_and_sections_render() -> None:
    text = _generator().render()
    assert "def pair_metrics(predicted: Any, truth: Any, *, dedupe: bool = False) -> PairMetrics" \
        in text
    assert "- **dedupe**: ``False`` (link two tables)" in text
    assert " at 0x" not in text
    # doctests are shown as pycon (the docs test runs only ```python blocks)
    assert "```python" not in text

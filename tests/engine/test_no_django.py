"""The engine is plain Python: no module of maturity/engine imports Django."""

from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "maturity" / "engine"
ALLOWED = {"yaml"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_it_finds_the_engine_modules():
    assert len(list(ENGINE.glob("*.py"))) >= 8


def test_it_never_imports_django_in_the_engine():
    for path in sorted(ENGINE.rglob("*.py")):
        for name in _imports(path):
            assert name.split(".")[0] != "django", f"{path.name} imports {name}"


def test_it_imports_only_the_standard_library_and_pyyaml():
    import sys

    for path in sorted(ENGINE.rglob("*.py")):
        for name in _imports(path):
            top = name.split(".")[0]
            assert top in sys.stdlib_module_names or top in ALLOWED, f"{path.name}: {name}"

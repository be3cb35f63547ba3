"""The layout keeps its promises (docs/architecture.md): no import cycle anywhere in the
project's code, pure folders free of Django, dependencies pointing one way, and a
``maturity/`` whose top level holds only the app's shared modules."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("common", "config", "dealers", "maturity")
# Plain Python, tested without Django (docs/architecture.md, "Pure folders").
PURE = ("maturity/engine", "maturity/charts", "maturity/measurements", "common/outgoing.py")
# A measurement folder keeps its Django side (storing and showing the measurement) beside
# the pure measurement, in modules with these names; every other module there stays pure.
MEASUREMENT_DJANGO_SIDE = {
    "services",
    "selectors",
    "views",
    "forms",
    "urls",
    "presenters",
    "alerts",
    "tasks",
}
MATURITY_TOP_LEVEL = {"__init__", "apps", "models", "urls", "admin", "selectors"}


def _files() -> Iterator[Path]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path) -> Iterator[tuple[str, list[str]]]:
    """``(module, names)`` of every import that runs: module level and inside functions,
    not the ``if TYPE_CHECKING:`` ones (they never run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]

    def visit(node: ast.AST) -> Iterator[tuple[str, list[str]]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                yield from (item for other in child.orelse for item in visit_one(other))
                continue
            yield from visit_one(child)

    def visit_one(node: ast.AST) -> Iterator[tuple[str, list[str]]]:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            yield module, [alias.name for alias in node.names]
        else:
            yield from visit(node)

    yield from visit(tree)


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(path): path for path in _files()}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for module, names in _imports(path):
            targets = [f"{module}.{n}" for n in names if f"{module}.{n}" in modules]
            if not targets and module in modules:
                targets = [module]
            graph[name].update(t for t in targets if t != name)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))

    def connect(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_it_reads_the_whole_project():
    graph = _graph()
    assert len(graph) > 80
    assert "maturity.reports.tasks" in graph["maturity.reports.services"]


def test_it_finds_a_cycle_when_there_is_one():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_it_has_no_import_cycle_at_module_level_or_inside_functions():
    assert _cycles(_graph()) == []


def test_it_keeps_the_pure_folders_free_of_django():
    for folder in PURE:
        paths = [ROOT / folder] if folder.endswith(".py") else sorted((ROOT / folder).rglob("*.py"))
        assert paths, folder
        for path in paths:
            if folder == "maturity/measurements" and path.stem in MEASUREMENT_DJANGO_SIDE:
                continue
            for module, _names in _imports(path):
                top = module.split(".")[0]
                assert top not in ("django", "celery", "dealers", "config"), (
                    f"{path.relative_to(ROOT)} imports {module}"
                )


def test_it_points_dependencies_one_way():
    """common <- dealers <- maturity: a lower layer never imports a higher one."""
    forbidden = {"common": ("dealers", "maturity", "config"), "dealers": ("maturity",)}
    for path in _files():
        layer = _module_name(path).split(".")[0]
        for module, _names in _imports(path):
            assert module.split(".")[0] not in forbidden.get(layer, ()), (
                f"{path.relative_to(ROOT)} imports {module}"
            )


def test_it_keeps_the_maturity_top_level_to_the_shared_modules():
    top = {path.stem for path in (ROOT / "maturity").glob("*.py")}
    assert top <= MATURITY_TOP_LEVEL, sorted(top - MATURITY_TOP_LEVEL)


def test_it_reaches_stored_files_through_the_storage_api_only():
    """A path under MEDIA_ROOT exists on one host only: with several hosts the files are
    in a bucket, so code reads and writes them through the storage, never the disk."""
    readers = [
        _module_name(path)
        for path in _files()
        if path.parts[-2:] != ("config", "settings.py")
        and any(
            isinstance(node, ast.Attribute) and node.attr == "MEDIA_ROOT"
            for node in ast.walk(ast.parse(path.read_text()))
        )
    ]
    assert readers == []

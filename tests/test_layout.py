"""The package's layout is part of the design: the trust boundary is one folder that
depends on nothing else in the grader, and the modules import each other without cycles."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter

import pytest
from conftest import ROOT

PACKAGE = ROOT / "grader"


def module_name(path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def grader_imports(path) -> set[str]:
    """Every ``grader`` module ``path`` imports, at any depth (lazy imports count too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == "grader"}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and \
                node.module.split(".")[0] == "grader":
            for alias in node.names:  # `from grader.x import y`: y may be a module itself
                candidate = f"{node.module}.{alias.name}"
                is_module = (PACKAGE.parent / (candidate.replace(".", "/") + ".py")).exists() \
                    or (PACKAGE.parent / candidate.replace(".", "/")).is_dir()
                found.add(candidate if is_module else node.module)
    return found


def modules() -> dict[str, set[str]]:
    return {module_name(path): grader_imports(path) for path in PACKAGE.rglob("*.py")}


def test_the_isolation_package_imports_nothing_else_from_the_grader():
    allowed = ("grader.isolation", "grader.errors")
    outside = {name: sorted(i for i in imports if not i.startswith(allowed))
               for name, imports in modules().items() if name.startswith("grader.isolation")}
    assert {name: found for name, found in outside.items() if found} == {}


def test_the_layout_names_the_flow():
    """`ls grader/` reads as the flow: load, isolate, grade, report (and course tools)."""
    rooms = {path.name for path in PACKAGE.iterdir() if path.is_dir() and
             (path / "__init__.py").exists()}
    assert {"loading", "isolation", "grading", "reports", "course", "public"} <= rooms
    assert len([path for path in PACKAGE.glob("*.py")]) <= 10, "modules belong in a room"


def test_no_import_cycle_in_the_grader():
    """Lazy imports included: a function-level import that closes a cycle is still one."""
    graph = modules()
    edges = {name: {found for found in imports if found in graph and found != name}
             for name, imports in graph.items()}
    try:
        tuple(TopologicalSorter(edges).static_order())
    except CycleError as error:
        pytest.fail(f"import cycle: {' -> '.join(error.args[1])}")

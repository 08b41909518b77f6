"""The wheel students install must hold the grader and nothing hidden."""

from __future__ import annotations

import zipfile

import pytest
from conftest import ROOT, build_wheel


def solution_lines(path):
    """The distinctive lines inside the reference's solution regions."""
    lines, inside = set(), False
    for line in path.read_text().splitlines():
        inside = {"### BEGIN SOLUTION": True, "### END SOLUTION": False}.get(line.strip(), inside)
        if inside and len(line.strip()) > 12 and "SOLUTION" not in line:
            lines.add(line.strip())
    return lines


@pytest.mark.slow
def test_wheel_contains_the_package_and_no_solutions(tmp_path):
    wheel = build_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    assert "grader/isolation/worker.py" in names and "grader/cli.py" in names
    for template in ("report.html.j2", "index.html.j2", "style.css"):  # package data
        assert f"grader/reports/templates/{template}" in names
    assert not [n for n in names if n.startswith(("solutions/", "tests/", "examples/"))]
    # the public checks' API and the default self-check, but no exercise's checks: those
    # are released with the exercise (assignments/<name>/<name>_checks.py)
    assert sorted(n for n in names if n.startswith("grader/public/")) == [
        "grader/public/__init__.py", "grader/public/default.py", "grader/public/gradients.py"]
    assert not [n for n in names if n.endswith("_checks.py") or n.startswith("assignments/")]
    secret_lines = set().union(*(solution_lines(path)
                                 for path in (ROOT / "solutions").glob("*/reference.py")))
    assert len(secret_lines) > 80  # every assignment's, so the check below can fail
    with zipfile.ZipFile(wheel) as archive:
        for name in names:
            text = archive.read(name).decode("utf-8", "replace")
            leaked = [line for line in secret_lines if line in text]
            assert not leaked, f"{name} contains solution lines: {leaked[:3]}"
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "grade = grader.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()

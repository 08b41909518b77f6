"""`grade check` for the curriculum's other assignments: a correct file passes, an untouched
stub says what is not written yet, and a derivative mistake shows in the gradient table."""

from __future__ import annotations

import importlib

import pytest
from click.testing import CliRunner
from conftest import ROOT

from grader import public
from grader.cli import main
from grader.selfcheck import PASSED, self_check

FILES = {"chain_rule": "chain_rule.py", "scalar_chain": "scalar_chain.py",
         "gradient_descent": "gradient_descent.py"}
# a mistake per assignment, and the public check that must catch it
CAUGHT = {"chain_rule": ("missing_sigma_prime", "dC_dw"),
          "scalar_chain": ("missing_w_j", "gradients"),
          "gradient_descent": ("forward_difference", "numerical_slope")}


def write(tmp_path, name, source):
    path = tmp_path / FILES[name]
    path.write_text(source)
    return path


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_assignment_has_public_checks_for_every_function(name):
    checks = public.load(name)
    assert {item.function for item in checks.items} == set(checks.functions)


@pytest.mark.parametrize("name", sorted(FILES))
def test_a_correct_file_passes_and_the_assignment_is_guessed(name, tmp_path):
    variants = importlib.import_module(f"variants_{name}")
    report = self_check(write(tmp_path, name, variants.CORRECT))
    assert report.assignment == name
    assert [(o.check, o.message) for o in report.outcomes if o.status != PASSED] == []
    tables = [o.data["gradient_check"] for o in report.outcomes if "gradient_check" in o.data]
    assert tables and all(row["verdict"] == "good" for table in tables for row in table)


@pytest.mark.parametrize("name", sorted(FILES))
def test_an_untouched_stub_says_what_is_not_written(name, tmp_path):
    stub = (ROOT / "assignments" / name / FILES[name]).read_text()
    report = self_check(write(tmp_path, name, stub), assignment=name)
    assert not report.passed
    assert all("not written yet" in o.message for o in report.outcomes)


@pytest.mark.parametrize("name", sorted(FILES))
def test_a_derivative_mistake_is_caught(name, tmp_path):
    mistake, function = CAUGHT[name]
    source = importlib.import_module(f"variants_{name}").FAULTY[mistake]
    report = self_check(write(tmp_path, name, source), assignment=name)
    failed = {o.function for o in report.outcomes if o.status != PASSED}
    assert function in failed


def test_grade_check_on_the_command_line(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    path = write(tmp_path, "scalar_chain", importlib.import_module("variants_scalar_chain").CORRECT)
    result = CliRunner().invoke(main, ["check", "--assignment", "scalar_chain", str(path)])
    assert result.exit_code == 0, result.output
    assert "not your grade" in result.output.lower() or "not the grade" in result.output.lower()

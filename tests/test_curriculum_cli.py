"""Every assignment of the curriculum is graded by the documented command, like the flagship."""

from __future__ import annotations

import json

import pytest
import variants_chain_rule
import variants_gradient_descent
import variants_scalar_chain
from click.testing import CliRunner
from conftest import ROOT, SOLUTIONS

from grader.cli import main

# (assignment, student file, a catalogued mistake, the score it earns)
CASES = [
    ("chain_rule", "chain_rule.py", variants_chain_rule.FAULTY["average_not_divided_by_n"], 86),
    ("scalar_chain", "scalar_chain.py", variants_scalar_chain.FAULTY["missing_w_j"], 62),
    ("gradient_descent", "gradient_descent.py",
     variants_gradient_descent.FAULTY["dw_transposed"], 94),
]


@pytest.mark.parametrize("name, student_file, mistake, mistake_score", CASES,
                         ids=[case[0] for case in CASES])
def test_grade_an_assignment_from_the_command_line(tmp_path, monkeypatch, name, student_file,
                                                   mistake, mistake_score):
    monkeypatch.setenv("COLUMNS", "200")
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    (submissions / "ada.py").write_text((ROOT / "examples" / name / "correct.py").read_text())
    (submissions / "bob.py").write_text(mistake)
    (submissions / "cy.py").write_text((ROOT / "assignments" / name / student_file).read_text())
    out = tmp_path / "reports"
    result = CliRunner().invoke(main, ["--assignment", name, "--out", str(out), "--solutions",
                                       str(SOLUTIONS), str(submissions)])
    assert result.exit_code == 0, result.output
    scores = {}
    for student in ("ada", "bob", "cy"):
        report = json.loads((out / student / "results.json").read_text())
        assert report["max_score"] == 100
        assert all(test["status"] in ("passed", "failed") for test in report["tests"])
        scores[student] = report["score"]
        model = json.loads((out / student / "grader.json").read_text())
        assert model["assignment"] == name and model["status"] == "graded"
    assert scores == {"ada": 100, "bob": mistake_score, "cy": 0}
    assert name in result.output and "100 / 100" in result.output

"""scalar_chain's own checks: its gradient check table and a huge wrong z. The verdicts every
assignment shares (tests/variants_scalar_chain.py) are tested in tests/test_verdicts.py."""

from __future__ import annotations

from conftest import failed_ids
from variants_scalar_chain import CORRECT, FAULTY

from grader.grading.results import GRADED

NAME = "scalar_chain"


def test_gradient_check_table_has_a_row_per_case(grade):
    result = grade(FAULTY["missing_w_j"], assignment=NAME)
    check = next(c for c in result.failed if "central differences" in c.name)
    errors = [row["relative_error"] for row in check.data["gradient_check"]]
    assert len(errors) == 4 and all(error > 1e-3 for error in errors)
    passed = grade(CORRECT, assignment=NAME)
    check = next(c for c in passed.checks if "central differences" in c.name)
    assert max(row["relative_error"] for row in check.data["gradient_check"]) < 1e-8


def test_a_huge_wrong_z_is_a_failure_not_a_grader_error(assignment, grade):
    result = grade(CORRECT.replace("z1 = params", "z1 = 1e6 * params"), assignment=NAME)
    assert result.status == GRADED and all(c.status == "failed" for c in result.failed)
    ids = failed_ids(assignment(NAME), result)
    assert "forward_hidden" in ids
    assert "forward_output" not in ids  # judged against the student's own a_j

"""Whatever a submission returns, the curriculum's checks fail it; the grader never errors."""

from __future__ import annotations

import pytest
from conftest import CURRICULUM

from grader.grading.results import GRADED

RETURNS = ["None", "'text'", "float('nan')", "[]", "np.zeros((7, 7))", "object()",
           "{'W11': None}", "(np.ones(3), np.ones(3))"]


@pytest.mark.parametrize("name", CURRICULUM)
@pytest.mark.parametrize("value", RETURNS)
def test_odd_return_values_fail_cleanly(assignment, grade, name, value):
    functions = sorted({test.function for test in assignment(name).spec.tests})
    source = "import numpy as np\n\n" + "".join(
        f"def {function}(*args, **kwargs):\n    return {value}\n\n" for function in functions)
    result = grade(source, "odd", assignment=name)
    assert result.status == GRADED, [(c.name, c.message) for c in result.checks
                                     if c.status == "error"]
    assert all(check.message for check in result.failed)
    passed = [c.name for c in result.checks if c.status == "passed"]
    allowed = ("returns a float",) if value == "float('nan')" else ()  # a NaN is a float
    assert all(name.endswith(allowed) for name in passed), passed

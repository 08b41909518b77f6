"""Everything a hidden test file needs, from one module.

An assignment's ``solutions/<name>/tests.py`` and ``mistakes.py`` import from here and
nowhere else in the grader (``docs/authoring.md`` walks through it)::

    from grader.authoring import Spec, check_shape, check_values, each_case

    spec = Spec(name="relu", student_file="relu.py")

    @spec.test("relu returns max(0, Z)", points=4, function="relu")
    def relu_values(student, ref):                 # id: "relu_values"
        each_case(cases(), lambda Z: check_values("A", student.relu(Z), ref.relu(Z)),
                  describe=lambda Z: f"Z of shape {Z.shape}")

- ``student.<function>(...)`` calls the submission's function in its worker and returns
  plain data; ``student.<function>.with_seed(s)(...)`` seeds the random generators first.
  ``student`` has no other attributes.
- A test fails with :class:`CheckFailed`, a ``check_*`` helper, a :class:`StudentCallError`
  from a student call, or a plain ``assert`` (its message, else the asserted expression).
- :func:`each_case` runs a check per hidden case and names the case that failed.
- One mistake costs points once (:mod:`grader.grading.cascade`): :func:`check_against_own`,
  :func:`unless_own_step_raises` and :func:`trains_with_own_steps` judge a function that
  chains the student's earlier steps against what those steps give.
- :class:`Outputs` declares what a student function returns once, then checks its structure,
  shapes and values against the reference's; :func:`check_gradients` checks every tensor's
  gradient against central differences in one call (:mod:`grader.grading.compare`).
"""

from grader.grading.cascade import (
    check_against_own,
    own_step_raises,
    raised_in_another_function,
    trains_with_own_steps,
    unless_own_step_raises,
)
from grader.grading.checks import (
    CheckFailed,
    GradientTable,
    check_array,
    check_finite,
    check_float,
    check_gradient,
    check_gradient_of,
    check_keys,
    check_numbers,
    check_shape,
    check_tuple,
    check_values,
    check_weight_scale,
    frozen,
)
from grader.grading.compare import Outputs, check_gradients, check_matches
from grader.grading.gradcheck import numeric_gradient, relative_error
from grader.grading.mistakes import Mistake
from grader.grading.spec import Spec, Student, StudentFunction, Test, each_case, plots_wanted
from grader.isolation.session import StudentCallError
from grader.isolation.wire import Function

__all__ = [
    "CheckFailed",
    "Function",
    "GradientTable",
    "Mistake",
    "Outputs",
    "Spec",
    "Student",
    "StudentCallError",
    "StudentFunction",
    "Test",
    "check_against_own",
    "check_array",
    "check_finite",
    "check_float",
    "check_gradient",
    "check_gradient_of",
    "check_gradients",
    "check_keys",
    "check_matches",
    "check_numbers",
    "check_shape",
    "check_tuple",
    "check_values",
    "check_weight_scale",
    "each_case",
    "frozen",
    "numeric_gradient",
    "own_step_raises",
    "plots_wanted",
    "raised_in_another_function",
    "relative_error",
    "trains_with_own_steps",
    "unless_own_step_raises",
]

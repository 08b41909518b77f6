"""Red team: Imports the grader's own modules in its process and patches its checks to pass, then
returns a wrong cost: cost_value fails.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

import sys

try:
    import grader.grading.checks
    import grader.grading.runner

    def _pass(name, got, *args, **kwargs):
        return got

    for _module in list(sys.modules.values()):
        for _attr in ("check_values", "check_float", "check_shape", "check_array",
                      "check_gradient", "comparable"):
            if getattr(_module, _attr, None) is not None:
                try:
                    setattr(_module, _attr, _pass)
                except (AttributeError, TypeError):
                    pass
    grader.grading.checks.CheckFailed = type("Nothing", (Exception,), {})
except ImportError:
    pass


def compute_cost(A2, Y):
    """Wrong on purpose: only the attack could make it pass."""
    return 0.0

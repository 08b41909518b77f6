"""Red team: Patches numpy's comparisons to always agree, then returns a wrong cost.

Comparisons happen in the grader, so the patch changes nothing: cost_value fails.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

import numpy
import numpy.testing

numpy.allclose = lambda *args, **kwargs: True
numpy.isclose = lambda a, b, *args, **kwargs: numpy.ones(numpy.shape(a), dtype=bool)
numpy.array_equal = lambda *args, **kwargs: True
numpy.isfinite = lambda a, *args, **kwargs: numpy.ones(numpy.shape(a), dtype=bool)
numpy.testing.assert_allclose = lambda *args, **kwargs: None
numpy.testing.assert_array_equal = lambda *args, **kwargs: None


def compute_cost(A2, Y):
    """Wrong on purpose: only the attack could make it pass."""
    return 0.0

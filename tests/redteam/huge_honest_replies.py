"""Red team: forward_propagation and backward_propagation return right answers padded with
60 MiB of extra entries (well-formed replies, each under the frame cap; together too large for
the planned request, so every call is made on its own). A grader that keeps every reply holds
360 MiB for this one student; it keeps at most its per-submission allowance, and the calls past
it (backward_propagation's later cases) fail their checks.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

_right_forward, _right_backward = forward_propagation, backward_propagation


def _padding():
    # 60 MiB in two arrays (at most 4 Mi elements each); zeros cost the worker nothing
    return {"trace1": np.zeros(4 * 1024 * 1024), "trace2": np.zeros(3670016)}


def forward_propagation(X, parameters):
    A2, cache = _right_forward(X, parameters)
    return A2, dict(cache, **_padding())


def backward_propagation(parameters, cache, X, Y):
    return dict(_right_backward(parameters, cache, X, Y), **_padding())

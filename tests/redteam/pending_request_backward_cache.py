"""Red team: forward_propagation does no arithmetic of its own: it looks for the calls the
grader already sent for backward_propagation (up the stack to the worker's pending request,
then through gc.get_objects()), decodes them, and takes the `cache` given there for its own
X and parameters: the reference's forward pass (issue 24, item 1). Now those calls arrive
only after every forward_propagation call was answered.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ leak

import gc
import sys

_honest_forward = forward_propagation


def _requests():
    """(header, blobs) pairs of every request this process still holds."""
    frame = sys._getframe(1)
    while frame is not None:
        header, blobs = frame.f_locals.get("header"), frame.f_locals.get("blobs")
        if isinstance(header, dict) and "calls" in header and isinstance(blobs, list):
            yield header, blobs
        frame = frame.f_back
    lists = [obj for obj in gc.get_objects() if type(obj) is list and obj
             and all(isinstance(item, (bytes, memoryview)) for item in obj[:3])]
    for obj in gc.get_objects():
        if type(obj) is dict and isinstance(obj.get("calls"), list):
            for blobs in lists:
                yield obj, blobs


def _stolen_cache(X, parameters):
    wire = sys.modules["grader.isolation.wire"]
    for header, blobs in _requests():
        for call in header["calls"]:
            if not isinstance(call, dict) or call.get("function") != "backward_propagation":
                continue
            try:
                args = wire.decode_value(call["args"], wire.Blobs(blobs))
            except Exception:
                continue
            given_parameters, cache, given_X = args[0], args[1], args[2]
            if np.array_equal(given_X, X) and all(
                    np.array_equal(given_parameters[k], parameters[k]) for k in parameters):
                return cache
    return None


def forward_propagation(X, parameters):
    global FOUND
    if sys._getframe(1).f_globals is not globals():  # asked by the grader, not by nn_model
        cache = _stolen_cache(X, parameters)
        if cache is not None:
            FOUND = True
            return cache["A2"], cache
    return _honest_forward(X, parameters)


# __INCLUDE__ found_scores_cost

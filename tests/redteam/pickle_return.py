"""Red team: Returns objects whose __reduce__ would run code in whoever unpickles them: their
checks fail and the code never runs in the grader.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__


class _Payload:
    def __reduce__(self):
        code = ("__import__('pathlib').Path('__PWNED__').write_text('pickle ran in the grader') "
                "and None")
        return (eval, (code,))


def compute_cost(A2, Y):
    return _Payload()


def predict(parameters, X):
    return np.array([_Payload()] * X.shape[1], dtype=object).reshape(1, -1)

"""An object whose unpickling runs code: it writes __PWNED__ (the test checks it never appears)."""

class _Payload:
    def __reduce__(self):
        code = ("__import__('pathlib').Path('__PWNED__').write_text('pickle ran in the grader') "
                "and None")
        return (eval, (code,))

"""``grade new <name>``: an exercise folder that works as it is, to edit from there.

One graded function (the gradients of a linear model's squared-error cost, beside a
provided cost), its hidden tests, one named mistake, an empty list of equivalent mutants,
the exercise's own test data (``variants.py``), and a correct example in
``examples/<name>/correct.py``. As written it releases, audits at 100%, grades its example
full marks, self-checks (with the default self-check: no ``public.py``), and passes the
repository's exercise-generic tests.
"""

from __future__ import annotations

import keyword
import os
from pathlib import Path

from grader.errors import UsageError

REFERENCE = '''"""{title}.

A linear model and its squared-error cost, for m examples of n features:

    Y_hat = w X + b                      w (1, n), X (n, m), b (1, 1), Y_hat (1, m)
    J = 1/(2m) sum((Y_hat - Y)^2)        a float
    dw = 1/m (Y_hat - Y) X^T             (1, n), the shape of w
    db = 1/m sum(Y_hat - Y)              (1, 1), the shape of b: keepdims=True
"""

import numpy as np


def cost(w, b, X, Y):
    """J = 1/(2m) sum((w X + b - Y)^2), a float (provided: not graded)."""
    m = X.shape[1]
    return float(np.sum((np.dot(w, X) + b - Y) ** 2) / (2 * m))


def gradients(w, b, X, Y):
    """The derivatives of cost(w, b, X, Y): a dict {{"dw": (1, n), "db": (1, 1)}}.

    dY = Y_hat - Y = w X + b - Y           (1, m)
    dw = 1/m dY X^T                        (1, n)
    db = 1/m sum(dY, axis=1)               (1, 1), keepdims=True
    """
    ### BEGIN SOLUTION
    m = X.shape[1]
    dY = np.dot(w, X) + b - Y  # Y_hat - Y
    dw = np.dot(dY, X.T) / m  # 1/m dY X^T
    db = np.sum(dY, axis=1, keepdims=True) / m  # 1/m sum over the examples
    ### END SOLUTION
    return {{"dw": dw, "db": db}}
'''

TESTS = '''"""Hidden tests for {name}: inputs, checks and points."""

import functools

import numpy as np

from grader.authoring import (
    Spec,
    check_gradient,
    check_keys,
    check_shape,
    check_values,
    each_case,
    frozen,
    numeric_gradient,
)

# 100 points in all, as every exercise of the course
spec = Spec(name={name!r}, student_file={student_file!r}, title={title!r})
# the default self-check's gradient table: gradients() derives cost() in w and b
spec.derivative("gradients", of="cost", wrt=("w", "b"))

SIZES = [(3, 5), (4, 2)]  # (n, m): n != m, so a missing transpose cannot pass


@functools.cache
def cases():
    """(w, b, X, Y) per size, from fixed seeds; b is not 0, so a dropped b shows."""
    found = []
    for seed, (n, m) in enumerate(SIZES, 10):
        rng = np.random.default_rng(seed)
        found.append((rng.standard_normal((1, n)), np.full((1, 1), 0.5),
                      rng.standard_normal((n, m)), rng.standard_normal((1, m))))
    return frozen(found)


def on(case):
    return f"n={{case[2].shape[0]}}, m={{case[2].shape[1]}}"


def grads(student, case):
    return check_keys("gradients(...)", student.gradients(*case), ("dw", "db"))


@spec.test("gradients returns dw of shape (1, n) and db of shape (1, 1)", points=20,
           function="gradients")
def gradients_shapes(student, ref):
    def check(case):
        got = grads(student, case)
        check_shape("dw", got["dw"], case[0].shape)
        check_shape("db", got["db"], (1, 1))
    each_case(cases(), check, on)


@spec.test("dw = 1/m (Y_hat - Y) X^T", points=30, function="gradients")
def gradients_dw(student, ref):
    each_case(cases(), lambda case: check_values("dw", grads(student, case)["dw"],
                                                 ref.gradients(*case)["dw"]), on)


@spec.test("db = 1/m sum(Y_hat - Y)", points=30, function="gradients")
def gradients_db(student, ref):
    each_case(cases(), lambda case: check_values("db", grads(student, case)["db"],
                                                 ref.gradients(*case)["db"]), on)


@spec.test("gradients agree with central differences of the cost", points=20,
           function="gradients")
def gradients_gradient_check(student, ref):
    def check(case):
        w, b, X, Y = (np.array(value) for value in case)
        got = grads(student, case)
        for name, value in (("w", w), ("b", b)):
            numeric = numeric_gradient(lambda: ref.cost(w, b, X, Y), value)
            check_gradient("d" + name, got["d" + name], numeric, threshold=1e-7)
    each_case(cases(), check, on)
'''

MISTAKES = '''"""Named mistakes for {name}: each is the reference with the mistake applied."""

from grader.authoring import Mistake

mistakes = [
    Mistake(
        "missing_1_over_m", "missing 1/m",
        "the cost is an average over the m examples, so its gradients are averages too: "
        "without 1/m they are m times too large.",
        "divide dw and db by m.",
        ("gradients_dw", "gradients_db", "gradients_gradient_check"),
        (("dw = np.dot(dY, X.T) / m", "dw = np.dot(dY, X.T)"),
         ("keepdims=True) / m", "keepdims=True)")),
    ),
]
'''

EQUIVALENT = '''"""Mutants of reference.py reviewed as equivalent (none yet): {{mutant id: reason}}.

``grade audit --assignment {name}`` lists the survivors; add one here only after checking
that it computes what the contract asks for.
"""

EQUIVALENT: dict[str, str] = {{}}
'''

VARIANTS = '''"""{name}'s own test data for the repository's exercise-generic tests
(tests/conftest.py, DEFAULT_TABLES): student-style variants of its example, and what they
must earn."""

from pathlib import Path

COURSE = Path(__file__).resolve().parents[2]  # solutions/<name>/variants.py
CORRECT = (COURSE / "examples" / {name!r} / "correct.py").read_text()

FAULTY = {{
    "missing_1_over_m": CORRECT.replace("error @ X.T / m", "error @ X.T").replace(
        "keepdims=True) / m", "keepdims=True)"),
}}
# the ids of the checks each faulty variant fails, exactly
EXPECTED_FAILURES = {{
    "missing_1_over_m": {{"gradients_dw", "gradients_db", "gradients_gradient_check"}},
}}
NAMED_FAULTY = {{"missing_1_over_m": "missing_1_over_m"}}  # the catalogued mistake it is
MISTAKES = {{"missing_1_over_m": FAULTY["missing_1_over_m"]}}
CORRECT_STYLES = {{
    "loops": CORRECT.replace("error @ X.T / m", "sum(np.outer(error[:, k], X[:, k]) "
                             "for k in range(m)) / m"),
}}
CLI_MISTAKE = ("missing_1_over_m", 20)  # its score in %: the shapes only
SELF_CHECK_TENSORS = {{"dw", "db"}}
SELF_CHECK_MISTAKES = {{"missing_1_over_m": ("gradients", {{"dw", "db"}})}}
'''

EXAMPLE = '''import numpy as np


def cost(w, b, X, Y):
    m = X.shape[1]
    return float(np.sum((np.dot(w, X) + b - Y) ** 2) / (2 * m))


def gradients(w, b, X, Y):
    m = X.shape[1]
    error = w @ X + b - Y
    return {"dw": error @ X.T / m, "db": error.sum(axis=1, keepdims=True) / m}
'''


def new_exercise(name: str, *, solutions: str | os.PathLike | None = None,
                 examples: str | os.PathLike | None = None) -> list[Path]:
    """Write ``<solutions>/<name>/`` and ``<examples>/<name>/correct.py``; returns the files.
    ``solutions`` defaults to ``$BACKPROP_GRADER_SOLUTIONS`` or ./solutions (made if
    missing), ``examples`` to the folder beside it."""
    if not name.isidentifier() or keyword.iskeyword(name) or not name.islower():
        raise UsageError(f"{name!r} is not a good exercise name: use lower_case_with_underscores")
    root = Path(solutions or os.environ.get("BACKPROP_GRADER_SOLUTIONS") or "solutions")
    folder = root / name
    example = Path(examples or root.resolve().parent / "examples") / name / "correct.py"
    for existing in (folder, example):
        if existing.exists():
            raise UsageError(f"{existing} already exists: pick another name")
    facts = {"name": name, "student_file": f"{name}.py",
             "title": name.replace("_", " ").capitalize()}
    files = {folder / "reference.py": REFERENCE, folder / "tests.py": TESTS,
             folder / "mistakes.py": MISTAKES, folder / "equivalent_mutants.py": EQUIVALENT,
             folder / "variants.py": VARIANTS}
    written = []
    for path, template in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(**facts))
        written.append(path)
    example.parent.mkdir(parents=True, exist_ok=True)
    example.write_text(EXAMPLE)
    return [*written, example]

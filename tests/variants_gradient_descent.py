"""Faulty and correct variants of examples/gradient_descent/correct.py."""

from __future__ import annotations

from curriculum import correct_example, make_variant

CORRECT = correct_example("gradient_descent")


def variant(*replacements):
    return make_variant(CORRECT, *replacements)


FAULTY = {
    "forward_difference": variant(("(f(x + h) - f(x - h)) / (2 * h)", "(f(x + h) - f(x)) / h")),
    "sum_for_product": variant(("result = 1\n", "result = 0\n"),
                               ("result = result * s", "result = result + s")),
    "dw_transposed": variant(("np.dot(X, (A - Y).T)", "np.dot(A - Y, X.T)")),
}

CORRECT_STYLES = {
    "numpy_and_recursion": variant(
        ("""    if x < 0:
        return -1.0
    elif x > 0:
        return 1.0
    else:
        return 0.0""", "    return float(np.sign(x))"),
        ("""    x = x0
    history = [x]
    for _ in range(steps):
        x = x - alpha * slope(x)
        history.append(x)
    return history""", """    if steps == 0:
        return [x0]
    return [x0] + descend(slope, x0 - alpha * slope(x0), alpha, steps - 1)"""),
        ("""    result = 1
    for s in slopes:
        result = result * s
    return result""", "    return np.prod(slopes)"),
    ),
    "matmul_and_means": variant(
        ("Z = np.dot(w.T, X) + b", "Z = w.T @ X + b"),
        ("dw = (1 / m) * np.dot(X, (A - Y).T)", "dw = X @ (A - Y).T / m"),
        ("db = (1 / m) * np.sum(A - Y)", "db = float(np.mean(A - Y))"),
        ("cost = -(1 / m) * np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))",
         "cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))"),
    ),
    "loops_over_examples": variant((
        "    dw = (1 / m) * np.dot(X, (A - Y).T)\n    db = (1 / m) * np.sum(A - Y)\n",
        """    n = X.shape[0]
    dw = np.zeros((n, 1))
    db = 0.0
    for i in range(m):
        dz = A[0, i] - Y[0, i]
        for j in range(n):
            dw[j, 0] += X[j, i] * dz / m
        db += dz / m
""")),
}


# What each mistake must cost (the ids of the checks it fails), and what its messages say
EXPECTED_FAILURES = {
    "forward_difference": {"numerical_slope_central", "numerical_slope_given_h"},
    "sum_for_product": {"chain_slope_values", "chain_slope_composition"},
    # values are compared whatever the orientation: the shape check alone charges it
    "dw_transposed": {"logistic_gradients_shapes"},
}

HINTS = {
    "forward_difference": "this is a forward difference",
    "sum_for_product": "the chain rule multiplies them",
    "dw_transposed": "it is transposed",
}

# Each catalogued mistake of solutions/gradient_descent/mistakes.py, written the way a student
# would, not as the reference's own text: the grader must name it on every check it fails.
MISTAKES = {
    "forward_difference": FAULTY["forward_difference"],
    "descend_plus": variant(("x = x - alpha * slope(x)", "x = x + alpha * slope(x)")),
    "abs_slope_at_zero": variant((
        "    elif x > 0:\n        return 1.0\n    else:\n        return 0.0",
        "    else:\n        return 1.0")),
    "sum_for_product": FAULTY["sum_for_product"],
    "product_from_zero": variant(("result = 1\n", "result = 0\n")),
    "forward_missing_transpose": variant(("Z = np.dot(w.T, X) + b", "Z = np.dot(w, X) + b")),
    "forward_missing_sigmoid": variant(("return sigmoid(Z)", "return Z")),
    "cost_not_averaged": variant(("cost = -(1 / m) * np.sum", "cost = -np.sum")),
    "cost_wrong_sign": variant(("cost = -(1 / m) * np.sum", "cost = (1 / m) * np.sum")),
    "dZ_sign": variant(("np.dot(X, (A - Y).T)", "np.dot(X, (Y - A).T)"),
                       ("np.sum(A - Y)", "np.sum(Y - A)")),
    "gradients_missing_1_over_m": variant(("dw = (1 / m) * ", "dw = "),
                                          ("db = (1 / m) * ", "db = ")),
    "dw_transposed": FAULTY["dw_transposed"],
}

# Other spellings of a catalogued mistake: variant -> (mistake id, source)
MORE_SPELLINGS = {
    "abs_slope_minus_one_at_zero": ("abs_slope_at_zero", variant(
        ("    if x < 0:\n        return -1.0\n    elif x > 0:\n        return 1.0\n"
         "    else:\n        return 0.0", "    if x <= 0:\n        return -1.0\n"
         "    return 1.0"))),
    "forward_missing_transpose_matmul": ("forward_missing_transpose", variant(
        ("Z = np.dot(w.T, X) + b", "Z = w @ X + b"))),
}

# Wrong answers no catalogued mistake produces: they must keep their plain messages.
UNNAMED = {
    "abs_slope_returns_x": variant(("    if x < 0:\n        return -1.0\n",
                                    "    return float(x)\n")),
    "cost_log10": variant(("np.log(A)", "np.log10(A)"), ("np.log(1 - A)", "np.log10(1 - A)")),
    "dw_half": variant(("dw = (1 / m) * ", "dw = (0.5 / m) * ")),
}


# ---- what the exercise-generic tests expect of this exercise (see conftest.DEFAULT_TABLES)

CATALOGUE_SIZE = (6, 13)
NAMED_FAULTY = {
    "forward_difference": "forward_difference",
    "sum_for_product": "sum_for_product",
    "dw_transposed": "dw_transposed",
}
AUDIT = (1.0, 110)  # 115 mutants
CLI_MISTAKE = ("dw_transposed", 94)
SELF_CHECK_TENSORS = {"dw", "db"}
# the logistic gradients are analytic: no table uses numerical_slope
SELF_CHECK_MISTAKES = {"forward_difference": ("numerical_slope", set())}

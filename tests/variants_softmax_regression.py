"""Faulty and correct variants of examples/softmax_regression/correct.py."""

from __future__ import annotations

from curriculum import correct_example, make_variant

CORRECT = correct_example("softmax_regression")


def variant(*replacements):
    return make_variant(CORRECT, *replacements)


SHIFT = "Z_shift = Z - Z.max(axis=0, keepdims=True)"
SUM = "return exps / exps.sum(axis=0, keepdims=True)"
COST = "cost = -(1 / m) * np.sum(Y * np.log(A))"
DW = "dW = (1 / m) * np.dot(dZ, X.T)"
DB = "db = (1 / m) * np.sum(dZ, axis=1, keepdims=True)"

FAULTY = {
    "softmax_over_rows": variant((SHIFT, "Z_shift = Z - Z.max(axis=1, keepdims=True)"),
                                 (SUM, "return exps / exps.sum(axis=1, keepdims=True)")),
    "softmax_unstable": variant((SHIFT, "Z_shift = Z")),
    "db_rank_1": variant((DB, "db = (1 / m) * np.sum(dZ, axis=1)")),
    "dZ_backwards": variant(("dZ = A - Y", "dZ = Y - A")),
    # the two-class cost of one_hidden_layer, where n_y classes need -Σ Y log A
    "binary_cost": variant((COST, "cost = -(1 / m) * np.sum(Y * np.log(A) + "
                                  "(1 - Y) * np.log(1 - A))")),
    # A from a hand-written softmax over the wrong axis inside forward: forward's own mistake
    "forward_own_wrong_softmax": variant(("    A = softmax(Z)\n", "    A = np.exp(Z) / np.sum("
                                          "np.exp(Z), axis=1, keepdims=True)\n")),
}

CORRECT_STYLES = {
    "np_max_without_keepdims": variant(
        (SHIFT, "Z_shift = Z - np.max(Z, axis=0)"),
        (SUM, "return exps / np.sum(exps, axis=0)")),
    "matmul_and_mean": variant(
        ("Z = np.dot(W, X) + b", "Z = W @ X + b"),
        (COST, "cost = -np.mean(np.sum(Y * np.log(A), axis=0))"),
        (DW, "dW = dZ @ X.T / m")),
    # one example at a time, and A through the log-sum-exp (log softmax) in forward
    "column_loop_and_log_softmax": variant(
        ("""    Z_shift = Z - Z.max(axis=0, keepdims=True)
    exps = np.exp(Z_shift)
    return exps / exps.sum(axis=0, keepdims=True)""", """    A = np.zeros_like(Z, dtype=float)
    for i in range(Z.shape[1]):
        e = np.exp(Z[:, i] - np.max(Z[:, i]))
        A[:, i] = e / np.sum(e)
    return A"""),
        ("    A = softmax(Z)\n", "    top = Z.max(axis=0)\n    A = np.exp(Z - top - np.log(np.sum("
                               "np.exp(Z - top), axis=0)))\n")),
    "returns_float64_copies": variant(
        ("    W = W - learning_rate * dW\n    b = b - learning_rate * db\n",
         "    W = W.copy()\n    W -= learning_rate * dW\n    b = b - learning_rate * db\n"),
        ("    return float(cost)", "    return cost.item()")),
}

# What each mistake must cost (the ids of the checks it fails), and what its messages say
EXPECTED_FAILURES = {
    # forward calls the student's own softmax: the axis is charged to softmax only
    "softmax_over_rows": {"softmax_columns", "softmax_values"},
    "softmax_unstable": {"softmax_stable"},
    "db_rank_1": {"backward_db_shape"},
    "dZ_backwards": {"backward_dW", "backward_db", "backward_gradient_check"},
    "binary_cost": {"cost_value"},
    "forward_own_wrong_softmax": {"forward_A"},
}

HINTS = {
    "softmax_unstable": "Subtract each column's max",
    "db_rank_1": "keepdims=True",
}

# Each catalogued mistake of solutions/softmax_regression/mistakes.py, written the way a
# student would, not as the reference's own text: the grader must name it on every check it
# fails.
MISTAKES = {
    "softmax_wrong_axis": FAULTY["softmax_over_rows"],
    "no_max_subtraction": FAULTY["softmax_unstable"],
    "min_subtraction": variant((SHIFT, "Z_shift = Z - Z.min(axis=0, keepdims=True)")),
    "forward_missing_bias": variant(("Z = np.dot(W, X) + b", "Z = np.dot(W, X)")),
    "forward_sigmoid": variant(("    A = softmax(Z)\n", "    A = 1 / (1 + np.exp(-Z))\n")),
    "cost_missing_1_over_m": variant((COST, "cost = -np.sum(Y * np.log(A))")),
    "cost_wrong_sign": variant((COST, "cost = (1 / m) * np.sum(Y * np.log(A))")),
    "cost_binary_formula": FAULTY["binary_cost"],
    "cost_mean_over_classes": variant((COST, "cost = -np.mean(Y * np.log(A))")),
    "dZ_sign": FAULTY["dZ_backwards"],
    "backward_missing_1_over_m": variant((DW, "dW = np.dot(dZ, X.T)"),
                                         (DB, "db = np.sum(dZ, axis=1, keepdims=True)")),
    "db_without_keepdims": FAULTY["db_rank_1"],
    "dW_transposed": variant((DW, "dW = (1 / m) * np.dot(X, dZ.T)")),
    "update_plus": variant(("W = W - learning_rate * dW", "W = W + learning_rate * dW"),
                           ("b = b - learning_rate * db", "b = b + learning_rate * db")),
    "update_without_rate": variant(("W = W - learning_rate * dW", "W = W - dW"),
                                   ("b = b - learning_rate * db", "b = b - db")),
}

# Other spellings of a catalogued mistake: variant -> (mistake id, source)
MORE_SPELLINGS = {
    "softmax_sum_over_rows_only": ("softmax_wrong_axis", variant(
        (SUM, "return exps / exps.sum(axis=1, keepdims=True)"))),
    "dW_transposed_matmul": ("dW_transposed", variant((DW, "dW = X @ dZ.T / m"))),
}

# Wrong answers no catalogued mistake produces: they must keep their plain messages.
UNNAMED = {
    "softmax_squared": variant(("exps = np.exp(Z_shift)", "exps = Z_shift ** 2")),
    "cost_log10": variant(("np.log(A)", "np.log10(A)")),
    "dW_half": variant((DW, "dW = (0.5 / m) * np.dot(dZ, X.T)")),
}


# ---- what the exercise-generic tests expect of this exercise (see conftest.DEFAULT_TABLES)

CATALOGUE_SIZE = (10, 20)
NAMED_FAULTY = {
    "softmax_over_rows": "softmax_wrong_axis",
    "softmax_unstable": "no_max_subtraction",
    "db_rank_1": "db_without_keepdims",
    "dZ_backwards": "dZ_sign",
    "binary_cost": "cost_binary_formula",
}
AUDIT = (1.0, 80)  # 87 mutants, 3 reviewed as equivalent
CLI_MISTAKE = ("dZ_backwards", 77)
SELF_CHECK_TENSORS = {"dW", "db"}
SELF_CHECK_MISTAKES = {"dZ_backwards": ("backward", {"dW", "db"})}

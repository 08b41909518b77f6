"""Faulty and correct variants of examples/chain_rule/correct.py."""

from __future__ import annotations

from curriculum import correct_example, make_variant

CORRECT = correct_example("chain_rule")


def variant(*replacements):
    return make_variant(CORRECT, *replacements)


FAULTY = {
    # C0 = ½ Σ (a - y)², the other textbook convention: every derivative comes out half
    "half_cost_convention": variant(
        ("float(np.sum((a_L - y) ** 2))", "float(0.5 * np.sum((a_L - y) ** 2))"),
        ("return 2 * (a_L - y)", "return a_L - y"),
        ("* 2 * (a - y)", "* (a - y)"),
    ),
    "missing_sigma_prime": variant(
        ("sigmoid_prime(z) * 2 * (a - y)", "2 * (a - y)"),
        ("delta = sigmoid_prime(zs[L]) * dC_da_L", "delta = dC_da_L"),
    ),
    "sigma_prime_of_a": variant(
        ("sigmoid_prime(z) * 2 * (a - y)", "sigmoid_prime(a) * 2 * (a - y)"),
        ("sigmoid_prime(zs[L])", "sigmoid_prime(activations[L + 1])"),
    ),
    "W_not_transposed": variant(
        ("np.dot(weights[L].T, delta)", "np.dot(weights[L], delta)"),
    ),
    "average_not_divided_by_n": variant(
        ("return [g / n for g in sum_w], [g / n for g in sum_b]", "return sum_w, sum_b"),
    ),
}

BACKWARD_LOOP = """    for L in range(len(weights) - 1, -1, -1):
        delta = sigmoid_prime(zs[L]) * dC_da_L
        grad_w[L] = np.dot(delta, activations[L].T)
        grad_b[L] = delta
        dC_da_L = np.dot(weights[L].T, delta)
"""

CORRECT_STYLES = {
    "math_scalars": variant(
        ("import numpy as np\n", "import math\n\nimport numpy as np\n"),
        ("    a = sigmoid(z)\n    return a_prev * sigmoid_prime(z) * 2 * (a - y)",
         "    a = 1 / (1 + math.exp(-z))\n    return a_prev * a * (1 - a) * 2 * (a - y)"),
        ("    a = sigmoid(z)\n    return sigmoid_prime(z) * 2 * (a - y)",
         "    a = 1 / (1 + math.exp(-z))\n    return a * (1 - a) * 2 * (a - y)"),
        ("    a = sigmoid(z)\n    return w * sigmoid_prime(z) * 2 * (a - y)",
         "    a = 1 / (1 + math.exp(-z))\n    return w * a * (1 - a) * 2 * (a - y)"),
    ),
    # the many-neuron formulas written literally, one weight w_jk at a time
    "loops_over_neurons": variant((BACKWARD_LOOP, """    for L in range(len(weights) - 1, -1, -1):
        n_L, n_prev = weights[L].shape
        grad_w[L] = np.zeros((n_L, n_prev))
        grad_b[L] = np.zeros((n_L, 1))
        dC_da_prev = np.zeros((n_prev, 1))
        for j in range(n_L):
            local = sigmoid_prime(zs[L][j, 0]) * dC_da_L[j, 0]
            grad_b[L][j, 0] = local
            for k in range(n_prev):
                grad_w[L][j, k] = activations[L][k, 0] * local
                dC_da_prev[k, 0] += weights[L][j, k] * local
        dC_da_L = dC_da_prev
""")),
    "recursive_backprop": variant((
        "def backprop(x, y, weights, biases):\n",
        """def backprop(x, y, weights, biases):
    grads, _ = backward_from(x, y, weights, biases)
    return [g for g, _ in grads], [g for _, g in grads]


def backward_from(a_prev, y, weights, biases):
    \"\"\"Gradients of the layers from here on, and dC0/da of the layer below them.\"\"\"
    z = weights[0] @ a_prev + biases[0]
    a = sigmoid(z)
    if len(weights) == 1:
        dC0_da = 2 * (a - y)
        rest = []
    else:
        rest, dC0_da = backward_from(a, y, weights[1:], biases[1:])
    delta = sigmoid_prime(z) * dC0_da
    return [(delta @ a_prev.T, delta)] + rest, weights[0].T @ delta


def unused_backprop(x, y, weights, biases):
""")),
    # every example at once: columns of A are examples, sums over k become matrix products
    "vectorised_average": variant((
        "def average_gradient(X, Y, weights, biases):\n",
        """def average_gradient(X, Y, weights, biases):
    n = X.shape[1]
    A, Z = [X], []
    for w, b in zip(weights, biases, strict=True):
        Z.append(w @ A[-1] + b)
        A.append(sigmoid(Z[-1]))
    dA = 2 * (A[-1] - Y)
    grad_w, grad_b = [None] * len(weights), [None] * len(weights)
    for L in reversed(range(len(weights))):
        delta = sigmoid_prime(Z[L]) * dA
        grad_w[L] = delta @ A[L].T / n
        grad_b[L] = np.sum(delta, axis=1, keepdims=True) / n
        dA = weights[L].T @ delta
    return grad_w, grad_b


def loop_average_gradient(X, Y, weights, biases):
""")),
    "in_place_update": variant((
        """        new_weights.append(weights[L] - alpha * grad_w[L])
        new_biases.append(biases[L] - alpha * grad_b[L])
    return new_weights, new_biases""",
        """        weights[L] -= alpha * grad_w[L]
        biases[L] -= alpha * grad_b[L]
    return weights, biases""")),
}


# What each mistake must cost (the ids of the checks it fails), and what its messages say
SCALAR_CHECKS = {f"{name}_{kind}" for name in ("dC_dw", "dC_db", "dC_da_prev")
                 for kind in ("value", "gradient_check")}
BACKPROP_VALUES = {"backprop_grad_w", "backprop_grad_b", "backprop_gradient_check"}
AVERAGE_VALUES = {"average_values", "average_gradient_check"}

# backprop is judged against the student's own helpers (σ', dC_da) and average_gradient
# against their own backprop, and so are the scalar functions dC_dw, dC_db, dC_da_prev
# (issue 25: one mistake costs points once): a wrong dC_da costs dC_da only; σ' left out of
# backprop's own loop, or of a scalar function's own line, costs that function.
EXPECTED_FAILURES = {
    # the scalar functions match the chain with the student's own halved dC_da: charged there
    "half_cost_convention": {"cost_value", "dC_da_value"},
    "missing_sigma_prime": SCALAR_CHECKS | BACKPROP_VALUES,
    "sigma_prime_of_a": SCALAR_CHECKS | BACKPROP_VALUES,
    # every hidden network is non-square, so w^(l) @ delta cannot even be computed (in
    # backprop: average_gradient, which calls it, is not charged)
    "W_not_transposed": {"backprop_shapes"} | BACKPROP_VALUES,
    "average_not_divided_by_n": AVERAGE_VALUES,
}

HINTS = {
    "half_cost_convention": "exactly half the right value",
    "W_not_transposed": "w^(l) is not transposed",
    "average_not_divided_by_n": "times too large: divide the sum over examples by n",
    "missing_sigma_prime": "it matches the chain without σ'",
    "sigma_prime_of_a": "it matches σ' applied to the activation a = σ(z)",
}

# Each catalogued mistake of solutions/chain_rule/mistakes.py, written the way a student
# would (np.dot, 2 * (a - y) inline in the scalar functions), not as the reference's own
# text: the grader must name it on every check it fails.
MISTAKES = {
    "half_cost_gradient": FAULTY["half_cost_convention"],
    "dC_da_sign": variant(("return 2 * (a_L - y)", "return 2 * (y - a_L)"),
                          ("* 2 * (a - y)", "* 2 * (y - a)")),
    "sigmoid_prime_as_z": variant(("return sigmoid(z) * (1 - sigmoid(z))",
                                   "return z * (1 - z)")),
    "missing_sigma_prime": FAULTY["missing_sigma_prime"],
    "sigma_prime_of_a": FAULTY["sigma_prime_of_a"],
    "W_not_transposed": FAULTY["W_not_transposed"],
    "grad_w_transposed": variant(("grad_w[L] = np.dot(delta, activations[L].T)",
                                  "grad_w[L] = np.dot(activations[L], delta.T)")),
    "activation_off_by_one": variant(("np.dot(delta, activations[L].T)",
                                      "np.dot(delta, activations[L + 1].T)")),
    "missing_a0": variant(("    activations = [x]\n    a = x\n",
                           "    activations = []\n    a = x\n")),
    "missing_bias": variant(("np.dot(weights[L], a) + biases[L]", "np.dot(weights[L], a)"),
                            ("np.dot(weights[L], activations[-1]) + biases[L]",
                             "np.dot(weights[L], activations[-1])")),
    "average_without_1_over_n": FAULTY["average_not_divided_by_n"],
    "update_plus": variant(("weights[L] - alpha", "weights[L] + alpha"),
                           ("biases[L] - alpha", "biases[L] + alpha")),
}

# Other spellings of a catalogued mistake: variant -> (mistake id, source)
MORE_SPELLINGS = {
    # σ' missing in backprop only: the scalar functions are right
    "missing_sigma_prime_in_backprop_only": ("missing_sigma_prime", variant(
        ("delta = sigmoid_prime(zs[L]) * dC_da_L", "delta = dC_da_L"))),
    # ∂C0/∂a without its 2, nowhere else a ½ (the cost is right)
    "half_gradient_only": ("half_cost_gradient", variant(("return 2 * (a_L - y)",
                                                          "return a_L - y"),
                                                         ("* 2 * (a - y)", "* (a - y)"))),
}

# Wrong answers no catalogued mistake produces: they must keep their plain messages.
UNNAMED = {
    "average_divided_by_n_plus_1": variant(("[g / n for g in sum_w], [g / n for g in sum_b]",
                                            "[g / (n + 1) for g in sum_w], "
                                            "[g / (n + 1) for g in sum_b]")),
    "sigmoid_prime_is_sigmoid": variant(("return sigmoid(z) * (1 - sigmoid(z))",
                                         "return sigmoid(z)")),
    "step_ignores_alpha": variant(("weights[L] - alpha * grad_w[L]", "weights[L] - grad_w[L]"),
                                  ("biases[L] - alpha * grad_b[L]", "biases[L] - grad_b[L]")),
}


# ---- what the exercise-generic tests expect of this exercise (see conftest.DEFAULT_TABLES)

CATALOGUE_SIZE = (6, 13)
NAMED_FAULTY = {
    "half_cost_convention": "half_cost_gradient",
    "missing_sigma_prime": "missing_sigma_prime",
    "sigma_prime_of_a": "sigma_prime_of_a",
    "W_not_transposed": "W_not_transposed",
    "average_not_divided_by_n": "average_without_1_over_n",
}
AUDIT = (1.0, 180)  # 188 mutants, 2 reviewed as equivalent
CLI_MISTAKE = ("average_not_divided_by_n", 86)
SELF_CHECK_TENSORS = {"dw", "db", "da_prev", "dw1", "dw2", "db1", "db2"}
SELF_CHECK_MISTAKES = {"missing_sigma_prime": ("dC_dw", SELF_CHECK_TENSORS)}

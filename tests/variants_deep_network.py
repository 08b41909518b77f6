"""Faulty and correct variants of examples/deep_network/correct.py."""

from __future__ import annotations

from curriculum import correct_example, make_variant

CORRECT = correct_example("deep_network")


def variant(*replacements):
    return make_variant(CORRECT, *replacements)


OWN_HELPERS = '''def sigmoid(Z):
    """A = 1 / (1 + e^-Z), element-wise; returns (A, Z) (provided, not graded)."""
    return 1 / (1 + np.exp(-Z)), Z


def relu(Z):
    """A = max(0, Z), element-wise; returns (A, Z) (provided, not graded)."""
    return np.maximum(0, Z), Z
'''
RELU_BACKWARD = "    dZ = dA * (Z > 0)\n"
SIGMOID_BACKWARD = "    s = 1 / (1 + np.exp(-Z))\n    dZ = dA * s * (1 - s)\n"
BACKWARD_LOOP = '''    for l in reversed(range(1, L + 1)):
        activation = "sigmoid" if l == L else "relu"
        dA, dW, db = linear_activation_backward(dA, caches[l - 1], activation)
        grads["dA" + str(l - 1)] = dA
        grads["dW" + str(l)] = dW
        grads["db" + str(l)] = db
'''

CORRECT_STYLES = {
    # the @ operator, f-string keys, and relu' as the template writes it: copy dA, zero it
    "matmul_fstrings_masked_copy": variant(
        ("np.dot(W, A)", "W @ A"), ("np.dot(dZ, A_prev.T)", "dZ @ A_prev.T"),
        ("np.dot(W.T, dZ)", "W.T @ dZ"),
        ('"W" + str(l)', 'f"W{l}"'), ('"b" + str(l)', 'f"b{l}"'),
        ('"dW" + str(l)', 'f"dW{l}"'), ('"db" + str(l)', 'f"db{l}"'),
        (RELU_BACKWARD, "    dZ = np.array(dA, copy=True)\n    dZ[Z <= 0] = 0\n"),
    ),
    # the helper module's sigmoid and relu, own dZ steps that call no helper
    "dnn_utils_imports": variant(
        (OWN_HELPERS, "from dnn_utils import relu, sigmoid\n"),
        (SIGMOID_BACKWARD, "    A = 1 / (1 + np.exp(-Z))\n    dZ = dA * A * (1 - A)\n"),
    ),
    # an older template: dnn_utils_v2, dA{l} keys for dA[l-1], L_layer_model returning the
    # parameters alone, the generators reseeded inside, the template's shape asserts
    "older_template": variant(
        (OWN_HELPERS, "from dnn_utils_v2 import relu, sigmoid\n"),
        ('grads["dA" + str(l - 1)] = dA', 'grads["dA" + str(l)] = dA'),
        ("    return parameters, costs\n", "    return parameters\n"),
        ("    parameters = {}\n", "    np.random.seed(3)\n    parameters = {}\n"),
        ("    Z = np.dot(W, A) + b\n",
         "    Z = np.dot(W, A) + b\n    assert Z.shape == (W.shape[0], A.shape[1])\n"),
        ("    dA_prev = np.dot(W.T, dZ)\n",
         "    dA_prev = np.dot(W.T, dZ)\n    assert dA_prev.shape == A_prev.shape\n"
         "    assert dW.shape == W.shape\n    assert db.shape == b.shape\n"),
    ),
    # the Application notebook's L_layer_model plots its costs before it returns
    "plots_the_costs": variant(
        ("import numpy as np\n", "import matplotlib.pyplot as plt\nimport numpy as np\n"),
        ("    return parameters, costs\n",
         "    plt.plot(np.squeeze(costs))\n    plt.ylabel(\"cost\")\n"
         "    plt.title(\"Learning rate =\" + str(learning_rate))\n    plt.show()\n"
         "    return parameters, costs\n"),
    ),
}

FAULTY = {
    # the dZ steps taken from the helper module: they earn nothing, the rest is right
    "imports_dz_helpers": variant(
        (OWN_HELPERS, OWN_HELPERS + "\n\nfrom dnn_utils import relu_backward, sigmoid_backward\n"),
        ("def relu_backward(dA, cache):", "def _unused_relu_backward(dA, cache):"),
        ("def sigmoid_backward(dA, cache):", "def _unused_sigmoid_backward(dA, cache):"),
    ),
    "relu_mask_missing": variant((RELU_BACKWARD, "    dZ = dA\n")),
    "sigmoid_prime_of_A": variant((SIGMOID_BACKWARD, "    dZ = dA * Z * (1 - Z)\n")),
    "db_without_keepdims": variant(("np.sum(dZ, axis=1, keepdims=True) / m",
                                    "np.sum(dZ, axis=1) / m")),
    "dA_prev_without_transpose": variant(("np.dot(W.T, dZ)", "np.dot(W, dZ)")),
    "dW_transposed": variant(("np.dot(dZ, A_prev.T) / m", "np.dot(A_prev, dZ.T) / m")),
    "relu_in_backward_loop": variant(('activation = "sigmoid" if l == L else "relu"',
                                      'activation = "relu"')),
    "relu_on_last_layer": variant(('parameters["b" + str(L)], "sigmoid")',
                                   'parameters["b" + str(L)], "relu")')),
    "update_plus": variant(("] - learning_rate *", "] + learning_rate *")),
    "cost_not_averaged": variant(("np.log(1 - AL)) / m", "np.log(1 - AL))")),
    "caches_reversed": variant(("caches.append(cache)", "caches.insert(0, cache)")),
    # handed in unfinished: no training loop yet
    "L_layer_model_unwritten": variant((
        "    parameters = initialize_parameters_deep(layers_dims)\n",
        "    raise NotImplementedError()\n")),
}

LINEAR_BACKWARD_ALL = {"linear_backward_shapes", "linear_backward_dW", "linear_backward_db",
                       "linear_backward_dA_prev"}

EXPECTED_FAILURES = {
    "imports_dz_helpers": {"relu_backward_shape", "relu_backward_values",
                           "sigmoid_backward_shape", "sigmoid_backward_values"},
    "relu_mask_missing": {"relu_backward_values"},
    "sigmoid_prime_of_A": {"sigmoid_backward_values"},
    "db_without_keepdims": {"linear_backward_shapes", "linear_backward_db"},
    "dA_prev_without_transpose": LINEAR_BACKWARD_ALL,
    "dW_transposed": {"linear_backward_shapes", "linear_backward_dW"},
    "relu_in_backward_loop": {"model_backward_values", "model_backward_gradient_check"},
    "relu_on_last_layer": {"model_forward_values"},
    "update_plus": {"update_values"},
    "cost_not_averaged": {"cost_value"},
    "caches_reversed": {"model_forward_caches"},
    "L_layer_model_unwritten": {"model_shapes", "model_learns", "model_costs"},
}

HINTS = {
    "imports_dz_helpers": "provided module",
    "relu_mask_missing": "relu'(Z) is 1 where Z > 0",
    "sigmoid_prime_of_A": "the cache is Z, not A",
}

# Each catalogued mistake of solutions/deep_network/mistakes.py, written the way a student
# would: the grader must name it on every check it fails.
MISTAKES = {
    "relu_mask_missing": FAULTY["relu_mask_missing"],
    "relu_mask_on_dA": variant((RELU_BACKWARD, "    dZ = np.array(dA, copy=True)\n"
                                               "    dZ[dA <= 0] = 0\n")),
    "sigmoid_prime_of_A": FAULTY["sigmoid_prime_of_A"],
    "db_without_keepdims": FAULTY["db_without_keepdims"],
    "dA_prev_without_transpose": FAULTY["dA_prev_without_transpose"],
    "missing_1_over_m": variant(("np.dot(dZ, A_prev.T) / m", "np.dot(dZ, A_prev.T)"),
                                ("np.sum(dZ, axis=1, keepdims=True) / m",
                                 "np.sum(dZ, axis=1, keepdims=True)")),
    "relu_in_backward_loop": FAULTY["relu_in_backward_loop"],
    "relu_on_last_layer": FAULTY["relu_on_last_layer"],
    "dAL_sign": variant(("dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))",
                         "dAL = Y / AL - (1 - Y) / (1 - AL)")),
    "update_plus": FAULTY["update_plus"],
    "zero_weights": variant(("np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01",
                             "np.zeros((layer_dims[l], layer_dims[l - 1]))")),
    "cost_not_averaged": FAULTY["cost_not_averaged"],
    "L_from_len_parameters": variant(("    A = X\n    L = len(parameters) // 2\n",
                                      "    A = X\n    L = len(parameters)\n")),
    "caches_reversed": FAULTY["caches_reversed"],
}

# Other spellings of a catalogued mistake: variant -> (mistake id, source)
MORE_SPELLINGS = {
    "relu_mask_on_A": ("relu_mask_on_dA", variant((RELU_BACKWARD, "    dZ = dA * (dA > 0)\n"))),
    "dA_prev_without_transpose_at": ("dA_prev_without_transpose",
                                     variant(("np.dot(W.T, dZ)", "W @ dZ"))),
}

# Wrong answers no catalogued mistake produces: they must keep their plain messages.
UNNAMED = {
    "dW_transposed": FAULTY["dW_transposed"],
    "db_over_m_plus_1": variant(("np.sum(dZ, axis=1, keepdims=True) / m",
                                 "np.sum(dZ, axis=1, keepdims=True) / (m + 1)")),
}


# ---- what the exercise-generic tests expect of this exercise (see conftest.DEFAULT_TABLES)

CATALOGUE_SIZE = (10, 20)
NAMED_FAULTY = {
    "relu_mask_missing": "relu_mask_missing",
    "sigmoid_prime_of_A": "sigmoid_prime_of_A",
    "db_without_keepdims": "db_without_keepdims",
    "dA_prev_without_transpose": "dA_prev_without_transpose",
    "relu_in_backward_loop": "relu_in_backward_loop",
    "relu_on_last_layer": "relu_on_last_layer",
    "update_plus": "update_plus",
    "cost_not_averaged": "cost_not_averaged",
    "caches_reversed": "caches_reversed",
}
AUDIT = (1.0, 260)  # 266 mutants, 10 reviewed as equivalent
CLI_MISTAKE = ("relu_in_backward_loop", 91)
SELF_CHECK_TENSORS = {"dZ", "dA_prev", "dW", "db", "dW1", "db1", "dW2", "db2", "dW3", "db3"}
SELF_CHECK_MISTAKES = {
    # relu_backward's own table, and L_model_backward's for the relu layers it calls it on
    "relu_mask_missing": ("relu_backward", {"dZ", "dW1", "db1", "dW2", "db2"}),
    # relu for the sigmoid layer L: its gradients and every one below it are wrong
    "relu_in_backward_loop": ("L_model_backward", {"dW1", "db1", "dW2", "db2", "dW3", "db3"}),
}

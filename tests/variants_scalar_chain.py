"""Faulty and correct variants of examples/scalar_chain/correct.py."""

from __future__ import annotations

from curriculum import correct_example, make_variant

CORRECT = correct_example("scalar_chain")


def variant(*replacements):
    return make_variant(CORRECT, *replacements)


FAULTY = {
    # W_ij read as "hidden unit i from input j", consistently in forward and gradients
    "W_index_swapped": variant(
        ('params["W21"] * x2 + params["b1"]', 'params["W12"] * x2 + params["b1"]'),
        ('params["W12"] * x1 + params["W22"]', 'params["W21"] * x1 + params["W22"]'),
        ('"W21": dz1 * x2', '"W12": dz1 * x2'),
        ('"W12": dz2 * x1', '"W21": dz2 * x1'),
    ),
    "missing_w_j": variant(
        ('dz * params["w1"] * a1', "dz * a1"),
        ('dz * params["w2"] * a2', "dz * a2"),
    ),
    "error_sign": variant(("dz = y_hat - y", "dz = y - y_hat")),
}

CORRECT_STYLES = {
    "math_module": variant(
        ("import numpy as np\n", "import math\n"),
        ("1 / (1 + np.exp(-z))", "1.0 / (1.0 + math.exp(-z))"),
        ("-y * np.log(y_hat) - (1 - y) * np.log(1 - y_hat)",
         "-(y * math.log(y_hat) + (1 - y) * math.log(1 - y_hat))"),
    ),
    # the long chain written out factor by factor, as in the lecture
    "explicit_chain_loops": variant((
        "def gradients(x1, x2, y, params):\n",
        """def gradients(x1, x2, y, params):
    f = forward(x1, x2, params)
    x = {1: x1, 2: x2}
    y_hat = f["y_hat"]
    dL_dyhat = -y / y_hat + (1 - y) / (1 - y_hat)
    dyhat_dz = y_hat * (1 - y_hat)
    grads = {"b": dL_dyhat * dyhat_dz}
    for j in (1, 2):
        a_j = f["a" + str(j)]
        grads["w" + str(j)] = a_j * dyhat_dz * dL_dyhat
        da_dz = a_j * (1 - a_j)
        dz_da = params["w" + str(j)]
        grads["b" + str(j)] = da_dz * dz_da * dyhat_dz * dL_dyhat
        for i in (1, 2):
            grads["W" + str(i) + str(j)] = x[i] * da_dz * dz_da * dyhat_dz * dL_dyhat
    return grads


def simple_gradients(x1, x2, y, params):
""")),
    "numpy_scalars_and_copy": variant(
        ("    return {\"z1\": z1, \"a1\": a1, \"z2\": z2, \"a2\": a2, \"z\": z, \"y_hat\": y_hat}",
         "    return dict(z1=np.float64(z1), a1=a1, z2=z2, a2=a2, z=np.array(z), y_hat=y_hat)"),
        ("""    new_params = {}
    for key in params:
        new_params[key] = params[key] - alpha * grads[key]
    return new_params""", """    new_params = dict(params)
    for key in grads:
        new_params[key] -= alpha * grads[key]
    return new_params"""),
    ),
}


# What each mistake must cost (the ids of the checks it fails), and what its messages say
GRADIENT_CHECKS = {"gradients_hidden_weights", "gradients_hidden_biases",
                   "gradients_gradient_check"}

# gradients runs the student's own forward, so a swapped forward changes every gradient
EXPECTED_FAILURES = {
    "W_index_swapped": {"forward_hidden", "gradients_output"} | GRADIENT_CHECKS,
    "missing_w_j": GRADIENT_CHECKS,
    "error_sign": {"gradients_output"} | GRADIENT_CHECKS,
}

HINTS = {
    "W_index_swapped": "W_ij connects input i to hidden unit j",
    "missing_w_j": "the w_j factor is missing",
    "error_sign": "every sign is flipped",
}

# Each catalogued mistake of solutions/scalar_chain/mistakes.py, written the way a student
# would, not as the reference's own text: the grader must name it on every check it fails.
MISTAKES = {
    "W_index_swapped": FAULTY["W_index_swapped"],
    "error_sign": FAULTY["error_sign"],
    "output_sigma_prime_twice": variant(("dz = y_hat - y",
                                         "dz = (y_hat - y) * y_hat * (1 - y_hat)")),
    "missing_w_j": FAULTY["missing_w_j"],
    "missing_hidden_sigma_prime": variant(
        ('dz * params["w1"] * a1 * (1 - a1)', 'dz * params["w1"]'),
        ('dz * params["w2"] * a2 * (1 - a2)', 'dz * params["w2"]')),
    "log_loss_sign": variant(("-y * np.log(y_hat) - (1 - y) * np.log(1 - y_hat)",
                              "y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat)")),
    "log10": variant(("np.log(", "np.log10(")),
    "update_plus": variant(("params[key] - alpha", "params[key] + alpha")),
}

# Other spellings of a catalogued mistake: variant -> (mistake id, source)
MORE_SPELLINGS = {
    "W_index_swapped_in_forward_only": ("W_index_swapped", variant(
        ('params["W21"] * x2 + params["b1"]', 'params["W12"] * x2 + params["b1"]'),
        ('params["W12"] * x1 + params["W22"]', 'params["W21"] * x1 + params["W22"]'))),
    "W_index_swapped_in_gradients_only": ("W_index_swapped", variant(
        ('"W21": dz1 * x2', '"W12": dz1 * x2'), ('"W12": dz2 * x1', '"W21": dz2 * x1'))),
}

# Wrong answers no catalogued mistake produces: they must keep their plain messages.
UNNAMED = {
    "bias_gradient_times_x": variant(('"b1": dz1', '"b1": dz1 * x1')),
    "update_ignores_alpha": variant(("params[key] - alpha * grads[key]",
                                     "params[key] - grads[key]")),
    "error_off_by_ten_percent": variant(("dz = y_hat - y", "dz = 1.1 * (y_hat - y)")),
}


# ---- what the exercise-generic tests expect of this exercise (see conftest.DEFAULT_TABLES)

CATALOGUE_SIZE = (6, 13)
NAMED_FAULTY = {
    "W_index_swapped": "W_index_swapped",
    "missing_w_j": "missing_w_j",
    "error_sign": "error_sign",
}
AUDIT = (1.0, 115)  # 122 mutants
CLI_MISTAKE = ("missing_w_j", 62)
SELF_CHECK_TENSORS = {"dW11", "dW21", "dW12", "dW22", "db1", "db2", "dw1", "dw2", "db"}
# the hidden layer's gradients; the output layer's do not go through w_j
SELF_CHECK_MISTAKES = {
    "missing_w_j": ("gradients", {"dW11", "dW21", "dW12", "dW22", "db1", "db2"}),
}

"""Faulty and correct variants of examples/correct.py (the flagship, one_hidden_layer), each
made by replacing source text; the same tables as tests/variants_<name>.py."""

from __future__ import annotations

import math
from pathlib import Path

CORRECT = (Path(__file__).resolve().parent.parent / "examples" / "correct.py").read_text()


def variant(*replacements: tuple[str, str]) -> str:
    """correct.py with each (old, new) replaced; fails loudly if ``old`` is not there."""
    source = CORRECT
    for old, new in replacements:
        assert old in source, f"variant refers to text not in correct.py: {old!r}"
        source = source.replace(old, new)
    return source


FAULTY = {
    "missing_keepdims": variant((", axis=1, keepdims=True)", ", axis=1)")),
    "missing_1_over_m": variant(("(1 / m) * ", "")),
    "sigmoid_derivative_for_tanh": variant(("(1 - np.power(A1, 2))", "A1 * (1 - A1)")),
    "transposed_dW1": variant(("np.dot(dZ1, X.T)", "np.dot(X, dZ1.T)")),
    "update_wrong_sign": variant(("parameters[name] - learning_rate", "parameters[name] + learning_rate")),
    "dZ2_sign_flipped": variant(("dZ2 = A2 - Y", "dZ2 = Y - A2")),
    "zero_initialisation": variant(("np.random.randn(n_h, n_x) * 0.01", "np.zeros((n_h, n_x))"),
                                   ("np.random.randn(n_y, n_h) * 0.01", "np.zeros((n_y, n_h))")),
    "hard_coded_m": variant(("    m = X.shape[1]\n", "    m = 400\n"), ("    m = Y.shape[1]\n", "    m = 400\n")),
    "wrong_sum_axis": variant(("axis=1, keepdims=True", "axis=0, keepdims=True")),
    "sigmoid_hidden_layer": variant(("A1 = np.tanh(Z1)", "A1 = sigmoid(Z1)")),
    "elementwise_for_matrix_product": variant(("np.dot(parameters[\"W2\"].T, dZ2)", "parameters[\"W2\"].T * dZ2")),
    "cost_not_averaged": variant(("-np.sum(logprobs) / m", "-np.sum(logprobs)")),
    "cost_wrong_sign": variant(("-np.sum(logprobs) / m", "np.sum(logprobs) / m")),
    "predict_threshold_on_Z": variant(("return (A2 > 0.5).astype(int)", "return (A2 > 0.7).astype(int)")),
    "missing_bias_in_forward": variant((" + parameters[\"b1\"]", "")),
}

CORRECT_STYLES = {
    "matmul_and_reshape": variant(
        ("np.dot(parameters[\"W1\"], X)", "parameters[\"W1\"] @ X"),
        ("np.dot(parameters[\"W2\"], A1)", "parameters[\"W2\"] @ A1"),
        ("(1 / m) * np.sum(dZ2, axis=1, keepdims=True)", "dZ2.sum(axis=1).reshape(-1, 1) / m"),
        ("(1 / m) * np.sum(dZ1, axis=1, keepdims=True)", "np.reshape(np.sum(dZ1, axis=1), (-1, 1)) / m"),
    ),
    "einsum": variant(
        ("(1 / m) * np.dot(dZ2, A1.T)", "np.einsum('ik,jk->ij', dZ2, A1) / m"),
        ("(1 / m) * np.dot(dZ1, X.T)", "np.einsum('ik,jk->ij', dZ1, X) / m"),
    ),
    "loops_over_examples": variant((
        "    dW1 = (1 / m) * np.dot(dZ1, X.T)\n",
        "    dW1 = np.zeros((dZ1.shape[0], X.shape[0]))\n"
        "    for k in range(m):\n"
        "        dW1 += np.outer(dZ1[:, k], X[:, k]) / m\n",
    ), (
        "    db1 = (1 / m) * np.sum(dZ1, axis=1, keepdims=True)\n",
        "    db1 = np.zeros((dZ1.shape[0], 1))\n"
        "    for k in range(m):\n"
        "        db1[:, 0] += dZ1[:, k] / m\n",
    )),
    "numpy_scalar_cost": variant(("return float(np.squeeze(-np.sum(logprobs) / m))",
                                  "return -np.sum(logprobs) / m")),
    "zero_d_array_cost": variant(("return float(np.squeeze(-np.sum(logprobs) / m))",
                                  "return np.array(-np.sum(logprobs) / m)")),
    "update_in_place_bool_predict": variant(
        ("    return {name: parameters[name] - learning_rate * grads[\"d\" + name]\n"
         "            for name in (\"W1\", \"b1\", \"W2\", \"b2\")}",
         "    for name in (\"W1\", \"b1\", \"W2\", \"b2\"):\n"
         "        parameters[name] -= learning_rate * grads[\"d\" + name]\n"
         "    return parameters"),
        ("return (A2 > 0.5).astype(int)", "return A2 > 0.5"),
    ),
    "default_rng_and_prints": variant(
        ("    W1 = np.random.randn(n_h, n_x) * 0.01\n",
         "    rng = np.random.default_rng()\n    W1 = rng.standard_normal((n_h, n_x)) * 0.01\n"
         "    print('initialised', W1.shape)\n"),
    ),
    # honest students whose dicts carry more than asked, or are dict subclasses
    "extra_keys": variant(
        ("return A2, {\"Z1\": Z1, \"A1\": A1, \"Z2\": Z2, \"A2\": A2}",
         "return A2, {\"Z1\": Z1, \"A1\": A1, \"Z2\": Z2, \"A2\": A2, \"X\": X}"),
        ("return {\"dW1\": dW1, \"db1\": db1, \"dW2\": dW2, \"db2\": db2}",
         "return {\"dW1\": dW1, \"db1\": db1, \"dW2\": dW2, \"db2\": db2, \"dZ1\": dZ1, "
         "\"note\": \"ok\"}"),
        ("    for i in range(num_iterations):\n",
         "    costs = []\n    for i in range(num_iterations):\n"
         "        costs.append(compute_cost(forward_propagation(X, parameters)[0], Y))\n"),
        ("        parameters = update_parameters(parameters, grads)\n    return parameters",
         "        parameters = update_parameters(parameters, grads)\n"
         "    return dict(parameters, costs=costs)"),
    ),
    "ordered_dicts": "from collections import OrderedDict\n\n\nclass Parameters(dict):\n"
                     "    pass\n\n\n" + variant(
        ("return {\"W1\": W1, \"b1\": b1, \"W2\": W2, \"b2\": b2}",
         "return Parameters(W1=W1, b1=b1, W2=W2, b2=b2)"),
        ("return A2, {\"Z1\": Z1, \"A1\": A1, \"Z2\": Z2, \"A2\": A2}",
         "return A2, OrderedDict(Z1=Z1, A1=A1, Z2=Z2, A2=A2)"),
        ("return {\"dW1\": dW1, \"db1\": db1, \"dW2\": dW2, \"db2\": db2}",
         "return OrderedDict([(\"dW1\", dW1), (\"db1\", db1), (\"dW2\", dW2), (\"db2\", db2)])"),
        ("    return {name: parameters[name] - learning_rate * grads[\"d\" + name]\n"
         "            for name in (\"W1\", \"b1\", \"W2\", \"b2\")}",
         "    return OrderedDict((name, parameters[name] - learning_rate * grads[\"d\" + name])\n"
         "                       for name in (\"W1\", \"b1\", \"W2\", \"b2\"))"),
    ),
    "defaultdicts": "from collections import defaultdict\n" + variant(
        ("return A2, {\"Z1\": Z1, \"A1\": A1, \"Z2\": Z2, \"A2\": A2}",
         "cache = defaultdict(lambda: None)\n    cache.update(Z1=Z1, A1=A1, Z2=Z2, A2=A2)\n"
         "    return A2, cache"),
        ("return {\"dW1\": dW1, \"db1\": db1, \"dW2\": dW2, \"db2\": db2}",
         "grads = defaultdict(float)\n    grads.update(dW1=dW1, db1=db1, dW2=dW2, db2=db2)\n"
         "    return grads"),
        ("        parameters = update_parameters(parameters, grads)\n    return parameters",
         "        parameters = update_parameters(parameters, grads)\n"
         "    trained = defaultdict(list)\n    trained.update(parameters)\n    return trained"),
    ),
    # nn_model seeds the generator itself and prints its cost whatever print_cost says
    "reseeded_nn_model_prints_costs": variant(
        ("    parameters = initialize_parameters(X.shape[0], n_h, Y.shape[0])\n",
         "    np.random.seed(2)\n    parameters = initialize_parameters(X.shape[0], n_h, Y.shape[0])\n"),
        ("        if print_cost and i % 1000 == 0:\n", "        if i % 1000 == 0:\n"),
    ),
}

FAULTY["nn_model_never_updates"] = variant(
    ("        parameters = update_parameters(parameters, grads)\n", ""))

# Which checks each mistake must fail: no more, no fewer. nn_model runs the student's own
# functions: a mistake in them that breaks training costs only their checks when nn_model
# runs them right (issue 25: one mistake costs points once), also when it makes one of
# them crash (transposed_dW1 breaks update_parameters' dict comprehension).
EXPECTED_FAILURES = {
    "missing_keepdims": {"backward_db1_shape", "backward_db2_shape"},
    "missing_1_over_m": {"backward_dW1_value", "backward_dW2_value", "backward_db1_value",
                         "backward_db2_value", "backward_gradient_check"},
    "sigmoid_derivative_for_tanh": {"backward_dW1_value", "backward_db1_value",
                                    "backward_gradient_check"},
    "transposed_dW1": {"backward_weight_shapes", "backward_dW1_value", "backward_gradient_check"},
    "update_wrong_sign": {"update_default_rate", "update_given_rate"},
    "dZ2_sign_flipped": {"backward_dW1_value", "backward_dW2_value", "backward_db1_value",
                         "backward_db2_value", "backward_gradient_check"},
    "zero_initialisation": {"init_random", "nn_model_learns"},
    "hard_coded_m": {"cost_value", "backward_dW1_value", "backward_dW2_value",
                     "backward_db1_value", "backward_db2_value", "backward_gradient_check"},
    "wrong_sum_axis": {"backward_db1_shape", "backward_db2_shape", "backward_db1_value",
                       "backward_db2_value", "backward_gradient_check"},
    "sigmoid_hidden_layer": {"forward_A1"},
    # `*` broadcasts correctly when n_y = 1; the n_y = 2 case makes it raise, which only
    # the "works for any n_y" check grades (values are graded with n_y = 1)
    "elementwise_for_matrix_product": {"backward_any_n_y"},
    "cost_not_averaged": {"cost_value"},
    "cost_wrong_sign": {"cost_value"},
    "predict_threshold_on_Z": {"predict_values"},
    "missing_bias_in_forward": {"forward_Z1"},
    # untrained, tiny random weights may separate the blobs by luck: the cost says otherwise
    "nn_model_never_updates": {"nn_model_learns"},
}

# Words each mistake's messages must contain (the curriculum's assignments have some)
HINTS: dict[str, str] = {}

# Each catalogued mistake of solutions/one_hidden_layer/mistakes.py, written the way a student
# would (np.dot, (1 / m) * ...), not as the reference's own text: the grader must name it.
MISTAKES = {
    "missing_keepdims": FAULTY["missing_keepdims"],
    "wrong_sum_axis": FAULTY["wrong_sum_axis"],
    "missing_1_over_m": FAULTY["missing_1_over_m"],
    "one_over_m_twice": variant(("dZ2 = A2 - Y", "dZ2 = (A2 - Y) / m")),
    "dZ2_sign": FAULTY["dZ2_sign_flipped"],
    "update_plus": FAULTY["update_wrong_sign"],
    "sigmoid_derivative_for_tanh": FAULTY["sigmoid_derivative_for_tanh"],
    "tanh_derivative_of_Z1": variant(("(1 - np.power(A1, 2))", "(1 - np.power(cache[\"Z1\"], 2))")),
    "transposed_dW": FAULTY["transposed_dW1"],
    "missing_transpose": variant(("np.dot(dZ1, X.T)", "np.dot(dZ1, X)")),
    "elementwise_for_matmul": FAULTY["elementwise_for_matrix_product"],
    "A2_for_A1_in_dW2": variant(("np.dot(dZ2, A1.T)", "np.dot(dZ2, A2.T)")),
    "cost_not_averaged": FAULTY["cost_not_averaged"],
    "cost_wrong_sign": FAULTY["cost_wrong_sign"],
    "log10": variant(("np.log(A2)", "np.log10(A2)"), ("np.log(1 - A2)", "np.log10(1 - A2)")),
    "zero_init": FAULTY["zero_initialisation"],
    "uniform_weights": variant(("np.random.randn(n_h, n_x)", "np.random.rand(n_h, n_x)"),
                               ("np.random.randn(n_y, n_h)", "np.random.rand(n_y, n_h)")),
    "weights_not_small": variant(("np.random.randn(n_h, n_x) * 0.01", "np.random.randn(n_h, n_x)"),
                                 ("np.random.randn(n_y, n_h) * 0.01", "np.random.randn(n_y, n_h)")),
    "rank1_bias": variant(("np.zeros((n_h, 1))", "np.zeros(n_h)"), ("np.zeros((n_y, 1))", "np.zeros(n_y)")),
    "sigmoid_hidden_layer": FAULTY["sigmoid_hidden_layer"],
    "missing_bias": FAULTY["missing_bias_in_forward"],
}

# Other spellings of a catalogued mistake: variant -> (mistake id, source)
MORE_SPELLINGS: dict[str, tuple[str, str]] = {}

# Wrong answers no catalogued mistake produces: they must keep their plain messages.
UNNAMED = {
    "hard_coded_m": FAULTY["hard_coded_m"],
    "predict_threshold": FAULTY["predict_threshold_on_Z"],
    "dW1_off_by_ten_percent": variant(("(1 / m) * np.dot(dZ1, X.T)", "(1.1 / m) * np.dot(dZ1, X.T)")),
    "keepdims_and_1_over_m_in_db1_only": variant(("db1 = (1 / m) * np.sum(dZ1, axis=1, keepdims=True)",
                                                  "db1 = np.sum(dZ1, axis=1, keepdims=True) * 2")),
}


# ---- what the exercise-generic tests expect of this exercise (see conftest.DEFAULT_TABLES)

CATALOGUE_SIZE = (15, math.inf)
# nn_model trains with the student's own functions, and training can diverge
MAY_STAY_UNNAMED = ("nn_model",)
SELF_CHECK_TENSORS = {"dW1", "db1", "dW2", "db2"}
SELF_CHECK_MISTAKES = {
    "missing_1_over_m": ("backward_propagation", {"dW1", "db1", "dW2", "db2"}),
    "sigmoid_derivative_for_tanh": ("backward_propagation", {"dW1", "db1"}),
    "dZ2_sign_flipped": ("backward_propagation", {"dW1", "db1", "dW2", "db2"}),
}

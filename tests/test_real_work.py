"""Issue 25, second pass: work shaped like real students' (the course's driver code kept at the
bottom of a .py, its other helper modules, its other initialisation, nested lists for arrays),
graded fairly. Each case loses points on the grader before the fix and keeps them after.
"""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES, SOLUTIONS

from grader.grading.runner import grade_submission
from grader.loading.assignment import load_assignment
from grader.loading.script import script_source
from grader.loading.submission import Submission

CORRECT = (EXAMPLES / "correct.py").read_text()

# the course's driver cell, exported to the .py: train, predict, print the accuracy with
# float() of a 1x1 array, which raises TypeError in numpy 2
DRIVER = """

X, Y = load_planar_dataset()
parameters = nn_model(X, Y, n_h=4, num_iterations=10000, print_cost=True)
plot_decision_boundary(lambda x: predict(parameters, x.T), X, Y)
predictions = predict(parameters, X)
print('Accuracy: %d' % float((np.dot(Y, predictions.T) + np.dot(1 - Y, 1 - predictions.T)) /
                             float(Y.size) * 100) + '%')
"""
HELPERS = "from planar_utils import plot_decision_boundary, load_planar_dataset\n"


def with_helpers(source: str) -> str:
    return source.replace("import numpy as np\n", "import numpy as np\n" + HELPERS, 1)


def grade_text(tmp_path, source: str, name: str = "alice", assignment: str = "one_hidden_layer"):
    path = tmp_path / f"{name}.py"
    path.write_text(source)
    return grade_submission(load_assignment(assignment, solutions=SOLUTIONS),
                            Submission(name, path))


def failures(result) -> dict:
    return {check.name: check.message for check in result.failed}


def line_of(source: str, text: str) -> int:
    return source[:source.index(text)].count("\n") + 1


# ------------------------------------------------------------------ item 1: the script part


def test_a_script_part_that_raises_costs_nothing(tmp_path):
    # the course's driver ran (it trains, then float() of a 1x1 array raises): every function
    # is graded, and the report names the line
    source = with_helpers(CORRECT) + DRIVER
    result = grade_text(tmp_path, source)
    assert result.score == 100, failures(result)
    line = line_of(source, "print('Accuracy")
    assert result.notes == [f"`print('Accuracy: %d' % float((np.dot(Y, predictions.T) + "
                            f"np.dot(1 - Y, 1 - predictions.T)) / float(Y.size) * 100) + '%')` "
                            f"(alice.py, line {line}) skipped: it raised TypeError: only "
                            "0-dimensional arrays can be converted to Python scalars; the rest of "
                            "the file was loaded"]


@pytest.mark.slow
@pytest.mark.parametrize("ending", ["import sys\nsys.exit(0)\n",
                                    "while True:\n    parameters = nn_model(X, Y, 4, 10)\n"])
def test_a_script_part_that_cannot_finish_is_left_out(tmp_path, ending):
    # an exit at the bottom, or training past the load's time limit: the file is loaded again
    # without its script code, and a global a function reads is still computed
    source = with_helpers(CORRECT).replace("    A1 = np.tanh(Z1)\n", "    A1 = activation(Z1)\n")
    source += "\nactivation = np.tanh\nX, Y = load_planar_dataset()\n" + ending
    result = grade_text(tmp_path, source)
    assert result.score == 100, failures(result)
    why = "SystemExit" if "exit" in ending else "did not finish within 10 s"
    note = result.notes[0]
    assert note.startswith("alice.py could not be loaded: ") and why in note, note
    assert "so it was loaded again without its script code: " in note
    line = line_of(source, "X, Y = load_planar_dataset()")
    next_line = line + 1 + ("sys" in ending)  # `import sys` is loaded
    assert f"were left out (line {line}: `X, Y = load_planar_dataset()`; line {next_line}: " \
           in note


def test_the_self_check_loads_a_file_as_grade_does(tmp_path, monkeypatch):
    """`grade check` follows the same loading rule (issue 25: they must agree): a file that
    exits at the bottom is loaded again without its script code, the helper module it
    imports comes from the released assignment, and the notes say so."""
    from grader.selfcheck import PASSED, self_check

    source = with_helpers(CORRECT) + "\nX, Y = load_planar_dataset()\nimport sys\nsys.exit(0)\n"
    path = tmp_path / "alice.py"
    path.write_text(source)
    monkeypatch.chdir(SOLUTIONS.parent)  # the course folder, where assignments/ is
    report = self_check(path, assignment="one_hidden_layer")
    assert [o.status for o in report.outcomes] == [PASSED] * len(report.outcomes), \
        [o.message for o in report.outcomes if o.status != PASSED]
    assert report.notes[0].startswith("alice.py could not be loaded: ")
    assert "so it was loaded again without its script code: " in report.notes[0]
    assert grade_text(tmp_path, source).score == 100


def test_line_numbers_stay_the_students_own(tmp_path):
    source = with_helpers(CORRECT).replace("    A1 = np.tanh(Z1)\n",
                                           "    A1 = np.tanh(Z1)\n    A1.shape = (1, 1)\n") + DRIVER
    result = grade_text(tmp_path, source)
    line = line_of(source, "    A1.shape = (1, 1)")
    message = failures(result)["forward_propagation: A1 = tanh(Z1)"]
    assert f"(alice.py, line {line}, in forward_propagation: `A1.shape = (1, 1)`)" in message


def test_script_code_left_out_keeps_what_the_functions_read():
    source = with_helpers(CORRECT).replace("    A1 = np.tanh(Z1)\n", "    A1 = activation(Z1)\n")
    source += "\nX, Y = load_planar_dataset()\nn_x = X.shape[0]\nactivation = np.tanh\n"
    source += "\ndef layer_sizes(X, Y):\n    return n_x, 4, Y.shape[0]\n"
    source += "\nparameters = nn_model(X, Y, 4)\nprint(predict(parameters, X))\n"
    loaded = script_source(source)
    assert "activation = np.tanh" in loaded.source and "n_x = X.shape[0]" in loaded.source
    assert "X, Y = load_planar_dataset()" in loaded.source  # n_x needs it
    assert "nn_model(X, Y, 4)\n" not in loaded.source and "print(predict" not in loaded.source
    assert loaded.source.count("\n") == source.count("\n")  # every line where it was
    assert [line for line, _ in loaded.not_run] == [line_of(source, "parameters = nn_model"),
                                                     line_of(source, "print(predict")]


def test_a_needed_statement_that_raises_costs_only_the_function_that_needs_it(tmp_path):
    source = with_helpers(CORRECT).replace(
        "def initialize_parameters", "scale = float(np.ones((1, 1)) * 0.01)\n\n\n"
        "def initialize_parameters", 1).replace(
        "W1 = np.random.randn(n_h, n_x) * 0.01", "W1 = np.random.randn(n_h, n_x) * scale")
    result = grade_text(tmp_path, source)
    line = line_of(source, "scale = float(")
    assert f"`scale = float(np.ones((1, 1)) * 0.01)` (alice.py, line {line}) skipped: it raised " \
           "TypeError: only 0-dimensional arrays can be converted to Python scalars; the rest " \
           "of the file was loaded" in result.notes
    # nn_model raises in the student's own initialize_parameters, which raises on its own
    assert {c.function for c in result.failed} == {"initialize_parameters"}
    message = failures(result)["initialize_parameters sets the biases to zero"]
    assert "NameError: name 'scale' is not defined" in message
    assert f"`scale` was meant to come from `scale = float(np.ones((1, 1)) * 0.01)` (alice.py, " \
           f"line {line}), which was skipped: TypeError" in message


def test_a_function_after_a_definition_that_raises_is_graded(tmp_path):
    # a decorator that fails at import: only that function is missing
    source = CORRECT.replace("def predict(", "@np.vectorise\ndef predict(")
    result = grade_text(tmp_path, source)
    assert {c.function for c in result.failed} == {"predict"}
    assert any("skipped: it raised AttributeError" in note for note in result.notes)


# ------------------------------------------------------------ item 7: notes students read


@pytest.mark.parametrize("feedback", ["full", "score"])
def test_results_json_shows_students_what_was_left_out(tmp_path, feedback):
    from formats import validate_gradescope

    from grader.batch import grade

    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "bob.py").write_text(
        CORRECT.replace("import numpy as np\n", "import numpy as np\nimport sklearn\n", 1))
    grade(assignment="one_hidden_layer", paths=[tmp_path / "subs"], out=tmp_path / "out",
          solutions=SOLUTIONS, plots=False, jobs=1, feedback=feedback)
    data = json.loads((tmp_path / "out" / "bob" / "results.json").read_text())
    validate_gradescope(data)
    note = "`import sklearn` (bob.py, line 4) skipped: not available to the grader"
    assert f"What the grader left out or accepted:\n- {note}" in data["output"]
    assert data["extra_data"]["notes"] == [note]


# ------------------------------------------------------------------- item 6: array-likes


def test_predictions_as_a_nested_list_are_judged_by_their_values(tmp_path):
    # `(A2 > 0.5).tolist()`: [[True, False, ...]], the right values in a list
    source = CORRECT.replace("    return (A2 > 0.5).astype(int)", "    return (A2 > 0.5).tolist()")
    result = grade_text(tmp_path, source)
    assert result.score == 100, failures(result)
    shape = next(c for c in result.checks if c.name == "predict returns a (1, m) array")
    assert shape.message == ("the predictions came as a list, not a numpy array: judged as the "
                             "array np.array() makes of it (shape (1, 7)); return a numpy array")


def test_what_cannot_be_read_as_an_array_still_fails(tmp_path):
    source = CORRECT.replace("    return (A2 > 0.5).astype(int)",
                             "    return [[1, 0], [1]] if X.shape[1] > 2 else ['yes']")
    result = grade_text(tmp_path, source)
    assert {c.function for c in result.failed} == {"predict"}
    assert all("the predictions should be a numpy array, got a list" in c.message
               for c in result.failed)


# ------------------------------------------------ item 4: the application's helper modules

APPLICATION = '''import numpy as np
import matplotlib.pyplot as plt
from {module} import *

np.random.seed(1)
train_x_orig, train_y, test_x_orig, test_y, classes = load_data()
layers_dims = [12288, 20, 7, 5, 1]


def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000,
                  print_cost=False):
    np.random.seed(1)
    costs = []
    parameters = initialize_parameters_deep(layers_dims)
    for i in range(0, num_iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        grads = L_model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
        if print_cost and i % 100 == 0:
            print("Cost after iteration %i: %f" % (i, cost))
        if print_cost and i % 100 == 0:
            costs.append(cost)
    return parameters, costs


parameters, costs = L_layer_model(train_x, train_y, layers_dims, num_iterations=2500,
                                  print_cost=True)
pred_train = predict(train_x, train_y, parameters)
'''
MODEL_CHECKS = {"model_shapes", "model_learns", "model_costs"}


@pytest.mark.parametrize("module", ["dnn_app_utils_v3", "dnn_app_utils_v2"])
def test_an_L_layer_model_on_the_application_helpers_is_judged_on_its_own(tmp_path, module):
    source = APPLICATION.format(module=module)
    result = grade_text(tmp_path, source, assignment="deep_network")
    ids = {t.name: t.id for t in load_assignment("deep_network", solutions=SOLUTIONS).spec.tests}
    assert MODEL_CHECKS.isdisjoint(ids[c.name] for c in result.failed), failures(result)
    # the steps it imports earn nothing: they are not the student's
    imported = {c.function for c in result.failed}
    assert imported == {"initialize_parameters", "initialize_parameters_deep", "linear_forward",
                        "linear_activation_forward", "L_model_forward", "compute_cost",
                        "relu_backward", "sigmoid_backward", "linear_backward",
                        "linear_activation_backward", "L_model_backward",
                        "update_parameters"}, imported
    assert all("a provided module: it earns points only when alice.py defines it itself"
               in c.message for c in result.failed)
    # the script part raised (load_data: no data here) and was skipped, named in a note
    assert any(note.startswith("`train_x_orig, train_y, test_x_orig, test_y, classes = "
                               "load_data()` (alice.py, line 6) skipped: it raised "
                               "FileNotFoundError") for note in result.notes), result.notes


# ------------------------------------------- item 2: one mistake costs points once, everywhere

DEEP = (EXAMPLES / "deep_network" / "correct.py").read_text()


def failed_ids(result, assignment="one_hidden_layer") -> set:
    ids = {t.name: t.id for t in load_assignment(assignment, solutions=SOLUTIONS).spec.tests}
    return {ids[c.name] for c in result.failed}


COST_AS_THE_COURSE_CHECKS_IT = '''def compute_cost(A2, Y):
    m = Y.shape[1]
    cost = -1 / m * (np.dot(Y, np.log(A2).T) + np.dot(1 - Y, np.log(1 - A2).T))
    cost = np.squeeze(cost)
    assert isinstance(cost, float)
    return cost
'''
TEMPLATE_LOOP = '''        A2, cache = forward_propagation(X, parameters)
        cost = compute_cost(A2, Y)
        if print_cost and i % 1000 == 0:
            print(f"Cost after iteration {i}: {cost:f}")
'''


def test_nn_model_is_not_charged_for_the_students_own_compute_cost(tmp_path):
    # np.squeeze of a (1, 1) array is a 0-d array, not a float: the course's assert raises, so
    # compute_cost fails its checks, and nn_model (which calls it every iteration) raised
    source = CORRECT[:CORRECT.index("def compute_cost")] + COST_AS_THE_COURSE_CHECKS_IT + \
        CORRECT[CORRECT.index("\n\ndef backward_propagation"):]
    source = source.replace('''        A2, cache = forward_propagation(X, parameters)
        if print_cost and i % 1000 == 0:
            print(f"Cost after iteration {i}: {compute_cost(A2, Y):f}")
''', TEMPLATE_LOOP)
    result = grade_text(tmp_path, source)
    assert failed_ids(result) == {"cost_type", "cost_value"}, failures(result)
    learns = next(c for c in result.checks if c.name.startswith("nn_model learns"))
    assert learns.message == ("nn_model runs your own functions right; the mistakes that stop "
                              "it learning are charged to them")


def test_nn_model_is_not_charged_for_the_students_own_update(tmp_path):
    # W + learning_rate dW: update_parameters' mistake; nn_model's loop is right
    source = CORRECT.replace("parameters[name] - learning_rate", "parameters[name] + learning_rate")
    result = grade_text(tmp_path, source)
    assert failed_ids(result) == {"update_default_rate", "update_given_rate"}, failures(result)


def test_a_wrong_nn_model_loop_is_still_charged(tmp_path):
    # nn_model's own mistake: it updates with the gradients of the first iteration only
    source = CORRECT.replace(
        "        grads = backward_propagation(parameters, cache, X, Y)\n",
        "        if i == 0:\n            grads = backward_propagation(parameters, cache, X, Y)\n")
    result = grade_text(tmp_path, source)
    assert failed_ids(result) == {"nn_model_learns"}, failures(result)


def test_linear_activation_backward_is_not_charged_for_the_students_own_linear_backward(tmp_path):
    # the step-by-step notebook's own import of the dZ steps, and db without keepdims
    source = DEEP.replace("import numpy as np\n", "import numpy as np\n"
                          "from dnn_utils import relu_backward, sigmoid_backward\n", 1)
    source = source.replace("def relu_backward(dA, cache):", "def _relu_backward(dA, cache):")
    source = source.replace("def sigmoid_backward(dA, cache):", "def _sigmoid_backward(dA, cache):")
    source = source.replace("np.sum(dZ, axis=1, keepdims=True) / m", "np.sum(dZ, axis=1) / m")
    result = grade_text(tmp_path, source, assignment="deep_network")
    assert failed_ids(result, "deep_network") == {
        "relu_backward_shape", "relu_backward_values", "sigmoid_backward_shape",
        "sigmoid_backward_values", "linear_backward_shapes", "linear_backward_db"}, \
        failures(result)


# --------------------------------------------- item 3: n_y = 2 is a check of its own

INIT_FOR_ONE_OUTPUT = '''def initialize_parameters(n_x, n_h, n_y):
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(1, n_h) * 0.01
    b2 = np.zeros((1, 1))
    assert (W1.shape == (n_h, n_x))
    assert (b1.shape == (n_h, 1))
    assert (W2.shape == (n_y, n_h))
    assert (b2.shape == (n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
'''


def test_an_initialisation_for_one_output_unit_keeps_most_of_its_points(tmp_path):
    source = CORRECT[:CORRECT.index("def initialize_parameters")] + INIT_FOR_ONE_OUTPUT + \
        CORRECT[CORRECT.index("\n\ndef forward_propagation"):]
    result = grade_text(tmp_path, source)
    assert failed_ids(result) == {"init_any_n_y"}, failures(result)
    assert result.score == 99
    message = failures(result)["initialize_parameters works for any n_y (n_y=2 and 6 output "
                               "units), not only n_y=1"]
    assert message.startswith("with n_y=2 (n_x=2, n_h=6, n_y=2), `initialize_parameters` raised "
                              "AssertionError"), message


def test_predict_for_one_output_unit_keeps_most_of_its_points(tmp_path):
    source = CORRECT.replace("    return (A2 > 0.5).astype(int)",
                             "    return (A2 > 0.5).astype(int).reshape(1, X.shape[1])")
    result = grade_text(tmp_path, source)
    assert failed_ids(result) == {"predict_any_n_y"}, failures(result)


# ------------------------------------------- item 5: the course's other initialisations


@pytest.mark.parametrize("scale", ["np.sqrt(2 / n_x)", "1 / np.sqrt(n_x)"])
def test_he_and_one_over_sqrt_n_scaling_are_right(tmp_path, scale):
    source = CORRECT.replace("np.random.randn(n_h, n_x) * 0.01",
                             f"np.random.randn(n_h, n_x) * {scale}")
    source = source.replace("np.random.randn(n_y, n_h) * 0.01",
                            f"np.random.randn(n_y, n_h) * {scale.replace('n_x', 'n_h')}")
    result = grade_text(tmp_path, source)
    assert result.score == 100, failures(result)


def test_the_applications_deep_initialisation_is_right(tmp_path):
    source = DEEP.replace("np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01",
                          "np.random.randn(layer_dims[l], layer_dims[l - 1]) / "
                          "np.sqrt(layer_dims[l - 1])")
    assert source != DEEP
    result = grade_text(tmp_path, source, assignment="deep_network")
    assert result.score == 100, failures(result)


def test_unscaled_weights_are_told_the_accepted_range(tmp_path):
    source = CORRECT.replace("np.random.randn(n_h, n_x) * 0.01", "np.random.randn(n_h, n_x)")
    result = grade_text(tmp_path, source)
    assert failed_ids(result) == {"init_small"}, failures(result)
    message = failures(result)["initialize_parameters keeps the weights small (randn * 0.01; "
                               "1/sqrt(n_prev) and He scaling are as right)"]
    assert message.startswith("with n_x=400, n_h=50, n_y=1: W1 has weights of typical size 0.99")
    assert "accepted from 0.001 up to 1.5·sqrt(2/n_prev) (randn * 0.01, randn / sqrt(n_prev) " \
           "and He's randn * sqrt(2/n_prev) all fit), here at most 0.106" in message


CHAIN = (EXAMPLES / "chain_rule" / "correct.py").read_text()


@pytest.mark.parametrize("mistake, charged", [
    # σ' forgotten in backprop's loop: backprop's mistake
    (("delta = sigmoid_prime(zs[L]) * dC_da_L", "delta = dC_da_L"),
     {"backprop_grad_w", "backprop_grad_b", "backprop_gradient_check"}),
    # w not transposed: backprop raises for every (non-square) hidden network
    (("dC_da_L = np.dot(weights[L].T, delta)", "dC_da_L = np.dot(weights[L], delta)"),
     {"backprop_shapes", "backprop_grad_w", "backprop_grad_b", "backprop_gradient_check"}),
])
def test_average_gradient_is_judged_against_the_students_own_backprop(tmp_path, mistake, charged):
    source = CHAIN.replace(*mistake)
    assert source != CHAIN
    result = grade_text(tmp_path, source, assignment="chain_rule")
    assert failed_ids(result, "chain_rule") == charged, failures(result)


def test_backprop_is_judged_against_the_students_own_helpers(tmp_path):
    # the ½ convention in dC_da only: backprop and average_gradient chain it right
    source = CHAIN.replace("return 2 * (a_L - y)", "return a_L - y")
    assert source != CHAIN
    result = grade_text(tmp_path, source, assignment="chain_rule")
    assert failed_ids(result, "chain_rule") == {"dC_da_value"}, failures(result)
    grad_w = next(c for c in result.checks if c.name.startswith("backprop: ∂C0/∂w"))
    assert grad_w.message == ("backprop chains your own sigmoid, sigmoid_prime and dC_da "
                              "right; the mistakes in them are charged to them")


def test_a_deep_two_layer_initialisation_for_one_output_unit_keeps_most_of_its_points(tmp_path):
    source = DEEP.replace("np.random.randn(n_y, n_h) * 0.01", "np.random.randn(1, n_h) * 0.01")
    source = source.replace("np.zeros((n_y, 1))", "np.zeros((1, 1))")
    assert source.count("(1, n_h)") == 1
    result = grade_text(tmp_path, source, assignment="deep_network")
    assert failed_ids(result, "deep_network") == {"init_two_any_n_y"}, failures(result)
    assert result.score == 99


def test_dnn_app_utils_v2_keys_the_gradients_as_older_versions_did(monkeypatch):
    """grads["dA" + str(l)] holds dA[l-1] in version 2, "dA" + str(l - 1) in version 3."""
    import sys

    import numpy as np

    monkeypatch.syspath_prepend(str(SOLUTIONS / "deep_network" / "provided"))
    try:
        import dnn_app_utils_v2 as v2
        import dnn_app_utils_v3 as v3

        np.random.seed(1)
        parameters = v3.initialize_parameters_deep([4, 3, 2, 1])
        X, Y = np.random.randn(4, 6), (np.random.rand(1, 6) > 0.5).astype(float)
        AL, caches = v3.L_model_forward(X, parameters)
        new, old = v3.L_model_backward(AL, Y, caches), v2.L_model_backward(AL, Y, caches)
    finally:
        for name in ("dnn_app_utils_v2", "dnn_app_utils_v3"):
            sys.modules.pop(name, None)
    assert set(new) == {"dA0", "dA1", "dA2", "dW1", "dW2", "dW3", "db1", "db2", "db3"}
    assert set(old) == {"dA1", "dA2", "dA3", "dW1", "dW2", "dW3", "db1", "db2", "db3"}
    for layer in (1, 2, 3):
        np.testing.assert_array_equal(old[f"dA{layer}"], new[f"dA{layer - 1}"])
        np.testing.assert_array_equal(old[f"dW{layer}"], new[f"dW{layer}"])

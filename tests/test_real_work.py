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

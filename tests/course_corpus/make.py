"""Writes the course-shaped corpus: notebooks and .py files written the way students of the
widely used planar-data exercise hand them in (its helper imports, the template's asserts,
its older compute_cost signature, top-level training, plotting and sklearn cells), in our
own words. Run it after changing a piece below; tests/test_course_corpus.py says what each
must score.

    python tests/course_corpus/make.py
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent / "submissions"

IMPORTS = """import numpy as np
import matplotlib.pyplot as plt
from testCases_v2 import *
import sklearn
import sklearn.datasets
import sklearn.linear_model
from planar_utils import plot_decision_boundary, sigmoid, load_planar_dataset, load_extra_datasets

%matplotlib inline
np.random.seed(1)"""

DATA = """X, Y = load_planar_dataset()
plt.scatter(X[0, :], X[1, :], c=Y, s=40, cmap=plt.cm.Spectral)
shape_X = X.shape
m = shape_X[1]
print('I have m = %d training examples!' % (m))"""

SKLEARN = """clf = sklearn.linear_model.LogisticRegressionCV()
clf.fit(X.T, Y.T)
plot_decision_boundary(lambda x: clf.predict(x), X, Y)
LR_predictions = clf.predict(X.T)"""

LAYER_SIZES = """def layer_sizes(X, Y):
    n_x = X.shape[0]
    n_h = 4
    n_y = Y.shape[0]
    return (n_x, n_h, n_y)"""

INIT = """def initialize_parameters(n_x, n_h, n_y):
    np.random.seed(2)
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    assert (W1.shape == (n_h, n_x))
    assert (b1.shape == (n_h, 1))
    assert (W2.shape == (n_y, n_h))
    assert (b2.shape == (n_y, 1))
    parameters = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
    return parameters"""

FORWARD = """def forward_propagation(X, parameters):
    W1 = parameters["W1"]
    b1 = parameters["b1"]
    W2 = parameters["W2"]
    b2 = parameters["b2"]
    Z1 = np.dot(W1, X) + b1
    A1 = np.tanh(Z1)
    Z2 = np.dot(W2, A1) + b2
    A2 = sigmoid(Z2)
    assert(A2.shape == (1, X.shape[1]))
    cache = {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
    return A2, cache"""

OLD_COST = """def compute_cost(A2, Y, parameters):
    m = Y.shape[1]
    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
    cost = - np.sum(logprobs) / m
    cost = float(np.squeeze(cost))
    assert(isinstance(cost, float))
    return cost"""

BACKWARD = """def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    W1 = parameters["W1"]
    W2 = parameters["W2"]
    A1 = cache["A1"]
    A2 = cache["A2"]
    dZ2 = A2 - Y
    dW2 = (1 / m) * np.dot(dZ2, A1.T)
    db2 = (1 / m) * np.sum(dZ2, axis=1, keepdims=True)
    dZ1 = np.multiply(np.dot(W2.T, dZ2), 1 - np.power(A1, 2))
    dW1 = (1 / m) * np.dot(dZ1, X.T)
    db1 = (1 / m) * np.sum(dZ1, axis=1, keepdims=True)
    grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    return grads"""

UPDATE = """def update_parameters(parameters, grads, learning_rate = 1.2):
    W1 = parameters["W1"] - learning_rate * grads["dW1"]
    b1 = parameters["b1"] - learning_rate * grads["db1"]
    W2 = parameters["W2"] - learning_rate * grads["dW2"]
    b2 = parameters["b2"] - learning_rate * grads["db2"]
    parameters = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
    return parameters"""

NN_MODEL = """def nn_model(X, Y, n_h, num_iterations = 10000, print_cost=False):
    np.random.seed(3)
    n_x = layer_sizes(X, Y)[0]
    n_y = layer_sizes(X, Y)[2]
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(0, num_iterations):
        A2, cache = forward_propagation(X, parameters)
        cost = compute_cost(A2, Y, parameters)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads)
        if print_cost and i % 1000 == 0:
            print ("Cost after iteration %i: %f" %(i, cost))
    return parameters"""

PREDICT = """def predict(parameters, X):
    A2, cache = forward_propagation(X, parameters)
    predictions = (A2 > 0.5)
    return predictions"""

TRAIN = """parameters = nn_model(X, Y, n_h = 4, num_iterations = 10000, print_cost=True)
plot_decision_boundary(lambda x: predict(parameters, x.T), X, Y)
plt.title("Decision Boundary for hidden layer size " + str(4))"""

TEMPLATE_TEST = """X_assess, parameters = forward_propagation_test_case()
A2, cache = forward_propagation(X_assess, parameters)
print(np.mean(cache['Z1']) ,np.mean(cache['A1']),np.mean(cache['Z2']),np.mean(cache['A2']))"""

FUNCTIONS = [LAYER_SIZES, INIT, FORWARD, OLD_COST, BACKWARD, UPDATE, NN_MODEL, PREDICT]


def notebook(cells: list[str]) -> nbformat.NotebookNode:
    made = new_notebook(cells=[new_markdown_cell("# Planar data classification with one "
                                                 "hidden layer")]
                        + [new_code_cell(cell) for cell in cells])
    for number, cell in enumerate(made.cells):
        cell["id"] = f"cell-{number}"  # the same file every time make.py runs
    return made


def course_notebook(functions=FUNCTIONS) -> nbformat.NotebookNode:
    """The order of the course's notebook: imports, data, sklearn, then each function with
    the template's own test cell after it, then training and plots."""
    cells = [IMPORTS, DATA, SKLEARN]
    for function in functions:
        cells.append(function)
        if function is FORWARD:
            cells.append(TEMPLATE_TEST)
    return notebook(cells + [TRAIN])


def course_script(functions=FUNCTIONS) -> str:
    """A .py file exported from such a notebook (magics as comments, short training)."""
    head = IMPORTS.replace("%matplotlib inline", "# %matplotlib inline")
    train = TRAIN.replace("num_iterations = 10000", "num_iterations = 1000")
    return "\n\n\n".join([head, DATA, SKLEARN, *functions, train]) + "\n"


def write_notebook(name: str, nb) -> None:
    nbformat.write(nb, str(HERE / name))


def main() -> None:
    # the template's assert on A2's shape (n_y = 2 fails) and the older cost signature
    write_notebook("template_asserts.ipynb", course_notebook())
    # the same as a .py file: sklearn, testCases_v2 and load_extra_datasets missing
    (HERE / "exported_script.py").write_text(course_script())
    # the assert removed: right for any n_y
    any_n_y = [f.replace("    assert(A2.shape == (1, X.shape[1]))\n", "") for f in FUNCTIONS]
    write_notebook("any_n_y.ipynb", course_notebook(any_n_y))
    # nn_model's cell does not parse (a missing colon): only nn_model loses its points
    broken = [f.replace("for i in range(0, num_iterations):", "for i in range(0, num_iterations)")
              for f in any_n_y]
    write_notebook("unparsable_cell.ipynb", course_notebook(broken))
    # the older signature with a real mistake: the cost is not averaged
    summed = [f.replace("cost = - np.sum(logprobs) / m", "cost = - np.sum(logprobs)")
              for f in any_n_y]
    write_notebook("older_cost_not_averaged.ipynb", course_notebook(summed))
    # relies on the helper for a graded function: its own predict is missing
    (HERE / "no_predict.py").write_text(course_script([f for f in any_n_y if f != PREDICT]))


if __name__ == "__main__":
    main()

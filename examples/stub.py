# Fill in every part marked YOUR CODE HERE. Keep the function names and signatures:
# the grader calls them by name.
"""One hidden layer, vectorized: forward propagation, backpropagation, gradient descent.

A binary classifier with a tanh hidden layer and a sigmoid output, trained on the
cross-entropy cost. Examples are stacked as columns: X is (n_x, m), Y is (n_y, m).

    Z1 = W1 X + b1    (n_h, m)        A1 = tanh(Z1)    (n_h, m)
    Z2 = W2 A1 + b2   (n_y, m)        A2 = sigmoid(Z2) (n_y, m)

Shapes to keep in mind: W1 (n_h, n_x), b1 (n_h, 1), W2 (n_y, n_h), b2 (n_y, 1).
`*` is element-wise; `np.dot` or `@` is the matrix product. Sum over examples with
`np.sum(..., axis=1, keepdims=True)` so a bias gradient stays an (n, 1) column, not a
rank-1 array of shape (n,). Every function except compute_cost must work for any n_y.
"""

import numpy as np


def sigmoid(z):
    """The logistic function 1 / (1 + e^-z), element-wise (provided, not graded)."""
    return 1 / (1 + np.exp(-z))


def initialize_parameters(n_x, n_h, n_y):
    """Small random weights and zero biases.

    W1 = randn(n_h, n_x) * 0.01    b1 = zeros (n_h, 1)
    W2 = randn(n_y, n_h) * 0.01    b2 = zeros (n_y, 1)

    Weights must be random so that hidden units differ (all-zero weights never break the
    symmetry) and small so that tanh starts in its steep part.
    Returns a dict with keys "W1", "b1", "W2", "b2".
    """
    # YOUR CODE HERE
    raise NotImplementedError()
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def forward_propagation(X, parameters):
    """Forward pass for X of shape (n_x, m).

    Z1 = W1 X + b1  (n_h, m)     A1 = tanh(Z1)     (n_h, m)
    Z2 = W2 A1 + b2 (n_y, m)     A2 = sigmoid(Z2)  (n_y, m)

    Returns (A2, cache) where cache is a dict with keys "Z1", "A1", "Z2", "A2".
    """
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    # YOUR CODE HERE
    raise NotImplementedError()
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def compute_cost(A2, Y):
    """Cross-entropy cost for A2 and Y of shape (1, m), as a Python float.

    J = -(1/m) * sum(Y log(A2) + (1 - Y) log(1 - A2))     (natural log)
    """
    m = Y.shape[1]
    # YOUR CODE HERE
    raise NotImplementedError()
    return float(cost)


def backward_propagation(parameters, cache, X, Y):
    """Gradients of the cost with respect to W1, b1, W2, b2.

    dZ2 = A2 - Y                        (n_y, m)
    dW2 = (1/m) dZ2 A1^T                (n_y, n_h)
    db2 = (1/m) sum of dZ2 over axis 1  (n_y, 1)   keepdims=True
    dZ1 = W2^T dZ2 * (1 - A1^2)         (n_h, m)   tanh'(Z1) = 1 - A1^2
    dW1 = (1/m) dZ1 X^T                 (n_h, n_x)
    db1 = (1/m) sum of dZ1 over axis 1  (n_h, 1)   keepdims=True

    Returns a dict with keys "dW1", "db1", "dW2", "db2", each the shape of its parameter.
    """
    m = X.shape[1]
    W2 = parameters["W2"]
    A1, A2 = cache["A1"], cache["A2"]
    # YOUR CODE HERE
    raise NotImplementedError()
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def update_parameters(parameters, grads, learning_rate=1.2):
    """One step of gradient descent: W := W - learning_rate * dW, b := b - learning_rate * db.

    Returns a dict with keys "W1", "b1", "W2", "b2", each the shape it had.
    """
    # YOUR CODE HERE
    raise NotImplementedError()
    return new


def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False):
    """Train the network on X (n_x, m), Y (n_y, m) with n_h hidden units.

    Initialize, then repeat num_iterations times: forward propagation, cost,
    backward propagation, update (learning rate 1.2). Print the cost every 1000
    iterations when print_cost is true. Returns the trained parameters dict.
    """
    n_x, n_y = X.shape[0], Y.shape[0]
    # YOUR CODE HERE
    raise NotImplementedError()
    return parameters


def predict(parameters, X):
    """Class predictions for X (n_x, m): a (1, m) array of 0/1, 1 where A2 > 0.5."""
    # YOUR CODE HERE
    raise NotImplementedError()
    return predictions

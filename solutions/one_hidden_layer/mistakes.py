"""Named mistakes for one_hidden_layer: each is the reference with the mistake applied.

The grader names a mistake on a failed check only when the student's outputs on the hidden
inputs match this mistaken reference's (see grader/grading/diagnosis.py); ``checks`` lists
the checks each mistake makes fail (``grade audit`` verifies that list against the hidden tests).
"""

from grader.authoring import Mistake

BACKWARD_VALUES = ("backward_dW1_value", "backward_dW2_value", "backward_db1_value",
                   "backward_db2_value", "backward_gradient_check")
# a mistake in a step nn_model calls is charged to that step only: nn_model runs the
# student's own steps right (grader/grading/cascade.py), so no catalogued mistake lists it
# unless nn_model itself cannot be shown to follow them (an all-zero start)
# a backward pass that raises for every input: "works for any n_y" fails with the rest
ALL_BACKWARD = ("backward_returns", "backward_weight_shapes", "backward_db1_shape",
                "backward_db2_shape", *BACKWARD_VALUES, "backward_any_n_y")
DW1 = "dW1 = dZ1 @ X.T / m"
DW2 = "dW2 = dZ2 @ A1.T / m"
DB1 = "db1 = np.sum(dZ1, axis=1, keepdims=True) / m"
DB2 = "db2 = np.sum(dZ2, axis=1, keepdims=True) / m"
DZ1 = "dZ1 = (W2.T @ dZ2) * (1 - A1**2)"
W1_INIT, W2_INIT = "np.random.randn(n_h, n_x) * 0.01", "np.random.randn(n_y, n_h) * 0.01"
COST = "cost = -np.sum(logprobs) / m"

mistakes = [
    Mistake(
        "missing_keepdims", "missing keepdims",
        "np.sum(dZ, axis=1) returns a rank-1 array of shape (n,), not the (n, 1) column a "
        "bias gradient must be; in training, b - learning_rate * db then broadcasts into an "
        "(n, n) matrix.",
        "sum with np.sum(dZ, axis=1, keepdims=True) (or reshape the sum to (n, 1)).",
        ("backward_db1_shape", "backward_db2_shape"),
        ((DB2, "db2 = np.sum(dZ2, axis=1) / m"), (DB1, "db1 = np.sum(dZ1, axis=1) / m")),
    ),
    Mistake(
        "wrong_sum_axis", "sum over the wrong axis",
        "the bias gradient sums over axis 0 (the units) instead of axis 1 (the examples), so "
        "it has one entry per example instead of one per unit.",
        "sum over the examples: np.sum(dZ, axis=1, keepdims=True) / m.",
        ("backward_db1_shape", "backward_db2_shape", "backward_db1_value", "backward_db2_value",
         "backward_gradient_check"),
        ((DB2, DB2.replace("axis=1", "axis=0")), (DB1, DB1.replace("axis=1", "axis=0"))),
    ),
    Mistake(
        "missing_1_over_m", "missing 1/m",
        "the gradients are exactly m times too large: the cost is an average over the m "
        "examples, so its gradients are averages too.",
        "multiply every dW and db by 1/m (e.g. dW1 = (1/m) dZ1 Xᵀ).",
        BACKWARD_VALUES,
        ((DW2, DW2[:-4]), (DB2, DB2[:-4]), (DW1, DW1[:-4]), (DB1, DB1[:-4])),
    ),
    Mistake(
        "one_over_m_twice", "1/m applied twice",
        "the gradients are exactly m times too small: 1/m is applied twice (for instance "
        "once in dZ and again in dW).",
        "divide by m exactly once, in dW and db (dZ2 = A2 - Y has no 1/m).",
        BACKWARD_VALUES,  # nn_model runs these gradients right: not charged again
        ((DW2, DW2 + " / m"), (DB2, DB2 + " / m"), (DW1, DW1 + " / m"), (DB1, DB1 + " / m")),
    ),
    Mistake(
        "dZ2_sign", "dZ2 = Y - A2",
        "every gradient has the wrong sign: the derivative of the cross-entropy cost with "
        "respect to Z2 is A2 - Y, not Y - A2, and the sign carries through to all of them.",
        "use dZ2 = A2 - Y.",
        BACKWARD_VALUES,
        (("dZ2 = A2 - Y", "dZ2 = Y - A2"),),
    ),
    Mistake(
        "update_plus", "update with + instead of -",
        "the update climbs the cost instead of descending it: gradient descent moves against "
        "the gradient.",
        "use W := W - learning_rate * dW and b := b - learning_rate * db.",
        ("update_default_rate", "update_given_rate"),
        (("parameters[name] - learning_rate", "parameters[name] + learning_rate"),),
    ),
    Mistake(
        "sigmoid_derivative_for_tanh", "sigmoid derivative used for tanh",
        "dZ1 uses A1 (1 - A1), the derivative of the sigmoid, but the hidden layer is tanh.",
        "use tanh'(Z1) = 1 - A1²: dZ1 = W2ᵀ dZ2 * (1 - np.power(A1, 2)).",
        ("backward_dW1_value", "backward_db1_value", "backward_gradient_check"),
        (("(1 - A1**2)", "A1 * (1 - A1)"),),
    ),
    Mistake(
        "tanh_derivative_of_Z1", "1 - Z1² instead of 1 - A1²",
        "dZ1 uses 1 - Z1², but tanh'(Z1) = 1 - tanh(Z1)² = 1 - A1².",
        "use (1 - np.power(A1, 2)), with A1 from the cache.",
        ("backward_dW1_value", "backward_db1_value", "backward_gradient_check"),
        (("(1 - A1**2)", '(1 - cache["Z1"] ** 2)'),),
    ),
    Mistake(
        "transposed_dW", "transposed dW",
        "dW is computed as the transpose of the right product (X dZ1ᵀ instead of dZ1 Xᵀ): it "
        "has the transposed shape and transposed values.",
        "dW1 = (1/m) dZ1 Xᵀ and dW2 = (1/m) dZ2 A1ᵀ: the gradient has its parameter's shape.",
        # with n_y = 1 a transposed dW2 holds the right values (only its shape is wrong):
        # they differ with n_y = 2
        ("backward_weight_shapes", "backward_dW1_value", "backward_any_n_y",
         "backward_gradient_check"),
        ((DW1, "dW1 = X @ dZ1.T / m"), (DW2, "dW2 = A1 @ dZ2.T / m")),
    ),
    Mistake(
        "missing_transpose", "missing transpose",
        "a matrix product is missing a .T, so its shapes do not line up and numpy raises.",
        "transpose the second factor: dW1 = (1/m) dZ1 Xᵀ, dW2 = (1/m) dZ2 A1ᵀ, "
        "dZ1 = W2ᵀ dZ2 * (1 - A1²).",
        ALL_BACKWARD,
        ((DW1, "dW1 = dZ1 @ X / m"),),
        (((DW1, "dW1 = np.dot(dZ1, X) / m"),), ((DW2, "dW2 = dZ2 @ A1 / m"),),
         ((DW2, "dW2 = np.dot(dZ2, A1) / m"),), ((DZ1, DZ1.replace("W2.T @", "W2 @")),),
         ((DZ1, "dZ1 = np.dot(W2, dZ2) * (1 - A1**2)"),)),
    ),
    Mistake(
        "elementwise_for_matmul", "* where a matrix product belongs",
        "W2ᵀ * dZ2 is element-wise: with one output unit it happens to broadcast into the "
        "right matrix, but with n_y = 2 the shapes no longer line up.",
        "use a matrix product: np.dot(W2.T, dZ2) (or W2.T @ dZ2).",
        ("backward_any_n_y",),
        ((DZ1, "dZ1 = (W2.T * dZ2) * (1 - A1**2)"),),
    ),
    Mistake(
        "A2_for_A1_in_dW2", "A2 where A1 belongs in dW2",
        "dW2 multiplies dZ2 by A2ᵀ, the output layer's activations; dW2's input is the "
        "hidden layer's output A1.",
        "dW2 = (1/m) dZ2 A1ᵀ.",
        ("backward_weight_shapes", "backward_dW2_value", "backward_gradient_check"),
        ((DW2, "dW2 = dZ2 @ A2.T / m"),),
    ),
    Mistake(
        "cost_not_averaged", "cost not averaged",
        "the cost is exactly m times too large: it is the sum of the losses, not their mean.",
        "divide the sum by m: J = -(1/m) Σ (Y log A2 + (1 - Y) log(1 - A2)).",
        ("cost_value",),
        ((COST, "cost = -np.sum(logprobs)"),),
    ),
    Mistake(
        "cost_wrong_sign", "cost with the wrong sign",
        "the cost is negative: log A2 is below 0, so the cross-entropy needs a minus sign to "
        "be a positive quantity to minimise.",
        "J = -(1/m) Σ (Y log A2 + (1 - Y) log(1 - A2)): note the leading minus.",
        ("cost_value",),
        ((COST, "cost = np.sum(logprobs) / m"),),
    ),
    Mistake(
        "log10", "log10 instead of the natural log",
        "np.log10 is the base-10 logarithm; the cross-entropy uses the natural log (the cost "
        "is ln 10 ≈ 2.303 times too small).",
        "use np.log.",
        ("cost_value",),
        (("np.log(", "np.log10("),),
    ),
    Mistake(
        "zero_init", "weights initialised to zero",
        "with all-zero weights every hidden unit computes the same thing and gets the same "
        "gradient, so the symmetry never breaks and the network cannot learn.",
        "W1 = np.random.randn(n_h, n_x) * 0.01 and W2 = np.random.randn(n_y, n_h) * 0.01.",
        ("init_random", "nn_model_learns"),
        ((W1_INIT, "np.zeros((n_h, n_x))"), (W2_INIT, "np.zeros((n_y, n_h))")),
    ),
    Mistake(
        "uniform_weights", "np.random.rand instead of np.random.randn",
        "np.random.rand draws from the uniform distribution on [0, 1), so every weight is "
        "positive; the weights should be centred on 0.",
        "draw the weights with np.random.randn(...) * 0.01 (a normal distribution).",
        ("init_random",),
        ((W1_INIT, W1_INIT.replace("randn", "rand")), (W2_INIT, W2_INIT.replace("randn", "rand"))),
    ),
    Mistake(
        "weights_not_small", "weights not scaled small",
        "np.random.randn draws weights of size about 1; large weights start tanh in its flat, "
        "saturated part, where learning is slow.",
        "multiply the random weights by 0.01.",
        ("init_small",),
        ((W1_INIT, W1_INIT[:-7]), (W2_INIT, W2_INIT[:-7])),
    ),
    Mistake(
        "rank1_bias", "rank-1 biases",
        "np.zeros(n) is a rank-1 array of shape (n,), not an (n, 1) column; W1 X + b1 then "
        "broadcasts along the wrong axis, and b - learning_rate * db turns into an (n, n) "
        "matrix.",
        "b1 = np.zeros((n_h, 1)) and b2 = np.zeros((n_y, 1)).",
        ("init_shapes",),
        (("np.zeros((n_h, 1))", "np.zeros(n_h)"), ("np.zeros((n_y, 1))", "np.zeros(n_y)")),
    ),
    Mistake(
        "sigmoid_hidden_layer", "sigmoid in the hidden layer",
        "A1 is computed with the sigmoid, but this network's hidden layer is tanh.",
        "A1 = np.tanh(Z1).",
        ("forward_A1",),
        (("A1 = np.tanh(Z1)", "A1 = sigmoid(Z1)"),),
    ),
    Mistake(
        "missing_bias", "bias left out",
        "Z = W A misses the bias term + b.",
        "Z1 = W1 X + b1 and Z2 = W2 A1 + b2.",
        ("forward_Z1", "forward_Z2"),
        (("Z1 = W1 @ X + b1", "Z1 = W1 @ X"),),
        ((("Z2 = W2 @ A1 + b2", "Z2 = W2 @ A1"),),),
    ),
]

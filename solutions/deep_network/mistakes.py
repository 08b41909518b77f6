"""Named mistakes for deep_network: each is the reference with the mistake applied.

The grader names a mistake on a failed check only when the student's outputs on the hidden
inputs match this mistaken reference's (see grader/grading/diagnosis.py); ``checks`` lists
the checks each mistake makes fail (``grade audit`` verifies that list against the hidden
tests). A step that chains earlier ones is judged against the student's own earlier steps,
so a mistake costs the checks of the function it is made in.
"""

from grader.authoring import Mistake

RELU_MASK = "dZ = dA * (Z > 0)"
SIGMOID_S = "s = 1 / (1 + np.exp(-Z))"
DW = "dW = np.dot(dZ, A_prev.T) / m"
DB = "db = np.sum(dZ, axis=1, keepdims=True) / m"
DA_PREV = "dA_prev = np.dot(W.T, dZ)"
BACKWARD_ACTIVATION = 'activation = "sigmoid" if l == L else "relu"'
LAST_FORWARD = 'parameters["b" + str(L)], "sigmoid")'
DAL = "dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))"
DEEP_W = "np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01"
COST = "cost = -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m"
FORWARD_L = "    L = len(parameters) // 2\n    ### BEGIN SOLUTION\n    for l in range(1, L):"
UPDATE_W = 'parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]'
UPDATE_B = 'parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]'

mistakes = [
    Mistake(
        "relu_mask_missing", "relu' left out",
        "relu_backward returns dA unchanged: the gradient also flows through the units whose "
        "Z <= 0, where relu is flat and its slope is 0.",
        "keep dA where Z > 0 and set it to 0 elsewhere: dZ = dA * (Z > 0).",
        ("relu_backward_values",),
        ((RELU_MASK, "dZ = dA"),),
    ),
    Mistake(
        "relu_mask_on_dA", "relu' mask on the wrong array",
        "the relu' mask is taken from dA (or A) instead of Z: relu' depends on the sign of "
        "Z, the cache relu_backward gets.",
        "mask with Z, the activation cache: dZ = dA * (Z > 0).",
        ("relu_backward_values",),
        ((RELU_MASK, "dZ = dA * (dA > 0)"),),
    ),
    Mistake(
        "sigmoid_prime_of_A", "sigmoid' computed as if Z were A",
        "sigmoid_backward uses Z (1 - Z), as if its cache held A = sigmoid(Z); the cache is Z.",
        "compute s = 1 / (1 + np.exp(-Z)) first, then dZ = dA * s * (1 - s).",
        ("sigmoid_backward_values",),
        ((SIGMOID_S, "s = Z"),),
    ),
    Mistake(
        "db_without_keepdims", "db without keepdims",
        "np.sum(dZ, axis=1) returns a rank-1 array of shape (n,), not the (n, 1) column db "
        "must be; b - learning_rate * db then broadcasts into an (n, n) matrix.",
        "sum with np.sum(dZ, axis=1, keepdims=True) / m.",
        ("linear_backward_shapes", "linear_backward_db"),
        ((DB, "db = np.sum(dZ, axis=1) / m"),),
    ),
    Mistake(
        "dA_prev_without_transpose", "dA_prev with W instead of W^T",
        "dA_prev = W dZ: W is (n_l, n_{l-1}) and dZ is (n_l, m), so the product needs W^T.",
        "dA_prev = np.dot(W.T, dZ).",
        ("linear_backward_shapes", "linear_backward_dW", "linear_backward_db",
         "linear_backward_dA_prev"),
        ((DA_PREV, "dA_prev = np.dot(W, dZ)"),),
        (((DA_PREV, "dA_prev = W @ dZ"),),),
    ),
    Mistake(
        "missing_1_over_m", "missing 1/m",
        "dW and db are exactly m times too large: the cost is an average over the m "
        "examples, so its gradients are averages too.",
        "dW = (1/m) dZ A_prev^T and db = (1/m) sum(dZ, axis=1, keepdims=True).",
        ("linear_backward_dW", "linear_backward_db"),
        ((DW, DW[:-4]), (DB, DB[:-4])),
    ),
    Mistake(
        "relu_in_backward_loop", "the wrong activation in the backward loop",
        "L_model_backward takes every layer back through relu, the last one too; layer L is "
        "a sigmoid layer, so its step is linear_activation_backward(..., \"sigmoid\").",
        "use \"sigmoid\" for layer L and \"relu\" for layers L-1 ... 1.",
        ("model_backward_values", "model_backward_gradient_check"),
        ((BACKWARD_ACTIVATION, 'activation = "relu"'),),
    ),
    Mistake(
        "relu_on_last_layer", "relu on the last layer",
        "L_model_forward applies relu to layer L too: the output layer is a sigmoid, so AL "
        "is a probability in (0, 1).",
        "call linear_activation_forward(..., \"sigmoid\") for layer L.",
        ("model_forward_values",),
        ((LAST_FORWARD, LAST_FORWARD.replace("sigmoid", "relu")),),
    ),
    Mistake(
        "dAL_sign", "dAL with the wrong sign",
        "dAL = Y/AL - (1-Y)/(1-AL) is the derivative of the log-likelihood, not of the cost: "
        "every gradient comes out with the wrong sign.",
        "dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL)).",
        ("model_backward_values", "model_backward_gradient_check"),
        ((DAL, "dAL = np.divide(Y, AL) - np.divide(1 - Y, 1 - AL)"),),
    ),
    Mistake(
        "update_plus", "update with +",
        "the parameters move along the gradient, uphill: W + learning_rate dW makes the cost "
        "grow.",
        "W[l] := W[l] - learning_rate dW[l], and the same for b[l].",
        ("update_values",),
        ((UPDATE_W, UPDATE_W.replace(" - ", " + ")),
         (UPDATE_B, UPDATE_B.replace(" - ", " + "))),
    ),
    Mistake(
        "zero_weights", "zero weights",
        "initialize_parameters_deep sets the weights to zero: every unit of a layer then "
        "computes the same thing and gets the same gradient forever.",
        "draw them: np.random.randn(n_l, n_{l-1}) * 0.01.",
        ("init_deep_shapes", "init_deep_small"),
        ((DEEP_W, "np.zeros((layer_dims[l], layer_dims[l - 1]))"),),
    ),
    Mistake(
        "cost_not_averaged", "cost not averaged",
        "the cost is a sum over the m examples, not their average: it is m times too large.",
        "divide the sum by m: J = -(1/m) sum(Y log AL + (1 - Y) log(1 - AL)).",
        ("cost_value",),
        ((COST, COST[:-4]),),
    ),
    Mistake(
        "L_from_len_parameters", "L taken as len(parameters)",
        "parameters holds two entries per layer (W[l] and b[l]), so len(parameters) is 2L.",
        "L = len(parameters) // 2.",
        ("model_forward_shape", "model_forward_values", "model_forward_caches"),
        ((FORWARD_L, FORWARD_L.replace("len(parameters) // 2", "len(parameters)")),),
    ),
    Mistake(
        "caches_reversed", "caches in the wrong order",
        "L_model_forward puts each new cache first, so caches lists layer L first; "
        "L_model_backward reads caches[l - 1] as layer l's.",
        "caches.append(cache), so caches[0] is layer 1's cache.",
        ("model_forward_caches",),
        (("caches.append(cache)", "caches.insert(0, cache)"),),
    ),
]

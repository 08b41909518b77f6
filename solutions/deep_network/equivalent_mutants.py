"""Mutants of reference.py reviewed as equivalent: they compute what the contract asks for.

``grade audit --assignment deep_network`` leaves these out of the mutation score and lists
them with their reason; one that loses points anyway is reported (the list is wrong, or a
hidden test rejects a correct answer). Keys are the ids ``grade audit`` prints.
"""

NEGATED_DRAW = ("the negative of a normal draw centred on 0 is an equally valid draw: the "
                "contract asks for small random weights, not particular numbers")
NEGATIVE_ZERO = "-np.zeros(...) is all -0.0, which equals 0: the biases are still zero"
SIGMOID_SYMMETRY = ("s = sigmoid(-Z) = 1 - sigmoid(Z), so s (1 - s) is the same product: "
                    "dZ is unchanged")
RELU_AT_ZERO = ("relu has no slope at Z = 0 (any value in [0, 1] is a subgradient there); "
                "the hidden inputs keep Z away from 0 on purpose, so both conventions pass")
OLD_DA_KEY = ('the older templates store dA[l-1] under "dA{l}": an accepted convention, '
              "graded as such (9 of 38 real notebooks)")

EQUIVALENT = {
    "initialize_parameters: W1 = np.random.randn(n_h, n_x) * 0.01 -> "
    "W1 = -(np.random.randn(n_h, n_x) * 0.01) [sign]": NEGATED_DRAW,
    "initialize_parameters: W2 = np.random.randn(n_y, n_h) * 0.01 -> "
    "W2 = -(np.random.randn(n_y, n_h) * 0.01) [sign]": NEGATED_DRAW,
    "initialize_parameters: b1 = np.zeros((n_h, 1)) -> b1 = -np.zeros((n_h, 1)) [sign]":
        NEGATIVE_ZERO,
    "initialize_parameters: b2 = np.zeros((n_y, 1)) -> b2 = -np.zeros((n_y, 1)) [sign]":
        NEGATIVE_ZERO,
    "initialize_parameters_deep: parameters['W' + str(l)] = np.random.randn(layer_dims[l], "
    "layer_dims[l - 1]) * 0.01 -> parameters['W' + str(l)] = -(np.random.randn(layer_dims[l], "
    "layer_dims[l - 1]) * 0.01) [sign]": NEGATED_DRAW,
    "initialize_parameters_deep: parameters['b' + str(l)] = np.zeros((layer_dims[l], 1)) -> "
    "parameters['b' + str(l)] = -np.zeros((layer_dims[l], 1)) [sign]": NEGATIVE_ZERO,
    "relu_backward: dZ = dA * (Z > 0) -> dZ = dA * (Z >= 0) [comparison]": RELU_AT_ZERO,
    "sigmoid_backward: s = 1 / (1 + np.exp(-Z)) -> s = 1 / (1 + np.exp(Z)) [sign]":
        SIGMOID_SYMMETRY,
    "L_model_backward: grads['dA' + str(l - 1)] = dA -> grads['dA' + str(l)] = dA [dropped]":
        OLD_DA_KEY,
    "L_model_backward: grads['dA' + str(l - 1)] = dA -> grads['dA' + str(l - 0)] = dA "
    "[constant]": OLD_DA_KEY,
}

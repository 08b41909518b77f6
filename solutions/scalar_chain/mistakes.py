"""Named mistakes for scalar_chain: each is the reference with the mistake applied.

The grader names a mistake on a failed check only when the student's outputs on the hidden
inputs match this mistaken reference's (see grader/grading/diagnosis.py); ``checks`` lists
the checks each mistake can make fail (``grade audit`` verifies that list against the hidden tests).
"""

from grader.authoring import Mistake

HIDDEN = ("gradients_hidden_weights", "gradients_hidden_biases", "gradients_gradient_check")
ALL_GRADIENTS = ("gradients_output", *HIDDEN)
# W_ij read the other way round (hidden unit i from input j), in forward and in gradients
FORWARD_SWAP = (('p["W21"] * x2', 'p["W12"] * x2'), ('p["W12"] * x1', 'p["W21"] * x1'))
GRADIENT_SWAP = (('grads[f"W1{j}"] = dz_j * x1', 'grads[f"W{j}1"] = dz_j * x1'),
                 ('grads[f"W2{j}"] = dz_j * x2', 'grads[f"W{j}2"] = dz_j * x2'))
DZ_J = 'dz_j = error * params[f"w{j}"] * a_j * (1 - a_j)'
ERROR = 'error = f["y_hat"] - y'
LOSS = "return -y * math.log(y_hat) - (1 - y) * math.log(1 - y_hat)"

mistakes = [
    Mistake(
        "W_index_swapped", "W_ij read the other way round",
        "in this course W_ij connects input i to hidden unit j (W12 goes from x1 to hidden "
        "unit 2), so z1 = W11 x1 + W21 x2 + b1; reading it as \"unit i from input j\" swaps "
        "W12 and W21.",
        "z_j = W_1j x1 + W_2j x2 + b_j, and ∂L/∂W_ij = (ŷ - y) w_j a_j(1 - a_j) x_i, stored "
        "under the key 'W' + str(i) + str(j).",
        ("forward_hidden", *ALL_GRADIENTS),
        (*FORWARD_SWAP, *GRADIENT_SWAP),
        (FORWARD_SWAP, GRADIENT_SWAP),  # the same misreading in forward only, gradients only
    ),
    Mistake(
        "error_sign", "ŷ - y with the wrong sign",
        "every gradient has the wrong sign: for the log loss, ∂L/∂z = ∂L/∂ŷ · ∂ŷ/∂z = ŷ - y, "
        "not y - ŷ.",
        "start the chain from dz = y_hat - y.",
        ALL_GRADIENTS,
        ((ERROR, 'error = y - f["y_hat"]'),),
    ),
    Mistake(
        "output_sigma_prime_twice", "ŷ(1 - ŷ) applied twice",
        "(ŷ - y) is already ∂L/∂z, the slope of the loss with respect to z: ∂L/∂ŷ = "
        "(ŷ - y) / (ŷ(1 - ŷ)) times ∂ŷ/∂z = ŷ(1 - ŷ); multiplying by ŷ(1 - ŷ) again counts "
        "the sigmoid's slope twice.",
        "use ∂L/∂z = y_hat - y, with no extra y_hat * (1 - y_hat).",
        ALL_GRADIENTS,
        ((ERROR, 'error = (f["y_hat"] - y) * f["y_hat"] * (1 - f["y_hat"])'),),
    ),
    Mistake(
        "missing_w_j", "w_j left out of the chain",
        "the path from z_j to ŷ runs through z = w1 a1 + w2 a2 + b, so ∂z/∂a_j = w_j is a "
        "link of the chain for the hidden parameters.",
        "∂L/∂W_ij = (ŷ - y) w_j a_j(1 - a_j) x_i and ∂L/∂b_j = (ŷ - y) w_j a_j(1 - a_j).",
        HIDDEN,
        ((DZ_J, "dz_j = error * a_j * (1 - a_j)"),),
    ),
    Mistake(
        "missing_hidden_sigma_prime", "a_j(1 - a_j) left out of the chain",
        "the chain from W_ij to L goes through a_j = σ(z_j), whose slope ∂a_j/∂z_j = "
        "a_j(1 - a_j) is missing.",
        "multiply by a_j * (1 - a_j): ∂L/∂b_j = (ŷ - y) w_j a_j(1 - a_j).",
        HIDDEN,
        ((DZ_J, 'dz_j = error * params[f"w{j}"]'),),
    ),
    Mistake(
        "log_loss_sign", "log loss with the wrong sign",
        "the loss is negative: ln ŷ and ln(1 - ŷ) are below 0, so L = -y ln ŷ - (1 - y) "
        "ln(1 - ŷ) needs its minus signs to be a positive quantity to minimise.",
        "L = -y ln ŷ - (1 - y) ln(1 - ŷ).",
        ("log_loss_value",),
        ((LOSS, "return y * math.log(y_hat) + (1 - y) * math.log(1 - y_hat)"),),
    ),
    Mistake(
        "log10", "log10 instead of the natural log",
        "log10 is the base-10 logarithm; the log loss uses the natural log ln (the loss "
        "comes out ln 10 ≈ 2.303 times too small).",
        "use math.log (or np.log).",
        ("log_loss_value",),
        (("math.log(", "math.log10("),),
    ),
    Mistake(
        "update_plus", "update with + instead of -",
        "the update climbs the loss instead of descending it: gradient descent moves against "
        "the gradient.",
        "use θ := θ - α ∂L/∂θ.",
        ("update_values",),
        (("params[key] - alpha", "params[key] + alpha"),),
    ),
]

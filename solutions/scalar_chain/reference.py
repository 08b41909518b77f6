"""The chain rule one weight at a time: a tiny network without matrices.

Two inputs x1, x2, two sigmoid hidden units, one sigmoid output, log loss. W_ij connects
input i to hidden unit j (so W12 goes from x1 to hidden unit 2):

    z_j = W_1j x1 + W_2j x2 + b_j        a_j = σ(z_j)            (j = 1, 2)
    z   = w1 a1 + w2 a2 + b              ŷ = σ(z)
    L(y, ŷ) = -y ln ŷ - (1 - y) ln(1 - ŷ)

The chain from W_ij to L runs W_ij → z_j → a_j → z → ŷ → L, so

    ∂L/∂W_ij = ∂z_j/∂W_ij · ∂a_j/∂z_j · ∂z/∂a_j · ∂ŷ/∂z · ∂L/∂ŷ
             = x_i · a_j(1 - a_j) · w_j · ŷ(1 - ŷ) · (ŷ - y) / (ŷ(1 - ŷ))
             = (ŷ - y) w_j a_j(1 - a_j) x_i
    ∂L/∂b_j  = (ŷ - y) w_j a_j(1 - a_j)
    ∂L/∂w_j  = (ŷ - y) a_j
    ∂L/∂b    = ŷ - y

Parameters are a dict of floats with the keys W11 W21 W12 W22 b1 b2 w1 w2 b.
"""

import math

KEYS = ("W11", "W21", "W12", "W22", "b1", "b2", "w1", "w2", "b")


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(-z)) for a number (provided, not graded)."""
    return 1 / (1 + math.exp(-z))


def forward(x1, x2, params):
    """The forward pass for one example (x1, x2).

    z1 = W11 x1 + W21 x2 + b1    a1 = σ(z1)
    z2 = W12 x1 + W22 x2 + b2    a2 = σ(z2)
    z  = w1 a1 + w2 a2 + b       y_hat = σ(z)

    Returns a dict of floats with the keys z1, a1, z2, a2, z, y_hat.
    """
    p = params
    ### BEGIN SOLUTION
    z1 = p["W11"] * x1 + p["W21"] * x2 + p["b1"]
    a1 = sigmoid(z1)
    z2 = p["W12"] * x1 + p["W22"] * x2 + p["b2"]
    a2 = sigmoid(z2)
    z = p["w1"] * a1 + p["w2"] * a2 + p["b"]
    y_hat = sigmoid(z)
    ### END SOLUTION
    return {"z1": z1, "a1": a1, "z2": z2, "a2": a2, "z": z, "y_hat": y_hat}


def log_loss(y, y_hat):
    """L(y, ŷ) = -y ln ŷ - (1 - y) ln(1 - ŷ), a float (natural log)."""
    ### BEGIN SOLUTION
    return -y * math.log(y_hat) - (1 - y) * math.log(1 - y_hat)
    ### END SOLUTION


def gradients(x1, x2, y, params):
    """∂L/∂(each parameter) for one example: a dict of floats with the keys of params.

    ∂L/∂W_ij = (ŷ - y) w_j a_j(1 - a_j) x_i     ∂L/∂b_j = (ŷ - y) w_j a_j(1 - a_j)
    ∂L/∂w_j  = (ŷ - y) a_j                       ∂L/∂b   = ŷ - y
    """
    ### BEGIN SOLUTION
    f = forward(x1, x2, params)
    error = f["y_hat"] - y  # ∂L/∂z = ∂L/∂ŷ · ∂ŷ/∂z = ŷ - y
    grads = {"w1": error * f["a1"], "w2": error * f["a2"], "b": error}
    for j in (1, 2):
        a_j = f[f"a{j}"]
        dz_j = error * params[f"w{j}"] * a_j * (1 - a_j)  # ∂L/∂z_j
        grads[f"W1{j}"] = dz_j * x1
        grads[f"W2{j}"] = dz_j * x2
        grads[f"b{j}"] = dz_j
    return {key: grads[key] for key in KEYS}
    ### END SOLUTION


def update(params, grads, alpha):
    """One step of gradient descent on every parameter: θ := θ - α ∂L/∂θ; a new dict."""
    ### BEGIN SOLUTION
    return {key: params[key] - alpha * grads[key] for key in params}
    ### END SOLUTION

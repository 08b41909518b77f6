# Fill in every part marked YOUR CODE HERE. Keep the function names and signatures:
# the grader calls them by name.
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
    # YOUR CODE HERE
    raise NotImplementedError()
    return {"z1": z1, "a1": a1, "z2": z2, "a2": a2, "z": z, "y_hat": y_hat}


def log_loss(y, y_hat):
    """L(y, ŷ) = -y ln ŷ - (1 - y) ln(1 - ŷ), a float (natural log)."""
    # YOUR CODE HERE
    raise NotImplementedError()


def gradients(x1, x2, y, params):
    """∂L/∂(each parameter) for one example: a dict of floats with the keys of params.

    ∂L/∂W_ij = (ŷ - y) w_j a_j(1 - a_j) x_i     ∂L/∂b_j = (ŷ - y) w_j a_j(1 - a_j)
    ∂L/∂w_j  = (ŷ - y) a_j                       ∂L/∂b   = ŷ - y
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def update(params, grads, alpha):
    """One step of gradient descent on every parameter: θ := θ - α ∂L/∂θ; a new dict."""
    # YOUR CODE HERE
    raise NotImplementedError()

"""A correct submission for scalar_chain, written the way many students do."""

import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def forward(x1, x2, params):
    z1 = params["W11"] * x1 + params["W21"] * x2 + params["b1"]
    a1 = sigmoid(z1)
    z2 = params["W12"] * x1 + params["W22"] * x2 + params["b2"]
    a2 = sigmoid(z2)
    z = params["w1"] * a1 + params["w2"] * a2 + params["b"]
    y_hat = sigmoid(z)
    return {"z1": z1, "a1": a1, "z2": z2, "a2": a2, "z": z, "y_hat": y_hat}


def log_loss(y, y_hat):
    return -y * np.log(y_hat) - (1 - y) * np.log(1 - y_hat)


def gradients(x1, x2, y, params):
    f = forward(x1, x2, params)
    a1, a2, y_hat = f["a1"], f["a2"], f["y_hat"]
    dz = y_hat - y
    dz1 = dz * params["w1"] * a1 * (1 - a1)
    dz2 = dz * params["w2"] * a2 * (1 - a2)
    return {
        "W11": dz1 * x1, "W21": dz1 * x2, "b1": dz1,
        "W12": dz2 * x1, "W22": dz2 * x2, "b2": dz2,
        "w1": dz * a1, "w2": dz * a2, "b": dz,
    }


def update(params, grads, alpha):
    new_params = {}
    for key in params:
        new_params[key] = params[key] - alpha * grads[key]
    return new_params

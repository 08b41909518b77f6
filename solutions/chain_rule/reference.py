"""The calculus of backpropagation, in 3Blue1Brown's notation.

Sigmoid neurons, a quadratic cost, one training example at a time. Layer L's weighted
input and activation are

    z^(L) = w^(L) a^(L-1) + b^(L)        a^(L) = σ(z^(L))

and the cost of one training example (with desired output y) is, with no ½ in front,

    C0 = Σ_j (a_j^(L) - y_j)²

The chain rule follows the path w^(L) → z^(L) → a^(L) → C0:

    ∂C0/∂w^(L)   = ∂z^(L)/∂w^(L) · ∂a^(L)/∂z^(L) · ∂C0/∂a^(L) = a^(L-1) σ'(z^(L)) 2(a^(L) - y)
    ∂C0/∂b^(L)   = σ'(z^(L)) 2(a^(L) - y)
    ∂C0/∂a^(L-1) = w^(L) σ'(z^(L)) 2(a^(L) - y)

With many neurons per layer, w_jk^(L) connects neuron k of layer L-1 to neuron j of
layer L, so the matrix w^(L) has shape (n_L, n_{L-1}) and b^(L) has shape (n_L, 1):

    ∂C0/∂w_jk^(L)   = a_k^(L-1) σ'(z_j^(L)) ∂C0/∂a_j^(L)
    ∂C0/∂a_k^(L-1) = Σ_j w_jk^(L) σ'(z_j^(L)) ∂C0/∂a_j^(L)      (a sum over layer L)

The whole cost C averages the costs C_k of the n training examples, so its gradient is
the average of theirs: ∂C/∂w = (1/n) Σ_k ∂C_k/∂w. A step of gradient descent is
w := w - α ∂C/∂w (and likewise for b).

A network is a list ``weights = [w^(1), ..., w^(L)]`` and a list ``biases = [b^(1), ...,
b^(L)]``: Python index l - 1 holds layer l. Activations are columns of shape (n_l, 1).
"""

import numpy as np


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(-z)), element-wise; works for a number or an array of any shape."""
    ### BEGIN SOLUTION
    return 1 / (1 + np.exp(-z))
    ### END SOLUTION


def sigmoid_prime(z):
    """σ'(z) = σ(z) (1 - σ(z)), element-wise, the same shape as z.

    Note the argument is the weighted input z, not the activation a = σ(z).
    """
    ### BEGIN SOLUTION
    s = sigmoid(z)
    return s * (1 - s)
    ### END SOLUTION


def cost(a_L, y):
    """C0 = Σ_j (a_j^(L) - y_j)² for one training example, as a Python float (no ½)."""
    ### BEGIN SOLUTION
    return float(np.sum((a_L - y) ** 2))
    ### END SOLUTION


def dC_da(a_L, y):
    """∂C0/∂a^(L) = 2 (a^(L) - y), the same shape as a_L."""
    ### BEGIN SOLUTION
    return 2 * (a_L - y)
    ### END SOLUTION


# One neuron per layer: a_prev = a^(L-1), w = w^(L), b = b^(L) and y are numbers, and
# z^(L) = w a^(L-1) + b, a^(L) = σ(z^(L)). Each returns a number.


def dC_dw(a_prev, w, b, y):
    """∂C0/∂w^(L) = a^(L-1) σ'(z^(L)) 2(a^(L) - y)."""
    ### BEGIN SOLUTION
    z = w * a_prev + b
    return a_prev * sigmoid_prime(z) * dC_da(sigmoid(z), y)
    ### END SOLUTION


def dC_db(a_prev, w, b, y):
    """∂C0/∂b^(L) = σ'(z^(L)) 2(a^(L) - y)."""
    ### BEGIN SOLUTION
    z = w * a_prev + b
    return sigmoid_prime(z) * dC_da(sigmoid(z), y)
    ### END SOLUTION


def dC_da_prev(a_prev, w, b, y):
    """∂C0/∂a^(L-1) = w^(L) σ'(z^(L)) 2(a^(L) - y)."""
    ### BEGIN SOLUTION
    z = w * a_prev + b
    return w * sigmoid_prime(z) * dC_da(sigmoid(z), y)
    ### END SOLUTION


def feedforward(x, weights, biases):
    """The activations of every layer for one input x = a^(0) of shape (n_0, 1).

    a^(l) = σ(w^(l) a^(l-1) + b^(l)), of shape (n_l, 1), for l = 1 ... L.
    Returns the list [a^(0), a^(1), ..., a^(L)] (L + 1 columns, a^(0) = x).
    """
    ### BEGIN SOLUTION
    activations = [x]
    for w, b in zip(weights, biases, strict=True):
        activations.append(sigmoid(w @ activations[-1] + b))
    return activations
    ### END SOLUTION


def backprop(x, y, weights, biases):
    """The gradient of C0 for one training example x (n_0, 1) with desired output y (n_L, 1).

    Go forward keeping every z^(l) and a^(l); start from ∂C0/∂a^(L) = 2(a^(L) - y); then,
    for l = L down to 1:

        ∂C0/∂w_jk^(l)   = a_k^(l-1) σ'(z_j^(l)) ∂C0/∂a_j^(l)      (n_l, n_{l-1})
        ∂C0/∂b_j^(l)    = σ'(z_j^(l)) ∂C0/∂a_j^(l)                (n_l, 1)
        ∂C0/∂a_k^(l-1) = Σ_j w_jk^(l) σ'(z_j^(l)) ∂C0/∂a_j^(l)   (n_{l-1}, 1)

    Returns (grad_w, grad_b): lists shaped like weights and biases.
    """
    ### BEGIN SOLUTION
    activations, zs = [x], []
    for w, b in zip(weights, biases, strict=True):
        zs.append(w @ activations[-1] + b)
        activations.append(sigmoid(zs[-1]))
    grad_w, grad_b = [None] * len(weights), [None] * len(biases)
    dC0_da = dC_da(activations[-1], y)
    for i in reversed(range(len(weights))):  # weights[i] is w^(l) with l = i + 1
        delta = sigmoid_prime(zs[i]) * dC0_da  # σ'(z^(l)) ∂C0/∂a^(l)
        grad_w[i] = delta @ activations[i].T  # a_k^(l-1) σ'(z_j^(l)) ∂C0/∂a_j^(l)
        grad_b[i] = delta
        dC0_da = weights[i].T @ delta  # Σ_j w_jk^(l) σ'(z_j^(l)) ∂C0/∂a_j^(l)
    return grad_w, grad_b
    ### END SOLUTION


def average_gradient(X, Y, weights, biases):
    """The gradient of the whole cost C = (1/n) Σ_k C_k over n examples.

    X is (n_0, n) and Y is (n_L, n): example k is the column pair X[:, k], Y[:, k].
    ∂C/∂w = (1/n) Σ_k ∂C_k/∂w and ∂C/∂b = (1/n) Σ_k ∂C_k/∂b.
    Returns (grad_w, grad_b): lists shaped like weights and biases.
    """
    ### BEGIN SOLUTION
    n = X.shape[1]
    grad_w = [np.zeros_like(w, dtype=float) for w in weights]
    grad_b = [np.zeros_like(b, dtype=float) for b in biases]
    for k in range(n):
        gw, gb = backprop(X[:, [k]], Y[:, [k]], weights, biases)
        for i in range(len(weights)):
            grad_w[i] += gw[i] / n
            grad_b[i] += gb[i] / n
    return grad_w, grad_b
    ### END SOLUTION


def gradient_descent_step(weights, biases, grad_w, grad_b, alpha):
    """One step downhill: w^(l) := w^(l) - α ∂C/∂w^(l) and b^(l) := b^(l) - α ∂C/∂b^(l).

    Returns (weights, biases): new lists of the same shapes.
    """
    ### BEGIN SOLUTION
    new_weights = [w - alpha * gw for w, gw in zip(weights, grad_w, strict=True)]
    new_biases = [b - alpha * gb for b, gb in zip(biases, grad_b, strict=True)]
    return new_weights, new_biases
    ### END SOLUTION

"""Named mistakes for chain_rule: each is the reference with the mistake applied.

The grader names a mistake on a failed check only when the student's outputs on the hidden
inputs match this mistaken reference's (see grader/grading/diagnosis.py); ``checks`` lists
the checks each mistake can make fail (``grade audit`` verifies that list against the hidden tests).
A mistake made in the scalar functions and in backprop is one edit of both: a student who
makes it in one place only still matches it (the other place matches the reference).
"""

from grader.authoring import Mistake

SCALAR = tuple(f"{f}_{kind}" for f in ("dC_dw", "dC_db", "dC_da_prev")
               for kind in ("value", "gradient_check"))
BACKPROP = ("backprop_grad_w", "backprop_grad_b", "backprop_gradient_check")
# backprop and the one-line scalar functions dC_dw, dC_db, dC_da_prev are judged against
# the student's own sigmoid, σ' and dC_da, average_gradient against their own backprop: a
# mistake in a helper is charged there, not again to its callers
AVERAGE = ("average_values", "average_gradient_check")
SHAPES = ("backprop_shapes", "average_shapes")
# the three scalar functions end with `sigmoid_prime(z) * dC_da(sigmoid(z), y)`
SCALAR_LINK = "sigmoid_prime(z) * dC_da"
DELTA = "delta = sigmoid_prime(zs[i]) * dC0_da"
BACK = "dC0_da = weights[i].T @ delta"
GRAD_W = "grad_w[i] = delta @ activations[i].T"
# a gradient of the wrong shape fails differently in average_gradient when the sums are
# built with + (numpy broadcasts it) instead of += (numpy refuses)
SUM_WITH_PLUS = ("grad_w[i] += gw[i] / n", "grad_w[i] = grad_w[i] + gw[i] / n")
SIGMA_PRIME = "s = sigmoid(z)\n    return s * (1 - s)"

mistakes = [
    Mistake(
        "half_cost_gradient", "½ cost convention",
        "the gradients are exactly half the right ones: this course's cost C0 = Σ (a - y)² has "
        "no ½ in front (that is another textbook's convention), so ∂C0/∂a = 2 (a - y), "
        "not a - y.",
        "drop the ½: cost = Σ (a_L - y)² and dC_da = 2 * (a_L - y).",
        ("cost_value", "dC_da_value"),
        (("return float(np.sum((a_L - y) ** 2))", "return float(0.5 * np.sum((a_L - y) ** 2))"),
         ("return 2 * (a_L - y)", "return a_L - y")),
    ),
    Mistake(
        "dC_da_sign", "∂C0/∂a with the wrong sign",
        "every gradient has the wrong sign: the derivative of (a - y)² with respect to a is "
        "2 (a - y), not 2 (y - a), and the sign carries through the whole chain.",
        "use dC_da = 2 * (a_L - y).",
        ("dC_da_value",),
        (("return 2 * (a_L - y)", "return 2 * (y - a_L)"),),
    ),
    Mistake(
        "sigmoid_prime_as_z", "σ'(z) written as z (1 - z)",
        "σ'(z) = σ(z) (1 - σ(z)): the form a (1 - a) takes the activation a = σ(z); "
        "applied to z itself it is a different number.",
        "return sigmoid(z) * (1 - sigmoid(z)).",
        ("sigmoid_prime_values",),
        ((SIGMA_PRIME, "return z * (1 - z)"),),
    ),
    Mistake(
        "missing_sigma_prime", "missing σ'",
        "the chain skips the activation's slope: ∂a/∂z = σ'(z) is a link of the chain "
        "between ∂C0/∂a and ∂C0/∂z (in dC_dw, dC_db and dC_da_prev as in backprop).",
        "multiply by σ'(z): e.g. dC_db = sigmoid_prime(z) * 2 * (a - y) and, in backprop, "
        "delta = sigmoid_prime(z^(l)) * dC0_da.",
        (*SCALAR, *BACKPROP),
        ((SCALAR_LINK, "dC_da"), (DELTA, "delta = dC0_da")),
    ),
    Mistake(
        "sigma_prime_of_a", "σ' applied to a instead of z",
        "sigmoid_prime takes the weighted input z; giving it the activation a = σ(z) "
        "computes σ'(σ(z)), a different number.",
        "call sigmoid_prime(z) (or use a * (1 - a) directly).",
        (*SCALAR, *BACKPROP),
        ((SCALAR_LINK, "sigmoid_prime(sigmoid(z)) * dC_da"),
         ("sigmoid_prime(zs[i])", "sigmoid_prime(activations[i + 1])")),
    ),
    Mistake(
        "W_not_transposed", "w not transposed on the way back",
        "∂C0/∂a_k^(l-1) sums over j of w_jk: that is wᵀ times delta, not w times delta, and "
        "with w of shape (n_l, n_{l-1}) the product cannot even be computed.",
        "propagate with dC0_da = w^(l)ᵀ delta: np.dot(weights[l].T, delta).",
        ("backprop_shapes", *BACKPROP),
        ((BACK, "dC0_da = weights[i] @ delta"),),
        (((BACK, "dC0_da = np.dot(weights[i], delta)"),),),
    ),
    Mistake(
        "grad_w_transposed", "transposed ∂C0/∂w",
        "∂C0/∂w_jk^(l) = a_k^(l-1) delta_j, so the gradient is delta a^(l-1)ᵀ, of w^(l)'s "
        "shape (n_l, n_{l-1}); a^(l-1) deltaᵀ is its transpose.",
        "grad_w[l] = np.dot(delta, a_prev.T).",
        (*SHAPES, *BACKPROP, *AVERAGE),
        ((GRAD_W, "grad_w[i] = activations[i] @ delta.T"),),
        (((GRAD_W, "grad_w[i] = activations[i] @ delta.T"), SUM_WITH_PLUS),),
    ),
    Mistake(
        "activation_off_by_one", "a^(l) where a^(l-1) belongs",
        "∂C0/∂w^(l) multiplies delta by the activation feeding layer l, a^(l-1); with "
        "activations = [a^(0), ..., a^(L)], that is activations[l - 1], the entry just before "
        "the layer's own output.",
        "grad_w for weights[i] (layer l = i + 1) is delta @ activations[i].T.",
        (*SHAPES, *BACKPROP, *AVERAGE),
        ((GRAD_W, "grad_w[i] = delta @ activations[i + 1].T"),),
        (((GRAD_W, "grad_w[i] = delta @ activations[i + 1].T"), SUM_WITH_PLUS),),
    ),
    Mistake(
        "missing_a0", "a^(0) = x left out of the activations",
        "feedforward returns every layer's activation, starting with the input itself: "
        "[a^(0) = x, a^(1), ..., a^(L)] has L + 1 entries.",
        "start the list with x: activations = [x], then append each layer's a^(l).",
        ("feedforward_shapes", "feedforward_values"),
        (("    return activations\n", "    return activations[1:]\n"),),
    ),
    Mistake(
        "missing_bias", "bias left out",
        "z^(l) = w^(l) a^(l-1) + b^(l): the bias is missing from the weighted input.",
        "add the bias: z = np.dot(w, a) + b.",
        ("feedforward_values", *BACKPROP),
        (("w @ activations[-1] + b)", "w @ activations[-1])"),),
    ),
    Mistake(
        "average_without_1_over_n", "not dividing by n",
        "the averaged gradient is n times too large: C is the average of the n examples' "
        "costs, so its gradient is the average of their gradients, not their sum.",
        "divide each example's gradient by n (∂C/∂w = (1/n) Σ_k ∂C_k/∂w).",
        AVERAGE,
        (("grad_w[i] += gw[i] / n", "grad_w[i] += gw[i]"),
         ("grad_b[i] += gb[i] / n", "grad_b[i] += gb[i]")),
    ),
    Mistake(
        "update_plus", "update with + instead of -",
        "the step climbs the cost instead of descending it: gradient descent moves against "
        "the gradient.",
        "use w := w - α ∂C/∂w and b := b - α ∂C/∂b.",
        ("step_values",),
        (("w - alpha * gw", "w + alpha * gw"), ("b - alpha * gb", "b + alpha * gb")),
    ),
]

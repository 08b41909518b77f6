"""Named mistakes for chain_rule: each is the reference with the mistake applied.

The grader names a mistake on a failed check only when the student's outputs on the hidden
inputs match this mistaken reference's (see grader/diagnosis.py); ``checks`` lists the checks
each mistake can make fail (``grade audit`` verifies that list against the hidden tests).
"""

from grader.mistakes import Mistake

SCALAR = tuple(f"{f}_{kind}" for f in ("dC_dw", "dC_db", "dC_da_prev")
               for kind in ("value", "gradient_check"))
BACKPROP = ("backprop_grad_w", "backprop_grad_b", "backprop_gradient_check")
AVERAGE = ("average_values", "average_gradient_check")

mistakes = [
    Mistake(
        "half_cost_gradient", "½ cost convention (half gradients)",
        "the gradients are exactly half the right ones: this course's cost C0 = Σ (a - y)² has "
        "no ½ in front, so ∂C0/∂a = 2 (a - y), not a - y.",
        "use dC_da = 2 * (a_L - y).",
        ("dC_da_value", *SCALAR, *BACKPROP, *AVERAGE),
        (("return 2 * (a_L - y)", "return a_L - y"),),
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
        "missing_sigma_prime", "missing σ'",
        "backprop skips the activation's slope: ∂a/∂z = σ'(z) is a link of the chain "
        "between ∂C0/∂a and ∂C0/∂z.",
        "multiply by σ'(z^(l)): delta = sigmoid_prime(z) * dC0_da.",
        (*BACKPROP, *AVERAGE),
        (("delta = sigmoid_prime(zs[i]) * dC0_da", "delta = dC0_da"),),
    ),
    Mistake(
        "sigma_prime_of_a", "σ' applied to a instead of z",
        "sigmoid_prime takes the weighted input z; giving it the activation a = σ(z) "
        "computes σ'(σ(z)), a different number.",
        "call sigmoid_prime(z^(l)) (or use a (1 - a) directly).",
        (*BACKPROP, *AVERAGE),
        (("sigmoid_prime(zs[i])", "sigmoid_prime(activations[i + 1])"),),
    ),
    Mistake(
        "W_not_transposed", "W not transposed on the way back",
        "∂C0/∂a_k^(l-1) sums over j of w_jk: that is wᵀ times delta, not w times delta.",
        "propagate with dC0_da = weights[i].T @ delta.",
        (*BACKPROP, *AVERAGE),
        (("dC0_da = weights[i].T @ delta", "dC0_da = weights[i] @ delta"),),
    ),
]

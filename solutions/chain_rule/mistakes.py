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
]

"""Mutants of reference.py reviewed as equivalent: they compute what the contract asks for.

``grade audit --assignment chain_rule`` leaves these out of the mutation score and lists
them with their reason; one that loses points anyway is reported (the list is wrong, or a
hidden test rejects a correct answer). Keys are the ids ``grade audit`` prints.
"""

EQUIVALENT = {
    "backprop: grad_w[i] = delta @ activations[i].T -> "
    "grad_w[i] = delta * activations[i].T [operator]":
        "delta is a column (n_l, 1) and activations[i].T a row (1, n_{l-1}): broadcasting "
        "their element-wise product gives the outer product, exactly delta @ activations[i].T",
    "cost: return float(np.sum((a_L - y) ** 2)) -> return float(np.sum((y - a_L) ** 2)) "
    "[operands]": "(y - a)² = (a - y)²: the same cost",
}

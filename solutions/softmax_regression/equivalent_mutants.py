"""Mutants of reference.py reviewed as equivalent: they compute what the contract asks for.

``grade audit --assignment softmax_regression`` leaves these out of the mutation score and
lists them with their reason; one that loses points anyway is reported (the list is wrong,
or a hidden test rejects a correct answer). Keys are the ids ``grade audit`` prints.
"""

ROW_BROADCAST = ("without keepdims the axis-0 reduction is a (m,) row, and numpy broadcasts "
                 "a (m,) array against (n_y, m) along the last axis: entry i meets column i, "
                 "exactly what the (1, m) keepdims row does (Z is always 2-D here)")

EQUIVALENT = {
    "softmax: E = np.exp(Z - np.max(Z, axis=0, keepdims=True)) -> "
    "E = -np.exp(Z - np.max(Z, axis=0, keepdims=True)) [sign]":
        "A = (-E) / Σ(-E) = E / Σ E: the sign cancels in the ratio",
    "softmax: A = E / np.sum(E, axis=0, keepdims=True) -> A = E / np.sum(E, axis=0) [keepdims]":
        ROW_BROADCAST,
    "softmax: E = np.exp(Z - np.max(Z, axis=0, keepdims=True)) -> "
    "E = np.exp(Z - np.max(Z, axis=0)) [keepdims]": ROW_BROADCAST,
}

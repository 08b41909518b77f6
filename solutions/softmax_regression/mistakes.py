"""Named mistakes for softmax_regression: each is the reference with the mistake applied.

The grader names a mistake on a failed check only when the student's outputs on the hidden
inputs match this mistaken reference's (see grader/grading/diagnosis.py); ``checks`` lists
the checks each mistake makes fail (``grade audit --strict`` verifies that list against the
hidden tests, both ways). forward's A is judged against the student's own softmax, so a
softmax mistake costs softmax's checks only.
"""

from grader.authoring import Mistake

SHIFTED = "E = np.exp(Z - np.max(Z, axis=0, keepdims=True))"
NORMALISED = "A = E / np.sum(E, axis=0, keepdims=True)"
COST = "cost = -np.sum(Y * np.log(A)) / m"
DZ = "dZ = A - Y"
DW = "dW = dZ @ X.T / m"
DB = "db = np.sum(dZ, axis=1, keepdims=True) / m"
BACKWARD_VALUES = ("backward_dW", "backward_db", "backward_gradient_check")

mistakes = [
    Mistake(
        "softmax_wrong_axis", "softmax over the wrong axis",
        "each column of Z is one example, and softmax turns one example's class scores into "
        "probabilities: the max and the sum run over the classes, axis=0. Over axis=1 each "
        "row (one class, across the examples) sums to 1 instead.",
        "use np.max(Z, axis=0, keepdims=True) and np.sum(E, axis=0, keepdims=True).",
        ("softmax_columns", "softmax_values"),
        ((SHIFTED, SHIFTED.replace("axis=0", "axis=1")),
         (NORMALISED, NORMALISED.replace("axis=0", "axis=1"))),
        (((NORMALISED, NORMALISED.replace("axis=0", "axis=1")),),),  # the sum only
    ),
    Mistake(
        "no_max_subtraction", "no max subtraction in softmax",
        "softmax computes e^Z directly: for scores near 1000, e^1000 overflows to inf (and "
        "near -1000 underflows to 0), and inf / inf or 0 / 0 is NaN. The formula is right; "
        "only the computer's floating point breaks it.",
        "subtract each column's max before np.exp: E = np.exp(Z - np.max(Z, axis=0, "
        "keepdims=True)). softmax(Z - c) = softmax(Z) for any constant c per column.",
        ("softmax_stable",),
        ((SHIFTED, "E = np.exp(Z)"),),
    ),
    Mistake(
        "min_subtraction", "the column's min subtracted instead of its max",
        "Z - min(Z) is shifted too, so softmax is unchanged, but its exponents are >= 0: a "
        "column whose scores span more than about 709 still overflows e^z to inf.",
        "subtract the max: every exponent is then <= 0 and e^z lies in (0, 1].",
        ("softmax_stable",),
        ((SHIFTED, SHIFTED.replace("np.max", "np.min")),),
    ),
    Mistake(
        "forward_missing_bias", "b left out of Z",
        "Z = W X leaves out the bias: every class score misses its b.",
        "Z = W X + b (b is (n_y, 1) and broadcasts over the m columns).",
        ("forward_Z",),
        (("Z = W @ X + b", "Z = W @ X"),),
    ),
    Mistake(
        "forward_sigmoid", "sigmoid instead of softmax",
        "A = σ(Z) is one-hidden-layer's output for a yes/no answer: each entry on its own, so "
        "a column does not sum to 1. With n_y classes, the output is softmax(Z).",
        "A = softmax(Z), your own softmax.",
        ("forward_A",),
        (("A = softmax(Z)", "A = 1 / (1 + np.exp(-Z))"),),
    ),
    Mistake(
        "cost_missing_1_over_m", "cost not averaged (missing 1/m)",
        "the cost is the sum over the m examples instead of their mean: m times too large.",
        "J = -(1/m) Σ Y log A: divide the sum by m.",
        ("cost_value",),
        ((COST, "cost = -np.sum(Y * np.log(A))"),),
    ),
    Mistake(
        "cost_wrong_sign", "cost with the wrong sign",
        "log A is negative (A is a probability below 1), so Σ Y log A is negative and the "
        "cost needs the minus sign to be positive, falling as the model improves.",
        "J = -(1/m) Σ Y log A.",
        ("cost_value",),
        ((COST, "cost = np.sum(Y * np.log(A)) / m"),),
    ),
    Mistake(
        "cost_binary_formula", "the two-class cost for n_y classes",
        "Y log A + (1 - Y) log(1 - A) is the cost of one sigmoid output (one_hidden_layer). "
        "With softmax, the probabilities of the other classes are already in A's column: "
        "the (1 - Y) log(1 - A) term counts them a second time.",
        "J = -(1/m) Σ Y log A, the sum over every class and example.",
        ("cost_value",),
        ((COST, "cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m"),),
    ),
    Mistake(
        "cost_mean_over_classes", "cost averaged over the classes too",
        "np.mean over the (n_y, m) array divides by n_y m: the cost is n_y times too small. "
        "The mean runs over the examples only; over the classes it is a sum.",
        "J = -np.sum(Y * np.log(A)) / m.",
        ("cost_value",),
        ((COST, "cost = -np.mean(Y * np.log(A))"),),
    ),
    Mistake(
        "dZ_sign", "dZ = Y - A",
        "the derivative of the cross-entropy of a softmax with respect to Z is A - Y; Y - A "
        "gives every gradient the wrong sign, so gradient descent climbs the cost.",
        "dZ = A - Y.",
        BACKWARD_VALUES,
        ((DZ, "dZ = Y - A"),),
    ),
    Mistake(
        "backward_missing_1_over_m", "missing 1/m in dW and db",
        "the cost averages over the m examples, so its gradients do too: without 1/m they "
        "are m times too large.",
        "dW = (1/m) dZ Xᵀ and db = (1/m) Σ_axis1 dZ.",
        BACKWARD_VALUES,
        ((DW, "dW = dZ @ X.T"), (DB, "db = np.sum(dZ, axis=1, keepdims=True)")),
    ),
    Mistake(
        "db_without_keepdims", "db without keepdims",
        "np.sum(dZ, axis=1) is a rank-1 array of shape (n_y,), not the column (n_y, 1) that "
        "b is; b - α db would then broadcast into an (n_y, n_y) matrix.",
        "db = np.sum(dZ, axis=1, keepdims=True) / m.",
        ("backward_db_shape",),
        ((DB, "db = np.sum(dZ, axis=1) / m"),),
    ),
    Mistake(
        "dW_transposed", "dW transposed",
        "X dZᵀ is (n_x, n_y), the transpose of W (n_y, n_x): dW must have W's shape to be "
        "subtracted from it.",
        "dW = (1/m) dZ Xᵀ.",
        ("backward_dW_shape", *BACKWARD_VALUES[::2]),
        ((DW, "dW = X @ dZ.T / m"),),
    ),
    Mistake(
        "update_plus", "update adds the gradient",
        "W + α dW moves uphill: the gradient points where the cost grows fastest.",
        "W := W - α dW and b := b - α db.",
        ("update_values",),
        (("W = W - learning_rate * dW", "W = W + learning_rate * dW"),
         ("b = b - learning_rate * db", "b = b + learning_rate * db")),
    ),
    Mistake(
        "update_without_rate", "learning rate left out",
        "W - dW takes a step of the gradient's full size, whatever learning_rate says.",
        "multiply both gradients by learning_rate: W - learning_rate * dW.",
        ("update_values",),
        (("W = W - learning_rate * dW", "W = W - dW"),
         ("b = b - learning_rate * db", "b = b - db")),
    ),
]

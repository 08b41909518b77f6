"""Named mistakes for gradient_descent: each is the reference with the mistake applied.

The grader names a mistake on a failed check only when the student's outputs on the hidden
inputs match this mistaken reference's (see grader/grading/diagnosis.py); ``checks`` lists
the checks each mistake can make fail (``grade audit`` verifies that list against the hidden tests).
"""

from grader.authoring import Mistake

GRADIENT_VALUES = ("logistic_gradients_dw", "logistic_gradients_db", "logistic_gradients_check")
COST = "return float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m)"
FORWARD = "return sigmoid(w.T @ X + b)"

mistakes = [
    Mistake(
        "forward_difference", "forward difference",
        "(f(x + h) - f(x)) / h is a forward difference: its error shrinks like h, while the "
        "central difference (f(x + h) - f(x - h)) / 2h asked for is accurate to h².",
        "use (f(x + h) - f(x - h)) / (2 * h).",
        ("numerical_slope_central", "numerical_slope_given_h"),
        (("return (f(x + h) - f(x - h)) / (2 * h)", "return (f(x + h) - f(x)) / h"),),
    ),
    Mistake(
        "descend_plus", "step with + instead of -",
        "x_{t+1} = x_t + α slope(x_t) climbs the function: gradient descent steps against "
        "the slope.",
        "use x_{t+1} = x_t - alpha * slope(x_t).",
        ("descend_values",),
        (("xs[-1] - alpha * slope(xs[-1])", "xs[-1] + alpha * slope(xs[-1])"),),
    ),
    Mistake(
        "abs_slope_at_zero", "no separate case for x = 0",
        "the slope of |x| is -1 left of 0 and +1 right of 0; at 0 itself it is undefined, "
        "and this exercise asks for 0.0 there, not the slope of one side.",
        "test x < 0 and x > 0 strictly, and return 0.0 otherwise.",
        ("abs_slope_values",),
        (("if x > 0:", "if x >= 0:"),),
        ((("if x < 0:", "if x <= 0:"),),),
    ),
    Mistake(
        "sum_for_product", "slopes added instead of multiplied",
        "the chain rule multiplies the intermediate slopes, dy/dx = dy/dv · dv/du · du/dx; "
        "adding them gives another number.",
        "start from 1 and multiply by each slope.",
        ("chain_slope_values", "chain_slope_composition"),
        (("product = 1.0", "product = 0.0"), ("product *= slope", "product += slope")),
    ),
    Mistake(
        "product_from_zero", "product started at 0",
        "a product started at 0 stays 0 whatever the slopes are.",
        "start the product at 1 (the slope of a chain with no steps).",
        ("chain_slope_values", "chain_slope_composition"),
        (("product = 1.0", "product = 0.0"),),
    ),
    Mistake(
        "forward_missing_transpose", "w not transposed in wᵀX",
        "w has shape (n, 1) and X (n, m): w X cannot be computed; the weighted input is "
        "wᵀX, of shape (1, m).",
        "A = sigmoid(np.dot(w.T, X) + b).",
        ("logistic_forward_shape", "logistic_forward_values"),
        ((FORWARD, "return sigmoid(w @ X + b)"),),
        (((FORWARD, "return sigmoid(np.dot(w, X) + b)"),),),
    ),
    Mistake(
        "forward_missing_sigmoid", "σ left out",
        "A is the activation σ(wᵀX + b), not the weighted input wᵀX + b itself.",
        "A = sigmoid(np.dot(w.T, X) + b).",
        ("logistic_forward_values",),
        ((FORWARD, "return w.T @ X + b"),),
    ),
    Mistake(
        "cost_not_averaged", "cost not averaged",
        "the cost is exactly m times too large: it is the sum of the losses, not their mean.",
        "divide the sum by m: J = -(1/m) Σ [Y log A + (1 - Y) log(1 - A)].",
        ("logistic_cost_value",),
        ((COST, COST.replace(") / m)", "))")),),
    ),
    Mistake(
        "cost_wrong_sign", "cost with the wrong sign",
        "the cost is negative: log A is below 0, so the cross-entropy needs a minus sign to "
        "be a positive quantity to minimise.",
        "J = -(1/m) Σ [Y log A + (1 - Y) log(1 - A)]: note the leading minus.",
        ("logistic_cost_value",),
        ((COST, COST.replace("float(-np.sum", "float(np.sum")),),
    ),
    Mistake(
        "dZ_sign", "Y - A instead of A - Y",
        "both slopes have the wrong sign: the derivative of the logistic cost with respect "
        "to the weighted input is A - Y, not Y - A.",
        "use dZ = A - Y: dw = (1/m) X (A - Y)ᵀ and db = (1/m) Σ (A - Y).",
        GRADIENT_VALUES,
        (("dZ = A - Y", "dZ = Y - A"),),
    ),
    Mistake(
        "gradients_missing_1_over_m", "missing 1/m",
        "the slopes are exactly m times too large: the cost is an average over the m "
        "examples, so its slopes are averages too.",
        "divide both by m: dw = (1/m) X (A - Y)ᵀ and db = (1/m) Σ (A - Y).",
        GRADIENT_VALUES,
        (("dw = X @ dZ.T / m", "dw = X @ dZ.T"), ("db = float(np.sum(dZ) / m)",
                                                  "db = float(np.sum(dZ))")),
    ),
    Mistake(
        "dw_transposed", "transposed dw",
        "dw = (1/m) X (A - Y)ᵀ has w's shape (n, 1); (A - Y) Xᵀ is its transpose, (1, n).",
        "dw = (1/m) np.dot(X, (A - Y).T).",
        ("logistic_gradients_shapes",),
        (("dw = X @ dZ.T / m", "dw = dZ @ X.T / m"),),
    ),
]

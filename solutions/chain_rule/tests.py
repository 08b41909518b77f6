"""Hidden tests for chain_rule: which checks run, on which inputs, for how many points.

Every function is graded on inputs built here with fixed seeds (backprop never gets the
student's feedforward), so one mistake costs points once. Networks have 2 to 4 layers of
widths 1 to 5, width-1 layers included, and no square weight matrix, so a missing
transpose cannot pass. Every derivative is also checked against central differences of
the cost itself.
"""

import numpy as np

from grader.authoring import (
    CheckFailed,
    GradientTable,
    Spec,
    StudentCallError,
    check_against_own,
    check_array,
    check_float,
    check_gradient,
    check_shape,
    check_tuple,
    check_values,
    each_case,
    numeric_gradient,
    unless_own_step_raises,
)

spec = Spec(
    name="chain_rule",
    student_file="chain_rule.py",
    title="The chain rule: backpropagation calculus in 3Blue1Brown's notation",
)

# (n_0, n_1, ..., n_L) and the number of training examples n for average_gradient
NETWORKS = [((3, 1, 2), 4), ((1, 4, 5, 2), 3), ((2, 5, 1, 3, 1), 5), ((4, 2, 3), 6)]
# one neuron per layer: (a^(L-1), w^(L), b^(L), y)
SCALARS = [(0.7, -1.3, 0.4, 1.0), (0.2, 2.1, -0.5, 0.0), (-0.9, 0.8, 0.3, 0.6),
           (1.5, -0.4, -1.1, 0.25)]
GRADIENT_THRESHOLD = 1e-6


def make_case(sizes, n, seed):
    """A network, one training example (x, y), n examples (X, Y), and step inputs."""
    rng = np.random.default_rng(seed)
    weights = [rng.standard_normal((rows, cols))
               for cols, rows in zip(sizes[:-1], sizes[1:], strict=True)]
    biases = [rng.standard_normal((rows, 1)) * 0.5 for rows in sizes[1:]]
    return {
        "sizes": sizes, "n": n, "weights": weights, "biases": biases,
        "x": rng.standard_normal((sizes[0], 1)), "y": rng.random((sizes[-1], 1)),
        "X": rng.standard_normal((sizes[0], n)), "Y": rng.random((sizes[-1], n)),
        "grad_w": [rng.standard_normal(w.shape) for w in weights],
        "grad_b": [rng.standard_normal(b.shape) for b in biases],
    }


def cases():
    return [make_case(sizes, n, seed=200 + i) for i, (sizes, n) in enumerate(NETWORKS)]


def on(case):
    return f"layer sizes {case['sizes']}"


TRANSPOSE_HINT = ("; a shape mismatch on the way back usually means w^(l) is not transposed: "
                  "∂C0/∂a^(l-1) = w^(l)ᵀ (σ'(z^(l)) ∂C0/∂a^(l)), a sum over j down column k")


def shape_hint(message: str) -> str:
    """The hint for a student call that raised a shape error."""
    return TRANSPOSE_HINT if "not aligned" in message or "mismatch" in message else ""


def for_each(check, items=None, describe=on):
    """Run ``check(case)`` on every case (default: the networks), naming the case that fails."""
    each_case(cases() if items is None else items, check, describe, call_hint=shape_hint)


def ratio_hint(got, expected, n=None) -> str:
    """What a result that is a fixed multiple of the right one usually means."""
    try:
        got = np.asarray(got, dtype=np.float64).reshape(np.shape(expected))
    except (TypeError, ValueError):
        return ""
    expected = np.asarray(expected, dtype=np.float64)
    scale = float(np.vdot(expected, expected))
    if scale == 0 or not np.all(np.isfinite(got)):
        return ""
    ratio = float(np.vdot(got, expected)) / scale
    if np.linalg.norm(got - ratio * expected) > 1e-6 * np.linalg.norm(expected):
        return ""
    if abs(ratio - 0.5) < 1e-6:
        return ("; it is exactly half the right value: C0 = Σ (a - y)² has no ½ here, so "
                "∂C0/∂a^(L) = 2(a^(L) - y)")
    if n is not None and abs(ratio - n) < 1e-6:
        return f"; it is exactly n = {n} times too large: divide the sum over examples by n"
    if abs(ratio + 1) < 1e-6:
        return "; it has the wrong sign"
    return ""


def close(name, got, expected, n=None, **tolerance):
    """check_values, with a hint when the mistake is a constant factor."""
    try:
        return check_values(name, got, expected, **tolerance)
    except CheckFailed as failure:
        raise CheckFailed(f"{failure}{ratio_hint(got, expected, n)}", failure.data) from None


def gradient(name, got, numeric, n=None):
    """check_gradient, with the same hint."""
    try:
        return check_gradient(name, got, numeric, threshold=GRADIENT_THRESHOLD)
    except CheckFailed as failure:
        raise CheckFailed(f"{failure}{ratio_hint(got, numeric, n)}", failure.data) from None


def check_list(name, got, length):
    if not isinstance(got, (list, tuple)) or len(got) != length:
        size = f" of length {len(got)}" if isinstance(got, (list, tuple)) else ""
        raise CheckFailed(f"{name} should be a list of {length} arrays, got a "
                          f"{type(got).__name__}{size}")
    return list(got)


def quadratic_cost(ref, weights, biases, X, Y):
    """C = (1/n) Σ_k Σ_j (a_j^(L) - y_j)² for the n columns of X; C0 when n = 1."""
    A = X
    for w, b in zip(weights, biases, strict=True):
        A = ref.sigmoid(w @ A + b)
    return float(np.sum((A - Y) ** 2) / X.shape[1])


def sigma(z):
    return 1 / (1 + np.exp(-z))


# What σ' becomes in two catalogued mistakes, as a function of (z, a), and what to say.
SIGMA_MISTAKES = [
    (lambda z, a: np.ones_like(z),
     "; it matches the chain without σ': ∂a/∂z = σ'(z) is a link of the chain, so "
     "multiply by σ'(z)"),
    (lambda z, a: sigma(a) * (1 - sigma(a)),
     "; it matches σ' applied to the activation a = σ(z): σ' takes the weighted input z "
     "(σ'(z) = σ(z)(1 - σ(z)) = a(1 - a))"),
]


def mistaken_gradients(X, Y, weights, biases, slope):
    """The averaged gradient over the columns of X, Y with σ'(z) replaced by slope(z, a)."""
    A, Z = [X], []
    for w, b in zip(weights, biases, strict=True):
        Z.append(w @ A[-1] + b)
        A.append(sigma(Z[-1]))
    dA, n = 2 * (A[-1] - Y), X.shape[1]
    grad_w, grad_b = [None] * len(weights), [None] * len(weights)
    for i in reversed(range(len(weights))):
        delta = slope(Z[i], A[i + 1]) * dA
        grad_w[i] = delta @ A[i].T / n
        grad_b[i] = np.sum(delta, axis=1, keepdims=True) / n
        dA = weights[i].T @ delta
    return grad_w, grad_b


def same(got, expected) -> bool:
    try:
        got = np.asarray(got, dtype=np.float64).reshape(np.shape(expected))
    except (TypeError, ValueError):
        return False
    return bool(np.allclose(got, expected, rtol=1e-6, atol=1e-10))


def sigma_hint(got, X, Y, case) -> str:
    """Name a σ' mistake when (grad_w, grad_b) is exactly what it computes."""
    for slope, hint in SIGMA_MISTAKES:
        wrong = mistaken_gradients(X, Y, case["weights"], case["biases"], slope)
        if all(same(g, e) for got_list, wrong_list in zip(got, wrong, strict=True)
               for g, e in zip(got_list, wrong_list, strict=True)):
            return hint
    return ""


def explained(run, got, X, Y, case):
    """Run a comparison; on failure, add the σ' hint if the mistake is a known one."""
    try:
        run()
    except CheckFailed as failure:
        raise CheckFailed(f"{failure}{sigma_hint(got, X, Y, case)}", failure.data) from None


# ------------------------------------------------------------- sigmoid, sigmoid_prime

Z_VALUES = np.array([[-3.0, -0.5, 0.0], [0.25, 1.0, 4.0]])


@spec.test("sigmoid(z) = 1 / (1 + e^(-z)), for numbers and arrays", points=3, function="sigmoid")
def sigmoid_values(student, ref):
    check_values("sigmoid(0.3)", np.asarray(check_float("sigmoid(0.3)", student.sigmoid(0.3))),
                 ref.sigmoid(0.3))
    check_shape("sigmoid(z) of a (2, 3) z", student.sigmoid(Z_VALUES), Z_VALUES.shape)
    check_values("sigmoid(z)", student.sigmoid(Z_VALUES), ref.sigmoid(Z_VALUES))


@spec.test("sigmoid_prime(z) = σ(z) (1 - σ(z)), for numbers and arrays", points=4,
           function="sigmoid_prime")
def sigmoid_prime_values(student, ref):
    got = check_float("sigmoid_prime(0.3)", student.sigmoid_prime(0.3))
    check_values("sigmoid_prime(0.3)", np.asarray(got), ref.sigmoid_prime(0.3))
    check_shape("sigmoid_prime(z) of a (2, 3) z", student.sigmoid_prime(Z_VALUES), Z_VALUES.shape)
    check_values("sigmoid_prime(z)", student.sigmoid_prime(Z_VALUES), ref.sigmoid_prime(Z_VALUES))


# ------------------------------------------------------------------------ cost, dC_da


def output_case(case):
    """An output activation a^(L) and a desired output y, both (n_L, 1)."""
    return ref_activations(case)[-1], case["y"]


def ref_activations(case):
    A = [case["x"]]
    for w, b in zip(case["weights"], case["biases"], strict=True):
        A.append(1 / (1 + np.exp(-(w @ A[-1] + b))))
    return A


@spec.test("cost returns a float", points=2, function="cost")
def cost_type(student, ref):
    for_each(lambda case: check_float("the cost", student.cost(*output_case(case))))


@spec.test("cost: C0 = Σ_j (a_j^(L) - y_j)²", points=4, function="cost")
def cost_value(student, ref):
    def check(case):
        got = check_float("the cost", student.cost(*output_case(case)))
        close("the cost", np.asarray(got), ref.cost(*output_case(case)))
    for_each(check)


@spec.test("dC_da: ∂C0/∂a^(L) = 2 (a^(L) - y), shaped like a^(L)", points=4, function="dC_da")
def dC_da_value(student, ref):
    def check(case):
        a_L, y = output_case(case)
        got = check_shape("dC_da(a_L, y)", student.dC_da(a_L, y), a_L.shape)
        close("dC_da(a_L, y)", got, ref.dC_da(a_L, y))
    for_each(check)


# ----------------------------------------------------- one neuron per layer: dC_dw ...

SCALAR_CHAIN = {
    "dC_dw": ("∂C0/∂w^(L) = a^(L-1) σ'(z^(L)) 2(a^(L) - y)", 1),
    "dC_db": ("∂C0/∂b^(L) = σ'(z^(L)) 2(a^(L) - y)", 2),
    "dC_da_prev": ("∂C0/∂a^(L-1) = w^(L) σ'(z^(L)) 2(a^(L) - y)", 0),
}


def scalar_on(values):
    return "a_prev={}, w={}, b={}, y={}".format(*values)


def scalar_cost(values):
    """C0 as a function of an array holding (a^(L-1), w^(L), b^(L)), and that array."""
    point = np.array(values[:3], dtype=np.float64)
    y = values[3]

    def C0():
        a_prev, w, b = point
        return float((1 / (1 + np.exp(-(w * a_prev + b))) - y) ** 2)

    return C0, point


def scalar_sigma_hint(function, got, values) -> str:
    a_prev, w, b, y = values
    z = np.float64(w * a_prev + b)
    outer = {"dC_dw": a_prev, "dC_db": 1.0, "dC_da_prev": w}[function] * 2 * (sigma(z) - y)
    for slope, hint in SIGMA_MISTAKES:
        if same(got, outer * slope(z, sigma(z))):
            return hint
    return ""


def own_links(student, function, values) -> list[float]:
    """What ``function`` gives when the chain's links a = σ(z), σ'(z) and ∂C0/∂a come from
    the student's own sigmoid, sigmoid_prime and dC_da (each combination with a link of
    theirs that is not the course's): a one-line dC_dw that calls a faulty helper is charged
    in that helper, not again here. Each called by the grader; a helper that raises or
    returns no number adds nothing."""
    a_prev, w, b, y = values
    z = w * a_prev + b
    outer = {"dC_dw": a_prev, "dC_db": 1.0, "dC_da_prev": w}[function]

    def own(name, *args):
        try:
            return check_float(f"{name}(...)", getattr(student, name)(*args))
        except (CheckFailed, StudentCallError):
            return None

    a = sigma(z)
    activations = {a} | ({own("sigmoid", z)} - {None})
    slopes = {a * (1 - a)} | ({own("sigmoid_prime", z)} - {None})
    options = []
    for a_used in activations:
        for slope in slopes:
            for link in {2 * (a_used - y), own("dC_da", a_used, y)} - {None}:
                value = outer * slope * link
                if not same(value, outer * a * (1 - a) * 2 * (a - y)):
                    options.append(value)
    return options


OWN_LINKS_NOTE = ("matches the chain with your own sigmoid, sigmoid_prime or dC_da: their "
                    "mistake is charged to them, not again here")


def scalar_value_test(function, formula, index):
    def value(student, ref):
        notes = []

        def check(values):
            got = check_float(f"{function}(...)", getattr(student, function)(*values))
            explained_scalar(lambda: close(f"{function}(...)", np.asarray(got),
                                           getattr(ref, function)(*values)),
                             student, ref, got, values, notes)
        for_each(check, SCALARS, scalar_on)
        return {"note": OWN_LINKS_NOTE} if notes else None

    def gradcheck(student, ref):
        notes = []

        def check(values):
            got = check_float(f"{function}(...)", getattr(student, function)(*values))
            C0, point = scalar_cost(values)
            numeric = numeric_gradient(C0, point)[index]
            explained_scalar(lambda: gradient(function, np.asarray(got), np.asarray(numeric)),
                             student, ref, got, values, notes)
        for_each(check, SCALARS, scalar_on)
        return {"note": OWN_LINKS_NOTE} if notes else None

    def explained_scalar(run, student, ref, got, values, notes):
        try:
            run()
        except CheckFailed as failure:
            if any(same(got, own) for own in own_links(student, function, values)):
                notes.append(values)
                return
            hint = scalar_sigma_hint(function, got, values)
            raise CheckFailed(f"{failure}{hint}", failure.data) from None

    spec.test(f"{function}: {formula}", points=3, function=function,
              id=f"{function}_value")(value)
    spec.test(f"{function} agrees with central differences of C0", points=3,
              function=function, id=f"{function}_gradient_check")(gradcheck)


for _function, (_formula, _index) in SCALAR_CHAIN.items():
    scalar_value_test(_function, _formula, _index)


# ------------------------------------------------------------------------- feedforward


def activations_of(student, case):
    L = len(case["weights"])
    got = check_list("feedforward(...)", student.feedforward(case["x"], case["weights"],
                                                             case["biases"]), L + 1)
    return [check_shape(f"a^({layer})", a, (size, 1))
            for layer, (a, size) in enumerate(zip(got, case["sizes"], strict=True))]


@spec.test("feedforward returns [a^(0), ..., a^(L)], each a column (n_l, 1)", points=4,
           function="feedforward")
def feedforward_shapes(student, ref):
    for_each(lambda case: activations_of(student, case))


@spec.test("feedforward: a^(0) = x and a^(l) = σ(w^(l) a^(l-1) + b^(l))", points=7,
           function="feedforward")
def feedforward_values(student, ref):
    def check(case):
        got = activations_of(student, case)
        check_values("a^(0)", got[0], case["x"])
        for layer, (w, b) in enumerate(zip(case["weights"], case["biases"], strict=True), 1):
            # judged against the student's own a^(l-1), so one wrong layer costs once
            expected = ref.sigmoid(w @ got[layer - 1].astype(np.float64) + b)
            check_values(f"a^({layer})", got[layer], expected)
    for_each(check)


# ---------------------------------------------------------------------------- backprop


def gradient_lists(name, out, case):
    grad_w, grad_b = check_tuple(name, out, 2)
    L = len(case["weights"])
    grad_w = check_list(f"grad_w of {name}", grad_w, L)
    grad_b = check_list(f"grad_b of {name}", grad_b, L)
    for layer in range(1, L + 1):
        check_shape(f"grad_w[{layer - 1}] (∂C/∂w^({layer}))", grad_w[layer - 1],
                    case["weights"][layer - 1].shape)
        check_shape(f"grad_b[{layer - 1}] (∂C/∂b^({layer}))", grad_b[layer - 1],
                    case["biases"][layer - 1].shape)
    return grad_w, grad_b


def backprop_of(student, case):
    out = student.backprop(case["x"], case["y"], case["weights"], case["biases"])
    return gradient_lists("backprop(...)", out, case)


@spec.test("backprop returns (grad_w, grad_b) shaped like weights and biases", points=5,
           function="backprop")
def backprop_shapes(student, ref):
    for_each(lambda case: backprop_of(student, case))


def compare_layers(case, got, expected, which, n=None):
    for layer, (g, e) in enumerate(zip(got, expected, strict=True), 1):
        close(f"grad_{which}[{layer - 1}] (∂C/∂{which}^({layer}))", g, e, n)


def own_backprop(student, case):
    """backprop computed by the grader with the student's own sigmoid, sigmoid_prime and
    dC_da (each called in their worker): what their backprop gives when the chain itself is
    right and a helper of theirs is wrong (charged to that helper)."""
    def floats(name, value):
        return check_array(name, value).astype(np.float64)

    weights, biases = case["weights"], case["biases"]
    zs, activations = [], [case["x"]]
    for w, b in zip(weights, biases, strict=True):
        zs.append(w @ activations[-1] + b)  # z^(l) = w^(l) a^(l-1) + b^(l)
        activations.append(floats("sigmoid(z)", student.sigmoid(zs[-1])))
    dC0_da = floats("dC_da(a_L, y)", student.dC_da(activations[-1], case["y"]))
    grad_w, grad_b = [None] * len(weights), [None] * len(weights)
    for i in reversed(range(len(weights))):
        delta = floats("sigmoid_prime(z)", student.sigmoid_prime(zs[i])) * dC0_da
        grad_w[i], grad_b[i] = delta @ activations[i].T, delta
        dC0_da = weights[i].T @ delta  # Σ_j w_jk^(l) σ'(z_j^(l)) ∂C0/∂a_j^(l)
    return grad_w, grad_b


def own_helpers_wrong(student, ref, case, got) -> bool:
    """Whether backprop's gradients ``got`` are what the student's own (wrong) helpers give:
    charged to those helpers, not again to backprop."""
    try:
        own = own_backprop(student, case)
        expected = ref.backprop(case["x"], case["y"], case["weights"], case["biases"])
        if all(np.allclose(o, e) for which in (0, 1) for o, e in zip(own[which], expected[which],
                                                                   strict=True)):
            return False  # their helpers are right: the mistake is backprop's own
        for which in (0, 1):
            for g, o, e in zip(got[which], own[which], expected[which], strict=True):
                check_against_own("the gradient", g, e, lambda o=o: o)
    except (CheckFailed, StudentCallError):
        return False
    return True


OWN_HELPERS_NOTE = ("backprop chains your own sigmoid, sigmoid_prime and dC_da right; the "
                    "mistakes in them are charged to them")


def backprop_values_test(which):
    def test(student, ref):
        excused = []

        def check(case):
            expected = ref.backprop(case["x"], case["y"], case["weights"], case["biases"])
            got = backprop_of(student, case)
            try:
                explained(lambda: compare_layers(case, got[which], expected[which],
                                                 "wb"[which]), got, case["x"], case["y"], case)
            except CheckFailed:
                excused.append(own_helpers_wrong(student, ref, case, got))
                if not excused[-1]:
                    raise
        for_each(check)
        return {"note": OWN_HELPERS_NOTE} if any(excused) else None
    return test


spec.test("backprop: ∂C0/∂w_jk^(l) = a_k^(l-1) σ'(z_j^(l)) ∂C0/∂a_j^(l)", points=6,
          function="backprop", id="backprop_grad_w")(backprop_values_test(0))
spec.test("backprop: ∂C0/∂b_j^(l) = σ'(z_j^(l)) ∂C0/∂a_j^(l)", points=6, function="backprop",
          id="backprop_grad_b")(backprop_values_test(1))


def gradient_check(ref, case, got, X, Y, table, n=None):
    """Every layer's gradient against central differences of the cost, into ``table``."""
    weights = [w.copy() for w in case["weights"]]
    biases = [b.copy() for b in case["biases"]]

    def C():
        return quadratic_cost(ref, weights, biases, X, Y)

    before = len(table.failures)
    for which, tensors, grads in (("w", weights, got[0]), ("b", biases, got[1])):
        for layer, (tensor, grad) in enumerate(zip(tensors, grads, strict=True), 1):
            name = f"∂C/∂{which}^({layer})"
            table.check(on(case), name, lambda name=name, grad=grad, tensor=tensor:
                        gradient(name, grad, numeric_gradient(C, tensor), n))
    if len(table.failures) > before:
        table.failures[before] += sigma_hint(got, X, Y, case)


def gradient_check_test(student, ref, run):
    table = GradientTable(GRADIENT_THRESHOLD)
    for_each(lambda case: run(case, table))  # fails here only if they cannot be compared
    return table.result(shown=3)


@spec.test("backprop passes a numeric gradient check of C0 (central differences)", points=11,
           function="backprop")
def backprop_gradient_check(student, ref):
    def run(case, table):
        got = backprop_of(student, case)
        before = len(table.failures)
        gradient_check(ref, case, got, case["x"], case["y"], table)
        if len(table.failures) > before and own_helpers_wrong(student, ref, case, got):
            del table.failures[before:]  # the error comes from their own helpers
            for row in table.rows:
                if row["case"] == on(case):
                    row["note"] = "the error comes from your own helpers, charged there"
    return gradient_check_test(student, ref, run)


# -------------------------------------------------------------------- average_gradient


def average_of(student, case):
    """average_gradient's (grad_w, grad_b); None when it raised inside the student's own
    backprop, which raises on its own for these examples (charged there)."""
    def run():
        out = student.average_gradient(case["X"], case["Y"], case["weights"], case["biases"])
        return gradient_lists("average_gradient(...)", out, case)
    return unless_own_step_raises(run, lambda: own_average(student, case), "average_gradient")


@spec.test("average_gradient returns (grad_w, grad_b) shaped like weights and biases", points=3,
           function="average_gradient")
def average_shapes(student, ref):
    for_each(lambda case: average_of(student, case))


def own_average(student, case):
    """The average of the student's own backprop over the n examples: what their
    average_gradient gives when it averages their backprop right."""
    n = case["n"]
    grad_w = [np.zeros(w.shape) for w in case["weights"]]
    grad_b = [np.zeros(b.shape) for b in case["biases"]]
    for k in range(n):
        gw, gb = backprop_of(student, dict(case, x=case["X"][:, [k]], y=case["Y"][:, [k]]))
        for layer in range(len(grad_w)):
            grad_w[layer] += np.asarray(gw[layer], dtype=np.float64) / n
            grad_b[layer] += np.asarray(gb[layer], dtype=np.float64) / n
    return grad_w, grad_b


def averages_own_backprop(student, ref, case, got) -> bool:
    """Whether average_gradient is right given the student's own backprop (a mistake there,
    charged there): ``got`` is the average of their backprop, which is not the reference's."""
    try:
        own = own_average(student, case)
    except (CheckFailed, StudentCallError):
        return False
    expected = ref.average_gradient(case["X"], case["Y"], case["weights"], case["biases"])
    for which in (0, 1):
        for layer, (g, o) in enumerate(zip(got[which], own[which], strict=True)):
            check_against_own("the average", g, expected[which][layer], lambda o=o: o)
    return True


OWN_BACKPROP_NOTE = ("average_gradient averages your own backprop right; the mistakes in it "
                     "are charged to backprop")


@spec.test("average_gradient: ∂C/∂w = (1/n) Σ_k ∂C_k/∂w over the n columns of X and Y",
           points=6, function="average_gradient")
def average_values(student, ref):
    excused = []

    def check(case):
        expected = ref.average_gradient(case["X"], case["Y"], case["weights"], case["biases"])
        got = average_of(student, case)
        if got is None:
            return

        def compare():
            compare_layers(case, got[0], expected[0], "w", case["n"])
            compare_layers(case, got[1], expected[1], "b", case["n"])
        try:
            explained(compare, got, case["X"], case["Y"], case)
        except CheckFailed:
            try:
                excused.append(averages_own_backprop(student, ref, case, got))
            except CheckFailed:
                excused.append(False)
            if not excused[-1]:
                raise
    for_each(check, describe=lambda case: f"{on(case)} and n={case['n']} examples")
    return {"note": OWN_BACKPROP_NOTE} if any(excused) else None


@spec.test("average_gradient passes a numeric gradient check of the averaged cost C", points=8,
           function="average_gradient")
def average_gradient_check(student, ref):
    def run(case, table):
        got = average_of(student, case)
        if got is None:
            return
        before = len(table.failures)
        gradient_check(ref, case, got, case["X"], case["Y"], table, case["n"])
        if len(table.failures) > before:
            try:
                own = averages_own_backprop(student, ref, case, got)
            except CheckFailed:
                own = False
            if own:  # the error comes from the student's own backprop, charged there
                del table.failures[before:]
                for row in table.rows:
                    if row["case"] == on(case):
                        row["note"] = "the error comes from your own backprop, charged there"
    return gradient_check_test(student, ref, run)


# --------------------------------------------------------------- gradient_descent_step


def stepped(student, case, alpha=0.3):
    out = student.gradient_descent_step(case["weights"], case["biases"], case["grad_w"],
                                        case["grad_b"], alpha)
    weights, biases = check_tuple("gradient_descent_step(...)", out, 2)
    L = len(case["weights"])
    weights = check_list("the new weights", weights, L)
    biases = check_list("the new biases", biases, L)
    for layer in range(L):
        check_shape(f"w^({layer + 1})", weights[layer], case["weights"][layer].shape)
        check_shape(f"b^({layer + 1})", biases[layer], case["biases"][layer].shape)
    return weights, biases


@spec.test("gradient_descent_step returns (weights, biases) of the same shapes", points=3,
           function="gradient_descent_step")
def step_shapes(student, ref):
    for_each(lambda case: stepped(student, case))


@spec.test("gradient_descent_step: w := w - α ∂C/∂w and b := b - α ∂C/∂b", points=6,
           function="gradient_descent_step")
def step_values(student, ref):
    def check(case):
        for alpha in (0.3, 1.5):
            weights, biases = stepped(student, case, alpha)
            expected = ref.gradient_descent_step(case["weights"], case["biases"], case["grad_w"],
                                                 case["grad_b"], alpha)
            for layer in range(len(weights)):
                check_values(f"w^({layer + 1}) with α={alpha}", weights[layer],
                             expected[0][layer])
                check_values(f"b^({layer + 1}) with α={alpha}", biases[layer],
                             expected[1][layer])
    for_each(check)

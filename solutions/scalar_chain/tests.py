"""Hidden tests for scalar_chain: which checks run, on which inputs, for how many points.

Every function is graded on inputs built here with fixed seeds; later forward steps are
judged against the student's own earlier ones, so one mistake costs points once. Inputs
have x1 != x2 and W12 != W21, so the index convention of W_ij matters; labels are 0 and 1.
Gradients are also checked against central differences of log_loss itself.
"""

import math

import numpy as np

from grader.authoring import (
    CheckFailed,
    Spec,
    check_float,
    check_keys,
    check_values,
    each_case,
    numeric_gradient,
)

spec = Spec(
    name="scalar_chain",
    student_file="scalar_chain.py",
    title="The chain rule one weight at a time: two sigmoid hidden units and log loss",
)

KEYS = ("W11", "W21", "W12", "W22", "b1", "b2", "w1", "w2", "b")
HIDDEN_WEIGHTS, HIDDEN_BIASES, OUTPUT = KEYS[:4], ("b1", "b2"), ("w1", "w2", "b")
FORWARD = ("z1", "a1", "z2", "a2", "z", "y_hat")
GRADIENT_THRESHOLD = 1e-6
ALPHAS = (0.1, 0.75)


def sigma(z):
    """σ in the grader's own numpy form: no OverflowError on a student's huge z."""
    return float(1 / (1 + np.exp(-np.float64(z))))


def make_case(seed, y):
    rng = np.random.default_rng(seed)
    values = rng.uniform(-2, 2, len(KEYS))
    x1, x2 = (float(v) for v in rng.uniform(-2, 2, 2))
    return {"x1": x1, "x2": x2, "y": float(y), "seed": seed,
            "params": {key: float(v) for key, v in zip(KEYS, values, strict=True)}}


def cases():
    return [make_case(300 + i, y) for i, y in enumerate((1, 0, 1, 0))]


def on(case):
    return f"x1={case['x1']:.4g}, x2={case['x2']:.4g}, y={case['y']:g} (case {case['seed']})"


def for_each(check):
    """Run ``check(case)`` on every case, naming the case that fails."""
    each_case(cases(), check, on)


def floats(name, got, keys):
    """A dict holding a number under each key; returns those numbers."""
    got = check_keys(name, got, keys)
    return {key: check_float(f"{name}[{key!r}]", got[key]) for key in keys}


def agree(values: dict, expected: dict, keys) -> bool:
    return all(abs(values[k] - expected[k]) <= 1e-8 + 1e-6 * abs(expected[k]) for k in keys)


def close(name, got: dict, expected: dict, keys, hint=""):
    """Every key of ``got`` within tolerance of ``expected``; the first wrong one is named."""
    for key in keys:
        try:
            check_values(f"{name}[{key!r}]", np.asarray(got[key]), np.asarray(expected[key]))
        except CheckFailed as failure:
            raise CheckFailed(f"{failure}{hint}", failure.data) from None


# ------------------------------------------------------------------------------ forward


def forward_of(student, case):
    return floats("forward(...)", student.forward(case["x1"], case["x2"], case["params"]),
                  FORWARD)


@spec.test("forward returns a dict of floats z1, a1, z2, a2, z, y_hat", points=5,
           function="forward")
def forward_returns(student, ref):
    for_each(lambda case: forward_of(student, case))


def swapped(params):
    """The parameters as read by someone who takes W_ij from hidden unit i to input j."""
    return dict(params, W12=params["W21"], W21=params["W12"])


@spec.test("forward: z_j = W_1j x1 + W_2j x2 + b_j (W_ij connects input i to hidden unit j)",
           points=10, function="forward")
def forward_hidden(student, ref):
    def check(case):
        got = forward_of(student, case)
        expected = ref.forward(case["x1"], case["x2"], case["params"])
        hint = ""
        if agree(got, ref.forward(case["x1"], case["x2"], swapped(case["params"])), ("z1", "z2")):
            hint = ("; W_ij connects input i to hidden unit j, so z1 = W11 x1 + W21 x2 + b1 "
                    "(you used W12 for x2)")
        close("forward(...)", got, expected, ("z1", "z2"), hint)
    for_each(check)


@spec.test("forward: a_j = σ(z_j)", points=5, function="forward")
def forward_hidden_activation(student, ref):
    def check(case):
        got = forward_of(student, case)
        close("forward(...)", got, {k: sigma(got[f"z{k[1]}"]) for k in ("a1", "a2")},
              ("a1", "a2"))
    for_each(check)


@spec.test("forward: z = w1 a1 + w2 a2 + b and y_hat = σ(z)", points=8, function="forward")
def forward_output(student, ref):
    def check(case):
        got, p = forward_of(student, case), case["params"]
        z = p["w1"] * got["a1"] + p["w2"] * got["a2"] + p["b"]  # from the student's own a_j
        close("forward(...)", got, {"z": z, "y_hat": sigma(got["z"])}, ("z", "y_hat"))
    for_each(check)


# ----------------------------------------------------------------------------- log_loss

LOSS_CASES = [(1.0, 0.8), (0.0, 0.8), (1.0, 0.05), (0.0, 0.3)]


@spec.test("log_loss returns a float", points=2, function="log_loss")
def log_loss_type(student, ref):
    for y, y_hat in LOSS_CASES:
        check_float(f"log_loss({y:g}, {y_hat:g})", student.log_loss(y, y_hat))


@spec.test("log_loss: L = -y ln ŷ - (1 - y) ln(1 - ŷ)", points=6, function="log_loss")
def log_loss_value(student, ref):
    for y, y_hat in LOSS_CASES:
        name = f"log_loss({y:g}, {y_hat:g})"
        got = check_float(name, student.log_loss(y, y_hat))
        hint = "; it has the wrong sign: L = -y ln ŷ - ..." if got < 0 else ""
        try:
            check_values(name, np.asarray(got), np.asarray(ref.log_loss(y, y_hat)))
        except CheckFailed as failure:
            raise CheckFailed(f"{failure}{hint}", failure.data) from None


# ---------------------------------------------------------------------------- gradients


def gradients_of(student, case):
    out = student.gradients(case["x1"], case["x2"], case["y"], case["params"])
    return floats("gradients(...)", out, KEYS)


def expected_gradients(ref, case):
    return ref.gradients(case["x1"], case["x2"], case["y"], case["params"])


def gradient_hint(ref, case, got, keys) -> str:
    """Name the mistake when ``got`` is exactly what a known wrong formula gives."""
    right = expected_gradients(ref, case)
    p = case["params"]
    fully_swapped = ref.gradients(case["x1"], case["x2"], case["y"], swapped(p))
    fully_swapped = swapped(fully_swapped)
    no_w = dict(right, **{k: right[k] / p[f"w{k[-1]}"] for k in HIDDEN_WEIGHTS + HIDDEN_BIASES})
    candidates = [
        ({k: -v for k, v in right.items()},
         "; every sign is flipped: the error is ∂L/∂z = ŷ - y, not y - ŷ"),
        (fully_swapped, "; these are the gradients of a network that reads W_ij the other "
                        "way round: W_ij connects input i to hidden unit j (z_j = W_1j x1 + "
                        "W_2j x2 + b_j), so ∂L/∂W_ij = (ŷ - y) w_j a_j(1 - a_j) x_i"),
        (no_w, "; the w_j factor is missing: the path from z_j to ŷ runs through "
               "z = w1 a1 + w2 a2 + b, so ∂z/∂a_j = w_j is in the chain"),
    ]
    for values, hint in candidates:
        if agree(got, values, keys):
            return hint
    return ""


def gradient_value_test(test_id, keys, formula, points):
    @spec.test(f"gradients: {formula}", points=points, function="gradients", id=test_id)
    def test(student, ref):
        def check(case):
            got = gradients_of(student, case)
            close("gradients(...)", got, expected_gradients(ref, case), keys,
                  gradient_hint(ref, case, got, keys))
        for_each(check)


@spec.test("gradients returns a dict of floats with the keys of params", points=4,
           function="gradients")
def gradients_returns(student, ref):
    for_each(lambda case: gradients_of(student, case))


gradient_value_test("gradients_output", OUTPUT, "∂L/∂w_j = (ŷ - y) a_j and ∂L/∂b = ŷ - y", 10)
gradient_value_test("gradients_hidden_weights", HIDDEN_WEIGHTS,
                    "∂L/∂W_ij = (ŷ - y) w_j a_j(1 - a_j) x_i", 14)
gradient_value_test("gradients_hidden_biases", HIDDEN_BIASES,
                    "∂L/∂b_j = (ŷ - y) w_j a_j(1 - a_j)", 8)


@spec.test("gradients agree with central differences of log_loss", points=16,
           function="gradients")
def gradients_gradient_check(student, ref):
    table, failures = [], []

    def check(case):
        got = gradients_of(student, case)
        point = np.array([case["params"][k] for k in KEYS])

        def loss(point=point, case=case):
            params = dict(zip(KEYS, (float(v) for v in point), strict=True))
            y_hat = ref.forward(case["x1"], case["x2"], params)["y_hat"]
            return ref.log_loss(case["y"], y_hat)

        numeric = numeric_gradient(loss, point)
        analytic = np.array([got[k] for k in KEYS])
        scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
        error = float(np.linalg.norm(analytic - numeric) / scale) if scale else 0.0
        table.append({"case": on(case), "relative_error": error,
                      "passed": bool(error <= GRADIENT_THRESHOLD)})
        if not math.isfinite(error) or error > GRADIENT_THRESHOLD:
            worst = KEYS[int(np.argmax(np.abs(analytic - numeric)))]
            failures.append(f"with {on(case)}: relative error {error:.2e} against central "
                            f"differences of log_loss (must be below {GRADIENT_THRESHOLD:g}); "
                            f"the worst is ∂L/∂{worst}: {got[worst]:.6g}, numerically "
                            f"{numeric[KEYS.index(worst)]:.6g}"
                            + gradient_hint(ref, case, got, KEYS))
    for_each(check)
    data = {"gradient_check": table, "threshold": GRADIENT_THRESHOLD}
    if failures:
        raise CheckFailed("; ".join(failures[:2]), data)
    return data


# ------------------------------------------------------------------------------- update


def update_case(case):
    rng = np.random.default_rng(case["seed"] + 1)
    return {key: float(v) for key, v in zip(KEYS, rng.standard_normal(len(KEYS)), strict=True)}


@spec.test("update returns a dict of floats with the keys of params", points=3,
           function="update")
def update_returns(student, ref):
    for_each(lambda case: floats("update(...)", student.update(
        case["params"], update_case(case), ALPHAS[0]), KEYS))


@spec.test("update: θ := θ - α ∂L/∂θ for every parameter, with the α it is given", points=9,
           function="update")
def update_values(student, ref):
    def check(case):
        grads = update_case(case)
        for alpha in ALPHAS:
            got = floats("update(...)", student.update(case["params"], grads, alpha), KEYS)
            close(f"update(..., alpha={alpha})", got, ref.update(case["params"], grads, alpha),
                  KEYS)
    for_each(check)

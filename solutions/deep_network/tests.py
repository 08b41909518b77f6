"""Hidden tests for deep_network: which checks run, on which inputs, for how many points.

Every function is graded on inputs built with the reference. Networks have depth 2 to 4,
no square weight matrix, and m different from every layer size, so a transposed product
cannot pass. A step that chains earlier ones (linear_activation_backward, L_model_forward,
L_model_backward, L_layer_model) is judged against the reference or against the student's
own earlier functions, so one mistake costs points once, where it is made. Seeds are fixed.
"""

import contextlib
import functools
import io

import numpy as np

from grader.authoring import (
    CheckFailed,
    GradientTable,
    Spec,
    StudentCallError,
    check_against_own,
    check_array,
    check_float,
    check_gradient_of,
    check_keys,
    check_matches,
    check_shape,
    check_tuple,
    check_values,
    check_weight_scale,
    each_case,
    frozen,
    trains_with_own_steps,
    unless_own_step_raises,
)

spec = Spec(
    name="deep_network",
    student_file="deep_network.py",
    title="A deep neural network, step by step",
    timeouts={"L_layer_model": 30.0},
)

LAYERS = [([3, 5, 1], 7), ([4, 6, 3, 1], 9), ([5, 3, 4, 2, 1], 8)]  # (layer_dims, m)
GRADIENT_THRESHOLD = 1e-6
FAILED = (CheckFailed, StudentCallError)


def names(L, *prefixes):
    return [f"{p}{l}" for l in range(1, L + 1) for p in prefixes]


def make_case(ref, dims, m, seed):
    """Inputs and reference outputs for one network: parameters of size about 1 (so relu
    cuts some units and not others), X, Y, the forward caches and the gradients."""
    rng = np.random.default_rng(seed)
    L = len(dims) - 1
    params = {}
    for l in range(1, L + 1):
        params[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) * 0.8
        params[f"b{l}"] = rng.standard_normal((dims[l], 1)) * 0.5
    X = rng.standard_normal((dims[0], m))
    Y = (rng.random((1, m)) > 0.5).astype(float)
    AL, caches = ref.L_model_forward(X, params)
    grads = ref.L_model_backward(AL, Y, caches)
    dAL = -(Y / AL - (1 - Y) / (1 - AL))
    upstream = {l: (dAL if l == L else grads[f"dA{l}"]) for l in range(1, L + 1)}
    Zs = {l: rng.uniform(0.1, 2.0, (dims[l], m)) * rng.choice([-1.0, 1.0], (dims[l], m))
          for l in range(1, L + 1)}
    return {"dims": dims, "L": L, "m": m, "X": X, "Y": Y, "params": params, "AL": AL,
            "caches": caches, "grads": grads, "upstream": upstream, "Zs": Zs}


@functools.cache
def cases(ref):
    """The hidden inputs, built once per grading run (tests only read them)."""
    return frozen([make_case(ref, dims, m, seed=200 + i) for i, (dims, m) in enumerate(LAYERS)])


def on(case):
    return f"layer_dims={case['dims']}, m={case['m']}"


def for_each(ref, check):
    each_case(cases(ref), check, on, name_call_errors=False)


def layers(case):
    """(l, A_prev, W, b, Z) for every layer of the reference forward pass."""
    for l, ((A_prev, W, b), Z) in enumerate(case["caches"], start=1):
        yield l, A_prev, W, b, Z


def activation_of(case, l):
    return "sigmoid" if l == case["L"] else "relu"


def as_floats(name, got, shape):
    return check_shape(name, got, shape).astype(np.float64)


# ----------------------------------------------------------------- initialize_parameters


def two_layer(student, n_x, n_h, n_y):
    params = student.initialize_parameters.with_seed(n_x * 100 + n_h)(n_x, n_h, n_y)
    return check_keys("initialize_parameters(...)", params, ("W1", "b1", "W2", "b2"))


def check_initial(label, params, dims):
    """Shapes, zero biases, small random weights that are not all equal (nor all one sign)."""
    for l in range(1, len(dims)):
        W = as_floats(f"W{l} ({label})", params[f"W{l}"], (dims[l], dims[l - 1]))
        b = as_floats(f"b{l} ({label})", params[f"b{l}"], (dims[l], 1))
        if np.any(b != 0):
            raise CheckFailed(f"b{l} ({label}) should be all zeros, it has nonzero entries")
        if W.size > 1 and len(set(W.ravel().tolist())) == 1:
            raise CheckFailed(f"every entry of W{l} ({label}) is {W.ravel()[0]:.3g}: units of a "
                              "layer would compute the same thing forever; draw the weights "
                              "with np.random.randn(...) * 0.01")


def check_small(label, params, dims):
    """Small random weights: randn * 0.01 (the course's step-by-step part), randn /
    sqrt(n_prev) (its application part) and He's sqrt(2 / n_prev) are all accepted; the
    wide cases tell an unscaled randn from them."""
    for l in range(1, len(dims)):
        W = check_array(f"W{l}", params[f"W{l}"]).astype(np.float64)
        check_weight_scale(f"W{l} ({label})", W, dims[l - 1])
        if W.size >= 12 and (np.all(W >= 0) or np.all(W <= 0)):
            raise CheckFailed(f"every entry of W{l} ({label}) has the same sign: draw them from "
                              "np.random.randn (centred on 0), not np.random.rand")


# n_y = 1, the course's case; "works for any n_y" is a check of its own, so an
# initialisation that hard-codes one output unit keeps the points of the rest
TWO_LAYER = ((3, 4, 1), (5, 2, 1))
TWO_LAYER_SMALL = ((3, 4, 1), (6, 5, 1), (300, 60, 1))
TWO_LAYER_WIDE = ((5, 2, 3), (6, 5, 3))


def sizes(n_x, n_h, n_y):
    return f"n_x={n_x}, n_h={n_h}, n_y={n_y}"


@spec.test("initialize_parameters returns W1 (n_h, n_x), b1 = 0 (n_h, 1), W2 (n_y, n_h), "
           "b2 = 0 (n_y, 1)", points=2, function="initialize_parameters")
def init_two_shapes(student, ref):
    for shape in TWO_LAYER:
        check_initial(sizes(*shape), two_layer(student, *shape), list(shape))


@spec.test("initialize_parameters draws small random weights (randn * 0.01; 1/sqrt(n_prev) and "
           "He scaling are as right)", points=3, function="initialize_parameters")
def init_two_small(student, ref):
    for shape in TWO_LAYER_SMALL:
        check_small(sizes(*shape), two_layer(student, *shape), list(shape))


@spec.test("initialize_parameters works for any n_y (n_y=3 output units), not only n_y=1",
           points=1, function="initialize_parameters")
def init_two_any_n_y(student, ref):
    checks = [lambda shape: check_initial(sizes(*shape), two_layer(student, *shape), list(shape)),
              lambda shape: check_small(sizes(*shape), two_layer(student, *shape), list(shape))]
    first, works = None, False
    for check, narrow in zip(checks, (TWO_LAYER, TWO_LAYER_SMALL), strict=True):
        try:
            for shape in narrow:
                check(shape)
        except FAILED as failure:  # charged by its own check, with n_y = 1
            first = first or failure
            continue
        works = True
        for shape in TWO_LAYER_WIDE:
            try:
                check(shape)
            except FAILED as failure:
                raise CheckFailed(f"with {sizes(*shape)}: {failure}. It works with n_y=1, so "
                                  "only more output units break it: nothing in "
                                  "initialize_parameters may assume n_y = 1") from None
    if works:
        return
    if isinstance(first, StudentCallError) and first.kind == "missing":
        raise first
    raise CheckFailed(f"{first} (no part of initialize_parameters works with n_y=1 yet, so it "
                      "cannot work for any n_y)") from None


def deep(student, dims):
    params = student.initialize_parameters_deep.with_seed(sum(dims))(list(dims))
    return check_keys(f"initialize_parameters_deep({dims})", params, names(len(dims) - 1, "W", "b"))


@spec.test("initialize_parameters_deep returns W{l} (n_l, n_{l-1}) and b{l} = 0 (n_l, 1) for "
           "l = 1 ... L", points=5, function="initialize_parameters_deep")
def init_deep_shapes(student, ref):
    for dims, _ in LAYERS:
        check_initial(f"layer_dims={dims}", deep(student, dims), dims)


@spec.test("initialize_parameters_deep draws small random weights (randn * 0.01; 1/sqrt(n_prev) "
           "and He scaling are as right)", points=3, function="initialize_parameters_deep")
def init_deep_small(student, ref):
    for dims in ([5, 4, 3], [6, 5, 4, 3], [300, 40, 20, 1]):
        check_small(f"layer_dims={dims}", deep(student, dims), dims)


# ------------------------------------------------------------------------------ forward


def linear(student, A, W, b):
    Z, cache = check_tuple("linear_forward", student.linear_forward(A, W, b), 2)
    return Z, cache


@spec.test("linear_forward: Z = W A + b of shape (n_l, m)", points=4, function="linear_forward")
def linear_forward_values(student, ref):
    def check(case):
        for l, A_prev, W, b, Z in layers(case):
            check_matches(f"Z (layer {l})", linear(student, A_prev, W, b)[0], Z)
    for_each(ref, check)


def check_linear_cache(label, cache, A_prev, W, b):
    A_got, W_got, b_got = check_tuple(f"{label}: the linear cache (A_prev, W, b)", cache, 3)
    for name, got, expected in (("A_prev", A_got, A_prev), ("W", W_got, W), ("b", b_got, b)):
        check_values(f"{label}: {name} in the linear cache (A_prev, W, b)",
                     check_shape(f"{label}: {name} in the linear cache", got, expected.shape),
                     expected)


@spec.test("linear_forward returns (Z, cache) with cache = (A, W, b)", points=2,
           function="linear_forward")
def linear_forward_cache(student, ref):
    def check(case):
        for l, A_prev, W, b, _ in layers(case):
            check_linear_cache(f"layer {l}", linear(student, A_prev, W, b)[1], A_prev, W, b)
    for_each(ref, check)


def activation_forward(student, A_prev, W, b, activation):
    out = student.linear_activation_forward(A_prev, W, b, activation)
    return check_tuple(f'linear_activation_forward(..., "{activation}")', out, 2)


def activation_forward_test(activation, formula):
    @spec.test(f'linear_activation_forward(..., "{activation}"): A = {formula}', points=2.5,
               function="linear_activation_forward", id=f"activation_forward_{activation}")
    def test(student, ref):
        def check(case):
            for l, A_prev, W, b, Z in layers(case):
                A, _ = activation_forward(student, A_prev, W, b, activation)
                expected = (ref.sigmoid if activation == "sigmoid" else ref.relu)(Z)[0]
                check_matches(f"A (layer {l})", A, expected)
        for_each(ref, check)


activation_forward_test("relu", "relu(W A_prev + b)")
activation_forward_test("sigmoid", "sigmoid(W A_prev + b)")


def check_layer_cache(label, cache, A_prev, W, b, Z):
    linear_cache, Z_got = check_tuple(f"{label}: the cache (linear_cache, activation_cache)",
                                      cache, 2)
    check_linear_cache(label, linear_cache, A_prev, W, b)
    check_matches(f"{label}: the activation cache Z", Z_got, Z)


@spec.test("linear_activation_forward returns (A, cache) with cache = ((A_prev, W, b), Z)",
           points=3, function="linear_activation_forward")
def activation_forward_cache(student, ref):
    def check(case):
        for l, A_prev, W, b, Z in layers(case):
            _, cache = activation_forward(student, A_prev, W, b, activation_of(case, l))
            check_layer_cache(f"layer {l}", cache, A_prev, W, b, Z)
    for_each(ref, check)


def model_forward(student, case):
    AL, caches = check_tuple("L_model_forward", student.L_model_forward(case["X"], case["params"]),
                             2)
    return AL, caches


def own_forward(student, case):
    """AL as the student's own linear_activation_forward chains it."""
    A = case["X"]
    for l in range(1, case["L"] + 1):
        W, b = case["params"][f"W{l}"], case["params"][f"b{l}"]
        A, _ = activation_forward(student, A, W, b, activation_of(case, l))
        A = check_array(f"A{l}", A).astype(np.float64)
    return A


def own_model_forward(student, case):
    """L_model_forward's output, or None when it raises because the student's own
    linear_activation_forward does."""
    return unless_own_step_raises(lambda: model_forward(student, case),
                            lambda: own_forward(student, case), "L_model_forward")


@spec.test("L_model_forward returns AL of shape (1, m)", points=2, function="L_model_forward")
def model_forward_shape(student, ref):
    def check(case):
        out = own_model_forward(student, case)
        if out is not None:
            check_shape("AL", out[0], (1, case["m"]))
    for_each(ref, check)


@spec.test("L_model_forward: AL = sigmoid(Z[L]) after L-1 relu layers", points=4,
           function="L_model_forward")
def model_forward_values(student, ref):
    def check(case):
        out = own_model_forward(student, case)
        if out is not None:
            check_against_own("AL", out[0], case["AL"], lambda: own_forward(student, case))
    for_each(ref, check)


@spec.test("L_model_forward returns the L layers' caches ((A_prev, W, b), Z), layer 1 first",
           points=4, function="L_model_forward")
def model_forward_caches(student, ref):
    def check(case):
        out = own_model_forward(student, case)
        if out is None:
            return
        caches = check_tuple("caches", out[1], case["L"])
        try:
            for (l, A_prev, W, b, Z), cache in zip(layers(case), caches, strict=True):
                check_layer_cache(f"caches[{l - 1}] (layer {l})", cache, A_prev, W, b, Z)
        except CheckFailed as failure:
            try:  # a mistake in the student's own forward steps is charged there
                own = [activation_forward(student, A_prev, W, b, activation_of(case, l))[1]
                       for l, A_prev, W, b, _ in layers(case)]
                for (_, A_prev, W, b, Z), got, mine in zip(layers(case), caches, own, strict=True):
                    (A_got, W_got, b_got), Z_got = got
                    (A_own, W_own, b_own), Z_own = mine
                    for x, y, right in ((A_got, A_own, A_prev), (W_got, W_own, W),
                                        (b_got, b_own, b), (Z_got, Z_own, Z)):
                        if check_array("cache", y).shape != right.shape:
                            raise failure  # not a faulty step of theirs: nonsense
                        check_values("cache", x, check_array("cache", y))
            except (*FAILED, TypeError, ValueError):
                raise failure from None
    for_each(ref, check)


# -------------------------------------------------------------------------- compute_cost


@spec.test("compute_cost returns a float", points=1, function="compute_cost")
def cost_type(student, ref):
    for_each(ref, lambda case: check_float("the cost",
                                           student.compute_cost(case["AL"], case["Y"])))


@spec.test("compute_cost: J = -(1/m) sum(Y log AL + (1 - Y) log(1 - AL))", points=5,
           function="compute_cost")
def cost_value(student, ref):
    def check(case):
        got = student.compute_cost(case["AL"], case["Y"])
        value = np.asarray(got, dtype=np.float64) if isinstance(got, np.ndarray) else \
            np.asarray(check_float("the cost", got))
        if value.size != 1:
            raise CheckFailed(f"the cost should be one number, got an array of shape {value.shape}")
        check_values("the cost", value.reshape(()), ref.compute_cost(case["AL"], case["Y"]))
    for_each(ref, check)


# ---------------------------------------------------------------------- dZ: the activations


def dz_tests(function, formula, hint):
    @spec.test(f"{function} returns dZ of the shape of Z", points=2, function=function,
               id=f"{function}_shape")
    def shape(student, ref):
        def check(case):
            for l in range(1, case["L"] + 1):
                Z, dA = case["Zs"][l], case["upstream"][l]
                check_shape(f"dZ (layer {l})", getattr(student, function)(dA, Z), Z.shape)
        for_each(ref, check)

    @spec.test(f"{function}: dZ = {formula}", points=4, function=function,
               id=f"{function}_values")
    def values(student, ref):
        def check(case):
            for l in range(1, case["L"] + 1):
                Z, dA = case["Zs"][l], case["upstream"][l]
                dZ = check_shape(f"dZ (layer {l})", getattr(student, function)(dA, Z), Z.shape)
                try:
                    check_values(f"dZ (layer {l})", dZ, getattr(ref, function)(dA, Z))
                except CheckFailed as failure:
                    raise CheckFailed(f"{failure}; {hint}", failure.data) from None
        for_each(ref, check)


dz_tests("relu_backward", "dA * relu'(Z)",
         "relu'(Z) is 1 where Z > 0 and 0 elsewhere: keep dA where Z > 0, zero it elsewhere")
dz_tests("sigmoid_backward", "dA * s (1 - s), s = sigmoid(Z)",
         "the cache is Z, not A: compute s = 1 / (1 + exp(-Z)) first")


# ----------------------------------------------------------------------- linear_backward


def linear_back(student, dZ, cache):
    out = student.linear_backward(dZ, cache)
    return check_tuple("linear_backward", out, 3)


def dZ_of(case, l):
    """The reference dZ[l] of the case's forward pass."""
    _, Z = case["caches"][l - 1]
    dA = case["upstream"][l]
    backward = "sigmoid_backward" if l == case["L"] else "relu_backward"
    return Z, dA, backward


@functools.cache
def dZs(ref):
    out = []
    for case in cases(ref):
        row = {}
        for l in range(1, case["L"] + 1):
            Z, dA, backward = dZ_of(case, l)
            row[l] = getattr(ref, backward)(dA, Z)
        out.append(row)
    return frozen(out)


def linear_back_check(student, ref, index, name, formula):
    def check(case):
        row = dZs(ref)[cases(ref).index(case)]
        for l in range(1, case["L"] + 1):
            got = linear_back(student, row[l], case["caches"][l - 1][0])[index]
            expected = ref.linear_backward(row[l], case["caches"][l - 1][0])[index]
            check_values(f"{name} (layer {l})",
                         check_shape(f"{name} (layer {l})", got, expected.shape), expected)
    return check


@spec.test("linear_backward returns (dA_prev, dW, db) shaped like (A_prev, W, b)", points=3,
           function="linear_backward")
def linear_backward_shapes(student, ref):
    def check(case):
        row = dZs(ref)[cases(ref).index(case)]
        for l, A_prev, W, b, _ in layers(case):
            out = linear_back(student, row[l], case["caches"][l - 1][0])
            for name, got, like in zip(("dA_prev", "dW", "db"), out, (A_prev, W, b), strict=True):
                check_shape(f"{name} (layer {l})", got, like.shape)
    for_each(ref, check)


for _index, _name, _formula in ((1, "dW", "(1/m) dZ A_prev^T"),
                                (2, "db", "(1/m) sum(dZ, axis=1, keepdims=True)"),
                                (0, "dA_prev", "W^T dZ")):
    def _register(index=_index, name=_name, formula=_formula):
        @spec.test(f"linear_backward: {name} = {formula}", points=3, function="linear_backward",
                   id=f"linear_backward_{name}")
        def test(student, ref):
            for_each(ref, linear_back_check(student, ref, index, name, formula))
    _register()


# ------------------------------------------------------------ linear_activation_backward


def own_activation_backward(student, ref, dA, cache, activation):
    """(dA_prev, dW, db) as the student's own dZ step and linear_backward chain them (the
    provided module's dZ step where the student imports it: the course's, as the
    reference's)."""
    linear_cache, Z = cache
    try:
        dZ = check_array("dZ", getattr(student, f"{activation}_backward")(dA, Z))
    except StudentCallError as error:
        if error.kind != "missing":
            raise
        # the course's own dZ step (dnn_utils), as a student who imports it calls it
        dZ = getattr(ref, f"{activation}_backward")(dA, Z)
    return [check_array(name, x).astype(np.float64) for name, x in
            zip(("dA_prev", "dW", "db"), linear_back(student, dZ, linear_cache), strict=True)]


def activation_backward_test(activation):
    @spec.test(f'linear_activation_backward(dA, cache, "{activation}") returns dA_prev, dW, db',
               points=4, function="linear_activation_backward",
               id=f"activation_backward_{activation}")
    def test(student, ref):
        def check(case):
            for l in range(1, case["L"] + 1):
                cache, dA = case["caches"][l - 1], case["upstream"][l]
                expected = ref.linear_activation_backward(dA, cache, activation)
                own = functools.cache(lambda dA=dA, cache=cache: own_activation_backward(
                    student, ref, dA, cache, activation))
                out = unless_own_step_raises(lambda dA=dA, cache=cache: check_tuple(
                    "linear_activation_backward",
                    student.linear_activation_backward(dA, cache, activation), 3), own,
                    "linear_activation_backward")
                for i, name in enumerate(("dA_prev", "dW", "db")) if out is not None else ():
                    check_against_own(f"{name} (layer {l})", out[i], expected[i],
                           lambda i=i, own=own: own()[i])
        for_each(ref, check)


activation_backward_test("relu")
activation_backward_test("sigmoid")


# ----------------------------------------------------------------------- L_model_backward


def model_backward(student, case):
    """The student's gradients, with dA[l-1] under "dA{l-1}" whichever convention they use
    (older versions of the exercise store it under "dA{l}")."""
    L = case["L"]
    grads = student.L_model_backward(case["AL"], case["Y"], case["caches"])
    if isinstance(grads, dict) and "dA0" not in grads and f"dA{L}" in grads:
        grads = {**grads, **{f"dA{l - 1}": grads[f"dA{l}"] for l in range(1, L + 1)}}
    return check_keys("L_model_backward(...)", grads,
                      [*names(L, "dW", "db"), *(f"dA{l - 1}" for l in range(1, L + 1))])


def own_backward(student, case):
    """The gradients as the student's own linear_activation_backward chains them."""
    AL, Y = case["AL"], case["Y"]
    dA = -(Y / AL - (1 - Y) / (1 - AL))
    grads = {}
    for l in reversed(range(1, case["L"] + 1)):
        out = check_tuple("linear_activation_backward", student.linear_activation_backward(
            dA, case["caches"][l - 1], activation_of(case, l)), 3)
        dA, dW, db = (check_array(n, x).astype(np.float64)
                      for n, x in zip(("dA_prev", "dW", "db"), out, strict=True))
        grads.update({f"dA{l - 1}": dA, f"dW{l}": dW, f"db{l}": db})
    return grads


def own_model_backward(student, case):
    """L_model_backward's gradients, or None when it raises because the student's own
    linear_activation_backward does."""
    return unless_own_step_raises(lambda: model_backward(student, case),
                            lambda: own_backward(student, case), "L_model_backward")


def gradient_names(case):
    return [name for l in reversed(range(1, case["L"] + 1))
            for name in (f"dA{l - 1}", f"dW{l}", f"db{l}")]


@spec.test("L_model_backward returns dA{l-1}, dW{l} and db{l} for l = L ... 1, with their shapes",
           points=3, function="L_model_backward")
def model_backward_shapes(student, ref):
    def check(case):
        grads = own_model_backward(student, case)
        own = functools.cache(lambda: own_backward(student, case))
        for name in gradient_names(case) if grads is not None else ():
            try:
                check_shape(name, grads[name], case["grads"][name].shape)
            except CheckFailed as failure:
                try:
                    mine = check_array(name, own()[name])
                    if mine.size != case["grads"][name].size:
                        raise failure
                    check_shape(name, grads[name], mine.shape)
                except FAILED:
                    raise failure from None
    for_each(ref, check)


@spec.test("L_model_backward: dAL = -(Y/AL - (1-Y)/(1-AL)), then a sigmoid step and L-1 relu "
           "steps", points=4, function="L_model_backward")
def model_backward_values(student, ref):
    def check(case):
        grads = own_model_backward(student, case)
        own = functools.cache(lambda: own_backward(student, case))
        for name in gradient_names(case) if grads is not None else ():
            check_against_own(name, grads[name], case["grads"][name], lambda name=name: own()[name])
    for_each(ref, check)


def cross_entropy(ref, params, X, Y):
    AL, _ = ref.L_model_forward(X, params)
    return float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / X.shape[1])


def own_steps_wrong(student, case, grads) -> bool:
    """Whether the student's gradients are what their own (wrong) earlier steps give: the
    mistake is charged to those steps, not to L_model_backward's gradient check."""
    try:
        own = own_backward(student, case)
    except FAILED:
        return False
    def same(a, b):
        return np.shape(a) == np.shape(b) and np.allclose(a, b, equal_nan=True)

    if any(np.size(own[n]) != case["grads"][n].size for n in gradient_names(case)):
        return False  # not a faulty step of theirs: nonsense
    differs = any(not same(own[n], case["grads"][n]) for n in gradient_names(case))
    return differs and all(same(check_array(n, grads[n]).astype(np.float64), own[n])
                           for n in gradient_names(case))


@spec.test("L_model_backward passes a numeric gradient check of the cost (central differences, "
           "per tensor)", points=5, function="L_model_backward")
def model_backward_gradient_check(student, ref):
    table = GradientTable(GRADIENT_THRESHOLD)
    for case in cases(ref):
        grads = own_model_backward(student, case)
        if grads is None:
            continue
        params = {k: v.copy() for k, v in case["params"].items()}
        X, Y = case["X"], case["Y"]

        def cost(params=params, X=X, Y=Y):
            return cross_entropy(ref, params, X, Y)

        for name in names(case["L"], "W", "b"):
            got, tensor, key = grads["d" + name], params[name], (ref, on(case), name)
            table.check(on(case), "d" + name, lambda got=got, tensor=tensor, cost=cost, key=key:
                        check_gradient_of("d" + key[2], got, cost, tensor,
                                          threshold=GRADIENT_THRESHOLD, key=key))
        if table.failures and own_steps_wrong(student, case, grads):
            table.failures = [f for f in table.failures if not f.startswith(f"with {on(case)}")]
            for row in table.rows:
                row["note"] = "the error comes from your own earlier steps, charged there"
    return table.result()


# --------------------------------------------------------------------- update_parameters


def update_case(case):
    rng = np.random.default_rng(case["m"])
    return case["params"], {"d" + k: rng.standard_normal(v.shape)
                            for k, v in case["params"].items()}


def updated(student, case, rate):
    params, grads = update_case(case)
    return check_keys("update_parameters(...)", student.update_parameters(params, grads, rate),
                      names(case["L"], "W", "b"))


@spec.test("update_parameters returns W{l}, b{l} with their shapes", points=2,
           function="update_parameters")
def update_shapes(student, ref):
    def check(case):
        new = updated(student, case, 0.1)
        for name, value in case["params"].items():
            check_shape(name, new[name], value.shape)
    for_each(ref, check)


@spec.test("update_parameters: W := W - learning_rate dW, b := b - learning_rate db", points=4,
           function="update_parameters")
def update_values(student, ref):
    def check(case):
        params, grads = update_case(case)
        for rate in (0.1, 0.03):
            new = updated(student, case, rate)
            expected = ref.update_parameters(params, grads, rate)
            for name in params:
                check_values(f"{name} (learning_rate={rate})",
                             check_shape(name, new[name], params[name].shape), expected[name])
    for_each(ref, check)


# ------------------------------------------------------------------------- L_layer_model


LEARN_DIMS = [2, 5, 3, 1]
RATE = 1.0
DESCENT = (0, 300, 1000)  # L_layer_model runs whose costs must fall
STALLED = 1e-6
UNTRAINED_BIAS = 1e-3


def blobs(m=80, seed=7):
    """Two well separated Gaussian blobs in the plane: a data set any working net learns."""
    rng = np.random.default_rng(seed)
    Y = (np.arange(m) % 2).reshape(1, m).astype(float)
    centers = np.where(Y == 1, 1.0, -1.0) * np.array([[1.5], [1.0]])
    return centers + 0.6 * rng.standard_normal((2, m)), Y


def raw_model(student, X, Y, iterations):
    """L_layer_model's parameters after ``iterations`` as it returns them (alone or with its
    costs), each as an array of floats, whatever its shape."""
    name = f"L_layer_model(..., num_iterations={iterations})"
    out = student.L_layer_model.with_seed(3)(X, Y, list(LEARN_DIMS), learning_rate=RATE,
                                             num_iterations=iterations)
    if isinstance(out, (tuple, list)) and len(out) == 2 and isinstance(out[0], dict):
        out = out[0]
    params = check_keys(name, out, names(len(LEARN_DIMS) - 1, "W", "b"))
    return {key: check_array(f"{key} of {name}", value).astype(np.float64)
            for key, value in params.items()}


def model_after(student, X, Y, iterations):
    """L_layer_model's parameters after ``iterations``, of the right shapes."""
    name = f"L_layer_model(..., num_iterations={iterations})"
    params = raw_model(student, X, Y, iterations)
    return {key: check_shape(f"{key} of {name}", params[key], shape)
            for key, shape in shapes_of(LEARN_DIMS).items()}


def shapes_of(dims):
    return {**{f"W{l}": (dims[l], dims[l - 1]) for l in range(1, len(dims))},
            **{f"b{l}": (dims[l], 1) for l in range(1, len(dims))}}


def own_descent(student, X, Y, start, steps):
    """``steps`` iterations of the student's own forward, backward and update from ``start``."""
    params = start
    for _ in range(steps):
        AL, caches = check_tuple("L_model_forward", student.L_model_forward(X, params), 2)
        grads = student.L_model_backward(AL, Y, caches)
        params = check_keys("update_parameters", student.update_parameters(params, grads, RATE),
                            list(start))
        params = {k: check_array(k, v).astype(np.float64) for k, v in params.items()}
    return params


def ref_descent(ref, X, Y, params, steps):
    with np.errstate(all="ignore"):
        for _ in range(steps):
            AL, caches = ref.L_model_forward(X, params)
            params = ref.update_parameters(params, ref.L_model_backward(AL, Y, caches), RATE)
    return params


def runs_own_steps(student, ref, X, Y) -> bool:
    """Whether L_layer_model is gradient descent with the student's own faulty functions
    (3 iterations from its own start; or it starts from zero weights, their mistake): then
    a failure to learn is charged to those functions, not to L_layer_model."""
    return trains_with_own_steps(
        "L_layer_model", lambda: raw_model(student, X, Y, 0), lambda: raw_model(student, X, Y, 3),
        lambda start: own_descent(student, X, Y, start, 3),
        lambda start: ref_descent(ref, X, Y, start, 3),
        own_start=lambda: student.initialize_parameters_deep.with_seed(3)(list(LEARN_DIMS)),
        excused_start=lambda start: not any(np.any(start[k]) for k in start if k[0] == "W"))


@spec.test("L_layer_model returns parameters of the right shapes, and with num_iterations=0 "
           "its initial ones (zero biases)", points=2, function="L_layer_model")
def model_shapes(student, ref):
    X, Y = blobs()
    try:
        params = model_after(student, X, Y, 0)
        for l in range(1, len(LEARN_DIMS)):
            if np.max(np.abs(params[f"b{l}"])) > UNTRAINED_BIAS:
                raise CheckFailed(f"with num_iterations=0, L_layer_model should return its "
                                  f"initial parameters, with zero biases; b{l} has an entry of "
                                  f"size {np.max(np.abs(params[f'b{l}'])):.3g}")
        for key, value in raw_model(student, X, Y, 3).items():
            if value.shape != params[key].shape:
                raise CheckFailed(f"after 3 iterations L_layer_model returns {key} of shape "
                                  f"{value.shape}; the parameters keep their shapes "
                                  f"{params[key].shape} while they learn")
    except FAILED:
        if runs_own_steps(student, ref, X, Y):
            return {"note": "L_layer_model runs your own functions right; the mistakes in "
                            "them are charged to them"}
        raise


@spec.test("L_layer_model learns a separable data set by gradient descent: its cost falls, to "
           "below 0.1 (accuracy >= 90%)", points=3, function="L_layer_model")
def model_learns(student, ref):
    X, Y = blobs()
    try:
        return learns(student, ref, X, Y)
    except FAILED:
        if runs_own_steps(student, ref, X, Y):
            return {"note": "L_layer_model runs your own functions right; the mistakes that "
                            "stop it learning are charged to them"}
        raise


def learns(student, ref, X, Y) -> dict:
    costs = []
    for iterations in DESCENT:
        params = model_after(student, X, Y, iterations)
        with np.errstate(all="ignore"):
            costs.append(cross_entropy(ref, params, X, Y))
    with np.errstate(all="ignore"):
        AL, _ = ref.L_model_forward(X, params)
    accuracy = float(np.mean((AL > 0.5) == Y))
    start, early, final = costs
    runs = ", ".join(f"{c:.3g} after {n}" for n, c in zip(DESCENT, costs, strict=True))
    data = {"accuracy": accuracy, "descent": [
        {"iteration": n, "cost": c if np.isfinite(c) else None}
        for n, c in zip(DESCENT, costs, strict=True)]}
    if not (final < 0.1 and accuracy >= 0.9):
        raise CheckFailed(f"after {DESCENT[-1]} iterations on two separable blobs the training "
                          f"cost is {final:.3g} and the accuracy {accuracy:.0%}; a working "
                          "network gets the cost from ln 2 = 0.693 to below 0.01", data)
    if not (start > early and final <= early + STALLED):
        raise CheckFailed(f"L_layer_model does not descend: the training cost is {runs} "
                          "iterations", data)
    return data


COST_EVERY = 100
COST_RUN = 201  # records the costs of iterations 0, 100 and 200


@spec.test("L_layer_model returns (parameters, costs) with the cost of iterations 0, 100, 200, "
           "... in costs (or the parameters alone, as older templates do)", points=1,
           function="L_layer_model")
def model_costs(student, ref):
    X, Y = blobs()
    try:
        recorded_costs(student, ref, X, Y)
    except FAILED:
        if runs_own_steps(student, ref, X, Y):
            return {"note": "L_layer_model runs your own functions right; the mistakes in "
                            "them are charged to them"}
        raise


def recorded_costs(student, ref, X, Y) -> None:
    """The costs L_layer_model returns (asked with print_cost=True: some templates record them
    only when printing) are the costs of iterations 0, 100, 200 of its own descent."""
    with contextlib.redirect_stdout(io.StringIO()):  # the reference prints here when planning
        out = student.L_layer_model.with_seed(3)(X, Y, list(LEARN_DIMS), learning_rate=RATE,
                                                 num_iterations=COST_RUN, print_cost=True)
    if isinstance(out, dict):  # the older templates' L_layer_model returns the parameters alone
        check_keys("L_layer_model(...)", out, names(len(LEARN_DIMS) - 1, "W", "b"))
        return
    _, costs = check_tuple("L_layer_model(...)", out, 2)
    got = check_array("costs", np.asarray(costs, dtype=object).astype(np.float64)
                      if isinstance(costs, list) else costs).ravel()
    iterations = range(0, COST_RUN, COST_EVERY)
    if got.size != len(iterations):
        raise CheckFailed(f"with num_iterations={COST_RUN}, costs should hold "
                          f"{len(iterations)} costs (iterations {list(iterations)}), it holds "
                          f"{got.size}")
    for k, iterations_done in enumerate(iterations):
        params = model_after(student, X, Y, iterations_done)
        with np.errstate(all="ignore"):
            expected = cross_entropy(ref, params, X, Y)
            AL = ref.L_model_forward(X, params)[0]
        name = f"costs[{k}] (the cost of iteration {iterations_done})"
        try:
            check_values(name, got[k:k + 1], np.array([expected]), rtol=1e-9, atol=1e-12)
        except CheckFailed as failure:
            try:  # the student's own compute_cost: a mistake there is charged there
                own = check_float(name, student.compute_cost(AL, Y))
                check_values(name, got[k:k + 1], np.array([own]), rtol=1e-9, atol=1e-12)
            except FAILED:
                raise failure from None

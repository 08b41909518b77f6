"""What a check pays for: honest dicts (extra keys, OrderedDict, defaultdict, dict subclasses)
lose nothing and are never given a mistake's name; garbage (opaque objects, empty arrays,
NaN) earns no structure points; nn_model's points need training, not a formula.

The flagship's honest styles are in tests/variants.py (CORRECT_STYLES: they earn full marks
in tests/test_verdicts.py and are never diagnosed in tests/test_mistakes.py); the
closed-form and garbage attacks are in tests/redteam/. Here: the parts, one at a time, and the
same rules on the other three assignments.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict

import numpy as np
import pytest
from conftest import FLAGSHIP, failed_ids, variants_of
from variants import CORRECT, CORRECT_STYLES

from grader.grading.checks import CheckFailed, check_float, check_keys, check_shape
from grader.grading.diagnosis import diagnose, fits
from grader.isolation import wire
from grader.isolation.session import Call, call_key
from grader.loading.assignment import load_module


class Parameters(dict):
    pass


def round_trip(value):
    blobs: list[bytes] = []
    return wire.decode_value(wire.encode_value(value, blobs), blobs)


@pytest.mark.parametrize("mapping", [
    OrderedDict(W1=np.ones((2, 3)), b1=np.zeros((2, 1))),
    defaultdict(list, W1=np.ones((2, 3)), b1=np.zeros((2, 1))),
    Parameters(W1=np.ones((2, 3)), b1=np.zeros((2, 1))),
])
def test_mapping_subclasses_travel_as_plain_dicts(mapping):
    got = round_trip((np.ones(2), mapping))[1]
    assert type(got) is dict and list(got) == ["W1", "b1"]
    assert all(np.array_equal(got[key], mapping[key]) for key in mapping)


def test_a_dict_subclass_is_sent_as_what_it_holds_not_what_its_methods_say():
    class Liar(dict):
        def items(self):
            return [("W1", "forged")]

    assert round_trip(Liar(W1=1.5)) == {"W1": 1.5}


def test_extra_keys_are_ignored():
    got = check_keys("nn_model(...)", {"W1": 1, "costs": [0.7, "x"], "b1": 2}, ("W1", "b1"))
    assert got == {"W1": 1, "b1": 2}


@pytest.mark.parametrize("got, text", [
    (wire.Opaque("decimal.Decimal"), "a decimal.Decimal object"),
    (np.empty(0), "an array of shape (0,)"),
    (np.array(1.5), "an array of shape ()"),
    (np.array([[1.0, np.nan]]), "1 NaN or infinite entry"),
    (np.array([np.inf, -np.inf]), "2 NaN or infinite entries"),
])
def test_a_structure_check_pays_only_for_arrays_of_numbers(got, text):
    from grader.grading.checks import check_numbers  # new with this rule

    with pytest.raises(CheckFailed, match=text.replace("(", r"\(").replace(")", r"\)")):
        check_numbers("dW1", got)
    assert check_numbers("db1", np.zeros(3)).shape == (3,)  # a rank-1 db is a shape mistake


@pytest.mark.parametrize("got", [float("nan"), float("inf"), np.float64("-inf"), np.array(np.nan)])
def test_a_float_check_pays_only_for_a_finite_number(got):
    with pytest.raises(CheckFailed, match="should be a finite number"):
        check_float("the cost", got)


def test_nan_of_the_right_shape_is_not_the_right_shape():
    with pytest.raises(CheckFailed, match="NaN or infinite"):
        check_shape("the predictions", np.full((1, 7), np.nan), (1, 7))
    assert check_shape("the predictions", np.ones((1, 7), dtype=bool), (1, 7)).shape == (1, 7)


# ------------------------------------------------------------------ diagnosis and evidence


def test_having_nothing_where_a_mistake_raises_is_no_evidence():
    reference = {(("dW1",), "values"): np.ones(3), (("dW1",), "shape"): (3,)}
    raised = {((), "raised"): "ValueError: shapes not aligned"}
    assert fits({}, reference, raised) == (True, False)
    assert fits({((), "type"): "Opaque"}, reference, raised) == (True, False)
    assert fits(raised, reference, raised) == (True, True)


def hidden_cases(flagship):
    """The flagship's hidden inputs, from its tests.py (as the grader loads it)."""
    tests = load_module("_bpg_cases_one_hidden_layer", flagship.directory / "tests.py")
    return tests.cases(flagship.reference)


@pytest.mark.parametrize("outcome", [wire.Opaque("collections.OrderedDict"), {},
                                     {"costs": [0.5]}, None])
def test_an_unreadable_or_empty_reply_is_never_named_a_mistake(flagship, catalogue, outcome):
    """The first case is how an OrderedDict of gradients looked before mapping subclasses
    travelled as dicts: it was told "missing transpose"."""
    calls = []
    for case in hidden_cases(flagship):
        args = (case["params"], case["cache"], case["X"], case["Y"])
        calls.append(Call("backward_propagation", args, {}, 0, outcome,
                          call_key("backward_propagation", args, {}, 0)))
    for check in ("backward_returns", "backward_weight_shapes", "backward_gradient_check"):
        assert diagnose(catalogue(FLAGSHIP), check, calls) == [], check


# ------------------------------------------------------------------------------ grading


@pytest.mark.parametrize("style", ["extra_keys", "ordered_dicts", "defaultdicts"])
def test_honest_dicts_earn_full_marks_and_no_mistake_name(grade, style):
    result = grade(CORRECT_STYLES[style], style)
    assert result.status == "graded"
    assert [(c.name, c.message) for c in result.failed] == []
    assert result.score == 100 and not any(c.mistake for c in result.checks)


STUBS = "".join(f"\n\ndef {name}(*args, **kwargs):\n    raise NotImplementedError\n"
                for name in ("initialize_parameters", "forward_propagation", "compute_cost",
                             "backward_propagation", "update_parameters", "predict"))
CLOSED_FORM = {
    # least squares on the labels, whatever num_iterations says
    "least_squares": """
def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False):
    design = np.vstack([X, np.ones((1, X.shape[1]))])
    w, *_ = np.linalg.lstsq(design.T, 2 * Y.T - 1, rcond=None)
    return {"W1": np.tile(w[:-1].T, (n_h, 1)) * 3, "b1": np.full((n_h, 1), 3 * float(w[-1, 0])),
            "W2": np.full((1, n_h), 10.0 / n_h), "b2": np.zeros((1, 1))}
""",
    # hard-coded separating weights and zero biases: only the weights give it away at 0
    "hard_coded": """
def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False):
    return {"W1": np.full((n_h, 2), 2.0), "b1": np.zeros((n_h, 1)),
            "W2": np.full((1, n_h), 4.0), "b2": np.zeros((1, 1))}
""",
}


@pytest.mark.parametrize("attack", sorted(CLOSED_FORM))
def test_nn_model_earns_nothing_without_descending_from_an_initialisation(grade, attack):
    result = grade(CORRECT + STUBS + CLOSED_FORM[attack], attack)
    assert result.score == 0
    shapes, learns = (next(c for c in result.failed if c.name.startswith(f"nn_model {verb}"))
                      for verb in ("returns", "learns"))
    assert "with num_iterations=0" in shapes.message
    assert "does not descend" in learns.message


def test_starting_from_a_fit_costs_the_initialisation_check_only(flagship, grade):
    """Gradient descent from hard-coded weights does descend; it does not start from an
    initialisation."""
    source = CORRECT.replace(
        "    parameters = initialize_parameters(X.shape[0], n_h, Y.shape[0])\n",
        "    parameters = {\"W1\": np.full((n_h, 2), 2.0), \"b1\": np.zeros((n_h, 1)),\n"
        "                  \"W2\": np.full((1, n_h), 4.0), \"b2\": np.zeros((1, 1))}\n")
    assert source != CORRECT
    result = grade(source, "fit_then_trained")
    assert failed_ids(flagship, result) == {"nn_model_shapes"}
    assert "W1 has an entry of size 2" in result.failed[0].message


def test_never_updating_is_caught_by_the_descent_not_the_shapes(flagship, grade):
    source = CORRECT.replace("        parameters = update_parameters(parameters, grads)\n", "")
    result = grade(source, "never_updates")
    assert failed_ids(flagship, result) == {"nn_model_learns"}


# The same rules on the other assignments: (assignment, code appended to its correct example,
# the structure checks that must fail, or None for an honest variant that keeps full marks).
OTHERS = [
    ("scalar_chain", """
def forward(x1, x2, params):
    return {k: float("nan") for k in ("z1", "a1", "z2", "a2", "z", "y_hat")}
""", {"forward_returns"}),
    ("scalar_chain", """
from collections import OrderedDict
_gradients, _update = gradients, update


def gradients(x1, x2, y, params):
    return OrderedDict(_gradients(x1, x2, y, params), loss=0.5)


def update(params, grads, alpha):
    return dict(_update(params, grads, alpha), step=alpha)
""", None),
    ("chain_rule", """
def cost(a_L, y):
    return float("nan")


def feedforward(x, weights, biases):
    return [np.full(x.shape, np.nan)] + [np.full(b.shape, np.nan) for b in biases]
""", {"cost_type", "feedforward_shapes"}),
    ("gradient_descent", """
def logistic_cost(A, Y):
    return float("inf")


def logistic_gradients(X, A, Y):
    return np.full((X.shape[0], 1), np.nan), float("nan")
""", {"logistic_cost_type", "logistic_gradients_shapes"}),
]


@pytest.mark.parametrize("name, code, structure", OTHERS,
                         ids=[f"{name}-{'garbage' if s else 'honest'}" for name, _, s in OTHERS])
def test_the_other_assignments_follow_the_same_rules(assignment, grade, name, code, structure):
    result = grade(variants_of(name).CORRECT + code, assignment=name)
    assert result.status == "graded"
    if structure is None:
        assert [(c.name, c.message) for c in result.failed] == []
    else:
        assert structure <= failed_ids(assignment(name), result)

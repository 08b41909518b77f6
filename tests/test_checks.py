"""The check_* helpers: what passes, what fails, and what the student is told."""

from __future__ import annotations

import numpy as np
import pytest

from grader.grading.checks import (
    CheckFailed,
    check_float,
    check_gradient_of,
    check_keys,
    check_shape,
    check_tuple,
    check_values,
)
from grader.grading.gradcheck import directional_error, numeric_gradient, relative_error
from grader.isolation.wire import Opaque


def message(check, *args, **kwargs) -> str:
    with pytest.raises(CheckFailed) as info:
        check(*args, **kwargs)
    return str(info.value)


@pytest.mark.parametrize("got, expected, hint", [
    (np.zeros(4), (4, 1), "rank-1 array; sum with keepdims=True (or reshape to (4, 1))"),
    (np.zeros((3, 4)), (4, 3), "transposed"),
    (np.zeros((4, 4)), (4, 1), "broadcast into an (n, n) matrix"),
    (np.zeros((2, 5)), (4, 1), ""),
])
def test_shape_messages_explain_common_mistakes(got, expected, hint):
    text = message(check_shape, "db1", got, expected)
    assert text.startswith(f"db1 has shape {got.shape}, expected {expected}")
    assert hint in text
    if not hint:
        assert text == f"db1 has shape {got.shape}, expected {expected}"


@pytest.mark.parametrize("got, described", [
    ([[1.0], [2.0, 3.0]], "a list"), (["yes"], "a list"), ((Opaque("evil.Thing"),), "a tuple"),
    (Opaque("evil.Thing"), "a evil.Thing object"), (3.0, "a float"),
])
def test_non_arrays_are_named(got, described):
    assert described in message(check_shape, "A1", got, (1, 1))


def test_a_regular_nested_list_of_numbers_is_judged_as_its_array():
    from grader.grading.checks import taken_notes

    taken_notes()
    assert check_shape("A1 (layer 1)", [[True, False]], (1, 2)).tolist() == [[True, False]]
    assert check_shape("A1 (layer 2)", ((1.0,), (2.0,)), (2, 1)).dtype == np.float64
    assert taken_notes() == ["A1 came as a list, not a numpy array: judged as the array "
                             "np.array() makes of it (shape (1, 2)); return a numpy array"]
    assert "A1 has shape (1, 2), expected (2, 1)" in message(check_shape, "A1", [[1, 2]], (2, 1))


def test_shapes_never_broadcast():
    with pytest.raises(CheckFailed):
        check_shape("x", np.empty(0), (2, 3))
    with pytest.raises(CheckFailed):
        check_values("x", np.empty(0), np.zeros((2, 3)))
    with pytest.raises(CheckFailed):
        check_values("x", np.ones((1, 3)), np.ones((2, 3)))  # broadcastable, still wrong


def test_values_message_counts_mismatches_and_names_the_worst_entry():
    expected = np.arange(1.0, 7.0).reshape(2, 3)
    got = expected.copy()
    got[1, 2] += 5.0
    got[0, 0] += 0.5
    text = message(check_values, "dW1", got, expected)
    assert "wrong in 2 of 6 entries (33%)" in text
    assert "worst at index (1, 2) is 11" in text
    assert "largest difference 5" in text and "tolerance" in text


def test_values_never_reveal_the_expected_entry():
    text = message(check_values, "dW1", np.array([[1.0]]), np.array([[0.123456789]]))
    assert "0.123457" not in text and "0.123456789" not in text


def test_column_given_as_rank1_is_compared_by_value_only():
    expected = np.array([[1.0], [2.0]])
    assert check_values("db1", np.array([1.0, 2.0]), expected).shape == (2, 1)


@pytest.mark.parametrize("got", [np.array([np.nan, 1.0]), np.array([np.inf, 1.0])])
def test_nan_and_inf_fail(got):
    assert "NaN or infinite" in message(check_values, "A2", got, np.ones(2))


@pytest.mark.parametrize("got, value", [(1.5, 1.5), (np.float64(2.5), 2.5), (np.array(3.0), 3.0),
                                        (4, 4.0)])
def test_numbers_in_any_reasonable_form_are_floats(got, value):
    assert check_float("cost", got) == value


@pytest.mark.parametrize("got, text", [(np.array([[0.7]]), "float(np.squeeze(cost))"),
                                       (True, "bool"), ("0.7", "a str")])
def test_other_costs_are_not(got, text):
    assert text in message(check_float, "the cost", got)


def test_dict_and_tuple_checks():
    assert "lacks the key(s) 'db2'" in message(check_keys, "grads", {"dW1": 1}, ("dW1", "db2"))
    assert "should be a dict" in message(check_keys, "grads", [1], ("dW1",))
    assert "tuple of 2 values" in message(check_tuple, "forward_propagation", (1, 2, 3), 2)


def cube_sum(x):
    return lambda: float(np.sum(x ** 3))


def test_numeric_and_directional_gradients_agree_with_calculus():
    x = np.array([[0.5, -1.0], [2.0, 0.1]])
    exact = 3 * x ** 2
    assert relative_error(numeric_gradient(cube_sum(x), x), exact) < 1e-8
    assert directional_error(cube_sum(x), x, exact) < 1e-8
    assert directional_error(cube_sum(x), x, exact * 1.01) > 1e-3
    assert np.array_equal(x, [[0.5, -1.0], [2.0, 0.1]])  # restored after nudging


def test_gradient_check_explains_a_wrong_gradient_with_its_relative_error():
    x = np.array([[0.5, -1.0, 2.0]])
    assert check_gradient_of("dx", 3 * x ** 2, cube_sum(x), x, threshold=1e-6) < 1e-6
    with pytest.raises(CheckFailed) as info:
        check_gradient_of("dx", 6 * x ** 2, cube_sum(x), x, threshold=1e-6)
    assert 0.3 < info.value.data["relative_error"] < 0.4  # twice too large: (2-1)/(2+1)
    assert "relative error 3.33e-01" in str(info.value)


def test_numeric_derivatives_with_a_key_are_computed_once_per_point():
    evaluations = []

    def counted(x):
        def f():
            evaluations.append(1)
            return float(np.sum(x ** 3))
        return f

    x = np.array([[0.5, -1.0, 2.0]])
    key = ("test_checks", "cube sum", object())  # names f and x; unique to this test
    right, wrong = 3 * x ** 2, 6 * x ** 2
    assert check_gradient_of("dx", right, counted(x), x, threshold=1e-6, key=key) < 1e-6
    first = len(evaluations)
    assert first == 4  # two directions, two evaluations each
    assert check_gradient_of("dx", right, counted(x), x, threshold=1e-6, key=key) < 1e-6
    with pytest.raises(CheckFailed) as info:  # the slopes again, then every coordinate once
        check_gradient_of("dx", wrong, counted(x), x, threshold=1e-6, key=key)
    assert len(evaluations) == first + 2 * x.size
    with pytest.raises(CheckFailed) as again:
        check_gradient_of("dx", wrong, counted(x), x, threshold=1e-6, key=key)
    assert len(evaluations) == first + 2 * x.size  # nothing evaluated again
    assert again.value.data == info.value.data
    moved = x + 1.0  # another point under the same key is computed afresh
    assert check_gradient_of("dx", 3 * moved ** 2, counted(moved), moved, threshold=1e-6,
                             key=key) < 1e-6
    assert len(evaluations) == first + 2 * x.size + 4

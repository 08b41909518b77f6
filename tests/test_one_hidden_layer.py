"""The flagship's verdicts: the reference and correct styles earn full marks, and each
known mistake loses points in exactly the checks it should, with a message that says why."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES, SOLUTIONS, failed_ids
from variants import CORRECT_STYLES, FAULTY

from grader.grading.results import GRADED

# Which checks each mistake must fail: no more, no fewer. nn_model runs the student's own
# functions, so a mistake that breaks training also costs the nn_model checks.
EXPECTED_FAILURES = {
    "missing_keepdims": {"backward_db1_shape", "backward_db2_shape",
                         "nn_model_shapes", "nn_model_learns"},
    "missing_1_over_m": {"backward_dW1_value", "backward_dW2_value", "backward_db1_value",
                         "backward_db2_value", "backward_gradient_check"},
    "sigmoid_derivative_for_tanh": {"backward_dW1_value", "backward_db1_value",
                                    "backward_gradient_check"},
    "transposed_dW1": {"backward_weight_shapes", "backward_dW1_value", "backward_gradient_check",
                       "nn_model_shapes", "nn_model_learns"},
    "update_wrong_sign": {"update_default_rate", "update_given_rate", "nn_model_learns"},
    "dZ2_sign_flipped": {"backward_dW1_value", "backward_dW2_value", "backward_db1_value",
                         "backward_db2_value", "backward_gradient_check", "nn_model_learns"},
    "zero_initialisation": {"init_random", "nn_model_learns"},
    "hard_coded_m": {"cost_value", "backward_dW1_value", "backward_dW2_value",
                     "backward_db1_value", "backward_db2_value", "backward_gradient_check"},
    "wrong_sum_axis": {"backward_db1_shape", "backward_db2_shape", "backward_db1_value",
                       "backward_db2_value", "backward_gradient_check",
                       "nn_model_shapes", "nn_model_learns"},
    "sigmoid_hidden_layer": {"forward_A1"},
    # `*` broadcasts correctly when n_y = 1; the n_y = 2 case makes it raise, which only
    # the "works for any n_y" check grades now (values are graded with n_y = 1)
    "elementwise_for_matrix_product": {"backward_any_n_y"},
    "cost_not_averaged": {"cost_value"},
    "cost_wrong_sign": {"cost_value"},
    "predict_threshold_on_Z": {"predict_values"},
    "missing_bias_in_forward": {"forward_Z1"},
    # untrained, tiny random weights may separate the blobs by luck: the cost says otherwise
    "nn_model_never_updates": {"nn_model_learns"},
}


def test_every_faulty_variant_has_an_expectation():
    assert set(EXPECTED_FAILURES) == set(FAULTY)


def test_reference_earns_full_marks(flagship, grade_source):
    result = grade_source((SOLUTIONS / "one_hidden_layer" / "reference.py").read_text())
    assert result.status == GRADED
    assert result.score == result.max_score == 100
    assert not result.failed


@pytest.mark.parametrize("style", sorted(CORRECT_STYLES))
def test_correct_styles_earn_full_marks(flagship, grade_source, style):
    result = grade_source(CORRECT_STYLES[style], style)
    assert [(c.name, c.message) for c in result.failed] == []
    assert result.score == 100


@pytest.mark.parametrize("mistake", sorted(FAULTY))
def test_each_mistake_loses_exactly_its_checks(flagship, grade_source, mistake):
    result = grade_source(FAULTY[mistake], mistake)
    assert result.status == GRADED
    assert failed_ids(flagship, result) == EXPECTED_FAILURES[mistake]
    assert all(check.message for check in result.failed)
    assert result.score == result.max_score - sum(c.max_points for c in result.failed)


def test_keepdims_mistake_says_why(flagship, grade_source):
    result = grade_source(FAULTY["missing_keepdims"])
    db1 = next(c for c in result.checks if c.name == "backward_propagation: db1 has shape (n_h, 1)")
    assert "db1 has shape (4,), expected (4, 1)" in db1.message
    assert "keepdims=True" in db1.message
    nn = next(c for c in result.checks if c.name.startswith("nn_model learns"))
    assert "backward_propagation" in nn.message and "Fix them first" in nn.message


def test_value_message_names_tolerance_count_and_worst_entry(flagship, grade_source):
    result = grade_source(FAULTY["missing_1_over_m"])
    dW1 = next(c for c in result.failed if c.name.startswith("backward_propagation: dW1 ="))
    for part in ("wrong in 12 of 12 entries", "worst at index", "tolerance", "n_x=3"):
        assert part in dW1.message
    gradcheck = next(c for c in result.failed if "gradient check" in c.name)
    errors = [row["relative_error"] for row in gradcheck.data["gradient_check"]]
    # 4 tensors in each of the 2 cases with n_y = 1 (n_y = 2 has its own check)
    assert len(errors) == 8 and all(error > 0.5 for error in errors)  # m times too large


def test_gradient_check_passes_with_tiny_errors_for_the_reference(flagship, grade_source):
    result = grade_source((EXAMPLES / "correct.py").read_text())
    check = next(c for c in result.checks if "gradient check" in c.name)
    table = check.data["gradient_check"]
    assert {row["tensor"] for row in table} == {"dW1", "db1", "dW2", "db2"}
    assert max(row["relative_error"] for row in table) < 1e-8


def test_untouched_stub_scores_zero_and_says_not_written(flagship, grade_source):
    result = grade_source((EXAMPLES / "stub.py").read_text())
    assert result.score == 0 and result.status == GRADED
    assert all("not written yet" in c.message for c in result.checks)


def test_syntax_error_names_file_and_line(flagship, grade_source):
    source = (EXAMPLES / "correct.py").read_text().replace("def predict(parameters, X):",
                                                           "def predict(parameters, X)")
    result = grade_source(source)
    line = source.splitlines().index("def predict(parameters, X)") + 1
    assert result.score == 0
    assert all("SyntaxError" in c.message and f"student.py, line {line}" in c.message
               for c in result.checks)


def test_missing_function_is_named(flagship, grade_source):
    source = (EXAMPLES / "correct.py").read_text().replace("def predict(", "def predict_labels(")
    result = grade_source(source)
    assert failed_ids(flagship, result) == {"predict_shape", "predict_values"}
    assert all("has no function `predict`" in c.message for c in result.failed)


def test_error_inside_a_function_names_line_and_function(flagship, grade_source):
    source = (EXAMPLES / "correct.py").read_text().replace(
        "    A1 = np.tanh(Z1)\n", "    A1 = np.tanh(Z1)\n    raise ValueError('oops')\n")
    result = grade_source(source)
    forward = next(c for c in result.failed if c.function == "forward_propagation")
    assert "ValueError: oops" in forward.message
    assert "in forward_propagation" in forward.message and "line 21" in forward.message


def test_grading_is_reproducible(flagship, grade_source):
    first = grade_source(FAULTY["transposed_dW1"], "a").to_dict()
    second = grade_source(FAULTY["transposed_dW1"], "a").to_dict()
    strip = lambda r: [(c["name"], c["points"], c["message"]) for c in r["checks"]]  # noqa: E731
    assert strip(first) == strip(second)

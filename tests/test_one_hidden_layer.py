"""The flagship's own verdicts: what its messages say about a mistake, its gradient check,
syntax errors, missing functions and errors inside them, and that grading is reproducible.
The verdicts every assignment shares (full marks for correct styles, exactly the expected
checks lost for each mistake) are in tests/test_verdicts.py."""

from __future__ import annotations

from conftest import EXAMPLES, failed_ids
from variants import FAULTY


def test_keepdims_mistake_says_why(grade):
    result = grade(FAULTY["missing_keepdims"])
    db1 = next(c for c in result.checks if c.name == "backward_propagation: db1 has shape (n_h, 1)")
    assert "db1 has shape (4,), expected (4, 1)" in db1.message
    assert "keepdims=True" in db1.message
    # nn_model runs the student's own backward_propagation right: charged there only
    nn = next(c for c in result.checks if c.name.startswith("nn_model learns"))
    assert nn.status == "passed" and nn.message == ("nn_model runs your own functions right; "
                                                    "the mistakes that stop it learning are "
                                                    "charged to them")


def test_value_message_names_tolerance_count_and_worst_entry(grade):
    result = grade(FAULTY["missing_1_over_m"])
    dW1 = next(c for c in result.failed if c.name.startswith("backward_propagation: dW1 ="))
    for part in ("wrong in 12 of 12 entries", "worst at index", "tolerance", "n_x=3"):
        assert part in dW1.message
    gradcheck = next(c for c in result.failed if "gradient check" in c.name)
    errors = [row["relative_error"] for row in gradcheck.data["gradient_check"]]
    # 4 tensors in each of the 2 cases with n_y = 1 (n_y = 2 has its own check)
    assert len(errors) == 8 and all(error > 0.5 for error in errors)  # m times too large


def test_gradient_check_passes_with_tiny_errors_for_the_reference(grade):
    result = grade((EXAMPLES / "correct.py").read_text())
    check = next(c for c in result.checks if "gradient check" in c.name)
    table = check.data["gradient_check"]
    assert {row["tensor"] for row in table} == {"dW1", "db1", "dW2", "db2"}
    assert max(row["relative_error"] for row in table) < 1e-8


def test_syntax_error_names_file_and_line(grade):
    source = (EXAMPLES / "correct.py").read_text().replace("def predict(parameters, X):",
                                                           "def predict(parameters, X)")
    result = grade(source)
    line = source.splitlines().index("def predict(parameters, X)") + 1
    assert result.score == 0
    assert all("SyntaxError" in c.message and f"student.py, line {line}" in c.message
               for c in result.checks)


def test_missing_function_is_named(flagship, grade):
    source = (EXAMPLES / "correct.py").read_text().replace("def predict(", "def predict_labels(")
    result = grade(source)
    assert failed_ids(flagship, result) == {"predict_shape", "predict_values", "predict_any_n_y"}
    assert all("has no function `predict`" in c.message for c in result.failed)


def test_error_inside_a_function_names_line_and_function(grade):
    source = (EXAMPLES / "correct.py").read_text().replace(
        "    A1 = np.tanh(Z1)\n", "    A1 = np.tanh(Z1)\n    raise ValueError('oops')\n")
    result = grade(source)
    forward = next(c for c in result.failed if c.function == "forward_propagation")
    assert "ValueError: oops" in forward.message
    assert "in forward_propagation" in forward.message and "line 21" in forward.message


def test_grading_is_reproducible(grade):
    first = grade(FAULTY["transposed_dW1"], "a").to_dict()
    second = grade(FAULTY["transposed_dW1"], "a").to_dict()
    strip = lambda r: [(c["name"], c["points"], c["message"]) for c in r["checks"]]  # noqa: E731
    assert strip(first) == strip(second)

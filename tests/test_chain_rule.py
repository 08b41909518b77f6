"""chain_rule's own checks: its hidden networks and its gradient check table. The verdicts every
assignment shares (tests/variants_chain_rule.py) are tested in tests/test_verdicts.py."""

from __future__ import annotations

from conftest import SOLUTIONS, failed_ids
from variants_chain_rule import CORRECT, FAULTY

from grader.loading.assignment import load_module

NAME = "chain_rule"


def test_hidden_networks_cover_depths_and_widths():
    tests = load_module("chain_rule_tests", SOLUTIONS / "chain_rule" / "tests.py")
    depths = {len(sizes) - 1 for sizes, _ in tests.NETWORKS}
    widths = {width for sizes, _ in tests.NETWORKS for width in sizes}
    assert depths == {2, 3, 4} and widths == {1, 2, 3, 4, 5}
    assert any(1 in sizes[1:-1] for sizes, _ in tests.NETWORKS)  # a width-1 hidden layer
    assert any(sizes[-1] == 1 for sizes, _ in tests.NETWORKS)  # and a single output
    for sizes, _ in tests.NETWORKS:  # no square w^(l): a missing transpose cannot pass
        assert all(rows != cols for cols, rows in zip(sizes[:-1], sizes[1:], strict=True))


def test_gradient_check_reports_every_layer(grade):
    result = grade(FAULTY["average_not_divided_by_n"], assignment=NAME)
    check = next(c for c in result.failed if c.name.startswith("average_gradient passes"))
    table = check.data["gradient_check"]
    assert len(table) == 2 * (2 + 3 + 4 + 2)  # w and b of every layer of the four networks
    errors = {round(row["relative_error"], 6) for row in table}
    assert errors == {round((n - 1) / (n + 1), 6) for n in (3, 4, 5, 6)}  # n times too large


SCALAR_CHECKS = {f"{name}_{kind}" for name in ("dC_dw", "dC_db", "dC_da_prev")
                 for kind in ("value", "gradient_check")}


def test_a_scalar_function_is_not_charged_for_the_helper_it_calls(assignment, grade):
    """σ'(z) written as z (1 - z) in sigmoid_prime: dC_dw, dC_db and dC_da_prev call it and
    are right on their own line, so only sigmoid_prime pays (issue 25)."""
    helper = CORRECT.replace("return sigmoid(z) * (1 - sigmoid(z))", "return z * (1 - z)")
    assert helper != CORRECT
    result = grade(helper, assignment=NAME)
    assert failed_ids(assignment(NAME), result) == {"sigmoid_prime_values"}
    ids = {test.name: test.id for test in assignment(NAME).spec.tests}
    notes = {ids[c.name]: c.message for c in result.checks if ids[c.name] in SCALAR_CHECKS}
    assert set(notes) == SCALAR_CHECKS
    assert all("your own sigmoid, sigmoid_prime or dC_da" in m for m in notes.values()), notes
    # the same wrong σ' written into the scalar functions' own lines is theirs to pay for
    inline = helper.replace("sigmoid_prime(z) * 2 * (a - y)", "(z * (1 - z)) * 2 * (a - y)")
    inline = inline.replace("return z * (1 - z)", "return sigmoid(z) * (1 - sigmoid(z))")
    assert inline.count("(z * (1 - z)) * 2") == 3
    assert failed_ids(assignment(NAME), grade(inline, "inline", assignment=NAME)) == SCALAR_CHECKS

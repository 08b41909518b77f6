"""chain_rule's own checks: its hidden networks and its gradient check table. The verdicts every
assignment shares (tests/variants_chain_rule.py) are tested in tests/test_verdicts.py."""

from __future__ import annotations

from conftest import SOLUTIONS
from variants_chain_rule import FAULTY

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

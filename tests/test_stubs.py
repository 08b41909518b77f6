"""The student files are generated from the reference and must not drift from it."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES, RELEASED, SOLUTIONS

from grader.course.stubs import BEGIN, END, StubError, make_stub, release
from grader.loading.assignment import available
from grader.public import released_name


@pytest.mark.parametrize("name", available(SOLUTIONS))
def test_committed_stubs_match_the_generator(name):
    changed = release(name, solutions=SOLUTIONS, dest=RELEASED, write=False)
    assert changed == [], f"run `grade release --assignment {name}` and commit"


def test_every_assignment_is_released():
    assert set(available(SOLUTIONS)) >= {"one_hidden_layer", "chain_rule", "scalar_chain",
                                         "gradient_descent"}
    for name in available(SOLUTIONS):  # the student's file, the provided helper modules and
        provided = sorted(p.name for p in (SOLUTIONS / name / "provided").glob("*.py"))
        released = {p.name for p in (RELEASED / name).glob("*.py")}  # the public checks
        assert len(released) == 2 + len(provided) and released_name(name) in released, name
        for module in provided:
            assert (RELEASED / name / module).read_text() == \
                (SOLUTIONS / name / "provided" / module).read_text()


def test_bundled_stub_example_is_the_released_file():
    released = (RELEASED / "one_hidden_layer" / "backprop.py").read_text()
    assert (EXAMPLES / "stub.py").read_text() == released


def test_stub_keeps_the_contract_and_drops_every_solution_line():
    reference = (SOLUTIONS / "one_hidden_layer" / "reference.py").read_text()
    stub = make_stub(reference)
    for name in ("initialize_parameters(n_x, n_h, n_y)", "forward_propagation(X, parameters)",
                 "compute_cost(A2, Y)", "backward_propagation(parameters, cache, X, Y)",
                 "update_parameters(parameters, grads, learning_rate=1.2)",
                 "nn_model(X, Y, n_h, num_iterations=10000, print_cost=False)",
                 "predict(parameters, X)"):
        assert f"def {name}:" in stub
    assert BEGIN not in stub and END not in stub
    assert "np.tanh(Z1)" not in stub and "keepdims=True)\n" not in stub
    assert stub.count("raise NotImplementedError()") == 7
    compile(stub, "backprop.py", "exec")


def test_release_writes_files(tmp_path):
    written = release("one_hidden_layer", solutions=SOLUTIONS, dest=tmp_path)
    # the student's file, and beside it the provided helper module and the checks (public)
    assert written == [tmp_path / "one_hidden_layer" / "backprop.py",
                       tmp_path / "one_hidden_layer" / "planar_utils.py",
                       tmp_path / "one_hidden_layer" / "one_hidden_layer_checks.py"]
    assert release("one_hidden_layer", solutions=SOLUTIONS, dest=tmp_path) == []


@pytest.mark.parametrize("source", [
    f"x = 1\n{BEGIN}\n",
    f"{END}\n",
    f"{BEGIN}\n{BEGIN}\n{END}\n",
])
def test_unbalanced_markers_are_refused(source):
    with pytest.raises(StubError):
        make_stub(source)


def test_indentation_follows_the_marker():
    stub = make_stub(f"def f():\n        {BEGIN}\n        return 1\n        {END}\n")
    assert "        # YOUR CODE HERE\n        raise NotImplementedError()\n" in stub

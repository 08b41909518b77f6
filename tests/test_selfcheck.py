"""`grade check`: students check their own file with only the installed package. For every
assignment: a correct file passes with good gradient tables, an untouched stub says what is
not written yet, and a derivative mistake fails its function and shows in the table."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from conftest import ASSIGNMENTS, FLAGSHIP, RELEASED, ROOT, SOLUTIONS, build_wheel, variants_of
from notebooks import messy_notebook
from notebooks import write as write_notebook
from variants import CORRECT, FAULTY

from grader import selfcheck
from grader.course.stubs import release
from grader.loading.assignment import load_assignment
from grader.public import load_file, released_name
from grader.selfcheck import NOT_THE_GRADE, PASSED, check_here, self_check, verdict


def student_file(name: str) -> str:
    return load_assignment(name, solutions=SOLUTIONS).spec.student_file


def write(folder, name, source, *, checks=True):
    """``source`` as the assignment's student file, and beside it (as students get it) the
    released public checks, unless ``checks`` is False."""
    path = folder / student_file(name)
    path.write_text(source)
    if checks:
        shutil.copy(RELEASED / name / released_name(name), folder)
    return path


def tables(report) -> list[list[dict]]:
    return [o.data["gradient_check"] for o in report.outcomes if "gradient_check" in o.data]


def derivative_mistakes():
    """(assignment, a derivative mistake, a public check's function that must fail, the
    tensors the gradient tables find wrong): SELF_CHECK_MISTAKES of each variants module."""
    return [(name, mistake, function, wrong) for name in ASSIGNMENTS
            for mistake, (function, wrong) in variants_of(name).SELF_CHECK_MISTAKES.items()]


DERIVATIVE_MISTAKES = derivative_mistakes()


def test_verdict_thresholds():
    assert [verdict(e) for e in (0.0, 9e-8, 1e-7, 9e-5, 1e-4, 0.5, None, float("nan"))] == [
        "good", "good", "suspicious", "suspicious", "wrong", "wrong", "wrong", "wrong"]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_assignment_has_public_checks_for_every_function(name):
    checks = load_file(RELEASED / name / released_name(name))
    assert checks.name == name and checks.student_file == student_file(name)
    assert {item.function for item in checks.items} == set(checks.functions)
    # worth what the hidden tests give those functions (GitHub Classroom adds them up)
    hidden = load_assignment(name, solutions=SOLUTIONS).spec.max_score
    assert sum(checks.points(item) for item in checks.items) == pytest.approx(hidden)


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_a_correct_file_passes_with_a_good_gradient_table(cli, tmp_path, name):
    path = write(tmp_path, name, variants_of(name).CORRECT)
    for given in ([], ["--assignment", name]):  # guessed from the file, or given
        result = cli("check", *given, path)
        assert result.exit_code == 0, result.output
        assert NOT_THE_GRADE[:40] in result.output and "FAILED" not in result.output
    report = self_check(path)
    assert report.assignment == name
    assert [(o.check, o.message) for o in report.outcomes if o.status != PASSED] == []
    rows = [row for table in tables(report) for row in table]
    if variants_of(name).SELF_CHECK_TENSORS is not None:
        assert {row["tensor"] for row in rows} == variants_of(name).SELF_CHECK_TENSORS
    assert all(row["verdict"] == "good" and row["relative_error"] < selfcheck.GOOD
               for row in rows)


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_a_stub_fails_every_check_saying_not_written(tmp_path, name):
    stub = (RELEASED / name / student_file(name)).read_text()
    report = self_check(write(tmp_path, name, stub))
    assert report.assignment == name and not report.passed
    assert all("not written yet" in o.message for o in report.outcomes)


@pytest.mark.parametrize("name, mistake, function, wrong", DERIVATIVE_MISTAKES,
                         ids=[f"{name}-{mistake}" for name, mistake, *_ in DERIVATIVE_MISTAKES])
def test_a_derivative_mistake_fails_its_function_and_shows_in_the_table(cli, tmp_path, name,
                                                                        mistake, function,
                                                                        wrong):
    path = write(tmp_path, name, variants_of(name).FAULTY[mistake])
    result = cli("check", path)
    assert result.exit_code == 1 and "FAILED" in result.output and "wrong" in result.output
    report = self_check(path, assignment=name)
    assert function in {o.function for o in report.outcomes if o.status != PASSED}
    rows = [row for table in tables(report) for row in table]
    assert {row["tensor"] for row in rows if row["verdict"] == "wrong"} == wrong


def test_shape_mistakes_are_named(tmp_path):
    path = tmp_path / "backprop.py"
    path.write_text(FAULTY["missing_keepdims"])
    report = self_check(path)
    failed = {o.check: o.message for o in report.outcomes if o.status != selfcheck.PASSED}
    shapes = failed["returns dW1, db1, dW2, db2, each the shape of its parameter"]
    assert "db1 has shape (4,), expected (4, 1)" in shapes and "keepdims" in shapes


def test_notebooks_are_checked_too_and_the_assignment_is_found_in_the_course(cli, tmp_path,
                                                                             monkeypatch):
    """No checks beside the notebook: in a course repository, its assignments/ folders are
    the candidates; the notebook defines every function of exactly one of them."""
    monkeypatch.chdir(RELEASED.parent)
    write_notebook(messy_notebook(FAULTY["transposed_dW1"]), tmp_path / "hw.ipynb")
    result = cli("check", tmp_path / "hw.ipynb")
    assert result.exit_code == 1 and "one_hidden_layer" in result.output
    assert "dW1 has shape (3, 4), expected (4, 3)" in result.output


def scalar_chain_in_part(tmp_path, *beside):
    """A file defining two of scalar_chain's functions (forward, update), as a new exercise
    might, with these exercises' released checks beside it."""
    for name in beside:
        shutil.copy(RELEASED / name / released_name(name), tmp_path)
    path = tmp_path / "mine.py"
    path.write_text("def forward(x1, x2, params):\n    return {}\n\n\n"
                    "def update(params, grads, alpha):\n    return params\n")
    return path


def test_a_partial_match_is_never_guessed_the_candidates_are_named(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no course folder here: only what is beside the file
    path = scalar_chain_in_part(tmp_path, "scalar_chain", "chain_rule", FLAGSHIP)
    result = cli("check", path)
    assert result.exit_code == 2, result.output
    assert "could be scalar_chain" in result.output and "pass --assignment" in result.output
    assert "FAILED" not in result.output
    result = cli("check", "--assignment", "scalar_chain", path)  # then it is checked
    assert result.exit_code == 1 and "not written yet" not in result.output
    assert "log_loss" in result.output and "has no function" in result.output.replace("\n", "")
    # the one released file beside a student's file is the assignment, whatever it defines
    lone = tmp_path / "lone"
    lone.mkdir()
    assert self_check(scalar_chain_in_part(lone, "scalar_chain")).assignment == "scalar_chain"
    # a file defining every function of exactly one of the candidates is that one
    (tmp_path / "all.py").write_text(variants_of("scalar_chain").CORRECT)
    assert self_check(tmp_path / "all.py").assignment == "scalar_chain"


def test_only_released_checks_are_run_and_checks_may_be_given(cli, tmp_path, monkeypatch):
    """A student's own *_checks.py beside the file is not run; --checks runs the given
    released file (the instructor's copy, in CI) wherever the student's file is."""
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path, FLAGSHIP, CORRECT, checks=False)
    (tmp_path / "my_checks.py").write_text("open('ran', 'w').write('x')\nchecks = None\n")
    result = cli("check", path)
    assert result.exit_code == 2 and not (tmp_path / "ran").exists()
    result = cli("check", "--checks", RELEASED / FLAGSHIP / released_name(FLAGSHIP), path)
    assert result.exit_code == 0 and "FAILED" not in result.output, result.output
    result = cli("check", "--checks", RELEASED / FLAGSHIP / released_name(FLAGSHIP),
                 "--assignment", "scalar_chain", path)
    assert result.exit_code == 2 and "one_hidden_layer's checks given for" in result.output


def test_usage_errors(cli, tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "other.py").write_text("def f():\n    return 1\n")
    assert "is not a .py or .ipynb" in cli("check", tmp_path / "notes.txt").output
    result = cli("check", tmp_path / "other.py")
    assert result.exit_code == 2 and "pass --assignment" in result.output
    result = cli("check", "--assignment", "nope", tmp_path / "other.py")
    assert result.exit_code == 2 and "no public self-check for assignment 'nope'" in result.output


def test_notebook_check_cells_run_the_same_checks(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("COLUMNS", "300")
    monkeypatch.chdir(tmp_path)  # the kernel's folder: the notebook and its released checks
    shutil.copy(RELEASED / FLAGSHIP / released_name(FLAGSHIP), tmp_path)
    namespace: dict = {}
    exec(compile(CORRECT, "backprop.py", "exec"), namespace)  # what a kernel holds after the cells
    assert check_here("one_hidden_layer", "backward_propagation", namespace) is True
    out = capsys.readouterr().out
    assert "dW1" in out and "good" in out and "Passing the self-check is not" in out
    broken: dict = {}
    exec(compile(FAULTY["missing_1_over_m"], "backprop.py", "exec"), broken)
    assert check_here("one_hidden_layer", "backward_propagation", broken) is False
    assert check_here("one_hidden_layer", "predict", {}) is False
    assert "has no function `predict`: run its cell first" in capsys.readouterr().out
    (tmp_path / released_name(FLAGSHIP)).unlink()
    assert check_here("one_hidden_layer", "predict", {}) is False  # said, not raised
    assert "self-check not run: no public self-check for assignment 'one_hidden_layer': " \
        "one_hidden_layer_checks.py is not beside your file" in capsys.readouterr().out


@pytest.mark.slow
def test_works_from_an_installed_wheel_without_solutions(tmp_path):
    wheel = build_wheel(tmp_path / "dist")
    env_dir = tmp_path / "venv"
    venv.create(env_dir)
    python = env_dir / "bin" / "python"
    # numpy, click, rich, nbformat from this environment (which may itself be a venv, so
    # --system-site-packages would not see them); the wheel's own files come first
    site_packages = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()"
                                    "['purelib'])"], capture_output=True, text=True, check=True)
    paths = dict.fromkeys(p for p in sys.path if p.endswith(("site-packages", "dist-packages")))
    (Path(site_packages.stdout.strip()) / "deps_from_parent.pth").write_text("\n".join(paths))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                    "--no-deps", "--no-index", str(wheel)], check=True, capture_output=True)
    student = tmp_path / "home" / "backprop.py"
    student.parent.mkdir()
    student.write_text(CORRECT)
    shutil.copy(RELEASED / FLAGSHIP / released_name(FLAGSHIP), student.parent)  # as released
    run = subprocess.run([env_dir / "bin" / "grade", "check", student.name], cwd=student.parent,
                         capture_output=True, text=True, env={"PATH": "/usr/bin:/bin",
                                                             "COLUMNS": "200"})
    assert run.returncode == 0, run.stdout + run.stderr
    assert "good" in run.stdout and "Passing the self-check is not your grade" in run.stdout
    where = subprocess.run([python, "-c", "import grader; print(grader.__file__)"],
                           cwd=student.parent, capture_output=True, text=True, check=True)
    assert str(env_dir) in where.stdout  # the wheel's copy, not the checkout's
    assert not (student.parent / "solutions").exists()
    write_notebook(messy_notebook(FAULTY["missing_1_over_m"]), student.parent / "mine.ipynb")
    run = subprocess.run([env_dir / "bin" / "grade", "check", "mine.ipynb"], cwd=student.parent,
                         capture_output=True, text=True, env={"PATH": "/usr/bin:/bin",
                                                             "COLUMNS": "200"})
    assert run.returncode == 1 and "wrong" in run.stdout, run.stdout + run.stderr


def test_notebook_calls_hand_checks_the_same_plain_data_as_a_worker():
    from grader.isolation.session import StudentSession
    from grader.isolation.wire import Opaque
    from grader.selfcheck import LocalStudent

    source = ("import numpy as np\nclass Sub(np.ndarray):\n    pass\n"
              "def f(d):\n    return np.zeros(2).view(Sub), (d['x'], [2])\n")
    namespace: dict = {}
    exec(compile(source, "backprop.py", "exec"), namespace)
    local = LocalStudent(namespace).call("f", ({"x": 1.5},))
    with StudentSession(source, "backprop.py") as student:
        remote = student.call("f", ({"x": 1.5},))
    assert isinstance(local[0], Opaque) and isinstance(remote[0], Opaque)
    assert "ndarray subclass" in repr(local[0]) and local[1] == remote[1] == (1.5, [2])


def test_helper_modules_beside_the_file_are_importable_in_the_check(tmp_path):
    """deep_network's older template imports its helpers from dnn_utils_v2, released beside
    the student's file: the self-check makes them importable, as the grader does."""
    path = write(tmp_path, "deep_network", variants_of("deep_network").CORRECT_STYLES[
        "older_template"])
    missing = self_check(path)
    assert not missing.passed
    assert any("name 'relu' is not defined" in o.message for o in missing.outcomes)
    for module in ("dnn_utils.py", "dnn_utils_v2.py"):
        (tmp_path / module).write_text((RELEASED / "deep_network" / module)
                                       .read_text())
    report = self_check(path)
    assert [(o.check, o.message) for o in report.outcomes if o.status != PASSED] == []


@pytest.mark.parametrize("path", sorted(SOLUTIONS.glob("*/public.py")),
                         ids=lambda p: p.parent.name)
def test_public_checks_import_only_grader_public(path):
    """As hidden tests import only grader.authoring: one public API for public checks."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    assert {name for name in found if name.split(".")[0] == "grader"} == {"grader.public"}


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_the_default_self_check_fits_every_exercise(tmp_path, name):
    """As if the exercise had no public.py: the default, generated from its reference and
    hidden tests, checks every graded function, passes the example and fails the stub."""
    shutil.copytree(SOLUTIONS / name, tmp_path / "solutions" / name,
                    ignore=shutil.ignore_patterns("public.py"))
    release(name, solutions=tmp_path / "solutions", dest=tmp_path / "released")
    folder = tmp_path / "released" / name
    text = (folder / released_name(name)).read_text()
    assert "from grader.public.default import default_checks" in text
    checks = load_file(folder / released_name(name))
    assert {item.function for item in checks.items} == set(checks.functions)
    (folder / "mine.py").write_text(variants_of(name).CORRECT)
    report = self_check(folder / "mine.py")
    assert report.assignment == name
    assert [(o.check, o.message) for o in report.outcomes if o.status != PASSED] == []
    stub = self_check(folder / student_file(name))
    assert all("not written yet" in o.message for o in stub.outcomes)


# the course's older compute_cost(A2, Y, parameters), which `grade` accepts (Spec.accept)
OLDER_COST = CORRECT.replace("def compute_cost(A2, Y):", "def compute_cost(A2, Y, parameters):"
                             ).replace("compute_cost(A2, Y):f", "compute_cost(A2, Y, parameters):f")
ACCEPTED = ("compute_cost(A2, Y, parameters) is an older signature of compute_cost: accepted, "
            "and graded as such")


def test_an_older_signature_grade_accepts_passes_grade_check_too(cli, tmp_path):
    path = write(tmp_path, "one_hidden_layer", OLDER_COST)
    report = self_check(path)
    assert report.passed, [o.message for o in report.outcomes if o.status != PASSED]
    assert report.notes == [ACCEPTED]
    result = cli("check", path)
    assert result.exit_code == 0 and "older signature of compute_cost" in result.output


def test_an_older_signature_passes_the_notebook_check_cells_too(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("COLUMNS", "300")
    monkeypatch.chdir(tmp_path)  # the kernel's folder: the notebook and its released checks
    shutil.copy(RELEASED / FLAGSHIP / released_name(FLAGSHIP), tmp_path)
    namespace: dict = {}
    exec(compile(OLDER_COST, "backprop.py", "exec"), namespace)
    for function in load_file(tmp_path / released_name(FLAGSHIP)).functions:
        assert check_here("one_hidden_layer", function, namespace) is True, function
    assert capsys.readouterr().out.count("older signature of compute_cost") == 1


def test_the_course_corpus_older_cost_is_called_with_its_parameters(monkeypatch):
    """The corpus's older compute_cost also forgets 1/m: the self-check may say so (the
    gradient table), but never fails a call for the signature, as `grade` does not."""
    monkeypatch.chdir(RELEASED.parent)  # the course folder: assignments/<name>/ has the checks
    corpus = ROOT / "tests" / "course_corpus" / "submissions" / "older_cost_not_averaged.ipynb"
    report = self_check(corpus, assignment="one_hidden_layer")
    # its notes are grade's: the signature accepted, and imports the grader lacks skipped
    assert report.notes[-1] == ACCEPTED
    assert all(note.endswith("skipped: not available to the grader")
               for note in report.notes[:-1]), report.notes
    cost = {o.check: o for o in report.outcomes if o.function == "compute_cost"}
    assert cost["returns a positive float"].status == PASSED
    assert not [o.message for o in report.outcomes if "parameters" in o.message
                and o.status != PASSED]
    # its backward_propagation is right: judged against the course's cost, not its own
    backward = {o.check: o for o in report.outcomes if o.function == "backward_propagation"}
    assert all(o.status == PASSED for o in backward.values())
    assert "your compute_cost is not the course's cross-entropy" in \
        backward["agrees with central differences of your forward_propagation and "
                 "compute_cost"].message


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_the_public_checks_accept_the_signatures_the_hidden_spec_accepts(assignment, name):
    hidden = {(a.function, a.parameters) for a in assignment(name).spec.alternatives}
    released = load_file(RELEASED / name / released_name(name))
    assert {(a.function, a.parameters) for a in released.alternatives} == hidden


@pytest.mark.parametrize("variant", ["missing_keepdims"])  # (steps that raise: still charged)
def test_nn_model_is_not_charged_for_a_shape_its_own_steps_give(tmp_path, variant):
    """A step's wrong shape reaches the trained parameters: the step's check fails, and
    nn_model's says why it passed (one mistake costs points once, as in `grade`)."""
    report = self_check(write(tmp_path, FLAGSHIP, FAULTY[variant]))
    outcome = {o.function: o for o in report.outcomes if o.check.startswith("returns")}
    assert outcome["backward_propagation"].status != PASSED
    assert outcome["nn_model"].status == PASSED
    assert "because your own backward_propagation or update_parameters" in \
        outcome["nn_model"].message

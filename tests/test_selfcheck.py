"""`grade check`: students check their own file with only the installed package."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLES, ROOT
from notebooks import messy_notebook, write
from variants import CORRECT, FAULTY

from grader import selfcheck
from grader.cli import main
from grader.selfcheck import NOT_THE_GRADE, check_here, self_check, verdict


def gradient_rows(report):
    outcome = next(o for o in report.outcomes if "central differences" in o.check)
    return {row["tensor"]: row for row in outcome.data["gradient_check"]}


@pytest.fixture
def check(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")

    def invoke(*args):
        return CliRunner().invoke(main, ["check", *map(str, args)])

    return invoke


def test_verdict_thresholds():
    assert [verdict(e) for e in (0.0, 9e-8, 1e-7, 9e-5, 1e-4, 0.5, None, float("nan"))] == [
        "good", "good", "suspicious", "suspicious", "wrong", "wrong", "wrong", "wrong"]


def test_a_correct_file_passes_with_a_good_gradient_table(check, tmp_path):
    (tmp_path / "backprop.py").write_text(CORRECT)
    result = check(tmp_path / "backprop.py")
    assert result.exit_code == 0, result.output
    assert NOT_THE_GRADE[:40] in result.output and "FAILED" not in result.output
    rows = gradient_rows(self_check(tmp_path / "backprop.py"))
    assert set(rows) == {"dW1", "db1", "dW2", "db2"}
    assert all(row["verdict"] == "good" and row["relative_error"] < selfcheck.GOOD
               for row in rows.values())


@pytest.mark.parametrize("mistake, wrong", [
    ("missing_1_over_m", {"dW1", "db1", "dW2", "db2"}),
    ("sigmoid_derivative_for_tanh", {"dW1", "db1"}),
    ("dZ2_sign_flipped", {"dW1", "db1", "dW2", "db2"}),
])
def test_gradient_mistakes_show_in_the_table(check, tmp_path, mistake, wrong):
    path = tmp_path / f"{mistake}.py"
    path.write_text(FAULTY[mistake])
    result = check(path)
    assert result.exit_code == 1 and "FAILED" in result.output and "wrong" in result.output
    rows = gradient_rows(self_check(path))
    assert {name for name, row in rows.items() if row["verdict"] == "wrong"} == wrong


def test_shape_mistakes_are_named(tmp_path):
    path = tmp_path / "backprop.py"
    path.write_text(FAULTY["missing_keepdims"])
    report = self_check(path)
    failed = {o.check: o.message for o in report.outcomes if o.status != selfcheck.PASSED}
    shapes = failed["returns dW1, db1, dW2, db2, each the shape of its parameter"]
    assert "db1 has shape (4,), expected (4, 1)" in shapes and "keepdims" in shapes


def test_a_stub_fails_every_check_saying_not_written(tmp_path):
    path = tmp_path / "backprop.py"
    path.write_text((EXAMPLES / "stub.py").read_text())
    report = self_check(path)
    assert not report.passed
    assert all("not written yet" in o.message for o in report.outcomes)


def test_notebooks_are_checked_too_and_the_assignment_is_guessed(check, tmp_path):
    write(messy_notebook(FAULTY["transposed_dW1"]), tmp_path / "hw.ipynb")
    result = check(tmp_path / "hw.ipynb")
    assert result.exit_code == 1 and "one_hidden_layer" in result.output
    assert "dW1 has shape (3, 4), expected (4, 3)" in result.output


def test_usage_errors(check, tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "other.py").write_text("def f():\n    return 1\n")
    assert "is not a .py or .ipynb" in check(tmp_path / "notes.txt").output
    result = check(tmp_path / "other.py")
    assert result.exit_code == 2 and "pass --assignment" in result.output
    result = check("--assignment", "nope", tmp_path / "other.py")
    assert result.exit_code == 2 and "no public self-check for assignment 'nope'" in result.output


def test_notebook_check_cells_run_the_same_checks(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
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


@pytest.mark.slow
def test_works_from_an_installed_wheel_without_solutions(tmp_path):
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path / "dist"),
                    str(ROOT)], check=True, capture_output=True)
    (wheel,) = (tmp_path / "dist").glob("backprop_grader-*.whl")
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
    run = subprocess.run([env_dir / "bin" / "grade", "check", student.name], cwd=student.parent,
                         capture_output=True, text=True, env={"PATH": "/usr/bin:/bin",
                                                             "COLUMNS": "200"})
    assert run.returncode == 0, run.stdout + run.stderr
    assert "good" in run.stdout and "Passing the self-check is not your grade" in run.stdout
    where = subprocess.run([python, "-c", "import grader; print(grader.__file__)"],
                           cwd=student.parent, capture_output=True, text=True, check=True)
    assert str(env_dir) in where.stdout  # the wheel's copy, not the checkout's
    assert not (student.parent / "solutions").exists()
    write(messy_notebook(FAULTY["missing_1_over_m"]), student.parent / "mine.ipynb")
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

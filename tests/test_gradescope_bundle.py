"""`grade bundle` builds a Gradescope autograder; it is unpacked into a fake /autograder,
installed with its own setup.sh into a fresh virtual environment, and run on submissions."""

from __future__ import annotations

import json
import os
import shutil
import site
import stat
import subprocess
import venv
import zipfile

import pytest
from click.testing import CliRunner
from conftest import EXAMPLES, SOLUTIONS
from formats import validate_gradescope
from test_packaging import solution_lines

from grader.cli import main
from grader.course.gradescope_bundle import ROOT_ENV


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    out = tmp_path_factory.mktemp("bundle") / "autograder.zip"
    result = CliRunner().invoke(main, ["bundle", "--assignment", "one_hidden_layer",
                                       "--out", str(out), "--solutions", str(SOLUTIONS)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def autograder(bundle, tmp_path_factory):
    """Gradescope's layout: the zip in source/, run_autograder copied up, setup.sh run once.

    The environment's Python is a fresh venv that sees the installed dependencies (numpy,
    matplotlib...) but not this checkout, so the grader that runs is the bundled wheel, and
    PIP_NO_INDEX keeps setup.sh off the network.
    """
    base = tmp_path_factory.mktemp("gradescope")
    root = base / "autograder"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(root / "source")
    for name in ("setup.sh", "run_autograder"):  # extractall drops the mode bits
        (root / "source" / name).chmod(0o755)
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    venv.create(base / "venv")
    (site_packages,) = (base / "venv").glob("lib/python*/site-packages")
    # the dependencies (and pip) of the environment running the tests, as plain path entries:
    # their .pth files (an editable install of this checkout) are not processed
    (site_packages / "outer.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    env = {"PATH": f"{base / 'venv' / 'bin'}:{os.environ['PATH']}", "HOME": str(base),
           "LANG": "C.UTF-8", "PIP_NO_INDEX": "1", ROOT_ENV: str(root)}
    setup = subprocess.run(["bash", str(root / "source" / "setup.sh")], env=env, cwd=root,
                           capture_output=True, text=True, timeout=300)
    assert setup.returncode == 0, setup.stdout + setup.stderr
    where = subprocess.run(["python3", "-c", "import grader; print(grader.__file__)"], env=env,
                           cwd=root, capture_output=True, text=True, check=True).stdout
    assert str(base / "venv") in where, f"the bundled wheel is not what runs: {where}"
    return root, env


def run_autograder(autograder, files: dict):
    root, env = autograder
    for folder in ("submission", "results"):
        shutil.rmtree(root / folder, ignore_errors=True)
        (root / folder).mkdir()
    for name, make in files.items():
        path = root / "submission" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        make(path)
    done = subprocess.run([str(root / "run_autograder")], env=env, cwd=root,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    validate_gradescope(results)
    return results


def copy_of(example):
    return lambda path: shutil.copy(EXAMPLES / example, path)


@pytest.mark.slow
def test_bundle_holds_setup_run_wheel_and_solutions_only_in_the_bundle(bundle):
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
        (wheel,) = [n for n in names if n.endswith(".whl")]
        assert {"setup.sh", "run_autograder", "solutions/one_hidden_layer/reference.py",
                "solutions/one_hidden_layer/tests.py"} <= set(names)
        assert all(modes[name] & stat.S_IXUSR for name in ("setup.sh", "run_autograder"))
        archive.extract(wheel, bundle.parent)
    secret = solution_lines(SOLUTIONS / "one_hidden_layer" / "reference.py")
    with zipfile.ZipFile(bundle.parent / wheel) as inner:
        assert not [n for n in inner.namelist() if n.startswith("solutions/")]
        text = "".join(inner.read(n).decode("utf-8", "replace") for n in inner.namelist())
        assert not [line for line in secret if line in text]


@pytest.mark.slow
def test_run_autograder_grades_a_submission(autograder):
    results = run_autograder(autograder, {"backprop.py": copy_of("keepdims.py")})
    assert results["score"] == 84 and results["max_score"] == 100
    assert len(results["tests"]) == 31  # with the two "works for any n_y" checks
    failed = [t for t in results["tests"] if t["status"] == "failed"]
    assert len(failed) == 4 and any("keepdims=True" in t["output"] for t in failed)
    root, _ = autograder
    assert (root / "results" / "reports" / "backprop" / "report.html").is_file()


@pytest.mark.slow
def test_run_autograder_finds_a_nested_upload_and_refuses_links(autograder):
    results = run_autograder(autograder, {"hw/backprop.py": copy_of("correct.py")})
    assert results["score"] == 100
    root, _ = autograder
    reference = root / "source" / "solutions" / "one_hidden_layer" / "reference.py"
    results = run_autograder(autograder, {"backprop.py": lambda p: p.symlink_to(reference)})
    assert results["score"] == 0
    assert all("symbolic link" in t["output"] for t in results["tests"])


@pytest.mark.slow
def test_run_autograder_without_the_file_says_what_to_upload(autograder):
    results = run_autograder(autograder, {"notes.txt": lambda p: p.write_text("hi"),
                                          "a.py": copy_of("correct.py"),
                                          "b.py": copy_of("stub.py")})
    assert results["score"] == 0
    assert all("no backprop.py in your submission" in t["output"] for t in results["tests"])


def test_bundle_of_an_unknown_assignment_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["bundle", "-a", "nope", "--out", str(tmp_path / "a.zip"),
                                       "--solutions", str(SOLUTIONS)])
    assert result.exit_code == 2 and "unknown assignment" in result.output
    assert not (tmp_path / "a.zip").exists()


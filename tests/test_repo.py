"""Promises about the repository itself: CI runs the README's commands, ruff is clean."""

from __future__ import annotations

import re
import shutil
import subprocess

from conftest import ROOT


def readme_commands() -> list[str]:
    block = re.search(r"```bash\n(.*?)```", (ROOT / "README.md").read_text(), re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_readme_opens_with_exactly_two_setup_commands():
    text = (ROOT / "README.md").read_text()
    assert text.index("```bash") < text.index("##")  # before anything else
    main_job, tests = readme_commands()
    assert "grade --assignment one_hidden_layer" in main_job and "examples/" in main_job
    assert "[test]" in tests and "pytest" in tests


def test_ci_runs_both_readme_commands_verbatim():
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    for command in readme_commands():
        assert command in ci


def test_ruff_is_clean():
    ruff = shutil.which("ruff")
    assert ruff, "ruff is installed by the test extras: pip install -e '.[test]'"
    result = subprocess.run([ruff, "check", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_no_package_file_is_ignored_by_git():
    files = [str(p.relative_to(ROOT)) for p in (ROOT / "grader").rglob("*")
             if p.is_file() and "__pycache__" not in p.parts]
    result = subprocess.run(["git", "check-ignore", "--no-index", *files], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.stdout == "", f"git ignores package files: {result.stdout}"

"""Defaults from the course folder and the environment: flag > environment > config file >
default, the grader's own environment variables untouched, --unsafe only when typed, and
--format json for scripts."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, RELEASED, ROOT, SOLUTIONS, run_cli

from grader.cli import main
from grader.errors import UsageError
from grader.loading.config import default_map, read_config
from grader.public import released_name


def check_format(tmp_path, monkeypatch, *, config: str | None = None, env: dict | None = None,
                 flag: str | None = None) -> str:
    """The format `grade check` printed in: json or text."""
    course = tmp_path / "course"
    course.mkdir(exist_ok=True)
    if config is not None:
        (course / "pyproject.toml").write_text(
            f'[project]\nname = "ml101"\n\n[tool.backprop-grader]\nformat = "{config}"\n')
    monkeypatch.chdir(course)
    # a student's file with the released checks beside it, as students get them
    shutil.copy(RELEASED / "one_hidden_layer" / released_name("one_hidden_layer"), course)
    shutil.copy(EXAMPLES / "correct.py", course / "backprop.py")
    args = ["check", "-a", "one_hidden_layer", *(["--format", flag] if flag else []),
            course / "backprop.py"]
    result = run_cli(*args, env=env)
    assert result.exit_code == 0, result.output
    try:
        data = json.loads(result.stdout)
    except ValueError:
        return "text"
    assert data["passed"] is True and data["assignment"] == "one_hidden_layer"
    return "json"


def test_precedence_flag_over_environment_over_config_over_default(tmp_path, monkeypatch):
    assert check_format(tmp_path, monkeypatch) == "text"  # the default
    assert check_format(tmp_path, monkeypatch, config="json") == "json"
    assert check_format(tmp_path, monkeypatch, config="json",
                        env={"BACKPROP_GRADER_CHECK_FORMAT": "text"}) == "text"
    assert check_format(tmp_path, monkeypatch, config="text",
                        env={"BACKPROP_GRADER_CHECK_FORMAT": "text"}, flag="json") == "json"


def test_grader_toml_and_per_command_tables(tmp_path):
    (tmp_path / "grader.toml").write_text('jobs = 3\nsolutions = "hidden"\n\n[run]\n'
                                          'fail-under = 50\n')
    config, source = read_config(tmp_path)
    defaults = default_map(main.commands, config, source)
    assert defaults["run"] == {"jobs": 3, "solutions": "hidden", "fail_under": 50}
    assert defaults["audit"] == {"jobs": 3, "solutions": "hidden"}
    assert "jobs" not in defaults.get("check", {})


def test_a_pyproject_without_our_table_is_no_config(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert read_config(tmp_path) == ({}, None)


@pytest.mark.parametrize("text, message", [
    ("jbos = 3\n", "unknown option 'jbos'"),
    ("unsafe = true\n", "cannot be set in a file"),
    ("[run]\nunsafe = true\n", "cannot be set in a file"),
])
def test_config_mistakes_are_usage_errors(tmp_path, text, message):
    (tmp_path / "grader.toml").write_text(text)
    config, source = read_config(tmp_path)
    with pytest.raises(UsageError, match=message):
        default_map(main.commands, config, source)


def test_a_broken_config_file_is_a_usage_error(tmp_path, monkeypatch):
    (tmp_path / "grader.toml").write_text("jobs = \n")
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", EXAMPLES / "correct.py")
    assert result.exit_code == 2 and "grader.toml" in result.output


def every_option():
    for name, command in main.commands.items():
        for param in command.params:
            yield name, command, param


def test_automatic_names_never_take_the_graders_own_variables():
    """BACKPROP_GRADER_SOLUTIONS, _DISABLE, _LANDLOCK_ABI, _WORKER_UID... keep their meaning:
    no option's automatic variable has one of their names."""
    own = set()
    sources = [p for p in (ROOT / "grader").rglob("*.py") if p.name != "config.py"]
    for path in [*sources, ROOT / "Dockerfile", ROOT / "README.md", ROOT / "SECURITY.md"]:
        own |= set(re.findall(r"BACKPROP_GRADER_[A-Z0-9_]+", path.read_text()))
    assert {"BACKPROP_GRADER_SOLUTIONS", "BACKPROP_GRADER_DISABLE",
            "BACKPROP_GRADER_LANDLOCK_ABI", "BACKPROP_GRADER_WORKER_UID"} <= own
    automatic = {f"BACKPROP_GRADER_{name.upper()}_{param.name.upper()}"
                 for name, _, param in every_option()}
    assert not automatic & own


def test_unsafe_is_never_read_from_the_environment():
    unsafe = [param for name, _, param in every_option() if param.name == "unsafe"]
    assert unsafe and all(param.allow_from_autoenv is False for param in unsafe)


def test_the_solutions_variable_still_means_the_solutions_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("release", "-a", "one_hidden_layer", "--dest", tmp_path / "a", "--check",
                     env={"BACKPROP_GRADER_SOLUTIONS": str(SOLUTIONS)})
    assert "no solutions folder" not in result.output
    assert "out of date: " + str(tmp_path / "a") in result.output


def test_merge_prints_json(tmp_path):
    from grader.batch import grade

    grade(assignment="one_hidden_layer", paths=[EXAMPLES / "correct.py"], out=tmp_path / "a",
          solutions=SOLUTIONS, jobs=1, plots=False)
    result = run_cli("merge", "--format", "json", "-o", tmp_path / "m", tmp_path / "a")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [row["student"] for row in data["rows"]] == ["correct"]
    assert data["rows"][0]["score"] == 100


def test_run_prints_json(tmp_path):
    result = run_cli("-a", "one_hidden_layer", "--solutions", SOLUTIONS, "--no-plots", "-j", "1",
                     "-o", tmp_path / "out", "--format", "json", EXAMPLES / "keepdims.py")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["rows"][0]["student"] == "keepdims" and data["rows"][0]["score"] == 96
    assert Path(data["out"]) == tmp_path / "out"

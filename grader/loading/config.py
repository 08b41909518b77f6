"""Defaults for the ``grade`` command from the course folder, and from the environment.

Precedence, highest first: the command line, a ``BACKPROP_GRADER_<COMMAND>_<OPTION>``
environment variable (click's ``auto_envvar_prefix``: ``BACKPROP_GRADER_RUN_JOBS=4``), the
course's configuration file, the option's own default. The configuration file is
``grader.toml`` in the current folder (its top-level keys), else the
``[tool.backprop-grader]`` table of ``pyproject.toml`` there; a key is an option's name
(``jobs``, ``fail-under`` or ``fail_under``) and applies to every command that has that
option; ``[tool.backprop-grader.<command>]`` (or ``[<command>]`` in grader.toml) sets one
command's. ``--unsafe`` is never read from a file or the environment: it must be typed.

The variables the grader already reads (``BACKPROP_GRADER_SOLUTIONS``, ``_DISABLE``,
``_LANDLOCK_ABI``, ``_WORKER_UID``, ``_NO_PINNING``, ``_AUTOGRADER_ROOT``) keep their meaning:
the automatic names always have a command's name in them, and no command has one of those
names (tests/test_config.py checks it).
"""

from __future__ import annotations

import sys
from pathlib import Path

from grader.errors import UsageError

ENV_PREFIX = "BACKPROP_GRADER"
TYPED_ONLY = frozenset({"unsafe"})  # never from a file or the environment
FILES = ("grader.toml", "pyproject.toml")


def toml_loads(text: str) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    return tomllib.loads(text)


def read_config(folder: Path | None = None) -> tuple[dict, Path | None]:
    """The configuration table and the file it came from ({} and None when there is none)."""
    folder = folder or Path.cwd()
    for name in FILES:
        path = folder / name
        if not path.is_file():
            continue
        try:
            data = toml_loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UsageError(f"cannot read {path}: {exc}") from None
        if name == "pyproject.toml":
            data = data.get("tool", {}).get("backprop-grader")
            if data is None:
                continue
        return data, path
    return {}, None


def default_map(commands: dict, config: dict, source: Path | None) -> dict:
    """click's ``default_map`` for the group: ``{command: {param: value}}``."""
    names = {name: {p.name: p for p in command.params} for name, command in commands.items()}
    every_param = {param for params in names.values() for param in params}
    result: dict = {name: {} for name in commands}
    for key, value in config.items():
        if isinstance(value, dict) and key in commands:
            for sub_key, sub_value in value.items():
                param = checked_key(sub_key, names[key], source, key)
                result[key][param] = sub_value
            continue
        param = checked_key(key, every_param, source, None)
        for name, params in names.items():
            if param in params:
                result[name].setdefault(param, value)
    return {name: values for name, values in result.items() if values}


def checked_key(key: str, known, source: Path | None, command: str | None) -> str:
    param = key.replace("-", "_")
    where = f"{source}" + (f" [{command}]" if command else "")
    if param in TYPED_ONLY:
        raise UsageError(f"{where}: {key} cannot be set in a file; type --{key} when you mean it")
    if param not in known:
        raise UsageError(f"{where}: unknown option {key!r}")
    return param

"""Control characters and terminal escape sequences from student text reach no report and no
terminal: file names, a notebook's own lines of code, `grade check`'s table.

tests/test_redteam.py grades tests/redteam/control_characters.py in its corpus batch (what the
code prints and raises, the names of its functions and classes). These cases need their own
set-up: files whose NAMES carry the sequences, a notebook whose raising line carries raw ones
(a .py file cannot hold them in a string the grader shows, a notebook's JSON can), and the
self-check's terminal table. Every test reads what the grader wrote byte by byte.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from conftest import EXAMPLES, RELEASED, ROOT, SOLUTIONS
from nbformat.v4 import new_code_cell, new_notebook
from test_redteam import CORPUS, assemble, control_characters_in

# OSC 52 (clipboard), CSI 2J (clear), OSC 0 (title), BEL, DEL, U+009B, rich markup: what a
# file name may hold (no NUL, no slash)
IN_A_NAME = "\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\x1b]0;pwned\x07\x7f\x9b2J[bold red]x[link=evil]y"


def run_cli(*arguments: str, cwd: Path) -> subprocess.CompletedProcess:
    """The real CLI, as an instructor runs it, with the console captured as bytes."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    env["COLUMNS"] = "4000"  # rich's tables: a message on one line, not folded in its cell
    return subprocess.run([sys.executable, "-m", "grader", *arguments], cwd=cwd, env=env,
                          capture_output=True, timeout=300)


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def hostile_notebook() -> nbformat.NotebookNode:
    """The correct solution, then a compute_cost whose raising line (shown in the message as
    the line that failed) carries the sequences, raw."""
    correct = (EXAMPLES / "correct.py").read_text().split('"""', 2)[2]
    return new_notebook(cells=[
        new_code_cell(correct),
        new_code_cell("def compute_cost(A2, Y):\n"
                      f"    raise ValueError('no')  # {IN_A_NAME}\x01\x1bc\n"),
    ])


def test_file_names_and_notebook_lines_reach_no_report_raw(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / f"a{IN_A_NAME}.py").write_text(assemble(CORPUS / "control_characters.py"))
    os.symlink(SOLUTIONS / "one_hidden_layer" / "reference.py", corpus / f"b{IN_A_NAME}.py")
    nbformat.write(hostile_notebook(), str(corpus / f"c{IN_A_NAME}.ipynb"))
    out = tmp_path / "out"
    done = run_cli("--assignment", "one_hidden_layer", "--out", str(out), "--jobs", "1",
                   "--solutions", str(SOLUTIONS), str(corpus), cwd=ROOT)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-3000:]
    annotate = run_cli("annotate", "--limit", "100", str(out), cwd=ROOT)
    assert annotate.returncode == 0, annotate.stderr
    found = [bad for where, data in files_under(out).items()
             for bad in control_characters_in(where, data)]
    found += control_characters_in("grade's console", done.stdout + done.stderr)
    found += control_characters_in("grade annotate", annotate.stdout + annotate.stderr)
    assert found == []
    reports = {path.parent.name[0]: path.read_text() for path in out.glob("*/grader.json")}
    assert sorted(reports) == ["a", "b", "c"]
    assert "\\\\x1b]52;c;" in reports["a"]  # the file name, shown (JSON-escaped once)
    assert "symbolic link" in reports["b"] and "\\\\x1b]0;pwned\\\\x07" in reports["b"]
    assert "\\\\x01\\\\x1bc" in reports["c"]  # its line of code, shown


def test_grade_check_shows_hostile_text_as_text(tmp_path):
    """`grade check` prints each failed check's message in a rich table: the sequences are
    made visible and rich markup is shown, not obeyed (an unbalanced ``[/]`` used to stop it
    with a MarkupError)."""
    path = tmp_path / f"check{IN_A_NAME}.py"
    path.write_text(assemble(CORPUS / "control_characters.py"))
    shutil.copy(RELEASED / "one_hidden_layer" / "one_hidden_layer_checks.py", tmp_path)
    done = run_cli("check", "--assignment", "one_hidden_layer", str(path), cwd=tmp_path)
    console = done.stdout + done.stderr
    assert done.returncode == 1, console.decode(errors="replace")[-3000:]  # its checks fail
    assert control_characters_in("grade check", console) == []
    text = console.decode()
    assert "Traceback" not in text and "Passing the self-check is not your grade" in text
    assert "[bold red]RICH[/bold red]" in text
    assert "\\x1b]52;c;" in text

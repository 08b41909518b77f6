"""Notebooks from the single source, made by nbgrader itself in a real course directory.

:func:`source_notebook` turns ``solutions/<name>/reference.py`` into an nbgrader *source*
notebook: the module docstring and each function's docstring (its formulas and shapes) as
markdown, each function as a solution cell (its ``### BEGIN SOLUTION`` regions are
nbgrader's own markers), a locked public check cell after each graded function
(:func:`grader.selfcheck.check_here`, which runs the released ``<name>_checks.py`` beside
the notebook), and, for nbgrader courses, one autograded test cell
per hidden test, worth the test's points. A test cell holds no hidden block: the student's
kernel could patch anything such a block relies on. Its points come from the grader, which
grades the notebook outside the kernel (:mod:`grader.course.nbgrader_autograde`, set up in
the course's ``nbgrader_config.py``); so its released source equals its source, and nbgrader
finds every checksum unchanged.

:func:`make_course` writes a course directory and :func:`nbgrader` runs nbgrader's own
command line in it (``generate_assignment``, ``autograde``, ``generate_feedback``).
:func:`release_notebook` makes ``assignments/<name>/<stem>.ipynb`` that way. nbgrader is a
``release``/``test`` extra, imported only by the subprocesses that run it.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from grader.course.public_release import released_checks, released_public
from grader.course.stubs import written_if_changed
from grader.errors import UsageError
from grader.loading.assignment import load_assignment, provided_modules, solutions_dir
from grader.public import released_name

COURSE_ID = "backprop"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
KEPT_CELL_METADATA = ("nbgrader", "editable", "deletable")


def plain_cell(cell, cell_id: str):
    """A cell nbgrader does not track, with a stable id (so regenerating changes nothing)."""
    cell["id"] = cell_id.replace("_", "-")
    return cell


def nbgrader_cell(cell, grade_id: str, *, solution=False, grade=False, locked=False,
                  points=None):
    cell.metadata["nbgrader"] = {"grade": grade, "grade_id": grade_id, "locked": locked,
                                 "schema_version": 3, "solution": solution, "task": False}
    if points is not None:
        cell.metadata["nbgrader"]["points"] = points
    cell["id"] = grade_id.replace("_", "-")
    return cell


def is_formula(line: str) -> bool:
    """Docstrings align formulas and shapes in columns; prose has single spaces."""
    return re.search(r"\S\s{2,}\S", line.strip()) is not None


def docstring_markdown(node: ast.FunctionDef, header: str) -> str:
    """The function's docstring as markdown: prose as paragraphs, formulas as code."""
    blocks, prose, formulas = [f"## `{header}`"], [], []
    for line in (ast.get_docstring(node) or "").splitlines() + [""]:
        if line.strip() and is_formula(line):
            if prose:
                blocks.append(" ".join(prose))
                prose = []
            formulas.append(line)
            continue
        if formulas:
            blocks.append("```\n" + "\n".join(formulas) + "\n```")
            formulas = []
        if line.strip():
            prose.append(line.strip())
        elif prose:
            blocks.append(" ".join(prose))
            prose = []
    return "\n\n".join(blocks)


def intro_markdown(title: str, doc: str, student_file: str) -> str:
    notebook_name = Path(student_file).stem + ".ipynb"
    return (f"# {title}\n\n{doc}\n\n"
            "Fill in every `# YOUR CODE HERE` and keep the function names and signatures: "
            "the grader calls them by name. After each function, run its check cell: it "
            "checks shapes and types on random inputs (and, for the backward pass, your "
            "gradients against central differences of your own cost). You can also run "
            f"`grade check {notebook_name}` (after `pip install backprop-grader`). Passing the "
            "checks is **not** your grade: the grader runs hidden tests.\n\n"
            "Only the definitions in this notebook (imports, functions, constants) are "
            "graded; other top-level code, such as training runs or plots, is left out.")


def check_cell(assignment: str, function: str):
    source = ("from grader.selfcheck import check_here\n\n"
              f"check_here({assignment!r}, {function!r}, globals());")
    return nbgrader_cell(new_code_cell(source), f"check_{function}", locked=True)


def graded_cells(spec) -> dict:
    """{grade_id: hidden test} of an nbgrader course's test cells: ``test_<function>_<k>``
    for the k-th test of that function (nbgrader keys their points by grade_id)."""
    cells = {}
    for function in dict.fromkeys(test.function for test in spec.tests):
        for index, test in enumerate(t for t in spec.tests if t.function == function):
            cells[f"test_{function}_{index}"] = test
    return cells


def test_cell(grade_id: str, test):
    """A test cell: it only names its check; the grader scores it from outside the kernel
    (:mod:`grader.course.nbgrader_autograde`), so it has no hidden block to trust."""
    source = (f"# {test.name} ({test.points:g} points): graded by backprop-grader, as `grade`\n"
              "# grades your notebook, when nbgrader autogrades it\n"
              f"assert callable(globals().get({test.function!r})), "
              f"\"run the cell that defines {test.function} first\"")
    return nbgrader_cell(new_code_cell(source), grade_id, grade=True, locked=True,
                         points=test.points)


def end_of(node: ast.stmt, lines: list[str]) -> int:
    """The node's last line, with the indented comments that close it (a function's
    ``### END SOLUTION`` after its final ``return`` is no statement of the AST)."""
    end = node.end_lineno
    while end < len(lines) and lines[end][:1].isspace() and lines[end].lstrip().startswith("#"):
        end += 1
    return end


def source_notebook(name: str, *, solutions=None, autograded: bool = False):
    """The nbgrader source notebook of assignment ``name`` (see the module docstring)."""
    assignment = load_assignment(name, solutions=solutions)
    spec = assignment.spec
    graded = {id(test): grade_id for grade_id, test in graded_cells(spec).items()}
    checks = released_public(assignment)
    source = (assignment.directory / "reference.py").read_text()
    tree = ast.parse(source)
    lines = source.splitlines()
    cells = [plain_cell(new_markdown_cell(intro_markdown(spec.title or name,
                                                            ast.get_docstring(tree) or "",
                                                            spec.student_file)), "intro")]
    setup = []
    for node in tree.body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the module docstring, already in the introduction
        start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        code = "\n".join(lines[start - 1:end_of(node, lines)])
        if not isinstance(node, ast.FunctionDef):
            setup.append(code)
            continue
        if setup:
            cells.append(nbgrader_cell(new_code_cell("\n".join(setup)), f"setup_{len(cells)}",
                                       locked=True))
            setup = []
        header = f"{node.name}({ast.unparse(node.args)})"
        cells.append(plain_cell(new_markdown_cell(docstring_markdown(node, header)),
                                f"about_{node.name}"))
        has_solution = "### BEGIN SOLUTION" in code
        cells.append(nbgrader_cell(new_code_cell(code), node.name, solution=has_solution,
                                   locked=not has_solution))
        if node.name in checks.functions and checks.of(node.name):
            cells.append(check_cell(name, node.name))
        if autograded:
            for test in (t for t in spec.tests if t.function == node.name):
                cells.append(test_cell(graded[id(test)], test))
    if setup:
        cells.append(nbgrader_cell(new_code_cell("\n".join(setup)), "setup_end", locked=True))
    notebook = new_notebook(cells=cells)
    notebook.metadata = {"kernelspec": dict(KERNELSPEC),
                         "language_info": {"name": "python"}}
    return notebook


def make_course(root: str | os.PathLike, name: str, *, solutions=None,
                autograded: bool = False) -> Path:
    """A course directory at ``root`` with ``source/<name>/<stem>.ipynb``; returns that path."""
    root = Path(root).resolve()
    assignment = load_assignment(name, solutions=solutions)
    spec = assignment.spec
    notebook = source_notebook(name, solutions=solutions, autograded=autograded)
    target = root / "source" / name / (Path(spec.student_file).stem + ".ipynb")
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(target))
    for module in provided_modules(assignment):  # public helpers: released with the notebook
        (target.parent / module.name).write_text(module.read_text())
    # the check cells' public checks, released beside the notebook
    (target.parent / released_name(name)).write_text(released_checks(assignment))
    config = ("c = get_config()\n"
              f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
              f"c.CourseDirectory.root = {str(root)!r}\n"
              f"c.CourseDirectory.db_url = {('sqlite:///' + str(root / 'gradebook.db'))!r}\n")
    if autograded:  # test cells scored by the grader (from where it found the solutions now)
        config += (
            "from grader.course.nbgrader_autograde import autograde_preprocessors\n"
            "c.Autograde.autograde_preprocessors = autograde_preprocessors()\n"
            f"c.GradeSubmission.solutions = {str(solutions_dir(solutions).resolve())!r}\n")
    (root / "nbgrader_config.py").write_text(config)
    return target


def nbgrader(root: str | os.PathLike, *args: str, env: dict | None = None,
             timeout: float = 600) -> subprocess.CompletedProcess:
    """Run ``nbgrader ARGS`` (its real command line) in the course directory ``root``."""
    command = [sys.executable, "-m", "nbgrader", *args, "--force"]
    try:
        done = subprocess.run(command, cwd=root, capture_output=True, text=True,
                              env={**os.environ, **(env or {})}, timeout=timeout)
    except FileNotFoundError as exc:
        raise UsageError(f"could not run nbgrader: {exc}") from None
    if done.returncode != 0:
        if "No module named nbgrader" in done.stderr:
            raise UsageError("nbgrader is not installed: pip install 'backprop-grader[release]'")
        raise RuntimeError(f"nbgrader {' '.join(args)} failed ({done.returncode}):\n"
                           f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done


def normalised(text: str) -> str:
    """A notebook's text without what changes between runs or tools (versions, ids of
    tools), so a regenerated notebook compares equal to the committed one."""
    notebook = json.loads(text)
    notebook["metadata"] = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    for cell in notebook["cells"]:
        cell["metadata"] = {k: v for k, v in cell.get("metadata", {}).items()
                            if k in KEPT_CELL_METADATA}
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def released_notebook(name: str, *, solutions=None) -> str:
    """The student notebook of ``name``, made by ``nbgrader generate_assignment``."""
    with tempfile.TemporaryDirectory(prefix="bpg-course-") as root:
        source = make_course(root, name, solutions=solutions)
        nbgrader(root, "generate_assignment", name)
        return normalised((Path(root) / "release" / name / source.name).read_text())


def release_notebook(name: str, *, solutions=None, dest: str | os.PathLike = "assignments",
                     write: bool = True) -> list[Path]:
    """Write ``dest/<name>/<stem>.ipynb``; returns the files changed (or that would be)."""
    spec = load_assignment(name, solutions=solutions).spec
    target = Path(dest) / name / (Path(spec.student_file).stem + ".ipynb")
    return written_if_changed(target, released_notebook(name, solutions=solutions), write=write)

"""Turn a student's notebook into the Python source the worker loads, without running it.

The grader reads the ``.ipynb`` JSON (through nbformat for versions before 4) and keeps,
from every code cell, only what defines the graded functions; nothing of the notebook runs
here, and no kernel is started. The rule (documented in the README):

- cells starting with a cell magic (``%%time``, ``%%bash``...) are dropped whole;
- line magics, shell escapes and help lines (``%matplotlib inline``, ``!pip install x``,
  ``files = !ls``, ``np.dot?``) become ``pass``;
- of the top-level statements, only definitions and cheap statements are kept: ``import``
  (the worker skips one that fails, as in a ``.py`` file, so a helper module missing on the
  grading machine costs only what needs it; imports of the grader itself, which only the
  notebook's check cells use, are dropped),
  ``def``, ``class``, and assignments of constants (``n_h = 4``, ``sizes = (2, 4, 1)``,
  ``sigmoid = lambda z: ...``). Every other top-level statement (calls, loops, training
  runs, prints, exploratory code that raises) is dropped;
- a cell that does not parse (also: nested too deeply for the parser) is dropped too; what
  it defines at top level is noted, so a check of such a function says "cell 31 of
  alice.ipynb does not parse (SyntaxError at line 4: ...), so nn_model is not defined"
  instead of costing every other function its points.

Lines of the generated source map back to cells, so errors read
``backprop.ipynb, cell 7, line 3``.
"""

from __future__ import annotations

import ast
import io
import json
import re
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass, field

MAGIC_LINE = re.compile(r"^(\s*)(?:[%!]|[\w.]+(?:\s*,\s*[\w.]+)*\s*=\s*[%!])")
HELP_LINE = re.compile(r"^(\s*)[\w.]+\?{1,2}\s*$")
DEFINES = re.compile(r"^(?:async\s+def|def|class)\s+(\w+)", re.M)


class NotebookError(ValueError):
    """The file is not a notebook the grader can read."""


@dataclass
class NotebookSource:
    """The source sent to the worker, and where each of its lines came from."""

    filename: str
    source: str
    origins: list[tuple[int, int]] = field(default_factory=list)  # per line: (cell, line)
    dropped: list[str] = field(default_factory=list)  # what was left out, for the report
    # a name defined in a cell that does not parse -> why the submission has no such name
    unparsed: dict[str, str] = field(default_factory=dict)

    def locate(self, line: int) -> str:
        """``backprop.ipynb, cell 7, line 3`` for line ``line`` (1-based) of the source."""
        if isinstance(line, int) and 1 <= line <= len(self.origins):
            cell, cell_line = self.origins[line - 1]
            return f"{self.filename}, cell {cell}, line {cell_line}"
        return self.filename


def read_notebook(text: str, filename: str) -> list[dict]:
    """The notebook's cells as dicts with "cell_type" and "source" (a string); runs nothing.

    Version 4 notebooks (what Jupyter has written since 2015) are read as the plain JSON they
    are: importing nbformat pulls in jsonschema, which takes up to 2 s where its format
    checkers are installed (nbgrader installs them), more than grading a whole class of .py
    files. Older versions go through nbformat, which upgrades them.
    """
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:  # RecursionError: JSON nested thousands deep
        raise NotebookError(f"{filename} is not a readable notebook: {exc}") from None
    if isinstance(data, dict) and data.get("nbformat") == 4 and isinstance(data.get("cells"), list):
        cells = [cell for cell in data["cells"] if isinstance(cell, dict)]
        for cell in cells:
            source = cell.get("source", "")
            if isinstance(source, list) and not all(isinstance(s, str) for s in source):
                raise NotebookError(f"{filename} is not a readable notebook: a cell's source "
                                    "is not text")
            cell["source"] = "".join(source) if isinstance(source, list) else str(source)
        return cells
    import nbformat

    try:
        return nbformat.reads(text, as_version=4).cells
    except Exception as exc:  # nbformat raises several kinds for broken JSON or schema
        raise NotebookError(f"{filename} is not a readable notebook: {type(exc).__name__}: "
                            f"{str(exc)[:200]}") from None


def continued_lines(code: str) -> set[int]:
    """Lines that continue a statement: inside brackets or a multi-line string. A ``%`` or
    ``!`` there is Python (``% 2``, a docstring), not IPython syntax."""
    continued, depth, previous_end = set(), 0, 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            row, end_row = token.start[0], token.end[0]
            if depth > 0 and row > previous_end:
                continued.update(range(previous_end + 1, row + 1))
            continued.update(range(row + 1, end_row + 1))  # a string spanning lines
            if token.type == tokenize.OP and token.string in "([{":
                depth += 1
            elif token.type == tokenize.OP and token.string in ")]}":
                depth = max(0, depth - 1)
            previous_end = end_row
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass  # what was read so far is still right
    return continued


def without_magics(cell_source: str) -> str | None:
    """The cell with IPython-only lines replaced by ``pass``; None for a cell magic."""
    if cell_source.lstrip().startswith("%%"):
        return None
    source_lines = cell_source.splitlines()
    if not any(MAGIC_LINE.match(line) or HELP_LINE.match(line) for line in source_lines):
        return "\n".join(source_lines)  # the usual cell: no need to tokenize it
    continued = continued_lines(cell_source)
    lines = []
    for number, line in enumerate(source_lines, 1):
        match = None if number in continued else MAGIC_LINE.match(line) or HELP_LINE.match(line)
        lines.append(f"{match.group(1)}pass" if match else line)
    return "\n".join(lines)


def is_constant(node: ast.AST) -> bool:
    """A value that costs nothing to compute: literals, lambdas, and arithmetic on them.

    Walked with a list, not by recursion: a cell may hold a sum of thousands of terms, which
    ``ast.parse`` nests thousands deep, past Python's recursion limit.
    """
    pending = [node]
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Constant, ast.Lambda)):
            continue
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            pending += node.elts
        elif isinstance(node, ast.Dict):
            if any(key is None for key in node.keys):  # {**other}
                return False
            pending += node.keys + node.values
        elif isinstance(node, ast.UnaryOp):
            pending.append(node.operand)
        elif isinstance(node, ast.BinOp) and not isinstance(node.op, ast.Pow):  # 10**10**10
            pending += (node.left, node.right)
        else:
            return False
    return True


def imports_grader(node: ast.Import | ast.ImportFrom) -> bool:
    """The check cells' ``from grader.selfcheck import check_here``: not the student's code."""
    names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
        [alias.name for alias in node.names]
    return any(name == "grader" or name.startswith("grader.") for name in names)


def binds_names(target: ast.expr) -> bool:
    """``x`` or ``x, (y, z)``: a definition. ``obj.attr`` or ``obj[k]`` changes an object the
    cell got from elsewhere (perhaps from a dropped statement): not one."""
    if isinstance(target, (ast.Tuple, ast.List)):
        return all(binds_names(element) for element in target.elts)
    return isinstance(target, ast.Name)


def kept(node: ast.stmt) -> bool:
    """Whether a top-level statement is kept: imports (but the grader's own), definitions,
    constants bound to names."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return not imports_grader(node)
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    if isinstance(node, ast.Assign) and is_constant(node.value):
        return all(binds_names(target) for target in node.targets)
    return (isinstance(node, ast.AnnAssign) and binds_names(node.target)
            and (node.value is None or is_constant(node.value)))


def first_line(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])


def notebook_source(text: str, filename: str) -> NotebookSource:
    """The loadable source of notebook ``text`` (the rule is in this module's docstring)."""
    result = NotebookSource(filename, "")
    out: list[str] = []
    for cell_number, cell in enumerate(read_notebook(text, filename), 1):
        if cell.get("cell_type") != "code":
            continue
        for line, cell_line in cell_lines(cell.get("source", ""), cell_number, result):
            out.append(line)
            result.origins.append((cell_number, cell_line))
    result.source = "\n".join(out) + "\n"
    return result


def cell_lines(source: str, cell_number: int,
               notes: NotebookSource) -> Iterator[tuple[str, int]]:
    """(line, its line in the cell) for what is kept of one code cell; what is left out is
    noted in ``notes.dropped`` (and what an unparsable cell defines, in ``notes.unparsed``)."""
    dropped = notes.dropped
    code = without_magics(source)
    if code is None:
        dropped.append(f"cell {cell_number}: a cell magic")
        return
    lines = code.splitlines()
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        # RecursionError and MemoryError: nested too deep for the parser (a sum of
        # thousands of terms); ValueError: a null byte, before Python 3.12
        why = (f"SyntaxError at line {error.lineno}: {error.msg}"
               if isinstance(error, SyntaxError) else "nested too deeply")
        dropped.append(f"cell {cell_number}: does not parse ({why})")
        for name in DEFINES.findall(code):
            notes.unparsed.setdefault(name, f"cell {cell_number} of {notes.filename} does not "
                                            f"parse ({why}), so {name} is not defined")
        return
    for node in tree.body:
        if kept(node):
            yield from statement_lines(code, lines, node)
        else:
            dropped.append(f"cell {cell_number}, line {first_line(node)}: "
                           f"{type(node).__name__.lower()}")


def statement_lines(code: str, lines: list[str], node: ast.stmt) -> Iterator[tuple[str, int]]:
    """(line, its line in the cell) of one kept statement."""
    start, end = first_line(node), node.end_lineno
    if start == end:  # only this statement, even if others share its line (`a = 1; f()`)
        yield ast.get_source_segment(code, node), start
    else:
        yield from ((lines[number - 1], number) for number in range(start, end + 1))

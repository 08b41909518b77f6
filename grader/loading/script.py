"""A student's ``.py`` file as the worker loads it: the definitions, without the script.

Students keep the course's driver code at the bottom of their file (load the data, train for
10000 iterations, plot, print the accuracy). The grader calls their functions itself, so
that code is not needed, costs seconds per worker (and again after every restart), and any
line of it that raises would cost every function its points. The rule is the notebooks'
(:mod:`grader.loading.notebook`): of the top-level statements, imports, definitions and
constants run; every other statement is *script code* and does not run, unless a function
(or a kept statement) reads a name it binds: ``n_x = X.shape[0]`` used as a global in a
function runs, and so does ``X, Y = load_planar_dataset()`` it needs. What is left out
keeps its lines (they become blank), so every line number the student reads is their own.

Parsed here, in the grader's process; nothing runs here.
"""

from __future__ import annotations

import ast
import builtins
import symtable
from dataclasses import dataclass, field

from grader.isolation.calling import bound_names
from grader.loading.notebook import first_line, imports_grader, kept

BUILTINS = frozenset(dir(builtins))
SHOWN = 3  # script statements named in the note; the rest are counted


@dataclass
class ScriptSource:
    """The source the worker loads, and the script statements left out of it."""

    source: str
    not_run: list[tuple[int, str]] = field(default_factory=list)  # (line, statement)

    def note(self, shown: str) -> str | None:
        """One sentence for the report, naming the first lines left out; None if none."""
        if not self.not_run:
            return None
        named = "; ".join(f"line {line}: `{text}`" for line, text in self.not_run[:SHOWN])
        more = len(self.not_run) - SHOWN
        return (f"{len(self.not_run)} top-level statement(s) of {shown} that only run it as a "
                f"script were left out ({named}{f'; and {more} more' if more > 0 else ''}); "
                "the grader calls your functions itself: imports, definitions, constants "
                "and what your functions read were loaded")


def script_source(source: str) -> ScriptSource:
    """``source`` with its script code blanked out (the rule is in this module's docstring);
    a source that does not parse is returned as it is (its SyntaxError is the student's)."""
    try:
        tree = ast.parse(source)
        needed = set().union(*(globals_read(source, node) for node in tree.body if runs(node)))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ScriptSource(source)
    lines = source.splitlines(True)
    shared = lines_shared(tree.body)
    left_out = []
    for node in reversed(tree.body):
        if runs(node) or needed.intersection(bound_names(node)):
            needed.update(loaded_names(node))
        elif not shared.intersection(range(first_line(node), node.end_lineno + 1)):
            left_out.append(node)
    result = ScriptSource(source)
    for node in reversed(left_out):
        start, end = first_line(node), node.end_lineno
        for number in range(start - 1, end):
            lines[number] = "\n" if lines[number].endswith("\n") else ""
        text = " ".join((ast.get_source_segment(source, node) or "").split())
        result.not_run.append((start, text[:77] + "..." if len(text) > 80 else text))
    result.source = "".join(lines)
    return result


def runs(node: ast.stmt) -> bool:
    """Whether a top-level statement is loaded whatever reads it: imports (the grader's own
    too: a ``.py`` file has no check cells), definitions, constants, a docstring."""
    if isinstance(node, (ast.Import, ast.ImportFrom)) and imports_grader(node):
        return True
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
        return True
    return kept(node)


def globals_read(source: str, node: ast.stmt) -> set[str]:
    """The global names (not builtins) the bodies of a loaded top-level statement read when
    they are called: a function's, a class's, a lambda's."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return set()
    segment = ast.get_source_segment(source, node, padded=True) or ""
    decorators = "".join(f"@{ast.get_source_segment(source, d)}\n" for d in
                         getattr(node, "decorator_list", ()))
    found: set[str] = set()
    pending = list(symtable.symtable(decorators + segment, "<student>", "exec").get_children())
    while pending:
        table = pending.pop()
        pending += table.get_children()
        found.update(symbol.get_name() for symbol in table.get_symbols()
                     if symbol.is_referenced() and symbol.is_global()
                     and symbol.get_name() not in BUILTINS)
    return found


def loaded_names(node: ast.stmt) -> set[str]:
    """The names a top-level statement reads while it runs (a definition: its decorators,
    defaults and bases; its body is read when called, see :func:`globals_read`)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        parts = [*node.decorator_list]
        if isinstance(node, ast.ClassDef):
            parts += [*node.bases, *(keyword.value for keyword in node.keywords)]
        else:
            parts += [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]
    else:
        parts = [node]
    return {n.id for part in parts for n in ast.walk(part)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def lines_shared(body: list[ast.stmt]) -> set[int]:
    """Lines that hold more than one top-level statement (``a = 1; train()``): such a line is
    loaded whole, since blanking it would take a statement that must run with it."""
    seen: dict[int, int] = {}
    for node in body:
        for line in {first_line(node), node.end_lineno}:
            seen[line] = seen.get(line, 0) + 1
    return {line for line, count in seen.items() if count > 1}

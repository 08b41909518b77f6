"""Mutants of a reference solution: small, plausible edits of its solution regions.

Each mutant changes one expression inside a ``### BEGIN SOLUTION`` region: an operator
swapped (+/-, * and /, @ and *), the operands of a non-commutative operator swapped, a factor
or term dropped, a sign flipped or a negation removed, a transpose removed or added, an axis
changed or keepdims dropped, a constant set to 0 or 1 (or an integer moved by one), a
comparison changed, an activation or logarithm swapped for another, a call dropped. A good
hidden test suite makes every mutant lose points, except those that compute the same thing.

A mutant's id names the function and the change (``backward_propagation: A2 - Y -> Y - A2``)
so that a reviewed list of equivalent mutants survives edits elsewhere in the file.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Iterator
from dataclasses import dataclass

from grader.course.stubs import BEGIN, END

SWAPPED_OPERATORS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
                     ast.MatMult: ast.Mult, ast.Pow: ast.Mult}
NON_COMMUTATIVE = (ast.Sub, ast.Div, ast.MatMult, ast.Pow)
SWAPPED_COMPARISONS = {ast.Gt: (ast.GtE, ast.Lt), ast.GtE: (ast.Gt,), ast.Lt: (ast.LtE, ast.Gt),
                       ast.LtE: (ast.Lt,), ast.Eq: (ast.NotEq,), ast.NotEq: (ast.Eq,)}
SWAPPED_CALLS = {"np.log": "np.log10", "np.tanh": "sigmoid", "sigmoid": "np.tanh",
                 "np.sum": "np.mean", "np.zeros": "np.ones", "np.random.randn": "np.random.rand",
                 "np.exp": "np.log"}


@dataclass(frozen=True)
class Mutant:
    id: str  # "<function>: <old> -> <new>", with " (#2)" when the same change repeats
    function: str
    line: int
    source: str


def solution_lines(source: str) -> set[int]:
    """Line numbers strictly inside solution regions."""
    lines, inside = set(), False
    for number, line in enumerate(source.splitlines(), 1):
        marker = line.strip()
        if marker in (BEGIN, END):
            inside = marker == BEGIN
        elif inside:
            lines.add(number)
    return lines


def dotted(node: ast.AST) -> str:
    return ast.unparse(node) if isinstance(node, (ast.Name, ast.Attribute)) else ""


def parsed(text: str) -> ast.expr:
    return ast.parse(text, mode="eval").body


def replacements(node: ast.AST) -> Iterator[tuple[str, ast.AST]]:
    """(kind, new node) for every mutation of ``node`` itself."""
    if isinstance(node, ast.BinOp):
        yield from operator_replacements(node)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        yield "sign", node.operand
    elif isinstance(node, ast.Attribute) and node.attr == "T":
        yield "transpose", node.value
    elif isinstance(node, ast.Compare) and len(node.ops) == 1:
        for swap in SWAPPED_COMPARISONS.get(type(node.ops[0]), ()):
            yield "comparison", ast.Compare(node.left, [swap()], node.comparators)
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        values = {0, 1} | ({node.value + 1, node.value - 1} if type(node.value) is int else set())
        for value in sorted(values - {node.value}):
            yield "constant", ast.Constant(type(node.value)(value))
    elif isinstance(node, ast.Call):
        yield from call_replacements(node)


def operator_replacements(node: ast.BinOp) -> Iterator[tuple[str, ast.AST]]:
    """Operator swapped, operands swapped, either side dropped, a transpose added."""
    swap = SWAPPED_OPERATORS.get(type(node.op))
    if swap:
        yield "operator", ast.BinOp(node.left, swap(), node.right)
    if isinstance(node.op, NON_COMMUTATIVE):
        yield "operands", ast.BinOp(node.right, node.op, node.left)
    yield "dropped", node.left
    yield "dropped", node.right
    if isinstance(node.op, ast.MatMult):
        for side in ("left", "right"):
            operand = getattr(node, side)
            if not (isinstance(operand, ast.Attribute) and operand.attr == "T"):
                new = copy.copy(node)
                setattr(new, side, ast.Attribute(operand, "T", ast.Load()))
                yield "transpose", new


def call_replacements(node: ast.Call) -> Iterator[tuple[str, ast.AST]]:
    """Another function called, the call dropped, keepdims dropped, the other axis."""
    name = dotted(node.func)
    if name in SWAPPED_CALLS:
        yield "call", ast.Call(parsed(SWAPPED_CALLS[name]), node.args, node.keywords)
    if name.startswith(("np.", "sigmoid")) and len(node.args) == 1 and not node.keywords:
        yield "dropped", node.args[0]
    for index, keyword in enumerate(node.keywords):
        rest = node.keywords[:index] + node.keywords[index + 1:]
        if keyword.arg == "keepdims":
            yield "keepdims", ast.Call(node.func, node.args, rest)
        if keyword.arg == "axis" and isinstance(keyword.value, ast.Constant):
            other = ast.keyword("axis", ast.Constant(1 - keyword.value.value))
            yield "axis", ast.Call(node.func, node.args, [*rest[:index], other, *rest[index:]])


def statement_mutations(node: ast.AST) -> Iterator[tuple[str, ast.AST]]:
    """Sign flips of whole assigned values: x = e -> x = -(e)."""
    if isinstance(node, ast.Assign):
        yield "sign", ast.Assign(node.targets, ast.UnaryOp(ast.USub(), node.value))


def replace_child(root: ast.AST, old: ast.AST, new: ast.AST) -> None:
    for parent in ast.walk(root):
        for field, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, field, new)
                return
            if isinstance(value, list) and any(item is old for item in value):
                setattr(parent, field, [new if item is old else item for item in value])
                return
    raise LookupError("node not found")


def enclosing(tree: ast.Module) -> tuple[dict[int, str], dict[int, int]]:
    """For every node (by id): its function's name, and the walk index of its innermost
    statement (ancestors come first in ast.walk, so that index survives a mutation below)."""
    functions, statements = {}, {}
    index_of = {id(node): index for index, node in enumerate(ast.walk(tree))}
    for function in tree.body:
        if isinstance(function, ast.FunctionDef):
            for node in ast.walk(function):
                functions[id(node)] = function.name

    def visit(node: ast.AST, statement: int) -> None:
        if isinstance(node, ast.stmt):
            statement = index_of[id(node)]
        statements[id(node)] = statement
        for child in ast.iter_child_nodes(node):
            visit(child, statement)

    visit(tree, 0)
    return functions, statements


def first_line(node: ast.AST) -> str:
    return ast.unparse(node).splitlines()[0]


def mutants(source: str) -> list[Mutant]:
    """Every mutant of ``source``'s solution regions, in source order, each a whole module."""
    tree = ast.parse(source)
    inside = solution_lines(source)
    functions, statements = enclosing(tree)
    nodes = list(ast.walk(tree))
    found, seen = [], {}
    for index, node in enumerate(nodes):
        if getattr(node, "lineno", None) not in inside:
            continue
        statement = isinstance(node, ast.stmt)
        for kind, new in (statement_mutations(node) if statement else replacements(node)):
            mutated_tree = copy.deepcopy(tree)
            walked = list(ast.walk(mutated_tree))
            new_copy = copy.deepcopy(new)
            replace_child(mutated_tree, walked[index], new_copy)
            ast.fix_missing_locations(mutated_tree)
            before = first_line(nodes[statements[id(node)]])
            after = first_line(new_copy if statement else walked[statements[id(node)]])
            change = f"{functions.get(id(node), '<module>')}: {before} -> {after} [{kind}]"
            seen[change] = seen.get(change, 0) + 1
            ident = change if seen[change] == 1 else f"{change} (#{seen[change]})"
            found.append(Mutant(ident, functions.get(id(node), "<module>"), node.lineno,
                                ast.unparse(mutated_tree) + "\n"))
    return found

"""The ``grade`` command: a thin layer over :mod:`grader.batch` and :mod:`grader.stubs`.

``grade --assignment NAME --out DIR PATH...`` grades (the ``run`` subcommand is implied
when the first argument is not a subcommand's name). Exit codes: 0 grading completed,
whatever the scores; 2 usage error.
"""

from __future__ import annotations

import sys

import click

from grader import __version__
from grader.errors import UsageError


class DefaultGroup(click.Group):
    """A group whose ``run`` subcommand may be left out: ``grade --assignment X ...``."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h",
                                                                     "--version"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="grade")
def main():
    """Grade backpropagation exercises in isolated workers.

    \b
    grade --assignment one_hidden_layer --out reports/ submissions/
    grade release --assignment one_hidden_layer
    """


solutions_option = click.option(
    "--solutions", type=click.Path(file_okay=False),
    help="Folder holding the hidden references [default: $BACKPROP_GRADER_SOLUTIONS or "
         "./solutions].")


@main.command()
@click.option("--assignment", "-a", required=True, help="Assignment name, e.g. one_hidden_layer.")
@click.option("--out", "-o", required=True, type=click.Path(file_okay=False),
              help="Folder for the reports (one subfolder per student).")
@solutions_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Submissions graded at once [default: all cores].")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def run(assignment, out, solutions, jobs, paths):
    """Grade PATHS (.py or .ipynb files, or folders of them); the student id is the file stem."""
    from grader.batch import grade
    from grader.reports.terminal import print_summary

    try:
        rows = grade(assignment=assignment, paths=paths, out=out, solutions=solutions, jobs=jobs)
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    print_summary(rows, title=f"{assignment}: {len(rows)} submission(s), reports in {out}")


@main.command()
@click.option("--assignment", "-a", required=True, help="Assignment name, e.g. one_hidden_layer.")
@solutions_option
@click.option("--dest", type=click.Path(file_okay=False), default="assignments",
              show_default=True, help="Where students' files go (a subfolder per assignment).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the files are out of date.")
def release(assignment, solutions, dest, check):
    """Generate the student files (stubs) from the reference solution."""
    from grader.stubs import release as make_release

    try:
        changed = make_release(assignment, solutions=solutions, dest=dest, write=not check)
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    changed += release_notebook_if_possible(assignment, solutions, dest, check)
    for path in changed:
        click.echo(f"{'out of date' if check else 'wrote'}: {path}")
    if check and changed:
        sys.exit(1)


@main.command()
@click.option("--assignment", "-a", default=None,
              help="Assignment name [default: guessed from the functions the file defines].")
@click.argument("path", type=click.Path())
def check(assignment, path):
    """Check your own backprop.py or .ipynb before handing it in (no hidden solutions needed).

    Shapes and types on random inputs, and a numeric gradient check of your
    backward_propagation against your own forward_propagation and compute_cost. Exit code 1
    when a check fails. Passing it is not your grade.
    """
    from grader.selfcheck import render, self_check

    try:
        report = self_check(path, assignment=assignment)
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    render(report)
    if not report.passed:
        sys.exit(1)


def release_notebook_if_possible(assignment, solutions, dest, check) -> list:
    """The student notebook too, made by nbgrader when it is installed (the release extra)."""
    import importlib.util

    if importlib.util.find_spec("nbgrader") is None:
        click.echo("skipped the notebook: nbgrader is not installed "
                   "(pip install 'backprop-grader[release]')", err=True)
        return []
    from grader.course import release_notebook

    return release_notebook(assignment, solutions=solutions, dest=dest, write=not check)


@main.command()
@click.option("--assignment", "-a", required=True, help="Assignment name, e.g. one_hidden_layer.")
@solutions_option
@click.argument("root", type=click.Path(file_okay=False))
def course(assignment, solutions, root):
    """Write an nbgrader course directory at ROOT whose source notebook has autograded test
    cells (visible tests plus hidden blocks that run the grader's checks).

    \b
    Then, in ROOT (the hidden blocks read the solutions from where this command found them):
      nbgrader generate_assignment ASSIGNMENT && nbgrader autograde ASSIGNMENT
    """
    from grader.course import make_course

    try:
        notebook = make_course(root, assignment, solutions=solutions, autograded=True)
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"wrote: {notebook}")

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
    grade audit --assignment one_hidden_layer --jobs 2
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
    """Grade PATHS (.py files or folders of them); the student id is the file stem."""
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
    for path in changed:
        click.echo(f"{'out of date' if check else 'wrote'}: {path}")
    if check and changed:
        sys.exit(1)


@main.command("audit")
@click.option("--assignment", "-a", required=True, help="Assignment name, e.g. one_hidden_layer.")
@solutions_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Mutants graded at once [default: all cores].")
@click.option("--min-score", type=click.FloatRange(0, 100), default=None,
              help="Exit 1 if the mutation score (in %) is below this.")
def audit_command(assignment, solutions, jobs, min_score):
    """Grade every catalogued mistake and every mutant of the reference; print the score."""
    from grader.audit import audit, render_text

    try:
        report = audit(assignment=assignment, solutions=solutions, jobs=jobs)
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(render_text(report))
    if min_score is not None and 100 * report.score < min_score:
        click.echo(f"mutation score below {min_score:g}%", err=True)
        sys.exit(1)

"""The ``grade`` command: a thin layer over :mod:`grader.batch` and :mod:`grader.stubs`.

``grade --assignment NAME --out DIR PATH...`` grades (the ``run`` subcommand is implied
when the first argument is not a subcommand's name). Exit codes: 0 grading completed,
whatever the scores; 2 usage error.
"""

from __future__ import annotations

import contextlib
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
@click.option("--resume", is_flag=True,
              help="Skip submissions whose reports in --out are complete (after an interruption).")
@click.option("--unsafe", is_flag=True,
              help="Grade even where student code cannot be kept from reading files "
                   "(no Landlock). Reports record which protections were active.")
@click.option("--shard", metavar="K/N", callback=lambda ctx, param, value: parse_shard(value),
              help="Grade only the K-th of N deterministic slices (then `grade merge`).")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def run(assignment, out, solutions, jobs, resume, unsafe, shard, paths):
    """Grade PATHS (.py files or folders of them); the student id is the file stem."""
    from grader.batch import grade
    from grader.progress import progress_for
    from grader.reports.terminal import print_summary

    def warn(text):
        click.secho(f"warning: {text}", fg="yellow", err=True)

    with contextlib.ExitStack() as stack:
        bar = []

        def start(total):
            bar.append(stack.enter_context(progress_for(total)))

        try:
            rows = grade(assignment=assignment, paths=paths, out=out, solutions=solutions,
                         jobs=jobs, resume=resume, unsafe=unsafe, shard=shard, on_start=start,
                         on_result=lambda row: bar[0].advance(), on_warning=warn)
        except UsageError as exc:
            raise click.UsageError(str(exc)) from None
    print_summary(rows, title=f"{assignment}: {len(rows)} submission(s), reports in {out}")


def parse_shard(value):
    if value is None:
        return None
    try:
        k, n = (int(part) for part in value.split("/"))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not of the form K/N, e.g. 2/8") from None
    if not 1 <= k <= n:
        raise click.BadParameter(f"{value}: K must be between 1 and N")
    return k, n


@main.command()
@click.option("--out", "-o", required=True, type=click.Path(file_okay=False),
              help="The class folder: shards' student folders are copied here.")
@click.argument("shards", nargs=-1, type=click.Path(file_okay=False))
def merge(out, shards):
    """Combine the reports of `grade --shard K/N` runs into one class summary."""
    from grader.batch import merge as merge_shards
    from grader.reports.terminal import print_summary

    try:
        rows = merge_shards(out=out, shards=shards)
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    print_summary(rows, title=f"{len(rows)} submission(s) merged into {out}")


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

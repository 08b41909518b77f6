"""The ``grade`` command: a thin layer over :mod:`grader.batch` and :mod:`grader.course.stubs`.

``grade --assignment NAME --out DIR PATH...`` grades (the ``run`` subcommand is implied
when the first argument is not a subcommand's name). Exit codes: 0 grading completed,
whatever the scores; 1 with ``--fail-under PCT`` when a submission scored below PCT (or was
not gradable); 2 usage error; 3 cannot grade safely here (no filesystem layer holds, and no
``--unsafe``).
"""

from __future__ import annotations

import contextlib
import os
import sys

import click

from grader import __version__
from grader.errors import CannotGradeSafely, UsageError


class DefaultGroup(click.Group):
    """A group whose ``run`` subcommand may be left out: ``grade --assignment X ...``."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h",
                                                                     "--version"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"],
                                                 "auto_envvar_prefix": "BACKPROP_GRADER"})
@click.version_option(__version__, prog_name="grade")
@click.pass_context
def main(ctx):
    """Grade backpropagation exercises in isolated workers.

    \b
    grade --assignment one_hidden_layer --out reports/ submissions/
    grade release --assignment one_hidden_layer
    grade audit --assignment one_hidden_layer --jobs 2

    Defaults come from grader.toml or pyproject.toml's [tool.backprop-grader] in the current
    folder, and from BACKPROP_GRADER_<COMMAND>_<OPTION> variables; flags win over both.
    """
    from grader.loading.config import default_map, read_config

    try:
        config, source = read_config()
        ctx.default_map = default_map(ctx.command.commands, config, source)
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None


format_option = click.option(
    "--format", type=click.Choice(["text", "json"]), default="text",
    show_default=True, help="json: the summary as JSON on stdout, for scripts.")


classroom_format_option = click.option(
    "--format", type=click.Choice(["text", "json", "classroom"]), default="text",
    show_default=True, help="json: the summary as JSON on stdout, for scripts. classroom: one "
    "line result=<base64 JSON> for GitHub Classroom's reporter (also appended to "
    "$GITHUB_OUTPUT); the usual output goes to stderr.")


def print_json(data) -> None:
    import json

    click.echo(json.dumps(data, indent=2, default=str))


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
              help="Grading processes, each with its workers on one CPU [default: all cores].")
@click.option("--resume", is_flag=True,
              help="Skip submissions whose reports in --out are complete (after an interruption); "
                   "not-gradable ones are graded again.")
@click.option("--unsafe", is_flag=True, allow_from_autoenv=False,
              help="Grade even where student code cannot be kept from reading files "
                   "(no Landlock). Reports record which protections were active.")
@click.option("--shard", metavar="K/N", callback=lambda ctx, param, value: parse_shard(value),
              help="Grade only the K-th of N deterministic slices (then `grade merge`).")
@click.option("--title", default=None,
              help="The assignment's title in the reports and the canvas.csv column "
                   "[default: the assignment's own title].")
@click.option("--fail-under", type=click.FloatRange(0, 100), default=None, metavar="PCT",
              help="Exit 1 if any submission scores below PCT percent or is not gradable.")
@click.option("--plots/--no-plots", default=True, show_default=True,
              help="Draw each student's decision boundary and cost curve in report.html "
                   "(inline SVG; off also skips the extra nn_model runs the cost curve needs).")
@click.option("--layout", type=click.Choice(["auto", "flat", "canvas", "gradescope", "moodle",
                                             "nbgrader", "classroom"]),
              default="auto", show_default=True,
              help="How PATHS are laid out: auto recognises each platform's export.")
@click.option("--roster", type=click.Path(dir_okay=False), default=None,
              help="A Canvas gradebook export or an id,name,email CSV: canvas.csv gets its "
                   "ids; students without a submission are named.")
@click.option("--missing-score", type=float, default=None,
              help="canvas.csv score for roster students without a submission [default: "
                   "blank, no grade posted].")
@click.option("--feedback", type=click.Choice(["full", "summary", "score"]), default="full",
              show_default=True, help="What students see: messages and named mistakes, "
                                      "pass/fail per check, or the score only.")
@click.option("--due", default=None, metavar="DATETIME",
              help="Due date (ISO 8601; UTC without an offset) for --late-penalty.")
@click.option("--late-penalty", type=click.FloatRange(0, 100), default=None,
              metavar="PCT_PER_DAY", help="Percent of the score taken per started day late.")
@click.option("--extensions", type=click.Path(dir_okay=False), default=None,
              help="CSV of student,due (a date-time or extra days).")
@classroom_format_option
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def run(assignment, out, solutions, jobs, resume, unsafe, shard, title, fail_under, plots,
        layout, roster, missing_score, feedback, due, late_penalty, extensions, format,
        paths):
    """Grade PATHS: .py or .ipynb files, folders of them, or a platform's export (a Canvas,
    Gradescope, Moodle or nbgrader folder, or its .zip; GitHub Classroom's downloaded
    repositories); the student id is the platform's id, else the file stem."""
    from grader.isolation.launcher import start_early

    # the templates start while we import the rest; one file needs one (a second would
    # only compete with our imports for the CPUs)
    one_file = len(paths) == 1 and os.path.isfile(paths[0]) and \
        os.path.splitext(paths[0])[1] in (".py", ".ipynb")
    if format == "classroom" and (not one_file or shard):
        raise click.UsageError("--format classroom reports one submission: pass one .py or "
                               ".ipynb file (and no --shard)")
    start_early(1 if one_file else jobs or os.cpu_count() or 1)
    from dataclasses import asdict

    from grader.batch import grade
    from grader.grading.late import policy as late_policy
    from grader.grading.results import safe_text
    from grader.loading.roster import read_roster
    from grader.progress import progress_for
    from grader.reports.terminal import print_summary

    def warn(text):
        click.secho(f"warning: {text}", fg="yellow", err=True)

    with contextlib.ExitStack() as stack:
        bar = []

        def start(total):
            bar.append(stack.enter_context(progress_for(total)))

        try:
            class_roster = read_roster(roster) if roster else None
            rows = grade(assignment=assignment, paths=paths, out=out, solutions=solutions,
                         jobs=jobs, resume=resume, unsafe=unsafe, shard=shard, on_start=start,
                         on_result=lambda row: bar[0].advance(), on_warning=warn, title=title,
                         plots=plots, layout=layout, feedback=feedback, roster=class_roster,
                         missing_score=missing_score,
                         late=late_policy(due, late_penalty, extensions),
                         inputs=[roster, config_file()])
        except CannotGradeSafely as exc:
            refuse(exc)
        except UsageError as exc:
            raise click.UsageError(str(exc)) from None
    match = roster_match(out, rows, class_roster)
    if format == "classroom":
        report_to_classroom(out, rows[0].student, paths[0])
    if format == "json":
        print_json({"assignment": assignment, "out": str(out),
                    "protected_by": sorted({row.filesystem for row in rows if row.filesystem}),
                    "rows": [asdict(row) for row in rows], **match})
    else:
        print_summary(rows, title=f"{assignment}: {len(rows)} submission(s), reports in {out}"
                      + protected_by(rows), console=stderr_console() if format == "classroom"
                      else None)
        print_roster(match, err=format == "classroom")
    if fail_under is not None:
        below = [row.student for row in rows if below_threshold(row, fail_under)]
        if below:
            click.echo(f"{len(below)} submission(s) below {fail_under:g}% or not gradable: "
                       + ", ".join(map(safe_text, below[:20]))
                       + (" ..." if len(below) > 20 else ""), err=True)
            sys.exit(1)


def stderr_console():
    from rich.console import Console

    return Console(stderr=True)


def publish_to_classroom(data: dict) -> None:
    """The result line on stdout and in $GITHUB_OUTPUT (the step's output ``result``)."""
    from grader.reports.classroom import publish

    try:
        publish(data, echo=click.echo)
    except OSError as exc:
        raise click.ClickException(f"cannot append to $GITHUB_OUTPUT: {exc}") from None


def append_job_summary(report) -> None:
    """On GitHub Actions, the self-check's table on the run's summary page."""
    from grader.reports.classroom import job_summary
    from grader.selfcheck import NOT_THE_GRADE

    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    text = job_summary(report.outcomes, footer=NOT_THE_GRADE,
                       title=f"Self-check of {report.source_file} ({report.assignment})")
    try:
        with open(target, "a", encoding="utf-8") as summary:
            summary.write(text)
    except OSError as exc:
        click.secho(f"warning: cannot append to $GITHUB_STEP_SUMMARY: {exc}", fg="yellow",
                    err=True)


def report_to_classroom(out, student: str, source) -> None:
    """The one graded submission under ``out`` as the Classroom's result."""
    from pathlib import Path

    from grader.reports.classroom import from_submission
    from grader.reports.classwide import read_back

    (graded,) = read_back(Path(out), [student])
    publish_to_classroom(from_submission(graded, source=source))


def config_file() -> str | None:
    """The config file this run's defaults came from, if any (no worker may read it)."""
    from grader.loading.config import read_config

    try:
        return str(read_config()[1] or "") or None
    except UsageError:
        return None


def roster_match(out, rows, roster) -> dict:
    """Roster students without a submission, and submissions not on the roster ({} without
    a roster)."""
    if roster is None:
        return {}
    from pathlib import Path

    from grader.loading.roster import RosterMatch
    from grader.reports.classwide import read_back

    match = RosterMatch.build(roster, read_back(Path(out), [row.student for row in rows]))
    return {"missing": [{"id": p.id, "name": p.name} for p in match.missing],
            "not_on_roster": match.unknown}


def print_roster(match: dict, *, err: bool = False) -> None:
    from grader.grading.results import safe_text

    if match.get("missing"):
        click.echo(f"No submission from {len(match['missing'])} student(s) on the roster: "
                   + ", ".join(safe_text(p["name"] or p["id"]) for p in match["missing"]),
                   err=err)
    if match.get("not_on_roster"):
        click.echo(f"{len(match['not_on_roster'])} submission(s) from students not on the "
                   "roster (left out of canvas.csv): "
                   + ", ".join(map(safe_text, match["not_on_roster"])), err=err)


def refuse(exc: CannotGradeSafely):
    """Exit 3: not a usage error, the machine (or its file modes) cannot keep student code
    from the hidden files."""
    click.secho(f"Error: {exc}", fg="red", err=True)
    sys.exit(exc.exit_code)


def protected_by(rows) -> str:
    """The filesystem layers the workers proved, for the summary's title."""
    layers = sorted({row.filesystem for row in rows if row.filesystem})
    if not layers:
        return ""
    names = {"none": "NOTHING (--unsafe)", "landlock": "Landlock", "view": "a private view",
             "uid": "an unprivileged uid"}
    return "; files protected by " + ", ".join(names.get(layer, layer) for layer in layers)


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
@click.option("--roster", type=click.Path(dir_okay=False), default=None,
              help="As for a run: canvas.csv gets its ids; missing students are named.")
@click.option("--missing-score", type=float, default=None,
              help="canvas.csv score for roster students without a submission.")
@click.option("--mixed-tests", is_flag=True,
              help="Merge even reports graded with different hidden tests (tests_hash).")
@format_option
@click.argument("shards", nargs=-1, type=click.Path(file_okay=False))
def merge(out, roster, missing_score, mixed_tests, format, shards):
    """Combine the reports of `grade --shard K/N` runs into one class summary."""
    from dataclasses import asdict

    from grader.batch import merge as merge_shards
    from grader.loading.roster import read_roster
    from grader.reports.terminal import print_summary

    try:
        class_roster = read_roster(roster) if roster else None
        rows = merge_shards(out=out, shards=shards, roster=class_roster,
                            missing_score=missing_score, mixed_tests=mixed_tests)
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    match = roster_match(out, rows, class_roster)
    if format == "json":
        print_json({"out": str(out), "rows": [asdict(row) for row in rows], **match})
        return
    print_summary(rows, title=f"{len(rows)} submission(s) merged into {out}")
    print_roster(match)


@main.command("moodle-worksheet")
@click.option("--out", "-o", "output", type=click.Path(dir_okay=False), default=None,
              help="Where the filled worksheet goes [default: moodle-worksheet.csv in REPORTS].")
@format_option
@click.argument("worksheet", type=click.Path(exists=True, dir_okay=False))
@click.argument("reports", type=click.Path(exists=True, file_okay=False))
def moodle_worksheet(output, format, worksheet, reports):
    """Fill Moodle's grading worksheet (Download grading worksheet) from REPORTS, for its
    Upload grading worksheet: each participant's score in the Grade column."""
    from pathlib import Path

    from grader.atomic import write_atomic
    from grader.reports.moodle import fill_worksheet, participant_scores

    try:
        filled = fill_worksheet(Path(worksheet).read_text(encoding="utf-8-sig"),
                                participant_scores(Path(reports)))
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    target = Path(output) if output else Path(reports) / "moodle-worksheet.csv"
    write_atomic(target, filled.text)
    if format == "json":
        print_json({"worksheet": str(target), "graded": filled.graded,
                    "not_in_worksheet": filled.not_in_worksheet})
        return
    click.echo(f"{len(filled.graded)} grade(s) filled in {target}")
    if filled.not_in_worksheet:
        click.echo("graded but not in the worksheet (not uploaded): "
                   + ", ".join(filled.not_in_worksheet))


@main.command("similarity")
@click.option("--assignment", "-a", required=True, help="Assignment name, e.g. one_hidden_layer.")
@click.option("--out", "-o", required=True, type=click.Path(file_okay=False),
              help="Folder for similarity.csv and similarity.html (the instructor's).")
@solutions_option
@click.option("--stub", type=click.Path(dir_okay=False), default=None,
              help="The released file whose code is ignored [default: "
                   "assignments/NAME/<the student file>].")
@click.option("--layout", type=click.Choice(["auto", "flat", "canvas", "gradescope", "moodle",
                                             "nbgrader", "classroom"]),
              default="auto", show_default=True)
@click.option("--threshold", type=click.FloatRange(0, 1), default=0.5, show_default=True,
              help="List pairs whose matched share of either file reaches this.")
@format_option
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def similarity_command(assignment, out, solutions, stub, layout, threshold, format, paths):
    """List pairs of submissions whose own code is unusually alike (instructor only)."""
    from grader.course.similarity import similarity

    try:
        pairs = similarity(assignment=assignment, paths=paths, out=out, solutions=solutions,
                           stub=stub, layout=layout, threshold=threshold)
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    if format == "json":
        print_json([{"a": p.a, "b": p.b, "similarity": p.score, "tokens": p.tokens}
                    for p in pairs])
        return
    for pair in pairs:
        click.echo(f"{pair.score:6.1%}  {pair.a}  {pair.b}")
    click.echo(f"{len(pairs)} pair(s) at or above {threshold:.0%}; "
               f"details in {out}/similarity.html")


@main.command()
@format_option
@click.argument("old", type=click.Path(exists=True, file_okay=False))
@click.argument("new", type=click.Path(exists=True, file_okay=False))
def diff(format, old, new):
    """Compare two runs' reports (a regrade): per student, the score change and the checks
    whose outcome changed."""
    from grader.reports.diff import compare, render_text

    changes = compare(old, new)
    if format == "json":
        print_json(changes)
    else:
        click.echo(render_text(changes))


def below_threshold(row, percent: float) -> bool:
    """A not-gradable submission has no score to clear the bar with."""
    from grader.grading.results import NOT_GRADABLE

    if row.status == NOT_GRADABLE:
        return True
    return (100 * row.score / row.max_score if row.max_score else 0.0) < percent


@main.command()
@click.option("--assignment", "-a", required=True, help="Assignment name, e.g. one_hidden_layer.")
@solutions_option
@click.option("--dest", type=click.Path(file_okay=False), default="assignments",
              show_default=True, help="Where students' files go (a subfolder per assignment).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the files are out of date.")
def release(assignment, solutions, dest, check):
    """Generate the student files (stubs) from the reference solution."""
    from grader.course.stubs import release as make_release

    try:
        changed = make_release(assignment, solutions=solutions, dest=dest, write=not check)
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    changed += release_notebook_if_possible(assignment, solutions, dest, check)
    for path in changed:
        click.echo(f"{'out of date' if check else 'wrote'}: {path}")
    if check and changed:
        sys.exit(1)


@main.command("new")
@click.argument("name")
@solutions_option
@click.option("--examples", type=click.Path(file_okay=False), default=None,
              help="Where the example goes [default: examples/ beside the solutions folder].")
@click.option("--dest", type=click.Path(file_okay=False), default="assignments",
              show_default=True, help="Where students' files go (a subfolder per assignment).")
def new_command(name, solutions, examples, dest):
    """Write a working exercise NAME to edit: solutions/NAME/ (reference with one function,
    hidden tests, a named mistake, equivalent mutants, test data) and examples/NAME/, then
    release it. It audits at 100% and grades its example full marks as it is."""
    from grader.course.skeleton import new_exercise
    from grader.course.stubs import release as make_release

    try:
        written = new_exercise(name, solutions=solutions, examples=examples)
        written += make_release(name, solutions=written[0].parent.parent, dest=dest)
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    for path in written:
        click.echo(f"wrote: {path}")
    click.echo(f"next: edit {written[0].parent}/ (docs/authoring.md), then "
               f"`grade release -a {name}` and `grade audit -a {name}`")


@main.command()
@click.argument("reports", type=click.Path(exists=True, file_okay=False))
@click.option("--file", "file", default=None,
              help="The student's file as a path in the repository, to annotate its lines.")
@click.option("--limit", type=click.IntRange(min=0), default=10, show_default=True,
              help="At most this many error annotations (GitHub shows 10 per step).")
def annotate(reports, file, limit):
    """Print GitHub Actions ::error annotations for the failed checks under REPORTS."""
    from pathlib import Path

    from grader.reports.classwide import graded_students, read_back
    from grader.reports.github import annotations

    out = Path(reports)
    for line in annotations(read_back(out, graded_students(out)), file=file, limit=limit):
        click.echo(line)


@main.command()
@click.option("--assignment", "-a", default=None,
              help="Assignment name [default: the released <name>_checks.py beside the file, "
                   "or the one assignment whose every function the file defines].")
@click.option("--checks", type=click.Path(exists=True, dir_okay=False), default=None,
              help="The released <name>_checks.py to run (e.g. the instructor's copy in CI).")
@classroom_format_option
@click.argument("path", type=click.Path())
def check(assignment, checks, format, path):
    """Check your own backprop.py or .ipynb before handing it in (no hidden solutions needed).

    Runs the assignment's released public checks (<name>_checks.py, kept beside your file):
    shapes and types on random inputs, and your backward pass against central differences
    of your own cost. Exit code 1 when a check fails. Passing it is not your grade.

    With --format classroom (GitHub Classroom) the exit code is 0 once the result line is
    written, whatever passed: the reporter fails the run on a failed check.
    """
    from grader.isolation.launcher import start_early

    start_early(1, pinned=False)  # the template imports numpy while we import the rest
    from grader.selfcheck import render, self_check

    try:
        report = self_check(path, assignment=assignment, checks=checks)
    except UsageError as exc:
        if format == "classroom":
            from grader.reports.classroom import error_result

            publish_to_classroom(error_result(f"grade check could not run: {exc}",
                                              name="grade check"))
        raise click.UsageError(str(exc)) from None
    if format == "classroom":
        from grader.reports.classroom import from_outcomes

        render(report, console=stderr_console())
        publish_to_classroom(from_outcomes(report.outcomes, source=path))
        append_job_summary(report)
        return
    if format == "json":
        from dataclasses import asdict

        print_json(dict(asdict(report), passed=report.passed))
    else:
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
    from grader.course.nbgrader_course import release_notebook

    return release_notebook(assignment, solutions=solutions, dest=dest, write=not check)


@main.command()
@click.option("--assignment", "-a", required=True, help="Assignment name, e.g. one_hidden_layer.")
@click.option("--out", "-o", default="autograder.zip", show_default=True,
              type=click.Path(dir_okay=False), help="The zip to upload to Gradescope.")
@solutions_option
@click.option("--wheel", type=click.Path(exists=True, dir_okay=False), default=None,
              help="A built backprop_grader wheel to ship [default: build one from this checkout].")
def bundle(assignment, out, solutions, wheel):
    """Build a Gradescope autograder bundle (setup.sh, run_autograder, grader, hidden solutions)."""
    from grader.course.gradescope_bundle import build_bundle

    try:
        path = build_bundle(assignment=assignment, out=out, solutions=solutions, wheel=wheel)
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"wrote {path}: upload it as the assignment's autograder on Gradescope")


@main.command()
@click.option("--assignment", "-a", required=True, help="Assignment name, e.g. one_hidden_layer.")
@click.option("--root", type=click.Path(file_okay=False), default=None,
              help="The autograder folder [default: $BACKPROP_GRADER_AUTOGRADER_ROOT or "
                   "/autograder].")
@solutions_option
@click.option("--feedback", type=click.Choice(["full", "summary", "score"]), default="full",
              show_default=True, help="What students see in results.json.")
def gradescope(assignment, root, solutions, feedback):
    """Grade ROOT/submission into ROOT/results/results.json (what run_autograder calls)."""
    from grader.course.gradescope_bundle import run as run_autograder

    try:
        path = run_autograder(assignment=assignment, root=root, solutions=solutions,
                              feedback=feedback)
    except CannotGradeSafely as exc:
        refuse(exc)
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"wrote {path}")


@main.command()
@click.option("--assignment", "-a", required=True, help="Assignment name, e.g. one_hidden_layer.")
@solutions_option
@click.argument("root", type=click.Path(file_okay=False))
def course(assignment, solutions, root):
    """Write an nbgrader course directory at ROOT whose source notebook has a test cell per
    hidden test, scored by the grader outside the student's kernel (as `grade` scores it).

    \b
    Then, in ROOT (its nbgrader_config.py names the solutions where this command found them):
      nbgrader generate_assignment ASSIGNMENT && nbgrader autograde ASSIGNMENT
    """
    from grader.course.nbgrader_course import make_course

    try:
        notebook = make_course(root, assignment, solutions=solutions, autograded=True)
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"wrote: {notebook}")


@main.command("audit")
@click.option("--assignment", "-a", required=True, help="Assignment name, e.g. one_hidden_layer.")
@solutions_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Mutants graded at once [default: all cores].")
@click.option("--min-score", type=click.FloatRange(0, 100), default=None,
              help="Exit 1 if the mutation score (in %) is below this.")
@click.option("--strict", is_flag=True,
              help="Exit 1 on any catalogue problem (a mistake not caught or not named, a "
                   "listed check it does not fail, a failed check it does not list) or a wrong "
                   "equivalent-mutant list.")
@format_option
def audit_command(assignment, solutions, jobs, min_score, strict, format):
    """Grade every catalogued mistake and every mutant of the reference; print the score."""
    from grader.course.audit import audit, render_text, strict_problems

    try:
        report = audit(assignment=assignment, solutions=solutions, jobs=jobs)
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    if format == "json":
        from dataclasses import asdict

        print_json(dict(asdict(report), score=report.score))
    else:
        click.echo(render_text(report))
    failed = False
    if min_score is not None and 100 * report.score < min_score:
        click.echo(f"mutation score below {min_score:g}%", err=True)
        failed = True
    problems = strict_problems(report)
    if strict and problems:
        click.echo(f"--strict: {len(problems)} problem(s) in the catalogue or the "
                   "equivalent-mutant list", err=True)
        failed = True
    if failed:
        sys.exit(1)

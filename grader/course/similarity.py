"""``grade similarity``: pairs of submissions whose own code is unusually alike, for the
instructor only (never in a student's report).

Fingerprinting is copydetect's (MIT; winnowing as in MOSS, with pygments' tokens: names,
strings and comments do not count, so renaming variables does not hide a copy). The code of
the released stub (``grade release``'s file) is the boilerplate: fingerprints it holds are
dropped, so students who only kept the stub's code are not alike. The grader reads each file
as it reads one to grade it (regular file, size caps; a notebook's code cells only); nothing
runs. Writes ``similarity.csv`` (every pair at or above the threshold, most alike first) and
``similarity.html`` (those pairs with the matching regions highlighted side by side) into
the output folder.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from grader.atomic import open_atomic, write_atomic
from grader.errors import UsageError

CSV_FILE, HTML_FILE = "similarity.csv", "similarity.html"
NOISE, GUARANTEE = 25, 30  # copydetect's defaults: k-gram length, guaranteed match length
SHOWN_PAIRS = 100  # side-by-side views in similarity.html; the CSV lists every pair
CODE_LIMIT = 200_000  # characters of each file shown


@dataclass
class Pair:
    a: str
    b: str
    similarity: tuple[float, float]  # share of a's and of b's fingerprinted code matched
    tokens: int
    files: tuple[str, str]
    slices: tuple = field(default=(), repr=False)

    @property
    def score(self) -> float:
        return max(self.similarity)


def copydetect():
    try:
        from copydetect import detector, utils
    except ImportError:
        raise UsageError("grade similarity needs copydetect: pip install "
                         "'backprop-grader[similarity]'") from None
    return detector, utils


def code_of(path: Path) -> str:
    """The submission's code, read like a graded one (a notebook: its code cells)."""
    from grader.loading.notebook import notebook_source
    from grader.loading.submission import printable, read_source

    source = read_source(path)
    if path.suffix == ".ipynb":
        return notebook_source(source, printable(path.name)).source
    return source


def fingerprints(submissions, stub: str | None):
    """{student: (CodeFingerprint, shown file)}; files that cannot be read are left out."""
    detector, _ = copydetect()
    window = GUARANTEE - NOISE + 1
    boilerplate = []
    if stub is not None:
        boilerplate = list(detector.CodeFingerprint("stub.py", NOISE, window,
                                                    fp=io.StringIO(stub)).hashes)
    prints, skipped = {}, []
    for submission in submissions:
        if submission.problem:  # e.g. a repository without the assignment's file
            skipped.append(f"{submission.student}: {submission.problem}")
            continue
        try:
            code = code_of(submission.path)
        except Exception as exc:  # rejected, unreadable: not compared, and said
            skipped.append(f"{submission.student}: {exc}")
            continue
        prints[submission.student] = (detector.CodeFingerprint(
            "submission.py", NOISE, window, boilerplate=boilerplate, fp=io.StringIO(code)),
            submission.shown)
    return prints, skipped


def alike_pairs(prints: dict, threshold: float) -> list[Pair]:
    """Every pair whose matched share reaches ``threshold`` for either file, most alike first.
    A pair sharing too few fingerprints to reach it is not compared in full."""
    detector, _ = copydetect()
    students = sorted(prints)
    pairs = []
    for i, a in enumerate(students):
        first = prints[a][0]
        for b in students[i + 1:]:
            second = prints[b][0]
            shared = len(first.hashes & second.hashes)
            least = min(len(first.hashes), len(second.hashes)) or 1
            if not shared or shared / least < threshold / 4:
                continue
            tokens, similarity, slices = detector.compare_files(first, second)
            if max(similarity) >= threshold:
                pairs.append(Pair(a, b, (float(similarity[0]), float(similarity[1])),
                                  int(tokens), (prints[a][1], prints[b][1]), slices))
    return sorted(pairs, key=lambda p: (-p.score, p.a, p.b))


def write_csv(pairs: list[Pair], out: Path) -> Path:
    from grader.reports.cells import number_cell, text_cell

    path = out / CSV_FILE
    with open_atomic(path, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student_a", "student_b", "similarity", "similarity_a",
                         "similarity_b", "tokens", "file_a", "file_b"])
        for pair in pairs:
            writer.writerow([text_cell(pair.a), text_cell(pair.b), number_cell(pair.score),
                             number_cell(pair.similarity[0]), number_cell(pair.similarity[1]),
                             pair.tokens, text_cell(pair.files[0]), text_cell(pair.files[1])])
    return path


def highlighted(fingerprint, slices) -> str:
    """The file's code as HTML, the matched regions in <mark> (the code escaped)."""
    from markupsafe import Markup

    from grader.grading.results import safe_text

    _, utils = copydetect()
    code = fingerprint.raw_code[:CODE_LIMIT]
    if len(slices) == 0 or slices.shape[1] == 0:
        return Markup.escape(safe_text(code))
    # every piece of the code is escaped; only the two tags given here are markup
    text, _ = utils.highlight_overlap(code, slices, "<mark>", "</mark>", escape_html=True)
    return Markup(safe_text(text))


def write_html(pairs: list[Pair], prints: dict, out: Path, *, title: str,
               skipped: list[str], threshold: float) -> Path:
    from grader import __version__
    from grader.reports import jinja

    views = [{"pair": pair,
              "left": highlighted(prints[pair.a][0], pair.slices[0]),
              "right": highlighted(prints[pair.b][0], pair.slices[1])}
             for pair in pairs[:SHOWN_PAIRS]]
    path = out / HTML_FILE
    write_atomic(path, jinja.render("similarity.html.j2", title=title, views=views,
                                    pairs=pairs, compared=len(prints), skipped=skipped,
                                    threshold=threshold, version=__version__))
    return path


def similarity(*, assignment: str, paths, out, solutions=None, stub=None,
               layout: str = "auto", threshold: float = 0.5) -> list[Pair]:
    """Compare every pair of submissions under ``paths``; write the CSV and HTML to ``out``.
    ``stub`` [default: the released file, assignments/<name>/<student file>] is ignored."""
    from grader.loading.assignment import load_assignment
    from grader.loading.layouts import choose, discover_all

    loaded = load_assignment(assignment, solutions=solutions)
    student_file = loaded.spec.student_file
    stub_path = Path(stub) if stub else Path("assignments") / assignment / student_file
    stub_code = code_of(stub_path) if stub_path.is_file() else None
    if stub is not None and stub_code is None:
        raise UsageError(f"no stub at {stub_path}")
    with discover_all(list(paths), layout=layout, assignment=assignment) as found:
        submissions = [choose(s, student_file) for s in found.submissions]
        prints, skipped = fingerprints(submissions, stub_code)
    if stub_code is None:
        skipped.insert(0, f"no released stub at {stub_path}: its code counts as alike "
                          "(pass --stub FILE)")
    pairs = alike_pairs(prints, threshold)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    write_csv(pairs, out)
    write_html(pairs, prints, out, title=loaded.spec.title or assignment, skipped=skipped,
               threshold=threshold)
    return pairs

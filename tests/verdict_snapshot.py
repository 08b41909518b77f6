"""Snapshot every verdict the hidden tests give, to show a rewrite of them changes none.

Grades, for every assignment (or those named), the reference, the correct example, every
variant of its tables in tests/variants*.py (CORRECT_STYLES, FAULTY, MISTAKES,
MORE_SPELLINGS, UNNAMED) and every spelling of every catalogued mistake (the reference with
the mistake's edits applied), and records each check's status, points, message, data and
the mistake named on it, as JSON. Run it before and after changing a tests.py::

    python tests/verdict_snapshot.py --out before.json one_hidden_layer
    ... rewrite solutions/one_hidden_layer/tests.py ...
    python tests/verdict_snapshot.py --out after.json --compare before.json one_hidden_layer

``--compare`` prints every difference and exits 1 if there is one. A submission found not
gradable (a worker that could not start on a busy machine) is graded again, twice at most.
A style that draws from an unseeded generator (one_hidden_layer's
``default_rng_and_prints``) has report data that differ from run to run: judge those by eye.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from conftest import SOLUTIONS, variants_of  # noqa: E402

from grader.grading.mistakes import apply_edits, load_catalogue  # noqa: E402
from grader.grading.results import GRADED  # noqa: E402
from grader.grading.runner import grade_submission  # noqa: E402
from grader.loading.assignment import load_assignment  # noqa: E402
from grader.loading.submission import Submission  # noqa: E402

RETRIES = 2
TABLES = ("CORRECT_STYLES", "FAULTY", "MISTAKES", "MORE_SPELLINGS", "UNNAMED")


def sources(name: str, loaded) -> dict[str, str]:
    """Every submission text the snapshot grades for ``name``, by a stable key."""
    reference = (loaded.directory / "reference.py").read_text()
    found = {"reference": reference}
    try:
        variants = variants_of(name)
    except ModuleNotFoundError:
        variants = None
    if variants is not None:
        found["example"] = variants.CORRECT
        for table in TABLES:
            for key, text in getattr(variants, table, {}).items():
                found[f"{table}:{key}"] = text[1] if isinstance(text, tuple) else text
    catalogue = load_catalogue(loaded)
    for mistake in catalogue.mistakes if catalogue else []:
        for index, edits in enumerate(mistake.all_edits):
            found[f"catalogue:{mistake.id}#{index}"] = apply_edits(reference, edits)
    return found


def snapshot(name: str, jobs: int) -> dict:
    """{submission key: {"status", "score", "checks": {check id: verdict}}} for ``name``."""
    loaded = load_assignment(name, solutions=SOLUTIONS)
    ids = {test.name: test.id for test in loaded.spec.tests}
    texts = sources(name, loaded)
    with tempfile.TemporaryDirectory(prefix="bpg-snapshot-") as scratch:
        def one(item):
            number, (key, text) = item
            path = Path(scratch) / f"s{number}.py"
            path.write_text(text)
            for _ in range(RETRIES + 1):  # not gradable: the machine was busy, not the tests
                result = grade_submission(loaded, Submission(f"s{number}", path))
                if result.status == GRADED:
                    break
            return key, {"status": result.status, "reason": result.reason,
                         "score": result.score, "checks": {
                ids.get(check.name, check.name): {
                    "status": check.status, "points": check.points, "message": check.message,
                    "mistake": (check.mistake or {}).get("id"),
                    "data": json.loads(json.dumps(check.data, default=repr))}
                for check in result.checks}}

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            return dict(pool.map(one, enumerate(texts.items())))


def differences(before: dict, after: dict) -> list[str]:
    found = []
    for name in sorted(before.keys() | after.keys()):
        old, new = before.get(name, {}), after.get(name, {})
        for key in sorted(old.keys() | new.keys()):
            if old.get(key) != new.get(key):
                a, b = old.get(key) or {}, new.get(key) or {}
                checks = sorted((a.get("checks") or {}).keys() | (b.get("checks") or {}).keys())
                changed = [c for c in checks if (a.get("checks") or {}).get(c)
                           != (b.get("checks") or {}).get(c)]
                found.append(f"{name} {key}: {a.get('score')} -> {b.get('score')}; "
                             f"changed checks: {', '.join(changed) or '(status)'}")
                for check in changed[:3]:
                    found.append(f"    {check}: {(a.get('checks') or {}).get(check)}\n"
                                 f"    -> {(b.get('checks') or {}).get(check)}")
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="default: every folder in solutions/")
    parser.add_argument("--out", required=True, help="where to write the snapshot (JSON)")
    parser.add_argument("--compare", help="an earlier snapshot; exit 1 if they differ")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    names = args.assignments or sorted(p.name for p in SOLUTIONS.iterdir()
                                       if (p / "tests.py").is_file())
    result = {name: snapshot(name, args.jobs) for name in names}
    Path(args.out).write_text(json.dumps(result, indent=1, sort_keys=True))
    total = sum(len(v) for v in result.values())
    print(f"graded {total} submissions of {', '.join(names)} -> {args.out}")
    if args.compare:
        before = json.loads(Path(args.compare).read_text())
        before = {name: before.get(name, {}) for name in names}
        found = differences(before, result)
        print("\n".join(found) or "identical verdicts, scores and messages")
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A submission that imports matplotlib gets its workers from a second template that imported
it already (with the Agg backend); every other submission keeps the lean template."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

from grader.isolation.launcher import Launcher, preloads_for
from grader.isolation.session import StudentSession

CORRECT = (EXAMPLES / "correct.py").read_text()
PROBE = '''
import sys as _sys
import time as _time

_started = _time.perf_counter()
import matplotlib.pyplot as plt
IMPORT_SECONDS = _time.perf_counter() - _started


def import_seconds():
    return IMPORT_SECONDS


def backend():
    import matplotlib
    return matplotlib.get_backend()


def draws():
    figure = plt.figure()
    plt.plot([0, 1], [1, 0])
    plt.close(figure)
    return 1
'''
LEAN = '''
def holds_matplotlib():
    import sys
    return "matplotlib" in sys.modules
'''


@pytest.mark.parametrize("source, expected", [
    ("import matplotlib.pyplot as plt\n", ("matplotlib", "matplotlib.pyplot")),
    ("from matplotlib import pyplot as plt\n", ("matplotlib", "matplotlib.pyplot")),
    ("try:\n    import matplotlib\nexcept ImportError:\n    pass\n",
     ("matplotlib", "matplotlib.pyplot")),  # a notebook's guarded import
    ("def f():\n    import matplotlib.pyplot as plt\n", ("matplotlib", "matplotlib.pyplot")),
    ("import numpy as np\n# import matplotlib.pyplot as plt\n", ()),
    ("import matplotlib_venn\n", ()),
    ("x = 'import matplotlib'\n", ()),
])
def test_which_sources_get_the_template_holding_matplotlib(source, expected):
    assert preloads_for(source) == expected


@pytest.fixture(scope="module")
def launcher():
    with Launcher(preloading=True) as launcher:
        yield launcher


def test_a_submission_importing_matplotlib_finds_it_imported_with_agg(launcher):
    with StudentSession(CORRECT + PROBE, "backprop.py", launcher=launcher) as student:
        assert student.loads() is None
        assert student.call("backend") == "Agg"
        # imported in the template: the student's import is a dictionary lookup (a fresh
        # import of matplotlib.pyplot takes a third of a second and more)
        assert student.call("import_seconds") < 0.05
        assert student.call("draws") == 1  # pyplot works in the sandbox
        assert student.launcher is not launcher and student.launcher.parent is launcher


def test_other_submissions_keep_the_lean_template(launcher):
    with StudentSession(CORRECT + PROBE, "backprop.py", launcher=launcher) as student:
        student.loads()  # the variant exists now
    with StudentSession(CORRECT + LEAN, "backprop.py", launcher=launcher) as student:
        assert student.loads() is None
        assert student.call("holds_matplotlib") is False
        assert student.launcher is launcher


def test_the_variant_shares_its_parents_scratch_folders(launcher):
    with StudentSession(CORRECT + PROBE, "backprop.py", launcher=launcher) as student:
        student.loads()
        scratch = student.limits["scratch"]
    with StudentSession(CORRECT + LEAN, "backprop.py", launcher=launcher) as student:
        assert student.limits["scratch"] == scratch  # lent again: taken back by the parent


def notebooks(folder, count: int, first_line: str) -> list:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from grader.loading.submission import discover

    folder.mkdir()
    for i in range(count):
        cells = [new_code_cell(first_line), new_code_cell(CORRECT)]
        nbformat.write(new_notebook(cells=cells), str(folder / f"s{i}.ipynb"))
    return discover([folder])


@pytest.mark.parametrize("first_line, started", [
    ("import matplotlib.pyplot as plt", True), ("import numpy as np", False)])
def test_a_class_of_matplotlib_notebooks_starts_the_variant_with_the_batch(
        tmp_path, first_line, started):
    from grader.batch import start_variants_early
    from grader.isolation.launcher import PRELOADS

    submissions = notebooks(tmp_path / "class", 4, first_line)
    with Launcher(wait=False, preloading=True) as parent:
        start_variants_early(submissions, [parent])
        assert parent.variants == ((PRELOADS["matplotlib"],) if started else ())
        assert (parent.for_source(first_line) is not parent) is started
        assert len(parent.variants) == int(started)  # the early one is the one handed out


def test_one_file_is_not_worth_a_variant():
    """Starting a template holding matplotlib costs more than one worker's own import."""
    with Launcher() as launcher:  # not preloading: grade check, or a batch of one file
        with StudentSession(CORRECT + PROBE, "backprop.py", launcher=launcher) as student:
            assert student.loads() is None
            assert student.launcher is launcher and launcher.variants == ()
            assert student.call("draws") == 1  # the student's own import works as before

"""Notebook submissions: graded without a kernel, only their definitions loaded, errors
located by cell, and the same scores as the .py file with the same functions."""

from __future__ import annotations

import json

import nbformat
import pytest
from conftest import EXAMPLES, SOLUTIONS
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from notebooks import messy_notebook, write
from variants import CORRECT, FAULTY

from grader.isolation.session import StudentSession
from grader.loading.notebook import notebook_source


def verdicts(result):
    return [(check.name, check.points, check.status) for check in result.checks]


@pytest.mark.parametrize("variant", ["correct", "missing_keepdims", "transposed_dW1"])
def test_messy_notebook_scores_like_the_py_file(grade, variant):
    source = CORRECT if variant == "correct" else FAULTY[variant]
    as_py = grade(source, variant)
    as_notebook = grade(messy_notebook(source), variant)
    assert verdicts(as_notebook) == verdicts(as_py)
    assert as_notebook.score == as_py.score
    assert (as_py.score == 100) == (variant == "correct")
    # the training loops, the endless loop and SystemExit never ran (else loading times out)
    assert "I have m" not in as_notebook.output


def test_the_rule_keeps_definitions_and_constants_only():
    notebook = new_notebook(cells=[
        new_markdown_cell("# title"),
        new_code_cell("%matplotlib inline\nimport numpy as np\n!pip install foo"),
        new_code_cell("n_h = 4; train()\nsizes = (2, -n_h, 1)\nlr: float = 1.2\n"
                      "act = lambda z: z\nX = np.zeros(3)\nprint(X)\n"),
        new_code_cell("@staticmethod\ndef f(x):\n    %time y = 1\n    return x\n"
                      "for i in range(10**9):\n    pass\n"),
        new_code_cell("%%bash\necho hi"),
        new_code_cell("def broken(:\n    pass"),
        new_code_cell("this is not python"),
        new_code_cell("from helpers import (a,\n    b)\nbig = 10 ** 10 ** 10"),
        # changes to objects, not definitions: `fake` is bound by a dropped statement
        new_code_cell("fake = make()\nfake.f = lambda: 1\nnp.allclose = lambda *a: True\n"
                      "table[0]: int = 2"),
    ])
    result = notebook_source(nbformat.writes(notebook), "hw.ipynb")
    code = result.source
    assert "import numpy as np" in code and "pip" not in code and "matplotlib" not in code
    assert "n_h = 4\n" in code and "train()" not in code
    assert "sizes = (2, -n_h, 1)" not in code  # refers to a name: not a literal
    assert "lr: float = 1.2" in code and "act = lambda z: z" in code
    assert "np.zeros" not in code and "print(X)" not in code and "range(10**9)" not in code
    assert "@staticmethod\ndef f(x):\n    pass\n    return x" in code
    assert "echo hi" not in code and "this is not python" not in code
    # dropped, and noted: a check of `broken` says why the student's notebook has none
    assert "def broken(:" not in code
    assert result.unparsed["broken"].startswith("cell 6 of hw.ipynb does not parse "
                                                "(SyntaxError at line 1: ")
    assert result.unparsed["broken"].endswith("so broken is not defined")
    # kept as written: the worker skips an import that fails, for .py files too
    assert "from helpers import (a,\n    b)" in code
    assert "10 ** 10 ** 10" not in code
    assert "fake.f = " not in code and "np.allclose" not in code and "table[0]" not in code
    assert result.locate(code.splitlines().index("    return x") + 1) == "hw.ipynb, cell 4, line 4"


def test_a_missing_helper_module_changes_nothing():
    notebook = new_notebook(cells=[new_code_cell("import no_such_helper\nfrom nowhere import x\n"
                                                 "def f():\n    return 1")])
    found = notebook_source(nbformat.writes(notebook), "a.ipynb")
    with StudentSession(found.source, "backprop.py", locate=found.locate) as student:
        assert student.loads() is None  # the worker skipped both imports
        assert student.call("f") == 1
        assert [note.split(" skipped")[0] for note in student.skipped_notes()] == [
            "`import no_such_helper` (a.ipynb, cell 1, line 1)",
            "`from nowhere import x` (a.ipynb, cell 1, line 2)"]


def test_errors_name_the_cell_and_the_line_in_it(grade):
    source = CORRECT.replace("    A1 = np.tanh(Z1)\n",
                             "    A1 = np.tanh(Z1)\n    raise ValueError('oops')\n")
    notebook = messy_notebook(source)
    cell = next(i for i, c in enumerate(notebook.cells, 1) if "def forward_propagation" in c.source)
    line = notebook.cells[cell - 1].source.splitlines().index("    raise ValueError('oops')") + 1
    result = grade(notebook)
    forward = next(c for c in result.failed if c.function == "forward_propagation")
    assert f"(student.ipynb, cell {cell}, line {line}, in forward_propagation" in forward.message


def test_syntax_error_in_a_function_cell_names_the_cell(grade):
    notebook = messy_notebook(CORRECT.replace("def predict(parameters, X):",
                                              "def predict(parameters, X)"))
    cell = next(i for i, c in enumerate(notebook.cells, 1) if "def predict(" in c.source)
    result = grade(notebook)
    # only predict is missing, and its checks say why (the other functions are graded)
    assert {c.function for c in result.failed} == {"predict"}
    assert all(c.message.startswith(f"cell {cell} of student.ipynb does not parse "
                                    "(SyntaxError at line 1: ")
               and c.message.endswith("so predict is not defined") for c in result.failed)


def test_unreadable_notebook_loses_only_its_own_points(cli, tmp_path):
    (tmp_path / "broken.ipynb").write_text("{ not json")
    (tmp_path / "ok.py").write_text(CORRECT)
    result = cli("-a", "one_hidden_layer", "-o", tmp_path / "out", "--solutions", SOLUTIONS,
                 tmp_path)
    assert result.exit_code == 0, result.output
    broken = json.loads((tmp_path / "out" / "broken" / "grader.json").read_text())
    assert broken["score"] == 0 and "is not a readable notebook" in broken["checks"][0]["message"]
    assert json.loads((tmp_path / "out" / "ok" / "results.json").read_text())["score"] == 100


def test_a_folder_mixing_py_and_ipynb_is_graded_by_stem(cli, tmp_path):
    folder = tmp_path / "submissions"
    folder.mkdir()
    (folder / "ada.py").write_text(CORRECT)
    write(messy_notebook(CORRECT), folder / "grace.ipynb")
    write(messy_notebook((EXAMPLES / "keepdims.py").read_text()), folder / "alan.ipynb")
    result = cli("-a", "one_hidden_layer", "-o", tmp_path / "out", "--solutions", SOLUTIONS,
                 folder)
    assert result.exit_code == 0, result.output
    scores = {s: json.loads((tmp_path / "out" / s / "results.json").read_text())["score"]
              for s in ("ada", "grace", "alan")}
    assert scores == {"ada": 100, "grace": 100, "alan": 96}


def test_a_py_and_an_ipynb_with_the_same_stem_are_both_graded(cli, tmp_path):
    (tmp_path / "ada.py").write_text((EXAMPLES / "keepdims.py").read_text())
    write(messy_notebook(CORRECT), tmp_path / "ada.ipynb")
    result = cli("-a", "one_hidden_layer", "-o", tmp_path / "out", "--solutions", SOLUTIONS,
                 tmp_path)
    assert result.exit_code == 0, result.output  # a file name never refuses a batch
    graded = {json.loads((tmp_path / "out" / s / "grader.json").read_text())["source_file"]:
              json.loads((tmp_path / "out" / s / "results.json").read_text())["score"]
              for s in ("ada", "ada-2")}
    assert graded == {str(tmp_path / "ada.ipynb"): 100, str(tmp_path / "ada.py"): 96}


def test_percent_and_bang_inside_python_are_not_magics():
    cell = ('def f(x):\n    """Share of x.\n%d items\n!important\n    """\n    return (x\n'
            '            % 2)\n%time f(3)\nok = !ls')
    notebook = new_notebook(cells=[new_code_cell(cell)])
    code = notebook_source(nbformat.writes(notebook), "a.ipynb").source
    assert "%d items\n!important" in code and "            % 2)" in code
    assert "%time" not in code and "!ls" not in code
    namespace: dict = {}
    exec(compile(code, "a", "exec"), namespace)  # a test of the generated text, not student code
    assert namespace["f"](5) == 1


def test_the_check_cells_grader_imports_do_not_reach_the_worker():
    source = nbformat.writes(nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import numpy as np\nfrom grader.selfcheck import check_here\n"
                                  "import grader\ncheck_here('one_hidden_layer', 'f', globals())"),
        nbformat.v4.new_code_cell("def f(x):\n    return np.tanh(x)\n")]))
    text = notebook_source(source, "backprop.ipynb").source
    assert "grader" not in text and "import numpy as np" in text and "def f(x):" in text


def test_old_notebook_versions_are_upgraded_by_nbformat():
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import numpy as np\nx = 1\nprint(x)"),
        nbformat.v4.new_code_cell("def f(x):\n    return np.tanh(x)\n")])
    v3 = nbformat.convert(notebook, 3)
    text = nbformat.writes(v3, version=3)
    assert '"nbformat": 3' in text and '"worksheets"' in text
    code = notebook_source(text, "old.ipynb").source
    assert "def f(x):" in code and "x = 1" in code and "print" not in code

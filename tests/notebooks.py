"""Student notebooks as students really write them, made from a .py source with nbformat."""

from __future__ import annotations

import base64
import re

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

# a 1x1 PNG, as a plot output that notebooks carry around
PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")).decode()


def definitions(source: str) -> list[str]:
    """The source split before each top-level def/import (one cell each), parsed or not."""
    return [part.strip() for part in re.split(r"\n(?=def |import |from |class )", source)]


def messy_notebook(source: str) -> nbformat.NotebookNode:
    """A notebook holding ``source``'s functions amid everything real notebooks contain:
    magics, shell escapes, a missing helper module, exploratory cells that raise, a cell
    magic, a slow training loop, outputs with a plot, and markdown."""
    cells = [
        new_markdown_cell("# Planar data classification with one hidden layer"),
        new_code_cell("%matplotlib inline\n!pip install --quiet tqdm\n%load_ext autoreload"),
        new_code_cell("import matplotlib.pyplot as plt\n"
                      "from planar_utils import plot_decision_boundary, load_planar_dataset\n"
                      "from testCases_v2 import *\nimport sklearn.linear_model\n"
                      "np_version = !python -c 'import numpy; print(numpy.__version__)'"),
        new_code_cell("X, Y = load_planar_dataset()\nplt.scatter(X[0, :], X[1, :], c=Y)",
                      outputs=[new_output("display_data", data={"image/png": PNG,
                                                                 "text/plain": "<Figure>"})]),
    ]
    for i, code in enumerate(definitions(source)):
        cells.append(new_code_cell(code))
        if i == 2:  # exploratory cells between the functions
            cells.append(new_code_cell("shape_X = X.shape\nprint('I have m = %d examples' % m)",
                                       outputs=[new_output("error", ename="NameError",
                                                           evalue="name 'm' is not defined",
                                                           traceback=[])]))
            cells.append(new_code_cell("1 / 0  # what happens?"))
            cells.append(new_code_cell("np.dot?"))
    cells += [
        new_code_cell("%%time\nparameters = nn_model(X, Y, n_h=4, num_iterations=10000)"),
        new_code_cell("hidden_layer_sizes = [1, 2, 3, 4, 5, 20, 50]\n"
                      "for n_h in hidden_layer_sizes:\n"
                      "    parameters = nn_model(X, Y, n_h, num_iterations=5000)\n"
                      "    plot_decision_boundary(lambda x: predict(parameters, x.T), X, Y)"),
        new_code_cell("import time\nwhile True:\n    time.sleep(1)  # a training run left going"),
        new_code_cell("raise SystemExit('done')"),
        new_markdown_cell("**Interpretation**: larger models fit the training set better."),
    ]
    notebook = new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    return notebook


def write(notebook: nbformat.NotebookNode, path) -> None:
    nbformat.write(notebook, str(path))


def fill_in(notebook: nbformat.NotebookNode, source: str) -> nbformat.NotebookNode:
    """A released notebook as a student hands it in: each solution cell (nbgrader's
    ``solution`` flag) replaced by the function of the same name from ``source``."""
    functions = {}
    for part in definitions(source):
        match = re.match(r"def (\w+)\(", part)
        if match:
            functions[match.group(1)] = part
    done = nbformat.from_dict(notebook)
    for cell in done.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            name = re.match(r"def (\w+)\(", cell.source).group(1)
            cell.source = functions[name]
    return done

"""backprop-grader: grade backpropagation exercises in isolated workers.

The package holds no hidden solutions: it is installed by students too. Kept free of
imports so that workers start fast; the Python API is :func:`grader.batch.grade`.
"""

__version__ = "0.1.0"

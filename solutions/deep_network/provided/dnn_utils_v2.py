"""The same helpers as dnn_utils, under the name older versions of the exercise import.

Public, given to students with the assignment; nothing here is graded.
"""

from dnn_utils import relu, relu_backward, sigmoid, sigmoid_backward

__all__ = ["relu", "relu_backward", "sigmoid", "sigmoid_backward"]

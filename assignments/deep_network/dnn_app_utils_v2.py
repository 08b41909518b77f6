"""The application helpers of dnn_app_utils_v3, under the name older versions of the
course's application import, with their gradient keys: grads["dA" + str(l)] holds dA[l-1].

Public, given to students with the assignment; nothing here is graded.
"""

from dnn_app_utils_v3 import *  # noqa: F403  (the same helpers)
from dnn_app_utils_v3 import linear_activation_backward


def L_model_backward(AL, Y, caches):
    """From dAL = -(Y / AL - (1 - Y) / (1 - AL)) back to layer 1: dA, dW[l], db[l]."""
    grads, L = {}, len(caches)
    Y = Y.reshape(AL.shape)
    dA = -(Y / AL - (1 - Y) / (1 - AL))
    for l in reversed(range(1, L + 1)):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(
            dA, caches[l - 1], "sigmoid" if l == L else "relu")
        grads[f"dA{l}"] = dA
    return grads


"""The application helpers of dnn_app_utils_v3, under the name older versions of the
course's application import, with their gradient keys: grads["dA" + str(l)] holds dA[l-1].

Public, given to students with the assignment; nothing here is graded.
"""

from dnn_app_utils_v3 import *  # noqa: F403  (the same helpers)
from dnn_app_utils_v3 import L_model_backward as _L_model_backward_v3


def L_model_backward(AL, Y, caches):
    """Version 3's backward pass, keyed as older versions key it: grads["dA" + str(l)]
    holds dA[l-1] (version 3 keys it "dA" + str(l - 1))."""
    return {(f"dA{int(key[2:]) + 1}" if key.startswith("dA") else key): value
            for key, value in _L_model_backward_v3(AL, Y, caches).items()}

# Public self-checks of scalar_chain, written by `grade release` from its public.py.
# Keep this file beside your scalar_chain.py: `grade check scalar_chain.py` runs it.
# It holds no hidden value.
"""Public self-checks for scalar_chain: the dicts have the right keys and hold numbers, and
the student's gradients agree with central differences of the student's own log_loss of
the student's own forward. Nothing here knows a hidden value."""

from __future__ import annotations

import numpy as np

from grader.public import (
    CheckFailed,
    PublicChecks,
    check_float,
    check_keys,
    fails_if_wrong,
    gradient_table,
)

checks = PublicChecks(
    name="scalar_chain",
    student_file="scalar_chain.py",
    functions=["forward", "log_loss", "gradients", "update"],
)

KEYS = ("W11", "W21", "W12", "W22", "b1", "b2", "w1", "w2", "b")
FORWARD_KEYS = ("z1", "a1", "z2", "a2", "z", "y_hat")


def random_params(seed=0) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    return {key: float(value) for key, value in zip(KEYS, rng.standard_normal(len(KEYS)),
                                                    strict=True)}


def numbers(name: str, got, keys) -> dict[str, float]:
    got = check_keys(name, got, keys)
    return {key: check_float(f"{name}[{key!r}]", got[key]) for key in keys}


@checks.check("returns z1, a1, z2, a2, z, y_hat as numbers; y_hat is a probability",
              function="forward")
def forward(student):
    out = numbers("forward(...)", student.forward(0.5, -1.0, random_params()), FORWARD_KEYS)
    if not 0 < out["y_hat"] < 1:
        raise CheckFailed("y_hat should be strictly between 0 and 1 (a sigmoid)")


@checks.check("returns a positive number", function="log_loss")
def loss(student):
    if not check_float("log_loss(1, 0.3)", student.log_loss(1.0, 0.3)) > 0:
        raise CheckFailed("the log loss is positive when y_hat is strictly between 0 and 1")


@checks.check("a number per parameter; they agree with central differences of your log_loss",
              function="gradients")
def gradients(student):
    x1, x2, y = 0.5, -1.0, 1.0
    start = random_params(1)
    got = numbers("gradients(...)", student.gradients(x1, x2, y, start), KEYS)
    params = {key: np.array(value) for key, value in start.items()}

    def loss_now():
        floats = {key: float(value) for key, value in params.items()}
        y_hat = check_float("y_hat", student.forward(x1, x2, floats)["y_hat"])
        return check_float("the loss", student.log_loss(y, y_hat))

    grads = {"d" + k: np.array(v) for k, v in got.items()}
    return fails_if_wrong(gradient_table(loss_now, params, grads, KEYS), "log_loss")


@checks.check("returns a number per parameter", function="update")
def update(student):
    params = random_params(2)
    numbers("update(...)", student.update(params, dict.fromkeys(KEYS, 1.0), 0.1), KEYS)

# Added by `grade release`: the exercise as the hidden spec knows it.
checks.released(**{'name': 'scalar_chain',
 'student_file': 'scalar_chain.py',
 'functions': ['forward', 'log_loss', 'gradients', 'update'],
 'points': {'forward': 28, 'log_loss': 8, 'gradients': 52, 'update': 12},
 'timeouts': {},
 'provided': ()})

"""Red team: nn_model fits the data without training (least squares on the labels, turned
into a tanh/sigmoid network), ignoring num_iterations; every other function is a stub. Its
parameters classify the blobs, but they do not descend from an initialisation: the nn_model
checks fail, and so does everything else.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__


def _stub(*args, **kwargs):
    raise NotImplementedError


initialize_parameters = forward_propagation = compute_cost = _stub
backward_propagation = update_parameters = predict = _stub


def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False):
    n_x, m = X.shape
    design = np.vstack([X, np.ones((1, m))])
    w, *_ = np.linalg.lstsq(design.T, 2 * Y.T - 1, rcond=None)  # a separating direction
    W1 = np.tile(w[:n_x].T, (n_h, 1)) * 3
    b1 = np.full((n_h, 1), float(w[n_x, 0]) * 3)
    W2 = np.full((Y.shape[0], n_h), 10.0 / n_h)
    b2 = np.zeros((Y.shape[0], 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}

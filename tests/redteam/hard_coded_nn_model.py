"""Red team: nn_model returns hard-coded weights that separate the blobs, whatever
num_iterations says, with zero biases (so an "initialisation" check that looked only at the
biases would pass); every other function is a stub. Its weights are not an initialisation and
its cost never falls: the nn_model checks fail, and so does everything else.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__


def _stub(*args, **kwargs):
    raise NotImplementedError


initialize_parameters = forward_propagation = compute_cost = _stub
backward_propagation = update_parameters = predict = _stub


def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False):
    n_x, n_y = X.shape[0], Y.shape[0]
    return {"W1": np.full((n_h, n_x), 2.0), "b1": np.zeros((n_h, 1)),
            "W2": np.full((n_y, n_h), 4.0), "b2": np.zeros((n_y, 1))}

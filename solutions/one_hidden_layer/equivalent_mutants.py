"""Mutants of reference.py reviewed as equivalent: they compute what the contract asks for.

``grade audit --assignment one_hidden_layer`` leaves these out of the mutation score and
lists them with their reason; one that loses points anyway is reported (the list is wrong,
or a hidden test rejects a correct answer). Keys are the ids ``grade audit`` prints.
"""

NEGATED_DRAW = ("the negative of a normal draw centred on 0 is an equally valid draw: the "
                "contract asks for small random weights, not particular numbers")
NEGATIVE_ZERO = "-np.zeros(...) is all -0.0, which equals 0: the biases are still zero"
PRINT_ONLY = ("changes only when nn_model prints the cost (print_cost=True), never what it "
              "returns; printing is for the student and is not graded")

EQUIVALENT = {
    "initialize_parameters: W1 = np.random.randn(n_h, n_x) * 0.01 -> "
    "W1 = -(np.random.randn(n_h, n_x) * 0.01) [sign]": NEGATED_DRAW,
    "initialize_parameters: W2 = np.random.randn(n_y, n_h) * 0.01 -> "
    "W2 = -(np.random.randn(n_y, n_h) * 0.01) [sign]": NEGATED_DRAW,
    "initialize_parameters: b1 = np.zeros((n_h, 1)) -> b1 = -np.zeros((n_h, 1)) [sign]":
        NEGATIVE_ZERO,
    "initialize_parameters: b2 = np.zeros((n_y, 1)) -> b2 = -np.zeros((n_y, 1)) [sign]":
        NEGATIVE_ZERO,
    "predict: predictions = (A2 > 0.5).astype(int) -> predictions = (A2 >= 0.5).astype(int) "
    "[comparison]": "differs only where A2 is exactly 0.5, which the sigmoid of a sum of "
                    "random real products reaches with probability 0",
    **{f"nn_model: if print_cost and i % 1000 == 0: -> if print_cost and {after}": PRINT_ONLY
       for after in ("i % 1000 != 0: [comparison]", "i == 0: [dropped]",
                     "1000 == 0: [dropped]", "i % 1000 == -1: [constant]",
                     "i % 1000 == 1: [constant]", "i % 0 == 0: [constant]",
                     "i % 1 == 0: [constant]", "i % 999 == 0: [constant]",
                     "i % 1001 == 0: [constant]")},
}

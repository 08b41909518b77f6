"""From a student's replies to a score: the test specification, the checks (shape, value,
gradient), running them per submission, naming mistakes, and the results model."""

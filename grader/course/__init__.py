"""Tools for instructors around an assignment: releasing stubs and notebooks, nbgrader
courses, the Gradescope bundle, and the mutation audit of the hidden tests."""

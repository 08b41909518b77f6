"""Reading inputs in the grader: submissions (files, notebooks, student ids) and assignments
(the hidden reference and test specification). No student code runs here."""

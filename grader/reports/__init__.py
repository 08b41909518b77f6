"""Report formats, each rendered from :class:`grader.grading.results.SubmissionResult`."""

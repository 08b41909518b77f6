"""Report formats, each rendered from :class:`grader.results.SubmissionResult`."""

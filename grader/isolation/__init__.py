"""The trust boundary: everything that starts, sandboxes and talks to the processes running
student code (launcher, template, worker, sandbox, wire, session). It imports nothing else
from ``grader``, so what crosses the boundary can be read in one folder."""

#!/usr/bin/env bash
# Grade a student's repository in CI: reports, job summary, annotations, exit status.
#
# Configured by environment variables (the workflows in this folder set them):
#   ASSIGNMENT   the assignment, e.g. one_hidden_layer                      (required)
#   SOLUTIONS    the folder holding the hidden solutions, fetched by the job (required)
#   SUBMISSION   the student's file, a path in the repository   [default: backprop.py]
#   REPORTS      where the reports go                        [default: grader-reports]
#   FAIL_UNDER   fail the job when the score is below this percentage     [default: none]
#   TITLE        the assignment's title in the reports                    [default: its own]
#   GRADE        the grade command                                        [default: grade]
# On GitHub Actions, summary.md is appended to $GITHUB_STEP_SUMMARY and every failed check
# becomes an ::error annotation on the student's file. Exit status: grade's own (0 graded,
# 1 below FAIL_UNDER or not gradable, 2 usage error).
set -uo pipefail

: "${ASSIGNMENT:?set ASSIGNMENT to the assignment name}"
: "${SOLUTIONS:?set SOLUTIONS to the folder holding the hidden solutions}"
SUBMISSION="${SUBMISSION:-backprop.py}"
REPORTS="${REPORTS:-grader-reports}"
read -r -a GRADE_CMD <<< "${GRADE:-grade}"

args=(run --assignment "$ASSIGNMENT" --solutions "$SOLUTIONS" --out "$REPORTS")
if [ -n "${FAIL_UNDER:-}" ]; then args+=(--fail-under "$FAIL_UNDER"); fi
if [ -n "${TITLE:-}" ]; then args+=(--title "$TITLE"); fi

"${GRADE_CMD[@]}" "${args[@]}" "$SUBMISSION"
status=$?

if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$REPORTS/summary.md" ]; then
  cat "$REPORTS/summary.md" >> "$GITHUB_STEP_SUMMARY"
fi
if [ -d "$REPORTS" ] && { [ "${GITHUB_ACTIONS:-}" = true ] || [ -n "${GITHUB_STEP_SUMMARY:-}" ]; }; then
  "${GRADE_CMD[@]}" annotate "$REPORTS" --file "$SUBMISSION" || true
fi
exit "$status"

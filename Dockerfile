# The grader in a container, for instructors on macOS or Windows (Docker Desktop, Podman)
# and for CI. Build from this checkout:   docker build -t backprop-grader .
# Grade (your course folder, with solutions/ and the submissions, as /course):
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD":/course backprop-grader \
#       grade --assignment one_hidden_layer --out reports/ submissions/
# The image holds the grader only: the hidden solutions stay in your folder.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MPLCONFIGDIR=/tmp/matplotlib

WORKDIR /src
COPY pyproject.toml README.md ./
COPY grader ./grader
RUN pip install --no-cache-dir . \
    && rm -rf /src \
    && useradd --create-home --uid 1000 --user-group grader

USER 1000:1000
WORKDIR /course
# `docker run IMAGE --assignment ...` and `docker run IMAGE grade --assignment ...` both work
ENTRYPOINT ["sh", "-c", "if [ \"$1\" = grade ]; then shift; fi; exec grade \"$@\"", "grade"]
CMD ["--help"]

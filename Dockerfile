# interview-bot container image.
#
#   docker build -t interview-bot .
#   docker run -d --name interview-bot --env-file .env -v interview-data:/data interview-bot
#
# Stage 1 builds a wheel of the project and installs it, with its dependencies, into a
# virtualenv at /opt/venv. Stage 2 copies only that virtualenv onto a clean base image, so
# no source tree, build tools or pip caches end up in the image. Every dependency ships
# binary wheels for CPython 3.11 on glibc, so no compiler is needed.
#
# Both stages must use the same base image: the venv's interpreter is a symlink to the
# base image's /usr/local/bin/python3.

FROM python:3.11-slim-bookworm AS builder

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_ROOT_USER_ACTION=ignore

WORKDIR /src

# Only what the wheel needs (README.md is the package's long description).
COPY pyproject.toml README.md ./
COPY bot/ bot/
COPY questions/ questions/
COPY storage/ storage/

# The venv gets no pip of its own: the base image's pip installs into it via --python.
RUN python -m venv --without-pip /opt/venv \
    && python -m pip wheel --no-cache-dir --no-deps --wheel-dir /tmp/wheels . \
    && python -m pip --python /opt/venv/bin/python install --no-cache-dir /tmp/wheels/*.whl \
    && rm -rf /tmp/wheels


FROM python:3.11-slim-bookworm

LABEL org.opencontainers.image.title="interview-bot" \
      org.opencontainers.image.description="A Discord bot that runs mock technical interviews and scores answers against concept rubrics."

# DATABASE_URL: SQLite in the /data volume unless overridden (compose.yaml points it at
# PostgreSQL). INTERVIEW_BOT_HOME is the fallback if DATABASE_URL is set but empty.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH="/opt/venv/bin:${PATH}" \
    DATABASE_URL="sqlite+aiosqlite:////data/interview-bot.db" \
    INTERVIEW_BOT_HOME=/data

RUN groupadd --system --gid 10001 interview \
    && useradd --system --uid 10001 --gid interview --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin interview \
    && mkdir /data \
    && chown interview:interview /data

# Owned by root and read-only for the bot user: only /data is writable.
COPY --from=builder /opt/venv /opt/venv

WORKDIR /data
USER 10001:10001
VOLUME ["/data"]

# No HEALTHCHECK: the bot serves nothing over HTTP and talks to Discord over an outbound
# websocket, so there is nothing local to probe; a crash exits the process and the restart
# policy takes over.

# Migrate first (a failure stops the start with a one-line error), then `exec` so the bot
# replaces the shell as PID 1 and receives SIGTERM from `docker stop` directly.
STOPSIGNAL SIGTERM
CMD ["sh", "-c", "interview-bot db upgrade && exec interview-bot run"]

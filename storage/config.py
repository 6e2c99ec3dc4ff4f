"""Where the database lives: one rule shared by the bot, the CLI, Alembic and the tests."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from storage.errors import StorageError

DATABASE_URL_VAR = "DATABASE_URL"
HOME_VAR = "INTERVIEW_BOT_HOME"
APP_NAME = "interview-bot"
DATABASE_FILENAME = "interview.db"

_POSTGRES_DRIVERS = {"postgresql", "postgres", "postgresql+asyncpg"}
_SQLITE_DRIVERS = {"sqlite", "sqlite+aiosqlite"}
_EXAMPLES = "postgresql://user@host:5432/dbname or sqlite:///path/to/interview.db"


def resolve_database_url(env: Mapping[str, str] = os.environ) -> str:
    """Pick the database URL from the environment so every entry point agrees on it.

    An empty variable counts as unset, because compose files and CI often export `VAR=`.
    """
    raw = env.get(DATABASE_URL_VAR, "").strip()
    if raw:
        return normalise_database_url(raw, source=DATABASE_URL_VAR)
    directory = default_directory(env)
    assert directory is not None
    return sqlite_url(directory / DATABASE_FILENAME)


def default_directory(env: Mapping[str, str] = os.environ) -> Path | None:
    """Where the default SQLite file lives, or None when DATABASE_URL names the database.

    Only this directory is ever created on first use: a path someone typed must exist, so a
    typo fails instead of quietly starting an empty database somewhere else.
    """
    if env.get(DATABASE_URL_VAR, "").strip():
        return None
    home = env.get(HOME_VAR, "").strip()
    return Path(home).expanduser() if home else Path(platformdirs.user_data_dir(APP_NAME))


def sqlite_url(path: Path) -> str:
    """Build an aiosqlite URL for a file path without hand-formatting slashes."""
    return URL.create("sqlite+aiosqlite", database=str(path)).render_as_string(hide_password=False)


def normalise_database_url(raw: str, *, source: str = "the database URL") -> str:
    """Map the URL spellings people paste onto the async drivers storage actually uses.

    `source` names where the URL came from, so the error tells the user what to fix.
    Errors never echo the URL itself: it may carry a password.
    """
    try:
        url = make_url(raw.strip())
    except ArgumentError:
        raise StorageError(f"{source} is not a valid database URL; use {_EXAMPLES}") from None
    driver = url.drivername.lower()
    if driver in _POSTGRES_DRIVERS:
        url = url.set(drivername="postgresql+asyncpg")
    elif driver in _SQLITE_DRIVERS:
        if not url.database or url.database == ":memory:" or url.database.startswith("file::"):
            raise StorageError(
                f"{source} must name a SQLite file (sqlite:///path/to/interview.db); "
                "in-memory databases are not supported"
            )
        url = url.set(drivername="sqlite+aiosqlite")
    else:
        raise StorageError(
            f"{source} uses the unsupported scheme {url.drivername!r}; use {_EXAMPLES}"
        )
    return url.render_as_string(hide_password=False)


def redact(url: str) -> str:
    """Render a URL for logs and messages with any password masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid URL>"


def describe_location(url: str) -> str:
    """Where the data lives, for people: the file path for SQLite, else the masked URL."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "<invalid URL>"
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        return parsed.database
    return redact(url)

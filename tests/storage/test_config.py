"""URL resolution: the one place that decides which database the bot writes to."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest
from sqlalchemy.engine import make_url

from storage import Database, StorageError, resolve_database_url
from storage.config import normalise_database_url


def _sqlite_path(url: str) -> Path:
    parsed = make_url(url)
    assert parsed.drivername == "sqlite+aiosqlite"
    return Path(parsed.database or "")


def test_database_url_wins_over_home(tmp_path: Path) -> None:
    env = {
        "DATABASE_URL": "postgresql://bot:pw@db.example:5433/interviews",
        "INTERVIEW_BOT_HOME": str(tmp_path),
    }
    assert resolve_database_url(env) == "postgresql+asyncpg://bot:pw@db.example:5433/interviews"


def test_home_variable_places_sqlite_file(tmp_path: Path) -> None:
    url = resolve_database_url({"INTERVIEW_BOT_HOME": str(tmp_path / "home")})
    assert _sqlite_path(url) == tmp_path / "home" / "interview.db"


def test_platformdirs_fallback_when_nothing_is_set() -> None:
    expected = Path(platformdirs.user_data_dir("interview-bot")) / "interview.db"
    assert _sqlite_path(resolve_database_url({})) == expected


def test_empty_variables_count_as_unset(tmp_path: Path) -> None:
    url = resolve_database_url({"DATABASE_URL": "  ", "INTERVIEW_BOT_HOME": str(tmp_path)})
    assert _sqlite_path(url) == tmp_path / "interview.db"
    fallback = Path(platformdirs.user_data_dir("interview-bot")) / "interview.db"
    assert _sqlite_path(resolve_database_url({"INTERVIEW_BOT_HOME": ""})) == fallback


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("postgresql://u@h:5432/db", "postgresql+asyncpg://u@h:5432/db"),
        ("postgres://u:p@h/db", "postgresql+asyncpg://u:p@h/db"),
        ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("sqlite:///relative/interview.db", "sqlite+aiosqlite:///relative/interview.db"),
        ("sqlite:////abs/interview.db", "sqlite+aiosqlite:////abs/interview.db"),
        ("sqlite+aiosqlite:////abs/interview.db", "sqlite+aiosqlite:////abs/interview.db"),
    ],
)
def test_urls_are_normalised_to_async_drivers(raw: str, expected: str) -> None:
    assert resolve_database_url({"DATABASE_URL": raw}) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "mysql://u:secret@h/db",
        "postgresql+psycopg2://u:secret@h/db",
        "http://example.com/",
        "not a url at all",
        "sqlite://",
        "sqlite:///:memory:",
    ],
)
def test_unusable_urls_raise_one_line_naming_the_variable(raw: str) -> None:
    with pytest.raises(StorageError) as caught:
        resolve_database_url({"DATABASE_URL": raw})
    message = str(caught.value)
    assert "DATABASE_URL" in message
    assert "\n" not in message
    assert "secret" not in message
    assert "Traceback" not in message


def test_database_normalises_and_reports_dialect(tmp_path: Path) -> None:
    pg = Database("postgres://u:secret@h/db")
    assert pg.url == "postgresql+asyncpg://u:secret@h/db"
    assert pg.dialect == "postgresql"
    assert "secret" not in repr(pg)
    lite = Database(f"sqlite:///{tmp_path}/x.db")
    assert lite.dialect == "sqlite"
    assert lite.url.startswith("sqlite+aiosqlite:///")


def test_database_from_environment_uses_the_same_rule(tmp_path: Path) -> None:
    db = Database.from_environment({"INTERVIEW_BOT_HOME": str(tmp_path)})
    assert _sqlite_path(db.url) == tmp_path / "interview.db"


def test_bad_url_given_to_database_directly_is_a_storage_error() -> None:
    with pytest.raises(StorageError):
        Database("oracle://x/y")


def test_normalise_names_its_source() -> None:
    with pytest.raises(StorageError, match="--db"):
        normalise_database_url("nope://", source="--db")

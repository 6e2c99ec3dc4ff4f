"""Persistence: SQLAlchemy async models, repositories and Alembic migrations."""

from storage.config import resolve_database_url
from storage.database import Database
from storage.errors import ConflictError, StorageError
from storage.models import (
    Attempt,
    Base,
    CustomQuestion,
    Guild,
    InterviewSession,
    ReviewSchedule,
    User,
    UTCDateTime,
)
from storage.repositories import (
    UNSET,
    AttemptRepository,
    CustomQuestionRepository,
    GuildRepository,
    ReviewRepository,
    SessionRepository,
    Unset,
    UserRepository,
)

__all__ = [
    "UNSET",
    "Attempt",
    "AttemptRepository",
    "Base",
    "ConflictError",
    "CustomQuestion",
    "CustomQuestionRepository",
    "Database",
    "Guild",
    "GuildRepository",
    "InterviewSession",
    "ReviewRepository",
    "ReviewSchedule",
    "SessionRepository",
    "StorageError",
    "UTCDateTime",
    "Unset",
    "User",
    "UserRepository",
    "resolve_database_url",
]

"""Persistence: SQLAlchemy async models, repositories and Alembic migrations."""

from storage.config import resolve_database_url
from storage.database import Database
from storage.errors import ConflictError, StorageError
from storage.habit_models import DailyAnswer, DailyPost, DailySchedule, UserHabits
from storage.models import (
    Attempt,
    Base,
    CustomQuestion,
    Guild,
    InterviewSession,
    ReviewSchedule,
    Round,
    RoundAnswer,
    RoundParticipant,
    User,
    UTCDateTime,
)
from storage.repositories import (
    UNSET,
    AttemptRepository,
    CustomQuestionRepository,
    GuildRepository,
    ReviewRepository,
    RoundMember,
    RoundRepository,
    RoundTotals,
    SessionRepository,
    Unset,
    UserRepository,
    UserTotals,
)

__all__ = [
    "UNSET",
    "Attempt",
    "AttemptRepository",
    "Base",
    "ConflictError",
    "CustomQuestion",
    "CustomQuestionRepository",
    "DailyAnswer",
    "DailyPost",
    "DailySchedule",
    "Database",
    "Guild",
    "GuildRepository",
    "InterviewSession",
    "ReviewRepository",
    "ReviewSchedule",
    "Round",
    "RoundAnswer",
    "RoundMember",
    "RoundParticipant",
    "RoundRepository",
    "RoundTotals",
    "SessionRepository",
    "StorageError",
    "UTCDateTime",
    "Unset",
    "User",
    "UserHabits",
    "UserRepository",
    "UserTotals",
    "resolve_database_url",
]

"""Repositories: the queries the bot needs, named for what they mean, one module per aggregate.

Each wraps an AsyncSession and only flushes; the caller owns the transaction, so several
repository calls commit or roll back together:

    async with db.session() as s, s.begin():
        user = await UserRepository(s).get_or_create_local("ana")
        await AttemptRepository(s).add(Attempt(user_id=user.id, ...))
"""

from storage.repositories.attempts import AttemptRepository, UserTotals
from storage.repositories.base import UNSET, Unset
from storage.repositories.custom_questions import CustomQuestionRepository
from storage.repositories.daily import DailyAnswerRow, DailyRepository
from storage.repositories.guilds import GuildRepository
from storage.repositories.habits import HabitsRepository
from storage.repositories.mock_blocks import MockBlockRepository
from storage.repositories.mock_queue import MockQueueRepository
from storage.repositories.mock_sessions import GivenTotals, MockSessionRepository
from storage.repositories.reviews import ReviewRepository
from storage.repositories.rounds import (
    ENDED_ROUND_STATUSES,
    RoundMember,
    RoundRepository,
    RoundTotals,
)
from storage.repositories.sessions import SessionRepository
from storage.repositories.users import UserRepository

__all__ = [
    "ENDED_ROUND_STATUSES",
    "UNSET",
    "AttemptRepository",
    "CustomQuestionRepository",
    "DailyAnswerRow",
    "DailyRepository",
    "GivenTotals",
    "GuildRepository",
    "HabitsRepository",
    "MockBlockRepository",
    "MockQueueRepository",
    "MockSessionRepository",
    "ReviewRepository",
    "RoundMember",
    "RoundRepository",
    "RoundTotals",
    "SessionRepository",
    "Unset",
    "UserRepository",
    "UserTotals",
]

"""Which questions exist for a guild, and which of them a session asks.

Lookup reads the shipped bank plus the guild's own questions (the custom pack), so solo
sessions, rounds and authoring all draw from one pool. Selection is pure: unseen questions
first, then the ones due for review.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from questions.loader import PackError, question_from_dict
from questions.model import Question, QuestionBank
from storage.database import Database
from storage.repositories.custom_questions import CustomQuestionRepository

CUSTOM_PACK = "custom"


async def resolve_question(
    database: Database, bank: QuestionBank, question_id: str, guild_id: int | None
) -> Question | None:
    """A shipped question, or the guild's own (even if removed, so history resolves)."""
    question = bank.get(question_id)
    if question is not None or guild_id is None:
        return question
    async with database.session() as session:
        row = await CustomQuestionRepository(session).get(
            guild_id, question_id, include_deleted=True
        )
    if row is None:
        return None
    try:
        return question_from_dict(row.data, CUSTOM_PACK, str(row.updated_at.timestamp()))
    except PackError:
        return None


async def custom_questions(database: Database, guild_id: int) -> list[Question]:
    """The guild's live questions; rows stored before a schema change are skipped."""
    async with database.session() as session:
        rows = await CustomQuestionRepository(session).list(guild_id)
    questions = []
    for row in rows:
        try:
            questions.append(question_from_dict(row.data, CUSTOM_PACK))
        except PackError:
            continue  # history still resolves it through resolve_question
    return questions


async def question_candidates(
    database: Database,
    bank: QuestionBank,
    guild_id: int | None,
    *,
    pack: str | None = None,
    topic: str | None = None,
    difficulty: str | None = None,
) -> list[Question]:
    """The bank's questions matching the filters, then the guild's own that match too.

    Shared by solo sessions and study-group rounds so both draw from the same pool.
    """
    candidates = bank.select(pack=pack, topic=topic, difficulty=difficulty)
    if guild_id is not None and pack in (None, CUSTOM_PACK):
        candidates += [
            question
            for question in await custom_questions(database, guild_id)
            if (topic is None or question.topic == topic)
            and (difficulty is None or question.difficulty == difficulty)
        ]
    return candidates


def nothing_matches(pack: str | None, topic: str | None, difficulty: str | None) -> str:
    """The NoQuestions message naming the filters that matched nothing."""
    wanted = [
        f"{label} '{value}'"
        for label, value in (("pack", pack), ("topic", topic), ("difficulty", difficulty))
        if value
    ]
    return "No questions match " + (" and ".join(wanted) or "your filters") + "."


def choose_questions(
    candidates: Sequence[Question],
    *,
    seen: set[str],
    due_at: Mapping[str, datetime],
    now: datetime,
    count: int,
) -> list[Question]:
    """Pick up to `count` questions from `candidates`, keeping their bank order among equals.

    Unseen questions come first; then seen ones that are due, most overdue first; if that is
    still short, the rest by how soon they fall due, so a session is never cut short while
    the bank has questions to ask.
    """
    unseen = [q for q in candidates if q.id not in seen]
    seen_questions = [q for q in candidates if q.id in seen]
    far_future = datetime.max.replace(tzinfo=now.tzinfo)
    by_due = sorted(seen_questions, key=lambda q: due_at.get(q.id, far_future))
    due = [q for q in by_due if q.id in due_at and due_at[q.id] <= now]
    later = [q for q in by_due if q not in due]
    return (unseen + due + later)[: max(0, count)]


def due_questions(
    candidates: Sequence[Question], *, due_at: Mapping[str, datetime], now: datetime, count: int
) -> list[Question]:
    """Only the questions due for review, most overdue first (the review mode)."""
    due = [q for q in candidates if q.id in due_at and due_at[q.id] <= now]
    return sorted(due, key=lambda q: due_at[q.id])[: max(0, count)]

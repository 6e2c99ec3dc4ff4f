"""Shared data for the guild question authoring tests: guild ids, forms, packs and row readers."""

from __future__ import annotations

from typing import Any

import yaml
from sqlalchemy import select

from bot.engine.authoring import QuestionAuthoring, QuestionForm
from questions.model import Concept, Misconception, Question
from storage.database import Database
from storage.models import CustomQuestion

GUILD_A, GUILD_B = 1001, 2002

GOOD = (
    "I would put a caching layer in front of the database so repeated reads come from memory, "
    "and invalidate the cached entry on every write so readers never see stale data for long."
)


def make_form(**overrides: str) -> QuestionForm:
    fields = {
        "prompt": "How would you design a cache for a read-heavy API?",
        "topic": "Caching / hard",
        "model_answer": "Put a caching layer in front of the database; invalidate on writes.",
        "concepts": "Caching*: cache, caching layer\nInvalidation: invalidate, expire",
        "tips": "Mention invalidation.\nMention TTLs.",
    }
    fields.update(overrides)
    return QuestionForm(**fields)


def rich_question(qid: str = "rich-one") -> Question:
    """A question with everything the add/edit modal cannot show."""
    return Question(
        id=qid,
        topic="caching",
        difficulty="medium",
        prompt="Explain cache stampedes — and how to avoid them in a café app.",
        model_answer="Many clients miss at once and all hit the database; use locks or jitter.",
        tips=("Name the cause.", "Name a fix."),
        source="our server",
        rubric=(
            Concept("Stampede", ("stampede", "thundering herd"), 3.0, True),
            Concept("Jitter", ("jitter", "random expiry"), 0.5),
        ),
        misconceptions=(
            Misconception("Caches never go stale", ("never stale",), "They do.", 20.0),
        ),
        hints=("Think about expiry.",),
        follow_ups=("What about write-through?",),
        pack="custom",
    )


def pack_yaml(questions: list[dict[str, Any]], pack: str = "ours") -> bytes:
    document = {"pack": pack, "title": "Ours", "description": "Ours.", "questions": questions}
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True).encode("utf-8")


def simple_question(qid: str, prompt: str = "What is a cache and why use one?") -> dict[str, Any]:
    return {
        "id": qid,
        "topic": "caching",
        "difficulty": "easy",
        "prompt": prompt,
        "model_answer": "A cache keeps copies of hot data close to the reader.",
        "tips": ["Say what it costs."],
        "source": "us",
    }


async def stored_rows(database: Database, guild_id: int) -> list[tuple[str, bool]]:
    """(question_id, deleted) for every row of the guild, live or removed."""
    async with database.session() as session:
        rows = (
            await session.execute(
                select(CustomQuestion.question_id, CustomQuestion.deleted_at.is_not(None))
                .where(CustomQuestion.guild_id == guild_id)
                .order_by(CustomQuestion.question_id)
            )
        ).all()
    return [(row[0], bool(row[1])) for row in rows]


async def custom_dicts(service: QuestionAuthoring, guild_id: int) -> list[dict[str, Any]]:
    return [q.to_dict() for q in await service.list(guild_id, pack="custom")]

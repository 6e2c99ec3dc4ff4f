"""The study-group round service: open a lobby, join, begin, and take answers.

Answers are stored unscored and may be replaced until the question's deadline; closing
(see closing.py) scores them. Answers go through the process's writer (answering.py).
Consistency between a submit and a close racing each other comes from locking order, not
from the version: a submit batch reads the round share-locked (PostgreSQL) or under SQLite's
write lock, and a close changes the round before it reads the answers.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.exc import IntegrityError

from bot.engine.errors import (
    NoQuestions,
    RoundClosed,
    RoundError,
    RoundExists,
)
from bot.engine.rounds.answering import RoundAnswers
from bot.engine.rounds.rules import (
    CHANGED,
    DEFAULT_LOBBY,
    DEFAULT_QUESTIONS,
    DEFAULT_SECONDS,
    MAX_LOBBY,
    MAX_QUESTIONS,
    MAX_RETRIES,
    MAX_SECONDS,
    MIN_LOBBY,
    MIN_QUESTIONS,
    MIN_SECONDS,
    check_range,
    not_in_lobby,
)
from bot.engine.rounds.views import RoundView
from bot.engine.selection import nothing_matches, question_candidates
from storage.models import Round
from storage.repositories.rounds import RoundRepository


class RoundService(RoundAnswers):
    """Runs study-group rounds; every state lives in the database."""

    async def create(
        self,
        guild_id: int,
        channel_id: int,
        starter_user_id: int | None,
        *,
        topic: str | None = None,
        difficulty: str | None = None,
        questions: int = DEFAULT_QUESTIONS,
        seconds: int = DEFAULT_SECONDS,
        lobby: int = DEFAULT_LOBBY,
    ) -> RoundView:
        """Open a lobby in `channel_id` with `questions` questions drawn at random.

        The starter is not joined automatically: they join like everyone else.
        """
        check_range("Questions", questions, MIN_QUESTIONS, MAX_QUESTIONS)
        check_range("Seconds", seconds, MIN_SECONDS, MAX_SECONDS)
        check_range("Lobby", lobby, MIN_LOBBY, MAX_LOBBY)
        existing = await self.active_in_channel(channel_id)
        if existing is not None:
            raise RoundExists(existing)
        candidates = await question_candidates(
            self.database, self.bank, guild_id, topic=topic, difficulty=difficulty
        )
        unique = list({question.id: question for question in candidates}.values())
        if not unique:
            raise NoQuestions(nothing_matches(None, topic, difficulty))
        chosen = self.rng.sample(unique, min(questions, len(unique)))
        now = self.clock()
        row = Round(
            guild_id=guild_id,
            channel_id=channel_id,
            starter_user_id=starter_user_id,
            status="lobby",
            filters={"topic": topic, "difficulty": difficulty},
            question_ids=[question.id for question in chosen],
            position=0,
            seconds=seconds,
            lobby_seconds=lobby,
            lobby_deadline=now + timedelta(seconds=lobby),
            version=0,
            created_at=now,
        )
        try:
            async with self.database.session() as session:
                await RoundRepository(session).add(row)
                await session.commit()
        except IntegrityError:
            # Another /round start in this channel won the race (one active per channel).
            existing = await self.active_in_channel(channel_id)
            if existing is None:
                raise
            raise RoundExists(existing) from None
        return await self.get(row.id)

    async def join(self, round_id: int, user_id: int) -> RoundView:
        """Join the lobby; joining twice changes nothing (the first join time stays)."""
        await self._change_membership(round_id, user_id, joining=True)
        return await self.get(round_id)

    async def leave(self, round_id: int, user_id: int) -> RoundView:
        """Leave the lobby; leaving when not joined changes nothing. Not possible once begun."""
        await self._change_membership(round_id, user_id, joining=False)
        return await self.get(round_id)

    async def _change_membership(self, round_id: int, user_id: int, *, joining: bool) -> None:
        now = self.clock()
        async with self.database.session() as session:
            rounds = RoundRepository(session)
            row = await self._load(session, round_id, share_lock=True)
            if row.status != "lobby":
                raise RoundClosed(not_in_lobby(row))
            if joining:
                await rounds.add_participant(round_id, user_id, now)
            else:
                await rounds.remove_participant(round_id, user_id)
            # Read again under the write: a begin that won meanwhile must not miss this.
            row = await self._load(session, round_id, share_lock=True)
            if row.status != "lobby":
                refused = not_in_lobby(row)  # before the rollback expires the row
                await session.rollback()
                raise RoundClosed(refused)
            await session.commit()

    async def set_messages(
        self,
        round_id: int,
        *,
        thread_id: int | None = None,
        lobby_message_id: int | None = None,
        question_message_id: int | None = None,
    ) -> None:
        """Remember where the round is shown; only the ids given are changed."""
        given = {
            name: value
            for name, value in (
                ("thread_id", thread_id),
                ("lobby_message_id", lobby_message_id),
                ("question_message_id", question_message_id),
            )
            if value is not None
        }
        async with self.database.session() as session:
            await self._load(session, round_id)
            await RoundRepository(session).set_messages(round_id, **given)
            await session.commit()

    async def begin(self, round_id: int) -> RoundView:
        """Start the first question, or cancel the round if nobody joined.

        Safe to call twice or concurrently: a round no longer in its lobby is returned as is.
        """
        for _ in range(MAX_RETRIES):
            now = self.clock()
            async with self.database.session() as session:
                rounds = RoundRepository(session)
                row = await self._load(session, round_id)
                if row.status != "lobby":
                    break
                expected = row.version
                row.status = "running"
                row.position = 0
                row.started_at = now
                row.question_opened_at = now
                row.question_deadline = now + timedelta(seconds=row.seconds)
                if not await rounds.save_if_version(row, expected):
                    await session.rollback()
                    continue
                # Counted only now, with the round changed: a join cannot slip in unseen.
                if not await rounds.participants(round_id):
                    row.status = "cancelled"
                    row.started_at = row.question_opened_at = row.question_deadline = None
                    row.finished_at = now
                    await self._save_held(session, row)
                await session.commit()
                break
        else:
            raise RoundError(CHANGED)
        return await self.get(round_id)

"""Closing a round's question: score every last answer at once, store them, move on.

Whoever closes first (the timer, "everyone answered", /round stop, or the same after a
restart) wins; the others get None. A close changes the round first and reads the answers
afterwards, so every answer is either seen by the close or refused by submit's re-read.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.engine.answers import attempt_values, review_row
from bot.engine.errors import QuestionUnavailable, RoundError
from bot.engine.rounds.reading import RoundReader
from bot.engine.rounds.rules import CHANGED, MAX_RETRIES, most_missed, rank_members
from bot.engine.rounds.views import RankedAnswer, Reveal, RoundView, Standings
from questions.model import Question
from questions.scoring import ScoreResult, score_answer
from storage import hotpath
from storage.models import Round, RoundAnswer
from storage.repositories.rounds import RoundMember, RoundRepository

_Skip = Literal["closed", "retry"]


class RoundCloser(RoundReader):
    """Closes questions and stops rounds; safe under concurrency and after a restart."""

    async def close_question(self, round_id: int, position: int) -> Reveal | None:
        """Score question `position` and move on; None if it was already closed.

        Idempotent and safe under concurrency and after a restart: exactly one caller
        scores the question; the others create nothing.
        """
        return await self._close(round_id, position, stopping=False)

    async def stop(self, round_id: int) -> tuple[Reveal | None, Standings]:
        """End the round now, scoring the open question's answers stored so far.

        Whether the caller may stop it (starter or admin) is the caller's decision.
        """
        reveal: Reveal | None = None
        unscorable = False
        for _ in range(MAX_RETRIES):
            async with self.database.session() as session:
                row = await self._load(session, round_id)
                if row.status == "lobby" or (row.status == "running" and unscorable):
                    # Nothing to score: no question yet, or one that can no longer be scored.
                    expected = row.version
                    row.status = "stopped"
                    row.finished_at = self.clock()
                    row.question_deadline = None
                    if await RoundRepository(session).save_if_version(row, expected):
                        await session.commit()
                        break
                    await session.rollback()
                    continue
                if row.status != "running":
                    break
                position = row.position
            try:
                reveal = await self._close(round_id, position, stopping=True)
            except QuestionUnavailable:
                unscorable = True
                continue
            if reveal is not None:
                break
            # Someone closed that question first; look again at where the round is now.
        else:
            raise RoundError(CHANGED)
        return reveal, await self.standings(round_id)

    async def _close(self, round_id: int, position: int, *, stopping: bool) -> Reveal | None:
        for _ in range(MAX_RETRIES):
            async with self.database.session() as session:
                row = await self._load(session, round_id)
                if row.status != "running" or row.position != position:
                    return None
                # Score what is there before taking the lock, so the lock is held briefly.
                early = await RoundRepository(session).answers(round_id, position)
            question = await self._question(row, position)
            scored = {(a.user_id, a.answer): score_answer(question, a.answer) for a in early}
            outcome = await self._claim_and_score(round_id, position, question, scored, stopping)
            if outcome == "retry":
                continue  # the round changed meanwhile; look again
            if outcome == "closed":
                return None
            members, results, message_id = outcome
            reveal = await self._reveal(round_id, position, question, members, results)
            return replace(reveal, question_message_id=message_id)
        raise RoundError(CHANGED)

    async def _claim_and_score(
        self,
        round_id: int,
        position: int,
        question: Question,
        scored: dict[tuple[int, str], ScoreResult],
        stopping: bool,
    ) -> tuple[list[RoundMember], list[tuple[RoundAnswer, ScoreResult]], int | None] | _Skip:
        """One transaction: advance the round, then store an attempt per answer.

        Returns the members, the scored answers and the closed question's message id;
        "closed" if the question already is;
        "retry" if the version check lost to some other change and the caller should retry.
        """
        now = self.clock()
        async with self.database.session() as session:
            connection = await session.connection()
            await hotpath.begin_write(connection)  # SQLite: the write lock before the read
            rounds = RoundRepository(session)
            row = await self._load(session, round_id)
            if row.status != "running" or row.position != position:
                return "closed"
            expected = row.version
            opened = row.question_opened_at or now
            message_id = row.question_message_id
            self._advance(row, now, stopping)
            if not await rounds.save_if_version(row, expected):
                await session.rollback()
                return "retry"
            # Read only now that the round moved on: every answer committed before is here,
            # and any later one is refused by the answer batch's locked read.
            answers = await rounds.answers(round_id, position)
            members = await rounds.participants(round_id)
            results: list[tuple[RoundAnswer, ScoreResult]] = []
            for answer in answers:
                result = scored.get((answer.user_id, answer.answer))
                results.append((answer, result or score_answer(question, answer.answer)))
            await self._store_scored(connection, row, question, opened, results)
            if row.status == "finished":
                standings = rank_members(members, await rounds.scores(round_id))
                leader = standings[0] if standings else None
                row.winner_user_id = leader.user_id if leader and leader.answered else None
                await self._save_held(session, row)
            await session.commit()
        return members, results, message_id

    @staticmethod
    async def _store_scored(
        connection: AsyncConnection,
        row: Round,
        question: Question,
        opened: datetime,
        results: list[tuple[RoundAnswer, ScoreResult]],
    ) -> None:
        """Every answer's attempt, link and review schedule: one statement per step."""
        attempts = [
            attempt_values(
                question,
                result,
                user_id=answer.user_id,
                guild_id=row.guild_id,
                answer=answer.answer,
                started_at=opened,
                submitted_at=answer.submitted_at,
                round_id=row.id,
            )
            for answer, result in results
        ]
        ids = await hotpath.insert_attempts(connection, attempts)
        answer_ids = [answer.id for answer, _ in results]
        await hotpath.link_attempts(connection, list(zip(answer_ids, ids, strict=True)))
        keys = [(answer.user_id, question.id) for answer, _ in results]
        previous = await hotpath.reviews_for(connection, keys)
        await hotpath.upsert_reviews(
            connection,
            [
                review_row(*key, result.score, answer.submitted_at, previous.get(key))
                for key, (answer, result) in zip(keys, results, strict=True)
            ],
        )

    @staticmethod
    def _advance(row: Round, now: datetime, stopping: bool) -> None:
        row.position += 1
        row.question_message_id = None  # the next question is not posted yet
        if stopping or row.position >= len(row.question_ids):
            row.status = "stopped" if stopping else "finished"
            row.finished_at = now
            row.question_deadline = None
        else:
            row.question_opened_at = now
            row.question_deadline = now + timedelta(seconds=row.seconds)

    async def _reveal(
        self,
        round_id: int,
        position: int,
        question: Question,
        members: list[RoundMember],
        results: list[tuple[RoundAnswer, ScoreResult]],
    ) -> Reveal:
        names = {member.user_id: member.display_name for member in members}
        answered = sorted(results, key=lambda ar: (-ar[1].score, ar[0].submitted_at, ar[0].id))
        ranking = [
            RankedAnswer(a.user_id, names.get(a.user_id, "someone"), r.score, r.band)
            for a, r in answered
        ]
        done = {a.user_id for a, _ in results}
        ranking += [
            RankedAnswer(m.user_id, m.display_name, None, None)
            for m in members
            if m.user_id not in done
        ]
        following = await self.get(round_id)
        return Reveal(
            round_id=round_id,
            position=position,
            number=position + 1,
            total=following.total,
            question=question,
            ranking=tuple(ranking),
            most_missed=most_missed(question, (r for _, r in results)),
            tips=tuple(question.tips),
            next=following,
        )

    # -- announcing: what a front end posted, so a restart posts only what is missing --------

    async def unannounced(self) -> list[RoundView]:
        """Rounds owing a reveal or their standings: the process stopped before posting them."""
        async with self.database.session() as session:
            rows = await RoundRepository(session).unannounced()
            parts = [await self._view_parts(session, row) for row in rows]
        return [await self._finish_view(*part) for part in parts]

    async def replay_reveal(self, round_id: int, position: int) -> Reveal:
        """A closed question's reveal, built again from the stored answers after a restart."""
        async with self.database.session() as session:
            row = await self._load(session, round_id)
            if not 0 <= position < row.position:
                raise RoundError("That question has not been closed yet.")
            rounds = RoundRepository(session)
            answers = await rounds.answers(round_id, position)
            members = await rounds.participants(round_id)
        question = await self._question(row, position)
        results = [(answer, score_answer(question, answer.answer)) for answer in answers]
        return await self._reveal(round_id, position, question, members, results)

    async def mark_revealed(self, round_id: int, count: int) -> None:
        """The reveals of the first `count` questions are posted."""
        async with self.database.session() as session:
            await RoundRepository(session).mark_revealed(round_id, count)
            await session.commit()

    async def mark_standings_posted(self, round_id: int) -> None:
        async with self.database.session() as session:
            await RoundRepository(session).mark_standings_posted(round_id)
            await session.commit()

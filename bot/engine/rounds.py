"""Study-group rounds: several members answer the same questions privately against a clock.

A round waits in its lobby while members join, then asks its questions one at a time.
Answers are stored unscored and may be replaced until the question's deadline; closing the
question scores every participant's last answer at once, stores the attempts, and opens the
next question, all in one version-checked transaction. Whoever closes first (the timer,
"everyone answered", /round stop, or the same after a restart) wins; the others get None.

Consistency between a submit and a close racing each other comes from locking order, not
from the version: a submit locks the round row for share (PostgreSQL) or holds SQLite's
single write lock, then re-reads the round after storing the answer. A close changes the
round first and reads the answers afterwards, so every answer is either seen by the close
or refused with RoundClosed; none is stored but never scored.
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.engine.errors import EngineError, InvalidAnswer, NoQuestions
from bot.engine.service import (
    nothing_matches,
    question_candidates,
    resolve_question,
    schedule_review,
    scored_attempt,
    utcnow,
)
from questions.model import Question, QuestionBank, Tip
from questions.scoring import AnswerRejected, ScoreResult, check_answer, score_answer
from storage.database import Database
from storage.models import Round, RoundAnswer
from storage.repositories import RoundMember, RoundRepository

log = logging.getLogger(__name__)

MIN_QUESTIONS, MAX_QUESTIONS, DEFAULT_QUESTIONS = 1, 20, 5
MIN_SECONDS, MAX_SECONDS, DEFAULT_SECONDS = 30, 900, 120
MIN_LOBBY, MAX_LOBBY, DEFAULT_LOBBY = 10, 600, 60

ACTIVE_STATUSES = ("lobby", "running")
MOST_MISSED = 5
# Version conflicts only come from another state change (begin, close, stop) racing this
# one; each retry re-reads, so a handful is plenty and a loop can never spin forever.
MAX_RETRIES = 20

TIME_UP = "Time is up for that question."
NOT_OPEN = "That question is not open yet."
ALREADY_STARTED = "This round has already started."
ROUND_OVER = "This round is over."
NOT_FOUND = "That study-group round does not exist."
NOT_IN_ROUND = "You're not in this round: press **Join** in the lobby of the next one."
CHANGED = "The round changed meanwhile; try again."

_Skip = Literal["closed", "retry"]


class RoundError(EngineError):
    """Anything wrong with a study-group round; str() is shown to the user as it is."""


class RoundExists(RoundError):
    """The channel (or the round's thread) already has a round in its lobby or running."""

    def __init__(self, existing: RoundView) -> None:
        state = "waiting for players" if existing.status == "lobby" else "running"
        super().__init__(
            f"Round #{existing.round_id} is already {state} in this channel: join it, "
            "or wait until it ends."
        )
        self.existing = existing


class NotParticipant(RoundError):
    """Only members who joined in the lobby may answer."""


class RoundClosed(RoundError):
    """The round is not accepting this: the lobby closed, time is up, or the round ended."""


class QuestionUnavailable(RoundError):
    """A round's question vanished (its pack was removed); only stopping the round helps."""


@dataclass(frozen=True)
class Participant:
    user_id: int
    discord_id: int | None
    display_name: str
    joined_at: datetime


@dataclass(frozen=True)
class RoundView:
    """Where a round stands: what a front end needs to show its lobby or current question."""

    round_id: int
    guild_id: int
    channel_id: int
    thread_id: int | None
    starter_user_id: int | None
    status: str  # "lobby" | "running" | "finished" | "stopped" | "cancelled"
    position: int  # 0-based index of the current question
    total: int
    question: Question | None  # the current question while running
    seconds: int
    lobby_deadline: datetime
    question_deadline: datetime | None
    participants: tuple[Participant, ...]  # in join order
    answered_user_ids: frozenset[int]  # who has answered the current question
    lobby_message_id: int | None
    question_message_id: int | None
    version: int

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def number(self) -> int:
        """1-based number of the current question, for "question i of n"."""
        return min(self.position + 1, self.total)


@dataclass(frozen=True)
class Receipt:
    """An answer was stored; the last one before the deadline counts."""

    view: RoundView
    resubmitted: bool  # it replaced the participant's earlier answer
    all_answered: bool  # every participant has now answered: the question may close early
    submitted_at: datetime


@dataclass(frozen=True)
class RankedAnswer:
    user_id: int
    display_name: str
    score: int | None  # None: did not answer
    band: str | None


@dataclass(frozen=True)
class Reveal:
    """One closed question's scores side by side, and where the round went next."""

    round_id: int
    position: int
    number: int
    total: int
    question: Question
    ranking: tuple[RankedAnswer, ...]  # by score (earlier submit first on ties), then no answer
    most_missed: tuple[tuple[str, int], ...]  # (concept, answerers who missed it), worst first
    tips: tuple[Tip, ...]
    next: RoundView


@dataclass(frozen=True)
class StandingRow:
    user_id: int
    display_name: str
    total_score: int
    answered: int


@dataclass(frozen=True)
class Standings:
    round_id: int
    status: str
    rows: tuple[StandingRow, ...]  # by total score, then answers, then who joined first
    winner_user_id: int | None  # set once the round finished
    questions_asked: int
    total: int


def _check_range(name: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise RoundError(f"{name} must be between {low} and {high}, not {value}.")


def _refusal(row: Round, position: int, now: datetime) -> str | None:
    """Why an answer to `position` cannot be taken now, or None if it can."""
    if row.status == "lobby":
        return NOT_OPEN
    if row.status != "running" or position < row.position:
        return TIME_UP
    if position > row.position:
        return NOT_OPEN
    if row.question_deadline is not None and now >= row.question_deadline:
        return TIME_UP
    return None


def _not_in_lobby(row: Round) -> str:
    return ALREADY_STARTED if row.status == "running" else ROUND_OVER


def _questions_asked(row: Round) -> int:
    total = len(row.question_ids)
    if row.status == "running":
        return min(row.position + 1, total)
    if row.status == "lobby":
        return 0
    return min(row.position, total)


def _rank_members(
    members: Sequence[RoundMember], scores: dict[int, tuple[int, int]]
) -> list[StandingRow]:
    """Highest total first; ties go to more answers, then to whoever joined first."""
    order = {member.user_id: index for index, member in enumerate(members)}
    rows = [StandingRow(m.user_id, m.display_name, *scores.get(m.user_id, (0, 0))) for m in members]
    return sorted(rows, key=lambda r: (-r.total_score, -r.answered, order[r.user_id]))


def _most_missed(question: Question, results: Iterable[ScoreResult]) -> tuple[tuple[str, int], ...]:
    """Concepts answerers missed, most missed first; equal counts keep the rubric's order."""
    missed: Counter[str] = Counter()
    order: dict[str, int] = {c.name: i for i, c in enumerate(question.rubric)}
    for result in results:
        for concept in result.concepts:
            order.setdefault(concept.name, len(order))
            if not concept.covered:
                missed[concept.name] += 1
    ranked = sorted(missed.items(), key=lambda item: (-item[1], order[item[0]]))
    return tuple(ranked[:MOST_MISSED])


class RoundService:
    """Runs study-group rounds; every state lives in the database (see the module doc)."""

    def __init__(
        self,
        database: Database,
        bank: QuestionBank,
        clock: Callable[[], datetime] = utcnow,
        rng: random.Random | None = None,
    ) -> None:
        self.database = database
        self.bank = bank
        self.clock = clock
        self.rng = rng if rng is not None else random.Random()

    # -- reading -----------------------------------------------------------------------------

    async def get(self, round_id: int) -> RoundView:
        async with self.database.session() as session:
            row = await self._load(session, round_id)
            view = await self._view_parts(session, row)
        return await self._finish_view(*view)

    async def active_in_channel(self, channel_id: int) -> RoundView | None:
        """The round in its lobby or running in this channel or in a round's thread."""
        async with self.database.session() as session:
            row = await RoundRepository(session).active_in_channel(channel_id)
            if row is None:
                return None
            view = await self._view_parts(session, row)
        return await self._finish_view(*view)

    async def pending(self) -> list[RoundView]:
        """Rounds in their lobby or running, oldest first: what to reschedule after a restart."""
        async with self.database.session() as session:
            rows = await RoundRepository(session).pending()
            parts = [await self._view_parts(session, row) for row in rows]
        return [await self._finish_view(*part) for part in parts]

    async def standings(self, round_id: int) -> Standings:
        async with self.database.session() as session:
            row = await self._load(session, round_id)
            rounds = RoundRepository(session)
            members = await rounds.participants(round_id)
            scores = await rounds.scores(round_id)
        return Standings(
            round_id=row.id,
            status=row.status,
            rows=tuple(_rank_members(members, scores)),
            winner_user_id=row.winner_user_id,
            questions_asked=_questions_asked(row),
            total=len(row.question_ids),
        )

    async def result_for(
        self, round_id: int, position: int, user_id: int
    ) -> tuple[Question, ScoreResult] | None:
        """A participant's own scored answer to a closed question; None if they gave none.

        The stored answer is scored again rather than read from the attempt, so this still
        works after the attempt was deleted. Refused while the question is open, so nobody
        can polish an answer against its score before time is up.
        """
        async with self.database.session() as session:
            row = await self._load(session, round_id)
            if not 0 <= position < len(row.question_ids):
                raise RoundError("That question is not part of this round.")
            if row.status == "running" and position == row.position:
                raise RoundError("Scores for this question are shown when time is up.")
            if position >= row.position:
                return None
            answer = await RoundRepository(session).answer_for(round_id, position, user_id)
        if answer is None:
            return None
        question = await self._question(row, position)
        return question, score_answer(question, answer.answer)

    # -- lobby -------------------------------------------------------------------------------

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
        _check_range("Questions", questions, MIN_QUESTIONS, MAX_QUESTIONS)
        _check_range("Seconds", seconds, MIN_SECONDS, MAX_SECONDS)
        _check_range("Lobby", lobby, MIN_LOBBY, MAX_LOBBY)
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
                raise RoundClosed(_not_in_lobby(row))
            if joining:
                await rounds.add_participant(round_id, user_id, now)
            else:
                await rounds.remove_participant(round_id, user_id)
            # Read again under the write: a begin that won meanwhile must not miss this.
            row = await self._load(session, round_id, share_lock=True)
            if row.status != "lobby":
                refusal = _not_in_lobby(row)  # before the rollback expires the row
                await session.rollback()
                raise RoundClosed(refusal)
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

    # -- answering ---------------------------------------------------------------------------

    async def submit(self, round_id: int, position: int, user_id: int, answer: str) -> Receipt:
        """Store (or replace) a participant's answer; committed before this returns."""
        try:
            text = check_answer(answer)
        except AnswerRejected as exc:
            raise InvalidAnswer(str(exc)) from None
        now = self.clock()
        async with self.database.session() as session:
            rounds = RoundRepository(session)
            row = await self._load(session, round_id, share_lock=True)
            if not await rounds.is_participant(round_id, user_id):
                raise NotParticipant(NOT_IN_ROUND)
            if refusal := _refusal(row, position, now):
                raise RoundClosed(refusal)
            resubmitted = await rounds.upsert_answer(round_id, position, user_id, text, now)
            # Read again under the write: if a close won meanwhile, this answer is too late.
            row = await self._load(session, round_id, share_lock=True)
            if refusal := _refusal(row, position, now):
                await session.rollback()
                raise RoundClosed(refusal)
            await session.commit()
        # Read after the commit, so of two last answers arriving together at least the
        # later one sees everyone answered.
        view = await self.get(round_id)
        everyone = {p.user_id for p in view.participants}
        all_answered = (
            view.status == "running"
            and view.position == position
            and everyone <= view.answered_user_ids
        )
        return Receipt(view, resubmitted, all_answered, now)

    # -- closing -----------------------------------------------------------------------------

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
            members, results = outcome
            return await self._reveal(round_id, position, question, members, results)
        raise RoundError(CHANGED)

    async def _claim_and_score(
        self,
        round_id: int,
        position: int,
        question: Question,
        scored: dict[tuple[int, str], ScoreResult],
        stopping: bool,
    ) -> tuple[list[RoundMember], list[tuple[RoundAnswer, ScoreResult]]] | _Skip:
        """One transaction: advance the round, then store an attempt per answer.

        Returns the members and scored answers; "closed" if the question already is;
        "retry" if the version check lost to some other change and the caller should retry.
        """
        now = self.clock()
        async with self.database.session() as session:
            rounds = RoundRepository(session)
            row = await self._load(session, round_id)
            if row.status != "running" or row.position != position:
                return "closed"
            expected = row.version
            opened = row.question_opened_at or now
            self._advance(row, now, stopping)
            if not await rounds.save_if_version(row, expected):
                await session.rollback()
                return "retry"
            # Read only now that the round moved on: every answer committed before is here,
            # and any later one is refused by submit's re-read.
            answers = await rounds.answers(round_id, position)
            members = await rounds.participants(round_id)
            results: list[tuple[RoundAnswer, ScoreResult]] = []
            for answer in answers:
                result = scored.get((answer.user_id, answer.answer))
                if result is None:
                    result = score_answer(question, answer.answer)
                attempt = scored_attempt(
                    question,
                    result,
                    user_id=answer.user_id,
                    guild_id=row.guild_id,
                    answer=answer.answer,
                    started_at=opened,
                    submitted_at=answer.submitted_at,
                    round_id=row.id,
                )
                session.add(attempt)
                await session.flush()
                await rounds.link_attempt(answer.id, attempt.id)
                await schedule_review(
                    session, answer.user_id, question.id, result.score, answer.submitted_at
                )
                results.append((answer, result))
            if row.status == "finished":
                standings = _rank_members(members, await rounds.scores(round_id))
                leader = standings[0] if standings else None
                row.winner_user_id = leader.user_id if leader and leader.answered else None
                await self._save_held(session, row)
            await session.commit()
        return members, results

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
            most_missed=_most_missed(question, (r for _, r in results)),
            tips=tuple(question.tips),
            next=following,
        )

    # -- helpers -----------------------------------------------------------------------------

    async def _load(
        self, session: AsyncSession, round_id: int, *, share_lock: bool = False
    ) -> Round:
        row = await RoundRepository(session).get(round_id, share_lock=share_lock)
        if row is None:
            raise RoundError(NOT_FOUND)
        return row

    @staticmethod
    async def _save_held(session: AsyncSession, row: Round) -> None:
        """Save a second change in a transaction that already won the version check."""
        if not await RoundRepository(session).save_if_version(row, row.version):
            raise RuntimeError(f"round {row.id} changed while this transaction held it")

    async def _question(self, row: Round, position: int) -> Question:
        question_id = row.question_ids[position]
        question = await resolve_question(self.database, self.bank, question_id, row.guild_id)
        if question is None:
            raise QuestionUnavailable(
                f"Question '{question_id}' is no longer available; stop this round and start "
                "a new one."
            )
        return question

    async def _view_parts(
        self, session: AsyncSession, row: Round
    ) -> tuple[Round, list[RoundMember], set[int]]:
        """What a view needs from the database, read in the caller's session."""
        rounds = RoundRepository(session)
        members = await rounds.participants(row.id)
        answered = (
            await rounds.answered_user_ids(row.id, row.position)
            if row.status == "running"
            else set()
        )
        return row, members, answered

    async def _finish_view(
        self, row: Round, members: list[RoundMember], answered: set[int]
    ) -> RoundView:
        """The view, with the current question resolved outside any open transaction."""
        question = None
        if row.status == "running" and row.position < len(row.question_ids):
            question = await resolve_question(
                self.database, self.bank, row.question_ids[row.position], row.guild_id
            )
        return RoundView(
            round_id=row.id,
            guild_id=row.guild_id,
            channel_id=row.channel_id,
            thread_id=row.thread_id,
            starter_user_id=row.starter_user_id,
            status=row.status,
            position=row.position,
            total=len(row.question_ids),
            question=question,
            seconds=row.seconds,
            lobby_deadline=row.lobby_deadline,
            question_deadline=row.question_deadline if row.status == "running" else None,
            participants=tuple(
                Participant(m.user_id, m.discord_id, m.display_name, m.joined_at) for m in members
            ),
            answered_user_ids=frozenset(answered),
            lobby_message_id=row.lobby_message_id,
            question_message_id=row.question_message_id,
            version=row.version,
        )

"""Solo interview sessions: every front end (terminal, CLI, Discord) drives this same code.

State lives in the database, not in memory, so a session survives a restart and a second
click on the same button finds the session already moved on. Each answer is committed
before its feedback is returned: nothing the candidate was told was saved can be lost.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.engine.answers import Answer, accept_answer
from bot.engine.clock import utcnow
from bot.engine.errors import (
    AlreadyAnswered,
    NoQuestions,
    NotYourSession,
    SessionNotFound,
    SessionOver,
)
from bot.engine.interview.recording import AnswerRecorder, SoloAnswer
from bot.engine.interview.views import (
    AnsweredQuestion,
    Feedback,
    SessionSummary,
    SessionView,
    SharedResult,
)
from bot.engine.progress import ProgressSummary, load_progress
from bot.engine.selection import (
    CUSTOM_PACK,
    choose_questions,
    due_questions,
    nothing_matches,
    question_candidates,
    resolve_question,
)
from bot.engine.users import UserService
from questions.model import Question, QuestionBank
from storage.database import Database
from storage.models import Attempt, InterviewSession
from storage.repositories import (
    UNSET,
    AttemptRepository,
    ReviewRepository,
    SessionRepository,
    Unset,
)

DEFAULT_COUNT = 5
MAX_COUNT = 25


ALREADY_ANSWERED = "That question was already answered or skipped."


async def _save_or_refuse(session: AsyncSession, row: InterviewSession, refusal: str) -> None:
    """Write the session only if nobody else moved it on; otherwise undo everything."""
    if not await SessionRepository(session).save_if_version(row, row.version):
        await session.rollback()
        raise AlreadyAnswered(refusal)


class InterviewService:
    def __init__(
        self,
        database: Database,
        bank: QuestionBank,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.database = database
        self.bank = bank
        self.clock = clock
        self.recorder = AnswerRecorder(self.resolve_question)

    # -- users ---------------------------------------------------------------------------

    async def local_user(self, name: str) -> int:
        """The terminal's candidate, created on first use; `interview-bot practice` starts here."""
        return await UserService(self.database).local_user(name)

    async def session_channel(self, session_id: int) -> int | None:
        """Where a session is conducted (its thread or DM), e.g. for plain-message answers."""
        async with self.database.session() as session:
            row = await SessionRepository(session).get(session_id)
        return row.channel_id if row else None

    # -- questions -----------------------------------------------------------------------

    async def resolve_question(self, question_id: str, guild_id: int | None) -> Question | None:
        """A shipped question, or the guild's own (even if removed, so history resolves)."""
        return await resolve_question(self.database, self.bank, question_id, guild_id)

    # -- sessions ------------------------------------------------------------------------

    async def start(
        self,
        user_id: int,
        *,
        guild_id: int | None = None,
        channel_id: int | None = None,
        pack: str | None = None,
        topic: str | None = None,
        difficulty: str | None = None,
        count: int = DEFAULT_COUNT,
        review: bool = False,
    ) -> SessionView:
        """Start a session, ending any active one in the same scope (one at a time)."""
        if not 1 <= count <= MAX_COUNT:
            raise NoQuestions(f"Choose between 1 and {MAX_COUNT} questions, not {count}.")
        if pack is not None and pack not in self.bank.packs and pack != CUSTOM_PACK:
            known = ", ".join(sorted(self.bank.packs))
            raise NoQuestions(f"There is no pack called '{pack}'. Packs: {known}.")
        candidates = await question_candidates(
            self.database, self.bank, guild_id, pack=pack, topic=topic, difficulty=difficulty
        )
        if not candidates:
            raise NoQuestions(nothing_matches(pack, topic, difficulty))
        now = self.clock()
        async with self.database.session() as session:
            review_rows = await ReviewRepository(session).for_user(user_id)
            due_at = {row.question_id: row.due_at for row in review_rows}
            if review:
                chosen = due_questions(candidates, due_at=due_at, now=now, count=count)
                if not chosen:
                    upcoming = [row.due_at for row in review_rows if row.due_at > now]
                    when = (
                        f" The next one is due {min(upcoming):%Y-%m-%d %H:%M} UTC."
                        if upcoming
                        else " Answer some questions first."
                    )
                    raise NoQuestions("Nothing is due for review." + when)
            else:
                seen = await AttemptRepository(session).question_ids_for_user(user_id)
                chosen = choose_questions(
                    candidates, seen=seen, due_at=due_at, now=now, count=count
                )
            sessions = SessionRepository(session)
            previous = await sessions.active_for(user_id, guild_id)
            if previous is not None:
                previous.status = "stopped"
                previous.finished_at = now
                await _save_or_refuse(
                    session, previous, "Your session changed meanwhile; try again."
                )
            row = InterviewSession(
                user_id=user_id,
                guild_id=guild_id,
                channel_id=channel_id,
                mode="review" if review else "practice",
                status="active",
                filters={"pack": pack, "topic": topic, "difficulty": difficulty},
                question_ids=[q.id for q in chosen],
                position=0,
                hints_used=0,
                version=0,
                question_started_at=now,
                created_at=now,
                updated_at=now,
            )
            await sessions.add(row)
            await session.commit()
        return self._view(row, chosen[0])

    def _view(self, row: InterviewSession, question: Question | None) -> SessionView:
        return SessionView(
            session_id=row.id,
            user_id=row.user_id,
            guild_id=row.guild_id,
            mode=row.mode,
            status=row.status,
            position=row.position,
            total=len(row.question_ids),
            question=question if row.status == "active" else None,
            hints_used=row.hints_used,
            version=row.version,
        )

    async def _load(
        self, session: AsyncSession, session_id: int, user_id: int | None
    ) -> InterviewSession:
        row = await SessionRepository(session).get(session_id)
        if row is None:
            raise SessionNotFound("That interview session does not exist.")
        if user_id is not None and row.user_id != user_id:
            raise NotYourSession("This is someone else's interview; start your own.")
        return row

    async def _current_question(self, row: InterviewSession) -> Question | None:
        if row.status != "active" or row.position >= len(row.question_ids):
            return None
        question_id = row.question_ids[row.position]
        question = await self.resolve_question(question_id, row.guild_id)
        if question is None:
            raise SessionOver(
                f"Question '{question_id}' is no longer available; stop this session and "
                "start a new one."
            )
        return question

    async def _require_question(self, row: InterviewSession) -> Question:
        question = await self._current_question(row)
        if question is None:  # active sessions always have one; this guards a corrupt row
            raise SessionOver("This interview session has no question left. Start a new one.")
        return question

    async def set_channel(self, session_id: int, user_id: int, channel_id: int) -> None:
        """Where the session is conducted, e.g. the private thread opened after it started."""
        async with self.database.session() as session:
            row = await self._load(session, session_id, user_id)
            row.channel_id = channel_id
            await _save_or_refuse(session, row, "Your session changed meanwhile; try again.")
            await session.commit()

    async def attempt_result(self, attempt_id: int, user_id: int) -> SharedResult:
        """The outcome of one of the user's answers, without the answer, for sharing."""
        async with self.database.session() as session:
            attempt = await session.get(Attempt, attempt_id)
        if attempt is None or attempt.user_id != user_id:
            raise SessionNotFound("That answer is not yours to share, or it was deleted.")
        question = await self.resolve_question(attempt.question_id, attempt.guild_id)
        if question is None:
            raise SessionOver(f"Question '{attempt.question_id}' is no longer available.")
        results = attempt.concept_results or []
        return SharedResult(
            question=question,
            score=attempt.score,
            band=attempt.band,
            covered=tuple(c["name"] for c in results if c.get("covered")),
            missed=sum(1 for c in results if not c.get("covered")),
        )

    async def question_at(self, session_id: int, position: int, user_id: int) -> Question:
        """A question the candidate was asked in this session (for "show the model answer")."""
        async with self.database.session() as session:
            row = await self._load(session, session_id, user_id)
        if not 0 <= position < len(row.question_ids) or position > row.position:
            raise SessionNotFound("That question is not part of this interview.")
        question_id = row.question_ids[position]
        question = await self.resolve_question(question_id, row.guild_id)
        if question is None:
            raise SessionOver(f"Question '{question_id}' is no longer available.")
        return question

    async def view(self, session_id: int, user_id: int | None = None) -> SessionView:
        async with self.database.session() as session:
            row = await self._load(session, session_id, user_id)
        return self._view(row, await self._current_question(row))

    async def active_session(self, user_id: int, guild_id: int | None) -> SessionView | None:
        async with self.database.session() as session:
            row = await SessionRepository(session).active_for(user_id, guild_id)
        if row is None:
            return None
        return self._view(row, await self._current_question(row))

    def _require_active(self, row: InterviewSession, expected_position: int | None) -> None:
        if row.status != "active":
            raise SessionOver("This interview session is over. Start a new one to continue.")
        if expected_position is not None and row.position != expected_position:
            raise AlreadyAnswered(ALREADY_ANSWERED)

    async def submit(
        self,
        session_id: int,
        user_id: int,
        answer: str | Answer,
        *,
        expected_position: int | None = None,
    ) -> Feedback:
        """Score the answer to the current question, store it, then return the feedback.

        The answer joins whatever else is being written at that moment (recording.py), and
        the feedback comes back only after its commit.
        """
        text = accept_answer(answer).text
        request = SoloAnswer(session_id, user_id, text, expected_position, self.clock())
        feedback: Feedback = await self.database.writer.submit(self.recorder.record, request)
        return feedback

    def _advance(self, row: InterviewSession, now: datetime) -> None:
        row.position += 1
        row.hints_used = 0
        row.question_started_at = now
        row.updated_at = now
        if row.position >= len(row.question_ids):
            row.status = "finished"
            row.finished_at = now

    async def hint(
        self, session_id: int, user_id: int, *, expected_position: int | None = None
    ) -> tuple[str | None, SessionView]:
        """The next hint for the current question (None when there are no more)."""
        now = self.clock()
        async with self.database.session() as session:
            row = await self._load(session, session_id, user_id)
            self._require_active(row, expected_position)
            question = await self._require_question(row)
            text = question.hint(row.hints_used)
            if text is not None:
                row.hints_used += 1
                row.updated_at = now
                await _save_or_refuse(session, row, ALREADY_ANSWERED)
                await session.commit()
        return text, self._view(row, question)

    async def skip(
        self, session_id: int, user_id: int, *, expected_position: int | None = None
    ) -> SessionView:
        now = self.clock()
        async with self.database.session() as session:
            row = await self._load(session, session_id, user_id)
            self._require_active(row, expected_position)
            self._advance(row, now)
            await _save_or_refuse(session, row, ALREADY_ANSWERED)
            await session.commit()
        return self._view(row, await self._current_question(row))

    async def stop(self, session_id: int, user_id: int) -> SessionSummary:
        now = self.clock()
        async with self.database.session() as session:
            row = await self._load(session, session_id, user_id)
            if row.status == "active":
                row.status = "stopped"
                row.finished_at = now
                row.updated_at = now
                await _save_or_refuse(session, row, "Your session changed meanwhile; try again.")
                await session.commit()
        return await self.summary(session_id)

    async def summary(self, session_id: int) -> SessionSummary:
        async with self.database.session() as session:
            row = await self._load(session, session_id, None)
            attempts = await AttemptRepository(session).for_session(session_id)
        answered = tuple(AnsweredQuestion(a.question_id, a.score, a.band) for a in attempts)
        asked = min(row.position, len(row.question_ids))
        return SessionSummary(
            session_id=row.id,
            status=row.status,
            total=len(row.question_ids),
            answered=answered,
            skipped=max(0, asked - len(answered)),
        )

    # -- progress ------------------------------------------------------------------------

    async def progress(self, user_id: int, guild_id: int | Unset | None = UNSET) -> ProgressSummary:
        """Progress in one scope (a guild id, or None for DMs/terminal) or, by default, all."""
        return await load_progress(self.database, user_id, guild_id, now=self.clock())

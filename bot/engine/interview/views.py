"""What a solo session hands its front ends: where it stands, feedback, summaries."""

from __future__ import annotations

from dataclasses import dataclass

from questions.model import Question
from questions.scoring import ScoreResult


@dataclass(frozen=True)
class SessionView:
    """Where a session stands: what a front end needs to show the current question."""

    session_id: int
    user_id: int
    guild_id: int | None
    mode: str
    status: str
    position: int  # 0-based index of the current question
    total: int
    question: Question | None  # None once the session is over
    hints_used: int
    version: int

    @property
    def number(self) -> int:
        """1-based number of the current question, for "question i of n"."""
        return min(self.position + 1, self.total)

    @property
    def active(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True)
class Feedback:
    """The scored answer and where the session went next."""

    attempt_id: int
    result: ScoreResult
    question: Question
    number: int
    total: int
    time_taken_ms: int | None
    next: SessionView


@dataclass(frozen=True)
class AnsweredQuestion:
    question_id: str
    score: int
    band: str


@dataclass(frozen=True)
class SessionSummary:
    session_id: int
    status: str
    total: int
    answered: tuple[AnsweredQuestion, ...]
    skipped: int

    @property
    def average(self) -> float | None:
        if not self.answered:
            return None
        return sum(a.score for a in self.answered) / len(self.answered)


@dataclass(frozen=True)
class SharedResult:
    question: Question
    score: int
    band: str
    covered: tuple[str, ...]
    missed: int

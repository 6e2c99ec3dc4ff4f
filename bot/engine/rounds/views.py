"""What a study-group round hands its front ends: where it stands, receipts, reveals, standings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from questions.model import Question, Tip

ACTIVE_STATUSES = ("lobby", "running")


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
    revealed: int = 0  # how many closed questions' reveals were posted
    standings_posted: bool = False

    @property
    def unrevealed(self) -> range:
        """Positions of closed questions whose reveal was never posted (a crash in between)."""
        return range(self.revealed, self.position)

    @property
    def owes_standings(self) -> bool:
        return self.status in ("finished", "stopped") and not self.standings_posted

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
    # The closed question's message, whose Answer button goes; None when posted after a restart.
    question_message_id: int | None = None


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

"""What front ends receive from the mock-interview services: plain, frozen data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from questions.model import Question


@dataclass(frozen=True)
class Person:
    """A session member as front ends show them; `user_id` None once they were forgotten."""

    user_id: int | None
    discord_id: int | None
    display_name: str


@dataclass(frozen=True)
class Rating:
    depth: int
    communication: int
    problem_solving: int
    note: str

    def axes(self) -> dict[str, int]:
        return {
            "depth": self.depth,
            "communication": self.communication,
            "problem_solving": self.problem_solving,
        }


@dataclass(frozen=True)
class RoundState:
    number: int
    interviewer: Person
    candidate: Person
    question: Question
    ticked: tuple[str, ...]
    rating: Rating | None
    answered: bool
    auto_score: int | None
    auto_band: str | None
    started_at: datetime


@dataclass(frozen=True)
class SessionView:
    session_id: int
    guild_id: int
    channel_id: int
    thread_id: int | None
    voice_channel_id: int | None
    invite_message_id: int | None
    status: str  # invited, active, finished, ended
    end_reason: str | None  # declined, expired, left, silent, reported, no_room
    ended_by: int | None
    round: int
    deadline: datetime | None
    first: Person  # interviews in round 1
    second: Person
    filters: dict[str, str | None]
    rounds: tuple[RoundState, ...]
    created_at: datetime
    ended_at: datetime | None

    @property
    def current(self) -> RoundState | None:
        if self.status != "active":
            return None
        return next((r for r in self.rounds if r.number == self.round), None)

    @property
    def members(self) -> tuple[Person, Person]:
        return (self.first, self.second)

    def has(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in (self.first.user_id, self.second.user_id)

    def other(self, user_id: int | None) -> Person:
        return self.second if user_id == self.first.user_id else self.first

    def as_candidate(self, user_id: int | None) -> RoundState | None:
        return next((r for r in self.rounds if r.candidate.user_id == user_id), None)

    @property
    def left_behind(self) -> Person | None:
        """Who may go back to the front of the queue: the partner of one who left or went
        silent."""
        if self.end_reason not in ("left", "silent") or self.ended_by is None:
            return None
        return self.other(self.ended_by)


@dataclass(frozen=True)
class Queued:
    """The member waits; `expires_at` is when they are taken out and told."""

    guild_id: int
    user_id: int
    joined_at: datetime
    expires_at: datetime
    waiting: int  # members in the queue, this one included


@dataclass(frozen=True)
class Paired:
    view: SessionView
    partner_joined_at: datetime  # cancels the partner's queue timer


@dataclass(frozen=True)
class Departure:
    """What /mock leave did: left the queue, withdrew an invitation, or left a session."""

    kind: str  # queue, invite, session
    view: SessionView | None = None

"""Errors the engine raises; each message is written to be shown to the user as it is.

Every front end catches `EngineError` and shows str(error). `StorageError` is re-exported so
a front end can tell "the database is down" apart without importing storage itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storage.errors import StorageError

if TYPE_CHECKING:
    from bot.engine.rounds.views import RoundView

__all__ = [
    "AlreadyAnswered",
    "DailyClosed",
    "EngineError",
    "InvalidAnswer",
    "InvalidQuestion",
    "InvalidSchedule",
    "MockError",
    "NoQuestions",
    "NotAllowed",
    "NotParticipant",
    "NotYourSession",
    "QuestionNotFound",
    "QuestionUnavailable",
    "ReadOnlyQuestion",
    "RoundClosed",
    "RoundError",
    "RoundExists",
    "SessionNotFound",
    "SessionOver",
    "StorageError",
]


class EngineError(Exception):
    """Base class: str(error) is a complete, friendly sentence."""


class NoQuestions(EngineError):
    pass


class SessionNotFound(EngineError):
    pass


class SessionOver(EngineError):
    pass


class NotYourSession(EngineError):
    pass


class AlreadyAnswered(EngineError):
    """The question moved on (a double click, or a second device) before this request."""


class InvalidAnswer(EngineError):
    """Refused at the answer gate (empty, too long, control characters); nothing is stored."""


class QuestionNotFound(EngineError):
    pass


class ReadOnlyQuestion(EngineError):
    """Built-in pack questions cannot be edited or removed from Discord."""


class InvalidQuestion(EngineError):
    """A question or pack that does not validate; `problems` lists each one with its place."""

    def __init__(self, summary: str, problems: list[str] | None = None) -> None:
        super().__init__(summary)
        self.problems = problems or []


class NotAllowed(EngineError):
    pass


# -- study-group rounds -----------------------------------------------------------------------


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


# -- habits: the question of the day, reminders ------------------------------------------------


class InvalidSchedule(EngineError):
    """A time, time zone or channel that cannot be used; the message says which and why."""


class DailyClosed(EngineError):
    """The day's question no longer takes answers: its recap is up."""


# -- peer mock interviews ---------------------------------------------------------------------


class MockError(EngineError):
    """Anything refused in a peer mock interview; str() is shown to the member as it is."""

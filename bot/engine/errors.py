"""Errors the engine raises; each message is written to be shown to the user as it is."""

from __future__ import annotations


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
    """Empty or too long; the session stays on the same question."""


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

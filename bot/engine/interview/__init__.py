"""Solo interview sessions: the service and what it hands its front ends."""

from bot.engine.interview.service import (
    ALREADY_ANSWERED,
    DEFAULT_COUNT,
    MAX_COUNT,
    InterviewService,
)
from bot.engine.interview.views import (
    AnsweredQuestion,
    Feedback,
    SessionSummary,
    SessionView,
    SharedResult,
)

__all__ = [
    "ALREADY_ANSWERED",
    "DEFAULT_COUNT",
    "MAX_COUNT",
    "AnsweredQuestion",
    "Feedback",
    "InterviewService",
    "SessionSummary",
    "SessionView",
    "SharedResult",
]

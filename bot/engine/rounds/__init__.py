"""Study-group rounds: several members answer the same questions privately against a clock.

A round waits in its lobby while members join, then asks its questions one at a time.
Answers are stored unscored and may be replaced until the question's deadline; closing the
question scores every participant's last answer at once, stores the attempts, and opens the
next question, all in one version-checked transaction.

The service is layered by what it does: `reading` (views, standings), `closing` (scoring a
question and moving on) and `service` (lobby and answers); `rules` holds the pure decisions
and `views` what front ends receive. Limits and messages are in `rules`.
"""

from bot.engine.rounds.service import RoundService
from bot.engine.rounds.views import (
    Participant,
    RankedAnswer,
    Receipt,
    Reveal,
    RoundView,
    StandingRow,
    Standings,
)

__all__ = [
    "Participant",
    "RankedAnswer",
    "Receipt",
    "Reveal",
    "RoundService",
    "RoundView",
    "StandingRow",
    "Standings",
]

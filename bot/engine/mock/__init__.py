"""Peer mock interviews: two members interview each other and the bot runs the room.

`matching` keeps the per-server queue and invitations; `room` runs a paired session (kit,
checklist, answers, ratings, the role swap, every way it ends); `rules` holds the pure
parts, `views` what front ends receive, `progress` what /progress shows. Everything lives
in the database, so a restart loses nothing.
"""

from bot.engine.mock.matching import MockMatching
from bot.engine.mock.room import MockRoom
from bot.engine.mock.rules import Filters
from bot.engine.mock.views import Departure, Paired, Person, Queued, Rating, RoundState, SessionView


class MockService(MockMatching, MockRoom):
    """Both halves over one database, bank, clock and random source."""


__all__ = [
    "Departure",
    "Filters",
    "MockService",
    "Paired",
    "Person",
    "Queued",
    "Rating",
    "RoundState",
    "SessionView",
]

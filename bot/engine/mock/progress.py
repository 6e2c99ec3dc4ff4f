"""Peer interviews in /progress: the ratings a member received, per axis and over time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.engine.mock.rules import AXES
from storage.database import Database
from storage.repositories import UNSET, MockSessionRepository, Unset


@dataclass(frozen=True)
class PeerProgress:
    received: int = 0  # rounds in which peers rated this member as the candidate
    given: int = 0  # rounds this member rated as the interviewer
    averages: dict[str, float] | None = None  # per axis
    # (rated at, depth, communication, problem-solving), oldest first
    history: tuple[tuple[datetime, int, int, int], ...] = ()

    def series(self, axis: str) -> list[float]:
        index = AXES.index(axis)
        return [float(entry[1:][index]) for entry in self.history]


async def load_peer_progress(
    database: Database, user_id: int, guild_id: int | None = None
) -> PeerProgress:
    """One server's peer interviews, or (None) every server's: they only happen in servers."""
    scope: int | Unset = UNSET if guild_id is None else guild_id
    async with database.session() as session:
        repository = MockSessionRepository(session)
        rounds = await repository.rated_as_candidate(user_id, scope)
        given = await repository.given_count(user_id, scope)
    history = tuple(
        (r.rated_at, r.depth or 0, r.communication or 0, r.problem_solving or 0)
        for r in rounds
        if r.rated_at is not None
    )
    if not history:
        return PeerProgress(given=given)
    progress = PeerProgress(len(history), given, None, history)
    averages = {axis: sum(progress.series(axis)) / len(history) for axis in AXES}
    return PeerProgress(len(history), given, averages, history)

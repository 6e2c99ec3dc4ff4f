"""The rules of a study-group round as pure functions: limits, refusals, rankings.

They read rows and results and decide; the services do the reading and writing around them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime

from bot.engine.errors import RoundError
from bot.engine.rounds.views import StandingRow
from questions.model import Question
from questions.scoring import ScoreResult
from storage.models import Round
from storage.repositories.rounds import RoundMember

MIN_QUESTIONS, MAX_QUESTIONS, DEFAULT_QUESTIONS = 1, 20, 5
MIN_SECONDS, MAX_SECONDS, DEFAULT_SECONDS = 30, 900, 120
MIN_LOBBY, MAX_LOBBY, DEFAULT_LOBBY = 10, 600, 60

MOST_MISSED = 5
# Version conflicts only come from another state change (begin, close, stop) racing this
# one; each retry re-reads, so a handful is plenty and a loop can never spin forever.
MAX_RETRIES = 20

TIME_UP = "Time is up for that question."
NOT_OPEN = "That question is not open yet."
ALREADY_STARTED = "This round has already started."
ROUND_OVER = "This round is over."
NOT_FOUND = "That study-group round does not exist."
NOT_IN_ROUND = "You're not in this round: press **Join** in the lobby of the next one."
CHANGED = "The round changed meanwhile; try again."


def check_range(name: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise RoundError(f"{name} must be between {low} and {high}, not {value}.")


def refusal(row: Round, position: int, now: datetime) -> str | None:
    """Why an answer to `position` cannot be taken now, or None if it can."""
    if row.status == "lobby":
        return NOT_OPEN
    if row.status != "running" or position < row.position:
        return TIME_UP
    if position > row.position:
        return NOT_OPEN
    if row.question_deadline is not None and now >= row.question_deadline:
        return TIME_UP
    return None


def not_in_lobby(row: Round) -> str:
    return ALREADY_STARTED if row.status == "running" else ROUND_OVER


def questions_asked(row: Round) -> int:
    total = len(row.question_ids)
    if row.status == "running":
        return min(row.position + 1, total)
    if row.status == "lobby":
        return 0
    return min(row.position, total)


def rank_members(
    members: Sequence[RoundMember], scores: dict[int, tuple[int, int]]
) -> list[StandingRow]:
    """Highest total first; ties go to more answers, then to whoever joined first."""
    order = {member.user_id: index for index, member in enumerate(members)}
    rows = [StandingRow(m.user_id, m.display_name, *scores.get(m.user_id, (0, 0))) for m in members]
    return sorted(rows, key=lambda r: (-r.total_score, -r.answered, order[r.user_id]))


def most_missed(question: Question, results: Iterable[ScoreResult]) -> tuple[tuple[str, int], ...]:
    """Concepts answerers missed, most missed first; equal counts keep the rubric's order."""
    missed: Counter[str] = Counter()
    order: dict[str, int] = {c.name: i for i, c in enumerate(question.rubric)}
    for result in results:
        for concept in result.concepts:
            order.setdefault(concept.name, len(order))
            if not concept.covered:
                missed[concept.name] += 1
    ranked = sorted(missed.items(), key=lambda item: (-item[1], order[item[0]]))
    return tuple(ranked[:MOST_MISSED])

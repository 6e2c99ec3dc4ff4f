"""Which questions a session asks: unseen ones first, then the ones due for review."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from questions.model import Question


def choose_questions(
    candidates: Sequence[Question],
    *,
    seen: set[str],
    due_at: Mapping[str, datetime],
    now: datetime,
    count: int,
) -> list[Question]:
    """Pick up to `count` questions from `candidates`, keeping their bank order among equals.

    Unseen questions come first; then seen ones that are due, most overdue first; if that is
    still short, the rest by how soon they fall due, so a session is never cut short while
    the bank has questions to ask.
    """
    unseen = [q for q in candidates if q.id not in seen]
    seen_questions = [q for q in candidates if q.id in seen]
    far_future = datetime.max.replace(tzinfo=now.tzinfo)
    by_due = sorted(seen_questions, key=lambda q: due_at.get(q.id, far_future))
    due = [q for q in by_due if q.id in due_at and due_at[q.id] <= now]
    later = [q for q in by_due if q not in due]
    return (unseen + due + later)[: max(0, count)]


def due_questions(
    candidates: Sequence[Question], *, due_at: Mapping[str, datetime], now: datetime, count: int
) -> list[Question]:
    """Only the questions due for review, most overdue first (the review mode)."""
    due = [q for q in candidates if q.id in due_at and due_at[q.id] <= now]
    return sorted(due, key=lambda q: due_at[q.id])[: max(0, count)]

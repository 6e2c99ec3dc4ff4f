"""Rows the repository tests store, and the moments and guilds they use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage import Attempt, ReviewSchedule

T0 = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)
GUILD = 900_000_000_000_000_001
OTHER_GUILD = 900_000_000_000_000_002


def make_attempt(
    user_id: int, minutes: int, *, guild_id: int | None = None, **extra: object
) -> Attempt:
    fields: dict[str, object] = {
        "user_id": user_id,
        "guild_id": guild_id,
        "question_id": f"q{minutes}",
        "topic": "networking",
        "pack_id": "core",
        "pack_version": "1.2.0",
        "answer": "because",
        "score": 60,
        "band": "partial",
        "concept_results": [{"concept": "x", "hit": True}],
        "misconceptions": ["y"],
        "started_at": T0 + timedelta(minutes=minutes) - timedelta(seconds=30),
        "submitted_at": T0 + timedelta(minutes=minutes),
        "time_taken_ms": 30_000,
    }
    fields.update(extra)
    return Attempt(**fields)


def make_review(user_id: int, question_id: str, due_days: float, **extra: object) -> ReviewSchedule:
    fields: dict[str, object] = {
        "user_id": user_id,
        "question_id": question_id,
        "interval_days": 1.0,
        "repetitions": 1,
        "last_score": 70,
        "due_at": T0 + timedelta(days=due_days),
    }
    fields.update(extra)
    return ReviewSchedule(**fields)

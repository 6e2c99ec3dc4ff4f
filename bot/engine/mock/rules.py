"""The pure rules of peer mock interviews: limits, rating scales, and who may be paired."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Final

DEFAULT_WAIT_MINUTES: Final = 15  # how long a member waits in the queue before being told
MIN_WAIT_MINUTES: Final = 1
MAX_WAIT_MINUTES: Final = 240
# A round ends when its interviewer rates it; if nobody has by then, the interviewer is
# taken to have gone silent and the session ends.
ROUND_LIMIT: Final = timedelta(minutes=45)
ROUNDS: Final = 2
NOTE_LIMIT: Final = 500
REPORT_LIMIT: Final = 1000

# The three axes the interviewer rates, each 1-4 with one line per level.
AXES: Final = ("depth", "communication", "problem_solving")
AXIS_NAMES: Final = {
    "depth": "Technical depth",
    "communication": "Communication",
    "problem_solving": "Problem-solving",
}
ANCHORS: Final = {
    "depth": (
        "Surface only: terms without how or why",
        "Core idea right, gaps in the mechanics",
        "Solid: how it works and the main trade-offs",
        "Deep: edge cases, trade-offs and alternatives",
    ),
    "communication": (
        "Hard to follow; no structure",
        "Understandable but rambling or terse",
        "Clear and structured; checks understanding",
        "Crisp, structured, adapts to the listener",
    ),
    "problem_solving": (
        "Stuck; no approach even with hints",
        "Progress only with several hints",
        "Own approach, needed a nudge or two",
        "Drove the problem; weighed options unaided",
    ),
}
LEVELS: Final = (1, 2, 3, 4)


@dataclass(frozen=True)
class Filters:
    """What a member asked for; None matches anything."""

    topic: str | None = None
    difficulty: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"topic": self.topic, "difficulty": self.difficulty}


def merge(first: Filters, second: Filters) -> Filters | None:
    """The filters a pair shares, or None when they ask for different things."""
    merged = []
    for mine, theirs in ((first.topic, second.topic), (first.difficulty, second.difficulty)):
        if mine is not None and theirs is not None and mine != theirs:
            return None
        merged.append(mine if mine is not None else theirs)
    return Filters(merged[0], merged[1])


def check_rating(axis: str, value: int) -> int:
    if value not in LEVELS:
        raise ValueError(f"{AXIS_NAMES[axis]} must be 1 to 4, not {value!r}")
    return value


def trend(values: list[float]) -> str:
    """An arrow comparing the last three ratings with the ones before them."""
    if len(values) < 4:
        return ""
    recent, earlier = values[-3:], values[:-3]
    change = sum(recent) / len(recent) - sum(earlier) / len(earlier)
    return "↗" if change >= 0.25 else "↘" if change <= -0.25 else "→"

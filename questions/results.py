"""What a scored answer looks like, and which answers cannot be scored at all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from questions.model import Tip

Band = Literal["strong", "good", "partial", "weak"]
BANDS: tuple[tuple[int, Band], ...] = ((80, "strong"), (60, "good"), (35, "partial"), (0, "weak"))

MAX_ANSWER_CHARS = 4000


def band_for(score: int) -> Band:
    for floor, band in BANDS:
        if score >= floor:
            return band
    return "weak"


@dataclass(frozen=True)
class ConceptResult:
    name: str
    weight: float
    required: bool
    covered: bool
    matched_text: str = ""
    span: tuple[int, int] | None = None
    echo_only: bool = False
    named_only: bool = False  # the answer names it but says nothing about it

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "weight": self.weight,
            "required": self.required,
            "covered": self.covered,
            "matched_text": self.matched_text,
            "span": list(self.span) if self.span else None,
            "named_only": self.named_only,
        }


@dataclass(frozen=True)
class MisconceptionHit:
    claim: str
    correction: str
    penalty: float
    matched_text: str
    span: tuple[int, int]

    def to_dict(self) -> dict[str, object]:
        return {
            "claim": self.claim,
            "correction": self.correction,
            "penalty": self.penalty,
            "matched_text": self.matched_text,
            "span": list(self.span),
        }


@dataclass(frozen=True)
class ScoreResult:
    """Everything a front end needs to give feedback on one answer."""

    question_id: str
    score: int
    band: Band
    concepts: tuple[ConceptResult, ...]
    misconceptions: tuple[MisconceptionHit, ...]
    notes: tuple[str, ...]
    tips: tuple[Tip, ...]
    model_answer: str
    follow_ups: tuple[str, ...] = ()
    auto_rubric: bool = False

    @property
    def covered(self) -> list[ConceptResult]:
        return [c for c in self.concepts if c.covered]

    @property
    def missed(self) -> list[ConceptResult]:
        return [c for c in self.concepts if not c.covered]


class AnswerRejected(ValueError):
    """The answer cannot be scored at all (empty or too long); nothing should be recorded."""


def check_answer(answer: str) -> str:
    """Return the answer stripped, or raise with a message fit to show the candidate."""
    stripped = answer.strip() if isinstance(answer, str) else ""
    if not stripped:
        raise AnswerRejected("The answer is empty: type your answer, then send it.")
    if len(stripped) > MAX_ANSWER_CHARS:
        raise AnswerRejected(
            f"The answer is {len(stripped):,} characters; the limit is {MAX_ANSWER_CHARS:,}. "
            "Shorten it and send it again."
        )
    return stripped

"""The question bank's value types.

They are frozen so a loaded bank can be shared between sessions, and the scorer can
precompute and cache everything it needs per question.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Difficulty = Literal["easy", "medium", "hard"]
DIFFICULTIES: tuple[Difficulty, ...] = ("easy", "medium", "hard")
DEFAULT_MISCONCEPTION_PENALTY = 15.0


@dataclass(frozen=True)
class Concept:
    """One idea a good answer expresses; any of its phrases counts as expressing it."""

    name: str
    phrases: tuple[str, ...]
    weight: float = 1.0
    required: bool = False


@dataclass(frozen=True)
class Misconception:
    """A known wrong claim; stating it costs points and is called out in the feedback."""

    claim: str
    phrases: tuple[str, ...]
    correction: str = ""
    penalty: float = DEFAULT_MISCONCEPTION_PENALTY


@dataclass(frozen=True)
class TipTable:
    """A tip laid out as a table, kept as data rather than markdown: Discord cannot show
    markdown tables and a terminal has to wrap cells, not rows, so each front end renders it."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"table": {"columns": list(self.columns), "rows": [list(r) for r in self.rows]}}


Tip = str | TipTable


@dataclass(frozen=True)
class Question:
    id: str
    topic: str
    difficulty: Difficulty
    prompt: str
    model_answer: str
    tips: tuple[Tip, ...]
    source: str
    rubric: tuple[Concept, ...] = ()
    misconceptions: tuple[Misconception, ...] = ()
    hints: tuple[str, ...] = ()
    follow_ups: tuple[str, ...] = ()
    pack: str = ""
    pack_version: str = "1"

    def hint(self, index: int) -> str | None:
        """The index-th nudge; falls back to naming rubric concepts so every question has hints."""
        hints = self.hints or tuple(
            f"Think about: {concept.name.lower()}."
            for concept in sorted(self.rubric, key=lambda c: (not c.required, -c.weight))
        )
        return hints[index] if 0 <= index < len(hints) else None

    def to_dict(self) -> dict[str, Any]:
        """The pack-format mapping, so a question round-trips through YAML and the database."""
        data: dict[str, Any] = {
            "id": self.id,
            "topic": self.topic,
            "difficulty": self.difficulty,
            "prompt": self.prompt,
        }
        if self.rubric:
            data["rubric"] = [
                {
                    "name": c.name,
                    "weight": c.weight,
                    **({"required": True} if c.required else {}),
                    "phrases": list(c.phrases),
                }
                for c in self.rubric
            ]
        if self.misconceptions:
            data["misconceptions"] = [
                {
                    "claim": m.claim,
                    **({"correction": m.correction} if m.correction else {}),
                    "penalty": m.penalty,
                    "phrases": list(m.phrases),
                }
                for m in self.misconceptions
            ]
        data["model_answer"] = self.model_answer
        data["tips"] = [tip if isinstance(tip, str) else tip.to_dict() for tip in self.tips]
        if self.hints:
            data["hints"] = list(self.hints)
        if self.follow_ups:
            data["follow_ups"] = list(self.follow_ups)
        data["source"] = self.source
        return data


@dataclass(frozen=True)
class Pack:
    id: str
    title: str
    description: str
    version: str
    questions: tuple[Question, ...]
    path: str = ""


@dataclass
class QuestionBank:
    """All loaded packs, indexed by question id (ids are unique across packs)."""

    packs: dict[str, Pack] = field(default_factory=dict)
    questions: dict[str, Question] = field(default_factory=dict)

    def get(self, question_id: str) -> Question | None:
        return self.questions.get(question_id)

    def select(
        self,
        *,
        pack: str | None = None,
        topic: str | None = None,
        difficulty: str | None = None,
    ) -> list[Question]:
        return [
            q
            for q in self.questions.values()
            if (pack is None or q.pack == pack)
            and (topic is None or q.topic == topic)
            and (difficulty is None or q.difficulty == difficulty)
        ]

    @property
    def topics(self) -> list[str]:
        return sorted({q.topic for q in self.questions.values()})

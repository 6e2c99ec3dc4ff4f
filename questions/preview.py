"""What an author sees before candidates do: the concepts a question is judged on, and how
its own model answer and a copy of its prompt score against them.

A question added with only a model answer gets its concepts derived; the author should see
them, and see that the model answer scores strong while the prompt copied back scores low.
"""

from __future__ import annotations

from dataclasses import dataclass

from questions.model import Question
from questions.scoring import compile_rubric, score_answer

MODEL_ANSWER_TARGET = 80  # strong
PROMPT_COPY_CEILING = 20


@dataclass(frozen=True)
class RubricPreview:
    derived: bool  # concepts come from the model answer
    concepts: tuple[str, ...]
    model_answer_score: int
    prompt_copy_score: int

    @property
    def sound(self) -> bool:
        return (
            self.model_answer_score >= MODEL_ANSWER_TARGET
            and self.prompt_copy_score < PROMPT_COPY_CEILING
        )

    def lines(self) -> list[str]:
        """Plain lines for a terminal or a Discord embed field."""
        kind = "derived from the model answer" if self.derived else "from the rubric"
        return [
            f"concepts ({kind}): " + "; ".join(self.concepts),
            f"model answer scores {self.model_answer_score} (should be {MODEL_ANSWER_TARGET}+)",
            f"the prompt copied back scores {self.prompt_copy_score} "
            f"(should stay under {PROMPT_COPY_CEILING})",
        ]


def preview(question: Question) -> RubricPreview:
    rubric = compile_rubric(question)
    return RubricPreview(
        derived=rubric.auto,
        concepts=tuple(concept.name for concept in rubric.concepts),
        model_answer_score=score_answer(question, question.model_answer).score,
        prompt_copy_score=score_answer(question, question.prompt).score,
    )

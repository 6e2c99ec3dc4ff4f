"""Warnings about rubrics that validate but will grade badly.

The schema cannot tell that a phrase shrinks to nothing once stop words are dropped, or that
a question's own model answer would not score well; pack authors want to hear both before
candidates do.
"""

from __future__ import annotations

from questions.model import Question
from questions.scoring import DEPTH_WORDS, ScoreResult, score_answer
from questions.text import words


def _content(phrase: str) -> list[str]:
    return [w.stem for w in words(phrase) if not w.is_stopword and not w.is_negator]


def _polarity(phrase: str) -> bool:
    return any(w.is_negator for w in words(phrase))


def _short_of_strong(result: ScoreResult, answer: str) -> list[str]:
    """What kept an answer out of *strong*, so the author knows what to change."""
    reasons = []
    if result.missed:
        names = [f"{c.name} (required)" if c.required else c.name for c in result.missed]
        reasons.append("missed concepts: " + ", ".join(names))
    echoed = [c.name for c in result.concepts if c.covered and c.echo_only]
    if echoed:
        reasons.append(
            "covered only in the question's own words (half credit): " + ", ".join(echoed)
        )
    content = len(_content(answer))
    if content < DEPTH_WORDS:
        reasons.append(f"it is thin, {content} content words where {DEPTH_WORDS} earn full depth")
    # The scorer's own notes name caps and deductions; misconceptions get a warning of their own.
    reasons += [
        note[:1].lower() + note[1:].rstrip(".")
        for note in result.notes
        if not note.startswith(("A strong answer also needs", "Some statements are wrong"))
    ]
    return reasons or ["the covered concepts carry too little of the rubric's weight"]


def lint_question(question: Question) -> list[str]:
    """Human-readable warnings; an empty list means the rubric looks sound."""
    warnings: list[str] = []
    for concept in question.rubric:
        seen: dict[tuple[tuple[str, ...], bool], str] = {}
        for phrase in concept.phrases:
            stems = tuple(_content(phrase))
            idiom = tuple(w.stem for w in words(phrase))  # scored word for word, as written
            key = (stems, _polarity(phrase)) if stems else (idiom, False)
            if not stems and len(idiom) < 2:
                warnings.append(
                    f"concept '{concept.name}': phrase '{phrase}' is a single stop word, so it "
                    "matches almost any answer"
                )
            elif key in seen:
                warnings.append(
                    f"concept '{concept.name}': phrase '{phrase}' matches exactly what "
                    f"'{seen[key]}' matches"
                )
            else:
                seen[key] = phrase
    for misconception in question.misconceptions:
        for phrase in misconception.phrases:
            if len(_content(phrase)) + _polarity(phrase) < 2:
                warnings.append(
                    f"misconception '{misconception.claim}': phrase '{phrase}' has fewer than "
                    "two content words and may fire on correct answers"
                )
    result = score_answer(question, question.model_answer)
    if result.band != "strong":
        warnings.append(
            f"the model answer scores {result.score} ({result.band}), not strong: "
            + "; ".join(_short_of_strong(result, question.model_answer))
        )
    for hit in result.misconceptions:
        warnings.append(
            f"the model answer triggers misconception '{hit.claim}' with \"{hit.matched_text}\""
        )
    return warnings

"""Terminal rendering, without a database: the printer and the feedback layout."""

from __future__ import annotations

import io

from bot.terminal import Printer, render_feedback
from questions.loader import default_bank
from questions.scoring import score_answer


class AsciiOut(io.StringIO):
    encoding = "ascii"


class Utf8Out(io.StringIO):
    encoding = "utf-8"


def feedback_text(out: io.StringIO, answer: str) -> str:
    from bot.engine.interview import Feedback, SessionView

    question = default_bank().get("restful-api-design")
    result = score_answer(question, answer)
    view = SessionView(1, 1, None, "practice", "finished", 1, 1, None, 0, 1)
    render_feedback(Printer(out), Feedback(1, result, question, 1, 1, 1000, view))
    return out.getvalue()


ANSWER = (
    "Resources are plural nouns like /orders. GET reads and is idempotent, POST creates, PUT "
    "replaces the whole resource, PATCH changes part of it, DELETE removes it. POST is "
    "idempotent. Version the API in the URL, /v1/orders."
)


def test_feedback_shows_every_section_and_quotes_the_answer() -> None:
    text = feedback_text(Utf8Out(), ANSWER)
    for heading in ("Score:", "Concepts:", "Misconceptions:", "Tips:", "Model answer:"):
        assert heading in text
    assert "✔" in text and "✘" in text
    assert 'you wrote "POST is idempotent"' in text


def test_ascii_terminal_gets_ascii_marks() -> None:
    text = feedback_text(AsciiOut(), ANSWER)
    text.encode("ascii")  # would raise on any tick, cross, bullet or block character
    assert "[x]" in text and "[ ]" in text

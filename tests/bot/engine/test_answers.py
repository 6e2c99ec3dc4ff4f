"""The answer gate: one place accepts or refuses an answer, with one error."""

from __future__ import annotations

import pytest

from bot.engine.answers import MAX_ANSWER_CHARS, Answer, accept_answer
from bot.engine.errors import EngineError, InvalidAnswer


def test_accepts_and_strips() -> None:
    assert accept_answer("  A cache, then an index.\n") == Answer("A cache, then an index.")


def test_keeps_tabs_and_line_breaks_inside() -> None:
    text = "First:\tcache\r\nthen:\tindex"
    assert accept_answer(text).text == text


def test_an_accepted_answer_is_not_checked_again() -> None:
    accepted = accept_answer("an index")
    assert accept_answer(accepted) is accepted


@pytest.mark.parametrize("answer", ["", "   ", "\n\t "])
def test_refuses_an_empty_answer(answer: str) -> None:
    with pytest.raises(InvalidAnswer, match="The answer is empty"):
        accept_answer(answer)


def test_refuses_an_answer_over_the_limit() -> None:
    accept_answer("x" * MAX_ANSWER_CHARS)
    with pytest.raises(InvalidAnswer, match="limit is 4,000"):
        accept_answer("x" * (MAX_ANSWER_CHARS + 1))


@pytest.mark.parametrize("answer", ["a\x00b", "up\x1b[Aarrow", "bell\x07", "del\x7fete", "c1\x9b"])
def test_refuses_control_characters(answer: str) -> None:
    with pytest.raises(InvalidAnswer, match="control characters"):
        accept_answer(answer)


def test_the_refusal_is_an_engine_error_every_front_end_shows() -> None:
    assert issubclass(InvalidAnswer, EngineError)

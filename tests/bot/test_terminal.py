"""Terminal rendering, without a database: the printer and the feedback layout."""

from __future__ import annotations

import io

import pytest

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


def test_a_named_but_unexplained_concept_is_shown_as_such() -> None:
    text = feedback_text(Utf8Out(), "nouns, idempotent, versioning, status codes, pagination")
    assert "◐ " in text and 'named ("idempotent") but not explained' in text
    assert "You named" in text


def test_ascii_terminal_gets_ascii_marks() -> None:
    text = feedback_text(AsciiOut(), ANSWER)
    text.encode("ascii")  # would raise on any tick, cross, bullet or block character
    assert "[x]" in text and "[ ]" in text


def test_a_tip_table_is_printed_as_aligned_columns_that_never_split_a_word() -> None:
    from questions.model import TipTable

    question = default_bank().get("microservices-pros-cons")
    table = next(tip for tip in question.tips if isinstance(tip, TipTable))
    out = Utf8Out()
    Printer(out).tips(question.tips)
    lines = out.getvalue().splitlines()
    assert all(len(line) <= 88 for line in lines), max(lines, key=len)
    assert not any("|" in line for line in lines)
    header = next(line for line in lines if line.strip().startswith("Pros"))
    cons_at = header.index("Cons")
    assert header[:cons_at].strip() == "Pros"
    body = lines[lines.index(header) + 2 : lines.index(header) + 2 + 40]
    # Every word of every cell appears whole, in its own column, in order.
    pros_words = " ".join(line[:cons_at] for line in body).split()
    cons_words = " ".join(line[cons_at:] for line in body).split()
    expected_pros = " ".join(row[0] for row in table.rows).split()
    expected_cons = " ".join(row[1] for row in table.rows).split()
    assert pros_words[: len(expected_pros)] == expected_pros
    assert cons_words[: len(expected_cons)] == expected_cons


def test_an_ascii_terminal_gets_an_ascii_table() -> None:
    from questions.model import TipTable

    out = AsciiOut()
    Printer(out).tips(("Weigh both:", TipTable(("Pros", "Cons"), (("Fast", "Stale"),))))
    text = out.getvalue()
    text.encode("ascii")
    assert "* Weigh both:" in text and "Pros" in text and "Fast" in text


def test_a_refused_answer_is_printed_back_when_no_file_can_be_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot import terminal

    def no_space(*_args: object, **_kwargs: object) -> tuple[int, str]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(terminal.tempfile, "mkstemp", no_space)
    out = Utf8Out()
    terminal.keep_refused_answer(Printer(out), "my long answer\nsecond line")
    assert out.getvalue() == (
        "Your answer, to shorten and send again:\nmy long answer\nsecond line\n"
    )

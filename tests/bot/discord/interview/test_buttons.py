"""The buttons of a solo interview carry their session and question in their custom_ids."""

import discord

from bot.discord.interview.buttons import feedback_buttons, question_buttons


def _custom_ids(view: discord.ui.View) -> list[str]:
    return [item.custom_id for item in view.children]  # type: ignore[attr-defined]


def test_question_buttons_carry_session_and_position() -> None:
    assert _custom_ids(question_buttons(12, 3)) == [
        "ib:s:answer:12:3",
        "ib:s:hint:12:3",
        "ib:s:skip:12:3",
        "ib:s:stop:12:3",
    ]


def test_feedback_buttons_point_at_the_answered_and_next_question() -> None:
    view = feedback_buttons(12, 3, finished=False)
    assert _custom_ids(view) == ["ib:s:model:12:3", "ib:s:next:12:4"]
    last = feedback_buttons(12, 4, finished=True, attempt_id=77)
    labels = [item.item.label for item in last.children]  # type: ignore[attr-defined]
    assert labels == ["Model answer", "Finish", "Share result"]
    assert _custom_ids(last)[-1] == "ib:share:77"

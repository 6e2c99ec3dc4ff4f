import re

import discord
import pytest

from bot.discord.components import (
    ANSWER_MODAL,
    QUESTION_MODAL,
    ForgetButton,
    QuestionPageButton,
    SessionButton,
    ShareButton,
    answer_modal,
    feedback_buttons,
    modal_values,
    page_buttons,
    question_buttons,
    question_modal,
)


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


@pytest.mark.parametrize(
    ("item", "cls"),
    [
        (SessionButton("hint", 5, 0), SessionButton),
        (ShareButton(9), ShareButton),
        (QuestionPageButton(2, "caching", "", "n"), QuestionPageButton),
        (ForgetButton(123456789012345678, "confirm"), ForgetButton),
    ],
)
def test_every_custom_id_matches_its_own_template(item: object, cls: type) -> None:
    custom_id = item.custom_id  # type: ignore[attr-defined]
    assert len(custom_id) <= 100
    assert re.fullmatch(cls.__discord_ui_compiled_template__, custom_id)


def test_page_buttons_disable_at_the_ends() -> None:
    first = page_buttons(0, 3, None, None).children
    assert [b.item.disabled for b in first] == [True, False]  # type: ignore[attr-defined]
    last = page_buttons(2, 3, "caching", "custom").children
    assert [b.item.disabled for b in last] == [False, True]  # type: ignore[attr-defined]


def test_answer_modal_takes_up_to_4000_characters() -> None:
    modal = answer_modal(3, 1, "Question 2 of 5")
    assert ANSWER_MODAL.fullmatch(modal.custom_id)
    (label,) = modal.children
    assert isinstance(label, discord.ui.Label)
    text_input = label.component
    assert isinstance(text_input, discord.ui.TextInput)
    assert text_input.max_length == 4000
    assert text_input.style is discord.TextStyle.paragraph


def test_question_modal_has_the_five_fields_with_defaults() -> None:
    modal = question_modal("my-q", {"prompt": "What is a cache?"})
    assert QUESTION_MODAL.fullmatch(modal.custom_id)["question"] == "my-q"  # type: ignore[index]
    labels = modal.children
    ids = [c.component.custom_id for c in labels]  # type: ignore[attr-defined]
    assert ids == ["prompt", "topic", "model_answer", "concepts", "tips"]
    assert labels[0].component.default == "What is a cache?"  # type: ignore[attr-defined]
    assert all(len(c.text) <= 45 for c in labels)  # type: ignore[attr-defined]


def test_modal_values_reads_action_rows_and_labels() -> None:
    data = {
        "custom_id": "x",
        "components": [
            {"type": 1, "components": [{"type": 4, "custom_id": "answer", "value": "hi"}]},
            {"type": 18, "component": {"type": 4, "custom_id": "tips", "value": "a\nb"}},
        ],
    }
    assert modal_values(data) == {"answer": "hi", "tips": "a\nb"}
    assert modal_values({}) == {}

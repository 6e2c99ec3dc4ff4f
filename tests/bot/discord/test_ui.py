"""The shared bases: every button's custom_id fits its template, the answer form, modal values."""

import re

import discord
import pytest

from bot.discord.interview.buttons import ANSWER_MODAL, SessionButton, ShareButton
from bot.discord.privacy.buttons import ForgetButton
from bot.discord.questions.buttons import QuestionPageButton
from bot.discord.ui import answer_modal, modal_values


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


def test_answer_modal_takes_up_to_4000_characters() -> None:
    modal = answer_modal(3, 1, "Question 2 of 5")
    assert ANSWER_MODAL.fullmatch(modal.custom_id)
    (label,) = modal.children
    assert isinstance(label, discord.ui.Label)
    text_input = label.component
    assert isinstance(text_input, discord.ui.TextInput)
    assert text_input.max_length == 4000
    assert text_input.style is discord.TextStyle.paragraph


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

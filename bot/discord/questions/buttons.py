"""The buttons and form of /question: paging through the bank, and the add/edit form."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.discord.ui import GuardedButton, RoutedModal, view_of

QUESTION_MODAL = re.compile(r"ib:qform:(?P<mode>add|edit)(?::(?P<question>[a-z0-9-]+))?")
QUESTION_FIELDS = ("prompt", "topic", "model_answer", "concepts", "tips")


class QuestionPageButton(
    GuardedButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"ib:ql:(?P<page>[0-9]+):(?P<topic>[a-z0-9-]*):(?P<pack>[a-z0-9-]*):(?P<dir>p|n)",
):
    """Pages of `/question list`; the filters ride along so any page can be rebuilt."""

    def __init__(
        self, page: int, topic: str, pack: str, direction: str, disabled: bool = False
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label="Previous" if direction == "p" else "Next",
                emoji="◀️" if direction == "p" else "▶️",
                style=discord.ButtonStyle.secondary,
                custom_id=f"ib:ql:{page}:{topic}:{pack}:{direction}",
                disabled=disabled,
            )
        )
        self.page = page
        self.topic = topic
        self.pack = pack

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> QuestionPageButton:
        return cls(int(match["page"]), match["topic"], match["pack"], match["dir"])


def page_buttons(page: int, pages: int, topic: str | None, pack: str | None) -> discord.ui.View:
    return view_of(
        [
            QuestionPageButton(max(page - 1, 0), topic or "", pack or "", "p", disabled=page <= 0),
            QuestionPageButton(
                min(page + 1, pages - 1), topic or "", pack or "", "n", disabled=page >= pages - 1
            ),
        ]
    )


def question_modal(
    question_id: str | None, defaults: dict[str, str] | None = None
) -> discord.ui.Modal:
    defaults = defaults or {}
    custom_id = f"ib:qform:edit:{question_id}" if question_id else "ib:qform:add"
    title = f"Edit {question_id}" if question_id else "Add a question"
    modal = RoutedModal(title=title[:45], custom_id=custom_id, timeout=3600)
    paragraph, short = discord.TextStyle.paragraph, discord.TextStyle.short
    specs = (
        ("prompt", "Question", "What the candidate is asked.", paragraph, 10, 1000, None),
        (
            "topic",
            "Topic",
            "Add / easy, / medium or / hard for the difficulty (default medium).",
            short,
            1,
            80,
            "caching / hard",
        ),
        (
            "model_answer",
            "Model answer",
            "A strong answer, 20+ characters.",
            paragraph,
            20,
            4000,
            None,
        ),
        (
            "concepts",
            "Concepts",
            "One per line: name: phrase, phrase. Name* = required. Empty: derived from the "
            "model answer.",
            paragraph,
            0,
            4000,
            "Invalidation*: invalidate, expire, ttl\nEviction: lru, evict",
        ),
        ("tips", "Tips", "One per line.", paragraph, 1, 4000, None),
    )
    for key, text, description, style, low, high, placeholder in specs:
        modal.add_item(
            discord.ui.Label(
                text=text,
                description=description[:100],
                component=discord.ui.TextInput(
                    custom_id=key,
                    style=style,
                    min_length=low,
                    max_length=high,
                    required=low > 0,
                    default=defaults.get(key),
                    placeholder=placeholder,
                ),
            )
        )
    return modal

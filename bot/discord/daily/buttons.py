"""The question of the day's Answer button and its form; both name the day's post."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.discord.ui import GuardedButton, view_of

DAILY_ANSWER_MODAL = re.compile(r"ib:danswer:(?P<post>[0-9]+):(?P<position>[0-9]+)")


class DailyButton(
    GuardedButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"ib:daily:answer:(?P<post>[0-9]+)",
):
    """Opens the answer form for one day's question, after a restart too."""

    def __init__(self, post_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Answer",
                style=discord.ButtonStyle.primary,
                emoji="✍️",
                custom_id=f"ib:daily:answer:{post_id}",
            )
        )
        self.post_id = post_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> DailyButton:
        return cls(int(match["post"]))


def daily_buttons(post_id: int) -> discord.ui.View:
    return view_of([DailyButton(post_id)])

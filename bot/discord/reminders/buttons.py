"""The reminder DM's button: start a review (or one question) right there in the DM."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.discord.ui import GuardedButton, view_of

_LOOK = {"review": ("Start review", "🔁"), "practice": ("Answer one question", "✍️")}


class ReminderButton(
    GuardedButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"ib:remind:(?P<action>review|practice):(?P<member>[0-9]+)",
):
    """Names the member the reminder was for, so it works after a restart."""

    def __init__(self, action: str, member_id: int) -> None:
        label, emoji = _LOOK[action]
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.primary,
                emoji=emoji,
                custom_id=f"ib:remind:{action}:{member_id}",
            )
        )
        self.action = action
        self.member_id = member_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ReminderButton:
        return cls(match["action"], int(match["member"]))


def reminder_buttons(action: str, member_id: int) -> discord.ui.View:
    return view_of([ReminderButton(action, member_id)])

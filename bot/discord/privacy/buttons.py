"""The confirm and cancel buttons of /forget-me; each names the member it is for."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.discord.ui import GuardedButton, view_of


class ForgetButton(
    GuardedButton,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"ib:forget:(?P<user>[0-9]+):(?P<action>confirm|cancel)",
):
    def __init__(self, user_id: int, action: str) -> None:
        confirm = action == "confirm"
        super().__init__(
            discord.ui.Button(
                label="Yes, delete everything" if confirm else "Cancel",
                style=discord.ButtonStyle.danger if confirm else discord.ButtonStyle.secondary,
                custom_id=f"ib:forget:{user_id}:{action}",
            )
        )
        self.user_id = user_id
        self.action = action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ForgetButton:
        return cls(int(match["user"]), match["action"])


def forget_buttons(user_id: int) -> discord.ui.View:
    return view_of([ForgetButton(user_id, "confirm"), ForgetButton(user_id, "cancel")])

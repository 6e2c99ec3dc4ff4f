"""/forget-me: ask first, then delete everything stored about the member, or nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.discord.privacy.buttons import ForgetButton, forget_buttons
from bot.discord.privacy.embeds import forget_result_embed
from bot.discord.text import send

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot


class PrivacyFlows:
    def __init__(self, bot: InterviewBot) -> None:
        self.bot = bot

    async def ask(self, interaction: discord.Interaction) -> None:
        await send(
            interaction,
            ephemeral=True,
            content=(
                "This deletes everything I store about you, in every server and DM: your "
                "answers and scores, interview sessions, review schedule and profile. "
                "It cannot be undone. Delete it all?"
            ),
            view=forget_buttons(interaction.user.id),
        )

    async def on_button(self, interaction: discord.Interaction, button: ForgetButton) -> None:
        if interaction.user.id != button.user_id:
            await send(interaction, ephemeral=True, content="That button is for someone else.")
            return
        if button.action != "confirm":
            await interaction.response.edit_message(
                content="Cancelled: nothing was deleted.", view=None
            )
            return
        counts = await self.bot.user_service.forget_discord_user(button.user_id)
        await interaction.response.edit_message(
            content=None, embed=forget_result_embed(counts), view=None
        )

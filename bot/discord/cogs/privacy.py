"""/forget-me: erase everything stored about the caller, after a confirmation."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot


class Privacy(commands.Cog):
    def __init__(self, bot: InterviewBot) -> None:
        self.bot = bot

    @app_commands.command(name="forget-me", description="Delete everything stored about you")
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)
    async def forget_me(self, interaction: discord.Interaction) -> None:
        await self.bot.ask_forget_me(interaction)


async def setup(bot: InterviewBot) -> None:
    await bot.add_cog(Privacy(bot))

"""/help: a short guide to every command."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord import embeds
from bot.discord.sessions import send

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot


class Help(commands.Cog):
    def __init__(self, bot: InterviewBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="How to use the interview bot")
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)
    async def help(self, interaction: discord.Interaction) -> None:
        await send(interaction, ephemeral=True, embed=embeds.help_embed())


async def setup(bot: InterviewBot) -> None:
    await bot.add_cog(Help(bot))

"""/help: a short guide to every command."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.help.embeds import help_embed
from bot.discord.text import send


class Help(commands.Cog):
    @app_commands.command(name="help", description="How to use the interview bot")
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)
    async def help(self, interaction: discord.Interaction) -> None:
        await send(interaction, ephemeral=True, embed=help_embed())

"""/progress and /leaderboard: how candidates are doing."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.progress.flows import ProgressFlows

PERIOD_CHOICES = [
    app_commands.Choice(name="this week", value="week"),
    app_commands.Choice(name="this month", value="month"),
    app_commands.Choice(name="all time", value="all"),
]


class Progress(commands.Cog):
    def __init__(self, flows: ProgressFlows) -> None:
        self.flows = flows

    @app_commands.command(name="progress", description="Your progress, with a chart")
    @app_commands.describe(member="Someone else in this server (their answers here only)")
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)
    async def progress(
        self, interaction: discord.Interaction, member: discord.Member | None = None
    ) -> None:
        await self.flows.progress(interaction, member)

    @app_commands.command(name="leaderboard", description="This server's top candidates")
    @app_commands.describe(period="Which answers count (default: all time)")
    @app_commands.choices(period=PERIOD_CHOICES)
    @app_commands.guild_only()
    async def leaderboard(
        self,
        interaction: discord.Interaction,
        period: app_commands.Choice[str] | None = None,
    ) -> None:
        await self.flows.leaderboard(interaction, period.value if period else "all")

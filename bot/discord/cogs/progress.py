"""/progress and /leaderboard: how candidates are doing."""

from __future__ import annotations

import asyncio
import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.charts import render_progress_chart
from bot.discord import embeds
from bot.discord.sessions import send
from bot.engine.errors import NotAllowed
from bot.engine.progress import ProgressSummary
from storage.repositories import UNSET

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot

PERIOD_CHOICES = [
    app_commands.Choice(name="this week", value="week"),
    app_commands.Choice(name="this month", value="month"),
    app_commands.Choice(name="all time", value="all"),
]


class Progress(commands.Cog):
    def __init__(self, bot: InterviewBot) -> None:
        self.bot = bot

    @app_commands.command(name="progress", description="Your progress, with a chart")
    @app_commands.describe(member="Someone else in this server (their answers here only)")
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)
    async def progress(
        self, interaction: discord.Interaction, member: discord.Member | None = None
    ) -> None:
        target: discord.abc.User = member or interaction.user
        guild = interaction.guild
        someone_else = member is not None and member.id != interaction.user.id
        if someone_else and (guild is None or getattr(member, "guild", None) != guild):
            raise NotAllowed("You can only view the progress of members of this server.")
        # In a server: that server's answers, so viewing someone shows nothing from elsewhere.
        # In DMs: everything of your own.
        scope = "in this server" if guild is not None else "everywhere"
        await interaction.response.defer(ephemeral=True, thinking=True)
        user_id = await self.bot.user_service.find_discord_user(target.id)
        summary = (
            await self.bot.service.progress(user_id, guild.id if guild else UNSET)
            if user_id is not None
            else None
        )
        name = target.display_name
        if summary is None or not summary.answered:
            embed = embeds.progress_embed(summary or ProgressSummary(), name, scope, {})
            await send(interaction, ephemeral=True, embed=embed)
            return
        titles = await self.bot.sessions.titles(
            [q.question_id for q in summary.questions], interaction
        )
        embed = embeds.progress_embed(summary, name, scope, titles)
        png = await asyncio.to_thread(
            render_progress_chart,
            summary.history,
            [(t.topic, t.mastery) for t in summary.topics],
            title=f"Progress of {name}",
        )
        embed.set_image(url="attachment://progress.png")
        await send(
            interaction,
            ephemeral=True,
            embed=embed,
            file=discord.File(io.BytesIO(png), filename="progress.png"),
        )

    @app_commands.command(name="leaderboard", description="This server's top candidates")
    @app_commands.describe(period="Which answers count (default: all time)")
    @app_commands.choices(period=PERIOD_CHOICES)
    @app_commands.guild_only()
    async def leaderboard(
        self,
        interaction: discord.Interaction,
        period: app_commands.Choice[str] | None = None,
    ) -> None:
        guild = interaction.guild
        assert guild is not None  # guild_only
        await interaction.response.defer(thinking=True)
        board = await self.bot.leaderboards.leaderboard(guild.id, period.value if period else "all")
        await send(interaction, ephemeral=False, embed=embeds.leaderboard_embed(board, guild.name))


async def setup(bot: InterviewBot) -> None:
    await bot.add_cog(Progress(bot))

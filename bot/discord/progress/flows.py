"""What /progress and /leaderboard do: a member's summary with its chart, a server's board."""

from __future__ import annotations

import asyncio
import io
from typing import TYPE_CHECKING

import discord

from bot.discord.lookups import titles
from bot.discord.progress import embeds
from bot.discord.text import send
from bot.engine.chart import render_progress_chart
from bot.engine.errors import NotAllowed
from bot.engine.mock.progress import PeerProgress, load_peer_progress
from bot.engine.progress import ProgressSummary

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot


class ProgressFlows:
    def __init__(self, bot: InterviewBot) -> None:
        self.bot = bot

    async def progress(
        self, interaction: discord.Interaction, member: discord.Member | None
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
        summary = await self._summary(target, guild)
        peer = await self._peer(target, guild)
        name = target.display_name
        if not summary.answered:
            embed = embeds.progress_embed(summary, name, scope, {}, peer=peer, own=not someone_else)
            await send(interaction, ephemeral=True, embed=embed)
            return
        named = await titles(
            self.bot, [q.question_id for q in summary.questions], interaction.guild_id
        )
        embed = embeds.progress_embed(summary, name, scope, named, peer=peer, own=not someone_else)
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

    async def _summary(
        self, target: discord.abc.User, guild: discord.Guild | None
    ) -> ProgressSummary:
        """The target's progress in this server, or everywhere from DMs; empty if unknown."""
        user_id = await self.bot.user_service.find_discord_user(target.id)
        if user_id is None:
            return ProgressSummary()
        if guild is None:
            return await self.bot.service.progress(user_id)
        return await self.bot.service.progress(user_id, guild.id)

    async def _peer(self, target: discord.abc.User, guild: discord.Guild | None) -> PeerProgress:
        """Peer mock interviews in this server, or in every server from DMs."""
        user_id = await self.bot.user_service.find_discord_user(target.id)
        if user_id is None:
            return PeerProgress()
        return await load_peer_progress(self.bot.database, user_id, guild.id if guild else None)

    async def leaderboard(self, interaction: discord.Interaction, period: str) -> None:
        guild = interaction.guild
        assert guild is not None  # guild_only
        await interaction.response.defer(thinking=True)
        board = await self.bot.leaderboards.leaderboard(guild.id, period)
        await send(interaction, ephemeral=False, embed=embeds.leaderboard_embed(board, guild.name))

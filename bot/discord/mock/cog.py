"""/mock join|leave|invite: peer mock interviews, two members interviewing each other."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.lookups import DIFFICULTY_CHOICES, Topic
from bot.discord.mock.flows import MatchFlows
from bot.discord.mock.room import RoomKeeper


@app_commands.guild_only()
class Mock(commands.GroupCog, group_name="mock"):
    """Peer mock interviews: the bot pairs members, runs the room and keeps the feedback."""

    def __init__(self, flows: MatchFlows, keeper: RoomKeeper) -> None:
        self.flows = flows
        self.keeper = keeper
        super().__init__()

    async def cog_unload(self) -> None:
        await self.keeper.close_all()  # no timer may fire once the bot is closing

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        self.keeper.start_recovery()

    @app_commands.command(name="join", description="Wait for a partner for a peer mock interview")
    @app_commands.describe(
        topic="Only questions on this topic", difficulty="Only questions of this difficulty"
    )
    @app_commands.choices(difficulty=DIFFICULTY_CHOICES)
    async def join(
        self,
        interaction: discord.Interaction,
        topic: Topic | None = None,
        difficulty: app_commands.Choice[str] | None = None,
    ) -> None:
        await self.flows.join(interaction, topic, difficulty.value if difficulty else None)

    @app_commands.command(name="leave", description="Leave the queue or your mock interview")
    async def leave(self, interaction: discord.Interaction) -> None:
        await self.flows.leave(interaction)

    @app_commands.command(name="invite", description="Invite a member to a peer mock interview")
    @app_commands.describe(
        member="Who to interview with",
        topic="Only questions on this topic",
        difficulty="Only questions of this difficulty",
    )
    @app_commands.choices(difficulty=DIFFICULTY_CHOICES)
    async def invite(
        self,
        interaction: discord.Interaction,
        member: discord.Member,
        topic: Topic | None = None,
        difficulty: app_commands.Choice[str] | None = None,
    ) -> None:
        chosen = difficulty.value if difficulty else None
        await self.flows.invite(interaction, member, topic, chosen)

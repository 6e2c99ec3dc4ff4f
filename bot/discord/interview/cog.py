"""/interview start|stop|status and /review: solo sessions; plain messages as answers."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.interview.flows import SessionFlows
from bot.discord.lookups import DIFFICULTY_CHOICES, Topic
from bot.engine.interview import MAX_COUNT


@app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)
class Interview(commands.GroupCog, group_name="interview"):
    """Mock interviews, one question at a time."""

    def __init__(self, flows: SessionFlows) -> None:
        self.flows = flows
        super().__init__()

    @app_commands.command(name="start", description="Start a mock interview")
    @app_commands.describe(
        topic="Only questions on this topic, e.g. databases",
        difficulty="Only questions of this difficulty",
        count=f"How many questions (1-{MAX_COUNT}); the server's default otherwise",
    )
    @app_commands.choices(difficulty=DIFFICULTY_CHOICES)
    async def start(
        self,
        interaction: discord.Interaction,
        topic: Topic | None = None,
        difficulty: app_commands.Choice[str] | None = None,
        count: app_commands.Range[int, 1, MAX_COUNT] | None = None,
    ) -> None:
        chosen = difficulty.value if difficulty else None
        await self.flows.start(interaction, topic=topic, difficulty=chosen, count=count)

    @app_commands.command(name="stop", description="Stop your interview and see the summary")
    async def stop(self, interaction: discord.Interaction) -> None:
        await self.flows.stop_session(interaction)

    @app_commands.command(name="status", description="Where your interview stands")
    async def status(self, interaction: discord.Interaction) -> None:
        await self.flows.show_status(interaction)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        await self.flows.on_message(message)


class Review(commands.Cog):
    def __init__(self, flows: SessionFlows) -> None:
        self.flows = flows

    @app_commands.command(name="review", description="Practise the questions due for review")
    @app_commands.describe(count=f"How many due questions at most (1-{MAX_COUNT})")
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)
    async def review(
        self,
        interaction: discord.Interaction,
        count: app_commands.Range[int, 1, MAX_COUNT] | None = None,
    ) -> None:
        await self.flows.start(interaction, topic=None, difficulty=None, count=count, review=True)

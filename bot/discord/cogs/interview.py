"""/interview start|stop|status and /review: solo sessions."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.engine.interview import MAX_COUNT

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot

DIFFICULTY_CHOICES = [
    app_commands.Choice(name=name, value=name) for name in ("easy", "medium", "hard")
]


@app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)
class Interview(commands.GroupCog, group_name="interview"):
    """Mock interviews, one question at a time."""

    def __init__(self, bot: InterviewBot) -> None:
        self.bot = bot
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
        topic: str | None = None,
        difficulty: app_commands.Choice[str] | None = None,
        count: app_commands.Range[int, 1, MAX_COUNT] | None = None,
    ) -> None:
        await self.bot.sessions.start(
            interaction,
            topic=topic.strip().lower() if topic else None,
            difficulty=difficulty.value if difficulty else None,
            count=count,
            review=False,
        )

    @start.autocomplete("topic")
    async def topic_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await topic_choices(self.bot, interaction, current)

    @app_commands.command(name="stop", description="Stop your interview and see the summary")
    async def stop(self, interaction: discord.Interaction) -> None:
        await self.bot.sessions.stop_command(interaction)

    @app_commands.command(name="status", description="Where your interview stands")
    async def status(self, interaction: discord.Interaction) -> None:
        await self.bot.sessions.status_command(interaction)


async def topic_choices(
    bot: InterviewBot, interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    questions = await bot.authoring.list(interaction.guild_id)
    topics = sorted({q.topic for q in questions})
    wanted = current.strip().lower()
    return [app_commands.Choice(name=t, value=t) for t in topics if wanted in t][:25]


class Review(commands.Cog):
    def __init__(self, bot: InterviewBot) -> None:
        self.bot = bot

    @app_commands.command(name="review", description="Practise the questions due for review")
    @app_commands.describe(count=f"How many due questions at most (1-{MAX_COUNT})")
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)
    async def review(
        self,
        interaction: discord.Interaction,
        count: app_commands.Range[int, 1, MAX_COUNT] | None = None,
    ) -> None:
        await self.bot.sessions.start(
            interaction, topic=None, difficulty=None, count=count, review=True
        )


async def setup(bot: InterviewBot) -> None:
    await bot.add_cog(Interview(bot))
    await bot.add_cog(Review(bot))

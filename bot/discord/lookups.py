"""What several features ask the engine the same way: a member's user id, question titles,
and the choices their commands offer."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.discord.client import InterviewBot
from bot.discord.text import truncate
from bot.engine.calendar import zone_choices

DIFFICULTY_CHOICES = [
    app_commands.Choice(name=name, value=name) for name in ("easy", "medium", "hard")
]


async def user_of(bot: InterviewBot, user: discord.abc.User) -> int:
    """The member's user id, created on first contact; keeps their display name current."""
    return await bot.user_service.discord_user(user.id, user.display_name[:100])


async def titles(
    bot: InterviewBot, question_ids: list[str], guild_id: int | None
) -> dict[str, str]:
    """Each question's prompt cut to a title; an id that no longer resolves stands for itself."""
    found = {}
    for question_id in dict.fromkeys(question_ids):
        question = await bot.service.resolve_question(question_id, guild_id)
        found[question_id] = truncate(question.prompt, 70) if question else question_id
    return found


class TopicOption(app_commands.Transformer):
    """A topic option, as every command that draws questions has one: autocompleted from the
    topics this server's questions cover, and compared in lower case."""

    async def transform(self, interaction: discord.Interaction, value: str) -> str:
        return value.strip().lower()

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str
    ) -> list[app_commands.Choice[str]]:
        bot = interaction.client
        assert isinstance(bot, InterviewBot)
        questions = await bot.authoring.list(interaction.guild_id)
        topics = sorted({q.topic for q in questions})
        wanted = value.strip().lower()
        return [app_commands.Choice(name=t, value=t) for t in topics if wanted in t][:25]


Topic = app_commands.Transform[str, TopicOption]


class TimeZoneOption(app_commands.Transformer):
    """An IANA time zone, suggested as it is typed; the engine validates what is sent."""

    async def transform(self, interaction: discord.Interaction, value: str) -> str:
        return value.strip()

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=name, value=name) for name in zone_choices(value)]


TimeZone = app_commands.Transform[str, TimeZoneOption]

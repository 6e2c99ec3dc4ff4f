"""/daily set|off|status|reveal for managers, and /daily names for everyone."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.daily.flows import DailyFlows
from bot.discord.lookups import DIFFICULTY_CHOICES, TimeZone, Topic

ON_OFF = [app_commands.Choice(name="on", value="on"), app_commands.Choice(name="off", value="off")]


@app_commands.guild_only()
class Daily(commands.GroupCog, group_name="daily"):
    """A question posted every day at a time the server chooses."""

    def __init__(self, flows: DailyFlows) -> None:
        self.flows = flows
        super().__init__()

    @app_commands.command(name="set", description="Post a question every day here (managers)")
    @app_commands.describe(
        channel="Where to post it",
        time="Local time, 24-hour HH:MM, e.g. 09:00",
        timezone="IANA time zone, e.g. Europe/Berlin",
        topic="Only questions on this topic",
        difficulty="Only questions of this difficulty",
    )
    @app_commands.choices(difficulty=DIFFICULTY_CHOICES)
    async def set_daily(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        time: str,
        timezone: TimeZone,
        topic: Topic | None = None,
        difficulty: app_commands.Choice[str] | None = None,
    ) -> None:
        chosen = difficulty.value if difficulty else None
        await self.flows.set_schedule(interaction, channel, time, timezone, topic, chosen)

    @app_commands.command(name="off", description="Stop the question of the day (managers)")
    async def off(self, interaction: discord.Interaction) -> None:
        await self.flows.turn_off(interaction)

    @app_commands.command(name="status", description="Where and when it posts (managers)")
    async def status(self, interaction: discord.Interaction) -> None:
        await self.flows.status(interaction)

    @app_commands.command(name="reveal", description="Post the recap now (managers)")
    async def reveal(self, interaction: discord.Interaction) -> None:
        await self.flows.reveal(interaction)

    @app_commands.command(name="names", description="Show your name in recaps' top three?")
    @app_commands.describe(choice="on: named when in the top three; off: counted, never named")
    @app_commands.choices(choice=ON_OFF)
    async def names(
        self, interaction: discord.Interaction, choice: app_commands.Choice[str]
    ) -> None:
        await self.flows.names(interaction, choice.value == "on")

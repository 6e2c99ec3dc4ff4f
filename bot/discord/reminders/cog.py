"""/remind on|off|status|timezone: a member's own review reminders and time zone."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.lookups import TimeZone
from bot.discord.reminders.flows import ReminderFlows


@app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)
class Remind(commands.GroupCog, group_name="remind"):
    """At most one DM a day when reviews are due or a streak would break."""

    def __init__(self, flows: ReminderFlows) -> None:
        self.flows = flows
        super().__init__()

    @app_commands.command(name="on", description="A DM at your time when reviews are due")
    @app_commands.describe(
        time="Local time, 24-hour HH:MM (default 18:00, or your earlier choice)",
        timezone="IANA time zone, e.g. Europe/Berlin (default: your earlier choice, or UTC)",
    )
    async def on(
        self,
        interaction: discord.Interaction,
        time: str | None = None,
        timezone: TimeZone | None = None,
    ) -> None:
        await self.flows.turn_on(interaction, time, timezone)

    @app_commands.command(name="off", description="No more reminder DMs")
    async def off(self, interaction: discord.Interaction) -> None:
        await self.flows.turn_off(interaction)

    @app_commands.command(name="status", description="Your reminder time and time zone")
    async def status(self, interaction: discord.Interaction) -> None:
        await self.flows.status(interaction)

    @app_commands.command(name="timezone", description="Your time zone, for streaks and reminders")
    @app_commands.describe(timezone="IANA time zone, e.g. America/New_York")
    async def timezone(self, interaction: discord.Interaction, timezone: TimeZone) -> None:
        await self.flows.set_timezone(interaction, timezone)

"""/settings: the role that may manage questions, and defaults for new sessions."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.settings.flows import MockSettings, SettingsFlows
from bot.engine.interview import MAX_COUNT
from bot.engine.mock.rules import MAX_WAIT_MINUTES, MIN_WAIT_MINUTES

DIFFICULTY_CHOICES = [
    app_commands.Choice(name=name, value=name) for name in ("easy", "medium", "hard", "any")
]


class Settings(commands.Cog):
    def __init__(self, flows: SettingsFlows) -> None:
        self.flows = flows

    @app_commands.command(name="settings", description="Show or change this server's settings")
    @app_commands.describe(
        manager_role="Members with this role may manage questions (besides Manage Server)",
        clear_manager_role="Remove the manager role: only Manage Server may manage questions",
        default_count=f"Questions per interview when not given (1-{MAX_COUNT})",
        default_difficulty="Difficulty when not given (any: all of them)",
        mock_wait_minutes="Minutes a member waits in the /mock queue before being told",
        report_channel="Where mock-interview reports go (for the moderators)",
        clear_report_channel="Stop posting mock-interview reports anywhere",
    )
    @app_commands.choices(default_difficulty=DIFFICULTY_CHOICES)
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def settings(
        self,
        interaction: discord.Interaction,
        manager_role: discord.Role | None = None,
        clear_manager_role: bool = False,
        default_count: app_commands.Range[int, 1, MAX_COUNT] | None = None,
        default_difficulty: app_commands.Choice[str] | None = None,
        mock_wait_minutes: app_commands.Range[int, MIN_WAIT_MINUTES, MAX_WAIT_MINUTES]
        | None = None,
        report_channel: discord.TextChannel | None = None,
        clear_report_channel: bool = False,
    ) -> None:
        difficulty = default_difficulty.value if default_difficulty else None
        await self.flows.show_or_change(
            interaction,
            manager_role,
            clear_manager_role,
            default_count,
            difficulty,
            mock=MockSettings(mock_wait_minutes, report_channel, clear_report_channel),
        )

"""/settings: the role that may manage questions, and defaults for new sessions."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord import embeds
from bot.discord.sessions import send
from bot.engine.interview import MAX_COUNT

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot

DIFFICULTY_CHOICES = [
    app_commands.Choice(name=name, value=name) for name in ("easy", "medium", "hard", "any")
]


class Settings(commands.Cog):
    def __init__(self, bot: InterviewBot) -> None:
        self.bot = bot

    @app_commands.command(name="settings", description="Show or change this server's settings")
    @app_commands.describe(
        manager_role="Members with this role may manage questions (besides Manage Server)",
        clear_manager_role="Remove the manager role: only Manage Server may manage questions",
        default_count=f"Questions per interview when not given (1-{MAX_COUNT})",
        default_difficulty="Difficulty when not given (any: all of them)",
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
    ) -> None:
        await self.bot.require_manager(interaction)
        guild = interaction.guild
        assert guild is not None
        settings = await self.bot.settings_service.update(
            guild.id,
            guild.name,
            manager_role_id=manager_role.id if manager_role else None,
            clear_manager_role=clear_manager_role,
            default_count=default_count,
            default_difficulty=default_difficulty.value if default_difficulty else None,
        )
        changed = any(
            (manager_role, clear_manager_role, default_count is not None, default_difficulty)
        )
        await send(
            interaction,
            ephemeral=True,
            content="Saved." if changed else None,
            embed=embeds.settings_embed(settings, guild.name),
        )


async def setup(bot: InterviewBot) -> None:
    await bot.add_cog(Settings(bot))

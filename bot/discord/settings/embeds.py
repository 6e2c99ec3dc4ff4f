"""The embed of /settings."""

from __future__ import annotations

import discord

from bot.discord.colours import NEUTRAL
from bot.discord.text import fit_embed, truncate
from bot.engine.guild_settings import GuildSettings


def settings_embed(settings: GuildSettings, guild_name: str) -> discord.Embed:
    embed = discord.Embed(title=f"Settings · {truncate(guild_name, 80)}", colour=NEUTRAL)
    role = f"<@&{settings.manager_role_id}>" if settings.manager_role_id else "not set"
    embed.add_field(
        name="Question managers",
        value=f"Manage Server, or role: {role}",
        inline=False,
    )
    embed.add_field(name="Default count", value=str(settings.default_count))
    embed.add_field(name="Default difficulty", value=settings.default_difficulty or "any")
    embed.add_field(name="Mock queue wait", value=f"{settings.mock_wait_minutes} min")
    report = f"<#{settings.report_channel_id}>" if settings.report_channel_id else "not set"
    embed.add_field(name="Mock-interview reports", value=report)
    embed.set_footer(
        text="Change with /settings manager_role:… default_count:… default_difficulty:…"
    )
    return fit_embed(embed)

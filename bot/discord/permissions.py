"""Who may manage questions, and what the bot itself needs from a server."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.discord.cooldowns import OnCooldown
from bot.engine.errors import NotAllowed
from bot.engine.guild_settings import GuildSettings

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot

# What the bot needs in the channels it works in, and why:
REQUIRED_PERMISSIONS = discord.Permissions(
    view_channel=True,  # see the channel a command came from
    send_messages=True,  # post questions and feedback
    send_messages_in_threads=True,  # ... inside the candidate's private thread
    create_private_threads=True,  # one private thread per interview
    create_public_threads=True,  # one thread per study-group round
    embed_links=True,  # questions and feedback are embeds
    attach_files=True,  # the /progress chart and /question export
    read_message_history=True,  # reply to and edit its own messages in threads
    manage_channels=True,  # a temporary voice room per mock interview (optional: degrades)
    connect=True,  # ... whose overwrites may only grant what the bot has itself
)
SCOPES = ("bot", "applications.commands")


def invite_url(client_id: int) -> str:
    return discord.utils.oauth_url(client_id, permissions=REQUIRED_PERMISSIONS, scopes=SCOPES)


def can_manage_questions(member: discord.Member | discord.User, settings: GuildSettings) -> bool:
    """Manage Server, or the role the server chose; checked on every use, because server
    admins can change a command's default permissions in their settings."""
    if not isinstance(member, discord.Member):
        return False
    if member.guild_permissions.manage_guild:
        return True
    role_id = settings.manager_role_id
    return role_id is not None and any(role.id == role_id for role in member.roles)


def refusal(settings: GuildSettings) -> str:
    role = f" or the <@&{settings.manager_role_id}> role" if settings.manager_role_id else ""
    return f"Only members with Manage Server{role} can do that."


async def require_manager(bot: InterviewBot, interaction: discord.Interaction) -> None:
    """Checked inside every managing command: server admins can change command defaults."""
    if interaction.guild is None:
        raise NotAllowed("This command only works in a server.")
    settings = await bot.settings_service.get(interaction.guild.id)
    if not can_manage_questions(interaction.user, settings):
        raise NotAllowed(refusal(settings))
    retry = bot.admin_cooldown.retry_after(interaction.user.id)
    if retry:
        raise OnCooldown(retry, "using admin commands")

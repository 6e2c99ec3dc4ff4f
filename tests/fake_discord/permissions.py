"""Discord's permission arithmetic, so interactions carry the same ``permissions`` strings
(member and ``app_permissions``) a real guild would compute."""

from __future__ import annotations

import discord

from .models import FakeChannel, FakeGuild, FakeMember

ALL_PERMISSIONS = discord.Permissions.all().value
ADMINISTRATOR = discord.Permissions(administrator=True).value
VIEW_CHANNEL = discord.Permissions(view_channel=True).value

DEFAULT_EVERYONE_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    create_private_threads=True,
    embed_links=True,
    attach_files=True,
    add_reactions=True,
    use_external_emojis=True,
    read_message_history=True,
    use_application_commands=True,
    change_nickname=True,
    create_instant_invite=True,
    connect=True,
    speak=True,
).value

DEFAULT_BOT_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    create_private_threads=True,
    manage_threads=True,
    manage_messages=True,
    embed_links=True,
    attach_files=True,
    add_reactions=True,
    read_message_history=True,
    use_application_commands=True,
    mention_everyone=True,
).value

# What Discord reports as app_permissions inside the bot's DM with a user.
DM_APP_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    embed_links=True,
    attach_files=True,
    add_reactions=True,
    read_message_history=True,
    use_external_emojis=True,
    mention_everyone=True,
).value


def to_int(value: int | discord.Permissions) -> int:
    return value.value if isinstance(value, discord.Permissions) else int(value)


def base_permissions(guild: FakeGuild, member: FakeMember) -> int:
    """Guild-level permissions: owner and administrator imply everything."""
    if member.user.id == guild.owner_id:
        return ALL_PERMISSIONS
    perms = guild.everyone.permissions
    for role_id in member.role_ids:
        role = guild.roles.get(role_id)
        if role is not None:
            perms |= role.permissions
    if perms & ADMINISTRATOR:
        return ALL_PERMISSIONS
    return perms


def channel_permissions(guild: FakeGuild, member: FakeMember, channel: FakeChannel | None) -> int:
    """Apply @everyone, role and member overwrites in Discord's order (threads use the parent)."""
    perms = base_permissions(guild, member)
    if perms == ALL_PERMISSIONS or channel is None:
        return perms
    if channel.is_thread and channel.parent_id is not None:
        parent = guild.channels.get(channel.parent_id)
        if parent is not None:
            channel = parent
    overwrites = {int(o["id"]): o for o in channel.permission_overwrites}
    everyone = overwrites.get(guild.id)
    if everyone is not None:
        perms = (perms & ~int(everyone.get("deny", 0))) | int(everyone.get("allow", 0))
    allow = deny = 0
    for role_id in member.role_ids:
        role_overwrite = overwrites.get(role_id)
        if role_overwrite is not None and int(role_overwrite.get("type", 0)) == 0:
            allow |= int(role_overwrite.get("allow", 0))
            deny |= int(role_overwrite.get("deny", 0))
    perms = (perms & ~deny) | allow
    member_overwrite = overwrites.get(member.user.id)
    if member_overwrite is not None and int(member_overwrite.get("type", 1)) == 1:
        perms = (perms & ~int(member_overwrite.get("deny", 0))) | int(
            member_overwrite.get("allow", 0)
        )
    if not perms & VIEW_CHANNEL:
        return 0
    return perms

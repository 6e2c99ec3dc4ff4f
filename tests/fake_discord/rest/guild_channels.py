"""Guild channel routes of the fake: creating text and voice channels, deleting channels.

Mixed into ``RestApi`` (api.py); ``fake``, ``_guild`` and ``_channel`` come from ``RestRoutes``.
"""

from __future__ import annotations

import discord
from aiohttp import web

from ..models import TEXT_CHANNEL, VOICE_CHANNEL, FakeChannel
from ..permissions import ADMINISTRATOR, channel_permissions
from .base import MISSING_PERMISSIONS, RestError, RestRequest, RestRoutes, json_response

MANAGE_CHANNELS = discord.Permissions(manage_channels=True).value
MANAGE_THREADS = discord.Permissions(manage_threads=True).value


class GuildChannelRoutes(RestRoutes):
    async def post_guild_channel(self, request: RestRequest) -> web.Response:
        """Text and voice channels. Like Discord: Manage Channels is needed, and overwrites may
        only allow or deny permissions the bot itself has in the guild."""
        fake = self.fake
        guild = self._guild(request)
        own = channel_permissions(guild, guild.members[fake.bot_user.id], None)
        if not own & MANAGE_CHANNELS:
            raise _missing_permissions()
        body = request.body
        ctype = int(body.get("type") or TEXT_CHANNEL)
        if ctype not in (TEXT_CHANNEL, VOICE_CHANNEL):
            raise _invalid([("type", f"Unsupported channel type {ctype}.")])
        name = str(body.get("name") or "")
        if not 1 <= len(name) <= 100:
            raise _invalid([("name", "Must be between 1 and 100 in length.")])
        overwrites = []
        for raw in body.get("permission_overwrites") or []:
            bits = int(raw.get("allow", 0)) | int(raw.get("deny", 0))
            if not own & ADMINISTRATOR and bits & ~own:
                raise _missing_permissions()
            overwrites.append(
                {
                    "id": str(raw["id"]),
                    "type": int(raw.get("type", 0)),
                    "allow": str(raw.get("allow", 0)),
                    "deny": str(raw.get("deny", 0)),
                }
            )
        parent = body.get("parent_id")
        channel = FakeChannel(
            fake.ids.next(),
            ctype,
            name,
            guild.id,
            parent_id=int(parent) if parent else None,
            position=len(guild.channels),
            permission_overwrites=overwrites,
        )
        guild.channels[channel.id] = channel
        fake.channels[channel.id] = channel
        fake.channels_created.append(channel)
        fake.gateway.dispatch("CHANNEL_CREATE", channel.payload())
        fake.notifier.notify()
        return _json(channel.payload(), 201)

    async def delete_channel(self, request: RestRequest) -> web.Response:
        """Guild channels need Manage Channels there; threads need Manage Threads or
        ownership. DM channels cannot be deleted this way in the fake."""
        fake = self.fake
        channel = self._channel(request)
        guild = fake.guild_of(channel)
        if guild is None:
            raise _dm_channel()
        perms = fake.bot_permissions(channel)
        if channel.is_thread:
            if channel.owner_id != fake.bot_user.id and not perms & MANAGE_THREADS:
                raise _missing_permissions()
        elif not perms & MANAGE_CHANNELS:
            raise _missing_permissions()
        del guild.channels[channel.id]
        del fake.channels[channel.id]
        fake.channels_deleted.append(channel)
        event = "THREAD_DELETE" if channel.is_thread else "CHANNEL_DELETE"
        fake.gateway.dispatch(event, channel.payload())
        fake.notifier.notify()
        return _json(channel.payload())


def _missing_permissions() -> Exception:
    return RestError(*MISSING_PERMISSIONS)


def _invalid(problems: list[tuple[str, str]]) -> Exception:
    return RestError.invalid(problems)


def _dm_channel() -> Exception:
    return RestError(400, "Cannot execute action on a DM channel", 50003)


def _json(data: object, status: int = 200) -> web.Response:
    return json_response(data, status)

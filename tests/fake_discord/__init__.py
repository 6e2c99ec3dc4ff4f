"""A fake Discord server (REST + gateway over loopback) for end-to-end tests of the real bot.

Typical use::

    async with FakeDiscord() as fake:
        guild = fake.create_guild()
        alice = fake.create_user("alice")
        fake.add_member(guild, alice)
        general = guild.channel_named("general")
        async with run_bot(fake, MyBot(guild_ready_timeout=0.05)):
            handle = await fake.slash(alice, general, "ping")
            assert (await handle.wait_response()).message.content == "pong"
"""

from .handles import InteractionHandle
from .interactions import FakeDiscordError
from .logguard import ErrorLogGuard
from .models import (
    DM_CHANNEL,
    FLAG_EPHEMERAL,
    FLAG_LOADING,
    PRIVATE_THREAD,
    PUBLIC_THREAD,
    TEXT_CHANNEL,
    VOICE_CHANNEL,
    ButtonInfo,
    CallbackRecord,
    FakeAttachment,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeMessage,
    FakeRole,
    FakeUser,
    MessageEvent,
    RequestRecord,
    ThreadRecord,
    Upload,
)
from .permissions import DEFAULT_BOT_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS
from .runner import run_bot
from .server import FakeDiscord
from .waiting import FakeDiscordTimeout

__all__ = [
    "DEFAULT_BOT_PERMISSIONS",
    "DEFAULT_EVERYONE_PERMISSIONS",
    "DM_CHANNEL",
    "FLAG_EPHEMERAL",
    "FLAG_LOADING",
    "PRIVATE_THREAD",
    "PUBLIC_THREAD",
    "TEXT_CHANNEL",
    "VOICE_CHANNEL",
    "ButtonInfo",
    "CallbackRecord",
    "ErrorLogGuard",
    "FakeAttachment",
    "FakeChannel",
    "FakeDiscord",
    "FakeDiscordError",
    "FakeDiscordTimeout",
    "FakeGuild",
    "FakeMember",
    "FakeMessage",
    "FakeRole",
    "FakeUser",
    "InteractionHandle",
    "MessageEvent",
    "RequestRecord",
    "ThreadRecord",
    "Upload",
    "run_bot",
]

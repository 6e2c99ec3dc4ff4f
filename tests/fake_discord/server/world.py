"""The fake's state and the API that builds it: users, guilds, roles, channels, threads, DMs.

``World`` is the bottom layer of ``FakeDiscord``: it owns every collection the other layers
(messages, waits, interactions, user actions, the server itself) read and write, plus the
lookups they share (guild of a channel, members, permissions, synced commands).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import discord

from ..gateway import INTENT_GUILDS, Gateway
from ..handles import InteractionHandle
from ..interactions import FakeDiscordError
from ..models import (
    DM_CHANNEL,
    PRIVATE_THREAD,
    PUBLIC_THREAD,
    TEXT_CHANNEL,
    FakeAttachment,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeMessage,
    FakeRole,
    FakeUser,
    JSONDict,
    MessageEvent,
    RequestRecord,
    Snowflakes,
    ThreadRecord,
)
from ..permissions import (
    DEFAULT_BOT_PERMISSIONS,
    DEFAULT_EVERYONE_PERMISSIONS,
    DM_APP_PERMISSIONS,
    base_permissions,
    channel_permissions,
    to_int,
)
from ..waiting import ChangeNotifier

if TYPE_CHECKING:
    from ..logguard import ErrorLogGuard

UserLike = FakeUser | FakeMember | int
MessageLike = FakeMessage | int


class World:
    """Everything the fake knows, and ``create_*`` helpers for tests to set the scene."""

    # Set by FakeDiscord.__init__: its callbacks build READY from this world.
    gateway: Gateway

    def __init__(
        self,
        *,
        bot_name: str = "interview-bot",
        interaction_timeout: float | None = 3.0,
        settle_timeout: float = 1.0,
    ) -> None:
        self.ids = Snowflakes()
        self.notifier = ChangeNotifier()
        self.bot_user = FakeUser(self.ids.next(), bot_name, bot=True)
        self.application_id = self.bot_user.id
        self.application_flags = 0
        self.app_owner = FakeUser(self.ids.next(), "app-owner")
        self.users: dict[int, FakeUser] = {u.id: u for u in (self.bot_user, self.app_owner)}
        self.guilds: dict[int, FakeGuild] = {}
        self.channels: dict[int, FakeChannel] = {}
        self.messages: dict[int, FakeMessage] = {}
        self.message_log: list[MessageEvent] = []
        self.attachments: dict[int, FakeAttachment] = {}
        self.commands: dict[int | None, list[JSONDict]] = {}
        self.command_syncs: list[tuple[int | None, list[JSONDict]]] = []
        self.command_ids: dict[tuple[int | None, int, str], int] = {}
        self.interactions: dict[int, InteractionHandle] = {}
        self.interactions_by_token: dict[str, InteractionHandle] = {}
        self.modals: list[tuple[InteractionHandle, JSONDict]] = []
        self.threads_created: list[ThreadRecord] = []
        self.channels_created: list[FakeChannel] = []  # by the bot, through REST
        self.channels_deleted: list[FakeChannel] = []
        self.thread_member_adds: list[tuple[int, int]] = []
        self.reactions: list[tuple[int, str]] = []
        self.requests: list[RequestRecord] = []
        self.unhandled_requests: list[str] = []
        self.rejected_requests: list[str] = []
        self.internal_errors: list[str] = []
        self.reject_token = False
        # Privileged intents not enabled "in the developer portal": IDENTIFY gets close 4014.
        self.disallowed_intents = 0
        self.interaction_timeout = interaction_timeout
        self.settle_timeout = settle_timeout
        self.error_guard: ErrorLogGuard | None = None
        self.port = 0
        self._clients: list[discord.Client] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # ------------------------------------------------------------------ world building

    def create_user(
        self, username: str, *, global_name: str | None = None, locale: str = "en-US"
    ) -> FakeUser:
        user = FakeUser(self.ids.next(), username, global_name=global_name, locale=locale)
        self.users[user.id] = user
        return user

    def create_guild(
        self,
        name: str = "Test Guild",
        *,
        owner: FakeUser | None = None,
        everyone_permissions: int | discord.Permissions = DEFAULT_EVERYONE_PERMISSIONS,
        bot_permissions: int | discord.Permissions = DEFAULT_BOT_PERMISSIONS,
        channels: Sequence[str] = ("general",),
        locale: str = "en-US",
        shard: tuple[int, int] | None = None,
    ) -> FakeGuild:
        """A guild the bot is in: @everyone, the bot's managed role, the bot and owner members.
        ``shard=(shard_id, shard_count)`` picks an id Discord routes to that shard."""
        owner = owner or self.app_owner
        guild_id = self.ids.next() if shard is None else self.ids.next_on_shard(*shard)
        guild = FakeGuild(guild_id, name, owner.id, locale=locale)
        guild.roles[guild.id] = FakeRole(
            guild.id, guild.id, "@everyone", to_int(everyone_permissions)
        )
        bot_role = FakeRole(
            self.ids.next(),
            guild.id,
            self.bot_user.username,
            to_int(bot_permissions),
            position=1,
            managed=True,
            bot_id=self.bot_user.id,
        )
        guild.roles[bot_role.id] = bot_role
        guild.members[owner.id] = FakeMember(owner, guild.id)
        guild.members[self.bot_user.id] = FakeMember(self.bot_user, guild.id, [bot_role.id])
        self.guilds[guild.id] = guild
        for position, channel_name in enumerate(channels):
            self._add_channel(
                guild,
                FakeChannel(
                    self.ids.next(), TEXT_CHANNEL, channel_name, guild.id, position=position
                ),
            )
        self.gateway.dispatch("GUILD_CREATE", guild.payload(full=True))
        return guild

    def create_role(
        self,
        guild: FakeGuild,
        name: str,
        permissions: int | discord.Permissions = 0,
        *,
        mentionable: bool = False,
    ) -> FakeRole:
        role = FakeRole(
            self.ids.next(), guild.id, name, to_int(permissions), len(guild.roles), mentionable
        )
        guild.roles[role.id] = role
        self.gateway.dispatch(
            "GUILD_ROLE_CREATE",
            {"guild_id": str(guild.id), "role": role.payload()},
            intent=INTENT_GUILDS,
        )
        return role

    def add_member(
        self,
        guild: FakeGuild,
        user: FakeUser,
        *,
        roles: Sequence[FakeRole] = (),
        nick: str | None = None,
    ) -> FakeMember:
        member = FakeMember(user, guild.id, [r.id for r in roles], nick)
        guild.members[user.id] = member
        return member

    def create_text_channel(
        self,
        guild: FakeGuild,
        name: str,
        *,
        overwrites: Sequence[JSONDict] = (),
        topic: str | None = None,
        allow_private_threads: bool | None = None,
    ) -> FakeChannel:
        channel = FakeChannel(
            self.ids.next(),
            TEXT_CHANNEL,
            name,
            guild.id,
            position=len(guild.text_channels),
            topic=topic,
            permission_overwrites=list(overwrites),
            allow_private_threads=allow_private_threads,
        )
        self._add_channel(guild, channel)
        self.gateway.dispatch("CHANNEL_CREATE", channel.payload(), intent=INTENT_GUILDS)
        return channel

    @staticmethod
    def overwrite(
        target: FakeRole | FakeUser | FakeMember,
        *,
        allow: int | discord.Permissions = 0,
        deny: int | discord.Permissions = 0,
    ) -> JSONDict:
        """A permission overwrite for ``create_text_channel(overwrites=...)``."""
        kind = 0 if isinstance(target, FakeRole) else 1
        return {
            "id": str(target.id),
            "type": kind,
            "allow": str(to_int(allow)),
            "deny": str(to_int(deny)),
        }

    def create_thread(
        self,
        parent: FakeChannel,
        name: str,
        *,
        private: bool = False,
        owner: FakeUser | None = None,
        members: Sequence[FakeUser] = (),
    ) -> FakeChannel:
        """A thread that already exists when the test starts (the bot sees it in GUILD_CREATE)."""
        guild = self.guilds[int(parent.guild_id or 0)]
        owner = owner or self.bot_user
        thread = FakeChannel(
            self.ids.next(),
            PRIVATE_THREAD if private else PUBLIC_THREAD,
            name,
            guild.id,
            parent_id=parent.id,
            owner_id=owner.id,
            member_ids=list(dict.fromkeys([owner.id, *[m.id for m in members]])),
        )
        self._add_channel(guild, thread)
        self.gateway.dispatch("THREAD_CREATE", thread.payload(), intent=INTENT_GUILDS)
        return thread

    def dm_channel(self, user: FakeUser) -> FakeChannel:
        """The bot's DM channel with ``user`` (made on first use, like POST /users/@me/channels)."""
        for channel in self.channels.values():
            if channel.type == DM_CHANNEL and channel.recipients[0].id == user.id:
                return channel
        channel = FakeChannel(self.ids.next(), DM_CHANNEL, recipients=[user])
        self.channels[channel.id] = channel
        return channel

    def _add_channel(self, guild: FakeGuild, channel: FakeChannel) -> None:
        guild.channels[channel.id] = channel
        self.channels[channel.id] = channel

    # ------------------------------------------------------------------ lookups

    def guild_of(self, channel: FakeChannel) -> FakeGuild | None:
        return None if channel.guild_id is None else self.guilds[channel.guild_id]

    def member(self, guild: FakeGuild, user: UserLike) -> FakeMember:
        user_id = self._as_user(user).id
        try:
            return guild.members[user_id]
        except KeyError:
            raise FakeDiscordError(f"user {user_id} is not a member of {guild.name!r}") from None

    def bot_permissions(self, channel: FakeChannel) -> int:
        guild = self.guild_of(channel)
        if guild is None:
            return DM_APP_PERMISSIONS
        return channel_permissions(guild, guild.members[self.bot_user.id], channel)

    def command(self, name: str, *, guild: FakeGuild | None = None, type: int = 1) -> JSONDict:
        """The synced command JSON (guild scope first, then global)."""
        found = self._find_command(name, guild, type)
        if found is None:
            raise KeyError(f"no synced command {name!r}; synced: {self.synced_command_names()}")
        return found

    def synced_commands(self, guild: FakeGuild | None = None) -> list[JSONDict]:
        return list(self.commands.get(None if guild is None else guild.id, []))

    def synced_command_names(self) -> dict[str, list[str]]:
        return {
            ("global" if scope is None else f"guild {scope}"): [c["name"] for c in commands]
            for scope, commands in self.commands.items()
        }

    def placeholder_descriptions(self, guild: FakeGuild | None = None) -> list[str]:
        """Commands/options whose description is empty or discord.py's "…" placeholder.

        discord.py silently sends "…" for parameters without ``@describe``/docstring text.
        """
        found: list[str] = []

        def visit(path: str, item: JSONDict) -> None:
            if (item.get("description") or "").strip() in ("", "\u2026"):
                found.append(path)
            for option in item.get("options") or []:
                visit(f"{path} {option['name']}", option)

        for command in self.synced_commands(guild):
            if int(command.get("type", 1)) == 1:
                visit(command["name"], command)
        return found

    def _find_command(self, name: str, guild: FakeGuild | None, ctype: int) -> JSONDict | None:
        scopes: list[int | None] = [guild.id] if guild is not None else []
        scopes.append(None)
        for scope in scopes:
            for command in self.commands.get(scope, []):
                if command["name"] == name and int(command.get("type", 1)) == ctype:
                    return command
        return None

    def _as_user(self, value: Any) -> FakeUser:
        if isinstance(value, FakeUser):
            return value
        if isinstance(value, FakeMember):
            return value.user
        if isinstance(value, int) and value in self.users:
            return self.users[value]
        raise FakeDiscordError(f"not a known user: {value!r}")

    def member_permissions(self, guild: FakeGuild, user: UserLike) -> int:
        return base_permissions(guild, self.member(guild, user))

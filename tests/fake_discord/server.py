"""FakeDiscord: an in-memory Discord (REST + gateway on 127.0.0.1) for end-to-end bot tests.

The real discord.py client talks to it over loopback sockets. Tests build a small world
(guilds, users, channels), inject what users do (slash commands, clicks, modal submits,
messages) and assert on every message the bot created or edited.
"""

# The public API takes explicit `timeout=` arguments by design (tests read better).
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
import copy
import mimetypes
import re
import secrets
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import discord
import yarl
from aiohttp import web
from discord.gateway import DiscordWebSocket
from discord.http import Route

from .gateway import (
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MESSAGES,
    INTENT_GUILDS,
    INTENT_MESSAGE_CONTENT,
    Gateway,
    GatewayConnection,
)
from .handles import InteractionHandle
from .interactions import (
    FakeDiscordError,
    Resolver,
    build_command_data,
    modal_submission,
    select_values,
    split_path,
)
from .models import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    DM_CHANNEL,
    FLAG_COMPONENTS_V2,
    FLAG_LOADING,
    FLAG_SUPPRESS_EMBEDS,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
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
    Upload,
    iso_now,
    number_components,
)
from .permissions import (
    ADMINISTRATOR,
    DEFAULT_BOT_PERMISSIONS,
    DEFAULT_EVERYONE_PERMISSIONS,
    DM_APP_PERMISSIONS,
    VIEW_CHANNEL,
    base_permissions,
    channel_permissions,
    to_int,
)
from .rest import FilePart, RestApi
from .waiting import ChangeNotifier

if TYPE_CHECKING:
    from .logguard import ErrorLogGuard

USE_APPLICATION_COMMANDS = discord.Permissions(use_application_commands=True).value
MANAGE_THREADS = discord.Permissions(manage_threads=True).value
SEND_MESSAGES = discord.Permissions(send_messages=True).value
SEND_IN_THREADS = discord.Permissions(send_messages_in_threads=True).value
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
SETTLE_DELAY = 0.05

UserLike = FakeUser | FakeMember | int
MessageLike = FakeMessage | int

_USER_MENTION = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION = re.compile(r"<@&(\d+)>")


class FakeDiscord:
    """The fake server plus its world and the injection API. Use as ``async with FakeDiscord()``.

    ``interaction_timeout`` mirrors Discord's 3 s limit for the initial response (None turns it
    off); ``settle_timeout`` bounds how long ``click``/``submit_modal`` wait for the running
    client to have stored the view or modal (it stores them only after the callback returns).
    """

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
        self.gateway = Gateway(
            on_identify=self._ready_payloads,
            on_member_request=self._member_chunks,
            token_ok=lambda _token: not self.reject_token,
            intents_ok=lambda intents: not intents & self.disallowed_intents,
        )
        self.rest = RestApi(self)
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._clients: list[discord.Client] = []

    # ------------------------------------------------------------------ lifecycle

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> FakeDiscord:
        """Bind a random port on 127.0.0.1 (never another interface)."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/attachments/{attachment_id}/{filename}", self.rest.serve_attachment)
        app.router.add_route("*", r"/api/v{version:\d+}/{tail:.*}", self.rest.handle)
        app.router.add_route("*", "/{tail:.*}", self.rest.unhandled)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        if self._runner is None:
            return
        await self.gateway.close_all()
        await self._runner.cleanup()
        self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @contextlib.contextmanager
    def patch_discord(self) -> Iterator[None]:
        """Point discord.py's REST base and default gateway at this fake (restored on exit)."""
        saved = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
        Route.BASE = self.api_base
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)
        try:
            yield
        finally:
            Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved

    def attach_client(self, client: discord.Client) -> None:
        """Lets click()/submit_modal() see when the client has stored a view (see run_bot)."""
        self._clients.append(client)

    def detach_client(self, client: discord.Client) -> None:
        with contextlib.suppress(ValueError):
            self._clients.remove(client)

    def problems(self) -> list[str]:
        """Unhandled routes and fake-internal errors: both mean the fake is not trustworthy."""
        return [f"unhandled route {r}" for r in self.unhandled_requests] + [
            f"fake internal error: {e}" for e in self.internal_errors
        ]

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

    def messages_in(
        self, channel: FakeChannel | None = None, *, include_deleted: bool = False
    ) -> list[FakeMessage]:
        return [
            m
            for m in self.messages.values()
            if (channel is None or m.channel_id == channel.id)
            and (include_deleted or not m.deleted)
        ]

    def visible_messages(self, channel: FakeChannel, user: FakeUser) -> list[FakeMessage]:
        """What ``user`` sees in ``channel``: everything but other users' ephemeral messages."""
        return [m for m in self.messages_in(channel) if m.visible_to(user)]

    def bot_messages(self, channel: FakeChannel | None = None) -> list[FakeMessage]:
        return [m for m in self.messages_in(channel) if m.author.id == self.bot_user.id]

    def mark(self) -> int:
        """A cursor into ``message_log`` for ``wait_for_message(since=...)``/``events_since``."""
        return len(self.message_log)

    def events_since(self, mark: int) -> list[MessageEvent]:
        return self.message_log[mark:]

    # ------------------------------------------------------------------ waiting

    async def wait_for_message(
        self,
        channel: FakeChannel | None = None,
        predicate: Callable[[FakeMessage], bool] | None = None,
        timeout: float = 5.0,
        *,
        since: int | None = None,
        from_bot: bool = True,
    ) -> FakeMessage:
        """The newest live message matching; with ``since``, only ones created/edited after it."""

        def check() -> FakeMessage | None:
            if since is None:
                candidates = self.messages_in(channel)
            else:
                seen: dict[int, FakeMessage] = {}
                for event in self.message_log[since:]:
                    live = self.messages[event.message.id]
                    if event.kind != "delete" and not live.deleted:
                        seen.pop(live.id, None)
                        seen[live.id] = live
                candidates = [
                    m for m in seen.values() if channel is None or m.channel_id == channel.id
                ]
            for message in reversed(candidates):
                if from_bot and message.author.id != self.bot_user.id:
                    continue
                if predicate is None or predicate(message):
                    return message
            return None

        where = "anywhere" if channel is None else f"in #{channel.name or channel.id}"
        return await self.notifier.wait_until(
            check, timeout=timeout, describe=lambda: self.describe_timeout(f"a message {where}")
        )

    async def wait_for_thread(self, name: str | None = None, timeout: float = 5.0) -> ThreadRecord:
        def check() -> ThreadRecord | None:
            for record in reversed(self.threads_created):
                if name is None or record.name == name:
                    return record
            return None

        return await self.notifier.wait_until(
            check, timeout=timeout, describe=lambda: self.describe_timeout(f"thread {name!r}")
        )

    async def wait_for_gateway(self, timeout: float = 5.0) -> None:
        """Until a client has identified on the gateway (READY is on its way)."""
        await self.notifier.wait_until(
            lambda: self.gateway.active or None,
            timeout=timeout,
            describe=lambda: self.describe_timeout("a client identifying on the gateway"),
        )

    async def wait_for_commands(
        self, *names: str, guild: FakeGuild | None = None, timeout: float = 5.0
    ) -> list[JSONDict]:
        """Until every name is synced (in ``guild`` scope or globally)."""

        def check() -> list[JSONDict] | None:
            found = [self._find_command(n, guild, 1) for n in names]
            return None if any(f is None for f in found) else [f for f in found if f]

        return await self.notifier.wait_until(
            check, timeout=timeout, describe=lambda: self.describe_timeout(f"commands {names}")
        )

    def describe_timeout(self, what: str) -> str:
        lines = [f"Timed out waiting for {what}."]
        if not self.gateway.active:
            lines.append("No bot is connected to the gateway.")
        pending = [h for h in self.interactions.values() if not h.responses]
        if pending:
            lines.append(f"Interactions never answered: {pending}")
        if self.error_guard is not None and self.error_guard.records:
            lines.append("Errors logged by the bot:")
            lines.extend(f"  {line}" for line in self.error_guard.summary())
        for label, items in (
            ("Rejected requests (4xx)", self.rejected_requests),
            ("Unhandled routes", self.unhandled_requests),
            ("Fake internal errors", self.internal_errors),
        ):
            if items:
                lines.append(f"{label}:")
                lines.extend(f"  {item}" for item in items[-10:])
        lines.append("Last messages:")
        for event in self.message_log[-8:]:
            m = event.message
            lines.append(
                f"  {event.kind} #{m.channel_id} id={m.id} by {m.author.username}"
                f"{' (ephemeral)' if m.ephemeral else ''}: {m.text[:120]!r} {m.custom_ids}"
            )
        return "\n".join(lines)

    # ------------------------------------------------------------------ injection

    async def slash(
        self,
        user: FakeUser,
        channel: FakeChannel,
        command: str,
        subcommand: str | Sequence[str] | None = None,
        options: Mapping[str, Any] | None = None,
        *,
        enforce_visibility: bool = True,
        command_wait: float = 1.0,
    ) -> InteractionHandle:
        """``user`` runs ``/command [subcommand...] options`` in ``channel``.

        Options are typed from the synced command JSON; USER/ROLE/CHANNEL/MENTIONABLE take
        FakeUser/FakeMember/FakeRole/FakeChannel (or ids), ATTACHMENT takes an ``Upload``.
        """
        name, path = split_path(command, subcommand)
        guild = self.guild_of(channel)
        definition = await self._await_command(name, guild, 1, command_wait)
        if enforce_visibility:
            self._check_command_visible(definition, user, channel, guild)
        data = build_command_data(definition, path, options or {}, self._resolver(user, channel))
        handle = self._new_interaction(APPLICATION_COMMAND, user, channel, data, slash=True)
        await self._dispatch_interaction(handle)
        return handle

    async def autocomplete(
        self,
        user: FakeUser,
        channel: FakeChannel,
        command: str,
        subcommand: str | Sequence[str] | None = None,
        options: Mapping[str, Any] | None = None,
        *,
        focused: str,
    ) -> InteractionHandle:
        """The user is typing ``options[focused]``; the bot's choices land in ``handle.choices``."""
        name, path = split_path(command, subcommand)
        guild = self.guild_of(channel)
        definition = await self._await_command(name, guild, 1, 1.0)
        data = build_command_data(
            definition, path, options or {}, self._resolver(user, channel), focused=focused
        )
        handle = self._new_interaction(AUTOCOMPLETE, user, channel, data, slash=True)
        await self._dispatch_interaction(handle)
        return handle

    async def context_menu(
        self,
        user: FakeUser,
        channel: FakeChannel,
        name: str,
        target: FakeUser | FakeMember | FakeMessage,
    ) -> InteractionHandle:
        """A user (target is a user/member) or message (target is a message) context menu."""
        ctype = 3 if isinstance(target, FakeMessage) else 2
        guild = self.guild_of(channel)
        definition = await self._await_command(name, guild, ctype, 1.0)
        self._check_command_visible(definition, user, channel, guild)
        if isinstance(target, FakeMessage):
            target_id, resolved = str(target.id), {"messages": {str(target.id): target.payload()}}
        else:
            target_id, resolved = self._resolver(user, channel)(6, target)
        data: JSONDict = {
            "id": definition["id"],
            "name": name,
            "type": ctype,
            "target_id": target_id,
            "resolved": resolved,
        }
        if definition.get("guild_id"):
            data["guild_id"] = definition["guild_id"]
        handle = self._new_interaction(APPLICATION_COMMAND, user, channel, data, slash=True)
        await self._dispatch_interaction(handle)
        return handle

    async def click(
        self, user: FakeUser, message: MessageLike, custom_id: str, *, timeout: float = 5.0
    ) -> InteractionHandle:
        """``user`` presses the button ``custom_id`` on ``message`` (waits for it to exist)."""
        target = await self._await_message(message, timeout)
        component = self._clickable(user, target, custom_id)
        if component.get("type") != 2:
            raise FakeDiscordError(f"{custom_id!r} is not a button; use select()")
        await self._settle_component(target.id, 2, custom_id)
        data = {"custom_id": custom_id, "component_type": 2}
        handle = self._new_interaction(
            MESSAGE_COMPONENT, user, self.channels[target.channel_id], data, message=target
        )
        await self._dispatch_interaction(handle)
        return handle

    async def select(
        self,
        user: FakeUser,
        message: MessageLike,
        custom_id: str,
        values: Sequence[Any],
        *,
        timeout: float = 5.0,
    ) -> InteractionHandle:
        """Choose ``values`` in a select menu (option values, or users/roles/channels)."""
        target = await self._await_message(message, timeout)
        component = self._clickable(user, target, custom_id)
        ctype = int(component["type"])
        if ctype not in (3, 5, 6, 7, 8):
            raise FakeDiscordError(f"{custom_id!r} is not a select menu")
        channel = self.channels[target.channel_id]
        chosen, resolved = select_values(component, values, self._resolver(user, channel))
        await self._settle_component(target.id, ctype, custom_id)
        data: JSONDict = {"custom_id": custom_id, "component_type": ctype, "values": chosen}
        if resolved:
            data["resolved"] = resolved
        handle = self._new_interaction(MESSAGE_COMPONENT, user, channel, data, message=target)
        await self._dispatch_interaction(handle)
        return handle

    async def submit_modal(
        self,
        user: FakeUser,
        channel: FakeChannel,
        custom_id: str,
        values: Mapping[str, Any],
        message: MessageLike | None = None,
    ) -> InteractionHandle:
        """Submit the latest modal the bot showed with ``custom_id``.

        ``values`` are keyed by custom_id or visible label; the components echo the modal's
        own layout (action rows or Labels).
        """
        for opener, modal in reversed(self.modals):
            if modal.get("custom_id") == custom_id:
                return await self._submit(opener, modal, values, user, channel, message)
        sent = [m.get("custom_id") for _, m in self.modals]
        raise FakeDiscordError(f"the bot never showed a modal {custom_id!r}; it showed {sent}")

    async def submit_modal_for(
        self, handle: InteractionHandle, values: Mapping[str, Any], *, timeout: float = 5.0
    ) -> InteractionHandle:
        """Submit the modal that ``handle`` was answered with, as the same user."""
        modal = await handle.wait_modal(timeout)
        return await self._submit(handle, modal, values, handle.user, handle.channel, None)

    async def message(
        self,
        user: FakeUser,
        channel: FakeChannel,
        content: str,
        *,
        attachments: Sequence[Upload] = (),
        reply_to: FakeMessage | None = None,
    ) -> FakeMessage:
        """``user`` posts a plain message (MESSAGE_CREATE, honouring the message-content intent)."""
        self._check_can_interact(user, channel, slash=False)
        guild = self.guild_of(channel)
        if guild is not None:
            perms = channel_permissions(guild, self.member(guild, user), channel)
            if not perms & (SEND_IN_THREADS if channel.is_thread else SEND_MESSAGES):
                raise FakeDiscordError(f"{user.username} cannot send messages in {channel.name}")
        stored = [self._store_upload(u, ephemeral=False) for u in attachments]
        msg = FakeMessage(
            self.ids.next(),
            channel.id,
            user,
            guild_id=channel.guild_id,
            content=content,
            attachments=stored,
            type=19 if reply_to is not None else 0,
        )
        if guild is not None:
            msg.member = guild.members[user.id].payload(with_user=False)
        if reply_to is not None:
            msg.message_reference = {
                "type": 0,
                "message_id": str(reply_to.id),
                "channel_id": str(reply_to.channel_id),
            }
        self._compute_mentions(msg)
        self._store_message(msg, None)
        await self.gateway.flush()
        return msg

    async def send_reconnect(self) -> None:
        """Make connected clients reconnect and RESUME (op 7)."""
        await self.gateway.send_reconnect()

    # ------------------------------------------------------------------ injection helpers

    async def _await_command(
        self, name: str, guild: FakeGuild | None, ctype: int, wait: float
    ) -> JSONDict:
        def check() -> JSONDict | None:
            return self._find_command(name, guild, ctype)

        try:
            return await self.notifier.wait_until(check, timeout=wait, describe=lambda: "")
        except TimeoutError:
            scope = "globally" if guild is None else f"for guild {guild.name!r} or globally"
            raise FakeDiscordError(
                f"command {name!r} (type {ctype}) is not synced {scope}; "
                f"synced: {self.synced_command_names()}"
            ) from None

    def _check_command_visible(
        self, definition: JSONDict, user: FakeUser, channel: FakeChannel, guild: FakeGuild | None
    ) -> None:
        """Discord hides commands a member may not use; a real user could not invoke them."""
        name = definition["name"]
        contexts = definition.get("contexts")
        if guild is None:
            if (contexts is not None and 1 not in contexts) or definition.get(
                "dm_permission"
            ) is False:
                raise FakeDiscordError(f"/{name} is not available in DMs")
            return
        if contexts is not None and 0 not in contexts:
            raise FakeDiscordError(f"/{name} is not available in guilds")
        required = definition.get("default_member_permissions")
        if required is not None:
            perms = channel_permissions(guild, self.member(guild, user), channel)
            need = int(required)
            if not perms & ADMINISTRATOR and (perms & need) != need:
                raise FakeDiscordError(
                    f"{user.username} lacks default_member_permissions={need} for /{name}"
                )

    def _check_can_interact(self, user: FakeUser, channel: FakeChannel, *, slash: bool) -> None:
        guild = self.guild_of(channel)
        if guild is None:
            if not channel.recipients or channel.recipients[0].id != user.id:
                raise FakeDiscordError(f"{user.username} is not in DM channel {channel.id}")
            return
        perms = channel_permissions(guild, self.member(guild, user), channel)
        if not perms & VIEW_CHANNEL:
            raise FakeDiscordError(f"{user.username} cannot see #{channel.name}")
        if slash and not perms & USE_APPLICATION_COMMANDS:
            raise FakeDiscordError(f"{user.username} may not use application commands here")
        if (
            channel.type == PRIVATE_THREAD
            and user.id not in channel.member_ids
            and not perms & MANAGE_THREADS
        ):
            raise FakeDiscordError(
                f"{user.username} is not a member of private thread {channel.name}"
            )

    def _clickable(self, user: FakeUser, message: FakeMessage, custom_id: str) -> JSONDict:
        if message.deleted:
            raise FakeDiscordError(f"message {message.id} was deleted")
        if not message.visible_to(user):
            raise FakeDiscordError(f"{user.username} cannot see ephemeral message {message.id}")
        try:
            component = message.component(custom_id)
        except KeyError as exc:
            raise FakeDiscordError(str(exc)) from None
        if component.get("disabled"):
            raise FakeDiscordError(f"component {custom_id!r} on message {message.id} is disabled")
        return component

    async def _await_message(self, message: MessageLike, timeout: float) -> FakeMessage:
        if isinstance(message, FakeMessage):
            return message
        return await self.notifier.wait_until(
            lambda: self.messages.get(message),
            timeout=timeout,
            describe=lambda: self.describe_timeout(f"message {message}"),
        )

    async def _settle_component(self, message_id: int, ctype: int, custom_id: str) -> None:
        """Wait until a connected client can dispatch this component.

        discord.py stores a view only after the HTTP response that created its message was
        processed, so an immediate click could race it. The view store is private API; if it
        changes shape this degrades to a fixed short delay.
        """

        def ready(client: discord.Client) -> bool | None:
            store = getattr(getattr(client, "_connection", None), "_view_store", None)
            views = getattr(store, "_views", None)
            dynamic = getattr(store, "_dynamic_items", None)
            if not isinstance(views, dict) or not isinstance(dynamic, dict):
                return None
            if any(pattern.fullmatch(custom_id) for pattern in dynamic):
                return True
            key = (ctype, custom_id)
            return key in views.get(message_id, {}) or key in views.get(None, {})

        await self._settle(ready)

    async def _settle_modal(self, custom_id: str) -> None:
        def ready(client: discord.Client) -> bool | None:
            store = getattr(getattr(client, "_connection", None), "_view_store", None)
            modals = getattr(store, "_modals", None)
            return None if not isinstance(modals, dict) else custom_id in modals

        await self._settle(ready)

    async def _settle(self, ready: Callable[[discord.Client], bool | None]) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settle_timeout
        while True:
            states = [ready(c) for c in self._clients]
            if not states or None in states:
                await asyncio.sleep(SETTLE_DELAY)
                return
            if any(states) or loop.time() >= deadline:
                return
            await asyncio.sleep(0.005)

    async def _submit(
        self,
        opener: InteractionHandle,
        modal: JSONDict,
        values: Mapping[str, Any],
        user: FakeUser,
        channel: FakeChannel,
        message: MessageLike | None,
    ) -> InteractionHandle:
        if user.id != opener.user.id:
            raise FakeDiscordError(
                f"modal was shown to {opener.user.username}, not {user.username}"
            )
        components, resolved = modal_submission(
            modal, values, self._resolver(user, channel), self._upload_resolved
        )
        data: JSONDict = {"custom_id": modal["custom_id"], "components": components}
        if resolved:
            data["resolved"] = resolved
        source = opener.source_message if message is None else await self._await_message(message, 5)
        await self._settle_modal(modal["custom_id"])
        handle = self._new_interaction(MODAL_SUBMIT, user, channel, data, message=source)
        await self._dispatch_interaction(handle)
        return handle

    def _new_interaction(
        self,
        itype: int,
        user: FakeUser,
        channel: FakeChannel,
        data: JSONDict,
        *,
        message: FakeMessage | None = None,
        slash: bool = False,
    ) -> InteractionHandle:
        self._check_can_interact(user, channel, slash=slash)
        guild = self.guild_of(channel)
        interaction_id = self.ids.next()
        token = f"fake-{secrets.token_urlsafe(32)}"
        payload: JSONDict = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": itype,
            "data": data,
            "token": token,
            "version": 1,
            "channel_id": str(channel.id),
            "locale": user.locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
            "authorizing_integration_owners": {"0": str(guild.id) if guild else "0"},
            "context": 0 if guild else 1,
            "app_permissions": str(self.bot_permissions(channel)),
        }
        if guild is not None:
            member = guild.members[user.id]
            perms = channel_permissions(guild, member, channel)
            payload.update(
                {
                    "guild_id": str(guild.id),
                    "guild_locale": guild.locale,
                    "guild": {"id": str(guild.id), "locale": guild.locale, "features": []},
                    "member": member.payload(permissions=perms),
                    "channel": channel.payload(permissions=perms),
                }
            )
        else:
            payload.update({"user": user.payload(), "channel": channel.payload()})
        if message is not None:
            payload["message"] = message.payload()
        handle = InteractionHandle(
            fake=self,
            id=interaction_id,
            token=token,
            type=itype,
            user=user,
            channel=channel,
            guild=guild,
            payload=payload,
            source_message=message,
        )
        self.interactions[interaction_id] = handle
        self.interactions_by_token[token] = handle
        return handle

    async def _dispatch_interaction(self, handle: InteractionHandle) -> None:
        if not self.gateway.active:
            raise FakeDiscordError("no bot is connected to the fake gateway (use run_bot)")
        handle.created_at = asyncio.get_running_loop().time()
        self.gateway.dispatch("INTERACTION_CREATE", handle.payload)
        await self.gateway.flush()

    def _resolver(self, user: FakeUser, channel: FakeChannel) -> Resolver:
        """Turns test values into option/select values plus ``resolved`` entries."""
        guild = self.guild_of(channel)

        def user_fragment(value: Any) -> tuple[str, JSONDict]:
            target = self._as_user(value)
            fragment: JSONDict = {"users": {str(target.id): target.payload()}}
            if guild is not None and target.id in guild.members:
                member = guild.members[target.id]
                perms = channel_permissions(guild, member, channel)
                fragment["members"] = {
                    str(target.id): member.payload(with_user=False, permissions=perms)
                }
            return str(target.id), fragment

        def role_fragment(value: Any) -> tuple[str, JSONDict]:
            if guild is None:
                raise FakeDiscordError("roles only exist in guilds")
            role_id = value.id if isinstance(value, FakeRole) else int(value)
            if role_id not in guild.roles:
                raise FakeDiscordError(f"no role {role_id} in {guild.name!r}")
            return str(role_id), {"roles": {str(role_id): guild.roles[role_id].payload()}}

        def resolve(otype: int, value: Any) -> tuple[Any, JSONDict]:
            if otype == 6:
                return user_fragment(value)
            if otype == 8:
                return role_fragment(value)
            if otype == 9:
                return role_fragment(value) if isinstance(value, FakeRole) else user_fragment(value)
            if otype == 7:
                target = value if isinstance(value, FakeChannel) else self.channels.get(int(value))
                if target is None:
                    raise FakeDiscordError(f"unknown channel {value!r}")
                perms = 0
                if guild is not None and target.guild_id == guild.id:
                    perms = channel_permissions(guild, guild.members[user.id], target)
                return str(target.id), {
                    "channels": {str(target.id): target.payload(permissions=perms)}
                }
            if otype == 11:
                return self._upload_resolved(value)
            raise FakeDiscordError(f"unsupported option type {otype}")

        return resolve

    def _upload_resolved(self, value: Any) -> tuple[str, JSONDict]:
        if isinstance(value, tuple):
            value = Upload(*value)
        if not isinstance(value, Upload):
            raise FakeDiscordError(f"attachments must be Upload(filename, content), got {value!r}")
        attachment = self._store_upload(value, ephemeral=True)
        return str(attachment.id), {"attachments": {str(attachment.id): attachment.payload()}}

    def _store_upload(self, upload: Upload, *, ephemeral: bool) -> FakeAttachment:
        return self.store_attachment(
            upload.filename, upload.content, upload.content_type, ephemeral=ephemeral
        )

    def store_attachment(
        self,
        filename: str,
        content: bytes,
        content_type: str | None = None,
        *,
        description: str | None = None,
        ephemeral: bool = False,
    ) -> FakeAttachment:
        """Keep the bytes and serve them at the attachment's URL."""
        attachment_id = self.ids.next()
        attachment = FakeAttachment(
            attachment_id,
            filename,
            content,
            f"{self.base_url}/attachments/{attachment_id}/{filename}",
            content_type or mimetypes.guess_type(filename)[0],
            description,
            ephemeral,
        )
        self.attachments[attachment_id] = attachment
        return attachment

    def _as_user(self, value: Any) -> FakeUser:
        if isinstance(value, FakeUser):
            return value
        if isinstance(value, FakeMember):
            return value.user
        if isinstance(value, int) and value in self.users:
            return self.users[value]
        raise FakeDiscordError(f"not a known user: {value!r}")

    # ------------------------------------------------------------------ gateway payloads

    def _ready_payloads(self, connection: GatewayConnection) -> tuple[JSONDict, list[JSONDict]]:
        """READY lists guilds in full (not as unavailable) and GUILD_CREATE follows.

        discord.py fires on_ready ``guild_ready_timeout`` after the last GUILD_CREATE. With full
        guilds in READY the cache is complete even if that timeout (e.g. 0.05 s) expires before
        a GUILD_CREATE is read, so a small timeout is safe; GUILD_CREATE still comes, so
        ``on_guild_available`` fires as usual.
        """
        # Wake wait_for_gateway() once the connection counts as identified.
        asyncio.get_running_loop().call_soon(self.notifier.notify)
        guilds = [
            g
            for g in self.guilds.values()
            if self.bot_user.id in g.members and connection.owns(g.id)
        ]
        user = self.bot_user.payload() | {"verified": True, "mfa_enabled": False, "flags": 0}
        ready = {
            "v": 10,
            "user": user,
            "guilds": [g.payload(full=True) for g in guilds],
            "session_id": connection.session_id,
            "session_type": "normal",
            **({"shard": list(connection.shard)} if connection.shard else {}),
            "resume_gateway_url": self.gateway_url,
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
            "application": {"id": str(self.application_id), "flags": self.application_flags},
            "_trace": ["fake-discord"],
        }
        return ready, [g.payload(full=True) for g in guilds]

    def _member_chunks(self, connection: GatewayConnection, data: JSONDict) -> list[JSONDict]:
        """Answer REQUEST_GUILD_MEMBERS (sent by clients with the members intent)."""
        guild = self.guilds.get(int(data.get("guild_id", 0)))
        if guild is None:
            return []
        members = list(guild.members.values())
        not_found: list[str] = []
        if data.get("user_ids"):
            wanted = [int(u) for u in data["user_ids"]]
            not_found = [str(u) for u in wanted if u not in guild.members]
            members = [m for m in members if m.id in wanted]
        elif data.get("query"):
            query = str(data["query"]).lower()
            members = [m for m in members if m.user.username.lower().startswith(query)]
        if data.get("limit"):
            members = members[: int(data["limit"])]
        return [
            {
                "guild_id": str(guild.id),
                "members": [m.payload() for m in members],
                "chunk_index": 0,
                "chunk_count": 1,
                "nonce": data.get("nonce"),
                "not_found": not_found,
            }
        ]

    # ------------------------------------------------------------------ messages (used by rest)

    def attachments_from(
        self,
        data: JSONDict,
        files: Sequence[FilePart],
        existing: Sequence[FakeAttachment],
        *,
        ephemeral: bool,
    ) -> list[FakeAttachment] | None:
        """The message's attachments after a create/edit, or None if the request leaves them.

        ``attachments`` entries with an ``id`` equal to a ``files[n]`` index are new uploads;
        other ids must name attachments the message already has (those are kept).
        """
        uploads = {f.index: f for f in files}
        spec = data.get("attachments")
        if spec is None:
            if not files:
                return None
            spec = [
                *[{"id": str(a.id)} for a in existing],
                *[{"id": i, "filename": f.filename} for i, f in sorted(uploads.items())],
            ]
        kept = {a.id: a for a in existing}
        result: list[FakeAttachment] = []
        for item in spec:
            item_id = int(item["id"])
            if item_id in uploads:
                part = uploads.pop(item_id)
                result.append(
                    self.store_attachment(
                        item.get("filename") or part.filename,
                        part.content,
                        part.content_type
                        if part.content_type != "application/octet-stream"
                        else None,
                        description=item.get("description"),
                        ephemeral=ephemeral,
                    )
                )
            elif item_id in kept:
                result.append(kept[item_id])
            else:
                raise FakeDiscordError(f"attachment {item_id} is neither uploaded nor kept")
        return result

    def new_message(
        self,
        channel: FakeChannel,
        data: JSONDict,
        files: Sequence[FilePart],
        *,
        interaction: InteractionHandle | None = None,
        ephemeral: bool = False,
        loading: bool = False,
        message_type: int = 0,
    ) -> FakeMessage:
        """A bot-authored message from a request body (channel POST, callback or webhook)."""
        flags = int(data.get("flags") or 0) & (FLAG_SUPPRESS_EMBEDS | FLAG_COMPONENTS_V2 | 4096)
        if ephemeral:
            flags |= 64
        if loading:
            flags |= FLAG_LOADING
        guild = self.guild_of(channel)
        msg = FakeMessage(
            self.ids.next(),
            channel.id,
            self.bot_user,
            guild_id=channel.guild_id,
            content=data.get("content") or "",
            embeds=copy.deepcopy(data.get("embeds") or []),
            components=number_components(copy.deepcopy(data.get("components") or [])),
            flags=flags,
            attachments=self.attachments_from(data, files, [], ephemeral=ephemeral) or [],
            allowed_mentions=copy.deepcopy(data.get("allowed_mentions")),
            tts=bool(data.get("tts")),
            type=message_type,
            message_reference=self._reference(channel, data.get("message_reference")),
        )
        if interaction is not None:
            msg.webhook_id = self.application_id
            msg.application_id = self.application_id
            msg.interaction_id = interaction.id
            msg.interaction_user_id = interaction.user.id
            msg.interaction_metadata = self._interaction_metadata(interaction)
            if interaction.type == APPLICATION_COMMAND:
                msg.interaction_legacy = {
                    "id": str(interaction.id),
                    "type": interaction.type,
                    "name": interaction.payload["data"]["name"],
                    "user": interaction.user.payload(),
                }
        elif guild is not None:
            msg.member = guild.members[self.bot_user.id].payload(with_user=False)
        self._compute_mentions(msg)
        self._store_message(msg, interaction)
        return msg

    @staticmethod
    def _reference(channel: FakeChannel, reference: JSONDict | None) -> JSONDict | None:
        """Discord echoes references with string snowflakes (discord.py sends ints)."""
        if not reference:
            return None
        result: JSONDict = {"type": int(reference.get("type", 0) or 0)}
        result["message_id"] = str(reference["message_id"])
        result["channel_id"] = str(reference.get("channel_id") or channel.id)
        guild_id = reference.get("guild_id") or channel.guild_id
        if guild_id is not None:
            result["guild_id"] = str(guild_id)
        return result

    def edit_message(
        self,
        message: FakeMessage,
        data: JSONDict,
        files: Sequence[FilePart],
        *,
        interaction: InteractionHandle | None = None,
    ) -> FakeMessage:
        """Apply the fields present in ``data`` (absent fields are left alone, as on Discord)."""
        attachments = self.attachments_from(
            data, files, message.attachments, ephemeral=message.ephemeral
        )
        if "content" in data:
            message.content = data["content"] or ""
        if "embeds" in data:
            message.embeds = copy.deepcopy(data["embeds"] or [])
        if "components" in data:
            message.components = number_components(copy.deepcopy(data["components"] or []))
        if "allowed_mentions" in data:
            message.allowed_mentions = copy.deepcopy(data["allowed_mentions"])
        if "flags" in data and data["flags"] is not None:
            settable = FLAG_SUPPRESS_EMBEDS | FLAG_COMPONENTS_V2
            message.flags = (message.flags & ~settable) | (int(data["flags"]) & settable)
        if attachments is not None:
            message.attachments = attachments
        if message.loading:
            message.flags &= ~FLAG_LOADING
        else:
            message.edited_timestamp = iso_now()
        message.edit_count += 1
        self._compute_mentions(message)
        self._log("edit", message, interaction)
        self._dispatch_message_event("MESSAGE_UPDATE", message)
        self.notifier.notify()
        return message

    def delete_message(self, message: FakeMessage) -> None:
        message.deleted = True
        self._log("delete", message, None)
        if not message.ephemeral:
            payload: JSONDict = {"id": str(message.id), "channel_id": str(message.channel_id)}
            if message.guild_id is not None:
                payload["guild_id"] = str(message.guild_id)
            intent = INTENT_GUILD_MESSAGES if message.guild_id else INTENT_DIRECT_MESSAGES
            self.gateway.dispatch("MESSAGE_DELETE", payload, intent=intent)
        self.notifier.notify()

    def _interaction_metadata(self, interaction: InteractionHandle) -> JSONDict:
        metadata: JSONDict = {
            "id": str(interaction.id),
            "type": interaction.type,
            "user": interaction.user.payload(),
            "authorizing_integration_owners": interaction.payload["authorizing_integration_owners"],
        }
        if interaction.type == APPLICATION_COMMAND:
            metadata["name"] = interaction.payload["data"]["name"]
            metadata["command_type"] = interaction.payload["data"].get("type", 1)
        if interaction.source_message is not None:
            metadata["interacted_message_id"] = str(interaction.source_message.id)
        if interaction.response_message is not None:
            metadata["original_response_message_id"] = str(interaction.response_message.id)
        return metadata

    def _store_message(self, msg: FakeMessage, interaction: InteractionHandle | None) -> None:
        self.messages[msg.id] = msg
        channel = self.channels[msg.channel_id]
        if not msg.ephemeral:
            channel.last_message_id = msg.id
            channel.message_count += 1
        self._log("create", msg, interaction)
        self._dispatch_message_event("MESSAGE_CREATE", msg)
        self.notifier.notify()

    def _log(
        self,
        kind: Literal["create", "edit", "delete"],
        message: FakeMessage,
        interaction: InteractionHandle | None,
    ) -> None:
        self.message_log.append(
            MessageEvent(
                kind,
                message.snapshot(),
                len(self.message_log),
                None if interaction is None else interaction.id,
            )
        )

    def _dispatch_message_event(self, event: str, message: FakeMessage) -> None:
        """MESSAGE_CREATE/UPDATE per connection; content is blanked without the intent."""
        if message.ephemeral:
            return
        intent = INTENT_GUILD_MESSAGES if message.guild_id is not None else INTENT_DIRECT_MESSAGES
        full = message.payload()
        for connection in self.gateway.active:
            if not connection.has_intent(intent):
                continue
            payload = full
            if not self._content_visible(connection, message):
                payload = copy.deepcopy(full) | {
                    "content": "",
                    "embeds": [],
                    "attachments": [],
                    "components": [],
                }
            connection.dispatch(event, payload)

    def _content_visible(self, connection: GatewayConnection, message: FakeMessage) -> bool:
        return (
            connection.has_intent(INTENT_MESSAGE_CONTENT)
            or message.guild_id is None
            or message.author.id == self.bot_user.id
            or self.bot_user.id in message.mention_user_ids
        )

    def _compute_mentions(self, message: FakeMessage) -> None:
        """Who would be pinged, from the content and ``allowed_mentions`` (as Discord does).

        Permission to @everyone and role mentionability are deliberately ignored, so a test
        sees what the bot *asked* Discord to ping.
        """
        allowed = message.allowed_mentions
        if allowed is None:
            parse = {"users", "roles", "everyone"}
            users_ok: set[int] = set()
            roles_ok: set[int] = set()
            replied = True
        else:
            parse = set(allowed.get("parse") or [])
            users_ok = {int(u) for u in allowed.get("users") or []}
            roles_ok = {int(r) for r in allowed.get("roles") or []}
            replied = bool(allowed.get("replied_user", False))
        mentions: list[FakeUser] = []
        for match in _USER_MENTION.finditer(message.content):
            user_id = int(match.group(1))
            user = self.users.get(user_id)
            if user and ("users" in parse or user_id in users_ok) and user not in mentions:
                mentions.append(user)
        reference = message.message_reference or {}
        referenced = self.messages.get(int(reference.get("message_id", 0) or 0))
        if replied and referenced is not None and referenced.author not in mentions:
            mentions.append(referenced.author)
        guild = None if message.guild_id is None else self.guilds[message.guild_id]
        role_ids: list[int] = []
        for match in _ROLE_MENTION.finditer(message.content):
            role_id = int(match.group(1))
            if guild and role_id in guild.roles and ("roles" in parse or role_id in roles_ok):
                role_ids.append(role_id)
        message.mentions = mentions
        message.mention_role_ids = list(dict.fromkeys(role_ids))
        message.mention_everyone = "everyone" in parse and (
            "@everyone" in message.content or "@here" in message.content
        )

    def member_permissions(self, guild: FakeGuild, user: UserLike) -> int:
        return base_permissions(guild, self.member(guild, user))

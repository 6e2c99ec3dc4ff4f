"""What simulated users do: slash commands, autocomplete, context menus, clicks, selects,
modal submits and plain messages, each checked as Discord would before it reaches the bot."""

# The public API takes explicit `timeout=` arguments by design (tests read better).
# ruff: noqa: ASYNC109

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import discord

from ..handles import InteractionHandle
from ..interactions import FakeDiscordError, build_command_data, select_values, split_path
from ..models import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    FakeChannel,
    FakeMember,
    FakeMessage,
    FakeUser,
    JSONDict,
    Upload,
)
from ..permissions import channel_permissions
from .interaction_builder import InteractionBuilder
from .world import MessageLike

SEND_MESSAGES = discord.Permissions(send_messages=True).value
SEND_IN_THREADS = discord.Permissions(send_messages_in_threads=True).value


class UserActions(InteractionBuilder):
    """The injection API tests drive the bot with."""

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

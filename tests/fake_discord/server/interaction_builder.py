"""Building and dispatching interactions: permission checks, resolved option values, modal
submissions, and settling until the running client can handle a component or modal."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Mapping
from typing import Any

import discord

from ..handles import InteractionHandle
from ..interactions import FakeDiscordError, Resolver, modal_submission
from ..models import (
    MODAL_SUBMIT,
    PRIVATE_THREAD,
    FakeChannel,
    FakeGuild,
    FakeMessage,
    FakeRole,
    FakeUser,
    JSONDict,
    Upload,
)
from ..permissions import ADMINISTRATOR, VIEW_CHANNEL, channel_permissions
from .waits import Waits
from .world import MessageLike

USE_APPLICATION_COMMANDS = discord.Permissions(use_application_commands=True).value
MANAGE_THREADS = discord.Permissions(manage_threads=True).value
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
SETTLE_DELAY = 0.05


class InteractionBuilder(Waits):
    """What every injected interaction goes through, from checks to INTERACTION_CREATE."""

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

"""Messages in the fake: storing, editing and deleting them, their attachments and mentions.

The REST routes call ``new_message``/``edit_message``/``delete_message``; each change is logged
in ``message_log`` and dispatched to the gateway (content blanked without the intent).
"""

from __future__ import annotations

import copy
import mimetypes
import re
from collections.abc import Sequence
from typing import Literal

from ..gateway import (
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MESSAGES,
    INTENT_MESSAGE_CONTENT,
    GatewayConnection,
)
from ..handles import InteractionHandle
from ..interactions import FakeDiscordError
from ..models import (
    APPLICATION_COMMAND,
    FLAG_COMPONENTS_V2,
    FLAG_LOADING,
    FLAG_SUPPRESS_EMBEDS,
    FakeAttachment,
    FakeChannel,
    FakeMessage,
    FakeUser,
    JSONDict,
    MessageEvent,
    Upload,
    iso_now,
    number_components,
)
from ..rest import FilePart
from .world import World

_USER_MENTION = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION = re.compile(r"<@&(\d+)>")


class MessageStore(World):
    """Messages, attachments and the message log, on top of the world."""

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

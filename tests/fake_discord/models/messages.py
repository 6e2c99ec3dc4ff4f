"""Messages as the fake stores them, their attachments and component helpers.

``FakeMessage.payload()`` renders the exact shape discord.py 2.7 parses.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from .guilds import FakeUser
from .primitives import FLAG_EPHEMERAL, FLAG_LOADING, JSONDict, iso_now


@dataclass(eq=False)
class FakeAttachment:
    """A stored file; the fake serves ``content`` at ``url`` so ``Attachment.read()`` works."""

    id: int
    filename: str
    content: bytes
    url: str
    content_type: str | None = None
    description: str | None = None
    ephemeral: bool = False

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def text(self) -> str:
        return self.content.decode("utf-8")

    def payload(self) -> JSONDict:
        data: JSONDict = {
            "id": str(self.id),
            "filename": self.filename,
            "size": self.size,
            "url": self.url,
            "proxy_url": self.url,
            "content_type": self.content_type,
        }
        if self.description is not None:
            data["description"] = self.description
        if self.ephemeral:
            data["ephemeral"] = True
        return data


@dataclass(frozen=True)
class Upload:
    """A file a simulated user attaches (ATTACHMENT slash option or modal file upload)."""

    filename: str
    content: bytes
    content_type: str | None = None


class ButtonInfo(NamedTuple):
    label: str | None
    custom_id: str | None
    disabled: bool


def walk_components(components: list[JSONDict]) -> Iterator[JSONDict]:
    """Depth-first over rows, containers, sections and labels (v1 and v2 layouts)."""
    for component in components:
        yield component
        children = list(component.get("components") or [])
        if "accessory" in component:
            children.append(component["accessory"])
        if "component" in component:
            children.append(component["component"])
        yield from walk_components(children)


def number_components(components: list[JSONDict]) -> list[JSONDict]:
    """Discord gives every component without an ``id`` a unique one (1, 2, ...); so do we."""
    used = {int(c["id"]) for c in walk_components(components) if c.get("id") is not None}
    next_id = 1
    for component in walk_components(components):
        if component.get("id") is None:
            while next_id in used:
                next_id += 1
            component["id"] = next_id
            used.add(next_id)
    return components


@dataclass(eq=False)
class FakeMessage:
    """A message as stored by the fake; objects handed to tests are live (edits update them).

    ``snapshot()`` copies are used in the event log, so history stays as it was.
    """

    id: int
    channel_id: int
    author: FakeUser
    guild_id: int | None = None
    content: str = ""
    embeds: list[JSONDict] = field(default_factory=list)
    components: list[JSONDict] = field(default_factory=list)
    flags: int = 0
    attachments: list[FakeAttachment] = field(default_factory=list)
    allowed_mentions: JSONDict | None = None
    tts: bool = False
    type: int = 0
    timestamp: str = field(default_factory=iso_now)
    edited_timestamp: str | None = None
    webhook_id: int | None = None
    application_id: int | None = None
    interaction_id: int | None = None
    interaction_user_id: int | None = None
    interaction_metadata: JSONDict | None = None
    interaction_legacy: JSONDict | None = None
    message_reference: JSONDict | None = None
    mentions: list[FakeUser] = field(default_factory=list)
    mention_role_ids: list[int] = field(default_factory=list)
    mention_everyone: bool = False
    member: JSONDict | None = None
    reactions: list[str] = field(default_factory=list)
    deleted: bool = False
    edit_count: int = 0

    @property
    def author_id(self) -> int:
        return self.author.id

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & FLAG_EPHEMERAL)

    @property
    def loading(self) -> bool:
        """True for a deferred ("Bot is thinking...") response not yet edited."""
        return bool(self.flags & FLAG_LOADING)

    @property
    def mention_user_ids(self) -> list[int]:
        return [u.id for u in self.mentions]

    @property
    def pings_anyone(self) -> bool:
        return bool(self.mentions or self.mention_role_ids or self.mention_everyone)

    def visible_to(self, user: FakeUser | int) -> bool:
        """Ephemeral messages are shown only to the user who triggered the interaction."""
        user_id = user if isinstance(user, int) else user.id
        return not self.ephemeral or self.interaction_user_id == user_id

    def iter_components(self) -> Iterator[JSONDict]:
        return walk_components(self.components)

    @property
    def custom_ids(self) -> list[str]:
        return [c["custom_id"] for c in self.iter_components() if c.get("custom_id")]

    @property
    def buttons(self) -> list[ButtonInfo]:
        return [
            ButtonInfo(c.get("label"), c.get("custom_id"), bool(c.get("disabled", False)))
            for c in self.iter_components()
            if c.get("type") == 2
        ]

    def component(self, custom_id: str) -> JSONDict:
        for component in self.iter_components():
            if component.get("custom_id") == custom_id:
                return component
        raise KeyError(f"message {self.id} has no component {custom_id!r}; has {self.custom_ids}")

    def attachment(self, filename: str) -> FakeAttachment:
        for attachment in self.attachments:
            if attachment.filename == filename:
                return attachment
        names = [a.filename for a in self.attachments]
        raise KeyError(f"message {self.id} has no attachment {filename!r}; has {names}")

    @property
    def text(self) -> str:
        """Content plus embed titles/descriptions/fields and v2 text displays, for assertions."""
        parts = [self.content]
        for embed in self.embeds:
            for key in ("title", "description"):
                if embed.get(key):
                    parts.append(str(embed[key]))
            for embed_field in embed.get("fields", []):
                parts.extend([str(embed_field.get("name", "")), str(embed_field.get("value", ""))])
            if embed.get("footer", {}).get("text"):
                parts.append(str(embed["footer"]["text"]))
        parts.extend(c["content"] for c in self.iter_components() if c.get("type") == 10)
        return "\n".join(p for p in parts if p)

    def snapshot(self) -> FakeMessage:
        clone = copy.copy(self)
        clone.embeds = copy.deepcopy(self.embeds)
        clone.components = copy.deepcopy(self.components)
        clone.attachments = list(self.attachments)
        clone.mentions = list(self.mentions)
        clone.mention_role_ids = list(self.mention_role_ids)
        clone.reactions = list(self.reactions)
        return clone

    def payload(self) -> JSONDict:
        data: JSONDict = {
            "id": str(self.id),
            "channel_id": str(self.channel_id),
            "type": self.type,
            "author": self.author.payload(),
            "content": self.content,
            "timestamp": self.timestamp,
            "edited_timestamp": self.edited_timestamp,
            "tts": self.tts,
            "mention_everyone": self.mention_everyone,
            "mentions": [u.payload() for u in self.mentions],
            "mention_roles": [str(r) for r in self.mention_role_ids],
            "attachments": [a.payload() for a in self.attachments],
            "embeds": copy.deepcopy(self.embeds),
            "components": copy.deepcopy(self.components),
            "pinned": False,
            "flags": self.flags,
        }
        if self.guild_id is not None:
            data["guild_id"] = str(self.guild_id)
        if self.member is not None:
            data["member"] = copy.deepcopy(self.member)
        if self.webhook_id is not None:
            data["webhook_id"] = str(self.webhook_id)
        if self.application_id is not None:
            data["application_id"] = str(self.application_id)
        if self.interaction_metadata is not None:
            data["interaction_metadata"] = copy.deepcopy(self.interaction_metadata)
        if self.interaction_legacy is not None:
            data["interaction"] = copy.deepcopy(self.interaction_legacy)
        if self.message_reference is not None:
            data["message_reference"] = copy.deepcopy(self.message_reference)
        return data

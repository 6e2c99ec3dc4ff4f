"""In-memory objects of the fake Discord server and the JSON payloads discord.py expects for them.

Every object renders itself with ``payload()`` in the exact shape discord.py 2.7 parses, so the
server code never assembles Discord JSON by hand in more than one place.
"""

from __future__ import annotations

import copy
import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

DISCORD_EPOCH_MS = 1_420_070_400_000

# Channel types (https://discord.com/developers/docs/resources/channel#channel-object-channel-types)
TEXT_CHANNEL = 0
DM_CHANNEL = 1
VOICE_CHANNEL = 2
PUBLIC_THREAD = 11
PRIVATE_THREAD = 12

# Message flags
FLAG_SUPPRESS_EMBEDS = 1 << 2
FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7
FLAG_COMPONENTS_V2 = 1 << 15

# Interaction types
PING = 1
APPLICATION_COMMAND = 2
MESSAGE_COMPONENT = 3
AUTOCOMPLETE = 4
MODAL_SUBMIT = 5

# Interaction callback types
CALLBACK_PONG = 1
CALLBACK_MESSAGE = 4
CALLBACK_DEFERRED_MESSAGE = 5
CALLBACK_DEFERRED_UPDATE = 6
CALLBACK_UPDATE_MESSAGE = 7
CALLBACK_AUTOCOMPLETE = 8
CALLBACK_MODAL = 9

JSONDict = dict[str, Any]


def iso_now() -> str:
    """Discord timestamps are ISO-8601 with an explicit UTC offset."""
    return dt.datetime.now(dt.UTC).isoformat()


class Snowflakes:
    """Real-looking, strictly increasing snowflakes.

    Ids carry the current time because discord.py derives ``created_at`` (and thus
    ``Interaction.is_expired()``) from them; tiny integers would look like 2015.
    """

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> int:
        candidate = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        self._last = max(candidate, self._last + 1)
        return self._last

    def next_on_shard(self, shard_id: int, shard_count: int) -> int:
        """The next id whose guild Discord would route to `shard_id` (a millisecond later
        per step, so ids stay increasing)."""
        candidate = self.next()
        while (candidate >> 22) % shard_count != shard_id:
            candidate += 1 << 22
        self._last = candidate
        return candidate


@dataclass(eq=False)
class FakeUser:
    """A Discord user; ``bot=True`` for the bot under test."""

    id: int
    username: str
    global_name: str | None = None
    bot: bool = False
    locale: str = "en-US"
    accepts_dms: bool = True

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def payload(self) -> JSONDict:
        return {
            "id": str(self.id),
            "username": self.username,
            "global_name": self.global_name,
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
        }


@dataclass(eq=False)
class FakeRole:
    """A guild role; the @everyone role has ``id == guild_id``."""

    id: int
    guild_id: int
    name: str
    permissions: int = 0
    position: int = 0
    mentionable: bool = False
    managed: bool = False
    bot_id: int | None = None

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"

    def payload(self) -> JSONDict:
        data: JSONDict = {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data


@dataclass(eq=False)
class FakeMember:
    """A user's membership in a guild (role ids exclude @everyone, as on Discord)."""

    user: FakeUser
    guild_id: int
    role_ids: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=iso_now)

    @property
    def id(self) -> int:
        return self.user.id

    def payload(self, *, with_user: bool = True, permissions: int | None = None) -> JSONDict:
        data: JSONDict = {
            "roles": [str(r) for r in self.role_ids],
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.user.payload()
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data


@dataclass(eq=False)
class FakeChannel:
    """A text channel, DM channel or thread (``type`` tells which)."""

    id: int
    type: int
    name: str | None = None
    guild_id: int | None = None
    parent_id: int | None = None
    position: int = 0
    topic: str | None = None
    permission_overwrites: list[JSONDict] = field(default_factory=list)
    recipients: list[FakeUser] = field(default_factory=list)
    owner_id: int | None = None
    invitable: bool = True
    auto_archive_duration: int = 1440
    archived: bool = False
    locked: bool = False
    created_at: str = field(default_factory=iso_now)
    member_ids: list[int] = field(default_factory=list)
    allow_private_threads: bool | None = None
    last_message_id: int | None = None
    message_count: int = 0

    @property
    def is_thread(self) -> bool:
        return self.type in (PUBLIC_THREAD, PRIVATE_THREAD, 10)

    @property
    def is_dm(self) -> bool:
        return self.type == DM_CHANNEL

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    def payload(self, *, permissions: int | None = None) -> JSONDict:
        last = None if self.last_message_id is None else str(self.last_message_id)
        if self.is_dm:
            return {
                "id": str(self.id),
                "type": DM_CHANNEL,
                "last_message_id": last,
                "flags": 0,
                "recipients": [u.payload() for u in self.recipients],
            }
        data: JSONDict = {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "parent_id": None if self.parent_id is None else str(self.parent_id),
            "last_message_id": last,
            "rate_limit_per_user": 0,
            "flags": 0,
        }
        if self.is_thread:
            data.update(
                {
                    "owner_id": str(self.owner_id),
                    "message_count": self.message_count,
                    "total_message_sent": self.message_count,
                    "member_count": len(self.member_ids),
                    "thread_metadata": {
                        "archived": self.archived,
                        "auto_archive_duration": self.auto_archive_duration,
                        "archive_timestamp": self.created_at,
                        "locked": self.locked,
                        "invitable": self.invitable,
                        "create_timestamp": self.created_at,
                    },
                }
            )
        else:
            data.update(
                {
                    "position": self.position,
                    "topic": self.topic,
                    "nsfw": False,
                    "permission_overwrites": copy.deepcopy(self.permission_overwrites),
                    "default_auto_archive_duration": 1440,
                }
            )
            if self.type == VOICE_CHANNEL:
                data.update({"bitrate": 64000, "user_limit": 0, "rtc_region": None})
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data


@dataclass(eq=False)
class FakeGuild:
    """A guild with its roles, members and channels (threads live in ``channels`` too)."""

    id: int
    name: str
    owner_id: int
    roles: dict[int, FakeRole] = field(default_factory=dict)
    members: dict[int, FakeMember] = field(default_factory=dict)
    channels: dict[int, FakeChannel] = field(default_factory=dict)
    locale: str = "en-US"
    allow_private_threads: bool = True
    joined_at: str = field(default_factory=iso_now)

    @property
    def everyone(self) -> FakeRole:
        return self.roles[self.id]

    @property
    def text_channels(self) -> list[FakeChannel]:
        return [c for c in self.channels.values() if c.type == TEXT_CHANNEL]

    @property
    def voice_channels(self) -> list[FakeChannel]:
        return [c for c in self.channels.values() if c.type == VOICE_CHANNEL]

    @property
    def threads(self) -> list[FakeChannel]:
        return [c for c in self.channels.values() if c.is_thread]

    def channel_named(self, name: str) -> FakeChannel:
        for channel in self.channels.values():
            if channel.name == name:
                return channel
        raise KeyError(f"guild {self.name!r} has no channel named {name!r}")

    def role_named(self, name: str) -> FakeRole:
        for role in self.roles.values():
            if role.name == name:
                return role
        raise KeyError(f"guild {self.name!r} has no role named {name!r}")

    def payload(self, *, full: bool = True) -> JSONDict:
        data: JSONDict = {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": [r.payload() for r in self.roles.values()],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "preferred_locale": self.locale,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "description": None,
            "vanity_url_code": None,
        }
        if full:
            channels = [c for c in self.channels.values() if not c.is_thread]
            data.update(
                {
                    "unavailable": False,
                    "large": False,
                    "joined_at": self.joined_at,
                    "member_count": len(self.members),
                    "members": [m.payload() for m in self.members.values()],
                    "channels": [c.payload() for c in channels],
                    "threads": [t.payload() for t in self.threads if not t.archived],
                    "voice_states": [],
                    "presences": [],
                    "stage_instances": [],
                    "guild_scheduled_events": [],
                    "soundboard_sounds": [],
                }
            )
        return data


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


@dataclass(frozen=True)
class MessageEvent:
    """One entry of the fake's message log: what happened, to which message, caused by whom."""

    kind: Literal["create", "edit", "delete"]
    message: FakeMessage
    seq: int
    interaction_id: int | None = None


@dataclass(frozen=True)
class CallbackRecord:
    """One interaction callback the bot POSTed (``message`` is a snapshot, if one was made)."""

    type: int
    data: JSONDict
    message: FakeMessage | None = None

    @property
    def flags(self) -> int:
        return int(self.data.get("flags") or 0)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & FLAG_EPHEMERAL)


@dataclass(frozen=True)
class ThreadRecord:
    """A thread the bot created, with the request parameters it used."""

    thread: FakeChannel
    parent_id: int
    creator_id: int
    type: int
    name: str
    invitable: bool
    auto_archive_duration: int
    from_message_id: int | None = None

    @property
    def private(self) -> bool:
        return self.type == PRIVATE_THREAD


@dataclass(frozen=True)
class RequestRecord:
    """A REST request the bot made (kept for debugging and assertions)."""

    method: str
    path: str
    status: int
    body: Any = None
    token: str = ""  # the bot token it carried: tells bot processes apart in a test

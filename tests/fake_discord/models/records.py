"""Records of what the bot did (messages, callbacks, threads, requests), kept for assertions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .guilds import FakeChannel
from .messages import FakeMessage
from .primitives import FLAG_EPHEMERAL, PRIVATE_THREAD, JSONDict


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

"""What every REST route group of the fake shares: the request, responses, errors, lookups.

Responses carry exactly ``Content-Type: application/json`` (no charset): discord.py only
parses JSON when the header equals that string. Errors use Discord's ``{message, code}`` body.
Validation failures never return 5xx, because discord.py retries those with sleeps.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import discord
from aiohttp import web

from ..models import PRIVATE_THREAD, FakeChannel, FakeGuild, FakeMessage, JSONDict, iso_now
from ..permissions import VIEW_CHANNEL
from ..validate import Problem, form_error, message_problems

if TYPE_CHECKING:
    from ..server import FakeDiscord

P = discord.Permissions
SEND_MESSAGES = P(send_messages=True).value
SEND_IN_THREADS = P(send_messages_in_threads=True).value
ATTACH_FILES = P(attach_files=True).value
MANAGE_MESSAGES = P(manage_messages=True).value
MANAGE_THREADS = P(manage_threads=True).value
CREATE_PUBLIC_THREADS = P(create_public_threads=True).value
CREATE_PRIVATE_THREADS = P(create_private_threads=True).value


def json_response(data: Any, status: int = 200) -> web.Response:
    """``body=`` bytes, not ``text=``: aiohttp 3.14 appends "; charset=utf-8" to text bodies
    even when the header is given, and discord.py then treats the JSON as a plain string."""
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


def no_content() -> web.Response:
    return web.Response(status=204)


class RestError(Exception):
    """Becomes a Discord-shaped JSON error response."""

    def __init__(self, status: int, message: str, code: int = 0, body: JSONDict | None = None):
        super().__init__(message)
        self.status = status
        self.body = body or {"message": message, "code": code}

    @classmethod
    def invalid(cls, problems: list[Problem]) -> RestError:
        return cls(400, "Invalid Form Body", 50035, form_error(problems))


def unknown(what: str, code: int) -> RestError:
    return RestError(404, f"Unknown {what}", code)


MISSING_PERMISSIONS = (403, "Missing Permissions", 50013)
MISSING_ACCESS = (403, "Missing Access", 50001)


@dataclass(frozen=True)
class FilePart:
    """One ``files[n]`` part of a multipart request."""

    index: int
    filename: str
    content: bytes
    content_type: str | None


@dataclass
class RestRequest:
    method: str
    path: str
    params: dict[str, str]
    query: dict[str, str]
    json: Any
    files: list[FilePart] = field(default_factory=list)

    @property
    def body(self) -> JSONDict:
        return self.json if isinstance(self.json, dict) else {}


Handler = Callable[[RestRequest], Awaitable[web.Response]]


class RestRoutes:
    """What every group of routes shares: the fake, and lookups that answer Discord's errors."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake

    # ------------------------------------------------------------------ lookups

    def _channel(self, request: RestRequest) -> FakeChannel:
        try:
            return self.fake.channels[int(request.params["channel"])]
        except (KeyError, ValueError):
            raise unknown("Channel", 10003) from None

    def _guild(self, request: RestRequest) -> FakeGuild:
        try:
            return self.fake.guilds[int(request.params["guild"])]
        except (KeyError, ValueError):
            raise unknown("Guild", 10004) from None

    def _channel_message(self, request: RestRequest) -> FakeMessage:
        channel = self._channel(request)
        message = self.fake.messages.get(int(request.params["message"]))
        # Ephemeral messages do not exist as far as channel endpoints are concerned.
        if (
            message is None
            or message.channel_id != channel.id
            or message.deleted
            or message.ephemeral
        ):
            raise unknown("Message", 10008)
        return message

    def _user_id(self, raw: str) -> int:
        return self.fake.bot_user.id if raw == "@me" else int(raw)

    def _require_bot(self, channel: FakeChannel, needed: int) -> None:
        if channel.guild_id is None:
            return
        perms = self.fake.bot_permissions(channel)
        if not perms & VIEW_CHANNEL:
            raise RestError(*MISSING_ACCESS)
        if (perms & needed) != needed:
            raise RestError(*MISSING_PERMISSIONS)
        if (
            channel.type == PRIVATE_THREAD
            and self.fake.bot_user.id not in channel.member_ids
            and not perms & MANAGE_THREADS
        ):
            raise RestError(*MISSING_ACCESS)

    def _check_message(self, data: JSONDict, files: list[FilePart], *, creating: bool) -> None:
        problems = message_problems(data, creating=creating, has_files=bool(files))
        if problems:
            raise RestError.invalid(problems)

    def _thread_member(self, thread: FakeChannel, user_id: int) -> JSONDict:
        return {
            "id": str(thread.id),
            "user_id": str(user_id),
            "join_timestamp": iso_now(),
            "flags": 0,
        }

"""REST side of the fake: a tiny router over ``/api/v{n}/...`` and one handler per route.

Responses carry exactly ``Content-Type: application/json`` (no charset): discord.py only
parses JSON when the header equals that string. Errors use Discord's ``{message, code}`` body.
Validation failures never return 5xx, because discord.py retries those with sleeps.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import re
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import discord
from aiohttp import BodyPartReader, web

from .guild_channels import GuildChannelRoutes
from .interactions import FakeDiscordError
from .models import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    CALLBACK_AUTOCOMPLETE,
    CALLBACK_DEFERRED_MESSAGE,
    CALLBACK_DEFERRED_UPDATE,
    CALLBACK_MESSAGE,
    CALLBACK_MODAL,
    CALLBACK_UPDATE_MESSAGE,
    FLAG_EPHEMERAL,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    PRIVATE_THREAD,
    PUBLIC_THREAD,
    TEXT_CHANNEL,
    CallbackRecord,
    FakeChannel,
    FakeGuild,
    FakeMessage,
    JSONDict,
    RequestRecord,
    ThreadRecord,
    iso_now,
    number_components,
)
from .permissions import VIEW_CHANNEL
from .validate import Problem, command_problems, form_error, message_problems, modal_problems

if TYPE_CHECKING:
    from .handles import InteractionHandle
    from .server import FakeDiscord

_log = logging.getLogger(__name__)

P = discord.Permissions
SEND_MESSAGES = P(send_messages=True).value
SEND_IN_THREADS = P(send_messages_in_threads=True).value
ATTACH_FILES = P(attach_files=True).value
MANAGE_MESSAGES = P(manage_messages=True).value
MANAGE_THREADS = P(manage_threads=True).value
CREATE_PUBLIC_THREADS = P(create_public_threads=True).value
CREATE_PRIVATE_THREADS = P(create_private_threads=True).value

ALLOWED_CALLBACKS = {
    APPLICATION_COMMAND: {CALLBACK_MESSAGE, CALLBACK_DEFERRED_MESSAGE, CALLBACK_MODAL},
    MESSAGE_COMPONENT: {
        CALLBACK_MESSAGE,
        CALLBACK_DEFERRED_MESSAGE,
        CALLBACK_DEFERRED_UPDATE,
        CALLBACK_UPDATE_MESSAGE,
        CALLBACK_MODAL,
    },
    MODAL_SUBMIT: {
        CALLBACK_MESSAGE,
        CALLBACK_DEFERRED_MESSAGE,
        CALLBACK_DEFERRED_UPDATE,
        CALLBACK_UPDATE_MESSAGE,
    },
    AUTOCOMPLETE: {CALLBACK_AUTOCOMPLETE},
}


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


class RestApi(GuildChannelRoutes):
    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.routes: list[tuple[str, re.Pattern[str], Handler, bool]] = []
        self._register()

    def _route(self, method: str, pattern: str, handler: Handler, *, auth: bool = True) -> None:
        regex = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern) + "$")
        self.routes.append((method, regex, handler, auth))

    def _register(self) -> None:
        r = self._route
        r("GET", "/users/@me", self.get_me)
        r("GET", "/oauth2/applications/@me", self.get_application)
        r("GET", "/applications/@me", self.get_application)
        r("GET", "/gateway", self.get_gateway, auth=False)
        r("GET", "/gateway/bot", self.get_gateway)
        for scope in ("/applications/{app}", "/applications/{app}/guilds/{guild}"):
            r("GET", f"{scope}/commands", self.get_commands)
            r("PUT", f"{scope}/commands", self.put_commands)
            r("POST", f"{scope}/commands", self.post_command)
            r("GET", f"{scope}/commands/{{command}}", self.get_command)
            r("PATCH", f"{scope}/commands/{{command}}", self.patch_command)
            r("DELETE", f"{scope}/commands/{{command}}", self.delete_command)
        r("GET", "/channels/{channel}", self.get_channel)
        r("PATCH", "/channels/{channel}", self.patch_channel)
        r("GET", "/channels/{channel}/messages", self.get_messages)
        r("POST", "/channels/{channel}/messages", self.post_message)
        r("GET", "/channels/{channel}/messages/{message}", self.get_message)
        r("PATCH", "/channels/{channel}/messages/{message}", self.patch_message)
        r("DELETE", "/channels/{channel}/messages/{message}", self.delete_message)
        reaction = "/channels/{channel}/messages/{message}/reactions/{emoji}/@me"
        r("PUT", reaction, self.put_reaction)
        r("DELETE", reaction, self.delete_reaction)
        r("POST", "/channels/{channel}/typing", self.typing)
        r("POST", "/channels/{channel}/threads", self.post_thread)
        r("POST", "/channels/{channel}/messages/{message}/threads", self.post_message_thread)
        r("GET", "/channels/{channel}/thread-members", self.get_thread_members)
        r("GET", "/channels/{channel}/thread-members/{user}", self.get_thread_member)
        r("PUT", "/channels/{channel}/thread-members/{user}", self.put_thread_member)
        r("DELETE", "/channels/{channel}/thread-members/{user}", self.delete_thread_member)
        r("POST", "/users/@me/channels", self.post_dm)
        r("GET", "/users/{user}", self.get_user)
        r("GET", "/guilds/{guild}", self.get_guild)
        r("GET", "/guilds/{guild}/channels", self.get_guild_channels)
        r("POST", "/guilds/{guild}/channels", self.post_guild_channel)
        r("DELETE", "/channels/{channel}", self.delete_channel)
        r("GET", "/guilds/{guild}/roles", self.get_roles)
        r("GET", "/guilds/{guild}/members", self.get_members)
        r("GET", "/guilds/{guild}/members/{user}", self.get_member)
        r("PUT", "/guilds/{guild}/members/{user}/roles/{role}", self.put_member_role)
        r("DELETE", "/guilds/{guild}/members/{user}/roles/{role}", self.delete_member_role)
        r("POST", "/interactions/{interaction}/{token}/callback", self.callback, auth=False)
        r("POST", "/webhooks/{app}/{token}", self.execute_webhook, auth=False)
        webhook_message = "/webhooks/{app}/{token}/messages/{message}"
        r("GET", webhook_message, self.get_webhook_message, auth=False)
        r("PATCH", webhook_message, self.patch_webhook_message, auth=False)
        r("DELETE", webhook_message, self.delete_webhook_message, auth=False)

    # ------------------------------------------------------------------ plumbing

    async def handle(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        found = None
        for method, regex, handler, auth in self.routes:
            match = regex.match(path)
            if match is not None and method == request.method:
                found = (handler, auth, match.groupdict())
                break
        if found is None:
            return await self.unhandled(request)
        handler, auth, params = found
        body, files = await self._parse_body(request)
        rest_request = RestRequest(request.method, path, params, dict(request.query), body, files)
        if auth and (
            self.fake.reject_token
            or not request.headers.get("Authorization", "").startswith("Bot ")
        ):
            response = json_response({"message": "401: Unauthorized", "code": 0}, 401)
        else:
            try:
                response = await handler(rest_request)
            except RestError as exc:
                response = json_response(exc.body, exc.status)
                self.fake.rejected_requests.append(
                    f"{request.method} {path} -> {exc.status} {json.dumps(exc.body)[:500]}"
                )
            except FakeDiscordError as exc:
                response = json_response({"message": str(exc), "code": 50035}, 400)
                self.fake.rejected_requests.append(f"{request.method} {path} -> 400 {exc}")
            except Exception:  # a bug in the fake must fail the test, not hang it
                self.fake.internal_errors.append(
                    f"{request.method} {path}: {traceback.format_exc()}"
                )
                _log.exception("fake discord failed on %s %s", request.method, path)
                response = json_response({"message": "fake discord internal error", "code": 0}, 400)
        token = request.headers.get("Authorization", "").removeprefix("Bot ")
        self.fake.requests.append(RequestRecord(request.method, path, response.status, body, token))
        self.fake.notifier.notify()
        return response

    async def unhandled(self, request: web.Request) -> web.Response:
        entry = f"{request.method} {request.path}"
        self.fake.unhandled_requests.append(entry)
        _log.warning("fake discord has no route for %s", entry)
        self.fake.notifier.notify()
        return json_response({"message": "404: Not Found", "code": 0}, 404)

    async def serve_attachment(self, request: web.Request) -> web.Response:
        attachment = self.fake.attachments.get(int(request.match_info["attachment_id"]))
        if attachment is None or attachment.filename != request.match_info["filename"]:
            return web.Response(status=404, text="not found")
        return web.Response(
            body=attachment.content,
            headers={"Content-Type": attachment.content_type or "application/octet-stream"},
        )

    @staticmethod
    async def _parse_body(request: web.Request) -> tuple[Any, list[FilePart]]:
        if request.content_type == "application/json":
            text = await request.text()
            return (json.loads(text) if text else None), []
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            payload: Any = None
            files: list[FilePart] = []
            while (part := await reader.next()) is not None:
                if not isinstance(part, BodyPartReader):
                    continue
                if part.name == "payload_json":
                    payload = json.loads(await part.text())
                elif part.name and part.name.startswith("files["):
                    index = int(part.name[len("files[") : -1])
                    content = bytes(await part.read(decode=False))
                    filename = part.filename or f"file{index}"
                    files.append(
                        FilePart(index, filename, content, part.headers.get("Content-Type"))
                    )
            return payload, files
        return None, []

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

    # ------------------------------------------------------------------ login & gateway

    async def get_me(self, request: RestRequest) -> web.Response:
        user = self.fake.bot_user.payload()
        return json_response(user | {"verified": True, "mfa_enabled": False, "flags": 0})

    async def get_application(self, request: RestRequest) -> web.Response:
        fake = self.fake
        return json_response(
            {
                "id": str(fake.application_id),
                "name": fake.bot_user.username,
                "icon": None,
                "description": "",
                "summary": "",
                "type": None,
                "bot": fake.bot_user.payload(),
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": fake.app_owner.payload(),
                "team": None,
                "verify_key": "0" * 64,
                "flags": fake.application_flags,
                "rpc_origins": [],
                "redirect_uris": [],
                "interactions_endpoint_url": None,
                "approximate_guild_count": len(fake.guilds),
                "integration_types_config": {"0": {}},
            }
        )

    async def get_gateway(self, request: RestRequest) -> web.Response:
        data: JSONDict = {"url": self.fake.gateway_url}
        if request.path.endswith("/bot"):
            data["shards"] = 1
            data["session_start_limit"] = {
                "total": 1000,
                "remaining": 1000,
                "reset_after": 0,
                "max_concurrency": 1,
            }
        return json_response(data)

    # ------------------------------------------------------------------ application commands

    def _scope(self, request: RestRequest) -> int | None:
        if int(request.params["app"]) != self.fake.application_id:
            raise RestError(403, "Missing Access", 50001)
        if "guild" not in request.params:
            return None
        guild = self._guild(request)
        if self.fake.bot_user.id not in guild.members:
            raise RestError(*MISSING_ACCESS)
        return guild.id

    def _store_command(self, scope: int | None, command: JSONDict) -> JSONDict:
        fake = self.fake
        ctype = int(command.get("type", 1))
        key = (scope, ctype, command["name"])
        command_id = fake.command_ids.setdefault(key, fake.ids.next())
        stored = copy.deepcopy(command) | {
            "id": str(command_id),
            "application_id": str(fake.application_id),
            "version": str(fake.ids.next()),
            "type": ctype,
            "description": command.get("description", ""),
            # Discord answers with a string bitfield; discord.py sends an int.
            "default_member_permissions": None
            if command.get("default_member_permissions") is None
            else str(command["default_member_permissions"]),
            "dm_permission": command.get("dm_permission", True),
            "nsfw": command.get("nsfw", False),
        }
        if scope is not None:
            stored["guild_id"] = str(scope)
        return stored

    def _commands_changed(self) -> None:
        self.fake.notifier.notify()

    async def get_commands(self, request: RestRequest) -> web.Response:
        return json_response(self.fake.commands.get(self._scope(request), []))

    async def put_commands(self, request: RestRequest) -> web.Response:
        scope = self._scope(request)
        commands = request.json if isinstance(request.json, list) else []
        problems = command_problems(commands)
        if problems:
            raise RestError.invalid(problems)
        stored = [self._store_command(scope, c) for c in commands]
        self.fake.commands[scope] = stored
        self.fake.command_syncs.append((scope, copy.deepcopy(commands)))
        self._commands_changed()
        return json_response(stored)

    async def post_command(self, request: RestRequest) -> web.Response:
        scope = self._scope(request)
        problems = command_problems([request.body])
        if problems:
            raise RestError.invalid(problems)
        stored = self._store_command(scope, request.body)
        current = [
            c
            for c in self.fake.commands.get(scope, [])
            if (c["name"], c["type"]) != (stored["name"], stored["type"])
        ]
        self.fake.commands[scope] = [*current, stored]
        self._commands_changed()
        return json_response(stored, 201)

    def _find_stored(self, request: RestRequest) -> tuple[int | None, JSONDict]:
        scope = self._scope(request)
        for command in self.fake.commands.get(scope, []):
            if command["id"] == request.params["command"]:
                return scope, command
        raise unknown("application command", 10063)

    async def get_command(self, request: RestRequest) -> web.Response:
        return json_response(self._find_stored(request)[1])

    async def patch_command(self, request: RestRequest) -> web.Response:
        scope, command = self._find_stored(request)
        updated = self._store_command(scope, command | request.body)
        self.fake.commands[scope] = [
            updated if c["id"] == command["id"] else c for c in self.fake.commands[scope]
        ]
        self._commands_changed()
        return json_response(updated)

    async def delete_command(self, request: RestRequest) -> web.Response:
        scope, command = self._find_stored(request)
        self.fake.commands[scope] = [c for c in self.fake.commands[scope] if c is not command]
        self._commands_changed()
        return no_content()

    # ------------------------------------------------------------------ channels & messages

    def _channel_payload(self, channel: FakeChannel) -> JSONDict:
        data = channel.payload()
        if channel.is_thread and self.fake.bot_user.id in channel.member_ids:
            data["member"] = self._thread_member(channel, self.fake.bot_user.id)
        return data

    async def get_channel(self, request: RestRequest) -> web.Response:
        channel = self._channel(request)
        if channel.guild_id is not None and not self.fake.bot_permissions(channel) & VIEW_CHANNEL:
            raise RestError(*MISSING_ACCESS)
        return json_response(self._channel_payload(channel))

    async def patch_channel(self, request: RestRequest) -> web.Response:
        """Only thread edits (name/archived/locked), which is what bots usually do."""
        channel = self._channel(request)
        if not channel.is_thread:
            raise RestError(*MISSING_PERMISSIONS)
        body = request.body
        channel.name = body.get("name", channel.name)
        channel.archived = bool(body.get("archived", channel.archived))
        channel.locked = bool(body.get("locked", channel.locked))
        channel.invitable = bool(body.get("invitable", channel.invitable))
        self.fake.gateway.dispatch("THREAD_UPDATE", channel.payload())
        self.fake.notifier.notify()
        return json_response(self._channel_payload(channel))

    async def get_messages(self, request: RestRequest) -> web.Response:
        channel = self._channel(request)
        self._require_bot(channel, P(read_message_history=True).value)
        messages = [m for m in self.fake.messages_in(channel) if not m.ephemeral]
        if "before" in request.query:
            messages = [m for m in messages if m.id < int(request.query["before"])]
        if "after" in request.query:
            messages = [m for m in messages if m.id > int(request.query["after"])]
        limit = int(request.query.get("limit", 50))
        newest_first = list(reversed(messages))
        if "after" in request.query:
            newest_first = list(reversed(messages[:limit]))
        return json_response([m.payload() for m in newest_first[:limit]])

    async def post_message(self, request: RestRequest) -> web.Response:
        channel = self._channel(request)
        if channel.is_dm and not channel.recipients[0].accepts_dms:
            raise RestError(403, "Cannot send messages to this user", 50007)
        needed = SEND_IN_THREADS if channel.is_thread else SEND_MESSAGES
        self._require_bot(channel, needed | (ATTACH_FILES if request.files else 0))
        data = request.body
        self._check_message(data, request.files, creating=True)
        reference = data.get("message_reference")
        if reference:
            referenced = self.fake.messages.get(int(reference.get("message_id", 0)))
            if referenced is None and reference.get("fail_if_not_exists", True):
                raise RestError.invalid([("message_reference", "Unknown message")])
        message = self.fake.new_message(
            channel, data, request.files, message_type=19 if reference else 0
        )
        return json_response(message.payload())

    async def get_message(self, request: RestRequest) -> web.Response:
        return json_response(self._channel_message(request).payload())

    async def patch_message(self, request: RestRequest) -> web.Response:
        message = self._channel_message(request)
        data = request.body
        if message.author.id != self.fake.bot_user.id and set(data) - {"flags"}:
            raise RestError(403, "Cannot edit a message authored by another user", 50005)
        self._check_message(data, request.files, creating=False)
        self.fake.edit_message(message, data, request.files)
        return json_response(message.payload())

    async def delete_message(self, request: RestRequest) -> web.Response:
        message = self._channel_message(request)
        if message.author.id != self.fake.bot_user.id:
            self._require_bot(self._channel(request), MANAGE_MESSAGES)
        self.fake.delete_message(message)
        return no_content()

    async def put_reaction(self, request: RestRequest) -> web.Response:
        message = self._channel_message(request)
        emoji = request.params["emoji"]
        if emoji not in message.reactions:
            message.reactions.append(emoji)
        self.fake.reactions.append((message.id, emoji))
        return no_content()

    async def delete_reaction(self, request: RestRequest) -> web.Response:
        message = self._channel_message(request)
        if request.params["emoji"] in message.reactions:
            message.reactions.remove(request.params["emoji"])
        return no_content()

    async def typing(self, request: RestRequest) -> web.Response:
        self._channel(request)
        return no_content()

    # ------------------------------------------------------------------ threads

    def _thread_member(self, thread: FakeChannel, user_id: int) -> JSONDict:
        return {
            "id": str(thread.id),
            "user_id": str(user_id),
            "join_timestamp": iso_now(),
            "flags": 0,
        }

    def _open_thread(
        self,
        parent: FakeChannel,
        thread_id: int,
        ttype: int,
        body: JSONDict,
        from_message: int | None,
    ) -> web.Response:
        fake = self.fake
        guild = fake.guild_of(parent)
        if guild is None or parent.type != TEXT_CHANNEL:
            raise RestError(400, "Cannot execute action on this channel type", 50024)
        name = str(body.get("name") or "")
        if not 1 <= len(name) <= 100:
            raise RestError.invalid([("name", "Must be between 1 and 100 in length.")])
        if ttype == PRIVATE_THREAD:
            allowed = parent.allow_private_threads
            if allowed is None:
                allowed = guild.allow_private_threads
            if not allowed:
                raise RestError(*MISSING_PERMISSIONS)
            self._require_bot(parent, CREATE_PRIVATE_THREADS)
        elif ttype == PUBLIC_THREAD:
            self._require_bot(parent, CREATE_PUBLIC_THREADS)
        else:
            raise RestError.invalid([("type", f"Unsupported thread type {ttype}.")])
        thread = FakeChannel(
            thread_id,
            ttype,
            name,
            guild.id,
            parent_id=parent.id,
            owner_id=fake.bot_user.id,
            invitable=bool(body.get("invitable", True)) if ttype == PRIVATE_THREAD else True,
            auto_archive_duration=int(body.get("auto_archive_duration") or 1440),
            member_ids=[fake.bot_user.id],
        )
        guild.channels[thread.id] = thread
        fake.channels[thread.id] = thread
        fake.threads_created.append(
            ThreadRecord(
                thread,
                parent.id,
                fake.bot_user.id,
                ttype,
                name,
                thread.invitable,
                thread.auto_archive_duration,
                from_message,
            )
        )
        member = self._thread_member(thread, fake.bot_user.id)
        fake.gateway.dispatch("THREAD_CREATE", thread.payload() | {"newly_created": True})
        fake.notifier.notify()
        return json_response(thread.payload() | {"member": member}, 201)

    async def post_thread(self, request: RestRequest) -> web.Response:
        body = request.body
        ttype = int(body.get("type") or PRIVATE_THREAD)
        return self._open_thread(self._channel(request), self.fake.ids.next(), ttype, body, None)

    async def post_message_thread(self, request: RestRequest) -> web.Response:
        message = self._channel_message(request)
        if message.id in self.fake.channels:
            raise RestError(400, "A thread has already been created for this message", 160004)
        channel = self._channel(request)
        return self._open_thread(channel, message.id, PUBLIC_THREAD, request.body, message.id)

    def _thread(self, request: RestRequest) -> FakeChannel:
        thread = self._channel(request)
        if not thread.is_thread:
            raise RestError(400, "Cannot execute action on this channel type", 50024)
        return thread

    async def get_thread_members(self, request: RestRequest) -> web.Response:
        thread = self._thread(request)
        return json_response([self._thread_member(thread, u) for u in thread.member_ids])

    async def get_thread_member(self, request: RestRequest) -> web.Response:
        thread = self._thread(request)
        user_id = self._user_id(request.params["user"])
        if user_id not in thread.member_ids:
            raise unknown("Member", 10007)
        return json_response(self._thread_member(thread, user_id))

    async def put_thread_member(self, request: RestRequest) -> web.Response:
        thread = self._thread(request)
        user_id = self._user_id(request.params["user"])
        guild = self.fake.guilds[int(thread.guild_id or 0)]
        if user_id not in guild.members:
            raise unknown("Member", 10007)
        if user_id != self.fake.bot_user.id:
            self._require_bot(thread, SEND_IN_THREADS)
            if thread.type == PRIVATE_THREAD and not thread.invitable:
                is_owner = thread.owner_id == self.fake.bot_user.id
                if not is_owner and not self.fake.bot_permissions(thread) & MANAGE_THREADS:
                    raise RestError(*MISSING_PERMISSIONS)
        if user_id not in thread.member_ids:
            thread.member_ids.append(user_id)
        self.fake.thread_member_adds.append((thread.id, user_id))
        self.fake.notifier.notify()
        return no_content()

    async def delete_thread_member(self, request: RestRequest) -> web.Response:
        thread = self._thread(request)
        user_id = self._user_id(request.params["user"])
        if user_id in thread.member_ids:
            thread.member_ids.remove(user_id)
        self.fake.notifier.notify()
        return no_content()

    # ------------------------------------------------------------------ users & guilds

    async def post_dm(self, request: RestRequest) -> web.Response:
        user = self.fake.users.get(int(request.body.get("recipient_id", 0)))
        if user is None:
            raise unknown("User", 10013)
        return json_response(self.fake.dm_channel(user).payload())

    async def get_user(self, request: RestRequest) -> web.Response:
        user = self.fake.users.get(self._user_id(request.params["user"]))
        if user is None:
            raise unknown("User", 10013)
        return json_response(user.payload())

    async def get_guild(self, request: RestRequest) -> web.Response:
        guild = self._guild(request)
        return json_response(
            guild.payload(full=False)
            | {"approximate_member_count": len(guild.members), "approximate_presence_count": 0}
        )

    async def get_guild_channels(self, request: RestRequest) -> web.Response:
        guild = self._guild(request)
        return json_response([c.payload() for c in guild.channels.values() if not c.is_thread])

    async def get_roles(self, request: RestRequest) -> web.Response:
        return json_response([r.payload() for r in self._guild(request).roles.values()])

    async def get_members(self, request: RestRequest) -> web.Response:
        guild = self._guild(request)
        after = int(request.query.get("after", 0))
        limit = int(request.query.get("limit", 1))
        members = sorted((m for m in guild.members.values() if m.id > after), key=lambda m: m.id)
        return json_response([m.payload() for m in members[:limit]])

    async def get_member(self, request: RestRequest) -> web.Response:
        guild = self._guild(request)
        member = guild.members.get(self._user_id(request.params["user"]))
        if member is None:
            raise unknown("Member", 10007)
        return json_response(member.payload())

    async def _member_role(self, request: RestRequest, add: bool) -> web.Response:
        guild = self._guild(request)
        member = guild.members.get(self._user_id(request.params["user"]))
        if member is None:
            raise unknown("Member", 10007)
        role_id = int(request.params["role"])
        if role_id not in guild.roles:
            raise unknown("Role", 10011)
        if not self.fake.member_permissions(guild, self.fake.bot_user) & P(manage_roles=True).value:
            raise RestError(*MISSING_PERMISSIONS)
        if add and role_id not in member.role_ids:
            member.role_ids.append(role_id)
        if not add and role_id in member.role_ids:
            member.role_ids.remove(role_id)
        self.fake.gateway.dispatch(
            "GUILD_MEMBER_UPDATE", member.payload() | {"guild_id": str(guild.id)}, intent=1 << 1
        )
        self.fake.notifier.notify()
        return no_content()

    async def put_member_role(self, request: RestRequest) -> web.Response:
        return await self._member_role(request, True)

    async def delete_member_role(self, request: RestRequest) -> web.Response:
        return await self._member_role(request, False)

    # ------------------------------------------------------------------ interactions

    async def callback(self, request: RestRequest) -> web.Response:
        fake = self.fake
        handle = fake.interactions.get(int(request.params["interaction"]))
        if handle is None or handle.token != request.params["token"]:
            raise unknown("interaction", 10062)
        if handle.responses:
            raise RestError(400, "Interaction has already been acknowledged.", 40060)
        elapsed = asyncio.get_running_loop().time() - handle.created_at
        if fake.interaction_timeout is not None and elapsed > fake.interaction_timeout:
            raise RestError(404, f"Unknown interaction (answered after {elapsed:.1f}s)", 10062)
        body = request.body
        ctype = int(body.get("type", 0))
        data: JSONDict = body.get("data") or {}
        if ctype not in ALLOWED_CALLBACKS.get(handle.type, set()):
            problem = f"Callback type {ctype} is not valid for interaction type {handle.type}."
            raise RestError.invalid([("type", problem)])
        message = self._apply_callback(handle, ctype, data, request.files)
        snapshot = None if message is None else message.snapshot()
        handle.responses.append(CallbackRecord(ctype, copy.deepcopy(data), snapshot))
        fake.notifier.notify()
        if request.query.get("with_response") not in ("1", "true", "True"):
            return no_content()
        info: JSONDict = {
            "id": str(handle.id),
            "type": handle.type,
            "response_message_loading": ctype == CALLBACK_DEFERRED_MESSAGE,
            "response_message_ephemeral": bool(message is not None and message.ephemeral),
        }
        result: JSONDict = {"interaction": info}
        if message is not None:
            info["response_message_id"] = str(message.id)
            result["resource"] = {"type": ctype, "message": message.payload()}
        return json_response(result)

    def _apply_callback(
        self, handle: InteractionHandle, ctype: int, data: JSONDict, files: list[FilePart]
    ) -> FakeMessage | None:
        fake = self.fake
        ephemeral = bool(int(data.get("flags") or 0) & FLAG_EPHEMERAL)
        if ctype == CALLBACK_MESSAGE:
            self._check_message(data, files, creating=True)
            message = fake.new_message(
                handle.channel,
                data,
                files,
                interaction=handle,
                ephemeral=ephemeral,
                message_type=self._message_type(handle),
            )
            handle.response_message = message
            return message
        if ctype == CALLBACK_DEFERRED_MESSAGE:
            message = fake.new_message(
                handle.channel,
                {},
                [],
                interaction=handle,
                ephemeral=ephemeral,
                loading=True,
                message_type=self._message_type(handle),
            )
            handle.response_message = message
            return message
        if ctype in (CALLBACK_UPDATE_MESSAGE, CALLBACK_DEFERRED_UPDATE):
            if handle.source_message is None:
                raise RestError.invalid([("type", "There is no message to update.")])
            if ctype == CALLBACK_DEFERRED_UPDATE:
                return None
            self._check_message(data, files, creating=False)
            return fake.edit_message(handle.source_message, data, files, interaction=handle)
        if ctype == CALLBACK_AUTOCOMPLETE:
            choices = list(data.get("choices") or [])
            if len(choices) > 25:
                raise RestError.invalid([("data.choices", "Must be 25 or fewer in length.")])
            handle.choices = choices
            return None
        problems = modal_problems(data)
        if problems:
            raise RestError.invalid(problems)
        modal = number_components([copy.deepcopy(data)])[0]
        modal.pop("id", None)
        handle.modal = modal
        fake.modals.append((handle, modal))
        return None

    @staticmethod
    def _message_type(handle: InteractionHandle) -> int:
        if handle.type != APPLICATION_COMMAND:
            return 0
        return 20 if int(handle.payload["data"].get("type", 1)) == 1 else 23

    def _webhook(self, request: RestRequest) -> InteractionHandle:
        handle = self.fake.interactions_by_token.get(request.params["token"])
        if int(request.params["app"]) != self.fake.application_id or handle is None:
            raise unknown("Webhook", 10015)
        return handle

    async def execute_webhook(self, request: RestRequest) -> web.Response:
        """A followup. After a deferred (type 5) response the first followup replaces the
        "thinking" message and keeps its ephemerality, exactly like Discord."""
        handle = self._webhook(request)
        if not handle.responses:
            raise unknown("Webhook", 10015)
        data = request.body
        self._check_message(data, request.files, creating=True)
        original = handle.response_message
        if (
            original is not None
            and original.loading
            and handle.response_type == CALLBACK_DEFERRED_MESSAGE
            and not handle.followups
        ):
            edit = {k: v for k, v in data.items() if k != "flags"}
            message = self.fake.edit_message(original, edit, request.files, interaction=handle)
        else:
            message = self.fake.new_message(
                handle.channel,
                data,
                request.files,
                interaction=handle,
                ephemeral=bool(int(data.get("flags") or 0) & FLAG_EPHEMERAL),
                message_type=self._message_type(handle),
            )
        handle.followups.append(message)
        self.fake.notifier.notify()
        if request.query.get("wait") in ("1", "true", "True"):
            return json_response(message.payload())
        return no_content()

    def _webhook_message(self, request: RestRequest) -> tuple[InteractionHandle, FakeMessage]:
        handle = self._webhook(request)
        raw = request.params["message"]
        message = handle.original if raw == "@original" else self.fake.messages.get(int(raw))
        if (
            message is None
            or message.deleted
            or (message is not handle.original and message.interaction_id != handle.id)
        ):
            raise unknown("Message", 10008)
        return handle, message

    async def get_webhook_message(self, request: RestRequest) -> web.Response:
        return json_response(self._webhook_message(request)[1].payload())

    async def patch_webhook_message(self, request: RestRequest) -> web.Response:
        handle, message = self._webhook_message(request)
        self._check_message(request.body, request.files, creating=False)
        self.fake.edit_message(message, request.body, request.files, interaction=handle)
        return json_response(message.payload())

    async def delete_webhook_message(self, request: RestRequest) -> web.Response:
        _, message = self._webhook_message(request)
        self.fake.delete_message(message)
        return no_content()

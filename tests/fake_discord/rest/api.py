"""The REST side of the fake: a tiny router over ``/api/v{n}/...`` dispatching to the route
groups (one module each) and recording every request."""

from __future__ import annotations

import json
import logging
import re
import traceback
from typing import TYPE_CHECKING, Any

from aiohttp import BodyPartReader, web

from ..interactions import FakeDiscordError
from ..models import RequestRecord
from .application import ApplicationRoutes
from .base import FilePart, Handler, RestError, RestRequest, json_response
from .callbacks import CallbackRoutes
from .guild_channels import GuildChannelRoutes
from .guilds import GuildRoutes
from .messages import MessageRoutes
from .threads import ThreadRoutes

if TYPE_CHECKING:
    from ..server import FakeDiscord

_log = logging.getLogger(__name__)


class RestApi(
    ApplicationRoutes,
    MessageRoutes,
    ThreadRoutes,
    GuildRoutes,
    GuildChannelRoutes,
    CallbackRoutes,
):
    def __init__(self, fake: FakeDiscord) -> None:
        super().__init__(fake)
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

"""Channel routes for messages: reading and editing channels, posting, editing and deleting
messages, reactions and typing."""

from __future__ import annotations

from aiohttp import web

from ..models import FakeChannel, JSONDict
from ..permissions import VIEW_CHANNEL
from .base import (
    ATTACH_FILES,
    MANAGE_MESSAGES,
    MISSING_ACCESS,
    MISSING_PERMISSIONS,
    SEND_IN_THREADS,
    SEND_MESSAGES,
    P,
    RestError,
    RestRequest,
    RestRoutes,
    json_response,
    no_content,
)


class MessageRoutes(RestRoutes):
    """Channel and message routes (threads have their own module)."""

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

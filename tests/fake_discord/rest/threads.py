"""Thread routes: opening threads (standalone or from a message) and managing their members."""

from __future__ import annotations

from aiohttp import web

from ..models import (
    PRIVATE_THREAD,
    PUBLIC_THREAD,
    TEXT_CHANNEL,
    FakeChannel,
    JSONDict,
    ThreadRecord,
)
from .base import (
    CREATE_PRIVATE_THREADS,
    CREATE_PUBLIC_THREADS,
    MANAGE_THREADS,
    MISSING_PERMISSIONS,
    SEND_IN_THREADS,
    RestError,
    RestRequest,
    RestRoutes,
    json_response,
    no_content,
    unknown,
)


class ThreadRoutes(RestRoutes):
    """Thread creation and thread-member routes."""

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

"""The room and the clocks: opening a pair's private thread (and voice room, where the
server allows it), posting each round, closing the room, and the timers for queue waits,
invitations and rounds, picked up again after a restart from what the database holds."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

import discord

from bot.discord.mock import embeds
from bot.discord.mock.buttons import buttons, room_buttons
from bot.discord.text import NO_MENTIONS, truncate
from bot.engine.clock import Timers
from bot.engine.mock import MockService, Queued, SessionView

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot

log = logging.getLogger(__name__)
THREAD_ARCHIVE_MINUTES: Final = 1440
Callback = Callable[[], Awaitable[None]]
QUEUE_EXPIRED = (
    "Nobody was free for a mock interview in **{guild}** in time, so I took you out of the "
    "queue. `/mock join` tries again."
)


class RoomKeeper:
    def __init__(self, bot: InterviewBot, service: MockService) -> None:
        self.bot = bot
        self.service = service
        self.timers = Timers(bot.clock)
        self._recovered = False
        self._recovery: asyncio.Task[None] | None = None
        self._closed = False  # a flow finishing during shutdown must not start a timer

    async def channel(self, channel_id: int) -> Any:
        return self.bot.get_channel(channel_id) or await self.bot.fetch_channel(channel_id)

    # -- opening and rounds ------------------------------------------------------------------

    async def open(self, view: SessionView) -> discord.Thread | None:
        """The pair's private thread with both members, a voice room if allowed, round 1.

        None if no private thread could be opened: the session is then ended."""
        channel = await self.channel(view.channel_id)
        names = f"{view.first.display_name} & {view.second.display_name}"
        try:
            thread = await channel.create_thread(
                name=truncate(f"Mock interview · {names}", 100),
                type=discord.ChannelType.private_thread,
                invitable=False,
                auto_archive_duration=THREAD_ARCHIVE_MINUTES,
            )
            for person in view.members:
                if person.discord_id is not None:
                    await thread.add_user(discord.Object(id=person.discord_id))
        except (discord.HTTPException, AttributeError) as error:
            log.info("no private thread for mock session %s: %s", view.session_id, error)
            await self.service.end_without_room(view.session_id)
            return None
        voice = await self._open_voice(view, channel)
        await self.service.set_places(
            view.session_id, thread_id=thread.id, voice_channel_id=voice.id if voice else None
        )
        await self.post_round(await self.service.view(view.session_id))
        return thread

    async def _open_voice(self, view: SessionView, channel: Any) -> discord.VoiceChannel | None:
        """A voice channel only the pair (and the bot) can see, or None without Manage
        Channels: the text thread is enough."""
        guild = getattr(channel, "guild", None)
        if guild is None or guild.me is None or not guild.me.guild_permissions.manage_channels:
            return None
        members = discord.PermissionOverwrite(view_channel=True, connect=True)
        overwrites: dict[Any, discord.PermissionOverwrite] = {
            guild.default_role: discord.PermissionOverwrite(view_channel=False, connect=False),
            guild.me: members,
        }
        for person in view.members:
            if person.discord_id is not None:
                overwrites[discord.Object(id=person.discord_id, type=discord.Member)] = members
        try:
            return await guild.create_voice_channel(
                truncate(f"Mock · {view.first.display_name} & {view.second.display_name}", 100),
                overwrites=overwrites,
                category=getattr(channel, "category", None),
                reason="Peer mock interview room, deleted when the session ends",
            )
        except discord.HTTPException as error:
            log.info("no voice room for mock session %s: %s", view.session_id, error)
            return None

    async def post_round(self, view: SessionView) -> None:
        state = view.current
        if state is None or view.thread_id is None:
            return
        thread = await self.channel(view.thread_id)
        ids = [p.discord_id for p in view.members if p.discord_id is not None]
        await thread.send(
            content=" ".join(f"<@{i}>" for i in ids),
            embed=embeds.round_embed(view, state, view.voice_channel_id),
            view=room_buttons(view.session_id, state.number),
            allowed_mentions=discord.AllowedMentions(
                users=[discord.Object(id=i) for i in ids], everyone=False, roles=False
            ),
        )
        self.schedule_round(view)

    async def close(self, view: SessionView) -> None:
        """Post how the session ended in its thread and delete the voice room."""
        self.timers.cancel(("round", view.session_id))
        if view.voice_channel_id is not None:
            try:
                await (await self.channel(view.voice_channel_id)).delete(
                    reason="The mock interview ended"
                )
            except discord.HTTPException:
                log.info("could not delete voice room of mock session %s", view.session_id)
        if view.thread_id is None:
            return
        thread = await self.channel(view.thread_id)
        rated = any(r.rating is not None for r in view.rounds)
        if view.status == "finished":
            await thread.send(
                embed=embeds.finished_embed(view),
                view=buttons(view.session_id, 0, "mine", "useful", "useless", "report"),
                allowed_mentions=NO_MENTIONS,
            )
            return
        actions = ["requeue"] if view.left_behind else []
        actions += ["mine"] if rated else []
        await thread.send(
            content=embeds.ending_text(view),
            view=buttons(view.session_id, 0, *actions) if actions else discord.utils.MISSING,
            allowed_mentions=NO_MENTIONS,
        )

    # -- timers ------------------------------------------------------------------------------

    def _schedule(self, key: tuple[object, ...], moment: datetime, callback: Callback) -> None:
        if not self._closed:
            self.timers.schedule(key, moment, callback)

    def schedule_queue(self, queued: Queued) -> None:
        key = ("queue", queued.guild_id, queued.user_id)

        async def expire() -> None:
            if await self.service.expire(queued.guild_id, queued.user_id, queued.joined_at):
                await self.tell(queued.guild_id, queued.user_id, QUEUE_EXPIRED)

        self._schedule(key, queued.expires_at, expire)

    def cancel_queue(self, guild_id: int, user_id: int | None) -> None:
        self.timers.cancel(("queue", guild_id, user_id))

    async def schedule_invite(self, view: SessionView) -> None:
        limit = await self.service.wait_limit(view.guild_id)

        async def expire() -> None:
            expired = await self.service.expire_invite(view.session_id)
            if expired is not None:
                await self.edit_invite(expired, "expired")

        self._schedule(("invite", view.session_id), view.created_at + limit, expire)

    def schedule_round(self, view: SessionView) -> None:
        if view.deadline is None:
            return
        number = view.round

        async def time_out() -> None:
            ended = await self.service.time_out(view.session_id, number)
            if ended is not None:
                await self.close(ended)

        self._schedule(("round", view.session_id), view.deadline, time_out)

    async def edit_invite(self, view: SessionView, state: str) -> None:
        self.timers.cancel(("invite", view.session_id))
        if view.invite_message_id is None:
            return
        try:
            channel = await self.channel(view.channel_id)
            await channel.get_partial_message(view.invite_message_id).edit(
                embed=embeds.invite_embed(view, state), view=None, allowed_mentions=NO_MENTIONS
            )
        except discord.HTTPException:
            log.info("could not update the invitation of mock session %s", view.session_id)

    async def tell(self, guild_id: int, user_id: int, text: str) -> None:
        """A private word by DM; a member with closed DMs is simply not told."""
        discord_id = (await self.service.person(user_id)).discord_id
        guild = self.bot.get_guild(guild_id)
        if discord_id is None:
            return
        try:
            user = self.bot.get_user(discord_id) or await self.bot.fetch_user(discord_id)
            await user.send(
                text.format(guild=discord.utils.escape_markdown(guild.name if guild else "")),
                allowed_mentions=NO_MENTIONS,
            )
        except discord.HTTPException:
            log.info("could not DM user %s about the mock queue", user_id)

    # -- restart -----------------------------------------------------------------------------

    def start_recovery(self) -> None:
        """Recover in a task of our own, so closing the bot can stop it half-way."""
        if self._recovered:
            return  # once, not on reconnects
        self._recovered = True
        self._recovery = asyncio.create_task(self._recover_logged(), name="mock recovery")

    async def _recover_logged(self) -> None:
        try:
            await self.recover()
        except Exception:
            log.exception("recovering mock interviews failed")

    async def recover(self) -> None:
        """Reschedule every wait, invitation and round of this process's guilds."""
        owns = self.bot.owns_guild  # another shard's process runs the others
        for guild_id, user_id, joined_at, expires_at in await self.service.waiting_everywhere():
            if owns(guild_id):
                self.schedule_queue(Queued(guild_id, user_id, joined_at, expires_at, 0))
        for view in await self.service.open_sessions():
            if not owns(view.guild_id):
                continue
            if view.status == "invited":
                await self.schedule_invite(view)
            elif view.thread_id is None:
                await self.open(view)  # stopped between pairing and opening the room
            else:
                self.schedule_round(view)
            log.info("resumed mock session %s (%s)", view.session_id, view.status)

    async def close_all(self) -> None:
        self._closed = True
        if self._recovery is not None:
            self._recovery.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._recovery
        await self.timers.close()

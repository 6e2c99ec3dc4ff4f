"""How rounds move on by themselves: the lobby closes, questions open and close on time,
reveals and standings are posted, and after a restart every pending round is picked up.

Everything a round needs to continue lives in the database; the timers here only say when to
act. On start the bot reschedules every pending round: a lobby or question whose time has
passed is closed at once with what was stored, and the round goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any, Final

import discord

from bot.discord.rounds import embeds as round_embeds
from bot.discord.rounds.announcing import RoundAnnouncer
from bot.discord.rounds.buttons import lobby_buttons, round_answer_buttons
from bot.discord.text import NO_MENTIONS, truncate
from bot.engine.clock import Timers
from bot.engine.rounds import RoundView, Standings
from bot.observability import set_log_context

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot

log = logging.getLogger(__name__)
THREAD_ARCHIVE_MINUTES: Final = 1440


class RoundPacer:
    """Runs each round's timeline; one lock per round, so a timer and a click never race."""

    def __init__(self, bot: InterviewBot) -> None:
        self.bot = bot
        self.service = bot.round_service
        self.timers = Timers(bot.clock)
        self._close_locks: dict[int, asyncio.Lock] = {}
        self._background: set[asyncio.Task[None]] = set()
        self._recovered = False
        self._recovery: asyncio.Task[None] | None = None
        self.announcer = RoundAnnouncer(bot, self.channel)

    # -- where a round is shown ----------------------------------------------------------------

    async def channel(self, channel_id: int) -> Any:
        channel = self.bot.get_channel(channel_id)
        if channel is None:
            channel = await self.bot.fetch_channel(channel_id)
        return channel

    async def starter_name(self, view: RoundView) -> str:
        for participant in view.participants:
            if participant.user_id == view.starter_user_id:
                return participant.display_name
        if view.starter_user_id is None:
            return "the starter"
        return await self.bot.user_service.display_name(view.starter_user_id) or "the starter"

    async def _edit_lobby(self, view: RoundView, *, buttons: bool) -> None:
        if view.lobby_message_id is None:
            return
        channel = await self.channel(view.channel_id)
        starter = await self.starter_name(view)
        try:
            await channel.get_partial_message(view.lobby_message_id).edit(
                embed=round_embeds.lobby_embed(view, starter),
                view=lobby_buttons(view.round_id) if buttons else None,
                allowed_mentions=NO_MENTIONS,
            )
        except discord.HTTPException:
            log.warning("could not update the lobby of round %s", view.round_id, exc_info=True)

    # -- lobby -------------------------------------------------------------------------------

    def schedule_lobby(self, view: RoundView) -> None:
        self.timers.schedule(
            ("lobby", view.round_id), view.lobby_deadline, lambda: self.begin(view.round_id)
        )

    async def begin(self, round_id: int) -> None:
        set_log_context(None, f"round:{round_id}")  # timers run in tasks of their own
        async with self._lock(round_id):  # the lobby timer and Start now may race
            await self._begin(round_id)

    async def _begin(self, round_id: int) -> None:
        self.timers.cancel(("lobby", round_id))
        before = await self.service.get(round_id)
        if before.status != "lobby":
            return
        view = await self.service.begin(round_id)
        await self._edit_lobby(view, buttons=False)
        if view.status == "cancelled":
            channel = await self.channel(view.channel_id)
            await channel.send(
                "Nobody joined the round, so it is closed. `/round start` to try again.",
                allowed_mentions=NO_MENTIONS,
            )
            return
        thread = await self._open_thread(view)
        if thread is not None:
            await self.service.set_messages(round_id, thread_id=thread.id)
            view = await self.service.get(round_id)
            channel = await self.channel(view.channel_id)
            await channel.send(
                f"The round has started in {thread.mention}.", allowed_mentions=NO_MENTIONS
            )
        await self._post_question(view)

    async def _open_thread(self, view: RoundView) -> discord.Thread | None:
        channel = await self.channel(view.channel_id)
        if not isinstance(channel, discord.TextChannel):
            return None
        topic = view.question.topic if view.question else "questions"
        try:
            return await channel.create_thread(
                name=truncate(f"Round · {topic}", 100),
                type=discord.ChannelType.public_thread,
                auto_archive_duration=THREAD_ARCHIVE_MINUTES,
            )
        except discord.HTTPException as error:
            log.info("no thread for round %s (%s); staying in the channel", view.round_id, error)
            return None

    # -- questions ---------------------------------------------------------------------------

    async def _post_question(self, view: RoundView) -> None:
        channel = await self.announcer.where(view)
        message = await channel.send(
            embed=round_embeds.round_question_embed(view),
            view=round_answer_buttons(view.round_id, view.position),
            allowed_mentions=NO_MENTIONS,
        )
        await self.service.set_messages(view.round_id, question_message_id=message.id)
        self._schedule_close(view)

    def _schedule_close(self, view: RoundView) -> None:
        assert view.question_deadline is not None
        position = view.position
        self.timers.schedule(
            ("question", view.round_id),
            view.question_deadline,
            lambda: self.close(view.round_id, position),
        )

    def _lock(self, round_id: int) -> asyncio.Lock:
        return self._close_locks.setdefault(round_id, asyncio.Lock())

    async def close(self, round_id: int, position: int) -> None:
        """Close a question (deadline or everyone answered), reveal it, and go on."""
        async with self._lock(round_id):
            reveal = await self.service.close_question(round_id, position)
            if reveal is None:
                return  # someone else closed it already
            set_log_context(reveal.next.guild_id, f"round:{round_id}")
            self.timers.cancel(("question", round_id))
            await self.announcer.reveal(reveal)
            following = reveal.next
            if following.status == "running" and following.question is not None:
                await self._post_question(following)
            else:
                await self.announcer.standings(following)
                self._close_locks.pop(round_id, None)

    async def stop(self, round_id: int) -> Standings:
        """Stop the round now: its open question is revealed with the answers so far."""
        self.timers.cancel(("lobby", round_id))
        self.timers.cancel(("question", round_id))
        async with self._lock(round_id):
            reveal, standings = await self.service.stop(round_id)
        if reveal is not None:
            await self.announcer.reveal(reveal)
        return standings

    def close_soon(self, round_id: int, position: int) -> None:
        """Close a question without waiting for its clock (everyone has answered)."""
        task = asyncio.create_task(self._close_logged(round_id, position))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _close_logged(self, round_id: int, position: int) -> None:
        try:
            await self.close(round_id, position)
        except Exception:
            log.exception("closing round %s question %s failed", round_id, position + 1)

    # -- restart -----------------------------------------------------------------------------

    def start_recovery(self) -> None:
        """Recover in a task of our own, so closing the bot can stop it half-way."""
        if self._recovery is None:
            self._recovery = asyncio.create_task(self._recover_logged(), name="round recovery")

    async def _recover_logged(self) -> None:
        try:
            await self.recover()
        except Exception:
            log.exception("recovering rounds failed")

    async def recover(self) -> None:
        """Pick up every round of this process's guilds that was running when the bot stopped;
        once, not on reconnects."""
        if self._recovered:
            return
        self._recovered = True
        # First what a crash left unsaid, so a missed reveal comes before the next question.
        for view in await self.service.unannounced():
            if self.bot.owns_guild(view.guild_id):
                await self.announcer.catch_up(view)
        for view in await self.service.pending():
            if not self.bot.owns_guild(view.guild_id):
                continue  # another shard's process runs it
            if view.status == "lobby":
                self.schedule_lobby(view)
            elif view.status == "running" and view.question_message_id is None:
                # Stopped between opening the question and posting it: post it now.
                if view.question is not None:
                    await self._post_question(view)
            elif view.status == "running" and view.question_deadline is not None:
                self._schedule_close(view)
            log.info("resumed round %s (%s)", view.round_id, view.status)

    async def close_all(self) -> None:
        if self._recovery is not None and not self._recovery.done():
            self._recovery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._recovery
        await self.timers.close()
        for task in list(self._background):
            task.cancel()

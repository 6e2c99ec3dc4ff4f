"""Study-group round flows: lobby, timed questions, reveals and standings.

Everything a round needs to continue lives in the database; the timers here only say when to
act. On start the bot reschedules every pending round: a lobby or question whose time has
passed is closed at once with what was stored, and the round goes on.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any, Final

import discord

from bot.discord import embeds, round_embeds
from bot.discord.components import (
    answer_modal,
    lobby_buttons,
    reveal_buttons,
    round_answer_buttons,
)
from bot.discord.cooldowns import OnCooldown
from bot.discord.permissions import can_manage_questions
from bot.discord.sessions import send
from bot.discord.text import NO_MENTIONS, timestamp, truncate
from bot.engine.answers import accept_answer
from bot.engine.clock import Timers
from bot.engine.errors import (
    NotAllowed,
    NotParticipant,
    RoundClosed,
    RoundError,
    RoundExists,
)
from bot.engine.rounds import RoundService, RoundView

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot

log = logging.getLogger(__name__)
THREAD_ARCHIVE_MINUTES: Final = 1440


class RoundFlows:
    def __init__(self, bot: InterviewBot, service: RoundService) -> None:
        self.bot = bot
        self.service = service
        self.timers = Timers(bot.clock)
        self._close_locks: dict[int, asyncio.Lock] = {}
        self._background: set[asyncio.Task[None]] = set()

    # -- helpers -----------------------------------------------------------------------------

    async def _channel(self, channel_id: int) -> Any:
        channel = self.bot.get_channel(channel_id)
        if channel is None:
            channel = await self.bot.fetch_channel(channel_id)
        return channel

    async def _where(self, view: RoundView) -> Any:
        return await self._channel(view.thread_id or view.channel_id)

    async def _starter_name(self, view: RoundView) -> str:
        for participant in view.participants:
            if participant.user_id == view.starter_user_id:
                return participant.display_name
        if view.starter_user_id is None:
            return "the starter"
        return await self.bot.user_service.display_name(view.starter_user_id) or "the starter"

    async def _may_control(self, interaction: discord.Interaction, view: RoundView) -> bool:
        user_id = await self.bot.user_service.find_discord_user(interaction.user.id)
        if user_id is not None and user_id == view.starter_user_id:
            return True
        assert interaction.guild is not None
        settings = await self.bot.settings_service.get(interaction.guild.id)
        return can_manage_questions(interaction.user, settings)

    async def _edit_lobby(self, view: RoundView, *, buttons: bool) -> None:
        if view.lobby_message_id is None:
            return
        channel = await self._channel(view.channel_id)
        starter = await self._starter_name(view)
        try:
            await channel.get_partial_message(view.lobby_message_id).edit(
                embed=round_embeds.lobby_embed(view, starter),
                view=lobby_buttons(view.round_id) if buttons else None,
                allowed_mentions=NO_MENTIONS,
            )
        except discord.HTTPException:
            log.warning("could not update the lobby of round %s", view.round_id, exc_info=True)

    # -- commands ----------------------------------------------------------------------------

    async def start_command(
        self,
        interaction: discord.Interaction,
        *,
        topic: str | None,
        difficulty: str | None,
        questions: int,
        seconds: int,
        lobby: int,
    ) -> None:
        guild, channel = interaction.guild, interaction.channel
        if guild is None or not isinstance(channel, discord.TextChannel):
            raise NotAllowed("Rounds run in a server's text channel.")
        await self.bot.settings_service.ensure_guild(guild.id, guild.name)
        starter = await self.bot.sessions.user_id(interaction.user)
        try:
            view = await self.service.create(
                guild.id,
                channel.id,
                starter,
                topic=topic,
                difficulty=difficulty,
                questions=questions,
                seconds=seconds,
                lobby=lobby,
            )
        except RoundExists as error:
            raise RoundError(self._where_it_is(guild.id, error.existing)) from None
        filters = {"topic": topic, "difficulty": difficulty}
        await interaction.response.send_message(
            embed=round_embeds.lobby_embed(view, interaction.user.display_name, filters),
            view=lobby_buttons(view.round_id),
            allowed_mentions=NO_MENTIONS,
        )
        message = await interaction.original_response()
        await self.service.set_messages(view.round_id, lobby_message_id=message.id)
        self._schedule_lobby(view)

    @staticmethod
    def _where_it_is(guild_id: int, existing: RoundView) -> str:
        """Point at the round already here: its thread once running, else its lobby."""
        if existing.status == "running" and existing.thread_id:
            return (
                f"A round is already running here, in <#{existing.thread_id}>. One round per "
                "channel: join the next one, or start yours in another channel."
            )
        if existing.lobby_message_id:
            link = (
                f"https://discord.com/channels/{guild_id}/{existing.channel_id}/"
                f"{existing.lobby_message_id}"
            )
            state = "open to join" if existing.status == "lobby" else "running"
            return f"A round is already {state} in this channel: {link}"
        return "A round is already running in this channel; one round per channel."

    async def stop_command(self, interaction: discord.Interaction) -> None:
        view = await self._active_here(interaction)
        if not await self._may_control(interaction, view):
            raise NotAllowed("Only the round's starter or a server manager can stop it.")
        await interaction.response.defer(thinking=True)
        self.timers.cancel(("lobby", view.round_id))
        self.timers.cancel(("question", view.round_id))
        async with self._lock(view.round_id):
            reveal, standings = await self.service.stop(view.round_id)
        if reveal is not None:
            await self._post_reveal(reveal)
        await send(interaction, ephemeral=False, embed=round_embeds.standings_embed(standings))

    async def status_command(self, interaction: discord.Interaction) -> None:
        view = await self._active_here(interaction)
        place = view.thread_id or view.channel_id
        where = f"<#{place}>" if place != interaction.channel_id else None
        await send(interaction, ephemeral=True, embed=round_embeds.round_status_embed(view, where))

    async def _active_here(self, interaction: discord.Interaction) -> RoundView:
        assert interaction.channel_id is not None
        view = await self.service.active_in_channel(interaction.channel_id)
        if view is None:
            raise NotAllowed("There is no round running here. `/round start` begins one.")
        return view

    # -- lobby -------------------------------------------------------------------------------

    def _schedule_lobby(self, view: RoundView) -> None:
        self.timers.schedule(
            ("lobby", view.round_id), view.lobby_deadline, lambda: self.begin(view.round_id)
        )

    async def begin(self, round_id: int) -> None:
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
            channel = await self._channel(view.channel_id)
            await channel.send(
                "Nobody joined the round, so it is closed. `/round start` to try again.",
                allowed_mentions=NO_MENTIONS,
            )
            return
        thread = await self._open_thread(view)
        if thread is not None:
            await self.service.set_messages(round_id, thread_id=thread.id)
            view = await self.service.get(round_id)
            channel = await self._channel(view.channel_id)
            await channel.send(
                f"The round has started in {thread.mention}.", allowed_mentions=NO_MENTIONS
            )
        await self._post_question(view)

    async def _open_thread(self, view: RoundView) -> discord.Thread | None:
        channel = await self._channel(view.channel_id)
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
        channel = await self._where(view)
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
            self.timers.cancel(("question", round_id))
            await self._post_reveal(reveal)
            following = reveal.next
            if following.status == "running" and following.question is not None:
                await self._post_question(following)
            else:
                standings = await self.service.standings(round_id)
                channel = await self._where(following)
                await channel.send(
                    embed=round_embeds.standings_embed(standings), allowed_mentions=NO_MENTIONS
                )
                self._close_locks.pop(round_id, None)

    async def _post_reveal(self, reveal: Any) -> None:
        view: RoundView = reveal.next
        channel = await self._where(view)
        if view.question_message_id is not None:
            try:
                await channel.get_partial_message(view.question_message_id).edit(view=None)
            except discord.HTTPException:
                log.info("could not close question message of round %s", view.round_id)
        await channel.send(
            embed=round_embeds.reveal_embed(reveal),
            view=reveal_buttons(reveal.round_id, reveal.position),
            allowed_mentions=NO_MENTIONS,
        )

    # -- buttons and answers -----------------------------------------------------------------

    async def on_button(
        self, interaction: discord.Interaction, action: str, round_id: int, position: int
    ) -> None:
        view = await self.service.get(round_id)
        if action in ("join", "leave"):
            user_id = await self.bot.sessions.user_id(interaction.user)
            if action == "join":
                view = await self.service.join(round_id, user_id)
            else:
                view = await self.service.leave(round_id, user_id)
            starter = await self._starter_name(view)
            await interaction.response.edit_message(
                embed=round_embeds.lobby_embed(view, starter), view=lobby_buttons(round_id)
            )
        elif action == "start":
            if view.status != "lobby":
                raise RoundClosed("This round has already started.")
            if not await self._may_control(interaction, view):
                raise NotAllowed("Only the round's starter or a server manager can start it now.")
            await interaction.response.defer()
            await self.begin(round_id)
        elif action == "answer":
            await self._open_answer(interaction, view, position)
        elif action == "mine":
            known = await self.bot.user_service.find_discord_user(interaction.user.id)
            result = (
                await self.service.result_for(round_id, position, known)
                if known is not None
                else None
            )
            if result is None:
                await send(interaction, ephemeral=True, content="You did not answer this one.")
                return
            question, score = result
            embed = embeds.result_embed(score, question, f"Your answer · question {position + 1}")
            await send(interaction, ephemeral=True, embed=embed)

    async def _open_answer(
        self, interaction: discord.Interaction, view: RoundView, position: int
    ) -> None:
        user_id = await self.bot.user_service.find_discord_user(interaction.user.id)
        if user_id is None or all(p.user_id != user_id for p in view.participants):
            raise NotParticipant(
                "You're not in this round: press **Join** in the lobby of the next one."
            )
        deadline = view.question_deadline
        if (
            view.status != "running"
            or view.position != position
            or (deadline is not None and self.bot.clock() >= deadline)
        ):
            raise RoundClosed("Time is up for that question.")
        title = f"Round question {position + 1} of {view.total}"
        await interaction.response.send_modal(
            answer_modal(view.round_id, position, title, kind="ranswer")
        )

    async def on_answer_modal(
        self, interaction: discord.Interaction, round_id: int, position: int, answer: str
    ) -> None:
        accepted = accept_answer(answer)  # refused before deferring, so it stays private
        retry = self.bot.answer_cooldown.retry_after(interaction.user.id)
        if retry:
            raise OnCooldown(retry, "answering")
        await interaction.response.defer(ephemeral=True, thinking=True)
        user_id = await self.bot.user_service.find_discord_user(interaction.user.id)
        if user_id is None:
            raise NotParticipant(
                "You're not in this round: press **Join** in the lobby of the next one."
            )
        receipt = await self.service.submit(round_id, position, user_id, accepted)
        deadline = receipt.view.question_deadline
        verb = "updated" if receipt.resubmitted else "received"
        until = f" You can change it until {timestamp(deadline)}." if deadline else ""
        await send(
            interaction,
            ephemeral=True,
            content=f"✅ Answer {verb} ({len(accepted.text)} characters); the last one counts."
            + until,
        )
        if receipt.all_answered:  # no need to wait for the clock
            task = asyncio.create_task(self._close_logged(round_id, position))
            self._background.add(task)
            task.add_done_callback(self._background.discard)

    async def _close_logged(self, round_id: int, position: int) -> None:
        try:
            await self.close(round_id, position)
        except Exception:
            log.exception("closing round %s question %s failed", round_id, position + 1)

    # -- restart -----------------------------------------------------------------------------

    async def recover(self) -> None:
        """Pick up every round that was running when the bot stopped."""
        for view in await self.service.pending():
            if view.status == "lobby":
                self._schedule_lobby(view)
            elif view.status == "running" and view.question_message_id is None:
                # Stopped between opening the question and posting it: post it now.
                if view.question is not None:
                    await self._post_question(view)
            elif view.status == "running" and view.question_deadline is not None:
                self._schedule_close(view)
            log.info("resumed round %s (%s)", view.round_id, view.status)

    async def close_all(self) -> None:
        await self.timers.close()
        for task in list(self._background):
            task.cancel()

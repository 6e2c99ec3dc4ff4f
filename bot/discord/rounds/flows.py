"""Study-group round flows: /round start|stop|status, the round's buttons and answers.

What happens on a clock (the lobby closing, questions opening and closing, reveals) is the
pacer's (pacing.py).
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Final

import discord

from bot.discord.cooldowns import OnCooldown
from bot.discord.interview.embeds import result_embed
from bot.discord.lookups import user_of
from bot.discord.permissions import can_manage_questions
from bot.discord.rounds import embeds as round_embeds
from bot.discord.rounds.buttons import (
    RoundButton,
    lobby_buttons,
)
from bot.discord.rounds.pacing import RoundPacer
from bot.discord.text import NO_MENTIONS, send, timestamp
from bot.discord.ui import answer_modal
from bot.engine.answers import accept_answer
from bot.engine.errors import (
    NotAllowed,
    NotParticipant,
    RoundClosed,
    RoundError,
    RoundExists,
)
from bot.engine.rounds import RoundView

if TYPE_CHECKING:
    from bot.discord.client import InterviewBot

log = logging.getLogger(__name__)
THREAD_ARCHIVE_MINUTES: Final = 1440


class RoundFlows:
    """What the round commands, buttons and the answer form do; the pacer moves rounds on."""

    def __init__(self, bot: InterviewBot, pacer: RoundPacer) -> None:
        self.bot = bot
        self.service = bot.round_service
        self.pacer = pacer

    async def _may_control(self, interaction: discord.Interaction, view: RoundView) -> bool:
        user_id = await self.bot.user_service.find_discord_user(interaction.user.id)
        if user_id is not None and user_id == view.starter_user_id:
            return True
        assert interaction.guild is not None
        settings = await self.bot.settings_service.get(interaction.guild.id)
        return can_manage_questions(interaction.user, settings)

    # -- commands ----------------------------------------------------------------------------

    async def open_lobby(
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
        starter = await user_of(self.bot, interaction.user)
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
        self.pacer.schedule_lobby(view)

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

    async def stop_round(self, interaction: discord.Interaction) -> None:
        view = await self._active_here(interaction)
        if not await self._may_control(interaction, view):
            raise NotAllowed("Only the round's starter or a server manager can stop it.")
        await interaction.response.defer(thinking=True)
        standings = await self.pacer.stop(view.round_id)
        await send(interaction, ephemeral=False, embed=round_embeds.standings_embed(standings))
        await self.service.mark_standings_posted(view.round_id)

    async def round_status(self, interaction: discord.Interaction) -> None:
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

    # -- buttons and answers -----------------------------------------------------------------

    async def on_button(self, interaction: discord.Interaction, button: RoundButton) -> None:
        action, round_id, position = button.action, button.round_id, button.position
        view = await self.service.get(round_id)
        if action in ("join", "leave"):
            user_id = await user_of(self.bot, interaction.user)
            if action == "join":
                view = await self.service.join(round_id, user_id)
            else:
                view = await self.service.leave(round_id, user_id)
            starter = await self.pacer.starter_name(view)
            await interaction.response.edit_message(
                embed=round_embeds.lobby_embed(view, starter), view=lobby_buttons(round_id)
            )
        elif action == "start":
            if view.status != "lobby":
                raise RoundClosed("This round has already started.")
            if not await self._may_control(interaction, view):
                raise NotAllowed("Only the round's starter or a server manager can start it now.")
            await interaction.response.defer()
            await self.pacer.begin(round_id)
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
            embed = result_embed(score, question, f"Your answer · question {position + 1}")
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
        self, interaction: discord.Interaction, match: re.Match[str], values: dict[str, str]
    ) -> None:
        round_id, position = int(match["round"]), int(match["position"])
        # Refused before deferring, so the refusal stays private.
        accepted = accept_answer(values.get("answer", ""))
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
            self.pacer.close_soon(round_id, position)
